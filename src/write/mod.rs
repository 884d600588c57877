//! Writers: one per output format, all behind the `Writer` trait.
//!
//! Every writer gets the same `WriteContext` (the parsed `Document`, the
//! `Style`, and where images live) and writes bytes to a sink. Writers never
//! re-parse Markdown or read another writer's output, and take every layout
//! number from `style`. Writing to a temporary file and renaming it is the
//! caller's job (`output`), so a writer may fail half-way without harm.

use std::io;
use std::path::Path;

use crate::diag::{Code, Diagnostic, Diags};
use crate::doc::Document;
use crate::fonts::FontSet;
use crate::limits::Limits;
use crate::style::Style;

pub mod docx;
pub mod html;
pub mod markdown;
pub mod ofd;
pub mod pdf;
pub mod text;
pub(crate) mod xml;

/// What every writer is given.
#[non_exhaustive]
pub struct WriteContext<'a> {
    /// The document to write.
    pub doc: &'a Document,
    /// Page style (GB/T 9704 preset plus overrides).
    pub style: &'a Style,
    /// Folder that image paths in the document are relative to (the project root).
    pub root: &'a Path,
    /// The rendered Markdown the document was parsed from (the `md` output).
    pub markdown: &'a str,
    /// Fonts resolved for this build (PDF needs them; other writers use names from `style`).
    pub fonts: Option<&'a FontSet>,
    /// Bounds from `[limits]` (the PDF writer's page count).
    pub limits: Limits,
    /// The standard the PDF writer follows (`pdf_standard`).
    pub pdf_standard: crate::project::PdfStandard,
}

impl<'a> WriteContext<'a> {
    /// Bundle the inputs of a write.
    pub fn new(doc: &'a Document, style: &'a Style, root: &'a Path, markdown: &'a str) -> Self {
        WriteContext {
            doc,
            style,
            root,
            markdown,
            fonts: None,
            limits: Limits::default(),
            pdf_standard: Default::default(),
        }
    }

    /// The same context with the project's limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The same context with fonts for the PDF writer.
    pub fn with_fonts(mut self, fonts: &'a FontSet) -> Self {
        self.fonts = Some(fonts);
        self
    }
}

/// An output format.
pub trait Writer: Sync {
    /// Format name as given to `-f` ("docx", "html", …).
    fn name(&self) -> &'static str;
    /// Whether the writer lays out pages itself and so needs resolved fonts.
    fn needs_fonts(&self) -> bool {
        false
    }
    /// File extension without the dot.
    fn extension(&self) -> &'static str {
        self.name()
    }
    /// Write the whole document to `out`. `Ok` carries warnings (a missing
    /// glyph, a substituted font); `Err` means the bytes must not be used.
    fn write(&self, cx: &WriteContext<'_>, out: &mut dyn io::Write) -> Result<Diags, Diags>;
}

/// Formats this build of wengao can write, in the order `-f` lists them.
pub const FORMATS: &[&str] = &["docx", "pdf", "ofd", "html", "md", "txt"];

/// The writer for a format name, or a diagnostic naming the formats there are.
pub fn writer_for(name: &str) -> Result<Box<dyn Writer>, Diagnostic> {
    match name {
        "docx" => Ok(Box::new(docx::DocxWriter)),
        "html" => Ok(Box::new(html::HtmlWriter)),
        "md" => Ok(Box::new(markdown::MarkdownWriter)),
        "txt" => Ok(Box::new(text::TextWriter)),
        "pdf" => Ok(Box::new(pdf::PdfWriter)),
        "ofd" => Ok(Box::new(ofd::OfdWriter)),
        other => Err(Diagnostic::error(Code::OutputFormat, format!("unknown output format `{other}`"))
            .with_hint(format!("choose from {}", FORMATS.join(", ")))),
    }
}

/// The pages of a writer of fixed pages (PDF, OFD): both lay them out
/// here, so both formats carry the same glyphs at the same places. Also
/// the fonts the glyph ids refer to.
pub(crate) fn lay_out_pages<'a>(
    cx: &WriteContext<'a>,
    writer: &str,
) -> Result<(crate::layout::Pages, Diags, &'a FontSet), Diags> {
    let Some(fonts) = cx.fonts else {
        return Err(Diagnostic::internal(format!("the {writer} writer was called without resolved fonts")).into());
    };
    // Shaping and breaking thousands of pages costs memory before the
    // page count is known: refuse a text that cannot fit at all first.
    let max_pages = cx.limits.pages;
    let capacity = (cx.style.lines_per_page as usize) * (cx.style.chars_per_line as usize);
    let chars = cx.markdown.chars().filter(|c| !c.is_whitespace()).count();
    if chars / capacity.max(1) > max_pages {
        let found = format!("at least {} pages", chars / capacity.max(1));
        return Err(crate::layout::too_many_pages(found, max_pages).into());
    }
    let (pages, diags) = crate::layout::layout_document_limited(cx.doc, cx.style, fonts, cx.root, max_pages);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((pages, diags, fonts))
}

/// Turn an I/O error from a sink into a diagnostic naming the writer.
pub fn io_diag(writer: &str, e: io::Error) -> Diags {
    Diagnostic::error(Code::OutputWrite, format!("{writer}: cannot write output: {e}"))
        .with_hint("check that the output folder is writable and the disk is not full")
        .into()
}

#[cfg(test)]
mod format_tests {
    #[test]
    fn every_format_extension_is_one_an_output_name_may_not_end_with() {
        for name in super::FORMATS {
            let ext = super::writer_for(name).expect("a writer").extension();
            assert!(crate::output::EXTENSIONS.contains(&ext), "{ext} missing from output::EXTENSIONS");
        }
    }
}
