//! `stats`: counts, sums and rates of the records, for every template.
//!
//! The shape is documented in docs/records.md. Groups keep a meaningful
//! order — the order of the accepted terms for enumerations, first
//! appearance for free text — so a template looping over them writes the
//! categories as the data lists them. Every rate carries the fraction it
//! came from (`{num, den, percent}`) so the text can cite both.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::{Kind, Record, Records, Year, appointments, meetings, proposals};

/// An ordered JSON-like tree (serde_json's map would sort the keys).
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    /// A whole number.
    Int(i64),
    /// Any other number.
    Num(f64),
    /// Text.
    Str(String),
    /// A list.
    List(Vec<Tree>),
    /// A mapping in insertion order.
    Map(Vec<(String, Tree)>),
}

impl Tree {
    /// A number, whole when it is one (so templates print 300, not 300.0).
    pub fn number(n: f64) -> Tree {
        if n.fract() == 0.0 && n.abs() < 9.0e15 { Tree::Int(n as i64) } else { Tree::Num(n) }
    }

    /// `{num, den, percent}`; `percent` (one decimal) is left out when `den`
    /// is 0, so printing it fails instead of showing a made-up figure.
    pub fn fraction(num: f64, den: f64) -> Tree {
        let mut m = vec![("num".to_string(), Tree::number(num)), ("den".to_string(), Tree::number(den))];
        if let Ok(p) = crate::zh::percent_value(num, den, 1) {
            m.push(("percent".to_string(), Tree::number(p)));
        }
        Tree::Map(m)
    }

    /// Look up a key of a map.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        match self {
            Tree::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl Serialize for Tree {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Int(i) => s.serialize_i64(*i),
            Tree::Num(f) => s.serialize_f64(*f),
            Tree::Str(t) => s.serialize_str(t),
            Tree::List(items) => {
                let mut q = s.serialize_seq(Some(items.len()))?;
                for it in items {
                    q.serialize_element(it)?;
                }
                q.end()
            }
            Tree::Map(entries) => {
                let mut m = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}

/// Counts and sums grouped by a key, in first-seen (or given) order.
#[derive(Debug, Default)]
pub struct Groups(Vec<(String, f64)>);

impl Groups {
    /// Add `n` to group `key`.
    pub fn add(&mut self, key: &str, n: f64) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            // Decimal addition, so 0.1 + 0.2 万元 is 0.3, as in `sum`.
            Some((_, v)) => *v = crate::zh::sum_decimal(&[*v, n]),
            None => self.0.push((key.to_string(), n)),
        }
    }

    /// The groups as a map, ordered like `order` first (terms never seen
    /// are left out), then the rest as first seen.
    pub fn tree(mut self, order: &[&str]) -> Tree {
        let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
        self.0.sort_by_key(|(k, _)| rank(k));
        Tree::Map(self.0.into_iter().map(|(k, v)| (k, Tree::number(v))).collect())
    }
}

fn count_by(list: &[Record], field: &str, order: &[&str]) -> Tree {
    let mut g = Groups::default();
    for r in list {
        if let Some(v) = r.text(field) {
            g.add(v, 1.0);
        }
    }
    g.tree(order)
}

/// Counts per month (12) and quarter (4) of a date field.
fn calendar(list: &[Record], field: &str) -> [(String, Tree); 2] {
    let mut months = [0i64; 12];
    for (_, m, _) in list.iter().filter_map(|r| r.date(field)) {
        if let Some(c) = (m as usize).checked_sub(1).and_then(|i| months.get_mut(i)) {
            *c += 1;
        }
    }
    let quarters: Vec<Tree> = months.chunks(3).map(|q| Tree::Int(q.iter().sum())).collect();
    [
        ("by_month".to_string(), Tree::List(months.iter().map(|n| Tree::Int(*n)).collect())),
        ("by_quarter".to_string(), Tree::List(quarters)),
    ]
}

fn sum(list: &[Record], field: &str) -> f64 {
    crate::zh::sum_decimal(&list.iter().filter_map(|r| r.num(field)).collect::<Vec<_>>())
}

fn n(x: usize) -> Tree {
    Tree::Int(i64::try_from(x).unwrap_or(i64::MAX))
}

fn entry(k: &str, v: Tree) -> (String, Tree) {
    (k.to_string(), v)
}

/// `stats` of one year.
pub fn year(y: &Year) -> Tree {
    Tree::Map(Kind::ALL.into_iter().map(|k| (k.key().to_string(), kind(k, y.of(k)))).collect())
}

/// `stats` for the report year, with `prev` (the year before) when its
/// folder exists, and growth of funding totals.
pub fn compute(recs: &Records) -> (Tree, Option<Tree>) {
    let cur = year(&recs.current);
    if !recs.has_previous {
        return (cur, None);
    }
    let prev = year(&recs.previous);
    (cur, Some(prev))
}

fn kind(k: Kind, list: &[Record]) -> Tree {
    let mut m = vec![entry("total", n(list.len()))];
    match k {
        Kind::Meetings => {
            m.push(entry("by_kind", count_by(list, "kind", meetings::KINDS)));
            m.push(entry("by_host", count_by(list, "host", &[])));
            m.push(entry("attendees", Tree::number(sum(list, "attendees"))));
            m.push(entry("suggestions", Tree::number(sum(list, "suggestions"))));
            m.extend(calendar(list, "date"));
        }
        Kind::Proposals => proposal_stats(list, &mut m),
        Kind::Funding => funding_stats(list, &mut m),
        Kind::Appointments => {
            m.push(entry("by_action", count_by(list, "action", appointments::ACTIONS)));
            m.push(entry("by_rank", count_by(list, "rank", appointments::RANKS)));
            m.push(entry("by_party", count_by(list, "party", appointments::PARTIES)));
            m.push(entry("by_group", count_by(list, "group", &[])));
            let with_party: Vec<&Record> = list.iter().filter(|r| r.text("party").is_some()).collect();
            let non_cpc =
                with_party.iter().filter(|r| r.text("party").is_some_and(|p| !appointments::CPC.contains(&p))).count();
            m.push(entry("non_cpc", Tree::fraction(non_cpc as f64, with_party.len() as f64)));
            m.extend(calendar(list, "date"));
        }
    }
    Tree::Map(m)
}

fn proposal_stats(list: &[Record], m: &mut Vec<(String, Tree)>) {
    fn status(r: &Record) -> &str {
        r.text("status").unwrap_or("")
    }
    let filed = list.iter().filter(|r| proposals::FILED.contains(&status(r))).count();
    let done = list.iter().filter(|r| status(r) == "办结").count();
    let count = |pred: &dyn Fn(&Record) -> bool| list.iter().filter(|r| pred(r)).count();
    m.push(entry("filed", n(filed)));
    m.push(entry("done", n(done)));
    m.push(entry("pending", n(count(&|r| matches!(status(r), "立案" | "办理中")))));
    m.push(entry("rejected", n(count(&|r| status(r) == "不予立案"))));
    m.push(entry("collective", n(count(&|r| r.flag("collective") == Some(true)))));
    m.push(entry("priority", n(count(&|r| r.flag("priority") == Some(true)))));
    m.push(entry("by_status", count_by(list, "status", proposals::STATUSES)));
    m.push(entry("by_category", count_by(list, "category", &[])));
    m.push(entry("by_sector", count_by(list, "sector", &[])));
    m.push(entry("by_satisfaction", count_by(list, "satisfaction", proposals::SATISFACTION)));
    m.push(entry("completion", Tree::fraction(done as f64, filed as f64)));
    // Satisfaction is a term (满意/基本满意 count) or a share: shares average.
    let rated = count(&|r| matches!(r.text("satisfaction"), Some("满意" | "基本满意" | "不满意")));
    let happy = count(&|r| matches!(r.text("satisfaction"), Some("满意" | "基本满意")));
    m.push(entry("satisfaction", Tree::fraction(happy as f64, rated as f64)));
    let shares: Vec<f64> = list.iter().filter_map(|r| r.num("satisfaction")).collect();
    if !shares.is_empty() {
        let avg = crate::zh::sum_decimal(&shares) / shares.len() as f64;
        m.push(entry("satisfaction_share", Tree::number((avg * 10.0).round() / 10.0)));
    }
    m.extend(calendar(list, "date"));
}

fn funding_stats(list: &[Record], m: &mut Vec<(String, Tree)>) {
    let unit = |r: &Record| r.text("unit").unwrap_or("元").to_string();
    let mut amount = Groups::default();
    let mut previous = Groups::default();
    let mut by_item = Groups::default();
    for r in list {
        let u = unit(r);
        amount.add(&u, r.num("amount").unwrap_or(0.0));
        previous.add(&u, r.num("previous").unwrap_or(0.0));
        by_item.add(r.text("item").unwrap_or(""), r.num("amount").unwrap_or(0.0));
    }
    // Both groups were filled in the same order, so they zip unit by unit;
    // 元 first, as in `by_unit`.
    let mut growth: Vec<(String, Tree)> =
        amount.0.iter().zip(&previous.0).map(|((u, a), (_, p))| (u.clone(), Tree::fraction(a - p, *p))).collect();
    growth.sort_by_key(|(u, _)| u != "元");
    let count = |pred: &dyn Fn(&Record) -> bool| list.iter().filter(|r| pred(r)).count();
    m.push(entry("by_unit", amount.tree(&["元"])));
    m.push(entry("previous_by_unit", previous.tree(&["元"])));
    m.push(entry("by_item", by_item.tree(&[])));
    m.push(entry("growth", Tree::Map(growth)));
    m.push(entry(
        "raised",
        n(count(&|r| matches!((r.num("amount"), r.num("previous")), (Some(a), Some(p)) if p > 0.0 && a > p))),
    ));
    m.push(entry("new", n(count(&|r| r.num("previous") == Some(0.0) && r.num("amount").is_some_and(|a| a > 0.0)))));
    let by_source = count_by(list, "source", &[]);
    m.push(entry("by_source", by_source));
}
