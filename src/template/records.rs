//! Template functions over lists and year-on-year figures: what `stats`
//! computes for records, available for any free-form list, and the Chinese
//! phrases that compare two years.
//!
//! Functions (keyword arguments, as Tera requires): `count_by(list=, key=)`,
//! `sum_by(list=, key=, by=)`, `compare(current=, previous=, …)`,
//! `increase(from=, to=, unit=, lead=, verb=)`. `count_by`, `sum_by` and
//! `compare` are also filters (`proposals | count_by(key="status")`,
//! `amount | compare(previous=200)`).

use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::filters::{arg_fail, as_number, check_kwargs, fail, kw, kw_precision, kw_str};
use crate::data::records::stats::{Groups, Tree};
use crate::zh;

/// Registers the functions and filters of this module.
pub fn register(tera: &mut Tera) {
    tera.register_function("count_by", |kw: Kwargs, _: &State| {
        let list = required(&kw, "count_by", "list")?;
        count_by("count_by", &list, &kw, &["list", "key"])
    });
    tera.register_filter("count_by", |v: &Value, kw: Kwargs, _: &State| count_by("count_by", v, &kw, &["key"]));
    tera.register_function("sum_by", |kw: Kwargs, _: &State| {
        let list = required(&kw, "sum_by", "list")?;
        sum_by("sum_by", &list, &kw, &["list", "key", "by", "default"])
    });
    tera.register_filter("sum_by", |v: &Value, kw: Kwargs, _: &State| {
        sum_by("sum_by", v, &kw, &["key", "by", "default"])
    });
    tera.register_function("compare", |kw: Kwargs, _: &State| {
        let cur = required(&kw, "compare", "current")?;
        compare(&cur, &kw, COMPARE_ARGS)
    });
    tera.register_filter("compare", |v: &Value, kw: Kwargs, _: &State| compare(v, &kw, &COMPARE_ARGS[1..]));
    tera.register_function("increase", increase);
}

const COMPARE_ARGS: &[&str] = &["current", "previous", "precision", "base", "up", "down", "same"];

fn required(kwargs: &Kwargs, name: &str, key: &str) -> TeraResult<Value> {
    kw(kwargs, key)?.cloned().ok_or_else(|| fail(name, format!("missing argument `{key}`")))
}

fn key_arg(name: &str, kwargs: &Kwargs, key: &str) -> TeraResult<Option<String>> {
    match kw(kwargs, key)? {
        Some(v) => match v.as_str() {
            Some(s) if !s.is_empty() => Ok(Some(s.to_string())),
            _ => Err(arg_fail(name, key, "must be a non-empty string (a field name, dotted for nested fields)")),
        },
        None => Ok(None),
    }
}

/// The group name of an item: its `key` field as text; None when absent.
fn group_of(item: &Value, key: &str) -> Option<String> {
    let v = item.get_from_path(key).filter(|_| item.is_map())?;
    if v.is_undefined() || v.is_none() {
        None
    } else if let Some(s) = v.as_str() {
        Some(s.to_string())
    } else {
        Some(v.to_string())
    }
}

/// `{{ count_by(list=proposals, key="status") }}` → `{办结: 25, …}` in
/// first-seen order; items without the key are not counted.
fn count_by(name: &str, list: &Value, kwargs: &Kwargs, allowed: &[&str]) -> TeraResult<Value> {
    check_kwargs(name, kwargs, allowed)?;
    let key = key_arg(name, kwargs, "key")?.ok_or_else(|| fail(name, "missing argument `key`"))?;
    let items = list.as_array().ok_or_else(|| fail(name, "expected a list"))?;
    let mut g = Groups::default();
    for item in items {
        if let Some(k) = group_of(item, &key) {
            g.add(&k, 1.0);
        }
    }
    Ok(Value::from_serializable(&g.tree(&[])))
}

/// `{{ sum_by(list=funding, key="amount", by="unit") }}` → `{元: 1610000, …}`;
/// without `by`, the total. Items without `by` are summed under `default`
/// (""). A missing or non-numeric `key` is an error.
fn sum_by(name: &str, list: &Value, kwargs: &Kwargs, allowed: &[&str]) -> TeraResult<Value> {
    check_kwargs(name, kwargs, allowed)?;
    let key = key_arg(name, kwargs, "key")?.ok_or_else(|| fail(name, "missing argument `key`"))?;
    let by = key_arg(name, kwargs, "by")?;
    let default = kw_str(name, kwargs, "default", "")?;
    let items = list.as_array().ok_or_else(|| fail(name, "expected a list"))?;
    let mut groups: Vec<(String, Vec<f64>)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let v = item
            .get_from_path(&key)
            .filter(|_| item.is_map())
            .ok_or_else(|| fail(name, format!("item at index {i} has no `{key}`")))?;
        let n = as_number(v).map_err(|e| fail(name, format!("item at index {i}: {e}")))?;
        let g = match &by {
            Some(b) => group_of(item, b).unwrap_or_else(|| default.clone()),
            None => String::new(),
        };
        match groups.iter_mut().find(|(k, _)| *k == g) {
            Some((_, v)) => v.push(n),
            None => groups.push((g, vec![n])),
        }
    }
    let total = |v: &[f64]| Tree::number(zh::sum_decimal(v));
    let tree = match by {
        Some(_) => Tree::Map(groups.iter().map(|(k, v)| (k.clone(), total(v))).collect()),
        None => total(groups.first().map_or(&[][..], |(_, v)| v.as_slice())),
    };
    Ok(Value::from_serializable(&tree))
}

/// "比上年增长12.5%" / "比上年下降3.2%" / "与上年持平": the change from
/// `previous` to `current`, rounded to `precision` (1). `base` (上年),
/// `up` (增长), `down` (下降) and `same` (与上年持平) change the words.
fn compare(current: &Value, kwargs: &Kwargs, allowed: &[&str]) -> TeraResult<String> {
    const NAME: &str = "compare";
    check_kwargs(NAME, kwargs, allowed)?;
    let cur = as_number(current).map_err(|e| fail(NAME, e))?;
    let prev = kw(kwargs, "previous")?.ok_or_else(|| fail(NAME, "missing argument `previous`"))?;
    let prev = as_number(prev).map_err(|e| arg_fail(NAME, "previous", e))?;
    if prev == 0.0 {
        return Err(arg_fail(NAME, "previous", "is 0, so there is no growth rate; write the new figure instead"));
    }
    let precision = kw_precision(NAME, kwargs, 1)?;
    let base = kw_str(NAME, kwargs, "base", "上年")?;
    let up = kw_str(NAME, kwargs, "up", "增长")?;
    let down = kw_str(NAME, kwargs, "down", "下降")?;
    let same = kw_str(NAME, kwargs, "same", &format!("与{base}持平"))?;
    let change = zh::percent((cur - prev).abs(), prev.abs(), precision).map_err(|e| fail(NAME, e))?;
    let zero = change.trim_end_matches('%').chars().all(|c| c == '0' || c == '.');
    Ok(if zero {
        same
    } else if cur > prev {
        format!("比{base}{up}{change}")
    } else {
        format!("比{base}{down}{change}")
    })
}

/// `{{ increase(from=200, to=300, unit="元", lead="人均") }}` → "由人均200元提高到300元".
/// Refuses when `to` is not above `from`: the sentence would be false.
fn increase(kwargs: Kwargs, _: &State) -> TeraResult<String> {
    const NAME: &str = "increase";
    check_kwargs(NAME, &kwargs, &["from", "to", "unit", "lead", "verb"])?;
    let num = |key: &str| -> TeraResult<f64> {
        let v = kw(&kwargs, key)?.ok_or_else(|| fail(NAME, format!("missing argument `{key}`")))?;
        as_number(v).map_err(|e| arg_fail(NAME, key, e))
    };
    let (from, to) = (num("from")?, num("to")?);
    let unit = kw_str(NAME, &kwargs, "unit", "")?;
    let lead = kw_str(NAME, &kwargs, "lead", "")?;
    let verb = kw_str(NAME, &kwargs, "verb", "提高")?;
    if to <= from {
        return Err(fail(
            NAME,
            format!(
                "the text would say {verb} from {} to {}, but {} is not above {}",
                show(from),
                show(to),
                show(to),
                show(from)
            ),
        ));
    }
    Ok(format!("由{lead}{}{unit}{verb}到{}{unit}", show(from), show(to)))
}

fn show(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 { format!("{}", n as i64) } else { n.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tera::Context;

    fn render(tpl: &str) -> Result<String, String> {
        let mut tera = Tera::default();
        super::super::filters::register(&mut tera);
        let mut ctx = Context::new();
        ctx.insert(
            "items",
            &json!([
                {"status": "办结", "unit": "元", "amount": 100, "m": {"g": "甲"}},
                {"status": "办理中", "unit": "元/人", "amount": 2.5, "m": {"g": "乙"}},
                {"status": "办结", "unit": "元", "amount": 0.1},
                {"unit": "元", "amount": 0.2}
            ]),
        );
        tera.add_raw_template("t", tpl).map_err(|e| format!("parse: {e}"))?;
        tera.render("t", &ctx).map_err(|e| format!("{e}\n{e:?}"))
    }

    fn ok(tpl: &str) -> String {
        render(tpl).expect("renders")
    }

    fn err(tpl: &str, needle: &str) {
        let e = render(tpl).expect_err("fails");
        assert!(e.contains(needle), "{tpl}: {e} lacks {needle}");
    }

    #[test]
    fn count_and_sum_by() {
        assert_eq!(
            ok(r#"{% for k, n in count_by(list=items, key="status") %}{{ k }}{{ n }};{% endfor %}"#),
            "办结2;办理中1;"
        );
        assert_eq!(ok(r#"{{ (items | count_by(key="m.g"))["乙"] }}"#), "1");
        assert_eq!(
            ok(r#"{% for k, n in items | sum_by(key="amount", by="unit") %}{{ k }}={{ n }};{% endfor %}"#),
            "元=100.3;元/人=2.5;"
        );
        assert_eq!(ok(r#"{{ sum_by(list=items, key="amount") }}"#), "102.8");
        assert_eq!(
            ok(r#"{% for k, n in items | sum_by(key="amount", by="m.g", default="无") %}{{ k }}={{ n }};{% endfor %}"#),
            "甲=100;乙=2.5;无=0.3;"
        );
        assert_eq!(ok(r#"{{ sum_by(list=[], key="amount") }}"#), "0");
        err(r#"{{ sum_by(list=items, key="status") }}"#, "sum_by: item at index 0: expected a number");
        err(r#"{{ count_by(list=items) }}"#, "count_by: missing argument `key`");
        err(r#"{{ count_by(list=3, key="a") }}"#, "count_by: expected a list");
    }

    #[test]
    fn compare_phrases() {
        assert_eq!(ok("{{ compare(current=225, previous=200) }}"), "比上年增长12.5%");
        assert_eq!(ok("{{ 96.8 | compare(previous=100) }}"), "比上年下降3.2%");
        assert_eq!(ok("{{ 100 | compare(previous=100) }}"), "与上年持平");
        assert_eq!(ok("{{ 100.01 | compare(previous=100) }}"), "与上年持平");
        assert_eq!(ok("{{ 3 | compare(previous=2, precision=0, base=\"去年\", up=\"提高\") }}"), "比去年提高50%");
        assert_eq!(ok("{{ 2 | compare(previous=2, same=\"持平\") }}"), "持平");
        err("{{ 3 | compare(previous=0) }}", "compare: argument `previous` is 0");
        err("{{ 3 | compare }}", "compare: missing argument `previous`");
        err("{{ 3 | compare(previous=1, unit=\"元\") }}", "compare: unknown argument `unit`");
    }

    #[test]
    fn increase_refuses_a_false_rise() {
        assert_eq!(ok("{{ increase(from=200, to=300, unit=\"元\", lead=\"人均\") }}"), "由人均200元提高到300元");
        assert_eq!(ok("{{ increase(from=1.5, to=2, unit=\"万元\", verb=\"增加\") }}"), "由1.5万元增加到2万元");
        err(
            "{{ increase(from=300, to=200) }}",
            "increase: the text would say 提高 from 300 to 200, but 200 is not above 300",
        );
        err("{{ increase(from=3, to=3) }}", "is not above");
    }
}
