//! PDF/A-1b and tagging on hand-made pages: both font paths (CFF as bare
//! `CIDFontType0C`, TrueType as `FontFile2`), CIDSet bits, marked content
//! and the structure tree, Preflight's verdict where it is installed.

use super::*;
use crate::layout::{Mark, Node};

/// `two_font_doc` with the first line of each page a heading and the rest
/// one paragraph running across the pages; page numbers and rules unmarked.
fn tagged_doc() -> Option<(Pages, FontSet)> {
    let (mut pages, fonts) = two_font_doc(2)?;
    for (p, page) in pages.pages.iter_mut().enumerate() {
        page.marks = vec![
            Mark { items: 0..1, node: Node::Heading { block: 10 + p, level: 1 } },
            Mark { items: 1..22, node: Node::Paragraph { block: 1 } },
        ];
    }
    Some((pages, fonts))
}

fn pdfa_info() -> PdfInfo {
    PdfInfo { standard: PdfStandard::A1b, created: Some(1_700_000_000), ..info() }
}

#[test]
fn cid_set_has_one_bit_per_cid() {
    use super::super::font::cid_set;
    assert_eq!(cid_set(1), [0x80]);
    assert_eq!(cid_set(8), [0xFF]);
    assert_eq!(cid_set(9), [0xFF, 0x80]);
    assert_eq!(cid_set(19), [0xFF, 0xFF, 0xE0]);
}

#[test]
fn pdf_a_pages_are_tagged_with_both_font_kinds() {
    let Some((pages, fonts)) = tagged_doc() else { return };
    let a = serialize(&pages, &fonts, &pdfa_info()).unwrap();
    assert!(a == serialize(&pages, &fonts, &pdfa_info()).unwrap(), "two PDF/A serializations differ");
    let s = String::from_utf8_lossy(&a);
    assert!(s.starts_with("%PDF-1.4"));
    assert!(s.contains("/Subtype/CIDFontType0C") && !s.contains("/Subtype/OpenType"), "bare CFF");
    assert_eq!(s.matches("/CIDSet").count(), fonts.fonts.len());
    assert!(s.contains("/S/GTS_PDFA1") && s.contains("/Type/Metadata"));
    assert!(s.contains("<pdfaid:part>1</pdfaid:part>") && s.contains("<xmp:CreateDate>2023-11-14T22:13:20Z"));
    assert!(s.contains("/CreationDate(D:20231114221320Z)"));
    assert!(s.contains("/MarkInfo<</Marked true>>") && s.contains("/StructTreeRoot"));
    // One heading element per page, one paragraph across both.
    assert_eq!(s.matches("/S/H1").count(), 2);
    assert_eq!(s.matches("/S/P/").count(), 1, "the paragraph continues on page 2: one element");
    assert_eq!(s.matches("/StructParents").count(), 2);

    // Each page: heading MCID 0, paragraph MCID 1, the page number and rule an artifact.
    let contents: Vec<PageContent> =
        draw_pages(&pages, &Usage::collect(&pages, &fonts).unwrap(), &plans(&pages, &fonts)).unwrap();
    for c in &contents {
        let text = inflate(&c.stream);
        let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(squeezed.starts_with("/H1 << /MCID 0 >> BDC BT"), "{}", &squeezed[..40]);
        assert!(squeezed.contains("ET EMC /P << /MCID 1 >> BDC BT"), "{squeezed}");
        assert!(squeezed.contains("ET EMC /Artifact BMC BT") && squeezed.ends_with("S Q EMC"), "{squeezed}");
        assert_eq!(squeezed.matches("EMC").count(), 3);
        assert_eq!(c.nodes.len(), 2);
    }

    let dir = tempfile::tempdir().unwrap();
    let file = write_tmp(&dir, "pdfa.pdf", &a);
    if let Some(out) = tool("pdfinfo", &[&file]) {
        let meta = String::from_utf8_lossy(&out.stdout);
        assert!(meta.contains("Tagged:          yes") && meta.contains("Metadata Stream: yes"), "{meta}");
    }
    if let Some(out) = tool("qpdf", &["--check", &file]) {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
    if let Some(out) = tool("pdftotext", &["-enc", "UTF-8", &file, "-"]) {
        let got: String = String::from_utf8(out.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(got, expected_text(&pages), "tagging leaves the text as it was");
    }
    preflight(&file);
    // Without a date (no SOURCE_DATE_EPOCH, none in the document) neither
    // /Info nor the XMP has one, and the file is still PDF/A.
    let undated = serialize(&pages, &fonts, &PdfInfo { created: None, ..pdfa_info() }).unwrap();
    let u = String::from_utf8_lossy(&undated);
    assert!(!u.contains("/CreationDate") && !u.contains("CreateDate"));
    preflight(&write_tmp(&dir, "undated.pdf", &undated));

    // Plain PDFs are tagged from the same marks, without PDF/A's parts.
    let plain = serialize(&pages, &fonts, &info()).unwrap();
    let p = String::from_utf8_lossy(&plain);
    assert!(p.contains("/StructTreeRoot") && p.contains("/StructParents") && p.contains("/Marked true"));
    assert!(!p.contains("/OutputIntents") && !p.contains("/CIDSet") && !p.contains("/Metadata"));
    let (pages_unmarked, _) = two_font_doc(2).unwrap();
    assert!(plain != serialize(&pages_unmarked, &fonts, &info()).unwrap(), "the marks are what is tagged");
}

fn plans<'f>(pages: &Pages, fonts: &'f FontSet) -> BTreeMap<FontId, FontPlan<'f>> {
    let usage = Usage::collect(pages, fonts).unwrap();
    usage.glyphs.iter().map(|(&id, used)| (id, FontPlan::new(&fonts.fonts[id.0 as usize], used).unwrap())).collect()
}

/// Apache PDFBox Preflight's verdict, where Debian's libpdfbox2-java and
/// what it needs are installed (scripts/check-pdfa.sh installs them on CI).
fn preflight(file: &str) {
    let jars = ["preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api"];
    let paths: Vec<String> = jars.iter().map(|j| format!("/usr/share/java/{j}.jar")).collect();
    if let Some(missing) = paths.iter().find(|p| !Path::new(p).exists()) {
        crate::test_support::skip(&format!("PDFBox Preflight: {missing} not installed (scripts/check-pdfa.sh)"));
        return;
    }
    let cp = paths.join(":");
    let Some(out) = tool("java", &["-cp", &cp, "org.apache.pdfbox.preflight.Validator_A1b", file]) else { return };
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("is a valid PDF/A-1b file"),
        "Preflight:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
