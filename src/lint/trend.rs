//! Q004: a rise that goes down or a fall that goes up —
//! "由人均20230元提高到300元", "从50人减少到60人".
//!
//! "由/从 … A … 提高(增加, 增长 …)到 B" within one clause: A is the last
//! figure before the verb (so "由2022年的50岁降到46岁" compares 50 with 46),
//! B the first one after it; figures in different units are not compared.

use super::num::Num;
use super::share::fmt;
use super::{Finding, Text, nums_in, same_unit};
use crate::diag::Code;

const RISE: &[&str] = &[
    "提高", "增加", "增长", "上升", "提升", "扩大", "增至", "增到", "增为", "升至", "升到", "升为", "上涨", "攀升",
    "跃升", "涨到", "涨至", "提到", "提至",
];
const FALL: &[&str] = &[
    "降低", "下降", "减少", "降至", "降到", "降为", "减至", "减到", "减为", "缩小", "缩减", "回落", "下滑", "压缩",
    "减低",
];

pub(super) fn check(t: &Text, nums: &[Num], out: &mut Vec<Finding>) {
    for from_word in ["由", "从"] {
        let mut i = 0;
        while let Some(k) = t.find(from_word, i) {
            i = k + 1;
            let end = t.clause_end(k);
            // The first rise or fall verb after 由 in the clause.
            let verb = RISE
                .iter()
                .map(|v| (v, true))
                .chain(FALL.iter().map(|v| (v, false)))
                .filter_map(|(v, up)| t.find_in(v, k + 1, end).map(|p| (p, *v, up)))
                .min_by_key(|&(p, _, _)| p);
            let Some((p, verb, up)) = verb else { continue };
            let Some(a) = nums_in(t, nums, k + 1, p).iter().rev().find(|n| n.range.end <= t.byte(p)) else { continue };
            // B follows the verb closely: 提高到, 增加至, 降低为 …
            let Some(b) = nums_in(t, nums, p + 2, p + 7).first().filter(|n| n.range.end <= t.byte(end)) else {
                continue;
            };
            let comparable = same_unit(&a.unit, &b.unit) || a.unit.is_empty() || b.unit.is_empty();
            if !comparable || a.unit == "年" || b.unit == "年" {
                continue;
            }
            let wrong = if up { b.value < a.value } else { b.value > a.value };
            if !wrong {
                continue;
            }
            let (direction, relation) = if up { ("a rise", "less") } else { ("a fall", "more") };
            out.push(Finding {
                code: Code::LintRiseFall,
                range: b.range.clone(),
                message: format!(
                    "{verb} ({direction}) to {} from {}, which is {relation}: `{}`",
                    fmt(b.value),
                    fmt(a.value),
                    t.slice(k, t.index(b.range.end))
                ),
                hint: "one figure is probably mistyped; check both against the data, or use the opposite verb".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::fragments;
    use crate::diag::Code;

    fn found(text: &str) -> Vec<String> {
        fragments(text, Code::LintRiseFall)
    }

    #[test]
    fn contradictions_are_found() {
        assert_eq!(found("活动经费由人均20230元提高到300元。"), vec!["300元"]);
        assert_eq!(found("从50人减少到60人"), vec!["60人"]);
        assert_eq!(found("由2亿元增加到1.5亿元"), vec!["1.5亿元"]);
        assert_eq!(found("由三百人增至二百人"), vec!["二百人"]);
        let d = super::super::lint_text("由人均20230元提高到300元");
        assert!(d[0].message.contains("to 300 from 20230"), "{}", d[0].message);
    }

    #[test]
    fn consistent_changes_pass() {
        for text in [
            "由人均200元提高到300元",
            "平均年龄由2022年的50岁降到46岁",
            "由200余人增加到300多人",
            "由5000元提高到1.2万元",
            "从严治党，由此提高到新水平",
            "由2020年的3次增加到5次",
            "由50%下降到30%",
            "从3个方面提高到4项",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }
}
