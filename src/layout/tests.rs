//! Document-level layout tests on the fixed-width fake: the page as
//! check-pdf.py measures it (lines by baseline, 22 per page, margins,
//! title, page numbers) plus blocks, keeping together and determinism.

use std::path::Path;

use super::testing::FakeMetrics;
use super::*;
use crate::diag::{Code, Diags};
use crate::doc::{Block, Date, Document, Inline, Meta, Table};
use crate::style::Style;

fn style() -> Style {
    Style::gbt9704()
}

fn lay_with(doc: &Document, metrics: &FakeMetrics) -> (Pages, Diags) {
    layout_document(doc, &style(), metrics, Path::new("."))
}

fn lay(doc: &Document) -> Pages {
    let (pages, diags) = lay_with(doc, &FakeMetrics::default());
    assert!(diags.is_empty(), "{diags:?}");
    pages
}

/// A text line as a reader of the PDF sees it.
#[derive(Debug, Clone)]
struct Line {
    baseline: f64,
    size: f64,
    font: crate::fonts::FontId,
    text: String,
    x0: f64,
    /// Right end of the last glyph's set width.
    x1: f64,
}

/// Set width of a glyph in the fake: one cell for non-ASCII, half an em for ASCII.
fn set_width(ch: char, size: f64) -> f64 {
    let s = style();
    if ch.is_ascii() { size / 2.0 } else { s.char_pitch().0 * size / s.body_size.0 }
}

/// Lines of a page (runs merged by baseline), page number excluded.
fn lines(page: &Page) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let n = page.items.len();
    for item in &page.items[..n.saturating_sub(1)] {
        let Item::Text(run) = item else { continue };
        let (Some(first), Some(last)) = (run.glyphs.first(), run.glyphs.last()) else { continue };
        let text: String = run.glyphs.iter().map(|g| g.ch).collect();
        let x1 = last.x.0 + set_width(last.ch, run.size.0);
        match out.last_mut() {
            Some(l) if (l.baseline - run.baseline.0).abs() < 1e-9 => {
                l.text.push_str(&text);
                l.x1 = x1;
            }
            _ => out.push(Line { baseline: run.baseline.0, size: run.size.0, font: run.font, text, x0: first.x.0, x1 }),
        }
    }
    out
}

fn body_lines(page: &Page) -> Vec<Line> {
    lines(page).into_iter().filter(|l| (l.size - 16.0).abs() < 1e-9).collect()
}

fn han_from(base: u32, n: usize) -> String {
    (0..n).map(|i| char::from_u32(base + i as u32 % 400).unwrap_or('中')).collect()
}

fn para(text: impl Into<String>) -> Block {
    Block::Paragraph(vec![Inline::plain(text)])
}

fn heading(level: u8, number: &str, text: &str) -> Block {
    Block::Heading { level, number: Some(number.into()), content: vec![Inline::plain(text)] }
}

fn doc(blocks: Vec<Block>) -> Document {
    Document { meta: Meta::default(), blocks }
}

fn left() -> f64 {
    style().margin_left.pt().0
}
fn right() -> f64 {
    left() + style().text_width().pt().0
}
fn top() -> f64 {
    style().margin_top.pt().0
}
fn pitch() -> f64 {
    style().line_pitch().0
}
fn cell() -> f64 {
    style().char_pitch().0
}
/// Baseline of body row `r` with the fake's ascender (0.88 em).
fn row_baseline(r: u32) -> f64 {
    top() + f64::from(r) * pitch() + (pitch() - 16.0) / 2.0 + 0.88 * 16.0
}

#[test]
fn body_text_sits_on_the_22_line_grid() {
    // Paragraphs of 200 characters: 26 + 6 × 28 + 6, eight lines each.
    let blocks = (0..9).map(|k| para(han_from(0x4E00 + k * 400, 200))).collect();
    let pages = lay(&doc(blocks));
    assert!(pages.pages.len() >= 3);
    let mut full22 = 0;
    for (p, page) in pages.pages.iter().enumerate() {
        let ls = body_lines(page);
        for (r, l) in ls.iter().enumerate() {
            assert!((l.baseline - row_baseline(r as u32)).abs() < 1e-9, "page {p} line {r}");
            assert!(l.x0 >= left() - 1e-9 && l.x1 <= right() + 0.01, "page {p} line {r}: {}..{}", l.x0, l.x1);
        }
        if p + 1 < pages.pages.len() {
            assert!(ls.len() == 22 || ls.len() == 21, "page {p} holds {}", ls.len());
            full22 += usize::from(ls.len() == 22);
        }
    }
    assert!(full22 * 2 >= pages.pages.len() - 1);
    // Full lines: 28 characters (26 after the indent) ending on the right edge.
    let ls = body_lines(&pages.pages[0]);
    assert_eq!(ls[0].text.chars().count(), 26);
    assert!((ls[0].x0 - left() - 2.0 * cell()).abs() < 1e-9);
    assert_eq!(ls[1].text.chars().count(), 28);
    assert!((ls[1].x1 - right()).abs() < 0.01);
    // The lowest baseline stays inside the block.
    let last = body_lines(&pages.pages[0]).last().map(|l| l.baseline).unwrap_or_default();
    assert!(last <= top() + style().text_height().pt().0);
}

#[test]
fn title_is_centred_with_a_blank_row_under_it() {
    let mut d = doc(vec![para(han_from(0x4E00, 60))]);
    d.meta.title = vec!["青溪县政协2023年工作总结".into()];
    d.meta.subtitle = vec!["（2024年1月10日）".into()];
    d.meta.recipient = Some("各乡镇党委".into());
    let pages = lay(&d);
    let ls = lines(&pages.pages[0]);
    let title = &ls[0];
    assert!((title.size - 22.0).abs() < 1e-9);
    assert_eq!(title.text, "青溪县政协2023年工作总结");
    let centre = (title.x0 + title.x1) / 2.0;
    assert!(
        (centre - (left() + right()) / 2.0).abs() < 0.5,
        "title centre off by {}",
        centre - (left() + right()) / 2.0
    );
    // Row 0 title, row 1 subtitle (楷体), row 2 blank, row 3 主送机关 flush left.
    assert_eq!(ls[1].text, "（2024年1月10日）");
    assert_eq!(ls[1].font, crate::fonts::FontId(6));
    assert!((ls[2].baseline - row_baseline(3)).abs() < 1e-9);
    assert_eq!(ls[2].text, "各乡镇党委：");
    assert!((ls[2].x0 - left()).abs() < 1e-9);
}

#[test]
fn a_long_title_is_balanced_on_two_centred_lines() {
    let mut d = doc(vec![para("正文。")]);
    d.meta.title = vec!["中共青溪县委关于进一步加强和改进新时代人民政协工作的实施意见".into()];
    let pages = lay(&d);
    let ls: Vec<Line> = lines(&pages.pages[0]).into_iter().filter(|l| l.size > 20.0).collect();
    assert_eq!(ls.len(), 2);
    let counts: Vec<usize> = ls.iter().map(|l| l.text.chars().count()).collect();
    assert!(counts[0].abs_diff(counts[1]) <= 3, "{counts:?}");
    for l in &ls {
        assert!(((l.x0 + l.x1) / 2.0 - (left() + right()) / 2.0).abs() < 0.5);
    }
    // One title line per row.
    assert!((ls[1].baseline - ls[0].baseline - pitch()).abs() < 1e-9);
}

#[test]
fn headings_are_indented_in_their_face_and_outlined() {
    let d = doc(vec![
        heading(1, "一、", "总体情况"),
        para(han_from(0x4E00, 40)),
        heading(2, "（一）", "主要做法"),
        para(han_from(0x5000, 40)),
    ]);
    let pages = lay(&d);
    let ls = lines(&pages.pages[0]);
    assert_eq!(ls[0].text, "一、总体情况");
    assert_eq!(ls[0].font, crate::fonts::FontId(4), "黑体");
    assert!((ls[0].x0 - left() - 2.0 * cell()).abs() < 1e-9);
    assert_eq!(ls[3].text, "（一）主要做法");
    assert_eq!(ls[3].font, crate::fonts::FontId(6), "楷体");
    assert_eq!(pages.outline.len(), 2);
    assert_eq!(pages.outline[1].title, "（一）主要做法");
    assert_eq!(pages.outline[1].level, 2);
    assert_eq!(pages.outline[1].page, 0);
    assert!((pages.outline[1].top.0 - (top() + 3.0 * pitch())).abs() < 1e-9);
}

#[test]
fn level_three_bold_is_synthetic_without_a_bold_font() {
    let pages = lay(&doc(vec![heading(3, "1.", "加强学习"), para("内容。")]));
    let Some(Item::Text(run)) = pages.pages[0].items.first() else { panic!("no text") };
    assert!(run.fake_bold);
    let (pages, _) = lay_with(
        &doc(vec![heading(3, "1.", "加强学习"), para("内容。")]),
        &FakeMetrics { bold_fonts: true, ..FakeMetrics::default() },
    );
    let Some(Item::Text(run)) = pages.pages[0].items.first() else { panic!("no text") };
    assert!(!run.fake_bold);
}

#[test]
fn page_numbers_sit_under_the_block_odd_right_even_left() {
    let blocks = (0..8).map(|k| para(han_from(0x4E00 + k * 400, 200))).collect();
    let pages = lay(&doc(blocks));
    let s = style();
    let inset = s.page_number.size.0 * s.page_number.inset_chars;
    for (p, page) in pages.pages.iter().enumerate() {
        let Some(Item::Text(run)) = page.items.last() else { panic!("page {p}: number is not last") };
        let text: String = run.glyphs.iter().map(|g| g.ch).collect();
        assert_eq!(text, format!("— {} —", p + 1));
        // 4号半角宋体 (§7.5): the regular 宋体 face, not the heavy 标宋 of titles.
        use crate::fonts::Metrics;
        let metrics = FakeMetrics::default();
        let (songti, title) = (metrics.primary(crate::style::Face::Songti), metrics.primary(crate::style::Face::Song));
        assert!(run.font == songti && run.font != title && !run.fake_bold);
        assert!((run.size.0 - 14.0).abs() < 1e-9);
        assert!(run.baseline.0 > s.page_number_top().pt().0);
        let x0 = run.glyphs[0].x.0;
        let last = run.glyphs.last().unwrap();
        let x1 = last.x.0 + set_width('—', 14.0);
        if p % 2 == 0 {
            assert!((x1 - (right() - inset)).abs() < 1e-6, "page {} right end {x1}", p + 1);
        } else {
            assert!((x0 - (left() + inset)).abs() < 1e-6, "page {} left {x0}", p + 1);
        }
    }
}

#[test]
fn signature_centred_over_the_date_four_characters_in() {
    let mut d = doc(vec![para(han_from(0x4E00, 60))]);
    d.meta.signature = vec!["中共青溪县委员会".into()];
    d.meta.date = Some(Date { year: 2023, month: 4, day: 23 });
    let pages = lay(&d);
    let ls = lines(&pages.pages[0]);
    let n = ls.len();
    let (sig, date) = (&ls[n - 2], &ls[n - 1]);
    assert_eq!(date.text, "2023年4月23日");
    assert!((date.x1 - (right() - 4.0 * cell())).abs() < 1e-6);
    let c = |l: &Line| (l.x0 + l.x1) / 2.0;
    assert!((c(sig) - c(date)).abs() < 1e-6);
    // Two blank rows between the body and the signature.
    assert!((sig.baseline - ls[n - 3].baseline - 3.0 * pitch()).abs() < 1e-9);
}

#[test]
fn signature_page_also_bears_body_text() {
    // 20 full rows, then a closing block that cannot fit under them.
    let mut d = doc(vec![para(han_from(0x4E00, 26 + 19 * 28))]);
    d.meta.signature = vec!["青溪县政协".into()];
    d.meta.date = Some(Date { year: 2024, month: 1, day: 5 });
    let pages = lay(&d);
    assert_eq!(pages.pages.len(), 2);
    let second = lines(&pages.pages[1]);
    assert!(second.len() >= 3, "{second:?}");
    assert_ne!(second[0].text, "青溪县政协");
    assert!(second[0].text.chars().count() == 28, "body lines came along: {:?}", second[0].text);
}

#[test]
fn attachments_hang_under_the_first_name() {
    let mut d = doc(vec![para("正文。")]);
    d.meta.attachments =
        vec!["2023年度提案办理情况统计表".into(), format!("青溪县政协委员名单{}", han_from(0x4E00, 30))];
    let pages = lay(&d);
    let ls = lines(&pages.pages[0]);
    let first = ls.iter().position(|l| l.text.starts_with("附件：")).expect("附件说明");
    let label = set_width('附', 16.0) * 3.0;
    let number = set_width('1', 16.0) * 2.0;
    let name_x = left() + 2.0 * cell() + label + number;
    assert!((ls[first].x0 - left() - 2.0 * cell()).abs() < 1e-9);
    // Item 2: its number hangs, its name starts under the first name.
    assert!(ls[first + 1].text.starts_with("2."));
    assert!((ls[first + 1].x0 + number - name_x).abs() < 1e-9);
    // Its wrapped line starts under the name too, and the line above it is full.
    assert!((ls[first + 2].x0 - name_x).abs() < 1e-9);
    assert!((ls[first + 1].x1 - right()).abs() < 0.01);
    // One blank row under the body.
    assert!((ls[first].baseline - ls[first - 1].baseline - 2.0 * pitch()).abs() < 1e-9);
}

fn cells(texts: &[&str]) -> Vec<Vec<Inline>> {
    texts.iter().map(|t| vec![Inline::plain(*t)]).collect()
}

#[test]
fn a_table_crossing_a_page_repeats_its_header() {
    let table = Table {
        align: vec![],
        header: cells(&["提案名称", "件数"]),
        rows: (0..45).map(|i| cells(&[&format!("关于加强县域第{i}项工作的建议"), &format!("{i}")])).collect(),
        ..Default::default()
    };
    let d = doc(vec![para(han_from(0x4E00, 100)), Block::Table(table), para("表后正文。")]);
    let pages = lay(&d);
    assert!(pages.pages.len() >= 2);
    let second = lines(&pages.pages[1]);
    assert!(second[0].text.starts_with("提案名称"), "{:?}", second[0]);
    assert!((second[0].size - 14.0).abs() < 1e-9);
    assert_eq!(second[0].font, crate::fonts::FontId(4), "header in 黑体");
    // Numbers flush right in their cell.
    let rules = pages.pages[1].items.iter().filter(|i| matches!(i, Item::Rule { .. })).count();
    assert!(rules > 10);
    // Text after the table starts on a row of the grid.
    let last = pages.pages.last().unwrap();
    let after = body_lines(last).into_iter().find(|l| l.text == "表后正文。").expect("paragraph after the table");
    let r = ((after.baseline - row_baseline(0)) / pitch()).round();
    assert!((after.baseline - row_baseline(r as u32)).abs() < 1e-9);
}

#[test]
fn numbers_in_a_table_are_flush_right() {
    let table = Table {
        align: vec![],
        header: cells(&["项目", "金额"]),
        rows: vec![cells(&["经费", "12.5"])],
        ..Default::default()
    };
    let pages = lay(&doc(vec![Block::Table(table)]));
    let ls = lines(&pages.pages[0]);
    let row = ls.iter().find(|l| l.text.starts_with("经费")).expect("row");
    let (pad, _) = style().table_cell_padding();
    assert!((row.x1 - (right() - pad.0)).abs() < 1e-6, "{row:?}");
}

#[test]
fn table_columns_hold_their_numbers_and_short_headers() {
    // A narrow number column and a narrow unit column next to a long text
    // column: column widths by character counts gave "1234567" less room
    // than it needs (it was split digit by digit) and centred "单位" in a
    // cell a little wider than it, spread to "单  位".
    let long = han_from(0x4E00, 60);
    let rows: Vec<Vec<Vec<Inline>>> =
        (0..3).map(|i| cells(&[&format!("{i}"), &long, "个", &format!("{}", 1_234_567 + i)])).collect();
    let table =
        Table { align: vec![], header: cells(&["序号", "说明", "单位", "金额"]), rows, ..Default::default() };
    let pages = lay(&doc(vec![Block::Table(table)]));
    let glyphs: Vec<(char, f64, f64)> = pages.pages[0]
        .items
        .iter()
        .filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None })
        .filter(|r| (r.size.0 - 14.0).abs() < 1e-9)
        .flat_map(|r| r.glyphs.iter().map(move |g| (g.ch, g.x.0, r.baseline.0)))
        .collect();
    for n in ["1234567", "1234568", "1234569"] {
        let first = n.chars().next().unwrap();
        let on_one_line = glyphs.windows(n.len()).any(|w| {
            w.iter().map(|g| g.0).eq(n.chars()) && w.iter().all(|g| (g.2 - w[0].2).abs() < 1e-9) && w[0].0 == first
        });
        assert!(on_one_line, "{n} is split");
    }
    // Header cells are set solid: "单位" and "序号" with no gap between their characters.
    let cell14 = set_width('单', 14.0);
    for pair in [('单', '位'), ('序', '号')] {
        let a = glyphs.iter().find(|g| g.0 == pair.0).expect("first");
        let b = glyphs.iter().find(|g| g.0 == pair.1).expect("second");
        assert!((b.2 - a.2).abs() < 1e-9, "{pair:?} on one line");
        // Columns hold Word's widths (14 pt a character) and half a rule
        // each side, a hair over the PDF's: a centred header may spread by
        // that, never visibly.
        assert!((b.1 - a.1 - cell14).abs() < 1.0, "{pair:?} letter-spaced: {} → {}", a.1, b.1);
    }
}

#[test]
fn table_cells_break_between_words() {
    // A narrow column of office names next to a long one: the names wrap,
    // and never inside a word ("县农业农/村局" was set before).
    let names = ["县农业农村局", "县住房和城乡建设局", "县人力资源和社会保障局", "地区生产总值"];
    let note = han_from(0x4E00, 90);
    let rows: Vec<Vec<Vec<Inline>>> = names.iter().map(|n| cells(&[n, "12.5", "13.0", &note])).collect();
    let table =
        Table { align: vec![], header: cells(&["单位", "上年", "本年", "说明"]), rows, ..Default::default() };
    let pages = lay(&doc(vec![Block::Table(table)]));
    let runs: Vec<String> = pages.pages[0]
        .items
        .iter()
        .filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None })
        .filter(|r| (r.size.0 - 14.0).abs() < 1e-9)
        .map(|r| r.glyphs.iter().map(|g| g.ch).collect())
        .collect();
    let mut wrapped = 0;
    for name in names {
        let chars: Vec<char> = name.chars().collect();
        let inside = crate::words::inside_words(&chars);
        for run in runs.iter().filter(|r| !r.is_empty() && name.starts_with(r.as_str()) && r.as_str() != name) {
            wrapped += 1;
            let at = run.chars().count();
            assert!(!inside[at], "`{name}` broken inside a word after `{run}`: {runs:?}");
        }
    }
    assert!(wrapped >= 2, "the names wrap in this table: {runs:?}");
}

#[test]
fn newpage_starts_the_next_block_on_a_new_page() {
    let d = doc(vec![para("甲。"), Block::PageBreak, Block::PageBreak, para("乙。"), Block::PageBreak]);
    let pages = lay(&d);
    assert_eq!(pages.pages.len(), 2);
    assert_eq!(body_lines(&pages.pages[1])[0].text, "乙。");
    assert!((body_lines(&pages.pages[1])[0].baseline - row_baseline(0)).abs() < 1e-9);
}

#[test]
fn missing_characters_warn_once_per_document() {
    let d = doc(vec![para("甲𠀀乙。"), para("又见𠀀。")]);
    let (pages, diags) = lay_with(&d, &FakeMetrics::with_missing("𠀀"));
    assert_eq!(diags.0.len(), 1);
    assert_eq!(diags.0[0].code, Code::FontMissingGlyph);
    let ls = body_lines(&pages.pages[0]);
    assert_eq!(ls[0].text, "甲𠀀乙。");
}

#[test]
fn an_unreadable_image_is_an_error_not_a_panic() {
    let d = doc(vec![
        para("前。"),
        Block::Image { src: "no/such.png".into(), alt: "图".into(), caption: None },
        para("后。"),
    ]);
    let (pages, diags) = lay_with(&d, &FakeMetrics::default());
    assert!(diags.has_errors());
    assert_eq!(diags.0[0].code, Code::MarkupImage);
    assert_eq!(body_lines(&pages.pages[0]).len(), 2);
}

/// The signature and IHDR chunk of a `width` × `height` PNG: enough for
/// imagesize, which is all layout reads of an image.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    [
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'][..],
        &width.to_be_bytes(),
        &height.to_be_bytes(),
        &[8, 2, 0, 0, 0, 0, 0, 0, 0][..],
    ]
    .concat()
}

#[test]
fn an_image_is_centred_off_grid_and_the_next_line_snaps() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 960 × 480 px at 96 dpi is 720 × 360 pt.
    std::fs::write(dir.path().join("a.png"), png_header(960, 480)).expect("write");
    let d =
        doc(vec![para("前。"), Block::Image { src: "a.png".into(), alt: "图".into(), caption: None }, para("后。")]);
    let (pages, diags) = layout_document(&d, &style(), &FakeMetrics::default(), dir.path());
    assert!(diags.is_empty(), "{diags:?}");
    let img = pages.pages[0].items.iter().find_map(|i| match i {
        Item::Image { x, y, width, height, .. } => Some((x.0, y.0, width.0, height.0)),
        _ => None,
    });
    let (x, y, w, h) = img.expect("image item");
    let bw = style().text_width().pt().0;
    assert!((w - bw).abs() < 1e-9, "fitted to the block width");
    assert!((h - bw / 2.0).abs() < 1e-9);
    assert!((x - left()).abs() < 1e-9);
    assert!((y - (top() + pitch())).abs() < 1e-9);
    let after = body_lines(&pages.pages[0]).into_iter().find(|l| l.text == "后。").expect("line after");
    let row = ((after.baseline - row_baseline(0)) / pitch()).round() as u32;
    assert!(top() + f64::from(row) * pitch() >= y + h - 1e-9);
    assert!(top() + f64::from(row - 1) * pitch() < y + h);
}

#[test]
fn reading_order_and_determinism() {
    let mut d = doc(vec![
        heading(1, "一、", "总体情况"),
        Block::Paragraph(vec![
            Inline::bold("一是"),
            Inline::plain(han_from(0x4E00, 300)),
            Inline::LineBreak,
            Inline::plain("另起。"),
        ]),
        Block::List {
            ordered: true,
            start: 1,
            items: vec![vec![Inline::plain("第一项。")], vec![Inline::plain("第二项。")]],
        },
    ]);
    d.meta.title = vec!["标题".into()];
    let a = lay(&d);
    let b = lay(&d);
    assert_eq!(a, b);
    let text: String = a
        .pages
        .iter()
        .flat_map(|p| &p.items[..p.items.len() - 1])
        .filter_map(|i| match i {
            Item::Text(r) => Some(r.glyphs.iter().map(|g| g.ch).collect::<String>()),
            _ => None,
        })
        .collect();
    let want = format!("标题一、总体情况一是{}另起。1.第一项。2.第二项。", han_from(0x4E00, 300));
    assert_eq!(text, want);
}

// ---------------------------------------------------------------------------
// Widows and orphans: repaired by setting a paragraph a hair looser or
// tighter (run spacing the DOCX carries too) when that keeps the page full,
// else by ending the page early.

/// A paragraph of `lines` full lines (first indented) from its own characters.
fn full_lines(base: u32, lines: usize) -> String {
    han_from(base, 26 + 28 * (lines - 1))
}

fn paragraph_of(line: &Line, bases: &[u32]) -> usize {
    let c = u32::from(line.text.chars().next().unwrap_or('中'));
    bases.iter().rposition(|&b| c >= b).unwrap_or(0)
}

/// The run spacing changes the DOCX is told to give paragraphs.
fn spacings(d: &Document) -> Vec<((usize, usize), i64)> {
    crate::layout::word_hints(d, &style(), &FakeMetrics::default(), Path::new(".")).spacing
}

#[test]
fn an_orphan_is_avoided_by_a_looser_paragraph_above() {
    // P0: 21 full lines; P1 would leave its first line alone on row 22. P0
    // set one twip looser takes 27 characters a line, 22 lines: the page
    // stays full and P1 starts page 2.
    let bases = [0x4E00, 0x6000];
    let d = doc(vec![para(full_lines(bases[0], 21)), para(han_from(bases[1], 26 + 28 + 10))]);
    let pages = lay(&d);
    let p1 = body_lines(&pages.pages[0]);
    assert_eq!(p1.len(), 22, "the page stays full");
    assert!(p1.iter().all(|l| paragraph_of(l, &bases) == 0), "P0 took the last row");
    assert_eq!(p1[1].text.chars().count(), 27, "27 characters a line");
    assert_eq!(paragraph_of(&body_lines(&pages.pages[1])[0], &bases), 1);
    let looser = style().reflow_spacing_twips()[0];
    assert!(looser > 0);
    assert_eq!(spacings(&d), vec![((0, 0), looser)], "the DOCX sets P0 the same way");
}

#[test]
fn a_widow_is_avoided_by_a_tighter_paragraph() {
    // P0: 20 lines; P1: three lines, the last "甲。" — a widow on page 2.
    // Set tighter, the 41 digits of its second line give up enough room
    // for "甲。": two lines, the page full, and that line holds 28.5
    // characters of glyphs, the most a line may.
    let bases = [0x4E00, 0x6000];
    let digits = "1234567890".repeat(5)[..41].to_string();
    let p1 = format!("{}{digits}甲。", han_from(bases[1], 26 + 6));
    let d = doc(vec![para(full_lines(bases[0], 20)), para(p1.clone())]);
    let pages = lay(&d);
    assert_eq!(pages.pages.len(), 1, "the paragraph fits in two lines");
    let ls = body_lines(&pages.pages[0]);
    assert_eq!(ls.len(), 22);
    assert_eq!(ls[20].text.clone() + &ls[21].text, p1);
    let tighter = style().reflow_spacing_twips()[1];
    assert!(tighter < 0);
    assert_eq!(spacings(&d), vec![((1, 0), tighter)]);
}

#[test]
fn a_tighter_paragraph_never_holds_more_than_28_and_a_half_characters_a_line() {
    // As above with 44 digits: tighter, the line would hold 30 characters
    // of glyphs. Not tried: the page ends a line early instead.
    let bases = [0x4E00, 0x6000];
    let digits = "1234567890".repeat(5)[..44].to_string();
    let p1 = format!("{}{digits}甲。", han_from(bases[1], 26 + 6));
    let d = doc(vec![para(full_lines(bases[0], 20)), para(p1)]);
    assert!(spacings(&d).is_empty());
    let pages = lay(&d);
    assert_eq!(pages.pages.len(), 2);
    for line in pages.pages.iter().flat_map(body_lines) {
        let glyphs: f64 = line.text.chars().map(|c| set_width(c, 16.0) * 16.0 / style().char_pitch().0).sum();
        assert!(glyphs <= 16.0 * 28.5 + 1e-6, "{} holds {glyphs} pt", line.text);
    }
}

#[test]
fn a_heading_at_the_foot_of_a_page_goes_with_its_first_lines() {
    // The heading would take row 22 alone; no paragraph above can take or
    // give a row (short ones), so the page ends early.
    let mut blocks: Vec<Block> = (0..21).map(|k| para(han_from(0x4E00 + k * 20, 10))).collect();
    blocks.push(heading(1, "一、", "标题"));
    blocks.push(para(han_from(0x6000, 26 + 28 + 14)));
    let d = doc(blocks);
    let pages = lay(&d);
    assert_eq!(body_lines(&pages.pages[0]).len(), 21, "the page ends before the heading");
    assert_eq!(body_lines(&pages.pages[1])[0].text, "一、标题");
    assert!(spacings(&d).is_empty());
}

/// Deterministic pseudo-random documents: LCG (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn generated_document(seed: u64, blocks: usize) -> Document {
    let mut rng = Lcg(seed);
    let marks = ["，", "。", "、", "；", "“", "”", "（", "）"];
    let mut out = Vec::new();
    for b in 0..blocks {
        if rng.next().is_multiple_of(6) {
            out.push(heading(
                1 + (rng.next() % 2) as u8,
                "一、",
                &han_from(0x4E00 + b as u32, 4 + (rng.next() % 10) as usize),
            ));
        }
        let len = 20 + rng.next() % 300;
        let mut s = String::new();
        for i in 0..len {
            if rng.next().is_multiple_of(9) {
                s.push_str(marks[(rng.next() % marks.len() as u64) as usize]);
            } else {
                s.push(char::from_u32(0x4E00 + (i as u32 * 13 + b as u32) % 3000).unwrap_or('中'));
            }
        }
        s.push('。');
        out.push(para(s));
    }
    doc(out)
}

#[test]
fn most_full_pages_hold_22_lines() {
    let (mut pages_total, mut short, mut pages_full) = (0, 0, 0);
    for seed in 1..=20u64 {
        let d = generated_document(seed, 40);
        let pages = lay(&d);
        let n = pages.pages.len();
        for (p, page) in pages.pages.iter().enumerate() {
            let ls = body_lines(page);
            assert!(ls.len() <= 22);
            if p + 1 == n {
                continue;
            }
            pages_total += 1;
            match ls.len() {
                22 => pages_full += 1,
                21 => short += 1,
                _ => {}
            }
            // Every line on the grid, no glyph outside the block.
            for l in &ls {
                assert!(l.x0 >= left() - 1e-9 && l.x1 <= right() + 0.01);
            }
        }
    }
    eprintln!(
        "generated documents: {pages_total} pages before the last, {pages_full} hold 22 lines, {short} end one row early"
    );
    assert!(pages_full * 2 >= pages_total);
}

#[test]
fn a_table_row_taller_than_a_page_warns_and_splits() {
    let long = han_from(0x4E00, 2000);
    let table = Table {
        align: vec![],
        header: cells(&["说明"]),
        rows: vec![vec![vec![Inline::plain(long.clone())]]],
        ..Default::default()
    };
    let (pages, diags) = lay_with(&doc(vec![Block::Table(table)]), &FakeMetrics::default());
    assert_eq!(diags.0.len(), 1);
    assert_eq!(diags.0[0].code, Code::LayoutOverflow);
    assert!(pages.pages.len() >= 2);
    // Every page starts with the repeated header; all the text is there, in order.
    let mut text = String::new();
    for page in &pages.pages {
        let ls = lines(page);
        assert_eq!(ls[0].text, "说明");
        for l in &ls[1..] {
            text.push_str(&l.text);
        }
        // Nothing below the block.
        let bottom = style().margin_top.pt().0 + style().text_height().pt().0;
        assert!(ls.iter().all(|l| l.baseline < bottom));
    }
    assert_eq!(text, long);
}

#[test]
fn a_heading_stays_with_the_table_under_it() {
    let table = Table {
        align: vec![],
        header: cells(&["类别", "件数"]),
        rows: vec![cells(&["经济", "3"])],
        ..Default::default()
    };
    let d = doc(vec![para(full_lines(0x4E00, 20)), heading(1, "二、", "办理情况"), Block::Table(table)]);
    let pages = lay(&d);
    assert_eq!(pages.pages.len(), 2);
    assert_eq!(body_lines(&pages.pages[0]).len(), 20);
    assert_eq!(lines(&pages.pages[1])[0].text, "二、办理情况");
}

#[test]
fn a_table_caption_is_centred_above_the_table_and_stays_with_it() {
    let table = || Table {
        header: cells(&["类别", "件数"]),
        rows: vec![cells(&["经济", "3"]), cells(&["合计", "3"])],
        caption: Some("表1 提案分类情况".into()),
        unit: Some("单位：件".into()),
        ..Default::default()
    };
    // Whatever fills the page before it, the caption and the unit line are
    // on the page of the header, directly above it.
    for filler in 15..22 {
        let d = doc(vec![para(full_lines(0x4E00, filler)), Block::Table(table())]);
        let pages = lay(&d);
        let page = pages.pages.iter().find(|p| lines(p).iter().any(|l| l.text == "类别件数")).expect("header");
        let ls = lines(page);
        let at = ls.iter().position(|l| l.text == "类别件数").expect("header line");
        assert!(at >= 2, "filler {filler}: {:?}", ls.iter().map(|l| &l.text).collect::<Vec<_>>());
        let (caption, unit) = (&ls[at - 2], &ls[at - 1]);
        assert_eq!((caption.text.as_str(), unit.text.as_str()), ("表1 提案分类情况", "单位：件"));
        assert!(((caption.x0 + caption.x1) / 2.0 - (left() + right()) / 2.0).abs() < 0.5, "centred");
        assert!((unit.x1 - right()).abs() < 0.5, "unit flush right: {} vs {}", unit.x1, right());
        // The 合计 label is centred in its column, 经济 starts at its left.
        let total = ls.iter().find(|l| l.text.starts_with("合计")).expect("total row");
        let first = ls.iter().find(|l| l.text.starts_with("经济")).expect("row");
        assert!(total.x0 > first.x0 + 1.0, "合计 centred: {} vs {}", total.x0, first.x0);
    }
}

#[test]
fn author_title_lines_are_kept_each_centred() {
    let mut d = doc(vec![para("正文。")]);
    d.meta.title = vec!["中共青溪县委".into(), "关于加强政协工作的意见".into()];
    let pages = lay(&d);
    let ls: Vec<Line> = lines(&pages.pages[0]).into_iter().filter(|l| l.size > 20.0).collect();
    assert_eq!(ls.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(), vec!["中共青溪县委", "关于加强政协工作的意见"]);
    for l in &ls {
        assert!(((l.x0 + l.x1) / 2.0 - (left() + right()) / 2.0).abs() < 0.5);
    }
}

#[test]
fn italic_runs_are_set_in_kai() {
    let d = doc(vec![Block::Paragraph(vec![
        Inline::plain("甲"),
        Inline::Text { text: "乙".into(), style: crate::doc::RunStyle { bold: false, italic: true } },
        Inline::plain("丙。"),
    ])]);
    let pages = lay(&d);
    let fonts: Vec<u32> = pages.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) if (r.size.0 - 16.0).abs() < 1e-9 => Some(r.font.0),
            _ => None,
        })
        .collect();
    assert_eq!(fonts, vec![2, 6, 2], "仿宋, 楷体, 仿宋");
}

#[test]
fn a_very_long_paragraph_lays_out() {
    let text: String = (0..12_000)
        .map(|i| if i % 37 == 36 { '，' } else { char::from_u32(0x4E00 + i % 3000).unwrap_or('中') })
        .collect();
    let pages = lay(&doc(vec![para(text.clone()), para("结束。")]));
    let all: String = pages.pages.iter().flat_map(body_lines).map(|l| l.text).collect();
    assert_eq!(all, format!("{text}结束。"));
}

#[test]
fn a_caption_is_centred_under_its_image_on_the_same_page() {
    let url = crate::chart::ChartSpec::sample_url();
    let image = Block::Image { src: url, alt: "图1".into(), caption: Some("图1 构成".into()) };
    for before in [0, 10, 11, 12, 13] {
        let mut blocks: Vec<Block> = (0..before).map(|i| para(format!("第{i}段。"))).collect();
        blocks.push(image.clone());
        let (pages, diags) = layout_document(&doc(blocks), &style(), &FakeMetrics::default(), Path::new("."));
        assert!(diags.is_empty(), "{diags:?}");
        let page_of_image = pages
            .pages
            .iter()
            .position(|p| p.items.iter().any(|i| matches!(i, Item::Image { .. })))
            .expect("image placed");
        let caption = body_lines(&pages.pages[page_of_image]).into_iter().find(|l| l.text == "图1 构成");
        let caption = caption.unwrap_or_else(|| panic!("{before} paragraphs: the caption is on the image's page"));
        let centre = left() + style().text_width().pt().0 / 2.0;
        assert!(((caption.x0 + caption.x1) / 2.0 - centre).abs() < 16.0, "{before}: centred, {caption:?}");
    }
}

#[test]
fn marks_give_each_page_its_structure() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.png"), png_header(96, 48)).expect("write");
    let table = Table {
        align: vec![],
        header: cells(&["提案名称", "件数"]),
        rows: (0..45).map(|i| cells(&[&format!("关于加强县域第{i}项工作的建议"), &format!("{i}")])).collect(),
        ..Default::default()
    };
    let d = doc(vec![
        heading(1, "一、", "总体情况"),
        para(han_from(0x4E00, 60)),
        Block::Image { src: "a.png".into(), alt: "图1 分类".into(), caption: None },
        Block::Table(table),
    ]);
    let (pages, diags) = layout_document(&d, &style(), &FakeMetrics::default(), dir.path());
    assert!(!diags.has_errors(), "{diags:?}");
    assert!(pages.pages.len() >= 2, "the table crosses a page");
    for page in &pages.pages {
        // In item order, without overlap, inside the page.
        for w in page.marks.windows(2) {
            assert!(w[0].items.end <= w[1].items.start, "{:?}", page.marks);
        }
        assert!(page.marks.iter().all(|m| !m.items.is_empty() && m.items.end <= page.items.len()));
        // Rules and the page number are left unmarked.
        let marked = |i: usize| page.marks.iter().any(|m| m.items.contains(&i));
        for (i, item) in page.items.iter().enumerate() {
            if matches!(item, Item::Rule { .. }) {
                assert!(!marked(i), "a rule is decoration");
            }
        }
        assert!(!marked(page.items.len() - 1), "the page number is decoration");
    }
    let first = &pages.pages[0].marks;
    // The heading (the document's title is level 1, so 一、 is level 2), one
    // paragraph for all its lines, the figure with its alt text.
    assert!(matches!(first[0].node, Node::Heading { level: 2, .. }), "{first:?}");
    assert!(matches!(first[1].node, Node::Paragraph { .. }) && first[1].items.len() >= 2, "{first:?}");
    assert!(first.iter().any(|m| m.node == Node::Figure { block: m.node.block(), alt: "图1 分类".into() }));
    let cells_of = |p: &Page| -> Vec<(usize, usize, bool)> {
        p.marks
            .iter()
            .filter_map(|m| match m.node {
                Node::Cell { row, cell, header, .. } => Some((row, cell, header)),
                _ => None,
            })
            .collect()
    };
    let on_first = cells_of(&pages.pages[0]);
    assert_eq!(&on_first[..2], &[(0, 0, true), (0, 1, true)], "the header row's cells");
    assert!(on_first[2..].iter().all(|&(row, _, header)| row > 0 && !header));
    // The header repeated on the next page is not in the structure twice.
    let on_second = cells_of(&pages.pages[1]);
    assert!(on_second.iter().all(|&(row, _, header)| row > 0 && !header), "{on_second:?}");
}
