//! Input keys for the cache: hashes of every input, computed once per
//! build, combined per document (see docs/matrix.md for what is covered).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::cache::{KeyBuilder, sha256_hex};
use super::deps;
use super::items::Items;
use super::plan::Job;
use super::stream;
use crate::data::{DataSet, Item, Origin};
use crate::diag::{FileId, Sources};
use crate::fonts::FontSet;
use crate::limits::Limits;
use crate::project::{CONFIG_FILE, MatrixConfig, Project};
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
    /// The collection's items: those of a folder are hashed when they are
    /// read (`key`), or all together for documents built once.
    items: &'i Items,
    items_digest: OnceLock<String>,
    limits: Limits,
    config: bool,
}

impl<'i> Keys<'i> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        root: &Path,
        project: &Project,
        templates: &TemplateSet,
        data: &DataSet,
        items: &'i Items,
        matrix: Option<&MatrixConfig>,
        fonts: Option<&FontSet>,
        formats: &[String],
        sources: &Sources,
    ) -> Keys<'i> {
        let text = |f: FileId| sources.get(f).map(|s| (shown(&s.path), sha256_hex(s.text.as_bytes())));
        let mut k = KeyBuilder::new();
        let config = super::cache::sha256_file(&project.root.join(CONFIG_FILE)).ok();
        k.add("config", config.as_ref().map_or("", |(_, d)| d.as_str()));
        k.add("formats", &formats.join(","));
        // `build --pdf-standard` changes the PDF without changing wengao.toml.
        // Added only when set, so the keys of plain builds stay as they were.
        let standard = project.pdf_standard();
        if standard != crate::project::PdfStandard::Plain {
            k.add("pdf_standard", standard.name());
        }
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
        Keys {
            common: k.finish(),
            templates,
            data,
            items,
            items_digest: OnceLock::new(),
            limits: project.config.limits,
            config: config.is_some(),
        }
    }

    /// The key of `job`, whose output name is `rel` (matrix documents);
    /// `item` is the matrix item it reads, with the digest of its file's
    /// text when that was read by the worker.
    pub(super) fn key(&self, job: &Job<'_>, rel: Option<&str>, item: Option<(&Item, &str)>) -> String {
        let mut k = KeyBuilder::new();
        k.add("common", &self.common);
        k.add("id", &job.id);
        if let Some(rel) = rel {
            k.add("output", rel);
        }
        for (p, d) in self.template_files(job) {
            k.add(p, d);
        }
        for (p, d) in self.loaded(item.map(|(i, _)| i)) {
            k.add(p, d);
        }
        match item {
            Some((it, digest)) => {
                if let Origin::File(f) = &it.origin {
                    k.add(&f.shown(&it.key), digest);
                }
            }
            None if self.items.are_files() => {
                k.add("items", self.items_digest());
            }
            None => {}
        }
        k.finish()
    }

    /// The files `job` reads, as shown, sorted.
    pub(super) fn inputs(&self, job: &Job<'_>, item: Option<&Item>) -> Vec<String> {
        let mut v: Vec<String> = self.template_files(job).map(|(p, _)| p.clone()).collect();
        v.extend(self.loaded(item).map(|(p, _)| p.clone()));
        let streamed = |i: &Item| match &i.origin {
            Origin::File(f) => Some(f.shown(&i.key)),
            Origin::Loaded(_) => None,
        };
        match item {
            Some(i) => v.extend(streamed(i)),
            None => v.extend(self.items.iter().filter_map(|i| streamed(&i))),
        }
        if self.config {
            v.push(CONFIG_FILE.to_string());
        }
        v.sort();
        v
    }

    /// One digest of every streamed item's file (path and text), for the
    /// documents built once, which read them all; taken the first time it
    /// is asked for (on the caller's thread pool), from the files as they
    /// are then.
    pub(super) fn items_digest(&self) -> &str {
        self.items_digest.get_or_init(|| {
            let digests: Vec<(String, String)> = (0..self.items.len())
                .into_par_iter()
                .filter_map(|i| self.items.get(i))
                .filter_map(|i| match &i.origin {
                    Origin::File(f) => Some((f.shown(&i.key), stream::digest(f, &i.key, &self.limits))),
                    Origin::Loaded(_) => None,
                })
                .collect();
            let mut k = KeyBuilder::new();
            for (p, d) in &digests {
                k.add(p, d);
            }
            k.finish()
        })
    }

    /// The loaded data files a document reads: all of them, or for a
    /// matrix item the shared ones and its own.
    fn loaded<'a>(&'a self, item: Option<&'a Item>) -> impl Iterator<Item = (&'a String, &'a String)> + 'a {
        let own = move |f: &FileId| item.is_some_and(|i| matches!(i.origin, Origin::Loaded(g) if g == *f));
        self.data.iter().filter(move |(f, (_, _, coll))| item.is_none() || !coll || own(f)).map(|(_, (p, d, _))| (p, d))
    }

    fn template_files<'a>(&'a self, job: &'a Job<'_>) -> impl Iterator<Item = (&'a String, &'a String)> + 'a {
        let deps = self.templates.get(job.template).map(|(_, _, d)| d);
        deps.into_iter().flatten().filter_map(|n| self.templates.get(n).map(|(p, d, _)| (p, d)))
    }
}

fn shown(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// A font file's identity: path, size and modification time (hashing a
/// CJK font of tens of MB on every build would cost more than it saves); a font
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
            let (_, digest) = super::cache::sha256_file(e.path()).ok()?;
            Some((shown(e.path().strip_prefix(root).unwrap_or(e.path())), digest))
        })
        .collect()
}
