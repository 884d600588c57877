//! Shaping: text in a face and size → measured atoms, one per character.
//!
//! The first step of layout: `blocks` says which face, weight and size each
//! piece of text has; this module asks `fonts::Metrics` for the glyphs, sets
//! every full-width character on the body's character grid (so 28 fit a
//! line, GB/T 9704 §5.2.2) and reports characters no font has (F002). It
//! knows nothing of lines or pages: `linebreak` takes the atoms from here.

use std::collections::{BTreeSet, HashMap};

use crate::diag::{Code, Diagnostic, Diags};
use crate::fonts::{FontId, GlyphInfo, Metrics};
use crate::style::{Face, Style};
use crate::unicode::{EN_DASH, MINUS_SIGN};

use super::linebreak::BreakClass;

/// One character, shaped: its glyph and the width it is set in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Atom {
    /// The character (what the glyph stands for, for ToUnicode).
    pub ch: char,
    /// Font of the glyph (the face's own, or a fallback that has it).
    pub font: FontId,
    /// Glyph id in `font` (0, the .notdef box, for a missing character).
    pub glyph: u16,
    /// Font size in points.
    pub size: f64,
    /// Natural set width in points: one grid cell for a full-width
    /// character, the font's advance for everything else.
    pub width: f64,
    /// Draw with a synthetic bold stroke (bold asked, no bold font).
    pub fake_bold: bool,
    /// Full-width (East Asian Wide or Fullwidth, or drawn one em wide).
    pub wide: bool,
    /// How the character takes part in line breaking.
    pub class: BreakClass,
}

/// A piece of inline content as layout sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Piece<'t> {
    /// Text in one face and weight.
    Text {
        /// The characters.
        text: &'t str,
        /// Typeface.
        face: Face,
        /// Bold weight.
        bold: bool,
    },
    /// A hard line break.
    Break,
}

/// Turns text into atoms; collects F002 warnings once per character.
pub(crate) struct Shaper<'a> {
    style: &'a Style,
    metrics: &'a dyn Metrics,
    /// Glyph lookups already made. Only ever looked up, never iterated, so
    /// its order cannot reach the output.
    cache: HashMap<(Face, bool, char), Option<GlyphInfo>>,
    /// Characters already reported missing (one warning per character per document).
    reported: BTreeSet<char>,
    /// Warnings so far.
    pub diags: Diags,
}

impl<'a> Shaper<'a> {
    /// A shaper for one document.
    pub fn new(style: &'a Style, metrics: &'a dyn Metrics) -> Self {
        Shaper { style, metrics, cache: HashMap::new(), reported: BTreeSet::new(), diags: Diags::new() }
    }

    /// The style being laid out.
    pub fn style(&self) -> &'a Style {
        self.style
    }

    /// Width of one full-width character at `size`: the body's character
    /// pitch scaled to the size, so titles and tables keep the body's set width.
    pub fn cell(&self, size: f64) -> f64 {
        self.style.char_pitch().0 * size / self.style.body_size.0
    }

    /// Distance from the top of a band of `height` to the baseline of text of
    /// `size` in `face` centred in it: the em box is centred, the baseline
    /// sits the font's ascender below the em box top. An ascender taller than
    /// the em (hhea ascenders of CJK fonts leave room for accents) counts as
    /// one em, so the ideographs themselves stay centred.
    pub fn baseline_in(&self, height: f64, size: f64, face: Face) -> f64 {
        let font = self.metrics.primary(face);
        let upem = f64::from(self.metrics.units_per_em(font).max(1));
        let ascent = (f64::from(self.metrics.ascender(font)) * size / upem).clamp(0.0, size);
        (height - size) / 2.0 + ascent
    }

    fn lookup(&mut self, face: Face, bold: bool, ch: char) -> Option<GlyphInfo> {
        let metrics = self.metrics;
        *self.cache.entry((face, bold, ch)).or_insert_with(|| metrics.glyph(face, bold, ch))
    }

    /// Shape one character.
    pub fn atom(&mut self, ch: char, face: Face, bold: bool, size: f64) -> Atom {
        if ch == MINUS_SIGN {
            return self.minus(face, bold, size);
        }
        let cell = self.cell(size);
        let Some(g) = self.lookup(face, bold, ch) else {
            if self.reported.insert(ch) {
                self.diags.push(
                    Diagnostic::warning(
                        Code::FontMissingGlyph,
                        format!("no loaded font has the character `{ch}` (U+{:04X})", u32::from(ch)),
                    )
                    .with_hint("install a font that covers it, or name one in wengao.toml [style.fonts]; a box is drawn in its place"),
                );
            }
            // The .notdef box, one cell wide, so the line still measures right.
            let font = self.metrics.primary(face);
            return Atom {
                ch,
                font,
                glyph: 0,
                size,
                width: cell,
                fake_bold: false,
                wide: true,
                class: BreakClass::of(ch, true),
            };
        };
        // SPEC §7: a character the face's font lacks is taken from another
        // font (rare name characters such as 镕, 堃), and the author is told,
        // since it will not match the face's design.
        let regular = self.lookup(face, false, ch);
        if regular.is_some_and(|r| r.font != self.metrics.primary(face)) && self.reported.insert(ch) {
            self.diags.push(
                Diagnostic::warning(
                    Code::FontMissingGlyph,
                    format!(
                        "the {} font has no `{ch}` (U+{:04X}); it is printed from another font",
                        face.chinese(),
                        u32::from(ch)
                    ),
                )
                .with_hint(
                    "`wengao fonts` shows the fonts in use; name a font that covers it in wengao.toml [style.fonts]",
                ),
            );
        }
        self.finish(ch, g, regular, bold, size)
    }

    /// The atom for `ch` drawn with glyph `g` (`regular`: what the face's
    /// regular weight answers for the same character).
    fn finish(&self, ch: char, g: GlyphInfo, regular: Option<GlyphInfo>, bold: bool, size: f64) -> Atom {
        // Bold asked but the face answers with the same font as for regular:
        // the face has no bold font, so the writer strokes the outline.
        let fake_bold = bold && regular.is_some_and(|r| r.font == g.font);
        let upem = self.metrics.units_per_em(g.font).max(1);
        let wide = crate::unicode::is_wide(ch) || g.advance >= upem;
        let width = if wide { self.cell(size) } else { f64::from(g.advance) * size / f64::from(upem) };
        Atom { ch, font: g.font, glyph: g.glyph, size, width, fake_bold, wide, class: BreakClass::of(ch, wide) }
    }

    /// A minus sign, which GB 2312 faces (仿宋_GB2312, the Fandol fonts,
    /// the bundled subsets) do not have: the face's own minus; else its en
    /// dash, as wide as its figures and of its design; else another
    /// font's minus; else the face's hyphen-minus, which the text then says
    /// too. None of these is worth a warning: the author typed a hyphen.
    fn minus(&mut self, face: Face, bold: bool, size: f64) -> Atom {
        let primary = self.metrics.primary(face);
        for stand_in in [MINUS_SIGN, EN_DASH] {
            let regular = self.lookup(face, false, stand_in);
            if regular.is_some_and(|r| r.font == primary)
                && let Some(g) = self.lookup(face, bold, stand_in)
            {
                return self.finish(MINUS_SIGN, g, regular, bold, size);
            }
        }
        if let Some(g) = self.lookup(face, bold, MINUS_SIGN) {
            let regular = self.lookup(face, false, MINUS_SIGN);
            return self.finish(MINUS_SIGN, g, regular, bold, size);
        }
        self.atom('-', face, bold, size)
    }

    /// Shape inline pieces at `size` into chunks separated by hard breaks
    /// (`Piece::Break`, and line or paragraph separators inside the text).
    /// Tabs count as spaces; other control characters are dropped.
    pub fn shape(&mut self, pieces: &[Piece<'_>], size: f64) -> Vec<Vec<Atom>> {
        let mut chunks = vec![Vec::new()];
        for piece in pieces {
            match *piece {
                Piece::Break => chunks.push(Vec::new()),
                Piece::Text { text, face, bold } => {
                    for ch in text.chars() {
                        match ch {
                            '\n' | '\u{2028}' | '\u{2029}' => chunks.push(Vec::new()),
                            '\t' => {
                                let a = self.atom(' ', face, bold, size);
                                push(&mut chunks, a);
                            }
                            c if c.is_control() => {}
                            c => {
                                let a = self.atom(c, face, bold, size);
                                push(&mut chunks, a);
                            }
                        }
                    }
                }
            }
        }
        chunks
    }

    /// Shape one plain string in one face (no hard breaks expected; any are
    /// kept as chunk boundaries).
    pub fn shape_str(&mut self, text: &str, face: Face, bold: bool, size: f64) -> Vec<Vec<Atom>> {
        self.shape(&[Piece::Text { text, face, bold }], size)
    }
}

fn push(chunks: &mut Vec<Vec<Atom>>, a: Atom) {
    if let Some(last) = chunks.last_mut() {
        last.push(a);
    } else {
        chunks.push(vec![a]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::testing::FakeMetrics;

    #[test]
    fn full_width_characters_take_one_grid_cell() {
        let style = Style::gbt9704();
        let m = FakeMetrics::default();
        let mut s = Shaper::new(&style, &m);
        let han = s.atom('中', Face::Fang, false, 16.0);
        assert!((han.width - style.char_pitch().0).abs() < 1e-9);
        assert!(han.wide);
        let digit = s.atom('7', Face::Fang, false, 16.0);
        assert!((digit.width - 8.0).abs() < 1e-9, "half an em from the font advance");
        assert!(!digit.wide);
        // A 22 pt title character keeps the body's proportion.
        let title = s.atom('标', Face::Song, false, 22.0);
        assert!((title.width - style.char_pitch().0 * 22.0 / 16.0).abs() < 1e-9);
    }

    #[test]
    fn missing_glyphs_warn_once_and_draw_a_box() {
        let style = Style::gbt9704();
        let m = FakeMetrics::with_missing("𠀀");
        let mut s = Shaper::new(&style, &m);
        let chunks = s.shape_str("甲𠀀乙𠀀", Face::Fang, false, 16.0);
        assert_eq!(chunks.len(), 1);
        let a = chunks[0][1];
        assert_eq!(a.glyph, 0);
        assert!((a.width - style.char_pitch().0).abs() < 1e-9);
        assert_eq!(s.diags.0.len(), 1);
        assert_eq!(s.diags.0[0].code, Code::FontMissingGlyph);
        assert!(s.diags.0[0].message.contains("U+20000"), "{}", s.diags.0[0].message);
    }

    /// A fake whose faces lack 镕 and the minus sign, which font 99 has,
    /// and the en dash, which no font has.
    struct FallbackMetrics(FakeMetrics);

    impl Metrics for FallbackMetrics {
        fn glyph(&self, face: Face, bold: bool, ch: char) -> Option<GlyphInfo> {
            match ch {
                EN_DASH => None,
                MINUS_SIGN => Some(GlyphInfo { font: FontId(99), glyph: 7, advance: 580 }),
                '镕' => Some(GlyphInfo { font: FontId(99), ..self.0.glyph(face, bold, ch)? }),
                _ => self.0.glyph(face, bold, ch),
            }
        }
        fn units_per_em(&self, font: FontId) -> u16 {
            self.0.units_per_em(font)
        }
        fn ascender(&self, font: FontId) -> i16 {
            self.0.ascender(font)
        }
        fn primary(&self, face: Face) -> FontId {
            self.0.primary(face)
        }
    }

    #[test]
    fn a_character_from_a_fallback_font_is_printed_and_named() {
        let style = Style::gbt9704();
        let m = FallbackMetrics(FakeMetrics::default());
        let mut s = Shaper::new(&style, &m);
        let chunks = s.shape_str("朱镕基镕", Face::Fang, false, 16.0);
        assert_eq!(chunks[0][1].font, FontId(99), "drawn from the font that has it");
        assert_eq!(s.diags.0.len(), 1, "one warning per character");
        assert_eq!(s.diags.0[0].code, Code::FontMissingGlyph);
        assert!(
            s.diags.0[0].message.contains("仿宋") && s.diags.0[0].message.contains('镕'),
            "{}",
            s.diags.0[0].message
        );
    }

    #[test]
    fn a_minus_sign_is_drawn_from_the_face_its_en_dash_or_its_hyphen() {
        let style = Style::gbt9704();
        let glyph_of = |c: char| (u32::from(c) % 0xFFFF) as u16 + 1;
        let minus = |m: &FakeMetrics| {
            let mut s = Shaper::new(&style, m);
            let a = s.atom(MINUS_SIGN, Face::Fang, false, 16.0);
            assert!(s.diags.0.is_empty(), "the author typed a hyphen: no warning");
            a
        };
        let own = minus(&FakeMetrics::default());
        assert_eq!((own.ch, own.glyph), (MINUS_SIGN, glyph_of(MINUS_SIGN)));
        // 仿宋 (GBK) and Fandol: no minus, an en dash as wide as a figure.
        let dash = minus(&FakeMetrics::with_missing("\u{2212}"));
        assert_eq!((dash.ch, dash.glyph), (MINUS_SIGN, glyph_of(EN_DASH)), "the text still says minus");
        // 仿宋_GB2312 and the bundled subsets: neither; the hyphen, and the text says so.
        let hyphen = minus(&FakeMetrics::with_missing("\u{2212}\u{2013}"));
        assert_eq!((hyphen.ch, hyphen.glyph), ('-', glyph_of('-')));
    }

    #[test]
    fn a_minus_sign_from_another_font_is_not_warned_about() {
        let style = Style::gbt9704();
        let m = FallbackMetrics(FakeMetrics::default());
        let mut s = Shaper::new(&style, &m);
        let a = s.atom(MINUS_SIGN, Face::Fang, false, 16.0);
        assert_eq!((a.ch, a.font, a.glyph), (MINUS_SIGN, FontId(99), 7));
        assert!(!a.wide && (a.width - 16.0 * 0.58).abs() < 1e-9, "its own advance: {}", a.width);
        assert!(s.diags.0.is_empty());
    }

    #[test]
    fn bold_without_a_bold_font_is_synthetic() {
        let style = Style::gbt9704();
        let m = FakeMetrics::default();
        let mut s = Shaper::new(&style, &m);
        assert!(s.atom('强', Face::Fang, true, 16.0).fake_bold);
        assert!(!s.atom('强', Face::Fang, false, 16.0).fake_bold);
        let m = FakeMetrics { bold_fonts: true, ..FakeMetrics::default() };
        let mut s = Shaper::new(&style, &m);
        let a = s.atom('强', Face::Fang, true, 16.0);
        assert!(!a.fake_bold);
        assert_ne!(a.font, s.atom('强', Face::Fang, false, 16.0).font);
    }

    #[test]
    fn hard_breaks_split_chunks_and_controls_drop() {
        let style = Style::gbt9704();
        let m = FakeMetrics::default();
        let mut s = Shaper::new(&style, &m);
        let chunks = s.shape(
            &[
                Piece::Text { text: "甲\u{7}乙\n丙", face: Face::Fang, bold: false },
                Piece::Break,
                Piece::Text { text: "丁\t戊", face: Face::Kai, bold: false },
            ],
            16.0,
        );
        let text: Vec<String> = chunks.iter().map(|c| c.iter().map(|a| a.ch).collect()).collect();
        assert_eq!(text, vec!["甲乙", "丙", "丁 戊"]);
    }
}
