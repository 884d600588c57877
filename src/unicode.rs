//! Unicode character properties wengao needs in more than one place.

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
