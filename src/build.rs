//! The pipeline: project → data → templates → markup → writers → files.
//!
//! The steps every document goes through (`render_document`, the writers,
//! fonts) live here; `batch` runs them for a whole project, in parallel,
//! with its cache — `build_project` and `check_project` are that engine
//! (`check` runs the writers in memory and writes nothing).
//! `render_template` is the same pipeline for one template and `--data`
//! files, `render_in_memory` for texts.

use std::path::{Path, PathBuf};

use crate::data::{DataSet, records};
use crate::diag::{Code, Diagnostic, Diags, FileId, Sources};
use crate::doc::{Block, Document};
use crate::fonts::FontSet;
use crate::limits::Limits;
use crate::output;
use crate::style::Style;
use crate::template::{self, TemplateSet, trace};
use crate::write::{self, WriteContext, Writer};

/// What a build should do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Formats to write; empty means wengao.toml's `outputs`, else docx.
    pub formats: Vec<String>,
    /// Output folder instead of wengao.toml's `out`.
    pub out_dir: Option<PathBuf>,
    /// False for `check`: run everything, write nothing.
    pub write: bool,
}

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

/// Build (or check) the project in `root`: the batch engine (`batch`)
/// with its defaults (one worker per core, the cache), its outcome in this
/// shape. `wengao build` calls the engine itself for progress and options.
pub fn build_project(root: &Path, opts: &BuildOptions) -> Outcome {
    crate::batch::as_outcome(root, opts.formats.clone(), opts.out_dir.clone(), opts.write)
}

/// `wengao check`: the build without writing.
pub fn check_project(root: &Path) -> Outcome {
    build_project(
        root,
        &BuildOptions {
            formats: vec!["docx".into(), "pdf".into(), "html".into(), "md".into(), "txt".into()],
            out_dir: None,
            write: false,
        },
    )
}

/// `wengao render`: one template, `--data` files merged into the context root,
/// written to `output` (format from its extension) or Markdown on stdout when
/// `output` is None (returned in the outcome's `stdout`).
pub fn render_template(
    template_path: &Path,
    data_files: &[PathBuf],
    output: Option<&Path>,
) -> (Outcome, Option<String>) {
    let mut out = Outcome::default();
    let writer = match output {
        Some(p) => {
            let ext = p.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
            match write::writer_for(&ext) {
                Ok(w) => Some(w),
                Err(d) => {
                    out.diags
                        .push(d.with_hint("the format is taken from the extension of `-o`: .docx, .html, .md or .txt"));
                    return (out, None);
                }
            }
        }
        None => None,
    };
    let (data, d) = DataSet::load_files(data_files, &mut out.sources);
    out.diags.extend(d);
    let (set, d) = TemplateSet::load_single(template_path, &mut out.sources);
    out.diags.extend(d);
    let Some((templates, name)) = set else { return (out, None) };
    if out.diags.has_errors() {
        return (out, None);
    }
    let root = template_path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let style = Style::gbt9704();
    let Some((doc, markdown)) = render_standalone(&templates, &name, &data, &root, &mut out) else {
        return (out, None);
    };
    match (output, writer) {
        (Some(p), Some(w)) => {
            let fonts = resolve_fonts(std::slice::from_ref(&w), &style, &root, &mut out.diags);
            if out.diags.has_errors() {
                return (out, None);
            }
            let targets = [(p.to_path_buf(), w.as_ref())];
            emit(&doc, &markdown, &style, &root, fonts.as_ref(), &targets, true, &Limits::default(), &mut out);
            (out, None)
        }
        _ => (out, Some(markdown)),
    }
}

/// The whole pipeline in memory: the template `document` (with any
/// partials it includes, all as `(name, text)`) rendered with the `data`
/// YAML texts merged at the context root, parsed, and written in each of
/// `formats` (PDF needs `fonts`). Images are looked up under `root`. Returns
/// each format's bytes; the outcome holds the diagnostics and their sources.
/// For embedding wengao and for fuzzing; nothing touches the disk.
pub fn render_in_memory(
    templates: &[(&str, &str)],
    document: &str,
    data: &[&str],
    formats: &[&str],
    fonts: Option<&FontSet>,
    root: &Path,
) -> (Vec<(String, Vec<u8>)>, Outcome) {
    let mut out = Outcome::default();
    let mut results = Vec::new();
    let formats: Vec<String> = formats.iter().map(|f| f.to_string()).collect();
    let Some(writers) = writers_for(&formats, &mut out.diags) else { return (results, out) };
    let shown: Vec<String> = (1..=data.len()).map(|i| format!("data-{i}.yaml")).collect();
    let texts: Vec<(&str, &str)> = shown.iter().map(String::as_str).zip(data.iter().copied()).collect();
    let (data, d) = DataSet::from_texts(&texts, &mut out.sources);
    out.diags.extend(d);
    let (set, d) = TemplateSet::from_texts(templates, document, &mut out.sources);
    out.diags.extend(d);
    let Some(set) = set else { return (results, out) };
    if out.diags.has_errors() {
        return (results, out);
    }
    let style = Style::gbt9704();
    let Some((doc, markdown)) = render_standalone(&set, document, &data, root, &mut out) else {
        return (results, out);
    };
    let mut cx = WriteContext::new(&doc, &style, root, &markdown).with_limits(Limits::default());
    if let Some(f) = fonts {
        cx = cx.with_fonts(f);
    }
    for w in &writers {
        let mut bytes = Vec::new();
        match w.write(&cx, &mut bytes) {
            Ok(warnings) => {
                out.diags.extend(warnings);
                results.push((w.name().to_string(), bytes));
            }
            Err(d) => out.diags.extend(d),
        }
    }
    (results, out)
}

/// One template rendered outside a project (`render`, `render_in_memory`):
/// the data at the context root, its records checked without a report
/// year, default limits, no `[check] allow`.
fn render_standalone(
    templates: &TemplateSet,
    name: &str,
    data: &DataSet,
    root: &Path,
    out: &mut Outcome,
) -> Option<(Document, String)> {
    let (records, d) = records::collect(data, &out.sources, None);
    out.diags.extend(d);
    if out.diags.has_errors() {
        return None;
    }
    let ctx = std::sync::Arc::new(template::context(&serde_json::Value::Object(Default::default()), data, &records));
    render_document(
        templates,
        name,
        &ctx,
        data,
        &DocSettings { root, limits: &Limits::default(), allow: &[], author: None },
        out,
    )
}

/// Fonts are found once per build, and only when a writer lays out pages.
pub(crate) fn resolve_fonts(
    writers: &[Box<dyn Writer>],
    style: &Style,
    root: &Path,
    diags: &mut Diags,
) -> Option<FontSet> {
    if !writers.iter().any(|w| w.needs_fonts()) {
        return None;
    }
    let (fonts, d) = FontSet::resolve(style, root);
    diags.extend(d);
    Some(fonts)
}

pub(crate) fn writers_for(formats: &[String], diags: &mut Diags) -> Option<Vec<Box<dyn Writer>>> {
    let mut writers: Vec<Box<dyn Writer>> = Vec::new();
    for f in formats {
        let f = f.trim().to_lowercase();
        if writers.iter().any(|w| w.name() == f) {
            continue;
        }
        match write::writer_for(&f) {
            Ok(w) => writers.push(w),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() { None } else { Some(writers) }
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

/// Render a template and parse the Markdown into a Document, checking images
/// and linting the text (lints in `allow` are skipped).
pub(crate) fn render_document(
    templates: &TemplateSet,
    name: &str,
    ctx: &std::sync::Arc<tera::Context>,
    data: &DataSet,
    settings: &DocSettings,
    out: &mut Outcome,
) -> Option<(Document, String)> {
    let DocSettings { root, limits, allow, author } = *settings;
    let markdown = match templates.render_limited(name, ctx, data, &out.sources, limits) {
        Ok(m) => m,
        Err(d) => {
            out.diags.extend(d);
            return None;
        }
    };
    let shown =
        templates.file(name).and_then(|f| out.sources.get(f)).map_or_else(|| PathBuf::from(name), |f| f.path.clone());
    let file = out.sources.add(format!("{} (rendered)", shown.display()), markdown.clone());
    let (doc, mut d) = crate::markup::parse_document(&markdown, file);
    point_at_templates(&mut d, file, templates, &out.sources);
    let failed = d.has_errors();
    out.diags.extend(d);
    let mut doc = doc.filter(|_| !failed)?;
    if doc.meta.author.is_none() {
        doc.meta.author = author.map(str::to_string);
    }
    let image_errors = check_images(&doc, root);
    let failed = image_errors.has_errors();
    out.diags.extend(image_errors);
    if failed {
        return None;
    }
    for mut l in crate::lint::check_document(&doc, &markdown, file, allow) {
        trace::point_fragment_at_templates(&mut l.diag, &l.fragment, file, templates, &out.sources);
        out.diags.push(l.diag);
    }
    out.documents += 1;
    Some((doc, markdown))
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

/// Run each writer into memory, then write the files atomically.
#[allow(clippy::too_many_arguments)]
fn emit(
    doc: &Document,
    markdown: &str,
    style: &Style,
    root: &Path,
    fonts: Option<&FontSet>,
    targets: &[(PathBuf, &dyn Writer)],
    write: bool,
    limits: &Limits,
    out: &mut Outcome,
) {
    let mut cx = WriteContext::new(doc, style, root, markdown).with_limits(*limits);
    if let Some(f) = fonts {
        cx = cx.with_fonts(f);
    }
    for (path, w) in targets {
        let mut bytes = Vec::new();
        match w.write(&cx, &mut bytes) {
            Ok(warnings) => out.diags.extend(warnings),
            Err(d) => {
                out.diags.extend(d);
                continue;
            }
        }
        if !write {
            continue;
        }
        match output::write_atomic(path, &bytes) {
            Ok(()) => out.written.push(path.clone()),
            Err(d) => out.diags.push(d),
        }
    }
}
