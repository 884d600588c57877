//! Building a project: the batch engine (`batch`) with its defaults (one
//! worker per core, the cache), its outcome in `Outcome`'s shape.

use std::path::{Path, PathBuf};

pub use crate::pipeline::{Outcome, render_in_memory, render_template};

/// What a build should do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Formats to write; empty means wengao.toml's `outputs`, else docx.
    pub formats: Vec<String>,
    /// Output folder instead of wengao.toml's `out`.
    pub out_dir: Option<PathBuf>,
    /// False for `check`: run everything, write nothing.
    pub write: bool,
}

/// Build (or check) the project in `root`: the batch engine (`batch`)
/// with its defaults (one worker per core, the cache), its outcome in this
/// shape. `wengao build` calls the engine itself for progress and options.
pub fn build_project(root: &Path, opts: &BuildOptions) -> Outcome {
    crate::batch::as_outcome(root, opts.formats.clone(), opts.out_dir.clone(), opts.write)
}

/// `wengao check`: the build without writing.
pub fn check_project(root: &Path) -> Outcome {
    build_project(
        root,
        &BuildOptions {
            formats: vec!["docx".into(), "pdf".into(), "html".into(), "md".into(), "txt".into()],
            out_dir: None,
            write: false,
        },
    )
}
