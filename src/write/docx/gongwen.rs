//! The 公文's own parts in the DOCX (GB/T 9704-2012 §7.2, §7.3.5.2, §7.4,
//! §8): the 版头, 署名 without a seal, 附注, 附件 pages and the 版记.
//!
//! The PDF places the 版头 at fixed distances (`layout::gongwen`); here the
//! same distances become paragraph spacing: the first rows hold 份号, 密级 and
//! 紧急程度 on the line grid, the mark's exact line starts `mark_top` under
//! the block top, the 发文字号 follows two body rows under the mark and
//! carries the red separator as its bottom border, and the title starts on
//! the grid row the PDF gives it (`WordHints::head_rows`). The 版记 is a
//! table anchored to the bottom of the text block (a floating table), so it
//! stands at the foot of the last page whatever the reader's line breaks;
//! where the PDF gave it a page of its own, it is in a section of its own
//! that starts on an even page and whose footers are empty.

use super::model::{Border, Fonts, FramePr, Jc, Para, Run, RunItem, RunProps, TabStop};
use super::{BODY, Builder, Last, TITLE, exact, fonts_for, indent};
use crate::doc::{Document, Format, Meta};
use crate::style::{Face, Pt};

/// Twips from points.
fn twips(pt: f64) -> i32 {
    (pt * 20.0).round() as i32
}

/// How far (in ems) LibreOffice sets the glyphs of a line above its top
/// when the exact line height equals the size, with the faces of
/// `../shared/tools/lo-fonts.conf` (see `EM_ABOVE_EXACT_LINE`).
const MARK_EM_ABOVE_LINE: f64 = super::EM_ABOVE_EXACT_LINE;

impl<'a> Builder<'a> {
    fn red_run(&self, text: &str, face: Face, size: Pt) -> Run<'a> {
        let fonts: Fonts<'a> = fonts_for(self.style, face);
        Run::text(text).props(RunProps {
            fonts: Some(fonts),
            colour: Some(self.style.gongwen.red.hex()),
            size: Some(size.half_points()),
            spacing: Some(0),
            ..RunProps::default()
        })
    }

    /// A flush-left body line.
    fn flush_left(&mut self, text: &str) -> Para<'a> {
        let mut p = self.para(BODY).text(text);
        p.props.indent = indent(0, 0, 0);
        p.props.jc = Some(Jc::Left);
        p
    }

    /// The 版头 of a 文件格式 or 纪要格式 document; sets the space before the title.
    pub(super) fn head(&mut self, meta: &Meta) {
        if meta.format() == Format::Letter {
            self.letter_head(meta);
            return;
        }
        let g = &self.style.gongwen;
        let pitch = self.m.pitch;
        let width = self.style.text_width().pt();
        // 份号, 密级, 紧急程度, one grid row each (an empty first row without
        // them: a reader may drop space before the document's first paragraph).
        let corner: Vec<String> =
            [&meta.copy_no, &meta.secrecy, &meta.urgency].into_iter().flatten().cloned().collect();
        // A 简报's 报头 opens the block itself.
        let brief = meta.format() == Format::Brief;
        let rows = if brief { 0 } else { corner.len().max(1) as i32 };
        if corner.is_empty() && !brief {
            let p = self.flush_left("");
            self.push(p);
        }
        for c in &corner {
            let p = self.flush_left(c);
            self.push(p);
        }
        // The mark: its glyphs' top `mark_top` under the block top.
        let joint = meta.joint_mark();
        let mark_text = if joint { meta.issuer.concat() + "文件" } else { meta.mark().unwrap_or_default() };
        let longest = if joint {
            meta.issuer.iter().map(|n| n.chars().count()).max().unwrap_or(0) + 2
        } else {
            mark_text.chars().count()
        };
        let size = g.mark_size_for(longest, width);
        let size_tw = twips(size.0);
        let above = twips(size.0 * MARK_EM_ABOVE_LINE);
        let mark_top = if brief { 0 } else { twips(g.mark_top.pt().0) };
        let mark_before = mark_top + above - rows * pitch;
        let mut y = rows * pitch;
        let mut doc_no_lift = 0;
        if joint {
            // 联合行文: the agencies stacked in the left cell of a borderless
            // table, 文件 centred beside them in the right one, as the PDF
            // sets them; an exact spacer puts the first name's glyphs
            // `mark_top` under the block top (a line 1.2 ems tall sets them
            // at its top in LibreOffice).
            let spacer = (mark_top - rows * pitch).max(20);
            let mut p = self.para(BODY);
            p.props.line = exact(spacer);
            // Off the line grid, which LibreOffice would round the height to.
            p.props.snap_to_grid = Some(false);
            self.push(p);
            self.flush();
            let line = twips(size.0 * 1.2);
            let em = twips(size.0);
            // Half an em of slack: a column exactly as wide as the longest
            // name wraps its last character in LibreOffice.
            let names_w = em * meta.issuer.iter().map(|n| n.chars().count()).max().unwrap_or(0) as i32 + em / 2;
            let suffix_w = em * 2;
            let names: Vec<Para<'a>> = meta
                .issuer
                .iter()
                .map(|name| {
                    let mut p = Para::styled(TITLE).run(self.red_run(name, Face::Song, size));
                    p.props.line = exact(line);
                    p.props.jc = Some(Jc::Left);
                    p.props.indent = indent(0, 0, 0);
                    p
                })
                .collect();
            let mut suffix = Para::styled(TITLE).run(self.red_run("文件", Face::Song, size));
            suffix.props.line = exact(line);
            suffix.props.jc = Some(Jc::Left);
            suffix.props.indent = indent(0, 0, 0);
            let x = self.body.xml();
            x.open("w:tbl", &[]);
            x.open("w:tblPr", &[]);
            x.empty("w:tblW", &[("w:w", &(names_w + suffix_w).to_string()), ("w:type", "dxa")]);
            x.val("w:jc", "center");
            x.open("w:tblBorders", &[]);
            for side in ["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"] {
                x.empty(side, &[("w:val", "nil")]);
            }
            x.close("w:tblBorders");
            x.empty("w:tblLayout", &[("w:type", "fixed")]);
            x.open("w:tblCellMar", &[]);
            for side in ["w:top", "w:left", "w:bottom", "w:right"] {
                x.empty(side, &[("w:w", "0"), ("w:type", "dxa")]);
            }
            x.close("w:tblCellMar");
            x.close("w:tblPr");
            x.open("w:tblGrid", &[]);
            for w in [names_w, suffix_w] {
                x.empty("w:gridCol", &[("w:w", &w.to_string())]);
            }
            x.close("w:tblGrid");
            x.open("w:tr", &[]);
            for (w, paras) in [(names_w, &names[..]), (suffix_w, std::slice::from_ref(&suffix))] {
                x.open("w:tc", &[]);
                x.open("w:tcPr", &[]);
                x.empty("w:tcW", &[("w:w", &w.to_string()), ("w:type", "dxa")]);
                x.val("w:vAlign", "center");
                x.close("w:tcPr");
                for p in paras {
                    p.write(x);
                }
                x.close("w:tc");
            }
            x.close("w:tr");
            x.close("w:tbl");
            self.last = Last::Table;
            // The PDF's mark ends at the last name's em box, 0.2 em above the line's foot.
            doc_no_lift = twips(size.0 * 0.2);
            y += spacer + meta.issuer.len() as i32 * line;
        } else {
            let mut p = self.para(TITLE).run(self.red_run(&mark_text, Face::Song, size));
            p.props.line = exact(size_tw);
            p.props.before = mark_before.max(0);
            p.props.jc = Some(Jc::Center);
            self.push(p);
            y += mark_before.max(0) + size_tw - above;
        }
        // 发文字号 (with 签发人) `doc_no_gap_lines` rows under the mark's em box,
        // the red separator as its bottom border.
        let before = g.doc_no_gap_lines as i32 * pitch - doc_no_lift;
        let rule = Border {
            val: "single",
            size: (g.rule_width.pt().0 * 8.0).round().clamp(2.0, 96.0) as u32,
            // The PDF's rule is `rule_gap` under the em box, which sits
            // centred in the row; the border is measured from the row's foot.
            space: (g.rule_gap.pt().0 - (self.style.line_pitch().0 - self.style.body_size.0) / 2.0).round().max(0.0)
                as u32,
            colour: g.red.hex(),
        };
        let doc_no = meta.doc_no.clone().unwrap_or_default();
        let inset = twips(self.style.char_pitch().0 * f64::from(g.signer_inset_chars));
        let mut lines: Vec<Para<'a>> = Vec::new();
        if meta.format() == Format::Document && !meta.signers.is_empty() {
            let n = meta.signers.len();
            for (i, name) in meta.signers.iter().enumerate() {
                // One character in by an ideographic space, not an indent: the
                // paragraph's border (the red rule) spans its indents.
                let mut p = self.para(BODY);
                if i + 1 == n {
                    p = p.text(&format!("\u{3000}{doc_no}"));
                }
                p = p.run(Run::of(RunItem::Tab));
                if i == 0 {
                    p = p.text("签发人：");
                }
                p = p.run(
                    Run::text(name)
                        .props(RunProps { fonts: Some(fonts_for(self.style, Face::Kai)), ..RunProps::default() }),
                );
                p.props.indent = indent(0, 0, 0);
                p.props.jc = Some(Jc::Left);
                p.props.tab = Some(TabStop { pos: self.m.text_width - inset, dots: false });
                lines.push(p);
            }
        } else if meta.format() == Format::Document
            || (matches!(meta.format(), Format::Minutes | Format::Brief) && !doc_no.is_empty())
        {
            let mut p = self.para(BODY).text(&doc_no);
            p.props.indent = indent(0, 0, 0);
            p.props.jc = Some(Jc::Center);
            lines.push(p);
        } else if brief {
        } else {
            // 纪要: the rule right under the mark.
            let mut p = self.para(BODY);
            p.props.indent = indent(0, 0, 0);
            p.props.line = exact(twips(1.0));
            lines.push(p);
        }
        // 简报: 编印单位 flush left, the date at a right tab on the block's edge.
        if let Some((unit, date)) = meta.brief_line() {
            let mut p = self.flush_left(&unit);
            p = p.run(Run::of(RunItem::Tab)).text(&date);
            p.props.tab = Some(TabStop { pos: self.m.text_width, dots: false });
            p.props.line = exact(pitch);
            lines.push(p);
        }
        let count = lines.len() as i32;
        let last = lines.len().saturating_sub(1);
        let numbered =
            meta.format() == Format::Document || brief || (meta.format() == Format::Minutes && !doc_no.is_empty());
        for (i, mut p) in lines.into_iter().enumerate() {
            if i == 0 && numbered {
                p.props.line = exact(pitch);
                p.props.before = before;
            }
            if i == last {
                p.props.border_bottom = Some(rule.clone());
            }
            self.push(p);
        }
        y += if numbered { before + count * pitch } else { twips(1.0) };
        y += twips(f64::from(rule.space)) + twips(f64::from(rule.size) / 8.0);
        let title_row = self.hints.head_rows.unwrap_or(0) as i32 * pitch;
        self.title_before = (title_row - y).max(0);
    }

    /// The 版头 of a 信函格式 document (§10.1), as the PDF sets it: the mark
    /// in a frame `letter_rule_length` wide, centred on the page, its glyphs'
    /// top `letter_mark_top` under the page's edge, with the upper red double
    /// rule (thick over thin) as its bottom border; the lower one (thin over
    /// thick) the top border of an empty frame `letter_bottom_rule` above the
    /// page's bottom edge; 份号 … flush left and the 发文字号 at a right tab
    /// on the first line, 7/8 of a body character under the rule. Page 1 has
    /// an empty footer (`Builder::finish`).
    fn letter_head(&mut self, meta: &Meta) {
        let g = &self.style.gongwen;
        let width = self.style.text_width().pt();
        let mark = meta.mark().unwrap_or_default();
        let size = g.mark_size_for(mark.chars().count(), width);
        let above = size.0 * MARK_EM_ABOVE_LINE;
        let frame_width = g.letter_rule_length.twips() as i32;
        let (thick, thin, space) = (g.letter_rule_thick.pt().0, g.letter_rule_thin.pt().0, g.letter_rule_space.pt().0);
        let mut p = self.para(TITLE).run(self.red_run(&mark, Face::Song, size));
        p.props.line = exact(twips(size.0));
        p.props.jc = Some(Jc::Center);
        p.props.frame = Some(FramePr { width: frame_width, y: twips(g.letter_mark_top.pt().0 + above) });
        p.props.indent = indent(0, 0, 0);
        self.push(p);
        // Each line of the double rules: the top border of an empty frame of
        // its own, at the PDF's height (a Word double border is drawn with
        // LibreOffice's own widths and gap).
        let upper = g.letter_mark_top.pt().0 + size.0 + g.rule_gap.pt().0;
        let lower = self.style.page_height.pt().0 - g.letter_bottom_rule.pt().0 - (thick + thin + space) / 2.0;
        for (y, width) in [(upper, thick), (upper + thick + space, thin), (lower, thin), (lower + thin + space, thick)]
        {
            let mut p = self.para(BODY);
            p.props.line = exact(20);
            p.props.frame = Some(FramePr { width: frame_width, y: twips(y) });
            p.props.border_top = Some(Border {
                val: "single",
                size: ((width * 8.0).round() as u32).clamp(2, 96),
                space: 0,
                colour: g.red.hex(),
            });
            p.props.indent = indent(0, 0, 0);
            self.push(p);
        }
        // The first line: its glyphs (centred in the row) 7/8 of a body
        // character under the rule's foot.
        let pitch = self.m.pitch;
        let rule_bottom = g.letter_mark_top.pt().0 + size.0 + g.rule_gap.pt().0 + thick + thin + space;
        let body = self.style.body_size.0;
        let first_top = rule_bottom + g.letter_head_gap_em * body;
        let row_top = first_top - (self.style.line_pitch().0 - body) / 2.0;
        let before = twips(row_top - self.style.margin_top.pt().0).max(0);
        let corner: Vec<String> =
            [&meta.copy_no, &meta.secrecy, &meta.urgency].into_iter().flatten().cloned().collect();
        let lines = corner.len().max(1);
        for i in 0..lines {
            let mut p = self.flush_left(corner.get(i).map_or("", String::as_str));
            if i == 0 {
                if let Some(doc_no) = &meta.doc_no {
                    p = p.run(Run::of(RunItem::Tab)).text(doc_no);
                    p.props.tab = Some(TabStop { pos: self.m.text_width, dots: false });
                }
                p.props.line = exact(pitch);
                p.props.before = before;
            }
            self.push(p);
        }
        let y = before + lines as i32 * pitch;
        let title_row = self.hints.head_rows.unwrap_or(0) as i32 * pitch;
        self.title_before = (title_row - y).max(0);
    }

    /// The first page of an attachment: the label flush left in 黑体 on the
    /// first row, the title centred on `attachment_title_row`, a blank row.
    pub(super) fn attachment_page(&mut self, label: &str, title: &str) {
        self.pending_break = true;
        let mut p = self.flush_left("");
        p = p.run(
            Run::text(label).props(RunProps { fonts: Some(fonts_for(self.style, Face::Hei)), ..RunProps::default() }),
        );
        p.props.keep_next = true;
        self.push(p);
        if !title.is_empty() {
            let gap = self.style.gongwen.attachment_title_row.saturating_sub(1);
            for _ in 0..gap {
                let mut p = self.para(BODY);
                p.props.keep_next = true;
                self.push(p);
            }
            let mut p = self.title_line(TITLE, title);
            p.props.keep_next = true;
            self.push(p);
        }
        self.gap(self.style.title_gap_lines);
    }

    /// 署名 and 成文日期 without a seal (§7.3.5.2): a blank row, the 署名
    /// `unsealed_right_chars` in from the right, the date under it starting
    /// that many characters further right (both moved left when the date
    /// would reach closer to the edge), as the PDF sets them.
    pub(super) fn unsealed(&mut self, signature: &[String], date: Option<&str>) {
        let g = &self.style.gongwen;
        let right = self.m.advance * f64::from(g.unsealed_right_chars);
        let shift = right;
        let width = f64::from(self.m.text_width);
        let sig_w = signature.iter().map(|s| self.m.text_width_of(s)).fold(0.0, f64::max);
        let date_w = date.map_or(0.0, |d| self.m.text_width_of(d));
        let mut sig_x = width - right - sig_w;
        if date.is_some() && sig_x + shift + date_w > width - right {
            sig_x = width - right - shift - date_w;
        }
        let sig_x = sig_x.max(0.0);
        let mut p = self.para(BODY);
        p.props.keep_next = true;
        self.push(p);
        for line in signature {
            let w = self.m.text_width_of(line);
            let p = self.signature_line(line, width - sig_x - w);
            self.push(p);
        }
        if let Some(d) = date {
            let x = if signature.is_empty() { width - right - date_w } else { sig_x + shift };
            let p = self.signature_line(d, width - x - date_w);
            self.push(p);
        }
    }

    /// A 纪要's 出席 / 请假 / 列席 (§10.3): a blank line, then each list two
    /// characters in, the label in 黑体, the names under the first name.
    pub(super) fn attendance(&mut self, meta: &Meta) {
        let lists = meta.attendance();
        if lists.is_empty() {
            return;
        }
        self.gap(self.style.attachment_gap_lines);
        for (label, names) in lists {
            let label = format!("{label}：");
            let label_w = self.m.text_width_of(&label).round() as i32;
            let mut p = self.para(BODY).run(
                Run::text(&label)
                    .props(RunProps { fonts: Some(fonts_for(self.style, Face::Hei)), ..RunProps::default() }),
            );
            p = p.text(&names);
            p.props.indent = indent(self.m.indent + label_w, 0, -label_w);
            p.props.jc = Some(Jc::Left);
            self.push(p);
        }
    }

    /// 附注 (§7.3.7): in parentheses, two characters in, under the date.
    pub(super) fn note(&mut self, meta: &Meta) {
        if let Some(n) = meta.note_line() {
            let mut p = self.para(BODY).text(&n);
            p.props.indent = indent(0, 0, self.m.indent);
            p.props.jc = Some(Jc::Left);
            self.push(p);
        }
    }

    /// The 版记 (§7.4): a table the width of the block, anchored to its
    /// bottom, a row per part — 抄送 (continuation lines under the first
    /// name) and 印发机关 with the 印发日期 at a right tab — 14 pt, one
    /// character in from each side, between 0.35 mm rules with a 0.25 mm
    /// rule between the parts.
    pub(super) fn imprint(&mut self, doc: &Document) {
        let meta = &doc.meta;
        let letter = meta.format() == Format::Letter;
        let printed = meta.imprint();
        let distribution = meta.distribution_lines();
        if printed.is_none() && (!letter || meta.cc.is_empty()) && distribution.is_empty() {
            return;
        }
        let g = &self.style.gongwen;
        let size = g.imprint_size;
        let cell = twips(self.style.char_pitch().0 * size.0 / self.style.body_size.0);
        let inset = cell * g.imprint_inset_chars as i32;
        let width = self.m.text_width;
        let pitch = self.m.pitch;
        let place = self.hints.imprint.unwrap_or_default();
        if place.own_page {
            // A page of its own, on an even page (after a blank page when
            // needed): the text's section ends with its last paragraph, and
            // the last section (starting on an even page, empty footers)
            // holds the 版记, anchored — LibreOffice anchors a floating table
            // to the paragraph before it — to an empty paragraph on its page.
            let mut section =
                super::section_props(&self.m, (super::parts::FOOTER_ODD_ID, super::parts::FOOTER_EVEN_ID));
            if letter {
                section.first = Some(super::parts::FOOTER_BLANK_ID);
            }
            match &mut self.last {
                Last::Paragraph(p) => p.props.section = Some(section),
                Last::Table | Last::Nothing => {
                    let mut p = Para::styled(BODY);
                    p.props.section = Some(section);
                    self.push(p);
                }
            }
            let p = Para::styled(BODY);
            self.push(p);
        }
        if matches!(self.last, Last::Table) {
            let p = Para::styled(BODY);
            self.push(p);
        }
        self.flush();
        let eighths = |mm: crate::style::Mm| ((mm.pt().0 * 8.0).round() as u32).clamp(2, 96).to_string();
        let (outer, inner) = (eighths(g.imprint_outer_rule), eighths(g.imprint_inner_rule));
        let run_props = || RunProps { size: Some(size.half_points()), spacing: Some(0), ..RunProps::default() };
        // Each row is as many grid rows tall as its paragraph has lines,
        // counted at the 版记's size (the PDF sets them one a row).
        let em = twips(size.0);
        let line_count = |text: &str, label: i32| -> i32 {
            let (first, rest) = (width - 2 * inset, width - 2 * inset - label);
            let (mut lines, mut used, mut avail) = (1, 0, first);
            for c in text.chars() {
                let w = if c.is_ascii() { em / 2 } else { em };
                if used + w > avail {
                    lines += 1;
                    used = 0;
                    avail = rest.max(em);
                }
                used += w;
            }
            lines
        };
        let mut rows: Vec<(Para<'a>, i32)> = Vec::new();
        let hanging = |text: &str, label_chars: usize| {
            let label = em * label_chars as i32;
            let mut p = Para::styled(BODY).run(Run::text(text).props(run_props()));
            p.props.indent = indent(inset + label, inset, -label);
            p.props.jc = Some(Jc::Left);
            p.props.line = exact(pitch);
            (p, line_count(text, label))
        };
        if let Some(cc) = meta.cc_line() {
            rows.push(hanging(&cc, 3));
        }
        // 简报: 报/送/发, continuation lines under the first character after the label.
        for text in &distribution {
            let label = text.find('：').map_or(0, |at| text[..at + '：'.len_utf8()].chars().count());
            rows.push(hanging(text, label));
        }
        if let Some((by, on)) = &printed {
            let mut p = Para::styled(BODY)
                .run(Run::text(by).props(run_props()))
                .run(Run::of(RunItem::Tab))
                .run(Run::text(on).props(run_props()));
            p.props.indent = indent(inset, inset, 0);
            p.props.jc = Some(Jc::Left);
            p.props.line = exact(pitch);
            p.props.tab = Some(TabStop { pos: width - inset, dots: false });
            rows.push((p, 1));
        }
        let x = self.body.xml();
        x.open("w:tbl", &[]);
        // CT_TblPr order: tblpPr, tblW, tblBorders, tblLayout, tblCellMar.
        x.open("w:tblPr", &[]);
        // Its rows are exactly one grid row each, so it starts that many rows
        // above the block's foot. Anchored to the page horizontally:
        // LibreOffice floats (makes a frame of) a table as wide as the text
        // block only when it is positioned against the page.
        let total: i32 = rows.iter().map(|(_, n)| n).sum();
        let top = (self.style.lines_per_page as i32 - total).max(0) * pitch;
        x.empty(
            "w:tblpPr",
            &[
                ("w:leftFromText", "0"),
                ("w:rightFromText", "0"),
                ("w:vertAnchor", "margin"),
                ("w:horzAnchor", "page"),
                ("w:tblpX", &self.m.margin_left.to_string()),
                ("w:tblpY", &top.to_string()),
            ],
        );
        x.empty("w:tblW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
        // 信函格式: the 抄送 alone, without rules (§10.1).
        x.open("w:tblBorders", &[]);
        for (side, sz) in [("w:top", &outer), ("w:bottom", &outer), ("w:insideH", &inner)] {
            if letter {
                x.empty(side, &[("w:val", "nil")]);
            } else {
                x.empty(side, &[("w:val", "single"), ("w:sz", sz), ("w:space", "0"), ("w:color", "000000")]);
            }
        }
        x.close("w:tblBorders");
        x.empty("w:tblLayout", &[("w:type", "fixed")]);
        x.open("w:tblCellMar", &[]);
        // No cell margins: the insets are the paragraphs' indents, so the
        // rules and the table's edges are the block's whatever a reader does
        // with a floating table's margins.
        for (side, pad) in [("w:top", 0), ("w:left", 0), ("w:bottom", 0), ("w:right", 0)] {
            x.empty(side, &[("w:w", &pad.to_string()), ("w:type", "dxa")]);
        }
        x.close("w:tblCellMar");
        x.close("w:tblPr");
        x.open("w:tblGrid", &[]);
        x.empty("w:gridCol", &[("w:w", &width.to_string())]);
        x.close("w:tblGrid");
        for (p, lines) in &rows {
            x.open("w:tr", &[]);
            x.open("w:trPr", &[]);
            x.empty("w:cantSplit", &[]);
            x.empty("w:trHeight", &[("w:val", &(pitch * lines).to_string()), ("w:hRule", "exact")]);
            x.close("w:trPr");
            x.open("w:tc", &[]);
            x.open("w:tcPr", &[]);
            x.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
            x.val("w:vAlign", "center");
            x.close("w:tcPr");
            p.write(x);
            x.close("w:tc");
            x.close("w:tr");
        }
        x.close("w:tbl");
        self.last = Last::Table;
    }
}
