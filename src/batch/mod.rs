//! Builds at CI scale: matrix documents, parallel writers, an input-hash
//! cache, a manifest, and shards.
//!
//! The same pipeline as `build` (data → templates → markup → writers), run
//! for a plan of documents: every document template once, or once per item
//! of the `[matrix]` collection. Project, fonts, templates and data are
//! loaded once and shared by reference with a rayon pool of `jobs` threads;
//! each document is rendered, laid out and written on its own and only a
//! small record of it (its files' hashes, its diagnostics) comes back, so
//! memory does not grow with the number of documents. Nothing here prints:
//! progress goes to the caller's `on_event`.

pub mod cache;
mod deps;
pub mod manifest;
pub mod matrix;
pub mod shard;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::build::{self, Outcome};
use crate::data::{DataSet, Item, records};
use crate::diag::{Code, Diagnostic, Diags, FileId, Sources};
use crate::doc::Document;
use crate::fonts::FontSet;
use crate::limits::Limits;
use crate::output;
use crate::project::{CONFIG_FILE, Project};
use crate::template::{self, DOCUMENT_EXT, TemplateSet};
use crate::write::{WriteContext, Writer};
use cache::{Cache, KeyBuilder, sha256_hex};
use manifest::{DocEntry, OutputFile};
use matrix::MatrixConfig;
pub use shard::Shard;

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
}

/// One document of the plan.
struct Job {
    /// Stable id, also the shard and cache key.
    id: String,
    /// Document template (`experience.md.tera`).
    template: String,
    /// Index of the matrix item in `items`.
    item: Option<usize>,
    /// Matrix documents: output path without extension, relative to the
    /// output folder, or why the item cannot have one.
    rel: Option<Result<String, Diagnostic>>,
}

/// A document ready for the writers (rendered before the parallel phase).
struct Rendered {
    job: usize,
    doc: Document,
    markdown: String,
    rel: String,
}

/// What the workers share, read-only.
struct Shared<'a> {
    root: &'a Path,
    project: &'a Project,
    project_value: serde_json::Value,
    writers: &'a [Box<dyn Writer>],
    fonts: Option<&'a FontSet>,
    limits: Limits,
    out_dir: &'a Path,
    templates: &'a TemplateSet,
    data: &'a DataSet,
    matrix: Option<&'a MatrixConfig>,
    items: &'a [Item],
    sources: &'a Sources,
    opts: &'a BatchOptions,
    keys: &'a Keys,
    cache: &'a Cache,
    stop: &'a AtomicBool,
    on_event: &'a (dyn Fn(Event<'_>) + Sync),
}

/// What came back from one document.
struct JobResult {
    job: usize,
    status: Option<DocStatus>,
    diags: Diags,
    /// The worker's copy of the sources, when its diagnostics point into
    /// files it registered (the rendered Markdown).
    fork: Option<Sources>,
    key: String,
    entry: Option<DocEntry>,
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
    let Some(writers) = build::writers_for(&formats, &mut out.diags) else { return out };
    let formats: Vec<String> = writers.iter().map(|w| w.name().to_string()).collect();
    let fonts = build::resolve_fonts(&writers, &project.style, root, &mut out.diags);
    let limits = project.config.limits;
    let matrix = project.config.matrix.clone();
    let (data, d) = DataSet::load_dir_limited(&project.data_dir(), root, &mut out.sources, &limits);
    // A matrix item's file that cannot be read or parsed fails that item
    // only: it is left out of the collection, reported, and the build
    // still ends with status 1. Any other data error stops the build.
    let (item_errors, d): (Vec<Diagnostic>, Vec<Diagnostic>) =
        d.0.into_iter().partition(|d| matrix.as_ref().is_some_and(|m| in_collection(d, &m.each, &out.sources)));
    deferred.extend(Diags(item_errors));
    out.diags.extend(Diags(d));
    let (templates, d) = TemplateSet::load_dir(&project.templates_dir(), root, &mut out.sources);
    out.diags.extend(d);
    let Some(templates) = templates else { return out };
    if out.diags.has_errors() {
        return out;
    }
    let mut items = Vec::new();
    if let Some(m) = &matrix {
        if let Err(d) = m.validate(templates.documents(), &data) {
            out.diags.push(d);
            return out;
        }
        match data.collection(&m.each, &out.sources) {
            Ok(v) => items = v,
            Err(d) => {
                out.diags.extend(d);
                return out;
            }
        }
        // Shared data is checked once here; each item's records in its worker.
        let (_, d) = records::collect(&data.without(&m.each, &out.sources), &out.sources, project.config.year);
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

    let plan = plan(&templates, matrix.as_ref(), &items, &out_dir);
    let all_ids: BTreeSet<String> = plan.iter().map(|j| j.id.clone()).collect();
    let jobs: Vec<usize> =
        (0..plan.len()).filter(|&i| opts.shard.is_none_or(|s| plan.get(i).is_some_and(|j| s.owns(&j.id)))).collect();
    on_event(Event::Start { documents: jobs.len() });

    let mut cache = Cache::default();
    if opts.write {
        let (c, warn) = Cache::load(&out_dir);
        cache = c;
        if let Some(w) = warn {
            out.diags.push(w);
        }
    }
    let keys = Keys::new(root, &project, &templates, &data, matrix.as_ref(), fonts.as_ref(), &formats, &out.sources);
    let stop = AtomicBool::new(false);
    let mut results: Vec<JobResult> = Vec::new();

    // Documents built once are rendered here, one after the other, in plan
    // order: their names come from front matter, and a clash must be
    // reported the same way on every run.
    // Whether a document built once must be rendered (the context with all
    // the data is large in a big matrix project: only made when needed).
    let is_fresh =
        |job: &Job| opts.write && !opts.force && cache.fresh(&job.id, &keys.key(job, None), &out_dir).is_some();
    let needs_full = jobs.iter().any(|&ji| plan.get(ji).is_some_and(|j| j.item.is_none() && !is_fresh(j)));
    let full_ctx =
        if needs_full { full_context(&project, &data, matrix.as_ref(), &out.sources, &mut out.diags) } else { None };
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for j in &plan {
        if let Some(Ok(rel)) = &j.rel {
            names.insert(rel.clone(), j.id.clone());
        }
    }
    let mut rendered: Vec<Rendered> = Vec::new();
    for &ji in &jobs {
        let Some(job) = plan.get(ji).filter(|j| j.item.is_none()) else { continue };
        let key = keys.key(job, None);
        // An unchanged document keeps its names; if another document has
        // claimed one of them meanwhile, it is rendered again so that the
        // clash is reported as a full build would.
        let claims = |e: &DocEntry| -> Vec<String> {
            e.outputs.iter().map(|o| o.path.rsplit_once('.').map_or(o.path.as_str(), |(s, _)| s).to_string()).collect()
        };
        if opts.write
            && !opts.force
            && let Some(entry) = cache.fresh(&job.id, &key, &out_dir)
            && claims(entry).iter().all(|n| !names.contains_key(n))
        {
            for n in claims(entry) {
                names.insert(n, job.template.clone());
            }
            on_event(Event::Done { id: &job.id, status: DocStatus::Unchanged, files: &[] });
            results.push(JobResult {
                job: ji,
                status: Some(DocStatus::Unchanged),
                diags: Diags::new(),
                fork: None,
                key,
                entry: Some(entry.clone()),
            });
            continue;
        }
        let failed = |diags: Diags| JobResult {
            job: ji,
            status: Some(DocStatus::Failed),
            diags,
            fork: None,
            key: String::new(),
            entry: None,
        };
        let Some(ctx) = full_ctx.as_ref() else {
            on_event(Event::Done { id: &job.id, status: DocStatus::Failed, files: &[] });
            results.push(failed(Diags::new()));
            continue;
        };
        let mut o = Outcome { sources: std::mem::take(&mut out.sources), ..Outcome::default() };
        let doc = build::render_document(&templates, &job.template, ctx, &data, root, &limits, &mut o);
        out.sources = std::mem::take(&mut o.sources);
        let Some((doc, markdown)) = doc else {
            on_event(Event::Done { id: &job.id, status: DocStatus::Failed, files: &[] });
            results.push(failed(o.diags));
            continue;
        };
        let stem = doc.meta.output.clone().unwrap_or_else(|| job.template.trim_end_matches(DOCUMENT_EXT).to_string());
        let at_template = templates.file(&job.template).map(|f| out.sources.span(f, 0..0));
        let problem = match output::check_name(&stem) {
            Err(msg) => Some(
                Diagnostic::error(Code::OutputName, msg)
                    .with_span_opt(at_template)
                    .with_hint("rename the template, or set a plain file name with `output:` in its front matter"),
            ),
            Ok(()) => names.get(&stem).map(|other| {
                Diagnostic::error(
                    Code::OutputClash,
                    format!("templates `{other}` and `{}` both write `{stem}`", job.template),
                )
                .with_span_opt(at_template)
                .with_hint("give one of them a different `output:` name in its front matter")
            }),
        };
        let mut diags = o.diags;
        if let Some(p) = problem {
            diags.push(p);
            on_event(Event::Done { id: &job.id, status: DocStatus::Failed, files: &[] });
            results.push(failed(diags));
            continue;
        }
        names.insert(stem.clone(), job.template.clone());
        // Warnings from rendering travel with the document's result.
        results.push(JobResult { job: ji, status: None, diags, fork: None, key, entry: None });
        rendered.push(Rendered { job: ji, doc, markdown, rel: stem });
    }
    if opts.fail_fast && results.iter().any(|r| r.status == Some(DocStatus::Failed)) {
        stop.store(true, Ordering::SeqCst);
    }

    let shared = Shared {
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
        stop: &stop,
        on_event,
    };
    let matrix_jobs: Vec<usize> =
        jobs.iter().copied().filter(|&ji| plan.get(ji).is_some_and(|j| j.item.is_some())).collect();
    let threads = if opts.jobs == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { opts.jobs };
    let work = || -> (Vec<JobResult>, Vec<JobResult>) {
        let a = rendered.par_iter().map(|r| emit_rendered(&shared, &plan, r)).collect();
        let b = matrix_jobs.par_iter().map(|&ji| build_item(&shared, &plan, ji)).collect();
        (a, b)
    };
    let (emitted, built) = match rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)).build() {
        Ok(pool) => pool.install(work),
        // No threads to be had: build on this one rather than not at all.
        Err(_) => work(),
    };
    for r in emitted {
        match results.iter_mut().find(|x| x.job == r.job) {
            Some(x) => {
                x.status = r.status;
                x.diags.extend(r.diags);
                x.entry = r.entry;
            }
            None => results.push(r),
        }
    }
    results.extend(built);
    results.sort_by_key(|r| r.job);

    // Merge in plan order so that diagnostics come out the same on every run.
    let base = out.sources.len();
    let mut seen = BTreeSet::new();
    let mut entries = Vec::new();
    for mut r in results {
        // A document with warnings is not cached: skipping it would hide them.
        let warned = r.diags.has_warnings();
        if let Some(fork) = &r.fork {
            out.sources.adopt(fork, base, &mut r.diags);
        }
        for d in r.diags.0 {
            if seen.insert(format!("{d:?}")) {
                out.diags.push(d);
            }
        }
        let id = plan.get(r.job).map_or("", |j| j.id.as_str());
        match r.status {
            Some(DocStatus::Built) => out.built += 1,
            Some(DocStatus::Unchanged) => out.unchanged += 1,
            Some(DocStatus::Failed) => out.failed += 1,
            None => out.not_started += 1,
        }
        match (r.status, r.entry) {
            (Some(DocStatus::Built | DocStatus::Unchanged), Some(e)) => {
                out.files += if r.status == Some(DocStatus::Built) { e.outputs.len() } else { 0 };
                if warned {
                    cache.remove(id);
                } else {
                    cache.insert(r.key, e.clone());
                }
                entries.push(e);
            }
            _ => cache.remove(id),
        }
    }
    if opts.write && !entries.is_empty() {
        cache.retain(|id| all_ids.contains(id));
        if let Err(d) = cache.save(&out_dir) {
            out.diags.push(d);
        }
        if let Err(d) = manifest::write(&out_dir, &formats, opts.shard.map(|s| s.to_string()), &entries) {
            out.diags.push(d);
        }
    }
    out
}

/// The context of documents built once: all the data (in a matrix project
/// the collection too, e.g. `counties`). Their `stats` count the records
/// outside the collection only: an item's records are that item's (their
/// ids may repeat from county to county). None when the records have errors.
fn full_context(
    project: &Project,
    data: &DataSet,
    matrix: Option<&MatrixConfig>,
    sources: &Sources,
    diags: &mut Diags,
) -> Option<tera::Context> {
    let (recs, d) = match matrix {
        // Shared records were checked (and reported) once already.
        Some(m) => (records::collect(&data.without(&m.each, sources), sources, project.config.year).0, Diags::new()),
        None => records::collect(data, sources, project.config.year),
    };
    let failed = d.has_errors();
    diags.extend(d);
    (!failed).then(|| template::context(&project.context_value(), data, &recs))
}

/// Whether a diagnostic is about a file of the matrix collection (`data/counties/…`).
fn in_collection(d: &Diagnostic, each: &str, sources: &Sources) -> bool {
    let path = match &d.span {
        Some(span) => sources.get(span.file).map(|f| f.path.clone()),
        None => d.path.clone(),
    };
    path.is_some_and(|p| p.starts_with(Path::new("data").join(each)))
}

/// Every document of the project, in template then item order.
fn plan(templates: &TemplateSet, matrix: Option<&MatrixConfig>, items: &[Item], out_dir: &Path) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for name in templates.documents() {
        let stem = name.trim_end_matches(DOCUMENT_EXT);
        match matrix.filter(|m| m.applies_to(name)) {
            None => jobs.push(Job { id: stem.to_string(), template: name.clone(), item: None, rel: None }),
            Some(m) => {
                for (i, item) in items.iter().enumerate() {
                    let id = format!("{stem}@{}", item.key);
                    let rel = m
                        .output_for(item, stem, out_dir)
                        .map_err(|msg| {
                            Diagnostic::error(Code::OutputName, msg).with_path(CONFIG_FILE).with_hint(
                                "output names come from [matrix] output in wengao.toml: item keys and fields used \
                                 there must be plain names (no `/`, `\\`, leading dot)",
                            )
                        })
                        .and_then(|rel| match names.get(&rel) {
                            Some(other) => Err(Diagnostic::error(
                                Code::OutputClash,
                                format!("`{other}` and `{id}` both write `{rel}`"),
                            )
                            .with_path(CONFIG_FILE)
                            .with_hint(
                                "put {key} and {stem} in [matrix] output so that every document has its own name",
                            )),
                            None => Ok(rel),
                        });
                    if let Ok(r) = &rel {
                        names.insert(r.clone(), id.clone());
                    }
                    jobs.push(Job { id, template: name.clone(), item: Some(i), rel: Some(rel) });
                }
            }
        }
    }
    jobs
}

/// Write a document rendered before the parallel phase.
fn emit_rendered(s: &Shared<'_>, plan: &[Job], r: &Rendered) -> JobResult {
    let mut res =
        JobResult { job: r.job, status: None, diags: Diags::new(), fork: None, key: String::new(), entry: None };
    let Some(job) = plan.get(r.job) else { return res };
    if s.stop.load(Ordering::SeqCst) {
        return res;
    }
    let (entry, files) = emit(s, job, &r.doc, &r.markdown, &r.rel, &mut res.diags);
    finish(s, job, &mut res, entry, &files);
    res
}

/// Render, lay out and write one matrix document.
fn build_item(s: &Shared<'_>, plan: &[Job], ji: usize) -> JobResult {
    let mut res = JobResult { job: ji, status: None, diags: Diags::new(), fork: None, key: String::new(), entry: None };
    let Some(job) = plan.get(ji) else { return res };
    if s.stop.load(Ordering::SeqCst) {
        return res;
    }
    let (Some(m), Some(item)) = (s.matrix, job.item.and_then(|i| s.items.get(i))) else {
        res.diags.push(Diagnostic::internal(format!("matrix document `{}` has no item", job.id)));
        finish(s, job, &mut res, None, &[]);
        return res;
    };
    let rel = match &job.rel {
        Some(Ok(rel)) => rel.clone(),
        Some(Err(d)) => {
            res.diags.push(d.clone());
            finish(s, job, &mut res, None, &[]);
            return res;
        }
        None => String::new(),
    };
    res.key = s.keys.key(job, Some(item));
    if s.opts.write
        && !s.opts.force
        && let Some(entry) = s.cache.fresh(&job.id, &res.key, s.out_dir)
    {
        res.status = Some(DocStatus::Unchanged);
        res.entry = Some(entry.clone());
        (s.on_event)(Event::Done { id: &job.id, status: DocStatus::Unchanged, files: &[] });
        return res;
    }
    let Some(data) = s.data.for_item(&m.each, item, m.item_name(), s.sources) else {
        res.diags.push(Diagnostic::internal(format!("matrix item `{}` vanished from the data", item.key)));
        finish(s, job, &mut res, None, &[]);
        return res;
    };
    let (recs, d) = records::collect(&data, s.sources, s.project.config.year);
    // Shared files' warnings were reported once already; keep this item's.
    let records_failed = d.has_errors();
    res.diags.extend(Diags(
        d.0.into_iter().filter(|d| d.is_error() || d.span.as_ref().is_none_or(|sp| sp.file == item.file)).collect(),
    ));
    if records_failed {
        finish(s, job, &mut res, None, &[]);
        return res;
    }
    let ctx = template::context(&s.project_value, &data, &recs);
    let base = s.sources.len();
    let mut o = Outcome { sources: s.sources.clone(), ..Outcome::default() };
    let rendered = build::render_document(s.templates, &job.template, &ctx, &data, s.root, &s.limits, &mut o);
    drop(ctx);
    drop(data);
    res.diags.extend(o.diags);
    let (entry, files) = match rendered {
        Some((doc, markdown)) => emit(s, job, &doc, &markdown, &rel, &mut res.diags),
        None => (None, Vec::new()),
    };
    if res.diags.iter().any(|d| d.span.as_ref().is_some_and(|sp| sp.file.0 as usize >= base)) {
        res.fork = Some(o.sources);
    }
    finish(s, job, &mut res, entry, &files);
    res
}

/// Settle a document's status and tell the caller.
fn finish(s: &Shared<'_>, job: &Job, res: &mut JobResult, entry: Option<DocEntry>, files: &[PathBuf]) {
    let status = if entry.is_some() && !res.diags.has_errors() { DocStatus::Built } else { DocStatus::Failed };
    if status == DocStatus::Failed && s.opts.fail_fast {
        s.stop.store(true, Ordering::SeqCst);
    }
    res.status = Some(status);
    res.entry = entry.filter(|_| status == DocStatus::Built);
    (s.on_event)(Event::Done { id: &job.id, status, files });
}

/// Run every writer into memory, then, only if all succeeded, write the
/// files atomically: a failing document leaves no file of this build.
fn emit(
    s: &Shared<'_>,
    job: &Job,
    doc: &Document,
    markdown: &str,
    rel: &str,
    diags: &mut Diags,
) -> (Option<DocEntry>, Vec<PathBuf>) {
    let mut cx = WriteContext::new(doc, &s.project.style, s.root, markdown).with_limits(s.limits);
    if let Some(f) = s.fonts {
        cx = cx.with_fonts(f);
    }
    let mut made = Vec::new();
    let mut failed = false;
    for w in s.writers {
        let mut bytes = Vec::new();
        match w.write(&cx, &mut bytes) {
            Ok(warnings) => diags.extend(warnings),
            Err(d) => {
                diags.extend(d);
                failed = true;
            }
        }
        made.push((w, bytes));
    }
    if failed {
        return (None, Vec::new());
    }
    let mut outputs = Vec::new();
    let mut files = Vec::new();
    for (w, bytes) in made {
        let name = format!("{rel}.{}", w.extension());
        if s.opts.write {
            let path = s.out_dir.join(&name);
            if let Err(d) = output::write_atomic(&path, &bytes) {
                diags.push(d);
                return (None, files);
            }
            files.push(path);
        }
        outputs.push(OutputFile {
            path: name,
            format: w.name().to_string(),
            sha256: sha256_hex(&bytes),
            bytes: bytes.len() as u64,
        });
    }
    let item = job.item.and_then(|i| s.items.get(i));
    let entry = DocEntry {
        id: job.id.clone(),
        template: job.template.clone(),
        item: item.map(|i| i.key.clone()),
        inputs: s.keys.inputs(job, item),
        outputs,
    };
    (Some(entry), files)
}

/// Hashes of every input, computed once per build, and each document's key.
struct Keys {
    /// Inputs every document shares: wengao.toml (style, matrix, limits),
    /// fonts, assets, formats, SOURCE_DATE_EPOCH.
    common: String,
    /// Template name → (shown path, digest, dependencies).
    templates: BTreeMap<String, (String, String, BTreeSet<String>)>,
    /// Data files: (shown path, digest, in the matrix collection).
    data: BTreeMap<FileId, (String, String, bool)>,
    config: bool,
}

impl Keys {
    #[allow(clippy::too_many_arguments)]
    fn new(
        root: &Path,
        project: &Project,
        templates: &TemplateSet,
        data: &DataSet,
        matrix: Option<&MatrixConfig>,
        fonts: Option<&FontSet>,
        formats: &[String],
        sources: &Sources,
    ) -> Keys {
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
        Keys { common: k.finish(), templates, data, config: config.is_some() }
    }

    /// The data files a document reads: all of them, or for a matrix item
    /// the shared ones and its own.
    fn data_files(&self, item: Option<&Item>) -> impl Iterator<Item = &(String, String, bool)> {
        self.data.iter().filter(move |(f, (_, _, coll))| item.is_none_or(|i| !coll || **f == i.file)).map(|(_, v)| v)
    }

    fn template_files<'a>(&'a self, job: &'a Job) -> impl Iterator<Item = (&'a String, &'a String)> + 'a {
        let deps = self.templates.get(&job.template).map(|(_, _, d)| d);
        deps.into_iter().flatten().filter_map(|n| self.templates.get(n).map(|(p, d, _)| (p, d)))
    }

    fn key(&self, job: &Job, item: Option<&Item>) -> String {
        let mut k = KeyBuilder::new();
        k.add("common", &self.common);
        k.add("id", &job.id);
        if let Some(Ok(rel)) = &job.rel {
            k.add("output", rel);
        }
        for (p, d) in self.template_files(job) {
            k.add(p, d);
        }
        for (p, d, _) in self.data_files(item) {
            k.add(p, d);
        }
        k.finish()
    }

    fn inputs(&self, job: &Job, item: Option<&Item>) -> Vec<String> {
        let mut v: Vec<String> = self.template_files(job).map(|(p, _)| p.clone()).collect();
        v.extend(self.data_files(item).map(|(p, _, _)| p.clone()));
        if self.config {
            v.push(CONFIG_FILE.to_string());
        }
        v.sort();
        v
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

/// `check` and `build` through the old entry point for a matrix project:
/// the batch with its outcome in the shape `build::Outcome` has.
pub fn as_outcome(root: &Path, formats: Vec<String>, out_dir: Option<PathBuf>, write: bool) -> Outcome {
    let opts = BatchOptions { formats, out_dir, write, ..BatchOptions::default() };
    let b = run(root, &opts, &|_| {});
    Outcome { written: Vec::new(), diags: b.diags, sources: b.sources, documents: b.built + b.unchanged }
}
