//! The `chart()` template function: a bar, line or pie chart as a Markdown
//! image whose URL carries the chart itself (`wengao-chart:`), so nothing is
//! written to disk and the same arguments always give the same text.
//!
//! `{{ chart(kind="bar", data=stats.proposals.by_category, unit="件",
//! caption="图1 2023年提案分类情况") }}`, or `labels=[…], values=[…]`
//! instead of `data`. Optional: `title` (drawn in the picture). The caption
//! is document text under the picture.

use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::filters::{arg_fail, as_number, check_kwargs, fail, kw, kw_str};
use crate::chart::{ChartKind, ChartSpec};

const NAME: &str = "chart";
const ARGS: &[&str] = &["kind", "data", "labels", "values", "title", "caption", "unit"];

/// Registers `chart`.
pub fn register(tera: &mut Tera) {
    tera.register_function(NAME, chart);
}

fn chart(kwargs: Kwargs, _: &State) -> TeraResult<String> {
    check_kwargs(NAME, &kwargs, ARGS)?;
    let spec = spec(&kwargs)?;
    let caption = kw_str(NAME, &kwargs, "caption", "")?;
    Ok(markdown(&spec, caption.trim()))
}

/// The Markdown for a chart: alone in its paragraph, blank lines around it.
pub fn markdown(spec: &ChartSpec, caption: &str) -> String {
    // Brackets and quotes would end the alt text or the title early.
    let clean = |s: &str| s.replace(['[', ']'], "").replace('"', "”").replace(['\n', '\r'], " ");
    let caption = clean(caption);
    let title = if caption.is_empty() { String::new() } else { format!(" \"{caption}\"") };
    format!("\n\n![{caption}]({}{title})\n\n", spec.to_url())
}

fn spec(kwargs: &Kwargs) -> TeraResult<ChartSpec> {
    let kind_name = kw_str(NAME, kwargs, "kind", "bar")?;
    let kind = ChartKind::parse(&kind_name)
        .ok_or_else(|| arg_fail(NAME, "kind", format!("must be \"bar\", \"line\" or \"pie\", not {kind_name:?}")))?;
    let (labels, values) = match (kw(kwargs, "data")?, kw(kwargs, "labels")?, kw(kwargs, "values")?) {
        (Some(data), None, None) => from_map(data)?,
        (Some(_), _, _) => return Err(fail(NAME, "give either `data` or `labels` and `values`, not both")),
        (None, Some(l), Some(v)) => (labels_of(l)?, values_of(v)?),
        (None, _, _) => {
            return Err(fail(
                NAME,
                "missing data: give `data` (a mapping such as stats.proposals.by_category) or `labels` and `values`",
            ));
        }
    };
    let optional = |key: &str| -> TeraResult<Option<String>> {
        let s = kw_str(NAME, kwargs, key, "")?;
        Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty()))
    };
    let spec = ChartSpec { kind, title: optional("title")?, labels, values, unit: optional("unit")? };
    spec.validate().map_err(|e| fail(NAME, format!("the chart {e}")))?;
    Ok(spec)
}

fn from_map(data: &Value) -> TeraResult<(Vec<String>, Vec<f64>)> {
    let map = data.as_map().ok_or_else(|| arg_fail(NAME, "data", "must be a mapping of label to number"))?;
    let mut labels = Vec::with_capacity(map.len());
    let mut values = Vec::with_capacity(map.len());
    for (k, v) in map {
        labels.push(k.to_string());
        values.push(as_number(v).map_err(|e| arg_fail(NAME, "data", format!("at `{k}`: {e}")))?);
    }
    Ok((labels, values))
}

fn labels_of(v: &Value) -> TeraResult<Vec<String>> {
    let list = v.as_array().ok_or_else(|| arg_fail(NAME, "labels", "must be a list"))?;
    Ok(list.iter().map(|l| l.as_str().map_or_else(|| l.to_string(), str::to_string)).collect())
}

fn values_of(v: &Value) -> TeraResult<Vec<f64>> {
    let list = v.as_array().ok_or_else(|| arg_fail(NAME, "values", "must be a list of numbers"))?;
    list.iter()
        .enumerate()
        .map(|(i, x)| as_number(x).map_err(|e| arg_fail(NAME, "values", format!("item {i}: {e}"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str) -> Result<String, String> {
        let mut tera = Tera::new();
        tera.autoescape_on(Vec::<&str>::new());
        super::super::filters::register(&mut tera);
        // A map literal keeps its order, as data from YAML does.
        let template = format!(r#"{{% set by = {{"经济": 12, "民生": 9.5, "其他": 0}} %}}{template}"#);
        tera.add_raw_template("t", &template).map_err(|e| e.to_string())?;
        let ctx = tera::Context::new();
        tera.render("t", &ctx).map_err(|e| {
            use std::error::Error;
            let mut s = e.to_string();
            let mut src = e.source();
            while let Some(x) = src {
                s.push_str(&format!(": {x}"));
                src = x.source();
            }
            s
        })
    }

    fn spec_in(md: &str) -> ChartSpec {
        let url = md.split('(').nth(1).and_then(|s| s.split([' ', ')']).next()).expect("url");
        ChartSpec::from_url(url).expect("chart url").expect("valid")
    }

    #[test]
    fn a_mapping_gives_labels_and_values_in_order() {
        let md = render(r#"{{ chart(data=by, caption="图1 分类", unit="件") }}"#).expect("render");
        assert!(md.contains("![图1 分类](wengao-chart:"), "{md}");
        assert!(md.trim_end().ends_with(" \"图1 分类\")"), "{md}");
        let s = spec_in(&md);
        assert_eq!(s.kind, ChartKind::Bar);
        assert_eq!(s.labels, ["经济", "民生", "其他"]);
        assert_eq!(s.values, [12.0, 9.5, 0.0]);
        assert_eq!(s.unit.as_deref(), Some("件"));
        assert_eq!(md, render(r#"{{ chart(data=by, caption="图1 分类", unit="件") }}"#).expect("again"));
    }

    #[test]
    fn lists_give_labels_and_values() {
        let md = render(r#"{{ chart(kind="line", labels=["1月", "2月"], values=[3, "4"], title="走势") }}"#)
            .expect("render");
        let s = spec_in(&md);
        assert_eq!((s.kind, s.title.as_deref()), (ChartKind::Line, Some("走势")));
        assert_eq!(s.values, [3.0, 4.0]);
        assert!(md.contains("![]("), "no caption: empty alt, no title: {md}");
    }

    #[test]
    fn bad_arguments_are_explained() {
        let cases = [
            (r#"{{ chart(kind="radar", data=by) }}"#, "argument `kind` must be"),
            (r#"{{ chart(labels=["a"], values=[1, 2]) }}"#, "1 labels but 2 values"),
            (r#"{{ chart(labels=[], values=[]) }}"#, "at least one value"),
            (r#"{{ chart(kind="pie", labels=["a", "b"], values=[1, -2]) }}"#, "negative"),
            (r#"{{ chart(kind="pie", labels=["a"], values=[0]) }}"#, "above 0"),
            (r#"{{ chart(labels=["a"], values=["x"]) }}"#, "argument `values` item 0"),
            (r#"{{ chart(data=by, labels=["a"]) }}"#, "not both"),
            (r#"{{ chart() }}"#, "missing data"),
            (r#"{{ chart(data=by, colour="red") }}"#, "colour"),
            (r#"{{ chart(data=[1, 2]) }}"#, "must be a mapping"),
        ];
        for (t, want) in cases {
            let e = render(t).expect_err(t);
            assert!(e.contains("chart: ") && e.contains(want), "{t}: {e}");
        }
        let many: Vec<String> = (0..41).map(|i| i.to_string()).collect();
        let t = format!("{{{{ chart(labels=[{}], values=[{}]) }}}}", many.join(","), many.join(","));
        assert!(render(&t).expect_err("41").contains("at most 40"));
    }
}
