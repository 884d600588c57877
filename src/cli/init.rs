//! `wengao init`: a new project that builds as is.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{Report, Status, project_dir};
use wengao::diag::Sources;
use wengao::init::{KINDS, init_project};

/// Arguments of `wengao init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the project in (default: the current folder; must not already hold a project)
    dir: Option<PathBuf>,
    /// Kind of document to start from
    #[arg(long, default_value = "experience")]
    kind: String,
    /// List the kinds and exit
    #[arg(long)]
    list: bool,
    #[command(flatten)]
    report: Report,
}

/// Write the project and tell the user what to do next.
pub fn execute(a: InitArgs) -> Status {
    let mut so = super::out();
    if a.list {
        for (name, what) in KINDS {
            let _ = writeln!(so, "{name:<12} {what}");
        }
        return Status::Success;
    }
    let dir = project_dir(a.dir);
    match init_project(&dir, &a.kind) {
        Ok(files) => {
            for f in &files {
                let _ = writeln!(so, "created {}", f.display());
            }
            let _ = writeln!(so, "\nnext: cd {} && wengao build", dir.display());
            Status::Success
        }
        Err(d) => a.report.finish(&d, &Sources::new()),
    }
}
