//! `out/manifest.json`: every document of the build, the files it wrote with
//! their SHA-256, and the inputs it was made from. Deterministic (sorted by
//! document id, no times), written atomically, so CI can diff or verify it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::output;

/// The manifest's file name in the output folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/`.
    pub path: String,
    /// Format name (`docx`, `pdf` …).
    pub format: String,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// One document of the build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocEntry {
    /// Stable id: the template stem, `@` and the matrix item key for a matrix document.
    pub id: String,
    /// Document template file name (`experience.md.tera`).
    pub template: String,
    /// Matrix item key, if any.
    pub item: Option<String>,
    /// Input files, relative to the project (templates, data, wengao.toml).
    pub inputs: Vec<String>,
    /// Files written.
    pub outputs: Vec<OutputFile>,
}

#[derive(Serialize)]
struct Manifest<'a, D: Serialize> {
    wengao: &'a str,
    formats: &'a [String],
    shard: Option<String>,
    documents: D,
}

/// The documents, read one at a time as they are written out.
struct Documents<'a> {
    count: usize,
    doc: &'a dyn Fn(usize) -> std::io::Result<DocEntry>,
}

impl Serialize for Documents<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(Some(self.count))?;
        for i in 0..self.count {
            seq.serialize_element(&(self.doc)(i).map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

/// Write the manifest of `count` documents, `doc(i)` being the i-th in id
/// order. Each is read when it is written, so a manifest of thousands of
/// documents is never in memory whole.
pub fn write(
    out_dir: &Path,
    formats: &[String],
    shard: Option<String>,
    count: usize,
    doc: &dyn Fn(usize) -> std::io::Result<DocEntry>,
) -> Result<(), Diagnostic> {
    let m = Manifest { wengao: env!("CARGO_PKG_VERSION"), formats, shard, documents: Documents { count, doc } };
    output::write_atomic_from(&out_dir.join(MANIFEST_FILE), true, |w: &mut dyn std::io::Write| {
        serde_json::to_writer_pretty(&mut *w, &m).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, inputs: usize) -> DocEntry {
        DocEntry {
            id: id.into(),
            template: "experience.md.tera".into(),
            item: id.split_once('@').map(|(_, k)| k.to_string()),
            inputs: (0..inputs).map(|i| format!("data/counties/c{i}.yaml")).collect(),
            outputs: vec![OutputFile {
                path: format!("{id}.pdf"),
                format: "pdf".into(),
                sha256: "ab".into(),
                bytes: 7,
            }],
        }
    }

    #[test]
    fn the_streamed_manifest_is_the_json_of_the_whole() {
        let docs = vec![doc("experience@a", 3), doc("experience@b", 0), doc("overview", 2)];
        for shard in [None, Some("2/4".to_string())] {
            let dir = tempfile::tempdir().expect("tempdir");
            let formats = vec!["docx".to_string(), "pdf".to_string()];
            write(dir.path(), &formats, shard.clone(), docs.len(), &|i| Ok(docs[i].clone())).expect("write");
            let whole = Manifest { wengao: env!("CARGO_PKG_VERSION"), formats: &formats, shard, documents: &docs };
            let mut expected = serde_json::to_vec_pretty(&whole).expect("json");
            expected.push(b'\n');
            assert_eq!(std::fs::read(dir.path().join(MANIFEST_FILE)).expect("read"), expected);
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let failing = |_| Err(std::io::Error::other("gone"));
        assert!(write(dir.path(), &[], None, 1, &failing).is_err());
        assert!(!dir.path().join(MANIFEST_FILE).exists(), "no manifest half written");
    }
}
