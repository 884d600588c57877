//! `script` in wengao.toml: the Traditional-script collection example builds
//! from the same data and templates in either script, and the conversion is
//! deterministic (same bytes twice).

mod common;

use std::path::{Path, PathBuf};

use common::wengao;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join("party-building-collection")
}

/// Copy the collection example (without out/) with `script` set, if any.
fn stage(script: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = example();
    for e in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok) {
        let rel = e.path().strip_prefix(&src).expect("inside");
        if rel.components().next().is_some_and(|c| c.as_os_str() == "out") {
            continue;
        }
        let to = dir.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
    if let Some(s) = script {
        let toml = dir.path().join("wengao.toml");
        let text = std::fs::read_to_string(&toml).expect("read wengao.toml");
        // Top-level keys go before the first table.
        let text = text.replacen("[style.fonts]", &format!("script = \"{s}\"\n\n[style.fonts]"), 1);
        std::fs::write(&toml, text).expect("write wengao.toml");
    }
    dir
}

fn build_txt(dir: &Path) -> String {
    let o = wengao(&["build", ".", "-f", "txt", "--deny-warnings"], dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(dir.join("out").join("collection.txt")).expect("txt")
}

#[test]
fn the_collection_builds_in_both_scripts_from_the_same_data() {
    let kept = build_txt(stage(None).path());
    assert!(kept.starts_with("基層黨建工作範文彙編"), "{}", &kept[..60]);
    assert!(kept.contains("第三篇：探索非公有制企業黨建工作新路子"));
    assert!(kept.contains("全市非公有制企業發展到1370多家"), "facts from the data");

    let simplified = build_txt(stage(Some("simplified")).path());
    assert!(simplified.starts_with("基层党建工作范文汇编"), "{}", &simplified[..60]);
    assert!(simplified.contains("第三篇：探索非公有制企业党建工作新路子"));
    // Data printed into the text is converted too (作者：劉煥成 comes from articles.yaml).
    assert!(simplified.contains("作者：刘焕成"));
    assert!(simplified.contains("全市非公有制企业发展到1370多家"));
    assert!(!simplified.contains('黨') && !simplified.contains('範'));
    // Same document, other script: as many characters, line for line.
    assert_eq!(kept.lines().count(), simplified.lines().count());
    assert_eq!(kept.chars().count(), simplified.chars().count());

    // Back to Traditional (OpenCC's standard forms): by word, not by character.
    let traditional = build_txt(stage(Some("traditional")).path());
    assert!(traditional.contains("黨建"));
    assert!(traditional.contains("幹部們紛紛表示"), "干部 is 幹部 in Traditional script");

    // Taiwan's forms: 為 as the source writes it, and still 幹部.
    let taiwan = build_txt(stage(Some("traditional-tw")).path());
    assert!(taiwan.contains("幹部們紛紛表示") && taiwan.contains("為") && !taiwan.contains("爲"));
}

#[test]
fn script_conversion_is_deterministic() {
    let a = stage(Some("simplified"));
    let b = stage(Some("simplified"));
    for d in [a.path(), b.path()] {
        let o = wengao(&["build", ".", "-f", "txt,docx,pdf"], d);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for f in ["collection.txt", "collection.docx", "collection.pdf"] {
        let x = std::fs::read(a.path().join("out").join(f)).expect("first");
        let y = std::fs::read(b.path().join("out").join(f)).expect("second");
        assert!(x == y, "{f} differs between two builds");
    }
}

#[test]
fn an_unknown_script_is_a_config_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
    std::fs::write(dir.path().join("templates").join("a.md.tera"), "# 标题\n\n正文。\n").expect("tpl");
    std::fs::write(dir.path().join("wengao.toml"), "script = \"traditonal\"\n").expect("toml");
    let o = wengao(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("C001") || err.contains("wengao.toml"), "{err}");
    assert!(err.contains("traditonal") && err.contains("traditional"), "{err}");
}

/// The language readers are told: `/Lang` in the PDF, `lang` in the HTML,
/// the East Asian language and `dc:language` in the DOCX.
fn languages(dir: &Path) -> (String, String, String, String) {
    let o = wengao(&["build", ".", "-f", "pdf,html,docx"], dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = dir.join("out");
    let pdf = std::fs::read(out.join("collection.pdf")).expect("pdf");
    let pdf = String::from_utf8_lossy(&pdf);
    let lang =
        |s: &str, from: &str, to: char| s.split(from).nth(1).and_then(|r| r.split(to).next()).map(str::to_string);
    let pdf_lang = lang(&pdf, "/Lang(", ')').expect("/Lang");
    let html = std::fs::read_to_string(out.join("collection.html")).expect("html");
    let html_lang = lang(&html, "<html lang=\"", '"').expect("lang");
    let docx = std::fs::read(out.join("collection.docx")).expect("docx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("zip");
    let mut part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut s).expect("utf-8");
        s
    };
    let styles = part("word/styles.xml");
    let core = part("docProps/core.xml");
    let styles_lang = styles.split("<w:lang ").nth(1).and_then(|r| lang(r, "w:eastAsia=\"", '"')).expect("w:lang");
    let dc = lang(&core, "<dc:language>", '<').expect("dc:language");
    (pdf_lang, html_lang, styles_lang, dc)
}

#[test]
fn readers_are_told_the_script_the_document_is_printed_in() {
    // As written (Traditional), converted to Simplified, and Taiwan's forms.
    // The DOCX runs keep zh-CN: it chooses Word's and LibreOffice's line
    // breaking (the PDF's 避头尾) and the font of quotation marks; the
    // document's language is in its properties.
    for (script, want) in [(None, "zh-Hant"), (Some("simplified"), "zh-CN"), (Some("traditional-tw"), "zh-TW")] {
        let dir = stage(script);
        let (pdf, html, docx, dc) = languages(dir.path());
        let got = [pdf.as_str(), html.as_str(), docx.as_str(), dc.as_str()];
        assert_eq!(got, [want, want, "zh-CN", want], "script {script:?}");
    }
}
