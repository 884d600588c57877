//! Reading font files into `LoadedFont`s, and looking glyphs up in them.
//!
//! Part of font resolution (once per build, for layout and the PDF writer):
//! it maps font files and reads the few tables wengao needs (names, metrics, cmap,
//! hmtx). No layout, no PDF.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ttf_parser::{GlyphId, RawFace, Tag};

use super::{FontId, GlyphInfo, LoadedFont};

/// Shared bytes of one font file, as `LoadedFont::data` holds them.
pub(crate) type Shared = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// The bytes of a font file on disk: mapped, or read where mapping fails.
///
/// A CJK font is tens of MB and a document touches only its tables' headers,
/// cmap, metrics and the outlines of the glyphs it uses: mapped, the rest is
/// never copied nor made resident, and pages the OS already caches are
/// shared with every other process using the font.
pub(crate) enum FileBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl AsRef<[u8]> for FileBytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(m) => m,
            FileBytes::Read(v) => v,
        }
    }
}

impl FileBytes {
    pub(crate) fn open(path: &Path) -> io::Result<FileBytes> {
        open_with(path, map)
    }

    /// Let the pages read so far go from this process's memory: they are
    /// the file's own, so the next read of them faults them in again from
    /// the page cache. A long batch build touches, document after document,
    /// the outlines of more and more glyphs; without this, they all stayed
    /// resident and the build's memory grew with the number of documents.
    pub(crate) fn release_pages(&self) {
        if let FileBytes::Mapped(m) = self {
            // SAFETY: the mapping is read-only and shared with the file
            // (memmap2 maps with PROT_READ, MAP_SHARED): its pages are the
            // page cache's, so dropping them from this process loses
            // nothing, and a reader on another thread at the same moment
            // faults the same bytes back in.
            let _ = unsafe { m.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
    }
}

impl std::fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileBytes::Mapped(m) => write!(f, "Mapped({} bytes)", m.len()),
            FileBytes::Read(v) => write!(f, "Read({} bytes)", v.len()),
        }
    }
}

fn map(file: &File) -> io::Result<memmap2::Mmap> {
    // SAFETY: the mapping is read-only and lives for one build (fonts are
    // resolved per build; `watch` resolves them again for each rebuild).
    // Replacing a font file the usual ways (dpkg and `install` write a new
    // file and rename it, deleting it) leaves this inode and its bytes alone.
    // Only a write into the same inode while a build runs reaches the
    // mapping (`cp` onto the file, which truncates it first): bytes then
    // change under a `&[u8]`, which Rust calls undefined behaviour (in
    // practice wrong glyphs: ttf-parser and subsetter bounds-check every
    // read), and a read past a truncated end is SIGBUS. wengao takes that
    // risk already: fontdb maps every file it scans (`load_system_fonts`,
    // `with_face_data`), as Typst's font search does through fontdb. Typst
    // then reads the chosen files with `fs::read`; wengao keeps the map, as
    // the copy was most of a cold build's time and memory (bench/README.md,
    // "Cold build").
    unsafe { memmap2::Mmap::map(file) }
}

/// The largest font file read when it cannot be mapped (the largest CJK
/// fonts are about 30 MiB; collections up to a few times that).
const MAX_FONT_BYTES: u64 = 256 << 20;

/// `FileBytes::open` with the mapping function given (tests make it fail).
pub(super) fn open_with(path: &Path, map: fn(&File) -> io::Result<memmap2::Mmap>) -> io::Result<FileBytes> {
    let mut file = crate::textfile::open_regular(path)?;
    let meta = file.metadata()?;
    // An empty file has nothing to map, and files that report no length
    // (procfs, some FUSE file systems) must be read to be seen at all; any
    // mapping error (a file system without mmap) falls back to reading too.
    if meta.is_file()
        && meta.len() > 0
        && let Ok(m) = map(&file)
    {
        return Ok(FileBytes::Mapped(m));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    (&mut file).take(MAX_FONT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FONT_BYTES {
        return Err(io::Error::other(format!("it is larger than {} MiB, more than any font", MAX_FONT_BYTES >> 20)));
    }
    Ok(FileBytes::Read(bytes))
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

/// A font file's shared bytes (see `FileBytes`).
pub(crate) fn read(path: &Path) -> io::Result<Arc<FileBytes>> {
    Ok(Arc::new(FileBytes::open(path)?))
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
