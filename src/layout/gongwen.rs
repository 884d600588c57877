//! The 公文's parts outside the body flow (GB/T 9704-2012 §7.2, §7.4): the
//! 版头 drawn on page 1 over rows the flow leaves free for it, and the 版记
//! at the foot of the last page, which is made even.
//!
//! The 版头 stands at fixed distances (the mark 35 mm under the block top,
//! the red rule 4 mm under the 发文字号), not on the line grid, so it is
//! drawn here as items; `blocks` reserves the grid rows it covers, and the
//! title starts on the grid `title_gap_lines` rows under the rule. The 版记
//! takes the last rows of its page, one row a line, its last line on the
//! last row of the block.

use crate::doc::{Format, Meta};
use crate::style::{Face, Rgb, Style};

use super::Item;
use super::draw::push_line;
use super::linebreak::{Align, Frame, Paragraph, SetGlyph, SetLine};
use super::paginate::{Grid, Plan};
use super::shape::{Piece, Shaper};
use crate::style::Pt;

/// The 版头: what page 1 shows above the title, and how many grid rows it covers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Head {
    /// Items in page coordinates.
    pub items: Vec<Item>,
    /// Grid rows from the block top to the title.
    pub rows: u32,
    /// Page 1 carries no number (信函格式).
    pub first_unnumbered: bool,
}

/// One line of text in `face` and `size` from x = 0, unbroken.
fn line_of(shaper: &mut Shaper<'_>, pieces: &[(&str, Face)], size: f64) -> SetLine {
    let mut line = SetLine::default();
    let mut x = 0.0;
    for (text, face) in pieces {
        for atom in shaper.shape_str(text, *face, false, size).into_iter().flatten() {
            line.glyphs.push(SetGlyph { x, atom });
            x += atom.width;
        }
    }
    line
}

fn width_of(line: &SetLine) -> f64 {
    line.extent().map_or(0.0, |(a, b)| b - a)
}

/// Distance from a line's em-box top to its baseline.
fn ascent(shaper: &Shaper<'_>, size: f64, face: Face) -> f64 {
    shaper.baseline_in(size, size, face)
}

/// The 版头 of a 文件格式 or 纪要格式 document.
pub(crate) fn head(shaper: &mut Shaper<'_>, meta: &Meta) -> Head {
    if meta.format() == Format::Letter {
        return letter_head(shaper, meta);
    }
    let style: &Style = shaper.style();
    let g = &style.gongwen;
    let (left, top) = (style.margin_left.pt().0, style.margin_top.pt().0);
    let width = style.text_width().pt().0;
    let pitch = style.line_pitch().0;
    let body = style.body_size.0;
    let cell = shaper.cell(body);
    let mut items = Vec::new();

    // 份号, 密级和保密期限, 紧急程度: flush left, one grid row each from the top.
    let corner: Vec<&String> = [&meta.copy_no, &meta.secrecy, &meta.urgency].into_iter().flatten().collect();
    for (row, text) in corner.iter().enumerate() {
        let line = line_of(shaper, &[(text, Face::Fang)], body);
        let baseline = top + row as f64 * pitch + shaper.baseline_in(pitch, body, Face::Fang);
        push_line(&mut items, &line, left, baseline, Rgb::BLACK);
    }

    // 发文机关标志: red 小标宋, centred, its top `mark_top` under the block
    // top; as large as `mark_size` allows within the block's width. 联合行文
    // without an own mark stacks the agencies, 文件 centred beside them.
    // A 简报's 报头 stands at the top of the block; the 公文 mark `mark_top` under it.
    let brief = meta.format() == Format::Brief;
    let mark_top = top + if brief { 0.0 } else { g.mark_top.pt().0 };
    let joint = meta.joint_mark();
    let (names, suffix): (Vec<String>, &str) =
        if joint { (meta.issuer.clone(), "文件") } else { (meta.mark().into_iter().collect(), "") };
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) + suffix.chars().count();
    let size = g.mark_size_for(longest, Pt(width)).0;
    let mark_pitch = size * 1.2;
    let lines: Vec<SetLine> = names.iter().map(|n| line_of(shaper, &[(n, Face::Song)], size)).collect();
    let names_width = lines.iter().map(width_of).fold(0.0, f64::max);
    let suffix_line = line_of(shaper, &[(suffix, Face::Song)], size);
    let total = names_width + width_of(&suffix_line);
    let x0 = left + (width - total) / 2.0;
    let ascent_mark = ascent(shaper, size, Face::Song);
    for (i, line) in lines.iter().enumerate() {
        let dx = if joint { 0.0 } else { (names_width - width_of(line)) / 2.0 };
        push_line(&mut items, line, x0 + dx, mark_top + i as f64 * mark_pitch + ascent_mark, g.red);
    }
    let mark_height = if lines.is_empty() { 0.0 } else { (lines.len() - 1) as f64 * mark_pitch + size };
    if !suffix_line.glyphs.is_empty() {
        let baseline = mark_top + (mark_height - size) / 2.0 + ascent_mark;
        push_line(&mut items, &suffix_line, x0 + names_width, baseline, g.red);
    }
    let mark_bottom = mark_top + mark_height;

    // 发文字号 `doc_no_gap_lines` blank rows under the mark, centred; with
    // 签发人 one character in from the left, on the last 签发人 line, and
    // "签发人：" + names ending one character in from the right.
    let mut band = mark_bottom + f64::from(g.doc_no_gap_lines) * pitch;
    let in_band = shaper.baseline_in(pitch, body, Face::Fang);
    let inset = f64::from(g.signer_inset_chars) * cell;
    let mut last_baseline = None;
    // 纪要: a 期号 written as `doc_no` stands where a 发文字号 would.
    let numbered_like = matches!(meta.format(), Format::Minutes | Format::Brief);
    if meta.format() == Format::Document || (numbered_like && meta.doc_no.is_some()) {
        let doc_no = meta.doc_no.as_deref().map(|d| line_of(shaper, &[(d, Face::Fang)], body));
        if meta.signers.is_empty() || numbered_like {
            if let Some(line) = &doc_no {
                let baseline = band + in_band;
                push_line(&mut items, line, left + (width - width_of(line)) / 2.0, baseline, Rgb::BLACK);
                last_baseline = Some(baseline);
            }
        } else {
            let label = line_of(shaper, &[("签发人：", Face::Fang)], body);
            let names: Vec<SetLine> = meta.signers.iter().map(|n| line_of(shaper, &[(n, Face::Kai)], body)).collect();
            let names_width = names.iter().map(width_of).fold(0.0, f64::max);
            let names_x = left + width - inset - names_width;
            let n = names.len();
            for (i, name) in names.iter().enumerate() {
                let baseline = band + i as f64 * pitch + in_band;
                if i + 1 == n
                    && let Some(line) = &doc_no
                {
                    push_line(&mut items, line, left + inset, baseline, Rgb::BLACK);
                }
                if i == 0 {
                    push_line(&mut items, &label, names_x - width_of(&label), baseline, Rgb::BLACK);
                }
                push_line(&mut items, name, names_x, baseline, Rgb::BLACK);
                last_baseline = Some(baseline);
            }
        }
    }
    // 简报: 编印单位 flush left and the date flush right on the next row.
    if let Some((unit, date)) = meta.brief_line() {
        let baseline = match last_baseline {
            Some(b) => b + pitch,
            None => band + in_band,
        };
        let unit = line_of(shaper, &[(&unit, Face::Fang)], body);
        push_line(&mut items, &unit, left, baseline, Rgb::BLACK);
        let date = line_of(shaper, &[(&date, Face::Fang)], body);
        push_line(&mut items, &date, left + width - width_of(&date), baseline, Rgb::BLACK);
        last_baseline = Some(baseline);
    }
    // The red separator `rule_gap` under the 发文字号's em box (纪要: under the mark).
    let line_bottom = match last_baseline {
        Some(b) => b - ascent(shaper, body, Face::Fang) + body,
        None => {
            band = mark_bottom;
            band
        }
    };
    let rule_width = g.rule_width.pt().0;
    let rule_y = line_bottom + g.rule_gap.pt().0 + rule_width / 2.0;
    items.push(Item::Rule {
        from: (Pt(left), Pt(rule_y)),
        to: (Pt(left + width), Pt(rule_y)),
        width: Pt(rule_width),
        colour: g.red,
    });
    let covered = ((rule_y + rule_width / 2.0 - top) / pitch).ceil().max(0.0) as u32;
    // Without a title (a 简报's items, a 纪要 without one) the text starts
    // one blank row under the rule.
    let gap = if meta.title.is_empty() { 1 } else { g.title_gap_lines };
    Head { items, rows: covered + gap, first_unnumbered: false }
}

/// A red double rule `letter_rule_length` long, centred on the page, its
/// top edge at `y`: thick over thin, or thin over thick.
fn double_rule(style: &Style, y: f64, thick_first: bool, items: &mut Vec<Item>) -> f64 {
    let g = &style.gongwen;
    let (thick, thin, space) = (g.letter_rule_thick.pt().0, g.letter_rule_thin.pt().0, g.letter_rule_space.pt().0);
    let length = g.letter_rule_length.pt().0;
    let x0 = (style.page_width.pt().0 - length) / 2.0;
    let (first, second) = if thick_first { (thick, thin) } else { (thin, thick) };
    for (centre, width) in [(y + first / 2.0, first), (y + first + space + second / 2.0, second)] {
        items.push(Item::Rule {
            from: (Pt(x0), Pt(centre)),
            to: (Pt(x0 + length), Pt(centre)),
            width: Pt(width),
            colour: g.red,
        });
    }
    first + space + second
}

/// The 版头 of a 信函格式 document (GB/T 9704 §10.1): the mark (the
/// issuer's name) `letter_mark_top` under the page's top edge, a red double
/// rule (thick over thin) `rule_gap` under it and one (thin over thick)
/// `letter_bottom_rule` above the bottom edge, both `letter_rule_length`
/// long; 份号, 密级, 紧急程度 flush left and the 发文字号 flush right on the
/// first line under the upper rule, `letter_head_gap_em` of a body
/// character below it; page 1 carries no number.
fn letter_head(shaper: &mut Shaper<'_>, meta: &Meta) -> Head {
    let style: &Style = shaper.style();
    let g = &style.gongwen;
    let (left, top) = (style.margin_left.pt().0, style.margin_top.pt().0);
    let width = style.text_width().pt().0;
    let pitch = style.line_pitch().0;
    let body = style.body_size.0;
    let mut items = Vec::new();
    let mark = meta.mark().unwrap_or_default();
    let size = g.mark_size_for(mark.chars().count(), Pt(width)).0;
    let line = line_of(shaper, &[(&mark, Face::Song)], size);
    let mark_top = g.letter_mark_top.pt().0;
    let baseline = mark_top + ascent(shaper, size, Face::Song);
    push_line(&mut items, &line, left + (width - width_of(&line)) / 2.0, baseline, g.red);
    let rule_top = mark_top + size + g.rule_gap.pt().0;
    let rule_bottom = rule_top + double_rule(style, rule_top, true, &mut items);
    let bottom = style.page_height.pt().0 - g.letter_bottom_rule.pt().0;
    let (thick, thin, space) = (g.letter_rule_thick.pt().0, g.letter_rule_thin.pt().0, g.letter_rule_space.pt().0);
    double_rule(style, bottom - (thick + thin + space) / 2.0, false, &mut items);
    // The first line's em box top 7/8 of a body character under the rule.
    let first_top = rule_bottom + g.letter_head_gap_em * body;
    let corner: Vec<&String> = [&meta.copy_no, &meta.secrecy, &meta.urgency].into_iter().flatten().collect();
    let ascent_body = ascent(shaper, body, Face::Fang);
    let mut last_bottom = rule_bottom;
    for (i, text) in corner.iter().enumerate() {
        let line = line_of(shaper, &[(text, Face::Fang)], body);
        let baseline = first_top + i as f64 * pitch + ascent_body;
        push_line(&mut items, &line, left, baseline, Rgb::BLACK);
        last_bottom = baseline - ascent_body + body;
    }
    if let Some(doc_no) = &meta.doc_no {
        let line = line_of(shaper, &[(doc_no, Face::Fang)], body);
        let baseline = first_top + ascent_body;
        push_line(&mut items, &line, left + width - width_of(&line), baseline, Rgb::BLACK);
        last_bottom = last_bottom.max(baseline - ascent_body + body);
    }
    let covered = ((last_bottom - top) / pitch).ceil().max(0.0) as u32;
    Head { items, rows: covered + g.title_gap_lines, first_unnumbered: true }
}

/// The 版记, set: one line a grid row, with rules at row boundaries.
#[derive(Debug, Clone, Default)]
pub(crate) struct Imprint {
    /// Lines from x = 0 of the block, top to bottom.
    pub lines: Vec<SetLine>,
    /// Rules: (row boundary from the 版记's top, 0 ..= lines, thickness).
    pub rules: Vec<(usize, f64)>,
    /// Font size of the lines.
    pub size: f64,
    /// It must stand on an even page (a 公文's 版记; not a 简报's).
    pub even: bool,
}

/// The 版记 of `meta`, if it has one: 抄送 (wrapped under its first name)
/// and the 印发 line, one 版记 character in from each side.
pub(crate) fn imprint(shaper: &mut Shaper<'_>, meta: &Meta) -> Option<Imprint> {
    let style = shaper.style();
    let g = &style.gongwen;
    // 信函格式 (§10.1): only the 抄送, without rules or 印发 line.
    let letter = meta.format() == Format::Letter;
    let brief = meta.distribution_lines();
    let printed = if letter {
        meta.cc_line()?;
        None
    } else if meta.format() == Format::Brief {
        if brief.is_empty() {
            return None;
        }
        None
    } else {
        Some(meta.imprint()?)
    };
    let size = g.imprint_size.0;
    let cell = shaper.cell(size);
    let width = style.text_width().pt().0;
    let inset = f64::from(g.imprint_inset_chars) * cell;
    let (outer, inner) = (g.imprint_outer_rule.pt().0, g.imprint_inner_rule.pt().0);
    let mut lines = Vec::new();
    let mut rules = if letter { Vec::new() } else { vec![(0, outer)] };
    // A line of the 版记 inside its insets, wrapped under the first
    // character after its label ("抄送：", "报：").
    let hanging = |shaper: &mut Shaper<'_>, text: &str, label: &str, lines: &mut Vec<SetLine>| {
        let label = width_of(&line_of(shaper, &[(label, Face::Fang)], size));
        let frame = Frame {
            width: width - 2.0 * inset,
            first_indent: 0.0,
            rest_indent: label,
            align: Align::Left,
            cell,
            spacing: style.run_spacing(Pt(size)).0,
        };
        let para = Paragraph::new(shaper.shape(&[Piece::Text { text, face: Face::Fang, bold: false }], size), frame);
        for mut l in para.set(&para.lines()) {
            l.shift(inset);
            lines.push(l);
        }
    };
    if let Some(cc) = meta.cc_line() {
        hanging(shaper, &cc, "抄送：", &mut lines);
        if !letter {
            rules.push((lines.len(), inner));
        }
    }
    // 简报: 报/送/发, each wrapped under the first character after its label,
    // with thin rules between them.
    for (i, text) in brief.iter().enumerate() {
        let label = text.find('：').map_or("", |at| &text[..at + '：'.len_utf8()]);
        hanging(shaper, text, label, &mut lines);
        rules.push((lines.len(), if i + 1 == brief.len() { outer } else { inner }));
    }
    let Some((printed_by, printed_on)) = printed else {
        return Some(Imprint { lines, rules, size, even: !brief_format(meta) });
    };
    let mut yinfa = line_of(shaper, &[(&printed_by, Face::Fang)], size);
    yinfa.shift(inset);
    let mut date = line_of(shaper, &[(&printed_on, Face::Fang)], size);
    date.shift(width - inset - width_of(&date));
    yinfa.glyphs.extend(date.glyphs);
    lines.push(yinfa);
    rules.push((lines.len(), outer));
    Some(Imprint { lines, rules, size, even: true })
}

fn brief_format(meta: &Meta) -> bool {
    meta.format() == Format::Brief
}

/// Where the 版记 goes: at the foot of the last page when that page is even
/// and has room; else on a page of its own, after a blank page when needed
/// to make it even. Adds those pages to `plan` and returns the 版记's page
/// and the pages that carry no number (the 版记's own page, the blank one).
pub(crate) fn place_imprint(plan: &mut Plan, used_rows: u32, imprint: &Imprint, grid: Grid) -> (usize, Vec<usize>) {
    let n = plan.pages.len();
    let rows = u32::try_from(imprint.lines.len()).unwrap_or(u32::MAX);
    if (n.is_multiple_of(2) || !imprint.even) && used_rows + rows <= grid.rows {
        return (n - 1, Vec::new());
    }
    if !imprint.even {
        // A 简报's block goes on a new, numbered page.
        plan.pages.push(Vec::new());
        return (n, Vec::new());
    }
    let extra = if n.is_multiple_of(2) { 2 } else { 1 };
    plan.pages.extend(std::iter::repeat_n(Vec::new(), extra));
    let last = plan.pages.len() - 1;
    (last, (n..=last).collect())
}

/// The 版记's items on its page, taking the last rows of the block.
pub(crate) fn imprint_items(shaper: &Shaper<'_>, imprint: &Imprint, grid: Grid) -> Vec<Item> {
    let style = shaper.style();
    let (left, top) = (style.margin_left.pt().0, style.margin_top.pt().0);
    let width = style.text_width().pt().0;
    let first_row = grid.rows.saturating_sub(u32::try_from(imprint.lines.len()).unwrap_or(u32::MAX));
    let row_top = |i: usize| top + (f64::from(first_row) + i as f64) * grid.pitch;
    let mut items = Vec::new();
    for (i, line) in imprint.lines.iter().enumerate() {
        let baseline = row_top(i) + shaper.baseline_in(grid.pitch, imprint.size, Face::Fang);
        push_line(&mut items, line, left, baseline, Rgb::BLACK);
    }
    for &(at, thickness) in &imprint.rules {
        // The last rule lies on the block's bottom edge, inside the block.
        let y = (row_top(at) - if at == imprint.lines.len() { thickness / 2.0 } else { 0.0 }).max(top);
        items.push(Item::Rule {
            from: (Pt(left), Pt(y)),
            to: (Pt(left + width), Pt(y)),
            width: Pt(thickness),
            colour: Rgb::BLACK,
        });
    }
    items
}
