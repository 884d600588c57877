//! The build cache, `out/.wengao-cache`: for each document, a hash of
//! everything that went into it and the files it wrote with their hashes.
//!
//! A document is skipped when its input hash is unchanged and every file it
//! wrote is still there with the recorded hash. The cache is only ever an
//! optimisation: a missing one rebuilds everything, an unreadable one is
//! ignored with a warning (O006), never an error.
//!
//! The file is JSON Lines: a header line `{"format":N}`, then one `Entry`
//! per line, sorted by document id. A build keeps only an index (each
//! id's offset) and reads an entry when it needs it, so the memory a build
//! holds does not grow with the entries' size (the inputs list of a
//! document built once names every item file).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::manifest::DocEntry;
use crate::diag::{Code, Diagnostic};
use crate::output;

/// The cache's file name in the output folder.
pub const CACHE_FILE: &str = ".wengao-cache";

/// Bumped when the layout of the file or the meaning of a key changes.
/// 2: JSON Lines sorted by id (1 was one JSON object, loaded whole).
const FORMAT: u32 = 2;

/// The first line of the file.
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
}

/// Just the id of an entry's line, to index it.
#[derive(Deserialize)]
struct IdOnly {
    doc: IdDoc,
}

#[derive(Deserialize)]
struct IdDoc {
    id: String,
}

/// Where a line is in its file: byte offset and length (with its newline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// Byte offset of the line.
    pub offset: u64,
    /// Its length, newline included.
    pub len: u32,
}

/// The cache of the previous build, opened and indexed.
#[derive(Debug, Default)]
pub struct Cache {
    file: Option<Mutex<File>>,
    /// Each entry's id and line, sorted by id.
    index: Index,
}

/// Ids and lines of a cache file, sorted by id.
type Index = Vec<(Box<str>, At)>;

/// One document's record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Hash of the document's inputs (`KeyBuilder`).
    pub key: String,
    /// What it wrote.
    pub doc: DocEntry,
}

/// `Entry` by reference, for writing (the same JSON).
#[derive(Serialize)]
struct EntryRef<'a> {
    key: &'a str,
    doc: &'a DocEntry,
}

/// The line recording `doc` with its input key, newline included.
pub fn line(key: &str, doc: &DocEntry) -> Result<Vec<u8>, Diagnostic> {
    let mut v = serde_json::to_vec(&EntryRef { key, doc })
        .map_err(|e| Diagnostic::internal(format!("cache serialisation: {e}")))?;
    v.push(b'\n');
    Ok(v)
}

/// Parse a line written by `line`.
pub fn parse_line(bytes: &[u8]) -> std::io::Result<Entry> {
    serde_json::from_slice(bytes).map_err(std::io::Error::other)
}

/// Read the `len` bytes at `offset` of `f`.
pub(super) fn read_at(f: &mut File, at: At) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0; at.len as usize];
    f.seek(SeekFrom::Start(at.offset))?;
    f.read_exact(&mut buf)?;
    Ok(buf)
}

impl Cache {
    /// Open and index the cache of `out_dir`. A missing file is an empty
    /// cache, one of another format too; an unreadable one too, with a warning.
    pub fn load(out_dir: &Path) -> (Cache, Option<Diagnostic>) {
        let path = out_dir.join(CACHE_FILE);
        // No cache yet (or no output folder: that problem is the writes' to report).
        if !path.is_file() {
            return (Cache::default(), None);
        }
        let file = match crate::textfile::open_regular(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Cache::default(), None),
            Err(e) => return (Cache::default(), Some(unreadable(&path, &e.to_string()))),
        };
        match index(&file) {
            Ok(Some(index)) => (Cache { file: Some(Mutex::new(file)), index }, None),
            Ok(None) => (Cache::default(), None),
            Err(why) => (Cache::default(), Some(unreadable(&path, &why))),
        }
    }

    /// The recorded document `id` and its line if its inputs still hash to
    /// `key` and its files are still in `out_dir` with the recorded contents.
    pub fn fresh(&self, id: &str, key: &str, out_dir: &Path) -> Option<(DocEntry, At)> {
        let at = self.find(id)?;
        let e = self.read(at).ok().and_then(|b| parse_line(&b).ok()).filter(|e| e.key == key && e.doc.id == id)?;
        let intact = e.doc.outputs.iter().all(|o| {
            sha256_file(&out_dir.join(&o.path)).is_ok_and(|(len, digest)| len == o.bytes && digest == o.sha256)
        });
        intact.then_some((e.doc, at))
    }

    /// Where the entry of `id` is.
    fn find(&self, id: &str) -> Option<At> {
        let i = self.index.binary_search_by(|(k, _)| k.as_ref().cmp(id)).ok()?;
        self.index.get(i).map(|(_, at)| *at)
    }

    /// The line at `at` (from `fresh` or `entries`).
    pub fn read(&self, at: At) -> std::io::Result<Vec<u8>> {
        let f = self.file.as_ref().ok_or_else(|| std::io::Error::other("no cache file"))?;
        let mut f = f.lock().map_err(|_| std::io::Error::other("cache file lock poisoned"))?;
        read_at(&mut f, at)
    }

    /// Every entry's id and line, sorted by id.
    pub fn entries(&self) -> impl Iterator<Item = (&str, At)> {
        self.index.iter().map(|(id, at)| (id.as_ref(), *at))
    }

    /// Write a cache into `out_dir`, atomically: the header, then `lines`
    /// (from `line`, sorted by id).
    pub fn save(out_dir: &Path, lines: impl Iterator<Item = std::io::Result<Vec<u8>>>) -> Result<(), Diagnostic> {
        let header = serde_json::to_vec(&Header { format: FORMAT })
            .map_err(|e| Diagnostic::internal(format!("cache serialisation: {e}")))?;
        output::write_atomic_from(&out_dir.join(CACHE_FILE), true, |w: &mut dyn Write| {
            w.write_all(&header)?;
            w.write_all(b"\n")?;
            for l in lines {
                w.write_all(&l?)?;
            }
            Ok(())
        })
    }
}

/// The index of a cache file: None for another format, Err(why) when it is
/// not a cache file. Every line is parsed (one at a time) so that a corrupt
/// file is found now, not when a document looks itself up.
fn index(file: &File) -> Result<Option<Index>, String> {
    let mut r = BufReader::new(file);
    let mut line = Vec::new();
    read_line(&mut r, &mut line)?;
    let header: Header = serde_json::from_slice(&line).map_err(|e| e.to_string())?;
    if header.format != FORMAT {
        return Ok(None);
    }
    let mut offset = line.len() as u64;
    let mut index: Index = Vec::new();
    loop {
        line.clear();
        let n = read_line(&mut r, &mut line)?;
        if n == 0 {
            return Ok(Some(index));
        }
        if line.last() != Some(&b'\n') {
            return Err("the last line is cut short".into());
        }
        let id = serde_json::from_slice::<IdOnly>(&line).map_err(|e| e.to_string())?.doc.id;
        if index.last().is_some_and(|(last, _)| **last >= *id) {
            return Err(format!("entry `{id}` is out of order"));
        }
        let len = u32::try_from(n).map_err(|_| "an entry is too long".to_string())?;
        index.push((id.into_boxed_str(), At { offset, len }));
        offset += n as u64;
    }
}

/// The longest line a cache entry can have (one document's inputs and
/// outputs are a few KiB): a longer one is damage, not read into memory.
const MAX_LINE: u64 = 16 << 20;

fn read_line(r: &mut BufReader<&File>, line: &mut Vec<u8>) -> Result<usize, String> {
    let n = r.take(MAX_LINE).read_until(b'\n', line).map_err(|e| e.to_string())?;
    if n as u64 == MAX_LINE && line.last() != Some(&b'\n') {
        return Err(format!("a line is longer than {} MiB", MAX_LINE >> 20));
    }
    Ok(n)
}

fn unreadable(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::warning(Code::OutputCache, format!("the build cache cannot be read ({why}); rebuilding everything"))
        .with_path(path)
        .with_hint("nothing is lost: the cache is rewritten at the end of this build (deleting it is always safe)")
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The length and SHA-256 of a regular file, read in pieces: an asset or an
/// output of any size costs a buffer, not its size in memory.
pub fn sha256_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = crate::textfile::open_regular(path)?;
    let mut hasher = Sha256::new();
    let len = std::io::copy(&mut file, &mut hasher)?;
    Ok((len, hex(&hasher.finalize())))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A document's input hash, fed one labelled line at a time. Labels and
/// values are length-prefixed so that no two different inputs can run
/// together into the same stream.
pub struct KeyBuilder(Sha256);

impl Default for KeyBuilder {
    fn default() -> Self {
        KeyBuilder::new()
    }
}

impl KeyBuilder {
    /// Start a key; the wengao version is always part of it.
    pub fn new() -> Self {
        let mut k = KeyBuilder(Sha256::new());
        k.add("wengao", env!("CARGO_PKG_VERSION"));
        k.add("cache-format", &FORMAT.to_string());
        k
    }
    /// Add one input.
    pub fn add(&mut self, label: &str, value: &str) {
        for part in [label, value] {
            self.0.update((part.len() as u64).to_le_bytes());
            self.0.update(part.as_bytes());
        }
    }
    /// The key, lowercase hex.
    pub fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::manifest::OutputFile;

    fn doc(id: &str, sha: &str) -> DocEntry {
        DocEntry {
            id: id.into(),
            template: "a.md.tera".into(),
            item: None,
            inputs: vec![],
            outputs: vec![OutputFile { path: "a.txt".into(), format: "txt".into(), sha256: sha.into(), bytes: 3 }],
        }
    }

    fn save(dir: &Path, entries: &[(&str, DocEntry)]) {
        Cache::save(dir, entries.iter().map(|(k, d)| Ok(line(k, d).expect("line")))).expect("save");
    }

    #[test]
    fn fresh_needs_the_same_key_and_intact_outputs() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.txt"), "abc").expect("write");
        save(dir.path(), &[("k1", doc("a", &sha256_hex(b"abc")))]);
        let (c, warn) = Cache::load(dir.path());
        assert!(warn.is_none());
        assert!(c.fresh("a", "k1", dir.path()).is_some());
        assert!(c.fresh("a", "k2", dir.path()).is_none(), "inputs changed");
        assert!(c.fresh("b", "k1", dir.path()).is_none(), "not recorded");
        std::fs::write(dir.path().join("a.txt"), "abd").expect("write");
        assert!(c.fresh("a", "k1", dir.path()).is_none(), "output edited");
        std::fs::remove_file(dir.path().join("a.txt")).expect("rm");
        assert!(c.fresh("a", "k1", dir.path()).is_none(), "output deleted");
    }

    #[test]
    fn entries_are_read_by_offset() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.txt"), "abc").expect("write");
        let sha = sha256_hex(b"abc");
        let ids = ["a", "b@x", "b@y", "c"];
        let docs: Vec<(&str, DocEntry)> = ids
            .iter()
            .map(|id| {
                let mut d = doc(id, &sha);
                // Lines of different lengths, so a wrong offset cannot land on another line by chance.
                d.inputs = (0..id.len()).map(|i| format!("data/{id}-{i}.yaml")).collect();
                (*id, d)
            })
            .collect();
        save(dir.path(), &docs);
        let (c, warn) = Cache::load(dir.path());
        assert!(warn.is_none());
        assert_eq!(c.entries().map(|(id, _)| id).collect::<Vec<_>>(), ids);
        for (id, d) in &docs {
            let (got, at) = c.fresh(id, id, dir.path()).expect("fresh");
            assert_eq!(&got, d);
            assert_eq!(parse_line(&c.read(at).expect("read")).expect("parse").doc, *d);
        }
    }

    #[test]
    fn a_corrupt_cache_is_a_warning_and_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        let valid = format!(
            "{{\"format\":{FORMAT}}}\n{}",
            String::from_utf8(line("k", &doc("a", "x")).expect("line")).expect("utf-8")
        );
        for bad in [
            "{not json".to_string(),
            format!("{{\"format\":{FORMAT}}}\n{{\"key\":"),
            format!("{valid}{}\n", valid.lines().nth(1).expect("entry")),
            valid.trim_end().to_string(),
        ] {
            std::fs::write(dir.path().join(CACHE_FILE), &bad).expect("write");
            let (c, warn) = Cache::load(dir.path());
            assert!(c.index.is_empty(), "{bad}");
            let w = warn.expect("warned");
            assert!(!w.is_error());
            assert_eq!(w.code, Code::OutputCache);
        }
        std::fs::write(dir.path().join(CACHE_FILE), &valid).expect("write");
        assert!(Cache::load(dir.path()).1.is_none());
    }

    #[test]
    fn an_old_format_is_ignored_quietly() {
        let dir = tempfile::tempdir().expect("tempdir");
        let old = r#"{"format":1,"entries":{"a":{"key":"k","doc":{"id":"a","template":"a.md.tera","item":null,"inputs":[],"outputs":[]}}}}"#;
        std::fs::write(dir.path().join(CACHE_FILE), old).expect("write");
        let (c, warn) = Cache::load(dir.path());
        assert!(warn.is_none());
        assert!(c.index.is_empty());
        assert!(c.fresh("a", "k", dir.path()).is_none());
    }

    #[test]
    fn keys_separate_their_parts() {
        let key = |parts: &[(&str, &str)]| {
            let mut k = KeyBuilder::new();
            for (l, v) in parts {
                k.add(l, v);
            }
            k.finish()
        };
        assert_ne!(key(&[("a", "bc")]), key(&[("ab", "c")]));
        assert_eq!(key(&[("a", "b")]), key(&[("a", "b")]));
    }
}
