//! The build cache, `out/.wengao-cache`: for each document, a hash of
//! everything that went into it and the files it wrote with their hashes.
//!
//! A document is skipped when its input hash is unchanged and every file it
//! wrote is still there with the recorded hash. The cache is only ever an
//! optimisation: a missing one rebuilds everything, an unreadable one is
//! ignored with a warning (O006), never an error.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::manifest::DocEntry;
use crate::diag::{Code, Diagnostic};
use crate::output;

/// The cache's file name in the output folder.
pub const CACHE_FILE: &str = ".wengao-cache";

/// Bumped when the layout of the file or the meaning of a key changes.
const FORMAT: u32 = 1;

/// The cache file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    format: u32,
    /// By document id (sorted, so the file is deterministic).
    entries: BTreeMap<String, Entry>,
}

/// One document's record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Hash of the document's inputs (`KeyBuilder`).
    pub key: String,
    /// What it wrote.
    pub doc: DocEntry,
}

impl Cache {
    /// Read the cache of `out_dir`. A missing file is an empty cache; an
    /// unreadable one too, with a warning.
    pub fn load(out_dir: &Path) -> (Cache, Option<Diagnostic>) {
        let path = out_dir.join(CACHE_FILE);
        // No cache yet (or no output folder: that problem is the writes' to report).
        if !path.is_file() {
            return (Cache::default(), None);
        }
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Cache::default(), None),
            Err(e) => return (Cache::default(), Some(unreadable(&path, &e.to_string()))),
        };
        match serde_json::from_slice::<Cache>(&bytes) {
            Ok(c) if c.format == FORMAT => (c, None),
            Ok(_) => (Cache::default(), None),
            Err(e) => (Cache::default(), Some(unreadable(&path, &e.to_string()))),
        }
    }

    /// The recorded document `id` if its inputs still hash to `key` and its
    /// files are still in `out_dir` with the recorded contents.
    pub fn fresh(&self, id: &str, key: &str, out_dir: &Path) -> Option<&DocEntry> {
        let e = self.entries.get(id).filter(|e| e.key == key)?;
        let intact = e.doc.outputs.iter().all(|o| {
            std::fs::read(out_dir.join(&o.path)).is_ok_and(|b| b.len() as u64 == o.bytes && sha256_hex(&b) == o.sha256)
        });
        intact.then_some(&e.doc)
    }

    /// Record a built (or confirmed) document.
    pub fn insert(&mut self, key: String, doc: DocEntry) {
        self.entries.insert(doc.id.clone(), Entry { key, doc });
    }

    /// Forget a document (it failed, or is no longer part of the project).
    pub fn remove(&mut self, id: &str) {
        self.entries.remove(id);
    }

    /// Keep only the documents `keep` accepts.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.entries.retain(|id, _| keep(id));
    }

    /// Write the cache into `out_dir`, atomically.
    pub fn save(&mut self, out_dir: &Path) -> Result<(), Diagnostic> {
        self.format = FORMAT;
        let bytes = serde_json::to_vec(self).map_err(|e| Diagnostic::internal(format!("cache serialisation: {e}")))?;
        output::write_atomic(&out_dir.join(CACHE_FILE), &bytes)
    }
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

    #[test]
    fn fresh_needs_the_same_key_and_intact_outputs() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.txt"), "abc").expect("write");
        let mut c = Cache::default();
        c.insert("k1".into(), doc("a", &sha256_hex(b"abc")));
        c.save(dir.path()).expect("save");
        let (c, warn) = Cache::load(dir.path());
        assert!(warn.is_none());
        assert!(c.fresh("a", "k1", dir.path()).is_some());
        assert!(c.fresh("a", "k2", dir.path()).is_none(), "inputs changed");
        std::fs::write(dir.path().join("a.txt"), "abd").expect("write");
        assert!(c.fresh("a", "k1", dir.path()).is_none(), "output edited");
        std::fs::remove_file(dir.path().join("a.txt")).expect("rm");
        assert!(c.fresh("a", "k1", dir.path()).is_none(), "output deleted");
    }

    #[test]
    fn a_corrupt_cache_is_a_warning_and_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(CACHE_FILE), "{not json").expect("write");
        let (c, warn) = Cache::load(dir.path());
        assert!(c.entries.is_empty());
        let w = warn.expect("warned");
        assert!(!w.is_error());
        assert_eq!(w.code, Code::OutputCache);
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
