//! `wengao build` and `wengao check`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use clap::Args;

use super::{MessageFormat, Report, Status, project_dir};
use wengao::batch::{self, BatchOptions, DocStatus, Event, Shard, check_project};
use wengao::project::PdfStandard;

/// Arguments of `wengao build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Project folder (default: the current folder)
    dir: Option<PathBuf>,
    /// Formats to write, comma-separated: docx, pdf, ofd, html, md, txt (default: wengao.toml's `outputs`, else docx,pdf)
    #[arg(short, long, value_delimiter = ',')]
    format: Vec<String>,
    /// Output folder (default: wengao.toml's `out`, else DIR/out)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Documents built at the same time (default: one per core)
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Rebuild every document, even those the cache (out/.wengao-cache) says are up to date
    #[arg(long)]
    force: bool,
    /// Build only shard I of N (1-based, e.g. 2/4), for CI jobs that share the work
    #[arg(long, value_name = "I/N", value_parser = Shard::parse)]
    shard: Option<Shard>,
    /// Start no new document once one has failed
    #[arg(long, conflicts_with = "keep_going")]
    fail_fast: bool,
    /// Build every document even when some fail (the default)
    #[arg(long)]
    keep_going: bool,
    /// Write PDFs to this standard: a-1b (PDF/A-1b, for archives) or none (default: wengao.toml's `pdf_standard`)
    #[arg(long, value_name = "STANDARD", value_parser = parse_pdf_standard)]
    pdf_standard: Option<PdfStandard>,
    #[command(flatten)]
    report: Report,
}

/// `--pdf-standard`: a name `PdfStandard::parse` knows.
fn parse_pdf_standard(name: &str) -> Result<PdfStandard, String> {
    PdfStandard::parse(name).ok_or_else(|| format!("choose from {}", PdfStandard::NAMES.join(", ")))
}

/// Arguments of `wengao check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project folder (default: the current folder)
    dir: Option<PathBuf>,
    #[command(flatten)]
    report: Report,
}

/// Build the project and say where the files went: a progress bar on a
/// terminal, else one line per file (`wrote out/a.pdf`) or unchanged document.
pub fn execute(a: BuildArgs) -> Status {
    let opts = BatchOptions {
        formats: a.format,
        out_dir: a.output,
        jobs: a.jobs.map_or(0, usize::from),
        force: a.force,
        shard: a.shard,
        fail_fast: a.fail_fast,
        write: true,
        pdf_standard: a.pdf_standard,
    };
    build_and_report(&project_dir(a.dir), &opts, &a.report)
}

/// One build with its report: a progress bar on a terminal, else one line
/// per file written or document unchanged or failed (with JSON messages,
/// one object per document and a summary); diagnostics on stderr (also
/// what `watch` runs on every change).
pub(super) fn build_and_report(dir: &std::path::Path, opts: &BatchOptions, report: &Report) -> Status {
    let bar = Mutex::new(None::<indicatif::ProgressBar>);
    let json = report.message_format == MessageFormat::Json;
    // JSON is for programs: no bar, even on a terminal.
    let terminal = std::io::stderr().is_terminal() && !json;
    let on_event = |e: Event<'_>| match e {
        Event::Start { documents } if terminal => {
            let pb = indicatif::ProgressBar::new(documents as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
                pb.set_style(style);
            }
            if let Ok(mut b) = bar.lock() {
                *b = Some(pb);
            }
        }
        Event::Start { .. } => {}
        Event::Done { id, status, files } => {
            if let Ok(b) = bar.lock()
                && let Some(pb) = b.as_ref()
            {
                pb.inc(1);
                pb.set_message(id.to_string());
                return;
            }
            let mut so = super::out();
            if json {
                let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                let obj =
                    serde_json::json!({"type": "document", "id": id, "status": status_name(status), "files": files});
                let _ = writeln!(so, "{obj}");
                return;
            }
            match status {
                DocStatus::Built => {
                    for f in files {
                        let _ = writeln!(so, "wrote {}", f.display());
                    }
                }
                DocStatus::Unchanged => {
                    let _ = writeln!(so, "unchanged {id}");
                }
                DocStatus::Failed => {
                    let _ = writeln!(so, "failed {id}");
                }
            }
        }
    };
    let outcome = batch::run(dir, opts, &on_event);
    if let Ok(b) = bar.lock()
        && let Some(pb) = b.as_ref()
    {
        pb.finish_and_clear();
    }
    let status = report.finish(&outcome.diags, &outcome.sources);
    let documents = outcome.built + outcome.unchanged + outcome.failed + outcome.not_started;
    if json {
        let obj = serde_json::json!({
            "type": "summary",
            "documents": documents,
            "built": outcome.built,
            "unchanged": outcome.unchanged,
            "failed": outcome.failed,
            "not_started": outcome.not_started,
            "files": outcome.files,
        });
        let _ = writeln!(super::out(), "{obj}");
    } else if documents > 0 {
        let mut line = format!("built {} document(s), {} file(s)", outcome.built, outcome.files);
        if outcome.unchanged > 0 {
            line.push_str(&format!(", {} unchanged", outcome.unchanged));
        }
        if outcome.failed > 0 {
            line.push_str(&format!(", {} failed", outcome.failed));
        }
        if outcome.not_started > 0 {
            line.push_str(&format!(", {} not started (--fail-fast)", outcome.not_started));
        }
        let _ = writeln!(super::out(), "{line}");
    }
    status
}

fn status_name(s: DocStatus) -> &'static str {
    match s {
        DocStatus::Built => "built",
        DocStatus::Unchanged => "unchanged",
        DocStatus::Failed => "failed",
    }
}

/// Check the project: everything but the writes.
pub fn execute_check(a: CheckArgs) -> Status {
    let outcome = check_project(&project_dir(a.dir));
    let status = a.report.finish(&outcome.diags, &outcome.sources);
    if matches!(status, Status::Success) {
        let _ = writeln!(super::out(), "checked {} document(s): no errors", outcome.documents);
    }
    status
}
