//! Tables: cells broken into lines, rows measured, over-tall rows split.
//!
//! Built by `blocks` from a `doc::Table`; `paginate` places the rows (a row
//! never splits across pages, the header repeats on every page the table
//! continues on) and `draw` draws text and 0.5 pt rules. The table spans
//! the text block (SPEC §6); column widths come from the measured cell text
//! (`fit_columns`, then `Measured::improve`): no column is narrower than its
//! widest number, word or short bracketed unit, and the room left goes where
//! it saves lines. `column_widths` makes the same choice for the DOCX
//! writer, measured with `NominalMetrics`.

use crate::diag::{Code, Diagnostic, Diags};
use crate::doc::{Align as ColumnAlign, Inline, RunStyle, Table};
use crate::style::Face;

use super::blocks::pieces;
use super::linebreak::{Align, Frame, Paragraph, SetLine};
use super::shape::Shaper;

/// Lengths closer than this (points) are equal.
const EPS: f64 = 1e-6;

/// Text up to this many cells wide is never wrapped in a cell: a wrapped
/// two- or three-character header ("序号", "完成率") leaves one character
/// alone on a line.
const SHORT_CELLS: f64 = 3.0;

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    /// Lines, x from the block's left edge.
    pub lines: Vec<SetLine>,
    /// Top of the first line's band, from the row top (content centred vertically).
    pub top: f64,
    /// Face of the text (for the baseline in the band).
    pub face: Face,
}

/// One row (or one page-sized part of a row taller than a page).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TableRow {
    /// Height, padding included.
    pub height: f64,
    /// Cells, left to right.
    pub cells: Vec<Cell>,
}

/// A laid-out table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TableElement {
    /// Left edge (from the block's left) and width of each column.
    pub columns: Vec<(f64, f64)>,
    /// Rows; the first is the header when `header` is set.
    pub rows: Vec<TableRow>,
    /// Whether `rows[0]` is a header row (repeated on each page).
    pub header: bool,
    /// Text size.
    pub size: f64,
    /// Line pitch inside cells.
    pub pitch: f64,
    /// Border stroke width.
    pub rule: f64,
}

/// Column widths of `table` across `width` points, chosen from its measured
/// text so no number or short word breaks and the table is as short as it
/// can be. The PDF layout uses the real fonts; the DOCX writer calls it with
/// `NominalMetrics` so Word gets the same proportions.
pub fn column_widths(
    table: &Table,
    style: &crate::style::Style,
    metrics: &dyn crate::fonts::Metrics,
    width: f64,
) -> Vec<f64> {
    let mut shaper = Shaper::new(style, metrics);
    widths_with(&mut shaper, table, width)
}

fn widths_with(shaper: &mut Shaper<'_>, table: &Table, width: f64) -> Vec<f64> {
    let cols = table.columns();
    if cols == 0 {
        return Vec::new();
    }
    let style = shaper.style();
    let size = style.table_size.0;
    // The padding on both sides, and half a rule on each: LibreOffice sets
    // a cell's text inside its borders as well as its margins, so a column
    // sized to the text alone wraps its last character there ("序/号").
    let pad = 2.0 * style.table_cell_padding().0.0 + style.table_rule_width().0;
    let measured = measure(shaper, table, cols, size, pad);
    let cell = shaper.cell(size);
    let mut widths = fit_columns(&measured.needs, width, |w| measured.lines(w, pad, cell));
    measured.improve(&mut widths, pad, cell);
    widths
}

/// Lay out `table` across `width` points; rows taller than `page_height`
/// are split (with an L001 warning). `None` for a table without columns.
/// A plain cell set in more than one line is added to `balanced_breaks`
/// (its text and the character offsets of its breaks), for the DOCX.
pub(crate) fn build_table(
    shaper: &mut Shaper<'_>,
    table: &Table,
    width: f64,
    page_height: f64,
    balanced_breaks: &mut Vec<(String, Vec<usize>)>,
) -> (Option<TableElement>, Diags) {
    let mut diags = Diags::new();
    let cols = table.columns();
    if cols == 0 {
        return (None, diags);
    }
    let style = shaper.style();
    let size = style.table_size.0;
    let pitch = style.table_line_pitch().0;
    let (pad_x, pad_y) = style.table_cell_padding();
    let (pad_x, pad_y) = (pad_x.0, pad_y.0);
    let widths = widths_with(shaper, table, width);
    let mut columns = Vec::with_capacity(cols);
    let mut x = 0.0;
    for w in widths {
        columns.push((x, w));
        x += w;
    }
    // The last column ends exactly on the block edge.
    if let Some(last) = columns.last_mut() {
        last.1 = width - last.0;
    }
    let aligns: Vec<Align> = (0..cols)
        .map(|c| match table.column_align(c) {
            ColumnAlign::Center => Align::Center,
            ColumnAlign::Right => Align::Right,
            ColumnAlign::Left | ColumnAlign::Default => Align::Left,
        })
        .collect();

    let empty: Vec<Inline> = Vec::new();
    let mut rows = Vec::with_capacity(table.rows.len() + 1);
    let header = !table.header.is_empty();
    // `row`: the body row's index, None for the header.
    let lay_row = |shaper: &mut Shaper<'_>,
                   cells: &[Vec<Inline>],
                   row: Option<usize>,
                   cell_breaks: &mut Vec<(String, Vec<usize>)>|
     -> Vec<(Vec<SetLine>, Face)> {
        let is_header = row.is_none();
        (0..cols)
            .map(|c| {
                let content = cells.get(c).unwrap_or(&empty);
                let face = if is_header { Face::Hei } else { Face::Fang };
                let align = match row {
                    None => Align::Center,
                    // The 合计 row's label is centred under the column's others.
                    Some(r) if c == 0 && table.is_total_row(r) => Align::Center,
                    Some(_) => aligns[c],
                };
                let (cx, cw) = columns[c];
                let frame = Frame {
                    width: (cw - 2.0 * pad_x).max(shaper.cell(size)),
                    first_indent: 0.0,
                    rest_indent: 0.0,
                    align,
                    cell: shaper.cell(size),
                    spacing: style.run_spacing(crate::style::Pt(size)).0,
                };
                let chunks = shaper.shape(&pieces(content, face, false), size);
                let para = Paragraph::keeping_words(chunks, frame);
                // A header is balanced like a title ("年度/完成"); body text
                // fills its lines like a paragraph, the last one short (never
                // a single character alone on it).
                let spans = if is_header { para.balanced(0.0) } else { para.lines() };
                // Word breaks Chinese between any two characters; the DOCX
                // gets the PDF's breaks (balanced headers, and body text
                // that keeps its words) as explicit line breaks.
                if spans.len() > 1
                    && let [Inline::Text { text, style }] = content.as_slice()
                    && *style == RunStyle::default()
                {
                    // One atom a character: a span's start is a character offset.
                    cell_breaks.push((text.clone(), spans[1..].iter().map(|s| s.start).collect()));
                }
                let mut lines = para.set(&spans);
                for l in &mut lines {
                    l.shift(cx + pad_x);
                }
                (lines, face)
            })
            .collect()
    };
    let mut cell_breaks = Vec::new();
    let header_cells = header.then(|| lay_row(shaper, &table.header, None, &mut cell_breaks));
    let header_height = header_cells.as_ref().map_or(0.0, |c| row_height(c, pitch, pad_y));
    if let Some(cells) = header_cells {
        rows.push(make_row(cells, pitch, pad_y));
    }
    // Room for one row on a fresh page, under the repeated header.
    let max_lines = (((page_height - header_height - 2.0 * pad_y) / pitch) as usize).max(1);
    for (r, cells) in table.rows.iter().enumerate() {
        let laid = lay_row(shaper, cells, Some(r), &mut cell_breaks);
        let tallest = laid.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
        if tallest <= max_lines {
            rows.push(make_row(laid, pitch, pad_y));
            continue;
        }
        diags.push(
            Diagnostic::warning(
                Code::LayoutOverflow,
                format!("row {} of a table is taller than a page and is split across pages", r + 1),
            )
            .with_hint("shorten the cell text or split the row into several rows"),
        );
        let mut from = 0;
        while from < tallest {
            let part: Vec<(Vec<SetLine>, Face)> = laid
                .iter()
                .map(|(lines, face)| (lines.iter().skip(from).take(max_lines).cloned().collect(), *face))
                .collect();
            rows.push(make_row(part, pitch, pad_y));
            from += max_lines;
        }
    }
    // A text already there (a title, an earlier cell) keeps its breaks: the
    // DOCX looks breaks up by text and takes the first.
    for (text, breaks) in cell_breaks {
        if !balanced_breaks.iter().any(|(t, _)| *t == text) {
            balanced_breaks.push((text, breaks));
        }
    }
    let rule = style.table_rule_width().0;
    (Some(TableElement { columns, rows, header, size, pitch, rule }), diags)
}

fn row_height(cells: &[(Vec<SetLine>, Face)], pitch: f64, pad_y: f64) -> f64 {
    let lines = cells.iter().map(|(l, _)| l.len()).max().unwrap_or(0).max(1);
    2.0 * pad_y + lines as f64 * pitch
}

fn make_row(cells: Vec<(Vec<SetLine>, Face)>, pitch: f64, pad_y: f64) -> TableRow {
    let height = row_height(&cells, pitch, pad_y);
    let inner = height - 2.0 * pad_y;
    let cells = cells
        .into_iter()
        .map(|(lines, face)| {
            let own = lines.len() as f64 * pitch;
            Cell { top: pad_y + (inner - own) / 2.0, lines, face }
        })
        .collect();
    TableRow { height, cells }
}

/// What a column's cells need, in points, cell padding included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ColumnNeed {
    /// Narrowest width that breaks no number or word, and no short text:
    /// below it, text breaks where it must not.
    pub min: f64,
    /// Width at which every body cell is one line (the header may wrap).
    pub want: f64,
    /// Width at which the header is one line too.
    pub full: f64,
}

/// The table's text measured for choosing column widths: what each column
/// needs, and the natural width of every hard line of every cell (header
/// row first), to estimate how many lines a choice of widths costs.
struct Measured {
    needs: Vec<ColumnNeed>,
    /// `cells[row][column]`: natural widths of the cell's hard lines.
    cells: Vec<Vec<Vec<f64>>>,
}

impl Measured {
    /// Room on a line of a cell `w` wide: the padding off, and half a cell
    /// for what the line breaker cannot use (a word or a mark that does not
    /// fit at the end goes down).
    fn room(w: f64, pad: f64, cell: f64) -> f64 {
        (w - pad - cell / 2.0).max(cell / 2.0)
    }

    /// Estimated lines of text the table takes (each row as tall as its
    /// tallest cell) with columns `widths` wide, `pad` of which is padding.
    fn lines(&self, widths: &[f64], pad: f64, cell: f64) -> f64 {
        self.cells
            .iter()
            .map(|row| {
                row.iter()
                    .zip(widths)
                    .map(|(lines, &w)| {
                        let room = Self::room(w, pad, cell);
                        lines.iter().map(|l| (l / room - EPS).ceil().max(1.0)).sum::<f64>()
                    })
                    .fold(1.0, f64::max)
            })
            .sum()
    }

    /// The least width above `w` at which some hard line of column `c`
    /// takes one line fewer.
    fn next_step(&self, c: usize, w: f64, pad: f64, cell: f64) -> Option<f64> {
        let room = Self::room(w, pad, cell);
        let mut step: Option<f64> = None;
        for line in self.cells.iter().filter_map(|row| row.get(c)).flatten() {
            let k = (line / room - EPS).ceil();
            if k > 1.0 {
                let wider = line / (k - 1.0) + pad + cell / 2.0;
                if wider > w + EPS && step.is_none_or(|s| wider < s) {
                    step = Some(wider);
                }
            }
        }
        step
    }

    /// Move width from one column to another while that makes the table
    /// fewer lines (rows are as tall as their tallest cell, so widths in
    /// proportion to the text can waste a line): each round takes the move
    /// that saves most, never below a column's `min`.
    fn improve(&self, widths: &mut [f64], pad: f64, cell: f64) {
        let mut lines = self.lines(widths, pad, cell);
        for _ in 0..IMPROVE_ROUNDS {
            let mut best: Option<(f64, usize, usize, f64)> = None;
            for to in 0..widths.len() {
                let Some(target) = self.next_step(to, widths[to], pad, cell) else { continue };
                let delta = target - widths[to];
                for from in 0..widths.len() {
                    if from == to || widths[from] - delta < self.needs[from].min - EPS {
                        continue;
                    }
                    let mut w = widths.to_vec();
                    w[to] += delta;
                    w[from] -= delta;
                    let l = self.lines(&w, pad, cell);
                    if l < lines - EPS && best.as_ref().is_none_or(|b| l < b.0 - EPS) {
                        best = Some((l, to, from, delta));
                    }
                }
            }
            let Some((l, to, from, delta)) = best else { break };
            widths[to] += delta;
            widths[from] -= delta;
            lines = l;
        }
    }
}

/// Bound on the moves of `Measured::improve` (each saves a line).
const IMPROVE_ROUNDS: usize = 64;

/// Measure every cell of `table`: body cells in 仿宋, the header in 黑体.
fn measure(shaper: &mut Shaper<'_>, table: &Table, cols: usize, size: f64, pad: f64) -> Measured {
    let cell = shaper.cell(size);
    let empty: Vec<Inline> = Vec::new();
    // (min, max, hard line widths) of one cell.
    let mut one = |content: &[Inline], face: Face| -> (f64, f64, Vec<f64>) {
        let chunks = shaper.shape(&pieces(content, face, false), size);
        // An unbounded frame: only the ordinary break opportunities.
        let frame = Frame {
            width: f64::MAX / 4.0,
            first_indent: 0.0,
            rest_indent: 0.0,
            align: Align::Left,
            cell,
            spacing: 0.0,
        };
        let p = Paragraph::keeping_words(chunks, frame);
        let max = p.max_content();
        (p.min_content().max(max.min(SHORT_CELLS * cell)), max, p.line_widths())
    };
    let mut needs = vec![ColumnNeed { min: cell, want: cell, full: cell }; cols];
    let mut cells = Vec::with_capacity(table.rows.len() + 1);
    if !table.header.is_empty() {
        let mut row = Vec::with_capacity(cols);
        for (c, n) in needs.iter_mut().enumerate() {
            let (lo, hi, lines) = one(table.header.get(c).unwrap_or(&empty), Face::Hei);
            n.min = n.min.max(lo);
            n.full = n.full.max(hi);
            row.push(lines);
        }
        cells.push(row);
    }
    for r in &table.rows {
        let mut row = Vec::with_capacity(cols);
        for (c, n) in needs.iter_mut().enumerate() {
            let (lo, hi, lines) = one(r.get(c).unwrap_or(&empty), Face::Fang);
            n.min = n.min.max(lo);
            n.want = n.want.max(hi);
            row.push(lines);
        }
        cells.push(row);
    }
    for n in &mut needs {
        n.want = n.want.max(n.min);
        n.full = n.full.max(n.want);
        n.min += pad;
        n.want += pad;
        n.full += pad;
    }
    Measured { needs, cells }
}

/// Column widths that add up to `total`, after the automatic table layout
/// of CSS 2.1 §17.5.2.2 with two changes: a header may wrap before a body
/// cell does, and, as LaTeX's tabulary does, short columns may keep their
/// text on one line while long ones wrap.
///
/// When even the minimums do not fit, they shrink in proportion. When the
/// body cells do not all fit on one line, the columns whose `want` is at
/// most some threshold get it and the others share the rest in proportion
/// to their `want`, never below their `min`; of the thresholds (none, and
/// each column's `want`), the one whose widths make the table fewest
/// `lines` wins, ties going to the one that keeps more columns whole ("第一
/// 季度" and "46820" stay on one line next to a column of long text, unless
/// that makes the table taller). When the body cells do fit, the room left
/// goes first to headers that would wrap and then to all columns in
/// proportion to their width.
pub(crate) fn fit_columns(needs: &[ColumnNeed], total: f64, lines: impl Fn(&[f64]) -> f64) -> Vec<f64> {
    let sum = |f: fn(&ColumnNeed) -> f64| needs.iter().map(f).sum::<f64>();
    let (min, want, full) = (sum(|n| n.min), sum(|n| n.want), sum(|n| n.full));
    // Each column from `lo` towards `hi`, sharing `room` in proportion to the distance.
    let share = |lo: fn(&ColumnNeed) -> f64, hi: fn(&ColumnNeed) -> f64, room: f64| -> Vec<f64> {
        let gap: f64 = needs.iter().map(|n| hi(n) - lo(n)).sum();
        needs.iter().map(|n| lo(n) + if gap > EPS { room * (hi(n) - lo(n)) / gap } else { 0.0 }).collect()
    };
    if min >= total - EPS {
        if min <= EPS {
            return vec![total / needs.len().max(1) as f64; needs.len()];
        }
        needs.iter().map(|n| n.min * total / min).collect()
    } else if want >= total - EPS {
        let mut thresholds: Vec<f64> = needs.iter().map(|n| n.want).collect();
        thresholds.sort_by(|a, b| b.total_cmp(a));
        thresholds.push(0.0);
        let mut best: Option<(f64, Vec<f64>)> = None;
        for t in thresholds {
            if let Some(w) = short_first(needs, total, t) {
                let l = lines(&w);
                if best.as_ref().is_none_or(|(b, _)| l < b - EPS) {
                    best = Some((l, w));
                }
            }
        }
        best.map_or_else(|| share(|n| n.min, |n| n.want, total - min), |(_, w)| w)
    } else if full >= total - EPS {
        share(|n| n.want, |n| n.full, total - want)
    } else {
        needs.iter().map(|n| n.full + (total - full) * n.full / full).collect()
    }
}

/// Widths when the body cells do not all fit: columns whose `want` is at
/// most `threshold` get it, the others share the rest in proportion to
/// their `want`, each at least its `min`. `None` when the short columns
/// leave too little for the minimums of the others.
fn short_first(needs: &[ColumnNeed], total: f64, threshold: f64) -> Option<Vec<f64>> {
    let mut fixed: Vec<Option<f64>> =
        needs.iter().map(|n| (threshold > EPS && n.want <= threshold + EPS).then_some(n.want)).collect();
    loop {
        let taken: f64 = fixed.iter().flatten().sum();
        let flexible = needs.iter().zip(&fixed).filter(|(_, f)| f.is_none()).map(|(n, _)| n);
        let (least, wanted) = flexible.fold((0.0, 0.0), |(l, w), n| (l + n.min, w + n.want));
        let rest = total - taken;
        if rest < least - EPS {
            return None;
        }
        if wanted <= EPS {
            break;
        }
        // A column whose share is under its minimum gets the minimum; the rest is shared again.
        let mut changed = false;
        for (n, f) in needs.iter().zip(fixed.iter_mut()) {
            if f.is_none() && rest * n.want / wanted < n.min - EPS {
                *f = Some(n.min);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let taken: f64 = fixed.iter().flatten().sum();
    let wanted: f64 = needs.iter().zip(&fixed).filter(|(_, f)| f.is_none()).map(|(n, _)| n.want).sum();
    let mut widths: Vec<f64> = needs
        .iter()
        .zip(&fixed)
        .map(|(n, f)| f.unwrap_or_else(|| if wanted > EPS { (total - taken) * n.want / wanted } else { 0.0 }))
        .collect();
    // Every column fixed and room to spare: share it in proportion.
    let used: f64 = widths.iter().sum();
    if used > EPS && (total - used).abs() > EPS {
        widths.iter_mut().for_each(|w| *w *= total / used);
    }
    Some(widths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(min: f64, want: f64, full: f64) -> ColumnNeed {
        ColumnNeed { min, want, full }
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6)
    }

    /// Lines of a one-row table whose cells are `text` points of text.
    fn one_row(text: &[f64]) -> impl Fn(&[f64]) -> f64 + '_ {
        move |w: &[f64]| text.iter().zip(w).map(|(t, w)| (t / w - 1e-9).ceil().max(1.0)).fold(1.0, f64::max)
    }

    #[test]
    fn columns_get_what_their_content_needs_first() {
        // A number column next to a long text column keeps its width; the
        // text column takes the rest and wraps.
        let needs = [need(40.0, 40.0, 55.0), need(50.0, 900.0, 900.0)];
        let w = fit_columns(&needs, 440.0, one_row(&[40.0, 900.0]));
        assert!(close(&w, &[40.0, 400.0]), "{w:?}");
        // A short label stays whole when that costs the table no line.
        let needs = [need(60.0, 60.0, 60.0), need(50.0, 320.0, 320.0)];
        let w = fit_columns(&needs, 300.0, one_row(&[60.0, 320.0]));
        assert!(close(&w, &[60.0, 240.0]), "{w:?}");
        // Two long columns share in proportion to what they want: two
        // lines each rather than one and three.
        let needs = [need(20.0, 200.0, 200.0), need(20.0, 600.0, 600.0)];
        let w = fit_columns(&needs, 400.0, one_row(&[200.0, 600.0]));
        assert!(close(&w, &[100.0, 300.0]), "{w:?}");
        // Never under a column's minimum.
        let needs = [need(30.0, 30.0, 30.0), need(90.0, 200.0, 200.0), need(60.0, 900.0, 900.0)];
        let w = fit_columns(&needs, 440.0, one_row(&[30.0, 200.0, 900.0]));
        assert!(close(&w, &[30.0, 90.0, 320.0]), "{w:?}");
        // Body cells fit: headers that would wrap get the room first.
        let w = fit_columns(&[need(40.0, 40.0, 100.0), need(40.0, 100.0, 100.0)], 200.0, |_| 0.0);
        assert!(close(&w, &[100.0, 100.0]), "{w:?}");
        let w = fit_columns(&[need(40.0, 40.0, 140.0), need(40.0, 100.0, 100.0)], 200.0, |_| 0.0);
        assert!(close(&w, &[100.0, 100.0]), "{w:?}");
        // Everything fits: the rest in proportion to the full widths.
        let w = fit_columns(&[need(20.0, 30.0, 50.0), need(20.0, 30.0, 150.0)], 400.0, |_| 0.0);
        assert!(close(&w, &[100.0, 300.0]), "{w:?}");
        // Not even the minimums fit: they shrink in proportion.
        let w = fit_columns(&[need(300.0, 300.0, 300.0), need(100.0, 500.0, 500.0)], 200.0, |_| 0.0);
        assert!(close(&w, &[150.0, 50.0]), "{w:?}");
        // The widths always add up.
        for total in [10.0, 100.0, 441.0, 1000.0] {
            let needs =
                [need(30.0, 45.0, 60.0), need(55.0, 55.0, 70.0), need(40.0, 700.0, 700.0), need(10.0, 10.0, 10.0)];
            let w = fit_columns(&needs, total, one_row(&[45.0, 55.0, 700.0, 10.0]));
            assert!((w.iter().sum::<f64>() - total).abs() < 1e-6, "{total}: {w:?}");
            assert!(w.iter().all(|&x| x > 0.0));
        }
    }
}
