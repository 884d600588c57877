//! End-to-end OFD builds (`-f ofd`): the package is opened and read back as
//! GB/T 33190 says a reader finds things: OFD.xml → Document.xml → pages,
//! fonts and images; the text, the page number's place, the red rule, the
//! embedded subset font, the outline, and the same bytes on a second build.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

const NS: &str = "http://www.ofdspec.org/2016";

fn wengao(args: &[&str]) -> std::process::Output {
    let o = Command::new(env!("CARGO_BIN_EXE_wengao")).args(args).env("NO_COLOR", "1").output().expect("run wengao");
    assert!(o.status.success(), "wengao {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o
}

/// `wengao init` a kind into `dir` and build it as OFD and PDF; the OFD's path.
fn build(kind: &str, dir: &Path) -> PathBuf {
    let p = dir.join(kind);
    wengao(&["init", p.to_str().unwrap(), "--kind", kind]);
    wengao(&["build", p.to_str().unwrap(), "-f", "ofd,pdf", "--deny-warnings"]);
    common::keep_outputs(&p);
    p.join("out").join(format!("{kind}.ofd"))
}

/// Every entry of the package, by name, in the order stored.
fn entries(ofd: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(ofd).unwrap()).expect("an OFD is a ZIP package");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            assert_eq!(f.last_modified().map(|t| t.year()), Some(1980), "{}: fixed time", f.name());
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().to_string(), data)
        })
        .collect()
}

fn ofd_el<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.descendants().filter(|n| n.tag_name().namespace() == Some(NS) && n.tag_name().name() == name).collect()
}

fn text_of(node: roxmltree::Node) -> String {
    node.text().unwrap_or_default().to_string()
}

fn numbers(s: &str) -> Vec<f64> {
    s.split_whitespace().map(|v| v.parse().unwrap()).collect()
}

/// A text object read back: its characters and where the first one sits
/// (the left end of its baseline), in mm from the page's top-left corner.
struct Placed {
    text: String,
    x: f64,
    baseline: f64,
    font: String,
}

fn text_objects(content: &str) -> Vec<Placed> {
    let xml = roxmltree::Document::parse(content).unwrap();
    ofd_el(xml.root(), "TextObject")
        .into_iter()
        .map(|t| {
            let b = numbers(t.attribute("Boundary").unwrap());
            let codes = ofd_el(t, "TextCode");
            let first = codes[0];
            Placed {
                text: codes.iter().map(|c| text_of(*c)).collect(),
                x: b[0] + first.attribute("X").unwrap().parse::<f64>().unwrap(),
                baseline: b[1] + first.attribute("Y").unwrap().parse::<f64>().unwrap(),
                font: t.attribute("Font").unwrap().to_string(),
            }
        })
        .collect()
}

#[test]
fn a_notice_reads_back_as_gbt33190() {
    let dir = tempfile::tempdir().unwrap();
    let ofd = build("notice", dir.path());
    let parts = entries(&ofd);
    let files: BTreeMap<&str, &[u8]> = parts.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect();
    let part = |name: &str| std::str::from_utf8(files.get(name).unwrap_or_else(|| panic!("{name} missing"))).unwrap();
    assert_eq!(parts[0].0, "OFD.xml", "the entry point comes first");

    // OFD.xml: DocInfo and the root.
    let entry = roxmltree::Document::parse(part("OFD.xml")).unwrap();
    assert_eq!(entry.root_element().attribute("DocType"), Some("OFD"));
    let root = text_of(ofd_el(entry.root(), "DocRoot")[0]);
    assert_eq!(root, "Doc_0/Document.xml");
    assert_eq!(text_of(ofd_el(entry.root(), "Title")[0]), "关于开展2023年度提案办理情况“回头看”的通知");
    assert_eq!(text_of(ofd_el(entry.root(), "CreationDate")[0]), "2023-12-15", "the document's own date");
    assert_eq!(text_of(ofd_el(entry.root(), "DocID")[0]).len(), 32);

    // Document.xml: A4 in mm, pages, the outline.
    let doc = roxmltree::Document::parse(part(&root)).unwrap();
    assert_eq!(text_of(ofd_el(doc.root(), "PhysicalBox")[0]), "0 0 210 297");
    let pages: Vec<String> =
        ofd_el(doc.root(), "Page").iter().map(|p| format!("Doc_0/{}", p.attribute("BaseLoc").unwrap())).collect();
    if let Some(out) = common::tool("pdfinfo", &[ofd.with_extension("pdf").to_str().unwrap()]) {
        let info = String::from_utf8_lossy(&out.stdout);
        let count = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse::<usize>().unwrap();
        assert_eq!(pages.len(), count, "as many pages as the PDF");
    }
    let titles: Vec<&str> = ofd_el(doc.root(), "OutlineElem").iter().map(|e| e.attribute("Title").unwrap()).collect();
    assert_eq!(titles[0], "一、工作内容", "{titles:?}");
    let dest = ofd_el(ofd_el(doc.root(), "OutlineElem")[0], "Dest")[0];
    let page_ids: Vec<&str> = ofd_el(doc.root(), "Page").iter().map(|p| p.attribute("ID").unwrap()).collect();
    assert!(page_ids.contains(&dest.attribute("PageID").unwrap()), "a bookmark leads to a page");

    // Fonts: embedded, subset, with a cmap that gives page 1's characters.
    let res = roxmltree::Document::parse(part("Doc_0/PublicRes.xml")).unwrap();
    let base = res.root_element().attribute("BaseLoc").unwrap();
    let mut fonts = BTreeMap::new();
    for font in ofd_el(res.root(), "Font") {
        let file = format!("Doc_0/{base}/{}", text_of(ofd_el(font, "FontFile")[0]));
        let data = files.get(file.as_str()).unwrap_or_else(|| panic!("{file} embedded"));
        let face = ttf_parser::Face::parse(data, 0).expect("the embedded font parses");
        assert!(face.number_of_glyphs() < 3000, "{file} is a subset: {} glyphs", face.number_of_glyphs());
        fonts.insert(font.attribute("ID").unwrap().to_string(), data.to_vec());
    }

    // Page 1: the 版头 in red, its text, the red rule, the page number.
    let page1 = part(&pages[0]);
    let objects = text_objects(page1);
    let all: String = objects.iter().map(|o| o.text.as_str()).collect();
    assert!(all.contains("政协青溪县委员会办公室文件"), "{all}");
    assert!(all.contains("青政协办发〔2023〕21号"), "{all}");
    for o in &objects {
        let face = ttf_parser::Face::parse(&fonts[&o.font], 0).unwrap();
        for c in o.text.chars() {
            assert!(face.glyph_index(c).is_some_and(|g| g.0 != 0), "font {} maps {c}", o.font);
        }
    }
    let xml = roxmltree::Document::parse(page1).unwrap();
    let red_rule = ofd_el(xml.root(), "PathObject")
        .into_iter()
        .any(|p| ofd_el(p, "StrokeColor").first().and_then(|c| c.attribute("Value")) == Some("255 0 0"));
    assert!(red_rule, "the red rule under the 发文字号");
    // GB/T 9704 §7.5: 4号 numbers 7 mm below the text block (37 + 225 mm),
    // odd pages at the right one character in, even pages at the left.
    let number = |content: &str, n: usize| {
        let want = format!("—{n}—");
        text_objects(content).into_iter().find(|o| o.text == want).unwrap_or_else(|| panic!("page number {want}"))
    };
    let one = number(page1, 1);
    assert!((262.0..275.0).contains(&one.baseline), "page number baseline {} mm", one.baseline);
    assert!(one.x > 150.0, "odd page: number at the right ({} mm)", one.x);
    let two = number(part(&pages[1]), 2);
    assert!(two.x < 60.0, "even page: number at the left ({} mm)", two.x);
    assert!((one.baseline - two.baseline).abs() < 0.01, "same height on every page");

    // The same inputs give the same bytes.
    let again = dir.path().join("again");
    wengao(&["build", dir.path().join("notice").to_str().unwrap(), "-f", "ofd", "-o", again.to_str().unwrap()]);
    assert!(std::fs::read(&ofd).unwrap() == std::fs::read(again.join("notice.ofd")).unwrap(), "rebuild differs");
}

#[test]
fn a_report_embeds_its_chart_as_an_image() {
    let dir = tempfile::tempdir().unwrap();
    let ofd = build("report", dir.path());
    let parts = entries(&ofd);
    let files: BTreeMap<&str, &[u8]> = parts.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect();
    let res = roxmltree::Document::parse(std::str::from_utf8(files["Doc_0/DocumentRes.xml"]).unwrap()).unwrap();
    let media = ofd_el(res.root(), "MultiMedia");
    assert!(!media.is_empty(), "the chart is a resource");
    let id = media[0].attribute("ID").unwrap();
    let file = format!("Doc_0/Res/{}", text_of(ofd_el(media[0], "MediaFile")[0]));
    assert!(files[file.as_str()].starts_with(b"\x89PNG"), "{file} is the chart's PNG");
    let drawn = parts.iter().filter(|(n, _)| n.ends_with("Content.xml")).any(|(_, data)| {
        let xml = roxmltree::Document::parse(std::str::from_utf8(data).unwrap()).unwrap();
        ofd_el(xml.root(), "ImageObject").iter().any(|i| i.attribute("ResourceID") == Some(id))
    });
    assert!(drawn, "a page draws the chart");
}
