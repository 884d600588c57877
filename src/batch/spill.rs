//! The records of finished documents, kept on disk until the build ends.
//!
//! Each document's record (`cache::Entry`: its input key, inputs and output
//! hashes) is a few hundred bytes to tens of kilobytes (a document built
//! once lists every item file it read). Held until the cache and manifest
//! are written, they made memory grow with the number of documents; so a
//! worker appends its record as one line to a scratch file in the output
//! folder, and the build keeps only where it is (`Loc`). An unchanged
//! document's record is not copied at all: it stays a line of the previous
//! cache, which is read until the new one replaces it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::cache::{self, At, Cache, Entry};
use crate::output::Scratch;

/// Where a document's record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Loc {
    /// Written by this build, in the spill file.
    Spill(At),
    /// Unchanged: the previous cache's line.
    Cache(At),
}

/// The scratch file of finished documents' records.
pub(super) struct Spill {
    path: PathBuf,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// None until the first record: a build that writes nothing leaves
    /// the output folder as it was.
    file: Option<Scratch>,
    end: u64,
    /// A failed append leaves the end unknown: nothing more goes in.
    broken: bool,
}

impl Spill {
    /// The spill of a build into `out_dir` (nothing is created yet).
    pub(super) fn new(out_dir: &Path) -> Spill {
        // The temporary-name pattern of `output::write_atomic`, so that
        // tools ignoring those ignore this too; the process id keeps two
        // builds into one folder apart.
        let path = out_dir.join(format!(".wengao-results.wengao-tmp-{}", std::process::id()));
        Spill { path, state: Mutex::new(State::default()) }
    }

    /// Its path (for tests and messages).
    #[cfg(test)]
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Append one line.
    pub(super) fn push(&self, line: &[u8]) -> std::io::Result<At> {
        let len = u32::try_from(line.len()).map_err(|_| std::io::Error::other("record too long"))?;
        let mut st = self.state.lock().map_err(|_| std::io::Error::other("spill lock poisoned"))?;
        if st.broken {
            return Err(std::io::Error::other("an earlier record could not be written"));
        }
        if st.file.is_none() {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            st.file = Some(Scratch::create(&self.path)?);
        }
        let offset = st.end;
        let written = match st.file.as_mut() {
            Some(f) => f.file().and_then(|f| f.write_all(line)),
            None => Err(std::io::Error::other("spill file missing")),
        };
        if let Err(e) = written {
            st.broken = true;
            return Err(e);
        }
        st.end += u64::from(len);
        Ok(At { offset, len })
    }

    /// Read the line at `at`.
    pub(super) fn read(&self, at: At) -> std::io::Result<Vec<u8>> {
        let mut st = self.state.lock().map_err(|_| std::io::Error::other("spill lock poisoned"))?;
        let f = st.file.as_mut().ok_or_else(|| std::io::Error::other("nothing was spilled"))?.file()?;
        cache::read_at(f, at)
    }
}

/// Records from both places.
pub(super) struct Records<'a> {
    pub(super) spill: &'a Spill,
    pub(super) cache: &'a Cache,
}

impl Records<'_> {
    /// The record's line, as written (`cache::line`).
    pub(super) fn line(&self, loc: Loc) -> std::io::Result<Vec<u8>> {
        match loc {
            Loc::Spill(at) => self.spill.read(at),
            Loc::Cache(at) => self.cache.read(at),
        }
    }

    /// The record.
    pub(super) fn entry(&self, loc: Loc) -> std::io::Result<Entry> {
        cache::parse_line(&self.line(loc)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_come_back_and_the_file_goes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        let spill = Spill::new(&out);
        assert!(!out.exists(), "created lazily");
        let a = spill.push(b"one\n").expect("push");
        let b = spill.push(b"second line\n").expect("push");
        assert!(spill.path().is_file());
        assert_eq!(spill.read(b).expect("read"), b"second line\n");
        assert_eq!(spill.read(a).expect("read"), b"one\n");
        let path = spill.path().to_path_buf();
        drop(spill);
        assert!(!path.exists());
    }
}
