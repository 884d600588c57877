//! Builds at CI scale: matrix documents, parallel writers, an input-hash
//! cache, a manifest, and shards.
//!
//! The same pipeline as `build` (data → templates → markup → writers), run
//! for a plan of documents: every document template once, or once per item
//! of the `[matrix]` collection. Project, fonts, templates and shared data
//! are loaded once and shared by reference with a rayon pool of `jobs`
//! threads; the items of a folder collection are read by the worker that
//! builds their document (`stream`), never all at once;
//! each document is rendered, laid out and written on its own; its record
//! (its files' hashes, for the cache and the manifest) goes to a scratch
//! file (`spill`) and only its status, diagnostics and the record's offset
//! come back, so memory does not grow with the number of documents. Nothing here prints:
//! progress goes to the caller's `on_event`.

pub mod cache;
mod deps;
mod items;
mod keys;
pub mod manifest;
pub mod matrix;
mod plan;
pub mod shard;
mod spill;
mod stream;
mod worker;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::data::{DataSet, records};
use crate::diag::{Code, Diagnostic, Diags, Sources};
use crate::output;
use crate::pipeline::{self, Outcome};
use crate::project::Project;
use crate::template::{self, DOCUMENT_EXT, TemplateSet};
use cache::Cache;
use items::Items;
use keys::Keys;
use manifest::DocEntry;
use matrix::MatrixConfig;
use plan::{Job, Plan};
pub use shard::Shard;
use spill::{Loc, Records, Spill};
use worker::{Held, JobResult, Kept, Rendered, Shared, build_item, emit_rendered};

/// What a batch build should do.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Formats to write; empty means wengao.toml's `outputs`, else docx and pdf.
    pub formats: Vec<String>,
    /// Output folder instead of wengao.toml's `out`.
    pub out_dir: Option<PathBuf>,
    /// Worker threads; 0 means one per available core.
    pub jobs: usize,
    /// Rebuild every document even when the cache says it is up to date.
    pub force: bool,
    /// Build only this shard of the documents.
    pub shard: Option<Shard>,
    /// Start no new document after the first one fails.
    pub fail_fast: bool,
    /// False for `check`: run everything, write nothing (no cache, no manifest).
    pub write: bool,
}

/// How one document ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocStatus {
    /// Rendered and written (or, for `check`, rendered and run through the writers).
    Built,
    /// Inputs and outputs unchanged since the cached build: skipped.
    Unchanged,
    /// It has errors; nothing of it was written.
    Failed,
}

/// Progress, for the caller to show (the library never prints).
#[derive(Debug)]
pub enum Event<'a> {
    /// The plan is made: this many documents will be looked at.
    Start {
        /// Documents in this build (this shard).
        documents: usize,
    },
    /// A document is done.
    Done {
        /// Its id (`experience`, `experience@qingxi`).
        id: &'a str,
        /// How it ended.
        status: DocStatus,
        /// The files it wrote.
        files: &'a [PathBuf],
    },
}

/// The result of a batch build.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    /// Errors and warnings, in plan order, without repeats.
    pub diags: Diags,
    /// Files the diagnostics point into.
    pub sources: Sources,
    /// Documents built.
    pub built: usize,
    /// Documents skipped as unchanged.
    pub unchanged: usize,
    /// Documents that failed.
    pub failed: usize,
    /// Documents not started because of `fail_fast`.
    pub not_started: usize,
    /// Files written.
    pub files: usize,
    /// The most matrix items whose data was in memory at once (at most one
    /// per worker: items are read by the worker that builds their document).
    pub peak_items: usize,
}

/// Build the project in `root` as a batch.
pub fn run(root: &Path, opts: &BatchOptions, on_event: &(dyn Fn(Event<'_>) + Sync)) -> BatchOutcome {
    let mut deferred = Diags::new();
    let mut out = run_plan(root, opts, on_event, &mut deferred);
    // Errors of single matrix items' data files come first, as file errors do.
    deferred.extend(std::mem::take(&mut out.diags));
    out.diags = deferred;
    out
}

fn run_plan(
    root: &Path,
    opts: &BatchOptions,
    on_event: &(dyn Fn(Event<'_>) + Sync),
    deferred: &mut Diags,
) -> BatchOutcome {
    let mut out = BatchOutcome::default();
    let project = match Project::open(root, &mut out.sources) {
        Ok(p) => p,
        Err(d) => {
            out.diags.extend(d);
            return out;
        }
    };
    let formats = if opts.formats.is_empty() { project.default_formats() } else { opts.formats.clone() };
    let Some(writers) = pipeline::writers_for(&formats, &mut out.diags) else { return out };
    let formats: Vec<String> = writers.iter().map(|w| w.name().to_string()).collect();
    let fonts = pipeline::resolve_fonts(&writers, &project.style, root, &mut out.diags);
    let limits = project.config.limits;
    let matrix = project.config.matrix.clone();
    // A folder collection is not loaded with the rest: its items are read
    // one at a time by the workers (stream.rs).
    let stream_dir = matrix.as_ref().map(|m| project.data_dir().join(&m.each)).filter(|d| d.is_dir());
    let skip = matrix.as_ref().filter(|_| stream_dir.is_some()).map(|m| m.each.as_str());
    let (data, d) = DataSet::load_dir_except(&project.data_dir(), root, &mut out.sources, &limits, skip);
    // A matrix item's file that cannot be read or parsed fails that item
    // only: it is left out of the collection, reported, and the build
    // still ends with status 1. Any other data error stops the build.
    let (item_errors, d): (Vec<Diagnostic>, Vec<Diagnostic>) =
        d.0.into_iter().partition(|d| matrix.as_ref().is_some_and(|m| in_collection(d, &m.each, &out.sources)));
    deferred.extend(Diags(item_errors));
    out.diags.extend(Diags(d));
    let (templates, d) = TemplateSet::load_dir(&project.templates_dir(), root, &mut out.sources);
    out.diags.extend(d);
    let Some(templates) = templates.map(|t| t.with_script(project.config.script)) else { return out };
    if out.diags.has_errors() {
        return out;
    }
    let mut items = Items::default();
    if let Some(m) = &matrix {
        if let Err(d) = m.validate(templates.documents(), &data) {
            out.diags.push(d);
            return out;
        }
        let scanned = match &stream_dir {
            Some(_) if data.has_key(&m.each) => Err(Diagnostic::error(
                Code::MatrixCollection,
                format!("the matrix collection `{}` is both a folder and a data key", m.each),
            )
            .with_path(Path::new("data").join(&m.each))
            .with_hint(format!("keep data/{}/ or the `{}` key of another data file, not both", m.each, m.each))
            .into()),
            Some(dir) => stream::scan(dir, root, m, &limits),
            None => Ok((Items::default(), Diags::new())),
        };
        match scanned {
            Ok((v, d)) if !v.is_empty() || d.has_errors() => {
                items = v;
                deferred.extend(d);
            }
            // No item files at all: say so as for a missing collection.
            Ok(_) => match data.collection(&m.each, &out.sources) {
                Ok(v) => items = Items::Loaded(v),
                Err(d) => {
                    out.diags.extend(d);
                    return out;
                }
            },
            Err(d) => {
                out.diags.extend(d);
                return out;
            }
        }
        // Shared data is checked once here; each item's records in its worker.
        let shared = if stream_dir.is_some() { None } else { Some(data.without(&m.each, &out.sources)) };
        let (_, d) = records::collect(shared.as_ref().unwrap_or(&data), &out.sources, project.config.year);
        out.diags.extend(d);
        if out.diags.has_errors() {
            return out;
        }
    }
    let out_dir = opts.out_dir.clone().unwrap_or_else(|| project.out_dir());
    if let Err(d) = output::check_out_dir(&out_dir, root) {
        out.diags.push(d);
        return out;
    }

    let plan = Plan::new(&templates, matrix.as_ref(), &items, &out_dir);
    let jobs: Vec<usize> = (0..plan.len()).filter(|&i| opts.shard.is_none_or(|s| s.owns(&plan.id(i)))).collect();
    on_event(Event::Start { documents: jobs.len() });

    let mut cache = Cache::default();
    if opts.write {
        let (c, warn) = Cache::load(&out_dir);
        cache = c;
        if let Some(w) = warn {
            out.diags.push(w);
        }
    }
    let keys =
        Keys::new(root, &project, &templates, &data, &items, matrix.as_ref(), fonts.as_ref(), &formats, &out.sources);
    let threads = if opts.jobs == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { opts.jobs };
    // No threads to be had: build on this one rather than not at all.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)).build().ok();
    let stop = AtomicBool::new(false);
    let held = Held::default();
    let spill = Spill::new(&out_dir);
    let mut results: Vec<JobResult> = Vec::new();

    // Matrix documents first, in parallel. Documents built once (an
    // overview of every item) come after them: their context holds a
    // summary of every item and the overview grows with the items, so made
    // alone they add nothing to the memory the matrix documents peak at,
    // whatever the number of items.
    // What the workers share; made again once `out.sources` has the
    // rendered documents of the second pass.
    macro_rules! shared {
        () => {
            Shared {
                root,
                project: &project,
                project_value: project.context_value(),
                writers: &writers,
                fonts: fonts.as_ref(),
                limits,
                out_dir: &out_dir,
                templates: &templates,
                data: &data,
                matrix: matrix.as_ref(),
                items: &items,
                sources: &out.sources,
                opts,
                keys: &keys,
                cache: &cache,
                spill: &spill,
                stop: &stop,
                held: &held,
                on_event,
            }
        };
    }
    // The matrix documents' own sources are forks of these files.
    let fork_base = out.sources.len();
    let shared = shared!();
    let matrix_jobs: Vec<usize> = jobs.iter().copied().filter(|&ji| plan.per_item(ji)).collect();
    let done: Vec<Kept> =
        on_pool(pool.as_ref(), || matrix_jobs.par_iter().map(|&ji| build_item(&shared, &plan, ji).kept()).collect());
    drop(shared);
    // What the matrix documents freed is spread over the arenas: give it
    // back before the summaries are read (on every worker) and the
    // documents built once are made (on any), so that their memory adds to
    // a small base whichever threads they land on. Likewise the pages of
    // the font files the matrix documents read.
    crate::memory::release(fonts.as_ref());

    // Documents built once are rendered here, one after the other, in plan
    // order: their names come from front matter, and a clash must be
    // reported the same way on every run. The context they share holds all
    // the data (large in a big matrix project): made only if one of them
    // is not up to date and the build goes on.
    let once: Vec<Job<'_>> = jobs.iter().filter(|&&ji| !plan.per_item(ji)).filter_map(|&ji| plan.job(ji)).collect();
    if !once.is_empty() {
        // Their keys cover every item's file: read them on the pool.
        on_pool(pool.as_ref(), || {
            keys.items_digest();
        });
    }
    let is_fresh = |job: &Job<'_>| {
        opts.write && !opts.force && cache.fresh(&job.id, &keys.key(job, None, None), &out_dir).is_some()
    };
    let needs_full = !stop.load(Ordering::SeqCst) && once.iter().any(|j| !is_fresh(j));
    let full_ctx = if needs_full {
        let summary = matrix.as_ref().and_then(|m| match &stream_dir {
            Some(_) => Some(on_pool(pool.as_ref(), || stream::summaries(&items, &limits))),
            None => data.collection_summary(&m.each).map(|v| stream::Interned::default().value(v)),
        });
        full_context(&project, &data, matrix.as_ref(), summary, &out.sources, &mut out.diags)
    } else {
        None
    };
    // Output names taken by documents built once so far (matrix documents'
    // are the plan's).
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let taken = |names: &BTreeMap<String, String>, n: &str| {
        names.get(n).cloned().or_else(|| plan.writer_of(n).map(|i| plan.id(i)))
    };
    // With --fail-fast, no document built once starts after a failure.
    let stop_on_failure = |results: &[JobResult]| {
        if opts.fail_fast && results.iter().any(|r| r.status == Some(DocStatus::Failed)) {
            stop.store(true, Ordering::SeqCst);
        }
    };
    let mut rendered: Vec<Rendered> = Vec::new();
    for job in &once {
        let ji = job.index;
        stop_on_failure(&results);
        if stop.load(Ordering::SeqCst) {
            results.push(JobResult::new(ji));
            continue;
        }
        let key = keys.key(job, None, None);
        // An unchanged document keeps its names; if another document has
        // claimed one of them meanwhile, it is rendered again so that the
        // clash is reported as a full build would.
        let claims = |e: &DocEntry| -> Vec<String> {
            e.outputs.iter().map(|o| o.path.rsplit_once('.').map_or(o.path.as_str(), |(s, _)| s).to_string()).collect()
        };
        if opts.write
            && !opts.force
            && let Some((entry, at)) = cache.fresh(&job.id, &key, &out_dir)
            && claims(&entry).iter().all(|n| taken(&names, n).is_none())
        {
            for n in claims(&entry) {
                names.insert(n, job.template.to_string());
            }
            on_event(Event::Done { id: &job.id, status: DocStatus::Unchanged, files: &[] });
            results.push(JobResult {
                status: Some(DocStatus::Unchanged),
                entry: Some(Loc::Cache(at)),
                ..JobResult::new(ji)
            });
            continue;
        }
        let failed = |diags: Diags| JobResult { status: Some(DocStatus::Failed), diags, ..JobResult::new(ji) };
        let Some(ctx) = full_ctx.as_ref() else {
            on_event(Event::Done { id: &job.id, status: DocStatus::Failed, files: &[] });
            results.push(failed(Diags::new()));
            continue;
        };
        let settings = pipeline::DocSettings {
            root,
            limits: &limits,
            allow: &project.config.check.allow,
            author: project.config.author.as_deref(),
        };
        let mut diags = Diags::new();
        let doc =
            pipeline::render_document(&templates, job.template, ctx, &data, &settings, &mut out.sources, &mut diags);
        let Some(pipeline::Rendered { doc, markdown }) = doc else {
            on_event(Event::Done { id: &job.id, status: DocStatus::Failed, files: &[] });
            results.push(failed(diags));
            continue;
        };
        let stem = doc.meta.output.clone().unwrap_or_else(|| job.template.trim_end_matches(DOCUMENT_EXT).to_string());
        let at_template = templates.file(job.template).map(|f| out.sources.span(f, 0..0));
        let problem = match output::check_name(&stem) {
            Err(msg) => Some(
                Diagnostic::error(Code::OutputName, msg)
                    .with_span_opt(at_template)
                    .with_hint("rename the template, or set a plain file name with `output:` in its front matter"),
            ),
            Ok(()) => taken(&names, &stem).map(|other| {
                Diagnostic::error(
                    Code::OutputClash,
                    format!("templates `{other}` and `{}` both write `{stem}`", job.template),
                )
                .with_span_opt(at_template)
                .with_hint("give one of them a different `output:` name in its front matter")
            }),
        };
        if let Some(p) = problem {
            diags.push(p);
            on_event(Event::Done { id: &job.id, status: DocStatus::Failed, files: &[] });
            results.push(failed(diags));
            continue;
        }
        names.insert(stem.clone(), job.template.to_string());
        // Warnings from rendering travel with the document's result.
        results.push(JobResult { diags, ..JobResult::new(ji) });
        rendered.push(Rendered { job: ji, doc, markdown, rel: stem, key });
    }
    // The summaries of every item are not needed to write the documents.
    // They were parsed on every worker, so their pages are spread over the
    // arenas, where the writers on another thread cannot reuse them: give
    // them back first (without this, one run in three peaked 11 MB higher
    // at 1000 items).
    drop(full_ctx);
    crate::memory::trim_heap();
    stop_on_failure(&results);
    let shared = shared!();
    let emitted: Vec<JobResult> =
        on_pool(pool.as_ref(), || rendered.into_par_iter().map(|r| emit_rendered(&shared, &plan, r)).collect());
    drop(shared);
    // What follows is per-document bookkeeping (cache, manifest): free the
    // fonts (tens of MB) and the pool before it.
    drop(pool);
    drop(fonts);
    // Results of documents built once were made when they were rendered.
    let rendered_at: HashMap<usize, usize> = results.iter().enumerate().map(|(i, r)| (r.job, i)).collect();
    for r in emitted {
        match rendered_at.get(&r.job).and_then(|&i| results.get_mut(i)) {
            Some(x) => x.absorb(r),
            None => results.push(r),
        }
    }
    let mut kept = done;
    kept.extend(results.into_iter().map(JobResult::kept));
    kept.sort_by_key(|r| r.job);
    out.peak_items = held.peak.load(Ordering::SeqCst);

    // Merge in plan order so that diagnostics come out the same on every run.
    let mut seen = BTreeSet::new();
    // The documents of the manifest: plan index, record, whether to cache it.
    let mut recorded: Vec<(usize, Loc, bool)> = Vec::new();
    let mut in_build = vec![false; plan.len()];
    for r in kept {
        let job = r.job as usize;
        if let Some(b) = in_build.get_mut(job) {
            *b = true;
        }
        let (mut diags, fork) = r.notes.map(|n| *n).unwrap_or_default();
        // A document with warnings is not cached: skipping it would hide
        // them; nor is one whose key misses an input.
        let warned = diags.has_warnings() || r.uncacheable;
        if let Some(fork) = &fork {
            out.sources.adopt(fork, fork_base, &mut diags);
        }
        for d in diags.0 {
            if seen.insert(format!("{d:?}")) {
                out.diags.push(d);
            }
        }
        match r.status {
            Some(DocStatus::Built) => out.built += 1,
            Some(DocStatus::Unchanged) => out.unchanged += 1,
            Some(DocStatus::Failed) => out.failed += 1,
            None => out.not_started += 1,
        }
        if r.status == Some(DocStatus::Built) {
            out.files += usize::from(r.files);
        }
        if let (Some(DocStatus::Built | DocStatus::Unchanged), Some(loc)) = (r.status, r.entry) {
            recorded.push((job, loc, !warned));
        }
    }
    if opts.write && !recorded.is_empty() {
        recorded.sort_by_cached_key(|r| plan.id(r.0));
        let records = Records { spill: &spill, cache: &cache };
        // The documents' files were written without a flush each: flush
        // them all before the cache and manifest vouch for them. A crash
        // before this leaves the previous cache, whose hashes the files
        // must match to be skipped.
        let written = recorded
            .iter()
            .filter_map(|&(_, loc, _)| records.entry(loc).ok())
            .flat_map(|e| e.doc.outputs.into_iter().map(|o| out_dir.join(o.path)));
        if let Err(d) = output::sync_all_under(&out_dir, written) {
            out.diags.push(d);
        }
        // The new cache: this build's cacheable documents, and the previous
        // entries of documents of the project this build did not look at
        // (other shards'); failed, not started and deleted ones are dropped.
        let by_id: HashMap<String, usize> = (0..plan.len()).map(|i| (plan.id(i), i)).collect();
        let mut keep: Vec<(String, Loc)> = cache
            .entries()
            .filter(|(id, _)| by_id.get(*id).is_some_and(|&ji| !in_build.get(ji).copied().unwrap_or(true)))
            .map(|(id, at)| (id.to_string(), Loc::Cache(at)))
            .chain(recorded.iter().filter(|r| r.2).map(|&(ji, loc, _)| (plan.id(ji), loc)))
            .collect();
        keep.sort_by(|a, b| a.0.cmp(&b.0));
        // The manifest first: unchanged documents' records are lines of the
        // previous cache, which must all be read before the new cache
        // replaces it (a file renamed over cannot be read everywhere).
        let doc = |i: usize| -> std::io::Result<DocEntry> {
            let &(_, loc, _) = recorded.get(i).ok_or_else(|| std::io::Error::other("no such document"))?;
            Ok(records.entry(loc)?.doc)
        };
        if let Err(d) = manifest::write(&out_dir, &formats, opts.shard.map(|s| s.to_string()), recorded.len(), &doc) {
            out.diags.push(d);
        }
        // The cache only saves time: failing to write it costs the next
        // build its skips, not this build its success.
        if let Err(d) = Cache::save(&out_dir, keep.iter().map(|(_, loc)| records.line(*loc))) {
            out.diags.push(
                Diagnostic::warning(Code::OutputCache, format!("the build cache was not saved: {}", d.message))
                    .with_path(out_dir.join(cache::CACHE_FILE))
                    .with_hint("the next build rebuilds everything; check that the output folder is writable"),
            );
        }
    }
    out
}

/// Run `f` on the pool when there is one.
fn on_pool<R: Send>(pool: Option<&rayon::ThreadPool>, f: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// The context of documents built once: all the data, and in a matrix
/// project the collection (e.g. `counties`) as `summary`, the summary view
/// of every item (`data::summary`). Their `stats` count the records
/// outside the collection only: an item's records are that item's (their
/// ids may repeat from county to county). None when the records have errors.
fn full_context(
    project: &Project,
    data: &DataSet,
    matrix: Option<&MatrixConfig>,
    summary: Option<tera::Value>,
    sources: &Sources,
    diags: &mut Diags,
) -> Option<std::sync::Arc<tera::Context>> {
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
        std::sync::Arc::new(ctx)
    })
}

/// Whether a diagnostic is about a file of the matrix collection (`data/counties/…`).
fn in_collection(d: &Diagnostic, each: &str, sources: &Sources) -> bool {
    let path = match &d.span {
        Some(span) => sources.get(span.file).map(|f| f.path.clone()),
        None => d.path.clone(),
    };
    path.is_some_and(|p| p.starts_with(Path::new("data").join(each)))
}

/// Build the project in `root` (or, with `write` false, check it), with
/// no progress to show: the outcome as `pipeline::Outcome`, the files
/// written sorted (workers finish in any order). For tests, benchmarks and
/// embedding; `wengao build` calls `run` for its progress.
pub fn build_project(root: &Path, opts: &BatchOptions) -> Outcome {
    let written = std::sync::Mutex::new(Vec::new());
    let b = run(root, opts, &|e| {
        if let Event::Done { files, .. } = e
            && let Ok(mut w) = written.lock()
        {
            w.extend_from_slice(files);
        }
    });
    let mut written = written.into_inner().unwrap_or_default();
    written.sort();
    Outcome { written, diags: b.diags, sources: b.sources, documents: b.built + b.unchanged }
}

/// `wengao check`: every document through every writer, nothing written.
pub fn check_project(root: &Path) -> Outcome {
    let formats = crate::write::FORMATS.iter().map(|f| f.to_string()).collect();
    build_project(root, &BatchOptions { formats, write: false, ..BatchOptions::default() })
}
