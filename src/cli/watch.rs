//! `wengao watch`: build, then rebuild on every save until Ctrl-C.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::build::build_and_report;
use super::{Report, Status, project_dir};
use wengao::batch::BatchOptions;
use wengao::watch::ProjectWatcher;

/// Arguments of `wengao watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Project folder (default: the current folder)
    dir: Option<PathBuf>,
    /// Formats to write, comma-separated (default: wengao.toml's `outputs`, else docx,pdf)
    #[arg(short, long, value_delimiter = ',')]
    format: Vec<String>,
    /// Output folder (default: wengao.toml's `out`, else DIR/out)
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    report: Report,
}

/// Build once, then again after every change to the project's inputs. A
/// failed build is reported and the watch goes on: the next save may fix it.
pub fn execute(a: WatchArgs) -> Status {
    let dir = project_dir(a.dir);
    // Each rebuild is incremental: the cache in out/ skips the documents the
    // change does not touch.
    let opts = BatchOptions { formats: a.format, out_dir: a.output, write: true, ..BatchOptions::default() };
    let out_dir = opts.out_dir.clone().unwrap_or_else(|| wengao::project::out_dir_of(&dir));
    let watcher = match ProjectWatcher::new(&dir, &out_dir) {
        Ok(w) => w,
        Err(d) => return a.report.finish(&d.into(), &wengao::diag::Sources::new()),
    };
    let _ = build_and_report(&dir, &opts, &a.report);
    say(&format!("watching {} for changes (Ctrl-C to stop)", dir.display()));
    while let Some(changed) = watcher.next_change() {
        if changed.is_empty() {
            continue;
        }
        let names: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
        say(&format!("changed: {}", names.join(", ")));
        let _ = build_and_report(&dir, &opts, &a.report);
    }
    Status::Failure
}

fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}
