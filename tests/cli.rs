//! The binary as users run it: exit statuses, diagnostics, files written.

mod common;

use std::process::Output;

use common::wengao;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A project with one template and the given data files.
fn project(template: &str, data: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("data")).expect("mkdir");
    std::fs::write(dir.path().join("templates/doc.md.tera"), template).expect("write");
    for (name, text) in data {
        std::fs::write(dir.path().join("data").join(name), text).expect("write");
    }
    dir
}

const OK_TEMPLATE: &str =
    "---\ntitle: 测试文稿\n---\n## 总体情况\n\n{{ county.name }}共召开会议{{ county.meetings | cn_num }}次。\n";

/// name, template, data files, extra arguments, expected stderr fragment.
type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], &'a [&'a str], &'a str);

/// Each bad input: exit 1 and a `path:line:col: error[CODE]` headline with a hint.
#[test]
fn bad_inputs_get_located_diagnostics() {
    let cases: &[Case] = &[
        (
            "yaml syntax",
            OK_TEMPLATE,
            &[("county.yaml", "name: 青溪县\nmeetings: [1, 2\n")],
            &[],
            "data/county.yaml:2:11: error[D001]: invalid YAML: unclosed bracket",
        ),
        (
            "duplicate key",
            OK_TEMPLATE,
            &[("county.yaml", "name: 青溪县\nmeetings: 7\nname: 白石县\n")],
            &[],
            "data/county.yaml:3:1: error[D001]: invalid YAML: duplicate",
        ),
        (
            "undefined variable",
            "---\ntitle: x\n---\n正文{{ countyy.name }}\n",
            &[("county.yaml", "name: 青溪县\n")],
            &[],
            "templates/doc.md.tera:4:6: error[T002]",
        ),
        (
            "undefined field",
            "---\ntitle: x\n---\n正文{{ county.nmae }}\n",
            &[("county.yaml", "name: 青溪县\n")],
            &[],
            "templates/doc.md.tera:4:13: error[T002]",
        ),
        (
            "null value",
            OK_TEMPLATE,
            &[("county.yaml", "name: 青溪县\nmeetings:\n")],
            &[],
            "data/county.yaml:2:9: error[D005]",
        ),
        (
            "template syntax",
            "---\ntitle: x\n---\n{% if county.name %}正文\n",
            &[("county.yaml", "name: 青溪县\n")],
            &[],
            "templates/doc.md.tera:",
        ),
        (
            "wrong type for a filter",
            "---\ntitle: x\n---\n正文{{ county.name | cn_num }}\n",
            &[("county.yaml", "name: 青溪县\n")],
            &[],
            "templates/doc.md.tera:4:",
        ),
        (
            "unknown format",
            OK_TEMPLATE,
            &[("county.yaml", "name: 青溪县\nmeetings: 7\n")],
            &["-f", "docx,odt"],
            "error[O001]: unknown output format `odt`",
        ),
        ("output name escapes", "---\ntitle: x\noutput: ../../etc/x\n---\n正文\n", &[], &[], "error[O002]"),
        (
            "bad front matter date",
            "---\ntitle: x\ndate: 2023-02-30\n---\n正文\n",
            &[],
            &[],
            "templates/doc.md.tera:3:7: error[M002]",
        ),
    ];
    for (name, template, data, extra, expected) in cases {
        let dir = project(template, data);
        let mut args = vec!["build", "."];
        args.extend_from_slice(extra);
        let o = wengao(&args, dir.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: exit status; stderr:\n{err}");
        assert!(err.contains(expected), "{name}: expected `{expected}` in:\n{err}");
        assert!(err.contains("= hint: "), "{name}: no hint in:\n{err}");
        assert!(!err.contains("panicked"), "{name}: panic:\n{err}");
        assert!(
            !dir.path().join("out").exists() || std::fs::read_dir(dir.path().join("out")).expect("ls").next().is_none(),
            "{name}: wrote output"
        );
    }
}

#[test]
fn json_diagnostics_are_one_object_per_line() {
    let dir = project(OK_TEMPLATE, &[("county.yaml", "name: 青溪县\nmeetings: [1\n"), ("other.yaml", "a: 1\na: 2\n")]);
    let o = wengao(&["check", ".", "--message-format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        stderr(&o).lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    assert_eq!(lines.len(), 2, "both files reported");
    for v in &lines {
        for k in ["severity", "code", "message", "file", "line", "column", "hint"] {
            assert!(v.get(k).is_some(), "missing {k} in {v}");
        }
        assert_eq!(v["severity"], "error");
    }
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    let dir = project(OK_TEMPLATE, &[("county.yaml", "name: 青溪县\nmeetings: 7\n")]);
    let o = wengao(&["build", ".", "-f", "txt,md"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = std::fs::read(dir.path().join("out/doc.txt")).expect("txt written");
    std::fs::write(dir.path().join("data/county.yaml"), "name: 青溪县\nmeetings: x: y\n").expect("write");
    let o = wengao(&["build", ".", "-f", "txt,md"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(dir.path().join("out/doc.txt")).expect("still there"), before);
    let names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("tmp")), "temporary files left: {names:?}");
}

#[test]
fn command_line_misuse_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(wengao(&["build", "--no-such-flag"], dir.path()).status.code(), Some(2));
    assert_eq!(wengao(&["frobnicate"], dir.path()).status.code(), Some(2));
    assert_eq!(wengao(&["--version"], dir.path()).status.code(), Some(0));
}

#[test]
fn missing_project_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = wengao(&["build", "nowhere"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[C003]"), "{}", stderr(&o));
}

#[test]
fn render_merges_data_files_and_refuses_conflicts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    std::fs::write(
        p.join("t.md.tera"),
        "---\ntitle: 简报\n---\n{% include \"_part.md.tera\" %}{{ county }}召开{{ n }}次会议。\n",
    )
    .expect("write");
    std::fs::write(p.join("_part.md.tera"), "本期导读：").expect("write");
    std::fs::write(p.join("a.yaml"), "county: 澧县\n").expect("write");
    std::fs::write(p.join("b.yaml"), "n: 7\n").expect("write");
    std::fs::write(p.join("c.yaml"), "n: 8\n").expect("write");
    let o = wengao(&["render", "t.md.tera", "--data", "a.yaml", "b.yaml"], p);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("本期导读：澧县召开7次会议。"));
    let o = wengao(&["render", "t.md.tera", "--data", "a.yaml", "b.yaml", "-o", "x.txt"], p);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(p.join("x.txt").is_file());
    let o = wengao(&["render", "t.md.tera", "--data", "a.yaml", "b.yaml", "-o", "x.pdf"], p);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(p.join("x.pdf")).expect("pdf").starts_with(b"%PDF-"));
    let o = wengao(&["render", "t.md.tera", "--data", "b.yaml", "c.yaml"], p);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("c.yaml:1:4: error[D003]") && err.contains("b.yaml"), "{err}");
    let o = wengao(&["render", "t.md.tera", "--data", "a.yaml", "-o", "x.odt"], p);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[O001]"));
}

#[test]
fn check_writes_nothing_and_init_refuses_a_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("demo");
    let o = wengao(&["init", "demo"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("next: cd demo && wengao build"));
    let o = wengao(&["check"], &p);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("checked 1 document(s)"));
    assert!(!p.join("out").exists(), "check wrote output");
    let o = wengao(&["init", "demo"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[C003]"), "{}", stderr(&o));
    let o = wengao(&["init", "other", "--kind", "poem"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("choose one of: experience"), "{}", stderr(&o));
    let o = wengao(&["init", "--list"], dir.path());
    let listed: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert_eq!(
        listed,
        ["experience", "summary", "report", "collection", "brief", "notice", "request", "minutes", "letter"],
        "every built-in kind is listed"
    );
}

#[test]
fn warnings_fail_only_when_denied() {
    // An unknown front matter field is a warning (a typo guard).
    let dir = project("---\ntitle: x\ntitel: y\n---\n正文\n", &[]);
    let o = wengao(&["build", ".", "-f", "txt"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning[M002]"), "{}", stderr(&o));
    let o = wengao(&["build", ".", "-f", "txt", "--deny-warnings"], dir.path());
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_project_without_data_builds() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
    std::fs::write(dir.path().join("templates/note.md.tera"), "---\ntitle: 通知\n---\n正文。\n").expect("write");
    let o = wengao(&["build", ".", "-f", "txt"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("out/note.txt").is_file());
}

#[test]
fn every_template_syntax_error_is_reported() {
    let dir = project("---\ntitle: x\n---\n{% if a %}正文\n", &[]);
    std::fs::write(dir.path().join("templates/other.md.tera"), "正文{{ a \n").expect("write");
    let o = wengao(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("templates/doc.md.tera:") && err.contains("templates/other.md.tera:"), "{err}");
    assert_eq!(err.matches("error[T001]").count(), 2, "{err}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_exits_130_and_leaves_earlier_outputs_alone() {
    interrupted_build_leaves_nothing("INT");
}

/// SIGTERM is what CI cancellation and `timeout` send: handled as Ctrl-C.
#[cfg(unix)]
#[test]
fn sigterm_is_handled_like_ctrl_c() {
    interrupted_build_leaves_nothing("TERM");
}

#[cfg(unix)]
fn interrupted_build_leaves_nothing(signal: &str) {
    // A template that renders for a long time gives the interrupt a moment to land in.
    let dir = project(
        "---\ntitle: 测试\n---\n\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}正文。\n",
        &[],
    );
    std::fs::write(dir.path().join("wengao.toml"), "title = \"t\"\n[limits]\nrender_seconds = 60\n").expect("toml");
    std::fs::create_dir_all(dir.path().join("out")).expect("mkdir");
    std::fs::write(dir.path().join("out/doc.txt"), "上次的结果\n").expect("old output");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_wengao"))
        .args(["build", ".", "-f", "txt"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // The handler runs on a thread of its own: once the process has three
    // (main, handler, render), the signal is handled and the build is under
    // way (on Linux; elsewhere, or after ten seconds, the signal goes anyway).
    let tasks = format!("/proc/{}/task", child.id());
    for _ in 0..200 {
        if std::fs::read_dir(&tasks).map(|d| d.count()).unwrap_or(usize::MAX) >= 3 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let killed = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(stderr(&o).contains("interrupted"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(dir.path().join("out/doc.txt")).expect("read"), "上次的结果\n");
    let names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["doc.txt"]);
}

#[test]
fn schema_prints_the_record_kinds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = wengao(&["schema"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(v["$defs"]["wengao_toml"]["properties"]["pdf_standard"]["enum"][0], "a-1b");
    for kind in ["meetings", "proposals", "funding", "appointments"] {
        assert_eq!(v["properties"][kind]["type"], "array", "{kind}");
    }
    assert_eq!(v["$defs"]["funding"]["required"], serde_json::json!(["item", "amount"]));
    // The front matter of a rendered template, 公文 fields included.
    let fm = &v["$defs"]["front_matter"];
    assert_eq!(fm["additionalProperties"], false);
    assert_eq!(fm["properties"]["copy_no"]["pattern"], r"^\d{6}$");
    assert_eq!(
        fm["properties"]["format"]["enum"],
        serde_json::json!(["material", "document", "letter", "minutes", "brief"])
    );
    for field in ["title", "issuer", "doc_no", "signers", "cc", "present", "distribution"] {
        assert!(fm["properties"][field].is_object(), "{field}");
    }
}

#[test]
fn record_errors_fail_check_and_warnings_do_not() {
    let data = "proposals:\n  - id: \"1\"\n    title: 甲\n    status: 办结\n    satisfction: 满意\n";
    let dir = project("---\ntitle: x\n---\n共{{ stats.proposals.done }}件。\n", &[("proposals.yaml", data)]);
    let o = wengao(&["check", "."], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("data/proposals.yaml:5:5: warning[R003]: a proposal (提案) has no field `satisfction`"),
        "{}",
        stderr(&o)
    );
    let o = wengao(&["check", ".", "--deny-warnings"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    std::fs::write(dir.path().join("data/proposals.yaml"), data.replace("办结", "完成")).expect("write");
    let o = wengao(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("data/proposals.yaml:4:13: error[R006]: `status` \"完成\" is not an accepted term"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_false_rise_is_refused_at_the_template_line() {
    let dir = project("---\ntitle: x\n---\n经费{{ increase(from=300, to=200, unit=\"元\") }}。\n", &[]);
    let o = wengao(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "templates/doc.md.tera:4:6: error[T003]: increase: the text would say 提高 from 300 to 200, but 200 is not above 300"
        ),
        "{}",
        stderr(&o)
    );
}

/// Poll `cond` for up to 15 s.
fn eventually(mut cond: impl FnMut() -> bool) -> bool {
    for _ in 0..150 {
        if cond() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

/// A project whose one document prints `facts.n` (3) in Chinese.
fn watched_project() -> tempfile::TempDir {
    project("---\ntitle: 测试\n---\n\n共召开会议{{ facts.n | cn_num }}次。\n", &[("facts.yaml", "n: 3\n")])
}

/// `wengao watch` on a `watched_project` with this stdout and stderr: waits
/// for its first build, changes the data to 12 and says whether the first
/// build came and whether the output followed the change.
fn watch_and_edit(
    dir: &tempfile::TempDir,
    stdout: std::process::Stdio,
    stderr: std::process::Stdio,
) -> (std::process::Child, bool, bool) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_wengao"))
        .args(["watch", ".", "-f", "txt"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .expect("spawn");
    let out = dir.path().join("out/doc.txt");
    let read = || std::fs::read_to_string(&out).unwrap_or_default();
    let ok = eventually(|| read().contains("共召开会议三次"));
    // Give the watch a moment to start after the first build.
    std::thread::sleep(std::time::Duration::from_millis(300));
    std::fs::write(dir.path().join("data/facts.yaml"), "n: 12\n").expect("edit data");
    let rebuilt = ok && eventually(|| read().contains("共召开会议十二次"));
    (child, ok, rebuilt)
}

/// `wengao watch > build.log 2>&1` inside the project: the log it writes is
/// no input, so it triggers no build.
#[cfg(target_os = "linux")]
#[test]
fn watch_ignores_its_own_log_in_the_project() {
    let dir = watched_project();
    let log = std::fs::File::create(dir.path().join("build.log")).expect("log");
    let (mut child, _, rebuilt) = watch_and_edit(&dir, log.try_clone().expect("log").into(), log.into());
    // Time for a loop of rebuilds to show, if the log started one.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(dir.path().join("build.log")).expect("read log");
    assert!(rebuilt, "{text}");
    assert!(!text.contains("build.log"), "{text}");
    assert_eq!(text.matches("changed:").count(), 1, "{text}");
}

#[test]
fn watch_rebuilds_on_save_and_survives_errors() {
    let dir = watched_project();
    let (mut child, ok, rebuilt) = watch_and_edit(&dir, std::process::Stdio::null(), std::process::Stdio::piped());
    let out = dir.path().join("out/doc.txt");
    let read = || std::fs::read_to_string(&out).unwrap_or_default();
    // A broken template is reported, the last good output stays, the watch goes on.
    std::fs::write(dir.path().join("templates/doc.md.tera"), "---\ntitle: 测试\n---\n\n{{ facts.m }}\n")
        .expect("break");
    std::thread::sleep(std::time::Duration::from_millis(800));
    let kept = read().contains("共召开会议十二次");
    std::fs::write(dir.path().join("templates/doc.md.tera"), "---\ntitle: 测试\n---\n\n会议{{ facts.n }}次。\n")
        .expect("fix");
    let recovered = eventually(|| read().contains("会议12次"));
    let _ = child.kill();
    let o = child.wait_with_output().expect("wait");
    let err = stderr(&o);
    assert!(
        ok && rebuilt && kept && recovered,
        "first {ok}, rebuilt {rebuilt}, kept {kept}, recovered {recovered}\n{err}"
    );
    assert!(err.contains("changed: data/facts.yaml"), "{err}");
    assert!(err.contains("error[T002]"), "{err}");
}

/// A failed write to stdout (a full device) is an error, exit 1; a closed
/// pipe is not.
#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_a_write_error() {
    let dir = project(OK_TEMPLATE, &[("county.yaml", "county:\n  name: 青溪县\n  meetings: 3\n")]);
    for args in [&["schema"][..], &["render", "templates/doc.md.tera", "--data", "data/county.yaml"]] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_wengao"))
            .args(args)
            .current_dir(dir.path())
            .stdout(full)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("cannot write to standard output"), "{}", stderr(&o));
    }
}

/// Past a file-size limit the build reports the write that failed and
/// leaves no temporary file (the kernel's SIGXFSZ would have killed it).
#[cfg(unix)]
#[test]
fn a_file_size_limit_is_a_write_error() {
    let dir = project(OK_TEMPLATE, &[("county.yaml", "name: 青溪县\nmeetings: 3\n")]);
    let o = std::process::Command::new("sh")
        .args(["-c", &format!("ulimit -f 2 && exec '{}' build . -f docx", env!("CARGO_BIN_EXE_wengao"))])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run sh");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error[O003]"), "{}", stderr(&o));
    let left: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert!(left.iter().all(|n| !n.contains("wengao-tmp")), "{left:?}");
}
