//! `funding`: 经费 — budget items with this year's and last year's amounts.

use super::{Field, Record, Ty};
use crate::diag::{Code, Diagnostic, Diags};

/// How an item changed; the first two claim a rise, which `previous` must bear out.
pub const CHANGES: &[&str] = &["提高", "增加", "新增", "持平", "下降", "减少"];

/// Spreadsheet headers (`data/funding.xlsx`, `.csv`) that name a field, as
/// county offices head their 统计表 columns; the field names themselves are
/// headers too. docs/records.md lists them.
pub const HEADERS: &[(&str, &str)] = &[
    ("项目", "item"),
    ("项目名称", "item"),
    ("经费项目", "item"),
    ("金额", "amount"),
    ("本年金额", "amount"),
    ("预算金额", "amount"),
    ("金额单位", "unit"),
    ("计量单位", "unit"),
    ("年度", "year"),
    ("预算年度", "year"),
    ("上年金额", "previous"),
    ("增减", "change"),
    ("变化", "change"),
    ("资金来源", "source"),
    ("来源", "source"),
    ("用途", "purpose"),
    ("明细", "parts"),
    ("备注", "note"),
];

/// Fields of a funding item.
pub const FIELDS: &[Field] = &[
    Field::req("item", Ty::Text, "what the money is for, as the text names it"),
    Field::req("amount", Ty::Amount, "this year's amount, in `unit`"),
    Field::opt("unit", Ty::Text, "元, 万元 or 元/人 (default 元)"),
    Field::opt("year", Ty::Year, "the budget year"),
    Field::opt("previous", Ty::Amount, "last year's amount (0 for a new item)"),
    Field::opt(
        "change",
        Ty::Enum(CHANGES),
        "how the text describes the change: 提高, 增加 … (提高/增加 need `previous` ≤ `amount`)",
    ),
    Field::opt("source", Ty::Text, "资金来源"),
    Field::opt("purpose", Ty::Text, "用途"),
    Field::opt("parts", Ty::Parts, "the amount by sub-item; must add up to `amount`"),
    Field::opt("note", Ty::Text, "anything else"),
];

/// Funding lints: a rise must be a rise, and parts must add up.
pub fn lint(list: &[Record], diags: &mut Diags) {
    for r in list {
        super::lint_parts(r, "amount", diags);
        let (Some(change), Some(amount), Some(previous)) = (r.text("change"), r.num("amount"), r.num("previous"))
        else {
            continue;
        };
        if matches!(change, "提高" | "增加") && previous > amount {
            diags.push(
                Diagnostic::error(
                    Code::RecordDecrease,
                    format!(
                        "`{}` is marked {change}, but `previous` ({previous}) is above `amount` ({amount})",
                        r.text("item").unwrap_or("")
                    ),
                )
                .with_span(r.span_of("previous"))
                .with_hint("swap `amount` and `previous` if they are reversed, or mark the change 下降/减少"),
            );
        }
    }
}
