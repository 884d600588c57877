//! The `wengao` binary: parse the command line, run it, map the outcome to an
//! exit status (0 success, 1 input errors, 2 command-line misuse).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    limit_malloc_arenas();
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
    // Ctrl-C: no half-written file may stay behind (the output folder then
    // looks as after a failed build), and the status says "interrupted".
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

/// glibc gives every new thread that finds the arenas busy an arena of its
/// own (up to 8 per core) and keeps what each arena freed. A batch build
/// starts short-lived threads per document (the render, font subsetting,
/// chunked compression), so over a long build more and more arenas each hold
/// a document's worth of freed memory: peak RSS grew with the number of
/// documents (docs/matrix.md § Measurements). A few arenas are enough, as
/// the threads mostly do work, not allocate in contention.
///
/// Blocks of a few hundred KiB (a PDF, a font program, a page's content)
/// would each get a fresh `mmap` and be unmapped when freed, and the heap
/// top would be given back after every document: a 100-document batch took
/// 125,000 page faults and 0.23 s of system time. Served from the heap and
/// kept (a batch build trims the heap every 64 documents), it takes
/// 4,500 and 0.03 s, 7% less CPU in all, at the same peak RSS.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets tuning values of the allocator; it is called
    // before any thread is started.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}
