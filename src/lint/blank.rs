//! Q002: a number slot that printed empty (or as None/null/nan): the unit is
//! there, the figure is not — "提拔任用人（其中正科人，副科人）", "占%".
//!
//! Unit characters (人, 件, 次 …) are everywhere in ordinary words (个人, 文件,
//! 层次), so a missing figure is only reported where the words around the
//! unit demand one:
//! - after 其中 (and 共/共计/合计/累计) a short clause with no figure that ends
//!   in a unit: "其中正科人", "共撰写提案件";
//! - a unit right after a verb or noun that is only ever followed by a count
//!   (任用, 任职, 提拔; 召开, 撰写, 提案 …) and then by punctuation: "交流任职人；";
//!   parallel items repeat it ("提拔人为县处级领导、人为正科级领导");
//! - a unit directly before "（其中": "提拔任用人（其中…";
//! - units that never follow anything but a figure: "%" ("占%"), "万元/亿元" after
//!   达/为/共/资 …, "第次", "年月日";
//! - empty parentheses "（）", and None/null/nan/undefined printed as text.

use super::num::is_cn_numeral;
use super::{Finding, REACH, Text, quote};
use crate::diag::Code;
use crate::unicode::{is_digit, is_han};

const HINT: &str = "a figure printed empty: check the data value (null, missing or empty) and the template expression \
                    that prints it, or write the number";

/// Units a count clause can end with.
const UNITS: &str = "人名位件次个项篇条家户场批份所座处本册台辆套届元";

/// Characters that give a clause a quantity even without digits (多数, 部分, 每, 各 …).
const QUANTITY: &str = "多少数几些余半每各全整双若许众诸某部";

/// Words that end in a unit character but are not counts.
const NOT_COUNTS: &[&str] = &[
    "个人", "本人", "他人", "家人", "名人", "新人", "成人", "工人", "军人", "主人", "客人", "老人", "病人", "别人",
    "商人", "用人", "为人", "做人", "育人", "树人", "文件", "条件", "事件", "软件", "邮件", "稿件", "证件", "硬件",
    "专项", "事项", "款项", "选项", "立项", "名次", "层次", "档次", "此次", "这次", "其次", "依次", "首次", "专家",
    "国家", "大家", "作家", "全家", "农家", "商家", "厂家", "农户", "用户", "住户", "门户", "账户", "商户", "窗户",
    "单元", "公元", "多元", "美元", "欧元", "日元", "港元", "状元", "狀元", "纪元", "市场", "现场", "广场", "会场",
    "立场", "农场", "商场", "审批", "身份", "股份", "月份", "年份", "省份", "场所", "住所", "诊所", "讲座", "到处",
    "好处", "益处", "长处", "难处", "相处", "根本", "基本", "成本", "资本", "文本", "样本", "版本", "手册", "名册",
    "注册", "平台", "舞台", "出台", "车辆", "配套", "换届", "历届", "本届", "单位", "地位", "岗位", "到位", "定位",
    "部位", "职位", "学位", "席位", "首位", "本位", "报名", "签名", "署名", "排名", "点名", "提名", "实名", "命名",
    "知名", "姓名", "罪名", "地名", "著名", "联名", "办所", "户户",
];

/// Verbs and nouns a head count follows directly: "提拔任用5人", "党员12名".
const PERSON_WORDS: &[&str] = &[
    "任用", "任职", "提拔", "选派", "选拔", "录用", "招录", "招聘", "轮岗", "挂职", "交流", "表彰", "干部", "党员",
    "委员",
];

/// Verbs and nouns other counts follow directly: "召开7次", "撰写提案142件".
const COUNT_WORDS: &[&str] = &[
    "撰写", "提交", "办理", "办结", "受理", "立案", "交办", "答复", "收到", "征集", "召开", "举办", "举行", "开展",
    "视察", "调研", "走访", "慰问", "培训", "表彰", "引进", "编发", "上报", "刊发", "提出", "达到", "超过", "组织",
    "落实", "完成", "形成", "捐赠", "发放", "新增", "新建", "建成", "提案", "建议", "议案", "项目", "意见", "信息",
    "会议", "活动", "报告",
];

const COUNT_UNITS: &str = "件次个项篇条家户场批份";

/// Characters after which a money unit needs a figure: 达万元, 人均元, 捐资万元.
const MONEY_NEEDS: &str = "达为共计约均资入支付拨筹捐补投至到超逾额费金款值收用增减降占";

pub(super) fn check(t: &Text, out: &mut Vec<Finding>) {
    none_words(t, out);
    empty_brackets(t, out);
    bare_units(t, out);
    after_qizhong(t, out);
    after_total(t, out);
    after_count_words(t, out);
    before_qizhong(t, out);
    measure_after_having(t, out);
}

/// Words after which a measure word starts a count: 全县共有个乡镇, 下辖个村.
const HAVING: &[&str] = &["共有", "现有", "辖有", "设有", "建有", "拥有", "下辖", "新增", "新建", "增加", "减少"];

/// Measure words materials count with.
const MEASURES: &str = "个项次件名位家所座条户元人批期场篇";

/// A measure word and the character after it that make an ordinary word,
/// not a count: 有所提高, 个别, 项目, 条件, 位于, 人口, 人员 …
const MEASURE_WORDS: &[&str] = &[
    "所有", "所在", "所属", "所需", "所得", "所以", "个别", "个人", "个性", "个体", "个案", "项目", "条件", "条例",
    "条款", "名单", "名称", "名额", "名义", "家庭", "家长", "家属", "位于", "位置", "次序", "人口", "人员", "人才",
    "人民", "人数", "人次", "户籍", "户数", "元素", "场所", "场地", "件事", "期间", "批次", "篇幅",
];

/// 全县共有个乡镇, 新增家企业: a measure word right after a word of having
/// or growing, with no figure between.
fn measure_after_having(t: &Text, out: &mut Vec<Finding>) {
    for w in HAVING {
        let mut i = 0;
        while let Some(k) = t.find(w, i) {
            i = k + 2;
            let u = k + 2;
            let Some(m) = t.get(u).filter(|&c| MEASURES.contains(c)) else { continue };
            let word = t.slice(u, t.len().min(u + 2));
            // 新增人口, 设有所属单位: a word, not a measure; 增加元 is Q002's money rule.
            if MEASURE_WORDS.contains(&word) || m == '元' && "新增增加减少".contains(w) {
                continue;
            }
            // Something must be counted: a noun after the measure, not the end of the clause.
            if t.get(u + 1).is_some_and(is_han) {
                push(t, u, 1, out);
            }
        }
    }
}

fn push(t: &Text, at: usize, len: usize, out: &mut Vec<Finding>) {
    let what = t.slice(at, at + len);
    out.push(Finding {
        code: Code::LintEmptyNumber,
        range: t.byte(at)..t.byte(at + len),
        message: format!("number missing before `{what}`: `{}`", quote(t, at, at + len)),
        hint: HINT.into(),
    });
}

fn is_boundary(c: Option<char>) -> bool {
    c.is_none_or(|c| "，。；、：！？）)（(,;:!?\n".contains(c))
}

fn has_quantity(s: &str) -> bool {
    s.chars().any(|c| is_digit(c) || is_cn_numeral(c) || QUANTITY.contains(c) || c.is_ascii_alphabetic())
}

fn not_count(t: &Text, unit_at: usize) -> bool {
    unit_at > 0 && {
        let w = t.slice(unit_at - 1, unit_at + 1);
        NOT_COUNTS.contains(&w) || t.at(unit_at - 1) == '的' || t.at(unit_at - 1) == '之'
    }
}

/// "None", "null", "nan", "undefined" printed where a value was expected.
fn none_words(t: &Text, out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < t.len() {
        if !t.at(i).is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < t.len() && t.at(i).is_ascii_alphabetic() {
            i += 1;
        }
        let word = t.slice(start, i);
        if ["None", "null", "NULL", "Null", "nan", "NaN", "undefined"].contains(&word) {
            out.push(Finding {
                code: Code::LintEmptyNumber,
                range: t.byte(start)..t.byte(i),
                message: format!("`{word}` printed as a value: `{}`", quote(t, start, i)),
                hint: HINT.into(),
            });
        }
    }
}

/// （）, ( ): a slot that printed nothing.
fn empty_brackets(t: &Text, out: &mut Vec<Finding>) {
    for i in 0..t.len() {
        let close = match t.at(i) {
            '（' => '）',
            '(' => ')',
            _ => continue,
        };
        let mut j = i + 1;
        while j < t.len() && matches!(t.at(j), ' ' | '\u{3000}') {
            j += 1;
        }
        if t.get(j) == Some(close) {
            out.push(Finding {
                code: Code::LintEmptyNumber,
                range: t.byte(i)..t.byte(j + 1),
                message: format!("empty brackets: `{}`", quote(t, i, j + 1)),
                hint: HINT.into(),
            });
        }
    }
}

/// Units that only ever follow a figure: 占%, 达万元, 人均元, 第次, 年月日.
fn bare_units(t: &Text, out: &mut Vec<Finding>) {
    for i in 0..t.len() {
        let c = t.at(i);
        let prev = i.checked_sub(1).map(|p| t.at(p));
        let next = t.get(i + 1);
        let rest = t.slice(i, t.len().min(i + 3));
        // 投资单位均为万元: naming the unit, not a figure.
        let names_unit = t.slice(i.saturating_sub(6), i).contains("单位");
        let missing = !names_unit
            && match c {
                // 增长（%）is a unit label, not a slot; x% and ×% are Q001's placeholders.
                '%' | '％' => {
                    !prev.is_some_and(|p| is_digit(p) || p.is_alphabetic() && !is_han(p) || ".（(［[/×".contains(p))
                }
                '万' | '亿' if next == Some('元') => prev.is_some_and(|p| MONEY_NEEDS.contains(p)),
                '元' => {
                    prev.is_some_and(|p| MONEY_NEEDS.contains(p))
                        && !next.is_some_and(|n| "旦素宵帅老首年月气件器朝代化音勋配宝始数".contains(n))
                }
                '第' => next.is_some_and(|n| "次届期条章节名批轮个项篇".contains(n)),
                '年' => rest == "年月日" && !prev.is_some_and(|p| is_digit(p) || is_cn_numeral(p)),
                _ => false,
            };
        if missing {
            // Point at what follows the gap: the unit itself (第次 → 次).
            let at = if c == '第' { i + 1 } else { i };
            let len = if matches!(c, '万' | '亿') { 2 } else { 1 };
            push(t, at, len, out);
        }
        if t.slice(i, t.len().min(i + 3)) == "百分之" && !t.get(i + 3).is_some_and(|n| is_digit(n) || is_cn_numeral(n))
        {
            push(t, i, 3, out);
        }
    }
}

/// Clause-by-clause items after `start` up to the end of the sentence or bracket:
/// (first char, end) of each, split at ，、.
fn items(t: &Text, start: usize) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut from = start;
    let mut i = start;
    let limit = t.len().min(start + REACH);
    while i <= limit {
        let c = t.get(i).filter(|_| i < limit);
        let end = c.is_none_or(|c| "。；！？）);!?\n".contains(c));
        if end || c.is_some_and(|c| "，、,".contains(c)) {
            v.push((from, i));
            from = i + 1;
        }
        if end {
            break;
        }
        i += 1;
    }
    v
}

/// A short clause with no figure that ends in a unit: 正科人, 撰写提案件.
fn blank_count(t: &Text, from: usize, to: usize) -> bool {
    let n = to.saturating_sub(from);
    if !(2..=10).contains(&n) {
        return false;
    }
    let s = t.slice(from, to);
    let last = t.at(to - 1);
    UNITS.contains(last) && s.chars().all(is_han) && !has_quantity(s) && !not_count(t, to - 1)
}

/// 其中正科人，副科人: every listed part needs its figure.
fn after_qizhong(t: &Text, out: &mut Vec<Finding>) {
    let mut i = 0;
    while let Some(k) = t.find("其中", i) {
        i = k + 2;
        for (from, to) in items(t, i) {
            if from >= to || !UNITS.contains(t.at(to - 1)) {
                // The list of parts is over at the first item that is not a count.
                if from < to {
                    break;
                }
                continue;
            }
            if blank_count(t, from, to) {
                push(t, to - 1, 1, out);
            }
        }
    }
}

/// 共撰写提案件, 累计培训人次: a total with nothing to total.
fn after_total(t: &Text, out: &mut Vec<Finding>) {
    for w in ["共计", "合计", "总计", "累计", "一共", "共"] {
        let mut i = 0;
        while let Some(k) = t.find(w, i) {
            let n = w.chars().count();
            i = k + n;
            let prev = k.checked_sub(1).map(|p| t.at(p));
            let next = t.get(k + n);
            if w == "共"
                && (prev.is_some_and(|p| "中公总一".contains(p))
                    || next.is_some_and(|c| "同产享建识商事推青性处存谋赢担进济创筑育话树治和鸣振通计".contains(c)))
            {
                continue;
            }
            // The whole clause: 共收到专家、委员…的论文400多篇 is one total.
            let (from, to) = (k + n, t.clause_end(k + n));
            if blank_count(t, from, to) {
                push(t, to - 1, 1, out);
            }
        }
    }
}

/// 交流任职人；召开次；提拔人为县处级领导、人为正科级领导.
fn after_count_words(t: &Text, out: &mut Vec<Finding>) {
    for (words, units) in [(PERSON_WORDS, "人名位"), (COUNT_WORDS, COUNT_UNITS)] {
        for w in words {
            let mut i = 0;
            while let Some(k) = t.find(w, i) {
                i = k + 2;
                let u = k + 2;
                let Some(unit) = t.get(u).filter(|&c| units.contains(c)) else { continue };
                let next = t.get(u + 1);
                let wei = next == Some('为') && units == "人名位";
                // 召开次常委会, 选派名干部: after these words 次 and 名 start only a
                // few words (次数, 次日; 名单, 名额), so they need no punctuation after.
                let starts_word = match unit {
                    '次' => "数要年日序之生级第",
                    '名' => "单额册次义誉称字录牌片声气言望列",
                    _ => "",
                };
                let bare = !starts_word.is_empty() && !next.is_some_and(|n| starts_word.contains(n));
                // The verb decides: 任用人 is a blank even though 用人 is a word.
                if !(is_boundary(next) || wei || bare) || t.at(u - 1) == '的' {
                    continue;
                }
                push(t, u, 1, out);
                if wei {
                    // Parallel items: 提拔人为县处级领导、人为正科级领导、人为副科级领导.
                    for (from, _) in items(t, u + 1).into_iter().skip(1) {
                        let sep = from.checked_sub(1).and_then(|p| t.get(p));
                        if t.get(from) == Some(unit) && t.get(from + 1) == Some('为') && sep == Some('、') {
                            push(t, from, 1, out);
                        }
                    }
                }
            }
        }
    }
}

/// 提拔任用人（其中…: the total before a breakdown.
fn before_qizhong(t: &Text, out: &mut Vec<Finding>) {
    for open in ["（其中", "(其中"] {
        let mut i = 0;
        while let Some(k) = t.find(open, i) {
            i = k + 1;
            if k < 2 || !UNITS.contains(t.at(k - 1)) {
                continue;
            }
            let before = t.at(k - 2);
            if is_han(before) && !is_cn_numeral(before) && !QUANTITY.contains(before) && before != '的' {
                push(t, k - 1, 1, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::fragments;
    use crate::diag::Code;

    fn found(text: &str) -> Vec<String> {
        fragments(text, Code::LintEmptyNumber)
    }

    #[test]
    fn empty_slots_are_found() {
        for (text, want) in [
            ("在政协机关干部中提拔任用人（其中正科人，副科人）、交流任职人；", &["人", "人", "人", "人"][..]),
            ("在市、县政协委员中提拔人为县处级领导、人为正科级领导、人为副科级领导。", &["人", "人", "人"]),
            ("共撰写提案件，办结率100%。", &["件"]),
            ("全县共有个乡镇、个行政村。", &["个"]),
            ("下辖个社区，新增家企业，现有名委员。", &["个", "家", "名"]),
            ("今年撰写提案件，", &["件"]),
            ("全年召开次常委会会议", &["次"]),
            ("选派名干部到村任职", &["名"]),
            ("全年召开次，", &["次"]),
            ("党外人士占%。", &["%"]),
            ("满意率达%以上", &["%"]),
            ("捐资万元", &["万元"]),
            ("由人均元提高到300元", &["元"]),
            ("第次全体会议", &["次"]),
            ("于年月日召开", &["年"]),
            ("其中（）人", &["（）"]),
            ("满意率为None", &["None"]),
            ("共收到提案nan件", &["nan"]),
            ("百分之的委员", &["百分之"]),
        ] {
            assert_eq!(found(text), want, "{text}");
        }
    }

    #[test]
    fn counts_and_words_are_not_blanks() {
        for text in [
            "提拔任用12人（其中正科5人，副科7人）、交流任职3人；",
            "其中党外人士179人，占60%",
            "其中副县级5人、正科级7人，同时还建立了40人的党外后备干部队伍",
            "其中的建议和对策采纳到具体部署中去",
            "其中多数人，其中部分人员",
            "坚持正确选人用人导向，规范选人用人。",
            "为人民服务，为元旦做准备",
            "共同发展，共建共享，中共党员",
            "坚持以人为本，选派干部到村任职",
            "进一步完善提案办理、答复工作",
            "提案件数逐年增加",
            "达到预期，完成项目",
            "大专以上学历占82%。",
            "用于政协的根本建设及专项活动经费达150余万元",
            "每万元GDP能耗、万元户",
            "1.8亿多元，600多万元，数万元",
            "二〇二三年四月二十三日",
            "（一）优化领导机制",
            "Excel表格",
            "| 增长（%） | 目标(%) | 单位/% |",
            "投资单位均为万元，单位为%",
            "满意率×%",
            "坚持以人民为中心的发展思想，全面落实党风廉政建设责任制。",
            "召开常委会会议7次、主席会议12次，共收到提案142件，立案130件，办结率100%。",
            "组织委员视察调研23次，帮扶困难群众1200余户，全年接待群众来访300余人次。",
            "先后召开座谈会、恳谈会等各类会议，确保每件提案都有回音，每次会议都邀请委员参加。",
            "交流干部到基层任职，提拔使用一批年轻干部，选派干部到村任职。",
            "开展“三会一访”活动，组织开展视察活动，发展党员工作，委员名单，会议次数。",
            "共办理各类案件，其中，县级领导带头领办重点提案。",
            "累计投入资金，人均可支配收入，元旦春节期间，一户一策。",
            "第一次全体会议，次第展开，提案人，交流人才，提拔人选，任用人员，委员名额。",
            "选派名单，表彰名单，党员名册，干部名单，提拔名额。",
            "开展个性化服务，形成项目库，活动场所，提高3个百分点。",
            "共收到專家、委員和政協工作者的論文400多篇",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }
}
