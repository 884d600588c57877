//! `wengao fonts`: which font file serves each face, and why.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{Report, Status, project_dir};
use wengao::diag::Sources;
use wengao::fonts::{FontId, FontSet, LoadedFont};
use wengao::project::Project;

/// Arguments of `wengao fonts`.
#[derive(Debug, Args)]
pub struct FontsArgs {
    /// Project folder (default: the current folder; without wengao.toml, the GB/T 9704 preset)
    dir: Option<PathBuf>,
    #[command(flatten)]
    report: Report,
}

/// Resolve fonts as `build` would and print the choice for every face.
pub fn execute(a: FontsArgs) -> Status {
    let mut sources = Sources::new();
    let project = match Project::open(&project_dir(a.dir), &mut sources) {
        Ok(p) => p,
        Err(d) => return a.report.finish(&d, &sources),
    };
    let (set, diags) = FontSet::resolve(&project.style, &project.root);
    let mut so = super::out();
    for c in &set.choices {
        let _ = writeln!(so, "{} ({:?}): {} [{}]", c.face.chinese(), c.face, describe(&set, c.font), c.reason);
        match set.bold_font(c.face) {
            Some(b) if b != c.font => {
                let _ = writeln!(so, "    bold: {}", describe(&set, b));
            }
            None => {
                let _ = writeln!(so, "    bold: synthetic (no bold cut of this family is installed)");
            }
            Some(_) => {}
        }
    }
    for f in set.fallbacks().filter(|f| !f.bold) {
        let _ = writeln!(so, "fallback for characters the faces lack: {}", describe_font(f));
    }
    a.report.finish(&diags, &sources)
}

fn describe(set: &FontSet, id: FontId) -> String {
    set.font(id).map_or_else(|| "?".into(), describe_font)
}

fn describe_font(f: &LoadedFont) -> String {
    let weight = if f.bold { " (bold)" } else { "" };
    match &f.path {
        Some(p) if f.index > 0 => format!("{}{weight} — {}#{}", f.family, p.display(), f.index),
        Some(p) => format!("{}{weight} — {}", f.family, p.display()),
        None => format!("{}{weight} — bundled with wengao", f.family),
    }
}
