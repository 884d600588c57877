//! Unicode character properties wengao needs in more than one place.
//!
//! Three classes that look alike and differ on purpose, each named by what
//! it answers: [`is_wide`] (how many cells a character takes), [`is_han`]
//! (is it a Chinese character, for the lints' word rules) and
//! [`joins_without_space`] (does a line break next to it vanish in print).

/// U+2212 MINUS SIGN, the sign of a negative figure in print ("−4.2"):
/// markup turns a hyphen-minus that signs a figure into it, and layout
/// finds a glyph for it in faces that lack one (GB 2312 has none).
pub const MINUS_SIGN: char = '\u{2212}';

/// U+2013 EN DASH: as wide as a figure in most fonts, and in GBK faces
/// that have no minus sign (仿宋, Fandol).
pub const EN_DASH: char = '\u{2013}';

/// East Asian Wide (W) and Fullwidth (F) characters of UAX #11: Han, kana,
/// Hangul, CJK symbols and punctuation, full-width forms. They take one cell
/// of the page grid whatever advance the font gives them, and two columns
/// of a terminal.
pub fn is_wide(ch: char) -> bool {
    matches!(u32::from(ch),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE10..=0xFE19
        | 0xFE30..=0xFE6F
        | 0xFF01..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD)
}

/// Han ideographs (CJK Unified Ideographs, Extension A, the compatibility
/// block) and 〇, the ideographic zero: the characters Chinese words are
/// written in. Punctuation, kana and full-width Latin are not: the lints
/// use this to tell a Chinese word or label from the figures, units and
/// symbols around it.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{3007}')
}

/// Characters that Chinese text runs together without spaces, so that a
/// line break of the Markdown source between two of them disappears
/// instead of printing as a space. Besides the CJK blocks this includes the
/// dash, ellipsis and curly quotes, which Chinese uses as 破折号, 省略号 and
/// 引号.
pub fn joins_without_space(c: char) -> bool {
    matches!(c as u32,
        0x2014 | 0x2026 | 0x2018..=0x201D
        | 0x2E80..=0x2FDF   // radicals
        | 0x3000..=0x303F   // CJK symbols and punctuation
        | 0x3040..=0x30FF   // kana
        | 0x3100..=0x312F   // bopomofo
        | 0x31A0..=0x31FF
        | 0x3200..=0x33FF   // enclosed and compatibility
        | 0x3400..=0x4DBF   // extension A
        | 0x4E00..=0x9FFF   // unified ideographs
        | 0xF900..=0xFAFF   // compatibility ideographs
        | 0xFE10..=0xFE1F   // vertical forms
        | 0xFE30..=0xFE4F   // compatibility forms
        | 0xFF00..=0xFFEF   // full-width forms
        | 0x20000..=0x3FFFF // extensions B and later
    )
}

/// A decimal digit, half- or full-width (０–９, which Chinese input
/// methods type in full-width mode).
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A character no document format can carry: C0 controls other than tab,
/// line feed and carriage return (XML 1.0 forbids them, so Word refuses a
/// `document.xml` holding one), and the noncharacters U+FFFE and U+FFFF.
/// They arrive pasted from Word (`\x07` cell ends, `\x0b` line breaks) or
/// as YAML escapes (`"\e"`, `"\0"`).
pub fn is_forbidden_control(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{fffe}' | '\u{ffff}')
}

/// How a forbidden character is named to people: `U+0007`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_classes_differ_where_they_should() {
        for c in ['中', '〇', '澧'] {
            assert!(is_wide(c) && is_han(c) && joins_without_space(c), "{c}");
        }
        // Punctuation: one cell and no space around it, but not a word.
        for c in ['，', '。', '、', '（'] {
            assert!(is_wide(c) && !is_han(c) && joins_without_space(c), "{c}");
        }
        // The dash and curly quotes have an ambiguous width (one cell on a
        // terminal) but still join Chinese text.
        for c in ['—', '…', '“', '’'] {
            assert!(!is_wide(c) && !is_han(c) && joins_without_space(c), "{c}");
        }
        for c in ['a', '1', ' ', '%'] {
            assert!(!is_wide(c) && !is_han(c) && !joins_without_space(c), "{c}");
        }
    }
}
