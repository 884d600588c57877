//! PDF serializer: the last stage of the PDF path.
//!
//! Takes `layout::Pages` (every glyph, rule and image already positioned by
//! the layout engine) and the `FontSet` the glyph ids refer to, and writes PDF
//! bytes. It decides nothing about layout: each glyph lands exactly at the `x`
//! the layout gave it, on its run's baseline. What it does decide is how
//! things are encoded:
//!
//! - Fonts: one Type0 font per used `FontId`, Identity-H with 2-byte CIDs, a
//!   subset font program holding only the used glyphs (`subsetter`, which
//!   renumbers them 1, 2, 3 … so CID = new glyph id), `/W` widths for every
//!   used glyph, and a ToUnicode CMap from each glyph to the text it stood
//!   for. TrueType (`glyf`) fonts go in as CIDFontType2 + `FontFile2`; CFF
//!   OpenType fonts (Noto CJK, Fandol …) as CIDFontType0 + `FontFile3` with
//!   subtype `OpenType`, because `subsetter` returns an OpenType wrapper around
//!   the subset CFF, not a bare CFF program.
//! - Text: one `BT … TJ … ET` per run, with `TJ` adjustments that put every
//!   glyph at its exact position whatever the font's natural advance.
//! - Images: JPEG passed through (DCTDecode); PNG decoded to samples plus an
//!   alpha soft mask, Flate-compressed.
//! - Every stream is Flate-compressed.
//!
//! Output is deterministic: objects are numbered in a fixed order, maps are
//! ordered, the subset tag and the file `/ID` are hashes of the content, and a
//! creation date is written only when `SOURCE_DATE_EPOCH` asks for one.

mod deflate;
mod font;
mod hash;
mod image;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationType, NumberingStyle, OutputIntentSubtype, PageMode, StructRole,
    TextRenderingMode,
};
use pdf_writer::writers::PageLabel;
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Settings, Str, TextStr};

use crate::diag::{Diagnostic, Diags};
use crate::fonts::FontId;
use crate::fonts::FontSet;
use crate::layout::{Bookmark, Item, Node, Page, Pages, TextRun};
use crate::project::PdfStandard;
use crate::style::Rgb;
use deflate::deflate;
use font::{FontPlan, Program, write_font};
use hash::Hash128;
use image::{ImageData, load_image, write_image};

/// Document information for the PDF (title, author = issuing unit, language).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PdfInfo {
    /// Document title (`/Title`; viewers show it instead of the file name).
    pub title: String,
    /// Issuing unit (`/Author`).
    pub author: String,
    /// BCP 47 language of the text (`/Lang`), e.g. "zh-CN".
    pub lang: String,
    /// `/CreationDate`, seconds since 1970 (`epoch::document_time`); none if None.
    pub created: Option<i64>,
    /// The standard the file follows (`pdf_standard` in wengao.toml).
    pub standard: PdfStandard,
}

/// The output intent profile of PDF/A files: ICC v2 sRGB, zlib licence
/// (icc/README.md).
const SRGB_ICC: &[u8] = include_bytes!("icc/sRGB.icc");

/// Line width of the synthetic bold stroke, as a fraction of the font size.
/// 1/30 em (≈ 0.53 pt at 16 pt) thickens strokes visibly, like a bold weight,
/// without closing the counters of dense CJK glyphs.
pub const FAKE_BOLD_STROKE_PER_EM: f64 = 1.0 / 30.0;

/// Serialize laid-out pages. Deterministic: same inputs → same bytes.
///
/// Every error found (an unreadable font, a failed subset, a bad image) is
/// collected before returning, so one run reports them all.
pub fn serialize(pages: &Pages, fonts: &FontSet, info: &PdfInfo) -> Result<Vec<u8>, Diags> {
    serialize_pages(Cow::Borrowed(pages), fonts, info)
}

/// `serialize`, dropping the pages once they are drawn: a batch worker
/// subsets the fonts after drawing, and a long document's layout (a table
/// of a thousand rows) need not be held while it does.
pub fn serialize_owned(pages: Pages, fonts: &FontSet, info: &PdfInfo) -> Result<Vec<u8>, Diags> {
    serialize_pages(Cow::Owned(pages), fonts, info)
}

fn serialize_pages(pages: Cow<'_, Pages>, fonts: &FontSet, info: &PdfInfo) -> Result<Vec<u8>, Diags> {
    check_geometry(&pages)?;
    let usage = Usage::collect(&pages, fonts)?;

    let mut errors = Diags::new();
    let mut plans = BTreeMap::new();
    for (&id, used) in &usage.glyphs {
        // `Usage::collect` has checked that every used id is in the set.
        let Some(font) = fonts.fonts.get(id.0 as usize) else { continue };
        match FontPlan::new(font, used) {
            Ok(plan) => {
                plans.insert(id, plan);
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Subsetting and compressing a large CJK font takes milliseconds, so each
    // font program is made on its own thread while this one loads the images
    // and draws the pages (which need only the plans' CIDs). Results are
    // gathered in `FontId` order, so the bytes do not depend on scheduling.
    // On a worker of a batch build (a rayon pool), the other workers already
    // keep the cores busy: threads here would only add their stacks and up
    // to four subsetters' memory at once per document. The same work is done
    // in the same order either way, so the bytes are the same.
    let standard = info.standard;
    if !spare_cores() {
        let images: Vec<_> = usage.images.iter().map(|path| load_image(path, fonts, standard)).collect();
        let contents = draw_pages(&pages, &usage, &plans);
        let frame = Frame::of(pages);
        drop(usage);
        let programs: Vec<_> =
            plans.iter().map(|(&id, plan)| (id, plan.program_for(standard, Some(&fonts.programs)))).collect();
        return finish_document(&frame, plans, programs, images, contents, info, errors);
    }
    let cache = &fonts.programs;
    let (programs, images, contents) = std::thread::scope(|s| {
        let handles: Vec<_> =
            plans.iter().map(|(&id, plan)| (id, s.spawn(move || plan.program_for(standard, Some(cache))))).collect();
        let images: Vec<_> = usage.images.iter().map(|path| load_image(path, fonts, standard)).collect();
        let contents = draw_pages(&pages, &usage, &plans);
        let programs: Vec<_> = handles
            .into_iter()
            .map(|(id, h)| {
                let program = h
                    .join()
                    .unwrap_or_else(|_| Err(Diagnostic::internal(format!("pdf: embedding font {} crashed", id.0))));
                (id, program)
            })
            .collect();
        (programs, images, contents)
    });
    finish_document(&Frame::of(pages), plans, programs, images, contents, info, errors)
}

/// What the file needs of the pages once they are drawn.
struct Frame {
    width: f64,
    height: f64,
    count: usize,
    /// Unnumbered pages before the text (`Pages::front`).
    front: usize,
    outline: Vec<crate::layout::Bookmark>,
    links: Vec<crate::layout::Link>,
}

impl Frame {
    fn of(pages: Cow<'_, Pages>) -> Frame {
        let (width, height, count, front) = (pages.width.0, pages.height.0, pages.pages.len(), pages.front);
        let (outline, links) = match pages {
            Cow::Owned(p) => (p.outline, p.links),
            Cow::Borrowed(p) => (p.outline.clone(), p.links.clone()),
        };
        Frame { width, height, count, front, outline, links }
    }
}

/// Whether this thread may start threads of its own: not on a worker of a
/// batch build's pool, whose other workers already use the cores.
pub(super) fn spare_cores() -> bool {
    rayon::current_thread_index().is_none()
}

/// Gather the font programs, images and page contents into the file.
fn finish_document(
    frame: &Frame,
    mut plans: BTreeMap<FontId, FontPlan<'_>>,
    programs: Vec<(FontId, Result<Program, Diagnostic>)>,
    images: Vec<Result<ImageData, Diagnostic>>,
    contents: Result<Vec<PageContent>, Diagnostic>,
    info: &PdfInfo,
    mut errors: Diags,
) -> Result<Vec<u8>, Diags> {
    let mut embedded = BTreeMap::new();
    for (id, program) in programs {
        match (program, plans.remove(&id)) {
            (Ok(program), Some(plan)) => {
                embedded.insert(id, (plan, program));
            }
            (Err(d), _) => errors.push(d),
            (Ok(_), None) => {}
        }
    }
    let images: Vec<ImageData> = images.into_iter().filter_map(|r| r.map_err(|d| errors.push(d)).ok()).collect();
    let contents = contents.map_err(|d| errors.push(d)).ok();
    let icc = match info.standard {
        PdfStandard::A1b => deflate(SRGB_ICC).map_err(|d| errors.push(d)).ok(),
        PdfStandard::Plain => None,
    };
    match contents {
        Some(contents) if errors.is_empty() => {
            Ok(write_document(frame, &embedded, &images, contents, info, icc.as_deref()))
        }
        _ => Err(errors),
    }
}

// ---------------------------------------------------------------------------
// Input checks and usage

/// Reject numbers PDF cannot carry (NaN, infinities, empty pages) before any
/// work: they would be written as garbage rather than fail later.
fn check_geometry(pages: &Pages) -> Result<(), Diags> {
    match pages.impossible_geometry() {
        Some(why) => Err(Diagnostic::internal(format!("pdf: {why}")).into()),
        None => Ok(()),
    }
}

/// What the pages use: glyphs per font (with the text each stands for) and
/// image files, in a deterministic order.
struct Usage {
    /// Per font, every used glyph and the first non-empty text it stood for
    /// (a ToUnicode CMap can give a glyph only one text).
    glyphs: BTreeMap<FontId, BTreeMap<u16, String>>,
    /// Distinct image files in order of first appearance; `Item::Image`s
    /// drawing the same file share one XObject.
    images: Vec<PathBuf>,
}

impl Usage {
    fn collect(pages: &Pages, fonts: &FontSet) -> Result<Usage, Diags> {
        let mut glyphs: BTreeMap<FontId, BTreeMap<u16, String>> = BTreeMap::new();
        let mut images: Vec<PathBuf> = Vec::new();
        for item in pages.pages.iter().flat_map(|p| &p.items) {
            match item {
                Item::Text(run) if !run.glyphs.is_empty() => {
                    if fonts.fonts.get(run.font.0 as usize).is_none() {
                        return Err(Diagnostic::internal(format!(
                            "pdf: a text run uses font {} but only {} fonts are loaded",
                            run.font.0,
                            fonts.fonts.len()
                        ))
                        .into());
                    }
                    let map = glyphs.entry(run.font).or_default();
                    for g in &run.glyphs {
                        let text = map.entry(g.glyph).or_default();
                        if text.is_empty() {
                            text.push(g.ch);
                        }
                    }
                }
                Item::Image { path, .. } if !images.contains(path) => images.push(path.clone()),
                _ => {}
            }
        }
        Ok(Usage { glyphs, images })
    }

    fn image_index(&self, path: &Path) -> Option<usize> {
        self.images.iter().position(|p| p == path)
    }
}

// ---------------------------------------------------------------------------
// Writing

/// Hands out object numbers in the order objects are planned, which is fixed
/// by the input alone.
struct RefAlloc(i32);

impl RefAlloc {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// One page's drawing, compressed, and the resources it uses.
struct PageContent {
    stream: Vec<u8>,
    fonts: BTreeSet<FontId>,
    images: BTreeSet<usize>,
    /// Tagged PDF: the structure node of each marked-content sequence, by MCID.
    nodes: Vec<Node>,
}

/// The structure type of a node (PDF 32000 §14.8.4).
fn struct_role(node: &Node) -> StructRole {
    match node {
        Node::Heading { level: 1, .. } => StructRole::H1,
        Node::Heading { level: 2, .. } => StructRole::H2,
        Node::Heading { level: 3, .. } => StructRole::H3,
        Node::Heading { level: 4, .. } => StructRole::H4,
        Node::Heading { level: 5, .. } => StructRole::H5,
        Node::Heading { .. } => StructRole::H6,
        Node::Paragraph { .. } => StructRole::P,
        Node::Caption { .. } => StructRole::Caption,
        Node::Figure { .. } => StructRole::Figure,
        Node::Cell { header: true, .. } => StructRole::TH,
        Node::Cell { .. } => StructRole::TD,
    }
}

/// Draw every page: text runs with the planned CIDs, rules, images. Every
/// PDF is tagged, plain or PDF/A: screen readers, reflow and copying text
/// in reading order use the tags, and they cost about 3% in size
/// (docs/pdf-a.md). So each mark of the page becomes a marked-content
/// sequence with its MCID, and everything else an `/Artifact` sequence.
fn draw_pages(
    pages: &Pages,
    usage: &Usage,
    plans: &BTreeMap<FontId, FontPlan>,
) -> Result<Vec<PageContent>, Diagnostic> {
    let page_height = pages.height.0;
    let draw = |page: &Page| {
        let mut content = Content::new();
        let mut fonts = BTreeSet::new();
        let mut images = BTreeSet::new();
        let mut nodes = Vec::new();
        // The open sequence: Some(mark index), or None for an artifact.
        let mut open: Option<Option<usize>> = None;
        let mut next_mark = 0;
        for (i, item) in page.items.iter().enumerate() {
            while page.marks.get(next_mark).is_some_and(|m| m.items.end <= i) {
                next_mark += 1;
            }
            let here = page.marks.get(next_mark).filter(|m| m.items.contains(&i)).map(|_| next_mark);
            if open != Some(here) {
                if open.is_some() {
                    content.end_marked_content();
                }
                match here.and_then(|k| page.marks.get(k)) {
                    Some(mark) => {
                        let mcid = nodes.len() as i32;
                        nodes.push(mark.node.clone());
                        let role = struct_role(&mark.node).to_name();
                        content.begin_marked_content_with_properties(role).properties().identify(mcid);
                    }
                    None => {
                        content.begin_marked_content(Name(b"Artifact"));
                    }
                }
                open = Some(here);
            }
            match item {
                Item::Text(run) => {
                    let Some(plan) = plans.get(&run.font) else {
                        continue; // an empty run: no glyph of it is embedded
                    };
                    fonts.insert(run.font);
                    write_run(&mut content, run, &font_name(run.font), page_height, |g| plan.cid(g));
                }
                Item::Rule { from, to, width, colour } => {
                    content.save_state();
                    if *colour != Rgb::BLACK {
                        let [r, g, b] = colour.unit();
                        content.set_stroke_rgb(r, g, b);
                    }
                    content
                        .set_line_width(round3(width.0))
                        .move_to(round3(from.0.0), round3(page_height - from.1.0))
                        .line_to(round3(to.0.0), round3(page_height - to.1.0))
                        .stroke()
                        .restore_state();
                }
                Item::Image { path, x, y, width, height } => {
                    let Some(n) = usage.image_index(path) else { continue };
                    images.insert(n);
                    content
                        .save_state()
                        .transform([
                            round3(width.0),
                            0.0,
                            0.0,
                            round3(height.0),
                            round3(x.0),
                            round3(page_height - y.0 - height.0),
                        ])
                        .x_object(Name(image_name(n).as_bytes()))
                        .restore_state();
                }
            }
        }
        if open.is_some() {
            content.end_marked_content();
        }
        Ok(PageContent { stream: deflate(&content.finish().into_vec())?, fonts, images, nodes })
    };
    pages.pages.iter().map(draw).collect()
}

/// Write the file. `icc`: the deflated sRGB profile, for PDF/A.
fn write_document(
    frame: &Frame,
    fonts: &BTreeMap<FontId, (FontPlan, Program)>,
    images: &[ImageData],
    contents: Vec<PageContent>,
    info: &PdfInfo,
    icc: Option<&[u8]>,
) -> Vec<u8> {
    let pdfa = info.standard == PdfStandard::A1b;
    let page_height = frame.height;
    let mut alloc = RefAlloc(0);
    let catalog_id = alloc.next();
    let tree_id = alloc.next();
    let info_id = alloc.next();
    let page_ids: Vec<(Ref, Ref)> = (0..frame.count).map(|_| (alloc.next(), alloc.next())).collect();
    let font_ids: BTreeMap<FontId, Ref> = fonts.keys().map(|&id| (id, alloc.next())).collect();
    let image_ids: Vec<Ref> = images.iter().map(|_| alloc.next()).collect();
    // Links whose page and target exist (a layout bug must not fail the file).
    let links: Vec<(&crate::layout::Link, Ref)> = frame
        .links
        .iter()
        .filter(|l| l.page < page_ids.len() && frame.outline.get(l.target).is_some_and(|b| b.page < page_ids.len()))
        .map(|l| (l, alloc.next()))
        .collect();

    let mut pdf = Pdf::with_settings_and_capacity(Settings { pretty: false }, 64 * 1024);
    if pdfa {
        // PDF/A-1 is based on PDF 1.4; nothing below needs more than that
        // (no object or cross-reference streams, no transparency).
        pdf.set_version(1, 4);
    }

    // Pages.
    pdf.pages(tree_id).kids(page_ids.iter().map(|&(p, _)| p)).count(page_ids.len() as i32);
    let media_box = Rect::new(0.0, 0.0, round3(frame.width), round3(page_height));
    for (page_no, (content, &(page_id, content_id))) in contents.iter().zip(&page_ids).enumerate() {
        pdf.stream(content_id, &content.stream).filter(Filter::FlateDecode);

        let mut p = pdf.page(page_id);
        p.parent(tree_id).media_box(media_box).contents(content_id);
        p.struct_parents(page_no as i32);
        let annotations: Vec<Ref> = links.iter().filter(|(l, _)| l.page == page_no).map(|&(_, r)| r).collect();
        if !annotations.is_empty() {
            p.annotations(annotations);
        }
        let mut res = p.resources();
        let used_fonts: Vec<(FontId, Ref)> =
            content.fonts.iter().filter_map(|id| font_ids.get(id).map(|&r| (*id, r))).collect();
        if !used_fonts.is_empty() {
            let mut dict = res.fonts();
            for (id, r) in &used_fonts {
                dict.pair(Name(font_name(*id).as_bytes()), *r);
            }
        }
        let used_images: Vec<(usize, Ref)> =
            content.images.iter().filter_map(|&n| image_ids.get(n).map(|&r| (n, r))).collect();
        if !used_images.is_empty() {
            let mut dict = res.x_objects();
            for (n, r) in &used_images {
                dict.pair(Name(image_name(*n).as_bytes()), *r);
            }
        }
    }

    // 目录 entries lead to their articles: link annotations without a
    // border, to the same place as the article's bookmark.
    for &(link, id) in &links {
        let [x0, top, x1, bottom] = link.area;
        let Some(target) = frame.outline.get(link.target) else { continue };
        let Some(&(target_page, _)) = page_ids.get(target.page) else { continue };
        let mut annotation = pdf.annotation(id);
        annotation
            .subtype(AnnotationType::Link)
            .rect(Rect::new(round3(x0.0), round3(page_height - bottom.0), round3(x1.0), round3(page_height - top.0)))
            .border(0.0, 0.0, 0.0, None);
        if pdfa {
            // PDF/A-1 §6.5.3: every annotation is printed.
            annotation.flags(AnnotationFlags::PRINT);
        }
        annotation.action().action_type(ActionType::GoTo).destination().page(target_page).xyz(
            0.0,
            round3(page_height - target.top.0),
            None,
        );
    }

    for (id, (plan, program)) in fonts {
        if let Some(&type0) = font_ids.get(id) {
            write_font(&mut pdf, &mut alloc, type0, plan, program, info.standard);
        }
    }
    for (image, &id) in images.iter().zip(&image_ids) {
        write_image(&mut pdf, &mut alloc, id, image);
    }

    // Outline.
    let outline_id = write_outline(&mut pdf, &mut alloc, &frame.outline, &page_ids, page_height);

    // PDF/A: the colour space the file's colours mean (sRGB) and the XMP
    // copy of the document information.
    let pdfa_ids = icc.filter(|_| pdfa).map(|icc| (alloc.next(), alloc.next(), icc));
    let nodes: Vec<&[Node]> = contents.iter().map(|c| c.nodes.as_slice()).collect();
    let structure = write_structure(&mut pdf, &mut alloc, &nodes, &page_ids);
    let producer = format!("wengao {}", env!("CARGO_PKG_VERSION"));

    // Catalog.
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(tree_id);
    catalog.pair(Name(b"StructTreeRoot"), structure);
    catalog.mark_info().marked(true);
    if let Some((icc_id, metadata_id, _)) = pdfa_ids {
        catalog.metadata(metadata_id);
        catalog
            .output_intents()
            .push()
            .subtype(OutputIntentSubtype::PDFA)
            .output_condition_identifier(TextStr("sRGB IEC61966-2.1"))
            .registry_name(TextStr("http://www.color.org"))
            .info(TextStr("sRGB IEC61966-2.1"))
            .dest_output_profile(icc_id);
    }
    if !info.lang.is_empty() {
        catalog.lang(TextStr(&info.lang));
    }
    catalog.viewer_preferences().display_doc_title(true);
    if let Some(outline_id) = outline_id {
        catalog.outlines(outline_id);
        catalog.page_mode(PageMode::UseOutlines);
    }
    // A collection's cover and 目录 carry no number: readers label them i,
    // ii … and the text's first page 1, as printed.
    let labels = (frame.front > 0 && frame.front < frame.count).then(|| (alloc.next(), alloc.next()));
    if let Some((front_label, text_label)) = labels {
        let mut tree = catalog.page_labels();
        tree.nums().insert(0, front_label).insert(frame.front as i32, text_label);
    }
    catalog.finish();
    if let Some((front_label, text_label)) = labels {
        pdf.indirect(front_label).start::<PageLabel>().style(NumberingStyle::LowerRoman);
        pdf.indirect(text_label).start::<PageLabel>().style(NumberingStyle::Arabic);
    }

    if let Some((icc_id, metadata_id, icc)) = pdfa_ids {
        pdf.icc_profile(icc_id, icc).n(3).filter(Filter::FlateDecode);
        pdf.metadata(metadata_id, xmp_metadata(info, &producer).as_bytes());
    }

    // Document information.
    let mut doc_info = pdf.document_info(info_id);
    if !info.title.is_empty() {
        doc_info.title(TextStr(&info.title));
    }
    if !info.author.is_empty() {
        doc_info.author(TextStr(&info.author));
    }
    doc_info.creator(TextStr("wengao")).producer(TextStr(&producer));
    // Reproducible builds: a date from the inputs, never the clock.
    if let Some(date) = info.created.and_then(pdf_date) {
        doc_info.creation_date(date);
    }
    doc_info.finish();

    // File identifier: a hash of everything written so far, so it identifies
    // the content and is the same on every run.
    let mut h = Hash128::new();
    h.write(pdf.as_bytes());
    let id: Vec<u8> = h.value().iter().flat_map(|v| v.to_be_bytes()).collect();
    pdf.set_file_id((id.clone(), id));

    pdf.finish()
}

/// A structure element to write: its role, its parent's index (None: the
/// `Document` element) and its kids.
struct Element<'n> {
    role: StructRole,
    parent: Option<usize>,
    /// Child elements, by index.
    kids: Vec<usize>,
    /// Marked content: (page index, MCID).
    content: Vec<(usize, i32)>,
    alt: Option<&'n str>,
}

/// Write the structure tree of the pages whose marked-content sequences
/// are `nodes` (per page, by MCID) and return its root. One element per
/// node, in the order the nodes first appear; table cells grouped into
/// rows and tables (Table → TR → TH/TD); all under one `Document`. The
/// parent tree maps each page's MCIDs back to their elements.
fn write_structure(pdf: &mut Pdf, alloc: &mut RefAlloc, nodes: &[&[Node]], page_ids: &[(Ref, Ref)]) -> Ref {
    use std::collections::HashMap;
    let mut elements: Vec<Element> = Vec::new();
    let mut tops: Vec<usize> = Vec::new();
    let mut leaf_of: HashMap<&Node, usize> = HashMap::new();
    let mut table_of: HashMap<usize, usize> = HashMap::new();
    let mut row_of: HashMap<(usize, usize), usize> = HashMap::new();
    let new = |elements: &mut Vec<Element<'_>>, role, parent| {
        elements.push(Element { role, parent, kids: Vec::new(), content: Vec::new(), alt: None });
        elements.len() - 1
    };
    let mut parent_of_mcid: Vec<Vec<usize>> = Vec::with_capacity(nodes.len());
    for (page, page_nodes) in nodes.iter().enumerate() {
        let mut owners = Vec::with_capacity(page_nodes.len());
        for (mcid, node) in page_nodes.iter().enumerate() {
            let leaf = match leaf_of.get(node) {
                Some(&e) => e,
                None => {
                    let parent = match node {
                        Node::Cell { block, row, .. } => {
                            let table = match table_of.get(block) {
                                Some(&t) => t,
                                None => {
                                    let t = new(&mut elements, StructRole::Table, None);
                                    tops.push(t);
                                    table_of.insert(*block, t);
                                    t
                                }
                            };
                            let tr = match row_of.get(&(*block, *row)) {
                                Some(&r) => r,
                                None => {
                                    let r = new(&mut elements, StructRole::TR, Some(table));
                                    elements[table].kids.push(r);
                                    row_of.insert((*block, *row), r);
                                    r
                                }
                            };
                            Some(tr)
                        }
                        _ => None,
                    };
                    let e = new(&mut elements, struct_role(node), parent);
                    match parent {
                        Some(p) => elements[p].kids.push(e),
                        None => tops.push(e),
                    }
                    if let Node::Figure { alt, .. } = node
                        && !alt.is_empty()
                    {
                        elements[e].alt = Some(alt.as_str());
                    }
                    leaf_of.insert(node, e);
                    e
                }
            };
            elements[leaf].content.push((page, mcid as i32));
            owners.push(leaf);
        }
        parent_of_mcid.push(owners);
    }

    let root = alloc.next();
    let document = alloc.next();
    let ids: Vec<Ref> = elements.iter().map(|_| alloc.next()).collect();
    let page_arrays: Vec<Ref> = nodes.iter().map(|_| alloc.next()).collect();

    let mut tree = pdf.indirect(root).start::<pdf_writer::writers::StructTreeRoot>();
    tree.child(document);
    let mut numbers = tree.parent_tree();
    let mut nums = numbers.nums();
    for (page, &array) in page_arrays.iter().enumerate() {
        nums.insert(page as i32, array);
    }
    nums.finish();
    numbers.finish();
    tree.parent_tree_next_key(page_arrays.len() as i32);
    tree.finish();

    let mut doc = pdf.struct_element(document);
    doc.kind(StructRole::Document).parent(root);
    doc.children().items(tops.iter().map(|&t| ids[t]));
    doc.finish();

    let page_ref = |page: usize| page_ids.get(page).map(|&(p, _)| p);
    for (e, element) in elements.iter().enumerate() {
        let mut s = pdf.struct_element(ids[e]);
        s.kind(element.role).parent(element.parent.map_or(document, |p| ids[p]));
        let first_page = element.content.first().and_then(|&(p, _)| page_ref(p));
        if let Some(page) = first_page {
            s.page(page);
        }
        if let Some(alt) = element.alt {
            s.alt(TextStr(alt));
        }
        let mut kids = s.children();
        for &k in &element.kids {
            kids.struct_element(ids[k]);
        }
        for &(page, mcid) in &element.content {
            match page_ref(page) {
                Some(p) if Some(p) != first_page => {
                    kids.marked_content_ref().page(p).marked_content_id(mcid);
                }
                _ => {
                    kids.marked_content_id(mcid);
                }
            }
        }
    }

    for (owners, &array) in parent_of_mcid.iter().zip(&page_arrays) {
        pdf.indirect(array).array().items(owners.iter().map(|&e| ids[e]));
    }
    root
}

/// The XMP packet of a PDF/A file: the document information again (PDF/A
/// requires the two to agree), the PDF/A part and level, no dates but the
/// creation date, exactly as `/CreationDate` has it.
fn xmp_metadata(info: &PdfInfo, producer: &str) -> String {
    let mut xmp = xmp_writer::XmpWriter::new();
    xmp.format("application/pdf");
    if !info.title.is_empty() {
        xmp.title([(None, info.title.as_str())]);
    }
    if !info.author.is_empty() {
        xmp.creator([info.author.as_str()]);
    }
    if !info.lang.is_empty() {
        xmp.language([xmp_writer::LangId(&info.lang)]);
    }
    xmp.creator_tool("wengao");
    xmp.producer(producer);
    if let Some(epoch) = info.created.filter(|&e| pdf_date(e).is_some()) {
        let c = crate::epoch::civil(epoch);
        xmp.create_date(xmp_writer::DateTime::new(
            c.year as u16,
            c.month as u8,
            c.day as u8,
            c.hour as u8,
            c.minute as u8,
            c.second as u8,
            xmp_writer::Timezone::Utc,
        ));
    }
    xmp.pdfa_part(1);
    xmp.pdfa_conformance("B");
    xmp.finish(None)
}

fn font_name(id: FontId) -> String {
    format!("F{}", id.0)
}

fn image_name(n: usize) -> String {
    format!("Im{n}")
}

/// One text run: `BT /F Tf Tm [..] TJ ET`. The text matrix puts the pen at the
/// first glyph; before each further glyph, a `TJ` adjustment moves the pen
/// from where the font's advance left it to the glyph's own `x`, so layout
/// decides every position (justification, grid pitch) and the font only
/// supplies outlines. `cid` gives a glyph's CID and its advance in 1/1000 em
/// as written in `/W`.
fn write_run(content: &mut Content, run: &TextRun, font: &str, page_height: f64, cid: impl Fn(u16) -> (u16, f64)) {
    let Some(first) = run.glyphs.first() else { return };
    // Compute with the values as written, so rounding never accumulates.
    let size = round3(run.size.0);
    let size_pt = f64::from(size);
    let coloured = run.colour != Rgb::BLACK;
    if coloured {
        let [r, g, b] = run.colour.unit();
        content.save_state().set_fill_rgb(r, g, b).set_stroke_rgb(r, g, b);
    }
    if run.fake_bold {
        content.save_state().set_line_width(round3(run.size.0 * FAKE_BOLD_STROKE_PER_EM));
    }
    content.begin_text();
    if run.fake_bold {
        // Fill and stroke: the stroke thickens every outline evenly.
        content.set_text_rendering_mode(TextRenderingMode::FillStroke);
    }
    content.set_font(Name(font.as_bytes()), size);
    let x0 = round3(first.x.0);
    content.set_text_matrix([1.0, 0.0, 0.0, 1.0, x0, round3(page_height - run.baseline.0)]);

    let mut pen = f64::from(x0);
    let mut codes: Vec<u8> = Vec::with_capacity(run.glyphs.len() * 2);
    let mut tj = content.show_positioned();
    let mut items = tj.items();
    for (i, g) in run.glyphs.iter().enumerate() {
        if i > 0 {
            // TJ numbers are subtracted from the pen position, in 1/1000 em.
            let adjust = round3(-(g.x.0 - pen) * 1000.0 / size_pt);
            if adjust != 0.0 {
                items.show(Str(&codes));
                codes.clear();
                items.adjust(adjust);
                pen -= f64::from(adjust) * size_pt / 1000.0;
            }
        }
        let (code, advance) = cid(g.glyph);
        codes.extend_from_slice(&code.to_be_bytes());
        pen += advance * size_pt / 1000.0;
    }
    items.show(Str(&codes));
    items.finish();
    tj.finish();
    content.end_text();
    if run.fake_bold {
        content.restore_state(); // back to fill-only text and the previous line width
    }
    if coloured {
        content.restore_state();
    }
}

// ---------------------------------------------------------------------------
// Outline

/// The bookmark tree: children of the root and of each bookmark, by index.
/// A bookmark nests under the nearest earlier one of a lower level; a
/// level that skips (1 → 3) still nests under the 1.
#[derive(Debug, PartialEq, Eq)]
struct OutlineTree {
    roots: Vec<usize>,
    children: Vec<Vec<usize>>,
}

fn outline_tree(bookmarks: &[Bookmark]) -> OutlineTree {
    let mut roots = Vec::new();
    let mut children = vec![Vec::new(); bookmarks.len()];
    let mut stack: Vec<(u8, usize)> = Vec::new();
    for (i, b) in bookmarks.iter().enumerate() {
        while stack.last().is_some_and(|&(level, _)| level >= b.level) {
            stack.pop();
        }
        match stack.last() {
            Some(&(_, parent)) => children[parent].push(i),
            None => roots.push(i),
        }
        stack.push((b.level, i));
    }
    OutlineTree { roots, children }
}

/// Write the outline (every item open) and return its root, if there are
/// bookmarks.
fn write_outline(
    pdf: &mut Pdf,
    alloc: &mut RefAlloc,
    bookmarks: &[Bookmark],
    page_ids: &[(Ref, Ref)],
    page_height: f64,
) -> Option<Ref> {
    if bookmarks.is_empty() {
        return None;
    }
    let tree = outline_tree(bookmarks);
    let root = alloc.next();
    let ids: Vec<Ref> = bookmarks.iter().map(|_| alloc.next()).collect();

    fn descendants(tree: &OutlineTree, i: usize) -> i32 {
        tree.children[i].iter().map(|&c| 1 + descendants(tree, c)).sum()
    }

    let mut outline = pdf.outline(root);
    if let (Some(&first), Some(&last)) = (tree.roots.first(), tree.roots.last()) {
        outline.first(ids[first]).last(ids[last]);
    }
    outline.count(bookmarks.len() as i32);
    outline.finish();

    let siblings =
        std::iter::once((None, &tree.roots)).chain(tree.children.iter().enumerate().map(|(i, c)| (Some(i), c)));
    for (parent, kids) in siblings {
        let parent_ref = parent.map_or(root, |p| ids[p]);
        for (k, &i) in kids.iter().enumerate() {
            let b = &bookmarks[i];
            let mut item = pdf.outline_item(ids[i]);
            item.title(TextStr(&b.title)).parent(parent_ref);
            if k > 0 {
                item.prev(ids[kids[k - 1]]);
            }
            if let Some(&next) = kids.get(k + 1) {
                item.next(ids[next]);
            }
            if let (Some(&first), Some(&last)) = (tree.children[i].first(), tree.children[i].last()) {
                item.first(ids[first]).last(ids[last]).count(descendants(&tree, i));
            }
            // A bookmark past the last page (a layout bug) still gets a
            // target rather than failing the whole document.
            let page = page_ids[b.page.min(page_ids.len() - 1)].0;
            let top = if b.top.0.is_finite() { round3(page_height - b.top.0) } else { round3(page_height) };
            item.dest().page(page).xyz(0.0, top, None);
        }
    }
    Some(root)
}

// ---------------------------------------------------------------------------
// Small helpers

/// Round to 1/1000 (of a point or of an em): far below what print or screen
/// can show, and it keeps numbers short and free of exponent notation.
fn round3(v: f64) -> f32 {
    let r = (v * 1000.0).round() / 1000.0;
    if r == 0.0 { 0.0 } else { r as f32 }
}

/// A PDF date from `SOURCE_DATE_EPOCH` (seconds since 1970, UTC); `None` if
/// the value is not a number or out of PDF's year range.
fn pdf_date(epoch: i64) -> Option<Date> {
    let c = crate::epoch::civil(epoch);
    let year = u16::try_from(c.year).ok().filter(|y| *y <= 9999)?;
    Some(
        Date::new(year)
            .month(c.month as u8)
            .day(c.day as u8)
            .hour(c.hour as u8)
            .minute(c.minute as u8)
            .second(c.second as u8)
            .utc_offset_hour(0),
    )
}

/// The `pdf` format: lays the document out with wengao's own engine
/// (`layout`), then serializes the pages. Needs the build's resolved fonts.
pub struct PdfWriter;

impl super::Writer for PdfWriter {
    fn name(&self) -> &'static str {
        "pdf"
    }
    fn needs_fonts(&self) -> bool {
        true
    }
    fn write(&self, cx: &super::WriteContext<'_>, out: &mut dyn std::io::Write) -> Result<Diags, Diags> {
        let (pages, diags, fonts) = super::lay_out_pages(cx, "pdf")?;
        let meta = &cx.doc.meta;
        // The same author as the DOCX's `dc:creator` (`Meta::creator`).
        let author = meta.creator().unwrap_or_default().to_string();
        let created = crate::epoch::document_time(meta.date.as_ref());
        let info = PdfInfo {
            title: meta.title.join(""),
            author,
            lang: meta.language().into(),
            created,
            standard: cx.pdf_standard,
        };
        let bytes = serialize_owned(pages, fonts, &info)?;
        out.write_all(&bytes).map_err(|e| super::io_diag("pdf", e))?;
        Ok(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    mod pdfa;
    use std::sync::{Arc, OnceLock};

    use subsetter::GlyphRemapper;
    use ttf_parser::{Face, GlyphId};

    use super::font::{subset_tag, write_widths};
    use crate::diag::Code;
    use crate::fonts::LoadedFont;
    use crate::layout::PlacedGlyph;
    use crate::style::Pt;

    const MM: f64 = 72.0 / 25.4;
    const LEFT: f64 = 28.0 * MM;
    const TOP: f64 = 37.0 * MM;
    const BLOCK_W: f64 = 156.0 * MM;
    const BLOCK_H: f64 = 225.0 * MM;
    const PITCH_X: f64 = 15.79;
    const PITCH_Y: f64 = 28.99;
    /// First baseline: 22 pt into the block, so the 22nd line ends just above its foot.
    const BASE0: f64 = TOP + 22.0;

    const NOTO_SERIF: &str = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
    const DROID: &str = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

    /// Hanzi only, so no generated line starts or ends with punctuation (check-pdf's 避头尾 check).
    const TEXT: &str = "为深入贯彻落实党中央国务院关于优化营商环境的决策部署进一步提升政务服务效能\
        推动高质量发展现就做好有关工作通知如下各地区各部门要充分认识做好这项工作的重要意义\
        切实加强组织领导明确责任分工细化工作措施确保各项任务落到实处要坚持问题导向目标导向\
        结果导向聚焦企业和群众反映强烈的突出问题深化改革创新完善制度机制加强协同联动形成工作\
        合力要加强督促检查及时总结推广典型经验做法对工作推进不力的要严肃问责确保取得实效";

    fn read_cached(path: &'static str) -> Option<Arc<Vec<u8>>> {
        type Files = BTreeMap<&'static str, Option<Arc<Vec<u8>>>>;
        static CACHE: OnceLock<std::sync::Mutex<Files>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let mut cache = cache.lock().unwrap();
        cache.entry(path).or_insert_with(|| std::fs::read(path).ok().map(Arc::new)).clone()
    }

    fn family_of(face: &Face) -> String {
        face.names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::FAMILY)
            .find_map(|n| n.to_string())
            .unwrap_or_default()
    }

    /// The face of `path` whose family is `family` (any face if `None`), as a `LoadedFont` with id `id`.
    fn load(path: &'static str, family: Option<&str>, id: u32) -> Option<LoadedFont> {
        let data = read_cached(path)?;
        let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        for index in 0..count {
            let face = Face::parse(&data, index).ok()?;
            let fam = family_of(&face);
            if family.is_some_and(|f| f != fam) {
                continue;
            }
            let ps = face
                .names()
                .into_iter()
                .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
                .find_map(|n| n.to_string())
                .unwrap_or_default();
            return Some(LoadedFont {
                id: FontId(id),
                data: data.clone(),
                index,
                family: fam,
                postscript_name: ps,
                path: Some(PathBuf::from(path)),
                units_per_em: face.units_per_em(),
                ascender: face.ascender(),
                descender: face.descender(),
                bold: face.is_bold(),
            });
        }
        None
    }

    fn serif() -> Option<LoadedFont> {
        let f = load(NOTO_SERIF, Some("Noto Serif CJK SC"), 0);
        if f.is_none() {
            crate::test_support::skip(&format!("a PDF test: {NOTO_SERIF} (Noto Serif CJK SC) not installed"));
        }
        f
    }

    /// A run of `text` in `font`, glyphs every `pitch` pt from `x0` (or at their natural advances if `pitch` is `None`).
    fn run(font: &LoadedFont, text: &str, x0: f64, pitch: Option<f64>, size: f64, baseline: f64) -> TextRun {
        let data: &[u8] = (*font.data).as_ref();
        let face = Face::parse(data, font.index).unwrap();
        let mut x = x0;
        let glyphs = text
            .chars()
            .map(|c| {
                let g = face.glyph_index(c).unwrap_or_else(|| panic!("{} has no {c}", font.family));
                let placed = PlacedGlyph { glyph: g.0, x: Pt(x), ch: c };
                x += pitch.unwrap_or_else(|| {
                    f64::from(face.glyph_hor_advance(g).unwrap()) * size / f64::from(face.units_per_em())
                });
                placed
            })
            .collect();
        TextRun { font: font.id, size: Pt(size), baseline: Pt(baseline), fake_bold: false, colour: Rgb::BLACK, glyphs }
    }

    /// Width of `text` at natural advances.
    fn natural_width(font: &LoadedFont, text: &str, size: f64) -> f64 {
        let r = run(font, text, 0.0, None, size, 0.0);
        let last = r.glyphs.last().unwrap();
        let face = Face::parse((*font.data).as_ref(), font.index).unwrap();
        last.x.0
            + f64::from(face.glyph_hor_advance(GlyphId(last.glyph)).unwrap()) * size / f64::from(face.units_per_em())
    }

    /// "— N —" in 14 pt, 7 mm under the block: odd pages right, even left, one character in.
    fn page_number(font: &LoadedFont, n: usize) -> TextRun {
        let text = format!("— {n} —");
        let w = natural_width(font, &text, 14.0);
        let x0 = if n % 2 == 1 { LEFT + BLOCK_W - 14.0 - w } else { LEFT + 14.0 };
        run(font, &text, x0, None, 14.0, TOP + BLOCK_H + 7.0 * MM + 12.0)
    }

    /// `n_pages` full pages of 22 lines × 28 characters on the GB/T 9704 grid,
    /// page numbers and a rule; `line_font(page, line)` picks each line's font.
    fn grid_pages(
        n_pages: usize,
        text: &[char],
        fonts: &[LoadedFont],
        line_font: impl Fn(usize, usize) -> usize,
    ) -> Pages {
        let mut k = 0;
        let mut pages = Vec::new();
        let mut outline = Vec::new();
        for p in 0..n_pages {
            let mut items = Vec::new();
            for line in 0..22 {
                let s: String = (0..28).map(|i| text[(k + i) % text.len()]).collect();
                k += 28;
                let font = &fonts[line_font(p, line)];
                let mut r = run(font, &s, LEFT, Some(PITCH_X), 16.0, BASE0 + line as f64 * PITCH_Y);
                r.fake_bold = line == 3;
                items.push(Item::Text(r));
                if line % 11 == 0 {
                    outline.push(Bookmark {
                        title: format!(
                            "{}、{}",
                            ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"][outline.len() % 10],
                            s.chars().take(4).collect::<String>()
                        ),
                        level: if line == 0 { 1 } else { 2 },
                        page: p,
                        top: Pt(BASE0 + line as f64 * PITCH_Y - 16.0),
                    });
                }
            }
            items.push(Item::Text(page_number(&fonts[0], p + 1)));
            items.push(Item::Rule {
                from: (Pt(LEFT), Pt(TOP + BLOCK_H + 2.0)),
                to: (Pt(LEFT + BLOCK_W), Pt(TOP + BLOCK_H + 2.0)),
                width: Pt(0.75),
                colour: Rgb::BLACK,
            });
            pages.push(Page { items, ..Page::default() });
        }
        Pages { width: Pt(210.0 * MM), height: Pt(297.0 * MM), pages, outline, ..Pages::default() }
    }

    fn info() -> PdfInfo {
        PdfInfo {
            title: "关于优化营商环境的通知".into(),
            author: "某某市人民政府办公室".into(),
            lang: "zh-CN".into(),
            created: None,
            standard: PdfStandard::Plain,
        }
    }

    fn font_set(fonts: Vec<LoadedFont>) -> FontSet {
        FontSet { fonts, ..FontSet::default() }
    }

    /// Run an external tool; `None` (with a note) if it is not installed.
    fn tool(name: &str, args: &[&str]) -> Option<std::process::Output> {
        match Command::new(name).args(args).output() {
            Ok(out) => Some(out),
            Err(e) => {
                crate::test_support::skip(&format!("a PDF check: `{name}` cannot run here ({e})"));
                None
            }
        }
    }

    fn write_tmp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    }

    /// Noto Serif body, the first line of every page in Droid Sans Fallback
    /// (a TrueType CJK font, to cover the FontFile2 path) when installed.
    fn two_font_doc(n_pages: usize) -> Option<(Pages, FontSet)> {
        let serif = serif()?;
        let mut fonts = vec![serif];
        if let Some(mut droid) = load(DROID, None, 1) {
            droid.id = FontId(1);
            fonts.push(droid);
        } else {
            crate::test_support::skip(&format!("the TrueType (FontFile2) path: {DROID} not installed"));
        }
        let text: Vec<char> = TEXT.chars().collect();
        let has_tt = fonts.len() > 1;
        let pages = grid_pages(n_pages, &text, &fonts, |_, line| usize::from(has_tt && line == 0));
        Some((pages, font_set(fonts)))
    }

    fn expected_text(pages: &Pages) -> String {
        pages
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None })
            .flat_map(|r| r.glyphs.iter().map(|g| g.ch))
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    #[test]
    fn full_page_passes_qpdf_pdffonts_pdftotext() {
        let Some((pages, fonts)) = two_font_doc(1) else { return };
        let bytes = serialize(&pages, &fonts, &info()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = write_tmp(&dir, "page.pdf", &bytes);

        if let Some(out) = tool("qpdf", &["--check", &file]) {
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "qpdf --check failed:\n{stdout}{}", String::from_utf8_lossy(&out.stderr));
            assert!(stdout.contains("No syntax or stream encoding errors"), "{stdout}");
        }
        if let Some(out) = tool("pdffonts", &[&file]) {
            let stdout = String::from_utf8_lossy(&out.stdout);
            let rows: Vec<&str> = stdout.lines().skip(2).collect();
            assert_eq!(rows.len(), fonts.fonts.len(), "{stdout}");
            for row in rows {
                let cols: Vec<&str> = row.split_whitespace().collect();
                let n = cols.len();
                assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "emb/sub/uni in: {row}");
                assert!(row.as_bytes()[6] == b'+', "subset tag in: {row}");
            }
        }
        if let Some(out) = tool("pdftotext", &["-enc", "UTF-8", &file, "-"]) {
            let got: String = String::from_utf8(out.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(got, expected_text(&pages));
        }
    }

    #[test]
    fn check_pdf_passes_on_two_pages() {
        let Some((pages, fonts)) = two_font_doc(2) else { return };
        let bytes = serialize(&pages, &fonts, &info()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = write_tmp(&dir, "two.pdf", &bytes);
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/tools/check-pdf.py");
        let script =
            if Path::new(script).exists() { script.to_string() } else { "/work/shared/tools/check-pdf.py".into() };
        if !Path::new(&script).exists() {
            crate::test_support::skip("check-pdf.py on wengao's PDF: ../shared/tools/check-pdf.py not found");
            return;
        }
        let Some(out) = tool("python3", &[&script, &file, "--no-title"]) else { return };
        let stdout = String::from_utf8_lossy(&out.stdout);
        eprintln!("check-pdf.py:\n{stdout}{}", String::from_utf8_lossy(&out.stderr));
        if stdout.contains("No module named") || String::from_utf8_lossy(&out.stderr).contains("No module named") {
            crate::test_support::skip("check-pdf.py on wengao's PDF: pdfplumber is not installed");
            return;
        }
        assert!(out.status.success() && !stdout.contains("FAIL"), "check-pdf.py failed:\n{stdout}");
        for check in ["fonts-embedded", "fonts-subset", "fonts-tounicode", "text-extractable", "chars-per-line"] {
            assert!(stdout.contains(&format!("PASS {check}")), "{check} did not pass:\n{stdout}");
        }
    }

    #[test]
    fn output_is_deterministic_across_runs_and_threads() {
        let Some((pages, fonts)) = two_font_doc(2) else { return };
        let a = serialize(&pages, &fonts, &info()).unwrap();
        let b = serialize(&pages, &fonts, &info()).unwrap();
        assert!(a == b, "two serializations in a row differ");
        let (c, d) = std::thread::scope(|s| {
            let t1 = s.spawn(|| serialize(&pages, &fonts, &info()).unwrap());
            let t2 = s.spawn(|| serialize(&pages, &fonts, &info()).unwrap());
            (t1.join().unwrap(), t2.join().unwrap())
        });
        assert!(a == c && a == d, "serializations from two threads differ");
        // The /ID is a content hash, not a constant: other content, other ID.
        let mut other = pages.clone();
        other.pages.truncate(1);
        let e = serialize(&other, &fonts, &info()).unwrap();
        let id = |pdf: &[u8]| {
            let s = String::from_utf8_lossy(pdf);
            s[s.rfind("/ID").unwrap()..].lines().next().unwrap().to_string()
        };
        assert_ne!(id(&a), id(&e));
    }

    #[test]
    fn info_catalog_and_outline_are_written() {
        let Some((pages, fonts)) = two_font_doc(2) else { return };
        let bytes = serialize(&pages, &fonts, &info()).unwrap();
        let s = String::from_utf8_lossy(&bytes);
        assert!(s.contains("/Lang(zh-CN)"), "no /Lang");
        assert!(s.contains("/DisplayDocTitle true"));
        assert!(s.contains("/Creator(wengao)"));
        assert!(s.contains(&format!("/Producer(wengao {})", env!("CARGO_PKG_VERSION"))));
        assert!(s.contains("/Identity-H") && s.contains("/ToUnicode") && s.contains("/FontFile3"));
        assert!(s.contains("/Subtype/OpenType"));
        assert!(s.contains("/PageMode/UseOutlines"));
        assert!(!s.contains("/CreationDate"), "no date given, none written (never the clock)");
        let dir = tempfile::tempdir().unwrap();
        let file = write_tmp(&dir, "outline.pdf", &bytes);
        if let Some(out) = tool("pdfinfo", &[&file]) {
            let meta = String::from_utf8_lossy(&out.stdout);
            assert!(meta.contains("关于优化营商环境的通知") && meta.contains("某某市人民政府办公室"), "{meta}");
            assert!(meta.contains("595.276 x 841.89 pts (A4)"), "{meta}");
        }
        // The outline as a PDF reader sees it.
        let Some(out) = tool("qpdf", &["--json=2", "--json-key=outlines", &file]) else { return };
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let outlines = json["outlines"].as_array().unwrap();
        // Per page: a level-1 bookmark at line 0 with a level-2 child at line 11.
        assert_eq!(outlines.len(), 2, "{json:#}");
        for (p, o) in outlines.iter().enumerate() {
            assert!(o["title"].as_str().unwrap().starts_with(["一、", "三、"][p]));
            assert_eq!(o["destpageposfrom1"], p + 1);
            let kids = o["kids"].as_array().unwrap();
            assert_eq!(kids.len(), 1);
            assert_eq!(kids[0]["destpageposfrom1"], p + 1);
        }
    }

    #[test]
    fn links_lead_to_their_bookmarks_and_bad_ones_are_left_out() {
        let Some((mut pages, fonts)) = two_font_doc(2) else { return };
        let area = [Pt(80.0), Pt(100.0), Pt(500.0), Pt(129.0)];
        pages.links = vec![
            crate::layout::Link { page: 0, area, target: 1 },
            crate::layout::Link { page: 0, area, target: 99 },
            crate::layout::Link { page: 7, area, target: 0 },
        ];
        let bytes = serialize(&pages, &fonts, &info()).unwrap();
        let s = String::from_utf8_lossy(&bytes);
        assert_eq!(s.matches("/Subtype/Link").count(), 1, "only the link whose page and target exist");
        assert!(s.contains("/S/GoTo") && s.contains("/Annots"));
        let dir = tempfile::tempdir().unwrap();
        let file = write_tmp(&dir, "links.pdf", &bytes);
        let Some(out) = tool("qpdf", &["--check", &file]) else { return };
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }

    #[test]
    fn outline_nesting_follows_levels() {
        let bm = |level| Bookmark { title: String::new(), level, page: 0, top: Pt(0.0) };
        let marks: Vec<Bookmark> = [1, 2, 2, 1, 3, 2, 4, 1].into_iter().map(bm).collect();
        let tree = outline_tree(&marks);
        assert_eq!(tree.roots, vec![0, 3, 7]);
        assert_eq!(tree.children[0], vec![1, 2]);
        // A skipped level (1 → 3) nests under the 1; the following 2 is its sibling.
        assert_eq!(tree.children[3], vec![4, 5]);
        assert_eq!(tree.children[5], vec![6]);
        assert!(tree.children[7].is_empty());
        // A document that starts below level 1 still has roots.
        let tree = outline_tree(&[bm(2), bm(1), bm(2)]);
        assert_eq!(tree.roots, vec![0, 1]);
        assert_eq!(tree.children[1], vec![2]);
    }

    #[test]
    fn outline_objects_link_up() {
        // ASCII titles so they can be found in the bytes.
        let bm = |title: &str, level, page| Bookmark { title: title.into(), level, page, top: Pt(100.0) };
        let pages = Pages {
            width: Pt(595.0),
            height: Pt(842.0),
            pages: vec![Page::default(), Page::default()],
            outline: vec![bm("A", 1, 0), bm("A1", 2, 0), bm("A2", 2, 1), bm("B", 1, 1), bm("Z", 1, 9)],
            ..Pages::default()
        };
        let bytes = serialize(&pages, &FontSet::default(), &PdfInfo::default()).unwrap();
        let s = String::from_utf8_lossy(&bytes);
        assert!(s.contains("/Type/Outlines") && s.contains("/Count 5"));
        assert!(s.contains("/Title(A)/Parent"));
        assert!(s.contains("/Count 2"), "A has two open descendants");
        assert!(s.contains("/XYZ 0 742 0]"), "destination at the bookmark's top");
        let dir = tempfile::tempdir().unwrap();
        let file = write_tmp(&dir, "o.pdf", &bytes);
        if let Some(out) = tool("qpdf", &["--check", &file]) {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        }
        if let Some(out) = tool("qpdf", &["--json=2", "--json-key=outlines", &file]) {
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let o = &json["outlines"];
            assert_eq!(o[0]["title"], "A");
            assert_eq!(o[0]["kids"][1]["title"], "A2");
            assert_eq!(o[0]["kids"][1]["destpageposfrom1"], 2);
            assert_eq!(o[1]["title"], "B");
            // Past the last page: pointed at the last page.
            assert_eq!(o[2]["destpageposfrom1"], 2);
        }
    }

    #[test]
    fn to_unicode_maps_each_cid_to_its_text() {
        let Some(serif) = serif() else { return };
        let face = Face::parse((*serif.data).as_ref(), serif.index).unwrap();
        let g = |c| face.glyph_index(c).unwrap().0;
        let mut used = BTreeMap::new();
        used.insert(g('国'), "国".to_string());
        used.insert(g('家'), "家".to_string());
        // A glyph standing for two characters (a ligature) and one for an astral character's text.
        used.insert(g('一'), "一二".to_string());
        used.insert(g('二'), "𠀀".to_string());
        let font = FontPlan::new(&serif, &used).unwrap();
        let cmap = inflate(&font.to_unicode);
        let mut sorted: Vec<u16> = used.keys().copied().collect();
        sorted.sort();
        for (glyph, text) in &used {
            let cid = font.remapper.get(*glyph).unwrap();
            // CIDs follow glyph order, starting after .notdef.
            assert_eq!(usize::from(cid), sorted.iter().position(|x| x == glyph).unwrap() + 1);
            let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            let line = format!("<{cid:04x}> <{hex}>");
            assert!(cmap.to_lowercase().contains(&line.to_lowercase()), "missing `{line}` in\n{cmap}");
        }
        assert!(cmap.contains("4 beginbfchar"), "{cmap}");
        assert!(cmap.contains("/Registry (Adobe)") && cmap.contains("/Ordering (Identity)"));
        assert!(cmap.contains("<0000> <ffff>") || cmap.contains("<0000> <FFFF>"), "2-byte codespace");
        assert!(font.cff, "Noto CJK is CFF-flavoured");
        assert_eq!(font.widths, vec![1000.0; 5], "CJK glyphs are 1 em wide");
    }

    fn inflate(data: &[u8]) -> String {
        use std::io::Read;
        let mut s = String::new();
        flate2::read::ZlibDecoder::new(data).read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn subset_tag_is_deterministic() {
        let mut a = GlyphRemapper::new();
        for g in [3, 7, 9] {
            a.remap(g);
        }
        let mut b = GlyphRemapper::new();
        for g in [3, 7, 10] {
            b.remap(g);
        }
        let tag = subset_tag("NotoSerifCJKsc-Regular", &a, b"program");
        assert_eq!(tag.len(), 6);
        assert!(tag.bytes().all(|c| c.is_ascii_uppercase()), "{tag}");
        assert_eq!(tag, subset_tag("NotoSerifCJKsc-Regular", &a, b"program"));
        assert_ne!(tag, subset_tag("NotoSerifCJKsc-Regular", &b, b"program"));
        assert_ne!(tag, subset_tag("NotoSansCJKsc-Regular", &a, b"program"));
        // Pinned: a changed hash would change every PDF's bytes, so make it deliberate.
        assert_eq!(tag, "ZKTMIP");

        // And the same font and glyphs give the same BaseFont in a real document.
        let Some(serif) = serif() else { return };
        let used: BTreeMap<u16, String> = [(100, "x".to_string()), (200, "y".to_string())].into();
        let t1 = FontPlan::new(&serif, &used).unwrap().program(None).unwrap().base_font;
        let t2 = FontPlan::new(&serif, &used).unwrap().program(None).unwrap().base_font;
        assert_eq!(t1, t2);
        assert!(t1.ends_with("+NotoSerifCJKsc-Regular"), "{t1}");
        let more: BTreeMap<u16, String> = [(100, "x".to_string()), (201, "y".to_string())].into();
        assert_ne!(t1, FontPlan::new(&serif, &more).unwrap().program(None).unwrap().base_font);

        // A program from the build's cache is the one that would be made.
        let cache = crate::fonts::ProgramCache::default();
        let fresh = FontPlan::new(&serif, &used).unwrap().program(None).unwrap();
        for i in 0..3 {
            let p = FontPlan::new(&serif, &used).unwrap().program(Some(&cache)).unwrap();
            assert_eq!((p.base_font, p.data), (fresh.base_font.clone(), fresh.data.clone()));
            // Kept once made twice: a program made once (a county's own
            // name in its title) is never kept.
            assert_eq!(cache.len(), usize::from(i > 0), "after {} makes", i + 1);
        }
        assert!(cache.get(serif.id.0, 0, &[0, 100, 200]).is_some(), "remembered by font, form and glyphs");
        assert!(cache.get(serif.id.0, 1, &[0, 100, 200]).is_none(), "another form is another program");
        let _ = FontPlan::new(&serif, &more).unwrap().program(Some(&cache)).unwrap();
        assert_eq!(cache.len(), 1, "made once: not kept");
    }

    /// The charstrings kept glyph by glyph (vendor/subsetter, `subset_cached`)
    /// give the programs made without them, whichever glyphs were kept
    /// before and in whatever order the subsets come.
    #[test]
    fn programs_from_kept_charstrings_are_the_programs_made_fresh() {
        let Some(serif) = serif() else { return };
        let sets: [&[u16]; 4] = [&[100, 200, 300], &[100, 201, 300, 4000], &[5, 100, 200, 300, 4000], &[100, 200, 300]];
        let cache = crate::fonts::ProgramCache::default();
        for glyphs in sets {
            let used: BTreeMap<u16, String> = glyphs.iter().map(|&g| (g, "字".to_string())).collect();
            let fresh = FontPlan::new(&serif, &used).unwrap().program(None).unwrap();
            let cached = FontPlan::new(&serif, &used).unwrap().program(Some(&cache)).unwrap();
            assert_eq!((&cached.base_font, &cached.data), (&fresh.base_font, &fresh.data), "glyphs {glyphs:?}");
        }
        let kept = cache.charstrings(serif.id.0).unwrap();
        // .notdef and the six distinct glyphs, each once.
        assert_eq!(kept.len(), 7);
        assert!(kept.bytes() > 0);
    }

    fn glyphs_at(xs: &[f64]) -> Vec<PlacedGlyph> {
        xs.iter().enumerate().map(|(i, &x)| PlacedGlyph { glyph: i as u16 + 1, x: Pt(x), ch: '字' }).collect()
    }

    fn content_of(run: &TextRun) -> String {
        let mut content = Content::new();
        write_run(&mut content, run, "F0", 800.0, |g| (g, 1000.0));
        String::from_utf8(content.finish().into_vec()).unwrap()
    }

    #[test]
    fn tj_adjustments_put_glyphs_at_their_x() {
        // 1000-unit glyphs at 16 pt advance 16 pt; the grid pitch is 15.79,
        // so each glyph after the first is pulled back 0.21 pt = 13.125/1000 em.
        let run = TextRun {
            font: FontId(0),
            size: Pt(16.0),
            baseline: Pt(100.0),
            fake_bold: false,
            colour: Rgb::BLACK,
            glyphs: glyphs_at(&[79.37, 79.37 + 15.79, 79.37 + 2.0 * 15.79, 79.37 + 3.0 * 15.79 + 20.0]),
        };
        let c = content_of(&run);
        assert_eq!(
            c,
            "BT\n/F0 16 Tf\n1 0 0 1 79.37 700 Tm\n\
             [(\\000\\001) 13.125 (\\000\\002) 13.125 (\\000\\003) -1236.875 (\\000\\004)] TJ\nET"
        );
        assert!(!c.contains("Tr"));
        // Glyphs exactly at their natural advance need no adjustment at all.
        let run = TextRun { glyphs: glyphs_at(&[10.0, 26.0, 42.0]), ..run };
        assert!(content_of(&run).contains("[(\\000\\001\\000\\002\\000\\003)] TJ"), "{}", content_of(&run));
    }

    #[test]
    fn fake_bold_strokes_and_restores() {
        let run = TextRun {
            font: FontId(0),
            size: Pt(16.0),
            baseline: Pt(100.0),
            fake_bold: true,
            colour: Rgb::BLACK,
            glyphs: glyphs_at(&[10.0, 26.0]),
        };
        let c = content_of(&run);
        assert!(c.starts_with("q\n0.533 w\nBT\n2 Tr\n"), "{c}");
        assert!(c.ends_with("ET\nQ"), "{c}");
    }

    #[test]
    fn coloured_text_fills_in_its_colour_and_restores_black() {
        let run = TextRun {
            font: FontId(0),
            size: Pt(16.0),
            baseline: Pt(100.0),
            fake_bold: false,
            colour: Rgb(255, 0, 0),
            glyphs: glyphs_at(&[10.0, 26.0]),
        };
        let c = content_of(&run);
        assert!(c.starts_with("q\n1 0 0 rg\n1 0 0 RG\nBT\n"), "{c}");
        assert!(c.ends_with("ET\nQ"), "{c}");
        let black = content_of(&TextRun { colour: Rgb::BLACK, ..run });
        assert!(!black.contains("rg") && !black.contains('q'), "{black}");
    }

    /// A 3×2 RGBA PNG with one half-transparent pixel.
    fn tiny_png() -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, 3, 2);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        let mut px = vec![255u8; 3 * 2 * 4];
        px[3] = 128;
        px[4] = 0;
        w.write_image_data(&px).unwrap();
        w.finish().unwrap();
        out
    }

    /// A 4×2 grey baseline JPEG (made with Pillow, quality 50, optimised Huffman tables).
    const TINY_JPEG: &str = "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a18\
        1616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffc0000b080002000401\
        011100ffc40014000100000000000000000000000000000000ffc40014100100000000000000000000000000000000ffda0008010100003f\
        003fffd9";

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    fn image_page(paths: &[PathBuf]) -> Pages {
        let items = paths
            .iter()
            .enumerate()
            .map(|(i, p)| Item::Image {
                path: p.clone(),
                x: Pt(100.0 + 150.0 * i as f64),
                y: Pt(100.0),
                width: Pt(120.0),
                height: Pt(80.0),
            })
            .collect();
        Pages {
            width: Pt(595.0),
            height: Pt(842.0),
            pages: vec![Page { items, ..Page::default() }],
            ..Pages::default()
        }
    }

    #[test]
    fn images_are_embedded() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("a.png");
        let jpg = dir.path().join("b.jpg");
        std::fs::write(&png, tiny_png()).unwrap();
        std::fs::write(&jpg, hex(TINY_JPEG)).unwrap();
        // The PNG twice: one XObject drawn twice.
        let pages = image_page(&[png.clone(), jpg, png]);
        let bytes = serialize(&pages, &FontSet::default(), &PdfInfo::default()).unwrap();
        let s = String::from_utf8_lossy(&bytes);
        assert_eq!(s.matches("/Subtype/Image").count(), 3, "PNG, its alpha mask, JPEG");
        assert!(s.contains("/Filter/DCTDecode") && s.contains("/SMask") && s.contains("/DeviceGray"));
        let file = write_tmp(&dir, "img.pdf", &bytes);
        if let Some(out) = tool("qpdf", &["--check", &file]) {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        }
        if let Some(out) = tool("pdfimages", &["-list", &file]) {
            let list = String::from_utf8_lossy(&out.stdout);
            // Three placements; pdfimages lists the mask with each PNG placement.
            assert_eq!(list.lines().skip(2).count(), 5, "{list}");
            assert!(list.contains("smask") && list.contains("jpeg"), "{list}");
        }
        if let Some(out) = tool("pdftoppm", &["-r", "10", "-png", &file, &format!("{}/r", dir.path().display())]) {
            assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
        }
    }

    #[test]
    fn bad_images_are_diagnosed() {
        let dir = tempfile::tempdir().unwrap();
        let garbage = dir.path().join("x.png");
        std::fs::write(&garbage, b"GIF89a not really").unwrap();
        let truncated = dir.path().join("t.png");
        std::fs::write(&truncated, &tiny_png()[..40]).unwrap();
        let bad_jpeg = dir.path().join("j.jpg");
        std::fs::write(&bad_jpeg, [0xFF, 0xD8, 0xFF, 0xDA, 0, 2]).unwrap();
        let missing = dir.path().join("missing.png");
        let pages = image_page(&[garbage, truncated, bad_jpeg, missing.clone()]);
        let err = serialize(&pages, &FontSet::default(), &PdfInfo::default()).unwrap_err();
        assert_eq!(err.0.len(), 4, "{err:?}");
        assert!(err.iter().all(|d| d.code == Code::MarkupImage && d.is_error()), "{err:?}");
        assert_eq!(err.0[3].path.as_deref(), Some(missing.as_path()));
    }

    #[test]
    fn bad_fonts_are_diagnosed() {
        let bogus = LoadedFont {
            id: FontId(0),
            data: Arc::new(b"not a font at all".to_vec()),
            index: 0,
            family: "Bogus".into(),
            postscript_name: "Bogus".into(),
            path: Some("/fonts/bogus.ttf".into()),
            units_per_em: 1000,
            ascender: 880,
            descender: -120,
            bold: false,
        };
        let text = TextRun {
            font: FontId(0),
            size: Pt(16.0),
            baseline: Pt(100.0),
            fake_bold: false,
            colour: Rgb::BLACK,
            glyphs: glyphs_at(&[10.0]),
        };
        let pages = Pages {
            width: Pt(595.0),
            height: Pt(842.0),
            pages: vec![Page { items: vec![Item::Text(text.clone())], ..Page::default() }],
            ..Pages::default()
        };
        let err = serialize(&pages, &font_set(vec![bogus]), &PdfInfo::default()).unwrap_err();
        assert_eq!(err.0[0].code, Code::FontUnreadable, "{err:?}");
        assert_eq!(err.0[0].path.as_deref(), Some(Path::new("/fonts/bogus.ttf")));
        // A font id the set does not have is a bug in layout, reported, not a panic.
        let err = serialize(&pages, &FontSet::default(), &PdfInfo::default()).unwrap_err();
        assert_eq!(err.0[0].code, Code::Internal);
        // So is a glyph id past the end of the font.
        if let Some(serif) = serif() {
            let mut bad = text.clone();
            bad.glyphs[0].glyph = u16::MAX;
            let pages =
                Pages { pages: vec![Page { items: vec![Item::Text(bad)], ..Page::default() }], ..pages.clone() };
            let err = serialize(&pages, &font_set(vec![serif]), &PdfInfo::default()).unwrap_err();
            assert_eq!(err.0[0].code, Code::Internal, "{err:?}");
        }
        // And NaN coordinates.
        let mut nan = text;
        nan.glyphs[0].x = Pt(f64::NAN);
        let pages = Pages { pages: vec![Page { items: vec![Item::Text(nan)], ..Page::default() }], ..pages };
        assert!(serialize(&pages, &FontSet::default(), &PdfInfo::default()).is_err());
    }

    #[test]
    fn source_date_epoch_converts_to_utc() {
        assert_eq!(
            pdf_date(0).unwrap(),
            Date::new(1970).month(1).day(1).hour(0).minute(0).second(0).utc_offset_hour(0)
        );
        assert!(pdf_date(-99_999_999_999_999).is_none());
        // 1700000000 = 2023-11-14 22:13:20 UTC.
        let date = pdf_date(1_700_000_000).unwrap();
        assert_eq!(date, Date::new(2023).month(11).day(14).hour(22).minute(13).second(20).utc_offset_hour(0));
        assert_eq!(
            pdf_date(951_782_400).unwrap(),
            Date::new(2000).month(2).day(29).hour(0).minute(0).second(0).utc_offset_hour(0)
        );
    }

    #[test]
    fn widths_group_runs_of_equal_values() {
        let mut chunk = pdf_writer::Chunk::new();
        let mut font = chunk.cid_font(Ref::new(1));
        write_widths(&mut font, &[1000.0, 1000.0, 1000.0, 500.0, 600.0, 1000.0, 1000.0, 1000.0, 1000.0, 250.5, 250.5]);
        font.finish();
        let s = String::from_utf8_lossy(chunk.as_bytes()).into_owned();
        assert!(s.contains("/W [0 2 1000 3 [500 600] 5 8 1000 9 [250.5 250.5]]"), "{s}");
    }

    #[test]
    fn creation_date_only_with_source_date_epoch() {
        // Setting the variable in this process would race other tests, so
        // the check runs in a child copy of the test binary.
        let exe = std::env::current_exe().unwrap();
        let out = Command::new(exe)
            .args(["write::pdf::tests::creation_date_probe", "--exact", "--ignored", "--nocapture"])
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .unwrap();
        let log = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && log.contains("1 passed"), "{log}{}", String::from_utf8_lossy(&out.stderr));
    }

    /// Run by `creation_date_only_with_source_date_epoch` with SOURCE_DATE_EPOCH=1700000000.
    #[test]
    #[ignore]
    fn creation_date_probe() {
        if std::env::var("SOURCE_DATE_EPOCH").as_deref() != Ok("1700000000") {
            eprintln!("note: run by creation_date_only_with_source_date_epoch; skipped on its own");
            return;
        }
        let pages = Pages { width: Pt(595.0), height: Pt(842.0), pages: vec![Page::default()], ..Pages::default() };
        let info = PdfInfo { created: crate::epoch::document_time(None), ..PdfInfo::default() };
        let a = serialize(&pages, &FontSet::default(), &info).unwrap();
        assert!(String::from_utf8_lossy(&a).contains("/CreationDate(D:20231114221320Z)"));
        assert_eq!(a, serialize(&pages, &FontSet::default(), &info).unwrap());
    }
}
