//! Shared by the integration tests: run the real binary.

#![allow(dead_code)] // each test crate uses its own part of this module

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Run `wengao ARGS` in `cwd` without colours.
pub fn wengao(args: &[&str], cwd: &Path) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_wengao"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run wengao");
    // A failed run's out/ holds only earlier files, some of them fakes.
    if o.status.success() {
        keep_outputs(cwd);
    }
    o
}

/// With `WENGAO_KEEP_OUTPUTS=DIR` set, copy every PDF and DOCX under
/// `dir` into DIR (uniquely named), so that `.ci/run` can check every file
/// the test suite produced with qpdf and python-docx
/// (`scripts/validate-outputs.sh`).
pub fn keep_outputs(dir: &Path) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let Some(keep) = std::env::var_os("WENGAO_KEEP_OUTPUTS") else { return };
    let keep = Path::new(&keep);
    let _ = std::fs::create_dir_all(keep);
    for e in walkdir::WalkDir::new(dir).max_depth(4).into_iter().filter_map(Result::ok) {
        let p = e.path();
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
        if e.file_type().is_file() && matches!(ext, "pdf" | "docx") {
            let n = N.fetch_add(1, Ordering::Relaxed);
            let crate_name = env!("CARGO_CRATE_NAME");
            let name = format!(
                "{crate_name}-{}-{n}-{}",
                std::process::id(),
                p.file_name().unwrap_or_default().to_string_lossy()
            );
            let _ = std::fs::copy(p, keep.join(name));
        }
    }
}

/// Run an external tool; where it is not installed, say so (a skipped
/// check, a failure in CI) and return `None`.
pub fn tool(program: &str, args: &[&str]) -> Option<Output> {
    match Command::new(program).args(args).output() {
        Ok(output) => Some(output),
        Err(e) => {
            wengao::test_support::skip(&format!("a check needs `{program}`, which cannot run here ({e})"));
            None
        }
    }
}

/// Copy the test case folder `case` to a temporary folder, leaving out the
/// top-level entries named in `skip` (expectations, earlier outputs).
pub fn stage(case: &Path, skip: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for e in walkdir::WalkDir::new(case).min_depth(1).into_iter().filter_map(Result::ok) {
        let rel = e.path().strip_prefix(case).expect("under case");
        let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
        if skip.contains(&first.as_str()) {
            continue;
        }
        let dest = tmp.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
    tmp
}
