//! Fonts: which file serves each logical face (标宋, 仿宋, 黑体, 楷体), and the
//! glyph metrics the layout engine measures with.
//!
//! Resolution order (SPEC §7): fonts named in wengao.toml, installed fonts by
//! the names offices use, open fonts, then fonts bundled with wengao. Loaded
//! once per build and shared by every document. Nothing here lays out or
//! writes PDF.

use std::path::PathBuf;
use std::sync::Arc;

use crate::style::Face;

/// Index of a loaded font file (face of a collection) in a `FontSet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u32);

/// A glyph of a loaded font: its id and horizontal advance in font units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlyphInfo {
    /// Which font.
    pub font: FontId,
    /// Glyph id in that font.
    pub glyph: u16,
    /// Advance width in font units.
    pub advance: u16,
}

/// Where a chosen font came from, for `wengao fonts` and warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FontOrigin {
    /// A file path or family named in wengao.toml `[fonts]`/`[style.fonts]`.
    Config,
    /// An installed font with one of the names offices use for the face.
    Installed,
    /// An installed open font standing in for the face (Noto, Fandol, AR PL …).
    OpenSubstitute,
    /// A font compiled into wengao.
    Bundled,
}

/// One loaded font file (or one face of a .ttc collection).
#[derive(Clone)]
pub struct LoadedFont {
    /// Its id in the set.
    pub id: FontId,
    /// The whole file's bytes (shared; a .ttc is not copied per face).
    pub data: Arc<dyn AsRef<[u8]> + Send + Sync>,
    /// Face index inside a collection (0 for a plain .ttf/.otf).
    pub index: u32,
    /// Family name as the font names itself.
    pub family: String,
    /// PostScript name (used for the PDF BaseFont).
    pub postscript_name: String,
    /// File it was read from, if any.
    pub path: Option<PathBuf>,
    /// Design units per em.
    pub units_per_em: u16,
    /// Typographic ascender and descender, in font units (descender negative).
    pub ascender: i16,
    /// See `ascender`.
    pub descender: i16,
    /// Whether the font's weight is bold (600+), so writers need no synthetic bold.
    pub bold: bool,
}

impl std::fmt::Debug for LoadedFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedFont")
            .field("id", &self.id)
            .field("family", &self.family)
            .field("path", &self.path)
            .finish()
    }
}

/// Why a face got the font it got (`wengao fonts`).
#[derive(Debug, Clone)]
pub struct Choice {
    /// The logical face.
    pub face: Face,
    /// The font chosen.
    pub font: FontId,
    /// Where it came from.
    pub origin: FontOrigin,
    /// One line of explanation ("仿宋_GB2312 is not installed; FandolFang stands in").
    pub reason: String,
}

/// What the layout engine needs from fonts. `FontSet` implements it; tests
/// use a fixed-width fake.
pub trait Metrics {
    /// The glyph for `ch` in `face`: the face's own font, else a fallback font
    /// that has it; `None` when no loaded font has the character.
    fn glyph(&self, face: Face, bold: bool, ch: char) -> Option<GlyphInfo>;
    /// Units per em of a font.
    fn units_per_em(&self, font: FontId) -> u16;
    /// Ascender of a font in font units (positive).
    fn ascender(&self, font: FontId) -> i16;
    /// The primary font of a face (used for metrics of empty lines and spaces).
    fn primary(&self, face: Face) -> FontId;
}

/// The fonts of one build: one primary font per face plus fallbacks.
/// (Resolution is implemented in `resolve`.)
#[derive(Debug, Clone, Default)]
pub struct FontSet {
    /// Every loaded font; `FontId(i)` is `fonts[i]`.
    pub fonts: Vec<LoadedFont>,
    /// The choice made for each face, in `Face::ALL` order.
    pub choices: Vec<Choice>,
}
