//! `wengao serve`: a preview page on 127.0.0.1 that follows every save.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{Report, Status, project_dir};
use wengao::serve::Preview;
use wengao::watch::ProjectWatcher;

/// Arguments of `wengao serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Project folder (default: the current folder)
    dir: Option<PathBuf>,
    /// Port on 127.0.0.1 (default: a free one)
    #[arg(long, value_name = "N")]
    port: Option<u16>,
    #[command(flatten)]
    report: Report,
}

/// Listen, build, say the address, then rebuild after every change until
/// Ctrl-C (main's handler: no temporary file is left, exit 130). A failed
/// build is reported here and on the page; the server stays up.
pub fn execute(a: ServeArgs) -> Status {
    let dir = project_dir(a.dir);
    let out_dir = wengao::project::out_dir_of(&dir);
    let mut sources = wengao::diag::Sources::new();
    let preview = match Preview::start(&dir, &out_dir, a.port, &mut sources) {
        Ok(p) => p,
        Err(d) => return a.report.finish(&d, &sources),
    };
    let watcher = match ProjectWatcher::new(&dir, &out_dir) {
        Ok(w) => w,
        Err(d) => return a.report.finish(&d.into(), &wengao::diag::Sources::new()),
    };
    // The address first, on stdout, so a script can read it before the
    // first build ends.
    let _ = writeln!(super::out(), "serving {} at {} (Ctrl-C to stop)", dir.display(), preview.url());
    let _ = super::out().flush();
    build(&preview, &a.report);
    while let Some(changed) = watcher.next_change() {
        if changed.is_empty() {
            continue;
        }
        let names: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
        let _ = writeln!(std::io::stderr(), "changed: {}", names.join(", "));
        build(&preview, &a.report);
    }
    Status::Failure
}

/// One build, its diagnostics on stderr and a line on stdout.
fn build(preview: &Preview, report: &Report) {
    let outcome = preview.build();
    let _ = report.finish(&outcome.diags, &outcome.sources);
    let mut line = format!("built {} document(s)", outcome.built + outcome.unchanged);
    if outcome.failed > 0 {
        line.push_str(&format!(", {} failed", outcome.failed));
    }
    let _ = writeln!(super::out(), "{line} into {}", preview.preview_dir().display());
    let _ = super::out().flush();
}
