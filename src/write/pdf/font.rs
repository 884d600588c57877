//! Font embedding: one Type0/CIDFont per used font, subset program, `/W`
//! widths and ToUnicode CMap; under PDF/A-1b also a `/CIDSet`, and CFF
//! fonts as the bare CFF program PDF 1.4 knows (`CIDFontType0C`).

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId, Tag};

use super::deflate::{deflate, deflate_huffman_only};
use super::hash::Hash128;
use super::{RefAlloc, round3};
use crate::diag::{Code, Diagnostic};
use crate::fonts::{LoadedFont, ProgramCache};
use crate::project::PdfStandard;

/// Everything the PDF needs of one font except its program: glyph → CID
/// mapping, widths, ToUnicode and descriptor metrics. Cheap to make (the face
/// is parsed lazily), so it is made first and the pages are written with it
/// while the expensive part, [`FontPlan::program`], runs on another thread.
pub(super) struct FontPlan<'a> {
    font: &'a LoadedFont,
    /// CFF outlines (CIDFontType0 + FontFile3/OpenType) rather than TrueType.
    pub(super) cff: bool,
    ps_name: String,
    /// Old glyph id → CID (= glyph id in the subset).
    pub(super) remapper: GlyphRemapper,
    /// Advance of each CID in 1/1000 em, as written to `/W`.
    pub(super) widths: Vec<f32>,
    /// The ToUnicode CMap, Flate-compressed.
    pub(super) to_unicode: Vec<u8>,
    metrics: DescriptorMetrics,
}

/// How a font program is embedded: part of the key under which
/// [`ProgramCache`] keeps programs, so that the same glyphs of the same font
/// embedded another way are made and kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ProgramForm {
    /// The subsetter's file as it is: `FontFile2` (TrueType) or `FontFile3`
    /// with `/Subtype /OpenType` (CFF).
    OpenType = 0,
    /// The `CFF ` table of the subset alone (`FontFile3` `/Subtype
    /// /CIDFontType0C`): CFF fonts under PDF/A-1b.
    BareCff = 1,
}

/// The subset font program of a [`FontPlan`].
pub(super) struct Program {
    /// `ABCDEF+PostScriptName`.
    pub(super) base_font: String,
    /// Flate-compressed.
    pub(super) data: Vec<u8>,
}

/// FontDescriptor values, in 1/1000 em.
struct DescriptorMetrics {
    /// `FontFlags` bits (the type is not `Clone`).
    flags: u32,
    bbox: Rect,
    italic_angle: f32,
    ascent: f32,
    descent: f32,
    cap_height: f32,
    stem_v: f32,
}

impl<'a> FontPlan<'a> {
    /// Plan the subset of `font` to the glyphs the pages use.
    pub(super) fn new(font: &'a LoadedFont, used: &BTreeMap<u16, String>) -> Result<Self, Diagnostic> {
        let face = Face::parse(font_bytes(font), font.index).map_err(|e| unreadable(font, e.to_string()))?;

        let glyph_count = face.number_of_glyphs();
        if let Some(&bad) = used.keys().find(|&&g| g >= glyph_count) {
            return Err(Diagnostic::internal(format!(
                "pdf: glyph {bad} is not in font `{}` ({glyph_count} glyphs)",
                font.family
            )));
        }

        let raw = face.raw_face();
        let cff = if raw.table(Tag::from_bytes(b"glyf")).is_some() {
            false
        } else if raw.table(Tag::from_bytes(b"CFF ")).is_some() {
            true
        } else {
            return Err(Diagnostic::error(
                Code::OutputWriter,
                format!("pdf: font `{}` has neither TrueType nor CFF outlines (a variable CFF2 font?)", font.family),
            )
            .with_hint(
                "choose a static (non-variable) TrueType or OpenType font for this face in wengao.toml [fonts]",
            ));
        };

        // Remapping in ascending glyph order (`used` is sorted) makes the CIDs
        // independent of the order the text happens to use the glyphs in, and
        // is exactly what the subsetter will number them.
        let mut remapper = GlyphRemapper::new();
        for &g in used.keys() {
            remapper.remap(g);
        }

        let upem = f64::from(face.units_per_em());
        let per_mille = |v: f64| round3(v * 1000.0 / upem);
        let widths: Vec<f32> = remapper
            .remapped_gids()
            .map(|g| per_mille(f64::from(face.glyph_hor_advance(GlyphId(g)).unwrap_or(0))))
            .collect();

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), identity_system_info());
        for (&glyph, text) in used {
            if let (Some(cid), false) = (remapper.get(glyph), text.is_empty()) {
                cmap.pair_with_multiple(cid, text.chars());
            }
        }
        let to_unicode = deflate(cmap.finish().as_slice())?;

        Ok(FontPlan {
            font,
            cff,
            ps_name: postscript_name(font),
            remapper,
            widths,
            to_unicode,
            metrics: descriptor_metrics(font, &face, per_mille),
        })
    }

    /// CID and advance (1/1000 em) of an original glyph id. Every glyph of
    /// every run was remapped when the plan was made.
    pub(super) fn cid(&self, glyph: u16) -> (u16, f64) {
        let cid = self.remapper.get(glyph).unwrap_or(0);
        let w = self.widths.get(usize::from(cid)).copied().unwrap_or(0.0);
        (cid, f64::from(w))
    }

    /// The plain PDF's program (the tests' shorthand for `program_for`).
    #[cfg(test)]
    pub(super) fn program(&self, cache: Option<&ProgramCache>) -> Result<Program, Diagnostic> {
        self.program_in(ProgramForm::OpenType, cache)
    }

    /// Subset and compress the font program: the slow part (milliseconds
    /// for a few hundred CFF glyphs), safe to run on its own thread.
    /// `cache`: programs already made in this build (`ProgramCache`).
    /// The program as `standard` allows it. PDF/A-1 is PDF 1.4, which has
    /// no OpenType font files: a CFF font goes in as the bare CFF program
    /// the subset wraps (`FontFile3` `/Subtype /CIDFontType0C`). TrueType
    /// programs are the same under both.
    pub(super) fn program_for(
        &self,
        standard: PdfStandard,
        cache: Option<&ProgramCache>,
    ) -> Result<Program, Diagnostic> {
        let form = if standard == PdfStandard::A1b && self.cff { ProgramForm::BareCff } else { ProgramForm::OpenType };
        self.program_in(form, cache)
    }

    /// The program in `form`, from the build's cache if it was made before
    /// (the form is part of the key: the two forms of one subset differ).
    fn program_in(&self, form: ProgramForm, cache: Option<&ProgramCache>) -> Result<Program, Diagnostic> {
        let glyphs: Vec<u16> = self.remapper.remapped_gids().collect();
        if let Some((base_font, data)) = cache.and_then(|c| c.get(self.font.id.0, form as u8, &glyphs)) {
            return Ok(Program { base_font, data });
        }
        let made = self.make_program(form, cache)?;
        if let Some(c) = cache {
            c.put(self.font.id.0, form as u8, glyphs, &made.base_font, &made.data);
        }
        Ok(made)
    }

    fn make_program(&self, form: ProgramForm, cache: Option<&ProgramCache>) -> Result<Program, Diagnostic> {
        let subset = self.subset(cache)?;
        let program = match form {
            ProgramForm::OpenType => subset.as_slice(),
            // The subset's `CFF ` table alone: a CID-keyed CFF program (the
            // subsetter makes every CFF font CID-keyed, with CID = glyph id).
            ProgramForm::BareCff => ttf_parser::RawFace::parse(&subset, 0)
                .ok()
                .and_then(|raw| raw.table(Tag::from_bytes(b"CFF ")))
                .ok_or_else(|| {
                    Diagnostic::internal(format!("pdf: the subset of font `{}` has no CFF table", self.font.family))
                })?,
        };
        let base_font = format!("{}+{}", subset_tag(&self.ps_name, &self.remapper, program), self.ps_name);
        // CFF: Huffman coding alone (`deflate_huffman_only` says why).
        let data = if self.cff { deflate_huffman_only(program)? } else { deflate(program)? };
        Ok(Program { base_font, data })
    }

    /// The subset font program, as the subsetter returns it (an OpenType
    /// font for CFF outlines, a TrueType font for `glyf` ones).
    fn subset(&self, cache: Option<&ProgramCache>) -> Result<Vec<u8>, Diagnostic> {
        let font = self.font;
        // A CFF font's glyphs are decompiled once per build: the subsetter
        // keeps each glyph's compiled charstring in the font's cache (same
        // bytes as without).
        let charstrings = if self.cff { cache.and_then(|c| c.charstrings(font.id.0)) } else { None };
        let subset = || match &charstrings {
            Some(kept) => subsetter::subset_cached(font_bytes(font), font.index, &self.remapper, kept),
            None => subsetter::subset(font_bytes(font), font.index, &self.remapper),
        };
        // The subsetter is a parser of arbitrary font files; should it panic
        // on a malformed one, report the font instead of taking the build down.
        catch_unwind(AssertUnwindSafe(subset))
            .map_err(|_| "the subsetter crashed".to_string())
            .and_then(|r| r.map_err(|e| e.to_string()))
            .map_err(|why| {
                Diagnostic::error(Code::OutputWriter, format!("pdf: cannot subset font `{}`: {why}", font.family))
                    .with_hint("choose another font for this face in wengao.toml [fonts]")
            })
    }
}

fn font_bytes(font: &LoadedFont) -> &[u8] {
    (*font.data).as_ref()
}

fn unreadable(font: &LoadedFont, why: String) -> Diagnostic {
    let d = Diagnostic::error(Code::FontUnreadable, format!("font `{}` cannot be read: {why}", font.family))
        .with_hint("choose another font for this face in wengao.toml [fonts]");
    match &font.path {
        Some(p) => d.with_path(p),
        None => d,
    }
}

fn descriptor_metrics(font: &LoadedFont, face: &Face, per_mille: impl Fn(f64) -> f32) -> DescriptorMetrics {
    let bbox = face.global_bounding_box();
    let ascent = per_mille(f64::from(face.ascender()));
    let mut flags = FontFlags::SYMBOLIC; // CJK glyph sets are outside the standard Latin set
    let name_hint = format!("{} {}", font.family, font.postscript_name).to_lowercase();
    // Only a hint for viewers that substitute; "song" also catches FangSong.
    if ["serif", "song", "sung", "ming", "kai"].iter().any(|s| name_hint.contains(s)) && !name_hint.contains("sans") {
        flags |= FontFlags::SERIF;
    }
    if face.is_monospaced() {
        flags |= FontFlags::FIXED_PITCH;
    }
    if face.is_italic() {
        flags |= FontFlags::ITALIC;
    }
    DescriptorMetrics {
        flags: flags.bits(),
        bbox: Rect::new(
            per_mille(f64::from(bbox.x_min)),
            per_mille(f64::from(bbox.y_min)),
            per_mille(f64::from(bbox.x_max)),
            per_mille(f64::from(bbox.y_max)),
        ),
        italic_angle: face.italic_angle(),
        ascent,
        descent: per_mille(f64::from(face.descender())),
        cap_height: face.capital_height().map(|c| per_mille(f64::from(c))).unwrap_or(ascent),
        // Fonts do not record StemV; this is the usual estimate from the
        // weight class (the one Typst and others use).
        stem_v: round3(10.0 + 0.244 * (f64::from(face.weight().to_number()) - 50.0)),
    }
}

fn identity_system_info() -> SystemInfo<'static> {
    SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 }
}

/// The font's PostScript name reduced to characters safe in a PDF name and
/// in viewers' font lists.
fn postscript_name(font: &LoadedFont) -> String {
    let clean =
        |s: &str| -> String { s.chars().filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c)).collect() };
    let name = clean(&font.postscript_name);
    if !name.is_empty() {
        return name;
    }
    let name = clean(&font.family);
    if name.is_empty() { format!("Font{}", font.id.0) } else { name }
}

/// Six uppercase letters naming a subset (PDF 32000 §9.6.4), from a hash of
/// the font name, the glyphs kept and the subset program: the same font and
/// glyphs always give the same tag, different subsets almost surely differ.
pub(super) fn subset_tag(ps_name: &str, remapper: &GlyphRemapper, program: &[u8]) -> String {
    let mut h = Hash128::new();
    h.write(ps_name.as_bytes());
    let glyphs: Vec<u8> = remapper.remapped_gids().flat_map(u16::to_be_bytes).collect();
    h.write(&glyphs);
    h.write(program);
    let mut v = h.value()[0];
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (v % 26) as u8);
            v /= 26;
            c
        })
        .collect()
}

pub(super) fn write_font(
    pdf: &mut Pdf,
    alloc: &mut RefAlloc,
    type0: Ref,
    font: &FontPlan,
    program: &Program,
    standard: PdfStandard,
) {
    let cid_id = alloc.next();
    let descriptor_id = alloc.next();
    let program_id = alloc.next();
    let cmap_id = alloc.next();
    let pdfa = standard == PdfStandard::A1b;
    // Allocated last, and only for PDF/A, so plain PDFs keep their numbers.
    let cid_set_id = pdfa.then(|| alloc.next());
    let base = Name(program.base_font.as_bytes());

    pdf.type0_font(type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(if font.cff { CidFontType::Type0 } else { CidFontType::Type2 })
        .base_font(base)
        .system_info(identity_system_info())
        .font_descriptor(descriptor_id);
    if !font.cff {
        // Only TrueType CIDFonts map CIDs to glyphs this way; after
        // subsetting, CID = glyph id. (The subset CFF is CID-keyed with an
        // identity charset, so CIDFontType0 needs nothing.)
        cid.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    write_widths(&mut cid, &font.widths);
    cid.finish();

    let m = &font.metrics;
    let mut descriptor = pdf.font_descriptor(descriptor_id);
    descriptor
        .name(base)
        .flags(FontFlags::from_bits_truncate(m.flags))
        .bbox(m.bbox)
        .italic_angle(m.italic_angle)
        .ascent(m.ascent)
        .descent(m.descent)
        .cap_height(m.cap_height)
        .stem_v(m.stem_v);
    if font.cff {
        descriptor.font_file3(program_id);
    } else {
        descriptor.font_file2(program_id);
    }
    if let Some(id) = cid_set_id {
        descriptor.cid_set(id);
    }
    descriptor.finish();

    let mut stream = pdf.stream(program_id, &program.data);
    stream.filter(Filter::FlateDecode);
    if font.cff {
        // `program_for` gave PDF/A the bare CFF, everything else OpenType.
        stream.pair(Name(b"Subtype"), Name(if pdfa { b"CIDFontType0C".as_slice() } else { b"OpenType" }));
    }
    stream.finish();

    pdf.cmap(cmap_id, &font.to_unicode).filter(Filter::FlateDecode);

    if let Some(id) = cid_set_id {
        pdf.stream(id, &cid_set(font.widths.len()));
    }
}

/// A `/CIDSet` (PDF/A-1 §6.3.5): one bit per CID, most significant first,
/// set for every CID the subset holds. The subset's CIDs are 0..`count`
/// without gaps. Left uncompressed: a thousand glyphs take 125 bytes.
pub(super) fn cid_set(count: usize) -> Vec<u8> {
    let mut bits = vec![0xFF_u8; count / 8];
    if !count.is_multiple_of(8) {
        bits.push(0xFF << (8 - count % 8));
    }
    bits
}

/// `/W` for CIDs 0..n: runs of equal widths (typical of CJK, all 1000) as
/// `first last w`, everything else as `first [w w …]`.
pub(super) fn write_widths(cid: &mut pdf_writer::writers::CidFont, widths: &[f32]) {
    let mut w = cid.widths();
    let mut i = 0;
    while i < widths.len() {
        let mut j = i + 1;
        while j < widths.len() && widths[j] == widths[i] {
            j += 1;
        }
        if j - i >= 3 {
            w.same(i as u16, (j - 1) as u16, widths[i]);
            i = j;
        } else {
            // Collect until the next run of three equal widths.
            let start = i;
            while i < widths.len()
                && !(i + 2 < widths.len() && widths[i] == widths[i + 1] && widths[i] == widths[i + 2])
            {
                i += 1;
            }
            w.consecutive(start as u16, widths[start..i].iter().copied());
        }
    }
}
