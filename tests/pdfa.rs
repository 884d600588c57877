//! PDF/A-1b and the tagged PDF (`pdf_standard = "a-1b"`, docs/pdf-a.md):
//! a built-in kind with headings, tables and a chart is built both ways and
//! the PDF read back object by object (qpdf's JSON, with streams decoded):
//! output intent and its ICC profile, XMP metadata agreeing with the
//! document information, CIDSet and bare CFF for every font, no soft mask,
//! the structure tree and its marked content, and the same bytes on every
//! build. Apache PDFBox Preflight judges the file where it is installed.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use serde_json::Value;

mod common;

fn wengao(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wengao")).args(args).env("NO_COLOR", "1").output().expect("run wengao")
}

/// `wengao init --kind report` in `dir`, built to PDF with `extra` arguments; the PDF's path.
fn build_report(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let p = dir.join(name);
    let o = wengao(&["init", p.to_str().unwrap(), "--kind", "report"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut args = vec!["build", p.to_str().unwrap(), "-f", "pdf"];
    args.extend_from_slice(extra);
    let o = wengao(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    common::keep_outputs(&p);
    p.join("out/report.pdf")
}

/// Every object of the PDF, streams decoded, as qpdf reads them; None (with
/// a note) where qpdf is not installed.
struct Objects {
    objects: BTreeMap<String, Value>,
    trailer: Value,
}

impl Objects {
    fn read(pdf: &Path) -> Option<Objects> {
        let out = match Command::new("qpdf")
            .args(["--json=2", "--json-stream-data=inline", "--decode-level=generalized"])
            .arg(pdf)
            .output()
        {
            Ok(o) => o,
            Err(e) => {
                wengao::test_support::skip(&format!("reading the PDF back: qpdf cannot run ({e})"));
                return None;
            }
        };
        assert!(out.status.success(), "qpdf: {}", String::from_utf8_lossy(&out.stderr));
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut objects: BTreeMap<String, Value> = json["qpdf"][1].as_object().unwrap().clone().into_iter().collect();
        let trailer = objects.remove("trailer").unwrap()["value"].clone();
        Some(Objects { objects, trailer })
    }

    /// The object `r` refers to ("12 0 R"), or `r` itself if it is no reference.
    fn get<'a>(&'a self, r: &'a Value) -> &'a Value {
        match r.as_str().filter(|s| s.ends_with(" R")) {
            Some(s) => {
                let o = &self.objects[&format!("obj:{s}")];
                if o.get("stream").is_some() { o } else { &o["value"] }
            }
            None => r,
        }
    }

    fn dict<'a>(&'a self, r: &'a Value) -> &'a Value {
        let o = self.get(r);
        o.get("stream").map_or(o, |s| &s["dict"])
    }

    fn data(&self, r: &Value) -> Vec<u8> {
        let s = &self.get(r)["stream"]["data"];
        base64::engine::general_purpose::STANDARD.decode(s.as_str().unwrap()).unwrap()
    }

    fn catalog(&self) -> &Value {
        self.get(&self.trailer["/Root"])
    }

    /// Every dictionary (stream dictionaries included).
    fn dicts(&self) -> impl Iterator<Item = &Value> {
        self.objects.values().map(|o| o.get("stream").map_or(&o["value"], |s| &s["dict"]))
    }
}

/// A PDF text string as qpdf writes it ("u:…").
fn text(v: &Value) -> &str {
    v.as_str().unwrap().trim_start_matches("u:")
}

#[test]
fn pdf_a_1b_report_is_archival_and_tagged() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = build_report(dir.path(), "a", &["--pdf-standard", "a-1b"]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4\n"), "PDF/A-1 is PDF 1.4");
    // Deterministic: a forced rebuild gives the same bytes.
    let again = build_report(dir.path(), "b", &["--pdf-standard", "a-1b"]);
    assert!(bytes == std::fs::read(&again).unwrap(), "two PDF/A builds differ");
    // wengao.toml's `pdf_standard` is the same as the flag.
    let p = dir.path().join("c");
    assert!(wengao(&["init", p.to_str().unwrap(), "--kind", "report"]).status.success());
    let toml = std::fs::read_to_string(p.join("wengao.toml")).unwrap();
    std::fs::write(p.join("wengao.toml"), format!("pdf_standard = \"a-1b\"\n{toml}")).unwrap();
    assert!(wengao(&["build", p.to_str().unwrap(), "-f", "pdf"]).status.success());
    assert!(bytes == std::fs::read(p.join("out/report.pdf")).unwrap(), "pdf_standard differs from --pdf-standard");

    let Some(o) = Objects::read(&pdf) else { return };
    let catalog = o.catalog();
    assert_eq!(o.trailer["/ID"].as_array().map(Vec::len), Some(2), "a file identifier");

    // The sRGB output intent, its profile the bundled one.
    let intents = catalog["/OutputIntents"].as_array().unwrap();
    assert_eq!(intents.len(), 1);
    let intent = o.get(&intents[0]);
    assert_eq!(intent["/S"], "/GTS_PDFA1");
    assert_eq!(text(&intent["/OutputConditionIdentifier"]), "sRGB IEC61966-2.1");
    assert_eq!(o.dict(&intent["/DestOutputProfile"])["/N"], 3);
    let icc = o.data(&intent["/DestOutputProfile"]);
    assert_eq!(icc, include_bytes!("../src/write/pdf/icc/sRGB.icc"));

    // XMP metadata, uncompressed, saying PDF/A-1b and agreeing with /Info.
    let meta = &catalog["/Metadata"];
    assert_eq!(o.dict(meta)["/Subtype"], "/XML");
    assert!(o.dict(meta).get("/Filter").is_none(), "PDF/A-1 metadata is not compressed");
    let xmp = String::from_utf8(o.data(meta)).unwrap();
    let start = xmp.find("<x:xmpmeta").unwrap();
    let end = xmp.find("</x:xmpmeta>").unwrap() + "</x:xmpmeta>".len();
    let doc = roxmltree::Document::parse(&xmp[start..end]).unwrap();
    let value = |ns: &str, name: &str| {
        doc.descendants().find(|n| n.tag_name().namespace() == Some(ns) && n.tag_name().name() == name).map(|n| {
            n.descendants().filter(|d| d.is_text()).filter_map(|d| d.text()).collect::<String>().trim().to_string()
        })
    };
    let pdfaid = "http://www.aiim.org/pdfa/ns/id/";
    assert_eq!(value(pdfaid, "part").as_deref(), Some("1"));
    assert_eq!(value(pdfaid, "conformance").as_deref(), Some("B"));
    let info = o.get(&o.trailer["/Info"]);
    let dc = "http://purl.org/dc/elements/1.1/";
    assert_eq!(value(dc, "title").as_deref(), Some(text(&info["/Title"])));
    assert_eq!(value("http://ns.adobe.com/pdf/1.3/", "Producer").as_deref(), Some(text(&info["/Producer"])));
    assert_eq!(value("http://ns.adobe.com/xap/1.0/", "CreatorTool").as_deref(), Some("wengao"));
    // D:20231215000000Z ↔ 2023-12-15T00:00:00Z, or neither.
    let created = info.get("/CreationDate").map(|d| text(d).trim_start_matches("D:").to_string());
    let xmp_created = value("http://ns.adobe.com/xap/1.0/", "CreateDate").map(|d| d.replace(['-', ':', 'T'], ""));
    assert_eq!(created, xmp_created);

    // Fonts: bare CFF with a CIDSet whose bits cover every CID of /W.
    let mut fonts = 0;
    for d in o.dicts().filter(|d| d["/Type"] == "/FontDescriptor") {
        fonts += 1;
        let program = d.get("/FontFile3").or_else(|| d.get("/FontFile2")).expect("an embedded program");
        if d.get("/FontFile3").is_some() {
            assert_eq!(o.dict(program)["/Subtype"], "/CIDFontType0C");
            assert_eq!(o.data(program)[0], 1, "a CFF program starts with its major version, 1");
        }
        let bits = o.data(&d["/CIDSet"]);
        let set: u32 = bits.iter().map(|b| b.count_ones()).sum();
        assert!(set > 1 && bits.iter().rev().skip(1).all(|&b| b == 0xFF), "{bits:?}");
    }
    assert!(fonts >= 3, "the report uses several faces");
    for d in o.dicts() {
        assert!(d.get("/SMask").is_none() && d.get("/Group").is_none(), "transparency in PDF/A-1: {d}");
        assert_ne!(d["/Subtype"], "/OpenType");
    }

    // The structure tree.
    assert_eq!(catalog["/MarkInfo"]["/Marked"], true);
    let root = o.get(&catalog["/StructTreeRoot"]);
    let document = o.get(&root["/K"]);
    assert_eq!(document["/S"], "/Document");
    let mut roles: BTreeMap<String, usize> = BTreeMap::new();
    let mut alts = Vec::new();
    let mut stack: Vec<Value> = vec![document.clone()];
    let mut mcids = 0;
    while let Some(e) = stack.pop() {
        *roles.entry(e["/S"].as_str().unwrap().to_string()).or_default() += 1;
        if let Some(alt) = e.get("/Alt") {
            alts.push(text(alt).to_string());
        }
        let kids = match &e["/K"] {
            Value::Array(a) => a.clone(),
            Value::Null => Vec::new(),
            k => vec![k.clone()],
        };
        for k in &kids {
            match o.get(k) {
                Value::Number(_) => mcids += 1,
                v if v.get("/MCID").is_some() => mcids += 1,
                v => stack.push(v.clone()),
            }
        }
    }
    for role in ["/H1", "/H2", "/H3", "/P", "/Table", "/TR", "/TH", "/TD", "/Figure", "/Caption"] {
        assert!(roles.contains_key(role), "no {role} in {roles:?}");
    }
    assert!(alts.iter().any(|a| a.starts_with("图1")), "the chart's alt text: {alts:?}");
    // Every MCID in the pages' content belongs to an element, and back.
    let pages = o.get(&o.get(&catalog["/Pages"])["/Kids"]);
    let mut in_content = 0;
    for (n, page) in pages.as_array().unwrap().iter().enumerate() {
        let page = o.get(page);
        assert_eq!(page["/StructParents"], n);
        let content = String::from_utf8_lossy(&o.data(&page["/Contents"])).into_owned();
        in_content += content.matches("/MCID").count();
        assert_eq!(content.matches("BDC").count() + content.matches("BMC").count(), content.matches("EMC").count());
        assert!(content.contains("/Artifact BMC"), "page {n}: the page number is an artifact");
    }
    assert_eq!(in_content, mcids, "marked content in the pages and in the tree");
    if let Ok(out) = Command::new("pdfinfo").arg(&pdf).output() {
        let s = String::from_utf8_lossy(&out.stdout);
        assert!(s.contains("Tagged:          yes") && s.contains("PDF version:     1.4"), "{s}");
    }
    preflight(&pdf);

    // The plain PDF has none of it: its bytes are what they were.
    let plain = build_report(dir.path(), "plain", &[]);
    let plain = std::fs::read(plain).unwrap();
    let s = String::from_utf8_lossy(&plain);
    assert!(s.starts_with("%PDF-1.7") && !s.contains("/StructTreeRoot") && !s.contains("/Metadata"));
    assert!(!s.contains("/CIDSet") && !s.contains("/OutputIntents") && !s.contains("/MCID"));
}

/// Apache PDFBox Preflight's verdict on `pdf`, where it is installed
/// (scripts/check-pdfa.sh installs it on CI).
fn preflight(pdf: &Path) {
    let jars = ["preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api"];
    let paths: Vec<String> = jars.iter().map(|j| format!("/usr/share/java/{j}.jar")).collect();
    if let Some(missing) = paths.iter().find(|p| !Path::new(p).exists()) {
        wengao::test_support::skip(&format!("PDFBox Preflight: {missing} not installed (scripts/check-pdfa.sh)"));
        return;
    }
    let out = Command::new("java")
        .args(["-cp", &paths.join(":"), "org.apache.pdfbox.preflight.Validator_A1b"])
        .arg(pdf)
        .output();
    match out {
        Ok(out) => {
            let s = String::from_utf8_lossy(&out.stdout);
            assert!(s.contains("is a valid PDF/A-1b file"), "Preflight:\n{s}{}", String::from_utf8_lossy(&out.stderr));
        }
        Err(e) => wengao::test_support::skip(&format!("PDFBox Preflight: java cannot run ({e})")),
    }
}

#[test]
fn unknown_pdf_standard_flag_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = wengao(&["build", dir.path().to_str().unwrap(), "--pdf-standard", "a-2b"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("a-2b") && err.contains("a-1b"), "{err}");
}
