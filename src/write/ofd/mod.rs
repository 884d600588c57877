//! OFD writer (GB/T 33190-2016, 电子文件存储与交换格式 版式文档): the same
//! laid-out pages as the PDF, as the fixed-layout format Chinese party and
//! government bodies store and exchange 电子公文 in (GB/T 33476).
//!
//! An OFD file is a ZIP package of XML parts (docs/ofd.md):
//!
//! ```text
//! OFD.xml                      entry: DocInfo (title, author, date) → DocRoot
//! Doc_0/Document.xml           page size, resources, the page list, the outline
//! Doc_0/PublicRes.xml          fonts → Res/font_N.otf|ttf
//! Doc_0/DocumentRes.xml        images → Res/image_N.png|jpg
//! Doc_0/Pages/Page_N/Content.xml   one layer of text, path and image objects
//! ```
//!
//! Like `write::pdf`, it decides nothing about layout (`layout::Pages` gives
//! every glyph's place); it only encodes. Units are millimetres, y grows
//! downwards (as in `Pages`), numbers are rounded to 1/1000 mm. Each text
//! run is a `TextObject` whose `TextCode` carries the characters and a
//! `DeltaX` from each glyph to the next, so the text is searchable and every
//! glyph lands where the layout put it. Fonts are embedded as subsets with a
//! `cmap` (`font`). IDs are handed out in a fixed order and the archive's
//! entries are written in a fixed order with a fixed time, so the same pages
//! give the same bytes; the `DocID` is a hash of the parts.

mod font;

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::PathBuf;

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::xml::{Xml, part};
use crate::diag::{Code, Diagnostic, Diags};
use crate::fonts::{FontId, FontSet};
use crate::layout::{Bookmark, Item, Pages, TextRun};
use crate::style::Rgb;
use font::{SubsetFont, Usage};

/// The OFD namespace (GB/T 33190-2016 §7.1).
const NS: &str = "http://www.ofdspec.org/2016";

/// Where a glyph's box reaches above and below the baseline, in em: the
/// `Boundary` of a text object, which readers may clip to, must hold every
/// glyph (CJK faces draw within 0.88 em above and 0.12 below; Latin
/// descenders reach about 0.25).
const ASCENT_EM: f64 = 1.0;
const DESCENT_EM: f64 = 0.3;

/// Document information (`DocInfo`): the same values as the PDF's Info
/// dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OfdInfo {
    /// `Title`.
    pub title: String,
    /// `Author`: the issuing unit (`Meta::creator`).
    pub author: String,
    /// `CreationDate`, seconds since 1970 (`epoch::document_time`); none if None.
    pub created: Option<i64>,
}

/// The `ofd` format: lays the document out with wengao's own engine, as the
/// PDF writer does, and writes the pages as OFD.
pub struct OfdWriter;

impl super::Writer for OfdWriter {
    fn name(&self) -> &'static str {
        "ofd"
    }
    fn needs_fonts(&self) -> bool {
        true
    }
    fn write(&self, cx: &super::WriteContext<'_>, out: &mut dyn Write) -> Result<Diags, Diags> {
        let (pages, diags, fonts) = super::lay_out_pages(cx, "ofd")?;
        let meta = &cx.doc.meta;
        let info = OfdInfo {
            title: meta.title.join(""),
            author: meta.creator().unwrap_or_default().to_string(),
            created: crate::epoch::document_time(meta.date.as_ref()),
        };
        let bytes = serialize(&pages, fonts, &info)?;
        out.write_all(&bytes).map_err(|e| super::io_diag("ofd", e))?;
        Ok(diags)
    }
}

/// Serialize laid-out pages as an OFD package. Deterministic: same inputs →
/// same bytes. Every error (a font that cannot be subset, a bad image) is
/// collected before returning.
pub fn serialize(pages: &Pages, fonts: &FontSet, info: &OfdInfo) -> Result<Vec<u8>, Diags> {
    if let Some(why) = pages.impossible_geometry() {
        return Err(Diagnostic::internal(format!("ofd: {why}")).into());
    }
    let mut ids = IdAlloc(0);
    let mut errors = Diags::new();

    // Fonts, in FontId order.
    let mut usage = Usage::new();
    let mut image_paths: Vec<&PathBuf> = Vec::new();
    for item in pages.pages.iter().flat_map(|p| &p.items) {
        match item {
            Item::Text(run) if !run.glyphs.is_empty() => {
                let used = usage.entry(run.font).or_default();
                used.extend(run.glyphs.iter().filter(|g| !g.ch.is_whitespace()).map(|g| (g.glyph, g.ch)));
            }
            Item::Image { path, .. } if !image_paths.contains(&path) => image_paths.push(path),
            _ => {}
        }
    }
    let mut embedded: BTreeMap<FontId, (u32, SubsetFont)> = BTreeMap::new();
    for (&font_id, used) in usage.iter().filter(|(_, used)| !used.is_empty()) {
        let Some(font) = fonts.fonts.get(font_id.0 as usize) else {
            errors.push(Diagnostic::internal(format!(
                "ofd: a text run uses font {} but only {} fonts are loaded",
                font_id.0,
                fonts.fonts.len()
            )));
            continue;
        };
        match SubsetFont::new(font, used) {
            Ok(subset) => {
                embedded.insert(font_id, (ids.next(), subset));
            }
            Err(d) => errors.push(d),
        }
    }

    // Images: the files as they are (OFD readers take PNG and JPEG).
    let mut images: Vec<(u32, Image)> = Vec::new();
    for path in &image_paths {
        match load_image(path, fonts) {
            Ok(image) => images.push((ids.next(), image)),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let image_ids: BTreeMap<&PathBuf, u32> = image_paths.iter().zip(&images).map(|(&p, (id, _))| (p, *id)).collect();

    let page_ids: Vec<u32> = pages.pages.iter().map(|_| ids.next()).collect();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for (n, page) in pages.pages.iter().enumerate() {
        let content = part(|x| {
            x.open("ofd:Page", &[("xmlns:ofd", NS)]);
            x.open("ofd:Content", &[]);
            x.open("ofd:Layer", &[("ID", &ids.next().to_string()), ("Type", "Body")]);
            for item in &page.items {
                match item {
                    Item::Text(run) => {
                        if let Some((font_id, subset)) = embedded.get(&run.font) {
                            text_object(x, &mut ids, run, *font_id, subset);
                        }
                    }
                    Item::Rule { from, to, width, colour } => {
                        rule_object(x, ids.next(), [from.0.0, from.1.0, to.0.0, to.1.0], width.0, *colour);
                    }
                    Item::Image { path, x: left, y: top, width, height } => {
                        if let Some(&resource) = image_ids.get(path) {
                            let (w, h) = (mm(width.0), mm(height.0));
                            let boundary = boxed([mm(left.0), mm(top.0), w, h]);
                            let ctm = format!("{} 0 0 {} 0 0", num(w), num(h));
                            x.empty(
                                "ofd:ImageObject",
                                &[
                                    ("ID", &ids.next().to_string()),
                                    ("Boundary", &boundary),
                                    ("CTM", &ctm),
                                    ("ResourceID", &resource.to_string()),
                                ],
                            );
                        }
                    }
                }
            }
            x.close("ofd:Layer");
            x.close("ofd:Content");
            x.close("ofd:Page");
        });
        parts.push((format!("Doc_0/Pages/Page_{n}/Content.xml"), content));
    }

    let public_res = part(|x| {
        x.open("ofd:Res", &[("xmlns:ofd", NS), ("BaseLoc", "Res")]);
        if !embedded.is_empty() {
            x.open("ofd:Fonts", &[]);
            for (&font_id, (id, subset)) in &embedded {
                let family = fonts.fonts.get(font_id.0 as usize).map(|f| f.family.as_str()).unwrap_or_default();
                x.open("ofd:Font", &[("ID", &id.to_string()), ("FontName", family), ("FamilyName", family)]);
                x.leaf("ofd:FontFile", &[], &font_file(*id, subset));
                x.close("ofd:Font");
            }
            x.close("ofd:Fonts");
        }
        x.close("ofd:Res");
    });
    let document_res = part(|x| {
        x.open("ofd:Res", &[("xmlns:ofd", NS), ("BaseLoc", "Res")]);
        if !images.is_empty() {
            x.open("ofd:MultiMedias", &[]);
            for (id, image) in &images {
                x.open("ofd:MultiMedia", &[("ID", &id.to_string()), ("Type", "Image"), ("Format", image.format)]);
                x.leaf("ofd:MediaFile", &[], &image_file(*id, image));
                x.close("ofd:MultiMedia");
            }
            x.close("ofd:MultiMedias");
        }
        x.close("ofd:Res");
    });
    let page_box = format!("0 0 {} {}", num(mm(pages.width.0)), num(mm(pages.height.0)));
    let document = part(|x| {
        x.open("ofd:Document", &[("xmlns:ofd", NS)]);
        x.open("ofd:CommonData", &[]);
        x.leaf("ofd:MaxUnitID", &[], &ids.0.to_string());
        x.open("ofd:PageArea", &[]);
        x.leaf("ofd:PhysicalBox", &[], &page_box);
        x.close("ofd:PageArea");
        x.leaf("ofd:PublicRes", &[], "PublicRes.xml");
        x.leaf("ofd:DocumentRes", &[], "DocumentRes.xml");
        x.close("ofd:CommonData");
        x.open("ofd:Pages", &[]);
        for (n, id) in page_ids.iter().enumerate() {
            x.empty("ofd:Page", &[("ID", &id.to_string()), ("BaseLoc", &format!("Pages/Page_{n}/Content.xml"))]);
        }
        x.close("ofd:Pages");
        outline(x, &pages.outline, &page_ids);
        x.close("ofd:Document");
    });

    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("Doc_0/Document.xml".into(), document),
        ("Doc_0/PublicRes.xml".into(), public_res),
        ("Doc_0/DocumentRes.xml".into(), document_res),
    ];
    files.append(&mut parts);
    for (id, subset) in embedded.values() {
        files.push((format!("Doc_0/Res/{}", font_file(*id, subset)), subset.program.clone()));
    }
    for (id, image) in &images {
        files.push((format!("Doc_0/Res/{}", image_file(*id, image)), image.data.clone()));
    }
    // The DocID names this content: a hash of every part, never a random UUID.
    let mut hash = Sha256::new();
    for (name, data) in &files {
        hash.update(name.as_bytes());
        hash.update((data.len() as u64).to_be_bytes());
        hash.update(data);
    }
    let doc_id: String = hash.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
    let entry = part(|x| doc_entry(x, info, &doc_id));
    files.insert(0, ("OFD.xml".into(), entry));
    package(&files)
}

/// Object IDs (`ST_ID`), unique in the document, handed out in the order the
/// parts are planned, which depends on the input alone.
struct IdAlloc(u32);

impl IdAlloc {
    fn next(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}

/// `OFD.xml`: the document's information and where its root is.
fn doc_entry(x: &mut Xml<Vec<u8>>, info: &OfdInfo, doc_id: &str) {
    x.open("ofd:OFD", &[("xmlns:ofd", NS), ("Version", "1.0"), ("DocType", "OFD")]);
    x.open("ofd:DocBody", &[]);
    x.open("ofd:DocInfo", &[]);
    // In CT_DocInfo's order: DocID, Title, Author, …, CreationDate, …, Creator, CreatorVersion.
    x.leaf("ofd:DocID", &[], doc_id);
    if !info.title.is_empty() {
        x.leaf("ofd:Title", &[], &info.title);
    }
    if !info.author.is_empty() {
        x.leaf("ofd:Author", &[], &info.author);
    }
    // Reproducible builds: a date from the inputs, never the clock (xs:date, UTC).
    if let Some(c) = info.created.map(crate::epoch::civil).filter(|c| (1..=9999).contains(&c.year)) {
        x.leaf("ofd:CreationDate", &[], &format!("{:04}-{:02}-{:02}", c.year, c.month, c.day));
    }
    x.leaf("ofd:Creator", &[], "wengao");
    x.leaf("ofd:CreatorVersion", &[], env!("CARGO_PKG_VERSION"));
    x.close("ofd:DocInfo");
    x.leaf("ofd:DocRoot", &[], "Doc_0/Document.xml");
    x.close("ofd:DocBody");
    x.close("ofd:OFD");
}

/// The outline (`Outlines`): each bookmark an `OutlineElem` that goes to
/// its heading, nested under the nearest earlier bookmark of a lower level
/// (as the PDF's; a level that skips, 1 → 3, still nests under the 1).
fn outline(x: &mut Xml<Vec<u8>>, bookmarks: &[Bookmark], page_ids: &[u32]) {
    let (Some(last_page), false) = (page_ids.len().checked_sub(1), bookmarks.is_empty()) else { return };
    x.open("ofd:Outlines", &[]);
    let mut open_levels: Vec<u8> = Vec::new();
    for b in bookmarks {
        while open_levels.last().is_some_and(|&level| level >= b.level) {
            open_levels.pop();
            x.close("ofd:OutlineElem");
        }
        x.open("ofd:OutlineElem", &[("Title", &b.title)]);
        // A bookmark past the last page (a layout bug) still gets a target.
        let page = page_ids[b.page.min(last_page)].to_string();
        let top = if b.top.0.is_finite() { num(mm(b.top.0)) } else { "0".into() };
        x.open("ofd:Actions", &[]);
        x.open("ofd:Action", &[("Event", "CLICK")]);
        x.open("ofd:Goto", &[]);
        x.empty("ofd:Dest", &[("Type", "XYZ"), ("PageID", &page), ("Left", "0"), ("Top", &top)]);
        x.close("ofd:Goto");
        x.close("ofd:Action");
        x.close("ofd:Actions");
        open_levels.push(b.level);
    }
    for _ in open_levels {
        x.close("ofd:OutlineElem");
    }
    x.close("ofd:Outlines");
}

/// One text run as a `TextObject`. Its `Boundary` holds every glyph box of
/// the run; each stretch of characters between spaces is one `TextCode`
/// (readers strip the whitespace of element text, which would shift the
/// glyphs after it), placed by `X`/`Y` (the first glyph on the baseline,
/// from the boundary's corner) and `DeltaX` (from each glyph to the next).
/// A glyph the subset's `cmap` does not give for its character is named
/// by a `CGTransform`.
fn text_object(x: &mut Xml<Vec<u8>>, ids: &mut IdAlloc, run: &TextRun, font_id: u32, font: &SubsetFont) {
    let (Some(first), Some(last)) = (run.glyphs.first(), run.glyphs.last()) else { return };
    // A run of nothing but spaces draws nothing, and a TextObject must hold a TextCode.
    if run.glyphs.iter().all(|g| g.ch.is_whitespace()) {
        return;
    }
    let size = run.size.0;
    let left = mm(first.x.0);
    // From the rounded baseline, so every run of a size has the same `Y`.
    let baseline = mm(size * ASCENT_EM);
    let top = mm(run.baseline.0) - baseline;
    let width = mm(last.x.0 + size) - left;
    let height = baseline + mm(size * DESCENT_EM);
    let mut attrs = vec![
        ("ID".to_string(), ids.next().to_string()),
        ("Boundary".to_string(), boxed([left, top, width, height])),
        ("Font".to_string(), font_id.to_string()),
        ("Size".to_string(), num(mm(size))),
    ];
    if run.fake_bold {
        // Fill and stroke, as the PDF's text rendering mode 2 does.
        attrs.push(("Stroke".into(), "true".into()));
        attrs.push(("LineWidth".into(), num(mm(size * crate::write::pdf::FAKE_BOLD_STROKE_PER_EM))));
    }
    let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    x.open("ofd:TextObject", &attrs);
    let colour = colour_value(run.colour);
    x.empty("ofd:FillColor", &[("Value", &colour)]);
    if run.fake_bold {
        x.empty("ofd:StrokeColor", &[("Value", &colour)]);
    }
    let mut position = 0; // characters written before this TextCode, for CGTransform
    for stretch in run.glyphs.split(|g| g.ch.is_whitespace()).filter(|s| !s.is_empty()) {
        let xs: Vec<i64> = stretch.iter().map(|g| mm(g.x.0)).collect();
        let text: String = stretch.iter().map(|g| g.ch).collect();
        let count = stretch.len().to_string();
        if stretch.iter().any(|g| !font.maps(g.glyph, g.ch)) {
            let glyphs: Vec<String> = stretch.iter().map(|g| font.glyph(g.glyph).to_string()).collect();
            let at = position.to_string();
            let attrs = [("CodePosition", at.as_str()), ("CodeCount", &count), ("GlyphCount", &count)];
            x.open("ofd:CGTransform", &attrs);
            x.leaf("ofd:Glyphs", &[], &glyphs.join(" "));
            x.close("ofd:CGTransform");
        }
        position += stretch.len();
        let start = num(xs[0] - left);
        let baseline = num(baseline);
        let delta = delta_x(&xs);
        let mut attrs = vec![("X", start.as_str()), ("Y", baseline.as_str())];
        if !delta.is_empty() {
            attrs.push(("DeltaX", &delta));
        }
        x.leaf("ofd:TextCode", &attrs, &text);
    }
    x.close("ofd:TextObject");
}

/// `DeltaX`: the step from each glyph to the next, in 1/1000 mm; three or
/// more equal steps in a row (the 公文 grid) as `g N step`.
fn delta_x(xs: &[i64]) -> String {
    let steps: Vec<i64> = xs.windows(2).map(|w| w[1] - w[0]).collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < steps.len() {
        let run = steps[i..].iter().take_while(|&&s| s == steps[i]).count();
        if run >= 3 {
            out.push(format!("g {run} {}", num(steps[i])));
        } else {
            out.extend(std::iter::repeat_n(num(steps[i]), run));
        }
        i += run;
    }
    out.join(" ")
}

/// A rule as a `PathObject`: a stroked line, its boundary widened by the
/// stroke on every side so that it is never empty (a horizontal rule has
/// no height) and the stroke is not clipped.
fn rule_object(x: &mut Xml<Vec<u8>>, id: u32, [x1, y1, x2, y2]: [f64; 4], width: f64, colour: Rgb) {
    let pad = mm(width).max(1);
    let (x1, y1, x2, y2) = (mm(x1), mm(y1), mm(x2), mm(y2));
    let (left, top) = (x1.min(x2) - pad, y1.min(y2) - pad);
    let boundary = boxed([left, top, (x1 - x2).abs() + 2 * pad, (y1 - y2).abs() + 2 * pad]);
    let path = format!("M {} {} L {} {}", num(x1 - left), num(y1 - top), num(x2 - left), num(y2 - top));
    let line_width = num(mm(width));
    x.open(
        "ofd:PathObject",
        &[("ID", &id.to_string()), ("Boundary", &boundary), ("LineWidth", &line_width), ("Stroke", "true")],
    );
    x.empty("ofd:StrokeColor", &[("Value", &colour_value(colour))]);
    x.leaf("ofd:AbbreviatedData", &[], &path);
    x.close("ofd:PathObject");
}

/// An image file ready to embed.
struct Image {
    /// `PNG` or `JPEG` (`MultiMedia/@Format`).
    format: &'static str,
    data: Vec<u8>,
}

fn load_image(path: &std::path::Path, fonts: &FontSet) -> Result<Image, Diagnostic> {
    let shown = crate::image_source::shown(&path.to_string_lossy());
    let data = crate::image_source::load_with(path, fonts).map_err(|e| {
        Diagnostic::error(Code::MarkupImage, format!("image `{shown}` cannot be read: {e}"))
            .with_path(path)
            .with_hint("check that the file exists and is readable")
    })?;
    let format = if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "JPEG"
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        "PNG"
    } else {
        return Err(Diagnostic::error(Code::MarkupImage, format!("image `{shown}` is neither PNG nor JPEG"))
            .with_path(path)
            .with_hint("use a PNG or JPEG file"));
    };
    Ok(Image { format, data })
}

fn font_file(id: u32, font: &SubsetFont) -> String {
    format!("font_{id}.{}", font.extension)
}

fn image_file(id: u32, image: &Image) -> String {
    format!("image_{id}.{}", if image.format == "PNG" { "png" } else { "jpg" })
}

/// The package: every entry deflated and stamped 1980-01-01 00:00, in the
/// order given (`OFD.xml` first), so the same parts give the same bytes.
fn package(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, Diags> {
    let fail = |e: &dyn std::fmt::Display| -> Diags {
        Diagnostic::error(Code::OutputWriter, format!("ofd: cannot write the package: {e}")).into()
    };
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in files {
        zip.start_file(name.as_str(), options).map_err(|e| fail(&e))?;
        zip.write_all(data).map_err(|e| fail(&e))?;
    }
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}

/// Points to millimetres, in whole 1/1000 mm: far below what print or screen
/// can show, and differences of rounded values never drift.
fn mm(pt: f64) -> i64 {
    (pt * 25.4 / 72.0 * 1000.0).round() as i64
}

/// 1/1000 mm as OFD writes a number: `12.5`, `3`, `-0.007`.
fn num(milli: i64) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let (whole, frac) = (milli.unsigned_abs() / 1000, milli.unsigned_abs() % 1000);
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        let frac = format!("{frac:03}");
        format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
    }
}

/// `ST_Box`: left, top, width, height.
fn boxed([left, top, width, height]: [i64; 4]) -> String {
    format!("{} {} {} {}", num(left), num(top), num(width), num(height))
}

/// A colour as `CT_Color/@Value` in the default RGB space, 0–255.
fn colour_value(Rgb(r, g, b): Rgb) -> String {
    format!("{r} {g} {b}")
}

#[cfg(test)]
mod tests;
