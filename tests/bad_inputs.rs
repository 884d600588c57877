#![allow(clippy::panic)]
//! The bad-input corpus, the one place for negative tests: every
//! `tests/bad-inputs/<case>/` is a project (or a set of files) that wengao
//! must refuse or warn about cleanly. Each case has:
//!
//! - `case.toml`: `about` (why the case exists), `args` (the command line,
//!   default `["build", "."]`), `exit` (expected status), optional `setup`
//!   (a bash script run in the staged folder first, for inputs that cannot be
//!   committed: huge files, symlinks, files in place of folders),
//!   `writes` (outputs a failing run may still write for the documents that
//!   did build) and `[[then]]` runs on the same staged folder afterwards
//!   (`args`, `exit`, `expected`: the same mistakes seen another way, e.g.
//!   `check` in human form after a JSON `build`);
//! - `expected.txt`: the expected stderr of the first run (the staged
//!   folder's path is written as `$DIR`), and one file per `[[then]]` run.
//!
//! For every run the harness also checks what must hold whatever the
//! message: no panic; with `--message-format json`, every line a diagnostic
//! with a hint, and a run that succeeds reports only warnings, each with its
//! line and column; for a failing run, nothing written and nothing
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
    /// Further runs on the same staged folder.
    #[serde(default)]
    then: Vec<Run>,
}

/// A further command on a case's staged folder and what it must print.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Run {
    args: Vec<String>,
    exit: i32,
    /// The file next to case.toml holding the expected stderr.
    expected: String,
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

/// Copy a case (without its case.toml and expected texts) to a temporary folder.
fn stage(case: &Path, spec: &Case) -> tempfile::TempDir {
    let mut skip = vec!["case.toml", "expected.txt"];
    skip.extend(spec.then.iter().map(|run| run.expected.as_str()));
    common::stage(case, &skip)
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
    let tmp = stage(case, &spec);
    let dir = tmp.path();
    if let Some(script) = &spec.setup {
        let ok = Command::new("bash").arg("-ec").arg(script).current_dir(dir).status().is_ok_and(|s| s.success());
        if !ok {
            return failures.push(format!("{name}: setup failed"));
        }
    }
    let first = Run { args: spec.args.clone(), exit: spec.exit, expected: "expected.txt".into() };
    for (n, run) in std::iter::once(&first).chain(&spec.then).enumerate() {
        let writes = if n == 0 { spec.writes.as_slice() } else { &[] };
        let stderr = run_one(&name, dir, run, writes, failures);
        compare(&name, &case.join(&run.expected), &stderr, failures);
    }
}

/// Run one command of a case; check what must hold whatever the message.
/// Returns its stderr with the staged folder written as `$DIR`.
fn run_one(name: &str, dir: &Path, run: &Run, writes: &[String], failures: &mut Vec<String>) -> String {
    let out_before = snapshot(&dir.join("out"));
    let args: Vec<&str> = run.args.iter().map(String::as_str).collect();
    let output = common::wengao(&args, dir);
    let stderr = String::from_utf8_lossy(&output.stderr).replace(&dir.display().to_string(), "$DIR");
    let command = run.args.join(" ");

    if stderr.contains("panicked") || output.status.code().is_none() {
        failures.push(format!("{name} ({command}): wengao crashed:\n{stderr}"));
    }
    if output.status.code() != Some(run.exit) {
        failures.push(format!("{name} ({command}): exit {:?}, expected {}:\n{stderr}", output.status.code(), run.exit));
    }
    if run.args.windows(2).any(|pair| pair == ["--message-format", "json"]) {
        check_json_lines(name, &stderr, run.exit == 0, failures);
    }
    if output.status.code() != Some(0) {
        let mut out_after = snapshot(&dir.join("out"));
        for allowed in writes {
            if !out_before.contains_key(Path::new(allowed)) {
                out_after.remove(Path::new(allowed));
            }
        }
        if out_after != out_before {
            let changed: Vec<_> = out_after.keys().chain(out_before.keys()).collect();
            failures.push(format!("{name} ({command}): a failed run changed out/: {changed:?}"));
        }
    }
    let leftovers: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("wengao-tmp"))
        .map(|e| e.path().display().to_string())
        .collect();
    if !leftovers.is_empty() {
        failures.push(format!("{name} ({command}): temporary files left behind: {leftovers:?}"));
    }
    stderr
}

/// Machine-readable diagnostics: every line one JSON object with a hint; a
/// run that succeeds may only have warned, and a warning points at the text.
fn check_json_lines(name: &str, stderr: &str, succeeded: bool, failures: &mut Vec<String>) {
    for line in stderr.lines() {
        let Ok(diagnostic) = serde_json::from_str::<serde_json::Value>(line) else {
            failures.push(format!("{name}: not a JSON diagnostic: {line}"));
            continue;
        };
        if !diagnostic["hint"].is_string() {
            failures.push(format!("{name}: a diagnostic without a hint: {line}"));
        }
        let placed = diagnostic["line"].is_u64() && diagnostic["column"].is_u64();
        if succeeded && (diagnostic["severity"] != "warning" || !placed) {
            failures.push(format!("{name}: a successful run reports only placed warnings: {line}"));
        }
    }
}

fn compare(name: &str, expected: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("WENGAO_BLESS").is_some() {
        std::fs::write(expected, actual.as_bytes()).expect("bless");
        return;
    }
    let file = expected.file_name().unwrap_or_default().to_string_lossy();
    match std::fs::read_to_string(expected) {
        Ok(want) if want == actual => {}
        Ok(want) => {
            failures.push(format!("{name}: stderr differs from {file}\n--- expected\n{want}\n--- actual\n{actual}"))
        }
        Err(_) => failures.push(format!("{name}: {file} missing (run with WENGAO_BLESS=1)")),
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
