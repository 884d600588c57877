//! Punctuation a 文秘 corrects by hand (GB/T 15834-2011):
//!
//! - Q006: a 顿号 between book titles. Titles in 书名号 that follow each
//!   other take no mark between them: 《条例》《规定》, not 《条例》、《规定》
//!   (GB/T 15834-2011 §4.5.3.5). The same clause says quoted items
//!   "usually" take none either, but 公文 write “三个代表”、“五个一” as a
//!   rule, so quotes are left alone.
//! - Q007: quotation marks and book-title marks that do not pair up within
//!   a paragraph: a mark opened again before it closed ("“关于背街小巷改造问题
//!   “关于…"), a closing mark with nothing open, one left open at the end.
//!   Nested quotes use the single marks ‘’ and nested titles 〈〉, so a
//!   second “ or 《 inside an open one is a slip.
//!
//! The third rule, thousands separators used one way here and another way
//! there (Q008), needs the whole document: `thousands`.

use std::ops::Range;

use super::num::Num;
use super::{Finding, Text, quote};
use crate::diag::Code;
use crate::unicode::is_digit;

/// Q006 and Q007 on one paragraph (or heading, cell, title line).
pub(super) fn check(t: &Text, out: &mut Vec<Finding>) {
    comma_between_titles(t, out);
    for (open, close, name) in [('“', '”', "quotation mark"), ('《', '》', "book-title mark")] {
        pairs(t, open, close, name, out);
    }
}

fn comma_between_titles(t: &Text, out: &mut Vec<Finding>) {
    for i in 1..t.len() {
        let closes_title = t.at(i - 1) == '》' && t.at(i + 1) == '《';
        if t.at(i) == '、' && closes_title {
            out.push(Finding {
                code: Code::LintTitleComma,
                range: t.byte(i)..t.byte(i + 1),
                message: format!("a 顿号 between two titles: `{}`", quote(t, i - 1, i + 2)),
                hint: format!(
                    "titles that follow each other take no mark between them: write `{}{}` (GB/T 15834-2011)",
                    t.at(i - 1),
                    t.at(i + 1)
                ),
            });
        }
    }
}

/// Marks `open`/`close` that do not pair up in `t`.
fn pairs(t: &Text, open: char, close: char, name: &str, out: &mut Vec<Finding>) {
    let mut opened: Option<usize> = None;
    for i in 0..t.len() {
        let c = t.at(i);
        if c == open {
            if let Some(first) = opened {
                out.push(unpaired(
                    t,
                    first,
                    format!("an opening {name} `{open}` is opened again before it closes"),
                    format!("close the first one with `{close}` where its words end, or use `‘’`/`〈〉` for a quote inside a quote"),
                ));
            }
            opened = Some(i);
        } else if c == close && opened.take().is_none() {
            out.push(unpaired(
                t,
                i,
                format!("a closing {name} `{close}` with no `{open}` before it"),
                format!("add the opening `{open}` where the quoted words begin, or delete this one"),
            ));
        }
    }
    if let Some(first) = opened {
        out.push(unpaired(
            t,
            first,
            format!("an opening {name} `{open}` is never closed in this paragraph"),
            format!("add the closing `{close}` where the quoted words end"),
        ));
    }
}

fn unpaired(t: &Text, at: usize, what: String, hint: String) -> Finding {
    Finding {
        code: Code::LintUnpaired,
        range: t.byte(at)..t.byte(at + 1),
        message: format!("{what}: `{}`", quote(t, at, at + 1)),
        hint,
    }
}

/// Units a figure of a thousand or more is counted in: a four-digit
/// figure before one of these is an amount, not a year (2023年) or a
/// number (第1234号).
const AMOUNT_UNITS: &str = "元万亿人件个次户家名位套台辆亩吨米册张篇条项所处座份";

/// How a text writes figures of a thousand or more: the byte ranges of
/// those with a thousands separator (1,280) and of those without (3470),
/// among the Arabic figures `num::scan` read in it (`nums`), counting only
/// those written right before a unit of amount (see `AMOUNT_UNITS`).
pub(super) fn thousands(text: &str, nums: &[Num]) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for n in nums {
        let written = &text[n.written.clone()];
        if !written.starts_with(is_digit) {
            continue;
        }
        let integer = written.split('.').next().unwrap_or_default();
        let digits = integer.chars().filter(|&c| is_digit(c)).count();
        let before_unit = text[n.written.end..].chars().next().is_some_and(|c| AMOUNT_UNITS.contains(c));
        if digits >= 4 && before_unit {
            if integer.contains(',') { with.push(n.written.clone()) } else { without.push(n.written.clone()) }
        }
    }
    (with, without)
}

#[cfg(test)]
mod tests {
    use super::super::tests::fragments;
    use super::thousands;
    use crate::diag::Code;

    #[test]
    fn a_comma_between_book_titles_is_found() {
        assert_eq!(fragments("学习《条例》、《规定》和《办法》。", Code::LintTitleComma), vec!["、"]);
        // Quoted items are commonly listed with 顿号 in 公文: not flagged.
        assert!(fragments("开展“三个环节”、“五个一”活动。", Code::LintTitleComma).is_empty());
        assert!(fragments("学习《条例》《规定》，落实“三个环节”、加强领导。", Code::LintTitleComma).is_empty());
    }

    #[test]
    fn quotation_marks_that_do_not_pair_are_found() {
        let found = |t: &str| fragments(t, Code::LintUnpaired);
        assert_eq!(found("提出“关于背街小巷改造问题“关于老旧小区加装电梯”的提案。"), vec!["“"]);
        assert_eq!(found("形成了推动发展的”合力“。"), vec!["”", "“"]);
        assert_eq!(found("编印《广州政协》24期、《广州文史5辑。"), vec!["《"]);
        assert!(found("他说：“要把‘三个环节’抓实。”会后编印《〈条例〉释义》。").is_empty());
    }

    #[test]
    fn figures_are_told_by_how_they_write_thousands() {
        let text = "投入1,280万元，其中3470万元用于道路，2023年完成，编号2023-001，共12,000人，第1234号。";
        let (with, without) = thousands(text, &super::super::num::scan(text));
        let pick = |r: &[std::ops::Range<usize>]| r.iter().map(|r| text[r.clone()].to_string()).collect::<Vec<_>>();
        assert_eq!(pick(&with), ["1,280", "12,000"]);
        assert_eq!(pick(&without), ["3470"]);
    }
}
