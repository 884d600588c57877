//! DOCX writer: the last stage for Word, WPS and LibreOffice users.
//!
//! It reads the `Document` AST and the `Style` (never Markdown, never another
//! writer's output) and builds each element with `docx-rs`; `package`
//! streams the body into its ZIP entry as it goes (memory does not grow with
//! the document), makes the few edits `docx-rs` has no API for, and packs
//! every entry with fixed timestamps so the same document always gives the
//! same bytes. Every length comes from `Style`; the choices below are about
//! which Word setting carries it so that Word, WPS and LibreOffice agree.
//!
//! # Why each setting is what it is
//!
//! - **Page** (GB/T 9704 §5.1, §5.2.1): A4, margins 37/35/28/26 mm, giving
//!   the 156 × 225 mm text block.
//! - **Lines** (§5.2.3: 22 lines a page): every paragraph style has *exact*
//!   line spacing `Style::line_pitch_twips` (579 twips = 28.95 pt); LibreOffice
//!   then sets 22 lines a page (SPEC §9). The section also has a `docGrid` of
//!   type `lines` with the same pitch: Word and WPS show the 22-line grid in
//!   their page setup and snap auto-spaced paragraphs (images, text a user
//!   adds) to it. LibreOffice snaps even exactly spaced lines to that grid,
//!   giving a 22 pt title line or a 14 pt table line a whole grid line or
//!   two, so the title and table styles turn `snapToGrid` off. A
//!   `linesAndChars` grid is *not* used: LibreOffice squeezes 14–20
//!   characters a line from it when the pitch is below the font size (SPEC
//!   §9). Widow control is off: a full page holds 22 lines (LibreOffice
//!   would apply it to DOCX paragraphs that do not say, Word would not).
//! - **Characters** (§5.2.3: 28 a line): body runs carry a character spacing
//!   of `Style::char_spacing_twips` (−0.25 pt), so 28 × 15.75 pt fit the
//!   442 pt line in every reader without a character grid (SPEC §9).
//! - **First-line indent** (§7.3.3: 左空二字): `w:firstLine` in twips from
//!   `Style::indent`; docx-rs does not write `firstLineChars`.
//! - **Punctuation** (避头尾): `w:overflowPunct w:val="1"` in the document
//!   defaults. LibreOffice reads the flag the other way round from Word: with
//!   0 it hangs "，" past the right edge, with 1 it keeps it in the block
//!   (SPEC §9). `autoSpaceDE/DN` are left at their default: LibreOffice
//!   ignores them and always spaces CJK from digits, and Word's default does
//!   the same, so the two show the same lines.
//! - **Fonts** (§5.2.2, §7.3: 仿宋/小标宋/黑体/楷体): the eastAsia slot gets the first
//!   family name of the face (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312),
//!   the names office machines have; ascii/hAnsi/cs get the second name
//!   (仿宋 and 楷体, which every Windows since Vista and WPS ship; SimHei, the
//!   English name of 黑体; the 方正 GBK cut of 小标宋), so digits and Latin
//!   words get half-width glyphs of the same design even where the GB2312
//!   family is missing. Default run properties say `w:lang w:eastAsia="zh-CN"`
//!   so readers apply Chinese line breaking (避头尾).
//! - **Page numbers** (§7.5): odd and even footers (`evenAndOddHeaders`) hold
//!   "— PAGE —" at 14 pt built from `fldChar`/`instrText` runs, so every run
//!   carries the 宋体 face and size (docx-rs' `PageNum` helper cannot); odd
//!   pages right, even pages left, one character in. The footer distance is
//!   computed so the number's top sits 7 mm under the text block.
//! - **Signature** (§7.3.5.1): the date right-aligned four characters in, each
//!   署名 line centred over the date by its own right indent.
//! - **Determinism**: paragraph and picture ids come from counters local to
//!   one write (docx-rs' own counters are process-wide), `docProps/core.xml`
//!   gets `SOURCE_DATE_EPOCH`, else the document's 成文日期 (else
//!   1980-01-01T00:00:00Z), never the clock, and every ZIP
//!   entry is stamped 1980-01-01 00:00.

mod package;

use std::fmt;
use std::io;

use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrText, InstrToC, LineSpacing,
    LineSpacingType, PageMargin, Paragraph, Pic, Run, RunFonts, SpecialIndentType, Style as WordStyle, StyleType, Tab,
    TabLeaderType, TabValueType, Table as WordTable, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::{WriteContext, Writer, io_diag};
use crate::diag::{Code, Diagnostic, Diags};
use crate::doc::{Align, Article, Block, Date, Document, Inline, TOC_HEADING, Table};
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
    let docx = builder.build(cx.doc)?;
    if builder.diags.has_errors() {
        return Err(builder.diags);
    }
    package::assemble(docx.build(), builder.body)
}

/// Every docx-rs, zip and I/O failure of this writer, as one diagnostic.
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
/// em (SimSun) would sit up to 1 mm lower; not measured, no Word here.
const EM_ABOVE_EXACT_LINE: f64 = 0.2;
/// Language of the text: turns on Chinese line breaking (避头尾) in readers.
const EAST_ASIA_LANG: &str = "zh-CN";
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

fn exact(line: i32) -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(line).before(0).after(0)
}

// ---------------------------------------------------------------------------
// Styles: named paragraph styles so the document stays editable in Word.

const BODY: &str = "BodyText";
const TITLE: &str = "Title";
const SUBTITLE: &str = "Subtitle";
const TABLE_TEXT: &str = "TableText";
const TABLE_HEADING: &str = "TableHeading";
const FOOTER: &str = "Footer";
/// A collection's article title: the title's look, outline level 1 so that
/// the `TOC \o "1-1"` field lists it.
const ARTICLE_TITLE: &str = "ArticleTitle";
/// Author lines under an article title: 楷体, centred.
const AUTHOR: &str = "Author";
/// The underline of the tab between a 目录 entry and its page: the dot leader.
const LEADER_UNDERLINE: &str = "dotted";
/// Word's own style id for level-1 table-of-contents entries, which it
/// applies again when it updates the field.
const TOC_ENTRY: &str = "TOC1";

fn heading_style_id(level: u8) -> String {
    format!("Heading{level}")
}

/// eastAsia gets the first name, the other slots the second (module docs).
fn fonts_for(names: &[String]) -> RunFonts {
    let first = names.first().map(String::as_str).unwrap_or_default();
    let latin = names.get(1).map(String::as_str).unwrap_or(first);
    RunFonts::new().east_asia(first).ascii(latin).hi_ansi(latin).cs(latin)
}

/// The paragraph styles. In a `collection` the article title takes outline
/// level 1 and headings move one level down, so Word's TOC field (levels
/// 1–1) lists the articles and nothing else.
fn styles(style: &Style, m: &Metrics, collection: bool) -> Vec<WordStyle> {
    let face = |f: Face| fonts_for(style.fonts.get(f));
    let no_indent = |s: WordStyle| s.indent(Some(0), Some(SpecialIndentType::FirstLine(0)), Some(0), None);

    let mut body = WordStyle::new(BODY, StyleType::Paragraph)
        .name("Body Text")
        .based_on("Normal")
        .next(BODY)
        .fonts(face(Face::Fang))
        .size(m.body_size)
        .align(AlignmentType::Both)
        .line_spacing(exact(m.pitch))
        .indent(Some(0), Some(SpecialIndentType::FirstLine(m.indent)), Some(0), None);
    body.run_property = body.run_property.character_spacing(m.char_spacing);
    // 22 lines on every full page (§5.2.3); see the module docs.
    body.paragraph_property = body.paragraph_property.widow_control(false);

    let mut title = no_indent(
        WordStyle::new(TITLE, StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .next(SUBTITLE)
            .fonts(face(Face::Song))
            .size(m.title_size)
            .align(AlignmentType::Center)
            .line_spacing(exact(m.title_pitch)),
    );
    // LibreOffice would give each 22 pt line two grid lines (its font line
    // height exceeds the pitch) despite the exact spacing.
    title.paragraph_property = title.paragraph_property.keep_next(true).snap_to_grid(false);

    // The unit line under a title and an article's author line look alike:
    // centred 楷体 at body size, kept with what follows.
    let centred_kai = |id: &str, name: &str| {
        let mut st = no_indent(
            WordStyle::new(id, StyleType::Paragraph)
                .name(name)
                .based_on("Normal")
                .next(BODY)
                .fonts(face(Face::Kai))
                .size(m.body_size)
                .align(AlignmentType::Center)
                .line_spacing(exact(m.pitch)),
        );
        st.paragraph_property = st.paragraph_property.keep_next(true);
        st
    };
    let subtitle = centred_kai(SUBTITLE, "Subtitle");

    let mut article = WordStyle::new(ARTICLE_TITLE, StyleType::Paragraph)
        .name("Article Title")
        .based_on(TITLE)
        .next(AUTHOR)
        .outline_lvl(0);
    article.paragraph_property = article.paragraph_property.keep_next(true).snap_to_grid(false);
    let author = centred_kai(AUTHOR, "Author");
    // 目录 entries: flush left, wrapped lines indented, the page number on a
    // right tab at the block's edge. The dots are not the tab's leader:
    // LibreOffice exports leader dots as characters, so the page's text would
    // no longer be the document's; a dotted underline on the tab run draws
    // them as a line instead (`contents`).
    let wrap = m.toc_wrap_indent;
    let mut toc = WordStyle::new(TOC_ENTRY, StyleType::Paragraph)
        .name("toc 1")
        .based_on("Normal")
        .next(BODY)
        .fonts(face(Face::Fang))
        .size(m.body_size)
        .align(AlignmentType::Left)
        .line_spacing(exact(m.pitch))
        .indent(Some(wrap), Some(SpecialIndentType::Hanging(wrap)), Some(0), None);
    toc.run_property = toc.run_property.character_spacing(m.char_spacing);
    toc.paragraph_property = toc
        .paragraph_property
        .add_tab(Tab::new().val(TabValueType::Right).leader(TabLeaderType::None).pos(m.text_width.max(0) as usize));

    let mut out = vec![body, title, subtitle, article, author, toc];
    for (i, h) in style.headings.iter().enumerate() {
        let level = i + 1;
        let mut s = WordStyle::new(heading_style_id(level as u8), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on(BODY)
            .next(BODY)
            .fonts(face(h.face))
            .outline_lvl(i + usize::from(collection));
        if h.bold {
            s = s.bold();
        }
        // SPEC §6: a page may end a line early to keep a heading with its text.
        s.paragraph_property = s.paragraph_property.keep_next(true);
        out.push(s);
    }

    out.push(no_indent(
        WordStyle::new(TABLE_TEXT, StyleType::Paragraph)
            .name("Table Text")
            .based_on("Normal")
            .fonts(face(Face::Fang))
            .size(m.table_size)
            .align(AlignmentType::Both)
            .line_spacing(exact(m.table_pitch))
            // LibreOffice snaps every line to the 28.95 pt grid, exact
            // spacing or not, which would double-space 14 pt cells.
            .snap_to_grid(false),
    ));
    out.push(
        WordStyle::new(TABLE_HEADING, StyleType::Paragraph)
            .name("Table Heading")
            .based_on(TABLE_TEXT)
            .fonts(face(Face::Hei))
            .bold()
            .align(AlignmentType::Center),
    );
    let number = &style.page_number.font;
    out.push(no_indent(
        WordStyle::new(FOOTER, StyleType::Paragraph)
            .name("footer")
            .based_on("Normal")
            .fonts(RunFonts::new().east_asia(number).ascii(number).hi_ansi(number).cs(number))
            .size(m.number_size)
            .line_spacing(exact(m.number_line)),
    ));
    out
}

// ---------------------------------------------------------------------------
// The document body.

/// The body's last child, which later children may still change: `back`
/// keeps the last paragraph with the signature, and a table after a table
/// needs a paragraph between them. Everything before it is in `body`.
enum Last {
    Nothing,
    Paragraph(Box<Paragraph>),
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
    last: Last,
    /// The pictures' bytes by relationship id, each picture once, for
    /// docx-rs to put in the package (the body refers to them by id).
    media: Vec<(String, Vec<u8>)>,
    /// Counter for `w14:paraId`: docx-rs' own is per thread and never reset
    /// between documents, so two writes would differ.
    para_seq: u32,
    /// `\newpage` seen: the next paragraph starts a page.
    pending_break: bool,
    /// A collection's 目录 pages, one per article, from wengao's own layout.
    toc_pages: Vec<usize>,
    diags: Diags,
}

impl<'a> Builder<'a> {
    fn new(cx: &WriteContext<'a>) -> Result<Builder<'a>, Diags> {
        Ok(Builder {
            style: cx.style,
            root: cx.root,
            fonts: cx.fonts,
            m: Metrics::new(cx.style),
            body: package::Body::new()?,
            last: Last::Nothing,
            media: Vec::new(),
            para_seq: 0,
            pending_break: false,
            toc_pages: if cx.doc.meta.toc { contents_pages(cx) } else { Vec::new() },
            diags: Diags::new(),
        })
    }

    /// Write the body into `self.body` and return everything else of the
    /// package as docx-rs sees it: page set-up, styles, footers, and one
    /// paragraph per picture so that it packs the media and relationships.
    fn build(&mut self, doc: &Document) -> Result<Docx, Diags> {
        if doc.meta.toc {
            self.cover(doc);
            self.contents(doc);
        } else {
            self.front(doc);
        }
        self.recipient(doc);
        for block in &doc.blocks {
            self.block(block);
        }
        self.back(doc);
        if matches!(self.last, Last::Table) {
            // The body must end with a paragraph (Word adds one if not).
            let p = self.plain_para(BODY);
            self.push(p);
        }
        self.flush();

        let m = &self.m;
        let mut docx = Docx::new()
            .page_size(m.page_width, m.page_height)
            .page_margin(
                PageMargin::new()
                    .top(m.margin_top)
                    .bottom(m.margin_bottom)
                    .left(m.margin_left)
                    .right(m.margin_right)
                    // No header is written; Word still wants a distance, and
                    // the footer's keeps the page symmetrical when one is added.
                    .header(m.footer)
                    .footer(m.footer)
                    .gutter(0),
            )
            .default_fonts(fonts_for(self.style.fonts.get(Face::Fang)))
            .default_size(m.body_size)
            .default_line_spacing(exact(m.pitch));
        for s in styles(self.style, m, doc.meta.toc) {
            docx = docx.add_style(s);
        }
        let odd = self.footer_paragraph(true);
        let even = self.footer_paragraph(false);
        docx = docx.footer(Footer::new().add_paragraph(odd)).even_footer(Footer::new().add_paragraph(even));
        docx.document = docx
            .document
            .doc_grid(DocGrid::new().grid_type(DocGridType::Lines).line_pitch(self.m.pitch.max(0) as usize));
        for (i, (id, bytes)) in std::mem::take(&mut self.media).into_iter().enumerate() {
            // Only the media and relationships of these paragraphs are
            // used; their fixed ids keep docx-rs' process-wide counter out.
            let pic = Pic::new_with_dimensions(bytes, 1, 1).id(id);
            docx = docx.add_paragraph(Paragraph::new().id(format!("7FFF{i:04X}")).add_run(Run::new().add_image(pic)));
        }
        let stamp = timestamp(doc.meta.date.as_ref());
        Ok(docx.created_at(&stamp).updated_at(&stamp))
    }

    /// Write the held-back paragraph, if any, to the body.
    fn flush(&mut self) {
        if let Last::Paragraph(p) = std::mem::replace(&mut self.last, Last::Nothing) {
            self.body.paragraph(&p);
        }
    }

    /// A paragraph of `style_id` with a deterministic id, starting a page if
    /// a `\newpage` is pending.
    fn para(&mut self, style_id: &str) -> Paragraph {
        let p = self.plain_para(style_id);
        if std::mem::take(&mut self.pending_break) { p.page_break_before(true) } else { p }
    }

    fn plain_para(&mut self, style_id: &str) -> Paragraph {
        self.para_seq += 1;
        Paragraph::new().id(format!("{:08X}", self.para_seq)).style(style_id)
    }

    fn push(&mut self, p: Paragraph) {
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

    fn inlines(&self, mut p: Paragraph, content: &[Inline]) -> Paragraph {
        for inline in content {
            p = match inline {
                Inline::Text { text, style } => {
                    let mut run = Run::new().add_text(text.as_str());
                    if style.bold {
                        run = run.bold();
                    }
                    if style.italic {
                        // No italic in CJK type: 公文 sets emphasis in 楷体.
                        run = run.fonts(fonts_for(self.style.fonts.get(Face::Kai)));
                    }
                    p.add_run(run)
                }
                Inline::LineBreak => p.add_run(Run::new().add_break(BreakType::TextWrapping)),
            };
        }
        p
    }

    /// Title, subtitle and 主送机关 (GB/T 9704 §7.3.1, §7.3.2).
    fn front(&mut self, doc: &Document) {
        let meta = &doc.meta;
        for line in &meta.title {
            let p = self.para(TITLE).add_run(Run::new().add_text(line.as_str()));
            self.push(p);
        }
        for line in &meta.subtitle {
            let p = self.para(SUBTITLE).add_run(Run::new().add_text(line.as_str()));
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
            let p = self.para(TITLE).add_run(Run::new().add_text(line.as_str()));
            self.push(p);
        }
        self.gap(self.style.collection.cover_gap_lines);
        let date = meta.date.as_ref().map(Date::to_chinese);
        for line in meta.subtitle.iter().chain(&meta.signature).chain(&date) {
            let p = self.para(SUBTITLE).add_run(Run::new().add_text(line.as_str()));
            self.push(p);
        }
        self.pending_break = true;
    }

    /// The 目录: a Word TOC field (`TOC \o "1-1" \h`: outline level 1, the
    /// article titles, as hyperlinks) whose result is filled in with the
    /// entries and the pages wengao's layout found, so the page reads right
    /// before Word updates the field (and in readers that never do).
    fn contents(&mut self, doc: &Document) {
        let p = self.para(TITLE).add_run(Run::new().add_text(TOC_HEADING));
        self.push(p);
        self.gap(self.style.title_gap_lines);
        let field = InstrText::TOC(InstrToC::new().heading_styles_range(1, 1).hyperlink());
        let articles: Vec<&Article> = doc.articles().collect();
        let mut p = self.para(TOC_ENTRY);
        p = p
            .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
            .add_run(Run::new().add_instr_text(field))
            .add_run(Run::new().add_field_char(FieldCharType::Separate, false));
        for (i, a) in articles.iter().enumerate() {
            if i > 0 {
                self.push(p);
                p = self.para(TOC_ENTRY);
            }
            let page = self.toc_pages.get(i).copied().unwrap_or(0);
            p = p
                .add_run(Run::new().add_text(a.toc_title()))
                .add_run(Run::new().add_tab().underline(LEADER_UNDERLINE))
                .add_run(Run::new().add_text(page.to_string()));
        }
        p = p.add_run(Run::new().add_field_char(FieldCharType::End, false));
        self.push(p);
        self.pending_break = true;
    }

    /// A collection's article: a page break, the title (outline level 1, so
    /// the TOC field finds it), the author lines in the `Author` style.
    fn article(&mut self, a: &Article) {
        self.pending_break = true;
        for line in &a.title {
            let p = self.para(ARTICLE_TITLE).add_run(Run::new().add_text(line.as_str()));
            self.push(p);
        }
        for line in &a.authors {
            let p = self.para(AUTHOR).add_run(Run::new().add_text(line.as_str()));
            self.push(p);
        }
        self.gap(self.style.title_gap_lines);
    }

    /// 主送机关 (GB/T 9704 §7.3.2).
    fn recipient(&mut self, doc: &Document) {
        let meta = &doc.meta;
        if let Some(recipient) = meta.recipient_line() {
            let p = self
                .para(BODY)
                .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), Some(0), None)
                .add_run(Run::new().add_text(recipient));
            self.push(p);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, number, content } => {
                let level = (*level).clamp(1, 4);
                let mut p = self.para(&heading_style_id(level));
                if let Some(n) = number {
                    p = p.add_run(Run::new().add_text(n.as_str()));
                }
                let p = self.inlines(p, content);
                self.push(p);
            }
            Block::Paragraph(content) => {
                let p = self.para(BODY);
                let p = self.inlines(p, content);
                self.push(p);
            }
            Block::List { ordered, start, items } => {
                for (i, item) in items.iter().enumerate() {
                    let marker = Block::list_marker(*ordered, *start, i);
                    let p = self.para(BODY).add_run(Run::new().add_text(marker));
                    let p = self.inlines(p, item);
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
        }
    }

    fn table(&mut self, t: &Table) {
        let cols = t.columns();
        if cols == 0 {
            return;
        }
        if std::mem::take(&mut self.pending_break) {
            // A table cannot carry pageBreakBefore; a break run can.
            let p = self.plain_para(BODY).add_run(Run::new().add_break(BreakType::Page));
            self.push(p);
        }
        if matches!(self.last, Last::Table) {
            // Word merges adjacent tables into one; a paragraph keeps them apart.
            let p = self.plain_para(BODY);
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
        let mut borders = TableBorders::new();
        for pos in [
            TableBorderPosition::Top,
            TableBorderPosition::Left,
            TableBorderPosition::Bottom,
            TableBorderPosition::Right,
            TableBorderPosition::InsideH,
            TableBorderPosition::InsideV,
        ] {
            // Single 0.5 pt rules (w:sz is in eighths of a point).
            borders = borders.set(TableBorder::new(pos).size(4).color("000000"));
        }
        let shell = WordTable::new(Vec::new())
            .set_grid(grid.clone())
            .width(width, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .set_borders(borders)
            // The line's leading above and below each cell's text, half a
            // character at the sides, so text never touches the rules.
            .margins(TableCellMargins::new().margin(
                self.m.cell_padding_v,
                self.m.cell_padding_h,
                self.m.cell_padding_v,
                self.m.cell_padding_h,
            ));
        let end = match self.body.begin_table(&shell) {
            Ok(end) => end,
            Err(d) => return self.diags.extend(d),
        };
        let header = (!t.header.is_empty()).then_some(&t.header);
        for (i, cells) in header.into_iter().chain(&t.rows).enumerate() {
            let is_header = i == 0 && header.is_some();
            let cells = (0..cols)
                .map(|c| {
                    let p = if is_header {
                        self.plain_para(TABLE_HEADING)
                    } else {
                        let align = match t.align.get(c).copied().unwrap_or_default() {
                            Align::Default => AlignmentType::Both,
                            Align::Left => AlignmentType::Left,
                            Align::Center => AlignmentType::Center,
                            Align::Right => AlignmentType::Right,
                        };
                        self.plain_para(TABLE_TEXT).align(align)
                    };
                    let p = self.inlines(p, cells.get(c).map(Vec::as_slice).unwrap_or_default());
                    TableCell::new().width(grid[c], WidthType::Dxa).vertical_align(VAlignType::Center).add_paragraph(p)
                })
                .collect();
            if let Err(d) = self.body.row(&TableRow::new(cells).cant_split(), is_header) {
                return self.diags.extend(d);
            }
        }
        self.body.end_table(end);
        self.last = Last::Table;
    }

    /// A caption under an image: body text centred, without the first-line indent.
    fn caption(&mut self, text: &str) {
        let p = self
            .para(BODY)
            .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), Some(0), None)
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text(text));
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
        let (w, h) = match (imagesize::image_type(&bytes), imagesize::blob_size(&bytes)) {
            (Ok(t), Ok(size)) if media_extension(t).is_some() && size.width > 0 && size.height > 0 => {
                (size.width, size.height)
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
        let number = self.body.picture(alt);
        // docx-rs' picture counter is process-wide; number them per
        // document. A picture seen before refers to the same media.
        let id = match self.media.iter().find(|(_, b)| *b == bytes) {
            Some((id, _)) => id.clone(),
            None => {
                let id = format!("rIdImage{number}");
                self.media.push((id.clone(), bytes));
                id
            }
        };
        let px = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        // The body's picture needs no bytes: the package has them by id.
        let pic = Pic::new_with_dimensions(Vec::new(), px(w), px(h)).size(emu(nw * scale), emu(nh * scale)).id(id);
        // Auto spacing: an exact line would clip the picture to one line.
        let p = self
            .para(BODY)
            .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), Some(0), None)
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240))
            .keep_next(captioned)
            .add_run(Run::new().add_image(pic));
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
                let p = self
                    .para(BODY)
                    .indent(
                        Some(left.round() as i32),
                        Some(SpecialIndentType::Hanging(hang.round() as i32)),
                        Some(0),
                        None,
                    )
                    .align(AlignmentType::Left)
                    .add_run(Run::new().add_text(text));
                self.push(p);
            }
        }
        let date = meta.date.as_ref().map(Date::to_chinese);
        // A collection's date and signature are on its cover.
        if meta.toc || (meta.signature.is_empty() && date.is_none()) {
            return;
        }
        // GB/T 9704 §7.3.5: the page bearing 署名 and 成文日期 must also bear
        // body text. Keep the last paragraph, the gap and the block together so
        // a page break can never strand the signature on a page of its own.
        if let Last::Paragraph(last) = &mut self.last {
            **last = std::mem::take(&mut **last).keep_next(true);
        }
        if !self.pending_break {
            for _ in 0..self.style.signature_gap_lines {
                let p = self.para(BODY).keep_next(true);
                self.push(p);
            }
        }
        let date_inset = f64::from(self.m.date_inset);
        for line in &meta.signature {
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
    }

    fn signature_line(&mut self, text: &str, right: f64) -> Paragraph {
        let right = right.max(0.0).round() as i32;
        self.para(BODY)
            .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), Some(right), None)
            .align(AlignmentType::Right)
            .keep_next(true)
            .add_run(Run::new().add_text(text))
    }

    /// "— N —": dash, PAGE field, dash, odd pages right, even left (§7.5).
    fn footer_paragraph(&mut self, odd: bool) -> Paragraph {
        let font = self.style.page_number.font.as_str();
        let size = self.m.number_size;
        let run = || Run::new().fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font).cs(font)).size(size);
        let dash = self.style.page_number.dash;
        let inset = self.m.number_inset;
        let (align, left, right) = if odd { (AlignmentType::Right, 0, inset) } else { (AlignmentType::Left, inset, 0) };
        self.plain_para(FOOTER)
            .align(align)
            .indent(Some(left), Some(SpecialIndentType::FirstLine(0)), Some(right), None)
            .add_run(run().add_text(format!("{dash} ")))
            .add_run(run().add_field_char(FieldCharType::Begin, false))
            .add_run(run().add_instr_text(InstrText::PAGE(docx_rs::InstrPAGE::new())))
            .add_run(run().add_field_char(FieldCharType::Separate, false))
            .add_run(run().add_text("1"))
            .add_run(run().add_field_char(FieldCharType::End, false))
            .add_run(run().add_text(format!(" {dash}")))
    }
}

/// The page each article of a collection starts on, from wengao's own
/// layout: with the build's fonts when it has them (a PDF is being made
/// too), else with nominal metrics, which on the character grid give the
/// same lines for Chinese text.
fn contents_pages(cx: &WriteContext<'_>) -> Vec<usize> {
    match cx.fonts {
        Some(fonts) => crate::layout::contents_pages(cx.doc, cx.style, fonts, cx.root),
        None => crate::layout::contents_pages(cx.doc, cx.style, &crate::layout::NominalMetrics, cx.root),
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
}
