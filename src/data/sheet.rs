//! Records from spreadsheets: `data/*.xlsx` and `data/*.csv` read into the
//! same `Located` values a YAML file gives, so that every later stage
//! (context, records, `stats`) cannot tell them apart.
//!
//! A sheet is a list of records: the header row names the keys, each row
//! below is one record. In a file named after a record kind
//! (`proposals.xlsx`) headers may be the field names or the Chinese headers
//! offices use (`records::Kind::field_of_header`), and cells are converted
//! to what the field holds (an Excel date to `2023-01-15`, 是/否 to
//! true/false, `县财政局、县教育局` to a list). Every value is registered as
//! one cell of the file (`Sources::add_cells`), so a diagnostic names the
//! place as `data/proposals.xlsx: 办理情况!C7`. The rules are in
//! docs/records.md, "Spreadsheets".

use std::path::Path;

use calamine::{Data, Reader as _};
use sha2::Digest as _;

use super::records::{Kind, Ty};
use super::yaml::{Located, Node};
use crate::diag::{Cell, Code, Diagnostic, Diags, FileId, Sources};
use crate::limits::Limits;
use crate::textfile::Encoding;

/// Whether `p` is a spreadsheet wengao reads (`*.xlsx`, `*.csv`, any case).
pub fn is_sheet(p: &Path) -> bool {
    p.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("xlsx") || x.eq_ignore_ascii_case("csv"))
}

/// Whether `p` is a spreadsheet wengao does not read, but could after a
/// "save as .xlsx" (old Excel, WPS, LibreOffice).
pub fn is_other_sheet(p: &Path) -> bool {
    p.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| ["xls", "xlsm", "xlsb", "et", "ods"].iter().any(|e| x.eq_ignore_ascii_case(e)))
}

/// One sheet read into cells: row and column numbers are Excel's (1-based).
struct Grid {
    /// The sheet's name (`None` for CSV).
    sheet: Option<String>,
    /// Non-empty rows: (row, cells as (column, value)), in order.
    rows: Vec<(u32, Vec<(u32, Data)>)>,
    /// Merged regions as (first row, first column, last row, last column).
    merged: Vec<(u32, u32, u32, u32)>,
}

/// Read one spreadsheet and register its cells. `stem` is its data key
/// (`proposals`), which says whether it holds records of a kind. Gives the
/// file, the value (a list of records) and any diags; an error leaves
/// the file out.
pub fn load(
    path: &Path,
    shown: &Path,
    stem: &str,
    sources: &mut Sources,
    limits: &Limits,
    encoding: Encoding,
) -> Result<(FileId, Located, Diags), Diagnostic> {
    let is_csv = path.extension().and_then(|x| x.to_str()).is_some_and(|x| x.eq_ignore_ascii_case("csv"));
    let mut diags = Diags::new();
    let bytes = crate::textfile::read_regular(path, limits.file_bytes())
        .map_err(|e| crate::textfile::cannot_read(Code::DataRead, shown, &e))?;
    let trailer: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    let grid = if is_csv {
        let (text, warning) = crate::textfile::decode_bytes(bytes, shown, Code::DataRead, encoding)?;
        diags.0.extend(warning);
        csv_grid(&text, shown, limits)?
    } else {
        xlsx_grid(bytes, shown, stem, limits)?
    };
    let mut table = Table { grid: &grid, cells: Vec::new(), offset: 0, kind: Kind::from_key(stem) };
    let value = table.records(shown, &mut diags);
    let Table { cells, .. } = table;
    let file = sources.add_cells(shown, cells, &trailer);
    diags.0.iter_mut().for_each(|d| fix_span(d, file));
    match value {
        Ok(v) => Ok((file, v, diags)),
        Err(mut d) => {
            fix_span(&mut d, file);
            Err(d)
        }
    }
}

/// Read the sheet of an .xlsx workbook that holds the records.
fn xlsx_grid(bytes: Vec<u8>, shown: &Path, stem: &str, limits: &Limits) -> Result<Grid, Diagnostic> {
    let unreadable = |e: calamine::XlsxError| {
        Diagnostic::error(Code::DataRead, format!("cannot read the workbook: {e}"))
            .with_path(shown)
            .with_hint("open it in Excel or WPS and save it again as an .xlsx workbook (Excel 2007 and later)")
    };
    // An .xlsx is a zip of XML: refuse one that would unpack to far more
    // than a workbook of its size holds (a zip bomb) before calamine
    // inflates its sheets into memory. The sizes are those the archive
    // declares; a real workbook unpacks to 5–20 times its size.
    let unpacked = unpacked_size(&bytes);
    let most = limits.file_bytes().saturating_mul(UNPACKED_PER_BYTE);
    let packed = bytes.len() as u64;
    let mib = unpacked / 1048576;
    if unpacked > BOMB_FLOOR && unpacked / packed.max(1) > BOMB_RATIO {
        return Err(Diagnostic::error(
            Code::DataRead,
            format!("the workbook would unpack to {mib} MiB, {} times its size: no workbook does", unpacked / packed.max(1)),
        )
        .with_path(shown)
        .with_hint("a real workbook unpacks to 5–20 times its size; this file is damaged or made to exhaust memory: open it in Excel or WPS and save it again, or take it again from where it came"));
    }
    if unpacked > most {
        return Err(Diagnostic::error(
            Code::DataRead,
            format!("the workbook would unpack to {mib} MiB, over {UNPACKED_PER_BYTE} times the `file_mib` limit"),
        )
        .with_path(shown)
        .with_hint("split the records into several workbooks, or raise `file_mib` under [limits] in wengao.toml"));
    }
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let visible: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut filled = Vec::new();
    for name in &visible {
        let range = book.worksheet_range(name).map_err(unreadable)?;
        if range.used_cells().next().is_some() {
            filled.push((name.clone(), range));
        }
    }
    let names: Vec<String> = filled.iter().map(|(n, _)| n.clone()).collect();
    let chosen = if filled.len() == 1 {
        filled.pop()
    } else {
        let at = filled.iter().position(|(n, _)| n == stem);
        at.map(|i| filled.swap_remove(i))
    };
    let Some((name, range)) = chosen else {
        let message = if names.is_empty() {
            "the workbook has no sheet with data".to_string()
        } else {
            format!(
                "the workbook has {} sheets with data ({}): wengao cannot tell which holds the records",
                names.len(),
                names.join("、")
            )
        };
        return Err(Diagnostic::error(Code::DataType, message).with_path(shown).with_hint(format!(
            "keep the records on one sheet and delete or empty the others, or name the records' sheet `{stem}` \
             (hidden sheets are not read)"
        )));
    };
    if range.get_size().0.saturating_mul(range.get_size().1) > limits.yaml_values {
        return Err(Diagnostic::error(
            Code::DataRead,
            format!("sheet {name} spans more than {} cells", limits.yaml_values),
        )
        .with_path(shown)
        .with_hint(
            "delete the rows and columns that hold nothing, or raise `yaml_values` under [limits] in wengao.toml",
        ));
    }
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (r, row) in range.rows().enumerate() {
        let cells: Vec<(u32, Data)> = row
            .iter()
            .enumerate()
            .filter(|(_, d)| !is_blank(d))
            .map(|(c, d)| (col0 + c as u32 + 1, d.clone()))
            .collect();
        if !cells.is_empty() {
            rows.push((row0 + r as u32 + 1, cells));
        }
    }
    // Only to explain a blank header cell: a sheet whose merged cells
    // cannot be read is still read.
    let merged = book
        .merge_cells_by_sheet_name(&name)
        .unwrap_or_default()
        .iter()
        .map(|d| (d.start.0 + 1, d.start.1 + 1, d.end.0 + 1, d.end.1 + 1))
        .collect();
    Ok(Grid { sheet: Some(name), rows, merged })
}

/// How many bytes of XML a workbook may unpack to per byte of `file_mib`.
const UNPACKED_PER_BYTE: u64 = 32;

/// A workbook unpacking to more than this (64 MiB) …
const BOMB_FLOOR: u64 = 64 << 20;
/// … and to more than this many times its size is a zip bomb, not a
/// workbook (real ones unpack to 5–20 times their size).
const BOMB_RATIO: u64 = 100;

/// The sum of the sizes a zip archive declares for its members (0 when it
/// is no zip: calamine then says why it cannot be read).
fn unpacked_size(bytes: &[u8]) -> u64 {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return 0 };
    (0..archive.len()).filter_map(|i| archive.by_index_raw(i).ok().map(|f| f.size())).fold(0, u64::saturating_add)
}

/// Read a CSV text: every field is text, and a field that is a plain
/// number (`12`, `-3`, `12.5`; not `007`, which is a code) is that number,
/// as in a YAML file.
fn csv_grid(text: &str, shown: &Path, limits: &Limits) -> Result<Grid, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut count = 0usize;
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Diagnostic::error(Code::DataRead, format!("cannot read the CSV file at line {line}: {e}"))
                .with_path(shown)
                .with_hint("a field that holds a comma, a quote or a line break must be in double quotes, with \"\" for a quote inside")
        })?;
        count += record.len();
        if count > limits.yaml_values {
            return Err(Diagnostic::error(
                Code::DataRead,
                format!("file holds more than {} fields", limits.yaml_values),
            )
            .with_path(shown)
            .with_hint("split the file, or raise `yaml_values` under [limits] in wengao.toml"));
        }
        let cells: Vec<(u32, Data)> = record
            .iter()
            .enumerate()
            .map(|(c, field)| (c as u32 + 1, csv_value(field)))
            .filter(|(_, d)| !is_blank(d))
            .collect();
        if !cells.is_empty() {
            rows.push((r as u32 + 1, cells));
        }
    }
    Ok(Grid { sheet: None, rows, merged: Vec::new() })
}

fn csv_value(field: &str) -> Data {
    let t = field.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let plain_whole =
        !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && (whole == "0" || !whole.starts_with('0'));
    match fraction {
        None if plain_whole => t.parse().map_or_else(|_| Data::String(field.to_string()), Data::Int),
        Some(f) if plain_whole && !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            t.parse().map_or_else(|_| Data::String(field.to_string()), Data::Float)
        }
        _ => Data::String(field.to_string()),
    }
}

fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Turning a grid into records, registering each cell it points at.
struct Table<'a> {
    grid: &'a Grid,
    /// The registered cells and their text, one line each.
    cells: Vec<(Cell, String)>,
    /// Byte offset of the next cell's line.
    offset: usize,
    /// The record kind the file holds, if its name is one.
    kind: Option<Kind>,
}

/// One column: its header cell and the key it gives.
struct Column {
    column: u32,
    key: String,
    header: Located,
    ty: Option<Ty>,
}

impl Table<'_> {
    fn cell(&self, row: u32, column: u32) -> Cell {
        Cell { sheet: self.grid.sheet.clone(), row, column }
    }

    /// Register a cell showing `text`; a node there.
    fn at(&mut self, row: u32, column: u32, text: String, node: Node) -> Located {
        let start = self.offset;
        self.offset += text.len() + 1;
        let end = start + text.len();
        let line = self.cells.len() as u32 + 1;
        self.cells.push((self.cell(row, column), text));
        Located { node, line, column: 1, bytes: Some(start..end) }
    }

    /// A diagnostic's place: a cell, registered now (the file id is set by
    /// `load`).
    fn place(&mut self, row: u32, column: u32, text: String) -> crate::diag::Span {
        let at = self.at(row, column, text, Node::Null);
        pending(&at)
    }

    fn records(&mut self, shown: &Path, diags: &mut Diags) -> Result<Located, Diagnostic> {
        let grid = self.grid;
        let sheet = grid.sheet.as_deref().map_or_else(String::new, |s| format!("sheet {s}: "));
        let Some(first) = grid.rows.first() else {
            return Err(Diagnostic::error(Code::DataType, format!("{sheet}no header row and no records"))
                .with_path(shown)
                .with_hint("put the column headers in the first row and one record per row below"));
        };
        // A title row (one cell, often merged across the table: 2023年提案办理
        // 情况统计表) above the headers is passed over.
        let title_row = first.1.len() == 1 && grid.rows.get(1).is_some_and(|r| r.1.len() >= 2);
        let header_at = usize::from(title_row);
        let Some((header_row, header_cells)) = grid.rows.get(header_at) else {
            return Err(Diagnostic::error(Code::DataType, format!("{sheet}a title row and nothing under it"))
                .with_path(shown)
                .with_hint("put the column headers under the title and one record per row below"));
        };
        let body = &grid.rows[header_at + 1..];
        let mut columns: Vec<Column> = Vec::new();
        for (column, data) in header_cells {
            let text = shown_text(data);
            let header = self.at(*header_row, *column, text.clone(), Node::Str(text.trim().to_string()));
            let (key, ty) = match self.kind {
                None => (text.trim().to_string(), None),
                Some(kind) => match kind.field_of_header(&text) {
                    Some(f) => (f.name.to_string(), Some(f.ty)),
                    None if text.chars().filter(|c| !c.is_whitespace()).eq("序号".chars()) => continue,
                    None => {
                        let known: Vec<String> = kind
                            .fields()
                            .iter()
                            .map(|f| match kind.header_of(f.name) {
                                Some(zh) => format!("{zh} ({})", f.name),
                                None => f.name.to_string(),
                            })
                            .collect();
                        let span = pending(&header);
                        diags.push(
                            Diagnostic::warning(
                                Code::RecordUnknownKey,
                                format!(
                                    "the column `{}` is not a field of {}; it is left out",
                                    text.trim(),
                                    kind.title()
                                ),
                            )
                            .with_span(span)
                            .with_hint(format!("headers wengao knows: {}", known.join(", "))),
                        );
                        continue;
                    }
                },
            };
            if let Some(twin) = columns.iter().find(|c| c.key == key) {
                let twin_address = Cell::column_letters(twin.column);
                return Err(Diagnostic::error(
                    Code::DataType,
                    format!("two columns give `{key}`: column {twin_address} and this one"),
                )
                .with_span(pending(&header))
                .with_hint("delete one of the columns, or head one of them for another field"));
            }
            columns.push(Column { column: *column, key, header, ty });
        }
        // A column with values but no header (a blank or merged header cell).
        for (row, cells) in body {
            for (column, data) in cells {
                let headed =
                    columns.iter().any(|c| c.column == *column) || header_cells.iter().any(|(c, _)| c == column);
                if headed {
                    continue;
                }
                let merged = grid
                    .merged
                    .iter()
                    .find(|m| m.0 <= *header_row && *header_row <= m.2 && m.1 <= *column && *column <= m.3);
                let (message, hint) = match merged {
                    Some(m) => (
                        format!(
                            "column {} has values (first at {}{row}) but its header cell is merged into {}{}",
                            Cell::column_letters(*column),
                            Cell::column_letters(*column),
                            Cell::column_letters(m.1),
                            m.0
                        ),
                        "unmerge the header cells (合并后居中 → 取消单元格合并) and give each column its own header",
                    ),
                    None => (
                        format!(
                            "column {} has values (first at {}{row}: {}) but no header",
                            Cell::column_letters(*column),
                            Cell::column_letters(*column),
                            shown_text(data)
                        ),
                        "write the field's header in this cell, or delete the column's values",
                    ),
                };
                let span = self.place(*header_row, *column, String::new());
                return Err(Diagnostic::error(Code::DataType, message).with_span(span).with_hint(hint));
            }
        }
        if let Some(kind) = self.kind {
            let missing: Vec<&str> = kind
                .fields()
                .iter()
                .filter(|f| f.required && !columns.iter().any(|c| c.key == f.name))
                .map(|f| f.name)
                .collect();
            if !missing.is_empty() {
                let names: Vec<String> = missing
                    .iter()
                    .map(|f| kind.header_of(f).map_or_else(|| f.to_string(), |zh| format!("{zh} ({f})")))
                    .collect();
                let (first_column, first_data) = &header_cells[0];
                let span = self.place(*header_row, *first_column, shown_text(first_data));
                return Err(Diagnostic::error(
                    Code::RecordMissing,
                    format!("the header row has no column for {}, which {} must have", names.join(", "), kind.title()),
                )
                .with_span(span)
                .with_hint("add the column with that header (or the field name) and fill it in for every row"));
            }
        }
        let sheet_start = columns.first().map(|c| c.header.clone());
        let mut items = Vec::new();
        for (row, cells) in body {
            let mut entries = Vec::new();
            let mut anchor: Option<Located> = None;
            for (column, data) in cells {
                let Some(col) = columns.iter().find(|c| c.column == *column) else { continue };
                let text = shown_text(data);
                let node = match data {
                    Data::Error(e) => {
                        let span = self.place(*row, *column, text.clone());
                        // A warning, so that the records' own checks still run
                        // (a required field left out is reported as missing).
                        diags.push(
                            Diagnostic::warning(
                                Code::DataType,
                                format!("the cell shows the spreadsheet error {e}, not a value; it is left out"),
                            )
                            .with_span(span)
                            .with_hint("correct the formula or type the value into the cell"),
                        );
                        continue;
                    }
                    _ => value(data, col.ty),
                };
                let mut value = self.at(*row, *column, text, node);
                same_place(&mut value);
                let key = Located { node: Node::Str(col.key.clone()), ..col.header.clone() };
                if anchor.is_none() {
                    anchor = Some(value.clone());
                }
                entries.push((key, value));
            }
            let Some(anchor) = anchor else { continue };
            items.push(Located { node: Node::Map(entries), ..anchor });
        }
        let start = sheet_start.unwrap_or(Located { node: Node::Null, line: 1, column: 1, bytes: Some(0..0) });
        Ok(Located { node: Node::Seq(items), ..start })
    }
}

/// The items of a list or parts made from one cell are at that cell.
fn same_place(v: &mut Located) {
    let (line, bytes) = (v.line, v.bytes.clone());
    let at = |n: &mut Located| {
        n.line = line;
        n.column = 1;
        n.bytes = bytes.clone();
    };
    match &mut v.node {
        Node::Seq(items) => items.iter_mut().for_each(at),
        Node::Map(entries) => entries.iter_mut().for_each(|(k, val)| {
            at(k);
            at(val);
        }),
        _ => {}
    }
}

/// The file id of spans made while a sheet is read, before its cells are
/// registered: `load` sets the real one (`fix_span`).
const PENDING: FileId = FileId(u32::MAX);

/// A span at a node of the sheet being read.
fn pending(at: &Located) -> crate::diag::Span {
    let start = at.bytes.as_ref().map_or(0, |b| b.start);
    crate::diag::Span { file: PENDING, range: start..start }
}

/// Point a diagnostic made while the sheet was read at its registered file.
fn fix_span(d: &mut Diagnostic, file: FileId) {
    if let Some(span) = d.span.as_mut()
        && span.file == PENDING
    {
        span.file = file;
    }
}

/// A cell's value as the spreadsheet shows it, for the excerpt under a
/// diagnostic.
fn shown_text(d: &Data) -> String {
    match d {
        Data::DateTime(dt) if !dt.is_duration() => date_text(dt),
        Data::Float(f) => integral(*f).map_or_else(|| f.to_string(), |i| i.to_string()),
        other => other.to_string(),
    }
}

/// `f` as an integer when it is one (Excel stores every number as a float).
fn integral(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0).then_some(f as i64)
}

/// An Excel date as wengao writes dates: `2023-01-15`, with the time
/// (`2023-01-15 09:30`) only when there is one.
fn date_text(dt: &calamine::ExcelDateTime) -> String {
    let (y, m, d, h, min, s, _) = dt.to_ymd_hms_milli();
    if dt.as_f64() < 1.0 {
        return format!("{h:02}:{min:02}");
    }
    if (h, min, s) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}")
    }
}

/// A cell's value as a node, converted to what its field holds.
fn value(d: &Data, ty: Option<Ty>) -> Node {
    let node = match d {
        Data::Empty => Node::Null,
        Data::String(s) => Node::Str(s.trim().to_string()),
        Data::Int(i) => Node::Int(*i),
        Data::Float(f) => integral(*f).map_or(Node::Float(*f), Node::Int),
        Data::Bool(b) => Node::Bool(*b),
        Data::DateTime(dt) if dt.is_duration() => Node::Str(d.to_string()),
        Data::DateTime(dt) => Node::Str(date_text(dt)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Node::Str(s.clone()),
        Data::Error(e) => Node::Str(e.to_string()),
    };
    match (ty, node) {
        // A date typed as a number, or a cell whose format is not a date:
        // Excel's serial day number (1 = 1900-01-01).
        (Some(Ty::Date), Node::Int(n)) if (1..=2_958_465).contains(&n) => {
            let dt = calamine::ExcelDateTime::new(n as f64, calamine::ExcelDateTimeType::DateTime, false);
            Node::Str(date_text(&dt))
        }
        (Some(Ty::Bool), Node::Str(s)) => match s.to_lowercase().as_str() {
            "是" | "true" => Node::Bool(true),
            "否" | "false" => Node::Bool(false),
            _ => Node::Str(s),
        },
        (Some(Ty::TextList), Node::Str(s)) if s.contains(LIST_SEPARATORS) => Node::Seq(
            s.split(LIST_SEPARATORS)
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| Located { node: Node::Str(p.to_string()), line: 0, column: 0, bytes: None })
                .collect(),
        ),
        (Some(Ty::Parts), Node::Str(s)) => parts(&s).unwrap_or(Node::Str(s)),
        (_, node) => node,
    }
}

/// What separates the items of a list in one cell: 县财政局、县教育局.
const LIST_SEPARATORS: &[char] = &['、', '，', ',', '；', ';', '\n'];

/// `委员:30，部门负责人:9` (also with ：) as a mapping of names to numbers.
fn parts(s: &str) -> Option<Node> {
    let mut entries = Vec::new();
    for part in s.split(LIST_SEPARATORS).map(str::trim).filter(|p| !p.is_empty()) {
        let (name, n) = part.split_once([':', '：'])?;
        let number = match csv_value(n.trim()) {
            Data::Int(i) => Node::Int(i),
            Data::Float(f) => Node::Float(f),
            _ => return None,
        };
        let located = |node| Located { node, line: 0, column: 0, bytes: None };
        entries.push((located(Node::Str(name.trim().to_string())), located(number)));
    }
    (!entries.is_empty()).then_some(Node::Map(entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_numbers_are_plain_numbers_only() {
        assert_eq!(csv_value("12"), Data::Int(12));
        assert_eq!(csv_value("-3"), Data::Int(-3));
        assert_eq!(csv_value("12.5"), Data::Float(12.5));
        assert_eq!(csv_value("007"), Data::String("007".into()));
        assert_eq!(csv_value("2023-001"), Data::String("2023-001".into()));
        assert_eq!(csv_value("1."), Data::String("1.".into()));
    }

    #[test]
    fn cells_become_what_their_field_holds() {
        assert_eq!(value(&Data::Float(12.0), None), Node::Int(12));
        assert_eq!(value(&Data::Float(12.5), None), Node::Float(12.5));
        assert_eq!(value(&Data::Float(44941.0), Some(Ty::Date)), Node::Str("2023-01-15".into()));
        assert_eq!(value(&Data::String(" 是 ".into()), Some(Ty::Bool)), Node::Bool(true));
        let Node::Seq(items) = value(&Data::String("县财政局、县教育局".into()), Some(Ty::TextList)) else {
            panic!("a list")
        };
        assert_eq!(items.len(), 2);
        assert!(matches!(parts("委员:30，部门负责人：9"), Some(Node::Map(m)) if m.len() == 2));
    }

    /// The committed workbook of a bad-input case, loaded as `data/NAME`.
    fn load_fixture(case: &str, name: &str) -> (serde_json::Value, Diags, Sources) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let bytes =
            std::fs::read(root.join("tests/bad-inputs").join(case).join("data/proposals.xlsx")).expect("fixture");
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("data")).expect("mkdir");
        std::fs::write(dir.path().join("data").join(name), bytes).expect("write");
        let mut sources = Sources::new();
        let (set, diags) = crate::data::DataSet::load_dir(&dir.path().join("data"), dir.path(), &mut sources);
        let values = set.values().map(|(k, v)| (k.to_string(), serde_json::to_value(&v).expect("serialize")));
        (serde_json::Value::Object(values.collect()), diags, sources)
    }

    #[test]
    fn of_several_sheets_the_one_named_after_the_file_is_read_and_other_files_keep_their_headers() {
        // Sheets 一季度 and 二季度: as data/一季度.xlsx, the first is read,
        // and as its name is no record kind, headers are keys as written.
        let (v, diags, _) = load_fixture("sheet-two-sheets", "一季度.xlsx");
        assert!(!diags.has_errors(), "{diags:?}");
        let rows = v["一季度"].as_array().expect("a list");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["提案号"], "2023-001");
        assert_eq!(rows[0]["序号"], 1, "a whole number stays an integer");
        assert_eq!(rows[0]["集体提案"], "是", "no field, no conversion");
        assert_eq!(rows[0]["提交日期"], "2023-01-15", "a date cell is a date");
    }

    #[test]
    fn a_proposals_sheet_gives_fields_of_the_kinds_types() {
        let (v, diags, sources) = load_fixture("sheet-and-yaml", "proposals.xlsx");
        assert!(diags.is_empty(), "{diags:?}");
        let first = &v["proposals"][0];
        assert_eq!(first["id"], "2023-001");
        assert_eq!(first["collective"], true);
        assert_eq!(first["date"], "2023-01-15");
        assert!(first.get("序号").is_none(), "序号 is passed over");
        let file = sources.get(crate::diag::FileId(0)).expect("registered");
        assert!(file.is_sheet());
        let at = file.text.find("关于建设县级物流分拨中心的建议").expect("a cell's text");
        assert_eq!(file.place(at), "办理情况!C2");
    }

    #[test]
    fn the_lock_file_of_an_open_workbook_is_not_data() {
        let (v, diags, _) = load_fixture("sheet-and-yaml", "proposals.xlsx");
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).expect("mkdir");
        std::fs::write(data.join("~$proposals.xlsx"), b"\x0cowner\0\0").expect("write");
        let mut sources = Sources::new();
        let (set, lock_diags) = crate::data::DataSet::load_dir(&data, dir.path(), &mut sources);
        assert!(lock_diags.is_empty(), "{lock_diags:?}");
        assert_eq!(set.keys().count(), 0);
        assert!(diags.is_empty() && v["proposals"].is_array());
    }

    #[test]
    fn a_problem_inside_a_cell_is_at_that_cell() {
        // 人员构成 (parts) adds up to 42, 参会人数 says 40: R007 at E3, and
        // 议题 split on 、 into a list.
        let csv = "会议台账\n日期,会议类型,会议名称,参会人数,人员构成,议题\n\
                   2023-03-02,常委会,十届三次常委会,40,委员:30，部门负责人:12,预算、教育\n\n\n";
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("data")).expect("mkdir");
        std::fs::write(dir.path().join("data/meetings.csv"), csv).expect("write");
        let mut sources = Sources::new();
        let (set, diags) = crate::data::DataSet::load_dir(&dir.path().join("data"), dir.path(), &mut sources);
        assert!(diags.is_empty(), "{diags:?}");
        let (_, diags) = crate::data::records::collect(&set, &sources, Some(2023));
        let sum = diags.iter().find(|d| d.code == Code::RecordSum).expect("R007");
        let span = sum.span.as_ref().expect("placed");
        let file = sources.get(span.file).expect("file");
        assert_eq!(file.location(span.range.start), "data/meetings.csv: E3");
        let topics = set.values().find(|(k, _)| *k == "meetings").map(|(_, v)| serde_json::to_value(&v).expect("json"));
        assert_eq!(topics.expect("meetings")[0]["topics"], serde_json::json!(["预算", "教育"]));
    }

    #[test]
    fn column_letters_run_past_z() {
        assert_eq!(Cell::column_letters(1), "A");
        assert_eq!(Cell::column_letters(26), "Z");
        assert_eq!(Cell::column_letters(27), "AA");
        assert_eq!(Cell::column_letters(703), "AAA");
    }
}
