//! Tables: cells broken into lines, rows measured, over-tall rows split.
//!
//! Built by `blocks` from a `doc::Table`; `paginate` places the rows (a row
//! never splits across pages, the header repeats on every page the table
//! continues on) and `draw` draws text and 0.5 pt rules. The table spans
//! the text block (SPEC §6); column widths come from
//! `Table::column_weights()` through `doc::distribute`, like the DOCX writer.

use crate::diag::{Code, Diagnostic, Diags};
use crate::doc::{Align as ColumnAlign, Inline, Table, distribute};
use crate::style::Face;

use super::blocks::pieces;
use super::linebreak::{Align, Frame, Paragraph, SetLine};
use super::shape::Shaper;

/// Twentieths of a point per point (the unit of `Pt::twips`).
const TWIPS_PER_PT: f64 = 20.0;

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

/// Does the cell hold a number (set flush right when its column has no alignment)?
fn numeric(cell: &[Inline]) -> bool {
    let text = crate::doc::inline_text(cell);
    let t = text.trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_digit() || ".,%‰+-−".contains(c))
}

/// Lay out `table` across `width` points; rows taller than `page_height`
/// are split (with an L001 warning). `None` for a table without columns.
pub(crate) fn build_table(
    shaper: &mut Shaper<'_>,
    table: &Table,
    width: f64,
    page_height: f64,
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
    // Widths in twips, as the DOCX writer divides them, so both agree.
    let parts = distribute(style.text_width().twips().max(0) as usize, &table.column_weights());
    let mut columns = Vec::with_capacity(cols);
    let mut x = 0.0;
    for tw in parts {
        let w = tw as f64 / TWIPS_PER_PT;
        columns.push((x, w));
        x += w;
    }
    // The last column ends exactly on the block edge.
    if let Some(last) = columns.last_mut() {
        last.1 = width - last.0;
    }
    let aligns: Vec<Align> = (0..cols)
        .map(|c| match table.align.get(c).copied().unwrap_or_default() {
            ColumnAlign::Left => Align::Left,
            ColumnAlign::Center => Align::Center,
            ColumnAlign::Right => Align::Right,
            ColumnAlign::Default => {
                let mut cells = table.rows.iter().filter_map(|r| r.get(c)).filter(|c| !c.is_empty()).peekable();
                if cells.peek().is_some() && cells.all(|c| numeric(c)) { Align::Right } else { Align::Left }
            }
        })
        .collect();

    let empty: Vec<Inline> = Vec::new();
    let mut rows = Vec::with_capacity(table.rows.len() + 1);
    let header = !table.header.is_empty();
    let lay_row = |shaper: &mut Shaper<'_>, cells: &[Vec<Inline>], is_header: bool| -> Vec<(Vec<SetLine>, Face)> {
        (0..cols)
            .map(|c| {
                let content = cells.get(c).unwrap_or(&empty);
                let face = if is_header { Face::Hei } else { Face::Fang };
                let align = if is_header { Align::Center } else { aligns[c] };
                let (cx, cw) = columns[c];
                let frame = Frame {
                    width: (cw - 2.0 * pad_x).max(shaper.cell(size)),
                    first_indent: 0.0,
                    rest_indent: 0.0,
                    align,
                    cell: shaper.cell(size),
                };
                let chunks = shaper.shape(&pieces(content, face, false), size);
                let para = Paragraph::new(chunks, frame);
                // Balanced like a title: a wrapped cell never leaves one
                // character alone on its last line.
                let mut lines = para.set(&para.balanced());
                for l in &mut lines {
                    l.shift(cx + pad_x);
                }
                (lines, face)
            })
            .collect()
    };
    let header_cells = header.then(|| lay_row(shaper, &table.header, true));
    let header_height = header_cells.as_ref().map_or(0.0, |c| row_height(c, pitch, pad_y));
    if let Some(cells) = header_cells {
        rows.push(make_row(cells, pitch, pad_y));
    }
    // Room for one row on a fresh page, under the repeated header.
    let max_lines = (((page_height - header_height - 2.0 * pad_y) / pitch) as usize).max(1);
    for (r, cells) in table.rows.iter().enumerate() {
        let laid = lay_row(shaper, cells, false);
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
