//! The few WordprocessingML structures wengao writes — paragraphs, runs,
//! their properties, hyperlinks, bookmarks and inline pictures — each with
//! a `write` that puts the children in the order the ECMA-376 schema
//! (Part 1, §17) prescribes. Word is known to drop properties written out
//! of order (fonts, keep-with-next, the odd/even footers), so the order is
//! fixed here, once, by construction, and a test reads it back.

use std::io::Write;

use super::xml::Xml;

/// `w:rFonts`: the East Asian face for Chinese characters, `latin` for
/// ASCII, other Western and complex-script text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Fonts<'a> {
    pub east_asia: &'a str,
    pub latin: &'a str,
}

/// `w:rPr` (CT_RPr): only what wengao sets.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct RunProps<'a> {
    pub style: Option<&'a str>,
    pub fonts: Option<Fonts<'a>>,
    pub bold: bool,
    /// `w:color`, hex (`FF0000`).
    pub colour: Option<String>,
    /// `w:spacing`: extra space after each character, twips.
    pub spacing: Option<i32>,
    /// `w:sz` and `w:szCs`, half-points.
    pub size: Option<usize>,
    /// `w:u`.
    pub underline: Option<&'static str>,
    /// `w:lang`: (Latin, East Asian).
    pub lang: Option<(&'static str, &'static str)>,
}

impl RunProps<'_> {
    fn is_empty(&self) -> bool {
        *self == RunProps::default()
    }

    /// Schema order: rStyle, rFonts, b, bCs, …, color, spacing, …, sz, szCs, …, u, …, lang.
    pub(super) fn write<W: Write>(&self, x: &mut Xml<W>) {
        if self.is_empty() {
            return;
        }
        x.open("w:rPr", &[]);
        if let Some(s) = self.style {
            x.val("w:rStyle", s);
        }
        if let Some(f) = self.fonts {
            x.empty(
                "w:rFonts",
                &[("w:ascii", f.latin), ("w:hAnsi", f.latin), ("w:eastAsia", f.east_asia), ("w:cs", f.latin)],
            );
        }
        if self.bold {
            x.empty("w:b", &[]);
            x.empty("w:bCs", &[]);
        }
        if let Some(c) = &self.colour {
            x.val("w:color", c);
        }
        if let Some(s) = self.spacing {
            x.val("w:spacing", s);
        }
        if let Some(s) = self.size {
            x.val("w:sz", s);
            x.val("w:szCs", s);
        }
        if let Some(u) = self.underline {
            x.val("w:u", u);
        }
        if let Some((latin, east_asia)) = self.lang {
            x.empty("w:lang", &[("w:val", latin), ("w:eastAsia", east_asia)]);
        }
        x.close("w:rPr");
    }
}

/// `w:jc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Jc {
    Left,
    Center,
    Right,
    Both,
}

impl Jc {
    fn as_str(self) -> &'static str {
        match self {
            Jc::Left => "left",
            Jc::Center => "center",
            Jc::Right => "right",
            Jc::Both => "both",
        }
    }
}

/// `w:ind`, twips. `first_line` negative means a hanging indent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Indent {
    pub left: i32,
    pub right: i32,
    pub first_line: i32,
}

/// `w:spacing` of a paragraph: lines set exactly `line` twips apart, or
/// `auto` (single spacing, for pictures), no space before or after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineRule {
    Exact(i32),
    Single,
}

/// `w:tab`: a right tab at `pos` twips, with a dot leader or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TabStop {
    pub pos: i32,
    pub dots: bool,
}

/// A paragraph border (`w:pBdr/w:top` or `w:bottom`): a rule of style
/// `val` (`single`, `thickThinSmallGap` …) `size` eighths of a point
/// thick, `space` points from the text, in `colour`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Border {
    pub val: &'static str,
    pub size: u32,
    pub space: u32,
    pub colour: String,
}

impl Border {
    fn write<W: Write>(&self, x: &mut Xml<W>, side: &str) {
        x.empty(
            side,
            &[
                ("w:val", self.val),
                ("w:sz", &self.size.to_string()),
                ("w:space", &self.space.to_string()),
                ("w:color", &self.colour),
            ],
        );
    }
}

/// `w:framePr`: a paragraph positioned on the page (信函格式's mark and
/// lower rule): `width` twips wide, centred on the page, its top `y`
/// twips under the page's top edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FramePr {
    pub width: i32,
    pub y: i32,
}

/// `w:sectPr` (CT_SectPr): the page, its margins, the footers for odd and
/// even pages and the line grid, all in twips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SectionProps {
    /// Relationship ids of the odd (default) and even footers.
    pub footers: (&'static str, &'static str),
    /// Page width and height.
    pub page: (u32, u32),
    /// Top, right, bottom, left.
    pub margins: [i32; 4],
    /// Footer (and header) distance.
    pub footer: i32,
    /// `docGrid` line pitch.
    pub pitch: i32,
    /// `w:type`: where the section starts (`evenPage`); None: a new page.
    pub start: Option<&'static str>,
    /// A first page with its own footer (`w:titlePg`), this relationship id.
    pub first: Option<&'static str>,
    /// Page numbers start again at 1 (`w:pgNumType w:start="1"`).
    pub restart_numbers: bool,
}

impl SectionProps {
    /// Schema order: footerReference, type, pgSz, pgMar, pgNumType, cols, docGrid.
    pub(super) fn write<W: Write>(&self, x: &mut Xml<W>) {
        x.open("w:sectPr", &[]);
        x.empty("w:footerReference", &[("w:type", "default"), ("r:id", self.footers.0)]);
        x.empty("w:footerReference", &[("w:type", "even"), ("r:id", self.footers.1)]);
        if let Some(first) = self.first {
            x.empty("w:footerReference", &[("w:type", "first"), ("r:id", first)]);
        }
        if let Some(start) = self.start {
            x.val("w:type", start);
        }
        x.empty("w:pgSz", &[("w:w", &self.page.0.to_string()), ("w:h", &self.page.1.to_string())]);
        let [top, right, bottom, left] = self.margins.map(|m| m.to_string());
        let footer = self.footer.to_string();
        x.empty(
            "w:pgMar",
            &[
                ("w:top", &top),
                ("w:right", &right),
                ("w:bottom", &bottom),
                ("w:left", &left),
                // No header is written; Word still wants a distance,
                // and the footer's keeps the page symmetrical.
                ("w:header", &footer),
                ("w:footer", &footer),
                ("w:gutter", "0"),
            ],
        );
        if self.restart_numbers {
            x.empty("w:pgNumType", &[("w:start", "1")]);
        }
        x.empty("w:cols", &[("w:space", "425")]);
        if self.first.is_some() {
            x.empty("w:titlePg", &[]);
        }
        x.empty("w:docGrid", &[("w:type", "lines"), ("w:linePitch", &self.pitch.max(0).to_string())]);
        x.close("w:sectPr");
    }
}

/// `w:pPr` (CT_PPrBase + rPr): only what wengao sets. `None` leaves a
/// setting to the style; `Some(false)` turns it off explicitly.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ParaProps<'a> {
    pub style: Option<&'a str>,
    pub keep_next: bool,
    pub keep_lines: bool,
    pub page_break_before: bool,
    pub frame: Option<FramePr>,
    pub widow_control: Option<bool>,
    /// `w:pBdr/w:top`.
    pub border_top: Option<Border>,
    /// `w:pBdr/w:bottom`.
    pub border_bottom: Option<Border>,
    pub tab: Option<TabStop>,
    pub kinsoku: Option<bool>,
    pub overflow_punct: Option<bool>,
    /// `w:autoSpaceDE` and `w:autoSpaceDN`: extra space between East Asian
    /// text and Latin letters / digits.
    pub auto_space: Option<bool>,
    pub snap_to_grid: Option<bool>,
    pub line: Option<LineRule>,
    /// `w:spacing/@w:before`, twips, with `line` (0 unless set).
    pub before: i32,
    pub indent: Option<Indent>,
    pub jc: Option<Jc>,
    /// `w:outlineLvl`, 0 = level 1.
    pub outline: Option<u8>,
    /// Run properties of the paragraph mark.
    pub mark: RunProps<'a>,
    /// The section this paragraph ends, when it is not the last.
    pub section: Option<SectionProps>,
}

fn on_off<W: Write>(x: &mut Xml<W>, name: &str, value: Option<bool>) {
    match value {
        Some(true) => x.empty(name, &[]),
        Some(false) => x.val(name, 0),
        None => {}
    }
}

impl ParaProps<'_> {
    fn is_empty(&self) -> bool {
        *self == ParaProps::default()
    }

    /// Schema order: pStyle, keepNext, keepLines, pageBreakBefore,
    /// widowControl, pBdr, tabs, kinsoku, overflowPunct, autoSpaceDE,
    /// autoSpaceDN, snapToGrid, spacing, ind, jc, outlineLvl, rPr.
    pub(super) fn write<W: Write>(&self, x: &mut Xml<W>) {
        if self.is_empty() {
            return;
        }
        x.open("w:pPr", &[]);
        if let Some(s) = self.style {
            x.val("w:pStyle", s);
        }
        on_off(x, "w:keepNext", self.keep_next.then_some(true));
        on_off(x, "w:keepLines", self.keep_lines.then_some(true));
        on_off(x, "w:pageBreakBefore", self.page_break_before.then_some(true));
        if let Some(f) = &self.frame {
            x.empty(
                "w:framePr",
                &[
                    ("w:w", &f.width.to_string()),
                    ("w:hSpace", "0"),
                    // Over the text, which keeps its place: the frames
                    // stand where the PDF draws the 版头, whatever the flow.
                    ("w:wrap", "through"),
                    ("w:vAnchor", "page"),
                    ("w:hAnchor", "page"),
                    ("w:xAlign", "center"),
                    ("w:y", &f.y.to_string()),
                ],
            );
        }
        on_off(x, "w:widowControl", self.widow_control);
        if self.border_top.is_some() || self.border_bottom.is_some() {
            x.open("w:pBdr", &[]);
            if let Some(b) = &self.border_top {
                b.write(x, "w:top");
            }
            if let Some(b) = &self.border_bottom {
                b.write(x, "w:bottom");
            }
            x.close("w:pBdr");
        }
        if let Some(t) = self.tab {
            x.open("w:tabs", &[]);
            let leader = if t.dots { "dot" } else { "none" };
            x.empty("w:tab", &[("w:val", "right"), ("w:leader", leader), ("w:pos", &t.pos.to_string())]);
            x.close("w:tabs");
        }
        on_off(x, "w:kinsoku", self.kinsoku);
        on_off(x, "w:overflowPunct", self.overflow_punct);
        on_off(x, "w:autoSpaceDE", self.auto_space);
        on_off(x, "w:autoSpaceDN", self.auto_space);
        on_off(x, "w:snapToGrid", self.snap_to_grid);
        match self.line {
            Some(LineRule::Exact(line)) => x.empty(
                "w:spacing",
                &[
                    ("w:before", &self.before.to_string()),
                    ("w:after", "0"),
                    ("w:line", &line.to_string()),
                    ("w:lineRule", "exact"),
                ],
            ),
            Some(LineRule::Single) => {
                x.empty("w:spacing", &[("w:before", "0"), ("w:after", "0"), ("w:line", "240"), ("w:lineRule", "auto")])
            }
            None => {}
        }
        if let Some(i) = self.indent {
            let (left, right) = (i.left.to_string(), i.right.to_string());
            let first = i.first_line.unsigned_abs().to_string();
            let kind = if i.first_line < 0 { "w:hanging" } else { "w:firstLine" };
            x.empty("w:ind", &[("w:left", &left), ("w:right", &right), (kind, &first)]);
        }
        if let Some(jc) = self.jc {
            x.val("w:jc", jc.as_str());
        }
        if let Some(level) = self.outline {
            x.val("w:outlineLvl", level);
        }
        self.mark.write(x);
        if let Some(s) = &self.section {
            s.write(x);
        }
        x.close("w:pPr");
    }
}

/// `w:fldChar` types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Begin,
    Separate,
    End,
}

/// What a run holds.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum RunItem {
    Text(String),
    Tab,
    LineBreak,
    PageBreak,
    Field(Field),
    /// A field instruction (`PAGE`, `TOC \o "1-1" \h`, `PAGEREF _Toc1 \h`).
    Instr(String),
    Picture(Box<Picture>),
}

/// `w:r`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Run<'a> {
    pub props: RunProps<'a>,
    pub items: Vec<RunItem>,
}

impl<'a> Run<'a> {
    /// A run of plain text; tabs and newlines in it become `w:tab`/`w:br`.
    pub(super) fn text(text: &str) -> Run<'a> {
        Run::default().with_text(text)
    }

    pub(super) fn of(item: RunItem) -> Run<'a> {
        Run { props: RunProps::default(), items: vec![item] }
    }

    pub(super) fn with_text(mut self, text: &str) -> Run<'a> {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.items.push(RunItem::LineBreak);
            }
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    self.items.push(RunItem::Tab);
                }
                if !piece.is_empty() {
                    self.items.push(RunItem::Text(piece.to_string()));
                }
            }
        }
        self
    }

    pub(super) fn props(mut self, props: RunProps<'a>) -> Run<'a> {
        self.props = props;
        self
    }

    pub(super) fn write<W: Write>(&self, x: &mut Xml<W>) {
        x.open("w:r", &[]);
        self.props.write(x);
        for item in &self.items {
            match item {
                RunItem::Text(t) => {
                    // Leading, trailing or doubled spaces are text, not layout.
                    let keep = t.starts_with(' ') || t.ends_with(' ') || t.contains("  ");
                    x.leaf("w:t", if keep { &[("xml:space", "preserve")] } else { &[] }, t);
                }
                RunItem::Tab => x.empty("w:tab", &[]),
                RunItem::LineBreak => x.empty("w:br", &[]),
                RunItem::PageBreak => x.empty("w:br", &[("w:type", "page")]),
                RunItem::Field(f) => {
                    let kind = match f {
                        Field::Begin => "begin",
                        Field::Separate => "separate",
                        Field::End => "end",
                    };
                    x.empty("w:fldChar", &[("w:fldCharType", kind)]);
                }
                RunItem::Instr(i) => x.leaf("w:instrText", &[("xml:space", "preserve")], &format!(" {i} ")),
                RunItem::Picture(p) => p.write(x),
            }
        }
        x.close("w:r");
    }
}

/// A paragraph's children.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece<'a> {
    Run(Run<'a>),
    /// `w:hyperlink` to a bookmark of this document.
    Link {
        anchor: String,
        runs: Vec<Run<'a>>,
    },
    BookmarkStart {
        id: u32,
        name: String,
    },
    BookmarkEnd {
        id: u32,
    },
}

/// `w:p`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Para<'a> {
    pub props: ParaProps<'a>,
    pub pieces: Vec<Piece<'a>>,
}

impl<'a> Para<'a> {
    pub(super) fn styled(style: &'a str) -> Para<'a> {
        Para { props: ParaProps { style: Some(style), ..ParaProps::default() }, pieces: Vec::new() }
    }

    pub(super) fn run(mut self, run: Run<'a>) -> Para<'a> {
        self.pieces.push(Piece::Run(run));
        self
    }

    pub(super) fn text(self, text: &str) -> Para<'a> {
        self.run(Run::text(text))
    }

    pub(super) fn write<W: Write>(&self, x: &mut Xml<W>) {
        x.open("w:p", &[]);
        self.props.write(x);
        for piece in &self.pieces {
            match piece {
                Piece::Run(r) => r.write(x),
                Piece::Link { anchor, runs } => {
                    x.open("w:hyperlink", &[("w:anchor", anchor), ("w:history", "1")]);
                    for r in runs {
                        r.write(x);
                    }
                    x.close("w:hyperlink");
                }
                Piece::BookmarkStart { id, name } => {
                    x.empty("w:bookmarkStart", &[("w:id", &id.to_string()), ("w:name", name)]);
                }
                Piece::BookmarkEnd { id } => x.empty("w:bookmarkEnd", &[("w:id", &id.to_string())]),
            }
        }
        x.close("w:p");
    }
}

/// An inline picture (`w:drawing/wp:inline`, DrawingML picture).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Picture {
    /// Unique in the document, from 1.
    pub id: usize,
    /// Relationship id of the media part.
    pub rel: String,
    /// Size in EMU.
    pub cx: u32,
    pub cy: u32,
    /// Alternative text (`descr`), for screen readers.
    pub alt: String,
}

impl Picture {
    fn write<W: Write>(&self, x: &mut Xml<W>) {
        let (id, cx, cy) = (self.id.to_string(), self.cx.to_string(), self.cy.to_string());
        let name = format!("图片 {id}");
        x.open("w:drawing", &[]);
        x.open("wp:inline", &[("distT", "0"), ("distB", "0"), ("distL", "0"), ("distR", "0")]);
        x.empty("wp:extent", &[("cx", &cx), ("cy", &cy)]);
        x.empty("wp:effectExtent", &[("l", "0"), ("t", "0"), ("r", "0"), ("b", "0")]);
        x.empty("wp:docPr", &[("id", &id), ("name", &name), ("descr", &self.alt)]);
        x.open("wp:cNvGraphicFramePr", &[]);
        x.empty("a:graphicFrameLocks", &[("noChangeAspect", "1")]);
        x.close("wp:cNvGraphicFramePr");
        x.open("a:graphic", &[]);
        x.open("a:graphicData", &[("uri", "http://schemas.openxmlformats.org/drawingml/2006/picture")]);
        x.open("pic:pic", &[]);
        x.open("pic:nvPicPr", &[]);
        x.empty("pic:cNvPr", &[("id", &id), ("name", &name), ("descr", &self.alt)]);
        x.empty("pic:cNvPicPr", &[]);
        x.close("pic:nvPicPr");
        x.open("pic:blipFill", &[]);
        x.empty("a:blip", &[("r:embed", &self.rel)]);
        x.open("a:stretch", &[]);
        x.empty("a:fillRect", &[]);
        x.close("a:stretch");
        x.close("pic:blipFill");
        x.open("pic:spPr", &[]);
        x.open("a:xfrm", &[]);
        x.empty("a:off", &[("x", "0"), ("y", "0")]);
        x.empty("a:ext", &[("cx", &cx), ("cy", &cy)]);
        x.close("a:xfrm");
        x.open("a:prstGeom", &[("prst", "rect")]);
        x.empty("a:avLst", &[]);
        x.close("a:prstGeom");
        x.close("pic:spPr");
        x.close("pic:pic");
        x.close("a:graphicData");
        x.close("a:graphic");
        x.close("wp:inline");
        x.close("w:drawing");
    }
}

#[cfg(test)]
mod tests {
    use super::super::xml::part;
    use super::*;

    fn xml(write: impl FnOnce(&mut Xml<Vec<u8>>)) -> String {
        let text = String::from_utf8(part(write)).expect("utf-8");
        text[text.find("?>").expect("declaration") + 2..].to_string()
    }

    #[test]
    fn paragraph_properties_come_in_schema_order_whatever_is_set() {
        let p = ParaProps {
            style: Some("BodyText"),
            keep_next: true,
            page_break_before: true,
            widow_control: Some(true),
            tab: Some(TabStop { pos: 8844, dots: true }),
            kinsoku: Some(true),
            overflow_punct: Some(false),
            auto_space: Some(false),
            snap_to_grid: Some(false),
            line: Some(LineRule::Exact(579)),
            indent: Some(Indent { left: 0, right: 0, first_line: 640 }),
            jc: Some(Jc::Both),
            outline: Some(0),
            mark: RunProps { bold: true, ..RunProps::default() },
            ..ParaProps::default()
        };
        let out = xml(|x| p.write(x));
        let order = [
            "<w:pStyle",
            "<w:keepNext",
            "<w:pageBreakBefore",
            "<w:widowControl",
            "<w:tabs",
            "<w:kinsoku",
            "<w:overflowPunct",
            "<w:autoSpaceDE",
            "<w:autoSpaceDN",
            "<w:snapToGrid",
            "<w:spacing",
            "<w:ind",
            "<w:jc",
            "<w:outlineLvl",
            "<w:rPr",
        ];
        let at: Vec<usize> = order.iter().map(|e| out.find(e).unwrap_or_else(|| panic!("{e} in {out}"))).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{out}");
        assert!(out.contains(r#"<w:tab w:val="right" w:leader="dot" w:pos="8844"/>"#), "{out}");
        assert!(out.contains(r#"<w:overflowPunct w:val="0"/>"#), "{out}");
    }

    #[test]
    fn run_properties_come_in_schema_order_and_empty_ones_are_not_written() {
        let r = RunProps {
            style: Some("Hyperlink"),
            fonts: Some(Fonts { east_asia: "仿宋_GB2312", latin: "仿宋" }),
            bold: true,
            colour: Some("FF0000".into()),
            spacing: Some(-5),
            size: Some(32),
            underline: Some("none"),
            lang: Some(("en-US", "zh-CN")),
        };
        let out = xml(|x| r.write(x));
        let order = [
            "<w:rStyle",
            "<w:rFonts",
            "<w:b/>",
            "<w:bCs/>",
            "<w:color w:val=\"FF0000\"",
            "<w:spacing",
            "<w:sz ",
            "<w:szCs",
            "<w:u ",
            "<w:lang",
        ];
        let at: Vec<usize> = order.iter().map(|e| out.find(e).unwrap_or_else(|| panic!("{e} in {out}"))).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{out}");
        assert_eq!(xml(|x| RunProps::default().write(x)), "");
        assert_eq!(xml(|x| ParaProps::default().write(x)), "");
    }

    #[test]
    fn text_with_tabs_and_newlines_becomes_tab_and_break_elements() {
        let out = xml(|x| Run::text("甲\t乙\n 丙").write(x));
        assert_eq!(out, r#"<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t xml:space="preserve"> 丙</w:t></w:r>"#);
    }

    #[test]
    fn border_comes_after_widow_control_and_before_tabs_and_space_before_in_spacing() {
        let p = ParaProps {
            widow_control: Some(false),
            border_bottom: Some(Border { val: "single", size: 11, space: 4, colour: "FF0000".into() }),
            tab: Some(TabStop { pos: 8000, dots: false }),
            line: Some(LineRule::Exact(579)),
            before: 120,
            ..ParaProps::default()
        };
        let out = xml(|x| p.write(x));
        let at: Vec<usize> = [
            "<w:widowControl",
            "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"11\" w:space=\"4\" w:color=\"FF0000\"/></w:pBdr>",
            "<w:tabs",
            "<w:spacing w:before=\"120\"",
        ]
        .iter()
        .map(|e| out.find(e).unwrap_or_else(|| panic!("{e} in {out}")))
        .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{out}");
    }

    #[test]
    fn a_hanging_indent_is_written_as_hanging() {
        let p = ParaProps { indent: Some(Indent { left: 1895, right: 0, first_line: -1255 }), ..ParaProps::default() };
        assert!(xml(|x| p.write(x)).contains(r#"<w:ind w:left="1895" w:right="0" w:hanging="1255"/>"#));
    }
}
