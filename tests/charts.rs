//! `chart()` end to end: a project whose template draws charts builds to
//! DOCX (a PNG media part referenced by a drawing), PDF (an image XObject)
//! and text (the caption), byte-identical across builds; bad arguments are
//! T003 errors at the template line.
#![allow(clippy::panic, clippy::unwrap_used)]

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;

const TEMPLATE: &str = r#"---
title: 提案工作情况
numbering: auto
---

全年共收到提案{{ facts.by | length }}类。

{{ chart(kind="bar", data=facts.by, unit="件", caption="图1 提案分类情况") }}

各月会议情况如下。

{{ chart(kind="line", labels=["1月", "2月", "3月"], values=facts.months, caption="图2 各月会议") }}

{{ chart(kind="pie", data=facts.by, title="提案构成") }}
"#;

fn project(dir: &Path, template: &str) {
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("wengao.toml"), "title = \"图表\"\n").unwrap();
    std::fs::write(dir.join("data/facts.yaml"), "by: {经济: 5, 农业农村: 5, 教育: 4}\nmonths: [3, 1, 2]\n").unwrap();
    std::fs::write(dir.join("templates/charts.md.tera"), template).unwrap();
}

fn wengao(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wengao")).args(args).env("NO_COLOR", "1").output().expect("run wengao")
}

fn build(dir: &Path, formats: &str, out: &str) -> std::process::Output {
    let o = wengao(&["build", dir.to_str().unwrap(), "-f", formats, "-o", dir.join(out).to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

fn zip_names(docx: &[u8]) -> Vec<String> {
    let z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    z.file_names().map(str::to_string).collect()
}

fn zip_part(docx: &[u8], name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut v = Vec::new();
    z.by_name(name).unwrap().read_to_end(&mut v).unwrap();
    v
}

#[test]
fn charts_are_embedded_in_docx_and_pdf_with_captions() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    project(p, TEMPLATE);
    let o = wengao(&["check", p.to_str().unwrap(), "--deny-warnings"]);
    assert!(o.status.success(), "check: {}", String::from_utf8_lossy(&o.stderr));
    build(p, "docx,pdf,txt,html", "out");
    let docx = std::fs::read(p.join("out/charts.docx")).unwrap();
    let media: Vec<String> = zip_names(&docx).into_iter().filter(|n| n.starts_with("word/media/")).collect();
    assert_eq!(media.len(), 3, "{media:?}");
    for m in &media {
        assert!(m.ends_with(".png"), "{m}");
        assert!(zip_part(&docx, m).starts_with(b"\x89PNG"), "{m} is a PNG");
    }
    let xml = String::from_utf8(zip_part(&docx, "word/document.xml")).unwrap();
    assert_eq!(xml.matches("<w:drawing>").count(), 3);
    assert!(xml.contains("图1 提案分类情况") && xml.contains("图2 各月会议"));
    let rels = String::from_utf8(zip_part(&docx, "word/_rels/document.xml.rels")).unwrap();
    assert!(rels.contains("media/"), "{rels}");

    let pdf = std::fs::read(p.join("out/charts.pdf")).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert_eq!(text.matches("/Subtype/Image").count(), 3, "three image XObjects");
    if let Some(o) = common::tool("pdfimages", &["-list", p.join("out/charts.pdf").to_str().unwrap()]) {
        let list = String::from_utf8_lossy(&o.stdout);
        assert_eq!(list.lines().filter(|l| l.contains(" 1843  1134 ")).count(), 3, "{list}");
    }
    if let Some(o) = common::tool("pdftotext", &[p.join("out/charts.pdf").to_str().unwrap(), "-"])
        && o.status.success()
    {
        let t = String::from_utf8_lossy(&o.stdout);
        assert!(t.contains("图1 提案分类情况") && t.contains("图2 各月会议"), "{t}");
    }
    let txt = std::fs::read_to_string(p.join("out/charts.txt")).unwrap();
    assert!(txt.contains("图1 提案分类情况") && !txt.contains("wengao-chart"), "{txt}");
    let html = std::fs::read_to_string(p.join("out/charts.html")).unwrap();
    assert_eq!(html.matches("data:image/png;base64,").count(), 3);

    // The same bytes from a second build, and the same chart in a DOCX built alone.
    build(p, "docx,pdf", "again");
    for f in ["charts.docx", "charts.pdf"] {
        assert!(
            std::fs::read(p.join("out").join(f)).unwrap() == std::fs::read(p.join("again").join(f)).unwrap(),
            "{f}"
        );
    }
    build(p, "docx", "alone");
    let alone = std::fs::read(p.join("alone/charts.docx")).unwrap();
    for m in &media {
        assert!(zip_part(&alone, m) == zip_part(&docx, m), "{m}: same pixels without the PDF");
    }
}

#[test]
fn bad_chart_arguments_point_at_the_template_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    project(p, "---\ntitle: 图\n---\n\n正文。\n\n{{ chart(kind=\"pie\", labels=[\"甲\"], values=[1, 2]) }}\n");
    let o = wengao(&["build", p.to_str().unwrap(), "-f", "docx"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("T003"), "{err}");
    assert!(err.contains("chart: the chart has 1 labels but 2 values"), "{err}");
    assert!(err.contains("charts.md.tera:7"), "{err}");
}

#[test]
fn a_hand_written_chart_url_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    project(p, "---\ntitle: 图\n---\n\n正文。\n\n![图](wengao-chart:bm90IGpzb24)\n");
    let o = wengao(&["build", p.to_str().unwrap(), "-f", "docx"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("M004") || err.contains("chart image"), "{err}");
    assert!(err.contains("the chart data is not a chart"), "{err}");
}

#[test]
fn a_chart_built_without_a_pdf_is_never_taken_from_the_cache() {
    // Fonts enter the cache key only when a PDF is built; a DOCX-only chart
    // is drawn with fonts resolved on the spot, so it is rebuilt every time.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    project(p, TEMPLATE);
    build(p, "docx", "out");
    let again = build(p, "docx", "out");
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("wrote") && !stdout.contains("unchanged"), "{stdout}");
    // With a PDF the fonts are in the key, and nothing changed.
    build(p, "docx,pdf", "out");
    let again = build(p, "docx,pdf", "out");
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("unchanged") && !stdout.contains("wrote"), "{stdout}");
}
