//! One document's way through the batch, whether it is built per matrix
//! item or once: the cache asked (`fresh`), the document rendered into its
//! own copy of the sources, its output name settled (the plan's, or claimed
//! from its front matter), its files made and stored all or nothing
//! (`write`), and its record spilled (`settle`).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::cache::{self, At, sha256_hex};
use super::manifest::{DocEntry, OutputFile};
use super::plan::{Job, OnceNames};
use super::spill::Loc;
use super::{Batch, DocStatus, Event, stream};
use crate::data::{Item, Origin, records};
use crate::diag::{Code, Diagnostic, Diags, Sources};
use crate::doc::Document;
use crate::memory;
use crate::pipeline::{self, Emitter};
use crate::project::MatrixConfig;
use crate::template::{self, DOCUMENT_EXT};

/// How one document is doing while it is built.
pub(super) struct DocResult {
    /// Its index in the plan.
    index: usize,
    /// None while it is not (or never) built.
    status: Option<DocStatus>,
    diags: Diags,
    /// The document's copy of the sources, kept when its diagnostics point
    /// into files registered there (its item's file, its rendered Markdown).
    fork: Option<Sources>,
    /// Where its record is, if it was built (and written) or unchanged.
    entry: Option<Loc>,
    /// Files it wrote.
    files: usize,
    /// Its outputs depend on something the key does not cover, so it is
    /// rebuilt every time: a chart drawn with fonts that were resolved on
    /// the spot because no PDF is built (fonts enter the key only with a PDF).
    uncacheable: bool,
}

/// A finished document as the build keeps it until the end: there is one
/// per document, so it is small (its record is on disk, `spill`), and its
/// diagnostics, rare, are boxed.
pub(super) struct Finished {
    /// As in `DocResult`, in fewer bytes.
    pub(super) index: u32,
    pub(super) files: u16,
    pub(super) status: Option<DocStatus>,
    pub(super) uncacheable: bool,
    pub(super) entry: Option<Loc>,
    pub(super) reported: Option<Box<Reported>>,
}

/// A finished document's diagnostics, and its copy of the sources when
/// they point into files registered there.
pub(super) struct Reported {
    pub(super) diags: Diags,
    pub(super) fork: Option<Sources>,
}

/// A document rendered, waiting for the writers.
pub(super) struct Rendered<'p> {
    job: Job<'p>,
    doc: Document,
    markdown: String,
    /// Its output path without extension, relative to the output folder.
    name: String,
    /// Its cache key, made before it was rendered.
    key: String,
    /// Its sources with its rendered Markdown.
    sources: Sources,
    result: DocResult,
}

impl DocResult {
    /// A document not (yet) built: no status, no diagnostics, no record.
    fn new(index: usize) -> DocResult {
        DocResult { index, status: None, diags: Diags::new(), fork: None, entry: None, files: 0, uncacheable: false }
    }

    /// What the build keeps of it.
    pub(super) fn finished(self) -> Finished {
        let reported = (!self.diags.is_empty() || self.fork.is_some())
            .then(|| Box::new(Reported { diags: self.diags, fork: self.fork }));
        Finished {
            index: u32::try_from(self.index).unwrap_or(u32::MAX),
            files: u16::try_from(self.files).unwrap_or(u16::MAX),
            status: self.status,
            uncacheable: self.uncacheable,
            entry: self.entry,
            reported,
        }
    }
}

/// How many matrix items' data the workers hold now, and the most at once
/// (`BatchOutcome::peak_items`).
#[derive(Default)]
pub(super) struct ItemsInMemory {
    now: AtomicUsize,
    peak: AtomicUsize,
}

/// One item's data held by a worker, counted while it lives.
struct ItemInMemory<'a>(&'a ItemsInMemory);

impl ItemsInMemory {
    fn enter(&self) -> ItemInMemory<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        ItemInMemory(self)
    }

    /// The most items held at once so far.
    pub(super) fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

impl Drop for ItemInMemory<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

impl<'i> Batch<'i> {
    /// Build matrix document `index`, on a worker: its item read, the
    /// cache asked, rendered with the item's data, written.
    pub(super) fn build_item(&self, index: usize) -> DocResult {
        let mut result = DocResult::new(index);
        let Some(job) = self.plan.job(index) else { return result };
        if self.stopped() {
            return result;
        }
        let (Some(m), Some(item)) = (self.inputs.matrix(), job.item.and_then(|i| self.inputs.items.get(i))) else {
            result.diags.push(Diagnostic::internal(format!("matrix document `{}` has no item", job.id)));
            return self.fail(&job, result);
        };
        let name = match self.plan.rel(&job) {
            Some(Ok(name)) => name,
            Some(Err(d)) => {
                result.diags.push(*d);
                return self.fail(&job, result);
            }
            None => String::new(),
        };
        let limits = &self.inputs.project.config.limits;
        // A streamed item's file is read first: the digest of its text is
        // part of the key.
        let text = match &item.origin {
            Origin::File(f) => match stream::read(f, &item.key, limits) {
                Ok(t) => Some(t),
                Err(d) => {
                    result.diags.push(d);
                    return self.fail(&job, result);
                }
            },
            Origin::Loaded(_) => None,
        };
        let key = self.keys.key(&job, Some(&name), Some((&item, text.as_ref().map_or("", |(_, d)| d.as_str()))));
        if let Some((_, at)) = self.fresh(&job, &key) {
            return self.unchanged(&job, result, at);
        }
        let mut sources = self.out.sources.clone();
        let rendered = self.render_item(&job, m, &item, text.map(|(t, _)| t), &mut sources, &mut result.diags);
        let result = match rendered {
            Some(pipeline::Rendered { doc, markdown }) => {
                self.write(Rendered { job, doc, markdown, name, key, sources, result })
            }
            None => {
                self.keep_fork(&mut result, sources);
                self.fail(&job, result)
            }
        };
        memory::after_document(self.fonts.as_ref());
        result
    }

    /// Render matrix document `job` with the data of `item` (whose file's
    /// `text`, when it is a folder's, was read already). Its item's file
    /// and its Markdown are registered in `sources`; the item's data is in
    /// memory only while this runs.
    fn render_item(
        &self,
        job: &Job<'_>,
        m: &MatrixConfig,
        item: &Item,
        text: Option<String>,
        sources: &mut Sources,
        diags: &mut Diags,
    ) -> Option<pipeline::Rendered> {
        let _held = self.items_in_memory.enter();
        let vanished = || Diagnostic::internal(format!("matrix item `{}` vanished from the data", item.key));
        let loaded = match (&item.origin, text) {
            (Origin::File(f), Some(text)) => {
                stream::parse(f, &item.key, text, sources, &self.inputs.project.config.limits)
                    .map(|(file, value)| (self.inputs.data.with_item(m.item_name(), value, file, sources), file))
            }
            (Origin::Loaded(file), _) => self
                .inputs
                .data
                .for_item(&m.each, item, m.item_name(), &self.out.sources)
                .map(|d| (d, *file))
                .ok_or_else(vanished),
            (Origin::File(_), None) => Err(vanished()),
        };
        let (data, item_file) = match loaded {
            Ok(v) => v,
            Err(d) => {
                diags.push(d);
                return None;
            }
        };
        let (recs, d) = records::collect(&data, sources, self.inputs.project.config.year);
        // Shared files' warnings were reported once already; keep this item's.
        let records_failed = d.has_errors();
        diags.extend(Diags(
            d.0.into_iter().filter(|d| d.is_error() || d.span.as_ref().is_none_or(|sp| sp.file == item_file)).collect(),
        ));
        if records_failed {
            return None;
        }
        let ctx = Arc::new(template::context(&self.project_value, &data, &recs));
        pipeline::render_document(&self.inputs.templates, job.template, &ctx, &data, &self.settings, sources, diags)
    }

    /// Render document built once `job`, on this thread, in plan order: it
    /// claims its output name from its front matter in `names`. `ctx` is
    /// the context of every document built once (None when its records
    /// have errors). Err: the document is settled already (unchanged,
    /// failed or not started).
    pub(super) fn render_once(
        &self,
        job: Job<'i>,
        ctx: Option<&Arc<tera::Context>>,
        names: &mut OnceNames<'_, 'i>,
    ) -> Result<Rendered<'i>, DocResult> {
        let mut result = DocResult::new(job.index);
        if self.stopped() {
            return Err(result);
        }
        let key = self.keys.key(&job, None, None);
        if let Some((entry, at)) = self.fresh(&job, &key)
            && names.keep(&entry, job.template)
        {
            return Err(self.unchanged(&job, result, at));
        }
        let Some(ctx) = ctx else { return Err(self.fail(&job, result)) };
        let mut sources = self.out.sources.clone();
        let rendered = pipeline::render_document(
            &self.inputs.templates,
            job.template,
            ctx,
            &self.inputs.data,
            &self.settings,
            &mut sources,
            &mut result.diags,
        );
        let Some(pipeline::Rendered { doc, markdown }) = rendered else {
            self.keep_fork(&mut result, sources);
            return Err(self.fail(&job, result));
        };
        let name = doc.meta.output.clone().unwrap_or_else(|| job.template.trim_end_matches(DOCUMENT_EXT).to_string());
        let at_template = self.inputs.templates.file(job.template).map(|f| sources.span(f, 0..0));
        if let Err(d) = names.claim(&name, job.template, at_template) {
            result.diags.push(d);
            self.keep_fork(&mut result, sources);
            return Err(self.fail(&job, result));
        }
        Ok(Rendered { job, doc, markdown, name, key, sources, result })
    }

    /// Write a document built once (on the pool, after they are all
    /// rendered), unless a failure has stopped the build meanwhile.
    pub(super) fn write_once(&self, rendered: Rendered<'_>) -> DocResult {
        if !self.stopped() {
            return self.write(rendered);
        }
        let Rendered { sources, mut result, .. } = rendered;
        self.keep_fork(&mut result, sources);
        result
    }

    /// Whether a failure has stopped the build (`fail_fast`).
    pub(super) fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// The cached record of `job`, if the cache may be trusted (a build that
    /// writes, not forced) and says it is up to date with `key`.
    pub(super) fn fresh(&self, job: &Job<'_>, key: &str) -> Option<(DocEntry, At)> {
        if !self.opts.write || self.opts.force {
            return None;
        }
        self.cache.fresh(&job.id, key, &self.inputs.out_dir)
    }

    /// `job` is unchanged: its record stays the cache's line `at`.
    fn unchanged(&self, job: &Job<'_>, mut result: DocResult, at: At) -> DocResult {
        result.status = Some(DocStatus::Unchanged);
        result.entry = Some(Loc::Cache(at));
        (self.on_event)(Event::Done { id: &job.id, status: DocStatus::Unchanged, files: &[] });
        result
    }

    /// Run the writers on a rendered document, store its files (all or
    /// none) and record it.
    fn write(&self, rendered: Rendered<'_>) -> DocResult {
        let Rendered { job, doc, markdown, name, key, sources, mut result } = rendered;
        result.uncacheable = !self.key_covers(&markdown);
        let (entry, files) = self.write_files(&job, &doc, &markdown, &name, &mut result.diags);
        // The document (the overview's is large) goes before its record is kept.
        drop(doc);
        drop(markdown);
        self.keep_fork(&mut result, sources);
        self.settle(&job, result, &key, entry, &files)
    }

    /// Make every format of `doc` and, when the build writes, store them
    /// as `name` + each format's extension. The document's record, or None
    /// if a writer or a write failed (nothing was stored then).
    fn write_files(
        &self,
        job: &Job<'_>,
        doc: &Document,
        markdown: &str,
        name: &str,
        diags: &mut Diags,
    ) -> (Option<DocEntry>, Vec<PathBuf>) {
        let emitter = Emitter {
            writers: &self.inputs.writers,
            style: &self.inputs.project.style,
            root: self.root,
            fonts: self.fonts.as_ref(),
            limits: self.inputs.project.config.limits,
            pdf_standard: self.inputs.project.pdf_standard(),
        };
        let Some(made) = emitter.make(doc, markdown, diags) else { return (None, Vec::new()) };
        let mut files = Vec::new();
        if self.opts.write {
            match made.store(|w| self.inputs.out_dir.join(format!("{name}.{}", w.extension())), false) {
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
                path: format!("{name}.{}", f.writer.extension()),
                format: f.writer.name().to_string(),
                sha256: sha256_hex(&f.bytes),
                bytes: f.bytes.len() as u64,
            })
            .collect();
        let item = job.item.and_then(|i| self.inputs.items.get(i));
        let item = item.as_ref();
        let entry = DocEntry {
            id: job.id.clone(),
            template: job.template.to_string(),
            item: item.map(|i| i.key.clone()),
            inputs: self.keys.inputs(job, item),
            outputs,
        };
        (Some(entry), files)
    }

    /// Keep the document's copy of the sources only when a diagnostic
    /// points into a file registered there; else it is dropped here.
    fn keep_fork(&self, result: &mut DocResult, sources: Sources) {
        let base = self.out.sources.len();
        if result.diags.iter().any(|d| d.span.as_ref().is_some_and(|sp| sp.file.0 as usize >= base)) {
            result.fork = Some(sources);
        }
    }

    /// Whether the cache key covers everything the document's outputs
    /// depend on: a chart's pixels depend on the fonts, which are in the
    /// key only when the build resolved them (for a PDF).
    fn key_covers(&self, markdown: &str) -> bool {
        self.fonts.is_some() || !markdown.contains(crate::chart::SCHEME)
    }

    /// Settle `job` as failed (its errors are in `result`).
    fn fail(&self, job: &Job<'_>, result: DocResult) -> DocResult {
        self.settle(job, result, "", None, &[])
    }

    /// Settle a document's status: built if it has a record (`entry`) and
    /// no errors, else failed. A built document's record, with its cache
    /// `key`, goes to the spill file; the caller hears of it.
    fn settle(
        &self,
        job: &Job<'_>,
        mut result: DocResult,
        key: &str,
        entry: Option<DocEntry>,
        files: &[PathBuf],
    ) -> DocResult {
        let entry = entry.filter(|_| !result.diags.has_errors());
        if let Some(e) = &entry {
            result.files = e.outputs.len();
            if self.opts.write {
                let out_dir = &self.inputs.out_dir;
                let spilled = cache::line(key, e).and_then(|l| {
                    self.spill.push(&l).map_err(|err| {
                        Diagnostic::error(
                            Code::OutputWrite,
                            format!("cannot record the document in `{}`: {err}", out_dir.display()),
                        )
                        .with_path(out_dir)
                        .with_hint("check that the output folder is writable and the disk is not full")
                    })
                });
                match spilled {
                    Ok(at) => result.entry = Some(Loc::Spill(at)),
                    Err(d) => result.diags.push(d),
                }
            }
        }
        let status = if entry.is_some() && !result.diags.has_errors() { DocStatus::Built } else { DocStatus::Failed };
        if status == DocStatus::Failed {
            result.files = 0;
            if self.opts.fail_fast {
                self.stop.store(true, Ordering::SeqCst);
            }
        }
        result.status = Some(status);
        (self.on_event)(Event::Done { id: &job.id, status, files });
        result
    }
}
