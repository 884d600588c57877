//! The command line: one clap-derive struct, one thin function per command.
//!
//! Commands resolve paths, call the library, and hand diagnostics to the
//! reporter. No YAML, template or layout code lives here.

mod build;
mod fonts;
mod init;
mod render;
mod schema;
mod serve;
mod watch;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use wengao::diag::{Diags, Sources, emit_human, emit_json};

/// wengao (文稿): Chinese official documents (GB/T 9704-2012) from YAML facts and Tera templates.
#[derive(Debug, Parser)]
#[command(name = "wengao", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a project that builds as is (wengao.toml, sample data, templates)
    Init(init::InitArgs),
    /// Build every document of a project into out/
    Build(build::BuildArgs),
    /// Load and render everything, report problems, write nothing
    Check(build::CheckArgs),
    /// Render one template with data files, no project needed
    Render(render::RenderArgs),
    /// Show which font file serves each face, and why
    Fonts(fonts::FontsArgs),
    /// Build, then rebuild on every change to the project until Ctrl-C
    Watch(watch::WatchArgs),
    /// Preview the documents in the browser (127.0.0.1), rebuilt on every save until Ctrl-C
    Serve(serve::ServeArgs),
    /// Print the JSON Schema of the record kinds (meetings, proposals, funding, appointments), for editors
    Schema(schema::SchemaArgs),
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum MessageFormat {
    /// `path:line:col: error[CODE]: message` with hints (colour on a terminal).
    #[default]
    Human,
    /// One JSON object per line.
    Json,
}

/// Options shared by commands that report diagnostics.
#[derive(Debug, Args, Clone)]
pub struct Report {
    /// Treat warnings as errors (exit 1 when there are any)
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

/// What `main` turns into an exit status.
pub enum Status {
    /// Exit 0.
    Success,
    /// Exit 1: the input has errors.
    Failure,
}

impl Report {
    /// Print diagnostics on stderr; decide success from errors and, with
    /// `--deny-warnings`, warnings.
    pub fn finish(&self, diags: &Diags, sources: &Sources) -> Status {
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        let _ = match self.message_format {
            MessageFormat::Human => {
                emit_human(&mut err, diags, sources, stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none())
            }
            MessageFormat::Json => emit_json(&mut err, diags, sources),
        };
        let failed = diags.has_errors() || (self.deny_warnings && diags.has_warnings());
        if self.message_format == MessageFormat::Human && !diags.is_empty() {
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.0.len() - errors;
            let _ = writeln!(err, "{}", summary(errors, warnings));
        }
        if failed { Status::Failure } else { Status::Success }
    }
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| if n == 1 { format!("1 {w}") } else { format!("{n} {w}s") };
    match (errors, warnings) {
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> Status {
    match cli.command {
        Command::Init(a) => init::execute(a),
        Command::Build(a) => build::execute(a),
        Command::Check(a) => build::execute_check(a),
        Command::Render(a) => render::execute(a),
        Command::Fonts(a) => fonts::execute(a),
        Command::Schema(a) => schema::execute(a),
        Command::Watch(a) => watch::execute(a),
        Command::Serve(a) => serve::execute(a),
    }
}

/// Project folder argument, defaulting to the current folder.
pub fn project_dir(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| PathBuf::from("."))
}

/// The first failed write to stdout other than a closed pipe, if any.
static STDOUT_FAILED: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Standard output for the commands: a write that fails (a full disk,
/// `> /dev/full`) is remembered, so the run ends with exit status 1
/// (`stdout_failure`). A closed pipe (`wengao render … | head`) is not a
/// failure: the reader took what it wanted.
pub struct Out(std::io::StdoutLock<'static>);

/// `Out` on the process's stdout.
pub fn out() -> Out {
    Out(std::io::stdout().lock())
}

impl Out {
    fn note<T>(r: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &r
            && e.kind() != std::io::ErrorKind::BrokenPipe
            && let Ok(mut first) = STDOUT_FAILED.lock()
            && first.is_none()
        {
            *first = Some(e.to_string());
        }
        r
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Self::note(self.0.write(buf))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Self::note(self.0.flush())
    }
}

/// Why writing to stdout failed during the run (after a final flush), if it did.
pub fn stdout_failure() -> Option<String> {
    let _ = out().flush();
    STDOUT_FAILED.lock().ok().and_then(|f| f.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
