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
struct Manifest<'a> {
    wengao: &'a str,
    formats: &'a [String],
    shard: Option<String>,
    documents: Vec<&'a DocEntry>,
}

/// Write the manifest of `docs` (any order; sorted here by id).
pub fn write(out_dir: &Path, formats: &[String], shard: Option<String>, docs: &[DocEntry]) -> Result<(), Diagnostic> {
    let mut documents: Vec<&DocEntry> = docs.iter().collect();
    documents.sort_by(|a, b| a.id.cmp(&b.id));
    let m = Manifest { wengao: env!("CARGO_PKG_VERSION"), formats, shard, documents };
    let mut bytes =
        serde_json::to_vec_pretty(&m).map_err(|e| Diagnostic::internal(format!("manifest serialisation: {e}")))?;
    bytes.push(b'\n');
    output::write_atomic(&out_dir.join(MANIFEST_FILE), &bytes)
}
