//! Test helpers: a fixed-width `Metrics` fake and small builders, so layout
//! tests can assert exact positions without a font file.

use std::collections::BTreeSet;

use crate::fonts::{FontId, GlyphInfo, Metrics};
use crate::style::Face;

/// Units per em of every fake font.
pub(crate) const UPEM: u16 = 1000;

/// Fixed widths: every non-ASCII character one em, ASCII half an em; one
/// font per face (two with `bold_fonts`); `missing` characters have no glyph.
#[derive(Debug, Clone, Default)]
pub(crate) struct FakeMetrics {
    /// Characters no font has.
    pub missing: BTreeSet<char>,
    /// Give each face a real bold font (else bold is synthetic).
    pub bold_fonts: bool,
}

impl FakeMetrics {
    /// A fake where the characters of `chars` are missing.
    pub fn with_missing(chars: &str) -> Self {
        FakeMetrics { missing: chars.chars().collect(), bold_fonts: false }
    }

    fn face_index(face: Face) -> u32 {
        match face {
            Face::Song => 0,
            Face::Fang => 1,
            Face::Hei => 2,
            Face::Kai => 3,
            Face::Songti => 4,
        }
    }
}

impl Metrics for FakeMetrics {
    fn glyph(&self, face: Face, bold: bool, ch: char) -> Option<GlyphInfo> {
        if self.missing.contains(&ch) {
            return None;
        }
        let font = FontId(Self::face_index(face) * 2 + u32::from(bold && self.bold_fonts));
        let advance = if ch.is_ascii() { UPEM / 2 } else { UPEM };
        Some(GlyphInfo { font, glyph: (u32::from(ch) % 0xFFFF) as u16 + 1, advance })
    }

    fn units_per_em(&self, _font: FontId) -> u16 {
        UPEM
    }

    fn ascender(&self, _font: FontId) -> i16 {
        880
    }

    fn primary(&self, face: Face) -> FontId {
        FontId(Self::face_index(face) * 2)
    }
}
