//! One document on a worker thread: check the cache, render, lay out, write.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::cache::{self, Cache, sha256_hex};
use super::items::Items;
use super::keys::Keys;
use super::manifest::{DocEntry, OutputFile};
use super::matrix::MatrixConfig;
use super::plan::{Job, Plan};
use super::spill::{Loc, Spill};
use super::stream;
use super::{BatchOptions, DocStatus, Event};
use crate::data::{DataSet, Origin, records};
use crate::diag::{Code, Diagnostic, Diags, Sources};
use crate::doc::Document;
use crate::fonts::FontSet;
use crate::limits::Limits;
use crate::pipeline::{self, Emitter};
use crate::project::Project;
use crate::template::{self, TemplateSet};
use crate::write::Writer;

/// A document ready for the writers (rendered before the parallel phase).
pub(super) struct Rendered {
    pub(super) job: usize,
    pub(super) doc: Document,
    pub(super) markdown: String,
    pub(super) rel: String,
    /// Its cache key, made when it was rendered.
    pub(super) key: String,
}

/// What the workers share, read-only.
pub(super) struct Shared<'a> {
    pub(super) root: &'a Path,
    pub(super) project: &'a Project,
    pub(super) project_value: serde_json::Value,
    pub(super) writers: &'a [Box<dyn Writer>],
    pub(super) fonts: Option<&'a FontSet>,
    pub(super) limits: Limits,
    pub(super) out_dir: &'a Path,
    pub(super) templates: &'a TemplateSet,
    pub(super) data: &'a DataSet,
    pub(super) matrix: Option<&'a MatrixConfig>,
    pub(super) items: &'a Items,
    pub(super) sources: &'a Sources,
    pub(super) opts: &'a BatchOptions,
    pub(super) keys: &'a Keys<'a>,
    pub(super) cache: &'a Cache,
    /// Where finished documents' records go.
    pub(super) spill: &'a Spill,
    pub(super) stop: &'a AtomicBool,
    /// Matrix items whose data is in memory right now, and the most at once.
    pub(super) held: &'a Held,
    pub(super) on_event: &'a (dyn Fn(Event<'_>) + Sync),
}

/// How many matrix items' data the workers hold (`BatchOutcome::peak_items`).
#[derive(Default)]
pub(super) struct Held {
    now: AtomicUsize,
    pub(super) peak: AtomicUsize,
}

/// One item's data held by a worker, counted while it lives.
struct HeldItem<'a>(&'a Held);

impl Held {
    fn enter(&self) -> HeldItem<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        HeldItem(self)
    }
}

impl Drop for HeldItem<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What came back from one document: kept for every document until the
/// end of the build, so small (its record is on disk, `spill`); only a
/// document with diagnostics brings more.
pub(super) struct JobResult {
    pub(super) job: usize,
    pub(super) status: Option<DocStatus>,
    pub(super) diags: Diags,
    /// The worker's copy of the sources, when its diagnostics point into
    /// files it registered (the rendered Markdown).
    pub(super) fork: Option<Box<Sources>>,
    /// Where its record is, if it was built (and written) or unchanged.
    pub(super) entry: Option<Loc>,
    /// Files it wrote.
    pub(super) files: usize,
    /// Outputs that depend on something the key does not cover, so the
    /// document is rebuilt every time: a chart drawn with fonts that were
    /// resolved on the spot because no PDF is built (fonts enter the key
    /// only with a PDF).
    pub(super) uncacheable: bool,
}

/// A finished document as the build keeps it until the end: there is one
/// per document, so it is small, and its diagnostics (rare) are boxed.
pub(super) struct Kept {
    pub(super) job: u32,
    pub(super) files: u16,
    pub(super) status: Option<DocStatus>,
    pub(super) uncacheable: bool,
    pub(super) entry: Option<Loc>,
    /// Its diagnostics and the worker's sources they point into.
    pub(super) notes: Option<Box<(Diags, Option<Box<Sources>>)>>,
}

impl JobResult {
    /// What the build keeps of it.
    pub(super) fn kept(self) -> Kept {
        let notes = (!self.diags.is_empty() || self.fork.is_some()).then(|| Box::new((self.diags, self.fork)));
        Kept {
            job: u32::try_from(self.job).unwrap_or(u32::MAX),
            files: u16::try_from(self.files).unwrap_or(u16::MAX),
            status: self.status,
            uncacheable: self.uncacheable,
            entry: self.entry,
            notes,
        }
    }

    /// A document not (yet) built: no status, no diagnostics, no entry.
    pub(super) fn new(job: usize) -> JobResult {
        JobResult { job, status: None, diags: Diags::new(), fork: None, entry: None, files: 0, uncacheable: false }
    }

    /// Take in what writing the document found, onto the result its
    /// rendering left (which holds the render's diagnostics).
    pub(super) fn absorb(&mut self, written: JobResult) {
        self.status = written.status;
        self.diags.extend(written.diags);
        self.entry = written.entry;
        self.files = written.files;
        self.uncacheable = written.uncacheable;
    }
}

/// Write a document rendered before the parallel phase.
pub(super) fn emit_rendered(s: &Shared<'_>, plan: &Plan<'_>, r: Rendered) -> JobResult {
    let mut res = JobResult::new(r.job);
    let Some(job) = plan.job(r.job) else { return res };
    if s.stop.load(Ordering::SeqCst) {
        return res;
    }
    let (entry, files) = emit(s, &job, &r.doc, &r.markdown, &r.rel, &mut res.diags);
    res.uncacheable = !key_covers(s, &r.markdown);
    // The document (the overview's is large) goes before its record is kept.
    drop(r.doc);
    drop(r.markdown);
    finish(s, &job, &mut res, &r.key, entry, &files);
    res
}

/// Render, lay out and write one matrix document.
pub(super) fn build_item(s: &Shared<'_>, plan: &Plan<'_>, ji: usize) -> JobResult {
    let mut res = JobResult::new(ji);
    let Some(job) = plan.job(ji) else { return res };
    let job = &job;
    if s.stop.load(Ordering::SeqCst) {
        return res;
    }
    let (Some(m), Some(item)) = (s.matrix, job.item.and_then(|i| s.items.get(i))) else {
        res.diags.push(Diagnostic::internal(format!("matrix document `{}` has no item", job.id)));
        finish(s, job, &mut res, "", None, &[]);
        return res;
    };
    let item = &item;
    let rel = match plan.rel(job) {
        Some(Ok(rel)) => rel,
        Some(Err(d)) => {
            res.diags.push(*d);
            finish(s, job, &mut res, "", None, &[]);
            return res;
        }
        None => String::new(),
    };
    // A streamed item's file is read first: the digest of its text is
    // part of the key.
    let text = match &item.origin {
        Origin::File(f) => match stream::read(f, &item.key, &s.limits) {
            Ok(t) => Some(t),
            Err(d) => {
                res.diags.push(d);
                finish(s, job, &mut res, "", None, &[]);
                return res;
            }
        },
        Origin::Loaded(_) => None,
    };
    let key = s.keys.key(job, Some(&rel), Some((item, text.as_ref().map_or("", |(_, d)| d.as_str()))));
    if s.opts.write
        && !s.opts.force
        && let Some((_, at)) = s.cache.fresh(&job.id, &key, s.out_dir)
    {
        res.status = Some(DocStatus::Unchanged);
        res.entry = Some(Loc::Cache(at));
        (s.on_event)(Event::Done { id: &job.id, status: DocStatus::Unchanged, files: &[] });
        return res;
    }
    let base = s.sources.len();
    let held = s.held.enter();
    // The worker's copy of the sources: the item's file (when read here)
    // and the rendered Markdown are registered in it.
    let mut sources = s.sources.clone();
    let vanished = || Diagnostic::internal(format!("matrix item `{}` vanished from the data", item.key));
    let loaded = match (&item.origin, text) {
        (Origin::File(f), Some((text, _))) => stream::parse(f, &item.key, text, &mut sources, &s.limits)
            .map(|(file, value)| (s.data.with_item(m.item_name(), value, file, &sources), file)),
        (Origin::Loaded(file), _) => {
            s.data.for_item(&m.each, item, m.item_name(), s.sources).map(|d| (d, *file)).ok_or_else(vanished)
        }
        (Origin::File(_), None) => Err(vanished()),
    };
    let (data, item_file) = match loaded {
        Ok(v) => v,
        Err(d) => {
            res.diags.push(d);
            keep_fork(&mut res, sources, base);
            finish(s, job, &mut res, &key, None, &[]);
            return res;
        }
    };
    let (recs, d) = records::collect(&data, &sources, s.project.config.year);
    // Shared files' warnings were reported once already; keep this item's.
    let records_failed = d.has_errors();
    res.diags.extend(Diags(
        d.0.into_iter().filter(|d| d.is_error() || d.span.as_ref().is_none_or(|sp| sp.file == item_file)).collect(),
    ));
    if records_failed {
        keep_fork(&mut res, sources, base);
        finish(s, job, &mut res, &key, None, &[]);
        return res;
    }
    let ctx = std::sync::Arc::new(template::context(&s.project_value, &data, &recs));
    let settings = pipeline::DocSettings {
        root: s.root,
        limits: &s.limits,
        allow: &s.project.config.check.allow,
        author: s.project.config.author.as_deref(),
    };
    let rendered =
        pipeline::render_document(s.templates, job.template, &ctx, &data, &settings, &mut sources, &mut res.diags);
    drop(ctx);
    drop(data);
    drop(held);
    let (entry, files) = match rendered {
        Some(pipeline::Rendered { doc, markdown }) => {
            res.uncacheable = !key_covers(s, &markdown);
            emit(s, job, &doc, &markdown, &rel, &mut res.diags)
        }
        None => (None, Vec::new()),
    };
    keep_fork(&mut res, sources, base);
    finish(s, job, &mut res, &key, entry, &files);
    crate::memory::after_document(s.fonts);
    res
}

/// Keep the worker's sources only when a diagnostic points into a file
/// registered there (from `base` on); else they are dropped here.
fn keep_fork(res: &mut JobResult, sources: Sources, base: usize) {
    if res.diags.iter().any(|d| d.span.as_ref().is_some_and(|sp| sp.file.0 as usize >= base)) {
        res.fork = Some(Box::new(sources));
    }
}

/// Whether the cache key covers everything the document's outputs depend
/// on: a chart's pixels depend on the fonts, which are in the key only when
/// the build resolved them (for a PDF).
fn key_covers(s: &Shared<'_>, markdown: &str) -> bool {
    s.fonts.is_some() || !markdown.contains(crate::chart::SCHEME)
}

/// Settle a document's status, put its record (with its cache `key`) in
/// the spill file, and tell the caller.
fn finish(s: &Shared<'_>, job: &Job<'_>, res: &mut JobResult, key: &str, entry: Option<DocEntry>, files: &[PathBuf]) {
    let entry = entry.filter(|_| !res.diags.has_errors());
    if let Some(e) = &entry {
        res.files = e.outputs.len();
        if s.opts.write {
            let spilled = cache::line(key, e).and_then(|l| {
                s.spill.push(&l).map_err(|err| {
                    Diagnostic::error(
                        Code::OutputWrite,
                        format!("cannot record the document in `{}`: {err}", s.out_dir.display()),
                    )
                    .with_path(s.out_dir)
                    .with_hint("check that the output folder is writable and the disk is not full")
                })
            });
            match spilled {
                Ok(at) => res.entry = Some(Loc::Spill(at)),
                Err(d) => res.diags.push(d),
            }
        }
    }
    let status = if entry.is_some() && !res.diags.has_errors() { DocStatus::Built } else { DocStatus::Failed };
    if status == DocStatus::Failed && s.opts.fail_fast {
        s.stop.store(true, Ordering::SeqCst);
    }
    if status == DocStatus::Failed {
        res.files = 0;
    }
    res.status = Some(status);
    (s.on_event)(Event::Done { id: &job.id, status, files });
}

/// Run every writer into memory, then, only if all succeeded, write the
/// files atomically: a failing document leaves no file of this build.
fn emit(
    s: &Shared<'_>,
    job: &Job<'_>,
    doc: &Document,
    markdown: &str,
    rel: &str,
    diags: &mut Diags,
) -> (Option<DocEntry>, Vec<PathBuf>) {
    let emitter =
        Emitter { writers: s.writers, style: &s.project.style, root: s.root, fonts: s.fonts, limits: s.limits };
    let Some(made) = emitter.make(doc, markdown, diags) else { return (None, Vec::new()) };
    let mut files = Vec::new();
    if s.opts.write {
        match made.store(|w| s.out_dir.join(format!("{rel}.{}", w.extension())), false) {
            Ok(paths) => files = paths,
            Err(d) => {
                diags.push(d);
                return (None, Vec::new());
            }
        }
    }
    let outputs = made
        .iter()
        .map(|f| OutputFile {
            path: format!("{rel}.{}", f.writer.extension()),
            format: f.writer.name().to_string(),
            sha256: sha256_hex(&f.bytes),
            bytes: f.bytes.len() as u64,
        })
        .collect();
    let item = job.item.and_then(|i| s.items.get(i));
    let item = item.as_ref();
    let entry = DocEntry {
        id: job.id.clone(),
        template: job.template.to_string(),
        item: item.map(|i| i.key.clone()),
        inputs: s.keys.inputs(job, item),
        outputs,
    };
    (Some(entry), files)
}
