//! The `wengao` binary: parse the command line, run it, map the outcome to an
//! exit status (0 success, 1 input errors, 2 command-line misuse).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    wengao::memory::tune_allocator();
    // Rust ignores SIGPIPE, so a closed pipe (`wengao render … | head`) shows up as
    // a write error, which the commands ignore: the exit status stays 0.
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // Ctrl-C, SIGTERM (what CI cancellation and `timeout` send) and SIGHUP:
    // no half-written file may stay behind (the output folder then looks as
    // after a failed build), and the status says "interrupted".
    let _ = ctrlc::set_handler(|| {
        wengao::output::remove_temporaries();
        eprintln!("interrupted: no partial output was left");
        std::process::exit(130);
    });
    match cli::run(cli) {
        cli::Status::Success => ExitCode::SUCCESS,
        cli::Status::Failure => ExitCode::from(1),
    }
}
