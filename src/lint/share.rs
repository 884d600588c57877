//! Q003: a share that is not the part over the total —
//! "政协常委为45人，其中党外人士为28人，占65%" (28 / 45 is 62.2%).
//!
//! Only the explicit pattern is checked: a total, then a 其中 clause with the
//! part, then 占…X% in that clause or the next. A percentage anywhere else
//! ("配备了3名副主席，占50%") names a total the text does not give.

use super::num::{Approx, Num};
use super::{Finding, Text, nums_in, same_unit};
use crate::diag::Code;

pub(super) fn check(t: &Text, nums: &[Num], out: &mut Vec<Finding>) {
    for pct in nums {
        if pct.unit != "%" {
            continue;
        }
        let at = t.index(pct.range.start);
        // 占 in the clause of the percentage, at most a few words before it.
        let clause = t.clause_start(at);
        let Some(zhan) = t.rfind("占", clause, at).or_else(|| t.rfind("佔", clause, at)) else { continue };
        // 占全县政协委员总数的65%: a few words may name the whole again.
        if at - zhan > 16 {
            continue;
        }
        // 其中 in this clause or the one before, after the sentence start.
        let sentence = t.sentence_start(at);
        let prev_clause = t.clause_start(clause.saturating_sub(1));
        let Some(qz) = t.rfind("其中", prev_clause.max(sentence), zhan) else { continue };
        let Some(part) = nums_in(t, nums, qz + 1, zhan).iter().rev().find(|n| n.unit != "%") else { continue };
        let Some(total) = nums_in(t, nums, sentence, qz)
            .iter()
            .rev()
            .find(|n| n.range.end <= t.byte(qz) && same_unit(&n.unit, &part.unit))
        else {
            continue;
        };
        if total.value <= 0.0 || total.approx != Approx::Exact || part.approx != Approx::Exact {
            continue;
        }
        let actual = part.value / total.value * 100.0;
        let tol = 0.5 / 10f64.powi(pct.decimals as i32) + 1e-9;
        let fits = match pct.approx {
            Approx::Exact => (actual - pct.value).abs() <= tol,
            Approx::AtLeast => actual >= pct.value - tol,
            Approx::AtMost => actual <= pct.value + tol,
            Approx::About => (actual - pct.value).abs() <= tol.max(2.5),
        };
        if fits {
            continue;
        }
        let shown = (pct.decimals + 1) as usize;
        let from = t.index(total.range.start);
        let to = t.index(pct.range.end);
        out.push(Finding {
            code: Code::LintShare,
            range: pct.range.clone(),
            message: format!(
                "share does not add up: {} / {} = {actual:.shown$}%, not {}: `{}`",
                fmt(part.value),
                fmt(total.value),
                t.slice(t.index(pct.range.start), t.index(pct.range.end))
                    .trim_end_matches(['以', '上', '下', '左', '右']),
                t.slice(from, to)
            ),
            hint: format!(
                "write {actual:.shown$}% (or correct the figures: {} of {})",
                fmt(part.value),
                fmt(total.value)
            ),
        });
    }
}

/// A figure as people write it: no trailing ".0".
pub(super) fn fmt(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
}

#[cfg(test)]
mod tests {
    use super::super::tests::fragments;
    use crate::diag::Code;

    fn found(text: &str) -> Vec<String> {
        fragments(text, Code::LintShare)
    }

    #[test]
    fn wrong_shares_are_found() {
        assert_eq!(found("政协常委为45人，其中党外人士为28人，占65%，配备了3名副主席，占50%。"), vec!["65%"]);
        assert_eq!(found("人大常委会组成人员为27人，其中非中共党员人员为9人，占35%，并按照要求配备"), vec!["35%"]);
        assert_eq!(found("委员总数二百人，其中党外人士一百人，占百分之六十。"), vec!["百分之六十"]);
        assert_eq!(found("共10人，其中女性3人占50%以上"), vec!["50%以上"]);
        assert_eq!(found("共10人，其中女性3人，占比40%"), vec!["40%"]);
        assert_eq!(found("共10人，其中女性3人，占总数的40%"), vec!["40%"]);
        assert_eq!(found("委员共10人，其中女性3人，占全县政协委员总数的40%"), vec!["40%"]);
        assert_eq!(found("委員共10人，其中女性3人，佔40%"), vec!["40%"]);
        let d = super::super::lint_text("政协常委为45人，其中党外人士为28人，占65%");
        assert!(d[0].message.contains("28 / 45 = 62.2%, not 65%"), "{}", d[0].message);
    }

    #[test]
    fn right_shares_pass() {
        for text in [
            "全县人大代表总数289人，其中非中共党员代表为86人，占30%；",
            "政协委员总数299人，其中党外人士179人，占60%；",
            "共45人，其中28人，占62%。",
            "共45人，其中28人，占62.2%。",
            "共45人，其中28人，占约60%。",
            "共45人，其中28人，占60%以上。",
            "共45人，其中28人，占近63%。",
            "配备了3名非中共党员副主席，占50%。",
            "大专以上学历占82%。",
            "共45人，其中28人。党员占65%。",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }
}
