//! Builds at CI scale on examples/county-matrix: shards, reproducibility
//! across runs and `-j`, the input-hash cache, failures, and output names.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use common::wengao;

/// A copy of examples/county-matrix (without any out/).
fn example() -> tempfile::TempDir {
    common::stage(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/county-matrix"), &["out"])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn build(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "."];
    args.extend_from_slice(extra);
    wengao(&args, dir)
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).expect("under").to_path_buf(), std::fs::read(e.path()).expect("read")))
        .collect()
}

/// Document ids listed in a manifest.
fn manifest_ids(out: &Path) -> BTreeSet<String> {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("json");
    v["documents"].as_array().expect("documents").iter().map(|d| d["id"].as_str().expect("id").to_string()).collect()
}

/// Ids of the documents a build reported as rebuilt (from `wrote` lines) and as unchanged.
fn report(o: &Output) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut wrote = BTreeSet::new();
    let mut unchanged = BTreeSet::new();
    for l in stdout(o).lines() {
        if let Some(p) = l.strip_prefix("wrote ") {
            let p = Path::new(p);
            let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
            let parent = p.parent().and_then(|d| d.file_name()).expect("folder").to_string_lossy().into_owned();
            wrote.insert(if parent == "out" { stem } else { format!("{stem}@{parent}") });
        } else if let Some(id) = l.strip_prefix("unchanged ") {
            unchanged.insert(id.to_string());
        }
    }
    (wrote, unchanged)
}

const COUNTIES: [&str; 5] = ["baichuan", "linyuan", "qingxi", "songling", "tongyang"];

fn all_ids() -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = COUNTIES.iter().map(|c| format!("experience@{c}")).collect();
    ids.insert("overview".into());
    ids
}

#[test]
fn the_example_builds_one_document_per_county() {
    let dir = example();
    let o = build(dir.path(), &["-f", "docx,pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for c in COUNTIES {
        for ext in ["docx", "pdf"] {
            assert!(dir.path().join(format!("out/{c}/experience.{ext}")).is_file(), "{c}.{ext}");
        }
    }
    assert!(dir.path().join("out/overview.pdf").is_file());
    assert_eq!(manifest_ids(&dir.path().join("out")), all_ids());
    let o = wengao(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(0), "check knows [matrix]: {}", stderr(&o));
}

#[test]
fn shards_are_disjoint_and_cover_every_document() {
    let dir = example();
    for n in 1..=5 {
        let mut union = BTreeSet::new();
        for i in 1..=n {
            let out = format!("out-{n}-{i}");
            let o = build(dir.path(), &["-f", "txt", "-o", &out, "--shard", &format!("{i}/{n}")]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            let ids = if dir.path().join(&out).join("manifest.json").is_file() {
                manifest_ids(&dir.path().join(&out))
            } else {
                BTreeSet::new()
            };
            assert!(union.is_disjoint(&ids), "{i}/{n} repeats a document: {ids:?}");
            union.extend(ids);
        }
        assert_eq!(union, all_ids(), "{n} shards cover everything");
    }
    let o = build(dir.path(), &["--shard", "5/4"]);
    assert_eq!(o.status.code(), Some(2), "bad shard is misuse");
}

#[test]
fn builds_are_byte_identical_across_runs_and_job_counts() {
    let dir = example();
    let mut snaps = Vec::new();
    for (out, jobs) in [("out-a", "1"), ("out-b", "2"), ("out-c", "2")] {
        let o = build(dir.path(), &["-f", "docx,pdf,txt", "-o", out, "-j", jobs]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        snaps.push(snapshot(&dir.path().join(out)));
    }
    assert!(snaps[0].contains_key(Path::new("manifest.json")));
    assert_eq!(snaps[0].len(), 6 * 3 + 2, "18 documents + manifest + cache: {:?}", snaps[0].keys());
    for s in &snaps[1..] {
        assert_eq!(s.keys().collect::<Vec<_>>(), snaps[0].keys().collect::<Vec<_>>());
        for (k, v) in s {
            assert!(snaps[0][k] == *v, "{} differs between builds", k.display());
        }
    }
}

#[test]
fn the_cache_rebuilds_exactly_what_changed() {
    let dir = example();
    let p = dir.path();
    let o = build(p, &["-f", "txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(report(&o).0, all_ids());

    let o = build(p, &["-f", "txt"]);
    assert_eq!(report(&o), (BTreeSet::new(), all_ids()), "nothing changed");
    assert!(stdout(&o).contains("6 unchanged"), "{}", stdout(&o));

    // One county: only its document, and the overview that lists every county.
    let f = p.join("data/counties/qingxi.yaml");
    let text = std::fs::read_to_string(&f).expect("read");
    std::fs::write(&f, text.replacen("  members: ", "  members: 1", 1)).expect("write");
    let mtime = |c: &str| std::fs::metadata(p.join(format!("out/{c}/experience.txt"))).expect("meta").modified().ok();
    let songling_before = mtime("songling");
    let o = build(p, &["-f", "txt"]);
    let want: BTreeSet<String> = ["experience@qingxi", "overview"].iter().map(|s| s.to_string()).collect();
    assert_eq!(report(&o).0, want, "{}", stdout(&o));
    assert_eq!(mtime("songling"), songling_before, "an unchanged county's file is not touched");

    // A shared data file: every document reads it.
    std::fs::write(p.join("data/city.yaml"), std::fs::read_to_string(p.join("data/city.yaml")).expect("r") + "\n")
        .expect("write");
    assert_eq!(report(&build(p, &["-f", "txt"])).0, all_ids());

    // A layout only the per-county template extends: not the overview.
    let base = p.join("templates/_base.md.tera");
    std::fs::write(&base, std::fs::read_to_string(&base).expect("r") + "\n").expect("write");
    let (wrote, unchanged) = report(&build(p, &["-f", "txt"]));
    assert_eq!(unchanged, ["overview".to_string()].into_iter().collect());
    assert_eq!(wrote.len(), 5);

    // The style (wengao.toml): everything.
    let toml = p.join("wengao.toml");
    std::fs::write(&toml, std::fs::read_to_string(&toml).expect("r") + "\n[style]\nbody_size = 15\n").expect("w");
    assert_eq!(report(&build(p, &["-f", "txt"])).0, all_ids());

    // Another format is another build; --force rebuilds everything.
    assert_eq!(report(&build(p, &["-f", "txt,md"])).0, all_ids());
    assert_eq!(report(&build(p, &["-f", "txt,md", "--force"])).0, all_ids());

    // An output deleted or edited by hand is rebuilt.
    std::fs::remove_file(p.join("out/linyuan/experience.md")).expect("rm");
    std::fs::write(p.join("out/overview.txt"), "edited").expect("edit");
    let want: BTreeSet<String> = ["experience@linyuan", "overview"].iter().map(|s| s.to_string()).collect();
    assert_eq!(report(&build(p, &["-f", "txt,md"])).0, want);

    // A corrupt cache is a warning, and everything is rebuilt.
    std::fs::write(p.join("out/.wengao-cache"), "{\"format\": 1, \"entries\": [").expect("corrupt");
    let o = build(p, &["-f", "txt,md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning[O006]"), "{}", stderr(&o));
    assert_eq!(report(&o).0, all_ids());
    // Deleting it is safe.
    std::fs::remove_file(p.join("out/.wengao-cache")).expect("rm");
    assert_eq!(report(&build(p, &["-f", "txt,md"])).0, all_ids());
}

#[test]
fn a_failing_county_does_not_stop_the_others() {
    for broken in [
        // A record error (R006) found while building the county's document.
        ("status: 办结", "status: 已完成"),
        // A YAML syntax error in the county's file.
        ("name: ", "name: [unclosed"),
    ] {
        let dir = example();
        let p = dir.path();
        let f = p.join("data/counties/qingxi.yaml");
        std::fs::write(&f, std::fs::read_to_string(&f).expect("read").replacen(broken.0, broken.1, 1)).expect("w");
        let o = build(p, &["-f", "txt,pdf"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("data/counties/qingxi.yaml:"), "{}", stderr(&o));
        for c in COUNTIES {
            let built = p.join(format!("out/{c}/experience.pdf")).is_file();
            assert_eq!(built, c != "qingxi", "{c}: {}", stderr(&o));
        }
        assert!(!p.join("out/qingxi").exists(), "nothing of the failed county");
        let temps: Vec<_> = walkdir::WalkDir::new(p)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("wengao-tmp"))
            .collect();
        assert!(temps.is_empty(), "{temps:?}");
        assert!(!manifest_ids(&p.join("out")).contains("experience@qingxi"));
    }
}

#[test]
fn fail_fast_stops_starting_documents() {
    let dir = example();
    let p = dir.path();
    let f = p.join("data/counties/linyuan.yaml");
    std::fs::write(&f, std::fs::read_to_string(&f).expect("read").replacen("status: 办结", "status: 已完成", 1))
        .expect("w");
    let o = build(p, &["-f", "txt", "-j", "1", "--fail-fast"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(p.join("out/baichuan/experience.txt").is_file(), "before the failure");
    for c in ["qingxi", "songling", "tongyang"] {
        assert!(!p.join(format!("out/{c}")).exists(), "{c} was started after the failure");
    }
    // The overview comes after the matrix documents: not started either.
    assert!(!p.join("out/overview.txt").exists(), "the overview was started after the failure");
    assert!(stdout(&o).contains("4 not started"), "{}", stdout(&o));
    assert!(leftovers(p).is_empty(), "{:?}", leftovers(p));
    let o = build(p, &["-f", "txt", "--fail-fast", "--keep-going"]);
    assert_eq!(o.status.code(), Some(2), "the two are exclusive");
}

#[test]
fn json_output_is_one_object_per_line_on_both_streams() {
    let dir = example();
    let p = dir.path();
    for c in ["qingxi", "songling"] {
        let f = p.join(format!("data/counties/{c}.yaml"));
        std::fs::write(&f, std::fs::read_to_string(&f).expect("read").replacen("status: 办结", "status: 已完成", 1))
            .expect("w");
    }
    let o = build(p, &["-f", "txt", "--message-format", "json", "-j", "2"]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        stderr(&o).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    let files: BTreeSet<&str> = lines.iter().filter_map(|v| v["file"].as_str()).collect();
    assert_eq!(files, ["data/counties/qingxi.yaml", "data/counties/songling.yaml"].into_iter().collect());
    // stdout: one object per document, then the summary; nothing else.
    let out: Vec<serde_json::Value> =
        stdout(&o).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    let (summary, documents) = out.split_last().expect("a summary");
    assert_eq!(summary["type"], "summary");
    assert_eq!((summary["documents"].as_u64(), summary["failed"].as_u64()), (Some(6), Some(2)), "{summary}");
    assert_eq!(summary["built"].as_u64(), Some(4));
    let ids: BTreeSet<&str> = documents.iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, all_ids().iter().map(String::as_str).collect());
    for d in documents {
        assert_eq!(d["type"], "document");
        let failed = ["experience@qingxi", "experience@songling"].contains(&d["id"].as_str().unwrap_or_default());
        assert_eq!(d["status"], if failed { "failed" } else { "built" }, "{d}");
        assert_eq!(d["files"].as_array().map(Vec::len), Some(if failed { 0 } else { 1 }), "{d}");
    }
}

#[test]
fn matrix_output_names_cannot_leave_out() {
    // `../` in the pattern: a configuration error, nothing written anywhere.
    let dir = example();
    let p = dir.path();
    let toml = p.join("wengao.toml");
    let text = std::fs::read_to_string(&toml).expect("read");
    std::fs::write(&toml, text.replace("output = \"{key}/{stem}\"", "output = \"../{key}/{stem}\"")).expect("w");
    let o = build(p, &["-f", "txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[C004]"), "{}", stderr(&o));
    assert!(!p.join("out").exists() && !p.join("qingxi").exists());

    // An item key with `/` (a list collection): that item fails, the others build.
    let dir = example();
    let p = dir.path();
    std::fs::remove_dir_all(p.join("data/counties")).expect("rm");
    std::fs::write(
        p.join("data/counties.yaml"),
        "counties:\n  - key: a\n    name: 甲县\n  - key: ../../b\n    name: 乙县\n  - key: c/d\n    name: 丙县\n",
    )
    .expect("w");
    std::fs::write(p.join("templates/experience.md.tera"), "---\ntitle: {{ county.name }}\n---\n正文。\n").expect("w");
    std::fs::write(p.join("templates/overview.md.tera"), "---\ntitle: 目录\n---\n{{ counties | length }}个县。\n")
        .expect("w");
    let o = build(p, &["-f", "txt"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o).matches("error[O002]").count(), 2, "{}", stderr(&o));
    assert!(p.join("out/a/experience.txt").is_file());
    let outside: Vec<_> = walkdir::WalkDir::new(p)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "experience.txt" && !e.path().starts_with(p.join("out")))
        .collect();
    assert!(outside.is_empty(), "{outside:?}");

    // A symlink inside out/ pointing elsewhere is not followed out.
    #[cfg(unix)]
    {
        let elsewhere = tempfile::tempdir().expect("tempdir");
        std::fs::remove_dir_all(p.join("out/a")).expect("rm");
        std::os::unix::fs::symlink(elsewhere.path(), p.join("out/a")).expect("symlink");
        let o = build(p, &["-f", "txt", "--force"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(std::fs::read_dir(elsewhere.path()).expect("ls").next().is_none(), "wrote through the link");
    }
}

#[test]
fn source_date_epoch_builds_are_identical_too() {
    let dir = example();
    let run = |out: &str, jobs: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_wengao"))
            .args(["build", ".", "-f", "docx,pdf", "-o", out, "-j", jobs])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .expect("run wengao");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        snapshot(&dir.path().join(out))
    };
    let (a, b) = (run("out-1", "1"), run("out-2", "2"));
    assert_eq!(a, b, "-j1 and -j2 with SOURCE_DATE_EPOCH");
    let has = |bytes: &[u8], what: &[u8]| bytes.windows(what.len()).any(|w| w == what);
    let pdf = &a[Path::new("qingxi/experience.pdf")];
    assert!(has(pdf, b"/CreationDate(D:20231114221320Z)"), "the epoch is the PDF's date");
    // Without the variable: the document's own date (its 成文日期), on every run.
    let o = build(dir.path(), &["-f", "pdf", "-o", "out-3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = std::fs::read(dir.path().join("out-3/qingxi/experience.pdf")).expect("pdf");
    let text = String::from_utf8_lossy(&pdf);
    let at = text.find("/CreationDate(D:").expect("a creation date from the inputs");
    assert!(text[at..].starts_with("/CreationDate(D:2023"), "{}", &text[at..at + 40]);
}

#[test]
fn an_unchanged_document_keeps_its_name_against_a_changed_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    std::fs::create_dir_all(p.join("templates")).expect("mkdir");
    std::fs::write(p.join("templates/a.md.tera"), "---\ntitle: 甲\n---\n甲的正文。\n").expect("w");
    std::fs::write(p.join("templates/b.md.tera"), "---\ntitle: 乙\n---\n乙的正文。\n").expect("w");
    assert_eq!(build(p, &["-f", "txt"]).status.code(), Some(0));
    let a = std::fs::read(p.join("out/a.txt")).expect("a");
    std::fs::write(p.join("templates/b.md.tera"), "---\ntitle: 乙\noutput: a\n---\n乙的正文。\n").expect("w");
    let o = build(p, &["-f", "txt"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("error[O005]"), "{}", stderr(&o));
    assert_eq!(std::fs::read(p.join("out/a.txt")).expect("a"), a, "a.txt is still a's");
}

#[test]
fn a_matrix_build_holds_at_most_one_item_per_worker() {
    let dir = example();
    let p = dir.path();
    let qingxi = std::fs::read_to_string(p.join("data/counties/qingxi.yaml")).expect("read");
    for i in 0..20 {
        std::fs::write(p.join(format!("data/counties/c{i:02}.yaml")), &qingxi).expect("write");
    }
    for jobs in [1, 2] {
        let opts = wengao::batch::BatchOptions {
            formats: vec!["txt".into()],
            jobs,
            force: true,
            write: true,
            ..Default::default()
        };
        let o = wengao::batch::run(p, &opts, &|_| {});
        assert_eq!((o.built, o.failed), (26, 0), "{:?}", o.diags);
        assert!((1..=jobs).contains(&o.peak_items), "-j{jobs}: {} items in memory at once", o.peak_items);
    }
}

#[test]
fn the_overview_sees_a_summary_of_every_county() {
    let dir = example();
    let p = dir.path();
    let o = build(p, &["-f", "txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let overview = std::fs::read_to_string(p.join("out/overview.txt")).expect("overview");
    for c in COUNTIES {
        let text = std::fs::read_to_string(p.join(format!("data/counties/{c}.yaml"))).expect("read");
        let field =
            |k: &str| text.lines().find_map(|l| l.strip_prefix(&format!("{k}: "))).expect("field").trim().to_string();
        // Records lists keep their length in the summary (`c.proposals | length`).
        let proposals = text.split("\nproposals:\n").nth(1).expect("proposals");
        let proposals = proposals.split("\n\n").next().unwrap_or(proposals);
        let n = proposals.lines().take_while(|l| l.starts_with(' ')).filter(|l| l.starts_with("  - ")).count();
        // The overview's table row: 县, 县委, 会议（次）, 提案（件）.
        let row = format!("{}\t{}\t", field("name"), field("party_committee_short"));
        let line = overview.lines().find(|l| l.starts_with(&row)).unwrap_or_else(|| panic!("{row} in {overview}"));
        assert!(line.ends_with(&format!("\t{n}")), "{n} proposals in `{line}`");
    }
    assert!(overview.contains("所辖五个县"), "{overview}");
}

/// Temporary files (atomic writes, the spill of finished documents' records) left under `dir`.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("wengao-tmp"))
        .map(|e| e.path().to_path_buf())
        .collect()
}

#[test]
fn no_temporary_file_survives_a_build() {
    let dir = example();
    let p = dir.path();
    for args in [&["-f", "txt"][..], &["-f", "txt"], &["-f", "txt", "--force", "-j", "1"]] {
        let o = build(p, args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(leftovers(p).is_empty(), "{args:?}: {:?}", leftovers(p));
    }
    // Every document failing: nothing recorded, nothing left.
    std::fs::write(p.join("templates/_base.md.tera"), "{% if %}").expect("w");
    let o = build(p, &["-f", "txt", "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(leftovers(p).is_empty(), "{:?}", leftovers(p));
}

#[test]
fn the_cache_and_manifest_survive_partial_rebuilds() {
    let dir = example();
    let p = dir.path();
    let first = build(p, &["-f", "txt"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let manifest = || std::fs::read(p.join("out/manifest.json")).expect("manifest");
    let built = manifest();
    // Unchanged documents' records come from the previous cache, not from a
    // build: the manifest must not tell them apart.
    assert_eq!(report(&build(p, &["-f", "txt"])).1, all_ids());
    assert_eq!(manifest(), built, "nothing changed, same manifest");

    // Change one county, then another: each time only that county (and the
    // overview) is rebuilt, so the cache mixes entries from three builds.
    let edit = |c: &str| {
        let f = p.join(format!("data/counties/{c}.yaml"));
        let text = std::fs::read_to_string(&f).expect("read");
        std::fs::write(&f, text.replacen("  members: ", "  members: 1", 1)).expect("write");
    };
    for c in ["qingxi", "baichuan", "tongyang"] {
        edit(c);
        let o = build(p, &["-f", "txt"]);
        let want: BTreeSet<String> = [format!("experience@{c}"), "overview".to_string()].into_iter().collect();
        assert_eq!(report(&o).0, want, "{}", stdout(&o));
    }
    assert_eq!(report(&build(p, &["-f", "txt"])).1, all_ids(), "every entry read back by its offset");
    let cache = std::fs::read_to_string(p.join("out/.wengao-cache")).expect("cache");
    let mut lines = cache.lines();
    assert_eq!(lines.next(), Some(r#"{"format":2}"#));
    let ids: Vec<String> = lines
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("json line")["doc"]["id"].as_str().expect("id").into()
        })
        .collect();
    assert_eq!(ids, all_ids().into_iter().collect::<Vec<_>>(), "one line per document, sorted by id");

    // The manifest of the incremental builds is the one a full build writes.
    let incremental = manifest();
    assert_eq!(report(&build(p, &["-f", "txt", "--force"])).0, all_ids());
    assert_eq!(manifest(), incremental);
}

#[test]
fn an_old_format_cache_is_ignored_and_rebuilt() {
    let dir = example();
    let p = dir.path();
    assert_eq!(build(p, &["-f", "txt"]).status.code(), Some(0));
    // What wengao wrote before the cache became JSON Lines.
    let old = r#"{"format":1,"entries":{"overview":{"key":"k","doc":{"id":"overview","template":"overview.md.tera","item":null,"inputs":[],"outputs":[]}}}}"#;
    std::fs::write(p.join("out/.wengao-cache"), old).expect("write");
    let o = build(p, &["-f", "txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("O006"), "an old cache is no error: {}", stderr(&o));
    assert_eq!(report(&o).0, all_ids());
    assert_eq!(report(&build(p, &["-f", "txt"])).1, all_ids(), "rewritten in the new format");
}

#[test]
fn shards_built_into_one_folder_keep_each_others_cache_entries() {
    let dir = example();
    let p = dir.path();
    let mut shards = BTreeSet::new();
    for s in ["1/2", "2/2"] {
        let o = build(p, &["-f", "txt", "--shard", s]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        shards.extend(manifest_ids(&p.join("out")));
    }
    assert_eq!(shards, all_ids());
    assert_eq!(report(&build(p, &["-f", "txt"])).1, all_ids(), "the second shard kept the first one's entries");
}

#[test]
fn matrix_output_names_that_meet_fail_the_later_document_only() {
    // {county.name} can repeat from county to county: the plan keeps the
    // names (as hashes) and refuses the second document that takes one.
    let dir = example();
    let p = dir.path();
    let toml = std::fs::read_to_string(p.join("wengao.toml")).expect("toml");
    std::fs::write(
        p.join("wengao.toml"),
        toml.replace("output = \"{key}/{stem}\"", "output = \"{county.name}/{key}\""),
    )
    .expect("w");
    let songling = std::fs::read_to_string(p.join("data/counties/songling.yaml")).expect("read");
    std::fs::write(p.join("data/counties/songling.yaml"), songling.replace("name: 松岭县", "name: 临源县")).expect("w");
    let o = build(p, &["-f", "txt"]);
    assert_eq!(o.status.code(), Some(0), "different keys: no clash\n{}", stderr(&o));
    assert!(p.join("out/临源县/songling.txt").is_file() && p.join("out/临源县/linyuan.txt").is_file());

    // `{county.name}{key}`: 临源县 + songling and 临源县song + ling meet.
    std::fs::write(p.join("wengao.toml"), toml.replace("output = \"{key}/{stem}\"", "output = \"{county.name}{key}\""))
        .expect("w");
    let linyuan = std::fs::read_to_string(p.join("data/counties/linyuan.yaml")).expect("read");
    let ling = linyuan.replacen("linyuan:", "ling:", 1).replace("name: 临源县", "name: 临源县song");
    std::fs::write(p.join("data/counties/ling.yaml"), ling).expect("w");
    let o = build(p, &["-f", "txt", "-o", "out-2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error[O005]: `experience@ling` and `experience@songling` both write `临源县songling`"),
        "{err}"
    );
    assert_eq!(err.matches("error[O005]").count(), 1, "{err}");
    assert!(p.join("out-2/临源县songling.txt").is_file(), "the first one is built");
    assert!(p.join("out-2/青溪县qingxi.txt").is_file(), "and every other county");
}

#[test]
fn a_document_built_once_cannot_take_a_matrix_documents_name() {
    // `{key}` alone gives every county its own name, so the plan keeps none;
    // a document built once is still checked against them.
    let dir = example();
    let p = dir.path();
    let toml = std::fs::read_to_string(p.join("wengao.toml")).expect("toml");
    std::fs::write(p.join("wengao.toml"), toml.replace("output = \"{key}/{stem}\"", "output = \"{key}\"")).expect("w");
    let overview = std::fs::read_to_string(p.join("templates/overview.md.tera")).expect("read");
    let taken = overview.replacen("---\ntitle:", "---\noutput: qingxi\ntitle:", 1);
    assert_ne!(taken, overview, "the front matter was found");
    std::fs::write(p.join("templates/overview.md.tera"), taken).expect("w");
    let o = build(p, &["-f", "txt"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error[O005]: templates `experience@qingxi` and `overview.md.tera` both write `qingxi`"),
        "{err}"
    );
    assert!(p.join("out/qingxi.txt").is_file() && p.join("out/linyuan.txt").is_file(), "the counties are built");
}
