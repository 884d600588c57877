//! Line breaker tests on the fixed-width fake: exact positions.

use super::*;
use crate::layout::shape::Shaper;
use crate::layout::testing::FakeMetrics;
use crate::style::{Face, Style};

/// Tolerance of the right-edge assertions, in points.
const EDGE: f64 = 0.01;

struct Setup {
    style: Style,
    metrics: FakeMetrics,
}

impl Setup {
    fn new() -> Self {
        Setup { style: Style::gbt9704(), metrics: FakeMetrics::default() }
    }
    fn width(&self) -> f64 {
        self.style.text_width().pt().0
    }
    fn cell(&self) -> f64 {
        self.style.char_pitch().0
    }
    fn frame(&self, first_indent: f64, align: Align) -> Frame {
        let spacing = self.style.run_spacing(self.style.body_size).0;
        Frame { width: self.width(), first_indent, rest_indent: 0.0, align, cell: self.cell(), spacing }
    }
    fn paragraph(&self, text: &str, frame: Frame) -> Paragraph {
        let mut s = Shaper::new(&self.style, &self.metrics);
        let size = frame.cell / self.cell() * self.style.body_size.0;
        Paragraph::new(s.shape_str(text, Face::Fang, false, size), frame)
    }
    /// A centred frame `cells` body cells wide (table header cells).
    fn centred(&self, cells: f64) -> Frame {
        Frame {
            width: cells * self.cell(),
            first_indent: 0.0,
            rest_indent: 0.0,
            align: Align::Center,
            cell: self.cell(),
            spacing: 0.0,
        }
    }
    /// Body paragraph without indent: every line starts at the left edge.
    fn plain(&self, text: &str) -> Vec<SetLine> {
        let p = self.paragraph(text, self.frame(0.0, Align::Justify));
        p.set(&p.lines())
    }
    fn body(&self, text: &str) -> Vec<SetLine> {
        let p = self.paragraph(text, self.frame(self.style.grid_indent().0, Align::Justify));
        p.set(&p.lines())
    }
}

fn han(n: usize) -> String {
    // Distinct ideographs so that a shifted character shows up in the text.
    (0..n).map(|i| char::from_u32(0x4E00 + (i as u32 * 7) % 2000).unwrap_or('中')).collect()
}

fn texts(lines: &[SetLine]) -> Vec<String> {
    lines.iter().map(SetLine::text).collect()
}

fn right(line: &SetLine) -> f64 {
    line.extent().map_or(0.0, |e| e.1)
}

fn assert_full(s: &Setup, line: &SetLine) {
    assert!((right(line) - s.width()).abs() < EDGE, "line {:?} ends at {} not {}", line.text(), right(line), s.width());
}

#[test]
fn full_cjk_lines_hold_28_characters_on_the_grid() {
    let s = Setup::new();
    let lines = s.plain(&han(70));
    assert_eq!(lines.iter().map(|l| l.glyphs.len()).collect::<Vec<_>>(), vec![28, 28, 14]);
    for l in &lines[..2] {
        assert_full(&s, l);
        for (k, g) in l.glyphs.iter().enumerate() {
            assert!((g.x - k as f64 * s.cell()).abs() < 1e-9, "cell {k} at {}", g.x);
        }
    }
    // The indented first line holds 26.
    let lines = s.body(&han(70));
    assert_eq!(lines[0].glyphs.len(), 26);
    assert!((lines[0].glyphs[0].x - s.style.grid_indent().0).abs() < 1e-9);
    assert_full(&s, &lines[0]);
}

#[test]
fn comma_at_27_and_28_needs_nothing() {
    let s = Setup::new();
    for pos in [27, 28] {
        let text = format!("{}，{}", han(pos - 1), han(40));
        let lines = s.plain(&text);
        assert_eq!(lines[0].glyphs.len(), 28, "comma at {pos}");
        assert_eq!(lines[0].glyphs[pos - 1].atom.ch, '，');
        assert!(lines[0].glyphs.iter().enumerate().all(|(k, g)| (g.x - k as f64 * s.cell()).abs() < 1e-9));
        assert_ne!(lines[1].glyphs[0].atom.ch, '，');
    }
}

#[test]
fn comma_at_29_is_pushed_down_without_marks_to_squeeze() {
    let s = Setup::new();
    let text = format!("{}，{}", han(28), han(40));
    let lines = s.plain(&text);
    // Nothing to squeeze on line 1: its 28th character goes down with the comma.
    assert_eq!(lines[0].glyphs.len(), 27);
    assert_full(&s, &lines[0]);
    assert_eq!(lines[1].glyphs[1].atom.ch, '，');
    assert_eq!(lines[1].glyphs[0].atom.ch, han(28).chars().last().unwrap());
}

#[test]
fn comma_at_29_goes_down_even_with_marks_that_could_be_squeezed() {
    let s = Setup::new();
    // "。”" and "）；" could each give up half a cell, but Word and
    // LibreOffice never squeeze: the 28th character goes down with the comma.
    let text = format!("{}。”{}）；{}，{}", han(10), han(10), han(4), han(30));
    let lines = s.plain(&text);
    assert_eq!(lines[0].glyphs.len(), 27, "{:?}", texts(&lines));
    assert_full(&s, &lines[0]);
    assert!(lines[1].text().starts_with(&format!("{}，", han(4).chars().last().unwrap())));
    // Every glyph keeps at least its full cell: nothing is squeezed.
    assert!(lines[0].glyphs.windows(2).all(|w| w[1].x - w[0].x >= s.cell() - 1e-9));
}

#[test]
fn lone_marks_are_not_squeezed_to_pull_a_character_up() {
    let s = Setup::new();
    // Two lone 、 could give up a cell between them; nothing is squeezed,
    // so the comma takes the character before it to the next line.
    let text = format!("{}、{}、{}，{}", han(10), han(10), han(6), han(30));
    let lines = s.plain(&text);
    assert_eq!(lines[0].glyphs.len(), 27, "{:?}", texts(&lines));
    assert_full(&s, &lines[0]);
    assert!(lines[1].text().starts_with(&format!("{}，", han(6).chars().last().unwrap())));
}

#[test]
fn lines_are_filled_at_the_word_processors_widths() {
    let s = Setup::new();
    // 26 characters and four digits fit Word's line (26 × 15.75 + 4 × 7.75
    // pt ≤ 442.2) though not the PDF's grid (26 × 15.79 + 4 × 8): the line
    // keeps them and closes its gaps to end on the edge.
    let text = format!("{}1234{}", han(26), han(30));
    let lines = s.plain(&text);
    assert!(lines[0].text().ends_with("1234"), "{:?}", texts(&lines));
    assert_full(&s, &lines[0]);
    // Seven digits do not fit after 25 characters: the number goes down whole.
    let text = format!("{}1234567{}", han(25), han(30));
    let lines = s.plain(&text);
    assert_eq!(lines[0].text(), han(25), "{:?}", texts(&lines));
    assert!(lines[1].text().starts_with("1234567"));
    assert_full(&s, &lines[0]);
}

#[test]
fn runs_of_closing_marks_stay_with_the_character_before() {
    let s = Setup::new();
    // "好。”）" with 好 at 27: the three marks must not start line 2.
    let text = format!("{}好。”）{}", han(26), han(30));
    let lines = s.plain(&text);
    let first = lines[0].text();
    let second = lines[1].text();
    assert!(!NO_LINE_START.contains(&second.chars().next().unwrap()), "{first} / {second}");
    assert!(first.ends_with("好。”）") || second.starts_with("好。”）"), "{first} / {second}");
    assert_full(&s, &lines[0]);
}

#[test]
fn a_closing_run_goes_down_with_the_character_before() {
    let s = Setup::new();
    // 好 at 27 and three marks after it: 28 cells are full before the last
    // mark, so 好 and its marks start line 2, as in Word and LibreOffice.
    let text = format!("{}。”{}。”{}好。”）{}", han(8), han(8), han(6), han(30));
    let lines = s.plain(&text);
    assert_eq!(lines[0].glyphs.len(), 26, "{:?}", texts(&lines));
    assert!(lines[1].text().starts_with("好。”）"), "{:?}", texts(&lines));
    assert_full(&s, &lines[0]);
}

#[test]
fn opening_bracket_never_ends_a_line() {
    let s = Setup::new();
    for pos in 26..=29 {
        let text = format!("{}（{}）{}", han(pos - 1), han(5), han(40));
        let lines = s.plain(&text);
        for l in &lines {
            let t = l.text();
            assert!(!NO_LINE_END.contains(&t.chars().last().unwrap()), "pos {pos}: {:?}", texts(&lines));
            assert!(!NO_LINE_START.contains(&t.chars().next().unwrap()), "pos {pos}: {:?}", texts(&lines));
        }
        assert_full(&s, &lines[0]);
    }
}

#[test]
fn numbers_and_words_are_not_split_at_the_edge() {
    let s = Setup::new();
    for word in ["2023", "12.5%", "COVID-19", "6+X", "1.5"] {
        for lead in 24..=28 {
            let text = format!("{}{word}倍{}", han(lead), han(40));
            let lines = s.plain(&text);
            let joined: Vec<String> = texts(&lines);
            assert!(joined.iter().any(|t| t.contains(word)), "{word} split after {lead}: {joined:?}");
            assert_full(&s, &lines[0]);
        }
    }
}

#[test]
fn justification_does_not_open_words() {
    let s = Setup::new();
    let text = format!("{}COVID-19{}", han(25), han(40));
    let lines = s.plain(&text);
    let l = lines.iter().find(|l| l.text().contains("COVID-19")).unwrap();
    let g: Vec<&SetGlyph> = l.glyphs.iter().filter(|g| !g.atom.wide).collect();
    for w in g.windows(2) {
        assert!((w[1].x - w[0].x - w[0].atom.width).abs() < 1e-9, "gap inside the word");
    }
}

#[test]
fn a_word_longer_than_a_line_is_split_by_characters() {
    let s = Setup::new();
    let word: String = (0..120).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    let text = format!("见{word}。");
    let lines = s.plain(&text);
    assert!(lines.len() >= 3);
    let joined: String = texts(&lines).concat();
    assert_eq!(joined, text);
    for l in &lines {
        let (x0, x1) = l.extent().unwrap();
        assert!(x0 >= -EDGE && x1 <= s.width() + EDGE, "{x0}..{x1}");
        assert!(!l.text().starts_with('。'));
    }
}

#[test]
fn last_line_keeps_natural_spacing() {
    let s = Setup::new();
    let lines = s.plain(&han(40));
    let last = lines.last().unwrap();
    assert_eq!(last.glyphs.len(), 12);
    for (k, g) in last.glyphs.iter().enumerate() {
        assert!((g.x - k as f64 * s.cell()).abs() < 1e-9);
    }
    // Unless it is one cell short of full: then it is justified too.
    let lines = s.plain(&han(55));
    assert_eq!(lines[1].glyphs.len(), 27);
    assert_full(&s, &lines[1]);
}

#[test]
fn hard_breaks_end_lines_without_justifying() {
    let s = Setup::new();
    let mut sh = Shaper::new(&s.style, &s.metrics);
    let a = han(40);
    let pieces = [
        crate::layout::shape::Piece::Text { text: &a, face: Face::Fang, bold: false },
        crate::layout::shape::Piece::Break,
        crate::layout::shape::Piece::Text { text: "后", face: Face::Fang, bold: false },
    ];
    let p = Paragraph::new(sh.shape(&pieces, 16.0), s.frame(0.0, Align::Justify));
    let lines = p.set(&p.lines());
    assert_eq!(texts(&lines).len(), 3);
    assert_eq!(lines[1].glyphs.len(), 12);
    assert!((right(&lines[1]) - 12.0 * s.cell()).abs() < 1e-9);
    assert_eq!(lines[2].text(), "后");
}

fn title(s: &Setup, text: &str) -> Vec<SetLine> {
    title_with_margin(s, text, 0.0)
}

fn title_with_margin(s: &Setup, text: &str, side_margin_chars: f64) -> Vec<SetLine> {
    let size = s.style.title_size.0;
    let cell = s.cell() * size / s.style.body_size.0;
    let frame =
        Frame { width: s.width(), first_indent: 0.0, rest_indent: 0.0, align: Align::Center, cell, spacing: 0.0 };
    let mut sh = Shaper::new(&s.style, &s.metrics);
    let p = Paragraph::new(sh.shape_str(text, Face::Song, false, size), frame);
    p.set(&p.balanced(side_margin_chars * size))
}

#[test]
fn a_title_keeps_room_at_both_sides_and_is_not_broken_inside_a_book_title() {
    let s = Setup::new();
    // 20 characters of 二号 fit the line edge to edge; with a character of
    // room kept at each side they take two balanced lines.
    assert_eq!(texts(&title(&s, &han(20))).len(), 1);
    let lines = title_with_margin(&s, &han(20), 1.0);
    assert_eq!(lines.iter().map(|l| l.glyphs.len()).collect::<Vec<_>>(), [10, 10]);
    // Eighteen fit with that room: one line.
    assert_eq!(texts(&title_with_margin(&s, &han(18), 1.0)).len(), 1);
    // The break goes beside a book title, not inside it, though that is
    // much less even (the even split is 县委关于学习贯彻《中国人 / 民政治…).
    let text = "县委关于学习贯彻《中国人民政治协商会议章程》的通知";
    let lines = texts(&title_with_margin(&s, text, 1.0));
    assert!(lines.len() == 2 && lines.iter().all(|l| l.matches('《').count() == l.matches('》').count()), "{lines:?}");
}

#[test]
fn long_titles_are_balanced_and_never_leave_one_character() {
    let s = Setup::new();
    // 20 title characters fit a line; 21 must not become 20 + 1.
    let lines = title(&s, &han(21));
    let counts: Vec<usize> = lines.iter().map(|l| l.glyphs.len()).collect();
    assert_eq!(counts.len(), 2);
    assert!(counts.iter().all(|&c| c >= 10), "{counts:?}");
    // Centred.
    for l in &lines {
        let (x0, x1) = l.extent().unwrap();
        assert!(((x0 + x1) / 2.0 - s.width() / 2.0).abs() < 1e-6);
    }
    // A real title breaks after 关于 or at 的 when that keeps the balance.
    let t = "中共青溪县委关于进一步加强和改进新时代人民政协工作的实施意见";
    let lines = title(&s, t);
    assert_eq!(texts(&lines), vec!["中共青溪县委关于进一步加强和", "改进新时代人民政协工作的实施意见"]);
    // Without a good place, the halves are equal.
    assert_eq!(title(&s, &han(30)).iter().map(|l| l.glyphs.len()).collect::<Vec<_>>(), vec![15, 15]);
    // Three lines stay balanced too, and none is a single character.
    let lines = title(&s, &han(41));
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l.glyphs.len() >= 13), "{:?}", texts(&lines));
    // A short title stays one line.
    assert_eq!(title(&s, "青溪县政协2023年工作总结").len(), 1);
}

#[test]
fn break_classes() {
    let wide = |c| BreakClass::of(c, true);
    assert_eq!(wide('，'), BreakClass::Closing);
    assert_eq!(wide('“'), BreakClass::Opening);
    assert_eq!(wide('”'), BreakClass::Closing);
    assert_eq!(wide('中'), BreakClass::Ideographic);
    assert_eq!(BreakClass::of('a', false), BreakClass::WordPart);
    assert_eq!(BreakClass::of('-', false), BreakClass::WordPart);
    assert_eq!(BreakClass::of(' ', false), BreakClass::Space);
    assert_eq!(BreakClass::of('.', false), BreakClass::Closing);
    for c in "，。、；：？！）》」』】〉〕］｝”’…‥%‰℃·.,;:?!)]}".chars() {
        assert!(NO_LINE_START.contains(&c), "{c}");
    }
    for c in "（《「『【〈〔［｛“‘([{".chars() {
        assert!(NO_LINE_END.contains(&c), "{c}");
    }
}

#[test]
fn dashes_and_ellipses_stay_in_pairs() {
    let s = Setup::new();
    for lead in 25..=29 {
        for pair in ["——", "……"] {
            let text = format!("{}{pair}{}", han(lead), han(40));
            let lines = s.plain(&text);
            let t = texts(&lines);
            assert!(t.iter().any(|l| l.contains(pair)), "{pair} split after {lead}: {t:?}");
            assert!(!t[1].starts_with('…'));
        }
    }
}

#[test]
fn a_nearly_full_narrow_centred_line_is_not_letter_spaced() {
    let s = Setup::new();
    // "提案" centred in a table header cell three cells wide: one cell is
    // left over with one gap to take it; spreading would read "提  案".
    let narrow = s.centred(3.0);
    let p = s.paragraph("提案", narrow);
    let lines = p.set(&p.lines());
    let g = &lines[0].glyphs;
    assert!((g[1].x - g[0].x - s.cell()).abs() < 1e-9, "a gap opened: {} → {}", g[0].x, g[1].x);
    let (x0, x1) = lines[0].extent().unwrap();
    assert!(((x0 + x1) / 2.0 - 1.5 * s.cell()).abs() < 1e-9, "centred");
    // The same in a justified frame: a short last line keeps its spacing.
    let p = s.paragraph("提案", Frame { align: Align::Justify, ..narrow });
    let lines = p.set(&p.lines());
    assert!((lines[0].glyphs[1].x - s.cell()).abs() < 1e-9);
    // A wide centred line one cell short of full is still spread edge to
    // edge: the spreading is invisible over its 26 gaps.
    let p = s.paragraph(&han(27), s.frame(0.0, Align::Center));
    let lines = p.set(&p.lines());
    assert_full(&s, &lines[0]);
}

#[test]
fn a_last_line_may_hold_one_character_as_in_word() {
    let s = Setup::new();
    // Word and LibreOffice fill lines first; the PDF does the same, so a
    // paragraph may end with "字。" alone (the DOCX would, whatever the PDF did).
    let text = format!("{}。", han(29));
    let lines = s.plain(&text);
    assert_eq!(lines.iter().map(|l| l.glyphs.len()).collect::<Vec<_>>(), vec![28, 2]);
    assert_full(&s, &lines[0]);
    assert_eq!(texts(&lines).concat(), text);
}

#[test]
fn short_bracketed_groups_stay_whole_in_titles_and_cells() {
    let s = Setup::new();
    let left = s.frame(0.0, Align::Left);
    // The widest piece that should not break: the group "（万元）".
    // Widths as Word sets them: one em plus the run spacing a character.
    let spacing = s.style.run_spacing(s.style.body_size).0;
    let em = s.style.body_size.0 + spacing;
    let p = s.paragraph("总投资（万元）", left);
    assert!((p.min_content() - 4.0 * em).abs() < 1e-9, "{}", p.min_content() / em);
    assert!((p.max_content() - 7.0 * em).abs() < 1e-9);
    // A long group is not a unit: a bracket binds only the character next to it.
    let p = s.paragraph(&format!("说明（{}）", han(8)), left);
    assert!((p.min_content() - 2.0 * em).abs() < 1e-9, "{}", p.min_content() / em);
    // A number is never broken.
    let p = s.paragraph("完成1234567元", left);
    assert!((p.min_content() - 7.0 * (8.0 + spacing)).abs() < 1e-9, "{}", p.min_content());
    // A header five cells wide breaks before the group, not inside it,
    // though "乡镇（开 / 发区）" would be better balanced.
    let cell = s.centred(5.0);
    let p = s.paragraph("乡镇（开发区）", cell);
    assert_eq!(texts(&p.set(&p.balanced(0.0))), vec!["乡镇", "（开发区）"]);
}

// ---------------------------------------------------------------------------
// Property test: many generated paragraphs, the invariants of every line.

/// A linear congruential generator (Knuth's MMIX constants): deterministic
/// pseudo-random text without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, pool: &[&'a str]) -> &'a str {
        pool[(self.next() % pool.len() as u64) as usize]
    }
}

fn generated(rng: &mut Lcg) -> String {
    const HAN: &[&str] = &[
        "政", "协", "工", "作", "县", "委", "加", "强", "建", "设", "发", "展", "人", "民", "提", "案", "办", "理",
        "质", "量",
    ];
    const MARKS: &[&str] =
        &["，", "。", "、", "；", "：", "？", "！", "……", "——", "“", "”", "（", "）", "《", "》", "。”", "！”）", "%"];
    const WORDS: &[&str] = &["2023", "12.5%", "COVID-19", "6+X", "1.5", "GDP", "R&D", "wengao", "A", "100"];
    let len = 10 + rng.next() % 140;
    let mut s = String::new();
    for _ in 0..len {
        match rng.next() % 10 {
            0..=5 => s.push_str(rng.pick(HAN)),
            6 | 7 => s.push_str(rng.pick(MARKS)),
            8 => s.push_str(rng.pick(WORDS)),
            _ => s.push_str(rng.pick(HAN)),
        }
    }
    s
}

#[test]
fn generated_paragraphs_keep_every_invariant() {
    let s = Setup::new();
    let mut rng = Lcg(0x5EED_2012);
    for case in 0..600 {
        let text = generated(&mut rng);
        let indent = if case % 2 == 0 { s.style.grid_indent().0 } else { 0.0 };
        let p = s.paragraph(&text, s.frame(indent, Align::Justify));
        let spans = p.lines();
        let lines = p.set(&spans);
        assert_eq!(texts(&lines).concat(), text, "case {case}: text order");
        for (k, l) in lines.iter().enumerate() {
            let t = l.text();
            let first = t.chars().next().unwrap();
            let last = t.chars().last().unwrap();
            // A line may start with a mark only if it is the paragraph's first.
            assert!(k == 0 || !NO_LINE_START.contains(&first), "case {case}: line {k} starts with {first}: {t}");
            assert!(
                k + 1 == lines.len() || !NO_LINE_END.contains(&last),
                "case {case}: line {k} ends with {last}: {t}"
            );
            let (x0, x1) = l.extent().unwrap();
            assert!(x0 >= -EDGE && x1 <= s.width() + EDGE, "case {case}: line {k} spans {x0}..{x1}: {t}");
            if k + 1 < lines.len() {
                assert!((x1 - s.width()).abs() < EDGE, "case {case}: line {k} ends at {x1}: {t}");
            }
            for w in l.glyphs.windows(2) {
                assert!(w[1].x >= w[0].x - 1e-9, "case {case}: glyphs out of order in {t}");
            }
        }
    }
}
