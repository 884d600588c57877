//! Fonts: which file serves each logical face (标宋, 仿宋, 黑体, 楷体), and the
//! glyph metrics the layout engine measures with.
//!
//! Resolution order (SPEC §7): fonts named in wengao.toml, installed fonts by
//! the names offices use, open fonts, then fonts bundled with wengao. Loaded
//! once per build and shared by every document. Nothing here lays out or
//! writes PDF.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Code, Diagnostic};
use crate::style::Face;

#[cfg(feature = "bundled-fonts")]
mod bundled;
mod load;
mod resolve;
mod system;

#[cfg(test)]
mod tests;

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
    /// The whole file's bytes, memory-mapped for a file on disk (shared; a .ttc is
    /// not copied per face).
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
    /// Font programs the PDF writer made with these fonts (see `ProgramCache`).
    pub programs: ProgramCache,
    /// The font files the fonts are read from.
    pub(crate) files: Vec<std::sync::Arc<load::FileBytes>>,
}

/// Subset, compressed font programs by (font, form, glyph list), shared by
/// the documents of a build: the title, heading and signature fonts of a set
/// of county documents use the same few glyphs in every document, and a
/// program is a function of the font, the way it is embedded (the PDF
/// writer's `ProgramForm`, an opaque number here) and the glyphs alone, so
/// reusing it changes no byte. Bounded: only small programs (the body
/// font's differs from document to document and is large), at most `MAX`
/// of them, and only once a program has been made twice — a title set in
/// each county's own name never repeats, and keeping those would make a
/// build's memory grow with its number of documents.
///
/// For the programs that differ (the body font's), the CFF charstrings of
/// each font are kept glyph by glyph instead (`charstrings`), at most
/// `CHARSTRING_BYTES` per font: the documents of a set share most of their
/// glyphs, and decompiling them again was a third of a batch's CPU.
#[derive(Debug, Clone, Default)]
pub struct ProgramCache(std::sync::Arc<std::sync::Mutex<Programs>>);

/// A font's index in its set, the form of the program and the glyphs of the
/// subset, in CID order.
type ProgramKey = (u32, u8, Vec<u16>);

#[derive(Debug, Default)]
struct Programs {
    /// Font index → its compiled CFF charstrings (`subsetter::subset_cached`).
    charstrings: std::collections::HashMap<u32, std::sync::Arc<subsetter::CharStringCache>>,
    /// Key → (base font name, compressed program).
    kept: std::collections::HashMap<ProgramKey, (String, Vec<u8>)>,
    /// Hashes of keys made once, by `hash % SEEN_SLOTS` (a newer key
    /// takes an older one's slot): a fixed table, so that what the cache
    /// remembers does not grow with the number of documents either.
    seen: Vec<u64>,
}

impl ProgramCache {
    const MAX: usize = 256;
    const MAX_BYTES: usize = 64 * 1024;
    const SEEN_SLOTS: usize = 1024;
    /// Per font: a 7,000-glyph CJK font's charstrings (FandolFang: ~575
    /// bytes a glyph), more than a build of thousands of documents uses.
    const CHARSTRING_BYTES: usize = 4 * 1024 * 1024;

    /// A program made before: (base font name, compressed bytes).
    pub fn get(&self, font: u32, form: u8, glyphs: &[u16]) -> Option<(String, Vec<u8>)> {
        let map = self.0.lock().ok()?;
        map.kept.get(&(font, form, glyphs.to_vec())).cloned()
    }

    /// Remember a program if it is small, has been made before, and there
    /// is room.
    pub fn put(&self, font: u32, form: u8, glyphs: Vec<u16>, base_font: &str, data: &[u8]) {
        if data.len() > Self::MAX_BYTES {
            return;
        }
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (font, form, &glyphs).hash(&mut h);
            h.finish()
        };
        let Ok(mut p) = self.0.lock() else { return };
        if p.seen.is_empty() {
            p.seen = vec![0; Self::SEEN_SLOTS];
        }
        let slot = (hash % Self::SEEN_SLOTS as u64) as usize;
        if p.seen.get(slot) != Some(&hash) {
            if let Some(s) = p.seen.get_mut(slot) {
                *s = hash;
            }
            return;
        }
        if p.kept.len() < Self::MAX {
            p.kept.insert((font, form, glyphs), (base_font.to_string(), data.to_vec()));
        }
    }

    /// The compiled CFF charstrings of a font kept so far (`None` only if
    /// the cache's lock was poisoned: subset without it).
    pub fn charstrings(&self, font: u32) -> Option<std::sync::Arc<subsetter::CharStringCache>> {
        let mut p = self.0.lock().ok()?;
        let cache = p
            .charstrings
            .entry(font)
            .or_insert_with(|| std::sync::Arc::new(subsetter::CharStringCache::new(Self::CHARSTRING_BYTES)));
        Some(std::sync::Arc::clone(cache))
    }

    /// Programs kept (for tests).
    pub fn len(&self) -> usize {
        self.0.lock().map_or(0, |p| p.kept.len())
    }

    /// Whether no program is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl FontSet {
    /// Let the pages of the font files read so far go (`FileBytes::release_pages`).
    pub fn release_pages(&self) {
        for f in &self.files {
            f.release_pages();
        }
    }

    /// A loaded font by id.
    pub fn font(&self, id: FontId) -> Option<&LoadedFont> {
        self.fonts.get(id.0 as usize)
    }

    /// The choice made for a face (`None` only after F004).
    pub fn choice(&self, face: Face) -> Option<&Choice> {
        self.choices.iter().find(|c| c.face == face)
    }

    /// A real bold font for `face`: its primary if that is bold, else a
    /// loaded bold cut of the same family. `None`: bold must be synthesized.
    pub fn bold_font(&self, face: Face) -> Option<FontId> {
        let p = self.font(self.primary(face))?;
        if p.bold {
            return Some(p.id);
        }
        self.fonts.iter().find(|f| f.bold && f.family == p.family).map(|f| f.id)
    }

    /// The glyph for `ch` in one particular font, without fallback.
    pub fn glyph_in(&self, font: FontId, ch: char) -> Option<GlyphInfo> {
        load::lookup(self.font(font)?, ch)
    }

    /// Fonts loaded only to supply characters the faces' fonts lack (and
    /// bold cuts): every font that is no face's primary.
    pub fn fallbacks(&self) -> impl Iterator<Item = &LoadedFont> {
        self.fonts.iter().filter(|f| !self.choices.iter().any(|c| c.font == f.id))
    }

    /// One font file (face `index` of a collection) serving all four faces,
    /// for tests and tools that want a fixed font. Error: F003.
    pub fn from_file(path: &Path, index: u32) -> Result<FontSet, Diagnostic> {
        let unreadable = |why: String| {
            Diagnostic::error(Code::FontUnreadable, format!("font file `{}` cannot be used: {why}", path.display()))
        };
        let data = load::read(path).map_err(|e| unreadable(e.to_string()))?;
        let facts = load::facts((*data).as_ref(), index).map_err(unreadable)?;
        let font = load::loaded(FontId(0), data, index, Some(path.to_path_buf()), facts);
        let choices = Face::ALL
            .iter()
            .map(|&face| Choice { face, font: FontId(0), origin: FontOrigin::Config, reason: "given font file".into() })
            .collect();
        Ok(FontSet { fonts: vec![font], choices, ..FontSet::default() })
    }
}

impl Metrics for FontSet {
    /// The face's font (its bold cut when `bold` and one is loaded), then
    /// the face's regular font, then every other loaded font in id order,
    /// those of the asked weight first.
    fn glyph(&self, face: Face, bold: bool, ch: char) -> Option<GlyphInfo> {
        let primary = self.primary(face);
        let first = if bold { self.bold_font(face).unwrap_or(primary) } else { primary };
        if let Some(g) = self.glyph_in(first, ch) {
            return Some(g);
        }
        if first != primary
            && let Some(g) = self.glyph_in(primary, ch)
        {
            return Some(g);
        }
        [true, false].into_iter().find_map(|same_weight| {
            self.fonts
                .iter()
                .filter(|f| f.id != first && f.id != primary && (f.bold == bold) == same_weight)
                .find_map(|f| load::lookup(f, ch))
        })
    }

    fn units_per_em(&self, font: FontId) -> u16 {
        self.font(font).map_or(1000, |f| f.units_per_em)
    }

    fn ascender(&self, font: FontId) -> i16 {
        self.font(font).map_or(880, |f| f.ascender)
    }

    fn primary(&self, face: Face) -> FontId {
        self.choice(face).map_or(FontId(0), |c| c.font)
    }
}

/// The bytes of the font compiled in for `face` (charts drawn without
/// resolved fonts use these).
#[cfg(feature = "bundled-fonts")]
pub(crate) fn bundled_data(face: Face) -> Option<&'static [u8]> {
    bundled::for_face(face).map(|b| b.data)
}

/// F002 for a character no loaded font has; the layout engine attaches the
/// span where the character is.
pub fn missing_glyph_diag(ch: char) -> Diagnostic {
    Diagnostic::warning(
        Code::FontMissingGlyph,
        format!("no font has the character `{ch}` (U+{:04X})", u32::from(ch)),
    )
    .with_hint("install a font with wide coverage (`apt-get install fonts-noto-cjk`) or name one in wengao.toml [style.fonts]")
}

/// Whether a `[style] fonts` entry names a font file (`fonts/x.ttf`,
/// `x.ttc#2`) rather than a family: files serve the PDF only.
pub(crate) fn looks_like_file(entry: &str) -> bool {
    resolve::path_entry(entry).is_some()
}
