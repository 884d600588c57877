//! Figures as Chinese documents write them: 1,234 · 12.5 · 97% · 十二 ·
//! 一百四十二 · 两 · 二〇二三 · 百分之九十七 · 150余万元 · 4亿多元.
//!
//! The reverse of `zh`: the lints read figures back from the text to compare
//! them. A Chinese numeral only counts as a figure when a unit follows it,
//! because 一是, 统一, 万一, 十分 are words, not numbers.

use std::ops::Range;

use crate::unicode::{is_digit, is_han};

/// How a figure qualifies its value (以上, 左右, 不到 …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approx {
    /// As written.
    Exact,
    /// 以上, 余, 多, 超过, 逾: the true value is at least this.
    AtLeast,
    /// 以下, 不到, 不足, 近: the true value is at most this.
    AtMost,
    /// 约, 左右, 大约: roughly this.
    About,
}

/// A figure found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    /// Bytes of the figure, from its first digit through its unit and any 以上/左右.
    pub range: Range<usize>,
    /// Bytes of the number alone as written, before any 万/亿, marker or
    /// unit ("1,280.5" of "1,280.5万元").
    pub written: Range<usize>,
    /// The value, with 万/亿 applied (150余万 → 1,500,000; 97% → 97).
    pub value: f64,
    /// Digits written after the decimal point: the stated precision.
    pub decimals: u32,
    /// Qualifiers before or after the figure.
    pub approx: Approx,
    /// The unit as written after the figure ("人", "元", "%"); empty when none.
    pub unit: String,
}

/// Units that follow counts and amounts, longest first so 人次 wins over 人.
const UNITS: &[&str] = &[
    "平方公里",
    "平方米",
    "个百分点",
    "百分点",
    "个月",
    "人次",
    "户次",
    "小时",
    "学时",
    "公里",
    "公顷",
    "%",
    "％",
    "人",
    "名",
    "位",
    "件",
    "次",
    "个",
    "项",
    "家",
    "户",
    "篇",
    "条",
    "元",
    "期",
    "场",
    "批",
    "份",
    "所",
    "座",
    "处",
    "本",
    "册",
    "台",
    "辆",
    "套",
    "间",
    "村",
    "届",
    "倍",
    "吨",
    "亩",
    "岁",
    "年",
    "月",
    "天",
    "日",
    "周",
    "轮",
    "组",
    "类",
    "种",
    "章",
    "节",
    "支",
    "部",
    "课",
    "例",
    "株",
    "头",
    "只",
    "米",
    "页",
    "余",
];

/// Value of one Chinese digit character.
fn cn_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壹' => 1,
        '二' | '贰' | '貳' | '两' | '兩' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Value of one Chinese unit character (十 … 亿).
fn cn_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        _ => return None,
    })
}

/// Is `c` part of a Chinese numeral?
pub fn is_cn_numeral(c: char) -> bool {
    cn_digit(c).is_some() || cn_unit(c).is_some()
}

/// A Chinese numeral as a whole string: 十二 → 12, 一百四十二 → 142, 两 → 2,
/// 二〇二三 → 2023 (digit by digit), 一万二千 → 12000, 一百五 → 150
/// (the spoken short form). None for anything else, never a panic.
pub fn parse_cn(s: &str) -> Option<u64> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() || !chars.iter().all(|&c| is_cn_numeral(c)) {
        return None;
    }
    if chars.iter().all(|&c| cn_unit(c).is_none()) {
        // Digit by digit, as years are written; 零 is not used that way.
        if chars.len() > 1 && chars.contains(&'零') {
            return None;
        }
        return chars.iter().try_fold(0u64, |acc, &c| acc.checked_mul(10)?.checked_add(cn_digit(c)?));
    }
    let (mut yi, mut wan, mut sec) = (0u64, 0u64, 0u64);
    let mut num: Option<u64> = None;
    let mut last_unit = 0u64;
    let mut zero_since_unit = false;
    for &c in &chars {
        if let Some(d) = cn_digit(c) {
            if d == 0 {
                zero_since_unit = true;
                num = None;
                continue;
            }
            if num.is_some() {
                return None; // 二二十: two digits in a row
            }
            num = Some(d);
            continue;
        }
        let u = cn_unit(c)?;
        match u {
            10 | 100 | 1000 => {
                if last_unit != 0 && last_unit < 10_000 && u >= last_unit && num.is_none() {
                    return None; // 百十, 千千
                }
                sec = sec.checked_add(num.unwrap_or(1).checked_mul(u)?)?;
            }
            10_000 => {
                let group = sec.checked_add(num.unwrap_or(0))?;
                if group == 0 {
                    return None;
                }
                wan = wan.checked_add(group.checked_mul(10_000)?)?;
                sec = 0;
            }
            _ => {
                let group = wan.checked_add(sec)?.checked_add(num.unwrap_or(0))?;
                if group == 0 {
                    return None;
                }
                yi = yi.checked_add(group)?.checked_mul(100_000_000)?;
                wan = 0;
                sec = 0;
            }
        }
        num = None;
        last_unit = u;
        zero_since_unit = false;
    }
    if let Some(d) = num {
        // 一百五 = 150, 三万五 = 35000: a bare digit after a unit is one place lower.
        let place = if !zero_since_unit && last_unit >= 100 { last_unit / 10 } else { 1 };
        sec = sec.checked_add(d.checked_mul(place)?)?;
    }
    yi.checked_add(wan)?.checked_add(sec)
}

fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
        _ => None,
    }
}

/// Every figure in `text`, in order.
pub fn scan(text: &str) -> Vec<Num> {
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| cs.get(i).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i].1;
        let prev = i.checked_sub(1).map(|p| cs[p].1);
        let starts_arabic = is_digit(c) && !prev.is_some_and(|p| is_digit(p) || p == '.' || p.is_ascii_alphabetic());
        let percent_words = text[byte_at(i)..].starts_with("百分之");
        let (value, decimals, mut j, percent) = if starts_arabic {
            let (v, d, j) = arabic(&cs, i);
            (v, d, j, false)
        } else if percent_words {
            let k = i + 3;
            match leading_number(&cs, k) {
                Some((v, d, j)) => (v, d, j, true),
                None => {
                    i += 1;
                    continue;
                }
            }
        } else if is_cn_numeral(c) && !prev.is_some_and(is_cn_numeral) {
            let mut j = i;
            while j < cs.len() && is_cn_numeral(cs[j].1) {
                j += 1;
            }
            let word: String = cs[i..j].iter().map(|&(_, c)| c).collect();
            match parse_cn(&word) {
                // Only a figure when a unit (after 余/多) follows: 一是, 统一 are words.
                Some(v) if unit_at(text, byte_at(skip_markers(&cs, j))).is_some() => (v as f64, 0, j, false),
                _ => {
                    i = j.max(i + 1);
                    continue;
                }
            }
        } else {
            i += 1;
            continue;
        };
        let written = byte_at(i)..byte_at(j);
        let mut value = value;
        let mut approx = before(&cs, i);
        let mut unit = String::new();
        if percent {
            unit.push('%');
        } else {
            // 150余万元, 4亿多元, 4600多人: marker, multiplier, marker, unit.
            let mut seen_marker = false;
            while let Some(&(_, c)) = cs.get(j) {
                if matches!(c, '余' | '多') && !seen_marker && unit_after_marker(text, &cs, j) {
                    seen_marker = true;
                    approx = Approx::AtLeast;
                    j += 1;
                } else if starts_arabic && matches!(c, '万' | '亿' | '千' | '百') && multiplier_ok(text, &cs, j) {
                    value *= cn_unit(c).map_or(1.0, |u| u as f64);
                    j += 1;
                } else {
                    break;
                }
            }
            if let Some(u) = unit_at(text, byte_at(j)) {
                unit.push_str(u);
                j += u.chars().count();
            }
        }
        for (q, a) in [("以上", Approx::AtLeast), ("以下", Approx::AtMost), ("左右", Approx::About)] {
            if text[byte_at(j)..].starts_with(q) {
                approx = a;
                j += 2;
            }
        }
        if unit == "％" {
            unit = "%".into();
        }
        out.push(Num { range: byte_at(i)..byte_at(j), written, value, decimals, approx, unit });
        i = j.max(i + 1);
    }
    out
}

/// An Arabic number from `i`: digits, `,` thousands groups, one decimal point.
fn arabic(cs: &[(usize, char)], i: usize) -> (f64, u32, usize) {
    let mut s = String::new();
    let mut decimals = 0;
    let mut j = i;
    let mut point = false;
    while j < cs.len() {
        let c = cs[j].1;
        if let Some(d) = ascii_digit(c) {
            s.push(d);
            if point {
                decimals += 1;
            }
            j += 1;
        } else if c == ',' && (1..=3).all(|k| cs.get(j + k).is_some_and(|&(_, c)| is_digit(c))) && !point {
            j += 1;
        } else if c == '.' && !point && cs.get(j + 1).is_some_and(|&(_, c)| is_digit(c)) {
            point = true;
            s.push('.');
            j += 1;
        } else {
            break;
        }
    }
    (s.parse::<f64>().unwrap_or(0.0), decimals, j)
}

/// A number (Arabic or Chinese) starting exactly at `k`, for 百分之….
fn leading_number(cs: &[(usize, char)], k: usize) -> Option<(f64, u32, usize)> {
    let c = cs.get(k)?.1;
    if is_digit(c) {
        return Some(arabic(cs, k));
    }
    let mut j = k;
    while j < cs.len() && is_cn_numeral(cs[j].1) {
        j += 1;
    }
    let word: String = cs[k..j].iter().map(|&(_, c)| c).collect();
    let mut v = parse_cn(&word)? as f64;
    let mut decimals = 0;
    // 百分之九十七点五
    if cs.get(j).is_some_and(|&(_, c)| c == '点') {
        let mut m = j + 1;
        let mut frac = String::new();
        while let Some(d) = cs.get(m).and_then(|&(_, c)| cn_digit(c)) {
            frac.push(char::from(b'0' + d as u8));
            m += 1;
        }
        if !frac.is_empty() {
            decimals = frac.len() as u32;
            v += format!("0.{frac}").parse::<f64>().unwrap_or(0.0);
            j = m;
        }
    }
    Some((v, decimals, j))
}

/// Skip 余/多 after a Chinese numeral (三十余人).
fn skip_markers(cs: &[(usize, char)], mut j: usize) -> usize {
    while cs.get(j).is_some_and(|&(_, c)| matches!(c, '余' | '多')) {
        j += 1;
    }
    j
}

/// 余/多 is a marker only when a unit or multiplier follows (150余万, 40余人), not in 多元.
fn unit_after_marker(text: &str, cs: &[(usize, char)], j: usize) -> bool {
    let next = cs.get(j + 1).map_or(text.len(), |&(b, _)| b);
    cs.get(j + 1).is_some_and(|&(_, c)| matches!(c, '万' | '亿')) || unit_at(text, next).is_some_and(|u| u != "余")
}

/// 万/亿 after digits multiplies only when a unit, marker or the end follows: 1.5万元, 4亿多元.
fn multiplier_ok(text: &str, cs: &[(usize, char)], j: usize) -> bool {
    let Some(&(_, next)) = cs.get(j + 1) else { return true };
    let next_byte = cs.get(j + 1).map_or(text.len(), |&(b, _)| b);
    matches!(next, '余' | '多' | '万' | '亿') || unit_at(text, next_byte).is_some() || !is_han(next)
}

/// The unit starting at byte `b`, if any.
pub fn unit_at(text: &str, b: usize) -> Option<&'static str> {
    let rest = text.get(b..)?;
    UNITS.iter().copied().find(|u| rest.starts_with(u))
}

/// Qualifiers written before a figure: 约, 近, 超过, 不到 ….
fn before(cs: &[(usize, char)], i: usize) -> Approx {
    let prev: String = cs[i.saturating_sub(2)..i].iter().map(|&(_, c)| c).collect();
    let last = prev.chars().last();
    if ["超过", "多于", "高于"].iter().any(|w| prev.ends_with(w)) || last == Some('逾') {
        Approx::AtLeast
    } else if ["不到", "不足", "低于", "少于", "将近", "接近"].iter().any(|w| prev.ends_with(w)) || last == Some('近')
    {
        Approx::AtMost
    } else if ["大约", "大概"].iter().any(|w| prev.ends_with(w)) || last == Some('约') {
        Approx::About
    } else {
        Approx::Exact
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zh::{cn_digits, cn_num};

    #[test]
    fn chinese_numerals_parse() {
        for (s, n) in [
            ("十二", 12),
            ("一百四十二", 142),
            ("两", 2),
            ("二〇二三", 2023),
            ("一万二千", 12_000),
            ("一百五", 150),
            ("三万五", 35_000),
            ("一百零五", 105),
            ("一千零一十", 1010),
            ("十万", 100_000),
            ("一亿二千万", 120_000_000),
            ("两千零五", 2005),
            ("壹佰贰拾", 120),
            ("零", 0),
        ] {
            assert_eq!(parse_cn(s), Some(n), "{s}");
        }
        for bad in ["", "二二十", "十百", "万", "abc", "十x", "零零"] {
            assert_eq!(parse_cn(bad), None, "{bad}");
        }
    }

    #[test]
    fn chinese_numerals_round_trip_the_formatter() {
        let mut n: i64 = 0;
        while n < 2_000_000_000 {
            assert_eq!(parse_cn(&cn_num(n)), Some(n as u64), "{n} {}", cn_num(n));
            n = n * 3 / 2 + 7;
        }
        for n in [0, 1, 9, 10, 11, 19, 20, 99, 100, 101, 110, 1000, 1001, 10_010, 100_000, 1_000_001] {
            assert_eq!(parse_cn(&cn_num(n)), Some(n as u64), "{n} {}", cn_num(n));
        }
        for y in [1949, 2000, 2008, 2023] {
            assert_eq!(parse_cn(&cn_digits(y)), Some(y as u64), "{y}");
        }
    }

    fn one(text: &str) -> Num {
        let v = scan(text);
        assert_eq!(v.len(), 1, "{text}: {v:?}");
        v[0].clone()
    }

    #[test]
    fn figures_are_found_with_units_and_qualifiers() {
        let n = one("共撰写提案1,234件");
        assert_eq!((n.value, n.unit.as_str()), (1234.0, "件"));
        let n = one("满意率达97.5%以上");
        assert_eq!((n.value, n.decimals, n.unit.as_str(), n.approx), (97.5, 1, "%", Approx::AtLeast));
        let n = one("达150余万元");
        assert_eq!((n.value, n.unit.as_str(), n.approx), (1_500_000.0, "元", Approx::AtLeast));
        let n = one("总投资额达4亿多元");
        assert_eq!((n.value, n.unit.as_str()), (400_000_000.0, "元"));
        let n = one("百分之九十七");
        assert_eq!((n.value, n.unit.as_str()), (97.0, "%"));
        let n = one("召开十二次会议");
        assert_eq!((n.value, n.unit.as_str()), (12.0, "次"));
        let n = one("约30%");
        assert_eq!(n.approx, Approx::About);
        let n = one("全市有１２人");
        assert_eq!(n.value, 12.0);
        assert_eq!(&"全市有１２人"[n.range.clone()], "１２人");
        assert!(scan("一是统一思想，万一不行，十分重要").is_empty());
        assert_eq!(scan("2022年的50岁降到46岁").iter().map(|n| n.value).collect::<Vec<_>>(), vec![2022.0, 50.0, 46.0]);
        assert_eq!(one("多元化发展投入3万").value, 30_000.0);
    }

    #[test]
    fn odd_input_never_panics() {
        for s in [
            "",
            "%",
            "百分之",
            "百分之点",
            "1,",
            "1.",
            ",1",
            "９９９９９９９９９９９９９９９９９９９９９９９",
            "余多万亿",
            "一万亿亿亿亿亿亿",
        ] {
            let _ = scan(s);
            let _ = parse_cn(s);
        }
    }
}
