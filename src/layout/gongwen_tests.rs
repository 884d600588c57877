//! The 公文's 版头, 版记 and 附件 pages as the PDF places them, on the
//! fixed-width fake: positions in millimetres from the page's top-left
//! corner, as check-gongwen.py measures them.

use std::path::Path;

use super::testing::FakeMetrics;
use super::*;
use crate::doc::{Block, Date, Document, Inline, Meta};
use crate::fonts::Metrics;
use crate::style::{Rgb, Style};

const MM: f64 = 72.0 / 25.4;

fn notice(paragraphs: usize, attachments: &[&str]) -> Document {
    let mut blocks: Vec<Block> =
        (0..paragraphs).map(|i| Block::Paragraph(vec![Inline::plain(format!("第{i}段正文内容。"))])).collect();
    for a in attachments {
        blocks.push(Block::Attachment { title: a.to_string() });
        blocks.push(Block::Paragraph(vec![Inline::plain("附件正文。")]));
    }
    Document {
        meta: Meta {
            title: vec!["关于开展提案办理情况回头看的通知".into()],
            recipient: Some("各承办单位".into()),
            copy_no: Some("000031".into()),
            secrecy: Some("秘密★1年".into()),
            issuer: vec!["青溪县政协办公室".into()],
            doc_no: Some("青政协办发〔2023〕21号".into()),
            date: Date::parse("2023-12-15"),
            cc: vec!["县委办公室".into(), "县政府办公室".into()],
            ..Meta::default()
        },
        blocks,
    }
}

fn lay(doc: &Document) -> Pages {
    let (pages, diags) = layout_document(doc, &Style::gbt9704(), &FakeMetrics::default(), Path::new("."));
    assert!(diags.is_empty(), "{diags:?}");
    pages
}

fn runs(page: &Page) -> impl Iterator<Item = &TextRun> {
    page.items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None })
}

fn text(r: &TextRun) -> String {
    r.glyphs.iter().map(|g| g.ch).collect()
}

/// (y, width, thickness, colour) of every rule of a page, in mm.
fn rules(page: &Page) -> Vec<(f64, f64, f64, Rgb)> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Rule { from, to, width, colour } => {
                Some((from.1.0 / MM, (to.0.0 - from.0.0) / MM, width.0 / MM, *colour))
            }
            _ => None,
        })
        .collect()
}

fn has_page_number(page: &Page, n: usize) -> bool {
    runs(page).any(|r| text(r).replace(' ', "") == format!("—{n}—"))
}

#[test]
fn head_mark_doc_no_and_red_rule_stand_where_gbt9704_puts_them() {
    let pages = lay(&notice(3, &[]));
    let style = Style::gbt9704();
    let p1 = &pages.pages[0];
    let red = style.gongwen.red;
    // 份号 and 密级 flush left on the first two rows.
    let copy = runs(p1).find(|r| text(r) == "000031").expect("份号");
    assert!((copy.glyphs[0].x.0 / MM - 28.0).abs() < 0.01);
    let secrecy = runs(p1).find(|r| text(r) == "秘密★1年").expect("密级");
    assert!((secrecy.baseline.0 - copy.baseline.0 - style.line_pitch().0).abs() < 1e-6);
    // The mark: red, its em box top 35 mm under the block top, centred.
    let mark = runs(p1).find(|r| r.colour == red).expect("a red run");
    assert_eq!(text(mark), "青溪县政协办公室文件");
    let top = (mark.baseline.0 - mark.size.0 * 0.88) / MM;
    assert!((top - 72.0).abs() < 0.05, "mark top {top} mm");
    let n = text(mark).chars().count() as f64;
    let cell = style.char_pitch().0 * mark.size.0 / style.body_size.0;
    let centre = (mark.glyphs[0].x.0 + n * cell / 2.0) / MM;
    assert!((centre - 106.0).abs() < 0.05, "mark centre {centre}");
    // 发文字号 black and centred; the red rule 4 mm under its em box, block wide.
    let doc_no = runs(p1).find(|r| text(r).contains('〔')).expect("发文字号");
    assert_eq!(doc_no.colour, Rgb::BLACK);
    let em_bottom = (doc_no.baseline.0 - 16.0 * 0.88 + 16.0) / MM;
    let (y, width, thick, colour) = rules(p1)[0];
    assert_eq!(colour, red);
    assert!((width - 156.0).abs() < 0.01);
    assert!((y - thick / 2.0 - em_bottom - 4.0).abs() < 0.05, "rule {y} mm, 发文字号 bottom {em_bottom} mm");
    // The title starts on the grid, two rows under the rule.
    let title = runs(p1).find(|r| r.size.0 == 22.0).expect("title");
    assert!(title.baseline.0 / MM > y + 2.0 * style.line_pitch().0 / MM);
}

#[test]
fn imprint_goes_to_the_foot_of_an_even_last_page_between_rules() {
    // One page of text: the 版记 gets page 2 of its own, without a number.
    let pages = lay(&notice(1, &[]));
    assert_eq!(pages.pages.len(), 2);
    assert!(has_page_number(&pages.pages[0], 1));
    assert!(!has_page_number(&pages.pages[1], 2), "no number on the 版记 page");
    let last = &pages.pages[1];
    let lines: Vec<String> = runs(last).map(text).collect();
    assert_eq!(lines, ["抄送：县委办公室，县政府办公室。", "青溪县政协办公室2023年12月15日印发"]);
    let yinfa = runs(last).find(|r| text(r).ends_with("印发")).expect("印发");
    assert!((yinfa.glyphs[0].x.0 / MM - (28.0 + 4.87)).abs() < 0.1, "印发机关 one character in");
    assert_eq!(yinfa.size.0, 14.0);
    // On the block's last row, one 14 pt character in from the right.
    assert!(yinfa.baseline.0 / MM > 262.0 - Style::gbt9704().line_pitch().0 / MM);
    let end = yinfa.glyphs.last().map(|g| g.x.0).unwrap_or_default() + 14.0 * 15.79 / 16.0;
    assert!((end / MM - (184.0 - 4.87)).abs() < 0.1, "印发日期 ends {}", end / MM);
    let r = rules(last);
    let thick: Vec<f64> = r.iter().map(|r| (r.2 * 100.0).round() / 100.0).collect();
    assert_eq!(thick, [0.35, 0.25, 0.35]);
    assert!(r.iter().all(|r| (r.1 - 156.0).abs() < 0.01 && r.3 == Rgb::BLACK));
    assert!(r[2].0 <= 262.0 + 1e-6, "the last rule stays inside the block");
}

#[test]
fn a_full_even_last_page_gets_a_blank_page_before_the_imprint() {
    // For some length of text, the text ends on a full even page: then a
    // blank page and the 版记 page follow, neither numbered; for every
    // length the page count is even and the 版记 is on the last page.
    let mut blank_seen = false;
    for paragraphs in 20..60 {
        let pages = lay(&notice(paragraphs, &[]));
        let n = pages.pages.len();
        assert_eq!(n % 2, 0, "{paragraphs} paragraphs: {n} pages");
        let last = &pages.pages[n - 1];
        assert!(runs(last).any(|r| text(r).starts_with("抄送")), "{paragraphs}: 版记 on the last page");
        let before = &pages.pages[n - 2];
        if before.items.is_empty() {
            blank_seen = true;
            assert!(!has_page_number(last, n));
        }
    }
    assert!(blank_seen, "no length gave a blank page before the 版记");
}

#[test]
fn attachments_start_pages_with_label_and_title_after_the_signature() {
    let doc = notice(2, &["统计表", "回执"]);
    let pages = lay(&doc);
    let first_lines = |p: &Page| runs(p).map(text).take(2).collect::<Vec<_>>();
    let p2 = &pages.pages[1];
    assert_eq!(first_lines(p2), ["附件1", "统计表"]);
    let label = runs(p2).next().expect("label");
    assert!((label.glyphs[0].x.0 / MM - 28.0).abs() < 0.01, "flush left");
    assert_eq!(label.font, FakeMetrics::default().primary(crate::style::Face::Hei));
    let title = runs(p2).nth(1).expect("title");
    let row = |r: &TextRun| ((r.baseline.0 - 37.0 * MM) / Style::gbt9704().line_pitch().0).floor();
    assert_eq!((row(label), row(title)), (0.0, 2.0), "label on the first row, title on the third");
    assert_eq!(first_lines(&pages.pages[2]), ["附件2", "回执"]);
    // The date (成文日期) is on page 1, before the attachments.
    assert!(runs(&pages.pages[0]).any(|r| text(r) == "2023年12月15日"));
    // Page numbers run on through the attachments.
    assert!(has_page_number(&pages.pages[2], 3));
}

#[test]
fn signers_put_the_doc_no_left_and_the_signer_right_on_one_line() {
    let mut doc = notice(1, &[]);
    doc.meta.signers = vec!["张三".into()];
    let pages = lay(&doc);
    let p1 = &pages.pages[0];
    let doc_no = runs(p1).find(|r| text(r).contains('〔')).expect("发文字号");
    let name = runs(p1).find(|r| text(r) == "张三").expect("签发人");
    assert_eq!(doc_no.baseline, name.baseline);
    let cell = Style::gbt9704().char_pitch().0;
    assert!((doc_no.glyphs[0].x.0 - (28.0 * MM + cell)).abs() < 0.01, "one character in");
    let end = name.glyphs.last().expect("glyph").x.0 + cell;
    assert!((end - (184.0 * MM - cell)).abs() < 0.01, "ends one character in");
    assert_eq!(name.font, FakeMetrics::default().primary(crate::style::Face::Kai));
}

#[test]
fn unsealed_signature_and_note() {
    let mut doc = notice(1, &[]);
    doc.meta.seal = Some(false);
    doc.meta.note = Some("此件公开发布".into());
    let pages = lay(&doc);
    let p1 = &pages.pages[0];
    let cell = Style::gbt9704().char_pitch().0;
    let sig = runs(p1).find(|r| text(r) == "青溪县政协办公室").expect("署名");
    let date = runs(p1).find(|r| text(r) == "2023年12月15日").expect("date");
    // The date is the longer: it ends two characters in, the 署名 starts two characters left of it.
    let date_end = date.glyphs.last().expect("glyph").x.0 + cell;
    assert!((date_end - (184.0 * MM - 2.0 * cell)).abs() < 0.5, "date ends {}", date_end / MM);
    assert!((date.glyphs[0].x.0 - sig.glyphs[0].x.0 - 2.0 * cell).abs() < 0.01);
    let note = runs(p1).find(|r| text(r) == "（此件公开发布）").expect("附注");
    assert!((note.glyphs[0].x.0 - (28.0 * MM + 2.0 * cell)).abs() < 0.01);
    assert!((note.baseline.0 - date.baseline.0 - Style::gbt9704().line_pitch().0).abs() < 1e-6);
}

#[test]
fn a_material_has_no_head_and_no_imprint() {
    let mut doc = notice(1, &[]);
    doc.meta = Meta { title: doc.meta.title.clone(), cc: doc.meta.cc.clone(), ..Meta::default() };
    let pages = lay(&doc);
    assert_eq!(pages.pages.len(), 1);
    assert!(pages.pages.iter().flat_map(runs).all(|r| r.colour == Rgb::BLACK));
    assert!(!pages.pages.iter().flat_map(runs).any(|r| text(r).starts_with("抄送")));
}

#[test]
fn a_brief_has_its_masthead_at_the_block_top_and_its_distribution_at_the_foot() {
    let doc = Document {
        meta: Meta {
            format: Some(crate::doc::Format::Brief),
            issuer_mark: Some("政协工作简报".into()),
            doc_no: Some("第12期".into()),
            printed_by: Some("政协青溪县委员会办公室".into()),
            date: Date::parse("2023-12-08"),
            distribution: vec!["报：县委办公室".into(), "送：各位常委".into(), "发：各专门委员会".into()],
            ..Meta::default()
        },
        blocks: vec![Block::Paragraph(vec![Inline::plain("正文。")])],
    };
    let pages = lay(&doc);
    assert_eq!(pages.pages.len(), 1, "a 简报 need not end on an even page");
    let p1 = &pages.pages[0];
    let red = Style::gbt9704().gongwen.red;
    let mark = runs(p1).find(|r| r.colour == red).expect("报头");
    let top = (mark.baseline.0 - mark.size.0 * 0.88) / MM;
    assert!((top - 37.0).abs() < 0.05, "报头 at the block top: {top}");
    // 编印单位 flush left and the date flush right on one line, the red rule under it.
    let unit = runs(p1).find(|r| text(r) == "政协青溪县委员会办公室").expect("编印单位");
    let date = runs(p1).find(|r| text(r) == "2023年12月8日").expect("date");
    assert_eq!(unit.baseline, date.baseline);
    assert!((unit.glyphs[0].x.0 / MM - 28.0).abs() < 0.01);
    let cell = Style::gbt9704().char_pitch().0;
    assert!((date.glyphs.last().expect("glyph").x.0 + cell - 184.0 * MM).abs() < 0.01);
    let r = rules(p1);
    assert!(r[0].3 == red && r[0].0 > unit.baseline.0 / MM, "the red rule under the line");
    // No date under the text: it is in the head.
    assert_eq!(runs(p1).filter(|r| text(r) == "2023年12月8日").count(), 1);
    // 报/送/发 at the foot between rules, the last line on the block's last row.
    let lines: Vec<String> = runs(p1).map(text).filter(|t| t.contains('：')).collect();
    assert_eq!(lines, ["报：县委办公室。", "送：各位常委。", "发：各专门委员会。"]);
    let last = runs(p1).find(|r| text(r).starts_with("发：")).expect("发");
    assert!(last.baseline.0 / MM > 262.0 - Style::gbt9704().line_pitch().0 / MM);
    assert_eq!(r.len(), 1 + 4, "red rule, then rules above, between (2) and below the block");
}

#[test]
fn a_letter_has_its_mark_30_mm_from_the_page_top_between_red_double_rules() {
    let mut doc = notice(1, &[]);
    doc.meta.format = Some(crate::doc::Format::Letter);
    doc.meta.secrecy = None;
    let pages = lay(&doc);
    let p1 = &pages.pages[0];
    let red = Style::gbt9704().gongwen.red;
    let mark = runs(p1).find(|r| r.colour == red).expect("mark");
    assert_eq!(text(mark), "青溪县政协办公室", "the issuer's name, without 文件");
    let top = (mark.baseline.0 - mark.size.0 * 0.88) / MM;
    assert!((top - 30.0).abs() < 0.05, "mark top {top} mm from the page top");
    // Four red lines 170 mm long centred on the page: thick over thin under
    // the mark, thin over thick with its middle 20 mm above the bottom edge.
    let r: Vec<_> = rules(p1).into_iter().filter(|r| r.3 == red).collect();
    assert_eq!(r.len(), 4);
    assert!(r.iter().all(|r| (r.1 - 170.0).abs() < 0.01));
    assert!(r[0].2 > r[1].2 && r[2].2 < r[3].2, "thick over thin, thin over thick");
    let mark_bottom = top + mark.size.0 / MM;
    assert!((r[0].0 - r[0].2 / 2.0 - mark_bottom - 4.0).abs() < 0.05);
    let middle = (r[2].0 - r[2].2 / 2.0 + r[3].0 + r[3].2 / 2.0) / 2.0;
    assert!((middle - 277.0).abs() < 0.05, "lower rule at {middle}");
    // 份号 flush left and 发文字号 flush right on one line under the rule.
    let copy = runs(p1).find(|r| text(r) == "000031").expect("份号");
    let doc_no = runs(p1).find(|r| text(r).contains('〔')).expect("发文字号");
    assert_eq!(copy.baseline, doc_no.baseline);
    let end = doc_no.glyphs.last().expect("glyph").x.0 + Style::gbt9704().char_pitch().0;
    assert!((end / MM - 184.0).abs() < 0.05);
    // No number on page 1; the 抄送 alone at the foot of the last page, no rules there.
    assert!(!has_page_number(p1, 1));
    let last = pages.pages.last().expect("a page");
    assert!(runs(last).any(|r| text(r).starts_with("抄送")) && !runs(last).any(|r| text(r).ends_with("印发")));
    assert!(rules(last).iter().all(|r| r.3 == red), "no black 版记 rules in a 信函");
}

#[test]
fn a_joint_mark_stacks_the_agencies_with_wenjian_beside_them() {
    let mut doc = notice(1, &[]);
    doc.meta.issuer = vec!["中共青溪县委办公室".into(), "青溪县人民政府办公室".into()];
    let pages = lay(&doc);
    let red = Style::gbt9704().gongwen.red;
    let marks: Vec<&TextRun> = runs(&pages.pages[0]).filter(|r| r.colour == red).collect();
    let texts: Vec<String> = marks.iter().map(|r| text(r)).collect();
    assert_eq!(texts, ["中共青溪县委办公室", "青溪县人民政府办公室", "文件"]);
    let (a, b, w) = (marks[0], marks[1], marks[2]);
    assert!(b.baseline.0 > a.baseline.0, "stacked");
    assert!((w.baseline.0 - (a.baseline.0 + b.baseline.0) / 2.0).abs() < 0.01, "文件 centred beside them");
    assert!((a.glyphs[0].x.0 - b.glyphs[0].x.0).abs() < 0.01, "names start together");
    let names_end = b.glyphs.last().expect("glyph").x.0 + b.size.0 * 15.79 / 16.0;
    assert!(w.glyphs[0].x.0 >= names_end - 0.01, "文件 after the longest name");
}
