//! The phases of a batch build, in order: planned (`Batch::new`), matrix
//! documents built (`build_matrix`), documents built once (`build_once`),
//! then the results merged and the cache and manifest written (`finish`).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use rayon::prelude::*;

use super::cache::{self, Cache};
use super::document::{Finished, ItemsInMemory, Reported};
use super::inputs::Inputs;
use super::keys::Keys;
use super::manifest::{self, DocEntry};
use super::plan::{Job, OnceNames, Plan};
use super::spill::{Loc, Records, Spill};
use super::{Batch, BatchOptions, BatchOutcome, DocStatus, Event, on_pool, stream};
use crate::data::{DataSet, records};
use crate::diag::{Code, Diagnostic, Diags, Sources};
use crate::fonts::FontSet;
use crate::memory;
use crate::output;
use crate::pipeline::DocSettings;
use crate::project::Project;
use crate::template;

/// A document of the manifest.
struct Recorded {
    /// Its index in the plan.
    index: usize,
    /// Where its record is.
    entry: Loc,
    /// Whether the next build may skip it (`Finished::uncacheable`, warnings).
    cacheable: bool,
}

impl<'i> Batch<'i> {
    /// Plan the documents of `inputs` (those of this shard), open the
    /// previous build's cache and hash the inputs; `out` holds what loading
    /// reported.
    pub(super) fn new(
        root: &'i Path,
        opts: &'i BatchOptions,
        on_event: &'i (dyn Fn(Event<'_>) + Sync),
        inputs: &'i Inputs,
        fonts: Option<FontSet>,
        mut out: BatchOutcome,
    ) -> Batch<'i> {
        let plan = Plan::new(&inputs.templates, inputs.matrix(), &inputs.items, &inputs.out_dir);
        let jobs: Vec<usize> = (0..plan.len()).filter(|&i| opts.shard.is_none_or(|s| s.owns(&plan.id(i)))).collect();
        on_event(Event::Start { documents: jobs.len() });
        let mut cache = Cache::default();
        if opts.write {
            output::remove_stale_temporaries(&inputs.out_dir);
            let (c, warn) = Cache::load(&inputs.out_dir);
            cache = c;
            if let Some(w) = warn {
                out.diags.push(w);
            }
        }
        let keys = Keys::new(
            root,
            &inputs.project,
            &inputs.templates,
            &inputs.data,
            &inputs.items,
            inputs.matrix(),
            fonts.as_ref(),
            &inputs.formats,
            &out.sources,
        );
        let threads =
            if opts.jobs == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { opts.jobs };
        let config = &inputs.project.config;
        Batch {
            root,
            opts,
            on_event,
            inputs,
            fonts,
            project_value: inputs.project.context_value(),
            settings: DocSettings {
                root,
                limits: &config.limits,
                allow: &config.check.allow,
                author: config.author.as_deref(),
            },
            out,
            plan,
            jobs,
            keys,
            cache,
            spill: Spill::new(&inputs.out_dir),
            // No threads to be had: build on this one rather than not at all.
            pool: rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)).build().ok(),
            stop: AtomicBool::new(false),
            items_in_memory: ItemsInMemory::default(),
            finished: Vec::new(),
        }
    }

    /// Build the matrix documents, in parallel. They come before the
    /// documents built once: those hold a summary of every item and grow
    /// with the items, so made alone they add nothing to the memory the
    /// matrix documents peak at, whatever the number of items.
    pub(super) fn build_matrix(&mut self) {
        let matrix_jobs: Vec<usize> = self.jobs.iter().copied().filter(|&i| self.plan.per_item(i)).collect();
        let batch = &*self;
        let finished: Vec<Finished> = on_pool(batch.pool.as_ref(), || {
            matrix_jobs.par_iter().map(|&index| batch.build_item(index).finished()).collect()
        });
        self.finished.extend(finished);
        // What the matrix documents freed is spread over the arenas: give it
        // back before the summaries are read (on every worker) and the
        // documents built once are made (on any), so that their memory adds
        // to a small base whichever threads they land on.
        memory::release(self.fonts.as_ref());
    }

    /// Build the documents made once: rendered one after the other in plan
    /// order (their names come from front matter, and a clash must be
    /// reported the same way on every run), then written in parallel.
    pub(super) fn build_once(&mut self) {
        let once: Vec<Job<'i>> =
            self.jobs.iter().filter(|&&i| !self.plan.per_item(i)).filter_map(|&i| self.plan.job(i)).collect();
        if !once.is_empty() {
            // Their keys cover every item's file: read them on the pool.
            on_pool(self.pool.as_ref(), || {
                self.keys.items_digest();
            });
        }
        // The context they share holds all the data (large in a big matrix
        // project): made only if one of them is not up to date and the
        // build goes on.
        let needs_context =
            !self.stopped() && once.iter().any(|job| self.fresh(job, &self.keys.key(job, None, None)).is_none());
        let ctx = if needs_context { self.once_context() } else { None };
        let mut names = OnceNames::new(&self.plan);
        let mut rendered = Vec::new();
        let mut settled = Vec::new();
        for job in once {
            match self.render_once(job, ctx.as_ref(), &mut names) {
                Ok(r) => rendered.push(r),
                Err(result) => settled.push(result.finished()),
            }
        }
        // The summaries of every item are not needed to write the documents.
        // They were parsed on every worker, so their pages are spread over
        // the arenas, where the writers on another thread cannot reuse them:
        // give them back first.
        drop(ctx);
        memory::trim_heap();
        let batch = &*self;
        let written: Vec<Finished> =
            on_pool(batch.pool.as_ref(), || rendered.into_par_iter().map(|r| batch.write_once(r).finished()).collect());
        self.finished.extend(settled);
        self.finished.extend(written);
    }

    /// The context of the documents built once: all the data, and in a
    /// matrix project the collection (e.g. `counties`) as `summary`, the
    /// summary view of every item (`data::summary`). Their `stats` count
    /// the records outside the collection only: an item's records are that
    /// item's (their ids may repeat from county to county). None when the
    /// records have errors.
    fn once_context(&mut self) -> Option<Arc<tera::Context>> {
        let inputs = self.inputs;
        let summary = inputs.matrix().and_then(|m| {
            if inputs.streamed {
                let limits = &inputs.project.config.limits;
                Some(on_pool(self.pool.as_ref(), || stream::summaries(&inputs.items, limits)))
            } else {
                inputs.data.collection_summary(&m.each).map(|v| stream::Interned::default().value(v))
            }
        });
        full_context(&inputs.project, &inputs.data, summary, &self.out.sources, &mut self.out.diags)
    }

    /// Merge the documents' results in plan order, so that diagnostics
    /// come out the same on every run, and (when the build writes) write
    /// the manifest and the cache.
    pub(super) fn finish(mut self) -> BatchOutcome {
        // What follows is per-document bookkeeping: free the fonts (tens of
        // MB) and the pool before it.
        self.pool = None;
        self.fonts = None;
        let mut finished = std::mem::take(&mut self.finished);
        finished.sort_by_key(|r| r.index);
        self.out.peak_items = self.items_in_memory.peak();
        // The documents' copies of the sources were made with this many files.
        let fork_base = self.out.sources.len();
        let mut seen = BTreeSet::new();
        let mut recorded = Vec::new();
        let mut in_build = vec![false; self.plan.len()];
        for r in finished {
            let index = r.index as usize;
            if let Some(b) = in_build.get_mut(index) {
                *b = true;
            }
            let Reported { mut diags, fork } = r.reported.map_or(Reported { diags: Diags::new(), fork: None }, |r| *r);
            // A document with warnings is not cached: skipping it would hide
            // them; nor is one whose key misses an input.
            let cacheable = !diags.has_warnings() && !r.uncacheable;
            if let Some(fork) = &fork {
                self.out.sources.adopt(fork, fork_base, &mut diags);
            }
            for d in diags.0 {
                if seen.insert(format!("{d:?}")) {
                    self.out.diags.push(d);
                }
            }
            match r.status {
                Some(DocStatus::Built) => self.out.built += 1,
                Some(DocStatus::Unchanged) => self.out.unchanged += 1,
                Some(DocStatus::Failed) => self.out.failed += 1,
                None => self.out.not_started += 1,
            }
            if r.status == Some(DocStatus::Built) {
                self.out.files += usize::from(r.files);
            }
            if let (Some(DocStatus::Built | DocStatus::Unchanged), Some(entry)) = (r.status, r.entry) {
                recorded.push(Recorded { index, entry, cacheable });
            }
        }
        if self.opts.write && !recorded.is_empty() {
            self.record(recorded, &in_build);
        }
        self.out
    }

    /// Flush the documents' files, then write the manifest of `recorded`
    /// and the new cache. `in_build` says which documents of the plan this
    /// build looked at.
    fn record(&mut self, mut recorded: Vec<Recorded>, in_build: &[bool]) {
        let plan = &self.plan;
        let out_dir = &self.inputs.out_dir;
        let out = &mut self.out;
        recorded.sort_by_cached_key(|r| plan.id(r.index));
        let records = Records { spill: &self.spill, cache: &self.cache };
        // The documents' files were written without a flush each: flush
        // them all before the cache and manifest vouch for them. A crash
        // before this leaves the previous cache, whose hashes the files
        // must match to be skipped.
        let written = recorded
            .iter()
            .filter_map(|r| records.entry(r.entry).ok())
            .flat_map(|e| e.doc.outputs.into_iter().map(|o| out_dir.join(o.path)));
        if let Err(d) = output::sync_all_under(out_dir, written) {
            out.diags.push(d);
        }
        // The new cache: this build's cacheable documents, and the previous
        // entries of documents of the project this build did not look at
        // (other shards'); failed, not started and deleted ones are dropped.
        let by_id: HashMap<String, usize> = (0..plan.len()).map(|i| (plan.id(i), i)).collect();
        let mut keep: Vec<(String, Loc)> = self
            .cache
            .entries()
            .filter(|(id, _)| by_id.get(*id).is_some_and(|&i| !in_build.get(i).copied().unwrap_or(true)))
            .map(|(id, at)| (id.to_string(), Loc::Cache(at)))
            .chain(recorded.iter().filter(|r| r.cacheable).map(|r| (plan.id(r.index), r.entry)))
            .collect();
        keep.sort_by(|a, b| a.0.cmp(&b.0));
        // The manifest first: unchanged documents' records are lines of the
        // previous cache, which must all be read before the new cache
        // replaces it (a file renamed over cannot be read everywhere).
        let doc = |i: usize| -> std::io::Result<DocEntry> {
            let r = recorded.get(i).ok_or_else(|| std::io::Error::other("no such document"))?;
            Ok(records.entry(r.entry)?.doc)
        };
        let shard = self.opts.shard.map(|s| s.to_string());
        if let Err(d) = manifest::write(out_dir, &self.inputs.formats, shard, recorded.len(), &doc) {
            out.diags.push(d);
        }
        // The cache only saves time: failing to write it costs the next
        // build its skips, not this build its success.
        if let Err(d) = Cache::save(out_dir, keep.iter().map(|(_, loc)| records.line(*loc))) {
            out.diags.push(
                Diagnostic::warning(Code::OutputCache, format!("the build cache was not saved: {}", d.message))
                    .with_path(out_dir.join(cache::CACHE_FILE))
                    .with_hint("the next build rebuilds everything; check that the output folder is writable"),
            );
        }
    }
}

/// The context of documents built once (`Batch::once_context`), with the
/// collection's `summary` when the project has a matrix.
fn full_context(
    project: &Project,
    data: &DataSet,
    summary: Option<tera::Value>,
    sources: &Sources,
    diags: &mut Diags,
) -> Option<Arc<tera::Context>> {
    let matrix = project.config.matrix.as_ref();
    let (recs, d) = match matrix {
        // Shared records were checked (and reported) once already.
        Some(m) => (records::collect(&data.without(&m.each, sources), sources, project.config.year).0, Diags::new()),
        None => records::collect(data, sources, project.config.year),
    };
    let failed = d.has_errors();
    diags.extend(d);
    (!failed).then(|| {
        let mut ctx = template::context(&project.context_value(), data, &recs);
        if let (Some(m), Some(v)) = (matrix, summary) {
            ctx.insert_value(m.each.clone(), v);
        }
        Arc::new(ctx)
    })
}
