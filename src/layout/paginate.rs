//! Pagination: which page and row every line, table row and image goes on.
//!
//! Takes the flow of elements `blocks` built (lines already broken and set)
//! and returns a `Plan`; `draw` turns the plan into page items. Nothing here
//! moves a glyph inside a line.
//!
//! The grid (GB/T 9704 §5.2.3): every page has `lines_per_page` rows of
//! `line_pitch()`; each text line takes whole rows. Tables and images are
//! off the grid; the line after them snaps to the next whole row.
//!
//! Page breaks are first placed greedily, then repaired page by page where
//! they fall inside something that must stay together:
//!
//! - a heading never ends a page, so with the orphan rule it keeps at least
//!   the first two lines of its paragraph (one if the paragraph has one);
//! - no paragraph leaves its first line alone at the foot of a page
//!   (orphan) or carries its last line alone to the next (widow);
//! - a table's header stays with its first row and its first row with the
//!   second (no orphan row), and its last row is not carried alone to the
//!   next page (a widow row); the 署名/成文日期 block
//!   stays with the text line before it (GB/T 9704 §7.3.5: the page bearing
//!   the signature bears body text).
//!
//! A repair first tries not to shorten the page (GB/T 9704: 22 lines): one
//! of the last paragraphs on the page is set a hair looser or tighter
//! (`Style::reflow_spacing_twips`: one line more or fewer), which moves the
//! break. The DOCX gives that paragraph the same run spacing, so Word and
//! LibreOffice, filling lines as the PDF does, break it the same way — what
//! offices do by hand with 字符间距 加宽/紧缩. Only when no such paragraph
//! helps does the page end early, before the start of the chain that must
//! stay together.

use std::collections::BTreeSet;

use crate::style::Face;

use super::linebreak::{Paragraph, SetLine};
use super::table::TableElement;

/// Lengths closer than this (points) are equal.
const EPS: f64 = 1e-6;
/// How many paragraphs before a bad break may be set again to repair it.
/// Sections of headings over short paragraphs (工作安排) may have the one
/// paragraph that can give up or take a row five or six paragraphs up the
/// page; each try re-places the flow, so this bounds the work.
const REFLOW_CANDIDATES: usize = 8;
/// Repairs tried on one page break before giving up (each moves the break
/// up, so the loop ends anyway; this only bounds the work).
const REPAIRS_PER_PAGE: usize = 32;
/// An image shrinks into the rest of a page only down to this share of
/// its size; smaller, and it starts the next page instead (as large as
/// the block allows).
const IMAGE_MIN_SHRINK: f64 = 0.75;

/// What a run of text lines is, for keeping things together and for the outline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Role {
    /// 标题 lines: kept together.
    Title,
    /// Lines under the title: kept together.
    Subtitle,
    /// A heading: kept together and with what follows.
    Heading {
        /// Outline level: 1–4, one deeper inside a collection's article.
        level: u8,
        /// Number and text, for the outline.
        title: String,
    },
    /// A paragraph of running text (body, list item, 主送机关): widow and
    /// orphan control, may be set again looser or tighter.
    Body,
    /// 附件说明: like `Body`; when a signature block follows, it goes with it.
    Attachment,
    /// 署名 and 成文日期 with the blank rows around them: kept together and
    /// with the line before.
    Closing,
    /// The title lines of a collection's article: kept together and with
    /// what follows, like a heading; a level-1 bookmark.
    Article {
        /// The title, for the outline.
        title: String,
    },
    /// One entry of a 目录: its lines kept together.
    Contents,
    /// An image's caption: kept together and with the image above it.
    Caption,
    /// A table's 表题 or unit line: kept together and with the table below,
    /// like a heading.
    TableCaption,
}

impl Role {
    fn keeps_together(&self) -> bool {
        matches!(
            self,
            Role::Title
                | Role::Subtitle
                | Role::Heading { .. }
                | Role::Closing
                | Role::Article { .. }
                | Role::Contents
                | Role::Caption
                | Role::TableCaption
        )
    }
}

/// Lines of text on the grid.
#[derive(Debug, Clone)]
pub(crate) struct TextElement {
    /// What the lines are.
    pub role: Role,
    /// Grid rows each line takes (titles may need more than one).
    pub rows_per_line: u32,
    /// Font size of the lines (for the baseline in the row).
    pub size: f64,
    /// Main face of the lines (for the baseline in the row).
    pub face: Face,
    /// The set lines.
    pub lines: Vec<SetLine>,
    /// The paragraph, when it may be set looser or tighter to repair a
    /// page break, with the run spacing changes to try (twips).
    pub reflow: Option<Box<Reflow>>,
    /// The run spacing change (twips) the lines were set with: 0, or one
    /// of `Reflow::spacings` after a repair. The DOCX writes it too.
    pub extra_spacing: i64,
    /// Where the paragraph comes from: (block, list item) of the document.
    pub source: Option<(usize, usize)>,
}

/// What a paragraph needs to be set again with another run spacing.
#[derive(Debug, Clone)]
pub(crate) struct Reflow {
    pub paragraph: Paragraph,
    /// `Style::reflow_spacing_twips`.
    pub spacings: [i64; 2],
    /// `Style::max_line_glyphs`: a spacing that sets more on a line is not tried.
    pub max_line_glyphs: f64,
}

/// An image, already fitted to the block width.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ImageElement {
    /// File to embed.
    pub path: std::path::PathBuf,
    /// Width at natural size, at most the block width.
    pub width: f64,
    /// Height to match.
    pub height: f64,
    /// Alternative text (the tagged PDF's `/Alt`).
    pub alt: String,
}

/// One element of the flow.
#[derive(Debug, Clone)]
pub(crate) enum Element {
    /// Text lines.
    Text(TextElement),
    /// Blank rows; dropped at the top of a page.
    Gap(u32),
    /// A table.
    Table(TableElement),
    /// An image.
    Image(ImageElement),
    /// `\newpage`.
    PageBreak,
}

/// The page grid, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Grid {
    /// Row height.
    pub pitch: f64,
    /// Rows per page.
    pub rows: u32,
    /// Height of the text block.
    pub height: f64,
}

impl Grid {
    /// The first row whose top is at or below `y`.
    fn row_at(&self, y: f64) -> u32 {
        let mut r = (y / self.pitch) as u32;
        while f64::from(r) * self.pitch < y - EPS {
            r += 1;
        }
        while r > 0 && f64::from(r - 1) * self.pitch >= y - EPS {
            r -= 1;
        }
        r
    }
}

/// Where a unit landed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Spot {
    /// A text line in `row`.
    Line {
        /// First grid row.
        row: u32,
    },
    /// A table row at `y`; `repeated` for a header repeated on a new page.
    TableRow {
        /// Top, from the block top.
        y: f64,
        /// A repeated header.
        repeated: bool,
    },
    /// An image at `y`, scaled to `width` × `height`.
    Image {
        /// Top, from the block top.
        y: f64,
        /// Drawn width.
        width: f64,
        /// Drawn height.
        height: f64,
    },
}

/// One placed unit: line `index` of element `elem` (row `index` for tables).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Placed {
    /// Element index.
    pub elem: usize,
    /// Line or table row index within it.
    pub index: usize,
    /// Where.
    pub spot: Spot,
}

/// The pages: what is placed on each, in reading order.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Plan {
    /// Placed units per page.
    pub pages: Vec<Vec<Placed>>,
}

/// A unit of pagination: one line, gap, table row, image or page break.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Unit {
    elem: usize,
    index: usize,
    kind: UnitKind,
    /// A page break right before this unit splits something that must stay together.
    glue: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum UnitKind {
    Line { rows: u32 },
    Gap { rows: u32 },
    TableRow { height: f64, header: bool },
    Image { width: f64, height: f64 },
    PageBreak,
}

type Key = (usize, usize);

/// What came before, for the glue of an element's first unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Before {
    /// The start of the document or a `\newpage`: nothing to stay with.
    Nothing,
    /// A heading, which keeps with what follows.
    Heading,
    /// Anything else.
    Other,
}

/// Where the chain that must stay with the 署名 block begins: the 附件说明
/// (and the blank row above it) right before the block, which stay with it
/// so that the block's page bears body text (GB/T 9704 §7.3.5).
fn closing_chain(elements: &[Element]) -> usize {
    let closing = elements.iter().rposition(|e| matches!(e, Element::Text(t) if t.role == Role::Closing));
    let Some(mut start) = closing else { return elements.len() };
    while start > 0
        && matches!(&elements[start - 1], Element::Gap(_) | Element::Text(TextElement { role: Role::Attachment, .. }))
    {
        start -= 1;
    }
    start
}

fn units_of(elements: &[Element]) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut before = Before::Nothing;
    let chain = closing_chain(elements);
    for (e, el) in elements.iter().enumerate() {
        let after_heading = before == Before::Heading;
        let in_chain = e >= chain && before == Before::Other;
        match el {
            Element::Text(t) => {
                let n = t.lines.len();
                let widow_control = matches!(t.role, Role::Body | Role::Attachment);
                for l in 0..n {
                    let glue = if l == 0 {
                        after_heading || in_chain || t.role == Role::Caption
                    } else {
                        in_chain || t.role.keeps_together() || (widow_control && (l == 1 || l + 1 == n))
                    };
                    units.push(Unit { elem: e, index: l, kind: UnitKind::Line { rows: t.rows_per_line }, glue });
                }
                if n > 0 {
                    before = if matches!(t.role, Role::Heading { .. } | Role::Article { .. } | Role::TableCaption) {
                        Before::Heading
                    } else {
                        Before::Other
                    };
                }
            }
            Element::Gap(rows) => {
                units.push(Unit { elem: e, index: 0, kind: UnitKind::Gap { rows: *rows }, glue: in_chain })
            }
            Element::Table(t) => {
                let first_body = usize::from(t.header);
                let last = t.rows.len().saturating_sub(1);
                for (r, row) in t.rows.iter().enumerate() {
                    let header = t.header && r == 0;
                    // The header stays with the first row, a page never holds
                    // just one body row of a table that goes on (an orphan
                    // row: the second stays with the first), and the last
                    // row (often the 合计) never goes alone to a page of its own.
                    let glue = (r == 0 && after_heading)
                        || (r == 1 && t.header)
                        || (r == first_body + 1)
                        || (r == last && r > first_body);
                    units.push(Unit {
                        elem: e,
                        index: r,
                        kind: UnitKind::TableRow { height: row.height, header },
                        glue,
                    });
                }
                if !t.rows.is_empty() {
                    before = Before::Other;
                }
            }
            Element::Image(img) => {
                units.push(Unit {
                    elem: e,
                    index: 0,
                    kind: UnitKind::Image { width: img.width, height: img.height },
                    glue: after_heading,
                });
                before = Before::Other;
            }
            Element::PageBreak => {
                units.push(Unit { elem: e, index: 0, kind: UnitKind::PageBreak, glue: false });
                before = Before::Nothing;
            }
        }
    }
    units
}

/// The greedy placement of `units`, breaking pages before `forced` keys.
/// Returns the plan and, per page, the index of its first unit.
fn place(units: &[Unit], elements: &[Element], grid: Grid, forced: &BTreeSet<Key>) -> (Plan, Vec<usize>) {
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut firsts: Vec<usize> = vec![0];
    let mut y = 0.0;
    let mut fresh = true; // nothing but gaps on this page yet
    let new_page = |pages: &mut Vec<Vec<Placed>>, firsts: &mut Vec<usize>, y: &mut f64, fresh: &mut bool, u: usize| {
        pages.push(Vec::new());
        firsts.push(u);
        *y = 0.0;
        *fresh = true;
    };
    for (ui, u) in units.iter().enumerate() {
        if !fresh && forced.contains(&(u.elem, u.index)) {
            new_page(&mut pages, &mut firsts, &mut y, &mut fresh, ui);
        }
        if fresh && let Some(f) = firsts.last_mut() {
            *f = ui;
        }
        match u.kind {
            UnitKind::PageBreak => {
                if !fresh {
                    new_page(&mut pages, &mut firsts, &mut y, &mut fresh, ui + 1);
                }
            }
            UnitKind::Gap { rows } => {
                if fresh {
                    continue; // blank rows never start a page
                }
                let row = grid.row_at(y);
                let fit = rows.min(grid.rows.saturating_sub(row));
                y = f64::from(row + fit) * grid.pitch;
            }
            UnitKind::Line { rows } => {
                let mut row = grid.row_at(y);
                if row + rows > grid.rows && !fresh {
                    new_page(&mut pages, &mut firsts, &mut y, &mut fresh, ui);
                    row = 0;
                }
                push(&mut pages, Placed { elem: u.elem, index: u.index, spot: Spot::Line { row } });
                y = f64::from(row + rows) * grid.pitch;
                fresh = false;
            }
            UnitKind::TableRow { height, header } => {
                if y + height > grid.height + EPS && !fresh {
                    new_page(&mut pages, &mut firsts, &mut y, &mut fresh, ui);
                }
                if fresh && !header {
                    // A table continued on a new page repeats its header row.
                    if let Some(Element::Table(t)) = elements.get(u.elem)
                        && t.header
                        && let Some(h) = t.rows.first()
                    {
                        push(&mut pages, Placed { elem: u.elem, index: 0, spot: Spot::TableRow { y, repeated: true } });
                        y += h.height;
                    }
                }
                push(&mut pages, Placed { elem: u.elem, index: u.index, spot: Spot::TableRow { y, repeated: false } });
                y += height;
                fresh = false;
            }
            UnitKind::Image { width, height } => {
                let room = grid.height - y;
                let (w, h) = if height <= room + EPS {
                    (width, height)
                } else if !fresh && room >= height * IMAGE_MIN_SHRINK {
                    (width * room / height, room)
                } else {
                    if !fresh {
                        new_page(&mut pages, &mut firsts, &mut y, &mut fresh, ui);
                    }
                    let scale = (grid.height / height).min(1.0);
                    (width * scale, height * scale)
                };
                push(&mut pages, Placed { elem: u.elem, index: 0, spot: Spot::Image { y, width: w, height: h } });
                y += h;
                fresh = false;
            }
        }
    }
    // A page opened by a trailing break holds nothing: drop it.
    if pages.len() > 1 && pages.last().is_some_and(Vec::is_empty) {
        pages.pop();
        firsts.pop();
    }
    (Plan { pages }, firsts)
}

fn push(pages: &mut [Vec<Placed>], p: Placed) {
    if let Some(page) = pages.last_mut() {
        page.push(p);
    }
}

/// The first unit of page `p + 1` that is not a repeated header, if it
/// must not follow a page break; `None` if the break is fine.
fn bad_break(plan: &Plan, firsts: &[usize], units: &[Unit], p: usize) -> Option<usize> {
    let next = *firsts.get(p + 1)?;
    plan.pages.get(p + 1)?;
    units.get(next).filter(|u| u.glue).map(|_| next)
}

/// Lay out the flow on pages, repairing bad breaks (see the module docs).
pub(crate) fn paginate(elements: &mut [Element], grid: Grid) -> Plan {
    let mut forced: BTreeSet<Key> = BTreeSet::new();
    let mut reflowed: BTreeSet<usize> = BTreeSet::new();
    let mut units = units_of(elements);
    let (mut plan, mut firsts) = place(&units, elements, grid, &forced);
    let mut p = 0;
    while p + 1 < plan.pages.len() {
        for _ in 0..REPAIRS_PER_PAGE {
            let Some(bad) = bad_break(&plan, &firsts, &units, p) else { break };
            if try_reflow(elements, grid, &forced, &mut reflowed, &mut units, &mut plan, &mut firsts, p) {
                continue;
            }
            // Hard repair: end the page before the chain that must stay together.
            let mut start = bad;
            while start > 0 && units[start].glue {
                start -= 1;
            }
            if start <= firsts[p] || !forced.insert((units[start].elem, units[start].index)) {
                break; // the chain fills the whole page: nothing better exists
            }
            (plan, firsts) = place(&units, elements, grid, &forced);
        }
        p += 1;
    }
    plan
}

/// How far down page `p` is filled (points from the block top).
pub(crate) fn fill(plan: &Plan, p: usize, elements: &[Element], grid: Grid) -> f64 {
    let Some(page) = plan.pages.get(p) else { return 0.0 };
    page.iter()
        .map(|pl| match pl.spot {
            Spot::Line { row } => {
                let rows = match elements.get(pl.elem) {
                    Some(Element::Text(t)) => t.rows_per_line,
                    _ => 1,
                };
                f64::from(row + rows) * grid.pitch
            }
            Spot::TableRow { y, .. } => {
                y + match elements.get(pl.elem) {
                    Some(Element::Table(t)) => t.rows.get(pl.index).map_or(0.0, |r| r.height),
                    _ => 0.0,
                }
            }
            Spot::Image { y, height, .. } => y + height,
        })
        .fold(0.0, f64::max)
}

/// Try setting one of the last paragraphs of page `p` a hair looser or
/// tighter (`Reflow::spacings`: one line more or fewer, as Word would set
/// it with that run spacing) so that the break after page `p` is fine and
/// the page stays as full. On success the element keeps its new lines and
/// spacing, and the plan is updated.
#[allow(clippy::too_many_arguments)]
fn try_reflow(
    elements: &mut [Element],
    grid: Grid,
    forced: &BTreeSet<Key>,
    reflowed: &mut BTreeSet<usize>,
    units: &mut Vec<Unit>,
    plan: &mut Plan,
    firsts: &mut Vec<usize>,
    p: usize,
) -> bool {
    let Some(page) = plan.pages.get(p) else { return false };
    let old_fill = fill(plan, p, elements, grid);
    let old_starts: Vec<Key> = firsts[..=p].iter().map(|&u| (units[u].elem, units[u].index)).collect();
    // Candidates: paragraphs with a line on page p, from the foot up.
    let mut candidates: Vec<usize> = Vec::new();
    for pl in page.iter().rev() {
        if candidates.len() >= REFLOW_CANDIDATES {
            break;
        }
        if candidates.contains(&pl.elem) || reflowed.contains(&pl.elem) || forced.iter().any(|k| k.0 == pl.elem) {
            continue;
        }
        if let Some(Element::Text(t)) = elements.get(pl.elem)
            && t.reflow.is_some()
        {
            candidates.push(pl.elem);
        }
    }
    for e in candidates {
        let Some(Element::Text(t)) = elements.get(e) else { continue };
        let Some(reflow) = &t.reflow else { continue };
        let n = t.lines.len();
        let variants: Vec<(i64, Vec<SetLine>)> = reflow
            .spacings
            .iter()
            .map(|&twips| (twips, reflow.paragraph.lines_spaced(twips as f64 / 20.0)))
            .filter(|(_, spans)| spans.len() != n)
            .map(|(twips, spans)| (twips, reflow.paragraph.set(&spans)))
            .filter(|(_, lines)| {
                lines.iter().all(|l| l.glyphs.iter().map(|g| g.atom.width).sum::<f64>() <= reflow.max_line_glyphs + EPS)
            })
            .collect();
        for (twips, lines) in variants {
            let old = match elements.get_mut(e) {
                Some(Element::Text(t)) => {
                    (std::mem::replace(&mut t.lines, lines), std::mem::replace(&mut t.extra_spacing, twips))
                }
                _ => continue,
            };
            let new_units = units_of(elements);
            let (new_plan, new_firsts) = place(&new_units, elements, grid, forced);
            let starts_kept = new_firsts.len() > p
                && new_firsts[..=p]
                    .iter()
                    .map(|&u| (new_units[u].elem, new_units[u].index))
                    .eq(old_starts.iter().copied());
            let ends_here = new_plan.pages.len() == p + 1;
            let clean = ends_here || bad_break(&new_plan, &new_firsts, &new_units, p).is_none();
            let full = ends_here || fill(&new_plan, p, elements, grid) >= old_fill - EPS;
            if starts_kept && clean && full {
                reflowed.insert(e);
                *units = new_units;
                *plan = new_plan;
                *firsts = new_firsts;
                return true;
            }
            if let Some(Element::Text(t)) = elements.get_mut(e) {
                (t.lines, t.extra_spacing) = old;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests;
