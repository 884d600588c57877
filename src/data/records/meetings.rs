//! `meetings`: 会议 — plenary sessions, standing committee meetings, consultations.

use super::{Field, Record, Ty};
use crate::diag::Diags;

/// Kinds of meeting county offices write about.
pub const KINDS: &[&str] = &[
    "全委会",
    "全体会议",
    "常委会",
    "主席会议",
    "秘书长会议",
    "党组会议",
    "专题协商会",
    "对口协商会",
    "界别协商会",
    "提案办理协商会",
    "协商会",
    "座谈会",
    "恳谈会",
    "通报会",
    "调研会",
    "培训会",
    "其他",
];

/// Spreadsheet headers (`data/meetings.xlsx`, `.csv`) that name a field, as
/// county offices head their 统计表 columns; the field names themselves are
/// headers too. docs/records.md lists them.
pub const HEADERS: &[(&str, &str)] = &[
    ("日期", "date"),
    ("会议日期", "date"),
    ("时间", "date"),
    ("会议类型", "kind"),
    ("类型", "kind"),
    ("会议名称", "title"),
    ("名称", "title"),
    ("编号", "id"),
    ("主办", "host"),
    ("主办单位", "host"),
    ("召集", "host"),
    ("地点", "place"),
    ("会议地点", "place"),
    ("参会人数", "attendees"),
    ("出席人数", "attendees"),
    ("人数", "attendees"),
    ("人员构成", "parts"),
    ("议题", "topics"),
    ("成果", "outcome"),
    ("会议成果", "outcome"),
    ("意见建议", "suggestions"),
    ("意见建议数", "suggestions"),
    ("备注", "note"),
];

/// Fields of a meeting.
pub const FIELDS: &[Field] = &[
    Field::req("date", Ty::Date, "the day it was held, YYYY-MM-DD"),
    Field::req("kind", Ty::Enum(KINDS), "the kind of meeting, e.g. 常委会 or 专题协商会"),
    Field::req("title", Ty::Text, "its name as the text cites it"),
    Field::opt("id", Ty::Text, "a reference of your own"),
    Field::opt("host", Ty::Text, "who convened it, e.g. 县委 or 县政协"),
    Field::opt("place", Ty::Text, "地点"),
    Field::opt("attendees", Ty::Count, "how many attended"),
    Field::opt("parts", Ty::Parts, "attendees by group, e.g. {委员: 30, 部门负责人: 9}; must add up to `attendees`"),
    Field::opt("topics", Ty::TextList, "议题, a list"),
    Field::opt("outcome", Ty::Text, "what it decided or produced"),
    Field::opt("suggestions", Ty::Count, "意见建议 raised or collected"),
    Field::opt("note", Ty::Text, "anything else"),
];

/// Meetings' own lints: attendee parts must add up.
pub fn lint(list: &[Record], diags: &mut Diags) {
    for r in list {
        super::lint_parts(r, "attendees", diags);
    }
}
