//! The page style: every layout number wengao uses, in one place.
//!
//! `Style::gbt9704()` is the GB/T 9704-2012 preset; `wengao.toml [style]`
//! overrides individual fields. Writers read from here and never carry their
//! own copies of a margin, size or pitch.

use serde::Deserialize;

/// Charts (`chart()`): drawn at the GB/T 9704 text-block width, 156 mm, so
/// that at their natural print size text in them matches the body sizes; a
/// block narrowed by `[style]` scales the picture down like any image.
pub const CHART_WIDTH_MM: f64 = 156.0;
/// Chart height: about 5:8, room for a plot and its labels without taking
/// more than a third of a page.
pub const CHART_HEIGHT_MM: f64 = 96.0;
/// Raster resolution of a chart: print quality (300 dpi), about 1843 × 1134 px.
pub const CHART_DPI: f64 = 300.0;
/// Chart labels, ticks and values: 10.5 pt (五号), the size of table notes.
pub const CHART_LABEL_PT: f64 = 10.5;
/// A chart's own title, when given: 12 pt (小四).
pub const CHART_TITLE_PT: f64 = 12.0;
/// Smallest label size when many labels share the axis.
pub const CHART_MIN_LABEL_PT: f64 = 7.5;

/// Millimetres.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Deserialize)]
#[serde(transparent)]
pub struct Mm(pub f64);

/// PostScript points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Deserialize)]
#[serde(transparent)]
pub struct Pt(pub f64);

impl Mm {
    /// The same length in points.
    pub fn pt(self) -> Pt {
        Pt(self.0 * 72.0 / 25.4)
    }
    /// Twentieths of a point (Word's twips), rounded to the nearest.
    pub fn twips(self) -> i64 {
        self.pt().twips()
    }
}

impl Pt {
    /// Twentieths of a point, rounded to the nearest.
    pub fn twips(self) -> i64 {
        (self.0 * 20.0).round() as i64
    }
    /// Half-points, the unit of Word's `w:sz`.
    pub fn half_points(self) -> usize {
        (self.0 * 2.0).round().max(1.0) as usize
    }
    /// The same length in millimetres.
    pub fn mm(self) -> Mm {
        Mm(self.0 * 25.4 / 72.0)
    }
}

/// A logical typeface of 公文 (GB/T 9704 names faces, not files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Face {
    /// 小标宋: titles.
    Song,
    /// 仿宋: body text.
    Fang,
    /// 黑体: level-1 headings, table headers.
    Hei,
    /// 楷体: level-2 headings.
    Kai,
    /// 宋体 (regular): page numbers, "4号半角宋体阿拉伯数字" (§7.5). Not
    /// 小标宋, whose heavy cut would make them bold.
    Songti,
}

impl Face {
    /// Every face, in a stable order.
    pub const ALL: [Face; 5] = [Face::Song, Face::Fang, Face::Hei, Face::Kai, Face::Songti];

    /// Chinese name of the face as offices say it.
    pub fn chinese(self) -> &'static str {
        match self {
            Face::Song => "标宋",
            Face::Fang => "仿宋",
            Face::Hei => "黑体",
            Face::Kai => "楷体",
            Face::Songti => "宋体",
        }
    }

    /// The face's style as everyone names it, 标宋 included in 宋体: the
    /// word messages use ("a 宋体 font"), and the Windows family a DOCX names
    /// when the configured list holds only font files.
    pub fn style_name(self) -> &'static str {
        match self {
            Face::Song | Face::Songti => "宋体",
            Face::Fang => "仿宋",
            Face::Hei => "黑体",
            Face::Kai => "楷体",
        }
    }
}

/// Font family names for one face, most preferred first. DOCX writes the
/// first as the eastAsia font and the next as the ascii/hAnsi fallback.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FaceNames {
    /// Names as Word/WPS know them.
    pub families: Vec<String>,
}

/// Where and how the page number prints (GB/T 9704 §7.5), in 宋体
/// (`Face::Songti`: "4号半角宋体阿拉伯数字").
#[derive(Debug, Clone, PartialEq)]
pub struct PageNumber {
    /// 四号: 14 pt.
    pub size: Pt,
    /// Top of the number sits this far under the text block.
    pub below_block: Mm,
    /// Distance from the text block edge, in characters of the number size.
    pub inset_chars: f64,
    /// The dash on each side ("— 1 —").
    pub dash: char,
}

/// A collection (汇编): the cover, the 目录 and each article's head.
///
/// The cover carries the title at the top of the block, then
/// `cover_gap_lines` blank rows, then the compiling unit and the date
/// centred. 目录 entries start at the left edge of the block; an entry that
/// does not fit on one line continues `toc_wrap_indent_chars` in; the page
/// number is right-aligned on the block's right edge in a column of
/// `toc_number_chars` characters, and a dot leader joins the end of the
/// entry's last line to it (dots every `leader_pitch`, each `leader_dot`
/// square, on a pitch counted from the block's left edge so the dots of
/// every entry line up, as Word's tab leaders do).
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionStyle {
    /// Blank body rows between the cover's title and the compiling unit.
    pub cover_gap_lines: u32,
    /// Indent of an entry's continuation lines, in characters.
    pub toc_wrap_indent_chars: u32,
    /// Width of the page-number column at the right edge, in characters.
    pub toc_number_chars: u32,
    /// Distance between leader dots.
    pub leader_pitch: Pt,
    /// Side of one leader dot.
    pub leader_dot: Pt,
}

/// A colour: red, green, blue, 0–255. The default is black.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Black, the colour of everything not said otherwise.
    pub const BLACK: Rgb = Rgb(0, 0, 0);

    /// Hex as Word writes it (`FF0000`).
    pub fn hex(self) -> String {
        format!("{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// Components from 0 to 1, as PDF colour operators take them.
    pub fn unit(self) -> [f32; 3] {
        [f32::from(self.0) / 255.0, f32::from(self.1) / 255.0, f32::from(self.2) / 255.0]
    }
}

/// The parts of a 公文 beyond the body (GB/T 9704-2012 §7.2, §7.3.5, §7.4,
/// §8): 版头, 署名 without seal, 附注, 附件 pages and 版记.
#[derive(Debug, Clone, PartialEq)]
pub struct GongwenStyle {
    /// The red of the 发文机关标志 and the separator rule: GB/T 9704 says
    /// 红色 without a value; Word's and WPS's standard red, which every
    /// printer and LibreOffice reproduce.
    pub red: Rgb,
    /// Largest size of the 发文机关标志 (小标宋); a long mark is set smaller
    /// so that it fits the text block (GB/T 9704 §7.2.4 leaves the size to
    /// the office, "不大于上级机关的发文机关标志"). 42 pt is about 15 mm.
    pub mark_size: Pt,
    /// Top of the mark under the top of the text block (§7.2.4: 35 mm).
    pub mark_top: Mm,
    /// Blank body lines between the mark and the 发文字号 (§7.2.5: 空二行).
    pub doc_no_gap_lines: u32,
    /// The red separator's top under the 发文字号 (§7.2.7: 4 mm).
    pub rule_gap: Mm,
    /// Thickness of the red separator.
    pub rule_width: Mm,
    /// Blank body lines between the red separator and the title (§7.3.1: 空二行).
    pub title_gap_lines: u32,
    /// 签发人 and the 发文字号 beside it: this many characters in from the
    /// edges (§7.2.6: 左空一字 / 右空一字).
    pub signer_inset_chars: u32,
    /// 不加盖印章 (§7.3.5.2): 署名 this many characters in from the right,
    /// and the date's first character this many to the right of the 署名's.
    pub unsealed_right_chars: u32,
    /// 附注: this many characters in (§7.3.7: 居左空二字).
    pub note_indent_chars: u32,
    /// Size of the 版记 (§7.4: 四号 14 pt).
    pub imprint_size: Pt,
    /// 抄送 and 印发机关/日期 this many 版记 characters in from each side (§7.4.2, §7.4.3).
    pub imprint_inset_chars: u32,
    /// The 版记's first and last rules (§7.4.1: 0.35 mm).
    pub imprint_outer_rule: Mm,
    /// Rules between the 版记's parts (§7.4.1: 0.25 mm).
    pub imprint_inner_rule: Mm,
    /// The row of an attachment page on which its title stands, 0-based
    /// (§8: 附件 on the first line, the title on the third).
    pub attachment_title_row: u32,
    /// 信函格式 (§10.1): the mark's top under the top edge of the page (30 mm).
    pub letter_mark_top: Mm,
    /// 信函格式: length of the red double rules, centred on the page (170 mm).
    pub letter_rule_length: Mm,
    /// 信函格式: the thick and the thin line of a double rule, and the space between them.
    pub letter_rule_thick: Mm,
    #[allow(missing_docs)]
    pub letter_rule_thin: Mm,
    #[allow(missing_docs)]
    pub letter_rule_space: Mm,
    /// 信函格式: the lower double rule's middle above the bottom edge of the page (20 mm).
    pub letter_bottom_rule: Mm,
    /// 信函格式: 份号 and 发文字号 under the upper double rule, in body
    /// characters' heights (7/8 of a 三号 character).
    pub letter_head_gap_em: f64,
}

impl GongwenStyle {
    /// Size of a 发文机关标志 `chars` characters long in a block `width`
    /// wide: `mark_size`, or less so that the characters at their full em
    /// (as Word and LibreOffice set them) take at most 98% of the width,
    /// in whole half-points (Word's unit of size).
    pub fn mark_size_for(&self, chars: usize, width: Pt) -> Pt {
        if chars == 0 {
            return self.mark_size;
        }
        let fit = (width.0 * 0.98 / chars as f64 * 2.0).floor() / 2.0;
        Pt(self.mark_size.0.min(fit))
    }
}

/// One level of heading: face, weight, whether it stands alone on its line.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadingStyle {
    /// Typeface.
    pub face: Face,
    /// Bold.
    pub bold: bool,
}

/// The complete page style.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Preset name ("gbt9704").
    pub name: String,
    /// Page width (A4: 210 mm).
    pub page_width: Mm,
    /// Page height (A4: 297 mm).
    pub page_height: Mm,
    /// 天头.
    pub margin_top: Mm,
    /// Bottom margin.
    pub margin_bottom: Mm,
    /// 订口.
    pub margin_left: Mm,
    /// Right margin.
    pub margin_right: Mm,
    /// Body size (三号 16 pt).
    pub body_size: Pt,
    /// Title size (二号 22 pt).
    pub title_size: Pt,
    /// Table body size (四号 14 pt, where a table would not fit at body size).
    pub table_size: Pt,
    /// Lines per full page (22).
    pub lines_per_page: u32,
    /// Characters per full line (28).
    pub chars_per_line: u32,
    /// First-line indent of body paragraphs, in characters (2).
    pub indent_chars: u32,
    /// Headings, levels 1–4.
    pub headings: [HeadingStyle; 4],
    /// Page number.
    pub page_number: PageNumber,
    /// Signature block: the date's right edge sits this many characters in (GB/T 9704 §7.3.5: 右空四字).
    pub date_right_inset_chars: u32,
    /// Blank body lines under the title block (GB/T 9704 §7.3.2: 主送机关 in the line after one blank line).
    pub title_gap_lines: u32,
    /// Room a title line leaves at least on each side, in characters of the
    /// title size: a title longer than the block less this is set in two
    /// balanced lines rather than edge to edge.
    pub title_side_margin_chars: f64,
    /// Blank body lines between the body and 附件说明 (GB/T 9704 §7.3.4: 正文下空一行).
    pub attachment_gap_lines: u32,
    /// Blank body lines between the body (or 附件说明) and the 署名: room for the seal,
    /// whose top must stay within one line of the text (GB/T 9704 §7.3.5.1).
    pub signature_gap_lines: u32,
    /// A collection's (汇编) cover, 目录 and article heads.
    pub collection: CollectionStyle,
    /// 版头, 版记 and the other parts of a 公文.
    pub gongwen: GongwenStyle,
    /// Font family names per face.
    pub fonts: FontNames,
}

/// Family names for the four faces.
#[derive(Debug, Clone, PartialEq)]
pub struct FontNames {
    /// 小标宋.
    pub song: Vec<String>,
    /// 仿宋.
    pub fang: Vec<String>,
    /// 黑体.
    pub hei: Vec<String>,
    /// 楷体.
    pub kai: Vec<String>,
    /// 宋体 (page numbers).
    pub songti: Vec<String>,
}

impl FontNames {
    /// Names for a face, most preferred first.
    pub fn get(&self, face: Face) -> &[String] {
        match face {
            Face::Song => &self.song,
            Face::Fang => &self.fang,
            Face::Hei => &self.hei,
            Face::Kai => &self.kai,
            Face::Songti => &self.songti,
        }
    }
    fn get_mut(&mut self, face: Face) -> &mut Vec<String> {
        match face {
            Face::Song => &mut self.song,
            Face::Fang => &mut self.fang,
            Face::Hei => &mut self.hei,
            Face::Kai => &mut self.kai,
            Face::Songti => &mut self.songti,
        }
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for Style {
    fn default() -> Self {
        Style::gbt9704()
    }
}

impl Style {
    /// The GB/T 9704-2012 preset (§5.2 page, §7 layout).
    pub fn gbt9704() -> Style {
        Style {
            name: "gbt9704".into(),
            page_width: Mm(210.0),
            page_height: Mm(297.0),
            margin_top: Mm(37.0),
            margin_bottom: Mm(35.0),
            margin_left: Mm(28.0),
            margin_right: Mm(26.0),
            body_size: Pt(16.0),
            title_size: Pt(22.0),
            table_size: Pt(14.0),
            lines_per_page: 22,
            chars_per_line: 28,
            indent_chars: 2,
            headings: [
                HeadingStyle { face: Face::Hei, bold: false },
                HeadingStyle { face: Face::Kai, bold: false },
                HeadingStyle { face: Face::Fang, bold: true },
                HeadingStyle { face: Face::Fang, bold: false },
            ],
            page_number: PageNumber { size: Pt(14.0), below_block: Mm(7.0), inset_chars: 1.0, dash: '—' },
            date_right_inset_chars: 4,
            title_gap_lines: 1,
            title_side_margin_chars: 1.0,
            attachment_gap_lines: 1,
            signature_gap_lines: 2,
            collection: CollectionStyle {
                cover_gap_lines: 10,
                toc_wrap_indent_chars: 2,
                toc_number_chars: 3,
                leader_pitch: Pt(5.0),
                leader_dot: Pt(1.0),
            },
            gongwen: GongwenStyle {
                red: Rgb(255, 0, 0),
                mark_size: Pt(42.0),
                mark_top: Mm(35.0),
                doc_no_gap_lines: 2,
                rule_gap: Mm(4.0),
                rule_width: Mm(0.5),
                title_gap_lines: 2,
                signer_inset_chars: 1,
                unsealed_right_chars: 2,
                note_indent_chars: 2,
                imprint_size: Pt(14.0),
                imprint_inset_chars: 1,
                imprint_outer_rule: Mm(0.35),
                imprint_inner_rule: Mm(0.25),
                attachment_title_row: 2,
                letter_mark_top: Mm(30.0),
                letter_rule_length: Mm(170.0),
                letter_rule_thick: Mm(0.6),
                letter_rule_thin: Mm(0.25),
                letter_rule_space: Mm(0.6),
                letter_bottom_rule: Mm(20.0),
                letter_head_gap_em: 7.0 / 8.0,
            },
            // Offices' names first (what Word/WPS on their machines have), then
            // the Windows and open families a reader is likely to have instead.
            fonts: FontNames {
                song: names(&["方正小标宋简体", "方正小标宋_GBK", "华文中宋", "SimSun"]),
                fang: names(&["仿宋_GB2312", "仿宋", "FangSong", "STFangsong"]),
                hei: names(&["黑体", "SimHei", "STHeiti"]),
                kai: names(&["楷体_GB2312", "楷体", "KaiTi", "STKaiti"]),
                songti: names(&["宋体", "SimSun", "STSong"]),
            },
        }
    }

    /// Width of the text block (156 mm in the preset).
    pub fn text_width(&self) -> Mm {
        Mm(self.page_width.0 - self.margin_left.0 - self.margin_right.0)
    }

    /// Height of the text block (225 mm in the preset).
    pub fn text_height(&self) -> Mm {
        Mm(self.page_height.0 - self.margin_top.0 - self.margin_bottom.0)
    }

    /// Baseline-to-baseline distance that fits `lines_per_page` lines in the block (≈ 28.95 pt).
    pub fn line_pitch(&self) -> Pt {
        Pt(self.text_height().pt().0 / f64::from(self.lines_per_page))
    }

    /// Line pitch in twips, rounded down so that the last line still fits the block.
    pub fn line_pitch_twips(&self) -> i64 {
        (self.line_pitch().0 * 20.0).floor() as i64
    }

    /// Advance of one body character that fits `chars_per_line` in the block (≈ 15.8 pt).
    pub fn char_pitch(&self) -> Pt {
        Pt(self.text_width().pt().0 / f64::from(self.chars_per_line))
    }

    /// Extra space after each body character (negative: tighter), in twips,
    /// rounded down so that `chars_per_line` characters never overflow the block.
    pub fn char_spacing_twips(&self) -> i64 {
        ((self.char_pitch().0 - self.body_size.0) * 20.0).floor() as i64
    }

    /// Space after every character that Word and LibreOffice give text of
    /// `size` in the DOCX: body-size text carries `char_spacing_twips` (the
    /// body, heading and 目录 styles), other sizes none. The PDF fills lines
    /// at these widths so that the DOCX breaks them where the PDF does.
    pub fn run_spacing(&self, size: Pt) -> Pt {
        if (size.0 - self.body_size.0).abs() < 1e-9 { Pt(self.char_spacing_twips() as f64 / 20.0) } else { Pt(0.0) }
    }

    /// Run spacing changes, in twips, that set a paragraph a hair looser or
    /// tighter to repair a page break (a widow, an orphan, a heading at the
    /// foot of a page) instead of ending the page early: the smallest change
    /// that puts one full-width character fewer on a line, and the largest
    /// that keeps `chars_per_line` of them (only lines with digits or Latin
    /// then take more). Offices do the same by hand in Word (字符间距 加宽 /
    /// 紧缩), and the DOCX carries the change, so Word breaks the same lines.
    pub fn reflow_spacing_twips(&self) -> [i64; 2] {
        let width = self.text_width().pt().0 * 20.0;
        let size = self.body_size.0 * 20.0;
        let chars = f64::from(self.chars_per_line.max(1));
        let base = self.char_spacing_twips();
        // Looser: `chars` characters no longer fit.
        let looser = (width / chars - size).floor() as i64 + 1;
        // Tighter: `chars + 1` characters still do not fit.
        let tighter = (width / (chars + 1.0) - size).floor() as i64 + 1;
        [looser - base, (tighter - base).min(0)]
    }

    /// The most glyphs a line of body text may hold, in points: half a
    /// character over `chars_per_line`. A paragraph set tighter to repair a
    /// page break may take a digit or two more on a line, never a character
    /// squeezed in (a 文秘 sees a 29-character line at once).
    pub fn max_line_glyphs(&self) -> Pt {
        Pt(self.body_size.0 * (f64::from(self.chars_per_line) + 0.5))
    }

    /// First-line indent of body paragraphs.
    pub fn indent(&self) -> Pt {
        Pt(self.body_size.0 * f64::from(self.indent_chars))
    }

    /// Advance of one full-width body character as actually set: the body
    /// size plus the (negative) spacing of `char_spacing_twips` (15.75 pt).
    /// Indents that must line up under text (附件说明, 署名) count in it.
    pub fn body_advance(&self) -> Pt {
        Pt(self.body_size.0 + self.char_spacing_twips() as f64 / 20.0)
    }

    /// Exact line pitch of title lines, in twips: the body pitch while the
    /// title size fits in it (22 pt in 28.95 pt), else the smallest multiple
    /// of it that does, so a title never pushes the body off the line grid.
    pub fn title_line_pitch_twips(&self) -> i64 {
        let pitch = self.line_pitch_twips().max(1);
        let need = self.title_size.twips();
        pitch * ((need + pitch - 1) / pitch).max(1)
    }

    /// Exact line pitch of table text: 1.25 × `table_size` (17.5 pt for
    /// 14 pt), enough leading for CJK glyphs while keeping rows compact.
    pub fn table_line_pitch(&self) -> Pt {
        Pt(self.table_size.0 * 1.25)
    }

    /// Distance from the top of the page to the top of the page number:
    /// the text block's bottom plus `page_number.below_block` (GB/T 9704 §7.5).
    pub fn page_number_top(&self) -> Mm {
        Mm(self.margin_top.0 + self.text_height().0 + self.page_number.below_block.0)
    }

    /// First-line indent on the character grid: `indent_chars` cells of
    /// `char_pitch`, so an indented line still ends on a whole character
    /// (26 after a two-character indent) and the columns of every line agree.
    pub fn grid_indent(&self) -> Pt {
        Pt(self.char_pitch().0 * f64::from(self.indent_chars))
    }

    /// Padding inside a table cell, (horizontal, vertical): half a character
    /// at the sides and the table line's leading above and below, the same
    /// margins the DOCX writer gives Word.
    pub fn table_cell_padding(&self) -> (Pt, Pt) {
        (Pt(self.table_size.0 / 2.0), Pt((self.table_line_pitch().0 - self.table_size.0).max(0.0)))
    }

    /// Stroke width of table borders: single 0.5 pt rules (Word's `w:sz="4"`).
    pub fn table_rule_width(&self) -> Pt {
        Pt(0.5)
    }

    /// Natural size of an image of `px_width` × `px_height` pixels: 96 pixels
    /// per inch, the resolution Word and browsers assume for untagged images.
    pub fn image_natural_size(&self, px_width: usize, px_height: usize) -> (Pt, Pt) {
        let pt_per_px = 72.0 / 96.0;
        (Pt(px_width as f64 * pt_per_px), Pt(px_height as f64 * pt_per_px))
    }

    /// Apply `wengao.toml [style]` overrides.
    pub fn with_overrides(mut self, o: &StyleOverrides) -> Style {
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = o.$f { self.$f = v; } )* };
        }
        set!(
            page_width,
            page_height,
            margin_top,
            margin_bottom,
            margin_left,
            margin_right,
            body_size,
            title_size,
            table_size,
            lines_per_page,
            chars_per_line,
            indent_chars,
            date_right_inset_chars
        );
        if let Some(fonts) = &o.fonts {
            for face in Face::ALL {
                if let Some(list) = fonts.get(face) {
                    let mut merged = list.clone();
                    for n in self.fonts.get(face) {
                        if !merged.contains(n) {
                            merged.push(n.clone());
                        }
                    }
                    *self.fonts.get_mut(face) = merged;
                }
            }
        }
        self
    }

    /// Check that the numbers describe a page that can be laid out.
    pub fn validate(&self) -> Result<(), String> {
        let positive = [
            ("page_width", self.page_width.0),
            ("page_height", self.page_height.0),
            ("body_size", self.body_size.0),
            ("title_size", self.title_size.0),
            ("table_size", self.table_size.0),
        ];
        for (name, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                return Err(format!("`{name}` must be a positive number, found {v}"));
            }
        }
        for (name, v) in [
            ("margin_top", self.margin_top.0),
            ("margin_bottom", self.margin_bottom.0),
            ("margin_left", self.margin_left.0),
            ("margin_right", self.margin_right.0),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!("`{name}` must be zero or more millimetres, found {v}"));
            }
        }
        if self.text_width().0 < 20.0 || self.text_height().0 < 20.0 {
            return Err("the margins leave less than 20 mm for the text block".into());
        }
        if self.lines_per_page == 0 || self.chars_per_line == 0 {
            return Err("`lines_per_page` and `chars_per_line` must be at least 1".into());
        }
        if self.line_pitch().0 < self.body_size.0 * 0.8 {
            return Err(format!(
                "{} lines of {} pt text do not fit in a {:.0} mm text block",
                self.lines_per_page,
                self.body_size.0,
                self.text_height().0
            ));
        }
        if self.char_pitch().0 < self.body_size.0 * 0.8 {
            return Err(format!(
                "{} characters of {} pt text do not fit in a {:.0} mm line",
                self.chars_per_line,
                self.body_size.0,
                self.text_width().0
            ));
        }
        Ok(())
    }
}

/// `[style]` in wengao.toml: every field optional, unknown fields refused.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StyleOverrides {
    /// Preset to start from; only "gbt9704" exists today.
    pub preset: Option<String>,
    #[allow(missing_docs)]
    pub page_width: Option<Mm>,
    #[allow(missing_docs)]
    pub page_height: Option<Mm>,
    #[allow(missing_docs)]
    pub margin_top: Option<Mm>,
    #[allow(missing_docs)]
    pub margin_bottom: Option<Mm>,
    #[allow(missing_docs)]
    pub margin_left: Option<Mm>,
    #[allow(missing_docs)]
    pub margin_right: Option<Mm>,
    #[allow(missing_docs)]
    pub body_size: Option<Pt>,
    #[allow(missing_docs)]
    pub title_size: Option<Pt>,
    #[allow(missing_docs)]
    pub table_size: Option<Pt>,
    #[allow(missing_docs)]
    pub lines_per_page: Option<u32>,
    #[allow(missing_docs)]
    pub chars_per_line: Option<u32>,
    #[allow(missing_docs)]
    pub indent_chars: Option<u32>,
    #[allow(missing_docs)]
    pub date_right_inset_chars: Option<u32>,
    /// Family names to try before the preset's, per face.
    pub fonts: Option<FontOverrides>,
}

/// `[style.fonts]`: family names per face, put in front of the preset's.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FontOverrides {
    #[allow(missing_docs)]
    pub song: Option<Vec<String>>,
    #[allow(missing_docs)]
    pub fang: Option<Vec<String>>,
    #[allow(missing_docs)]
    pub hei: Option<Vec<String>>,
    #[allow(missing_docs)]
    pub kai: Option<Vec<String>>,
    #[allow(missing_docs)]
    pub songti: Option<Vec<String>>,
}

impl FontOverrides {
    fn get(&self, face: Face) -> Option<&Vec<String>> {
        match face {
            Face::Song => self.song.as_ref(),
            Face::Fang => self.fang.as_ref(),
            Face::Hei => self.hei.as_ref(),
            Face::Kai => self.kai.as_ref(),
            Face::Songti => self.songti.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preset_matches_gbt9704_numbers() {
        let s = Style::gbt9704();
        assert!((s.text_width().0 - 156.0).abs() < 1e-9);
        assert!((s.text_height().0 - 225.0).abs() < 1e-9);
        // 225 mm / 22 lines ≈ 28.99 pt; floored twips give 28.95 pt, still 22 lines.
        assert_eq!(s.line_pitch_twips(), 579);
        assert!((s.char_pitch().0 - 15.79).abs() < 0.01);
        // 28 × (16 − 0.25) pt = 441 pt ≤ 442.2 pt block width.
        assert_eq!(s.char_spacing_twips(), -5);
        assert!(28.0 * (16.0 + s.char_spacing_twips() as f64 / 20.0) <= s.text_width().pt().0);
        assert_eq!(s.margin_top.twips(), 2098);
        assert!(s.validate().is_ok());
        assert!((s.body_advance().0 - 15.75).abs() < 1e-9);
        // 22 pt fits one 28.95 pt line; 30 pt needs two.
        assert_eq!(s.title_line_pitch_twips(), 579);
        let big = Style { title_size: Pt(30.0), ..Style::gbt9704() };
        assert_eq!(big.title_line_pitch_twips(), 1158);
        assert!((s.table_line_pitch().0 - 17.5).abs() < 1e-9);
        assert!((s.page_number_top().0 - 269.0).abs() < 1e-9);
    }

    #[test]
    fn overrides_replace_fields_and_prepend_fonts() {
        let o = StyleOverrides {
            body_size: Some(Pt(15.0)),
            fonts: Some(FontOverrides { fang: Some(vec!["My Fang".into()]), ..Default::default() }),
            ..Default::default()
        };
        let s = Style::gbt9704().with_overrides(&o);
        assert_eq!(s.body_size, Pt(15.0));
        assert_eq!(s.fonts.fang[0], "My Fang");
        assert_eq!(s.fonts.fang[1], "仿宋_GB2312");
    }

    #[test]
    fn impossible_pages_are_refused() {
        let o = StyleOverrides { lines_per_page: Some(60), ..Default::default() };
        assert!(Style::gbt9704().with_overrides(&o).validate().is_err());
        let o = StyleOverrides { margin_left: Some(Mm(150.0)), ..Default::default() };
        assert!(Style::gbt9704().with_overrides(&o).validate().is_err());
    }
}
