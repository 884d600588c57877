//! For the tests only: how a test that cannot run on this machine says so.
//!
//! A test that needs a font or a tool that is missing must not pass in
//! silence. It calls [`skip`], which writes one `SKIPPED` line straight to
//! the terminal (libtest captures only the `print!` family, so the line shows
//! in a plain `cargo test`) and counts it. In CI (`CI=true`), where `.ci/run`
//! has installed every tool and font, a skip is a failure instead.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

static SKIPPED: AtomicUsize = AtomicUsize::new(0);

/// Report that a test, or one check of it, cannot run here and why.
/// `what` names the check and what is missing.
#[allow(clippy::panic)] // a test helper: failing is its job in CI
pub fn skip(what: &str) {
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("{what}: CI installs every tool and font the tests use (.ci/run), so nothing may be skipped");
    }
    let count = SKIPPED.fetch_add(1, Ordering::Relaxed) + 1;
    let _ = writeln!(std::io::stderr(), "SKIPPED ({count} in this test binary): {what}");
}
