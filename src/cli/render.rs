//! `wengao render`: one template, data files, no project.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{Report, Status};
use wengao::pipeline::render_template;

/// Arguments of `wengao render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The template (.md.tera); includes and layouts are looked up in its folder
    template: PathBuf,
    /// YAML files whose top-level keys become template variables
    #[arg(short, long = "data", num_args = 1..)]
    data: Vec<PathBuf>,
    /// Output file; the format follows the extension (.docx, .html, .md, .txt). Default: Markdown on stdout
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    report: Report,
}

/// Render and write (or print) the document.
pub fn execute(a: RenderArgs) -> Status {
    let (outcome, markdown) = render_template(&a.template, &a.data, a.output.as_deref());
    let status = a.report.finish(&outcome.diags, &outcome.sources);
    if matches!(status, Status::Success) {
        if let Some(md) = markdown {
            let _ = super::out().write_all(md.as_bytes());
        }
        for p in &outcome.written {
            let _ = writeln!(std::io::stderr(), "wrote {}", p.display());
        }
    }
    status
}
