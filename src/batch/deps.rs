//! Which template files a document depends on: itself and, transitively,
//! what it extends, includes and imports. Found by reading the tags'
//! string literals; a tag naming its template with an expression makes the
//! document depend on every template (safe, if less precise).

use std::collections::{BTreeMap, BTreeSet};

/// `texts`: every template's name and text. Returns the names `doc` depends
/// on, itself included, sorted.
pub fn closure(doc: &str, texts: &BTreeMap<&str, &str>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![doc.to_string()];
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(text) = texts.get(name.as_str()) else { continue };
        match references(text) {
            Some(refs) => todo.extend(refs.into_iter().filter(|r| texts.contains_key(r.as_str()))),
            None => return texts.keys().map(|k| k.to_string()).collect(),
        }
    }
    seen
}

/// Template names in `{% extends/include/import "…" %}` tags; None when a
/// tag names a template without a string literal.
fn references(text: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let after = &rest[start + 2..];
        let end = after.find("%}").unwrap_or(after.len());
        let tag = after[..end].trim_start_matches(['-', '+']).trim_start();
        let word = tag.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
        if matches!(word, "extends" | "include" | "import") {
            let lits = literals(&tag[word.len()..]);
            if lits.is_empty() {
                return None;
            }
            out.extend(lits);
        }
        rest = after.get(end..).unwrap_or("");
    }
    Some(out)
}

/// The quoted strings in a tag (`"a"`, `'b'`, `` `c` ``).
fn literals(tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(i) = rest.find(['"', '\'', '`']) {
        let quote = &rest[i..i + 1];
        let body = &rest[i + 1..];
        let Some(len) = body.find(quote) else { break };
        out.push(body[..len].to_string());
        rest = &body[len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_extends_includes_and_imports() {
        let texts: BTreeMap<&str, &str> = [
            ("a.md.tera", "{% extends \"_base.md.tera\" %}{% block body %}{%- include '_t.md.tera' -%}{% endblock %}"),
            ("_base.md.tera", "{% import \"_m.tera\" as m %}{% block body %}{% endblock body %}"),
            ("_t.md.tera", "| table |"),
            ("_m.tera", "{% macro x() %}{% endmacro %}"),
            ("b.md.tera", "plain"),
            ("_unused.md.tera", "x"),
        ]
        .into_iter()
        .collect();
        let deps = closure("a.md.tera", &texts);
        assert_eq!(deps.into_iter().collect::<Vec<_>>(), vec!["_base.md.tera", "_m.tera", "_t.md.tera", "a.md.tera"]);
        assert_eq!(closure("b.md.tera", &texts).len(), 1);
    }

    #[test]
    fn a_computed_name_depends_on_everything() {
        let texts: BTreeMap<&str, &str> =
            [("a.md.tera", "{% include name %}"), ("b.md.tera", "x"), ("_c.tera", "y")].into_iter().collect();
        assert_eq!(closure("a.md.tera", &texts).len(), 3);
    }
}
