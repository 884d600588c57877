//! Font programs for OFD: the used glyphs of a font, subset, with a `cmap`.
//!
//! An OFD `TextCode` holds characters, not glyph ids: a reader finds each
//! glyph through the embedded font's `cmap` (GB/T 33190 §11.3), and only a
//! `CGTransform` names glyphs directly. `subsetter` (the same subsetter and
//! glyph numbering as the PDF writer's: old glyphs in ascending order become
//! 1, 2, 3 …) drops `cmap` and `OS/2`, which a PDF CIDFont does not need; so
//! the subset gets a new `cmap` from the characters the pages use and the
//! original font's `OS/2`, written with `write-fonts` (fontations, the
//! subsetter's own dependency) rather than by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use subsetter::GlyphRemapper;
use ttf_parser::{Face, Tag};
use write_fonts::FontBuilder;
use write_fonts::read::FontRef;
use write_fonts::tables::cmap::Cmap;
use write_fonts::types::GlyphId;

use crate::diag::{Code, Diagnostic};
use crate::fonts::LoadedFont;

/// One font as the OFD embeds it.
pub(super) struct SubsetFont {
    /// File extension of the program: `otf` (CFF outlines) or `ttf`.
    pub(super) extension: &'static str,
    /// The subset program, with `cmap` and `OS/2`.
    pub(super) program: Vec<u8>,
    /// Old glyph id → glyph id in the subset.
    remapper: GlyphRemapper,
    /// (glyph, character) pairs the subset's `cmap` maps: the glyph is what
    /// the original font's `cmap` gives for the character.
    mapped: BTreeSet<(u16, char)>,
}

impl SubsetFont {
    /// Subset `font` to the glyphs of `used` ((old glyph id, character it
    /// stood for) pairs, every one the pages draw).
    pub(super) fn new(font: &LoadedFont, used: &BTreeSet<(u16, char)>) -> Result<SubsetFont, Diagnostic> {
        let data: &[u8] = (*font.data).as_ref();
        let cannot = |why: String| {
            Diagnostic::error(Code::OutputWriter, format!("ofd: cannot embed font `{}`: {why}", font.family))
                .with_hint("choose another font for this face in wengao.toml [fonts]")
        };
        let face = Face::parse(data, font.index).map_err(|e| cannot(e.to_string()))?;
        let raw = face.raw_face();
        let extension = if raw.table(Tag::from_bytes(b"glyf")).is_some() {
            "ttf"
        } else if raw.table(Tag::from_bytes(b"CFF ")).is_some() {
            "otf"
        } else {
            return Err(cannot("it has neither TrueType nor CFF outlines (a variable CFF2 font?)".into()));
        };
        let glyph_count = face.number_of_glyphs();
        if let Some(&(bad, _)) = used.iter().find(|(g, _)| *g >= glyph_count) {
            return Err(Diagnostic::internal(format!(
                "ofd: glyph {bad} is not in font `{}` ({glyph_count} glyphs)",
                font.family
            )));
        }

        // Ascending glyph order (`used` is sorted by glyph): the numbering
        // depends on which glyphs are used, not on the order of the text.
        let mut remapper = GlyphRemapper::new();
        for &(g, _) in used {
            remapper.remap(g);
        }
        let mapped: BTreeSet<(u16, char)> =
            used.iter().copied().filter(|&(g, c)| face.glyph_index(c).is_some_and(|found| found.0 == g)).collect();

        // The subsetter parses an arbitrary font file; should it panic on a
        // malformed one, report the font instead of taking the build down.
        let subset = catch_unwind(AssertUnwindSafe(|| subsetter::subset(data, font.index, &remapper)))
            .map_err(|_| cannot("the subsetter crashed".into()))?
            .map_err(|e| cannot(e.to_string()))?;

        // One glyph per character by construction (each pair agrees with the
        // original cmap), so the table cannot conflict.
        let cmap = Cmap::from_mappings(
            mapped.iter().filter_map(|&(g, c)| remapper.get(g).map(|new| (c, GlyphId::new(u32::from(new))))),
        )
        .map_err(|e| cannot(e.to_string()))?;
        let subset_ref = FontRef::new(&subset).map_err(|e| cannot(format!("the subset cannot be read back: {e}")))?;
        let mut builder = FontBuilder::new();
        builder.add_table(&cmap).map_err(|e| cannot(e.to_string()))?;
        if let Some(os2) = raw.table(Tag::from_bytes(b"OS/2")) {
            builder.add_raw(write_fonts::types::Tag::new(b"OS/2"), os2);
        }
        builder.copy_missing_tables(subset_ref);
        let program = builder.build();
        Ok(SubsetFont { extension, program, remapper, mapped })
    }

    /// The subset's glyph id of an original glyph.
    pub(super) fn glyph(&self, glyph: u16) -> u16 {
        self.remapper.get(glyph).unwrap_or(0)
    }

    /// Whether a reader finds `glyph` from `ch` through the subset's `cmap`;
    /// if not, the text object names the glyph in a `CGTransform`.
    pub(super) fn maps(&self, glyph: u16, ch: char) -> bool {
        self.mapped.contains(&(glyph, ch))
    }
}

/// Every (glyph, character) pair each font draws, in a fixed order.
pub(super) type Usage = BTreeMap<crate::fonts::FontId, BTreeSet<(u16, char)>>;
