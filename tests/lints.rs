//! The text lints (Q…) as users meet them: in `check` and `build`, as
//! warnings that fail only with `--deny-warnings`, silenced by
//! `[check] allow`; and the built-in kinds and examples stay free of them.

mod common;

use std::path::Path;
use std::process::Output;

use common::wengao;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const TEMPLATE: &str = "---\ntitle: 县委支持政协工作经验材料\n---\n## 总体情况\n\n\
近年来，xx县委倾力支持政协工作。\n\n\
提拔任用{{ c.promoted }}人（其中正科{{ c.chiefs }}人，副科7人）。\n";

fn project(toml: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for d in ["templates", "data"] {
        std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
    }
    std::fs::write(dir.path().join("templates/doc.md.tera"), TEMPLATE).expect("write");
    std::fs::write(dir.path().join("data/c.yaml"), "promoted: \"\"\nchiefs: 5\n").expect("write");
    if let Some(t) = toml {
        std::fs::write(dir.path().join("wengao.toml"), t).expect("write");
    }
    dir
}

#[test]
fn check_and_build_warn_and_fail_only_when_denied() {
    let dir = project(None);
    let o = wengao(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    // Literal template text, and a sentence with a figure from the data: both at the template line.
    assert!(err.contains("templates/doc.md.tera:6:5: warning[Q001]: placeholder `xx` left in the text"), "{err}");
    assert!(err.contains("templates/doc.md.tera:8:21: warning[Q002]: number missing before `人`"), "{err}");
    assert!(err.contains("= hint: "), "{err}");
    assert_eq!(wengao(&["check", ".", "--deny-warnings"], dir.path()).status.code(), Some(1));

    let o = wengao(&["build", ".", "-f", "txt"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning[Q002]"), "{}", stderr(&o));
    assert!(dir.path().join("out/doc.txt").is_file());
    let o = wengao(&["build", ".", "-f", "txt", "--deny-warnings"], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn json_lines_carry_every_field() {
    let dir = project(None);
    let o = wengao(&["check", ".", "--message-format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let lints: Vec<serde_json::Value> = stderr(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .filter(|v: &serde_json::Value| v["code"].as_str().is_some_and(|c| c.starts_with('Q')))
        .collect();
    assert_eq!(lints.len(), 2, "{lints:?}");
    let q2 = &lints[1];
    assert_eq!(q2["code"], "Q002");
    assert_eq!(q2["severity"], "warning");
    assert_eq!(q2["file"], "templates/doc.md.tera");
    assert_eq!((q2["line"].as_u64(), q2["column"].as_u64()), (Some(8), Some(21)));
    assert!(q2["message"].as_str().is_some_and(|m| m.contains("提拔任用人（其中正科5人")), "{q2}");
    assert!(q2["hint"].is_string());
}

#[test]
fn allowed_lints_are_silent_and_unknown_codes_are_refused() {
    let dir = project(Some("[check]\nallow = [\"Q001\", \"Q002\"]\n"));
    let o = wengao(&["check", ".", "--deny-warnings"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("[Q00"), "{}", stderr(&o));

    let dir = project(Some("[check]\nallow = [\"Q001\"]\n"));
    let o = wengao(&["check", "."], dir.path());
    assert!(!stderr(&o).contains("[Q001]") && stderr(&o).contains("[Q002]"), "{}", stderr(&o));

    let dir = project(Some("[check]\nallow = [\"T002\"]\n"));
    let o = wengao(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[C002]") && stderr(&o).contains("Q001"), "{}", stderr(&o));
}

#[test]
fn check_reports_characters_no_font_has() {
    // U+10FFFD is private use (plane 16): no font wengao finds or bundles draws it.
    let dir = project(None);
    std::fs::write(dir.path().join("templates/doc.md.tera"), "---\ntitle: 通知\n---\n正文\u{10fffd}。\n")
        .expect("write");
    let o = wengao(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning[F002]") && stderr(&o).contains("U+10FFFD"), "{}", stderr(&o));
    assert_eq!(wengao(&["check", ".", "--deny-warnings"], dir.path()).status.code(), Some(1));
}

#[test]
fn built_in_kinds_and_examples_have_no_lint_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut projects = Vec::new();
    for kind in ["experience", "summary", "brief", "notice", "request", "minutes", "letter"] {
        let o = wengao(&["init", kind, "--kind", kind], dir.path());
        assert!(o.status.success(), "{}", stderr(&o));
        projects.push(dir.path().join(kind));
    }
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for e in std::fs::read_dir(examples).expect("examples").filter_map(Result::ok) {
        if e.path().join("templates").is_dir() {
            projects.push(e.path());
        }
    }
    for p in projects {
        let o = wengao(&["check", p.to_str().expect("utf8")], dir.path());
        assert_eq!(o.status.code(), Some(0), "{}: {}", p.display(), stderr(&o));
        assert!(!stderr(&o).contains("[Q00"), "{}: {}", p.display(), stderr(&o));
    }
}

#[test]
fn text_from_the_data_is_reported_on_the_rendered_line() {
    let dir = project(None);
    std::fs::write(dir.path().join("templates/doc.md.tera"), "---\ntitle: 通知\n---\n正文。\n\n{{ c.sentence }}\n")
        .expect("write");
    std::fs::write(dir.path().join("data/c.yaml"), "sentence: 近年来，xx县委倾力支持政协工作。\n").expect("write");
    let o = wengao(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("templates/doc.md.tera (rendered):6:5: warning[Q001]: placeholder `xx`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_document_can_allow_a_lint_in_its_front_matter() {
    let dir = project(None);
    let masked = "---\ntitle: 通报\nallow: [Q001]\n---\n××同志受到表彰。\n";
    std::fs::write(dir.path().join("templates/masked.md.tera"), masked).expect("write");
    let o = wengao(&["check", "."], dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("masked.md.tera:5"), "allowed in masked.md.tera: {err}");
    assert!(err.contains("doc.md.tera:6:5: warning[Q001]"), "still reported in doc.md.tera: {err}");

    std::fs::write(dir.path().join("templates/masked.md.tera"), masked.replace("Q001", "Q099")).expect("write");
    let o = wengao(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[M002]: front matter field `allow` names `Q099`, not a lint"), "{}", stderr(&o));
}
