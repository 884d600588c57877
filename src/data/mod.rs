//! Data: every YAML file and spreadsheet under `data/` becomes part of the
//! template context.
//!
//! First stage of the pipeline. Files are found with walkdir in a stable
//! order, parsed with positions (`yaml`; `sheet` for .xlsx and .csv, whose
//! cells become the same `Located` values), placed under their file stem
//! (sub-folders nest; a file holding a single key equal to its stem is
//! unwrapped) and checked for conflicts. Null values are left out of the
//! context so that printing one fails in the template, and remembered here so
//! that the error can name the YAML line. Nothing here renders or writes.

pub mod records;
pub mod sheet;
mod subset;
pub mod yaml;

pub use subset::{Item, ItemFile, ItemFolder, Origin, scalar_fields, summary};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::diag::{Code, Diagnostic, Diags, FileId, Sources, Span};
use crate::limits::Limits;
use crate::textfile::Encoding;
use yaml::{Located, Node};

/// A null found in the data: where it is and under which key.
#[derive(Debug, Clone)]
pub struct NullSite {
    /// Dotted path of the value (`proposals[3].satisfaction`).
    pub path: String,
    /// The last key of the path (`satisfaction`), as a template error names it.
    pub key: String,
    /// Where the key is.
    pub span: Span,
}

/// One entry of the merged context with the file it came from.
#[derive(Debug, Clone)]
struct Entry {
    value: Located,
    file: FileId,
    /// Sub-keys from nested folders.
    children: BTreeMap<String, Entry>,
    /// Whether this entry is a folder (children) rather than a file value.
    folder: bool,
}

impl Entry {
    fn is_null(&self) -> bool {
        !self.folder && self.value.node == Node::Null
    }
}

/// What a null inside a list becomes in the template context. A null in a
/// mapping is left out, so printing it fails at the template line; an item
/// of a list cannot be left out without moving the others, so it is this
/// private-use character, which the pipeline finds in the rendered text and
/// reports as a null (D005) at the line that printed it.
pub const NULL_MARK: char = '\u{F8F2}';

/// All data, ready to become a template context.
#[derive(Debug, Clone, Default)]
pub struct DataSet {
    root: BTreeMap<String, Entry>,
    /// Every null value, for template error messages.
    pub nulls: Vec<NullSite>,
}

/// Is `s` usable as a bare Tera variable name?
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl DataSet {
    /// Load every `*.yaml` / `*.yml` under `dir`. `shown_base` is the folder
    /// paths are shown relative to (the project root). Returns all problems.
    pub fn load_dir(dir: &Path, shown_base: &Path, sources: &mut Sources) -> (DataSet, Diags) {
        Self::load_dir_limited(dir, shown_base, sources, &Limits::default())
    }

    /// `load_dir` with the file-size and YAML bounds of `limits`.
    pub fn load_dir_limited(dir: &Path, shown_base: &Path, sources: &mut Sources, limits: &Limits) -> (DataSet, Diags) {
        Self::load_dir_except(dir, shown_base, sources, limits, None)
    }

    /// `load_dir_limited` leaving out the sub-folder `skip` (a matrix
    /// collection whose items are read one at a time by the batch build,
    /// so that they are never all in memory together).
    pub fn load_dir_except(
        dir: &Path,
        shown_base: &Path,
        sources: &mut Sources,
        limits: &Limits,
        skip: Option<&str>,
    ) -> (DataSet, Diags) {
        Self::load_dir_encoded(dir, shown_base, sources, limits, skip, Encoding::Utf8)
    }

    /// `load_dir_except` reading text in the project's `encoding`.
    pub fn load_dir_encoded(
        dir: &Path,
        shown_base: &Path,
        sources: &mut Sources,
        limits: &Limits,
        skip: Option<&str>,
        encoding: Encoding,
    ) -> (DataSet, Diags) {
        let mut set = DataSet::default();
        let mut diags = Diags::new();
        // A project without data/ is fine: its templates just use no data.
        if !dir.exists() {
            return (set, diags);
        }
        let mut files: Vec<PathBuf> = Vec::new();
        let project_real = shown_base.canonicalize().unwrap_or_else(|_| shown_base.to_path_buf());
        for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() || e.path_is_symlink() => {
                    let p = e.path();
                    // `~$proposals.xlsx` is the lock file Excel and WPS keep
                    // beside a workbook while it is open: not data.
                    let lock = p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("~$"));
                    let hidden = p.strip_prefix(dir).ok().is_some_and(is_hidden) || lock;
                    let skipped = skip
                        .is_some_and(|k| p.strip_prefix(dir.join(k)).is_ok_and(|r| r.components().next().is_some()));
                    if hidden || skipped {
                        continue;
                    }
                    let shown = p.strip_prefix(shown_base).unwrap_or(p);
                    if e.path_is_symlink() {
                        match p.canonicalize() {
                            Ok(real) if real.is_dir() => continue,
                            Ok(real) if real.starts_with(&project_real) && real.is_file() => {}
                            _ => {
                                diags.push(link_out(shown));
                                continue;
                            }
                        }
                    }
                    if is_yaml(p) || sheet::is_sheet(p) {
                        files.push(p.to_path_buf());
                    } else {
                        diags.push(skipped_file(shown));
                    }
                }
                Ok(_) => {}
                Err(e) => diags.push(
                    Diagnostic::error(Code::DataRead, format!("cannot list data folder: {e}"))
                        .with_path(e.path().map_or_else(|| dir.to_path_buf(), Path::to_path_buf))
                        .with_hint("check that data/ and its sub-folders are readable"),
                ),
            }
        }
        for path in files {
            let shown = path.strip_prefix(shown_base).unwrap_or(&path).to_path_buf();
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let loaded = if sheet::is_sheet(&path) {
                sheet::load(&path, &shown, &stem, sources, limits, encoding).map(|(file, value, found)| {
                    diags.extend(found);
                    (file, value)
                })
            } else {
                load_yaml_encoded(&path, &shown, sources, limits, encoding).map(|(file, value, warning)| {
                    diags.0.extend(warning);
                    (file, value)
                })
            };
            let (file, value) = match loaded {
                Ok(v) => v,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            let mut keys: Vec<String> = rel
                .parent()
                .into_iter()
                .flat_map(|p| p.components())
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let stem = stem.strip_suffix(".yaml").or_else(|| stem.strip_suffix(".yml")).unwrap_or(&stem).to_string();
            // The key is the stem whatever the extension's case (`County.YAML` → County).
            keys.push(stem.clone());
            let value = unwrap_single_key(value, &stem);
            set.insert(&keys, value, file, sources, &mut diags);
        }
        set.collect_nulls(sources);
        (set, diags)
    }

    /// Merge the top-level mapping of each file into the root (`render --data`);
    /// a spreadsheet's records go under its stem (`proposals.xlsx` →
    /// `proposals`). A key defined in two files is an error naming both.
    pub fn load_files(paths: &[PathBuf], sources: &mut Sources) -> (DataSet, Diags) {
        let mut set = DataSet::default();
        let mut diags = Diags::new();
        for path in paths {
            if sheet::is_sheet(path) {
                // A sheet is a list: it goes under its file's stem, as in data/.
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                match sheet::load(path, path, &stem, sources, &Limits::default(), Encoding::Utf8) {
                    Ok((file, value, found)) => {
                        diags.extend(found);
                        set.insert(&[stem], value, file, sources, &mut diags);
                    }
                    Err(d) => diags.push(d),
                }
                continue;
            }
            let (file, value) = match load_yaml_file(path, path, sources, &Limits::default()) {
                Ok(v) => v,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            set.merge_root(file, value, path, sources, &mut diags);
        }
        set.collect_nulls(sources);
        (set, diags)
    }

    fn insert(&mut self, keys: &[String], mut value: Located, file: FileId, sources: &Sources, diags: &mut Diags) {
        let Some((last, parents)) = keys.split_last() else { return };
        remove_controls(&mut value, file, sources, diags);
        if let Some(first) = keys.first() {
            if first == "project" {
                diags.push(
                    Diagnostic::error(
                        Code::DataKeyConflict,
                        "the data key `project` is reserved for the values of wengao.toml",
                    )
                    .with_span(value.span(sources, file))
                    .with_hint("rename the data file or key"),
                );
                return;
            }
            // A year folder (`2022/`) is reached as `prev` or merged into the root.
            let year_folder = keys.len() > 1 && records::year_folder(first).is_some();
            if !is_identifier(first) && !year_folder {
                diags.push(
                    Diagnostic::warning(Code::DataKeyConflict, format!("data key `{first}` is not a valid template variable name"))
                        .with_span(value.span(sources, file))
                        .with_hint("templates can only name keys made of letters, digits and `_` that do not start with a digit; rename the file, folder or key"),
                );
            }
        }
        let mut level = &mut self.root;
        for p in parents {
            let e = level.entry(p.clone()).or_insert_with(|| Entry {
                value: folder_node(),
                file,
                children: BTreeMap::new(),
                folder: true,
            });
            if !e.folder {
                diags.push(conflict(p, e.file, file, sources, &value));
                return;
            }
            level = &mut e.children;
        }
        match level.get(last) {
            Some(existing) => diags.push(conflict(last, existing.file, file, sources, &value)),
            None => {
                level.insert(last.clone(), Entry { value, file, children: BTreeMap::new(), folder: false });
            }
        }
    }

    fn collect_nulls(&mut self, sources: &Sources) {
        let mut out = Vec::new();
        fn walk(path: &str, key: &str, v: &Located, file: FileId, sources: &Sources, out: &mut Vec<NullSite>) {
            match &v.node {
                Node::Null => {
                    out.push(NullSite { path: path.to_string(), key: key.to_string(), span: v.span(sources, file) })
                }
                Node::Seq(items) => {
                    for (i, it) in items.iter().enumerate() {
                        walk(&format!("{path}[{i}]"), key, it, file, sources, out);
                    }
                }
                Node::Map(entries) => {
                    for (k, val) in entries {
                        let name = k.key_text().unwrap_or_default();
                        walk(&format!("{path}.{name}"), &name, val, file, sources, out);
                    }
                }
                _ => {}
            }
        }
        fn walk_entries(prefix: &str, m: &BTreeMap<String, Entry>, sources: &Sources, out: &mut Vec<NullSite>) {
            for (k, e) in m {
                let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                if e.folder {
                    walk_entries(&path, &e.children, sources, out);
                } else {
                    walk(&path, k, &e.value, e.file, sources, out);
                }
            }
        }
        walk_entries("", &self.root, sources, &mut out);
        self.nulls = out;
    }

    /// `load_files` for texts in memory (`(shown name, YAML text)`): for
    /// embedding and fuzzing.
    pub fn from_texts(texts: &[(&str, &str)], sources: &mut Sources) -> (DataSet, Diags) {
        let mut set = DataSet::default();
        let mut diags = Diags::new();
        for (shown, text) in texts {
            let file = sources.add(*shown, text.to_string());
            match yaml::parse(text, file, sources, Code::YamlSyntax) {
                Ok(value) => set.merge_root(file, value, Path::new(shown), sources, &mut diags),
                Err(d) => diags.push(d),
            }
        }
        set.collect_nulls(sources);
        (set, diags)
    }

    /// Put the keys of a file's top-level mapping at the root.
    fn merge_root(&mut self, file: FileId, value: Located, shown: &Path, sources: &Sources, diags: &mut Diags) {
        match value.node {
            Node::Map(entries) => {
                for (k, v) in entries {
                    let Some(key) = k.key_text() else {
                        diags.push(
                            Diagnostic::error(Code::DataType, "top-level keys must be plain text")
                                .with_span(k.span(sources, file))
                                .with_hint("write `key: value` with a plain word as the key"),
                        );
                        continue;
                    };
                    self.insert(&[key], v, file, sources, diags);
                }
            }
            Node::Null => diags.push(
                Diagnostic::warning(Code::DataType, "data file is empty")
                    .with_path(shown.to_path_buf())
                    .with_hint("add `key: value` lines, or leave the file out"),
            ),
            _ => diags.push(
                Diagnostic::error(Code::DataType, "a `--data` file must hold a mapping at the top level")
                    .with_span(value.span(sources, file))
                    .with_hint("write `key: value` lines; each key becomes a template variable"),
            ),
        }
    }

    /// Top-level keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.root.keys().map(String::as_str)
    }

    /// The context values: each top-level key with a serializable view of its data.
    pub fn values(&self) -> impl Iterator<Item = (&str, ContextValue<'_>)> {
        self.root.iter().filter(|(_, e)| !e.is_null()).map(|(k, e)| (k.as_str(), ContextValue(e)))
    }

    /// Every file's value with its key path (`["2022", "proposals"]`), in
    /// path order, for the record stage.
    pub fn file_values(&self) -> Vec<(Vec<String>, &Located, FileId)> {
        fn walk<'a>(
            prefix: &[String],
            m: &'a BTreeMap<String, Entry>,
            out: &mut Vec<(Vec<String>, &'a Located, FileId)>,
        ) {
            for (k, e) in m {
                let mut path = prefix.to_vec();
                path.push(k.clone());
                if e.folder {
                    walk(&path, &e.children, out);
                } else {
                    out.push((path, &e.value, e.file));
                }
            }
        }
        let mut out = Vec::new();
        walk(&[], &self.root, &mut out);
        out
    }

    /// The data of one top-level folder (`2022/`) as context values, empty
    /// when there is no such folder.
    pub fn folder_values(&self, name: &str) -> Vec<(&str, ContextValue<'_>)> {
        match self.root.get(name) {
            Some(e) if e.folder => {
                e.children.iter().filter(|(_, c)| !c.is_null()).map(|(k, c)| (k.as_str(), ContextValue(c))).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Nulls whose key is `key`, for an "undefined field" template error.
    pub fn nulls_named<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a NullSite> {
        self.nulls.iter().filter(move |n| n.key == key)
    }
}

/// Whether `p` is named like a data file (`*.yaml`, `*.yml`, in any case:
/// Windows tools write `County.YAML`).
pub fn is_yaml(p: &Path) -> bool {
    p.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("yaml") || x.eq_ignore_ascii_case("yml"))
}

/// The warning for a link in data/ that leads out of the project.
pub(crate) fn link_out(shown: &Path) -> Diagnostic {
    Diagnostic::warning(Code::DataRead, "skipped: a link to a file outside the project")
        .with_path(shown)
        .with_hint("copy the file into data/; links are followed only within the project")
}

/// The warning for a file in data/ that is not read, saying why.
pub(crate) fn skipped_file(shown: &Path) -> Diagnostic {
    let name = shown.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    if sheet::is_sheet(shown) {
        // Only a `[matrix]` folder collection, whose items are streamed one
        // YAML file at a time, skips a workbook.
        return Diagnostic::warning(
            Code::DataRead,
            "skipped: the items of a [matrix] folder are read from YAML files only",
        )
        .with_path(shown)
        .with_hint(
            "save this item as YAML, or keep the whole collection in one workbook beside the folder \
                 (data/counties.xlsx, one row an item) and run the matrix over that list",
        );
    }
    let hint = if sheet::is_other_sheet(shown) {
        "wengao reads spreadsheets saved as .xlsx (or .csv): open it in Excel or WPS and save it as an Excel \
         workbook (另存为 → Excel 工作簿 *.xlsx), then delete this copy from data/"
            .to_string()
    } else if name.contains(".yaml.") || name.contains(".yml.") {
        let stem = name.split(".y").next().unwrap_or(&name);
        format!(
            "its full name is {name} (Windows hides known extensions, so it looked like a YAML file): rename it \
             to {stem}.yaml"
        )
    } else {
        "only .yaml, .yml, .xlsx and .csv files in data/ are read; move other files out of data/, or save the \
         data as YAML or as an .xlsx workbook"
            .to_string()
    };
    let message = if sheet::is_other_sheet(shown) {
        "skipped: a spreadsheet, but not an .xlsx workbook"
    } else {
        "skipped: not a data file (.yaml, .yml, .xlsx or .csv)"
    };
    Diagnostic::warning(Code::DataRead, message).with_path(shown).with_hint(hint)
}

/// Whether a file under the data folder is hidden (a component starts with a dot).
pub fn is_hidden(rel: &Path) -> bool {
    rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

/// Read, register and parse one YAML file.
pub(crate) fn load_yaml_file(
    path: &Path,
    shown: &Path,
    sources: &mut Sources,
    limits: &Limits,
) -> Result<(FileId, Located), Diagnostic> {
    let text = crate::textfile::read_text_limited(path, shown, Code::DataRead, limits.file_bytes())?;
    parse_yaml_text(text, shown, sources, limits)
}

/// `load_yaml_file` in the project's `encoding`, with the warning `auto`
/// gives for a file it read as GB18030.
pub(crate) fn load_yaml_encoded(
    path: &Path,
    shown: &Path,
    sources: &mut Sources,
    limits: &Limits,
    encoding: Encoding,
) -> Result<(FileId, Located, Option<Diagnostic>), Diagnostic> {
    let (text, warning) =
        crate::textfile::read_text_encoded(path, shown, Code::DataRead, limits.file_bytes(), encoding)?;
    let (file, value) = parse_yaml_text(text, shown, sources, limits)?;
    Ok((file, value, warning))
}

/// Register and parse the text of one YAML file, read already.
pub(crate) fn parse_yaml_text(
    text: String,
    shown: &Path,
    sources: &mut Sources,
    limits: &Limits,
) -> Result<(FileId, Located), Diagnostic> {
    let file = sources.add(shown, text);
    let value = match sources.get(file) {
        Some(s) => yaml::parse_limited(&s.text, file, sources, Code::YamlSyntax, limits)?,
        None => return Err(Diagnostic::internal(format!("{} was not registered", shown.display()))),
    };
    Ok((file, value))
}

/// Control characters in text values (`"\e"`, `"\x01"`, a `\x07` pasted
/// from Word) would make the DOCX unreadable: they are removed here, at the
/// one place every data value passes, with a warning at the value.
fn remove_controls(v: &mut Located, file: FileId, sources: &Sources, diags: &mut Diags) {
    match &mut v.node {
        Node::Str(t) if t.chars().any(crate::unicode::is_forbidden_control) => {
            let first = t.chars().find(|&c| crate::unicode::is_forbidden_control(c)).unwrap_or_default();
            let count = t.chars().filter(|&c| crate::unicode::is_forbidden_control(c)).count();
            t.retain(|c| !crate::unicode::is_forbidden_control(c));
            let what = if count == 1 {
                format!("a control character ({})", crate::unicode::code_point(first))
            } else {
                format!("{count} control characters (the first {})", crate::unicode::code_point(first))
            };
            let span = Located { node: Node::Null, line: v.line, column: v.column, bytes: v.bytes.clone() }
                .span(sources, file);
            diags.push(
                Diagnostic::warning(Code::DataType, format!("this text holds {what}, which no document can show; it was left out"))
                    .with_span(span)
                    .with_hint("such characters come from copying out of Word or from escapes like \"\\e\" or \"\\x01\"; delete them from the value"),
            );
        }
        Node::Seq(items) => items.iter_mut().for_each(|it| remove_controls(it, file, sources, diags)),
        Node::Map(entries) => entries.iter_mut().for_each(|(_, val)| remove_controls(val, file, sources, diags)),
        _ => {}
    }
}

fn folder_node() -> Located {
    Located { node: Node::Map(Vec::new()), line: 0, column: 0, bytes: None }
}

fn conflict(key: &str, first: FileId, second: FileId, sources: &Sources, value: &Located) -> Diagnostic {
    let name = |f: FileId| sources.get(f).map_or_else(String::new, |s| s.path.to_string_lossy().replace('\\', "/"));
    Diagnostic::error(
        Code::DataKeyConflict,
        format!("data key `{key}` is defined twice: in {} and in {}", name(first), name(second)),
    )
    .with_span(value.span(sources, second))
    .with_hint(if same_stem(first, second, sources) {
        format!(
            "the same data in two files: keep the one you edit ({} or {}) and delete the other or move it out of \
             data/; wengao does not choose between them",
            name(first),
            name(second)
        )
    } else {
        "rename one of the files or keys, or merge them into one file".to_string()
    })
}

/// Whether two files are one name with two extensions (`x.yaml`, `x.xlsx`).
fn same_stem(first: FileId, second: FileId, sources: &Sources) -> bool {
    let stem = |f: FileId| sources.get(f).map(|s| s.path.with_extension(""));
    first != second && stem(first).is_some() && stem(first) == stem(second)
}

/// `proposals.yaml` holding `proposals: [...]` gives `proposals`, not `proposals.proposals`.
pub(crate) fn unwrap_single_key(value: Located, stem: &str) -> Located {
    match value.node {
        Node::Map(mut entries) if entries.len() == 1 && entries[0].0.key_text().as_deref() == Some(stem) => {
            match entries.pop() {
                Some((_, v)) => v,
                None => Located { node: Node::Map(entries), ..value },
            }
        }
        node => Located { node, ..value },
    }
}

/// A data entry as the template engine sees it (nulls in mappings left out).
pub struct ContextValue<'a>(&'a Entry);

impl Serialize for ContextValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.folder {
            let kept: Vec<_> = self.0.children.iter().filter(|(_, e)| !e.is_null()).collect();
            let mut m = s.serialize_map(Some(kept.len()))?;
            for (k, e) in kept {
                m.serialize_entry(k, &ContextValue(e))?;
            }
            m.end()
        } else {
            NodeView(&self.0.value.node).serialize(s)
        }
    }
}

struct NodeView<'a>(&'a Node);

impl Serialize for NodeView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Int(i) => s.serialize_i64(*i),
            Node::Float(f) => s.serialize_f64(*f),
            Node::Str(t) => s.serialize_str(t),
            Node::Seq(items) => {
                let mut q = s.serialize_seq(Some(items.len()))?;
                for it in items {
                    if it.node == Node::Null {
                        q.serialize_element(&NULL_MARK.to_string())?;
                        continue;
                    }
                    q.serialize_element(&NodeView(&it.node))?;
                }
                q.end()
            }
            Node::Map(entries) => {
                let kept: Vec<_> = entries.iter().filter(|(_, v)| v.node != Node::Null).collect();
                let mut m = s.serialize_map(Some(kept.len()))?;
                for (k, v) in kept {
                    m.serialize_entry(&k.key_text().unwrap_or_default(), &NodeView(&v.node))?;
                }
                m.end()
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A data/ folder holding `files`, loaded (also used by the records' tests).
    pub(crate) fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, DataSet, Diags, Sources) {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            let p = dir.path().join("data").join(name);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        let mut sources = Sources::new();
        let (set, diags) = DataSet::load_dir(&dir.path().join("data"), dir.path(), &mut sources);
        (dir, set, diags, sources)
    }

    fn json(set: &DataSet) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for (k, v) in set.values() {
            m.insert(k.to_string(), serde_json::to_value(&v).expect("serialize"));
        }
        serde_json::Value::Object(m)
    }

    #[test]
    fn stems_nest_and_single_keys_unwrap() {
        let (_d, set, diags, _) = project(&[
            ("county.yaml", "name: 青溪县\npopulation: 310000\n"),
            ("proposals.yaml", "proposals:\n  - id: 1\n  - id: 2\n"),
            ("stats/work.yml", "meetings: 7\n"),
        ]);
        assert!(diags.is_empty(), "{diags:?}");
        let v = json(&set);
        assert_eq!(v["county"]["name"], "青溪县");
        assert_eq!(v["proposals"][1]["id"], 2);
        assert_eq!(v["stats"]["work"]["meetings"], 7);
    }

    #[test]
    fn a_summary_keeps_fields_and_counts_records() {
        let mut sources = Sources::new();
        let text = "name: 青溪县\ncppcc: {members: 210}\ntags: [a, b]\nnote: \nproposals:\n  - id: 1\n  - id: 2\n";
        let file = sources.add("c.yaml", text.to_string());
        let v = yaml::parse(text, file, &sources, Code::YamlSyntax).expect("parse");
        let s = summary(&v);
        assert_eq!(s["name"], "青溪县");
        assert_eq!(s["cppcc"]["members"], 210);
        assert_eq!(s["tags"], serde_json::json!(["a", "b"]));
        assert!(s.get("note").is_none(), "nulls are left out as in the context");
        assert_eq!(s["proposals"], serde_json::json!([null, null]), "records: as many, empty");
    }

    #[test]
    fn conflicts_name_both_files() {
        let (_d, _set, diags, _) = project(&[("a.yaml", "x: 1\n"), ("a.yml", "y: 2\n")]);
        let d = diags.iter().find(|d| d.code == Code::DataKeyConflict).expect("conflict");
        assert!(d.message.contains("a.yaml") && d.message.contains("a.yml"), "{}", d.message);
    }

    #[test]
    fn nulls_are_dropped_and_remembered() {
        let (_d, set, diags, sources) = project(&[("p.yaml", "p:\n  - id: 1\n    rate: \n")]);
        assert!(diags.is_empty());
        let v = json(&set);
        assert!(v["p"][0].get("rate").is_none());
        let n = set.nulls_named("rate").next().expect("null site");
        assert_eq!(n.path, "p[0].rate");
        let (line, _) = sources.get(n.span.file).expect("file").line_col(n.span.range.start);
        assert_eq!(line, 3);
    }

    #[test]
    fn errors_in_several_files_are_all_reported() {
        let (_d, _set, diags, _) = project(&[("a.yaml", "a: [\n"), ("b.yaml", "b: 1\nb: 2\n"), ("c.yaml", "c: 1\n")]);
        assert_eq!(diags.iter().filter(|d| d.code == Code::YamlSyntax).count(), 2, "{diags:?}");
    }

    #[test]
    fn non_utf8_is_explained() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("data")).expect("mkdir");
        // "县" in GBK.
        std::fs::write(dir.path().join("data/a.yaml"), b"name: \xcf\xd8\n").expect("write");
        let mut sources = Sources::new();
        let (_set, diags) = DataSet::load_dir(&dir.path().join("data"), dir.path(), &mut sources);
        let d = diags.iter().next().expect("diag");
        assert_eq!(d.code, Code::DataRead);
        assert!(d.hints[0].contains("GB18030"));
    }
}
