//! The DOCX package: the body streamed into its ZIP entry while it is
//! built, then the parts docx-rs makes for everything else, edited where
//! docx-rs has no API, every entry deflated and stamped with a fixed time.
//!
//! Why the body is streamed: a document's size has no bound a writer may
//! rely on (an overview listing a thousand counties is one 1,000-row
//! table). As a docx-rs tree such a table costs ~20 MB (a `Paragraph` is
//! 2–3 KB before it holds any text) and its XML another few MB, copied
//! again by every edit. Here each body element is serialised once it can no
//! longer change, edited as a few hundred bytes of XML, and deflated at
//! once into `word/document.xml` of a scratch archive; that compressed
//! entry is copied raw into the package. The body costs one element and
//! the compressed bytes.
//!
//! Each edit replaces an exact anchor that docx-rs writes; if an anchor is
//! missing (a docx-rs upgrade changed its output) the writer fails with a
//! diagnostic instead of writing a package that silently lacks the setting.

use std::io::{Cursor, Write};

use docx_rs::{BuildXML, Document as WordDocument, Paragraph, TableRow, XMLDocx};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::{EAST_ASIA_LANG, LATIN_LANG, media_extension, to_diag};
use crate::diag::Diags;

/// The main part's name in the package.
const DOCUMENT_PART: &str = "word/document.xml";
/// Where the body's children end and the section properties begin.
const SECTION: &str = "<w:sectPr";
/// The picture frame docx-rs writes for every picture (`number_pictures`).
const DOC_PR: &str = "<wp:docPr id=\"1\" name=\"Figure\" />";
/// The first row of a table, as docx-rs writes a row that cannot split.
const ROW_PROPERTIES: &str = "<w:trPr><w:cantSplit />";

/// Every entry deflated, 1980-01-01 00:00, rw-r--r--.
fn entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644)
}

/// `<?xml …?><w:document …><w:body>` exactly as docx-rs opens the part.
fn document_prefix() -> Result<String, Diags> {
    let xml = String::from_utf8(WordDocument::new().build()).map_err(|e| to_diag("docx-rs wrote non-UTF-8", e))?;
    let end = xml.find("<w:body>").ok_or_else(|| to_diag("cannot stream word/document.xml", "no `<w:body>`"))?;
    Ok(xml[..end + "<w:body>".len()].to_string())
}

/// The body of `word/document.xml`, deflated as it is written.
pub(super) struct Body {
    zip: ZipWriter<Cursor<Vec<u8>>>,
    prefix: String,
    /// The first write error; later writes are skipped.
    failed: Option<String>,
    /// Alternative text of each picture, in body order (`number_pictures`).
    alts: Vec<String>,
    /// Pictures numbered so far.
    numbered: usize,
}

impl Body {
    pub(super) fn new() -> Result<Body, Diags> {
        let prefix = document_prefix()?;
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let err = |e: &dyn std::fmt::Display| to_diag("cannot write the package", e.to_string());
        zip.start_file(DOCUMENT_PART, entry_options()).map_err(|e| err(&e))?;
        zip.write_all(prefix.as_bytes()).map_err(|e| err(&e))?;
        Ok(Body { zip, prefix, failed: None, alts: Vec::new(), numbered: 0 })
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.failed.is_none()
            && let Err(e) = self.zip.write_all(bytes)
        {
            self.failed = Some(e.to_string());
        }
    }

    /// A picture's alternative text, for the next picture written; returns
    /// the picture's number in the body (1, 2 …).
    pub(super) fn picture(&mut self, alt: &str) -> usize {
        self.alts.push(alt.to_string());
        self.alts.len()
    }

    pub(super) fn paragraph(&mut self, p: &Paragraph) {
        let xml = p.build();
        match std::str::from_utf8(&xml) {
            Ok(text) if text.contains(DOC_PR) => {
                let numbered = self.number_pictures(text);
                self.write(numbered.as_bytes());
            }
            _ => self.write(&xml),
        }
    }

    /// Open a table: its properties and grid, from `shell` (the table
    /// without rows). Rows follow one at a time (`row`), then `end_table`
    /// with what this returns.
    pub(super) fn begin_table(&mut self, shell: &docx_rs::Table) -> Result<String, Diags> {
        let mut xml = String::from_utf8(shell.build()).map_err(|e| to_diag("docx-rs wrote non-UTF-8", e))?;
        let close = xml.rfind("</w:tbl>").ok_or_else(|| to_diag("cannot write a table", "no `</w:tbl>`"))?;
        let end = xml.split_off(close);
        self.write(xml.as_bytes());
        Ok(end)
    }

    /// One row; a `header` row repeats on every page the table runs onto
    /// (SPEC §6: a row never continues on a new page without the header).
    pub(super) fn row(&mut self, row: &TableRow, header: bool) -> Result<(), Diags> {
        let xml = row.build();
        if header {
            let text = std::str::from_utf8(&xml).map_err(|e| to_diag("docx-rs wrote non-UTF-8", e))?;
            self.write(mark_header_row(text)?.as_bytes());
        } else {
            self.write(&xml);
        }
        Ok(())
    }

    pub(super) fn end_table(&mut self, end: String) {
        self.write(end.as_bytes());
    }

    /// docx-rs gives every picture `<wp:docPr id="1">`; Word wants the ids
    /// unique, and the alternative text belongs in `descr` for screen readers.
    fn number_pictures(&mut self, xml: &str) -> String {
        let mut out = String::with_capacity(xml.len() + 64);
        for (i, piece) in xml.split(DOC_PR).enumerate() {
            if i > 0 {
                self.numbered += 1;
                let n = self.numbered;
                let alt = self.alts.get(n - 1).map(|a| crate::write::escape_xml(a)).unwrap_or_default();
                out.push_str(&format!("<wp:docPr id=\"{n}\" name=\"Figure {n}\" descr=\"{alt}\" />"));
            }
            out.push_str(piece);
        }
        out
    }

    /// Close the part with the section properties of `xml` (the package
    /// docx-rs built for everything but the body) and return the scratch
    /// archive holding it.
    fn finish(mut self, xml: &XMLDocx) -> Result<Vec<u8>, Diags> {
        if self.numbered != self.alts.len() {
            return Err(to_diag(
                "cannot patch word/document.xml",
                format!("{} pictures written but {} `{DOC_PR}` found", self.alts.len(), self.numbered),
            ));
        }
        let shell = std::str::from_utf8(&xml.document).map_err(|e| to_diag("docx-rs wrote non-UTF-8", e))?;
        if !shell.starts_with(&self.prefix) {
            return Err(to_diag("cannot stream word/document.xml", "docx-rs opened the part differently"));
        }
        let section = shell.rfind(SECTION).ok_or_else(|| to_diag("cannot stream word/document.xml", "no sectPr"))?;
        self.write(&shell.as_bytes()[section..]);
        if let Some(e) = self.failed {
            return Err(to_diag("cannot write the package", e));
        }
        let cursor = self.zip.finish().map_err(|e| to_diag("cannot write the package", e))?;
        Ok(cursor.into_inner())
    }
}

/// Insert `<w:tblHeader />` into a header row's properties.
fn mark_header_row(row: &str) -> Result<String, Diags> {
    let at = row
        .find(ROW_PROPERTIES)
        .ok_or_else(|| to_diag("cannot patch word/document.xml", format!("a table without `{ROW_PROPERTIES}`")))?
        + ROW_PROPERTIES.len();
    Ok(format!("{}<w:tblHeader />{}", &row[..at], &row[at..]))
}

/// The package: `xml`'s parts in docx-rs' order, with `body` as the main
/// part, the edits of the module documentation, and every picture named
/// for what it is.
pub(super) fn assemble(xml: XMLDocx, body: Body) -> Result<Vec<u8>, Diags> {
    let scratch = body.finish(&xml)?;
    let mut scratch = ZipArchive::new(Cursor::new(scratch)).map_err(|e| to_diag("cannot reopen the body", e))?;
    let err = |e: zip::result::ZipError| to_diag("cannot write the package", e);

    // docx-rs names every picture `.png`; Word trusts the extension, so a
    // JPEG must be called `.jpeg` (the content types already list it).
    let mut rels = String::from_utf8(xml.document_rels).map_err(|e| to_diag("docx-rs wrote non-UTF-8", e))?;
    let mut media = Vec::with_capacity(xml.media.len());
    for (id, bytes) in xml.media {
        let ext = imagesize::image_type(&bytes).ok().and_then(media_extension).unwrap_or("png");
        if ext != "png" {
            rels = replace_once(
                &rels,
                &format!("Target=\"media/{id}.png\""),
                &format!("Target=\"media/{id}.{ext}\""),
                "word/_rels/document.xml.rels",
            )?;
        }
        media.push((format!("word/media/{id}.{ext}"), bytes));
    }
    let styles = patch_styles(std::str::from_utf8(&xml.styles).map_err(|e| to_diag("docx-rs wrote non-UTF-8", e))?)?;

    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let part = |zip: &mut ZipWriter<Cursor<Vec<u8>>>, name: &str, data: &[u8]| -> Result<(), Diags> {
        zip.start_file(name, entry_options()).map_err(err)?;
        zip.write_all(data).map_err(|e| to_diag("cannot write the package", e))
    };
    part(&mut zip, "[Content_Types].xml", &xml.content_type)?;
    part(&mut zip, "_rels/.rels", &xml.rels)?;
    part(&mut zip, "docProps/app.xml", &xml.doc_props.app)?;
    part(&mut zip, "docProps/core.xml", &xml.doc_props.core)?;
    part(&mut zip, "docProps/custom.xml", &xml.doc_props.custom)?;
    part(&mut zip, "word/_rels/document.xml.rels", rels.as_bytes())?;
    zip.raw_copy_file(scratch.by_name(DOCUMENT_PART).map_err(err)?).map_err(err)?;
    part(&mut zip, "word/styles.xml", styles.as_bytes())?;
    part(&mut zip, "word/settings.xml", &xml.settings)?;
    part(&mut zip, "word/fontTable.xml", &xml.font_table)?;
    part(&mut zip, "word/comments.xml", &xml.comments)?;
    part(&mut zip, "word/numbering.xml", &xml.numberings)?;
    part(&mut zip, "word/commentsExtended.xml", &xml.comments_extended)?;
    part(&mut zip, "word/footnotes.xml", &xml.footnotes)?;
    for (kind, parts, rels) in [("header", &xml.headers, &xml.header_rels), ("footer", &xml.footers, &xml.footer_rels)]
    {
        for (i, data) in parts.iter().enumerate() {
            part(&mut zip, &format!("word/{kind}{}.xml", i + 1), data)?;
            if let Some(r) = rels.get(i) {
                part(&mut zip, &format!("word/_rels/{kind}{}.xml.rels", i + 1), r)?;
            }
        }
    }
    for (name, data) in &media {
        part(&mut zip, name, data)?;
    }
    Ok(zip.finish().map_err(err)?.into_inner())
}

/// Replace the one expected occurrence of `anchor`; an error if it is absent.
fn replace_once(xml: &str, anchor: &str, with: &str, part: &str) -> Result<String, Diags> {
    match xml.find(anchor) {
        Some(at) => Ok(format!("{}{}{}", &xml[..at], with, &xml[at + anchor.len()..])),
        None => Err(to_diag(&format!("cannot patch {part}"), format!("`{anchor}` not found"))),
    }
}

/// Document-wide run and paragraph defaults docx-rs cannot write: the
/// language (Chinese line breaking) and `overflowPunct` (module docs of
/// the writer).
fn patch_styles(xml: &str) -> Result<String, Diags> {
    let lang = format!("<w:lang w:val=\"{LATIN_LANG}\" w:eastAsia=\"{EAST_ASIA_LANG}\" /></w:rPr></w:rPrDefault>");
    let xml = replace_once(xml, "</w:rPr></w:rPrDefault>", &lang, "word/styles.xml")?;
    replace_once(
        &xml,
        "</w:pPr></w:pPrDefault>",
        "<w:overflowPunct w:val=\"1\" /></w:pPr></w:pPrDefault>",
        "word/styles.xml",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn replace_once_reports_a_missing_anchor() {
        assert_eq!(replace_once("<a></a>", "</a>", "<b/></a>", "x").expect("anchor"), "<a><b/></a>");
        let err = replace_once("<a></a>", "<c>", "", "x.xml").expect_err("no anchor");
        assert!(err.0[0].message.contains("x.xml"), "{:?}", err);
        assert_eq!(err.0[0].code, Code::OutputWriter);
    }

    #[test]
    fn patch_styles_needs_both_anchors() {
        let ok = "<w:rPrDefault><w:rPr><w:sz w:val=\"32\" /></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:rPr /></w:pPr></w:pPrDefault>";
        let out = patch_styles(ok).expect("patched");
        assert!(out.contains("<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" /></w:rPr></w:rPrDefault>"));
        assert!(out.contains("<w:overflowPunct w:val=\"1\" /></w:pPr></w:pPrDefault>"));
        assert!(patch_styles("<w:rPrDefault><w:rPr /></w:rPrDefault>").is_err());
    }

    #[test]
    fn a_header_row_is_marked_and_a_row_without_properties_is_an_error() {
        let row = "<w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>";
        assert_eq!(
            mark_header_row(row).expect("patched"),
            "<w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr></w:tr>"
        );
        assert!(mark_header_row("<w:tr></w:tr>").is_err());
    }

    #[test]
    fn pictures_get_unique_ids_and_alt_text_across_paragraphs() {
        let mut body = Body::new().expect("body");
        body.picture("图 1");
        body.picture("a \"b\" & <c>");
        let one = body.number_pictures("<w:r><wp:docPr id=\"1\" name=\"Figure\" /></w:r>");
        let two = body.number_pictures("<w:r><wp:docPr id=\"1\" name=\"Figure\" /></w:r>");
        assert!(one.contains("<wp:docPr id=\"1\" name=\"Figure 1\" descr=\"图 1\" />"), "{one}");
        assert!(
            two.contains("<wp:docPr id=\"2\" name=\"Figure 2\" descr=\"a &quot;b&quot; &amp; &lt;c&gt;\" />"),
            "{two}"
        );
        assert_eq!(body.number_pictures("<w:p/>"), "<w:p/>");
    }

    #[test]
    fn a_picture_count_mismatch_is_an_error_not_a_package() {
        let mut body = Body::new().expect("body");
        body.picture("never written");
        let xml = docx_rs::Docx::new().build();
        let err = body.finish(&xml).expect_err("one alt, no picture");
        assert!(err.0[0].message.contains("1 pictures written but 0"), "{err:?}");
    }
}
