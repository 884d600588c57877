//! Field-by-field checks of one record list against its kind's field table.
//!
//! Every problem points at the YAML value (or the record, for a missing
//! field). A field that fails is left out of the checked record, so stats
//! and lints only ever see valid values.

use std::collections::BTreeMap;

use super::{Field, Kind, Record, Slot, Ty, Val};
use crate::data::yaml::{Located, Node};
use crate::diag::{Code, Diagnostic, Diags, FileId, Sources};

/// Check every entry of `list` (a sequence node). `year` is the year the
/// records belong to, for the R010 warning.
pub fn list(
    kind: Kind,
    list: &Located,
    file: FileId,
    sources: &Sources,
    year: Option<i64>,
    diags: &mut Diags,
) -> Vec<Record> {
    let Node::Seq(items) = &list.node else { return Vec::new() };
    let mut out = Vec::new();
    for item in items {
        let span = item.span(sources, file);
        let Node::Map(entries) = &item.node else {
            diags.push(
                Diagnostic::error(
                    Code::RecordType,
                    format!("each entry of `{}` must be {}, a mapping of fields", kind.key(), kind.title()),
                )
                .with_span(span)
                .with_hint(format!("write `- {}: …` and the other fields, one per line", first_required(kind))),
            );
            continue;
        };
        let mut rec = Record { kind, span: span.clone(), fields: BTreeMap::new() };
        for (k, v) in entries {
            let key = k.key_text().unwrap_or_default();
            let Some(field) = kind.fields().iter().find(|f| f.name == key) else {
                let known: Vec<&str> = kind.fields().iter().map(|f| f.name).collect();
                let hint = match closest(&key, &known) {
                    Some(c) => format!("did you mean `{c}`? (unknown keys are kept for templates but not checked)"),
                    None => {
                        format!("known keys: {}; unknown keys are kept for templates but not checked", known.join(", "))
                    }
                };
                diags.push(
                    Diagnostic::warning(Code::RecordUnknownKey, format!("{} has no field `{key}`", kind.title()))
                        .with_span(k.span(sources, file))
                        .with_hint(hint),
                );
                continue;
            };
            if v.node == Node::Null {
                continue;
            }
            let vspan = v.span(sources, file);
            match value(kind, field, v, year) {
                Ok((val, warning)) => {
                    if let Some(w) = warning {
                        diags.push(w.with_span(vspan.clone()));
                    }
                    rec.fields.insert(field.name, Slot { val, span: vspan });
                }
                Err(d) => diags.push(d.with_span(vspan)),
            }
        }
        for f in kind.fields().iter().filter(|f| f.required) {
            let present = entries.iter().any(|(k, v)| k.key_text().as_deref() == Some(f.name) && v.node != Node::Null);
            if !present {
                diags.push(
                    Diagnostic::error(
                        Code::RecordMissing,
                        format!("{} lacks the required field `{}`", kind.title(), f.name),
                    )
                    .with_span(span.clone())
                    .with_hint(if sources.get(file).is_some_and(|s| s.is_sheet()) {
                        let column = kind
                            .header_of(f.name)
                            .map_or_else(|| f.name.to_string(), |zh| format!("{zh} ({})", f.name));
                        format!("fill in this row's cell in the {column} column: {}", f.doc)
                    } else {
                        format!("add `{}: …` ({})", f.name, f.doc)
                    }),
                );
            }
        }
        out.push(rec);
    }
    out
}

fn first_required(kind: Kind) -> &'static str {
    kind.fields().iter().find(|f| f.required).map_or("name", |f| f.name)
}

/// The checked value, with a warning to attach (a date outside the year).
fn value(kind: Kind, field: &Field, v: &Located, year: Option<i64>) -> Result<(Val, Option<Diagnostic>), Diagnostic> {
    let name = field.name;
    let wrong = |what: &str| {
        Diagnostic::error(
            Code::RecordType,
            format!("`{name}` of {} must be {what}, found {}", kind.title(), describe(&v.node)),
        )
        .with_hint(format!("`{name}`: {}", field.doc))
    };
    let number = || match v.node {
        Node::Int(i) => Some(i as f64),
        Node::Float(f) if f.is_finite() => Some(f),
        _ => None,
    };
    let negative = |n: f64| {
        Diagnostic::error(Code::RecordRange, format!("`{name}` cannot be negative, found {n}"))
            .with_hint(format!("`{name}` counts or measures something: give 0 or more"))
    };
    match field.ty {
        Ty::Text => scalar_text(&v.node).map(|s| (Val::Text(s), None)).ok_or_else(|| wrong("a text")),
        Ty::Date => {
            let Node::Str(s) = &v.node else { return Err(wrong("a date like 2023-04-23")) };
            let (y, _, _) = crate::zh::date_ymd(s).map_err(|e| {
                Diagnostic::error(Code::RecordDate, format!("`{name}` is not a date: {e}"))
                    .with_hint("write dates as YYYY-MM-DD, e.g. 2023-04-23, and check that the day exists")
            })?;
            Ok((Val::Text(s.clone()), outside_year(name, i64::from(y), year)))
        }
        Ty::Count => match v.node {
            Node::Int(i) if i < 0 => Err(negative(i as f64)),
            Node::Int(i) => Ok((Val::Num(i as f64), None)),
            _ => Err(wrong("a whole number")),
        },
        Ty::Amount => match number() {
            Some(n) if n < 0.0 => Err(negative(n)),
            Some(n) => Ok((Val::Num(n), None)),
            None => Err(wrong("a number")),
        },
        Ty::Year => match v.node {
            Node::Int(y) if (1900..=2200).contains(&y) => Ok((Val::Num(y as f64), outside_year(name, y, year))),
            Node::Int(y) => Err(Diagnostic::error(Code::RecordRange, format!("`{name}` is not a plausible year: {y}"))
                .with_hint("write the four-digit year, e.g. 2023")),
            _ => Err(wrong("a four-digit year")),
        },
        Ty::Bool => match v.node {
            Node::Bool(b) => Ok((Val::Bool(b), None)),
            _ => Err(wrong("true or false")),
        },
        Ty::TextList => match &v.node {
            Node::Seq(items) => items
                .iter()
                .map(|i| scalar_text(&i.node))
                .collect::<Option<Vec<_>>>()
                .map(|l| (Val::List(l), None))
                .ok_or_else(|| wrong("a list of texts")),
            n => scalar_text(n).map(|s| (Val::List(vec![s]), None)).ok_or_else(|| wrong("a list of texts")),
        },
        Ty::Enum(terms) | Ty::TermOrShare(terms) => {
            let share = matches!(field.ty, Ty::TermOrShare(_));
            if share && let Some(n) = number() {
                return if (0.0..=100.0).contains(&n) {
                    Ok((Val::Num(n), None))
                } else {
                    Err(Diagnostic::error(Code::RecordRange, format!("`{name}` is a share from 0 to 100, found {n}"))
                        .with_hint("give the percentage without `%`, e.g. 97.5, or one of the terms"))
                };
            }
            let Some(s) = scalar_text(&v.node) else { return Err(wrong("one of the accepted terms")) };
            let t = s.trim();
            if terms.contains(&t) {
                Ok((Val::Text(t.to_string()), None))
            } else {
                let or_share = if share { ", or a share from 0 to 100" } else { "" };
                Err(Diagnostic::error(Code::RecordEnum, format!("`{name}` \"{s}\" is not an accepted term"))
                    .with_hint(format!("accepted: {}{or_share}", terms.join("、"))))
            }
        }
        Ty::Parts => {
            let Node::Map(entries) = &v.node else { return Err(wrong("a mapping of names to numbers")) };
            let mut parts = Vec::new();
            for (k, pv) in entries {
                let n = match pv.node {
                    Node::Int(i) => i as f64,
                    Node::Float(f) if f.is_finite() => f,
                    _ => return Err(wrong("a mapping of names to numbers")),
                };
                if n < 0.0 {
                    return Err(negative(n));
                }
                parts.push((k.key_text().unwrap_or_default(), n));
            }
            Ok((Val::Parts(parts), None))
        }
    }
}

fn outside_year(name: &str, y: i64, year: Option<i64>) -> Option<Diagnostic> {
    let report = year?;
    (y != report).then(|| {
        Diagnostic::warning(Code::RecordYear, format!("`{name}` is in {y}, outside the report year {report}"))
            .with_hint(format!("check the year; records of {y} belong in data/{y}/ (wengao.toml `year` is {report})"))
    })
}

fn scalar_text(n: &Node) -> Option<String> {
    match n {
        Node::Str(s) => Some(s.clone()),
        Node::Int(i) => Some(i.to_string()),
        Node::Float(f) => Some(f.to_string()),
        Node::Bool(_) | Node::Null | Node::Seq(_) | Node::Map(_) => None,
    }
}

fn describe(n: &Node) -> String {
    match n {
        Node::Null => "nothing".into(),
        Node::Bool(b) => format!("{b}"),
        Node::Int(i) => format!("{i}"),
        Node::Float(f) => format!("{f}"),
        Node::Str(s) => format!("\"{s}\""),
        Node::Seq(_) => "a list".into(),
        Node::Map(_) => "a mapping".into(),
    }
}

/// The known key nearest to a misspelt one, when it is near enough to be a
/// typo. Record keys run long (`satisfaction`, `previous_amount`), where a
/// slip can touch several letters: a third of the typed key's length may
/// differ, and never fewer than two characters.
pub fn closest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    crate::diag::closest(key, known, (key.chars().count() / 3).max(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_keys() {
        assert_eq!(closest("satisfction", &["status", "satisfaction"]), Some("satisfaction"));
        assert_eq!(closest("colour", &["date", "kind"]), None);
    }
}
