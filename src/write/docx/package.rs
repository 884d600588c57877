//! The DOCX package: one ZIP archive, written front to back.
//!
//! The content types and the package relationships go first (they name
//! every part by a fixed name, and every image type wengao writes), then
//! `word/document.xml` is streamed into its deflated entry as the body is
//! built — a document's size has no bound a writer may rely on (an overview
//! of a thousand counties is one 1,000-row table), so the body is never
//! held whole — and the parts whose content depends on the body (its
//! relationships, the media) come after it. Every entry is deflated and
//! stamped 1980-01-01 00:00, so the same document gives the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::model::Para;
use super::parts;
use super::to_diag;
use super::xml::Xml;
use crate::diag::Diags;

type Archive = ZipWriter<Cursor<Vec<u8>>>;

/// Every entry deflated, 1980-01-01 00:00, rw-r--r--.
fn entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644)
}

fn add(zip: &mut Archive, name: &str, data: &[u8]) -> Result<(), Diags> {
    zip.start_file(name, entry_options()).map_err(|e| to_diag("cannot write the package", e))?;
    zip.write_all(data).map_err(|e| to_diag("cannot write the package", e))
}

/// The package with `word/document.xml` open: the body is written into it
/// element by element.
pub(super) struct Body {
    xml: Xml<Archive>,
}

impl Body {
    /// A package whose body will refer to the blank footer (`parts::FOOTER_BLANK`) or not.
    pub(super) fn new(blank_footer: bool) -> Result<Body, Diags> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        add(&mut zip, "[Content_Types].xml", &parts::content_types(blank_footer))?;
        add(&mut zip, "_rels/.rels", &parts::package_rels())?;
        zip.start_file(parts::DOCUMENT, entry_options()).map_err(|e| to_diag("cannot write the package", e))?;
        let mut xml = Xml::new(zip);
        parts::open_document(&mut xml);
        Ok(Body { xml })
    }

    pub(super) fn paragraph(&mut self, p: &Para<'_>) {
        p.write(&mut self.xml);
    }

    /// The body's XML, for elements written piece by piece (tables).
    pub(super) fn xml(&mut self) -> &mut Xml<Archive> {
        &mut self.xml
    }

    /// Close the body with its section properties (`section`) and add the
    /// remaining parts, `(name, bytes)` in order; the whole package.
    pub(super) fn finish(
        mut self,
        section: impl FnOnce(&mut Xml<Archive>),
        rest: &[(&str, &[u8])],
    ) -> Result<Vec<u8>, Diags> {
        section(&mut self.xml);
        self.xml.close("w:body");
        self.xml.close("w:document");
        let mut zip = self.xml.finish().map_err(|e| to_diag("cannot write the package", e))?;
        for (name, data) in rest {
            add(&mut zip, name, data)?;
        }
        Ok(zip.finish().map_err(|e| to_diag("cannot write the package", e))?.into_inner())
    }
}
