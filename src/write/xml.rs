//! The XML of every DOCX and OFD part, written element by element with quick-xml.
//!
//! Every element of a package goes through `Xml`: opened with its
//! attributes, filled, closed. Values are escaped once, here, and the
//! characters XML 1.0 forbids are dropped, so no part can come out
//! unreadable whatever the data held; no text of generated XML is ever
//! searched or edited afterwards. The order of children is the caller's
//! job: the DOCX writer's `model` and `parts` follow the ECMA-376 schema,
//! the OFD writer GB/T 33190's.

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// An XML document being written to `W`. The first I/O error is kept and
/// returned by `finish`; writes after it are skipped.
pub(crate) struct Xml<W: Write> {
    w: Writer<W>,
    error: Option<io::Error>,
}

impl<W: Write> Xml<W> {
    /// A part starting with `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`.
    pub(crate) fn new(inner: W) -> Xml<W> {
        let mut xml = Xml { w: Writer::new(inner), error: None };
        xml.emit(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), Some("yes"))));
        xml
    }

    fn emit(&mut self, event: Event<'_>) {
        if self.error.is_none()
            && let Err(e) = self.w.write_event(event)
        {
            self.error = Some(e);
        }
    }

    fn start<'s>(name: &'s str, attrs: &[(&'s str, &'s str)]) -> BytesStart<'s> {
        let mut el = BytesStart::new(name);
        for &(key, value) in attrs {
            el.push_attribute((key, xml_chars(value).as_ref()));
        }
        el
    }

    /// `<name attrs…>`; children follow, then `close(name)`.
    pub(crate) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.emit(Event::Start(Self::start(name, attrs)));
    }

    /// `</name>`.
    pub(crate) fn close(&mut self, name: &str) {
        self.emit(Event::End(BytesEnd::new(name)));
    }

    /// `<name attrs…/>`.
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.emit(Event::Empty(Self::start(name, attrs)));
    }

    /// `<name w:val="value"/>`, the shape of most WordprocessingML properties.
    pub(crate) fn val(&mut self, name: &str, value: impl ToString) {
        self.empty(name, &[("w:val", &value.to_string())]);
    }

    /// Character content, escaped.
    pub(crate) fn text(&mut self, text: &str) {
        self.emit(Event::Text(BytesText::new(&xml_chars(text))));
    }

    /// `<name attrs…>text</name>`.
    pub(crate) fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(name, attrs);
        self.text(text);
        self.close(name);
    }

    /// The sink, or the first error met while writing to it.
    pub(crate) fn finish(self) -> io::Result<W> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.w.into_inner()),
        }
    }
}

/// A part written into memory.
pub(crate) fn part(write: impl FnOnce(&mut Xml<Vec<u8>>)) -> Vec<u8> {
    let mut xml = Xml::new(Vec::new());
    write(&mut xml);
    // Writing into a Vec cannot fail.
    xml.finish().unwrap_or_default()
}

/// `text` without the characters XML 1.0 does not allow (`crate::xml::allowed`).
pub(crate) fn xml_chars(text: &str) -> Cow<'_, str> {
    use crate::xml::allowed;
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_text_are_escaped_and_forbidden_characters_dropped() {
        let bytes = part(|x| {
            x.open("w:p", &[("w:a", "\"<&>\u{1}")]);
            x.leaf("w:t", &[], "a<b & c\u{7}\u{b}\u{FFFF}\t图");
            x.val("w:sz", 32);
            x.close("w:p");
        });
        let text = String::from_utf8(bytes).expect("utf-8");
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:p w:a=\"&quot;&lt;&amp;&gt;\"><w:t>a&lt;b &amp; c\t图</w:t><w:sz w:val=\"32\"/></w:p>"
        );
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(xml_chars("仿宋 16 pt\n"), Cow::Borrowed(_)));
    }
}
