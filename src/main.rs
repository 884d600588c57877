//! The `wengao` binary: parse the command line, run it, map the outcome to an
//! exit status (0 success, 1 input errors, 2 command-line misuse).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    wengao::memory::tune_allocator();
    // Past a file-size limit (RLIMIT_FSIZE, `ulimit -f`) the kernel would kill
    // the process with SIGXFSZ in the middle of a write, leaving its temporary
    // file; ignored, the write fails with EFBIG instead and is reported, and
    // the temporary file is removed, as for any failed write.
    #[cfg(unix)]
    // SAFETY: setting a signal to "ignore" before any thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    // Rust ignores SIGPIPE, so a closed pipe (`wengao render … | head`) shows up as
    // a write error, which `cli::out` lets pass: the exit status stays 0. Any
    // other failed write to stdout makes the status 1.
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
    let status = cli::run(cli);
    if let Some(why) = cli::stdout_failure() {
        eprintln!("error[O003]: cannot write to standard output: {why}");
        eprintln!("  = hint: check the disk or the file the output is redirected to");
        return ExitCode::from(1);
    }
    match status {
        cli::Status::Success => ExitCode::SUCCESS,
        cli::Status::Failure => ExitCode::from(1),
    }
}
