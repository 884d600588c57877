//! The layout engine with a real CJK font: Noto Serif CJK SC (and Noto Sans
//! CJK SC for 黑体) read with ttf-parser behind a small `Metrics`. The
//! built-in sample documents and the bundled example are laid out and
//! measured the way `check-pdf.py` measures a PDF (lines by baseline, full
//! lines, 22 lines a page, 避头尾, margins, title, page numbers).
//!
//! Skipped, with a note, when the fonts are not installed. Set
//! `WENGAO_LAYOUT_PDF_DIR` to also write bare PDFs (fonts referenced, not
//! embedded) that `check-pdf.py` can read, for the geometry checks.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wengao::batch::{BatchOptions, build_project};
use wengao::diag::FileId;
use wengao::doc::Document;
use wengao::fonts::{FontId, GlyphInfo, Metrics};
use wengao::layout::{Item, Pages, layout_document};
use wengao::style::{Face, Style};

const SERIF: &str = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
const SANS: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// Fonts read with ttf-parser; FontId(i) is `faces[i]`.
struct RealMetrics {
    faces: Vec<ttf_parser::Face<'static>>,
    names: Vec<String>,
}

fn face_named(path: &str, family: &str) -> Option<ttf_parser::Face<'static>> {
    let data: &'static [u8] = Box::leak(std::fs::read(path).ok()?.into_boxed_slice());
    let n = ttf_parser::fonts_in_collection(data).unwrap_or(1);
    (0..n).filter_map(|i| ttf_parser::Face::parse(data, i).ok()).find(|f| {
        f.names()
            .into_iter()
            .any(|name| name.name_id == ttf_parser::name_id::FAMILY && name.to_string().as_deref() == Some(family))
    })
}

impl RealMetrics {
    fn load() -> Option<RealMetrics> {
        let serif = face_named(SERIF, "Noto Serif CJK SC")?;
        let mut faces = vec![serif];
        let mut names = vec!["NotoSerifCJKsc-Regular".to_string()];
        if let Some(sans) = face_named(SANS, "Noto Sans CJK SC") {
            faces.push(sans);
            names.push("NotoSansCJKsc-Regular".to_string());
        }
        Some(RealMetrics { faces, names })
    }
    fn font_of(&self, face: Face) -> usize {
        if face == Face::Hei && self.faces.len() > 1 { 1 } else { 0 }
    }
}

impl Metrics for RealMetrics {
    fn glyph(&self, face: Face, _bold: bool, ch: char) -> Option<GlyphInfo> {
        let first = self.font_of(face);
        let order = std::iter::once(first).chain((0..self.faces.len()).filter(move |&i| i != first));
        for i in order {
            let f = &self.faces[i];
            if let Some(g) = f.glyph_index(ch) {
                let advance = f.glyph_hor_advance(g).unwrap_or(f.units_per_em());
                return Some(GlyphInfo { font: FontId(i as u32), glyph: g.0, advance });
            }
        }
        None
    }
    fn units_per_em(&self, font: FontId) -> u16 {
        self.faces[font.0 as usize].units_per_em()
    }
    fn ascender(&self, font: FontId) -> i16 {
        self.faces[font.0 as usize].ascender()
    }
    fn primary(&self, face: Face) -> FontId {
        FontId(self.font_of(face) as u32)
    }
}

/// Render each built-in kind (and the bundled examples) to Markdown in
/// projects under `dir` and parse it; plus a generated stress document.
fn samples(dir: &Path) -> Vec<(String, Document, PathBuf)> {
    let mut roots: Vec<(String, PathBuf)> = Vec::new();
    // Not `letter`: 信函格式 puts its mark above the text block and no number on page 1.
    for kind in ["experience", "summary", "brief", "notice", "request", "minutes"] {
        let root = dir.join(kind);
        wengao::init::init_project(&root, kind).expect("init");
        roots.push((kind.to_string(), root));
    }
    for (name, example) in [("report", "cppcc-annual-report"), ("long-mixed", "long-mixed")] {
        let copy = dir.join(name);
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(example), &copy);
        roots.push((name.to_string(), copy));
    }
    let mut out = vec![("generated/stress".to_string(), stress_document(), dir.to_path_buf())];
    for (name, root) in roots {
        let outcome =
            build_project(&root, &BatchOptions { formats: vec!["md".into()], write: true, ..BatchOptions::default() });
        assert!(!outcome.diags.has_errors(), "{name}: {:?}", outcome.diags);
        for md in outcome.written {
            let text = std::fs::read_to_string(&md).expect("md");
            let (doc, diags) = wengao::markup::parse_document(&text, FileId(0));
            assert!(!diags.has_errors(), "{name}: {diags:?}");
            let stem = md.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
            out.push((format!("{name}/{stem}"), doc.expect("document"), root.clone()));
        }
    }
    out
}

/// A long document of generated text (LCG with Knuth's MMIX constants):
/// headings, paragraphs with marks, numbers and Latin words, a list,
/// attachments, signature and date.
fn stress_document() -> Document {
    use wengao::doc::{Block, Date, Inline, Meta};
    let mut seed: u64 = 0x9704_2012;
    let mut next = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    const WORDS: &[&str] = &[
        "政协",
        "委员",
        "提案",
        "办理",
        "协商",
        "监督",
        "调研",
        "县委",
        "推动",
        "落实",
        "工作",
        "群众",
        "发展",
        "建设",
        "乡村振兴",
        "高质量",
        "2023年",
        "12.5%",
        "COVID-19",
        "6+X",
        "1.5倍",
        "GDP",
        "“十四五”",
        "《规划》",
        "（试行）",
    ];
    const MARKS: &[&str] = &["，", "，", "、", "；", "。", "：", "！", "？", "……", "——"];
    let mut blocks = Vec::new();
    let numbers = ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、"];
    for number in numbers {
        blocks.push(Block::Heading {
            level: 1,
            number: Some(number.into()),
            content: vec![Inline::plain("围绕中心服务大局")],
        });
        for sub in 0..(2 + next() % 3) {
            if next() % 2 == 0 {
                blocks.push(Block::Heading {
                    level: 2,
                    number: Some(format!("（{}）", ["一", "二", "三", "四", "五"][sub as usize])),
                    content: vec![Inline::plain("深化协商议政")],
                });
            }
            let mut text = String::new();
            let words = 20 + next() % 120;
            for w in 0..words {
                text.push_str(WORDS[(next() % WORDS.len() as u64) as usize]);
                if w + 1 < words && next() % 3 == 0 {
                    text.push_str(MARKS[(next() % MARKS.len() as u64) as usize]);
                }
            }
            text.push('。');
            blocks.push(Block::Paragraph(vec![Inline::bold("一是"), Inline::plain(text)]));
        }
    }
    blocks.push(Block::List {
        ordered: true,
        start: 1,
        items: vec![vec![Inline::plain("加强学习。")], vec![Inline::plain("改进作风，提高效率。")]],
    });
    let meta = Meta {
        title: vec!["中共青溪县委关于进一步加强和改进新时代人民政协工作的实施意见".into()],
        recipient: Some("各乡镇党委，县直各单位".into()),
        attachments: vec!["2023年度提案办理情况统计表".into(), "青溪县政协委员名单".into()],
        signature: vec!["中共青溪县委员会".into()],
        date: Some(Date { year: 2023, month: 12, day: 28 }),
        ..Meta::default()
    };
    Document { meta, blocks }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("under");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

// ---------------------------------------------------------------------------
// check-pdf.py's measurements, on Pages.

const MM: f64 = 72.0 / 25.4;

#[derive(Debug, Clone)]
struct Line {
    bottom: f64,
    top: f64,
    x0: f64,
    x1: f64,
    size: f64,
    text: String,
    chars: usize,
    max_gap: f64,
}

/// One glyph box as pdfminer computes it.
#[derive(Debug, Clone)]
struct Char {
    bottom: f64,
    top: f64,
    x0: f64,
    x1: f64,
    size: f64,
    text: String,
}

/// Glyph boxes as pdfminer computes them: advance from the font (the PDF's
/// /W), bottom at the baseline plus the descent, height one em; grouped
/// into lines by bottom as check-pdf.py does.
fn page_lines(m: &RealMetrics, items: &[Item]) -> Vec<Line> {
    let mut chars: Vec<Char> = Vec::new();
    for item in items {
        let Item::Text(run) = item else { continue };
        let f = &m.faces[run.font.0 as usize];
        let upem = f64::from(f.units_per_em());
        let descent = -f64::from(f.descender()) / upem * run.size.0;
        for g in &run.glyphs {
            let adv = f.glyph_hor_advance(ttf_parser::GlyphId(g.glyph)).map_or(upem, f64::from) / upem * run.size.0;
            let bottom = run.baseline.0 + descent;
            chars.push(Char {
                bottom,
                top: bottom - run.size.0,
                x0: g.x.0,
                x1: g.x.0 + adv,
                size: run.size.0,
                text: g.ch.to_string(),
            });
        }
    }
    chars.sort_by(|a, b| {
        ((a.bottom * 10.0).round(), a.x0).partial_cmp(&((b.bottom * 10.0).round(), b.x0)).expect("finite")
    });
    let mut rows: Vec<Vec<Char>> = Vec::new();
    for c in chars {
        match rows.last_mut() {
            Some(r) if (r[0].bottom - c.bottom).abs() <= 2.0 => r.push(c),
            _ => rows.push(vec![c]),
        }
    }
    rows.into_iter()
        .map(|mut cs| {
            cs.sort_by(|a, b| a.x0.partial_cmp(&b.x0).expect("finite"));
            let max_gap = cs.windows(2).map(|w| w[1].x0 - w[0].x1).fold(0.0, f64::max);
            let mut sizes: Vec<f64> = cs.iter().map(|c| c.size).collect();
            sizes.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
            Line {
                bottom: cs[0].bottom,
                top: cs.iter().map(|c| c.top).fold(f64::MAX, f64::min),
                x0: cs[0].x0,
                x1: cs.last().map_or(0.0, |c| c.x1),
                size: sizes[sizes.len() / 2],
                text: cs.iter().map(|c| c.text.as_str()).collect(),
                chars: cs.len(),
                max_gap,
            }
        })
        .collect()
}

fn is_cjk(ch: char) -> bool {
    matches!(u32::from(ch), 0x2E80..=0x2FDF | 0x3000..=0x303F | 0x31C0..=0x31EF | 0x3200..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| *c != ' ').collect();
    let dash = |c: char| "—-－–".contains(c);
    let cs: Vec<char> = t.chars().collect();
    cs.len() >= 3 && dash(cs[0]) && dash(cs[cs.len() - 1]) && cs[1..cs.len() - 1].iter().all(char::is_ascii_digit)
}

/// check-pdf.py's geometry checks; returns failures and some figures.
fn check(m: &RealMetrics, pages: &Pages, title: bool) -> (Vec<String>, BTreeMap<&'static str, f64>) {
    let style = Style::gbt9704();
    let (left, top) = (style.margin_left.pt().0, style.margin_top.pt().0);
    let (bw, bh) = (style.text_width().pt().0, style.text_height().pt().0);
    let (right, bottom_edge) = (left + bw, top + bh);
    let mut fails = Vec::new();
    let mut figures = BTreeMap::new();
    let mut per_page = Vec::new();
    for page in &pages.pages {
        let all = page_lines(m, &page.items);
        let ls: Vec<Line> = all.iter().filter(|l| !is_page_number(&l.text)).cloned().collect();
        let body: Vec<Line> = ls.iter().filter(|l| (l.size - 16.0).abs() <= 0.6 && l.max_gap < 8.0).cloned().collect();
        per_page.push((all, ls, body));
    }
    let body_all: Vec<&Line> = per_page.iter().flat_map(|p| &p.2).collect();
    let min_x0 = body_all.iter().map(|l| l.x0).fold(f64::MAX, f64::min);
    if (min_x0 - left).abs() > 1.2 * MM {
        fails.push(format!("left-margin {min_x0}"));
    }
    let max_x1 = body_all.iter().map(|l| l.x1).fold(0.0, f64::max);
    if max_x1 > right + 1.2 * MM {
        fails.push(format!("right-margin {max_x1}"));
    }
    for (i, (_, ls, _)) in per_page.iter().enumerate() {
        if let Some(t) = ls.iter().map(|l| l.top).reduce(f64::min)
            && !(top - 1.5 * MM..=top + 8.0 * MM).contains(&t)
        {
            fails.push(format!("top-margin p{}: {:.1} mm", i + 1, t / MM));
        }
    }
    let lowest = body_all.iter().map(|l| l.bottom).fold(0.0, f64::max);
    figures.insert("lowest bottom mm", lowest / MM);
    if lowest > bottom_edge + 1.5 * MM {
        fails.push(format!("bottom-margin {:.1} mm", lowest / MM));
    }
    let full: Vec<&&Line> = body_all.iter().filter(|l| l.x1 >= right - 16.0).collect();
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for l in &full {
        if l.text.chars().all(is_cjk) {
            *counts.entry(l.chars).or_default() += 1;
        }
    }
    let mode = counts.iter().max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k))).map(|(k, _)| *k);
    // A mode of a handful of lines says nothing: text dense with figures and
    // marks (the stress document) has few full lines of ideographs only, and
    // each mark that may not start a line pushes a character down (27).
    let measured: usize = counts.values().sum();
    if measured >= 10 && mode != Some(28) {
        fails.push(format!("chars-per-line mode {mode:?}: {counts:?}"));
    }
    if let Some((&most, _)) = counts.iter().next_back().filter(|(k, _)| **k > 28) {
        fails.push(format!("chars-per-line: a full line holds {most} characters: {counts:?}"));
    }
    let spread = full.iter().map(|l| l.x1).fold(0.0, f64::max) - full.iter().map(|l| l.x1).fold(f64::MAX, f64::min);
    figures.insert("justified spread pt", spread);
    if spread > 2.5 {
        let worst: Vec<String> = full
            .iter()
            .filter(|l| (l.x1 - right).abs() > 1.0)
            .map(|l| format!("{:.1}:{}", l.x1 - right, l.text))
            .take(3)
            .collect();
        fails.push(format!("justified: spread {spread:.2}: {worst:?}"));
    }
    let mut full_pages = 0;
    let mut k22 = 0;
    // A line that starts a paragraph or a heading is indented two characters;
    // a paragraph's other lines start at the margin.
    let starts_paragraph = |l: &Line| l.x0 > left + style.body_size.0;
    for (i, (_, ls, body)) in per_page.iter().enumerate() {
        if body.len() > 22 {
            fails.push(format!("p{} holds {} lines", i + 1, body.len()));
        }
        let reaches = body.iter().map(|l| l.bottom).fold(0.0, f64::max) >= bottom_edge - 1.5 * bh / 22.0;
        if !body.is_empty() && body.len() == ls.len() && reaches {
            full_pages += 1;
            match body.len() {
                22 => k22 += 1,
                21 => {
                    // A page ends a row early only for a reason: the next
                    // page opens a paragraph or heading whose first two
                    // lines (or heading and text) would not both fit
                    // (orphan rule), or its first two lines end a paragraph
                    // whose last line would have been carried alone (widow
                    // rule).
                    let next = per_page.get(i + 1).map(|p| p.1.as_slice()).unwrap_or_default();
                    let orphan = next.first().is_none_or(starts_paragraph);
                    let widow = next.get(2).is_none_or(starts_paragraph);
                    if !orphan && !widow {
                        fails.push(format!(
                            "lines-per-page p{}: 21 lines, and p{} opens in the middle of a paragraph: {:?}",
                            i + 1,
                            i + 2,
                            next.first().map(|l| &l.text)
                        ));
                    }
                }
                n => fails.push(format!("lines-per-page p{}: {n}", i + 1)),
            }
        }
    }
    figures.insert("full text pages", f64::from(full_pages));
    figures.insert("of them 22 lines", f64::from(k22));
    const NO_START: &str = "，。、；：？！）》」』】〉〕］｝”’…%‰℃·.,;:?!)]}";
    const NO_END: &str = "（《「『【〈〔［｛“‘([{";
    for l in &body_all {
        let (a, z) = (l.text.chars().next().unwrap_or(' '), l.text.chars().last().unwrap_or(' '));
        if NO_START.contains(a) || NO_END.contains(z) {
            fails.push(format!("kinsoku: {}", l.text));
        }
    }
    if title && let Some((all, _, _)) = per_page.first() {
        let big = all.iter().max_by(|a, b| a.size.partial_cmp(&b.size).expect("finite")).expect("lines");
        let off = (big.x0 + big.x1) / 2.0 - (left + bw / 2.0);
        figures.insert("title centre off pt", off);
        if big.size < 20.0 || off.abs() > 3.0 {
            fails.push(format!("title {} off {off:.1}", big.text));
        }
    }
    for (n, (all, _, _)) in per_page.iter().enumerate() {
        let n = n + 1;
        let hit = all
            .iter()
            .find(|l| l.top >= bottom_edge - 2.0 && is_page_number(&l.text) && l.text.contains(&n.to_string()));
        match hit {
            None => fails.push(format!("page-number p{n} missing")),
            Some(l) if n % 2 == 1 && l.x1 < right - 2.0 * 14.0 - 3.0 => fails.push(format!("p{n} number not right")),
            Some(l) if n % 2 == 0 && l.x0 > left + 2.0 * 14.0 + 3.0 => fails.push(format!("p{n} number not left")),
            _ => {}
        }
    }
    (fails, figures)
}

#[test]
fn sample_documents_pass_the_page_checks() {
    let Some(m) = RealMetrics::load() else {
        return wengao::test_support::skip(&format!(
            "sample_documents_pass_the_page_checks: {SERIF} not found (apt-get install fonts-noto-cjk)"
        ));
    };
    let style = Style::gbt9704();
    let dump = std::env::var_os("WENGAO_LAYOUT_PDF_DIR").map(PathBuf::from);
    let mut failures = Vec::new();
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, doc, root) in samples(dir.path()) {
        let (pages, diags) = layout_document(&doc, &style, &m, &root);
        assert!(!diags.has_errors(), "{name}: {diags:?}");
        let (again, _) = layout_document(&doc, &style, &m, &root);
        assert_eq!(pages, again, "{name}: deterministic");
        let (fails, figures) = check(&m, &pages, !doc.meta.title.is_empty());
        eprintln!("{name}: {} pages, {figures:?}", pages.pages.len());
        eprintln!("  last row used on each page: {:?}", last_rows(&pages, &style));
        for f in &fails {
            failures.push(format!("{name}: {f}"));
        }
        if let Some(dir) = &dump {
            std::fs::create_dir_all(dir).expect("mkdir");
            let file = dir.join(format!("{}.pdf", name.replace('/', "-")));
            std::fs::write(&file, bare_pdf(&m, &pages)).expect("write pdf");
            let text: String = doc_text(&pages);
            std::fs::write(file.with_extension("txt"), text).expect("write txt");
            std::fs::write(file.with_extension("tsv"), items_tsv(&pages)).expect("write tsv");
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// One line per glyph or rule, for looking at a page without a PDF writer.
fn items_tsv(pages: &Pages) -> String {
    let mut s = String::new();
    for (n, p) in pages.pages.iter().enumerate() {
        for i in &p.items {
            match i {
                Item::Text(r) => {
                    for g in &r.glyphs {
                        s.push_str(&format!(
                            "{n}\tT\t{}\t{}\t{}\t{}\t{}\n",
                            r.font.0, r.size.0, g.x.0, r.baseline.0, g.ch
                        ));
                    }
                }
                Item::Rule { from, to, width, .. } => {
                    s.push_str(&format!("{n}\tR\t{}\t{}\t{}\t{}\t{}\n", from.0.0, from.1.0, to.0.0, to.1.0, width.0));
                }
                Item::Image { x, y, width, height, .. } => {
                    s.push_str(&format!("{n}\tI\t{}\t{}\t{}\t{}\n", x.0, y.0, width.0, height.0));
                }
            }
        }
    }
    s
}

/// For each page, the 1-based grid row of its lowest text line (page
/// number excluded): 22 is a full page.
fn last_rows(pages: &Pages, style: &Style) -> Vec<u32> {
    let (top, pitch) = (style.margin_top.pt().0, style.line_pitch().0);
    pages
        .pages
        .iter()
        .map(|p| {
            let n = p.items.len().saturating_sub(1);
            p.items[..n]
                .iter()
                .map(|i| match i {
                    Item::Text(r) => ((r.baseline.0 - top) / pitch) as u32 + 1,
                    Item::Rule { to, .. } => ((to.1.0 - top) / pitch) as u32 + 1,
                    Item::Image { y, height, .. } => ((y.0 + height.0 - top) / pitch) as u32 + 1,
                })
                .max()
                .unwrap_or(0)
        })
        .collect()
}

fn doc_text(pages: &Pages) -> String {
    let mut s = String::new();
    for p in &pages.pages {
        for i in &p.items {
            if let Item::Text(r) = i {
                for g in &r.glyphs {
                    s.push(g.ch);
                }
            }
        }
        s.push('\n');
    }
    s
}

// ---------------------------------------------------------------------------
// A bare PDF for check-pdf.py: Type0 fonts with widths and ToUnicode, no
// font program (pdfminer measures from /W and the descriptor only).

fn bare_pdf(m: &RealMetrics, pages: &Pages) -> Vec<u8> {
    use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
    use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
    let _ = Filter::FlateDecode;
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        next += 1;
        Ref::new(next - 1)
    };
    let catalog = alloc();
    let tree = alloc();
    // Glyphs used per font, with their text.
    let mut used: BTreeMap<u32, BTreeMap<u16, String>> = BTreeMap::new();
    for p in &pages.pages {
        for i in &p.items {
            if let Item::Text(r) = i {
                for g in &r.glyphs {
                    used.entry(r.font.0).or_default().insert(g.glyph, g.ch.to_string());
                }
            }
        }
    }
    let mut font_refs = BTreeMap::new();
    for (&font, glyphs) in &used {
        let f = &m.faces[font as usize];
        let upem = f64::from(f.units_per_em());
        let (t0, cid, desc, cmap) = (alloc(), alloc(), alloc(), alloc());
        let name = Name(m.names[font as usize].as_bytes());
        pdf.type0_font(t0)
            .base_font(name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
        let mut c = pdf.cid_font(cid);
        c.subtype(CidFontType::Type0).base_font(name).system_info(info).font_descriptor(desc).default_width(1000.0);
        let mut w = c.widths();
        for &g in glyphs.keys() {
            let adv = f.glyph_hor_advance(ttf_parser::GlyphId(g)).map_or(upem, f64::from);
            w.consecutive(g, [(adv * 1000.0 / upem) as f32]);
        }
        w.finish();
        c.finish();
        let scale = |v: i16| (f64::from(v) * 1000.0 / upem) as f32;
        pdf.font_descriptor(desc)
            .name(name)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(0.0, scale(f.descender()), 1000.0, scale(f.ascender())))
            .italic_angle(0.0)
            .ascent(scale(f.ascender()))
            .descent(scale(f.descender()))
            .cap_height(scale(f.ascender()))
            .stem_v(80.0);
        let mut u = UnicodeCmap::new(Name(b"Custom"), info);
        for (&g, text) in glyphs {
            if let Some(ch) = text.chars().next() {
                u.pair(g, ch);
            }
        }
        pdf.cmap(cmap, &u.finish());
        font_refs.insert(font, t0);
    }
    let height = pages.height.0 as f32;
    let mut page_ids = Vec::new();
    for p in &pages.pages {
        let (page_id, content_id) = (alloc(), alloc());
        let mut content = Content::new();
        for i in &p.items {
            match i {
                Item::Text(r) => {
                    content.begin_text();
                    content.set_font(Name(format!("F{}", r.font.0).as_bytes()), r.size.0 as f32);
                    for g in &r.glyphs {
                        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, g.x.0 as f32, height - r.baseline.0 as f32]);
                        content.show(Str(&g.glyph.to_be_bytes()));
                    }
                    content.end_text();
                }
                Item::Rule { from, to, width, .. } => {
                    content.set_line_width(width.0 as f32);
                    content.move_to(from.0.0 as f32, height - from.1.0 as f32);
                    content.line_to(to.0.0 as f32, height - to.1.0 as f32);
                    content.stroke();
                }
                Item::Image { .. } => {}
            }
        }
        pdf.stream(content_id, &content.finish());
        let mut page = pdf.page(page_id);
        page.parent(tree).media_box(Rect::new(0.0, 0.0, pages.width.0 as f32, height)).contents(content_id);
        let mut res = page.resources();
        let mut fonts = res.fonts();
        for (&font, &r) in &font_refs {
            fonts.pair(Name(format!("F{font}").as_bytes()), r);
        }
        fonts.finish();
        res.finish();
        page.finish();
        page_ids.push(page_id);
    }
    let count = page_ids.len() as i32;
    pdf.pages(tree).kids(page_ids).count(count);
    pdf.catalog(catalog).pages(tree);
    pdf.finish()
}
