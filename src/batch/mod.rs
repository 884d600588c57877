//! Builds at CI scale: matrix documents, parallel writers, an input-hash
//! cache, a manifest, and shards.
//!
//! The batch is a scheduler over `pipeline`, which takes each document from
//! data to files. One `Batch` goes through its phases in order: the inputs
//! are loaded once (`inputs`: project, writers and fonts, templates, shared
//! data, the matrix items) and the documents planned (`Batch::new`); the
//! matrix documents are built on a rayon pool of `jobs` threads
//! (`build_matrix`), then the documents built once, which read every item
//! (`build_once`); then the cache and manifest are written (`finish`).
//! Every document, matrix item or built once, takes one path (`document`):
//! the cache asked, rendered into its own copy of the sources, named,
//! written all or nothing, its record spilled.
//!
//! The items of a folder collection are read by the worker that builds
//! their document (`stream`), never all at once; a finished document's
//! record (its files' hashes, for the cache and the manifest) goes to a
//! scratch file (`spill`) and only its status, diagnostics and the record's
//! offset come back, so memory does not grow with the number of documents.
//! Nothing here prints: progress goes to the caller's `on_event`.

pub mod cache;
mod deps;
mod document;
mod inputs;
mod items;
mod keys;
pub mod manifest;
pub mod matrix;
mod plan;
mod schedule;
pub mod shard;
mod spill;
mod stream;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::diag::{Diags, Sources};
use crate::fonts::FontSet;
use crate::pipeline::{DocSettings, Outcome};
use cache::Cache;
use document::{Finished, ItemsInMemory};
use inputs::Inputs;
use keys::Keys;
use plan::Plan;
pub use shard::Shard;
use spill::Spill;

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
    /// The PDF standard instead of wengao.toml's `pdf_standard`.
    pub pdf_standard: Option<crate::project::PdfStandard>,
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
    let mut out = BatchOutcome::default();
    // A matrix item's data file that cannot be read fails that item only;
    // these errors come first, as file errors do.
    let mut item_errors = Diags::new();
    if let Some((inputs, fonts)) = Inputs::load(root, opts, &mut out, &mut item_errors) {
        let mut batch = Batch::new(root, opts, on_event, &inputs, fonts, out);
        batch.build_matrix();
        batch.build_once();
        out = batch.finish();
    }
    item_errors.extend(std::mem::take(&mut out.diags));
    out.diags = item_errors;
    out
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

/// A batch build in progress, made once and borrowed by every worker; its
/// phases are in `schedule`, a document's way through it in `document`.
struct Batch<'i> {
    root: &'i Path,
    opts: &'i BatchOptions,
    on_event: &'i (dyn Fn(Event<'_>) + Sync),
    inputs: &'i Inputs,
    /// Owned apart from the inputs, to be dropped before the cache and
    /// manifest are written.
    fonts: Option<FontSet>,
    /// wengao.toml's part of every template context (`project`).
    project_value: serde_json::Value,
    /// How every document is rendered (images, limits, `[check] allow`, author).
    settings: DocSettings<'i>,
    /// The outcome so far. Its sources do not change while documents are
    /// built: each document registers its files in its own copy, adopted
    /// at the end when a diagnostic points into it.
    out: BatchOutcome,
    plan: Plan<'i>,
    /// The documents of this build (this shard), by plan index.
    jobs: Vec<usize>,
    keys: Keys<'i>,
    /// The previous build's cache (empty for `check` and when there is none).
    cache: Cache,
    /// Where finished documents' records go.
    spill: Spill,
    /// None when no thread could be started: the build runs on this one.
    pool: Option<rayon::ThreadPool>,
    /// Set with `fail_fast` when a document fails: no document starts after.
    stop: AtomicBool,
    items_in_memory: ItemsInMemory,
    /// Every document looked at so far, as the build keeps it to the end.
    finished: Vec<Finished>,
}

/// Run `f` on the pool when there is one.
fn on_pool<R: Send>(pool: Option<&rayon::ThreadPool>, f: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(p) => p.install(f),
        None => f(),
    }
}
