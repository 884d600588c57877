//! The entry point: a `Document` in, `Pages` out.
//!
//! Runs the layout steps in order — `blocks` (what each part looks like,
//! shaped by `shape`, broken by `linebreak`), `paginate` (the 22-row grid,
//! keeping things together), `draw` (page items and numbers) — and
//! collects their diagnostics. Same input, same pages.

use std::path::Path;

use crate::diag::{Code, Diagnostic, Diags};
use crate::doc::Document;
use crate::fonts::Metrics;
use crate::limits::Limits;
use crate::style::Style;

use super::Pages;
use super::blocks::Builder;
use super::draw::draw;
use super::paginate::{Grid, paginate};
use super::shape::Shaper;

/// Lay out `doc` on pages of `style`, measuring with `metrics`; images are
/// read from under `root`. Warnings: F002 for characters no font has, L001
/// for table rows taller than a page; errors: M004 for unreadable images
/// (the image is left out, the rest is laid out).
pub fn layout_document(doc: &Document, style: &Style, metrics: &dyn Metrics, root: &Path) -> (Pages, Diags) {
    layout_document_limited(doc, style, metrics, root, Limits::default().pages)
}

/// `layout_document`, refusing (error L002, no pages) a document that would
/// have more than `max_pages` pages before any page is drawn.
pub fn layout_document_limited(
    doc: &Document,
    style: &Style,
    metrics: &dyn Metrics,
    root: &Path,
    max_pages: usize,
) -> (Pages, Diags) {
    let mut shaper = Shaper::new(style, metrics);
    let (mut elements, mut diags) = Builder::new(&mut shaper, root).build(doc);
    let grid = Grid { pitch: style.line_pitch().0, rows: style.lines_per_page, height: style.text_height().pt().0 };
    let plan = paginate(&mut elements, grid);
    if plan.pages.len() > max_pages {
        diags.push(too_many_pages(format!("{} pages", plan.pages.len()), max_pages));
        return (Pages { width: style.page_width.pt(), height: style.page_height.pt(), ..Pages::default() }, diags);
    }
    let pages = draw(&plan, &elements, &mut shaper, grid);
    let mut all = std::mem::take(&mut shaper.diags);
    all.extend(std::mem::take(&mut diags));
    (pages, all)
}

/// L002: the document is longer than `[limits] pages`. `found` says how long.
pub fn too_many_pages(found: String, max_pages: usize) -> Diagnostic {
    Diagnostic::error(Code::LayoutLimit, format!("the document would run to {found}, over the limit of {max_pages}"))
        .with_hint(
            "look for a loop in the template that repeats text many times; if the document really is this \
             long, raise `pages` under [limits] in wengao.toml",
        )
}
