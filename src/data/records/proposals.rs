//! `proposals`: 提案 — filed by members and groups, handled by departments.

use super::{Field, Record, Ty};
use crate::diag::{Diags, Sources};

/// Statuses of a proposal. 立案, 办理中, 办结 and 并案 count as filed (立案).
pub const STATUSES: &[&str] = &["立案", "办理中", "办结", "并案", "不予立案", "转为意见建议", "撤回"];

/// Statuses that count as filed, the denominator of the completion rate.
pub const FILED: &[&str] = &["立案", "办理中", "办结", "并案"];

/// Satisfaction terms; 满意 and 基本满意 count as satisfied, 未评价 is not evaluated.
pub const SATISFACTION: &[&str] = &["满意", "基本满意", "不满意", "未评价"];

/// Spreadsheet headers (`data/proposals.xlsx`, `.csv`) that name a field, as
/// county offices head their 统计表 columns; the field names themselves are
/// headers too. docs/records.md lists them.
pub const HEADERS: &[(&str, &str)] = &[
    ("提案号", "id"),
    ("提案编号", "id"),
    ("编号", "id"),
    ("案号", "id"),
    ("案由", "title"),
    ("提案标题", "title"),
    ("提案名称", "title"),
    ("标题", "title"),
    ("题目", "title"),
    ("办理状态", "status"),
    ("状态", "status"),
    ("类别", "category"),
    ("提案类别", "category"),
    ("领域", "category"),
    ("界别", "sector"),
    ("提案人", "submitted_by"),
    ("提案者", "submitted_by"),
    ("领衔人", "submitted_by"),
    ("集体提案", "collective"),
    ("办理单位", "handled_by"),
    ("主办单位", "handled_by"),
    ("承办单位", "handled_by"),
    ("协办单位", "co_handled_by"),
    ("会办单位", "co_handled_by"),
    ("满意度", "satisfaction"),
    ("办理满意度", "satisfaction"),
    ("提交日期", "date"),
    ("提出日期", "date"),
    ("日期", "date"),
    ("重点提案", "priority"),
    ("备注", "note"),
];

/// Fields of a proposal.
pub const FIELDS: &[Field] = &[
    Field::req("id", Ty::Text, "the proposal number, unique, e.g. \"2023-001\""),
    Field::req("title", Ty::Text, "its title"),
    Field::req("status", Ty::Enum(STATUSES), "立案, 办理中, 办结, 不予立案 …"),
    Field::opt("category", Ty::Text, "领域, e.g. 经济 or 教育"),
    Field::opt("sector", Ty::Text, "界别 of the proposer, e.g. 经济界 or 民建"),
    Field::opt("submitted_by", Ty::Text, "the member or group who filed it"),
    Field::opt("collective", Ty::Bool, "filed by a party, group, sector or committee"),
    Field::opt("handled_by", Ty::Text, "the lead handling department"),
    Field::opt("co_handled_by", Ty::TextList, "other handling departments"),
    Field::opt(
        "satisfaction",
        Ty::TermOrShare(SATISFACTION),
        "满意, 基本满意, 不满意, 未评价, or a share from 0 to 100",
    ),
    Field::opt("date", Ty::Date, "the day it was filed, YYYY-MM-DD"),
    Field::opt("priority", Ty::Bool, "a key proposal (重点提案) overseen by a county leader"),
    Field::opt("note", Ty::Text, "anything else"),
];

/// Proposals' own lints: ids are unique.
pub fn lint(list: &[Record], sources: &Sources, diags: &mut Diags) {
    super::lint_duplicates(list, "id", sources, diags);
}
