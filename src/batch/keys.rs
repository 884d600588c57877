//! Input keys for the cache: hashes of every input, computed once per
//! build, combined per document (see docs/matrix.md for what is covered).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::cache::{KeyBuilder, sha256_hex};
use super::deps;
use super::matrix::MatrixConfig;
use super::plan::Job;
use crate::data::{DataSet, Item, Origin};
use crate::diag::{FileId, Sources};
use crate::fonts::FontSet;
use crate::project::{CONFIG_FILE, Project};
use crate::template::TemplateSet;

/// Hashes of every input, computed once per build, and each document's key.
pub(super) struct Keys<'i> {
    /// Inputs every document shares: wengao.toml (style, matrix, limits),
    /// fonts, assets, formats, SOURCE_DATE_EPOCH.
    common: String,
    /// Template name → (shown path, digest, dependencies).
    templates: BTreeMap<String, (String, String, BTreeSet<String>)>,
    /// Data files: (shown path, digest, in the matrix collection).
    data: BTreeMap<FileId, (String, String, bool)>,
    /// The collection's items: those of a folder, not loaded, are hashed
    /// from their (shown path, digest), borrowed rather than copied.
    items: &'i [Item],
    config: bool,
}

impl<'i> Keys<'i> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        root: &Path,
        project: &Project,
        templates: &TemplateSet,
        data: &DataSet,
        items: &'i [Item],
        matrix: Option<&MatrixConfig>,
        fonts: Option<&FontSet>,
        formats: &[String],
        sources: &Sources,
    ) -> Keys<'i> {
        let text = |f: FileId| sources.get(f).map(|s| (shown(&s.path), sha256_hex(s.text.as_bytes())));
        let mut k = KeyBuilder::new();
        let config = std::fs::read(project.root.join(CONFIG_FILE)).ok();
        k.add("config", &config.as_deref().map(sha256_hex).unwrap_or_default());
        k.add("formats", &formats.join(","));
        k.add("epoch", &crate::epoch::source_date_epoch().map(|e| e.to_string()).unwrap_or_default());
        for f in fonts.map(|f| f.fonts.as_slice()).unwrap_or_default() {
            k.add("font", &font_identity(f));
        }
        for (path, digest) in assets(root) {
            k.add(&path, &digest);
        }
        let texts: BTreeMap<&str, &str> =
            templates.named_files().filter_map(|(n, f)| sources.get(f).map(|s| (n, s.text.as_str()))).collect();
        let templates = templates
            .named_files()
            .filter_map(|(n, f)| {
                let (path, digest) = text(f)?;
                Some((n.to_string(), (path, digest, deps::closure(n, &texts))))
            })
            .collect();
        let data = data
            .files(matrix.map(|m| m.each.as_str()))
            .into_iter()
            .filter_map(|(f, coll)| text(f).map(|(p, d)| (f, (p, d, coll))))
            .collect();
        Keys { common: k.finish(), templates, data, items, config: config.is_some() }
    }

    /// The data files a document reads: all of them, or for a matrix item
    /// the shared ones and its own.
    fn data_files<'a>(&'a self, item: Option<&'a Item>) -> impl Iterator<Item = (&'a String, &'a String)> + 'a {
        let own = move |f: &FileId| item.is_some_and(|i| matches!(i.origin, Origin::Loaded(g) if g == *f));
        let loaded = self
            .data
            .iter()
            .filter(move |(f, (_, _, coll))| item.is_none() || !coll || own(f))
            .map(|(_, (p, d, _))| (p, d));
        let others = self.items.iter().filter(move |_| item.is_none()).filter_map(streamed);
        loaded.chain(others).chain(item.and_then(streamed))
    }

    fn template_files<'a>(&'a self, job: &'a Job) -> impl Iterator<Item = (&'a String, &'a String)> + 'a {
        let deps = self.templates.get(&job.template).map(|(_, _, d)| d);
        deps.into_iter().flatten().filter_map(|n| self.templates.get(n).map(|(p, d, _)| (p, d)))
    }

    pub(super) fn key(&self, job: &Job, item: Option<&Item>) -> String {
        let mut k = KeyBuilder::new();
        k.add("common", &self.common);
        k.add("id", &job.id);
        if let Some(Ok(rel)) = &job.rel {
            k.add("output", rel);
        }
        for (p, d) in self.template_files(job) {
            k.add(p, d);
        }
        for (p, d) in self.data_files(item) {
            k.add(p, d);
        }
        k.finish()
    }

    pub(super) fn inputs(&self, job: &Job, item: Option<&Item>) -> Vec<String> {
        let mut v: Vec<String> = self.template_files(job).map(|(p, _)| p.clone()).collect();
        v.extend(self.data_files(item).map(|(p, _)| p.clone()));
        if self.config {
            v.push(CONFIG_FILE.to_string());
        }
        v.sort();
        v
    }
}

/// A not-yet-loaded item's (shown path, digest).
fn streamed(i: &Item) -> Option<(&String, &String)> {
    match &i.origin {
        Origin::File(f) => Some((&f.shown, &f.digest)),
        Origin::Loaded(_) => None,
    }
}

fn shown(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// A font file's identity: path, size and modification time (hashing a
/// 20 MB CJK font on every build would cost more than it saves); a font
/// compiled into wengao is identified by its names (the version is in the key).
fn font_identity(f: &crate::fonts::LoadedFont) -> String {
    match &f.path {
        Some(p) => {
            let meta = std::fs::metadata(p).ok();
            let mtime = meta
                .as_ref()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}#{} {} {mtime}", p.display(), f.index, meta.map_or(0, |m| m.len()))
        }
        None => format!("bundled {} {}", f.postscript_name, f.index),
    }
}

/// Content hashes of the files under `assets/` (images are read by the
/// writers; which ones a document uses is only known after rendering).
fn assets(root: &Path) -> Vec<(String, String)> {
    let dir = root.join("assets");
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).ok()?;
            Some((shown(e.path().strip_prefix(root).unwrap_or(e.path())), sha256_hex(&bytes)))
        })
        .collect()
}
