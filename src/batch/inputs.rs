//! What a batch reads before it plans: wengao.toml, the writers and the
//! fonts, the shared data, the templates and the matrix collection's items.
//! Loaded once, then shared read-only by every document.

use std::path::{Path, PathBuf};

use super::items::Items;
use super::{BatchOptions, BatchOutcome, stream};
use crate::data::{DataSet, records};
use crate::diag::{Code, Diagnostic, Diags, Sources};
use crate::fonts::FontSet;
use crate::limits::Limits;
use crate::output;
use crate::pipeline;
use crate::project::{MatrixConfig, Project};
use crate::template::TemplateSet;
use crate::write::Writer;

/// The inputs of a batch build.
pub(super) struct Inputs {
    pub(super) project: Project,
    pub(super) writers: Vec<Box<dyn Writer>>,
    /// The writers' names, in their order (in the cache key and the manifest).
    pub(super) formats: Vec<String>,
    pub(super) templates: TemplateSet,
    /// The data; without the matrix collection when its items are files.
    pub(super) data: DataSet,
    /// The matrix collection's items (none without a `[matrix]`).
    pub(super) items: Items,
    /// Whether the items are a folder's files, each read by the worker that
    /// builds its document (`stream`), rather than loaded with the data.
    pub(super) streamed: bool,
    pub(super) out_dir: PathBuf,
}

impl Inputs {
    /// Load the inputs of the project in `root`, and the fonts its writers
    /// need. None when the build cannot go on: the errors are in
    /// `out.diags`. A matrix item's file that cannot be read or parsed fails
    /// that item only: it is left out of the collection and its error goes
    /// to `item_errors` (the build still ends with status 1).
    pub(super) fn load(
        root: &Path,
        opts: &BatchOptions,
        out: &mut BatchOutcome,
        item_errors: &mut Diags,
    ) -> Option<(Inputs, Option<FontSet>)> {
        let mut project = match Project::open(root, &mut out.sources) {
            Ok(p) => p,
            Err(d) => {
                out.diags.extend(d);
                return None;
            }
        };
        if let Some(standard) = opts.pdf_standard {
            project.config.pdf_standard = Some(standard.name().to_string());
        }
        let formats = if opts.formats.is_empty() { project.default_formats() } else { opts.formats.clone() };
        let writers = pipeline::writers_for(&formats, &mut out.diags)?;
        let formats = writers.iter().map(|w| w.name().to_string()).collect();
        let fonts = pipeline::resolve_fonts(&writers, &project.style, root, &mut out.diags);
        let matrix = project.config.matrix.as_ref();
        let limits = project.config.limits;
        // A folder collection is not loaded with the rest: its items are
        // read one at a time by the workers.
        let item_dir = matrix.map(|m| project.data_dir().join(&m.each)).filter(|d| d.is_dir());
        let skip = matrix.filter(|_| item_dir.is_some()).map(|m| m.each.as_str());
        let encoding = project.config.encoding;
        let (data, d) = DataSet::load_dir_encoded(&project.data_dir(), root, &mut out.sources, &limits, skip, encoding);
        // Any data error but an item's stops the build.
        let (of_items, d): (Vec<Diagnostic>, Vec<Diagnostic>) =
            d.0.into_iter().partition(|d| matrix.is_some_and(|m| in_collection(d, &m.each, &out.sources)));
        item_errors.extend(Diags(of_items));
        out.diags.extend(Diags(d));
        let (templates, d) = TemplateSet::load_dir_encoded(&project.templates_dir(), root, &mut out.sources, encoding);
        out.diags.extend(d);
        let templates = templates.map(|t| t.with_script(project.config.script))?;
        if out.diags.has_errors() {
            return None;
        }
        let items = match matrix {
            Some(m) => {
                let scanned = matrix_items(m, item_dir.as_deref(), root, &limits, &templates, &data, &out.sources);
                let items = match scanned {
                    Ok((items, d)) => {
                        item_errors.extend(d);
                        items
                    }
                    Err(d) => {
                        out.diags.extend(d);
                        return None;
                    }
                };
                // Shared data is checked once here; each item's records in its worker.
                let shared = if item_dir.is_some() { None } else { Some(data.without(&m.each, &out.sources)) };
                let (_, d) = records::collect(shared.as_ref().unwrap_or(&data), &out.sources, project.config.year);
                out.diags.extend(d);
                if out.diags.has_errors() {
                    return None;
                }
                items
            }
            None => Items::default(),
        };
        let out_dir = opts.out_dir.clone().unwrap_or_else(|| project.out_dir());
        if let Err(d) = output::check_out_dir(&out_dir, root) {
            out.diags.push(d);
            return None;
        }
        let streamed = item_dir.is_some();
        Some((Inputs { project, writers, formats, templates, data, items, streamed, out_dir }, fonts))
    }

    /// The `[matrix]` of wengao.toml.
    pub(super) fn matrix(&self) -> Option<&MatrixConfig> {
        self.project.config.matrix.as_ref()
    }
}

/// The items of the collection `m.each`: the files of `item_dir` when it
/// is a folder, with the errors of single items' files, else the list in
/// the data. An error when the build cannot go on.
fn matrix_items(
    m: &MatrixConfig,
    item_dir: Option<&Path>,
    root: &Path,
    limits: &Limits,
    templates: &TemplateSet,
    data: &DataSet,
    sources: &Sources,
) -> Result<(Items, Diags), Diags> {
    m.validate(templates.documents(), data)?;
    if item_dir.is_some() && data.has_key(&m.each) {
        return Err(Diagnostic::error(
            Code::MatrixCollection,
            format!("the matrix collection `{}` is both a folder and a data key", m.each),
        )
        .with_path(Path::new("data").join(&m.each))
        .with_hint(format!("keep data/{}/ or the `{}` key of another data file, not both", m.each, m.each))
        .into());
    }
    if let Some(dir) = item_dir {
        let (items, d) = stream::scan(dir, root, m, limits)?;
        if !items.is_empty() || d.has_errors() {
            return Ok((items, d));
        }
        // No item files at all: say so as for a missing collection.
    }
    Ok((Items::Loaded(data.collection(&m.each, sources)?), Diags::new()))
}

/// Whether a diagnostic is about a file of the matrix collection (`data/counties/…`).
fn in_collection(d: &Diagnostic, each: &str, sources: &Sources) -> bool {
    let path = match &d.span {
        Some(span) => sources.get(span.file).map(|f| f.path.clone()),
        None => d.path.clone(),
    };
    path.is_some_and(|p| p.starts_with(Path::new("data").join(each)))
}
