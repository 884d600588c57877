//! Q005: a total that is not the sum of its listed parts —
//! "提拔任用12人（其中正科5人，副科6人）", "共收到提案142件，其中立案130件，不予立案15件".
//!
//! Parts are the items after 其中 (in brackets after the total, or in the
//! clauses after it) that each end in a figure of the total's unit. Parts of
//! different kinds may overlap (党员5人，女性3人), so the sum is only held to
//! the total when the parts are one kind:
//! - two complementary parts (正科/副科, 男/女, 党内/党外, 立案/不予立案) must
//!   add up to the total exactly;
//! - parts sharing their last character (县处级/正科级/副科级, 经济类/社会类)
//!   are disjoint, so their sum must not exceed the total;
//! - any single part larger than the total is wrong.

use super::num::{Approx, Num};
use super::share::fmt;
use super::{Finding, REACH, Text, nums_in, same_unit};
use crate::diag::Code;
use crate::unicode::is_han;

struct Part<'a> {
    label: String,
    num: &'a Num,
}

pub(super) fn check(t: &Text, nums: &[Num], out: &mut Vec<Finding>) {
    let mut i = 0;
    while let Some(k) = t.find("其中", i) {
        i = k + 2;
        let bracketed = k > 0 && matches!(t.at(k - 1), '（' | '(');
        let before = nums_in(t, nums, t.sentence_start(k), k);
        let total = if bracketed {
            // 12人（其中…: the figure right before the bracket.
            before.last().filter(|n| n.range.end == t.byte(k - 1))
        } else {
            before.iter().rev().find(|n| n.range.end <= t.byte(k))
        };
        let Some(total) = total.filter(|n| n.unit != "%" && n.unit != "年" && !n.unit.is_empty()) else { continue };
        let parts = parts(t, nums, k + 2, total, bracketed);
        if parts.is_empty() || total.approx != Approx::Exact || parts.iter().any(|p| p.num.approx != Approx::Exact) {
            continue;
        }
        let sum: f64 = parts.iter().map(|p| p.num.value).sum();
        let listed = parts.iter().map(|p| fmt(p.num.value)).collect::<Vec<_>>().join(" + ");
        let (problem, hint) = if let Some(big) = parts.iter().find(|p| p.num.value > total.value) {
            (
                format!("the part {}{} is larger than the total {}", big.label, fmt(big.num.value), fmt(total.value)),
                "a part cannot exceed its total; check both figures",
            )
        } else if parts.len() == 2 && complementary(&parts[0].label, &parts[1].label) && sum != total.value {
            (
                format!("{listed} = {}, but the total is {}", fmt(sum), fmt(total.value)),
                "the two parts cover the whole; correct the total or a part",
            )
        } else if parts.len() >= 2 && same_kind(&parts) && sum > total.value {
            (
                format!("{listed} = {}, more than the total {}", fmt(sum), fmt(total.value)),
                "parts of one kind cannot add up to more than the total; check the figures",
            )
        } else {
            continue;
        };
        let from = t.index(total.range.start);
        let to = parts.last().map_or(from, |p| t.index(p.num.range.end) + usize::from(bracketed));
        out.push(Finding {
            code: Code::LintTotal,
            range: total.range.clone(),
            message: format!("total and parts disagree: {problem}: `{}`", t.slice(from, to)),
            hint: hint.into(),
        });
    }
}

/// Items after 其中 that each end in a figure of the total's unit, up to the
/// first that does not (or the closing bracket).
fn parts<'a>(t: &Text, nums: &'a [Num], start: usize, total: &Num, bracketed: bool) -> Vec<Part<'a>> {
    let mut v = Vec::new();
    let mut from = start;
    let mut i = start;
    let limit = t.len().min(start + REACH);
    while i <= limit {
        let c = t.get(i).filter(|_| i < limit);
        let stop = c.is_none_or(|c| "。；！？;!?\n".contains(c)) || (bracketed && matches!(c, Some('）' | ')')));
        if stop || matches!(c, Some('，' | '、' | ',')) {
            let item = nums_in(t, nums, from, i).last().filter(|n| n.range.end == t.byte(i));
            let Some(n) = item.filter(|n| same_unit(&n.unit, &total.unit)) else { break };
            let label = t
                .slice(from, t.index(n.range.start))
                .trim_end_matches(['为', '有', '是', '达', '共'])
                .trim_start_matches(['其', '中'])
                .to_string();
            // A part is named briefly (正科, 党外人士); 市场主体总数达到… is another total.
            let named = label.chars().count() <= 8 && label.chars().all(is_han);
            if !named || ["总", "达到", "增", "共", "累计"].iter().any(|w| label.contains(w)) {
                break;
            }
            v.push(Part { label, num: n });
            from = i + 1;
        }
        if stop {
            break;
        }
        i += 1;
    }
    v
}

/// 正科/副科, 男/女, 党内/党外, 立案/不予立案, 党员/非党员: two halves of one whole.
fn complementary(a: &str, b: &str) -> bool {
    let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let pairs = [('正', '副'), ('男', '女'), ('内', '外'), ('城', '乡')];
    let differ_first = !ac.is_empty()
        && ac.len() == bc.len()
        && ac[1..] == bc[1..]
        && pairs.iter().any(|&(x, y)| (ac[0], bc[0]) == (x, y) || (ac[0], bc[0]) == (y, x));
    let differ_last = !ac.is_empty()
        && ac.len() == bc.len()
        && ac[..ac.len() - 1] == bc[..bc.len() - 1]
        && pairs.iter().any(|&(x, y)| {
            (ac[ac.len() - 1], bc[bc.len() - 1]) == (x, y) || (ac[ac.len() - 1], bc[bc.len() - 1]) == (y, x)
        });
    let negated = |x: &str, y: &str| ["非", "不", "不予", "未"].iter().any(|p| !y.is_empty() && x == format!("{p}{y}"));
    differ_first || differ_last || negated(a, b) || negated(b, a)
}

/// Parts whose labels end alike (县处级/正科级, 经济类/社会类) are of one kind.
fn same_kind(parts: &[Part]) -> bool {
    let last = |p: &Part| p.label.chars().last();
    parts.iter().all(|p| last(p).is_some() && last(p) == last(&parts[0]))
}

#[cfg(test)]
mod tests {
    use super::super::tests::fragments;
    use crate::diag::Code;

    fn found(text: &str) -> Vec<String> {
        fragments(text, Code::LintTotal)
    }

    #[test]
    fn totals_that_do_not_add_up_are_found() {
        assert_eq!(found("提拔任用12人（其中正科5人，副科6人）"), vec!["12人"]);
        assert_eq!(found("提拔任用12人(其中正科5人,副科6人)"), vec!["12人"]);
        assert_eq!(found("共收到提案142件，其中立案130件，不予立案15件。"), vec!["142件"]);
        assert_eq!(found("共10人，其中县处级5人、正科级4人、副科级3人。"), vec!["10人"]);
        assert_eq!(found("共收到提案142件，其中经济类60件，社会类50件，文化类40件。"), vec!["142件"]);
        assert_eq!(found("政协常委为45人，其中党外人士为48人。"), vec!["45人"]);
        assert_eq!(found("共十二人，其中男性五人，女性六人"), vec!["十二人"]);
        let d = super::super::lint_text("提拔任用12人（其中正科5人，副科6人）");
        assert!(d[0].message.contains("5 + 6 = 11, but the total is 12"), "{}", d[0].message);
    }

    #[test]
    fn totals_that_add_up_pass() {
        for text in [
            "提拔任用12人（其中正科5人，副科7人）",
            "共收到提案142件，其中经济类60件，社会类50件。",
            "共10人（其中党员6人，女性5人）",
            "全县安排了72名党外干部担任实职，涵盖21个县直部门、27个乡镇，其中副县级5人、正科级7人，同时还建立了40人的党外后备干部队伍。",
            "全县人大代表总数289人，其中非中共党员代表为86人，占30%",
            "到2004年底，全市非公有制企业发展到1370多家，从业人员18万多人，其中党员人数4600多人。",
            "共150余人，其中正科100人，副科60人",
            "全年新登记市场主体6384户，其中企业1127户，市场主体总数达到5.82万户。",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }
}
