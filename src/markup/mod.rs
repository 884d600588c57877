//! Markup: rendered Markdown (with optional YAML front matter) → `doc::Document`.
//!
//! This stage runs after Tera has rendered a template to text and before the
//! writers in `write` lay the document out. It reads only the string it is
//! given (no I/O: image files are checked later) and knows no layout numbers;
//! it decides structure — title, headings and their 一、（一）1.（1） numbers,
//! paragraphs, lists, tables, images, page breaks — and reports every piece of
//! markup it cannot print faithfully as a diagnostic with a span into the
//! rendered text.
//!
//! The way through, in the order `parse_document` takes it:
//!
//! 1. `front_matter`: the `---` block at the top, read as YAML by
//!    `data::yaml` into `doc::Meta` (title, date, `output:` checked by
//!    `output::check_name`, `allow:` by `diag::Code::is_lint_code` …).
//! 2. `emphasis`: a pre-pass so that `**` works next to Chinese punctuation,
//!    which CommonMark's rules do not allow.
//! 3. `body`: pulldown-cmark's events → blocks (paragraphs, lists, tables,
//!    images, page breaks); `inline` turns a paragraph's pieces into runs;
//!    `headings` decides what a `#` line is (title, article, heading) and
//!    numbers headings with `zh::ordinal`.
//! 4. Checks on the whole document (an empty document, `toc:` without
//!    articles), here.

mod body;
mod emphasis;
mod front_matter;
mod headings;
mod inline;

#[cfg(test)]
mod tests;

use crate::diag::{Code, Diagnostic, Diags, FileId, Span};
use crate::doc::Document;

/// Parse rendered Markdown (optionally starting with `---` YAML front matter) into a Document.
///
/// `file` is the FileId under which `text` is registered in the caller's Sources, so spans
/// produced here are byte ranges into `text`. Returns the document (None only when errors make
/// it meaningless: unclosed or unparsable front matter) and all diagnostics (errors and
/// warnings). Never panics.
pub fn parse_document(text: &str, file: FileId) -> (Option<Document>, Diags) {
    let mut diags = Diags::new();
    let Some(front) = front_matter::read(text, file, &mut diags) else {
        return (None, diags);
    };
    // With broken front matter the body is still read, for its diagnostics.
    let meta_ok = front.meta.is_some();
    let (meta, blocks) = body::parse(text, front.body_start, file, front.meta.unwrap_or_default(), &mut diags);
    let doc = Document { meta, blocks };
    let body = Span { file, range: front.body_start..text.len() };
    if doc.meta.toc && doc.articles().next().is_none() {
        diags.push(
            Diagnostic::warning(Code::MarkupArticle, "`toc: true` but the document has no article: the 目录 is empty")
                .with_span(body.clone())
                .with_hint("start each article of the collection with a `# 标题` line, or remove `toc: true`"),
        );
    }
    // With broken front matter the title may simply not have been read.
    if meta_ok && doc.blocks.is_empty() && doc.meta.title.is_empty() {
        diags.push(
            Diagnostic::warning(Code::MarkupEmpty, "document has no title and no body text")
                .with_span(body)
                .with_hint("check the template's conditions and loops: it rendered nothing to print"),
        );
    }
    (meta_ok.then_some(doc), diags)
}

/// The JSON Schema of the front matter fields (`wengao schema`).
pub fn front_matter_schema() -> serde_json::Value {
    front_matter::schema()
}

/// Byte offset where the Markdown body starts: after the front matter when
/// there is a closed block, else 0 (lints search body text from here).
pub fn body_offset(text: &str) -> usize {
    front_matter::body_start(text)
}

/// Text given for a title, a signature or an article title: its non-blank
/// lines, trimmed, one printed line each.
fn split_lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}
