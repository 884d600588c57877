#![allow(clippy::panic)]
//! The bad-input corpus: every `tests/bad-inputs/<case>/` is a project (or a
//! set of files) that wengao must refuse or warn about cleanly. Each case has:
//!
//! - `case.toml`: `about` (why the case exists), `args` (the command line,
//!   default `["build", "."]`), `exit` (expected status), optional `setup`
//!   (a bash script run in the staged folder first, for inputs that cannot be
//!   committed: huge files, symlinks, files in place of folders) and
//!   `writes` (outputs a failing run may still write for the documents that
//!   did build);
//! - `expected.txt`: the expected stderr (human form, no colours; the staged
//!   folder's path is written as `$DIR`).
//!
//! For every case the harness also checks what must hold whatever the
//! message: no panic, and for a failing run, nothing written and nothing
//! destroyed — `out/` holds exactly what it held before (cases may ship an
//! `out/` with earlier results to prove it), and no temporary file is left
//! anywhere. `WENGAO_BLESS=1 cargo test --test bad_inputs` rewrites the
//! expected texts; review the diff.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(default = "default_args")]
    args: Vec<String>,
    exit: i32,
    #[serde(default)]
    setup: Option<String>,
    /// Files under out/ a failing run may still write: documents that
    /// succeeded while another failed (builds keep going).
    #[serde(default)]
    writes: Vec<String>,
    /// Why the case exists (documentation only).
    #[allow(dead_code)]
    about: String,
}

fn default_args() -> Vec<String> {
    vec!["build".into(), ".".into()]
}

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs");
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(root).expect("tests/bad-inputs").filter_map(Result::ok).map(|e| e.path()).collect();
    v.retain(|p| p.is_dir());
    // README.md documents the corpus; every folder is a case.
    v.sort();
    v
}

/// Copy a case (without its case.toml and expected.txt) to a temporary folder.
fn stage(case: &Path) -> tempfile::TempDir {
    common::stage(case, &["case.toml", "expected.txt"])
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(dir).expect("under dir").to_path_buf(), std::fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}

fn run_case(case: &Path, failures: &mut Vec<String>) {
    let name = case.file_name().expect("name").to_string_lossy().into_owned();
    let spec: Case = match std::fs::read_to_string(case.join("case.toml")).map(|t| toml::from_str::<Case>(&t)) {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => return failures.push(format!("{name}: bad case.toml: {e}")),
        Err(e) => return failures.push(format!("{name}: no case.toml: {e}")),
    };
    let tmp = stage(case);
    let dir = tmp.path();
    if let Some(script) = &spec.setup {
        let ok = Command::new("bash").arg("-ec").arg(script).current_dir(dir).status().is_ok_and(|s| s.success());
        if !ok {
            return failures.push(format!("{name}: setup failed"));
        }
    }
    let out_before = snapshot(&dir.join("out"));
    let args: Vec<&str> = spec.args.iter().map(String::as_str).collect();
    let o = common::wengao(&args, dir);
    let stderr = String::from_utf8_lossy(&o.stderr).replace(&dir.display().to_string(), "$DIR");

    if stderr.contains("panicked") || o.status.code().is_none() {
        failures.push(format!("{name}: wengao crashed:\n{stderr}"));
    }
    if o.status.code() != Some(spec.exit) {
        failures.push(format!("{name}: exit {:?}, expected {}:\n{stderr}", o.status.code(), spec.exit));
    }
    if o.status.code() != Some(0) {
        let mut out_after = snapshot(&dir.join("out"));
        for allowed in &spec.writes {
            if !out_before.contains_key(Path::new(allowed)) {
                out_after.remove(Path::new(allowed));
            }
        }
        if out_after != out_before {
            let changed: Vec<_> = out_after.keys().chain(out_before.keys()).collect();
            failures.push(format!("{name}: a failed run changed out/: {changed:?}"));
        }
    }
    let leftovers: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("wengao-tmp"))
        .map(|e| e.path().display().to_string())
        .collect();
    if !leftovers.is_empty() {
        failures.push(format!("{name}: temporary files left behind: {leftovers:?}"));
    }

    let expected = case.join("expected.txt");
    if std::env::var_os("WENGAO_BLESS").is_some() {
        std::fs::write(&expected, stderr.as_bytes()).expect("bless");
        return;
    }
    match std::fs::read_to_string(&expected) {
        Ok(want) if want == stderr => {}
        Ok(want) => failures.push(format!("{name}: stderr differs\n--- expected\n{want}\n--- actual\n{stderr}")),
        Err(_) => failures.push(format!("{name}: expected.txt missing (run with WENGAO_BLESS=1)")),
    }
}

#[test]
fn every_bad_input_gets_its_diagnostic_and_harms_nothing() {
    let cases = corpus();
    assert!(cases.len() >= 50, "the corpus should hold at least 50 cases, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        run_case(case, &mut failures);
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}
