//! Reading font files into `LoadedFont`s, and looking glyphs up in them.
//!
//! Part of font resolution (once per build, for layout and the PDF writer):
//! it reads bytes and the few tables wengao needs (names, metrics, cmap,
//! hmtx). No layout, no PDF.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ttf_parser::{GlyphId, RawFace, Tag};

use super::{FontId, GlyphInfo, LoadedFont};

/// Shared bytes of one font file, as `LoadedFont::data` holds them.
pub(crate) type Shared = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// A font file read only when its bytes are first asked for.
///
/// Bold variants and fallback fonts are often never used; a Noto CJK
/// collection is 20–27 MB, so reading them up front would cost more than the
/// whole system-font scan. Their metrics are taken at resolution time from a
/// memory map (fontdb); the bytes come later. If the file has vanished by
/// then, the bytes are empty: glyph lookups find nothing and the layout
/// engine reports missing glyphs, rather than anything panicking.
pub(crate) struct LazyFile {
    path: PathBuf,
    bytes: OnceLock<Vec<u8>>,
}

impl LazyFile {
    pub(crate) fn new(path: PathBuf) -> Self {
        LazyFile { path, bytes: OnceLock::new() }
    }
}

impl AsRef<[u8]> for LazyFile {
    fn as_ref(&self) -> &[u8] {
        self.bytes.get_or_init(|| std::fs::read(&self.path).unwrap_or_default())
    }
}

/// What resolution needs to know about one face of a font file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Facts {
    pub family: String,
    pub postscript_name: String,
    pub units_per_em: u16,
    pub ascender: i16,
    pub descender: i16,
    pub weight: u16,
}

/// Why a file is not a usable font, in words for a diagnostic.
pub(crate) fn facts(data: &[u8], index: u32) -> Result<Facts, String> {
    if let Some(count) = ttf_parser::fonts_in_collection(data)
        && index >= count
    {
        return Err(format!(
            "the collection holds {count} face{} (#0–#{}), not #{index}",
            if count == 1 { "" } else { "s" },
            count.saturating_sub(1)
        ));
    }
    let face = ttf_parser::Face::parse(data, index).map_err(|e| match e {
        ttf_parser::FaceParsingError::UnknownMagic => "not a TrueType/OpenType font (.ttf, .otf, .ttc)".to_string(),
        other => other.to_string(),
    })?;
    if !face.tables().cmap.is_some_and(|c| c.subtables.into_iter().any(|s| s.is_unicode())) {
        return Err("the font has no Unicode character map".into());
    }
    let family = name(&face, &[ttf_parser::name_id::TYPOGRAPHIC_FAMILY, ttf_parser::name_id::FAMILY]);
    let postscript_name = name(&face, &[ttf_parser::name_id::POST_SCRIPT_NAME]);
    let (family, postscript_name) = match (family, postscript_name) {
        (Some(f), Some(p)) => (f, p),
        (Some(f), None) => (f.clone(), f.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect()),
        (None, Some(p)) => (p.clone(), p),
        (None, None) => ("Unnamed".to_string(), "Unnamed".to_string()),
    };
    Ok(Facts {
        family,
        postscript_name,
        units_per_em: face.units_per_em(),
        ascender: face.ascender(),
        // Some fonts (FandolSong-Regular) store the descender as a positive
        // depth; wengao promises a negative one.
        descender: -face.descender().saturating_abs(),
        weight: weight(&face),
    })
}

/// The weight class, trusting the bold flag over it: Fandol's Bold cuts say
/// 400 in usWeightClass but set the OS/2 bold bit.
fn weight(face: &ttf_parser::Face<'_>) -> u16 {
    let w = face.weight().to_number();
    if face.is_bold() && w < 600 { 700 } else { w }
}

/// The weight of one face of a file (see `weight`), `None` if unparsable.
pub(crate) fn weight_of(data: &[u8], index: u32) -> Option<u16> {
    ttf_parser::Face::parse(data, index).ok().map(|f| weight(&f))
}

/// The first name with one of `ids` (in that order of preference), US
/// English first because the PDF BaseFont and `wengao fonts` want the
/// Latin spelling; any other Unicode record after that.
fn name(face: &ttf_parser::Face<'_>, ids: &[u16]) -> Option<String> {
    const EN_US: u16 = 0x0409;
    for &id in ids {
        let records = || face.names().into_iter().filter(move |n| n.name_id == id);
        let found = records()
            .filter(|n| n.language_id == EN_US || n.platform_id == ttf_parser::PlatformId::Unicode)
            .chain(records())
            .find_map(|n| n.to_string().filter(|s| !s.trim().is_empty()));
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Build a `LoadedFont` from facts already checked.
pub(crate) fn loaded(id: FontId, data: Shared, index: u32, path: Option<PathBuf>, f: Facts) -> LoadedFont {
    LoadedFont {
        id,
        data,
        index,
        family: f.family,
        postscript_name: f.postscript_name,
        path,
        units_per_em: f.units_per_em,
        ascender: f.ascender,
        descender: f.descender,
        bold: f.weight >= 600,
    }
}

/// Read a whole file into shared bytes.
pub(crate) fn read(path: &Path) -> std::io::Result<Shared> {
    Ok(Arc::new(std::fs::read(path)?))
}

/// Does this face map `ch` to a real glyph? Used on memory-mapped data to
/// test coverage without keeping the bytes.
pub(crate) fn covers(data: &[u8], index: u32, ch: char) -> bool {
    glyph_id(data, index, ch).is_some()
}

/// The glyph for `ch` in one font, read straight from its `cmap` and `hmtx`.
///
/// Parsing only these tables costs about 70 ns a call on a Noto CJK
/// collection (a full `ttf_parser::Face::parse` is ~260 ns), so no cache is
/// needed for the few thousand lookups of a document.
pub(crate) fn lookup(font: &LoadedFont, ch: char) -> Option<GlyphInfo> {
    let data = (*font.data).as_ref();
    let raw = RawFace::parse(data, font.index).ok()?;
    let glyph = glyph_in(&raw, ch)?;
    let hhea = ttf_parser::hhea::Table::parse(raw.table(Tag::from_bytes(b"hhea"))?)?;
    let maxp = ttf_parser::maxp::Table::parse(raw.table(Tag::from_bytes(b"maxp"))?)?;
    let hmtx = ttf_parser::hmtx::Table::parse(
        hhea.number_of_metrics,
        maxp.number_of_glyphs,
        raw.table(Tag::from_bytes(b"hmtx"))?,
    )?;
    let advance = hmtx.advance(glyph)?;
    Some(GlyphInfo { font: font.id, glyph: glyph.0, advance })
}

fn glyph_id(data: &[u8], index: u32, ch: char) -> Option<GlyphId> {
    glyph_in(&RawFace::parse(data, index).ok()?, ch)
}

/// First Unicode subtable that maps `ch`; glyph 0 (.notdef) counts as missing.
fn glyph_in(raw: &RawFace<'_>, ch: char) -> Option<GlyphId> {
    let cmap = ttf_parser::cmap::Table::parse(raw.table(Tag::from_bytes(b"cmap"))?)?;
    cmap.subtables
        .into_iter()
        .filter(|s| s.is_unicode())
        .find_map(|s| s.glyph_index(u32::from(ch)))
        .filter(|g| g.0 != 0)
}
