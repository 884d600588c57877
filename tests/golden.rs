#![allow(clippy::panic)]
//! Golden tests: each `tests/cases/<name>/` is a small project whose built
//! text outputs must equal `expected/`, and whose PDF layout, line by line
//! (`expected/<doc>.pdf.txt`, laid out with the bundled Noto Serif SC so
//! every machine agrees), must too. Projects that must fail or warn are the
//! bad-input corpus (`tests/bad-inputs`, `tests/bad_inputs.rs`).
//! `WENGAO_BLESS=1 cargo test --test golden` rewrites the expectations;
//! review the diff.

mod common;

use std::path::{Path, PathBuf};

use common::wengao;

fn bless() -> bool {
    std::env::var_os("WENGAO_BLESS").is_some()
}

fn cases(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("cases dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// Copy a case (without expected/ and out/) to a temporary folder.
fn stage(case: &Path) -> tempfile::TempDir {
    common::stage(case, &["expected", "out"])
}

fn compare(expected: &Path, actual: &str, failures: &mut Vec<String>) {
    if bless() {
        std::fs::create_dir_all(expected.parent().expect("parent")).expect("mkdir");
        std::fs::write(expected, actual).expect("bless");
        return;
    }
    match std::fs::read_to_string(expected) {
        Ok(want) if want == actual => {}
        Ok(want) => {
            failures.push(format!("{} differs:\n--- expected\n{want}\n--- actual\n{actual}", expected.display()))
        }
        Err(_) => failures.push(format!("{} missing (run with WENGAO_BLESS=1)", expected.display())),
    }
}

#[test]
fn cases_build_to_their_expected_text() {
    let mut failures = Vec::new();
    for case in cases("cases") {
        let tmp = stage(&case);
        let o = wengao(&["build", ".", "-f", "txt,md"], tmp.path());
        if !o.status.success() {
            failures.push(format!("{}: build failed:\n{}", case.display(), String::from_utf8_lossy(&o.stderr)));
            continue;
        }
        // The build's bookkeeping (cache, manifest) is not document output.
        let mut outs: Vec<PathBuf> = std::fs::read_dir(tmp.path().join("out"))
            .expect("out")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| !p.ends_with("manifest.json") && !p.ends_with(".wengao-cache"))
            .collect();
        outs.sort();
        for out in outs {
            let name = out.file_name().expect("name").to_string_lossy().into_owned();
            compare(
                &case.join("expected").join(&name),
                &std::fs::read_to_string(&out).expect("utf8 output"),
                &mut failures,
            );
        }
        compare(&case.join("expected").join("stderr.txt"), &String::from_utf8_lossy(&o.stderr), &mut failures);
        for md in std::fs::read_dir(tmp.path().join("out")).expect("out").filter_map(Result::ok).map(|e| e.path()) {
            if md.extension().is_some_and(|x| x == "md") {
                let name = format!("{}.pdf.txt", md.file_stem().expect("stem").to_string_lossy());
                let lines = pdf_lines(&std::fs::read_to_string(&md).expect("md"), tmp.path());
                compare(&case.join("expected").join(name), &lines, &mut failures);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The laid-out text of a rendered document: one line per layout line, each
/// with its left edge in millimetres, pages separated. Uses one repository
/// font for every face so the expectation is the same on every machine.
fn pdf_lines(markdown: &str, root: &Path) -> String {
    use wengao::layout::Item;
    let mut sources = wengao::diag::Sources::new();
    let file = sources.add("doc.md", markdown);
    let (doc, _) = wengao::markup::parse_document(markdown, file);
    let doc = doc.expect("document");
    let font = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSerifSC-Regular-GB2312.ttf");
    let fonts = wengao::fonts::FontSet::from_file(&font, 0).expect("bundled font");
    let style = wengao::style::Style::gbt9704();
    let (pages, _) = wengao::layout::layout_document(&doc, &style, &fonts, root);
    let mut out = String::new();
    for (n, page) in pages.pages.iter().enumerate() {
        out.push_str(&format!("--- page {}\n", n + 1));
        // (baseline, x, text) of every glyph, then grouped into lines.
        let mut glyphs: Vec<(i64, f64, char)> = Vec::new();
        for item in &page.items {
            if let Item::Text(run) = item {
                let base = (run.baseline.0 * 10.0).round() as i64;
                glyphs.extend(run.glyphs.iter().map(|g| (base, g.x.0, g.ch)));
            }
        }
        glyphs.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut i = 0;
        while i < glyphs.len() {
            let base = glyphs[i].0;
            let left_mm = glyphs[i].1 * 25.4 / 72.0;
            let mut text = String::new();
            while i < glyphs.len() && glyphs[i].0 == base {
                text.push(glyphs[i].2);
                i += 1;
            }
            out.push_str(&format!("{left_mm:6.1} {text}\n"));
        }
    }
    out
}
