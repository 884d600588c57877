//! One document's way through the pipeline: data and a template rendered to
//! Markdown, parsed into a `Document` (images checked, text linted), then
//! made by every writer and stored, all of its files or none (`emit`).
//!
//! Every command that makes documents goes through here: the batch engine
//! (`wengao build` and `check`, a project's documents), `render_template`
//! (`wengao render`: one template and data files) and `render_in_memory`
//! (embedding, fuzzing).

mod emit;
mod standalone;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::data::DataSet;
use crate::diag::{Code, Diagnostic, Diags, FileId, Sources};
use crate::doc::{Block, Document};
use crate::limits::Limits;
use crate::template::{TemplateSet, trace};
pub(crate) use emit::{Emitter, resolve_fonts, writers_for};
pub use standalone::{render_in_memory, render_template};

/// The result of a build: files written, and every diagnostic with the
/// sources they point into.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Files the build wrote.
    pub written: Vec<PathBuf>,
    /// Errors and warnings.
    pub diags: Diags,
    /// Files the diagnostics point into.
    pub sources: Sources,
    /// Documents rendered (written or checked).
    pub documents: usize,
}

/// What rendering one document needs besides the template and its context.
pub(crate) struct DocSettings<'a> {
    /// Images are looked up under this folder.
    pub root: &'a Path,
    pub limits: &'a Limits,
    /// Lint codes not to report.
    pub allow: &'a [String],
    /// `author` in wengao.toml: the document's author unless its front matter names one.
    pub author: Option<&'a str>,
}

/// A document ready for the writers, and the Markdown it was parsed from
/// (the Markdown writer's output, and what lints and links point into).
pub(crate) struct Rendered {
    pub doc: Document,
    pub markdown: String,
}

/// Render template `name` with `ctx` and parse the Markdown into a
/// Document, checking images and linting the text (lints in `allow` are
/// skipped). The rendered Markdown is registered in `sources`; problems go
/// to `diags`, and None means one of them is an error.
pub(crate) fn render_document(
    templates: &TemplateSet,
    name: &str,
    ctx: &Arc<tera::Context>,
    data: &DataSet,
    settings: &DocSettings,
    sources: &mut Sources,
    diags: &mut Diags,
) -> Option<Rendered> {
    let DocSettings { root, limits, allow, author } = *settings;
    let markdown = match templates.render_limited(name, ctx, data, sources, limits) {
        Ok(m) => m,
        Err(d) => {
            diags.extend(d);
            return None;
        }
    };
    let shown =
        templates.file(name).and_then(|f| sources.get(f)).map_or_else(|| PathBuf::from(name), |f| f.path.clone());
    let file = sources.add(format!("{} (rendered)", shown.display()), markdown.clone());
    let (doc, mut d) = crate::markup::parse_document(&markdown, file);
    point_at_templates(&mut d, file, templates, sources);
    let failed = d.has_errors();
    diags.extend(d);
    let mut doc = doc.filter(|_| !failed)?;
    if doc.meta.author.is_none() {
        doc.meta.author = author.map(str::to_string);
    }
    doc.meta.language = Some(templates.script().language(&markdown));
    let image_errors = check_images(&doc, root);
    let failed = image_errors.has_errors();
    diags.extend(image_errors);
    if failed {
        return None;
    }
    for mut l in crate::lint::check_document(&doc, &markdown, file, allow) {
        trace::point_fragment_at_templates(&mut l.diag, &l.fragment, file, templates, sources);
        diags.push(l.diag);
    }
    Some(Rendered { doc, markdown })
}

/// A markup problem is found in the rendered text, but authors fix templates:
/// when the offending line appears verbatim on exactly one line of the
/// templates (typical of front matter and static prose), point there instead.
fn point_at_templates(diags: &mut Diags, rendered: FileId, templates: &TemplateSet, sources: &Sources) {
    let Some(rfile) = sources.get(rendered) else { return };
    for d in &mut diags.0 {
        let Some(span) = d.span.as_ref().filter(|s| s.file == rendered) else { continue };
        let (line, col) = rfile.line_col(span.range.start);
        let text = rfile.line_text(line);
        if text.trim().len() < 4 {
            continue;
        }
        if let Some((f, l, _)) = trace::unique_in_templates(templates, sources, text, true) {
            d.span = Some(sources.span_at(f, l, col));
        }
    }
}

/// Images must exist inside the project (symlinks out of it are refused).
fn check_images(doc: &Document, root: &Path) -> Diags {
    let mut diags = Diags::new();
    let Ok(root_real) = root.canonicalize() else { return diags };
    for b in &doc.blocks {
        if let Block::Image { src, .. } = b {
            if crate::chart::is_chart(src) {
                // Drawn from the URL itself (checked when the Markdown was read).
                continue;
            }
            match root.join(src).canonicalize() {
                Ok(real) if real.starts_with(&root_real) && real.is_file() => {}
                Ok(_) => diags.push(
                    Diagnostic::error(Code::MarkupImage, format!("image `{src}` is outside the project"))
                        .with_hint("copy the image into the project's assets/ folder"),
                ),
                Err(_) => diags.push(
                    Diagnostic::error(Code::MarkupImage, format!("image `{src}` not found"))
                        .with_path(root.join(src))
                        .with_hint("image paths are relative to the project folder, e.g. assets/photo.png"),
                ),
            }
        }
    }
    diags
}
