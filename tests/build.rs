//! End-to-end builds of the built-in kinds and the bundled example: the DOCX is
#![allow(clippy::panic, clippy::unwrap_used)]
//! opened and its XML inspected; outputs are byte-identical across builds.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

fn wengao(args: &[&str]) -> std::process::Output {
    let o = Command::new(env!("CARGO_BIN_EXE_wengao")).args(args).env("NO_COLOR", "1").output().expect("run wengao");
    for dir in args.iter().map(Path::new).filter(|p| o.status.success() && p.is_dir()) {
        common::keep_outputs(dir);
    }
    o
}

fn part(docx: &Path, name: &str) -> String {
    let f = std::fs::File::open(docx).expect("open docx");
    let mut z = zip::ZipArchive::new(f).expect("docx is a zip");
    let mut s = String::new();
    z.by_name(name).unwrap_or_else(|_| panic!("{name} in package")).read_to_string(&mut s).expect("utf8 part");
    s
}

fn init_and_build(kind: &str, dir: &Path) -> PathBuf {
    let p = dir.join(kind);
    let o = wengao(&["init", p.to_str().expect("utf8 path"), "--kind", kind]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = wengao(&["build", p.to_str().expect("utf8 path"), "-f", "docx,pdf,txt,html,md", "--deny-warnings"]);
    assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains(&format!("out/{kind}.docx")), "build says where files went: {stdout}");
    p.join("out").join(format!("{kind}.docx"))
}

#[test]
fn every_kind_builds_a_gbt9704_docx() {
    let dir = tempfile::tempdir().expect("tempdir");
    for kind in ["experience", "summary", "report", "brief", "collection", "notice", "request", "minutes", "letter"] {
        let docx = init_and_build(kind, dir.path());
        let doc = part(&docx, "word/document.xml");
        // A4 and the GB/T 9704 margins, in twips.
        assert!(doc.contains(r#"w:w="11906""#) && doc.contains(r#"w:h="16838""#), "{kind}: A4");
        for (side, twips) in [("top", 2098), ("bottom", 1984), ("left", 1587), ("right", 1474)] {
            assert!(doc.contains(&format!(r#"w:{side}="{twips}""#)), "{kind}: margin {side} {twips}");
        }
        // Footers for odd and even pages.
        assert!(doc.contains(r#"w:type="default""#) && doc.contains(r#"w:type="even""#), "{kind}: footers");
        let settings = part(&docx, "word/settings.xml");
        assert!(settings.contains("evenAndOddHeaders"), "{kind}: even/odd footers switched on");
        // The text of the txt output is the text of the DOCX.
        let txt = std::fs::read_to_string(docx.with_extension("txt")).expect("txt");
        let first_para =
            txt.lines().find(|l| l.starts_with('\u{3000}') && l.chars().count() > 30).expect("a body paragraph");
        let probe: String = first_para.trim_start_matches('\u{3000}').chars().take(12).collect();
        assert!(doc.contains(&probe), "{kind}: body text `{probe}` in document.xml");
        assert!(!doc.contains("{{") && !doc.contains("{%"), "{kind}: no template syntax left");
        // The PDF is a PDF, and its text (where poppler is installed) is the document's text.
        let pdf = docx.with_extension("pdf");
        assert!(std::fs::read(&pdf).expect("pdf written").starts_with(b"%PDF-"), "{kind}: PDF header");
        if let Some(o) = common::tool("pdftotext", &[pdf.to_str().expect("utf-8 path"), "-"]) {
            let text: String = String::from_utf8_lossy(&o.stdout).split_whitespace().collect();
            assert!(text.contains(&probe), "{kind}: `{probe}` in the PDF text");
        }
    }
}

/// `../shared/tools/check-gongwen.py` on a built PDF: its output, or None
/// (a skip) where the script or pdfplumber is missing.
fn check_gongwen(pdf: &Path, opts: &[&str]) -> Option<String> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/tools/check-gongwen.py");
    if !Path::new(script).exists() {
        wengao::test_support::skip("check-gongwen.py: ../shared/tools/check-gongwen.py not found");
        return None;
    }
    let mut args = vec![script, pdf.to_str().expect("utf-8 path")];
    args.extend(opts);
    let o = common::tool("python3", &args)?;
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    if out.contains("No module named") {
        wengao::test_support::skip("check-gongwen.py: pdfplumber is not installed");
        return None;
    }
    Some(out)
}

#[test]
fn the_gongwen_kinds_pass_check_gongwen() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (kind, opts, checks) in [
        (
            "notice",
            &["--expect-cc", "--expect-copy-no", "--expect-attachment-page"][..],
            &["mark", "doc-no", "rule", "copy-no", "title", "recipient", "imprint", "imprint-even", "attachment-page"]
                [..],
        ),
        (
            "request",
            &["--expect-signers", "--expect-cc", "--expect-copy-no"][..],
            &["mark", "doc-no", "signers", "rule", "copy-no", "title", "recipient", "imprint", "imprint-even"][..],
        ),
        (
            "minutes",
            &["--format", "minutes", "--expect-cc", "--expect-copy-no"][..],
            &["mark", "rule", "copy-no", "title", "imprint", "imprint-even", "page-numbers"][..],
        ),
        (
            "letter",
            &["--format", "letter", "--expect-cc"][..],
            &["mark", "doc-no", "rule", "title", "recipient", "imprint", "imprint-even", "page-numbers"][..],
        ),
        // A 简报 is measured as check-gongwen measures a 纪要: red 报头 centred, red rule block-wide.
        ("brief", &["--format", "minutes"][..], &["mark", "rule", "page-numbers"][..]),
    ] {
        let docx = init_and_build(kind, dir.path());
        let pdf = docx.with_extension("pdf");
        let Some(out) = check_gongwen(&pdf, opts) else { return };
        assert!(out.contains("0 failed") && !out.contains("FAIL"), "{kind}: {out}");
        for check in checks {
            assert!(out.contains(&format!("PASS {check}:")), "{kind}: {check} did not pass:\n{out}");
        }
        // The DOCX carries the same parts: the red mark and rule, the 版记 table.
        let doc = part(&docx, "word/document.xml");
        assert!(doc.contains(r#"<w:color w:val="FF0000"/>"#) && doc.contains("<w:pBdr>"), "{kind}: red mark and rule");
        assert!(
            doc.contains("<w:tblpPr") && ["抄送", "印发", "报："].iter().any(|w| doc.contains(w)),
            "{kind}: the floating 版记"
        );
    }
}

#[test]
fn docx_fonts_sizes_and_footers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = init_and_build("experience", dir.path());
    let doc = part(&docx, "word/document.xml");
    let styles = part(&docx, "word/styles.xml");
    let all = format!("{doc}{styles}");
    for font in ["仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"] {
        assert!(all.contains(&format!(r#"w:eastAsia="{font}""#)), "eastAsia font {font}");
    }
    assert!(all.contains(r#"<w:sz w:val="32"/>"#), "16 pt body");
    assert!(all.contains(r#"<w:sz w:val="44"/>"#), "22 pt title");
    assert!(all.contains(r#"w:line="579""#) && all.contains(r#"w:lineRule="exact""#), "exact 28.95 pt pitch");
    assert!(all.contains(r#"w:firstLine="640""#), "two-character indent");
    assert!(all.contains(r#"w:val="both""#), "justified");
    let rels = part(&docx, "word/_rels/document.xml.rels");
    let footers: Vec<&str> =
        rels.split("Target=\"").skip(1).filter_map(|s| s.split('"').next()).filter(|t| t.contains("footer")).collect();
    assert_eq!(footers.len(), 2, "odd and even footers: {rels}");
    let mut aligns = Vec::new();
    for f in footers {
        let x = part(&docx, &format!("word/{}", f.trim_start_matches('/').trim_start_matches("word/")));
        assert!(x.contains("PAGE"), "PAGE field in {f}");
        assert!(x.contains('—'), "dashes in {f}");
        assert!(x.contains(r#"<w:pStyle w:val="Footer"/>"#), "the footer style in {f}");
        aligns.extend(["right", "left"].into_iter().filter(|a| x.contains(&format!(r#"w:jc w:val="{a}""#))));
    }
    aligns.sort();
    assert_eq!(aligns, ["left", "right"]);
    let footer =
        styles.split(r#"w:styleId="Footer""#).nth(1).and_then(|s| s.split("</w:style>").next()).expect("Footer");
    assert!(
        footer.contains(r#"<w:sz w:val="28"/>"#) && footer.contains(r#"w:eastAsia="宋体""#),
        "14 pt 宋体: {footer}"
    );
}

/// The 工作报告 carries its statistics as tables whose figures come from
/// `stats` (the sample has 30 proposals, 6 in 社会治理).
#[test]
fn report_has_statistics_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = init_and_build("report", dir.path());
    let doc = part(&docx, "word/document.xml");
    assert_eq!(doc.matches("<w:tbl>").count(), 2, "meetings and proposals tables");
    let txt = std::fs::read_to_string(docx.with_extension("txt")).expect("txt");
    // The share column written with one number of decimals (16.7%, 20.0%).
    assert!(txt.contains("社会治理\t6\t20.0%"), "{txt}");
    assert!(txt.contains("合计\t30\t100.0%"), "{txt}");
    assert!(txt.starts_with("政协青溪县委员会常务委员会工作报告\n——在政协青溪县第十一届委员会第三次会议上\n"), "{txt}");
}

/// The `w:` namespace of WordprocessingML.
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The `w:val` (or another `w:` attribute) of the first `w:name` child of `node`.
fn w_attr<'a>(node: roxmltree::Node<'a, '_>, name: &str, attr: &str) -> Option<&'a str> {
    node.descendants().find(|n| n.has_tag_name((W, name))).and_then(|n| n.attribute((W, attr)))
}

/// The text of a paragraph (`w:t` in order).
fn text_of(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants().filter(|n| n.has_tag_name((W, "t"))).filter_map(|n| n.text()).collect()
}

/// A 汇编 in Word: a TOC field over heading 1 whose result is already filled
/// with the entries and the pages of wengao's own layout (the PDF's), each
/// entry a link to a bookmark on its article's title with a PAGEREF to it;
/// every article on a new page with its title in "heading 1" and its author
/// line in the `Author` style; the 一、 headings one level down.
#[test]
fn collection_docx_has_a_filled_toc_field_and_page_breaks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = init_and_build("collection", dir.path());
    let doc_xml = part(&docx, "word/document.xml");
    let styles_xml = part(&docx, "word/styles.xml");
    let doc = roxmltree::Document::parse(&doc_xml).expect("document.xml parses");
    let styles = roxmltree::Document::parse(&styles_xml).expect("styles.xml parses");
    let paras: Vec<_> = doc.descendants().filter(|n| n.has_tag_name((W, "p"))).collect();
    fn style_of<'a>(p: &roxmltree::Node<'a, '_>) -> &'a str {
        w_attr(*p, "pStyle", "val").unwrap_or("")
    }

    let entries: Vec<_> = paras.iter().filter(|p| style_of(p) == "TOC1").collect();
    assert_eq!(entries.len(), 4, "one 目录 entry per article");
    let instrs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "instrText")))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect();
    assert_eq!(instrs[0], r#"TOC \o "1-1" \h \z"#, "{instrs:?}");
    let field_chars = |p: &roxmltree::Node| -> Vec<String> {
        p.children()
            .filter(|c| c.has_tag_name((W, "r")))
            .filter_map(|r| w_attr(r, "fldChar", "fldCharType").map(str::to_string))
            .collect()
    };
    assert_eq!(field_chars(entries[0]), ["begin", "separate"], "the TOC field opens in the first entry");
    assert_eq!(field_chars(entries[3]), ["end"], "and closes in the last");
    // The cover and the 目录 are a section of their own, its footers blank
    // (no page number); the text's section numbers its pages from 1.
    let toc_section = entries[3]
        .children()
        .find(|c| c.has_tag_name((W, "pPr")))
        .and_then(|ppr| ppr.children().find(|c| c.has_tag_name((W, "sectPr"))))
        .expect("the last 目录 entry ends the first section");
    let footers: Vec<&str> = toc_section
        .children()
        .filter(|c| c.has_tag_name((W, "footerReference")))
        .filter_map(|c| c.attribute((R, "id")))
        .collect();
    assert_eq!(footers, ["rIdFooterBlank", "rIdFooterBlank"]);
    assert!(!toc_section.children().any(|c| c.has_tag_name((W, "pgNumType"))));
    let body = doc.descendants().find(|n| n.has_tag_name((W, "body"))).expect("body");
    let last_section = body.children().rfind(|c| c.has_tag_name((W, "sectPr"))).expect("the text's section");
    assert_eq!(w_attr(last_section, "pgNumType", "start"), Some("1"));
    let footer3 = part(&docx, "word/footer3.xml");
    assert!(!footer3.contains("PAGE"), "the blank footer has no page field: {footer3}");
    // Each entry: a link to its article's bookmark, with a tab drawn as dots
    // (an underline, not text) and a PAGEREF to that bookmark whose result
    // is the page.
    let mut anchors = Vec::new();
    let mut pages = Vec::new();
    for e in &entries {
        let link = e.children().find(|c| c.has_tag_name((W, "hyperlink"))).expect("entry is a hyperlink");
        let anchor = link.attribute((W, "anchor")).expect("anchor").to_string();
        let tab_run =
            link.children().find(|r| r.children().any(|c| c.has_tag_name((W, "tab")))).expect("tab before the page");
        assert_eq!(w_attr(tab_run, "u", "val"), Some("dotted"), "dots drawn, not text");
        assert_eq!(w_attr(**e, "tab", "leader"), Some("none"), "no text leader in the filled-in entry");
        let instr =
            link.descendants().find(|n| n.has_tag_name((W, "instrText"))).and_then(|n| n.text()).expect("PAGEREF");
        assert_eq!(instr.trim(), format!(r"PAGEREF {anchor} \h"));
        let page: String = text_of(link).chars().rev().take_while(char::is_ascii_digit).collect();
        pages.push(page.chars().rev().collect::<String>());
        anchors.push(anchor);
    }
    let toc1 = styles
        .descendants()
        .find(|n| n.has_tag_name((W, "style")) && n.attribute((W, "styleId")) == Some("TOC1"))
        .expect("TOC1 style");
    assert_eq!(w_attr(toc1, "tab", "leader"), Some("dot"), "Word's rebuilt entries get a dot leader");
    assert_eq!(w_attr(toc1, "name", "val"), Some("toc 1"));
    // The page numbers are the PDF's: read them from the PDF text.
    let pdf = docx.with_extension("pdf");
    if let Some(o) = common::tool("pdftotext", &["-layout", pdf.to_str().expect("utf-8 path"), "-"]) {
        let text = String::from_utf8_lossy(&o.stdout);
        let toc_page = text.split('\u{c}').nth(1).expect("page 2");
        let pdf_lines: Vec<&str> = toc_page.lines().filter(|l| l.trim_end().ends_with(char::is_numeric)).collect();
        assert_eq!(pdf_lines.len(), 4, "{toc_page}");
        for (line, page) in pdf_lines.iter().zip(&pages) {
            assert!(line.trim_end().ends_with(page.as_str()), "PDF `{line}` vs DOCX page {page}");
        }
    }
    // Articles: a page break (the first opens the text's section, on a new
    // page already), the title in heading 1 with the bookmark the entry
    // links to, the author line.
    let titles: Vec<_> = paras.iter().filter(|p| style_of(p) == "Heading1").collect();
    assert_eq!(titles.len(), 4);
    for (i, (t, anchor)) in titles.iter().zip(&anchors).enumerate() {
        let breaks = t.descendants().any(|n| n.has_tag_name((W, "pageBreakBefore")));
        assert_eq!(breaks, i > 0, "article {i} on a new page");
        assert_eq!(w_attr(**t, "bookmarkStart", "name"), Some(anchor.as_str()));
        assert!(t.descendants().any(|n| n.has_tag_name((W, "bookmarkEnd"))));
    }
    let authors: Vec<String> = paras.iter().filter(|p| style_of(p) == "Author").map(|p| text_of(*p)).collect();
    assert_eq!(authors.len(), 4);
    assert_eq!(authors[0], "中共青溪县委办公室");
    // Heading styles: articles are heading 1 (outline level 1), the 一、
    // headings heading 2, so the TOC field lists the articles only.
    let style = |id: &str| {
        styles
            .descendants()
            .find(|n| n.has_tag_name((W, "style")) && n.attribute((W, "styleId")) == Some(id))
            .unwrap_or_else(|| panic!("style {id}"))
    };
    assert_eq!(w_attr(style("Heading1"), "name", "val"), Some("heading 1"));
    assert_eq!(w_attr(style("Heading1"), "outlineLvl", "val"), Some("0"));
    assert_eq!(w_attr(style("Heading2"), "name", "val"), Some("heading 2"));
    assert_eq!(w_attr(style("Heading2"), "outlineLvl", "val"), Some("1"));
    assert!(w_attr(style("Heading2"), "rFonts", "eastAsia").is_some_and(|f| f.contains('黑')), "一、 in 黑体");
    assert!(w_attr(style("Author"), "rFonts", "eastAsia").is_some_and(|f| f.contains('楷')), "author line in 楷体");
    assert!(paras.iter().any(|p| style_of(p) == "Heading2"), "the 一、 headings use heading 2");
    // The cover's date, not a signature block at the end.
    assert!(doc_xml.contains("2023年12月20日"));
}

#[test]
fn builds_are_byte_identical() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let da = init_and_build("experience", a.path());
    let db = init_and_build("experience", b.path());
    for ext in ["docx", "pdf", "html", "txt", "md"] {
        let x = std::fs::read(da.with_extension(ext)).expect("read");
        let y = std::fs::read(db.with_extension(ext)).expect("read");
        assert!(x == y, "{ext} differs between two builds");
    }
}

#[test]
fn bundled_example_builds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("examples")).expect("examples/") {
        let ex = entry.expect("entry").path();
        // examples/README.md describes them.
        if !ex.is_dir() {
            continue;
        }
        let out = tempfile::tempdir().expect("tempdir");
        let o =
            wengao(&["build", ex.to_str().expect("utf8"), "-o", out.path().to_str().expect("utf8"), "--deny-warnings"]);
        assert!(o.status.success(), "{}: {}", ex.display(), String::from_utf8_lossy(&o.stderr));
        let built: Vec<_> = std::fs::read_dir(out.path()).expect("out").filter_map(Result::ok).collect();
        assert!(built.iter().any(|e| e.path().extension().is_some_and(|x| x == "docx")), "{}: a docx", ex.display());
    }
}

#[test]
fn the_whole_pipeline_runs_in_memory() {
    let font = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSerifSC-Regular-GB2312.ttf");
    let fonts = wengao::fonts::FontSet::from_file(&font, 0).expect("bundled font");
    let templates = [
        ("doc.md.tera", "---\ntitle: 测试\n---\n\n{% include \"_p.md.tera\" %}共{{ n | cn_num }}次。\n"),
        ("_p.md.tera", "全年"),
    ];
    let (files, outcome) = wengao::pipeline::render_in_memory(
        &templates,
        "doc.md.tera",
        &["n: 12\n"],
        &["txt", "pdf", "docx"],
        Some(&fonts),
        std::path::Path::new("."),
    );
    assert!(!outcome.diags.has_errors(), "{:?}", outcome.diags);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["txt", "pdf", "docx"]);
    assert!(String::from_utf8_lossy(&files[0].1).contains("全年共十二次。"));
    assert!(files[1].1.starts_with(b"%PDF-"));
    assert!(files[2].1.starts_with(b"PK"));

    // Errors come back as diagnostics with their sources, not as files.
    let (files, outcome) =
        wengao::pipeline::render_in_memory(&[("d.md.tera", "{{ x }}")], "d.md.tera", &[], &["txt"], None, ".".as_ref());
    assert!(files.is_empty() && outcome.diags.has_errors());

    // A document's formats come all or none: a writer that fails (a PDF
    // without fonts) leaves no bytes of the others either.
    let (files, outcome) =
        wengao::pipeline::render_in_memory(&templates, "doc.md.tera", &["n: 1\n"], &["txt", "pdf"], None, ".".as_ref());
    assert!(files.is_empty() && outcome.diags.has_errors(), "{files:?}");
}

#[test]
fn the_unit_signs_an_experience_material_once_and_a_report_greets_flush_left() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = init_and_build("experience", dir.path());
    let txt = std::fs::read_to_string(docx.with_extension("txt")).expect("txt");
    let unit_lines: Vec<usize> =
        txt.lines().enumerate().filter(|(_, l)| l.trim() == "中共青溪县委").map(|(n, _)| n).collect();
    assert_eq!(unit_lines, [1], "the unit once, under the title:\n{txt}");
    assert!(txt.trim_end().ends_with("力量。\n\n2023年12月28日"), "only the date closes it: {txt}");

    // The annual report's 称呼 is a 主送-style line: flush left, with its colon.
    let report = dir.path().join("annual");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cppcc-annual-report");
    for e in walkdir::WalkDir::new(&example).into_iter().filter_map(Result::ok) {
        let rel = e.path().strip_prefix(&example).expect("inside");
        if rel.starts_with("out") {
            continue;
        }
        if e.file_type().is_dir() {
            std::fs::create_dir_all(report.join(rel)).expect("mkdir");
        } else {
            std::fs::copy(e.path(), report.join(rel)).expect("copy");
        }
    }
    let o = wengao(&["build", report.to_str().expect("utf-8"), "-f", "txt"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let txt = std::fs::read_to_string(report.join("out/report.txt")).expect("txt");
    assert!(txt.lines().any(|l| l == "各位委员："), "{txt}");
}
