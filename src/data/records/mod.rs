//! Records: the four kinds of SPEC §4 (`meetings`, `proposals`, `funding`,
//! `appointments`), found in the loaded data, validated field by field with
//! the YAML position of every problem, linted, and summarised into `stats`.
//!
//! Records stay free-form data for templates: this stage only reads the
//! `Located` nodes and reports. A list under a record key at the top of any
//! data file (after stem unwrapping) is a record list, wherever the file is;
//! lists of one kind from several files are concatenated in path order, so a
//! project may split its proposals by quarter. Files under a year folder
//! (`data/2022/`) belong to that year; everything else to the report year.

pub mod appointments;
mod check;
pub mod funding;
pub mod meetings;
pub mod proposals;
pub mod schema;
pub mod stats;

use std::collections::BTreeMap;

use super::DataSet;
use super::yaml::{Located, Node};
use crate::diag::{Code, Diagnostic, Diags, Sources, Span};

/// A record kind, named by its data key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// 会议.
    Meetings,
    /// 提案.
    Proposals,
    /// 经费.
    Funding,
    /// 干部任用.
    Appointments,
}

impl Kind {
    /// Every kind, in the order `stats` and the schema list them.
    pub const ALL: [Kind; 4] = [Kind::Meetings, Kind::Proposals, Kind::Funding, Kind::Appointments];

    /// The data key (`meetings`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::Meetings => "meetings",
            Kind::Proposals => "proposals",
            Kind::Funding => "funding",
            Kind::Appointments => "appointments",
        }
    }

    /// The kind a data key names.
    pub fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The fields a record of this kind may have.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Kind::Meetings => meetings::FIELDS,
            Kind::Proposals => proposals::FIELDS,
            Kind::Funding => funding::FIELDS,
            Kind::Appointments => appointments::FIELDS,
        }
    }

    /// Spreadsheet headers naming a field, `(header, field)`.
    pub fn headers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kind::Meetings => meetings::HEADERS,
            Kind::Proposals => proposals::HEADERS,
            Kind::Funding => funding::HEADERS,
            Kind::Appointments => appointments::HEADERS,
        }
    }

    /// The field a spreadsheet column header names: the field's own name,
    /// or one of `headers`. Spaces and line breaks in the header do not
    /// count (`提案\n编号`), nor a unit in brackets after it (`金额（万元）`).
    pub fn field_of_header(self, header: &str) -> Option<&'static Field> {
        let squeezed: String = header.chars().filter(|c| !c.is_whitespace()).collect();
        let bare = squeezed.split(['（', '(']).next().unwrap_or(&squeezed);
        [squeezed.as_str(), bare].into_iter().find_map(|h| {
            let name = self.headers().iter().find(|(zh, _)| *zh == h).map_or(h, |(_, f)| *f);
            self.fields().iter().find(|f| f.name == name)
        })
    }

    /// The first Chinese header of a field, for messages (`办理状态`).
    pub fn header_of(self, field: &str) -> Option<&'static str> {
        self.headers().iter().find(|(_, f)| *f == field).map(|(zh, _)| *zh)
    }

    /// What one record is, for messages and the schema.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Meetings => "a meeting (会议)",
            Kind::Proposals => "a proposal (提案)",
            Kind::Funding => "a funding item (经费)",
            Kind::Appointments => "an appointment (干部任用)",
        }
    }
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// Any scalar, kept as text.
    Text,
    /// A date: 2023-04-23 (also 2023/4/23, 2023.04.23, 2023年4月23日).
    Date,
    /// A whole number ≥ 0.
    Count,
    /// A number ≥ 0.
    Amount,
    /// A four-digit year.
    Year,
    /// true / false.
    Bool,
    /// A list of texts (a single text is taken as a list of one).
    TextList,
    /// One of the listed terms.
    Enum(&'static [&'static str]),
    /// One of the listed terms, or a share from 0 to 100.
    TermOrShare(&'static [&'static str]),
    /// A mapping of names to numbers ≥ 0 (parts of a total).
    Parts,
}

/// One field of a record kind.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The YAML key.
    pub name: &'static str,
    /// What it holds.
    pub ty: Ty,
    /// Whether every record must have it.
    pub required: bool,
    /// One line for the schema and docs.
    pub doc: &'static str,
}

impl Field {
    const fn req(name: &'static str, ty: Ty, doc: &'static str) -> Field {
        Field { name, ty, required: true, doc }
    }
    const fn opt(name: &'static str, ty: Ty, doc: &'static str) -> Field {
        Field { name, ty, required: false, doc }
    }
}

/// A checked field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Text, enumeration terms and dates (as written).
    Text(String),
    /// Numbers.
    Num(f64),
    /// Booleans.
    Bool(bool),
    /// Lists of texts.
    List(Vec<String>),
    /// Named parts.
    Parts(Vec<(String, f64)>),
}

/// One valid field of a record with where its value is.
#[derive(Debug, Clone)]
pub struct Slot {
    /// The value.
    pub val: Val,
    /// Where the value is in the YAML.
    pub span: Span,
}

/// One record whose fields passed their checks (fields that failed are absent).
#[derive(Debug, Clone)]
pub struct Record {
    /// Its kind.
    pub kind: Kind,
    /// Where the record starts.
    pub span: Span,
    /// The valid fields by name.
    pub fields: BTreeMap<&'static str, Slot>,
}

impl Record {
    /// A text field.
    pub fn text(&self, name: &str) -> Option<&str> {
        match &self.fields.get(name)?.val {
            Val::Text(s) => Some(s),
            _ => None,
        }
    }
    /// A numeric field.
    pub fn num(&self, name: &str) -> Option<f64> {
        match self.fields.get(name)?.val {
            Val::Num(n) => Some(n),
            _ => None,
        }
    }
    /// A boolean field.
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.fields.get(name)?.val {
            Val::Bool(b) => Some(b),
            _ => None,
        }
    }
    /// Year, month and day of a date field.
    pub fn date(&self, name: &str) -> Option<(u32, u32, u32)> {
        crate::zh::date_ymd(self.text(name)?).ok()
    }
    /// Where a field's value is, else where the record starts.
    pub fn span_of(&self, name: &str) -> Span {
        self.fields.get(name).map_or_else(|| self.span.clone(), |s| s.span.clone())
    }
}

/// The records of one year, by kind.
#[derive(Debug, Clone, Default)]
pub struct Year {
    /// Records in path order.
    pub by_kind: BTreeMap<Kind, Vec<Record>>,
}

impl Year {
    /// The records of a kind (empty when there are none).
    pub fn of(&self, kind: Kind) -> &[Record] {
        self.by_kind.get(&kind).map_or(&[], Vec::as_slice)
    }
}

/// Every record found, split into the report year and the one before.
#[derive(Debug, Clone, Default)]
pub struct Records {
    /// The report year (`year` in wengao.toml), when known.
    pub year: Option<i64>,
    /// Records of the report year (outside year folders, or in its folder).
    pub current: Year,
    /// Records of the previous year's folder.
    pub previous: Year,
    /// Whether a folder for the previous year exists.
    pub has_previous: bool,
}

/// Context keys this stage fills, which a data key of the same name hides.
const RESERVED: [&str; 3] = ["stats", "prev", "stats_prev"];

/// `"2022"` → 2022: the names of year folders.
pub fn year_folder(name: &str) -> Option<i64> {
    (name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit())).then(|| name.parse().ok()).flatten()
}

/// Find, check and lint every record list in `data`.
pub fn collect(data: &DataSet, sources: &Sources, year: Option<i64>) -> (Records, Diags) {
    let mut recs = Records { year, ..Records::default() };
    let mut diags = Diags::new();
    let mut years: BTreeMap<Option<i64>, Year> = BTreeMap::new();
    let mut hidden: Vec<&str> = Vec::new();
    for (path, value, file) in data.file_values() {
        let first = path.first().and_then(|k| RESERVED.into_iter().find(|r| r == k));
        if let Some(k) = first.filter(|k| !hidden.contains(k)) {
            hidden.push(k);
            diags.push(
                Diagnostic::warning(
                    Code::DataKeyConflict,
                    format!("data key `{k}` hides the computed `{k}` in templates"),
                )
                .with_span(value.span(sources, file))
                .with_hint(format!("rename the file or key so that templates can use the record statistics as `{k}`")),
            );
        }
        let folder_year = if path.len() > 1 { path.first().and_then(|p| year_folder(p)) } else { None };
        if let (Some(y), Some(cur)) = (folder_year, year)
            && y == cur - 1
        {
            recs.has_previous = true;
        }
        let own_year = folder_year.or(year);
        for (kind, list) in lists_in(&path, value) {
            let found = check::list(kind, list, file, sources, own_year, &mut diags);
            years.entry(folder_year).or_default().by_kind.entry(kind).or_default().extend(found);
        }
    }
    for (folder_year, mut y) in years {
        for (kind, list) in &y.by_kind {
            lint(*kind, list, sources, &mut diags);
        }
        let target = match (folder_year, year) {
            (None, _) => &mut recs.current,
            (Some(f), Some(cur)) if f == cur => &mut recs.current,
            (Some(f), Some(cur)) if f == cur - 1 => &mut recs.previous,
            _ => continue,
        };
        for (kind, list) in std::mem::take(&mut y.by_kind) {
            target.by_kind.entry(kind).or_default().extend(list);
        }
    }
    (recs, diags)
}

/// Record lists in one file's value: the value itself when its key is a
/// record key, else the record keys of its top-level mapping.
fn lists_in<'a>(path: &[String], value: &'a Located) -> Vec<(Kind, &'a Located)> {
    let own = path.last().and_then(|k| Kind::from_key(k));
    match (&value.node, own) {
        (Node::Seq(_), Some(kind)) => vec![(kind, value)],
        (Node::Map(entries), _) => entries
            .iter()
            .filter(|(_, v)| matches!(v.node, Node::Seq(_)))
            .filter_map(|(k, v)| Some((Kind::from_key(&k.key_text()?)?, v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Checks across the records of one kind and year (per-record checks are in
/// `check`).
fn lint(kind: Kind, list: &[Record], sources: &Sources, diags: &mut Diags) {
    match kind {
        Kind::Proposals => proposals::lint(list, sources, diags),
        Kind::Funding => funding::lint(list, diags),
        Kind::Meetings => meetings::lint(list, diags),
        Kind::Appointments => {}
    }
}

/// R007 for a record whose `parts` do not add up to `total_field`.
fn lint_parts(r: &Record, total_field: &str, diags: &mut Diags) {
    let (Some(total), Some(Slot { val: Val::Parts(parts), span })) = (r.num(total_field), r.fields.get("parts")) else {
        return;
    };
    if let Some((name, n)) = parts.iter().find(|(_, n)| *n > total) {
        diags.push(
            Diagnostic::error(
                Code::RecordSum,
                format!("part `{name}` ({n}) exceeds the record's `{total_field}` ({total})"),
            )
            .with_span(span.clone())
            .with_hint(format!("a part cannot be larger than the whole; correct `{name}` or `{total_field}`")),
        );
        return;
    }
    let sum = crate::zh::sum_decimal(&parts.iter().map(|(_, n)| *n).collect::<Vec<_>>());
    if (sum - total).abs() > 1e-9 {
        diags.push(
            Diagnostic::error(Code::RecordSum, format!("the parts add up to {sum}, but `{total_field}` says {total}"))
                .with_span(span.clone())
                .with_hint(format!("correct the parts or `{total_field}` so that they agree")),
        );
    }
}

/// R009 for records sharing the value of `field`.
fn lint_duplicates(list: &[Record], field: &str, sources: &Sources, diags: &mut Diags) {
    let mut seen: BTreeMap<&str, &Record> = BTreeMap::new();
    for r in list {
        let Some(id) = r.text(field) else { continue };
        if let Some(first) = seen.get(id) {
            let at = first.span_of(field);
            // A line is enough in a YAML file; a spreadsheet's place is its cell.
            let place = sources.get(at.file).map_or_else(String::new, |f| match f.cell_at(at.range.start) {
                Some(_) => format!(" (first at {})", f.location(at.range.start)),
                None => {
                    format!(
                        " (first at {}:{})",
                        f.path.to_string_lossy().replace('\\', "/"),
                        f.line_col(at.range.start).0
                    )
                }
            });
            diags.push(
                Diagnostic::error(
                    Code::RecordDuplicate,
                    format!("{} `{field}` \"{id}\" is used twice{place}", r.kind.key()),
                )
                .with_span(r.span_of(field))
                .with_hint(format!("every record needs its own `{field}`; renumber this one or remove the copy")),
            );
        } else {
            seen.insert(id, r);
        }
    }
}

#[cfg(test)]
mod tests;
