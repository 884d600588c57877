//! Record checks, lints and stats on small projects: exact codes and positions.

use super::stats::Tree;
use super::*;

/// Code, line, column and file of a diagnostic.
type At = (Code, usize, usize, String);

fn project(files: &[(&str, &str)], year: Option<i64>) -> (Records, Vec<At>, Diags) {
    let (_dir, set, d, sources) = crate::data::tests::project(files);
    assert!(d.is_empty(), "{d:?}");
    let (recs, diags) = collect(&set, &sources, year);
    let at = diags
        .iter()
        .map(|d| {
            let span = d.span.clone().expect("every record diagnostic has a span");
            let (l, c) = sources.get(span.file).expect("file").line_col(span.range.start);
            let file = sources.get(span.file).expect("file").path.to_string_lossy().replace('\\', "/");
            (d.code, l, c, file)
        })
        .collect();
    (recs, at, diags)
}

fn codes(files: &[(&str, &str)]) -> Vec<(Code, usize, usize)> {
    project(files, Some(2023)).1.into_iter().map(|(c, l, col, _)| (c, l, col)).collect()
}

const P: &str = "proposals:\n  - id: \"1\"\n    title: 甲\n    status: 办结\n";

#[test]
fn valid_records_have_no_diagnostics() {
    let (recs, at, _) = project(&[("proposals.yaml", P)], Some(2023));
    assert!(at.is_empty(), "{at:?}");
    assert_eq!(recs.current.of(Kind::Proposals).len(), 1);
}

#[test]
fn wrong_values_point_at_the_value() {
    let text = "meetings:\n  - date: 2023-02-30\n    kind: 常委会\n    title: 甲\n    attendees: -3\n  - date: 2023-03-01\n    kind: 茶话会\n    title: 乙\n    topics: {a: 1}\n";
    assert_eq!(
        codes(&[("meetings.yaml", text)]),
        vec![
            (Code::RecordDate, 2, 11),
            (Code::RecordRange, 5, 16),
            (Code::RecordEnum, 7, 11),
            (Code::RecordType, 9, 13)
        ]
    );
}

#[test]
fn enum_hint_lists_accepted_terms() {
    let text = "appointments:\n  - name: 甲\n    action: 升职\n    party: 民建\n    rank: 处级\n";
    let (_, at, diags) = project(&[("appointments.yaml", text)], None);
    assert_eq!(at.iter().map(|a| (a.0, a.1)).collect::<Vec<_>>(), vec![(Code::RecordEnum, 3), (Code::RecordEnum, 5)]);
    let d = diags.iter().next().expect("diag");
    assert_eq!(d.message, "`action` \"升职\" is not an accepted term");
    assert!(d.hints[0].starts_with("accepted: 提拔、晋升、任命、交流"), "{:?}", d.hints);
}

#[test]
fn missing_fields_are_errors_and_unknown_keys_warnings() {
    let text = "proposals:\n  - id: \"1\"\n    title: 甲\n    satisfction: 满意\n";
    let (_, at, diags) = project(&[("proposals.yaml", text)], None);
    assert_eq!(
        at.iter().map(|a| (a.0, a.1, a.2)).collect::<Vec<_>>(),
        vec![(Code::RecordUnknownKey, 4, 5), (Code::RecordMissing, 2, 5)]
    );
    let warn = diags.iter().next().expect("warning");
    assert!(!warn.is_error());
    assert_eq!(warn.hints[0], "did you mean `satisfaction`? (unknown keys are kept for templates but not checked)");
    let missing = diags.iter().nth(1).expect("error");
    assert!(missing.is_error() && missing.message.contains("`status`"), "{}", missing.message);
}

#[test]
fn shares_and_entries_are_checked() {
    let text = "proposals:\n  - id: \"1\"\n    title: 甲\n    status: 办结\n    satisfaction: 120\n  - 乙\n";
    assert_eq!(codes(&[("proposals.yaml", text)]), vec![(Code::RecordRange, 5, 19), (Code::RecordType, 6, 5)]);
}

#[test]
fn lints_sums_rises_duplicates_and_years() {
    let funding = "funding:\n  - item: 甲\n    amount: 100\n    previous: 150\n    change: 提高\n  - item: 乙\n    amount: 100\n    parts: {a: 60, b: 30}\n  - item: 丙\n    amount: 10\n    parts: {a: 60}\n    year: 2022\n";
    let dup = format!("{P}  - id: \"1\"\n    title: 乙\n    status: 立案\n    date: 2024-01-02\n");
    assert_eq!(
        codes(&[("funding.yaml", funding), ("proposals.yaml", &dup)]),
        vec![
            (Code::RecordYear, 12, 11),
            (Code::RecordYear, 8, 11),
            (Code::RecordDuplicate, 5, 9),
            (Code::RecordDecrease, 4, 15),
            (Code::RecordSum, 8, 12),
            (Code::RecordSum, 11, 12),
        ]
    );
}

#[test]
fn duplicate_names_the_first() {
    let dup = format!("{P}  - id: \"1\"\n    title: 乙\n    status: 立案\n");
    let (_, _, diags) = project(&[("proposals.yaml", &dup)], None);
    let d = diags.iter().next().expect("diag");
    assert_eq!(d.message, "proposals `id` \"1\" is used twice (first at data/proposals.yaml:2)");
}

#[test]
fn lists_are_found_in_any_file_and_year_folders_split() {
    let (recs, at, _) = project(
        &[
            ("2022/proposals.yaml", P),
            ("2023/work.yaml", &format!("{P}other: 1\n")),
            ("more.yaml", &P.replace("\"1\"", "\"2\"")),
            ("county.yaml", "county:\n  meetings: 7\n"),
        ],
        Some(2023),
    );
    assert!(at.is_empty(), "{at:?}");
    assert!(recs.has_previous);
    assert_eq!(recs.current.of(Kind::Proposals).len(), 2);
    assert_eq!(recs.previous.of(Kind::Proposals).len(), 1);
    assert!(recs.current.of(Kind::Meetings).is_empty());
}

#[test]
fn stats_carry_their_fractions() {
    let text = "proposals:\n  - {id: a, title: 甲, status: 办结, satisfaction: 满意, category: 经济, date: 2023-01-15}\n  - {id: b, title: 乙, status: 办结, satisfaction: 不满意, category: 教育, date: 2023-05-02}\n  - {id: c, title: 丙, status: 办理中, category: 经济, date: 2023-05-20}\n  - {id: d, title: 丁, status: 不予立案, date: 2023-12-01}\n";
    let (recs, _, _) = project(&[("proposals.yaml", text)], Some(2023));
    let (stats, prev) = stats::compute(&recs);
    assert!(prev.is_none());
    let p = stats.get("proposals").expect("proposals");
    let v = serde_json::to_value(p).expect("json");
    assert_eq!(v["completion"], serde_json::json!({"num": 2, "den": 3, "percent": 66.7}));
    assert_eq!(v["satisfaction"], serde_json::json!({"num": 1, "den": 2, "percent": 50}));
    assert_eq!(v["by_quarter"], serde_json::json!([1, 2, 0, 1]));
    assert_eq!(v["by_month"][4], 2);
    // Terms in the order of the accepted list, free text as first seen.
    let Some(Tree::Map(by_status)) = p.get("by_status") else { panic!("map") };
    assert_eq!(by_status.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["办理中", "办结", "不予立案"]);
    let Some(Tree::Map(by_cat)) = p.get("by_category") else { panic!("map") };
    assert_eq!(by_cat.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["经济", "教育"]);
}

#[test]
fn funding_and_appointment_stats() {
    let funding = "funding:\n  - {item: 甲, amount: 300, previous: 200, unit: 元/人}\n  - {item: 乙, amount: 150, previous: 100}\n  - {item: 丙, amount: 50, previous: 0}\n";
    let people = "appointments:\n  - {name: 甲, action: 提拔, rank: 正科级, party: 中共党员}\n  - {name: 乙, action: 提拔, rank: 副科级, party: 九三学社}\n  - {name: 丙, action: 交流, rank: 副科级, party: 无党派}\n";
    let (recs, _, _) = project(&[("funding.yaml", funding), ("appointments.yaml", people)], None);
    let v = serde_json::to_value(stats::compute(&recs).0).expect("json");
    assert_eq!(v["funding"]["by_unit"], serde_json::json!({"元": 200, "元/人": 300}));
    assert_eq!(v["funding"]["growth"]["元"], serde_json::json!({"num": 100, "den": 100, "percent": 100}));
    assert_eq!(v["funding"]["raised"], 2);
    assert_eq!(v["funding"]["new"], 1);
    assert_eq!(v["appointments"]["by_rank"], serde_json::json!({"正科级": 1, "副科级": 2}));
    assert_eq!(v["appointments"]["non_cpc"], serde_json::json!({"num": 2, "den": 3, "percent": 66.7}));
    assert_eq!(v["meetings"]["total"], 0);
}

#[test]
fn sums_add_as_decimals() {
    let funding = "funding:\n  - {item: 甲, amount: 0.1, unit: 万元}\n  - {item: 乙, amount: 0.2, unit: 万元}\n";
    let (recs, _, _) = project(&[("funding.yaml", funding)], None);
    let v = serde_json::to_value(stats::compute(&recs).0).expect("json");
    assert_eq!(v["funding"]["by_unit"]["万元"], 0.3);
}
