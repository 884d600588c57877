//! Reading the text files a project is made of (wengao.toml, data, templates).
//!
//! Everything wengao reads is UTF-8; a UTF-8 byte-order mark is dropped and
//! CRLF line ends are kept (the YAML and template parsers accept them, and
//! positions stay byte-exact). Files saved in another encoding are refused,
//! not guessed at: a mis-detected encoding would put wrong characters into a
//! document that is then printed and signed, while converting a file once is
//! easy. The refusal names the encoding when it is recognisable — GB18030 /
//! GBK, what Chinese Windows editors (Notepad before 2019, older WPS, Excel
//! "CSV/Text" exports) write, and UTF-16, Notepad's "Unicode" — and says how
//! to convert. Files larger than the configured limit are refused before
//! they are read.

use std::io::Read as _;
use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::limits::Limits;

/// Read `path` (shown to the user as `shown`) as UTF-8 text, with the default
/// size limit. Problems are reported with `code`.
pub fn read_text(path: &Path, shown: &Path, code: Code) -> Result<String, Diagnostic> {
    read_text_limited(path, shown, code, Limits::default().file_bytes())
}

/// `read_text` with a size limit in bytes.
pub fn read_text_limited(path: &Path, shown: &Path, code: Code, max_bytes: u64) -> Result<String, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::error(code, format!("cannot read file: {e}"))
            .with_path(shown)
            .with_hint("check that the file exists and is readable")
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let too_big = |len: u64| {
        Diagnostic::error(
            code,
            format!("file is {:.1} MiB, over the limit of {} MiB", len as f64 / 1048576.0, max_bytes / 1048576),
        )
        .with_path(shown)
        .with_hint("split the file, or raise `file_mib` under [limits] in wengao.toml")
    };
    if let Ok(meta) = file.metadata()
        && meta.len() > max_bytes
    {
        return Err(too_big(meta.len()));
    }
    // Read at most one byte past the limit, in case the file grows (or is
    // not a regular file) after the size check.
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_big(bytes.len() as u64));
    }
    decode(bytes).map_err(|why| why.into_diagnostic(code, shown))
}

/// Why bytes are not UTF-8 text.
#[derive(Debug, PartialEq)]
enum NotUtf8 {
    Utf16 { big_endian: bool },
    Gb18030 { offset: usize, line: usize },
    Binary { offset: usize },
    Invalid { offset: usize, line: usize, column: usize },
}

fn decode(bytes: Vec<u8>) -> Result<String, NotUtf8> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(NotUtf8::Utf16 { big_endian: bytes[0] == 0xFE });
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    if let Some(offset) = body.iter().position(|&b| b == 0) {
        // NUL never occurs in text; UTF-16 without a BOM has one in every
        // ASCII character.
        return Err(NotUtf8::Binary { offset });
    }
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let offset = e.valid_up_to();
            let before = &body[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            if looks_like_gb18030(body) {
                return Err(NotUtf8::Gb18030 { offset, line });
            }
            let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
            Err(NotUtf8::Invalid { offset, line, column })
        }
    }
}

/// Whether the bytes are well-formed GB18030 with some non-ASCII text. GBK
/// and GB2312 are subsets. Two-byte characters are a lead byte 0x81–0xFE and
/// a trail byte 0x40–0xFE (not 0x7F); four-byte ones are lead, 0x30–0x39,
/// lead, 0x30–0x39. Chinese text in UTF-8 almost never passes this test, and
/// text that is neither rarely does.
fn looks_like_gb18030(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut multibyte = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let lead = |x: u8| (0x81..=0xFE).contains(&x);
        let digit = |x: u8| x.is_ascii_digit();
        match bytes.get(i + 1..i + 4) {
            Some(&[b1, b2, b3]) if lead(b) && digit(b1) && lead(b2) && digit(b3) => i += 4,
            _ => match bytes.get(i + 1) {
                Some(&t) if lead(b) && (0x40..=0xFE).contains(&t) && t != 0x7F => i += 2,
                _ => return false,
            },
        }
        multibyte += 1;
    }
    multibyte > 0
}

impl NotUtf8 {
    fn into_diagnostic(self, code: Code, shown: &Path) -> Diagnostic {
        let name = shown.display();
        let (message, hint) = match self {
            NotUtf8::Utf16 { big_endian } => (
                format!("file is UTF-16{} (Notepad's \"Unicode\"), not UTF-8", if big_endian { "BE" } else { "LE" }),
                format!(
                    "save it again as UTF-8 (Notepad: Save As → Encoding: UTF-8), or convert it: \
                     `iconv -f UTF-16 -t UTF-8 {name} > converted && mv converted {name}`"
                ),
            ),
            NotUtf8::Gb18030 { offset, line } => (
                format!(
                    "file looks like GB18030/GBK (the encoding of older Chinese Windows editors), not UTF-8: \
                     first non-UTF-8 byte on line {line} (byte offset {offset})"
                ),
                format!(
                    "save it again as UTF-8 (Notepad: Save As → Encoding: UTF-8; WPS: 另存为 → 编码 UTF-8), \
                     or convert it: `iconv -f GB18030 -t UTF-8 {name} > converted && mv converted {name}`"
                ),
            ),
            NotUtf8::Binary { offset } => (
                format!("file is not text: it holds a NUL byte at byte offset {offset}"),
                "check that this is the file you meant; data files are YAML text saved as UTF-8".to_string(),
            ),
            NotUtf8::Invalid { offset, line, column } => (
                format!(
                    "file is not valid UTF-8: invalid bytes at line {line}, column {column} (byte offset {offset})"
                ),
                "save the file as UTF-8; if it came from another system, find out its encoding and convert it \
                 with `iconv -f ENCODING -t UTF-8`"
                    .to_string(),
            ),
        };
        Diagnostic::error(code, message).with_path(shown).with_hint(hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gb(s: &str) -> Vec<u8> {
        // 青溪县 and 会议 in GB18030 (= GBK here), checked against iconv.
        match s {
            "青溪县" => vec![0xC7, 0xE0, 0xCF, 0xAA, 0xCF, 0xD8],
            "会议" => vec![0xBB, 0xE1, 0xD2, 0xE9],
            _ => unreachable!(),
        }
    }

    #[test]
    fn utf8_with_and_without_bom_and_crlf_is_read() {
        assert_eq!(decode("名称: 青溪县\r\n".as_bytes().to_vec()).unwrap(), "名称: 青溪县\r\n");
        assert_eq!(decode(b"\xef\xbb\xbfa: 1\n".to_vec()).unwrap(), "a: 1\n");
    }

    #[test]
    fn gb18030_is_recognised_and_located() {
        let mut bytes = b"# ok\nname: ".to_vec();
        bytes.extend(gb("青溪县"));
        bytes.extend(b"\ntopic: ");
        bytes.extend(gb("会议"));
        assert_eq!(decode(bytes), Err(NotUtf8::Gb18030 { offset: 11, line: 2 }));
        // A four-byte GB18030 sequence (U+20000 is 0x95 0x32 0x82 0x36).
        assert!(looks_like_gb18030(&[0x95, 0x32, 0x82, 0x36]));
    }

    #[test]
    fn utf16_binary_and_garbage_are_told_apart() {
        assert_eq!(decode(vec![0xFF, 0xFE, b'a', 0]), Err(NotUtf8::Utf16 { big_endian: false }));
        assert_eq!(decode(vec![0xFE, 0xFF, 0, b'a']), Err(NotUtf8::Utf16 { big_endian: true }));
        assert_eq!(decode(b"ab\0cd".to_vec()), Err(NotUtf8::Binary { offset: 2 }));
        // 0xFF is never part of GB18030 or UTF-8.
        assert_eq!(
            decode("x: 一\ny: \u{7f}".bytes().chain([0xFF, 0xFF]).collect()),
            Err(NotUtf8::Invalid { offset: 11, line: 2, column: 5 })
        );
    }

    #[test]
    fn files_over_the_limit_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.yaml");
        std::fs::write(&p, vec![b'a'; 2048]).unwrap();
        let d = read_text_limited(&p, Path::new("data/big.yaml"), Code::DataRead, 1024).unwrap_err();
        assert!(d.message.contains("over the limit"), "{}", d.message);
        assert_eq!(read_text_limited(&p, Path::new("x"), Code::DataRead, 4096).unwrap().len(), 2048);
    }

    #[test]
    fn messages_say_how_to_convert() {
        let d = NotUtf8::Gb18030 { offset: 3, line: 1 }.into_diagnostic(Code::DataRead, Path::new("data/x.yaml"));
        assert!(d.message.contains("GB18030") && d.hints.iter().any(|h| h.contains("iconv -f GB18030")));
    }
}
