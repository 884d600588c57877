//! DOCX writer: the last stage for Word, WPS and LibreOffice users.
//!
//! It reads the `Document` AST and the `Style` (never Markdown, never another
//! writer's output) and writes every part of the package itself, element by
//! element through quick-xml (`xml`), children in the order of the ECMA-376
//! schema (`model`, `parts`): no generated XML is ever patched. The body is
//! streamed into its ZIP entry as it is built (`package`), so memory does not
//! grow with the document; the same document always gives the same bytes.
//! Every length comes from `Style`; the choices below are about which Word
//! setting carries it so that Word, WPS and LibreOffice agree with the PDF.
//!
//! # Why each setting is what it is
//!
//! - **Page** (GB/T 9704 §5.1, §5.2.1): A4, margins 37/35/28/26 mm, giving
//!   the 156 × 225 mm text block.
//! - **Lines** (§5.2.3: 22 lines a page): every paragraph style has *exact*
//!   line spacing `Style::line_pitch_twips` (579 twips = 28.95 pt); LibreOffice
//!   then sets 22 lines a page (SPEC §9). The section's `docGrid` carries the
//!   same pitch, so Word and WPS show the 22-line grid in 页面设置 and snap
//!   auto-spaced paragraphs (pictures, text a user adds) to it. LibreOffice
//!   snaps even exactly spaced lines to that grid, giving a 22 pt title line
//!   or a 14 pt table line a whole grid line or two, so the title and table
//!   styles turn `snapToGrid` off.
//! - **Characters** (§5.2.3: 28 a line): body runs carry a character spacing
//!   of `Style::char_spacing_twips` (−0.25 pt), so 28 × 15.75 pt fit the
//!   442 pt line in every reader (SPEC §9).
//! - **First-line indent** (§7.3.3: 左空二字): `w:firstLine` in twips from
//!   `Style::indent`.
//! - **Fonts** (§5.2.2, §7.3: 仿宋/小标宋/黑体/楷体): the eastAsia slot gets
//!   the first family name of the face (仿宋_GB2312, 方正小标宋简体, 黑体,
//!   楷体_GB2312), the names office machines have; ascii/hAnsi/cs get the
//!   second (仿宋 and 楷体, which every Windows since Vista and WPS ship;
//!   SimHei; the 方正 GBK cut of 小标宋), so digits and Latin words are set
//!   half width in a face of the same design, present on every office PC,
//!   even where the GB 2312 family is missing. Font files named in
//!   `[style] fonts` are for the PDF and never appear here. The font table
//!   lists each face with its `altName` (the Windows face of the same
//!   design), charset GB 2312, family, pitch and code-page signature.
//! - **Page numbers** (§7.5): odd and even footers (`evenAndOddHeaders`) hold
//!   "— PAGE —" at 14 pt in 宋体; odd pages right, even pages left, one
//!   character in. The footer distance is computed so the number's top sits
//!   7 mm under the text block.
//! - **Page breaks**: widow control is off; where the PDF set a paragraph a
//!   hair looser or tighter to keep a page at 22 lines (`paginate`), the
//!   paragraph's runs carry the same spacing (`spaced`), so Word breaks it
//!   into the same lines.
//! - **Signature** (§7.3.5.1): the date right-aligned four characters in, each
//!   署名 line centred over the date by its own right indent, kept with the
//!   last paragraph of the text.
//! - **Collections**: article titles are Word's "heading 1" (outline level 1)
//!   and the 一、 headings move one level down, so the `TOC \o "1-1" \h` field
//!   of the 目录 rebuilds from the article titles; each entry links to a
//!   bookmark on its title and carries a `PAGEREF` to it.
//! - **Determinism**: picture and bookmark ids come from counters local to
//!   one write; `docProps/core.xml` gets `SOURCE_DATE_EPOCH`, else the
//!   document's 成文日期 (else 1980-01-01T00:00:00Z), never the clock, and
//!   every ZIP entry is stamped 1980-01-01 00:00.

mod gongwen;
mod model;
mod package;
mod parts;
use super::xml;

use std::fmt;
use std::io;

use model::{
    Field, Fonts, Indent, Jc, LineRule, Para, ParaProps, Picture, Piece, Run, RunItem, RunProps, SectionProps, TabStop,
};
use parts::{StyleDef, StyleKind};

use super::{WriteContext, Writer, io_diag};
use crate::diag::{Code, Diagnostic, Diags};
use crate::doc::{Align, Article, Block, Date, Document, Format, Inline, RunStyle, TOC_HEADING, Table};
use crate::style::{Face, Style};

/// Writes a `Document` as a GB/T 9704 DOCX (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct DocxWriter;

impl Writer for DocxWriter {
    fn name(&self) -> &'static str {
        "docx"
    }

    fn write(&self, cx: &WriteContext<'_>, out: &mut dyn io::Write) -> Result<Diags, Diags> {
        let bytes = docx_bytes(cx)?;
        out.write_all(&bytes).map_err(|e| io_diag(self.name(), e))?;
        Ok(Diags::new())
    }
}

/// The complete DOCX package for a document, byte for byte reproducible.
fn docx_bytes(cx: &WriteContext<'_>) -> Result<Vec<u8>, Diags> {
    let mut builder = Builder::new(cx)?;
    builder.build(cx.doc);
    if builder.diags.has_errors() {
        return Err(builder.diags);
    }
    builder.finish(cx.doc)
}

/// Every zip and I/O failure of this writer, as one diagnostic.
fn to_diag(what: &str, e: impl fmt::Display) -> Diags {
    Diagnostic::error(Code::OutputWriter, format!("docx: {what}: {e}"))
        .with_hint("this is most likely a bug in wengao; please report it with the document that caused it")
        .into()
}

// ---------------------------------------------------------------------------
// Numbers: everything in Word's units, derived from `Style` once.

/// English Metric Units per millimetre and per inch (DrawingML's length unit).
const EMU_PER_MM: f64 = 36_000.0;
const EMU_PER_INCH: f64 = 914_400.0;
/// Pixels per inch of an image's natural size: the CSS reference pixel, which
/// is also what Word assumes when it inserts a picture without trusted DPI.
const NATURAL_DPI: f64 = 96.0;
/// How far (in ems) the glyphs of an exactly spaced line stand above the
/// line's top. Measured in LibreOffice 7.4's PDF with the open CJK fonts a CI
/// machine has (Noto Sans CJK standing in for 宋体): 14 pt numbers in a 14 pt
/// exact line print their em box 1 mm (0.2 em) high, because the font's
/// ascent + descent exceed its em; the footer distance gives that back (SPEC
/// §9: "≈ 27 mm minus the 14 pt line"). A font whose ascent + descent is one
/// em (SimSun) would sit up to 1 mm lower in Word.
const EM_ABOVE_EXACT_LINE: f64 = 0.2;
/// Language of Latin runs (digits, English names).
const LATIN_LANG: &str = "en-US";

/// Lengths of the page in Word's units (twips, half-points, EMU).
struct Metrics {
    page_width: u32,
    page_height: u32,
    margin_top: i32,
    margin_bottom: i32,
    margin_left: i32,
    margin_right: i32,
    /// Distance from the page's bottom edge to the page-number line's bottom.
    footer: i32,
    body_size: usize,
    title_size: usize,
    table_size: usize,
    number_size: usize,
    pitch: i32,
    title_pitch: i32,
    table_pitch: i32,
    number_line: i32,
    indent: i32,
    char_spacing: i32,
    /// One full-width body character as set, in twips (fractional).
    advance: f64,
    /// One half-width (ASCII) body character as set, in twips.
    half_advance: f64,
    text_width: i32,
    text_width_emu: f64,
    text_height_emu: f64,
    date_inset: i32,
    number_inset: i32,
    cell_padding_v: usize,
    cell_padding_h: usize,
    /// 目录: indent of an entry's wrapped lines.
    toc_wrap_indent: i32,
}

impl Metrics {
    fn new(s: &Style) -> Metrics {
        let tw = |twips: i64| twips.clamp(0, i64::from(i32::MAX)) as i32;
        let pitch = tw(s.line_pitch_twips());
        // The footer distance runs from the page's bottom edge to the bottom
        // of the number's line. Exact spacing equal to the size makes that
        // line the em box, less the part of the em a CJK font's tall ascent
        // pushes above an exact line (measured, see `EM_ABOVE_EXACT_LINE`).
        let number_line = tw(s.page_number.size.twips());
        let overhang = tw((s.page_number.size.0 * EM_ABOVE_EXACT_LINE * 20.0).round() as i64);
        let footer = tw(s.page_height.twips() - s.page_number_top().twips()) - number_line - overhang;
        let spacing = s.char_spacing_twips();
        Metrics {
            page_width: s.page_width.twips().clamp(0, i64::from(u32::MAX)) as u32,
            page_height: s.page_height.twips().clamp(0, i64::from(u32::MAX)) as u32,
            margin_top: tw(s.margin_top.twips()),
            margin_bottom: tw(s.margin_bottom.twips()),
            margin_left: tw(s.margin_left.twips()),
            margin_right: tw(s.margin_right.twips()),
            footer: footer.max(0),
            body_size: s.body_size.half_points(),
            title_size: s.title_size.half_points(),
            table_size: s.table_size.half_points(),
            number_size: s.page_number.size.half_points(),
            pitch,
            title_pitch: tw(s.title_line_pitch_twips()),
            table_pitch: tw(s.table_line_pitch().twips()),
            number_line,
            indent: tw(s.indent().twips()),
            char_spacing: spacing.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
            advance: s.body_advance().0 * 20.0,
            half_advance: s.body_size.0 * 10.0 + spacing as f64,
            text_width: tw(s.text_width().twips()),
            text_width_emu: s.text_width().0 * EMU_PER_MM,
            text_height_emu: s.text_height().0 * EMU_PER_MM,
            date_inset: tw((s.body_size.0 * f64::from(s.date_right_inset_chars) * 20.0).round() as i64),
            number_inset: tw((s.page_number.size.0 * s.page_number.inset_chars * 20.0).round() as i64),
            cell_padding_v: (s.table_line_pitch().twips() - s.table_size.twips()).max(0) as usize,
            cell_padding_h: (s.table_size.twips() / 2).max(0) as usize,
            toc_wrap_indent: tw(
                (s.char_pitch().0 * f64::from(s.collection.toc_wrap_indent_chars) * 20.0).round() as i64
            ),
        }
    }

    /// Width of a line of body text in twips: full-width characters take one
    /// advance, ASCII (digits, Latin) half of the size plus the spacing.
    fn text_width_of(&self, text: &str) -> f64 {
        text.chars().map(|c| if c.is_ascii() { self.half_advance } else { self.advance }).sum()
    }
}

fn exact(line: i32) -> Option<LineRule> {
    Some(LineRule::Exact(line))
}

fn indent(left: i32, right: i32, first_line: i32) -> Option<Indent> {
    Some(Indent { left, right, first_line })
}

// ---------------------------------------------------------------------------
// Styles: named paragraph styles so the document stays editable in Word.

const NORMAL: &str = "Normal";
const BODY: &str = "BodyText";
const TITLE: &str = "Title";
const SUBTITLE: &str = "Subtitle";
const TABLE_TEXT: &str = "TableText";
const TABLE_HEADING: &str = "TableHeading";
const TABLE_CAPTION: &str = "TableCaption";
const TABLE_UNIT: &str = "TableUnit";
const FOOTER: &str = "Footer";
/// Author lines under an article title: 楷体, centred.
const AUTHOR: &str = "Author";
/// Word's own style id for level-1 table-of-contents entries, which it
/// applies again when it updates the field.
const TOC_ENTRY: &str = "TOC1";
/// The heading of the 目录 page: Word's "TOC Heading", so that the field
/// never lists it.
const TOC_TITLE: &str = "TOCHeading";

/// Style ids of the heading levels: `Heading1` … (Word's built-in "heading N").
const HEADING_IDS: [&str; 5] = ["Heading1", "Heading2", "Heading3", "Heading4", "Heading5"];

/// The style of a body heading of `level` (1–4). In a collection the
/// article titles are heading 1, so body headings move one level down.
fn heading_style_id(level: u8, collection: bool) -> &'static str {
    let i = usize::from(level.clamp(1, 4)) - 1 + usize::from(collection);
    HEADING_IDS[i]
}

/// The family names of a configured list, without the font files (which
/// only the PDF can use).
fn family_names(names: &[String]) -> impl Iterator<Item = &str> {
    names.iter().map(String::as_str).filter(|n| !crate::fonts::looks_like_file(n))
}

/// eastAsia gets the first family name, the Latin slots the second (module docs).
fn fonts_for(style: &Style, face: Face) -> Fonts<'_> {
    let mut names = family_names(style.fonts.get(face));
    let first = names.next().unwrap_or(face.style_name());
    Fonts { east_asia: first, latin: names.next().unwrap_or(first) }
}

fn run_fonts(style: &Style, face: Face) -> RunProps<'_> {
    RunProps { fonts: Some(fonts_for(style, face)), ..RunProps::default() }
}

/// Every face the document names, each once, for the font table.
fn font_names(style: &Style) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    let faces = [Face::Fang, Face::Song, Face::Hei, Face::Kai, Face::Songti].map(|f| fonts_for(style, f));
    for n in faces.iter().flat_map(|f| [f.east_asia, f.latin]) {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
}

/// Document defaults: 仿宋 at body size on exact lines, Chinese line
/// breaking (kinsoku), no space added between Chinese and digits or Latin
/// (Word honours `autoSpaceDE/DN`; LibreOffice 7.4 ignores them, see
/// docs/docx.md), and `overflowPunct` on: LibreOffice reads it inverted and
/// keeps "，" and "。" inside the block as the PDF does, while Word hangs
/// them past the edge, its own default for Chinese text.
/// `language`: the East Asian language of the runs, which turns on Chinese
/// line breaking (避头尾) in Word.
fn default_props<'a>(style: &'a Style, m: &Metrics, language: &'static str) -> (ParaProps<'a>, RunProps<'a>) {
    let ppr = ParaProps {
        // A full page holds 22 lines, as the PDF's does (§5.2.3): the PDF
        // repairs widows by a paragraph's run spacing, which `spaced` writes
        // here too, so Word needs no widow control of its own (it would end
        // pages early where LibreOffice's lines differ). LibreOffice would
        // apply it to paragraphs that do not say, Word would not.
        widow_control: Some(false),
        kinsoku: Some(true),
        overflow_punct: Some(true),
        auto_space: Some(false),
        line: exact(m.pitch),
        ..ParaProps::default()
    };
    let rpr = RunProps {
        fonts: Some(fonts_for(style, Face::Fang)),
        size: Some(m.body_size),
        lang: Some((LATIN_LANG, language)),
        ..RunProps::default()
    };
    (ppr, rpr)
}

/// The styles. In a `collection` the article title is "heading 1" and body
/// headings move one level down, so Word's TOC field (levels 1–1) lists the
/// articles and nothing else.
fn styles<'a>(style: &'a Style, m: &Metrics, collection: bool) -> Vec<StyleDef<'a>> {
    let mut normal = StyleDef::paragraph(NORMAL, "Normal");
    normal.default = true;
    normal.based_on = None;
    let default_font = StyleDef {
        kind: StyleKind::Character,
        default: true,
        based_on: None,
        quick: false,
        ..StyleDef::paragraph("DefaultParagraphFont", "Default Paragraph Font")
    };
    let table_normal = StyleDef {
        kind: StyleKind::Table,
        default: true,
        based_on: None,
        quick: false,
        ..StyleDef::paragraph("TableNormal", "Normal Table")
    };

    let mut body = StyleDef::paragraph(BODY, "Body Text");
    body.next = Some(BODY);
    body.ppr = ParaProps { line: exact(m.pitch), indent: indent(0, 0, m.indent), jc: Some(Jc::Both), ..body.ppr };
    body.rpr = RunProps { spacing: Some(m.char_spacing), ..run_fonts(style, Face::Fang) };
    body.rpr.size = Some(m.body_size);

    let centred = |ppr: ParaProps<'a>| ParaProps { indent: indent(0, 0, 0), jc: Some(Jc::Center), ..ppr };
    let mut title = StyleDef::paragraph(TITLE, "Title");
    title.next = Some(SUBTITLE);
    // LibreOffice would give each 22 pt line two grid lines (its font line
    // height exceeds the pitch) despite the exact spacing.
    title.ppr =
        centred(ParaProps { keep_next: true, snap_to_grid: Some(false), line: exact(m.title_pitch), ..title.ppr });
    title.rpr = RunProps { size: Some(m.title_size), ..run_fonts(style, Face::Song) };

    // The unit line under a title and an article's author line look alike:
    // centred 楷体 at body size, kept with what follows.
    let centred_kai = |id: &str, name: &str| {
        let mut s = StyleDef::paragraph(id, name);
        s.next = Some(BODY);
        s.ppr = centred(ParaProps { keep_next: true, line: exact(m.pitch), ..ParaProps::default() });
        s.rpr = RunProps { size: Some(m.body_size), ..run_fonts(style, Face::Kai) };
        s
    };
    let subtitle = centred_kai(SUBTITLE, "Subtitle");

    let mut toc_title = StyleDef::paragraph(TOC_TITLE, "TOC Heading");
    toc_title.based_on = Some(TITLE);
    toc_title.next = Some(TOC_ENTRY);
    // 目录 entries: flush left, wrapped lines indented, the page number on a
    // right tab at the block's edge with a dot leader.
    let wrap = m.toc_wrap_indent;
    let mut toc = StyleDef::paragraph(TOC_ENTRY, "toc 1");
    toc.next = Some(BODY);
    toc.ppr = ParaProps {
        tab: Some(TabStop { pos: m.text_width, dots: true }),
        line: exact(m.pitch),
        indent: indent(wrap, 0, -wrap),
        jc: Some(Jc::Left),
        ..ParaProps::default()
    };
    toc.rpr = RunProps { spacing: Some(m.char_spacing), size: Some(m.body_size), ..run_fonts(style, Face::Fang) };

    let mut out = vec![normal, default_font, table_normal, body, title, subtitle, toc_title, toc];
    if collection {
        // The article title: the title's look, at outline level 1.
        let mut article = StyleDef::paragraph(HEADING_IDS[0], "heading 1");
        article.based_on = Some(TITLE);
        article.next = Some(AUTHOR);
        article.ppr =
            ParaProps { keep_next: true, snap_to_grid: Some(false), outline: Some(0), ..ParaProps::default() };
        out.push(article);
        out.push(centred_kai(AUTHOR, "Author"));
    }
    for (i, h) in style.headings.iter().enumerate() {
        let level = i + 1 + usize::from(collection);
        let mut s = StyleDef::paragraph(HEADING_IDS[level - 1], format!("heading {level}"));
        s.based_on = Some(BODY);
        s.next = Some(BODY);
        // SPEC §6: a page may end a line early to keep a heading with its text.
        s.ppr = ParaProps { keep_next: true, keep_lines: true, outline: Some((level - 1) as u8), ..s.ppr };
        s.rpr = RunProps { bold: h.bold, ..run_fonts(style, h.face) };
        out.push(s);
    }

    let mut table_text = StyleDef::paragraph(TABLE_TEXT, "Table Text");
    // LibreOffice snaps every line to the 28.95 pt grid, exact spacing or
    // not, which would double-space 14 pt cells.
    table_text.ppr = ParaProps {
        snap_to_grid: Some(false),
        line: exact(m.table_pitch),
        indent: indent(0, 0, 0),
        jc: Some(Jc::Both),
        ..ParaProps::default()
    };
    table_text.rpr = RunProps { size: Some(m.table_size), ..run_fonts(style, Face::Fang) };
    let mut table_heading = StyleDef::paragraph(TABLE_HEADING, "Table Heading");
    table_heading.based_on = Some(TABLE_TEXT);
    table_heading.ppr = ParaProps { jc: Some(Jc::Center), ..ParaProps::default() };
    // 黑体 is the header's emphasis, as in the PDF: not bold on top of it.
    table_heading.rpr = run_fonts(style, Face::Hei);

    let mut footer = StyleDef::paragraph(FOOTER, "footer");
    footer.quick = false;
    footer.ppr = ParaProps { line: exact(m.number_line), indent: indent(0, 0, 0), ..ParaProps::default() };
    footer.rpr =
        RunProps { fonts: Some(fonts_for(style, Face::Songti)), size: Some(m.number_size), ..RunProps::default() };
    // 表题 centred in 黑体 and the unit line flush right, on the body grid
    // as the PDF sets them, both kept with the table.
    let mut table_caption = StyleDef::paragraph(TABLE_CAPTION, "Table Caption");
    table_caption.based_on = Some(BODY);
    table_caption.next = Some(TABLE_UNIT);
    table_caption.ppr = centred(ParaProps { keep_next: true, keep_lines: true, ..ParaProps::default() });
    table_caption.rpr = run_fonts(style, Face::Hei);
    let mut table_unit = StyleDef::paragraph(TABLE_UNIT, "Table Unit");
    table_unit.based_on = Some(BODY);
    table_unit.ppr =
        ParaProps { keep_next: true, indent: indent(0, 0, 0), jc: Some(Jc::Right), ..ParaProps::default() };
    table_unit.rpr = RunProps { size: Some(m.table_size), ..run_fonts(style, Face::Fang) };
    out.extend([table_text, table_heading, table_caption, table_unit, footer]);
    out
}

// ---------------------------------------------------------------------------
// The document body.

/// The body's last paragraph, which later content may still change: `back`
/// keeps it with the signature. Everything before it is in `body`.
enum Last<'a> {
    Nothing,
    Paragraph(Box<Para<'a>>),
    Table,
}

struct Builder<'a> {
    style: &'a Style,
    root: &'a std::path::Path,
    /// The build's fonts: charts are drawn with them.
    fonts: Option<&'a crate::fonts::FontSet>,
    m: Metrics,
    /// `word/document.xml`, written as the body is built (`package`).
    body: package::Body,
    last: Last<'a>,
    /// The media parts: relationship id, part name, bytes; each picture once.
    media: Vec<(String, String, Vec<u8>)>,
    /// Pictures placed so far (their `docPr` ids).
    pictures: usize,
    /// `\newpage` seen: the next paragraph starts a page.
    pending_break: bool,
    /// The paragraph before ended a section: the next starts a page anyway.
    section_ended: bool,
    /// A collection: article titles are heading 1.
    collection: bool,
    /// The 目录 pages and the paragraphs set looser or tighter, from
    /// wengao's own layout.
    hints: crate::layout::WordHints,
    /// The (block, list item) being written, to find its hint.
    source: (usize, usize),
    /// Articles placed so far (their bookmarks `_Toc…`).
    articles: u32,
    /// Space before the title, twips: under a 公文's 版头, where the PDF
    /// starts the title.
    title_before: i32,
    diags: Diags,
}

/// The bookmark on the title of the `n`th article (from 1), which its 目录
/// entry links to; Word's own TOC bookmarks are named `_Toc` and a number.
fn toc_bookmark(n: u32) -> String {
    format!("_Toc{n:09}")
}

impl<'a> Builder<'a> {
    fn new(cx: &WriteContext<'a>) -> Result<Builder<'a>, Diags> {
        let hints = word_hints(cx);
        let blank_footer =
            hints.imprint.is_some_and(|p| p.own_page) || cx.doc.meta.format() == Format::Letter || cx.doc.meta.toc;
        Ok(Builder {
            style: cx.style,
            root: cx.root,
            fonts: cx.fonts,
            m: Metrics::new(cx.style),
            body: package::Body::new(blank_footer)?,
            last: Last::Nothing,
            media: Vec::new(),
            pictures: 0,
            pending_break: false,
            section_ended: false,
            collection: cx.doc.meta.toc,
            hints,
            articles: 0,
            source: (0, 0),
            title_before: 0,
            diags: Diags::new(),
        })
    }

    /// Write the body into `self.body`.
    fn build(&mut self, doc: &'a Document) {
        if doc.meta.toc {
            self.cover(doc);
            self.contents(doc);
        } else {
            if doc.meta.is_gongwen() {
                self.head(&doc.meta);
            }
            self.front(doc);
        }
        self.recipient(doc);
        let count = doc.attachment_count();
        let mut attachment = 0;
        for (i, block) in doc.blocks.iter().enumerate() {
            self.source = (i, 0);
            if let Block::Attachment { title } = block {
                if attachment == 0 {
                    self.back(doc);
                }
                self.attachment_page(&Document::attachment_label(attachment, count), title);
                attachment += 1;
                continue;
            }
            self.block(block);
        }
        if attachment == 0 {
            self.back(doc);
        }
        self.imprint(doc);
        if matches!(self.last, Last::Table) {
            // The body must end with a paragraph (Word adds one if not).
            let p = Para::styled(BODY);
            self.push(p);
        }
        self.flush();
    }

    /// Close the body with the section and write every other part.
    fn finish(self, doc: &Document) -> Result<Vec<u8>, Diags> {
        let style = self.style;
        let m = &self.m;
        let language = doc.meta.language();
        // The runs' East Asian language picks Word's and LibreOffice's line
        // breaking rules and which font sets quotation marks: mainland rules
        // (zh-CN), the ones the PDF follows, whatever the script. The
        // document's own language goes in its properties.
        let (default_ppr, default_rpr) = default_props(style, m, crate::script::SIMPLIFIED);
        let styles = parts::styles(&default_ppr, &default_rpr, &styles(style, m, self.collection));
        let odd = parts::footer(&self.footer_paragraph(true));
        let even = parts::footer(&self.footer_paragraph(false));
        let stamp = timestamp(doc.meta.date.as_ref());
        let title = doc.meta.title.concat();
        let core =
            parts::core(&parts::CoreProps { title: &title, creator: doc.meta.creator(), stamp: &stamp, language });
        let media_names: Vec<(&str, &str)> =
            self.media.iter().map(|(id, name, _)| (id.as_str(), name.as_str())).collect();
        let own_page = self.hints.imprint.is_some_and(|p| p.own_page);
        let letter = doc.meta.format() == Format::Letter;
        let blank_footer = own_page || letter || doc.meta.toc;
        let rels = parts::document_rels(&media_names, blank_footer);
        let fonts = parts::font_table(&font_names(style));
        let settings = parts::settings(crate::script::SIMPLIFIED);
        let app = parts::app();
        let theme = parts::theme(fonts_for(style, Face::Fang).east_asia, fonts_for(style, Face::Hei).east_asia);
        let mut rest: Vec<(&str, &[u8])> = vec![
            ("word/_rels/document.xml.rels", &rels),
            (parts::STYLES, &styles),
            (parts::SETTINGS, &settings),
            (parts::FONT_TABLE, &fonts),
            (parts::THEME, &theme),
            (parts::FOOTER_ODD, &odd),
            (parts::FOOTER_EVEN, &even),
            (parts::CORE, &core),
            (parts::APP, &app),
        ];
        let blank = parts::footer(&Para::styled(FOOTER));
        if blank_footer {
            rest.push((parts::FOOTER_BLANK, &blank));
        }
        for (_, name, bytes) in &self.media {
            rest.push((name, bytes));
        }
        let m = &self.m;
        let footers = if own_page {
            (parts::FOOTER_BLANK_ID, parts::FOOTER_BLANK_ID)
        } else {
            (parts::FOOTER_ODD_ID, parts::FOOTER_EVEN_ID)
        };
        let mut section = section_props(m, footers);
        if letter && !own_page {
            // 信函格式: no page number on page 1 (GB/T 9704 §10.1).
            section.first = Some(parts::FOOTER_BLANK_ID);
        }
        // A collection's text is a section of its own, numbered from 1 (its
        // cover and 目录 end the section before, without numbers).
        section.restart_numbers = doc.meta.toc;
        if own_page {
            // The 版记's section starts on the next even page (封四), a blank
            // page inserted before it when the text ends on an even page.
            section.start = Some("evenPage");
        }
        self.body.finish(|x| section.write(x), &rest)
    }
}

/// The section properties of the document with the footers `(odd, even)`.
fn section_props(m: &Metrics, footers: (&'static str, &'static str)) -> SectionProps {
    SectionProps {
        footers,
        page: (m.page_width, m.page_height),
        margins: [m.margin_top, m.margin_right, m.margin_bottom, m.margin_left],
        footer: m.footer,
        pitch: m.pitch,
        start: None,
        first: None,
        restart_numbers: false,
    }
}

impl<'a> Builder<'a> {
    /// Write the held-back paragraph, if any, to the body.
    fn flush(&mut self) {
        if let Last::Paragraph(p) = std::mem::replace(&mut self.last, Last::Nothing) {
            self.body.paragraph(&p);
        }
    }

    /// A paragraph of `style_id`, starting a page if a `\newpage` is pending.
    fn para(&mut self, style_id: &'a str) -> Para<'a> {
        let mut p = Para::styled(style_id);
        p.props.page_break_before = std::mem::take(&mut self.pending_break);
        p
    }

    fn push(&mut self, p: Para<'a>) {
        self.flush();
        self.last = Last::Paragraph(Box::new(p));
    }

    /// `n` empty body lines; none at the top of a page a `\newpage` opens.
    fn gap(&mut self, n: u32) {
        if self.pending_break {
            return;
        }
        for _ in 0..n {
            let p = self.para(BODY);
            self.push(p);
        }
    }

    fn inlines(&self, mut p: Para<'a>, content: &[Inline]) -> Para<'a> {
        for inline in content {
            p = match inline {
                Inline::Text { text, style } => {
                    let mut props = RunProps { bold: style.bold, ..RunProps::default() };
                    if style.italic {
                        // No italic in CJK type: 公文 sets emphasis in 楷体.
                        props.fonts = Some(fonts_for(self.style, Face::Kai));
                    }
                    p.run(Run::text(text).props(props))
                }
                Inline::LineBreak => p.run(Run::of(RunItem::LineBreak)),
            };
        }
        p
    }

    /// Title, subtitle and the gap under them (GB/T 9704 §7.3.1).
    fn front(&mut self, doc: &Document) {
        let meta = &doc.meta;
        for (i, line) in meta.title.iter().enumerate() {
            let mut p = self.title_line(TITLE, line);
            if i == 0 && self.title_before > 0 {
                p.props.line = exact(self.m.title_pitch);
                p.props.before = self.title_before;
            }
            self.push(p);
        }
        if meta.title.is_empty() && self.title_before > 0 {
            // Under a 版头 without a title: the text starts where the PDF's does.
            let mut p = self.para(BODY);
            p.props.line = exact(self.title_before);
            p.props.snap_to_grid = Some(false);
            self.push(p);
        }
        for line in &meta.subtitle {
            let p = self.para(SUBTITLE).text(line);
            self.push(p);
        }
        if !meta.title.is_empty() || !meta.subtitle.is_empty() {
            self.gap(self.style.title_gap_lines);
        }
    }

    /// A collection's cover (same parts and gaps as the PDF's): the title,
    /// blank lines, the compiling unit, signature lines and the date centred.
    fn cover(&mut self, doc: &Document) {
        let meta = &doc.meta;
        for line in &meta.title {
            let p = self.title_line(TITLE, line);
            self.push(p);
        }
        self.gap(self.style.collection.cover_gap_lines);
        let date = meta.date.as_ref().map(Date::to_chinese);
        for line in meta.subtitle.iter().chain(&meta.signature).chain(&date) {
            let p = self.para(SUBTITLE).text(line);
            self.push(p);
        }
        self.pending_break = true;
    }

    /// The 目录: a Word TOC field (`TOC \o "1-1" \h \z`: heading 1, the
    /// article titles, as hyperlinks) whose result is filled in with the
    /// entries and the pages wengao's layout found, so the page reads right
    /// before Word updates the field (and in readers that never do). Each
    /// entry links to its article's bookmark and its page is a `PAGEREF`.
    fn contents(&mut self, doc: &Document) {
        let p = self.para(TOC_TITLE).text(TOC_HEADING);
        self.push(p);
        self.gap(self.style.title_gap_lines);
        let articles: Vec<&Article> = doc.articles().collect();
        for (i, a) in articles.iter().enumerate() {
            let mut p = self.para(TOC_ENTRY);
            if i == 0 {
                p = p
                    .run(Run::of(RunItem::Field(Field::Begin)))
                    .run(Run::of(RunItem::Instr("TOC \\o \"1-1\" \\h \\z".into())))
                    .run(Run::of(RunItem::Field(Field::Separate)));
            }
            let bookmark = toc_bookmark(i as u32 + 1);
            let page = self.hints.contents_pages.get(i).copied().unwrap_or(0);
            // The style's tab has a dot leader, which Word gives the entries
            // it rebuilds. Readers draw leader dots as text, so the filled-in
            // entries would no longer read as the document (LibreOffice's PDF
            // of a short 汇编: 0.956 of its text); here the same stop has no
            // leader and the tab run a dotted underline, dots without text.
            p.props.tab = Some(TabStop { pos: self.m.text_width, dots: false });
            let leader = RunProps { underline: Some("dotted"), ..RunProps::default() };
            let runs = vec![
                Run::text(&a.toc_title()),
                Run::of(RunItem::Tab).props(leader),
                Run::of(RunItem::Field(Field::Begin)),
                Run::of(RunItem::Instr(format!("PAGEREF {bookmark} \\h"))),
                Run::of(RunItem::Field(Field::Separate)),
                Run::text(&page.to_string()),
                Run::of(RunItem::Field(Field::End)),
            ];
            p.pieces.push(Piece::Link { anchor: bookmark, runs });
            if i + 1 == articles.len() {
                p = p.run(Run::of(RunItem::Field(Field::End)));
            }
            self.push(p);
        }
        // The cover and the 目录 are a section without page numbers; the
        // text starts the next section on a new page (after a blank one
        // where the PDF leaves it, so the text opens on a right-hand page).
        let blank = section_props(&self.m, (parts::FOOTER_BLANK_ID, parts::FOOTER_BLANK_ID));
        if self.hints.front_blank {
            let mut p = Para::styled(BODY);
            p.props.page_break_before = true;
            p.props.section = Some(blank);
            self.push(p);
        } else if let Last::Paragraph(p) = &mut self.last {
            p.props.section = Some(blank);
        }
        self.section_ended = true;
    }

    /// A collection's article: a page break, the title (heading 1, where
    /// the TOC field finds it, with the bookmark its entry links to), the
    /// author lines in the `Author` style.
    fn article(&mut self, a: &Article) {
        // The first article opens the text's section, on a page of its own.
        self.pending_break = !std::mem::take(&mut self.section_ended);
        self.articles += 1;
        let n = self.articles;
        let last = a.title.len().saturating_sub(1);
        for (i, line) in a.title.iter().enumerate() {
            let mut p = self.para(HEADING_IDS[0]);
            if i == 0 {
                p.pieces.push(Piece::BookmarkStart { id: n, name: toc_bookmark(n) });
            }
            p = self.text_broken_as_in_pdf(p, line);
            if i == last {
                p.pieces.push(Piece::BookmarkEnd { id: n });
            }
            self.push(p);
        }
        for line in &a.authors {
            let p = self.para(AUTHOR).text(line);
            self.push(p);
        }
        self.gap(self.style.title_gap_lines);
    }

    /// A title line in `style`, broken where the PDF broke it (balanced
    /// lines, `WordHints::balanced_breaks`).
    fn title_line(&mut self, style: &'a str, line: &str) -> Para<'a> {
        let p = self.para(style);
        self.text_broken_as_in_pdf(p, line)
    }

    /// `line` added to `p`, with a line break wherever the PDF broke it (a
    /// title, a caption, a table cell: `WordHints::balanced_breaks`); the
    /// space a line ended with is not carried over.
    fn text_broken_as_in_pdf(&self, mut p: Para<'a>, line: &str) -> Para<'a> {
        let Some((_, breaks)) = self.hints.balanced_breaks.iter().find(|(l, _)| l == line) else { return p.text(line) };
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        for &end in breaks.iter().chain(std::iter::once(&chars.len())) {
            let end = end.clamp(start, chars.len());
            if start > 0 {
                p = p.run(Run::of(RunItem::LineBreak));
            }
            let piece: String = chars[start..end].iter().collect();
            p = p.text(piece.trim_end());
            start = end;
        }
        p
    }

    /// 主送机关 (GB/T 9704 §7.3.2).
    fn recipient(&mut self, doc: &Document) {
        if let Some(recipient) = doc.meta.recipient_line() {
            let mut p = self.para(BODY).text(&recipient);
            p.props.indent = indent(0, 0, 0);
            self.push(p);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, number, content } => {
                let mut p = self.para(heading_style_id(*level, self.collection));
                if let Some(n) = number {
                    p = p.text(n);
                }
                let p = self.inlines(p, content);
                self.push(p);
            }
            Block::Paragraph(content) => {
                let p = self.para(BODY);
                let p = self.inlines(p, content);
                let p = self.spaced(p);
                self.push(p);
            }
            Block::List { ordered, start, items } => {
                for (i, item) in items.iter().enumerate() {
                    self.source.1 = i;
                    let marker = Block::list_marker(*ordered, *start, i);
                    let p = self.para(BODY).text(&marker);
                    let p = self.inlines(p, item);
                    let p = self.spaced(p);
                    self.push(p);
                }
            }
            Block::Table(t) => self.table(t),
            Block::Image { src, alt, caption } => {
                self.image(src, alt, caption.is_some());
                if let Some(c) = caption {
                    self.caption(c);
                }
            }
            Block::PageBreak => self.pending_break = true,
            Block::Article(a) => self.article(a),
            // `build` writes attachment pages itself.
            Block::Attachment { .. } => {}
        }
    }

    fn table(&mut self, t: &Table) {
        let cols = t.columns();
        if cols == 0 {
            return;
        }
        if let Some(caption) = &t.caption {
            let p = self.para(TABLE_CAPTION);
            let p = self.text_broken_as_in_pdf(p, caption);
            self.push(p);
        }
        if let Some(unit) = &t.unit {
            let p = self.para(TABLE_UNIT).text(unit);
            self.push(p);
        }
        if std::mem::take(&mut self.pending_break) {
            // A table cannot carry pageBreakBefore; a break run can.
            let p = Para::styled(BODY).run(Run::of(RunItem::PageBreak));
            self.push(p);
        }
        if matches!(self.last, Last::Table) {
            // Word merges adjacent tables into one; a paragraph keeps them apart.
            let p = Para::styled(BODY);
            self.push(p);
        }
        self.flush();
        let width = self.m.text_width.max(0) as usize;
        // The PDF's column choice, measured with nominal widths (Word picks
        // the real fonts), scaled to whole twips that add up to the block.
        let widths =
            crate::layout::column_widths(t, self.style, &crate::layout::NominalMetrics, self.style.text_width().pt().0);
        let weights: Vec<u32> = widths.iter().map(|w| (w * 100.0).round().max(1.0) as u32).collect();
        let grid = crate::doc::distribute(width, &weights);
        let (pad_v, pad_h) = (self.m.cell_padding_v.to_string(), self.m.cell_padding_h.to_string());
        let x = self.body.xml();
        x.open("w:tbl", &[]);
        // CT_TblPr order: tblW, tblBorders, tblLayout, tblCellMar.
        x.open("w:tblPr", &[]);
        x.empty("w:tblW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
        x.open("w:tblBorders", &[]);
        for side in ["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"] {
            // Single 0.5 pt rules (w:sz is in eighths of a point).
            x.empty(side, &[("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")]);
        }
        x.close("w:tblBorders");
        x.empty("w:tblLayout", &[("w:type", "fixed")]);
        // The line's leading above and below each cell's text, half a
        // character at the sides, so text never touches the rules.
        x.open("w:tblCellMar", &[]);
        for (side, pad) in [("w:top", &pad_v), ("w:left", &pad_h), ("w:bottom", &pad_v), ("w:right", &pad_h)] {
            x.empty(side, &[("w:w", pad), ("w:type", "dxa")]);
        }
        x.close("w:tblCellMar");
        x.close("w:tblPr");
        x.open("w:tblGrid", &[]);
        for w in &grid {
            x.empty("w:gridCol", &[("w:w", &w.to_string())]);
        }
        x.close("w:tblGrid");
        let header = (!t.header.is_empty()).then_some(&t.header);
        for (i, cells) in header.into_iter().chain(&t.rows).enumerate() {
            let is_header = i == 0 && header.is_some();
            let paras: Vec<Para<'a>> = (0..cols)
                .map(|c| {
                    let content = cells.get(c).map(Vec::as_slice).unwrap_or_default();
                    let p = if is_header {
                        Para::styled(TABLE_HEADING)
                    } else {
                        let mut p = Para::styled(TABLE_TEXT);
                        // The PDF's alignment: figures right, the 合计 label centred.
                        p.props.jc = match t.cell_align(i - usize::from(header.is_some()), c) {
                            Align::Default | Align::Left => Some(Jc::Left),
                            Align::Center => Some(Jc::Center),
                            Align::Right => Some(Jc::Right),
                        };
                        p
                    };
                    // A plain cell breaks where the PDF broke it (a header
                    // balanced, body text between words: "县农业/农村局"),
                    // not wherever Word would.
                    if let [Inline::Text { text, style }] = content
                        && *style == RunStyle::default()
                    {
                        return self.text_broken_as_in_pdf(p, text);
                    }
                    self.inlines(p, content)
                })
                .collect();
            let x = self.body.xml();
            x.open("w:tr", &[]);
            // A row never splits across pages; the header row repeats on
            // every page the table runs onto (SPEC §6).
            x.open("w:trPr", &[]);
            x.empty("w:cantSplit", &[]);
            if is_header {
                x.empty("w:tblHeader", &[]);
            }
            x.close("w:trPr");
            for (c, p) in paras.iter().enumerate() {
                x.open("w:tc", &[]);
                x.open("w:tcPr", &[]);
                x.empty("w:tcW", &[("w:w", &grid[c].to_string()), ("w:type", "dxa")]);
                x.val("w:vAlign", "center");
                x.close("w:tcPr");
                p.write(x);
                x.close("w:tc");
            }
            x.close("w:tr");
        }
        self.body.xml().close("w:tbl");
        self.last = Last::Table;
    }

    /// The paragraph with the run spacing the PDF's pagination gave it, if
    /// it set it a hair looser or tighter to repair a page break: Word then
    /// breaks its lines as the PDF does.
    fn spaced(&self, mut p: Para<'a>) -> Para<'a> {
        let Some(&(_, extra)) = self.hints.spacing.iter().find(|(s, _)| *s == self.source) else { return p };
        let spacing = self.m.char_spacing + extra.clamp(-1000, 1000) as i32;
        for piece in &mut p.pieces {
            if let Piece::Run(r) = piece {
                r.props.spacing = Some(spacing);
            }
        }
        p
    }

    /// A caption under an image: body text centred, without the first-line indent.
    fn caption(&mut self, text: &str) {
        let mut p = self.para(BODY).text(text);
        p.props.indent = indent(0, 0, 0);
        p.props.jc = Some(Jc::Center);
        self.push(p);
    }

    /// `captioned`: the image keeps with the caption paragraph after it.
    fn image(&mut self, src: &str, alt: &str, captioned: bool) {
        let path = crate::image_source::path_of(self.root, src);
        let bytes = match crate::image_source::load(&path, self.fonts, self.style, self.root) {
            Ok(b) => b,
            Err(e) => {
                let src = crate::image_source::shown(src);
                self.diags.push(
                    Diagnostic::error(Code::MarkupImage, format!("cannot read image `{src}`: {e}"))
                        .with_path(&path)
                        .with_hint("check the path; images are looked up relative to the project folder"),
                );
                return;
            }
        };
        let (w, h, ext) = match (imagesize::image_type(&bytes), imagesize::blob_size(&bytes)) {
            (Ok(t), Ok(size)) if media_extension(t).is_some() && size.width > 0 && size.height > 0 => {
                (size.width, size.height, media_extension(t).unwrap_or("png"))
            }
            (Ok(t), Ok(_)) if media_extension(t).is_none() => {
                self.diags.push(
                    Diagnostic::error(
                        Code::MarkupImage,
                        format!("image `{src}` is {t:?}, which DOCX readers cannot show"),
                    )
                    .with_path(&path)
                    .with_hint("convert it to PNG or JPEG"),
                );
                return;
            }
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        Code::MarkupImage,
                        format!("image `{src}` is not a readable PNG, JPEG, GIF or BMP"),
                    )
                    .with_path(&path)
                    .with_hint("re-export the image as PNG or JPEG"),
                );
                return;
            }
        };
        let natural = |px: usize| px as f64 * EMU_PER_INCH / NATURAL_DPI;
        let (nw, nh) = (natural(w), natural(h));
        let scale = (self.m.text_width_emu / nw).min(self.m.text_height_emu / nh).min(1.0);
        let emu = |v: f64| v.round().clamp(1.0, f64::from(u32::MAX)) as u32;
        self.pictures += 1;
        let number = self.pictures;
        // A picture seen before refers to the same media part.
        let rel = match self.media.iter().find(|(_, _, b)| *b == bytes) {
            Some((id, _, _)) => id.clone(),
            None => {
                let id = format!("rIdImage{number}");
                self.media.push((id.clone(), format!("word/media/image{number}.{ext}"), bytes));
                id
            }
        };
        let picture = Picture { id: number, rel, cx: emu(nw * scale), cy: emu(nh * scale), alt: alt.to_string() };
        let mut p = self.para(BODY).run(Run::of(RunItem::Picture(Box::new(picture))));
        // Single spacing: an exact line would clip the picture to one line.
        p.props.indent = indent(0, 0, 0);
        p.props.jc = Some(Jc::Center);
        p.props.line = Some(LineRule::Single);
        p.props.keep_next = captioned;
        self.push(p);
    }

    /// 附件说明, 署名 and 成文日期 (GB/T 9704 §7.3.4, §7.3.5).
    fn back(&mut self, doc: &Document) {
        let meta = &doc.meta;
        let label = "附件：";
        if !meta.attachments.is_empty() {
            self.gap(self.style.attachment_gap_lines);
            let label_w = self.m.text_width_of(label);
            let single = meta.attachments.len() == 1;
            for (i, name) in meta.attachments.iter().enumerate() {
                let number = if single { String::new() } else { format!("{}.", i + 1) };
                let number_w = self.m.text_width_of(&number);
                // Every line of a name, wrapped or not, starts under the first name.
                let left = f64::from(self.m.indent) + label_w + number_w;
                let (hang, text) = if i == 0 {
                    (label_w + number_w, format!("{label}{number}{name}"))
                } else {
                    (number_w, format!("{number}{name}"))
                };
                let mut p = self.para(BODY).text(&text);
                p.props.indent = indent(left.round() as i32, 0, -(hang.round() as i32));
                p.props.jc = Some(Jc::Left);
                self.push(p);
            }
        }
        self.attendance(meta);
        let date = meta.closing_date().as_ref().map(Date::to_chinese);
        let signature = meta.signature_lines();
        // A collection's date and signature are on its cover.
        if meta.toc || (signature.is_empty() && date.is_none() && meta.note.is_none()) {
            return;
        }
        // GB/T 9704 §7.3.5: the page bearing 署名 and 成文日期 must also bear
        // body text. Keep the last paragraph, the gap and the block together so
        // a page break can never strand the signature on a page of its own.
        if let Last::Paragraph(last) = &mut self.last {
            last.props.keep_next = true;
        }
        if !meta.sealed() {
            self.unsealed(&signature, date.as_deref());
            self.note(meta);
            return;
        }
        if !self.pending_break {
            for _ in 0..self.style.signature_gap_lines {
                let mut p = self.para(BODY);
                p.props.keep_next = true;
                self.push(p);
            }
        }
        let date_inset = f64::from(self.m.date_inset);
        for line in &signature {
            // Centre over the date: equal centres, so the right indents differ
            // by half the difference of the widths.
            let right = match &date {
                Some(d) => date_inset + (self.m.text_width_of(d) - self.m.text_width_of(line)) / 2.0,
                None => date_inset,
            };
            let p = self.signature_line(line, right);
            self.push(p);
        }
        if let Some(d) = &date {
            let p = self.signature_line(d, date_inset);
            self.push(p);
        }
        self.note(meta);
    }

    fn signature_line(&mut self, text: &str, right: f64) -> Para<'a> {
        let mut p = self.para(BODY).text(text);
        p.props.indent = indent(0, right.max(0.0).round() as i32, 0);
        p.props.jc = Some(Jc::Right);
        p.props.keep_next = true;
        p
    }

    /// "— N —": dash, PAGE field, dash, odd pages right, even left (§7.5).
    fn footer_paragraph(&self, odd: bool) -> Para<'a> {
        let dash = self.style.page_number.dash;
        let inset = self.m.number_inset;
        let (jc, left, right) = if odd { (Jc::Right, 0, inset) } else { (Jc::Left, inset, 0) };
        let mut p = Para::styled(FOOTER)
            .text(&format!("{dash} "))
            .run(Run::of(RunItem::Field(Field::Begin)))
            .run(Run::of(RunItem::Instr("PAGE".into())))
            .run(Run::of(RunItem::Field(Field::Separate)))
            .text("1")
            .run(Run::of(RunItem::Field(Field::End)))
            .text(&format!(" {dash}"));
        p.props.jc = Some(jc);
        p.props.indent = indent(left, right, 0);
        p
    }
}

/// The 目录 pages and the paragraphs set looser or tighter, from wengao's
/// own layout: with the build's fonts when it has them (a PDF is being made
/// too), else with nominal metrics, which on the character grid give the
/// same lines for Chinese text.
fn word_hints(cx: &WriteContext<'_>) -> crate::layout::WordHints {
    match cx.fonts {
        Some(fonts) => crate::layout::word_hints(cx.doc, cx.style, fonts, cx.root),
        None => crate::layout::word_hints(cx.doc, cx.style, &crate::layout::NominalMetrics, cx.root),
    }
}

/// The file extension Word knows an image type by; `None` for types it cannot show.
fn media_extension(t: imagesize::ImageType) -> Option<&'static str> {
    use imagesize::ImageType;
    match t {
        ImageType::Png => Some("png"),
        ImageType::Jpeg => Some("jpeg"),
        ImageType::Gif => Some("gif"),
        ImageType::Bmp => Some("bmp"),
        _ => None,
    }
}

/// `dcterms:created`/`modified`: `SOURCE_DATE_EPOCH` when set (reproducible
/// builds), else the document's 成文日期, else the ZIP epoch; never the clock.
fn timestamp(date: Option<&Date>) -> String {
    w3cdtf(crate::epoch::document_time(date).unwrap_or(315_532_800))
}

/// Seconds since 1970 as `YYYY-MM-DDThh:mm:ssZ`.
fn w3cdtf(secs: i64) -> String {
    let c = crate::epoch::civil(secs);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w3cdtf_formats_epochs() {
        assert_eq!(w3cdtf(0), "1970-01-01T00:00:00Z");
        assert_eq!(w3cdtf(315_532_800), "1980-01-01T00:00:00Z");
        assert_eq!(w3cdtf(1_682_208_000 + 3_661), "2023-04-23T01:01:01Z");
        assert_eq!(w3cdtf(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn font_files_never_name_a_docx_face() {
        let mut style = Style::gbt9704();
        style.fonts.fang = vec!["fonts/myfang.ttf".into(), "仿宋_GB2312".into(), "x/仿宋.otf".into()];
        assert_eq!(fonts_for(&style, Face::Fang), Fonts { east_asia: "仿宋_GB2312", latin: "仿宋_GB2312" });
        style.fonts.kai = vec!["fonts/kai.ttf".into()];
        assert_eq!(fonts_for(&style, Face::Kai), Fonts { east_asia: "楷体", latin: "楷体" });
        assert!(!font_names(&style).iter().any(|n| n.contains(".tt") || n.contains(".otf")));
    }

    #[test]
    fn collection_headings_move_one_level_down() {
        assert_eq!(heading_style_id(1, false), "Heading1");
        assert_eq!(heading_style_id(1, true), "Heading2");
        assert_eq!(heading_style_id(4, true), "Heading5");
        assert_eq!(heading_style_id(9, false), "Heading4");
    }
}
