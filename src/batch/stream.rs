//! A folder collection (`data/counties/*.yaml`) read one item at a time.
//!
//! The plan needs only each item's key (its file stem) and, for the cache,
//! a hash of its bytes; the item's data is parsed by the worker that builds
//! its document and dropped with it. So a build holds the shared data plus
//! the items in flight (one per worker), whatever the number of items.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::sha256_hex;
use super::items::{FolderItems, Items};
use crate::data::yaml::{self, Located};
use crate::data::{self, ItemFile, ItemFolder, Origin};
use crate::diag::{Code, Diagnostic, Diags, FileId, Sources};
use crate::limits::Limits;
use crate::project::MatrixConfig;
use crate::textfile::Encoding;

/// The items of the folder `dir` (`data/<each>`), in key order. A
/// sub-folder holding data files is an error (C005) for the whole build:
/// its files would not be items, and building without them would leave
/// counties out in silence; two files with one stem (`a.yaml`, `a.yml`)
/// fail the second one alone (the second list).
pub(super) fn scan(
    dir: &Path,
    root: &Path,
    m: &MatrixConfig,
    limits: &Limits,
    encoding: Encoding,
) -> Result<(Items, Diags), Diags> {
    let mut errors = Diags::new();
    let mut later = Diags::new();
    let shown_dir = show(dir.strip_prefix(root).unwrap_or(dir));
    let folder = Arc::new(ItemFolder { path: dir.to_path_buf(), shown: shown_dir.clone(), encoding });
    let mut by_key: BTreeMap<String, ItemFile> = BTreeMap::new();
    let entries = walkdir::WalkDir::new(dir).min_depth(1).max_depth(1).sort_by_file_name();
    for e in entries.into_iter() {
        let e = match e {
            Ok(e) => e,
            Err(e) => {
                errors.push(
                    Diagnostic::error(Code::DataRead, format!("cannot list data folder: {e}"))
                        .with_path(e.path().map_or_else(|| dir.to_path_buf(), Path::to_path_buf))
                        .with_hint("check that data/ and its sub-folders are readable"),
                );
                continue;
            }
        };
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let shown = show(p.strip_prefix(root).unwrap_or(p));
        if e.file_type().is_dir() {
            let has_data = walkdir::WalkDir::new(p).into_iter().filter_map(Result::ok).any(|f| {
                f.file_type().is_file()
                    && data::is_yaml(f.path())
                    && !f.path().strip_prefix(p).is_ok_and(data::is_hidden)
            });
            if has_data {
                errors.push(
                    Diagnostic::error(Code::MatrixCollection, format!("`{}/{name}/` is a folder, not an item", m.each))
                        .with_path(shown)
                        .with_hint("a folder collection holds one YAML file per item; move sub-folders out of it"),
                );
            }
            continue;
        }
        if e.path_is_symlink() {
            // As for the rest of data/: followed if it stays in the project.
            match (p.canonicalize(), root.canonicalize()) {
                (Ok(real), Ok(root_real)) if real.starts_with(&root_real) && real.is_file() => {}
                (Ok(real), _) if real.is_dir() => continue,
                _ => {
                    later.push(data::link_out(Path::new(&shown)));
                    continue;
                }
            }
        } else if !e.file_type().is_file() {
            continue;
        }
        if !data::is_yaml(p) {
            later.push(data::skipped_file(Path::new(&shown)));
            continue;
        }
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let key = stem.strip_suffix(".yaml").or_else(|| stem.strip_suffix(".yml")).unwrap_or(&stem).to_string();
        if let Some(first) = by_key.get(&key) {
            later.push(
                Diagnostic::error(
                    Code::DataKeyConflict,
                    format!("data key `{key}` is defined twice: in {} and in {shown}", first.shown(&key)),
                )
                .with_path(shown.clone())
                .with_hint("rename one of the files or keys, or merge them into one file"),
            );
            continue;
        }
        let file = ItemFile::new(folder.clone(), &key, e.file_name());
        by_key.insert(key, file);
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let needs_fields = m.needs_fields();
    let mut items = FolderItems::new(folder);
    for (key, f) in by_key {
        // Output names use fields of the item: read it now (and drop it);
        // a file that does not parse is reported by its worker.
        let fields = needs_fields.then(|| {
            let mut scratch = Sources::new();
            read(&f, &key, limits)
                .and_then(|(text, _, _)| parse(&f, &key, text, &mut scratch, limits))
                .map(|(_, v)| data::scalar_fields(&v))
                .unwrap_or_default()
        });
        if items.push(&key, f, fields).is_none() {
            return Err(Diagnostic::error(Code::MatrixCollection, "the item keys of the collection are too long")
                .with_path(shown_dir)
                .with_hint("the keys of a folder collection are file names: together they must stay under 4 GiB")
                .into());
        }
    }
    Ok((Items::Folder(items), later))
}

fn show(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Read one item's file in the project's encoding: its text, the digest
/// of the text (for the build cache), and, under `encoding = "auto"`, the
/// warning that it was read as GB18030.
pub(super) fn read(
    f: &ItemFile,
    key: &str,
    limits: &Limits,
) -> Result<(String, String, Option<Diagnostic>), Diagnostic> {
    let shown = f.shown(key);
    let (text, warning) = crate::textfile::read_text_encoded(
        &f.path(key),
        Path::new(&shown),
        Code::DataRead,
        limits.file_bytes(),
        f.folder.encoding,
    )?;
    let digest = sha256_hex(text.as_bytes());
    Ok((text, digest, warning))
}

/// The digest `read` gives, or an empty one for a file that cannot be read
/// (its document fails, whatever the key).
pub(super) fn digest(f: &ItemFile, key: &str, limits: &Limits) -> String {
    read(f, key, limits).map(|(_, d, _)| d).unwrap_or_default()
}

/// Register (in `sources`) and parse one item's file, read by `read`.
pub(super) fn parse(
    f: &ItemFile,
    key: &str,
    text: String,
    sources: &mut Sources,
    limits: &Limits,
) -> Result<(FileId, Located), Diagnostic> {
    let (file, value) = data::parse_yaml_text(text, Path::new(&f.shown(key)), sources, limits)?;
    Ok((file, data::unwrap_single_key(value, key)))
}

/// The summary view of every item (`data::summary`, made while parsing by
/// `yaml::parse_summary`), key → summary, read in parallel one item at a time, each converted to a template value at
/// once (one copy of the summaries, not two). Items that do not load are
/// left out (their own documents report why).
pub(super) fn summaries(items: &Items, limits: &Limits) -> tera::Value {
    let each: Vec<(String, tera::Value)> = (0..items.len())
        .into_par_iter()
        .map_init(Interned::default, |interned, i| {
            let it = items.get(i)?;
            let Origin::File(f) = &it.origin else { return None };
            let (text, _, _) = read(f, &it.key, limits).ok()?;
            let v = yaml::parse_summary(&text, &it.key, limits)?;
            Some((it.key.clone(), interned.value(v)))
        })
        .flatten()
        .collect();
    tera::Value::from(each.into_iter().collect::<BTreeMap<String, tera::Value>>())
}

/// Template values of summaries that share what repeats from item to item:
/// the keys of their mappings, and the lists of nulls that stand for
/// records (`data::summary`), one per length. A template value's lists,
/// mappings and long strings are reference-counted, so a shared one costs
/// nothing per item, where copies would make an overview of a thousand
/// items hold a thousand copies of the same keys.
#[derive(Default)]
pub(super) struct Interned {
    keys: HashMap<String, Arc<str>>,
    nulls: HashMap<usize, tera::Value>,
}

impl Interned {
    /// `v` as a template value (as `tera::Value::from_serializable` makes it).
    pub(super) fn value(&mut self, v: serde_json::Value) -> tera::Value {
        use serde_json::Value as J;
        match v {
            J::Null => tera::Value::none(),
            J::Bool(b) => tera::Value::from(b),
            J::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => tera::Value::from(u),
                (None, Some(i), _) => tera::Value::from(i),
                (None, None, Some(f)) => tera::Value::from(f),
                (None, None, None) => tera::Value::from_serializable(&n),
            },
            J::String(s) => tera::Value::from(s),
            J::Array(a) if !a.is_empty() && a.iter().all(J::is_null) => self
                .nulls
                .entry(a.len())
                .or_insert_with(|| tera::Value::from(vec![tera::Value::none(); a.len()]))
                .clone(),
            J::Array(a) => tera::Value::from(a.into_iter().map(|x| self.value(x)).collect::<Vec<_>>()),
            J::Object(o) => {
                let mut map = tera::Map::with_capacity(o.len());
                for (k, x) in o {
                    let key = self.keys.entry(k).or_insert_with_key(|k| Arc::from(k.as_str())).clone();
                    map.insert(tera::value::Key::String(key), self.value(x));
                }
                tera::Value::from(map)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interned_values_are_the_values_tera_makes() {
        let v = serde_json::json!({
            "name": "安城县", "population": 353825, "share": 0.25, "debt": -3, "big": 18446744073709551615u64,
            "ok": true, "none": null, "meetings": [null, null, null], "proposals": [null, null, null],
            "tags": ["a", "b"], "empty": [], "leaders": {"party_secretary": "段强"},
            "long": "这是一个超过二十一个字节的很长很长的字符串",
        });
        let mut interned = Interned::default();
        let made = interned.value(v.clone());
        assert_eq!(made, tera::Value::from_serializable(&v));
        // And again, sharing what the first made.
        assert_eq!(interned.value(v.clone()), tera::Value::from_serializable(&v));
        assert_eq!(interned.nulls.len(), 1, "one list of three nulls, shared");
        assert!(interned.keys.contains_key("party_secretary"));
    }
}
