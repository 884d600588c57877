//! Diagnostics: one type for every error and warning wengao reports.
//!
//! Library code builds `Diagnostic`s with byte spans into files registered in
//! `Sources`; only `emit_human` / `emit_json`, called from `main`, turn spans
//! into 1-based line and column and print. Nothing here exits.
//!
//! # JSON wire format (`--message-format json`)
//!
//! One object per line on stderr, one line per diagnostic:
//!
//! ```json
//! {"severity":"error","code":"D001","message":"…","file":"data/a.yaml","line":3,"column":7,"hint":"…"}
//! ```
//!
//! `file`, `line` and `column` are `null` when the diagnostic has no position
//! (e.g. a missing folder); `line`/`column` are 1-based, the column counted in
//! characters; `hint` is `null` or the hints joined with "; ". A place in a
//! spreadsheet (`data/*.xlsx`, `data/*.csv`) adds `cell`, the cell as a
//! spreadsheet names it (`"办理情况!C7"`, `"C7"` in a CSV file), and
//! `line`/`column` are its row and column numbers.

use std::fmt;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot produce a correct document.
    Error,
    /// The document builds, but something is probably wrong.
    Warning,
}

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal,)*) => {
        /// Stable diagnostic codes. A stage letter (C config, D data, R records,
        /// T template, M markup, F fonts, L layout, Q quality lints on the
        /// rendered text, O output, I internal) plus three digits; a published
        /// code is never renumbered.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($(#[$doc])* $name,)* }
        impl Code {
            /// Every code, for the uniqueness test and documentation.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];
            /// The printed form, e.g. "D001".
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $code,)* }
            }
        }
    };
}

codes! {
    /// wengao.toml cannot be read or parsed.
    ConfigSyntax = "C001",
    /// wengao.toml has a wrong value (unknown format, impossible style …).
    ConfigValue = "C002",
    /// The project folder or a required sub-folder is missing.
    ProjectLayout = "C003",
    /// `[matrix]` in wengao.toml is inconsistent (unknown template, bad output pattern, a name taken).
    MatrixConfig = "C004",
    /// The data collection a `[matrix]` runs over is missing or malformed (an item without a key …).
    MatrixCollection = "C005",
    /// A data file is not valid YAML.
    YamlSyntax = "D001",
    /// A data file cannot be read (I/O, encoding).
    DataRead = "D002",
    /// Two data files (or two `--data` files) define the same key.
    DataKeyConflict = "D003",
    /// A data value has the wrong shape for where it is used.
    DataType = "D004",
    /// A null value in the data (reported where a template prints it).
    DataNull = "D005",
    /// A record (meeting, proposal, funding item, appointment) or a field of one has the wrong shape.
    RecordType = "R001",
    /// A record lacks a required field.
    RecordMissing = "R002",
    /// A record has a key its kind does not know (warning: probably a typo).
    RecordUnknownKey = "R003",
    /// A record's date is not a real calendar date.
    RecordDate = "R004",
    /// An impossible number: a negative count or amount, a share outside 0–100.
    RecordRange = "R005",
    /// A value outside the accepted terms (meeting kind, status, action, rank, party …).
    RecordEnum = "R006",
    /// A record's parts do not add up to its stated total, or one part exceeds it.
    RecordSum = "R007",
    /// A funding item marked as a rise whose previous amount is above the current one.
    RecordDecrease = "R008",
    /// Two records of a kind share an `id`.
    RecordDuplicate = "R009",
    /// A record dated outside the report year (warning).
    RecordYear = "R010",
    /// Template syntax error.
    TemplateSyntax = "T001",
    /// A variable or field used by a template is not defined.
    TemplateUndefined = "T002",
    /// A filter or function was called with bad input.
    TemplateFilter = "T003",
    /// Any other error while rendering a template.
    TemplateRender = "T004",
    /// A template, include or layout cannot be found or read.
    TemplateMissing = "T005",
    /// A template overran a `[limits]` bound (render time, output size).
    TemplateLimit = "T006",
    /// Front matter is not valid YAML.
    FrontMatterSyntax = "M001",
    /// A front matter field is unknown or has the wrong type.
    FrontMatterField = "M002",
    /// Markup wengao cannot print faithfully (raw HTML, footnotes, deep headings …).
    MarkupUnsupported = "M003",
    /// An image is missing, unreadable or outside the project.
    MarkupImage = "M004",
    /// A document has no body text.
    MarkupEmpty = "M005",
    /// A collection's article marker is malformed: an empty or misplaced
    /// `author:` line, or `toc: true` with no `#` article.
    MarkupArticle = "M006",
    /// No installed or bundled font serves a face; another face stands in.
    FontSubstituted = "F001",
    /// A character no loaded font has.
    FontMissingGlyph = "F002",
    /// A font file cannot be read or parsed.
    FontUnreadable = "F003",
    /// No Chinese font at all: PDF cannot be made.
    FontNone = "F004",
    /// Content that cannot be laid out as asked (a table row taller than a page …).
    LayoutOverflow = "L001",
    /// A document would have more pages than `[limits] pages` allows.
    LayoutLimit = "L002",
    /// A placeholder left in the text: xx县, ××同志, 某某, ＿＿, 【待补充】, X月X日, TODO, ？？ …
    LintPlaceholder = "Q001",
    /// A number slot that printed empty or as None/null/nan: "提拔任用人", "占%", "（）".
    LintEmptyNumber = "Q002",
    /// A stated share that is not the part over the total: "45人，其中28人，占65%".
    LintShare = "Q003",
    /// A rise that goes down or a fall that goes up: "由20230元提高到300元".
    LintRiseFall = "Q004",
    /// A total that is not the sum of its listed parts: "12人（其中正科5人，副科6人）".
    LintTotal = "Q005",
    /// A 顿号 between titles that follow each other: "《条例》、《规定》".
    LintTitleComma = "Q006",
    /// Quotation or book-title marks that do not pair up in a paragraph.
    LintUnpaired = "Q007",
    /// Figures of a thousand or more written with a thousands separator in
    /// one place and without in another: "1,280万元" and "3470万元".
    LintThousands = "Q008",
    /// A 发文字号 whose year is not in 六角括号: "青政办发[2024]5号", "（2024）", "【2024】".
    LintDocNoBrackets = "Q009",
    /// A 密级 without a 份号 (GB/T 9704 §7.2.1: 涉密公文应当标注份号).
    LintSecrecyWithoutCopyNo = "Q010",
    /// A 请示 (上行文) without 签发人 (GB/T 9704 §7.2.6).
    LintRequestWithoutSigner = "Q011",
    /// A 抄送 list that does not end in 。 (GB/T 9704 §7.4.2).
    LintCcEnding = "Q012",
    /// A 成文日期 before a date the text reports as past ("截至12月20日" in a document dated 12月15日).
    LintDateBeforeFacts = "Q013",
    /// An output format wengao does not know.
    OutputFormat = "O001",
    /// An output name that would leave the output folder.
    OutputName = "O002",
    /// An output file or folder cannot be written.
    OutputWrite = "O003",
    /// A writer failed to produce its format.
    OutputWriter = "O004",
    /// Two documents would write the same output file.
    OutputClash = "O005",
    /// The build cache (out/.wengao-cache) cannot be read (ignored: everything is rebuilt) or written.
    OutputCache = "O006",
    /// A bug in wengao: please report it.
    Internal = "I001",
}

impl Code {
    /// The quality lints (Q…) on the rendered text: the codes `[check] allow`
    /// in wengao.toml and `allow:` in front matter may name.
    pub fn lint_codes() -> Vec<&'static str> {
        Code::ALL.iter().map(|c| c.as_str()).filter(|s| s.starts_with('Q')).collect()
    }

    /// Is `code` (any case) a lint code that `allow` may name?
    pub fn is_lint_code(code: &str) -> bool {
        Code::lint_codes().iter().any(|c| c.eq_ignore_ascii_case(code))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index of a file registered in `Sources`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in a registered file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Which file.
    pub file: FileId,
    /// Byte range in its text.
    pub range: Range<usize>,
}

/// One error or warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code.
    pub code: Code,
    /// What is wrong: lowercase, no final period.
    pub message: String,
    /// Where; `None` for problems with no position (a missing folder).
    pub span: Option<Span>,
    /// A file to name when there is no span to give (a file we could not read).
    pub path: Option<PathBuf>,
    /// What to do about it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, message: message.into(), span: None, path: None, hints: vec![] }
    }
    /// A new warning.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }
    /// A bug in wengao, reported instead of panicking.
    pub fn internal(message: impl Into<String>) -> Self {
        Diagnostic::error(Code::Internal, message)
            .with_hint("this is a bug in wengao; please report it with the input that caused it")
    }
    /// Attach a position.
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }
    /// Attach a position if there is one.
    pub fn with_span_opt(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }
    /// Name a file without a position.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }
    /// Add a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
    /// Is this an error (not a warning)?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A list of diagnostics: stages collect many rather than stop at the first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diags(pub Vec<Diagnostic>);

impl Diags {
    /// Empty list.
    pub fn new() -> Self {
        Diags(Vec::new())
    }
    /// Add one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    /// Add all of another list.
    pub fn extend(&mut self, other: Diags) {
        self.0.extend(other.0);
    }
    /// Any error (not warning)?
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    /// Any warning?
    pub fn has_warnings(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Warning)
    }
    /// Is the list empty?
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Iterate.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diags {
    fn from(d: Diagnostic) -> Self {
        Diags(vec![d])
    }
}

/// A spreadsheet cell (`data/proposals.xlsx`, sheet 办理情况, C7): what a
/// line of a sheet's registered text stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The sheet's name (`None` for a CSV file, which has one unnamed sheet).
    pub sheet: Option<String>,
    /// 1-based row, as Excel numbers it.
    pub row: u32,
    /// 1-based column (A = 1).
    pub column: u32,
}

impl Cell {
    /// The column letters: 1 → A, 27 → AA.
    pub fn column_letters(column: u32) -> String {
        let mut n = column;
        let mut letters = Vec::new();
        while n > 0 {
            let rem = (n - 1) % 26;
            letters.push(char::from(b'A' + rem as u8));
            n = (n - 1) / 26;
        }
        letters.iter().rev().collect()
    }

    /// `C7`.
    pub fn address(&self) -> String {
        format!("{}{}", Cell::column_letters(self.column), self.row)
    }

    /// The reference a spreadsheet program takes: `办理情况!C7`, `'Sheet 1'!C7`
    /// (Excel quotes a sheet name holding spaces or punctuation), or `C7` in a
    /// CSV file.
    pub fn reference(&self) -> String {
        match &self.sheet {
            None => self.address(),
            Some(name) if name.chars().any(|c| c.is_whitespace() || (c.is_ascii_punctuation() && c != '_')) => {
                format!("'{}'!{}", name.replace('\'', "''"), self.address())
            }
            Some(name) => format!("{name}!{}", self.address()),
        }
    }
}

/// A file whose text diagnostics may point into.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the user (relative to the project when possible).
    pub path: PathBuf,
    /// Full text.
    pub text: String,
    line_starts: Vec<usize>,
    /// For a spreadsheet, the cell each line of `text` stands for (one line
    /// a cell); empty for a text file.
    cells: Vec<Cell>,
}

impl SourceFile {
    fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile { path, text, line_starts, cells: Vec::new() }
    }

    /// The cell a byte offset of a spreadsheet's text stands for (`None` in
    /// a text file).
    pub fn cell_at(&self, offset: usize) -> Option<&Cell> {
        let (line, _) = self.line_col(offset);
        self.cells.get(line - 1)
    }

    /// The file and place of a byte offset, as a message names it:
    /// `data/a.yaml:12:5`, or `data/proposals.xlsx: 办理情况!C7`.
    pub fn location(&self, offset: usize) -> String {
        let path = display_path(&self.path);
        match self.cell_at(offset) {
            Some(cell) => format!("{path}: {}", cell.reference()),
            None => format!("{path}:{}", self.place(offset)),
        }
    }

    /// Whether the file is a spreadsheet registered as cells.
    pub fn is_sheet(&self) -> bool {
        !self.cells.is_empty()
    }

    /// Where a byte offset is, as people look it up: `12:5` (line and
    /// column) in a text file, `办理情况!C7` in a spreadsheet.
    pub fn place(&self, offset: usize) -> String {
        match self.cell_at(offset) {
            Some(cell) => cell.reference(),
            None => {
                let (line, column) = self.line_col(offset);
                format!("{line}:{column}")
            }
        }
    }

    /// 1-based line and column (in characters) of a byte offset. A CR before
    /// LF is part of the line ending, so CRLF files count like LF files.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.line_starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count();
        (line + 1, col + 1)
    }

    /// Byte offset of a 1-based line and column (in characters); clamped to the text.
    pub fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        start + column_offset(&self.text[start..], col)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        self.text[start..].split('\n').next().unwrap_or("").trim_end_matches('\r')
    }
}

/// Byte offset of a 1-based line and column (in characters) in `text`,
/// clamped to it: `SourceFile::offset` for a text that is not registered
/// (YAML front matter, a part of a rendered template).
pub fn offset_of_line_col(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    start + column_offset(&text[start..], col)
}

/// Byte offset of 1-based character column `col` in the line `rest` starts
/// with, clamped to the end of that line.
fn column_offset(rest: &str, col: usize) -> usize {
    let line_text = rest.split('\n').next().unwrap_or("");
    line_text.char_indices().nth(col.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i)
}

/// Every file diagnostics can point into.
///
/// Files are shared (`Arc`) so that a parallel build can give each document
/// a cheap copy to register its rendered text in (`fork` / `adopt`).
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<std::sync::Arc<SourceFile>>,
}

impl Sources {
    /// Empty registry.
    pub fn new() -> Self {
        Self::default()
    }
    /// Register a file and get its id.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(std::sync::Arc::new(SourceFile::new(path.into(), text.into())));
        id
    }
    /// Register a spreadsheet read as cells: each cell's text becomes one
    /// line of the file's text (line breaks inside a cell shown as spaces),
    /// so spans work as in any file, and diagnostics name the cell
    /// (`办理情况!C7`) instead of a line and column. `trailer` is a last
    /// line that stands for no cell: the file's digest, so that whatever
    /// hashes registered texts (the build cache) sees every change of the
    /// file, also one the cells' text does not show (a number typed as text).
    pub fn add_cells(&mut self, path: impl Into<PathBuf>, cells: Vec<(Cell, String)>, trailer: &str) -> FileId {
        let mut text = String::new();
        let mut refs = Vec::with_capacity(cells.len());
        for (i, (cell, shown)) in cells.into_iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.extend(shown.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }));
            refs.push(cell);
        }
        text.push('\n');
        text.push_str(trailer);
        let mut file = SourceFile::new(path.into(), text);
        file.cells = refs;
        let id = FileId(self.files.len() as u32);
        self.files.push(std::sync::Arc::new(file));
        id
    }
    /// The byte offset where the line of `cell` starts in a spreadsheet's
    /// text (`None` if the sheet has no such cell registered).
    pub fn cell_offset(&self, id: FileId, cell: &Cell) -> Option<usize> {
        let f = self.get(id)?;
        let line = f.cells.iter().position(|c| c == cell)?;
        f.line_starts.get(line).copied()
    }
    /// A registered file.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize).map(|f| &**f)
    }
    /// How many files are registered.
    pub fn len(&self) -> usize {
        self.files.len()
    }
    /// Whether no file is registered.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
    /// Take in the files `fork` registered after its first `base` files
    /// (a copy of `self` made when `self` had `base` files), and point the
    /// spans of `diags` at their new ids.
    pub fn adopt(&mut self, fork: &Sources, base: usize, diags: &mut Diags) {
        let shift = self.files.len() as u32;
        let base32 = base as u32;
        let added = fork.files.get(base..).unwrap_or(&[]);
        if added.is_empty() {
            return;
        }
        self.files.extend(added.iter().cloned());
        for d in &mut diags.0 {
            if let Some(span) = d.span.as_mut()
                && span.file.0 >= base32
            {
                span.file = FileId(span.file.0 - base32 + shift);
            }
        }
    }
    /// A span from a 1-based line and column in a registered file.
    pub fn span_at(&self, id: FileId, line: usize, col: usize) -> Span {
        let start = self.get(id).map_or(0, |f| f.offset(line, col));
        Span { file: id, range: start..start }
    }
    /// A span over a byte range.
    pub fn span(&self, id: FileId, range: Range<usize>) -> Span {
        Span { file: id, range }
    }
}

/// The candidate nearest to `typed` in edit distance (characters inserted,
/// deleted or replaced), if it is at most `max_edits` away: the "did you
/// mean" of a hint. Of equally near candidates the first is taken. How far
/// a typo may stray is the caller's to say, since it depends on how long
/// and how alike its names are.
pub fn closest<'a>(typed: &str, candidates: &[&'a str], max_edits: usize) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(typed, c), *c))
        .filter(|&(edits, _)| edits <= max_edits)
        .min_by_key(|&(edits, _)| edits)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Resolved position of a diagnostic, for printing.
struct Position<'a> {
    file: Option<String>,
    /// The line, or a spreadsheet cell's row.
    line: Option<usize>,
    /// The column in characters, or a spreadsheet cell's column number.
    column: Option<usize>,
    source_line: Option<&'a str>,
    /// A spreadsheet cell (`办理情况!C7`), shown instead of line and column.
    cell: Option<&'a Cell>,
}

fn position<'a>(d: &Diagnostic, sources: &'a Sources) -> Position<'a> {
    if let Some(span) = &d.span
        && let Some(f) = sources.get(span.file)
    {
        let (line, column) = f.line_col(span.range.start);
        if let Some(cell) = f.cell_at(span.range.start) {
            return Position {
                file: Some(display_path(&f.path)),
                line: Some(cell.row as usize),
                column: Some(cell.column as usize),
                source_line: Some(f.line_text(line)),
                cell: Some(cell),
            };
        }
        return Position {
            file: Some(display_path(&f.path)),
            line: Some(line),
            column: Some(column),
            source_line: Some(f.line_text(line)),
            cell: None,
        };
    }
    Position { file: d.path.as_deref().map(display_path), line: None, column: None, source_line: None, cell: None }
}

fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Print diagnostics for people: `path:line:col: error[CODE]: message`, the
/// source line with a caret, then `= hint: …` lines. `color` adds ANSI colours.
pub fn emit_human(out: &mut dyn Write, diags: &Diags, sources: &Sources, color: bool) -> io::Result<()> {
    for d in diags.iter() {
        let pos = position(d, sources);
        let (sev, paint) = match d.severity {
            Severity::Error => ("error", "\x1b[1;31m"),
            Severity::Warning => ("warning", "\x1b[1;33m"),
        };
        let loc = match (&pos.file, pos.line, pos.column, pos.cell) {
            (Some(f), _, _, Some(cell)) => format!("{f}: {}: ", cell.reference()),
            (Some(f), Some(l), Some(c), None) => format!("{f}:{l}:{c}: "),
            (Some(f), ..) => format!("{f}: "),
            _ => String::new(),
        };
        let (loc, message) = (visible(&loc), visible(&d.message));
        if color {
            writeln!(out, "\x1b[1m{loc}\x1b[0m{paint}{sev}[{}]\x1b[0m\x1b[1m: {message}\x1b[0m", d.code)?;
        } else {
            writeln!(out, "{loc}{sev}[{}]: {message}", d.code)?;
        }
        if let (Some(text), Some(cell)) = (pos.source_line, pos.cell) {
            // A cell: its address in the gutter and its value, as the
            // spreadsheet shows it.
            let address = cell.address();
            let gutter = address.chars().count();
            let (shown, _) = excerpt(text, 1);
            writeln!(out, "{:gutter$} |", "")?;
            writeln!(out, "{address} | {}", visible(&shown))?;
            writeln!(out, "{:gutter$} | ^", "")?;
        } else if let (Some(text), Some(line), Some(col)) = (pos.source_line, pos.line, pos.column) {
            let gutter = line.to_string().len();
            writeln!(out, "{:gutter$} |", "")?;
            let (shown, caret_col) = excerpt(text, col);
            let shown = visible(&shown).into_owned();
            writeln!(out, "{line} | {shown}")?;
            let pad: usize =
                shown.chars().take(caret_col - 1).map(|c| if crate::unicode::is_wide(c) { 2 } else { 1 }).sum();
            writeln!(out, "{:gutter$} | {:pad$}^", "", "")?;
        }
        for h in &d.hints {
            writeln!(out, "  = hint: {}", visible(h))?;
        }
    }
    Ok(())
}

/// `s` safe to print on a terminal: control characters (an escape sequence
/// in a data file, a NUL in a name) are shown as their symbols (␛, ␀, ␇),
/// one column each, instead of acting on the terminal.
fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let control = |c: char| (c.is_control() && c != '\t') || c == '\u{7f}';
    if !s.chars().any(control) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c as u32 {
            n @ 0..=0x1f if c != '\t' => char::from_u32(0x2400 + n).unwrap_or('?'),
            0x7f => '\u{2421}',
            _ if control(c) => '\u{fffd}',
            _ => c,
        })
        .collect()
}

/// Characters of a source line shown on each side of the column: a minified
/// or generated line can be thousands of characters long.
const EXCERPT_RADIUS: usize = 60;

/// The part of `text` around 1-based character column `col`, with "…" where
/// it was cut, and the column within the excerpt.
fn excerpt(text: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 2 * EXCERPT_RADIUS {
        return (text.to_string(), col.max(1));
    }
    let at = col.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(EXCERPT_RADIUS);
    let end = (at + EXCERPT_RADIUS).min(chars.len());
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.extend(&chars[start..end]);
    if end < chars.len() {
        s.push('…');
    }
    (s, at - start + 1 + usize::from(start > 0))
}

/// Print diagnostics as JSON Lines (see the module documentation for the format).
pub fn emit_json(out: &mut dyn Write, diags: &Diags, sources: &Sources) -> io::Result<()> {
    for d in diags.iter() {
        let pos = position(d, sources);
        let mut obj = serde_json::json!({
            "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "code": d.code.as_str(),
            "message": d.message,
            "file": pos.file,
            "line": pos.line,
            "column": pos.column,
            "hint": if d.hints.is_empty() { None } else { Some(d.hints.join("; ")) },
        });
        if let (Some(cell), Some(fields)) = (pos.cell, obj.as_object_mut()) {
            fields.insert("cell".into(), serde_json::Value::String(cell.reference()));
        }
        writeln!(out, "{obj}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert_eq!(s.len(), 4);
            assert!("CDRTMFLQOI".contains(&s[..1]), "{s}");
            assert!(s[1..].chars().all(|c| c.is_ascii_digit()), "{s}");
        }
    }

    #[test]
    fn lint_codes_are_the_q_codes() {
        assert_eq!(
            Code::lint_codes(),
            vec![
                "Q001", "Q002", "Q003", "Q004", "Q005", "Q006", "Q007", "Q008", "Q009", "Q010", "Q011", "Q012", "Q013"
            ]
        );
        assert!(Code::is_lint_code("q003") && !Code::is_lint_code("D001"));
    }

    #[test]
    fn closest_names_within_the_edits_allowed() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("政协", "政协委员"), 2);
        assert_eq!(closest("satisfction", &["status", "satisfaction"], 3), Some("satisfaction"));
        assert_eq!(closest("colour", &["date", "kind"], 2), None);
        assert_eq!(closest("signatrue", &["title", "signature"], 2), Some("signature"));
        assert_eq!(closest("ab", &["xy", "ax", "ay"], 2), Some("ax"), "the first of the nearest");
        assert_eq!(closest("abcd", &["wxyz"], 3), None);
    }

    #[test]
    fn line_col_counts_characters_and_crlf() {
        let mut s = Sources::new();
        let id = s.add("a.yaml", "a: 1\r\n名称: 澧县\r\nc: x\n");
        let f = s.get(id).expect("registered");
        let off = f.text.find("澧").expect("present");
        assert_eq!(f.line_col(off), (2, 5));
        assert_eq!(f.line_text(2), "名称: 澧县");
        assert_eq!(f.offset(2, 5), off);
        for (line, col) in [(0, 0), (1, 1), (1, 99), (2, 5), (3, 2), (4, 1), (9, 1)] {
            assert_eq!(offset_of_line_col(&f.text, line, col), f.offset(line, col), "{line}:{col}");
        }
        assert_eq!(f.line_col(f.text.find('c').expect("present")), (3, 1));
    }

    #[test]
    fn long_source_lines_are_cut_around_the_column() {
        let mut s = Sources::new();
        let long = format!("a: {}x{}\n", "[".repeat(500), "]".repeat(500));
        let id = s.add("d.yaml", long);
        let d = Diagnostic::error(Code::YamlSyntax, "deep").with_span(s.span_at(id, 1, 504)).with_hint("h");
        let mut out = Vec::new();
        emit_human(&mut out, &Diags::from(d), &s, false).expect("write");
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.lines().all(|l| l.chars().count() < 200), "{text}");
        let shown = text.lines().nth(2).expect("source line");
        let caret = text.lines().nth(3).expect("caret line");
        assert_eq!(
            shown.chars().nth(caret.chars().count() - 1),
            Some('x'),
            "caret under the column:\n{shown}\n{caret}"
        );
    }

    #[test]
    fn a_spreadsheet_place_is_its_sheet_and_cell() {
        let mut s = Sources::new();
        let cell = |sheet: Option<&str>, row, column| Cell { sheet: sheet.map(str::to_string), row, column };
        let id = s.add_cells(
            "data/proposals.xlsx",
            vec![(cell(Some("办理情况"), 1, 3), "案由".into()), (cell(Some("办理情况"), 7, 3), "关于\n建议".into())],
            "digest",
        );
        let at = s.cell_offset(id, &cell(Some("办理情况"), 7, 3)).expect("registered");
        let f = s.get(id).expect("file");
        assert_eq!(f.location(at), "data/proposals.xlsx: 办理情况!C7");
        assert_eq!(f.line_text(2), "关于 建议", "a line break in a cell does not start another");
        assert!(f.cell_at(f.text.len()).is_none(), "the digest line is no cell");
        let d = Diagnostic::error(Code::RecordDate, "bad").with_span(s.span(id, at..at)).with_hint("h");
        let mut out = Vec::new();
        emit_human(&mut out, &Diags::from(d.clone()), &s, false).expect("write");
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.starts_with("data/proposals.xlsx: 办理情况!C7: error[R004]: bad\n"), "{text}");
        assert!(text.contains("C7 | 关于 建议\n"), "{text}");
        let mut out = Vec::new();
        emit_json(&mut out, &Diags::from(d), &s).expect("write");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(
            (v["cell"].as_str(), v["line"].as_u64(), v["column"].as_u64()),
            (Some("办理情况!C7"), Some(7), Some(3))
        );
        assert_eq!(cell(Some("Sheet 1"), 2, 28).reference(), "'Sheet 1'!AB2");
        assert_eq!(cell(None, 3, 4).reference(), "D3");
    }

    #[test]
    fn human_and_json_forms() {
        let mut s = Sources::new();
        let id = s.add("data/x.yaml", "a: 1\nb: [\n");
        let d =
            Diagnostic::error(Code::YamlSyntax, "bad yaml").with_span(s.span_at(id, 2, 4)).with_hint("close the list");
        let mut out = Vec::new();
        emit_human(&mut out, &Diags::from(d.clone()), &s, false).expect("write");
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.starts_with("data/x.yaml:2:4: error[D001]: bad yaml\n"), "{text}");
        assert!(text.contains("= hint: close the list"));
        let mut out = Vec::new();
        emit_json(&mut out, &Diags::from(d), &s).expect("write");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert!(v.get("cell").is_none(), "only a spreadsheet's place has a cell");
        assert_eq!(v["line"], 2);
        assert_eq!(v["column"], 4);
        assert_eq!(v["code"], "D001");
        assert_eq!(v["file"], "data/x.yaml");
    }
}
