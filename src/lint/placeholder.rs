//! Q001: placeholders drafters leave for a name, a place or a date and forget
//! to fill in: xx县委, XX省委, ××同志, 某某, 〇〇, 20xx年, X月X日, ＿＿,
//! 【待补充】, （待定）, TODO, ？？, and text masked or lost in copying
//! (加强**, 12?31, �).
//!
//! Latin words are left alone: an x only counts when the whole Latin word is
//! x's (Excel, 6+X and X光 pass; a lone X counts only where a figure or a
//! date goes: x件, x%, 第X届, X月X日). A lone × is a blank unless it
//! multiplies (3×4, a × b).

use super::num::is_cn_numeral;
use super::{Finding, Text, quote};
use crate::diag::Code;
use crate::unicode::{is_digit, is_han};

const HINT: &str = "fill in the real name, place, date or figure (in the data or the template), or delete the sentence; \
                    a deliberate mask (××同志) can be allowed with `allow: [Q001]` in the front matter";

/// A placeholder: characters `from..to` and what kind it is.
type Hit = (usize, usize, &'static str);

pub(super) fn check(t: &Text, out: &mut Vec<Finding>) {
    let mut hits = Vec::new();
    latin_words(t, &mut hits);
    repeated_marks(t, &mut hits);
    bracketed_notes(t, &mut hits);
    lost_characters(t, &mut hits);
    hits.sort();
    // X月X日, ××县××镇: placeholders one character apart are one blank to fill.
    let mut merged: Vec<Hit> = Vec::new();
    for h in hits {
        match merged.last_mut() {
            Some(last) if h.0 <= last.1 + 1 && h.2 == last.2 => last.1 = last.1.max(h.1),
            _ => merged.push(h),
        }
    }
    for (from, to, what) in merged {
        let fragment = t.slice(from, to);
        out.push(Finding {
            code: Code::LintPlaceholder,
            range: t.byte(from)..t.byte(to),
            message: format!("{what} `{fragment}` left in the text: `{}`", quote(t, from, to)),
            hint: HINT.into(),
        });
    }
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ') || is_x(c)
}

/// Units a count placeholder stands before: 提案x件, x人.
const COUNT_UNITS: &str = "人名位件次个個項项家户戶篇条條元期场場批份所座处處届屆倍岁歲";

/// What × multiplies: digits, Latin letters, spaces around an operator.
fn is_operand(c: char) -> bool {
    c.is_ascii_alphanumeric() || c.is_whitespace() || is_digit(c)
}

/// x in every form drafters type it, the Roman numeral ten (ⅩⅩ电视台) included.
fn is_x(c: char) -> bool {
    matches!(c, 'x' | 'X' | 'ｘ' | 'Ｘ' | 'Ⅹ' | 'ⅹ')
}

/// xx, XXX, 20xx, X月, TODO: whole Latin words only.
fn latin_words(t: &Text, out: &mut Vec<Hit>) {
    let mut i = 0;
    while i < t.len() {
        if !is_latin(t.at(i)) {
            i += 1;
            continue;
        }
        let start = i;
        while i < t.len() && is_latin(t.at(i)) {
            i += 1;
        }
        let word = t.slice(start, i);
        let all_x = word.chars().all(is_x);
        let next = t.get(i);
        let prev = start.checked_sub(1).map(|p| t.at(p));
        let dated = next.is_some_and(|c| matches!(c, '年' | '月' | '日' | '号'));
        // 提案x件, 占x%, 第X届: a lone x where a count goes; X光 and 6+X are words.
        let counted = next.is_some_and(|c| c == '%' || c == '％' || COUNT_UNITS.contains(c)) || prev == Some('第');
        if all_x
            && (word.chars().count() >= 2 || dated || counted || prev.is_some_and(is_digit) && next.is_some_and(is_han))
        {
            // 20xx年: the digits belong to the placeholder.
            let mut from = start;
            while from > 0 && is_digit(t.at(from - 1)) {
                from -= 1;
            }
            // X月X日: the unit goes with it, so the two blanks read (and merge) as one.
            let mut to = i;
            if dated {
                to += 1;
            } else {
                while to < t.len() && is_digit(t.at(to)) {
                    to += 1;
                }
            }
            out.push((from, to, "placeholder"));
        } else if ["TODO", "FIXME", "TBD"].iter().any(|w| word.eq_ignore_ascii_case(w)) {
            out.push((start, i, "drafting note"));
        }
    }
}

/// ××, 某某, 〇〇, ○○, □□, ＿＿, __, ？？, ** (masked words).
fn repeated_marks(t: &Text, out: &mut Vec<Hit>) {
    let mut i = 0;
    while i < t.len() {
        let c = t.at(i);
        let mut j = i + 1;
        while j < t.len() && t.at(j) == c {
            j += 1;
        }
        let n = j - i;
        let prev = i.checked_sub(1).map(|p| t.at(p));
        let next = t.get(j);
        let what = match c {
            '×' | '某' | '○' | '□' | '＿' | '_' | '？' | '?' if n >= 2 => Some("placeholder"),
            // ×县第×届, 提案×件; 3×4 and a × b are multiplication.
            '×' if !prev.is_some_and(is_operand) && !next.is_some_and(is_operand) => Some("placeholder"),
            // 二〇〇八 is a year; only a run of 〇 on its own is a blank.
            '〇' if n >= 2 && !prev.is_some_and(is_cn_numeral) && !next.is_some_and(is_cn_numeral) => {
                Some("placeholder")
            }
            '*' | '＊' if n >= 2 || (!prev.is_some_and(|p| p.is_ascii_alphanumeric()) && next.is_some_and(is_han)) => {
                Some("masked text")
            }
            _ => None,
        };
        if let Some(w) = what {
            out.push((i, j, w));
        }
        i = j;
    }
}

/// 【待补充】, 【 】, （待定）, (待定): brackets holding a note instead of text.
fn bracketed_notes(t: &Text, out: &mut Vec<Hit>) {
    for i in 0..t.len() {
        let close = match t.at(i) {
            '【' => '】',
            '〔' => '〕',
            '［' => '］',
            '（' => '）',
            '(' => ')',
            _ => continue,
        };
        let Some(j) = (i + 1..t.len().min(i + 14)).find(|&j| t.at(j) == close) else { continue };
        let inner = t.slice(i + 1, j);
        let inner = inner.trim_matches(|c: char| c.is_whitespace());
        let square = !matches!(t.at(i), '（' | '(');
        let note = inner.starts_with('待')
            || ["填写", "填寫", "补充", "補充", "此处", "此處"].iter().any(|w| inner.contains(w))
            || (square && inner.is_empty());
        if note {
            out.push((i, j + 1, "drafting note"));
        }
    }
}

/// 12?31 and U+FFFD: a character lost when the text was copied.
fn lost_characters(t: &Text, out: &mut Vec<Hit>) {
    for i in 0..t.len() {
        let c = t.at(i);
        let between_digits = c == '?' && i > 0 && is_digit(t.at(i - 1)) && t.get(i + 1).is_some_and(is_digit);
        if between_digits || c == '\u{fffd}' {
            out.push((i, i + 1, "character lost in copying"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::fragments;
    use crate::diag::Code;

    fn found(text: &str) -> Vec<String> {
        fragments(text, Code::LintPlaceholder)
    }

    #[test]
    fn placeholders_drafters_leave_are_found() {
        for (text, want) in [
            ("近年来，xx县委以机制建设为先导", "xx"),
            ("中共XX省委关于贯彻", "XX"),
            ("如我县确定的“xx模式开展战略", "xx"),
            ("××同志任县政协主席", "××"),
            ("于X月X日召开", "X月X日"),
            ("20xx年全县", "20xx年"),
            ("201X年", "201X年"),
            ("〇〇县人民政府", "〇〇"),
            ("某某同志", "某某"),
            ("发言人：＿＿＿", "＿＿＿"),
            ("联系人：____", "____"),
            ("成效【待补充】。", "【待补充】"),
            ("成效【 】。", "【 】"),
            ("时间(待定)", "(待定)"),
            ("〔此处填写〕", "〔此处填写〕"),
            ("时间（待定）", "（待定）"),
            ("TODO 补数据", "TODO"),
            ("共有？？人", "？？"),
            ("加强**建设", "**"),
            ("*大限度地调动", "*"),
            ("，*大限度地调动", "*"),
            ("总书记“12?31讲话”", "?"),
            ("ｘｘ镇", "ｘｘ"),
            ("截至XX年9月底", "XX年"),
            ("ⅩⅩ电视台", "ⅩⅩ"),
            ("中共ⅹⅹ县委书记", "ⅹⅹ"),
            ("党的xx大精神", "xx"),
            ("“xxxx”重要思想", "xxxx"),
            ("共提出提案x件，", "x"),
            ("满意率x%", "x"),
            ("政协第X届委员会", "X"),
            ("政協×縣委員會", "×"),
            ("提案×件", "×"),
            ("构建和谐xx，给政协", "xx"),
        ] {
            assert_eq!(found(text), vec![want.to_string()], "{text}");
        }
    }

    #[test]
    fn real_words_are_not_placeholders() {
        for text in [
            "用Excel汇总",
            "推行“6+X”模式",
            "拍摄X光片",
            "X射线检查",
            "二〇〇八年",
            "一九〇〇年",
            "某些问题、某种程度",
            "3×4米",
            "3 × 4",
            "a×b",
            "a*b，2*3",
            "人民網【大 中 小】 【打印】",
            "（略）",
            "（其中正科5人）",
            "有待完善",
            "是吗？",
            "Windows XP系统",
            "xx",
        ] {
            let f = found(text);
            assert!(f.is_empty() || text == "xx", "{text}: {f:?}");
        }
        assert_eq!(found("xx"), vec!["xx"]);
    }
}
