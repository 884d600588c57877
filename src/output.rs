//! Output files: safe names and atomic writes.
//!
//! Last step of a build. A file is written under a temporary name in the
//! same folder and renamed into place only when complete, so a failed or
//! interrupted build never leaves a half-written document and never destroys
//! the previous one.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};

/// Check a document name (template stem or front matter `output:`): one path
/// component, no traversal, nothing Windows cannot store.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the output name is empty".into());
    }
    if name.starts_with('.') {
        return Err(format!("output name `{name}` starts with a dot"));
    }
    if let Some(c) =
        name.chars().find(|c| matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*') || c.is_control())
    {
        return Err(format!("output name `{name}` contains `{}`", c.escape_default()));
    }
    if name.chars().count() > 120 {
        return Err("the output name is longer than 120 characters".into());
    }
    Ok(())
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let fail = |what: &str, e: std::io::Error| {
        Diagnostic::error(Code::OutputWrite, format!("cannot {what} `{}`: {e}", path.display()))
            .with_path(path)
            .with_hint("check that the output folder exists, is writable and the disk is not full")
    };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| fail("create the folder of", e))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{file_name}.wengao-tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail("write", e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_escape() {
        for bad in ["", "../x", "a/b", "a\\b", ".hidden", "a:b", "x\u{7}"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_name("2023年工作总结").is_ok());
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("out/a.txt");
        write_atomic(&p, b"one").expect("write");
        write_atomic(&p, b"two").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("out")).expect("ls").filter_map(Result::ok).collect();
        assert_eq!(names.len(), 1);
    }
}
