//! One template outside a project: `wengao render` (data files, one output
//! file or Markdown on stdout) and the whole pipeline in memory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{DocSettings, Emitter, Outcome, Rendered, render_document, resolve_fonts, writers_for};
use crate::data::{DataSet, records};
use crate::fonts::FontSet;
use crate::limits::Limits;
use crate::style::Style;
use crate::template::{self, TemplateSet};
use crate::write;

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
                    out.diags.push(d.with_hint(
                        "the format is taken from the extension of `-o`: .docx, .pdf, .ofd, .html, .md or .txt",
                    ));
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
    let Some(Rendered { doc, markdown }) = render_standalone(&templates, &name, &data, &root, &mut out) else {
        return (out, None);
    };
    let (Some(path), Some(writer)) = (output, writer) else { return (out, Some(markdown)) };
    let writers = [writer];
    let fonts = resolve_fonts(&writers, &style, &root, &mut out.diags);
    if out.diags.has_errors() {
        return (out, None);
    }
    let emitter = Emitter {
        writers: &writers,
        style: &style,
        root: &root,
        fonts: fonts.as_ref(),
        limits: Limits::default(),
        pdf_standard: Default::default(),
    };
    if let Some(files) = emitter.make(&doc, &markdown, &mut out.diags) {
        match files.store(|_| path.to_path_buf(), true) {
            Ok(written) => out.written = written,
            Err(d) => out.diags.push(d),
        }
    }
    (out, None)
}

/// The whole pipeline in memory: the template `document` (with any
/// partials it includes, all as `(name, text)`) rendered with the `data`
/// YAML texts merged at the context root, parsed, and written in each of
/// `formats` (PDF needs `fonts`). Images are looked up under `root`. Returns
/// each format's bytes — every format's, or none if a writer failed; the
/// outcome holds the diagnostics and their sources. For embedding wengao
/// and for fuzzing; nothing touches the disk.
pub fn render_in_memory(
    templates: &[(&str, &str)],
    document: &str,
    data: &[&str],
    formats: &[&str],
    fonts: Option<&FontSet>,
    root: &Path,
) -> (Vec<(String, Vec<u8>)>, Outcome) {
    let mut out = Outcome::default();
    let formats: Vec<String> = formats.iter().map(|f| f.to_string()).collect();
    let Some(writers) = writers_for(&formats, &mut out.diags) else { return (Vec::new(), out) };
    let shown: Vec<String> = (1..=data.len()).map(|i| format!("data-{i}.yaml")).collect();
    let texts: Vec<(&str, &str)> = shown.iter().map(String::as_str).zip(data.iter().copied()).collect();
    let (data, d) = DataSet::from_texts(&texts, &mut out.sources);
    out.diags.extend(d);
    let (set, d) = TemplateSet::from_texts(templates, document, &mut out.sources);
    out.diags.extend(d);
    let Some(set) = set else { return (Vec::new(), out) };
    if out.diags.has_errors() {
        return (Vec::new(), out);
    }
    let style = Style::gbt9704();
    let Some(Rendered { doc, markdown }) = render_standalone(&set, document, &data, root, &mut out) else {
        return (Vec::new(), out);
    };
    let emitter = Emitter {
        writers: &writers,
        style: &style,
        root,
        fonts,
        limits: Limits::default(),
        pdf_standard: Default::default(),
    };
    let files = emitter.make(&doc, &markdown, &mut out.diags).map(|f| f.into_vec()).unwrap_or_default();
    (files.into_iter().map(|f| (f.writer.name().to_string(), f.bytes)).collect(), out)
}

/// One template rendered outside a project: the data at the context root,
/// its records checked without a report year, default limits, no
/// `[check] allow`.
fn render_standalone(
    templates: &TemplateSet,
    name: &str,
    data: &DataSet,
    root: &Path,
    out: &mut Outcome,
) -> Option<Rendered> {
    let (records, d) = records::collect(data, &out.sources, None);
    out.diags.extend(d);
    if out.diags.has_errors() {
        return None;
    }
    let ctx = Arc::new(template::context(&serde_json::Value::Object(Default::default()), data, &records));
    let settings = DocSettings { root, limits: &Limits::default(), allow: &[], author: None };
    let rendered = render_document(templates, name, &ctx, data, &settings, &mut out.sources, &mut out.diags)?;
    out.documents += 1;
    Some(rendered)
}
