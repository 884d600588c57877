//! The plan: every document of the project, in template then item order,
//! with the output names of matrix documents fixed before anything renders.

use std::collections::BTreeMap;
use std::path::Path;

use super::matrix::MatrixConfig;
use crate::data::Item;
use crate::diag::{Code, Diagnostic};
use crate::project::CONFIG_FILE;
use crate::template::{DOCUMENT_EXT, TemplateSet};

/// One document of the plan.
pub(super) struct Job {
    /// Stable id, also the shard and cache key.
    pub(super) id: String,
    /// Document template (`experience.md.tera`).
    pub(super) template: String,
    /// Index of the matrix item in `items`.
    pub(super) item: Option<usize>,
    /// Matrix documents: output path without extension, relative to the
    /// output folder, or why the item cannot have one.
    pub(super) rel: Option<Result<String, Box<Diagnostic>>>,
}

/// Every document of the project, in template then item order.
pub(super) fn plan(templates: &TemplateSet, matrix: Option<&MatrixConfig>, items: &[Item], out_dir: &Path) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for name in templates.documents() {
        let stem = name.trim_end_matches(DOCUMENT_EXT);
        match matrix.filter(|m| m.applies_to(name)) {
            None => jobs.push(Job { id: stem.to_string(), template: name.clone(), item: None, rel: None }),
            Some(m) => {
                for (i, item) in items.iter().enumerate() {
                    let id = format!("{stem}@{}", item.key);
                    let rel = m
                        .output_for(item, stem, out_dir)
                        .map_err(|msg| {
                            Diagnostic::error(Code::OutputName, msg).with_path(CONFIG_FILE).with_hint(
                                "output names come from [matrix] output in wengao.toml: item keys and fields used \
                                 there must be plain names (no `/`, `\\`, leading dot)",
                            )
                        })
                        .and_then(|rel| match names.get(&rel) {
                            Some(other) => Err(Diagnostic::error(
                                Code::OutputClash,
                                format!("`{other}` and `{id}` both write `{rel}`"),
                            )
                            .with_path(CONFIG_FILE)
                            .with_hint(
                                "put {key} and {stem} in [matrix] output so that every document has its own name",
                            )),
                            None => Ok(rel),
                        });
                    if let Ok(r) = &rel {
                        names.insert(r.clone(), id.clone());
                    }
                    jobs.push(Job { id, template: name.clone(), item: Some(i), rel: Some(rel.map_err(Box::new)) });
                }
            }
        }
    }
    jobs
}
