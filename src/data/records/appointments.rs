//! `appointments`: 干部任用 — promotions, transfers, recommendations.

use super::{Field, Ty};

/// Actions of an appointment.
pub const ACTIONS: &[&str] =
    &["提拔", "晋升", "任命", "交流", "转任", "调任", "挂职", "推荐", "试用期满", "免职", "聘任", "退休", "辞职"];

/// Ranks (职级).
pub const RANKS: &[&str] = &[
    "正县级",
    "副县级",
    "正科级",
    "副科级",
    "一级主任科员",
    "二级主任科员",
    "三级主任科员",
    "四级主任科员",
    "一级科员",
    "二级科员",
    "科员",
    "办事员",
];

/// Political affiliations; all but the first two are non-CPC (党外).
pub const PARTIES: &[&str] = &[
    "中共党员",
    "中共预备党员",
    "民主党派",
    "民革",
    "民盟",
    "民建",
    "民进",
    "农工党",
    "致公党",
    "九三学社",
    "台盟",
    "无党派",
    "无党派人士",
    "群众",
];

/// Affiliations that count as CPC, for the non-CPC share.
pub const CPC: &[&str] = &["中共党员", "中共预备党员"];

/// Spreadsheet headers (`data/appointments.xlsx`, `.csv`) that name a field, as
/// county offices head their 统计表 columns; the field names themselves are
/// headers too. docs/records.md lists them.
pub const HEADERS: &[(&str, &str)] = &[
    ("姓名", "name"),
    ("任免事项", "action"),
    ("任免类型", "action"),
    ("事项", "action"),
    ("日期", "date"),
    ("任免日期", "date"),
    ("时间", "date"),
    ("原职务", "from"),
    ("原任职务", "from"),
    ("现职务", "to"),
    ("新任职务", "to"),
    ("拟任职务", "to"),
    ("职级", "rank"),
    ("政治面貌", "party"),
    ("人员类别", "group"),
    ("类别", "group"),
    ("性别", "gender"),
    ("备注", "note"),
];

/// Fields of an appointment.
pub const FIELDS: &[Field] = &[
    Field::req("name", Ty::Text, "the person's name"),
    Field::req("action", Ty::Enum(ACTIONS), "提拔, 交流, 任命, 免职, 推荐 …"),
    Field::opt("date", Ty::Date, "the day of the decision, YYYY-MM-DD"),
    Field::opt("from", Ty::Text, "the post before"),
    Field::opt("to", Ty::Text, "the post after"),
    Field::opt("rank", Ty::Enum(RANKS), "职级 of the new post, e.g. 正科级"),
    Field::opt("party", Ty::Enum(PARTIES), "中共党员, 民主党派 (or the party's name), 无党派, 群众"),
    Field::opt("group", Ty::Text, "e.g. 机关干部 or 政协委员"),
    Field::opt("gender", Ty::Text, "性别"),
    Field::opt("note", Ty::Text, "anything else"),
];
