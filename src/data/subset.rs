//! Per-item views of the data, for documents built once per item of a
//! collection (`[matrix]` in wengao.toml, see docs/matrix.md).
//!
//! A collection is a top-level data key: a folder (`data/counties/*.yaml`,
//! one file per item, the stem is the key) or a list of mappings each with a
//! `key` field. An item's view is the data without the collection, plus the
//! item under the name the matrix gives it, so a document sees its own item
//! and the shared files but never the other items (which is what lets the
//! build cache know exactly which files a document depends on).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::PathBuf;
use std::sync::Arc;

use super::yaml::{Located, Node};
use super::{DataSet, Entry};
use crate::diag::{Code, Diagnostic, Diags, FileId, Sources};

/// Where an item's data is.
#[derive(Debug, Clone)]
pub enum Origin {
    /// Loaded with the rest of the data (a list in one file): its file.
    Loaded(FileId),
    /// A file of a folder collection, read only when its document is built.
    File(ItemFile),
}

/// A folder collection's item file, not loaded yet: `<folder>/<key>.yaml`.
/// Nothing of it is read when the plan is made (its digest, for the build
/// cache, is taken by the worker that reads it), and what is kept per item
/// is a few bytes: a build of many items holds no path or hash per item.
#[derive(Debug, Clone)]
pub struct ItemFile {
    /// The collection's folder, shared by its items.
    pub folder: Arc<ItemFolder>,
    /// The file's name, when it is not the key plus `.yaml` or `.yml`.
    name: FileName,
}

/// The folder of a folder collection.
#[derive(Debug)]
pub struct ItemFolder {
    /// The folder to read.
    pub path: PathBuf,
    /// Its path as shown: relative to the project root, `/`-separated.
    pub shown: String,
    /// How its files are encoded (wengao.toml's `encoding`).
    pub encoding: crate::textfile::Encoding,
}

#[derive(Debug, Clone)]
enum FileName {
    Yaml,
    Yml,
    /// Any other name (`a.yaml.yml`, a name that is not UTF-8).
    Other(Box<OsStr>),
}

impl ItemFile {
    /// The file `name` (in `folder`) of the item `key`.
    pub fn new(folder: Arc<ItemFolder>, key: &str, name: &OsStr) -> ItemFile {
        let name = match name.to_str().and_then(|n| n.strip_prefix(key)) {
            Some(".yaml") => FileName::Yaml,
            Some(".yml") => FileName::Yml,
            _ => FileName::Other(name.into()),
        };
        ItemFile { folder, name }
    }

    /// The file `<key>.yaml` in `folder`.
    pub fn with_default_name(folder: Arc<ItemFolder>) -> ItemFile {
        ItemFile { folder, name: FileName::Yaml }
    }

    /// Whether the file is named `<key>.yaml`.
    pub fn is_default_name(&self) -> bool {
        matches!(self.name, FileName::Yaml)
    }

    fn name(&self, key: &str) -> Cow<'_, OsStr> {
        match &self.name {
            FileName::Yaml => Cow::Owned(format!("{key}.yaml").into()),
            FileName::Yml => Cow::Owned(format!("{key}.yml").into()),
            FileName::Other(n) => Cow::Borrowed(n),
        }
    }

    /// The file of the item `key` (this file's item).
    pub fn path(&self, key: &str) -> PathBuf {
        self.folder.path.join(self.name(key))
    }

    /// Its path as shown.
    pub fn shown(&self, key: &str) -> String {
        format!("{}/{}", self.folder.shown, self.name(key).to_string_lossy())
    }
}

/// One item of a collection.
#[derive(Debug, Clone)]
pub struct Item {
    /// The item key: the file stem, or the list entry's `key`.
    pub key: String,
    /// Where the item's data is.
    pub origin: Origin,
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
                items.push(Item { key: key.clone(), origin: Origin::Loaded(child.file), fields, index });
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
                items.push(Item { key, origin: Origin::Loaded(entry.file), fields: scalar_fields(v), index });
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
        let Origin::Loaded(file) = &item.origin else { return None };
        let file = *file;
        root.insert(name.to_string(), Entry { value, file, children: BTreeMap::new(), folder: false });
        let mut set = DataSet { root, nulls: Vec::new() };
        set.collect_nulls(sources);
        Some(set)
    }

    /// This data (without the collection) plus an item read on its own,
    /// under `name`.
    pub fn with_item(&self, name: &str, value: Located, file: FileId, sources: &Sources) -> DataSet {
        let mut root = self.root.clone();
        root.insert(name.to_string(), Entry { value, file, children: BTreeMap::new(), folder: false });
        let mut set = DataSet { root, nulls: Vec::new() };
        set.collect_nulls(sources);
        set
    }

    /// The summary view of a loaded collection `each` for documents built
    /// once (see `summary`): a map key → summary for a folder, a list for a
    /// list. None when there is no such collection.
    pub fn collection_summary(&self, each: &str) -> Option<serde_json::Value> {
        let entry = self.root.get(each)?;
        if entry.folder {
            let m = entry.children.iter().filter(|(_, c)| !c.folder).map(|(k, c)| (k.clone(), summary(&c.value)));
            Some(serde_json::Value::Object(m.collect()))
        } else {
            Some(summary(&entry.value))
        }
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

/// What a document built once sees of a matrix item: its mappings and
/// scalars, and lists of scalars, in full; a list holding mappings or lists
/// (records such as `proposals`) becomes as many nulls, so that `| length`
/// still counts them. An item's records are most of its bytes,
/// and keeping every item's whole data for one overview would make memory
/// grow with the number of items (docs/matrix.md).
pub fn summary(v: &Located) -> serde_json::Value {
    use serde_json::Value;
    match &v.node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => Value::from(*i),
        Node::Float(f) => Value::from(*f),
        Node::Str(t) => Value::String(t.clone()),
        Node::Map(entries) => Value::Object(
            entries
                .iter()
                .filter(|(_, v)| v.node != Node::Null)
                .map(|(k, v)| (k.key_text().unwrap_or_default(), summary(v)))
                .collect(),
        ),
        Node::Seq(items) if items.iter().all(|i| !matches!(i.node, Node::Map(_) | Node::Seq(_))) => {
            Value::Array(items.iter().map(summary).collect())
        }
        // Nulls, not empty mappings: a null costs nothing beyond its slot,
        // an empty mapping is an allocation in the template engine.
        Node::Seq(items) => Value::Array(vec![Value::Null; items.len()]),
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

/// Top-level text and number fields of an item, for output names.
pub fn scalar_fields(v: &Located) -> BTreeMap<String, String> {
    match &v.node {
        Node::Map(entries) => {
            entries.iter().filter_map(|(k, v)| Some((k.key_text()?, scalar_text(v)?))).collect::<BTreeMap<_, _>>()
        }
        _ => BTreeMap::new(),
    }
}
