//! Pagination tests on synthetic flows: row counts per page and where the
//! breaks fall, independent of fonts.

use super::*;
use crate::layout::table::{TableElement, TableRow};

fn grid() -> Grid {
    let style = crate::style::Style::gbt9704();
    Grid { pitch: style.line_pitch().0, rows: style.lines_per_page, height: style.text_height().pt().0 }
}

fn text(role: Role, n: usize) -> Element {
    Element::Text(TextElement {
        role,
        rows_per_line: 1,
        size: 16.0,
        face: Face::Fang,
        lines: vec![SetLine::default(); n],
        reflow: None,
        extra_spacing: 0,
        source: None,
    })
}

fn body(n: usize) -> Element {
    text(Role::Body, n)
}

fn heading() -> Element {
    text(Role::Heading { level: 1, title: "一、".into() }, 1)
}

/// Per page: (element, line) of every placed unit.
fn layout(mut elements: Vec<Element>) -> Vec<Vec<(usize, usize)>> {
    let plan = paginate(&mut elements, grid());
    plan.pages.iter().map(|p| p.iter().map(|pl| (pl.elem, pl.index)).collect()).collect()
}

fn rows_used(page: &[(usize, usize)]) -> usize {
    page.len()
}

#[test]
fn every_page_holds_22_rows() {
    let pages = layout(vec![body(50)]);
    assert_eq!(pages.iter().map(|p| rows_used(p)).collect::<Vec<_>>(), vec![22, 22, 6]);
    let mut elements = vec![body(50)];
    let plan = paginate(&mut elements, grid());
    for page in &plan.pages {
        for (k, pl) in page.iter().enumerate() {
            assert_eq!(pl.spot, Spot::Line { row: k as u32 });
        }
    }
}

#[test]
fn a_widow_pulls_one_line_over() {
    // 23 lines: one would be alone on page 2.
    let pages = layout(vec![body(23)]);
    assert_eq!(pages.iter().map(|p| rows_used(p)).collect::<Vec<_>>(), vec![21, 2]);
}

#[test]
fn an_orphan_goes_to_the_next_page() {
    let pages = layout(vec![body(21), body(5)]);
    assert_eq!(pages[0].len(), 21);
    assert_eq!(pages[1][0], (1, 0));
    // A two-line paragraph moves whole.
    let pages = layout(vec![body(21), body(2)]);
    assert_eq!(pages[0].len(), 21);
    assert_eq!(pages[1], vec![(1, 0), (1, 1)]);
}

#[test]
fn a_heading_never_ends_a_page() {
    // The heading would sit on the last row.
    let pages = layout(vec![body(21), heading(), body(5)]);
    assert_eq!(pages[0].len(), 21);
    assert_eq!(pages[1][0], (1, 0));
    // One row left after it: the paragraph's first line would be an
    // orphan, so the heading goes with its first two lines.
    let pages = layout(vec![body(20), heading(), body(5)]);
    assert_eq!(pages[0].len(), 20);
    assert_eq!(&pages[1][..3], &[(1, 0), (2, 0), (2, 1)]);
    // Three rows left: heading and two lines stay, the page is full.
    let pages = layout(vec![body(19), heading(), body(5)]);
    assert_eq!(pages[0].len(), 22);
    assert_eq!(pages[1].len(), 3);
}

#[test]
fn headings_in_a_row_stay_together() {
    let pages = layout(vec![body(20), heading(), heading(), body(4)]);
    assert_eq!(pages[0].len(), 20);
    assert_eq!(pages[1][0], (1, 0));
}

#[test]
fn the_signature_block_takes_body_text_with_it() {
    // Closing: 2 blank rows, signature, date, 2 rows of room for the seal.
    let closing = text(Role::Closing, 6);
    let pages = layout(vec![body(20), closing]);
    // The block does not fit after 20 lines; the last two lines of the
    // paragraph (not one: that would be a widow) go with it.
    assert_eq!(pages[0].len(), 18);
    assert_eq!(pages[1].first(), Some(&(0, 18)));
    assert!(pages[1].contains(&(1, 5)));
}

#[test]
fn blank_rows_never_start_a_page() {
    let pages = layout(vec![body(22), Element::Gap(1), body(3)]);
    assert_eq!(pages[1][0], (2, 0));
    let mut elements = vec![body(22), Element::Gap(1), body(3)];
    let plan = paginate(&mut elements, grid());
    assert_eq!(plan.pages[1][0].spot, Spot::Line { row: 0 });
}

#[test]
fn newpage_starts_a_page_once() {
    let pages = layout(vec![body(3), Element::PageBreak, Element::PageBreak, body(3), Element::PageBreak]);
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1][0], (3, 0));
    let pages = layout(vec![Element::PageBreak, body(3)]);
    assert_eq!(pages.len(), 1);
    // A break exactly at the foot of a full page adds no blank page.
    let pages = layout(vec![body(22), Element::PageBreak, body(3)]);
    assert_eq!(pages.len(), 2);
}

fn table(rows: usize, height: f64) -> Element {
    let row = TableRow { height, cells: vec![] };
    Element::Table(TableElement {
        columns: vec![(0.0, 100.0)],
        rows: vec![row; rows + 1],
        header: true,
        size: 14.0,
        pitch: 17.5,
        rule: 0.5,
    })
}

#[test]
fn a_table_crossing_a_page_repeats_its_header() {
    let mut elements = vec![body(3), table(40, 30.0), body(2)];
    let plan = paginate(&mut elements, grid());
    assert!(plan.pages.len() >= 2);
    let second = &plan.pages[1];
    assert_eq!(second[0].spot, Spot::TableRow { y: 0.0, repeated: true });
    assert_eq!(second[0].index, 0);
    assert!(matches!(second[1].spot, Spot::TableRow { repeated: false, .. }));
    // The line after the table snaps to the next whole row.
    let last = plan.pages.last().and_then(|p| p.iter().find(|pl| pl.elem == 2)).copied();
    let Some(Placed { spot: Spot::Line { row }, .. }) = last else { panic!("no line after the table") };
    let rows_before: Vec<f64> = plan
        .pages
        .last()
        .into_iter()
        .flatten()
        .filter_map(|pl| match pl.spot {
            Spot::TableRow { y, .. } => Some(y + 30.0),
            _ => None,
        })
        .collect();
    let table_end = rows_before.iter().copied().fold(0.0, f64::max);
    assert!(f64::from(row) * grid().pitch >= table_end - 1e-6);
    assert!(f64::from(row - 1) * grid().pitch < table_end);
}

#[test]
fn a_header_never_ends_a_page_alone() {
    // 21 rows of text leave room for the header only.
    let mut elements = vec![body(21), table(3, 25.0)];
    let plan = paginate(&mut elements, grid());
    assert!(plan.pages[0].iter().all(|pl| pl.elem == 0));
    assert_eq!(plan.pages[1][0].index, 0);
    assert_eq!(plan.pages[1][1].index, 1);
}

#[test]
fn attachments_stay_with_the_signature_block_and_body_text() {
    let closing = text(Role::Closing, 6);
    let pages = layout(vec![body(18), Element::Gap(1), text(Role::Attachment, 1), text(Role::Attachment, 1), closing]);
    // 18 + 1 + 2 + 6 rows do not fit: the block, the 附件说明 and the last
    // two body lines (one would be a widow) start page 2.
    assert_eq!(pages[0].len(), 16);
    assert_eq!(pages[1][0], (0, 16));
    assert!(pages[1].contains(&(2, 0)) && pages[1].contains(&(4, 5)));
    // Without a signature block the 附件说明 may be split from the body.
    let pages = layout(vec![body(21), Element::Gap(1), text(Role::Attachment, 1), text(Role::Attachment, 1)]);
    assert_eq!(pages[0].len(), 21);
    assert_eq!(pages[1][0], (2, 0));
}

#[test]
fn a_table_never_carries_its_last_row_alone() {
    // 16 rows of text leave room for the header and five of six rows: the
    // last one (a 合计, say) would be alone under a repeated header.
    let mut elements = vec![body(16), table(6, 25.0)];
    let plan = paginate(&mut elements, grid());
    let rows = |p: usize| -> Vec<usize> {
        plan.pages[p].iter().filter(|pl| pl.elem == 1).map(|pl| pl.index).collect::<Vec<_>>()
    };
    assert_eq!(rows(0), vec![0, 1, 2, 3, 4], "header and the first four rows stay");
    assert_eq!(rows(1), vec![0, 5, 6], "repeated header, then the last two rows together");
    // A two-row table is kept whole.
    let mut elements = vec![body(20), table(2, 25.0)];
    let plan = paginate(&mut elements, grid());
    assert!(plan.pages[0].iter().all(|pl| pl.elem == 0));
    assert!(matches!(plan.pages[1][0].spot, Spot::TableRow { repeated: false, .. }));
}

#[test]
fn a_table_never_leaves_one_row_alone_at_the_foot_of_a_page() {
    // 20 rows of text leave room for the header and one row only: a lone
    // first row under its header is an orphan, so the table starts page 2.
    let mut elements = vec![body(20), table(6, 25.0)];
    let plan = paginate(&mut elements, grid());
    assert!(plan.pages[0].iter().all(|pl| pl.elem == 0));
    assert!(matches!(plan.pages[1][0].spot, Spot::TableRow { repeated: false, .. }));
    // With room for two rows, the table starts at the foot of page 1.
    let mut elements = vec![body(19), table(6, 25.0)];
    let plan = paginate(&mut elements, grid());
    let first: Vec<usize> = plan.pages[0].iter().filter(|pl| pl.elem == 1).map(|pl| pl.index).collect();
    assert_eq!(first, vec![0, 1, 2]);
    // A three-row table that could leave only one row behind moves whole.
    let mut elements = vec![body(19), table(3, 25.0)];
    let plan = paginate(&mut elements, grid());
    assert!(plan.pages[0].iter().all(|pl| pl.elem == 0));
}
