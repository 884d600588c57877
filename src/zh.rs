//! Chinese numbers, dates and amounts: how 公文 write them.
//!
//! Pure functions with no I/O and no Tera types, at the bottom of the module
//! graph so every stage writes and reads figures the same way: records
//! check their dates and add their figures with them (`data::records`),
//! `template::filters` wraps them as Tera filters, and `markup` numbers
//! headings with [`ordinal`]. Errors are lowercase English phrases without
//! a final period ("expected a whole number, found 3.5") so a caller can put
//! its own name (a filter's, a field's) in front.
//!
//! Rounding never trusts binary floating point: a float is first turned into
//! its shortest round-trip decimal (what a person typed into the YAML), and
//! that decimal is rounded half-up, so 0.125 → 0.13 and 2.675 → 2.68.

/// Digits as read in running text.
const PLAIN: Numerals = Numerals {
    digits: ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
    units: ["", "十", "百", "千"],
};

/// 大写 digits of finance, which cannot be altered by adding strokes.
const CAPITAL: Numerals = Numerals {
    digits: ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
    units: ["", "拾", "佰", "仟"],
};

/// 大写金额 stop at 万亿 yuan: beyond that an f64 no longer holds 分 exactly.
const MONEY_LIMIT_CENTS: u128 = 1_000_000_000_000_000_000;

struct Numerals {
    digits: [char; 10],
    units: [&'static str; 4],
}

/// Reads `n` (1..=9999) with one 零 for any run of inner zeros and none at
/// the end ("一千零一", "一百一十").
fn read_section(n: u64, num: &Numerals, out: &mut String) {
    let mut started = false;
    let mut pending_zero = false;
    for pos in (0..4).rev() {
        let d = (n / 10u64.pow(pos)) % 10;
        if d == 0 {
            pending_zero |= started;
            continue;
        }
        if pending_zero {
            out.push(num.digits[0]);
            pending_zero = false;
        }
        out.push(num.digits[d as usize]);
        out.push_str(num.units[pos as usize]);
        started = true;
    }
}

/// Reads `n` ≥ 1 in 万/亿 groups. A lower group that does not fill its four
/// (or eight) places is preceded by 零, which covers both a short group
/// (1|0010 → 一万零一十) and a skipped one (10|0000|1000 → 十亿零一千);
/// zeros at the end of a group before its unit are never read.
fn read_integer(n: u64, num: &Numerals, out: &mut String) {
    const YI: u64 = 100_000_000;
    const WAN: u64 = 10_000;
    let (hi, lo) = (n / YI, n % YI);
    if hi > 0 {
        read_integer(hi, num, out);
        out.push('亿');
        if lo > 0 && lo < YI / 10 {
            out.push(num.digits[0]);
        }
    }
    if lo == 0 {
        return;
    }
    let (wan, rest) = (lo / WAN, lo % WAN);
    if wan > 0 {
        read_section(wan, num, out);
        out.push('万');
        if rest > 0 && rest < WAN / 10 {
            out.push(num.digits[0]);
        }
    }
    if rest > 0 {
        read_section(rest, num, out);
    }
}

/// Chinese numerals as read aloud: 0 → 零, 10 → 十, 11 → 十一, 101 → 一百零一,
/// 110 → 一百一十, 10010 → 一万零一十, 2023 → 二千零二十三, -12 → 负十二.
///
/// A leading 一十 is shortened to 十 (十五, 十万) but kept inside a number
/// (一百一十). Groups above 亿 compose: 10¹² → 一万亿, 10¹⁶ → 一亿亿.
pub fn cn_num(n: i64) -> String {
    let mut out = String::new();
    if n < 0 {
        out.push('负');
    }
    let abs = n.unsigned_abs();
    if abs == 0 {
        out.push('零');
        return out;
    }
    let start = out.len();
    read_integer(abs, &PLAIN, &mut out);
    if out[start..].starts_with("一十") {
        out.replace_range(start..start + '一'.len_utf8(), "");
    }
    out
}

/// Digit-by-digit Chinese numerals, as years are written: 2023 → 二〇二三,
/// 0 → 〇 (U+3007, not 零); a negative number gets 负.
pub fn cn_digits(n: i64) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let mut out = String::new();
    if n < 0 {
        out.push('负');
    }
    for b in n.unsigned_abs().to_string().bytes() {
        out.push(DIGITS[usize::from(b - b'0')]);
    }
    out
}

/// The heading prefix of GB/T 9704-2012 for item `n` (≥ 1) at `level`:
/// 1 → "一、", 2 → "（一）" (full-width parentheses), 3 → "1.", 4 → "（1）".
///
/// # Errors
/// `n` below 1, or `level` outside 1–4.
pub fn ordinal(n: i64, level: i64) -> Result<String, String> {
    if n < 1 {
        return Err(format!("expected a number of at least 1, found {n}"));
    }
    match level {
        1 => Ok(format!("{}、", cn_num(n))),
        2 => Ok(format!("（{}）", cn_num(n))),
        3 => Ok(format!("{n}.")),
        4 => Ok(format!("（{n}）")),
        _ => Err(format!("expected a heading level from 1 to 4, found {level}")),
    }
}

/// A checked calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Date {
    year: u32,
    month: u32,
    day: u32,
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses "2023-04-23", "2023/4/23", "2023.04.23" or "2023年4月23日". The
/// year must have four digits so that "23-4-5" is not silently read as 23 AD.
fn parse_date(s: &str) -> Result<Date, String> {
    let bad_form = || format!("expected a date like 2023-04-23, found {s:?}");
    let t = s.trim();
    let parts: Vec<&str> = if let Some(rest) = t.strip_suffix('日') {
        let (y, rest) = rest.split_once('年').ok_or_else(bad_form)?;
        let (m, d) = rest.split_once('月').ok_or_else(bad_form)?;
        vec![y, m, d]
    } else {
        let sep = t.chars().find(|c| matches!(c, '-' | '/' | '.')).ok_or_else(bad_form)?;
        t.split(sep).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return Err(bad_form());
    };
    let field = |f: &str, max_len: usize| -> Result<u32, String> {
        let f = f.trim();
        if f.is_empty() || f.len() > max_len || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad_form());
        }
        f.parse::<u32>().map_err(|_| bad_form())
    };
    if y.trim().len() != 4 {
        return Err(bad_form());
    }
    let date = Date { year: field(y, 4)?, month: field(m, 2)?, day: field(d, 2)? };
    if date.year == 0 || date.day == 0 || date.day > days_in_month(date.year, date.month) {
        return Err(format!("expected a real calendar date, found {s:?}"));
    }
    Ok(date)
}

/// Year, month and day of a date in any form [`cn_date`] reads, checked
/// against the calendar; records validate their dates with it.
///
/// # Errors
/// An unreadable or impossible date.
pub fn date_ymd(s: &str) -> Result<(u32, u32, u32), String> {
    parse_date(s).map(|d| (d.year, d.month, d.day))
}

/// A date as 公文 print it. `date` is "2023-04-23", "2023/4/23", "2023.04.23"
/// or "2023年4月23日" and must exist in the calendar (2023-02-30 does not).
///
/// `style` "arabic" gives 2023年4月23日 (never zero padded); "chinese" gives
/// 二〇二三年四月二十三日 (year digit by digit, month and day read as numbers:
/// 十二, 二十三, 三十一). `parts` picks the fields: "ymd", "ym" (2023年4月),
/// "md" (4月23日) or "y" (2023年).
///
/// # Errors
/// An unreadable or impossible date, or an unknown `style` or `parts`.
pub fn cn_date(date: &str, style: &str, parts: &str) -> Result<String, String> {
    let (show_y, show_m, show_d) = match parts {
        "ymd" => (true, true, true),
        "ym" => (true, true, false),
        "md" => (false, true, true),
        "y" => (true, false, false),
        _ => {
            return Err(format!("expected parts \"ymd\", \"ym\", \"md\" or \"y\", found {parts:?}"));
        }
    };
    let chinese = match style {
        "arabic" => false,
        "chinese" => true,
        _ => {
            return Err(format!("expected style \"arabic\" or \"chinese\", found {style:?}"));
        }
    };
    let d = parse_date(date)?;
    let num = |n: u32| {
        if chinese { cn_num(i64::from(n)) } else { n.to_string() }
    };
    let mut out = String::new();
    if show_y {
        if chinese {
            out.push_str(&cn_digits(i64::from(d.year)));
        } else {
            out.push_str(&d.year.to_string());
        }
        out.push('年');
    }
    if show_m {
        out.push_str(&num(d.month));
        out.push('月');
    }
    if show_d {
        out.push_str(&num(d.day));
        out.push('日');
    }
    Ok(out)
}

/// `x` as its shortest round-trip decimal: |x| = mantissa × 10^exponent.
/// `x` must be finite.
fn shortest_decimal(x: f64) -> (u128, i32) {
    // `{:e}` prints the shortest digits that read back as the same f64,
    // e.g. "6.23e6" or "1.25e-1"; it is the decimal the user wrote.
    let s = format!("{:e}", x.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let digits: u128 = format!("{int}{frac}").parse().unwrap_or(0);
    let frac_len = i32::try_from(frac.len()).unwrap_or(0);
    (digits, exp - frac_len)
}

fn pow10(k: usize) -> Result<u128, String> {
    u32::try_from(k)
        .ok()
        .and_then(|k| 10u128.checked_pow(k))
        .ok_or_else(|| "expected a number small enough to format".to_string())
}

/// round_half_up(|x| × 10^shift) as an integer, computed on the decimal
/// digits of `x` rather than on its binary value.
fn scaled_round(x: f64, shift: i32) -> Result<u128, String> {
    let (mant, exp) = shortest_decimal(x);
    let k = exp + shift;
    if k >= 0 {
        let k = usize::try_from(k).unwrap_or(usize::MAX);
        return mant.checked_mul(pow10(k)?).ok_or_else(|| "expected a number small enough to format".to_string());
    }
    let k = usize::try_from(-k).unwrap_or(usize::MAX);
    // The mantissa has at most 17 digits, so dropping more than 39 of them
    // leaves nothing that could round up.
    if k > 39 {
        return Ok(0);
    }
    let p = pow10(k)?;
    let (q, r) = (mant / p, mant % p);
    Ok(if r * 2 >= p { q + 1 } else { q })
}

/// `v / 10^precision` in decimal with trailing fractional zeros removed.
fn format_scaled(v: u128, precision: usize) -> Result<String, String> {
    let p = pow10(precision)?;
    let (int, frac) = (v / p, v % p);
    if frac == 0 {
        return Ok(int.to_string());
    }
    let frac = format!("{frac:0precision$}");
    Ok(format!("{int}.{}", frac.trim_end_matches('0')))
}

fn check_finite(x: f64) -> Result<(), String> {
    if x.is_finite() { Ok(()) } else { Err(format!("expected a finite number, found {x}")) }
}

/// `-` unless the rounded value is zero, so that -0.001 never prints "-0".
fn signed(negative: bool, v: u128, body: String) -> String {
    if negative && v != 0 { format!("-{body}") } else { body }
}

/// `x` rounded half-up to `precision` decimals, trailing zeros trimmed.
fn round_decimal(x: f64, precision: usize) -> Result<String, String> {
    check_finite(x)?;
    let shift = i32::try_from(precision).unwrap_or(i32::MAX);
    let v = scaled_round(x, shift)?;
    Ok(signed(x < 0.0, v, format_scaled(v, precision)?))
}

/// The integer fast path of [`percent`]: exact rational rounding, used when
/// both figures are whole numbers (counts), so no tie is ever missed.
fn percent_exact(part: f64, whole: f64, precision: usize) -> Option<String> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if part.fract() != 0.0 || whole.fract() != 0.0 || part.abs() > EXACT || whole.abs() > EXACT {
        return None;
    }
    let negative = (part < 0.0) != (whole < 0.0);
    let (a, b) = (part.abs() as u128, whole.abs() as u128);
    let scale = pow10(precision.checked_add(2)?).ok()?;
    let num = a.checked_mul(scale)?;
    let (q, r) = (num / b, num % b);
    let v = if r * 2 >= b { q + 1 } else { q };
    let body = format_scaled(v, precision).ok()?;
    Some(signed(negative, v, body))
}

/// `part` as a percentage of `whole`, rounded half-up to `precision`
/// decimals with trailing zeros dropped: 28/45 → "62.2%", 45/50 → "90%",
/// 1/3 → "33.3%", 0.125/1 at precision 2 → "12.5%".
///
/// # Errors
/// `whole` is 0, or either figure is not finite.
pub fn percent(part: f64, whole: f64, precision: usize) -> Result<String, String> {
    check_finite(part)?;
    check_finite(whole)?;
    if whole == 0.0 {
        return Err("expected a non-zero whole, found 0".to_string());
    }
    let body = match percent_exact(part, whole, precision) {
        Some(body) => body,
        None => {
            let ratio = part / whole;
            check_finite(ratio)?;
            // Shift the decimal point of the ratio by two places instead of
            // multiplying by 100, which would add a binary rounding error.
            let shift = i32::try_from(precision).unwrap_or(i32::MAX).saturating_add(2);
            let v = scaled_round(ratio, shift)?;
            signed(ratio < 0.0, v, format_scaled(v, precision)?)
        }
    };
    Ok(format!("{body}%"))
}

/// The number [`percent`] prints, without the `%`: 28/45 at precision 1 →
/// 62.2, for comparisons and arithmetic in templates.
///
/// # Errors
/// As [`percent`].
pub fn percent_value(part: f64, whole: f64, precision: usize) -> Result<f64, String> {
    let s = percent(part, whole, precision)?;
    s.trim_end_matches('%').parse().map_err(|_| format!("expected a percentage that reads as a number, found {s:?}"))
}

/// An amount in 万/亿 as official texts write them: 8500 → "8500",
/// 62300 → "6.23万", 6230000 → "623万", 1234567 → "123.46万",
/// 150000000 → "1.5亿", 1.2×10¹² → "1.2万亿"; a negative amount keeps its
/// "-".
///
/// The figure is rounded half-up to `precision` decimals in its unit,
/// trailing zeros trimmed; the unit is chosen after rounding, so 99999999
/// gives "1亿", not "10000万".
///
/// # Errors
/// `n` is not finite or too large to format.
pub fn cn_amount(n: f64, precision: usize) -> Result<String, String> {
    check_finite(n)?;
    let shift = i32::try_from(precision).unwrap_or(i32::MAX);
    let limit = pow10(4)?.checked_mul(pow10(precision)?);
    let limit = limit.ok_or_else(|| "expected a smaller precision".to_string())?;
    let units = [("", 0), ("万", 4), ("亿", 8), ("万亿", 12)];
    let mut found = None;
    for (i, (unit, exp)) in units.iter().enumerate() {
        let v = scaled_round(n, shift - exp)?;
        if v < limit || i == units.len() - 1 {
            found = Some((v, *unit));
            break;
        }
    }
    let (v, unit) = found.unwrap_or((0, ""));
    let body = format!("{}{unit}", format_scaled(v, precision)?);
    Ok(signed(n < 0.0, v, body))
}

/// Joins items the Chinese way: "甲、乙和丙", "甲和乙", "甲", "" for none.
/// `last` goes before the final item ("和", "及", "与", …); "、" gives 、
/// throughout. Titles in 书名号 follow each other without 顿号:
/// "《条例》《规定》和《办法》".
pub fn join_cn(items: &[String], last: &str) -> String {
    let Some((final_item, init)) = items.split_last() else { return String::new() };
    let mut out = String::new();
    for (n, item) in init.iter().enumerate() {
        // Titles in 书名号 follow each other with no 顿号 (GB/T 15834-2011
        // §4.5.3.5): 《条例》《规定》和《办法》.
        if n > 0 && !(out.ends_with('》') && item.starts_with('《')) {
            out.push('、');
        }
        out.push_str(item);
    }
    if !init.is_empty() {
        let titles = out.ends_with('》') && final_item.starts_with('《');
        out.push_str(if titles && last == "、" { "" } else { last });
    }
    out.push_str(final_item);
    out
}

/// 大写金额 by the rules of the People's Bank of China for bills and
/// vouchers: 120 → 壹佰贰拾元整, 10020 → 壹万零贰拾元整,
/// 1010000 → 壹佰零壹万元整, 1234.56 → 壹仟贰佰叁拾肆元伍角陆分,
/// 16409.02 → 壹万陆仟肆佰零玖元零贰分, 0 → 零元整.
///
/// Choices where the rules allow two forms:
/// - 整 follows 元 and also 角 (0.5 → 伍角整, 1.5 → 壹元伍角整), closing
///   the figure against additions; after 分 there is no 整.
/// - Below one yuan there is no 零元 (0.05 → 伍分).
/// - When the 元 digit is 0 but 角 is not, no 零 is written
///   (1680.32 → 壹仟陆佰捌拾元叁角贰分); when 角 is 0 and 分 is not, 零 is
///   required (…元零贰分).
/// - A negative amount is prefixed with 负 as in red-letter vouchers.
/// - More than two decimals are rounded half-up to 分.
///
/// # Errors
/// `amount` is not finite or not below 10¹⁶ yuan.
pub fn cn_money(amount: f64) -> Result<String, String> {
    check_finite(amount)?;
    let cents = scaled_round(amount, 2)?;
    if cents >= MONEY_LIMIT_CENTS {
        return Err(format!("expected an amount below 10000000000000000, found {amount}"));
    }
    if cents == 0 {
        return Ok("零元整".to_string());
    }
    let mut out = String::new();
    if amount < 0.0 {
        out.push('负');
    }
    // Below the limit the yuan fit in u64 and 角/分 are single digits.
    let yuan = u64::try_from(cents / 100).unwrap_or(0);
    let jiao = (cents / 10 % 10) as usize;
    let fen = (cents % 10) as usize;
    if yuan > 0 {
        read_integer(yuan, &CAPITAL, &mut out);
        out.push('元');
    }
    if jiao > 0 {
        out.push(CAPITAL.digits[jiao]);
        out.push('角');
    } else if fen > 0 && yuan > 0 {
        out.push('零');
    }
    if fen > 0 {
        out.push(CAPITAL.digits[fen]);
        out.push('分');
    } else {
        out.push('整');
    }
    Ok(out)
}

/// An approximate figure as 公文 write it. The value is truncated, never
/// rounded up, because 余/多 mean "more than":
///
/// - below 10: exact (8 → "8", 8.5 → "8.5", two decimals at most);
/// - 10 to 99: one significant digit and 多 (63 → "60多"); a round ten is
///   exact (60 → "60");
/// - 100 and up: two significant digits and 余 (142 → "140余",
///   12345 → "12000余"); from 10⁵ the figure is counted in 万 and from 10⁹
///   in 亿 (6230000 → "620余万", 123456789 → "12000余万",
///   1280000000 → "12亿余");
/// - a value that keeps all its digits is written exactly (1500000 →
///   "150万", 140 → "140");
/// - 余 follows a count ending in 0 and precedes the unit ("620余万",
///   620–630万); after a count ending in another digit it follows the unit
///   ("12万余", "12亿余"), as the grammar of 余 requires.
///
/// # Errors
/// `n` is negative, not finite, or not below 10²⁰.
pub fn approx(n: f64) -> Result<String, String> {
    check_finite(n)?;
    if n < 0.0 {
        return Err(format!("expected a number of at least 0, found {n}"));
    }
    if n < 10.0 {
        return round_decimal(n, 2);
    }
    if n >= 1e20 {
        return Err(format!("expected a number below 1e20, found {n}"));
    }
    // Truncation of an f64 below 1e20 to u128 is exact.
    let floor = n.floor() as u128;
    let is_whole = n.fract() == 0.0;
    if floor < 100 {
        let kept = floor / 10 * 10;
        return Ok(if is_whole && kept == floor { kept.to_string() } else { format!("{kept}多") });
    }
    let digits = floor.to_string().len();
    let p = pow10(digits - 2)?;
    let kept = floor / p * p;
    let exact = is_whole && kept == floor;
    let (count, unit) = if kept < 100_000 {
        (kept, "")
    } else if kept < 1_000_000_000 {
        (kept / 10_000, "万")
    } else {
        (kept / 100_000_000, "亿")
    };
    Ok(if exact {
        format!("{count}{unit}")
    } else if count % 10 == 0 {
        format!("{count}余{unit}")
    } else {
        format!("{count}{unit}余")
    })
}

/// Adds numbers as the decimals they were written as, so 0.1 + 0.2 gives
/// 0.3 and not 0.30000000000000004; falls back to plain float addition if
/// the decimals do not fit 128 bits.
pub fn sum_decimal(values: &[f64]) -> f64 {
    let naive = || values.iter().sum::<f64>();
    if values.iter().any(|v| !v.is_finite()) {
        return naive();
    }
    let parts: Vec<(bool, u128, i32)> = values
        .iter()
        .map(|&v| {
            let (m, e) = shortest_decimal(v);
            (v < 0.0, m, e)
        })
        .collect();
    let Some(min_exp) = parts.iter().map(|p| p.2).min() else {
        return 0.0;
    };
    let mut total: i128 = 0;
    for (negative, m, e) in parts {
        let scaled = u32::try_from(e - min_exp)
            .ok()
            .and_then(|k| 10u128.checked_pow(k))
            .and_then(|p| m.checked_mul(p))
            .and_then(|v| i128::try_from(v).ok());
        let next = scaled.and_then(|v| if negative { total.checked_sub(v) } else { total.checked_add(v) });
        match next {
            Some(t) => total = t,
            None => return naive(),
        }
    }
    format!("{total}e{min_exp}").parse().unwrap_or_else(|_| naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn cn_num_reads_numbers() {
        let cases = [
            (0, "零"),
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (15, "十五"),
            (20, "二十"),
            (99, "九十九"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (111, "一百一十一"),
            (1000, "一千"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
            (1100, "一千一百"),
            (2023, "二千零二十三"),
            (10000, "一万"),
            (10001, "一万零一"),
            (10010, "一万零一十"),
            (10100, "一万零一百"),
            (11000, "一万一千"),
            (100000, "十万"),
            (110000, "十一万"),
            (150000, "十五万"),
            (1010000, "一百零一万"),
            (1000010, "一百万零一十"),
            (100000000, "一亿"),
            (100000001, "一亿零一"),
            (100010000, "一亿零一万"),
            (110000000, "一亿一千万"),
            (1000001000, "十亿零一千"),
            (1000000000000, "一万亿"),
            (10000000000000000, "一亿亿"),
            (-12, "负十二"),
            (-10, "负十"),
        ];
        for (n, want) in cases {
            assert_eq!(cn_num(n), want, "cn_num({n})");
        }
        // 922|3372|0368|5477|5807: 亿 groups nest, so the top reads 九百二十二亿…亿.
        assert_eq!(cn_num(i64::MAX), "九百二十二亿三千三百七十二万零三百六十八亿五千四百七十七万五千八百零七");
        assert!(cn_num(i64::MIN).starts_with("负九百二十二亿"));
        assert!(cn_num(i64::MIN).ends_with("五千八百零八"));
    }

    #[test]
    fn cn_digits_reads_digit_by_digit() {
        assert_eq!(cn_digits(2023), "二〇二三");
        assert_eq!(cn_digits(2000), "二〇〇〇");
        assert_eq!(cn_digits(0), "〇");
        assert_eq!(cn_digits(1949), "一九四九");
        assert_eq!(cn_digits(-5), "负五");
    }

    #[test]
    fn ordinal_gives_heading_prefixes() {
        assert_eq!(ordinal(1, 1).as_deref(), Ok("一、"));
        assert_eq!(ordinal(10, 1).as_deref(), Ok("十、"));
        assert_eq!(ordinal(12, 1).as_deref(), Ok("十二、"));
        assert_eq!(ordinal(3, 2).as_deref(), Ok("（三）"));
        assert_eq!(ordinal(11, 2).as_deref(), Ok("（十一）"));
        assert_eq!(ordinal(1, 3).as_deref(), Ok("1."));
        assert_eq!(ordinal(12, 3).as_deref(), Ok("12."));
        assert_eq!(ordinal(2, 4).as_deref(), Ok("（2）"));
        assert_eq!(ordinal(0, 1), Err("expected a number of at least 1, found 0".to_string()));
        assert_eq!(ordinal(1, 5), Err("expected a heading level from 1 to 4, found 5".to_string()));
        assert!(ordinal(1, 0).is_err());
    }

    #[test]
    fn cn_date_styles_and_parts() {
        let d = |s: &str, style: &str, parts: &str| cn_date(s, style, parts);
        assert_eq!(d("2023-04-23", "arabic", "ymd").as_deref(), Ok("2023年4月23日"));
        assert_eq!(d("2023/4/23", "arabic", "ymd").as_deref(), Ok("2023年4月23日"));
        assert_eq!(d("2023.04.23", "arabic", "ymd").as_deref(), Ok("2023年4月23日"));
        assert_eq!(d("2023年4月23日", "arabic", "ymd").as_deref(), Ok("2023年4月23日"));
        assert_eq!(d(" 2023-04-03 ", "arabic", "ymd").as_deref(), Ok("2023年4月3日"));
        assert_eq!(d("2023-04-23", "chinese", "ymd").as_deref(), Ok("二〇二三年四月二十三日"));
        assert_eq!(d("2020-12-31", "chinese", "ymd").as_deref(), Ok("二〇二〇年十二月三十一日"));
        assert_eq!(d("2023-10-10", "chinese", "md").as_deref(), Ok("十月十日"));
        assert_eq!(d("2023-04-23", "arabic", "ym").as_deref(), Ok("2023年4月"));
        assert_eq!(d("2023-04-23", "arabic", "md").as_deref(), Ok("4月23日"));
        assert_eq!(d("2023-04-23", "arabic", "y").as_deref(), Ok("2023年"));
        assert_eq!(d("2023-04-23", "chinese", "y").as_deref(), Ok("二〇二三年"));
    }

    #[test]
    fn cn_date_checks_the_calendar() {
        assert_eq!(
            cn_date("2023-02-30", "arabic", "ymd"),
            Err("expected a real calendar date, found \"2023-02-30\"".to_string())
        );
        assert!(cn_date("2023-02-29", "arabic", "ymd").is_err());
        assert!(cn_date("2024-02-29", "arabic", "ymd").is_ok());
        assert!(cn_date("2000-02-29", "arabic", "ymd").is_ok());
        assert!(cn_date("1900-02-29", "arabic", "ymd").is_err());
        assert!(cn_date("2023-13-01", "arabic", "ymd").is_err());
        assert!(cn_date("2023-04-31", "arabic", "ymd").is_err());
        assert!(cn_date("2023-00-10", "arabic", "ymd").is_err());
        assert!(cn_date("2023-04-00", "arabic", "ymd").is_err());
    }

    #[test]
    fn cn_date_rejects_bad_input() {
        assert_eq!(cn_date("abc", "arabic", "ymd"), Err("expected a date like 2023-04-23, found \"abc\"".to_string()));
        for bad in [
            "",
            "2023-04",
            "2023-04-23-01",
            "23-4-5",
            "2023-4/23",
            "2023年4月",
            "2023-04-2x",
            "2023-004-01",
            "+2023-04-01",
        ] {
            assert!(cn_date(bad, "arabic", "ymd").is_err(), "{bad:?}");
        }
        assert_eq!(
            cn_date("2023-04-23", "roman", "ymd"),
            Err("expected style \"arabic\" or \"chinese\", found \"roman\"".to_string())
        );
        assert_eq!(
            cn_date("2023-04-23", "arabic", "dmy"),
            Err("expected parts \"ymd\", \"ym\", \"md\" or \"y\", found \"dmy\"".to_string())
        );
    }

    #[test]
    fn percent_rounds_half_up_and_trims() {
        let p = |a: f64, b: f64, prec: usize| percent(a, b, prec);
        assert_eq!(p(28.0, 45.0, 1).as_deref(), Ok("62.2%"));
        assert_eq!(p(45.0, 50.0, 1).as_deref(), Ok("90%"));
        assert_eq!(p(1.0, 3.0, 1).as_deref(), Ok("33.3%"));
        assert_eq!(p(2.0, 3.0, 1).as_deref(), Ok("66.7%"));
        assert_eq!(p(0.125, 1.0, 2).as_deref(), Ok("12.5%"));
        assert_eq!(p(1.0, 8.0, 1).as_deref(), Ok("12.5%"));
        assert_eq!(p(1.0, 8.0, 0).as_deref(), Ok("13%"));
        assert_eq!(p(1.0, 800.0, 2).as_deref(), Ok("0.13%"));
        assert_eq!(p(0.02675, 1.0, 2).as_deref(), Ok("2.68%"));
        assert_eq!(p(0.0, 7.0, 1).as_deref(), Ok("0%"));
        assert_eq!(p(50.0, 50.0, 1).as_deref(), Ok("100%"));
        assert_eq!(p(3.0, 2.0, 1).as_deref(), Ok("150%"));
        assert_eq!(p(-1.0, 8.0, 1).as_deref(), Ok("-12.5%"));
        assert_eq!(p(1.0, -3.0, 1).as_deref(), Ok("-33.3%"));
        assert_eq!(p(-0.0001, 1.0, 1).as_deref(), Ok("0%"));
        assert_eq!(p(1.0, 3.0, 4).as_deref(), Ok("33.3333%"));
        assert_eq!(p(1.0, 0.0, 1), Err("expected a non-zero whole, found 0".to_string()));
        assert!(p(f64::NAN, 1.0, 1).is_err());
        assert!(p(1.0, f64::INFINITY, 1).is_err());
    }

    #[test]
    fn percent_value_is_the_printed_number() {
        assert_eq!(percent_value(28.0, 45.0, 1), Ok(62.2));
        assert_eq!(percent_value(45.0, 50.0, 1), Ok(90.0));
        assert!(percent_value(1.0, 0.0, 1).is_err());
    }

    #[test]
    fn cn_amount_uses_wan_and_yi() {
        let a = |n: f64| cn_amount(n, 2);
        assert_eq!(a(8500.0).as_deref(), Ok("8500"));
        assert_eq!(a(0.0).as_deref(), Ok("0"));
        assert_eq!(a(9999.0).as_deref(), Ok("9999"));
        assert_eq!(a(10000.0).as_deref(), Ok("1万"));
        assert_eq!(a(62300.0).as_deref(), Ok("6.23万"));
        assert_eq!(a(6230000.0).as_deref(), Ok("623万"));
        assert_eq!(a(1234567.0).as_deref(), Ok("123.46万"));
        assert_eq!(a(1234500.0).as_deref(), Ok("123.45万"));
        assert_eq!(a(1234550.0).as_deref(), Ok("123.46万"));
        assert_eq!(a(150000000.0).as_deref(), Ok("1.5亿"));
        assert_eq!(a(99999999.0).as_deref(), Ok("1亿"));
        assert_eq!(a(9999.999).as_deref(), Ok("1万"));
        assert_eq!(a(1.2e12).as_deref(), Ok("1.2万亿"));
        assert_eq!(a(8500.456).as_deref(), Ok("8500.46"));
        assert_eq!(a(-62300.0).as_deref(), Ok("-6.23万"));
        assert_eq!(a(-0.001).as_deref(), Ok("0"));
        assert_eq!(cn_amount(1234567.0, 0).as_deref(), Ok("123万"));
        assert_eq!(cn_amount(1234567.0, 1).as_deref(), Ok("123.5万"));
        assert_eq!(cn_amount(1234567.0, 4).as_deref(), Ok("123.4567万"));
        assert!(cn_amount(f64::NAN, 2).is_err());
    }

    #[test]
    fn join_cn_joins() {
        assert_eq!(join_cn(&s(&["甲", "乙", "丙"]), "和"), "甲、乙和丙");
        assert_eq!(join_cn(&s(&["甲", "乙", "丙", "丁"]), "及"), "甲、乙、丙及丁");
        assert_eq!(join_cn(&s(&["甲", "乙"]), "和"), "甲和乙");
        assert_eq!(join_cn(&s(&["甲"]), "和"), "甲");
        assert_eq!(join_cn(&[], "和"), "");
        assert_eq!(join_cn(&s(&["甲", "乙", "丙"]), "、"), "甲、乙、丙");
        // Book titles take no 顿号 between them.
        assert_eq!(join_cn(&s(&["《条例》", "《规定》", "《办法》"]), "和"), "《条例》《规定》和《办法》");
        assert_eq!(join_cn(&s(&["《条例》", "《规定》"]), "、"), "《条例》《规定》");
        assert_eq!(join_cn(&s(&["《条例》", "座谈会", "《规定》"]), "、"), "《条例》、座谈会、《规定》");
    }

    #[test]
    fn cn_money_follows_the_bank_rules() {
        let cases = [
            (0.0, "零元整"),
            (1.0, "壹元整"),
            (10.0, "壹拾元整"),
            (120.0, "壹佰贰拾元整"),
            (10020.0, "壹万零贰拾元整"),
            (1234.56, "壹仟贰佰叁拾肆元伍角陆分"),
            (0.5, "伍角整"),
            (0.05, "伍分"),
            (0.56, "伍角陆分"),
            (1.5, "壹元伍角整"),
            (16409.02, "壹万陆仟肆佰零玖元零贰分"),
            (1680.32, "壹仟陆佰捌拾元叁角贰分"),
            (107000.53, "壹拾万柒仟元伍角叁分"),
            (100000000.0, "壹亿元整"),
            (1000010.0, "壹佰万零壹拾元整"),
            (1010000.0, "壹佰零壹万元整"),
            (1000001000.0, "壹拾亿零壹仟元整"),
            (100010000.0, "壹亿零壹万元整"),
            (325000.0, "叁拾贰万伍仟元整"),
            (1001.0, "壹仟零壹元整"),
            (1.005, "壹元零壹分"),
            (0.994, "玖角玖分"),
            (0.995, "壹元整"),
            (-120.0, "负壹佰贰拾元整"),
            (-0.001, "零元整"),
        ];
        for (n, want) in cases {
            assert_eq!(cn_money(n).as_deref(), Ok(want), "cn_money({n})");
        }
        assert!(cn_money(1e16).is_err());
        assert!(cn_money(f64::INFINITY).is_err());
    }

    #[test]
    fn approx_keeps_significant_digits() {
        let cases = [
            (0.0, "0"),
            (8.0, "8"),
            (8.5, "8.5"),
            (10.0, "10"),
            (15.0, "10多"),
            (60.0, "60"),
            (63.0, "60多"),
            (99.9, "90多"),
            (100.0, "100"),
            (140.0, "140"),
            (142.0, "140余"),
            (140.5, "140余"),
            (999.0, "990余"),
            (12345.0, "12000余"),
            (100000.0, "10万"),
            (123456.0, "12万余"),
            (1500000.0, "150万"),
            (1510000.0, "150余万"),
            (6230000.0, "620余万"),
            (123456789.0, "12000余万"),
            (1200000000.0, "12亿"),
            (1280000000.0, "12亿余"),
            (152000000000.0, "1500余亿"),
        ];
        for (n, want) in cases {
            assert_eq!(approx(n).as_deref(), Ok(want), "approx({n})");
        }
        assert_eq!(approx(-5.0), Err("expected a number of at least 0, found -5".to_string()));
        assert!(approx(f64::NAN).is_err());
        assert!(approx(1e21).is_err());
    }

    #[test]
    fn sum_decimal_adds_written_decimals() {
        assert_eq!(sum_decimal(&[0.1, 0.2]), 0.3);
        assert_eq!(sum_decimal(&[1.5, -0.25, 2.0]), 3.25);
        assert_eq!(sum_decimal(&[]), 0.0);
        assert_eq!(sum_decimal(&[1e300, 1e-300]), 1e300);
    }

    #[test]
    fn rounding_helpers() {
        assert_eq!(shortest_decimal(6230000.0), (623, 4));
        assert_eq!(shortest_decimal(0.125), (125, -3));
        assert_eq!(shortest_decimal(0.0), (0, 0));
        assert_eq!(round_decimal(2.675, 2).as_deref(), Ok("2.68"));
        assert_eq!(round_decimal(1.005, 2).as_deref(), Ok("1.01"));
        assert_eq!(round_decimal(-2.5, 0).as_deref(), Ok("-3"));
    }
}
