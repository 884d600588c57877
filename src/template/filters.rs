//! Tera filters and functions for Chinese documents: the template stage's
//! bridge from template values to the pure formatting in `zh`. No I/O.
//!
//! Every filter takes integers, floats and numeric strings ("12") where a
//! number is expected, rejects anything else (null included) with a message
//! that names the filter and, for a keyword argument, the argument, and
//! rejects unknown keyword arguments so a misspelt `precison=` is not
//! silently ignored. Tera shows the message with the template line.
//!
//! Filters: `cn_num`, `cn_digits`, `ordinal(level=1)`,
//! `cn_date(style="arabic", parts="ymd")`, `percent(of=, precision=1)`,
//! `cn_amount(precision=2, unit="")`, `join_cn(last="和")`, `cn_money`,
//! `approx`, `to_traditional(region=)`/`to_simplified` (aliases `zh_hant`/`zh_hans`),
//! and the list filters `filter(attribute=, value=)`,
//! `map(attribute=)`, `sum(attribute=)`. Function: `percent(part=, whole=,
//! precision=1)`.

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use crate::zh;

/// Precision is capped so that scaled values stay far inside 128 bits.
const MAX_PRECISION: i64 = 10;

/// Registers the Chinese formatting filters, the list filters and the
/// `percent` function on `tera`, replacing any of the same name.
pub fn register(tera: &mut Tera) {
    tera.register_filter("cn_num", cn_num);
    tera.register_filter("cn_digits", cn_digits);
    tera.register_filter("ordinal", ordinal);
    tera.register_filter("cn_date", cn_date);
    tera.register_filter("percent", percent_filter);
    tera.register_filter("cn_amount", cn_amount);
    tera.register_filter("join_cn", join_cn);
    tera.register_filter("cn_money", cn_money);
    tera.register_filter("approx", approx);
    tera.register_filter("to_traditional", to_traditional);
    tera.register_filter("to_simplified", to_simplified);
    // Short names after the BCP 47 script tags, for those who think in them.
    tera.register_filter("zh_hant", to_traditional);
    tera.register_filter("zh_hans", to_simplified);
    tera.register_filter("filter", filter_list);
    tera.register_filter("map", map_list);
    tera.register_filter("sum", sum_list);
    tera.register_function("percent", percent_function);
    super::records::register(tera);
    super::chart::register(tera);
}

/// A value as an error message shows it: the number itself, a quoted
/// string, or the kind of thing found.
fn describe(v: &Value) -> String {
    if v.is_undefined() {
        "an undefined value".to_string()
    } else if v.is_none() {
        "null".to_string()
    } else if let Some(s) = v.as_str() {
        format!("string {s:?}")
    } else if v.is_number() {
        v.to_string()
    } else if let Some(b) = v.as_bool() {
        format!("bool {b}")
    } else if v.is_array() {
        "an array".to_string()
    } else if v.is_map() {
        "a map".to_string()
    } else {
        v.name().to_string()
    }
}

pub(super) fn fail(name: &str, msg: impl std::fmt::Display) -> Error {
    Error::message(format!("{name}: {msg}"))
}

pub(super) fn arg_fail(name: &str, arg: &str, msg: impl std::fmt::Display) -> Error {
    Error::message(format!("{name}: argument `{arg}` {msg}"))
}

/// A whole number from an integer, an integral float or a numeric string.
fn as_whole(v: &Value) -> Result<i64, String> {
    let bad = || format!("expected a whole number, found {}", describe(v));
    if let Some(n) = v.as_i64() {
        return Ok(n);
    }
    let f = if v.is_f64() {
        v.as_f64().ok_or_else(bad)?
    } else if let Some(s) = v.as_str() {
        let s = s.trim();
        if let Ok(n) = s.parse::<i64>() {
            return Ok(n);
        }
        s.parse::<f64>().map_err(|_| bad())?
    } else {
        return Err(bad());
    };
    // i64::MIN as f64 is exactly -2^63, so the range is exact at both ends.
    let range = i64::MIN as f64..-(i64::MIN as f64);
    if f.fract() == 0.0 && range.contains(&f) { Ok(f as i64) } else { Err(bad()) }
}

/// A finite number from an integer, a float or a numeric string.
pub(super) fn as_number(v: &Value) -> Result<f64, String> {
    let bad = || format!("expected a number, found {}", describe(v));
    let f = if let Some(f) = v.as_f64() {
        f
    } else if let Some(n) = v.as_i128() {
        // Beyond 2^53 an integer is only approximately a float; fine for
        // formatting, which never shows that many digits.
        n as f64
    } else if let Some(s) = v.as_str() {
        s.trim().parse::<f64>().map_err(|_| bad())?
    } else {
        return Err(bad());
    };
    if f.is_finite() { Ok(f) } else { Err(bad()) }
}

/// Fails on a keyword argument the filter does not take.
pub(super) fn check_kwargs(name: &str, kwargs: &Kwargs, allowed: &[&str]) -> TeraResult<()> {
    for (key, _) in kwargs.iter() {
        let key = key.as_str().unwrap_or("");
        if !allowed.contains(&key) {
            let takes = if allowed.is_empty() {
                "it takes none".to_string()
            } else {
                format!("it takes {}", allowed.join(", "))
            };
            return Err(fail(name, format!("unknown argument `{key}` ({takes})")));
        }
    }
    Ok(())
}

pub(super) fn kw<'k>(kwargs: &'k Kwargs, key: &'k str) -> TeraResult<Option<&'k Value>> {
    kwargs.get::<&Value>(key)
}

fn kw_number(name: &str, kwargs: &Kwargs, key: &str) -> TeraResult<f64> {
    match kw(kwargs, key)? {
        Some(v) => as_number(v).map_err(|e| arg_fail(name, key, e)),
        None => Err(fail(name, format!("missing argument `{key}`"))),
    }
}

fn kw_whole(name: &str, kwargs: &Kwargs, key: &str, default: i64) -> TeraResult<i64> {
    match kw(kwargs, key)? {
        Some(v) => as_whole(v).map_err(|e| arg_fail(name, key, e)),
        None => Ok(default),
    }
}

pub(super) fn kw_precision(name: &str, kwargs: &Kwargs, default: i64) -> TeraResult<usize> {
    let p = kw_whole(name, kwargs, "precision", default)?;
    usize::try_from(p)
        .ok()
        .filter(|_| p <= MAX_PRECISION)
        .ok_or_else(|| arg_fail(name, "precision", format!("must be from 0 to {MAX_PRECISION}, found {p}")))
}

pub(super) fn kw_str(name: &str, kwargs: &Kwargs, key: &str, default: &str) -> TeraResult<String> {
    match kw(kwargs, key)? {
        Some(v) => v
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| arg_fail(name, key, format!("must be a string, found {}", describe(v)))),
        None => Ok(default.to_string()),
    }
}

fn kw_attribute(name: &str, kwargs: &Kwargs, required: bool) -> TeraResult<Option<String>> {
    match kw(kwargs, "attribute")? {
        Some(v) => match v.as_str() {
            Some(s) if !s.is_empty() => Ok(Some(s.to_string())),
            _ => Err(arg_fail(name, "attribute", format!("must be a non-empty string, found {}", describe(v)))),
        },
        None if required => Err(fail(name, "missing argument `attribute`")),
        None => Ok(None),
    }
}

fn as_list<'v>(name: &str, v: &'v Value) -> TeraResult<&'v [Value]> {
    v.as_array().ok_or_else(|| fail(name, format!("expected an array, found {}", describe(v))))
}

/// `{{ 12 | cn_num }}` → 十二.
fn cn_num(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    check_kwargs("cn_num", &kwargs, &[])?;
    let n = as_whole(val).map_err(|e| fail("cn_num", e))?;
    Ok(zh::cn_num(n))
}

/// `{{ 2023 | cn_digits }}` → 二〇二三.
fn cn_digits(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    check_kwargs("cn_digits", &kwargs, &[])?;
    let n = as_whole(val).map_err(|e| fail("cn_digits", e))?;
    Ok(zh::cn_digits(n))
}

/// `{{ loop.index | ordinal(level=2) }}` → （一）.
fn ordinal(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    const NAME: &str = "ordinal";
    check_kwargs(NAME, &kwargs, &["level"])?;
    let n = as_whole(val).map_err(|e| fail(NAME, e))?;
    let level = kw_whole(NAME, &kwargs, "level", 1)?;
    if !(1..=4).contains(&level) {
        return Err(arg_fail(NAME, "level", format!("must be from 1 to 4, found {level}")));
    }
    zh::ordinal(n, level).map_err(|e| fail(NAME, e))
}

/// `{{ date | cn_date(style="chinese", parts="ym") }}` → 二〇二三年四月.
fn cn_date(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    const NAME: &str = "cn_date";
    check_kwargs(NAME, &kwargs, &["style", "parts"])?;
    let style = kw_str(NAME, &kwargs, "style", "arabic")?;
    let parts = kw_str(NAME, &kwargs, "parts", "ymd")?;
    let date =
        val.as_str().ok_or_else(|| fail(NAME, format!("expected a date like 2023-04-23, found {}", describe(val))))?;
    zh::cn_date(date, &style, &parts).map_err(|e| fail(NAME, e))
}

/// `{{ done | percent(of=total) }}` → 62.2%.
fn percent_filter(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    const NAME: &str = "percent";
    check_kwargs(NAME, &kwargs, &["of", "precision"])?;
    let part = as_number(val).map_err(|e| fail(NAME, e))?;
    let whole = kw_number(NAME, &kwargs, "of")?;
    if whole == 0.0 {
        return Err(arg_fail(NAME, "of", "must not be 0"));
    }
    let precision = kw_precision(NAME, &kwargs, 1)?;
    zh::percent(part, whole, precision).map_err(|e| fail(NAME, e))
}

/// `{{ percent(part=done, whole=total, precision=1) }}` → 62.2%.
fn percent_function(kwargs: Kwargs, _: &State) -> TeraResult<String> {
    const NAME: &str = "percent";
    check_kwargs(NAME, &kwargs, &["part", "whole", "precision"])?;
    let part = kw_number(NAME, &kwargs, "part")?;
    let whole = kw_number(NAME, &kwargs, "whole")?;
    if whole == 0.0 {
        return Err(arg_fail(NAME, "whole", "must not be 0"));
    }
    let precision = kw_precision(NAME, &kwargs, 1)?;
    zh::percent(part, whole, precision).map_err(|e| fail(NAME, e))
}

/// `{{ 6230000 | cn_amount(unit="元") }}` → 623万元.
fn cn_amount(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    const NAME: &str = "cn_amount";
    check_kwargs(NAME, &kwargs, &["precision", "unit"])?;
    let n = as_number(val).map_err(|e| fail(NAME, e))?;
    let precision = kw_precision(NAME, &kwargs, 2)?;
    let unit = kw_str(NAME, &kwargs, "unit", "")?;
    let amount = zh::cn_amount(n, precision).map_err(|e| fail(NAME, e))?;
    Ok(amount + &unit)
}

/// `{{ names | join_cn(last="及") }}` → 甲、乙及丙.
fn join_cn(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    const NAME: &str = "join_cn";
    check_kwargs(NAME, &kwargs, &["last"])?;
    let last = kw_str(NAME, &kwargs, "last", "和")?;
    let items = as_list(NAME, val)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            if let Some(s) = item.as_str() {
                Ok(s.to_string())
            } else if item.is_f64() {
                // Tera prints 2.0 as "2.0"; in running text it is just 2.
                let f = as_number(item).map_err(|e| fail(NAME, e))?;
                Ok(f.to_string())
            } else if item.is_number() {
                Ok(item.to_string())
            } else {
                Err(fail(
                    NAME,
                    format!("expected an array of strings or numbers, found {} at index {i}", describe(item)),
                ))
            }
        })
        .collect::<TeraResult<Vec<String>>>()?;
    Ok(zh::join_cn(&items, &last))
}

/// `{{ 1234.56 | cn_money }}` → 壹仟贰佰叁拾肆元伍角陆分.
fn cn_money(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    check_kwargs("cn_money", &kwargs, &[])?;
    let n = as_number(val).map_err(|e| fail("cn_money", e))?;
    zh::cn_money(n).map_err(|e| fail("cn_money", e))
}

/// `{{ 6230000 | approx }}` → 620余万.
fn approx(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    check_kwargs("approx", &kwargs, &[])?;
    let n = as_number(val).map_err(|e| fail("approx", e))?;
    zh::approx(n).map_err(|e| fail("approx", e))
}

/// The text of a value for script conversion: strings as they are, numbers
/// as they print; anything else (null, lists, maps) is a template mistake.
fn script_text(name: &str, val: &Value) -> TeraResult<String> {
    if let Some(s) = val.as_str() {
        Ok(s.to_string())
    } else if val.is_number() {
        Ok(val.to_string())
    } else {
        Err(fail(name, format!("expects text, got {}", describe(val))))
    }
}

/// `{{ "干部" | to_traditional }}` → 幹部 (by word, see `crate::script`);
/// `region="tw"` or `"hk"` for the forms of Taiwan or Hong Kong (为 → 為).
fn to_traditional(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    const NAME: &str = "to_traditional";
    check_kwargs(NAME, &kwargs, &["region"])?;
    let region = match kw(&kwargs, "region")? {
        None => crate::script::Region::Standard,
        Some(v) => v.as_str().and_then(crate::script::Region::parse).ok_or_else(|| {
            fail(NAME, format!("`region` must be \"tw\", \"hk\" or \"standard\", got {}", describe(v)))
        })?,
    };
    crate::script::to_traditional_in(&script_text(NAME, val)?, region).map_err(|e| fail(NAME, e))
}

/// `{{ "幹部" | to_simplified }}` → 干部.
fn to_simplified(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    const NAME: &str = "to_simplified";
    check_kwargs(NAME, &kwargs, &[])?;
    crate::script::to_simplified(&script_text(NAME, val)?).map_err(|e| fail(NAME, e))
}

/// `{{ items | filter(attribute="status", value="办结") }}`: the items whose
/// attribute (a dotted path) equals `value`, or is truthy when `value` is
/// not given. Items without the attribute are skipped.
fn filter_list(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<Vec<Value>> {
    const NAME: &str = "filter";
    check_kwargs(NAME, &kwargs, &["attribute", "value"])?;
    let attribute = kw_attribute(NAME, &kwargs, true)?.unwrap_or_default();
    let wanted = kw(&kwargs, "value")?;
    Ok(as_list(NAME, val)?
        .iter()
        .filter(|item| {
            item.is_map()
                && item.get_from_path(&attribute).is_some_and(|found| match wanted {
                    Some(w) => found == w,
                    None => found.is_truthy(),
                })
        })
        .cloned()
        .collect())
}

/// `{{ items | map(attribute="amount") }}`: that attribute of every item. A
/// missing attribute is an error rather than a silent gap in the list.
fn map_list(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<Vec<Value>> {
    const NAME: &str = "map";
    check_kwargs(NAME, &kwargs, &["attribute"])?;
    let attribute = kw_attribute(NAME, &kwargs, true)?.unwrap_or_default();
    as_list(NAME, val)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.get_from_path(&attribute)
                .filter(|_| item.is_map())
                .cloned()
                .ok_or_else(|| fail(NAME, format!("item at index {i} has no attribute `{attribute}`")))
        })
        .collect()
}

/// `{{ items | sum(attribute="amount") }}`: an integer when every addend
/// is one, else a float added as decimals (0.1 + 0.2 = 0.3).
fn sum_list(val: &Value, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    const NAME: &str = "sum";
    check_kwargs(NAME, &kwargs, &["attribute"])?;
    let attribute = kw_attribute(NAME, &kwargs, false)?;
    let mut ints: Option<i128> = Some(0);
    let mut floats = Vec::new();
    for (i, item) in as_list(NAME, val)?.iter().enumerate() {
        let addend = match &attribute {
            Some(attr) => item
                .get_from_path(attr)
                .filter(|_| item.is_map())
                .ok_or_else(|| fail(NAME, format!("item at index {i} has no attribute `{attr}`")))?,
            None => item,
        };
        let at = |e: String| fail(NAME, format!("item at index {i}: {e}"));
        let int = addend.as_i128().or_else(|| addend.as_str().and_then(|s| s.trim().parse::<i128>().ok()));
        match int {
            Some(n) => ints = ints.and_then(|t| t.checked_add(n)),
            None => ints = None,
        }
        floats.push(as_number(addend).map_err(at)?);
    }
    Ok(match ints {
        Some(total) => match i64::try_from(total) {
            Ok(small) => Value::from(small),
            Err(_) => Value::from(total),
        },
        None => Value::from(zh::sum_decimal(&floats)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tera::Context;

    fn render_with(tpl: &str, ctx: &Context) -> Result<String, String> {
        let mut tera = Tera::default();
        register(&mut tera);
        tera.add_raw_template("t", tpl).map_err(|e| format!("parse: {e}"))?;
        tera.render("t", ctx).map_err(|e| format!("{e}\n{e:?}"))
    }

    fn render(tpl: &str) -> Result<String, String> {
        render_with(tpl, &Context::new())
    }

    fn ok(tpl: &str) -> String {
        render(tpl).expect("template renders")
    }

    /// Asserts the render fails and the error contains `needle`.
    fn err(tpl: &str, needle: &str) {
        match render(tpl) {
            Ok(out) => unreachable!("{tpl} rendered {out:?}, expected an error"),
            Err(e) => assert!(e.contains(needle), "{tpl}: {e:?} lacks {needle:?}"),
        }
    }

    #[test]
    fn script_filters() {
        assert_eq!(ok(r#"{{ "县委组织党员干部学习" | to_traditional }}"#), "縣委組織黨員幹部學習");
        assert_eq!(ok(r#"{{ "範文彙編" | to_simplified }}"#), "范文汇编");
        assert_eq!(ok(r#"{{ "头发" | zh_hant }}{{ "頭髮" | zh_hans }}"#), "頭髮头发");
        assert_eq!(ok(r#"{{ 2023 | to_traditional }}"#), "2023");
        err(r#"{{ [1] | to_traditional }}"#, "to_traditional");
        err(r#"{{ "x" | to_simplified(hk=true) }}"#, "unknown argument `hk`");
        assert_eq!(ok(r#"{{ "为群众" | to_traditional(region="tw") }}"#), "為群眾");
        assert_eq!(ok(r#"{{ "为群众" | to_traditional(region="hk") }}"#), "為羣眾");
        err(r#"{{ "x" | to_traditional(region="mo") }}"#, "`region` must be");
    }

    fn records() -> Context {
        let mut ctx = Context::new();
        ctx.insert(
            "items",
            &json!([
                {"name": "甲", "status": "办结", "amount": 10, "meta": {"year": 2023}},
                {"name": "乙", "status": "在办", "amount": 2.5, "meta": {"year": 2022}},
                {"name": "丙", "status": "办结", "amount": 5, "urgent": true},
                {"name": "丁", "amount": "7"}
            ]),
        );
        ctx
    }

    #[test]
    fn filter_errors_surface_in_the_render_error() {
        let e = render("第1行\n{{ \"abc\" | cn_num }}").expect_err("bad input fails");
        assert!(e.contains("cn_num: expected a whole number, found string \"abc\""), "{e}");
        // The report points at the template line.
        assert!(e.contains("t:2:"), "{e}");
    }

    #[test]
    fn cn_num_and_cn_digits() {
        assert_eq!(ok("{{ 12 | cn_num }}"), "十二");
        assert_eq!(ok("{{ 12.0 | cn_num }}"), "十二");
        assert_eq!(ok("{{ \"110\" | cn_num }}"), "一百一十");
        assert_eq!(ok("{{ -12 | cn_num }}"), "负十二");
        assert_eq!(ok("{{ 2023 | cn_digits }}"), "二〇二三");
        assert_eq!(ok("{{ \"2023\" | cn_digits }}"), "二〇二三");
        err("{{ 3.5 | cn_num }}", "cn_num: expected a whole number, found 3.5");
        err("{{ none | cn_num }}", "cn_num: expected a whole number, found null");
        err("{{ true | cn_digits }}", "cn_digits: expected a whole number, found bool true");
        err("{{ [1] | cn_num }}", "cn_num: expected a whole number, found an array");
        err("{{ 1 | cn_num(x=1) }}", "cn_num: unknown argument `x` (it takes none)");
    }

    #[test]
    fn ordinal_levels() {
        assert_eq!(ok("{{ 1 | ordinal }}"), "一、");
        assert_eq!(ok("{{ 3 | ordinal(level=2) }}"), "（三）");
        assert_eq!(ok("{{ 3 | ordinal(level=\"3\") }}"), "3.");
        assert_eq!(ok("{{ 2 | ordinal(level=4) }}"), "（2）");
        assert_eq!(ok("{% for x in [1, 2] %}{{ loop.index | ordinal }}{% endfor %}"), "一、二、");
        err("{{ 1 | ordinal(level=5) }}", "ordinal: argument `level` must be from 1 to 4, found 5");
        err("{{ 1 | ordinal(level=\"a\") }}", "ordinal: argument `level` expected a whole number");
        err("{{ 0 | ordinal }}", "ordinal: expected a number of at least 1, found 0");
    }

    #[test]
    fn cn_date_kwargs() {
        assert_eq!(ok("{{ \"2023-04-23\" | cn_date }}"), "2023年4月23日");
        assert_eq!(ok("{{ \"2023/4/23\" | cn_date(style=\"chinese\") }}"), "二〇二三年四月二十三日");
        assert_eq!(ok("{{ \"2023.04.23\" | cn_date(parts=\"ym\") }}"), "2023年4月");
        assert_eq!(ok("{{ \"2023年4月23日\" | cn_date(style=\"chinese\", parts=\"md\") }}"), "四月二十三日");
        err("{{ \"2023-02-30\" | cn_date }}", "cn_date: expected a real calendar date, found \"2023-02-30\"");
        err("{{ 20230423 | cn_date }}", "cn_date: expected a date like 2023-04-23, found 20230423");
        err("{{ \"2023-04-23\" | cn_date(style=\"x\") }}", "cn_date: expected style");
        err("{{ \"2023-04-23\" | cn_date(style=1) }}", "cn_date: argument `style` must be a string, found 1");
        err("{{ \"2023-04-23\" | cn_date(part=\"y\") }}", "cn_date: unknown argument `part` (it takes style, parts)");
    }

    #[test]
    fn percent_filter_and_function() {
        assert_eq!(ok("{{ 28 | percent(of=45) }}"), "62.2%");
        assert_eq!(ok("{{ 45 | percent(of=50) }}"), "90%");
        assert_eq!(ok("{{ \"1\" | percent(of=\"3\", precision=2) }}"), "33.33%");
        assert_eq!(ok("{{ 0.125 | percent(of=1, precision=2) }}"), "12.5%");
        assert_eq!(ok("{{ percent(part=28, whole=45) }}"), "62.2%");
        assert_eq!(ok("{{ percent(part=1, whole=3, precision=0) }}"), "33%");
        err("{{ 1 | percent(of=0) }}", "percent: argument `of` must not be 0");
        err("{{ 1 | percent(of=0.0) }}", "percent: argument `of` must not be 0");
        err("{{ 1 | percent }}", "percent: missing argument `of`");
        err("{{ 1 | percent(of=none) }}", "percent: argument `of` expected a number, found null");
        err("{{ \"x\" | percent(of=2) }}", "percent: expected a number, found string \"x\"");
        err("{{ 1 | percent(of=2, precision=-1) }}", "percent: argument `precision` must be from 0 to 10, found -1");
        err("{{ percent(part=1, whole=0) }}", "percent: argument `whole` must not be 0");
        err("{{ percent(whole=3) }}", "percent: missing argument `part`");
        err("{{ percent(part=1, whole=3, of=2) }}", "percent: unknown argument `of`");
    }

    #[test]
    fn cn_amount_kwargs() {
        assert_eq!(ok("{{ 8500 | cn_amount }}"), "8500");
        assert_eq!(ok("{{ 6230000 | cn_amount(unit=\"元\") }}"), "623万元");
        assert_eq!(ok("{{ 1234567 | cn_amount }}"), "123.46万");
        assert_eq!(ok("{{ 1234567 | cn_amount(precision=1) }}"), "123.5万");
        assert_eq!(ok("{{ \"150000000\" | cn_amount }}"), "1.5亿");
        err("{{ \"lots\" | cn_amount }}", "cn_amount: expected a number, found string \"lots\"");
        err("{{ 1 | cn_amount(unit=3) }}", "cn_amount: argument `unit` must be a string");
    }

    #[test]
    fn join_cn_kwargs() {
        let mut ctx = Context::new();
        ctx.insert("xs", &json!(["甲", "乙", "丙"]));
        ctx.insert("ns", &json!([1, 2.0, 2.5]));
        ctx.insert("bad", &json!(["甲", null]));
        let r = |t: &str| render_with(t, &ctx);
        assert_eq!(r("{{ xs | join_cn }}").as_deref(), Ok("甲、乙和丙"));
        assert_eq!(r("{{ xs | join_cn(last=\"及\") }}").as_deref(), Ok("甲、乙及丙"));
        assert_eq!(r("{{ xs | join_cn(last=\"、\") }}").as_deref(), Ok("甲、乙、丙"));
        assert_eq!(r("{{ ns | join_cn }}").as_deref(), Ok("1、2和2.5"));
        assert_eq!(r("{{ [] | join_cn }}").as_deref(), Ok(""));
        let e = r("{{ bad | join_cn }}").expect_err("null item fails");
        assert!(e.contains("join_cn: expected an array of strings or numbers, found null at index 1"), "{e}");
        err("{{ \"甲\" | join_cn }}", "join_cn: expected an array, found string \"甲\"");
    }

    #[test]
    fn cn_money_and_approx() {
        assert_eq!(ok("{{ 10020 | cn_money }}"), "壹万零贰拾元整");
        assert_eq!(ok("{{ 1234.56 | cn_money }}"), "壹仟贰佰叁拾肆元伍角陆分");
        assert_eq!(ok("{{ \"0.5\" | cn_money }}"), "伍角整");
        assert_eq!(ok("{{ 6230000 | approx }}"), "620余万");
        assert_eq!(ok("{{ 63 | approx }}"), "60多");
        assert_eq!(ok("{{ \"142\" | approx }}"), "140余");
        err("{{ none | cn_money }}", "cn_money: expected a number, found null");
        err("{{ -3 | approx }}", "approx: expected a number of at least 0, found -3");
    }

    #[test]
    fn filter_map_sum_count_records() {
        let ctx = records();
        let r = |t: &str| render_with(t, &ctx).expect("template renders");
        assert_eq!(r("{{ items | filter(attribute=\"status\", value=\"办结\") | length }}"), "2");
        assert_eq!(
            r("{{ items | filter(attribute=\"status\", value=\"办结\") | map(attribute=\"name\") | join_cn }}"),
            "甲和丙"
        );
        assert_eq!(
            r("{{ items | filter(attribute=\"meta.year\", value=2023) | map(attribute=\"name\") | join(sep=\",\") }}"),
            "甲"
        );
        assert_eq!(r("{{ items | filter(attribute=\"urgent\") | map(attribute=\"name\") | join(sep=\",\") }}"), "丙");
        assert_eq!(r("{{ items | map(attribute=\"amount\") | sum }}"), "24.5");
        assert_eq!(r("{{ items | filter(attribute=\"status\", value=\"办结\") | sum(attribute=\"amount\") }}"), "15");
        assert_eq!(r("{{ [1, 2, \"3\"] | sum }}"), "6");
        assert_eq!(r("{{ [0.1, 0.2] | sum }}"), "0.3");
        assert_eq!(r("{{ [] | sum }}"), "0");
        assert_eq!(
            r("{{ items | filter(attribute=\"status\", value=\"办结\") | length | percent(of=items | length) }}"),
            "50%"
        );
    }

    #[test]
    fn list_filter_errors() {
        let ctx = records();
        let e = |t: &str| render_with(t, &ctx).expect_err("template fails");
        assert!(
            e("{{ items | map(attribute=\"status\") }}").contains("map: item at index 3 has no attribute `status`")
        );
        assert!(
            e("{{ items | sum(attribute=\"status\") }}")
                .contains("sum: item at index 0: expected a number, found string \"办结\"")
        );
        assert!(e("{{ items | filter(value=1) }}").contains("filter: missing argument `attribute`"));
        assert!(e("{{ items | map }}").contains("map: missing argument `attribute`"));
        assert!(e("{{ 3 | sum }}").contains("sum: expected an array, found 3"));
        assert!(e("{{ [none] | sum }}").contains("sum: item at index 0: expected a number, found null"));
        assert!(
            e("{{ items | filter(attribute=1, value=2) }}")
                .contains("filter: argument `attribute` must be a non-empty string, found 1")
        );
    }
}
