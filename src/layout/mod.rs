//! Layout: where every glyph of a PDF page goes (PDF only; DOCX leaves
//! layout to the word processor).
//!
//! Takes the `Document`, the `Style` and font `Metrics`, and produces `Pages`:
//! positioned glyph runs, rules and images in page coordinates. It decides
//! line breaks (避头尾, unbreakable numbers and Latin words, justification on
//! the 28-character grid) and page breaks (22 lines, keep-with-next, widows).
//! It never writes bytes: `write::pdf` serializes `Pages` as they are.
//!
//! The steps (`layout_document` in `document.rs` runs them): `blocks` decides
//! what each part of the 公文 looks like and builds a flow of elements,
//! measuring text with `shape` and breaking it with `linebreak`; `table` and
//! `image` lay out the off-grid blocks; `paginate` puts the flow on the
//! 22-row grid and repairs bad page breaks; `draw` emits the items.

use std::path::PathBuf;

mod blocks;
#[cfg(test)]
mod contents_tests;
mod document;
mod draw;
mod gongwen;
#[cfg(test)]
mod gongwen_tests;
mod image;
mod linebreak;
mod paginate;
mod shape;
mod table;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

pub use document::{ImprintPlace, WordHints, layout_document, layout_document_limited, too_many_pages, word_hints};
pub use table::column_widths;

use crate::fonts::FontId;
use crate::style::{Pt, Rgb};

/// All pages of a laid-out document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pages {
    /// Pages before the text that carry no number (a collection's cover
    /// and 目录): the text's first page is page 1 (the PDF's page labels).
    pub front: usize,
    /// Page width.
    pub width: Pt,
    /// Page height.
    pub height: Pt,
    /// The pages, in order.
    pub pages: Vec<Page>,
    /// Headings, for the PDF outline (bookmarks).
    pub outline: Vec<Bookmark>,
    /// Areas that lead to a bookmark: each 目录 entry of a collection to
    /// its article.
    pub links: Vec<Link>,
}

impl Pages {
    /// What makes these pages impossible to write, if anything: a page size
    /// or an item's number that is not finite (NaN, infinity), a negative
    /// stroke, no page at all. A writer checks this first, so garbage is
    /// refused rather than written.
    pub fn impossible_geometry(&self) -> Option<String> {
        let (w, h) = (self.width.0, self.height.0);
        if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
            return Some(format!("impossible page size {w} × {h} pt"));
        }
        if self.pages.is_empty() {
            return Some("the layout produced no pages".into());
        }
        let possible = |item: &Item| match item {
            Item::Text(run) => {
                run.size.0.is_finite()
                    && run.size.0 > 0.0
                    && run.baseline.0.is_finite()
                    && run.glyphs.iter().all(|g| g.x.0.is_finite())
            }
            Item::Rule { from, to, width, .. } => {
                [from.0.0, from.1.0, to.0.0, to.1.0, width.0].iter().all(|v| v.is_finite()) && width.0 >= 0.0
            }
            Item::Image { x, y, width, height, .. } => [x.0, y.0, width.0, height.0].iter().all(|v| v.is_finite()),
        };
        let n = self.pages.iter().position(|page| !page.items.iter().all(possible))?;
        Some(format!("an item on page {} has an impossible size or position", n + 1))
    }
}

/// An area of a page that leads to a place in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// 0-based page the area is on.
    pub page: usize,
    /// Left, top, right and bottom of the area, from the page's top-left corner.
    pub area: [Pt; 4],
    /// The bookmark it leads to: an index into `Pages::outline`.
    pub target: usize,
}

/// One page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// What is drawn on it, in drawing order.
    pub items: Vec<Item>,
    /// What its items are in the document's structure (the tagged PDF's
    /// structure tree), in item order without overlap. Items no mark covers
    /// (rules, page numbers, a table header repeated on a new page) are
    /// decoration.
    pub marks: Vec<Mark>,
}

/// A run of a page's items that is one part of the document's structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Indices into `Page::items`.
    pub items: std::ops::Range<usize>,
    /// The structure element the items belong to. Marks of one node on
    /// several pages (a paragraph broken across a page) are one element.
    pub node: Node,
}

/// An element of the document's structure. `block` numbers the blocks of
/// the flow, so equal nodes are the same element wherever they appear.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    /// A heading; level 1 is the document's (or an article's) title.
    Heading { block: usize, level: u8 },
    /// A paragraph (also a 目录 entry, the 署名 and the lines of the 版头
    /// and 版记, which are numbered after the flow's blocks).
    Paragraph { block: usize },
    /// An image's or table's caption.
    Caption { block: usize },
    /// An image, with its alternative text.
    Figure { block: usize, alt: String },
    /// A table cell: `row` and `cell` index the table's rows and their
    /// cells; cells of its header row are `header`.
    Cell { block: usize, row: usize, cell: usize, header: bool },
}

impl Node {
    /// The flow block the node belongs to.
    pub fn block(&self) -> usize {
        match self {
            Node::Heading { block, .. }
            | Node::Paragraph { block }
            | Node::Caption { block }
            | Node::Figure { block, .. }
            | Node::Cell { block, .. } => *block,
        }
    }
}

/// Something drawn on a page. Coordinates are from the page's top-left
/// corner, y growing downwards (the PDF writer flips them).
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Glyphs of one font and size on one baseline.
    Text(TextRun),
    /// A straight line (table borders).
    Rule {
        /// Start point (x, y).
        from: (Pt, Pt),
        /// End point (x, y).
        to: (Pt, Pt),
        /// Stroke width.
        width: Pt,
        /// Stroke colour.
        colour: Rgb,
    },
    /// An image scaled into a box.
    Image {
        /// File to embed (absolute or relative to the working folder).
        path: PathBuf,
        /// Left edge.
        x: Pt,
        /// Top edge.
        y: Pt,
        /// Drawn width.
        width: Pt,
        /// Drawn height.
        height: Pt,
    },
}

/// A run of glyphs sharing font, size and baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Font of every glyph.
    pub font: FontId,
    /// Font size.
    pub size: Pt,
    /// Baseline, from the top of the page.
    pub baseline: Pt,
    /// Draw with a synthetic bold stroke (the face has no bold font).
    pub fake_bold: bool,
    /// Fill colour of the glyphs.
    pub colour: Rgb,
    /// The glyphs, left to right.
    pub glyphs: Vec<PlacedGlyph>,
}

/// One glyph at an absolute position.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    /// Glyph id in the run's font.
    pub glyph: u16,
    /// Left edge of the glyph's advance box, from the left of the page.
    pub x: Pt,
    /// The character this glyph stands for, for ToUnicode. (A `char`, not
    /// a string: a page holds tens of thousands of glyphs, and a string
    /// each was most of a long document's layout in memory.)
    pub ch: char,
}

/// A heading's place, for PDF bookmarks.
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    /// Heading text with its number ("一、总体情况").
    pub title: String,
    /// 1–4; in a collection 1 is the article and its headings are 2–5.
    pub level: u8,
    /// 0-based page index.
    pub page: usize,
    /// Top of the heading line, from the top of the page.
    pub top: Pt,
}

/// Font metrics without fonts: every full-width character one em, everything
/// else half an em. Writers that leave layout to the reader (DOCX) use it to
/// take the same proportional decisions (table columns) as the PDF.
#[derive(Debug, Clone, Copy, Default)]
pub struct NominalMetrics;

impl NominalMetrics {
    const UPEM: u16 = 1000;

    fn font(face: crate::style::Face) -> FontId {
        FontId(crate::style::Face::ALL.iter().position(|f| *f == face).unwrap_or(0) as u32)
    }
}

impl crate::fonts::Metrics for NominalMetrics {
    fn glyph(&self, face: crate::style::Face, _bold: bool, ch: char) -> Option<crate::fonts::GlyphInfo> {
        let advance = if ch.is_ascii() { Self::UPEM / 2 } else { Self::UPEM };
        Some(crate::fonts::GlyphInfo { font: Self::font(face), glyph: 1, advance })
    }
    fn units_per_em(&self, _font: FontId) -> u16 {
        Self::UPEM
    }
    fn ascender(&self, _font: FontId) -> i16 {
        880
    }
    fn primary(&self, face: crate::style::Face) -> FontId {
        Self::font(face)
    }
}
