//! Drawing: the pagination plan turned into page items.
//!
//! The last step of layout: every placed line becomes text runs on its
//! row's baseline, table rows become cell text and 0.5 pt rules, images
//! become image items, and each page gets its number (GB/T 9704 §7.5).
//! Items go out in reading order (pdfplumber and pdftotext read in content
//! order), the page number last. No decisions are made here. Each page also
//! records what its items are in the document's structure (`Mark`), for the
//! tagged PDF.

use crate::style::Face;

use super::linebreak::SetLine;
use super::paginate::{Element, Grid, Plan, Role, Spot};
use super::shape::Shaper;
use super::table::{TableElement, TableRow};
use super::{Bookmark, Item, Link, Mark, Node, Page, Pages, PlacedGlyph, TextRun};
use crate::style::{Pt, Rgb};

/// What is drawn outside the flow: the 版头 on page 1, the 版记 on its
/// page, and the pages that carry no number (`gongwen`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Furniture {
    /// Items of page 1 in page coordinates.
    pub head: Vec<Item>,
    /// The 版记's page (0-based) and its items in page coordinates.
    pub imprint: Option<(usize, Vec<Item>)>,
    /// Pages (0-based) without a page number.
    pub unnumbered: Vec<usize>,
    /// Pages before the text (a collection's cover and 目录): not numbered,
    /// and the text's first page is page 1.
    pub front: usize,
}

/// Draw `plan` of `elements` on pages, with the `furniture`.
pub(crate) fn draw(
    plan: &Plan,
    elements: &[Element],
    shaper: &mut Shaper<'_>,
    grid: Grid,
    furniture: &Furniture,
) -> Pages {
    let style = shaper.style();
    let left = style.margin_left.pt().0;
    let top = style.margin_top.pt().0;
    let width = style.text_width().pt().0;
    let mut out = Pages {
        front: furniture.front,
        width: style.page_width.pt(),
        height: style.page_height.pt(),
        pages: Vec::with_capacity(plan.pages.len()),
        outline: Vec::new(),
        links: Vec::new(),
    };
    // The 目录 entry each element is (the n-th `Contents` element is entry
    // n), and the bookmarks of the articles, in order: entry n leads to
    // article n.
    let mut entries = 0;
    let entry_of: Vec<Option<usize>> = elements
        .iter()
        .map(|e| match e {
            Element::Text(t) if t.role == Role::Contents => {
                entries += 1;
                Some(entries - 1)
            }
            _ => None,
        })
        .collect();
    let mut article_marks: Vec<usize> = Vec::new();
    let mut entry_areas: Vec<(usize, usize, [f64; 4])> = Vec::new();
    // The 版头's and 版记's lines are paragraphs numbered after the flow's blocks.
    let mut furniture_block = elements.len();
    for (p, placed) in plan.pages.iter().enumerate() {
        let mut items = if p == 0 { furniture.head.clone() } else { Vec::new() };
        let mut marks: Vec<Mark> = Vec::new();
        mark_lines(&mut marks, &items, 0..items.len(), &mut furniture_block);
        // The table whose row was drawn just before (its bottom rule is this row's top).
        let mut last_table: Option<usize> = None;
        for pl in placed {
            match (pl.spot, elements.get(pl.elem)) {
                (Spot::Line { row }, Some(Element::Text(t))) => {
                    last_table = None;
                    let Some(line) = t.lines.get(pl.index) else { continue };
                    let row_top = top + f64::from(row) * grid.pitch;
                    let band = f64::from(t.rows_per_line) * grid.pitch;
                    let baseline = row_top + shaper.baseline_in(band, t.size, t.face);
                    let start = items.len();
                    push_line(&mut items, line, left, baseline, Rgb::BLACK);
                    mark(&mut marks, start..items.len(), node_of(&t.role, pl.elem));
                    if let Some(leader) = line.leader {
                        push_leader(&mut items, leader, left, baseline, style);
                    }
                    let mark = match &t.role {
                        Role::Heading { level, title } => Some((*level, title)),
                        Role::Article { title } => Some((1, title)),
                        _ => None,
                    };
                    if let Some((level, title)) = mark
                        && pl.index == 0
                    {
                        if matches!(t.role, Role::Article { .. }) {
                            article_marks.push(out.outline.len());
                        }
                        out.outline.push(Bookmark { title: title.clone(), level, page: p, top: Pt(row_top) });
                    }
                    // A 目录 entry's lines, the page number included, make one area.
                    if let (Some(Some(entry)), Some((x0, _))) = (entry_of.get(pl.elem), line.extent()) {
                        let area = [left + x0, row_top, left + width, row_top + band];
                        match entry_areas.last_mut() {
                            Some((e, page, a)) if *e == *entry && *page == p => {
                                a[0] = a[0].min(area[0]);
                                a[3] = area[3];
                            }
                            _ => entry_areas.push((*entry, p, area)),
                        }
                    }
                }
                (Spot::TableRow { y, repeated }, Some(Element::Table(t))) => {
                    let index = if repeated { 0 } else { pl.index };
                    if let Some(row) = t.rows.get(index) {
                        let rule_on_top = last_table != Some(pl.elem);
                        let start = items.len();
                        let cells = draw_row(&mut items, shaper, t, row, (left, top + y), width, rule_on_top);
                        // A header row repeated on a new page is decoration:
                        // its cells are in the structure once.
                        if !repeated {
                            let header = t.header && index == 0;
                            let mut at = start;
                            for (cell, end) in cells.into_iter().enumerate() {
                                let node = Node::Cell { block: pl.elem, row: index, cell, header };
                                mark(&mut marks, at..end, node);
                                at = end;
                            }
                        }
                    }
                    last_table = Some(pl.elem);
                }
                (Spot::Image { y, width: w, height: h }, Some(Element::Image(img))) => {
                    last_table = None;
                    let start = items.len();
                    items.push(Item::Image {
                        path: img.path.clone(),
                        x: Pt(left + (width - w) / 2.0),
                        y: Pt(top + y),
                        width: Pt(w),
                        height: Pt(h),
                    });
                    mark(&mut marks, start..items.len(), Node::Figure { block: pl.elem, alt: img.alt.clone() });
                }
                _ => {}
            }
        }
        if let Some((page, imprint)) = &furniture.imprint
            && *page == p
        {
            let start = items.len();
            items.extend(imprint.iter().cloned());
            mark_lines(&mut marks, &items, start..items.len(), &mut furniture_block);
        }
        if p >= furniture.front && !furniture.unnumbered.contains(&p) {
            items.extend(page_number(shaper, p + 1 - furniture.front));
        }
        out.pages.push(Page { items, marks });
    }
    out.links = entry_areas
        .into_iter()
        .filter_map(|(entry, page, a)| {
            let target = *article_marks.get(entry)?;
            Some(Link { page, area: a.map(Pt), target })
        })
        .collect();
    out
}

/// The structure element of a line of a text element `block` in `role`.
/// The title is the level-1 heading, a heading one level below it.
fn node_of(role: &Role, block: usize) -> Node {
    match role {
        Role::Title | Role::Article { .. } => Node::Heading { block, level: 1 },
        Role::Heading { level, .. } => Node::Heading { block, level: level.saturating_add(1).min(6) },
        Role::Caption | Role::TableCaption => Node::Caption { block },
        Role::Subtitle | Role::Body | Role::Attachment | Role::Closing | Role::Contents => Node::Paragraph { block },
    }
}

/// Add `items` as part of `node`: the mark before grows when it is the same
/// node and ends where these start (the lines of one paragraph).
fn mark(marks: &mut Vec<Mark>, items: std::ops::Range<usize>, node: Node) {
    if items.is_empty() {
        return;
    }
    match marks.last_mut() {
        Some(last) if last.node == node && last.items.end == items.start => last.items.end = items.end,
        _ => marks.push(Mark { items, node }),
    }
}

/// Mark the text of drawn-in-place `items[range]` (the 版头, the 版记) as
/// paragraphs, one per baseline, numbered from `next_block`; rules stay
/// decoration.
fn mark_lines(marks: &mut Vec<Mark>, items: &[Item], range: std::ops::Range<usize>, next_block: &mut usize) {
    let mut last_baseline: Option<f64> = None;
    for i in range {
        let Some(Item::Text(run)) = items.get(i) else {
            last_baseline = None;
            continue;
        };
        if last_baseline != Some(run.baseline.0) {
            *next_block += 1;
            last_baseline = Some(run.baseline.0);
        }
        mark(marks, i..i + 1, Node::Paragraph { block: *next_block - 1 });
    }
}

/// The glyphs of `line` as runs of one font, size and weight, left to right.
pub(crate) fn push_line(items: &mut Vec<Item>, line: &SetLine, left: f64, baseline: f64, colour: Rgb) {
    let mut run: Option<TextRun> = None;
    for g in &line.glyphs {
        let a = &g.atom;
        let placed = PlacedGlyph { glyph: a.glyph, x: Pt(left + g.x), ch: a.ch };
        match &mut run {
            Some(r) if r.font == a.font && r.size.0 == a.size && r.fake_bold == a.fake_bold => r.glyphs.push(placed),
            _ => {
                if let Some(r) = run.take() {
                    items.push(Item::Text(r));
                }
                run = Some(TextRun {
                    font: a.font,
                    size: Pt(a.size),
                    baseline: Pt(baseline),
                    fake_bold: a.fake_bold,
                    colour,
                    glyphs: vec![placed],
                });
            }
        }
    }
    if let Some(r) = run {
        items.push(Item::Text(r));
    }
}

/// The dots of a leader from `from` to `to` (block coordinates) on the
/// baseline: squares of `leader_dot` every `leader_pitch`, on a pitch
/// counted from the block's left edge so the dots of every line align.
fn push_leader(items: &mut Vec<Item>, (from, to): (f64, f64), left: f64, baseline: f64, style: &crate::style::Style) {
    let c = &style.collection;
    let (pitch, dot) = (c.leader_pitch.0, c.leader_dot.0);
    if pitch <= 0.0 || dot <= 0.0 {
        return;
    }
    let mut x = (from / pitch).ceil() * pitch;
    let y = baseline - dot / 2.0;
    while x + dot <= to + 1e-6 {
        items.push(Item::Rule {
            from: (Pt(left + x), Pt(y)),
            to: (Pt(left + x + dot), Pt(y)),
            width: Pt(dot),
            colour: Rgb::BLACK,
        });
        x += pitch;
    }
}

/// One table row at `origin` (block left, row top): cell text, then its
/// rules (the top one only when no row of the table is right above).
/// Returns where each cell's items end.
fn draw_row(
    items: &mut Vec<Item>,
    shaper: &Shaper<'_>,
    t: &TableElement,
    row: &TableRow,
    origin: (f64, f64),
    width: f64,
    rule_on_top: bool,
) -> Vec<usize> {
    let (left, y) = origin;
    let mut ends = Vec::with_capacity(row.cells.len());
    for cell in &row.cells {
        for (k, line) in cell.lines.iter().enumerate() {
            let band_top = y + cell.top + k as f64 * t.pitch;
            push_line(items, line, left, band_top + shaper.baseline_in(t.pitch, t.size, cell.face), Rgb::BLACK);
        }
        ends.push(items.len());
    }
    let rule = |from: (f64, f64), to: (f64, f64)| Item::Rule {
        from: (Pt(from.0), Pt(from.1)),
        to: (Pt(to.0), Pt(to.1)),
        width: Pt(t.rule),
        colour: Rgb::BLACK,
    };
    let bottom = y + row.height;
    if rule_on_top {
        items.push(rule((left, y), (left + width, y)));
    }
    items.push(rule((left, bottom), (left + width, bottom)));
    for &(x, _) in &t.columns {
        items.push(rule((left + x, y), (left + x, bottom)));
    }
    items.push(rule((left + width, y), (left + width, bottom)));
    ends
}

/// "— N —" (GB/T 9704 §7.5): 14 pt half-width digits in 宋体 with a dash and
/// a space on each side; its top at `page_number_top()`; odd pages flush
/// right, even pages flush left, `inset_chars` characters in from the edge.
fn page_number(shaper: &mut Shaper<'_>, n: usize) -> Vec<Item> {
    let style = shaper.style();
    let pn = &style.page_number;
    let size = pn.size.0;
    let text = format!("{} {n} {}", pn.dash, pn.dash);
    let atoms: Vec<_> = shaper.shape_str(&text, Face::Songti, false, size).into_iter().flatten().collect();
    let total: f64 = atoms.iter().map(|a| a.width).sum();
    let inset = size * pn.inset_chars;
    let left = style.margin_left.pt().0;
    let x0 = if n % 2 == 1 { left + style.text_width().pt().0 - inset - total } else { left + inset };
    let baseline = style.page_number_top().pt().0 + shaper.baseline_in(size, size, Face::Songti);
    let mut line = SetLine::default();
    let mut x = 0.0;
    for a in atoms {
        line.glyphs.push(super::linebreak::SetGlyph { x, atom: a });
        x += a.width;
    }
    let mut items = Vec::new();
    push_line(&mut items, &line, x0, baseline, Rgb::BLACK);
    items
}
