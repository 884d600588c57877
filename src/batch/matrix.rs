//! `[matrix]`: build a document once per item of a data collection, and the
//! output names of those builds (see docs/matrix.md). The configuration
//! itself, as wengao.toml gives it, is `project::MatrixConfig`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::data::{self, Item};
use crate::diag::{Code, Diagnostic};
use crate::output;
use crate::project::{CONFIG_FILE, MatrixConfig};
use crate::template::DOCUMENT_EXT;

/// Context names a matrix item cannot take: wengao fills them itself.
const RESERVED: &[&str] = &["project", "stats", "stats_prev", "prev"];

impl MatrixConfig {
    /// Whether the document template `name` (`experience.md.tera`) is built per item.
    pub fn applies_to(&self, name: &str) -> bool {
        let stem = name.trim_end_matches(DOCUMENT_EXT);
        self.templates.as_ref().is_none_or(|t| t.iter().any(|s| s.trim_end_matches(DOCUMENT_EXT) == stem))
    }

    /// Check the configuration against the templates and data there are.
    /// Problems are C004 errors pointing at wengao.toml.
    pub fn validate(&self, documents: &[String], data: &data::DataSet) -> Result<(), Diagnostic> {
        let fail = |msg: String, hint: &str| {
            Err(Diagnostic::error(Code::MatrixConfig, msg).with_path(CONFIG_FILE).with_hint(hint.to_string()))
        };
        let name = self.item_name();
        if !data::is_identifier(name) || RESERVED.contains(&name) {
            return fail(
                format!("[matrix] as = \"{name}\" cannot name a template variable"),
                "use a plain name such as \"county\" (letters, digits, `_`; not project, stats, prev, stats_prev)",
            );
        }
        if name != self.each && data.has_key(name) {
            return fail(
                format!("[matrix] as = \"{name}\" is also a data key"),
                "the item would hide that data: rename the data file or choose another `as`",
            );
        }
        if let Some(t) = &self.templates {
            for s in t {
                let want = s.trim_end_matches(DOCUMENT_EXT);
                if !documents.iter().any(|d| d.trim_end_matches(DOCUMENT_EXT) == want) {
                    return fail(
                        format!("[matrix] templates names `{s}`, which is not a document template"),
                        "list template stems such as \"experience\" for templates/experience.md.tera",
                    );
                }
            }
        }
        let pattern = self.pattern();
        let vars = placeholders(pattern).map_err(|m| {
            Diagnostic::error(Code::MatrixConfig, m)
                .with_path(CONFIG_FILE)
                .with_hint("placeholders are {key}, {stem}, {AS} and {FIELD} or {AS.FIELD} of the item")
        })?;
        if !vars.iter().any(|v| v == "key" || v == name) {
            return fail(
                format!("[matrix] output = \"{pattern}\" does not contain the item key"),
                "put {key} in the pattern (e.g. \"{key}/{stem}\") so that items do not overwrite each other",
            );
        }
        let per_item = documents.iter().filter(|d| self.applies_to(d)).count();
        if per_item > 1 && !vars.iter().any(|v| v == "stem") {
            return fail(
                format!("[matrix] output = \"{pattern}\" does not contain {{stem}}"),
                "several templates are built per item: put {stem} in the pattern so that they do not overwrite each other",
            );
        }
        // The literal parts alone must already be safe (`../{key}` is refused
        // for every item, so say it once, about the configuration).
        let probe = expand(pattern, "x", "x", name, &BTreeMap::new(), true).unwrap_or_default();
        if let Err(m) = output::check_relative(Path::new("out"), &probe) {
            return fail(
                format!("[matrix] output = \"{pattern}\": {m}"),
                "the pattern is a path inside the output folder: names joined by `/`, no `..`, no leading `/`",
            );
        }
        Ok(())
    }

    /// Whether the output pattern gives every document of `per_item`
    /// templates its own name: a path component that is the key alone
    /// (item keys are unique, and a substituted value holds no `/`) and,
    /// for several templates, one that is the stem alone.
    pub fn names_are_distinct(&self, per_item: usize) -> bool {
        let parts: Vec<&str> = self.pattern().split('/').collect();
        let whole = |v: &str| {
            parts.iter().any(|p| p.strip_prefix('{').and_then(|p| p.strip_suffix('}')).is_some_and(|x| x.trim() == v))
        };
        (whole("key") || whole(self.item_name())) && (per_item <= 1 || whole("stem"))
    }

    /// Whether the output pattern names fields of the item (beyond its key),
    /// which must then be read when the plan is made.
    pub fn needs_fields(&self) -> bool {
        let name = self.item_name();
        placeholders(self.pattern()).is_ok_and(|v| v.iter().any(|p| p != "key" && p != "stem" && p != name))
    }

    /// The output path of `item`'s document from template stem `stem`,
    /// relative to the output folder and without extension, checked to stay
    /// inside `out_dir`.
    pub fn output_for(&self, item: &Item, stem: &str, out_dir: &Path) -> Result<String, String> {
        let rel = expand(self.pattern(), &item.key, stem, self.item_name(), &item.fields, false)?;
        output::check_relative(out_dir, &rel)?;
        Ok(rel)
    }
}

/// The placeholder names in a pattern.
fn placeholders(pattern: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        if rest[..start].contains('}') {
            return Err(format!("[matrix] output = \"{pattern}\" has a `}}` without `{{`"));
        }
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(format!("[matrix] output = \"{pattern}\" has a `{{` without `}}`"));
        };
        out.push(after[..end].trim().to_string());
        rest = &after[end + 1..];
    }
    if rest.contains('}') {
        return Err(format!("[matrix] output = \"{pattern}\" has a `}}` without `{{`"));
    }
    Ok(out)
}

/// Substitute the placeholders. Each substituted value must be a safe single
/// name on its own (an item key `a/b` must not create folders). `probe`
/// substitutes "x" for fields, to check the literal parts of a pattern.
fn expand(
    pattern: &str,
    key: &str,
    stem: &str,
    name: &str,
    fields: &BTreeMap<String, String>,
    probe: bool,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find('}').ok_or_else(|| format!("unclosed `{{` in `{pattern}`"))?;
        let var = after[..end].trim();
        let field = var.strip_prefix(name).and_then(|f| f.strip_prefix('.')).unwrap_or(var);
        let value = match var {
            "key" => key.to_string(),
            "stem" => stem.to_string(),
            v if v == name => key.to_string(),
            _ if probe => "x".to_string(),
            _ => fields.get(field).cloned().ok_or_else(|| {
                format!("item `{key}` has no text or number field `{field}` for the output pattern `{pattern}`")
            })?,
        };
        output::check_name(&value)
            .map_err(|m| format!("item `{key}`: {{{var}}} gives `{}`: {m}", output::shown_name(&value)))?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str) -> Item {
        let fields = [("name".to_string(), "青溪县".to_string())].into_iter().collect();
        Item { key: key.into(), origin: data::Origin::Loaded(crate::diag::FileId(0)), fields, index: 0 }
    }

    fn cfg(output: &str) -> MatrixConfig {
        MatrixConfig {
            each: "counties".into(),
            name: Some("county".into()),
            templates: None,
            output: Some(output.into()),
        }
    }

    #[test]
    fn patterns_expand_and_stay_inside() {
        let out = Path::new("out");
        assert_eq!(cfg("{key}/{stem}").output_for(&item("qingxi"), "experience", out), Ok("qingxi/experience".into()));
        assert_eq!(cfg("{county.name}-{stem}").output_for(&item("q"), "e", out), Ok("青溪县-e".into()));
        assert_eq!(cfg("{name}/{county}").output_for(&item("q"), "e", out), Ok("青溪县/q".into()));
        assert!(cfg("{key}/{stem}").output_for(&item("a/b"), "e", out).is_err(), "a key with /");
        assert!(cfg("{key}/{stem}").output_for(&item(".."), "e", out).is_err(), "a key ..");
        assert!(cfg("../{key}").output_for(&item("a"), "e", out).is_err(), "../ in the pattern");
        assert!(cfg("{key}/{nope}").output_for(&item("a"), "e", out).is_err(), "unknown field");
    }

    #[test]
    fn distinct_names_are_known_from_the_pattern() {
        assert!(cfg("{key}/{stem}").names_are_distinct(2));
        assert!(cfg("x/{ county }/{stem}.v1").names_are_distinct(1));
        assert!(cfg("{key}").names_are_distinct(1));
        assert!(!cfg("{key}").names_are_distinct(2), "two templates, no stem");
        assert!(!cfg("{key}-{stem}").names_are_distinct(2), "a-b + c and a + b-c meet");
        assert!(!cfg("{name}/{stem}").names_are_distinct(1), "a field may repeat");
        assert!(!cfg("{key}x/{stem}").names_are_distinct(1));
    }

    #[test]
    fn bad_patterns_are_config_errors() {
        let data = data::DataSet::default();
        let docs = vec!["a.md.tera".to_string(), "b.md.tera".to_string()];
        for bad in ["../{key}/{stem}", "/{key}/{stem}", "{stem}", "{key}", "{key/{stem}", "{key}}/{stem}"] {
            assert!(cfg(bad).validate(&docs, &data).is_err(), "{bad}");
        }
        assert!(cfg("{key}/{stem}").validate(&docs, &data).is_ok());
        let mut c = cfg("{key}/{stem}");
        c.templates = Some(vec!["nope".into()]);
        assert!(c.validate(&docs, &data).is_err());
        c.name = Some("stats".into());
        assert!(c.validate(&docs, &data).is_err());
    }
}
