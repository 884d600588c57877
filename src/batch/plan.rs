//! The plan: every document of the project, in template then item order,
//! with the output names of matrix documents checked before anything renders;
//! and the names documents built once claim as they are rendered.
//!
//! A plan of N items holds no string per document: a document's id and
//! output name are made from its template and item when asked for, and
//! only the output names that are refused, and a 64-bit hash of the others,
//! are kept, so a build's memory does not grow with a string per document.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use super::items::Items;
use super::manifest::DocEntry;
use crate::diag::{Code, Diagnostic, Span};
use crate::project::{CONFIG_FILE, MatrixConfig};
use crate::template::{DOCUMENT_EXT, TemplateSet};

/// One document of the plan, made on demand.
pub(super) struct Job<'p> {
    /// Its index in the plan.
    pub(super) index: usize,
    /// Stable id (`experience`, `experience@qingxi`), also the shard and cache key.
    pub(super) id: String,
    /// Document template (`experience.md.tera`).
    pub(super) template: &'p str,
    /// Index of the matrix item in the collection.
    pub(super) item: Option<usize>,
}

/// The documents of the project.
pub(super) struct Plan<'p> {
    parts: Vec<Part<'p>>,
    items: &'p Items,
    matrix: Option<&'p MatrixConfig>,
    out_dir: &'p Path,
    len: usize,
    /// Matrix documents whose output name is refused (not a plain name, or
    /// another document's), by index.
    refused: BTreeMap<usize, Box<Diagnostic>>,
    /// The output names of the other matrix documents; None when the
    /// pattern makes them all different (`{key}/{stem}`), and nothing
    /// need be kept to find a clash between them.
    names: Option<Names>,
}

/// One document template: its documents are `first..first + count`.
struct Part<'p> {
    template: &'p str,
    first: usize,
    per_item: bool,
}

/// A set of output names → the matrix document that writes each, kept as
/// hashes. A hash found is checked against the name itself (made again
/// from the document), and a name whose hash another name already has is
/// kept whole, so the answers are exact.
struct Names {
    hash: fn(&str) -> u64,
    by_hash: HashMap<u64, usize>,
    whole: BTreeMap<String, usize>,
}

impl Names {
    fn new(hash: fn(&str) -> u64) -> Names {
        Names { hash, by_hash: HashMap::new(), whole: BTreeMap::new() }
    }

    /// The document that writes `name`; `writes(i)` says whether document
    /// `i` writes it.
    fn find(&self, name: &str, writes: impl Fn(usize) -> bool) -> Option<usize> {
        match self.by_hash.get(&(self.hash)(name)) {
            Some(&index) if writes(index) => Some(index),
            _ => self.whole.get(name).copied(),
        }
    }

    /// Record that document `index` writes `name` (not found before).
    fn claim(&mut self, name: String, index: usize) {
        match self.by_hash.entry((self.hash)(&name)) {
            Entry::Vacant(v) => {
                v.insert(index);
            }
            Entry::Occupied(_) => {
                self.whole.insert(name, index);
            }
        }
    }
}

fn name_hash(name: &str) -> u64 {
    // Fixed keys: the same on every run (the set is never iterated anyway).
    let mut h = DefaultHasher::new();
    name.hash(&mut h);
    h.finish()
}

impl<'p> Plan<'p> {
    /// Every document of the project, in template then item order.
    pub(super) fn new(
        templates: &'p TemplateSet,
        matrix: Option<&'p MatrixConfig>,
        items: &'p Items,
        out_dir: &'p Path,
    ) -> Plan<'p> {
        let mut parts = Vec::new();
        let mut len = 0;
        for name in templates.documents() {
            let per_item = matrix.is_some_and(|m| m.applies_to(name));
            parts.push(Part { template: name, first: len, per_item });
            len += if per_item { items.len() } else { 1 };
        }
        let per_item = parts.iter().filter(|p| p.per_item).count();
        let names = match matrix {
            Some(m) if m.names_are_distinct(per_item) => None,
            _ => Some(Names::new(name_hash)),
        };
        let mut plan = Plan { parts, items, matrix, out_dir, len, refused: BTreeMap::new(), names };
        for index in 0..len {
            let Some(job) = plan.job(index).filter(|j| j.item.is_some()) else { continue };
            match plan.output_for(&job) {
                Err(msg) => {
                    let d = Diagnostic::error(Code::OutputName, msg).with_path(CONFIG_FILE).with_hint(
                        "output names come from [matrix] output in wengao.toml: item keys and fields used there \
                         must be plain names (no `/`, `\\`, leading dot)",
                    );
                    plan.refused.insert(index, Box::new(d));
                }
                // Different by construction: nothing to check or keep.
                Ok(_) if plan.names.is_none() => {}
                Ok(rel) => match plan.writer_of(&rel) {
                    Some(other) => {
                        let other = plan.job(other).map(|j| j.id).unwrap_or_default();
                        let d = Diagnostic::error(
                            Code::OutputClash,
                            format!("`{other}` and `{}` both write `{rel}`", job.id),
                        )
                        .with_path(CONFIG_FILE)
                        .with_hint("put {key} and {stem} in [matrix] output so that every document has its own name");
                        plan.refused.insert(index, Box::new(d));
                    }
                    None => {
                        if let Some(n) = &mut plan.names {
                            n.claim(rel, index);
                        }
                    }
                },
            }
        }
        plan
    }

    /// How many documents.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The template part document `index` belongs to.
    fn part(&self, index: usize) -> Option<&Part<'p>> {
        self.parts.iter().take_while(|p| p.first <= index).last().filter(|_| index < self.len)
    }

    /// Document `index`.
    pub(super) fn job(&self, index: usize) -> Option<Job<'p>> {
        let part = self.part(index)?;
        let stem = part.template.trim_end_matches(DOCUMENT_EXT);
        if !part.per_item {
            return (index == part.first).then(|| Job {
                index,
                id: stem.to_string(),
                template: part.template,
                item: None,
            });
        }
        let i = index - part.first;
        let key = self.items.key(i)?;
        Some(Job { index, id: format!("{stem}@{key}"), template: part.template, item: Some(i) })
    }

    /// Whether document `index` is built per item.
    pub(super) fn per_item(&self, index: usize) -> bool {
        self.part(index).is_some_and(|p| p.per_item)
    }

    /// The id of document `index` (empty past the end).
    pub(super) fn id(&self, index: usize) -> String {
        self.job(index).map(|j| j.id).unwrap_or_default()
    }

    /// A matrix document's output path, without extension and relative to
    /// the output folder, or why it has none; None for a document built once.
    pub(super) fn rel(&self, job: &Job<'_>) -> Option<Result<String, Box<Diagnostic>>> {
        job.item?;
        Some(match self.refused.get(&job.index) {
            Some(d) => Err(d.clone()),
            None => self.output_for(job).map_err(|m| Box::new(Diagnostic::internal(m))),
        })
    }

    /// The matrix document that writes `rel` (an output path without extension).
    pub(super) fn writer_of(&self, rel: &str) -> Option<usize> {
        let writes = |i: usize| {
            !self.refused.contains_key(&i) && self.job(i).is_some_and(|j| self.output_for(&j).is_ok_and(|r| r == rel))
        };
        match &self.names {
            Some(names) => names.find(rel, writes),
            // Asked once per document built once: looking is cheaper than
            // keeping a name per matrix document.
            None => (0..self.len).filter(|&i| self.per_item(i)).find(|&i| writes(i)),
        }
    }

    fn output_for(&self, job: &Job<'_>) -> Result<String, String> {
        let (Some(m), Some(item)) = (self.matrix, job.item.and_then(|i| self.items.get(i))) else {
            return Err(format!("document `{}` is not built per item", job.id));
        };
        m.output_for(&item, job.template.trim_end_matches(DOCUMENT_EXT), self.out_dir)
    }
}

/// The output names of the documents built once, claimed one after the
/// other in plan order as they are rendered (a name comes from front
/// matter): a name another document built once claimed before, or a matrix
/// document's, is refused, the same way on every run.
pub(super) struct OnceNames<'a, 'p> {
    plan: &'a Plan<'p>,
    /// Name (an output path without extension) → the template that claimed it.
    claimed: BTreeMap<String, String>,
}

impl<'a, 'p> OnceNames<'a, 'p> {
    /// Nothing claimed yet; the matrix documents' names are the plan's.
    pub(super) fn new(plan: &'a Plan<'p>) -> Self {
        OnceNames { plan, claimed: BTreeMap::new() }
    }

    /// Who writes `name` already: a template built once, or a matrix document (its id).
    fn holder(&self, name: &str) -> Option<String> {
        self.claimed.get(name).cloned().or_else(|| self.plan.writer_of(name).map(|i| self.plan.id(i)))
    }

    /// An unchanged document keeps the names it wrote (`entry`, from the
    /// cache), unless one of them has been claimed meanwhile: then it must
    /// be rendered again, so that the clash is reported as a full build
    /// would report it.
    pub(super) fn keep(&mut self, entry: &DocEntry, template: &str) -> bool {
        let names: Vec<&str> =
            entry.outputs.iter().map(|o| o.path.rsplit_once('.').map_or(o.path.as_str(), |(stem, _)| stem)).collect();
        if names.iter().any(|n| self.holder(n).is_some()) {
            return false;
        }
        for n in names {
            self.claimed.insert(n.to_string(), template.to_string());
        }
        true
    }

    /// Claim `name` for `template` (`at` is the template): refused if it is
    /// not a plain file name or another document writes it.
    pub(super) fn claim(&mut self, name: &str, template: &str, at: Option<Span>) -> Result<(), Diagnostic> {
        if let Err(msg) = crate::output::check_name(name) {
            return Err(Diagnostic::error(Code::OutputName, msg)
                .with_span_opt(at)
                .with_hint("rename the template, or set a plain file name with `output:` in its front matter"));
        }
        if let Some(other) = self.holder(name) {
            return Err(Diagnostic::error(
                Code::OutputClash,
                format!("templates `{other}` and `{template}` both write `{name}`"),
            )
            .with_span_opt(at)
            .with_hint("give one of them a different `output:` name in its front matter"));
        }
        self.claimed.insert(name.to_string(), template.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_exact_when_hashes_meet() {
        // Every name under one hash: what is found must still be exact.
        let written = ["a/x", "b/x", "c/x"];
        let mut names = Names::new(|_| 7);
        for (i, n) in written.iter().enumerate() {
            assert_eq!(names.find(n, |j| written[j] == *n), None, "{n} is new");
            names.claim(n.to_string(), i);
        }
        for (i, n) in written.iter().enumerate() {
            assert_eq!(names.find(n, |j| written[j] == *n), Some(i), "{n}");
        }
        assert_eq!(names.find("d/x", |j| written[j] == "d/x"), None);
        // One name per hash: nothing is kept whole.
        let mut names = Names::new(name_hash);
        for (i, n) in written.iter().enumerate() {
            names.claim(n.to_string(), i);
        }
        assert!(names.whole.is_empty());
        assert_eq!(names.find("b/x", |j| written[j] == "b/x"), Some(1));
        assert_eq!(name_hash("a/x"), name_hash("a/x"), "fixed keys");
    }
}
