//! `wengao build` and `wengao check`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{Report, Status, project_dir};
use wengao::build::{BuildOptions, build_project, check_project};

/// Arguments of `wengao build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Project folder (default: the current folder)
    dir: Option<PathBuf>,
    /// Formats to write, comma-separated: docx, html, md, txt (default: wengao.toml's `outputs`, else docx)
    #[arg(short, long, value_delimiter = ',')]
    format: Vec<String>,
    /// Output folder (default: wengao.toml's `out`, else DIR/out)
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    report: Report,
}

/// Arguments of `wengao check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project folder (default: the current folder)
    dir: Option<PathBuf>,
    #[command(flatten)]
    report: Report,
}

/// Build the project and say where the files went.
pub fn execute(a: BuildArgs) -> Status {
    let dir = project_dir(a.dir);
    let opts = BuildOptions { formats: a.format, out_dir: a.output, write: true };
    build_and_report(&dir, &opts, &a.report)
}

/// One build with its report: the files written on stdout, diagnostics on
/// stderr (also what `watch` runs on every change).
pub(super) fn build_and_report(dir: &std::path::Path, opts: &BuildOptions, report: &Report) -> Status {
    let outcome = build_project(dir, opts);
    let stdout = std::io::stdout();
    let mut so = stdout.lock();
    for p in &outcome.written {
        let _ = writeln!(so, "wrote {}", p.display());
    }
    let status = report.finish(&outcome.diags, &outcome.sources);
    if matches!(status, Status::Success) && !outcome.written.is_empty() {
        let _ = writeln!(so, "built {} document(s), {} file(s)", outcome.documents, outcome.written.len());
    }
    status
}

/// Check the project: everything but the writes.
pub fn execute_check(a: CheckArgs) -> Status {
    let outcome = check_project(&project_dir(a.dir));
    let status = a.report.finish(&outcome.diags, &outcome.sources);
    if matches!(status, Status::Success) {
        let _ = writeln!(std::io::stdout(), "checked {} document(s): no errors", outcome.documents);
    }
    status
}
