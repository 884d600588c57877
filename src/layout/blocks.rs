//! Blocks: the `Document` turned into a flow of elements.
//!
//! Decides what each part of a 公文 looks like — face, size, indent,
//! alignment, blank rows — per GB/T 9704-2012 §7.3 and the `Style`, shapes
//! and breaks its lines (`shape`, `linebreak`), and hands the flow to
//! `paginate`. It places nothing on a page.
//!
//! Order: 标题 and subtitle, a blank row, 主送机关, the body blocks, 附件说明
//! after a blank row, then 署名 and 成文日期 after `signature_gap_lines`.

use std::path::Path;

use crate::diag::Diags;
use crate::doc::{Article, Block, Document, Inline, Meta, TOC_HEADING, Table, inline_text};
use crate::style::{Face, Style};

use super::image::load_image;
use super::linebreak::{Align, Frame, LineSpan, Paragraph, SetGlyph, SetLine};
use super::paginate::{Element, ImageElement, Role, TextElement};
use super::shape::{Piece, Shaper};
use super::table::build_table;

/// Inline content as pieces in `face`: italic runs in 楷体 (Chinese type
/// has no italic; 公文 sets emphasis in 楷体), bold runs bold.
pub(crate) fn pieces(content: &[Inline], face: Face, bold: bool) -> Vec<Piece<'_>> {
    content
        .iter()
        .map(|i| match i {
            Inline::Text { text, style } => {
                Piece::Text { text, face: if style.italic { Face::Kai } else { face }, bold: bold || style.bold }
            }
            Inline::LineBreak => Piece::Break,
        })
        .collect()
}

/// Grid rows one title line takes: the title pitch in whole body rows.
pub(crate) fn title_rows(style: &Style) -> u32 {
    let rows = style.title_line_pitch_twips() / style.line_pitch_twips().max(1);
    u32::try_from(rows.max(1)).unwrap_or(1)
}

/// Builds the flow of one document.
pub(crate) struct Builder<'a, 'm> {
    shaper: &'a mut Shaper<'m>,
    style: &'m Style,
    root: &'a Path,
    /// Text block width and height, points.
    width: f64,
    height: f64,
    /// The flow so far.
    pub elements: Vec<Element>,
    /// Errors and warnings (images, tables).
    pub diags: Diags,
    /// Per article of a collection, the element holding its title (None
    /// for an article without a title line).
    articles: Vec<Option<usize>>,
    /// Inside a collection's article: headings are one outline level deeper.
    in_article: bool,
    /// The (block, list item) being laid out, for `TextElement::source`.
    source: Option<(usize, usize)>,
    /// Title lines and table header cells the layout set in balanced lines:
    /// the text and the character offsets of its breaks
    /// (`WordHints::balanced_breaks`).
    balanced_breaks: Vec<(String, Vec<usize>)>,
}

/// The flow of one document.
pub(crate) struct Flow {
    /// The elements, in reading order.
    pub elements: Vec<Element>,
    /// Errors and warnings (images, tables).
    pub diags: Diags,
    /// Per article of a collection, the element holding its title.
    pub articles: Vec<Option<usize>>,
    /// Titles and table header cells set in balanced lines, with the
    /// character offsets of the breaks.
    pub balanced_breaks: Vec<(String, Vec<usize>)>,
    /// The 版头 of a 公文 (its rows are reserved at the top of the flow).
    pub head: Option<super::gongwen::Head>,
    /// The 版记 of a 公文.
    pub imprint: Option<super::gongwen::Imprint>,
}

impl<'a, 'm> Builder<'a, 'm> {
    /// A builder for a document whose images live under `root`.
    pub fn new(shaper: &'a mut Shaper<'m>, root: &'a Path) -> Self {
        let style = shaper.style();
        Builder {
            style,
            root,
            width: style.text_width().pt().0,
            height: style.text_height().pt().0,
            shaper,
            elements: Vec::new(),
            diags: Diags::new(),
            articles: Vec::new(),
            in_article: false,
            source: None,
            balanced_breaks: Vec::new(),
        }
    }

    /// The whole document, front to back. `toc` is the page number (1-based)
    /// printed in the 目录 for each article of a collection; `document`
    /// finds the real ones by laying out until they agree.
    pub fn build(mut self, doc: &Document, toc: &[usize]) -> Flow {
        let mut head = None;
        if doc.meta.toc {
            self.cover(&doc.meta);
            self.contents(doc, toc);
        } else {
            if doc.meta.is_gongwen() {
                let h = super::gongwen::head(self.shaper, &doc.meta);
                // The rows the 版头 covers, kept together, drawn by `draw`.
                self.push_text(
                    Role::Subtitle,
                    Face::Fang,
                    self.style.body_size.0,
                    vec![SetLine::default(); h.rows as usize],
                );
                head = Some(h);
            }
            self.front(&doc.meta);
        }
        self.recipient(&doc.meta);
        let attachments = doc.attachment_count();
        let mut attachment = 0;
        for (i, b) in doc.blocks.iter().enumerate() {
            self.source = Some((i, 0));
            if let Block::Attachment { title } = b {
                if attachment == 0 {
                    self.source = None;
                    self.end_of_text(&doc.meta);
                    self.source = Some((i, 0));
                }
                self.attachment_page(&Document::attachment_label(attachment, attachments), title);
                attachment += 1;
                continue;
            }
            self.block(b);
        }
        self.source = None;
        if attachment == 0 {
            self.end_of_text(&doc.meta);
        }
        let imprint = super::gongwen::imprint(self.shaper, &doc.meta);
        Flow {
            elements: self.elements,
            diags: self.diags,
            articles: self.articles,
            balanced_breaks: self.balanced_breaks,
            head,
            imprint,
        }
    }

    /// What ends the main text: 附件说明, then 署名, 成文日期 and 附注.
    fn end_of_text(&mut self, meta: &Meta) {
        self.attachments(meta);
        self.attendance(meta);
        if !meta.toc {
            self.closing(meta);
        }
    }

    /// A 纪要's 出席 / 请假 / 列席 (GB/T 9704 §10.3): one blank row under the
    /// text, each list two characters in, its label in 黑体 with a colon, the
    /// names in 仿宋, continuation lines under the first name.
    fn attendance(&mut self, meta: &Meta) {
        let lists = meta.attendance();
        if lists.is_empty() {
            return;
        }
        let size = self.style.body_size.0;
        let indent = self.style.grid_indent().0;
        self.elements.push(Element::Gap(self.style.attachment_gap_lines));
        for (label, names) in &lists {
            let label = format!("{label}：");
            let names_x = indent + self.measure(&label, Face::Hei, size);
            let pieces = [
                Piece::Text { text: &label, face: Face::Hei, bold: false },
                Piece::Text { text: names, face: Face::Fang, bold: false },
            ];
            self.body(&pieces, Face::Fang, indent, names_x, Role::Attachment);
        }
    }

    /// The first page of an attachment (GB/T 9704 §8): a new page, the label
    /// ("附件", "附件2") flush left in 黑体 on the first row, the title
    /// centred on row `attachment_title_row`, a blank row, then its text.
    fn attachment_page(&mut self, label: &str, title: &str) {
        let size = self.style.body_size.0;
        self.elements.push(Element::PageBreak);
        let line = self.loose_lines_in(label, Face::Hei, size);
        let heading = if title.is_empty() { label.to_string() } else { format!("{label}　{title}") };
        self.push_text(Role::Heading { level: 1, title: heading }, Face::Hei, size, line);
        if !title.is_empty() {
            let gap = self.style.gongwen.attachment_title_row.saturating_sub(1);
            if gap > 0 {
                self.elements.push(Element::Gap(gap));
            }
            self.centred_lines(Role::Title, Face::Song, self.style.title_size.0, &[title.to_string()]);
        }
        self.elements.push(Element::Gap(self.style.title_gap_lines));
    }

    fn frame(&self, size: f64, first_indent: f64, rest_indent: f64, align: Align) -> Frame {
        let spacing = self.style.run_spacing(crate::style::Pt(size)).0;
        Frame { width: self.width, first_indent, rest_indent, align, cell: self.shaper.cell(size), spacing }
    }

    fn paragraph(&mut self, pieces: &[Piece<'_>], size: f64, frame: Frame) -> Paragraph {
        let chunks = self.shaper.shape(pieces, size);
        Paragraph::new(chunks, frame)
    }

    /// Natural width of a one-line string.
    fn measure(&mut self, text: &str, face: Face, size: f64) -> f64 {
        self.shaper.shape_str(text, face, false, size).iter().flatten().map(|a| a.width).sum()
    }

    fn push_text(&mut self, role: Role, face: Face, size: f64, lines: Vec<SetLine>) {
        self.push_paragraph(role, face, size, lines, None);
    }

    fn push_paragraph(
        &mut self,
        role: Role,
        face: Face,
        size: f64,
        lines: Vec<SetLine>,
        reflow: Option<Box<super::paginate::Reflow>>,
    ) {
        if lines.is_empty() {
            return;
        }
        let rows_per_line = if matches!(role, Role::Title | Role::Article { .. }) { title_rows(self.style) } else { 1 };
        self.elements.push(Element::Text(TextElement {
            role,
            rows_per_line,
            size,
            face,
            lines,
            reflow,
            extra_spacing: 0,
            source: self.source,
        }));
    }

    /// A justified paragraph of running text, which pagination may set
    /// again a hair looser or tighter.
    fn body(&mut self, pieces: &[Piece<'_>], face: Face, first_indent: f64, rest_indent: f64, role: Role) {
        let size = self.style.body_size.0;
        let frame = self.frame(size, first_indent, rest_indent, Align::Justify);
        let para = self.paragraph(pieces, size, frame);
        let lines = para.set(&para.lines());
        let reflow = matches!(role, Role::Body | Role::Attachment).then(|| {
            Box::new(super::paginate::Reflow {
                paragraph: para,
                spacings: self.style.reflow_spacing_twips(),
                max_line_glyphs: self.style.max_line_glyphs().0,
            })
        });
        self.push_paragraph(role, face, size, lines, reflow);
    }

    /// Lines the author gave (title, subtitle), each centred and, when too
    /// long for the block, broken into balanced lines.
    fn centred_lines(&mut self, role: Role, face: Face, size: f64, lines: &[String]) {
        let mut set = Vec::new();
        for line in lines {
            let frame = self.frame(size, 0.0, 0.0, Align::Center);
            let para = self.paragraph(&[Piece::Text { text: line, face, bold: false }], size, frame);
            let is_title = matches!(role, Role::Title | Role::Article { .. } | Role::TableCaption);
            let margin = if is_title { self.style.title_side_margin_chars * size } else { 0.0 };
            let spans = para.balanced(margin);
            if spans.len() > 1 && is_title {
                // One atom a character: a span's start is a character offset.
                self.balanced_breaks.push((line.clone(), spans[1..].iter().map(|s| s.start).collect()));
            }
            set.extend(para.set(&spans));
        }
        self.push_text(role, face, size, set);
    }

    /// 标题 (GB/T 9704 §7.3.1), subtitle lines, a blank row.
    fn front(&mut self, meta: &Meta) {
        self.centred_lines(Role::Title, Face::Song, self.style.title_size.0, &meta.title);
        self.centred_lines(Role::Subtitle, Face::Kai, self.style.body_size.0, &meta.subtitle);

        if !self.elements.is_empty() {
            self.elements.push(Element::Gap(self.style.title_gap_lines));
        }
    }

    /// A collection's cover: the title at the top of the block, then after
    /// `cover_gap_lines` the compiling unit (subtitle), any signature lines
    /// and the date, centred; the 目录 starts the next page.
    fn cover(&mut self, meta: &Meta) {
        let (title, body) = (self.style.title_size.0, self.style.body_size.0);
        self.centred_lines(Role::Title, Face::Song, title, &meta.title);
        self.elements.push(Element::Gap(self.style.collection.cover_gap_lines));
        self.centred_lines(Role::Subtitle, Face::Kai, body, &meta.subtitle);
        self.centred_lines(Role::Subtitle, Face::Kai, body, &meta.signature);
        if let Some(d) = meta.date {
            self.centred_lines(Role::Subtitle, Face::Kai, body, &[d.to_chinese()]);
        }
        self.elements.push(Element::PageBreak);
    }

    /// The 目录: its heading like a title, then one entry per article with
    /// the page `toc` gives it; what follows starts a new page.
    fn contents(&mut self, doc: &Document, toc: &[usize]) {
        self.centred_lines(Role::Title, Face::Song, self.style.title_size.0, &[TOC_HEADING.to_string()]);
        self.elements.push(Element::Gap(self.style.title_gap_lines));
        for (i, a) in doc.articles().enumerate() {
            self.contents_entry(&a.toc_title(), toc.get(i).copied().unwrap_or(0));
        }
        self.elements.push(Element::PageBreak);
    }

    /// One 目录 entry: the title set flush left in the block less the
    /// page-number column (continuation lines indented), the page number
    /// right-aligned on the block's right edge on the last line, and a dot
    /// leader between them, clear of both by one leader pitch.
    fn contents_entry(&mut self, title: &str, page: usize) {
        let c = &self.style.collection;
        let size = self.style.body_size.0;
        let cell = self.shaper.cell(size);
        let number_column = f64::from(c.toc_number_chars) * cell;
        let clear = c.leader_pitch.0;
        let frame = Frame {
            width: (self.width - number_column).max(cell),
            first_indent: 0.0,
            rest_indent: f64::from(c.toc_wrap_indent_chars) * cell,
            align: Align::Left,
            cell,
            spacing: self.style.run_spacing(crate::style::Pt(size)).0,
        };
        let para = self.paragraph(&[Piece::Text { text: title, face: Face::Fang, bold: false }], size, frame);
        let mut lines = para.set(&para.lines());
        if lines.is_empty() {
            lines.push(SetLine::default());
        }
        let atoms: Vec<_> =
            self.shaper.shape_str(&page.to_string(), Face::Fang, false, size).into_iter().flatten().collect();
        let number_width: f64 = atoms.iter().map(|a| a.width).sum();
        if let Some(last) = lines.last_mut() {
            let text_end = last.extent().map_or(0.0, |(_, x1)| x1);
            let mut x = self.width - number_width;
            let (from, to) = (text_end + clear, x - clear);
            last.leader = (to > from).then_some((from, to));
            for atom in atoms {
                last.glyphs.push(SetGlyph { x, atom });
                x += atom.width;
            }
        }
        self.push_text(Role::Contents, Face::Fang, size, lines);
    }

    /// 主送机关 (GB/T 9704 §7.3.2), flush left under the title block.
    fn recipient(&mut self, meta: &Meta) {
        if let Some(recipient) = meta.recipient_line() {
            self.body(
                &[Piece::Text { text: &recipient, face: Face::Fang, bold: false }],
                Face::Fang,
                0.0,
                0.0,
                Role::Body,
            );
        }
    }

    fn block(&mut self, block: &Block) {
        let indent = self.style.grid_indent().0;
        match block {
            Block::Heading { level, number, content } => {
                let level = (*level).clamp(1, 4);
                let h = &self.style.headings[usize::from(level - 1)];
                let (face, bold) = (h.face, h.bold);
                let mut ps = Vec::with_capacity(content.len() + 1);
                if let Some(n) = number {
                    ps.push(Piece::Text { text: n, face, bold });
                }
                ps.extend(pieces(content, face, bold));
                let title = format!("{}{}", number.as_deref().unwrap_or(""), inline_text(content).replace('\n', ""));
                // GB/T 9704 §7.3.3: headings start two characters in, like paragraphs.
                let level = level + u8::from(self.in_article);
                self.body(&ps, face, indent, 0.0, Role::Heading { level, title });
            }
            Block::Paragraph(content) => {
                self.body(&pieces(content, Face::Fang, false), Face::Fang, indent, 0.0, Role::Body);
            }
            Block::List { ordered, start, items } => {
                for (i, item) in items.iter().enumerate() {
                    self.source = self.source.map(|(b, _)| (b, i));
                    let marker = Block::list_marker(*ordered, *start, i);
                    let mut ps = vec![Piece::Text { text: &marker, face: Face::Fang, bold: false }];
                    ps.extend(pieces(item, Face::Fang, false));
                    self.body(&ps, Face::Fang, indent, 0.0, Role::Body);
                }
            }
            Block::Table(t) => self.table(t),
            Block::Image { src, caption, alt } => match load_image(self.root, src, self.style, self.width) {
                Ok(img) => {
                    self.elements.push(Element::Image(ImageElement { alt: alt.clone(), ..img }));
                    if let Some(c) = caption {
                        let lines = std::slice::from_ref(c);
                        self.centred_lines(Role::Caption, Face::Fang, self.style.body_size.0, lines);
                    }
                }
                Err(d) => self.diags.push(d),
            },
            Block::PageBreak => self.elements.push(Element::PageBreak),
            Block::Article(a) => self.article(a),
            // `build` lays out attachment pages itself.
            Block::Attachment { .. } => {}
        }
    }

    /// A collection's article: a new page, the title (like the document's),
    /// the author lines centred in 楷体, a blank row.
    fn article(&mut self, a: &Article) {
        self.elements.push(Element::PageBreak);
        let at = self.elements.len();
        let title = a.toc_title();
        self.centred_lines(Role::Article { title }, Face::Song, self.style.title_size.0, &a.title);
        self.articles.push((self.elements.len() > at).then_some(at));
        self.centred_lines(Role::Subtitle, Face::Kai, self.style.body_size.0, &a.authors);
        self.elements.push(Element::Gap(self.style.title_gap_lines));
        self.in_article = true;
    }

    fn table(&mut self, t: &Table) {
        // 表题 centred in 黑体, then the unit flush right in the table's size,
        // both kept with the table's first rows.
        if let Some(caption) = &t.caption {
            self.centred_lines(Role::TableCaption, Face::Hei, self.style.body_size.0, std::slice::from_ref(caption));
        }
        if let Some(unit) = &t.unit {
            let size = self.style.table_size.0;
            let frame = self.frame(size, 0.0, 0.0, Align::Right);
            let para = self.paragraph(&[Piece::Text { text: unit, face: Face::Fang, bold: false }], size, frame);
            let lines = para.set(&para.lines());
            self.push_text(Role::TableCaption, Face::Fang, size, lines);
        }
        let (table, diags) = build_table(self.shaper, t, self.width, self.height, &mut self.balanced_breaks);
        self.diags.extend(diags);
        if let Some(table) = table {
            self.elements.push(Element::Table(table));
        }
    }

    /// 附件说明 (GB/T 9704 §7.3.4): one blank row under the body, "附件："
    /// two characters in; every further line (a wrapped name, or items 2,
    /// 3 …) starts under the first attachment's name, the item numbers
    /// hanging before it.
    fn attachments(&mut self, meta: &Meta) {
        let lines = meta.attachment_lines();
        if lines.is_empty() {
            return;
        }
        let size = self.style.body_size.0;
        let indent = self.style.grid_indent().0;
        self.elements.push(Element::Gap(self.style.attachment_gap_lines));
        let prefix = |i: usize| -> &str {
            let (line, name) = (&lines[i], meta.attachments.get(i).map_or("", String::as_str));
            line.strip_suffix(name).unwrap_or("")
        };
        let name_x = indent + self.measure(prefix(0), Face::Fang, size);
        for (i, line) in lines.iter().enumerate() {
            let first = if i == 0 { indent } else { name_x - self.measure(prefix(i), Face::Fang, size) };
            self.body(
                &[Piece::Text { text: line, face: Face::Fang, bold: false }],
                Face::Fang,
                first,
                name_x,
                Role::Attachment,
            );
        }
    }

    /// Lines of `text` set flush left from x = 0 (wrapped if too long).
    fn loose_lines(&mut self, text: &str, size: f64) -> Vec<SetLine> {
        self.loose_lines_in(text, Face::Fang, size)
    }

    /// Lines of `text` in `face` set flush left from x = 0 (wrapped if too long).
    fn loose_lines_in(&mut self, text: &str, face: Face, size: f64) -> Vec<SetLine> {
        let frame = self.frame(size, 0.0, 0.0, Align::Left);
        let para = self.paragraph(&[Piece::Text { text, face, bold: false }], size, frame);
        let spans: Vec<LineSpan> = para.lines();
        para.set(&spans)
    }

    /// 署名 and 成文日期 (GB/T 9704 §7.3.5.1): `signature_gap_lines` blank
    /// rows, each signature line centred over the date, the date's right end
    /// `date_right_inset_chars` characters in from the right edge. The same
    /// number of blank rows is kept under the date: the seal pressing on
    /// signature and date reaches below the date, so the block never sits
    /// on the last rows of a page.
    fn closing(&mut self, meta: &Meta) {
        let date = meta.closing_date().map(|d| d.to_chinese());
        let signature = meta.signature_lines();
        let note = meta.note_line();
        if signature.is_empty() && date.is_none() && note.is_none() {
            return;
        }
        let size = self.style.body_size.0;
        let cell = self.style.char_pitch().0;
        let gap = self.style.signature_gap_lines as usize;
        let mut date_lines = date.map(|d| self.loose_lines(&d, size)).unwrap_or_default();
        let date_width = date_lines.iter().filter_map(SetLine::extent).map(|(a, b)| b - a).fold(0.0, f64::max);
        let mut lines;
        if meta.sealed() {
            let right = self.width - cell * f64::from(self.style.date_right_inset_chars);
            lines = vec![SetLine::default(); gap];
            let centre = right - date_width / 2.0;
            for sig in &signature {
                for mut l in self.loose_lines(sig, size) {
                    if let Some((x0, x1)) = l.extent() {
                        let w = x1 - x0;
                        let want = if date_lines.is_empty() { right - w } else { centre - w / 2.0 };
                        l.shift(want.clamp(0.0, (self.width - w).max(0.0)) - x0);
                    }
                    lines.push(l);
                }
            }
            for l in &mut date_lines {
                if let Some((x0, x1)) = l.extent() {
                    l.shift((right - (x1 - x0)).max(0.0) - x0);
                }
            }
        } else {
            // GB/T 9704 §7.3.5.2: one blank row, the 署名 `unsealed_right_chars`
            // in from the right, the date under it starting that many
            // characters further right; a date that would then reach closer to
            // the edge moves both left.
            let g = &self.style.gongwen;
            let right = self.width - cell * f64::from(g.unsealed_right_chars);
            let shift = cell * f64::from(g.unsealed_right_chars);
            let mut sig_lines: Vec<SetLine> = signature.iter().flat_map(|s| self.loose_lines(s, size)).collect();
            let sig_width = sig_lines.iter().filter_map(SetLine::extent).map(|(a, b)| b - a).fold(0.0, f64::max);
            let mut sig_x = right - sig_width;
            if !date_lines.is_empty() && sig_x + shift + date_width > right {
                sig_x = right - shift - date_width;
            }
            let sig_x = sig_x.max(0.0);
            for l in &mut sig_lines {
                if let Some((x0, _)) = l.extent() {
                    l.shift(sig_x - x0);
                }
            }
            let date_x = if sig_lines.is_empty() { right - date_width } else { sig_x + shift };
            for l in &mut date_lines {
                if let Some((x0, _)) = l.extent() {
                    l.shift(date_x.max(0.0) - x0);
                }
            }
            lines = vec![SetLine::default(); 1];
            lines.extend(sig_lines);
        }
        lines.extend(date_lines);
        if let Some(note) = note {
            let indent = cell * f64::from(self.style.gongwen.note_indent_chars);
            for mut l in self.loose_lines(&note, size) {
                l.shift(indent);
                lines.push(l);
            }
        }
        if meta.sealed() {
            lines.extend(std::iter::repeat_n(SetLine::default(), gap));
        }
        self.push_text(Role::Closing, Face::Fang, size, lines);
    }
}
