//! Text for XML and HTML: the one place that knows which characters XML 1.0
//! forbids and how markup characters are escaped. Used by the HTML writer,
//! the SVG of charts and the DOCX writer, so none of them imports another.

/// Whether XML 1.0 allows `c` in content or an attribute: not the C0
/// controls other than tab, newline and carriage return, not U+FFFE or
/// U+FFFF. One of them pasted into the data would make a reader (Word)
/// refuse the whole file.
pub fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Text for XML or HTML, in content or in a quoted attribute: `& < > "`
/// escaped, and the characters XML 1.0 forbids dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if !allowed(c) => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(super::escape("a \"b\" & <c>\u{1}\u{FFFF}\n图"), "a &quot;b&quot; &amp; &lt;c&gt;\n图");
        assert!(
            super::allowed('\t') && super::allowed('图') && !super::allowed('\u{b}') && !super::allowed('\u{FFFE}')
        );
    }
}
