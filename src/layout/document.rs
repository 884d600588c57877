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
use super::draw::{Furniture, draw};
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
    let grid = Grid { pitch: style.line_pitch().0, rows: style.lines_per_page, height: style.text_height().pt().0 };
    let (flow, mut plan) = lay_out_with_contents(doc, &mut shaper, root, grid);
    let (elements, mut diags) = (flow.elements, flow.diags);
    let (flow_head, flow_imprint, flow_articles) = (flow.head, flow.imprint, flow.articles);
    if plan.pages.len() > max_pages {
        diags.push(too_many_pages(format!("{} pages", plan.pages.len()), max_pages));
        return (Pages { width: style.page_width.pt(), height: style.page_height.pt(), ..Pages::default() }, diags);
    }
    let mut furniture = furniture(&mut plan, &elements, &flow_head, flow_imprint.as_ref(), &shaper, grid);
    furniture.front = front_pages(doc, &plan, &flow_articles);
    let pages = draw(&plan, &elements, &mut shaper, grid, &furniture);
    let mut all = std::mem::take(&mut shaper.diags);
    all.extend(std::mem::take(&mut diags));
    (pages, all)
}

/// The 版头's items, and where the 版记 goes (pages added to `plan` for it).
fn furniture(
    plan: &mut super::paginate::Plan,
    elements: &[super::paginate::Element],
    head: &Option<super::gongwen::Head>,
    imprint: Option<&super::gongwen::Imprint>,
    shaper: &Shaper<'_>,
    grid: Grid,
) -> Furniture {
    let mut f = Furniture { head: head.as_ref().map(|h| h.items.clone()).unwrap_or_default(), ..Furniture::default() };
    if head.as_ref().is_some_and(|h| h.first_unnumbered) {
        f.unnumbered.push(0);
    }
    if let Some(imprint) = imprint {
        let last = plan.pages.len().saturating_sub(1);
        let used = (super::paginate::fill(plan, last, elements, grid) / grid.pitch - 1e-6).ceil().max(0.0) as u32;
        let (page, unnumbered) = super::gongwen::place_imprint(plan, used, imprint, grid);
        f.imprint = Some((page, super::gongwen::imprint_items(shaper, imprint, grid)));
        f.unnumbered.extend(unnumbered);
    }
    f
}

/// What the DOCX writer takes from wengao's own layout, so that Word shows
/// what the PDF shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordHints {
    /// The page (1-based) each article of a collection starts on, as the
    /// PDF prints them in its 目录 (the DOCX pre-fills its TOC field with them).
    pub contents_pages: Vec<usize>,
    /// Paragraphs set a hair looser or tighter to repair a page break:
    /// ((block, list item), run spacing change in twips), in document order.
    pub spacing: Vec<((usize, usize), i64)>,
    /// Title lines (of the document, the cover, the articles) and table
    /// cells the layout broke into lines (headers balanced, body text
    /// between words), with the character offsets of the breaks: the DOCX
    /// breaks them there too, as offices do by hand, so Word does not wrap
    /// them on its own ("…创新发 / 展", "完成 / 值", "县农业农 / 村局").
    pub balanced_breaks: Vec<(String, Vec<usize>)>,
    /// A collection's 目录 ends on an odd page, so the PDF leaves the page
    /// after it blank (and unnumbered) for the text to start on a right-hand
    /// page; the DOCX does the same.
    pub front_blank: bool,
    /// A 公文's 版头: the grid rows from the block top to the title.
    pub head_rows: Option<u32>,
    /// A 公文's 版记: where the PDF put it.
    pub imprint: Option<ImprintPlace>,
}

/// Where the 版记 went in the PDF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImprintPlace {
    /// On a page of its own (no number), after the last page of text.
    pub own_page: bool,
    /// With a blank page (no number) before it, to make its page even.
    pub blank_before: bool,
}

/// Lay `doc` out as the PDF would and return what the DOCX needs of it.
pub fn word_hints(doc: &Document, style: &Style, metrics: &dyn Metrics, root: &Path) -> WordHints {
    let mut shaper = Shaper::new(style, metrics);
    let grid = Grid { pitch: style.line_pitch().0, rows: style.lines_per_page, height: style.text_height().pt().0 };
    let (flow, mut plan) = lay_out_with_contents(doc, &mut shaper, root, grid);
    let pages_of_text = plan.pages.len();
    let furniture = furniture(&mut plan, &flow.elements, &flow.head, flow.imprint.as_ref(), &shaper, grid);
    let imprint = furniture.imprint.as_ref().map(|_| ImprintPlace {
        own_page: plan.pages.len() > pages_of_text,
        blank_before: plan.pages.len() > pages_of_text + 1,
    });
    let spacing = flow
        .elements
        .iter()
        .filter_map(|e| match e {
            super::paginate::Element::Text(t) if t.extra_spacing != 0 => t.source.map(|s| (s, t.extra_spacing)),
            _ => None,
        })
        .collect();
    let front = front_pages(doc, &plan, &flow.articles);
    WordHints {
        contents_pages: article_pages(&plan, &flow.articles, front),
        front_blank: front > 0 && plan.pages[front - 1].is_empty(),
        spacing,
        balanced_breaks: flow.balanced_breaks,
        head_rows: flow.head.as_ref().map(|h| h.rows),
        imprint,
    }
}

/// Layouts tried at most before the 目录's page numbers must agree with
/// where the articles landed. Each pass uses the pages the one before
/// found; only a number gaining a digit that re-wraps an entry (which moves
/// the articles again) needs a third, so this never binds in practice.
const CONTENTS_PASSES: usize = 4;

/// Build and paginate `doc`. A collection is laid out again until the page
/// numbers its 目录 prints are the pages its articles start on: the first
/// pass prints placeholders, and the 目录 (which comes first) may grow or
/// shrink with the numbers, moving every article after it.
fn lay_out_with_contents(
    doc: &Document,
    shaper: &mut Shaper<'_>,
    root: &Path,
    grid: Grid,
) -> (super::blocks::Flow, super::paginate::Plan) {
    let mut toc = vec![0; doc.articles().count()];
    let mut pass = 0;
    loop {
        let mut flow = Builder::new(shaper, root).build(doc, &toc);
        let mut plan = paginate(&mut flow.elements, grid);
        pass += 1;
        // The text starts on a right-hand (odd) page: a 目录 that ends on
        // an odd page is followed by a blank one.
        let mut front = front_pages(doc, &plan, &flow.articles);
        if front % 2 == 1 {
            plan.pages.insert(front, Vec::new());
            front += 1;
        }
        let found = article_pages(&plan, &flow.articles, front);
        if !doc.meta.toc || found == toc || pass >= CONTENTS_PASSES {
            return (flow, plan);
        }
        toc = found;
    }
}

/// Pages before a collection's text (cover, 目录 and the blank page that
/// may follow it): none of them is numbered, and the page the first
/// article starts on is page 1. 0 for any other document.
fn front_pages(doc: &Document, plan: &super::paginate::Plan, articles: &[Option<usize>]) -> usize {
    if !doc.meta.toc {
        return 0;
    }
    let first = articles.iter().flatten().next();
    first.and_then(|&e| plan.pages.iter().position(|p| p.iter().any(|pl| pl.elem == e))).unwrap_or(0)
}

/// The page number each article's title lands on, counting from the first
/// page after the `front` pages; an article without a title line gets the
/// page of the article before it (1 for the first).
pub(crate) fn article_pages(plan: &super::paginate::Plan, articles: &[Option<usize>], front: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(articles.len());
    for a in articles {
        let page = a.and_then(|e| plan.pages.iter().position(|p| p.iter().any(|pl| pl.elem == e)));
        let previous = out.last().copied().unwrap_or(1);
        out.push(page.map_or(previous, |p| (p + 1).saturating_sub(front).max(1)));
    }
    out
}

/// L002: the document is longer than `[limits] pages`. `found` says how long.
pub fn too_many_pages(found: String, max_pages: usize) -> Diagnostic {
    Diagnostic::error(Code::LayoutLimit, format!("the document would run to {found}, over the limit of {max_pages}"))
        .with_hint(
            "look for a loop in the template that repeats text many times; if the document really is this \
             long, raise `pages` under [limits] in wengao.toml",
        )
}
