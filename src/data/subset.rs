//! Per-item views of the data, for documents built once per item of a
//! collection (`[matrix]` in wengao.toml, see docs/matrix.md).
//!
//! A collection is a top-level data key: a folder (`data/counties/*.yaml`,
//! one file per item, the stem is the key) or a list of mappings each with a
//! `key` field. An item's view is the data without the collection, plus the
//! item under the name the matrix gives it, so a document sees its own item
//! and the shared files but never the other items (which is what lets the
//! build cache know exactly which files a document depends on).

use std::collections::BTreeMap;

use super::yaml::{Located, Node};
use super::{DataSet, Entry};
use crate::diag::{Code, Diagnostic, Diags, FileId, Sources};

/// One item of a collection.
#[derive(Debug, Clone)]
pub struct Item {
    /// The item key: the file stem, or the list entry's `key`.
    pub key: String,
    /// The file the item's data is in.
    pub file: FileId,
    /// Top-level text and number fields of the item, for output names.
    pub fields: BTreeMap<String, String>,
    /// Position in the collection.
    pub(crate) index: usize,
}

impl DataSet {
    /// The items of the collection `each`, in key order for a folder and in
    /// list order for a list. Problems (a missing key, a duplicate key, a
    /// value that is not a mapping) are errors.
    pub fn collection(&self, each: &str, sources: &Sources) -> Result<Vec<Item>, Diags> {
        let Some(entry) = self.root.get(each) else {
            return Err(Diagnostic::error(Code::MatrixCollection, format!("the matrix collection `{each}` is not in the data"))
                .with_path(crate::project::CONFIG_FILE)
                .with_hint(format!("create data/{each}/ with one YAML file per item, or a data file holding a list `{each}:` of mappings with a `key`"))
                .into());
        };
        let mut diags = Diags::new();
        let mut items = Vec::new();
        if entry.folder {
            for (index, (key, child)) in entry.children.iter().enumerate() {
                if child.folder {
                    diags.push(
                        Diagnostic::error(Code::MatrixCollection, format!("`{each}/{key}/` is a folder, not an item"))
                            .with_path(format!("data/{each}/{key}"))
                            .with_hint("a folder collection holds one YAML file per item; move sub-folders out of it"),
                    );
                    continue;
                }
                let fields = scalar_fields(&child.value);
                items.push(Item { key: key.clone(), file: child.file, fields, index });
            }
        } else if let Node::Seq(list) = &entry.value.node {
            for (index, v) in list.iter().enumerate() {
                let key = match &v.node {
                    Node::Map(entries) => entries
                        .iter()
                        .find(|(k, _)| k.key_text().as_deref() == Some("key"))
                        .and_then(|(_, v)| scalar_text(v)),
                    _ => None,
                };
                let Some(key) = key else {
                    diags.push(
                        Diagnostic::error(
                            Code::MatrixCollection,
                            format!("item {} of `{each}` has no `key`", index + 1),
                        )
                        .with_span(v.span(sources, entry.file))
                        .with_hint(
                            "each item of a matrix list is a mapping with a `key: …` naming it (used in output names)",
                        ),
                    );
                    continue;
                };
                items.push(Item { key, file: entry.file, fields: scalar_fields(v), index });
            }
        } else {
            diags.push(
                Diagnostic::error(
                    Code::MatrixCollection,
                    format!("the matrix collection `{each}` is neither a folder nor a list"),
                )
                .with_span(entry.value.span(sources, entry.file))
                .with_hint(format!(
                    "use data/{each}/ with one file per item, or a list `{each}:` of mappings with a `key`"
                )),
            );
        }
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for it in &items {
            if let Some(first) = seen.insert(&it.key, it.index) {
                diags.push(
                    Diagnostic::error(
                        Code::MatrixCollection,
                        format!("items {} and {} of `{each}` have the same key `{}`", first + 1, it.index + 1, it.key),
                    )
                    .with_span_opt(list_item(entry, it.index).map(|v| v.span(sources, entry.file)))
                    .with_hint("give every item its own `key`"),
                );
            }
        }
        if diags.has_errors() { Err(diags) } else { Ok(items) }
    }

    /// The data without the collection `each`.
    pub fn without(&self, each: &str, sources: &Sources) -> DataSet {
        // Clone only what stays: the collection may be most of the data.
        let root = self.root.iter().filter(|(k, _)| k.as_str() != each).map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut set = DataSet { root, nulls: Vec::new() };
        set.collect_nulls(sources);
        set
    }

    /// The data an item's document sees: everything but the collection, plus
    /// the item under `name`. None when `item` is not of `each`.
    pub fn for_item(&self, each: &str, item: &Item, name: &str, sources: &Sources) -> Option<DataSet> {
        let entry = self.root.get(each)?;
        let value = if entry.folder {
            entry.children.get(&item.key)?.value.clone()
        } else {
            list_item(entry, item.index)?.clone()
        };
        let mut root: BTreeMap<String, Entry> =
            self.root.iter().filter(|(k, _)| k.as_str() != each).map(|(k, v)| (k.clone(), v.clone())).collect();
        root.insert(name.to_string(), Entry { value, file: item.file, children: BTreeMap::new(), folder: false });
        let mut set = DataSet { root, nulls: Vec::new() };
        set.collect_nulls(sources);
        Some(set)
    }

    /// Whether the top-level key `key` exists.
    pub fn has_key(&self, key: &str) -> bool {
        self.root.contains_key(key)
    }

    /// Every data file, with whether it belongs to the collection `each`
    /// (is inside its folder, or is the file holding its list).
    pub fn files(&self, each: Option<&str>) -> Vec<(FileId, bool)> {
        self.file_values()
            .into_iter()
            .map(|(path, _, file)| (file, each.is_some_and(|e| path.first().is_some_and(|p| p == e))))
            .collect()
    }
}

fn list_item(entry: &Entry, index: usize) -> Option<&Located> {
    match &entry.value.node {
        Node::Seq(list) => list.get(index),
        _ => None,
    }
}

fn scalar_text(v: &Located) -> Option<String> {
    match &v.node {
        Node::Str(s) => Some(s.clone()),
        Node::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

fn scalar_fields(v: &Located) -> BTreeMap<String, String> {
    match &v.node {
        Node::Map(entries) => {
            entries.iter().filter_map(|(k, v)| Some((k.key_text()?, scalar_text(v)?))).collect::<BTreeMap<_, _>>()
        }
        _ => BTreeMap::new(),
    }
}
