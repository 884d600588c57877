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
///
/// A value that is null in the data stops the render (D005); the template
/// is then rendered again with every null printed as a mark, so that the
/// rest of the document is still read and linted in the same run.
pub(crate) fn render_document(
    templates: &TemplateSet,
    name: &str,
    ctx: &Arc<tera::Context>,
    data: &DataSet,
    settings: &DocSettings,
    sources: &mut Sources,
    diags: &mut Diags,
) -> Option<Rendered> {
    match templates.render_limited(name, ctx, data, sources, settings.limits) {
        Ok(markdown) => read_rendered(templates, name, markdown, data, settings, sources, diags),
        Err(d) => {
            let null = d.iter().any(|x| x.code == Code::DataNull);
            diags.extend(d);
            let marked = if null { nulls_marked(ctx, data) } else { None };
            if let Some(marked) = marked
                && let Ok(markdown) = templates.render_limited(name, &Arc::new(marked), data, sources, settings.limits)
            {
                let mut rest = Diags::new();
                read_rendered(templates, name, markdown, data, settings, sources, &mut rest);
                // Errors here may be the marks themselves (a filter given
                // one): only the warnings are news.
                rest.0.retain(|x| !x.is_error());
                diags.extend(rest);
            }
            None
        }
    }
}

/// The second half of `render_document`: the rendered text checked for what
/// no document may hold, parsed, its images checked and its text linted.
fn read_rendered(
    templates: &TemplateSet,
    name: &str,
    markdown: String,
    data: &DataSet,
    settings: &DocSettings,
    sources: &mut Sources,
    diags: &mut Diags,
) -> Option<Rendered> {
    let DocSettings { root, limits: _, allow, author } = *settings;
    let shown =
        templates.file(name).and_then(|f| sources.get(f)).map_or_else(|| PathBuf::from(name), |f| f.path.clone());
    let (markdown, marks) = take_marks(&markdown);
    let file = sources.add(format!("{} (rendered)", shown.display()), markdown.clone());
    let before = diags.has_errors();
    let mut own = Diags::new();
    report_marks(&marks, file, data, templates, sources, &mut own);
    let failed_marks = own.has_errors();
    diags.extend(own);
    let nulls: Vec<usize> = marks.iter().filter(|m| m.what == Mark::Null).map(|m| m.at).collect();
    let (doc, mut d) = crate::markup::parse_document(&markdown, file);
    name_data_in_front_matter(&mut d, file, data, sources);
    point_at_templates(&mut d, file, templates, sources);
    let failed = d.has_errors();
    diags.extend(d);
    let mut doc = doc.filter(|_| !failed)?;
    if doc.meta.author.is_none() {
        doc.meta.author = author.map(|a| a.chars().filter(|&c| !crate::unicode::is_forbidden_control(c)).collect());
    }
    doc.meta.language = Some(templates.script().language(&markdown));
    let image_errors = check_images(&doc, root, settings.limits);
    let failed = image_errors.has_errors();
    diags.extend(image_errors);
    if failed {
        return None;
    }
    for mut l in crate::lint::check_document(&doc, &markdown, file, allow) {
        let at_null =
            l.diag.span.as_ref().is_some_and(|s| nulls.iter().any(|&p| s.range.start <= p && p <= s.range.end));
        if at_null {
            continue;
        }
        trace::point_fragment_at_templates(&mut l.diag, &l.fragment, file, templates, sources);
        diags.push(l.diag);
    }
    (!failed_marks && !before).then_some(Rendered { doc, markdown })
}

/// What the render left in the text that must not reach a document.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    /// A null item of a list, printed.
    Null,
    /// `inf` or `NaN`, printed.
    NonFinite,
    /// A control character (from `project` values, filters …; data and
    /// templates are cleaned when read).
    Control(char),
}

struct Found {
    what: Mark,
    /// Byte offset in the text without the marks.
    at: usize,
    /// What was printed there (`inf`), for finding the template line.
    printed: String,
}

/// The rendered text without the marks and forbidden characters, and where
/// each was.
fn take_marks(text: &str) -> (String, Vec<Found>) {
    let special = |c: char| {
        c == crate::data::NULL_MARK || c == crate::template::NON_FINITE_MARK || crate::unicode::is_forbidden_control(c)
    };
    if !text.chars().any(special) {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut open: Option<usize> = None;
    for c in text.chars() {
        if c == crate::template::NON_FINITE_MARK {
            match open.take() {
                Some(start) => {
                    let printed = out[start..].to_string();
                    if !printed.is_empty() {
                        found.push(Found { what: Mark::NonFinite, at: start, printed });
                    } else {
                        // Marks doubled by a value printed twice.
                        open = Some(start);
                    }
                }
                None => open = Some(out.len()),
            }
        } else if c == crate::data::NULL_MARK {
            found.push(Found { what: Mark::Null, at: out.len(), printed: String::new() });
        } else if crate::unicode::is_forbidden_control(c) {
            found.push(Found { what: Mark::Control(c), at: out.len(), printed: String::new() });
        } else {
            out.push(c);
        }
    }
    (out, found)
}

/// One diagnostic per mark (controls: one per line), at the template line
/// that printed it when it can be found.
fn report_marks(
    marks: &[Found],
    file: FileId,
    data: &DataSet,
    templates: &TemplateSet,
    sources: &Sources,
    diags: &mut Diags,
) {
    let mut lines_warned = Vec::new();
    let mut nulls_named = false;
    for m in marks {
        let mut d = match m.what {
            Mark::NonFinite => Diagnostic::error(
                Code::TemplateFilter,
                format!("a calculation here gives `{}`, not a number", m.printed),
            )
            .with_hint(
                "a division by zero or a figure too large for a number gives this; check the figures and the \
                 calculation in the expression",
            ),
            Mark::Null => {
                Diagnostic::error(Code::DataNull, "an item of a list printed here is empty (null) in the data")
                    .with_hint("fill in the item in the data file named below, or remove it from the list")
            }
            Mark::Control(c) => {
                let line = sources.get(file).map_or(0, |f| f.line_col(m.at).0);
                if lines_warned.contains(&line) {
                    continue;
                }
                lines_warned.push(line);
                Diagnostic::warning(
                    Code::MarkupUnsupported,
                    format!(
                        "a control character ({}) was left out here: no document can show it",
                        crate::unicode::code_point(c)
                    ),
                )
                .with_hint("it came from a value printed here (wengao.toml, a filter); delete it at its source")
            }
        };
        d.span = Some(sources.span(file, m.at..m.at));
        trace::point_fragment_at_templates(&mut d, &m.printed, file, templates, sources);
        diags.push(d);
        if m.what == Mark::Null && !nulls_named {
            nulls_named = true;
            for site in data.nulls.iter().filter(|n| n.path.ends_with(']')).take(3) {
                diags.push(
                    Diagnostic::error(Code::DataNull, format!("`{}` is null here", site.path))
                        .with_span(site.span.clone())
                        .with_hint("give it a value, or take it out of the list"),
                );
            }
        }
    }
}

/// `ctx` with every null of the data printed as `NULL_MARK`, for reading
/// the rest of a document whose render stopped at a null. None when no
/// null could be placed.
fn nulls_marked(ctx: &tera::Context, data: &DataSet) -> Option<tera::Context> {
    let mut ctx = ctx.clone();
    let mark = serde_json::Value::String(crate::data::NULL_MARK.to_string());
    let mut placed = false;
    for site in &data.nulls {
        let steps = path_steps(&site.path);
        // A year folder's keys are also at the root.
        let from_root = steps
            .first()
            .is_some_and(|s| matches!(s, Step::Key(k) if k.len() == 4 && k.bytes().all(|b| b.is_ascii_digit())));
        let tails: [&[Step]; 2] = [&steps, if from_root { &steps[1..] } else { &[] }];
        for steps in tails {
            let Some((Step::Key(top), rest)) = steps.split_first() else { continue };
            let value = match ctx.get(top) {
                Some(v) => serde_json::to_value(v).ok(),
                None if rest.is_empty() => Some(serde_json::Value::Null),
                None => None,
            };
            let Some(mut value) = value else { continue };
            if place_mark(&mut value, rest, &mark) {
                ctx.insert(top.clone(), &value);
                placed = true;
            }
        }
    }
    placed.then_some(ctx)
}

/// Put `mark` at `steps` inside `value` where a null was left out (or is).
fn place_mark(value: &mut serde_json::Value, steps: &[Step], mark: &serde_json::Value) -> bool {
    let Some((step, rest)) = steps.split_first() else {
        if value.is_null() {
            *value = mark.clone();
        }
        return *value == *mark;
    };
    match (step, value) {
        (Step::Key(k), serde_json::Value::Object(m)) => {
            place_mark(m.entry(k.clone()).or_insert(serde_json::Value::Null), rest, mark)
        }
        (Step::Index(i), serde_json::Value::Array(a)) => a.get_mut(*i).is_some_and(|v| place_mark(v, rest, mark)),
        _ => false,
    }
}

enum Step {
    Key(String),
    Index(usize),
}

/// `proposals[3].satisfaction` → proposals, 3, satisfaction.
fn path_steps(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let mut pieces = part.split('[');
        if let Some(k) = pieces.next().filter(|k| !k.is_empty()) {
            steps.push(Step::Key(k.to_string()));
        }
        for i in pieces {
            if let Ok(i) = i.trim_end_matches(']').parse() {
                steps.push(Step::Index(i));
            }
        }
    }
    steps
}

/// A front matter line that does not parse often holds a value from the
/// data (a title with `"` or `: ` in it): name the data's file and line.
fn name_data_in_front_matter(diags: &mut Diags, rendered: FileId, data: &DataSet, sources: &Sources) {
    use crate::data::yaml::{Located, Node};
    fn texts<'a>(v: &'a Located, file: FileId, out: &mut Vec<(&'a str, &'a Located, FileId)>) {
        match &v.node {
            Node::Str(s) if s.chars().count() >= 2 => out.push((s, v, file)),
            Node::Seq(items) => items.iter().for_each(|i| texts(i, file, out)),
            Node::Map(entries) => entries.iter().for_each(|(_, i)| texts(i, file, out)),
            _ => {}
        }
    }
    let Some(rfile) = sources.get(rendered) else { return };
    let mut values = Vec::new();
    for (_, v, file) in data.file_values() {
        texts(v, file, &mut values);
    }
    for d in &mut diags.0 {
        if d.code != Code::FrontMatterSyntax || !d.is_error() {
            continue;
        }
        let Some(span) = d.span.as_ref().filter(|s| s.file == rendered) else { continue };
        let line = rfile.line_text(rfile.line_col(span.range.start).0);
        let Some((text, v, file)) = values.iter().filter(|(t, _, _)| line.contains(*t)).max_by_key(|(t, _, _)| t.len())
        else {
            continue;
        };
        let at = v.span(sources, *file);
        let Some(src) = sources.get(*file) else { continue };
        d.hints.insert(
            0,
            format!(
                "the line holds `{text}` from {}; in the template, put the value in double quotes \
                 (`title: \"{{{{ … }}}}\"`): wengao then keeps quotes and colons in the data from ending it",
                src.location(at.range.start)
            ),
        );
    }
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
        } else if d.code == Code::FrontMatterSyntax {
            // A line with data in it: the template line that prints it.
            trace::point_fragment_at_templates(d, "", rendered, templates, sources);
        }
    }
}

/// Images must exist inside the project (symlinks out of it are refused).
fn check_images(doc: &Document, root: &Path, limits: &Limits) -> Diags {
    let mut diags = Diags::new();
    let Ok(root_real) = root.canonicalize() else { return diags };
    for b in &doc.blocks {
        if let Block::Image { src, .. } = b {
            if crate::chart::is_chart(src) {
                // Drawn from the URL itself (checked when the Markdown was read).
                continue;
            }
            match root.join(src).canonicalize() {
                Ok(real) if real.starts_with(&root_real) && real.is_file() => {
                    // From the header alone, before any writer decodes it.
                    if let Ok(size) = imagesize::size(&real) {
                        let pixels = (size.width as u64).saturating_mul(size.height as u64);
                        if pixels > limits.image_pixels {
                            diags.push(
                                Diagnostic::error(
                                    Code::MarkupImage,
                                    format!(
                                        "image `{src}` is {} × {} = {pixels} pixels, over the limit of {}",
                                        size.width, size.height, limits.image_pixels
                                    ),
                                )
                                .with_path(src)
                                .with_hint(
                                    "a printed page needs no more than about 3000 × 4000 pixels: scale the image \
                                     down; if it really must be this large, raise `image_pixels` under [limits] \
                                     in wengao.toml",
                                ),
                            );
                        }
                    }
                }
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
