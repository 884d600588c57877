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
//!
//! A project whose files come from such editors may say so once, at the top
//! of wengao.toml (docs/records.md, "Encodings"):
//!
//! - `encoding = "gb18030"` (or `"gbk"`, a subset): every data file, template
//!   and CSV file is GB18030, except a file starting with a UTF-8 byte-order
//!   mark. A file that is valid UTF-8 holding Chinese text is refused, not
//!   read as GB18030: it would come out as mojibake (UTF-8 bytes are mostly
//!   well-formed GB18030).
//! - `encoding = "auto"`: each file on its own. Valid UTF-8 is UTF-8;
//!   otherwise the same test that names GB18030 in the refusal decides
//!   (every byte sequence well-formed GB18030, and the file not mostly
//!   UTF-8 with a few damaged bytes), and the file is read as GB18030 with a
//!   warning naming it; anything else is refused as by default.
//!
//! Either way the text is decoded to UTF-8 before it is registered, so
//! lines and columns (in characters) are those an editor shows.

use std::io::Read as _;
use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::limits::Limits;

/// How the project's text files are encoded (`encoding` in wengao.toml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum Encoding {
    /// Strict UTF-8 (the default).
    #[default]
    Utf8,
    /// GB18030 (GBK and GB 2312 are subsets), except files with a UTF-8 BOM.
    Gb18030,
    /// Each file: UTF-8 if valid, else GB18030 when it is, with a warning.
    Auto,
}

impl TryFrom<String> for Encoding {
    type Error = String;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        match name.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" => Ok(Encoding::Gb18030),
            "auto" => Ok(Encoding::Auto),
            _ => Err(format!(
                "`encoding = \"{name}\"` is not an encoding wengao reads: write \"utf-8\" (the default), \
                 \"gb18030\" (also for GBK files) or \"auto\"; files in another encoding must be converted to \
                 UTF-8 first (`iconv -f {name} -t UTF-8`)"
            )),
        }
    }
}

impl Encoding {
    /// The values wengao.toml accepts, for messages and the schema.
    pub const NAMES: &'static [&'static str] = &["utf-8", "utf8", "gb18030", "gbk", "gb2312", "auto"];

    /// The JSON Schema of the `encoding` key of wengao.toml (`wengao schema`).
    pub fn schema() -> serde_json::Value {
        serde_json::json!({
            "description": "wengao.toml `encoding` (any case): how data files, templates and CSV files are encoded. \
                \"utf-8\" (default) reads strict UTF-8; \"gb18030\" (or \"gbk\") reads GB18030, except files \
                with a UTF-8 byte-order mark; \"auto\" reads each file as UTF-8 if it is valid, else as GB18030 \
                with a warning naming it.",
            "enum": Encoding::NAMES,
            "default": "utf-8",
        })
    }
}

/// Read `path` (shown to the user as `shown`) as UTF-8 text, with the default
/// size limit. Problems are reported with `code`.
pub fn read_text(path: &Path, shown: &Path, code: Code) -> Result<String, Diagnostic> {
    read_text_limited(path, shown, code, Limits::default().file_bytes())
}

/// `read_text` with a size limit in bytes.
pub fn read_text_limited(path: &Path, shown: &Path, code: Code, max_bytes: u64) -> Result<String, Diagnostic> {
    let cannot = |e: std::io::Error| cannot_read(code, shown, &e);
    let file = open_regular(path).map_err(cannot)?;
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
    let bytes = read_at_most(file, max_bytes).map_err(|e| match e {
        Bounded::Io(e) => cannot(e),
        Bounded::TooBig(n) => too_big(n),
    })?;
    decode(bytes).map_err(|why| why.into_diagnostic(code, shown))
}

/// `read_text_limited` in the project's `encoding`. Besides the text,
/// `auto` gives a warning for a file it read as GB18030, so that the user
/// sees which files were taken for what.
pub fn read_text_encoded(
    path: &Path,
    shown: &Path,
    code: Code,
    max_bytes: u64,
    encoding: Encoding,
) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    if encoding == Encoding::Utf8 {
        return read_text_limited(path, shown, code, max_bytes).map(|t| (t, None));
    }
    let bytes = read_regular(path, max_bytes).map_err(|e| cannot_read(code, shown, &e))?;
    decode_bytes(bytes, shown, code, encoding)
}

/// Bytes read some other way (a CSV file, the bytes of wengao.toml) as text
/// in `encoding`, with `read_text_encoded`'s rules.
pub fn decode_bytes(
    bytes: Vec<u8>,
    shown: &Path,
    code: Code,
    encoding: Encoding,
) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    match encoding {
        Encoding::Utf8 => decode(bytes).map(|t| (t, None)).map_err(|why| why.into_diagnostic(code, shown)),
        Encoding::Auto => match decode(bytes.clone()) {
            Ok(text) => Ok((text, None)),
            Err(NotUtf8::Gb18030 { .. }) => {
                let text = decode_gb18030(&bytes, shown, code)?;
                let warning = Diagnostic::warning(code, "file read as GB18030 (GBK): it is not UTF-8")
                    .with_path(shown)
                    .with_hint(
                        "encoding = \"auto\" in wengao.toml guessed this; check the document's text, and save \
                         the file as UTF-8 (or set encoding = \"gb18030\" if every file is GB18030) to silence \
                         this warning",
                    );
                Ok((text, Some(warning)))
            }
            Err(why) => Err(why.into_diagnostic(code, shown)),
        },
        Encoding::Gb18030 => {
            if bytes.starts_with(b"\xef\xbb\xbf") {
                // A byte-order mark says UTF-8 beyond doubt.
                return decode(bytes).map(|t| (t, None)).map_err(|why| why.into_diagnostic(code, shown));
            }
            if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
                return Err(decode(bytes).err().unwrap_or(NotUtf8::Binary { offset: 0 }).into_diagnostic(code, shown));
            }
            if let Some(offset) = bytes.iter().position(|&b| b == 0) {
                return Err(NotUtf8::Binary { offset }.into_diagnostic(code, shown));
            }
            if !bytes.is_ascii() && std::str::from_utf8(&bytes).is_ok() {
                return Err(Diagnostic::error(
                    code,
                    "file is UTF-8, but wengao.toml says encoding = \"gb18030\": read as GB18030 its Chinese \
                     text would come out garbled",
                )
                .with_path(shown)
                .with_hint(
                    "set encoding = \"auto\" in wengao.toml to read UTF-8 and GB18030 files side by side, or \
                     save this file as GB18030 (WPS: 另存为 → 编码 GB18030)",
                ));
            }
            decode_gb18030(&bytes, shown, code).map(|t| (t, None))
        }
    }
}

/// wengao.toml, read before the project's encoding is known: UTF-8, or, if
/// it is not, in the encoding it declares itself — its `encoding = "gb18030"`
/// line is ASCII in any of them, so it can be found in the raw bytes.
pub fn read_config_text(path: &Path, shown: &Path, code: Code) -> Result<String, Diagnostic> {
    let refused = match read_text(path, shown, code) {
        Ok(text) => return Ok(text),
        Err(d) => d,
    };
    let Ok(bytes) = read_regular(path, Limits::default().file_bytes()) else { return Err(refused) };
    match declared_encoding(&bytes) {
        Some(encoding) => decode_bytes(bytes, shown, code, encoding).map(|(text, _)| text),
        None => Err(refused),
    }
}

/// The `encoding = "…"` a TOML text declares at its top level, found in its
/// bytes (before the first `[table]`).
fn declared_encoding(bytes: &[u8]) -> Option<Encoding> {
    for line in bytes.split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(line);
        let line = line.trim();
        if line.starts_with('[') {
            return None;
        }
        let Some(rest) = line.strip_prefix("encoding") else { continue };
        let Some(value) = rest.trim_start().strip_prefix('=') else { continue };
        let value = value.split('#').next().unwrap_or("").trim().trim_matches(|c| c == '"' || c == '\'');
        return match value.to_ascii_lowercase().as_str() {
            "gb18030" | "gbk" | "gb2312" => Some(Encoding::Gb18030),
            "auto" => Some(Encoding::Auto),
            _ => None,
        };
    }
    None
}

/// GB18030 bytes as text, refused at the first byte sequence that is not
/// a GB18030 character (encoding_rs: the WHATWG GB18030 decoder).
fn decode_gb18030(bytes: &[u8], shown: &Path, code: Code) -> Result<String, Diagnostic> {
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if !had_errors {
        return Ok(text.into_owned());
    }
    let bad = text.find('\u{FFFD}').unwrap_or(0);
    let before = &text[..bad];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Err(Diagnostic::error(
        code,
        format!("file is not valid GB18030: bytes that are no character at line {line}, column {column}"),
    )
    .with_path(shown)
    .with_hint(
        "the file is in neither UTF-8 nor GB18030 here, or it is damaged: retype the characters around this \
         place, or take the file again from where it came",
    ))
}

/// The one "cannot read" diagnostic, with a hint that fits why.
pub fn cannot_read(code: Code, shown: &Path, e: &std::io::Error) -> Diagnostic {
    let hint = if e.kind() == std::io::ErrorKind::InvalidInput {
        "wengao reads only ordinary files: put a real file here (not a pipe, a device or a link to one)"
    } else {
        "check that the file exists and is readable"
    };
    Diagnostic::error(code, format!("cannot read file: {e}")).with_path(shown).with_hint(hint)
}

/// Open `path` for reading if it is a regular file (after symlinks), and
/// refuse anything else before it can block or never end: a FIFO blocks the
/// open itself, a device (`/dev/zero`) gives bytes forever, a folder none.
/// The kind is checked again on the open file, so a file swapped for a FIFO
/// between the two checks is refused too (the open does not wait: it is
/// non-blocking, which changes nothing for a regular file).
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let not_regular = |meta: &std::fs::Metadata| {
        let kind = if meta.is_dir() {
            "a folder"
        } else if is_fifo(meta) {
            "a FIFO (named pipe)"
        } else {
            "a device or other special file"
        };
        std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("it is {kind}, not an ordinary file"))
    };
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok(file)
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type())
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

/// Why a bounded read failed.
#[derive(Debug)]
pub enum Bounded {
    /// The read itself failed.
    Io(std::io::Error),
    /// The file holds more than the bound: at least this many bytes.
    TooBig(u64),
}

/// All of `file`, or `TooBig` as soon as it passes `max` bytes (a file can
/// grow after its size was checked).
pub fn read_at_most(file: std::fs::File, max: u64) -> Result<Vec<u8>, Bounded> {
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(Bounded::Io)?;
    if bytes.len() as u64 > max {
        return Err(Bounded::TooBig(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A whole regular file of at most `max` bytes (`open_regular`, `read_at_most`).
pub fn read_regular(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    if file.metadata()?.len() > max {
        return Err(std::io::Error::other(format!("it is larger than {} MiB", max / 1048576)));
    }
    read_at_most(file, max).map_err(|e| match e {
        Bounded::Io(e) => e,
        Bounded::TooBig(_) => std::io::Error::other(format!("it is larger than {} MiB", max / 1048576)),
    })
}

/// Why bytes are not UTF-8 text.
#[derive(Debug, PartialEq)]
enum NotUtf8 {
    Utf16 {
        big_endian: bool,
    },
    Gb18030 {
        offset: usize,
        line: usize,
    },
    Binary {
        offset: usize,
    },
    Invalid {
        offset: usize,
        line: usize,
        column: usize,
    },
    /// UTF-8 with a few bytes that are not (damaged, not another encoding).
    Damaged {
        offset: usize,
        line: usize,
        column: usize,
    },
    /// UTF-8 that ends in the middle of a character: cut short.
    Truncated {
        line: usize,
        column: usize,
    },
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
            let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
            // Chinese text in UTF-8 cut short, or with a few bytes damaged,
            // is mostly good UTF-8; GBK text is almost never.
            let lossy = String::from_utf8_lossy(body);
            let bad = lossy.chars().filter(|&c| c == '\u{FFFD}').count();
            let good = lossy.chars().filter(|&c| !c.is_ascii() && c != '\u{FFFD}').count();
            let mostly_utf8 = good > 0 && good >= 4 * bad;
            if e.error_len().is_none()
                && (mostly_utf8 || !before.iter().any(|b| !b.is_ascii()) && !looks_like_gb18030(body))
            {
                return Err(NotUtf8::Truncated { line, column });
            }
            if !mostly_utf8 && looks_like_gb18030(body) {
                return Err(NotUtf8::Gb18030 { offset, line });
            }
            if mostly_utf8 {
                return Err(NotUtf8::Damaged { offset, line, column });
            }
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
            NotUtf8::Damaged { offset, line, column } => (
                format!(
                    "file is UTF-8 but damaged: bytes that are no character at line {line}, column {column} \
                     (byte offset {offset})"
                ),
                "the rest of the file is good UTF-8, so do not convert it: retype the characters around this \
                 place in an editor, or take the file again from where it came"
                    .to_string(),
            ),
            NotUtf8::Truncated { line, column } => (
                format!("file ends in the middle of a character (line {line}, column {column}): it was cut short"),
                "a copy, download or save did not finish; get the whole file again, or delete the broken last \
                 character in an editor and save as UTF-8"
                    .to_string(),
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
    fn utf8_cut_short_or_damaged_is_not_called_gbk() {
        let text = "名称: 青溪县人民政府\n".as_bytes();
        // Cut in the middle of 府 (three bytes).
        let cut = text[..text.len() - 3].to_vec();
        assert_eq!(decode(cut), Err(NotUtf8::Truncated { line: 1, column: 11 }));
        let mut damaged = text.repeat(3);
        damaged[8] = 0xFF;
        assert!(matches!(decode(damaged), Err(NotUtf8::Damaged { line: 1, .. })));
        // Real GBK still reads as GBK.
        let mut bytes = b"name: ".to_vec();
        bytes.extend(gb("青溪县"));
        assert!(matches!(decode(bytes), Err(NotUtf8::Gb18030 { .. })));
    }

    #[test]
    fn special_files_are_refused_before_they_are_read() {
        let e = read_text(Path::new("/dev/zero"), Path::new("x"), Code::DataRead).unwrap_err();
        assert!(e.message.contains("not an ordinary file"), "{}", e.message);
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: a valid C string, a path in a fresh temporary folder.
        if unsafe { libc::mkfifo(c.as_ptr(), 0o600) } == 0 {
            let e = read_text(&fifo, Path::new("x"), Code::DataRead).unwrap_err();
            assert!(e.message.contains("FIFO"), "{}", e.message);
        }
    }

    #[test]
    fn gb18030_is_read_when_asked_with_four_byte_characters() {
        let shown = Path::new("data/x.yaml");
        // 青溪县 then U+20000 (four bytes in GB18030), as iconv writes them.
        let mut bytes = b"name: ".to_vec();
        bytes.extend(gb("青溪县"));
        bytes.extend([0x95, 0x32, 0x82, 0x36, b'\n']);
        let (text, warning) = decode_bytes(bytes.clone(), shown, Code::DataRead, Encoding::Gb18030).unwrap();
        assert_eq!(text, "name: 青溪县\u{20000}\n");
        assert!(warning.is_none(), "asked for: no warning");
        let (text, warning) = decode_bytes(bytes.clone(), shown, Code::DataRead, Encoding::Auto).unwrap();
        assert_eq!(text, "name: 青溪县\u{20000}\n");
        assert!(warning.unwrap().message.contains("GB18030"), "guessed: said so");
        assert!(decode_bytes(bytes, shown, Code::DataRead, Encoding::Utf8).is_err(), "the default refuses");
    }

    #[test]
    fn gb18030_mode_refuses_utf8_chinese_but_reads_ascii_and_bom() {
        let shown = Path::new("t.md.tera");
        let utf8 = "标题: 青溪县\n".as_bytes().to_vec();
        let e = decode_bytes(utf8.clone(), shown, Code::TemplateMissing, Encoding::Gb18030).unwrap_err();
        assert!(e.message.contains("file is UTF-8"), "{}", e.message);
        assert_eq!(
            decode_bytes(utf8.clone(), shown, Code::DataRead, Encoding::Auto).unwrap(),
            ("标题: 青溪县\n".into(), None)
        );
        let bom: Vec<u8> = b"\xef\xbb\xbf".iter().copied().chain(utf8).collect();
        assert_eq!(decode_bytes(bom, shown, Code::DataRead, Encoding::Gb18030).unwrap().0, "标题: 青溪县\n");
        assert_eq!(decode_bytes(b"a: 1\n".to_vec(), shown, Code::DataRead, Encoding::Gb18030).unwrap().0, "a: 1\n");
        // 0xFF is no GB18030 lead byte: located in characters.
        let mut bad = gb("青溪县");
        bad.extend([0xFF, b'\n']);
        let e = decode_bytes(bad, shown, Code::DataRead, Encoding::Gb18030).unwrap_err();
        assert!(e.message.contains("line 1, column 4"), "{}", e.message);
    }

    #[test]
    fn wengao_toml_may_declare_its_own_encoding() {
        assert_eq!(declared_encoding(b"# c\nencoding = \"gb18030\"  # WPS\ntitle = \"x\"\n"), Some(Encoding::Gb18030));
        assert_eq!(declared_encoding(b"encoding='GBK'\n"), Some(Encoding::Gb18030));
        assert_eq!(declared_encoding(b"encoding = \"auto\"\n"), Some(Encoding::Auto));
        assert_eq!(declared_encoding(b"[vars]\nencoding = \"gb18030\"\n"), None, "top level only");
        assert_eq!(declared_encoding(b"title = \"x\"\n"), None);
    }

    #[test]
    fn messages_say_how_to_convert() {
        let d = NotUtf8::Gb18030 { offset: 3, line: 1 }.into_diagnostic(Code::DataRead, Path::new("data/x.yaml"));
        assert!(d.message.contains("GB18030") && d.hints.iter().any(|h| h.contains("iconv -f GB18030")));
    }
}
