//! Output files: safe names and atomic writes.
//!
//! Last step of a build. A file is written under a temporary name in the
//! same folder and renamed into place only when complete, so a failed or
//! interrupted build never leaves a half-written document and never destroys
//! the previous one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diag::{Code, Diagnostic};

/// The extensions of the files wengao writes (`.htm` too): an `output:` name
/// ending in one is a stem with its extension typed by mistake, and every
/// format adds its own (`write::FORMATS` keeps to this list, a test checks).
pub const EXTENSIONS: &[&str] = &["docx", "pdf", "ofd", "html", "htm", "md", "txt"];

/// `name` without an extension of `EXTENSIONS` (any case), and the extension
/// dropped; `None` if it has none (or is nothing but the extension).
pub fn strip_extension(name: &str) -> Option<(&str, &str)> {
    EXTENSIONS.iter().find_map(|ext| {
        let at = name.len().checked_sub(ext.len() + 1)?;
        let tail = name.get(at..)?;
        (at > 0 && tail.starts_with('.') && tail[1..].eq_ignore_ascii_case(ext)).then(|| (&name[..at], tail))
    })
}

/// Check a document name (template stem, front matter `output:`, a value
/// put into a matrix output pattern): one path component, no traversal,
/// nothing Windows cannot store or would silently change. The message
/// names the rule the name breaks.
pub fn check_name(name: &str) -> Result<(), String> {
    let bytes = name.len();
    let problem = if name.is_empty() {
        return Err("the output name is empty".into());
    } else if name.contains(['/', '\\']) {
        "contains a path separator".to_string()
    } else if name.starts_with('.') {
        "starts with `.` (a hidden file)".to_string()
    } else if let Some(c) = name.chars().find(|c| c.is_control()) {
        format!("contains the control character U+{:04X}", c as u32)
    } else if let Some(c) = name.chars().find(|c| matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*')) {
        format!("contains `{c}`, which Windows does not allow in file names")
    } else if name.ends_with([' ', '.']) {
        "ends with a space or `.`, which Windows drops".to_string()
    } else if is_windows_device(name) {
        "is a reserved device name on Windows".to_string()
    } else if bytes > MAX_NAME_BYTES {
        format!(
            "is {} characters, {bytes} bytes in UTF-8; a file name here can have at most {MAX_NAME_BYTES} bytes \
             (about {} Chinese characters), as the file system allows 255 and wengao's temporary name adds {}",
            name.chars().count(),
            MAX_NAME_BYTES / 3,
            255 - MAX_NAME_BYTES
        )
    } else if name.chars().count() > 120 {
        "is longer than 120 characters".to_string()
    } else {
        return Ok(());
    };
    Err(format!("output name `{}` {problem}", shown_name(name)))
}

/// The longest output name in bytes: file systems allow 255 bytes a name,
/// and the temporary file `.NAME.EXT.wengao-tmp-PID` adds a dot, the
/// longest extension (`.docx`), `.wengao-tmp-` and a process id of up to
/// seven digits.
pub const MAX_NAME_BYTES: usize = 255 - 1 - ".docx".len() - ".wengao-tmp-".len() - 7;

/// A name as it may be shown on a terminal: control characters escaped
/// (`\u{0}`), and a long name cut to its start.
pub fn shown_name(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if i == 40 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// CON, PRN, AUX, NUL, COM1–9 and LPT1–9, with or without an extension:
/// Windows opens the device instead of a file of that name.
fn is_windows_device(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or("").trim_end().to_ascii_uppercase();
    matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && base.len() == 4
            && base.as_bytes().get(3).is_some_and(|b| (b'1'..=b'9').contains(b)))
}

/// Check a relative output path made of several names (a matrix pattern
/// such as `青溪县/experience`): every component must pass `check_name`, and
/// the file must land inside `out_dir` even after following symlinks that
/// already exist there (a link `out/x -> /etc` must not carry outputs out).
pub fn check_relative(out_dir: &Path, rel: &str) -> Result<PathBuf, String> {
    if rel.starts_with('/') || rel.ends_with('/') || rel.contains("//") {
        return Err(format!("output path `{rel}` must be relative names joined by `/`"));
    }
    for part in rel.split('/') {
        check_name(part)?;
    }
    let path = out_dir.join(rel);
    let base = resolve_existing(out_dir);
    if !resolve_existing(&path).starts_with(&base) {
        return Err(format!("output path `{rel}` leaves the output folder through a symbolic link"));
    }
    Ok(path)
}

/// Refuse an output folder that would put outputs among the inputs: the
/// project folder itself, or anything inside its `data/` or `templates/`
/// (symlinks resolved, so a link cannot smuggle the outputs in there).
pub fn check_out_dir(out_dir: &Path, root: &Path) -> Result<(), Diagnostic> {
    let Ok(root) = root.canonicalize() else { return Ok(()) };
    let resolved = resolve_existing(out_dir);
    let inputs = [root.join("data"), root.join("templates")];
    let among_inputs = resolved == root || inputs.iter().any(|d| resolved.starts_with(d));
    if !among_inputs {
        return Ok(());
    }
    Err(Diagnostic::error(
        Code::OutputName,
        format!("output folder `{}` is among the project's inputs", out_dir.display()),
    )
    .with_hint("write outputs to their own folder, e.g. `-o out` (the default) or `-o dist`"))
}

/// `path` with its longest existing prefix canonicalized (the rest may not
/// exist yet, and contains no `..` that could climb back out): where a file
/// under it would really be written.
pub fn resolve_existing(path: &Path) -> PathBuf {
    // `a/../b` lexically first: `create_dir_all` would make `a` and then
    // climb out of it, whatever `a` is.
    let mut existing = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir
                if matches!(existing.components().next_back(), Some(std::path::Component::Normal(_))) =>
            {
                existing.pop();
            }
            std::path::Component::CurDir => {}
            other => existing.push(other),
        }
    }
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let base = if existing.as_os_str().is_empty() { Path::new(".") } else { existing.as_path() };
    let mut out = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
    out.extend(rest.iter().rev());
    out
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_atomic_with(path, bytes, true)
}

/// `write_atomic`, with the flush to disk (`fsync`) left out when `sync` is
/// false: a batch build writes thousands of files and flushes them all at
/// once at the end (`sync_all_under`), before the cache and manifest that
/// vouch for them are written.
///
/// A file that already holds exactly `bytes` is left as it is, time
/// included: rebuilding (`--force`, CI) then costs no disk writes, and
/// replacing a file by rename makes ext4 start writing it back at once
/// (`auto_da_alloc`), a large share of a batch's time (bench/README.md).
pub fn write_atomic_with(path: &Path, bytes: &[u8], sync: bool) -> Result<(), Diagnostic> {
    if holds(path, bytes) {
        // Still durable on return when asked: flushing a clean file is free.
        if sync && let Ok(f) = std::fs::File::open(path) {
            let _ = f.sync_all();
        }
        return Ok(());
    }
    write_atomic_from(path, sync, |w| w.write_all(bytes))
}

/// Whether `path` is a regular file (not a link) with exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let same_size = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    same_size && crate::textfile::read_regular(path, bytes.len() as u64).is_ok_and(|old| old == bytes)
}

/// `write_atomic_with` for contents made piece by piece by `fill`, so that
/// a large file (a batch build's manifest) need not be held in memory whole.
pub fn write_atomic_from(
    path: &Path,
    sync: bool,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Diagnostic> {
    Staged::write(path, sync, fill)?.commit()
}

/// Write several files as one: each under a temporary name first, and
/// only when every one is complete are they all renamed into place. If a
/// file cannot be written, no file of the set is replaced: what was there
/// before stays. (The renames are the commit; one that fails after others
/// succeeded, which takes a folder vanishing under the build, leaves the
/// files renamed so far.) A file already holding its bytes is left as it
/// is, as by `write_atomic_with`.
pub fn write_all_atomic(files: &[(PathBuf, &[u8])], sync: bool) -> Result<(), Diagnostic> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        if holds(path, bytes) {
            if sync && let Ok(f) = std::fs::File::open(path) {
                let _ = f.sync_all();
            }
            continue;
        }
        // On an error the files staged so far are dropped: removed.
        staged.push(Staged::write(path, sync, |w| w.write_all(bytes))?);
    }
    staged.into_iter().try_for_each(Staged::commit)
}

/// A file complete under its temporary name, waiting to be renamed over
/// its target by `commit`; dropped instead, the temporary is removed.
struct Staged {
    path: PathBuf,
    tmp: PathBuf,
    committed: bool,
    // Registered (for an interrupt to remove) for as long as it may exist.
    _registered: InProgress,
}

impl Staged {
    /// Write `fill`'s bytes to a temporary file beside `path`, flushed to
    /// disk when `sync`.
    fn write(
        path: &Path,
        sync: bool,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<Staged, Diagnostic> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| write_failed(path, "create the folder of", e))?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp: PathBuf = dir.join(format!(".{file_name}.wengao-tmp-{}", std::process::id()));
        let (registered, f) = InProgress::create(&tmp).map_err(|e| write_failed(path, "write", e))?;
        let staged = Staged { path: path.to_path_buf(), tmp, committed: false, _registered: registered };
        let filled = (|| {
            let mut w = std::io::BufWriter::new(f);
            fill(&mut w)?;
            let f = w.into_inner().map_err(std::io::IntoInnerError::into_error)?;
            if sync {
                f.sync_all()?;
            }
            Ok(())
        })();
        filled.map_err(|e| write_failed(path, "write", e))?;
        Ok(staged)
    }

    /// Rename the temporary over the target.
    fn commit(mut self) -> Result<(), Diagnostic> {
        std::fs::rename(&self.tmp, &self.path).map_err(|e| write_failed(&self.path, "write", e))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

fn write_failed(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::OutputWrite, format!("cannot {what} `{}`: {e}", path.display()))
        .with_path(path)
        .with_hint("check that the output folder exists, is writable and the disk is not full")
}

/// Flush to disk everything written under `dir` (the files of a batch
/// build written with `write_atomic_with(…, false)`): one `syncfs` of the
/// file system on Linux, else one `fsync` per file in `files` (an iterator,
/// so that the list of a large build need not be in memory; unused on Linux).
pub fn sync_all_under(dir: &Path, files: impl IntoIterator<Item = PathBuf>) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| {
        Diagnostic::error(Code::OutputWrite, format!("cannot flush the output files to disk: {e}"))
            .with_path(dir)
            .with_hint("check that the disk is not full or failing")
    };
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd as _;
        let _ = files;
        let d = std::fs::File::open(dir).map_err(fail)?;
        // SAFETY: `d` is an open file descriptor for the duration of the call;
        // syncfs only reads it.
        if unsafe { libc::syncfs(d.as_raw_fd()) } != 0 {
            return Err(fail(std::io::Error::last_os_error()));
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        for f in files {
            std::fs::File::open(f).and_then(|f| f.sync_all()).map_err(fail)?;
        }
        Ok(())
    }
}

/// Temporary files being written right now, for `remove_temporaries`.
static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file's entry in `IN_PROGRESS` for as long as it may exist.
struct InProgress(PathBuf);

impl InProgress {
    /// Create the file and register it in one step under the lock, so an
    /// interrupt sees every temporary file that exists.
    fn create(path: &Path) -> std::io::Result<(InProgress, std::fs::File)> {
        let mut v = IN_PROGRESS.lock().map_err(|_| std::io::Error::other("output registry poisoned"))?;
        let f = std::fs::File::create(path)?;
        v.push(path.to_path_buf());
        Ok((InProgress(path.to_path_buf()), f))
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        if let Ok(mut v) = IN_PROGRESS.lock()
            && let Some(i) = v.iter().position(|p| *p == self.0)
        {
            v.swap_remove(i);
        }
    }
}

/// A scratch file (a batch build's records of finished documents), removed
/// when dropped, and by `remove_temporaries` on an interrupt: like the
/// temporaries of `write_atomic`, it must never outlive the build.
pub struct Scratch {
    file: Option<std::fs::File>,
    _registered: InProgress,
}

impl Scratch {
    /// Create (truncate) `path` for reading and writing.
    pub fn create(path: &Path) -> std::io::Result<Scratch> {
        let mut v = IN_PROGRESS.lock().map_err(|_| std::io::Error::other("output registry poisoned"))?;
        let f = std::fs::File::options().read(true).write(true).create(true).truncate(true).open(path)?;
        v.push(path.to_path_buf());
        Ok(Scratch { file: Some(f), _registered: InProgress(path.to_path_buf()) })
    }

    /// The open file.
    pub fn file(&mut self) -> std::io::Result<&mut std::fs::File> {
        // Only `drop` takes the file out, so this never fails.
        self.file.as_mut().ok_or_else(|| std::io::Error::other("scratch file closed"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Closed first: an open file cannot be removed everywhere (Windows).
        drop(self.file.take());
        let _ = std::fs::remove_file(&self._registered.0);
    }
}

/// The marker in every temporary file's name, followed by the process id.
pub const TEMP_MARK: &str = ".wengao-tmp-";

/// Remove the temporary files under `out_dir` left by wengao processes that
/// no longer run (killed with `kill -9`, or by a power cut): their names end
/// in `.wengao-tmp-PID`. A running process's files (a parallel build) stay.
pub fn remove_stale_temporaries(out_dir: &Path) {
    let own = std::process::id();
    for e in walkdir::WalkDir::new(out_dir).max_depth(8).into_iter().filter_map(Result::ok) {
        if !e.file_type().is_file() {
            continue;
        }
        let name = e.file_name().to_string_lossy();
        let Some(pid) = name.rsplit_once(TEMP_MARK).and_then(|(_, p)| p.parse::<u32>().ok()) else { continue };
        if pid != own && !process_runs(pid) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether process `pid` exists (on other systems: assume it does).
fn process_runs(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // SAFETY: signal 0 only checks that the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Remove every temporary output file being written. For an interrupt
/// handler (Ctrl-C): finished outputs are complete files already renamed into
/// place, earlier outputs are untouched, so this leaves the output folder as
/// a failed build would. Holding the lock also keeps a write from starting or
/// renaming while the process exits.
pub fn remove_temporaries() {
    let guard = IN_PROGRESS.lock();
    if let Ok(v) = &guard {
        for p in v.iter() {
            let _ = std::fs::remove_file(p);
        }
    }
    // Keep the lock held by leaking the guard: the process is about to exit.
    std::mem::forget(guard);
}

#[cfg(test)]
mod tests {
    use super::strip_extension;

    #[test]
    fn extensions_of_every_format_are_stripped_and_nothing_else() {
        assert_eq!(strip_extension("报告.pdf"), Some(("报告", ".pdf")));
        assert_eq!(strip_extension("报告.DOCX"), Some(("报告", ".DOCX")));
        assert_eq!(strip_extension("a.b.txt"), Some(("a.b", ".txt")));
        assert_eq!(strip_extension(".pdf"), None, "nothing but the extension");
        assert_eq!(strip_extension("报告pdf"), None);
        assert_eq!(strip_extension("报告.pdfx"), None);
        assert_eq!(strip_extension("2023.12"), None);
    }

    use super::*;

    #[test]
    fn a_file_already_holding_the_bytes_is_not_rewritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.pdf");
        write_atomic_with(&path, b"same", false).expect("first write");
        let inode = |p: &Path| {
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                std::fs::metadata(p).expect("meta").ino()
            }
            #[cfg(not(unix))]
            0
        };
        let first = inode(&path);
        write_atomic_with(&path, b"same", true).expect("same bytes");
        assert_eq!(inode(&path), first, "left as it was (no rename)");
        write_atomic_with(&path, b"diff", false).expect("new bytes");
        assert_eq!(std::fs::read(&path).expect("read"), b"diff");
        #[cfg(unix)]
        {
            assert_ne!(inode(&path), first, "replaced by rename");
            // A link holding the bytes is replaced by a file, never followed.
            let target = dir.path().join("target");
            std::fs::write(&target, b"diff").expect("write");
            let link = dir.path().join("link.pdf");
            std::os::unix::fs::symlink(&target, &link).expect("symlink");
            write_atomic_with(&link, b"diff", false).expect("write");
            assert!(!std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
        }
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 3, "no temporary left");
    }

    #[test]
    fn names_cannot_escape() {
        for bad in ["", "../x", "a/b", "a\\b", ".hidden", "..", "a:b", "a|b", "x\u{7}", "x\ty"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert_eq!(check_name("../x"), Err("output name `../x` contains a path separator".into()));
        assert_eq!(check_name("x\u{7}"), Err("output name `x\\u{7}` contains the control character U+0007".into()));
        assert!(check_name(&"长".repeat(121)).is_err());
        for ok in ["2023年工作总结", "2023.12总结", "a..b", "青溪县-experience"] {
            assert_eq!(check_name(ok), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn names_windows_cannot_store_are_refused() {
        for bad in ["con", "CON", "con.v1", "Nul", "com1", "LPT9", "报告.", "报告 "] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        for ok in ["com", "com10", "console", "lpt0", "connect"] {
            assert_eq!(check_name(ok), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn relative_paths_stay_inside() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        for bad in ["../x", "a/../../x", "/etc/x", "a//b", "a/", "a/.b", "a\\..\\b", ""] {
            assert!(check_relative(&out, bad).is_err(), "{bad:?}");
        }
        assert!(check_relative(&out, "青溪县/experience").is_ok());
        #[cfg(unix)]
        {
            std::fs::create_dir_all(&out).expect("mkdir");
            std::os::unix::fs::symlink(dir.path(), out.join("link")).expect("symlink");
            assert!(check_relative(&out, "link/x").is_err(), "a symlink out of out/");
        }
    }

    #[test]
    fn outputs_stay_out_of_the_inputs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("templates/sub")).expect("mkdir");
        std::fs::create_dir_all(root.join("data")).expect("mkdir");
        for bad in [".", "templates", "templates/sub/new", "data", "data/../data/x", "none/../templates"] {
            assert!(check_out_dir(&root.join(bad), root).is_err(), "{bad}");
        }
        for good in ["out", "dist/2023", "../elsewhere"] {
            assert!(check_out_dir(&root.join(good), root).is_ok(), "{good}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("templates"), root.join("link")).expect("symlink");
            assert!(check_out_dir(&root.join("link"), root).is_err(), "a symlink into templates/");
        }
    }

    #[test]
    fn a_scratch_file_is_registered_while_it_lives() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join(".scratch.wengao-tmp-1");
        let registered = || IN_PROGRESS.lock().expect("lock").contains(&p);
        let mut s = Scratch::create(&p).expect("create");
        s.file().expect("open").write_all(b"x").expect("write");
        assert!(p.is_file() && registered(), "an interrupt would remove it");
        drop(s);
        assert!(!p.exists() && !registered());
    }

    #[test]
    fn a_set_of_files_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        let (pdf, docx) = (out.join("a.pdf"), out.join("a.docx"));
        write_all_atomic(&[(pdf.clone(), b"pdf 1"), (docx.clone(), b"docx 1")], false).expect("write");
        // The second file cannot be written (a folder stands where its
        // temporary would go): the first keeps its earlier bytes.
        let blocked = out.join(format!(".a.docx.wengao-tmp-{}", std::process::id()));
        std::fs::create_dir_all(blocked.join("x")).expect("mkdir");
        assert!(write_all_atomic(&[(pdf.clone(), b"pdf 2"), (docx.clone(), b"docx 2")], false).is_err());
        assert_eq!(std::fs::read(&pdf).expect("read"), b"pdf 1");
        assert_eq!(std::fs::read(&docx).expect("read"), b"docx 1");
        std::fs::remove_dir_all(&blocked).expect("rm");
        let mut names: Vec<_> =
            std::fs::read_dir(&out).expect("ls").filter_map(Result::ok).map(|e| e.file_name()).collect();
        names.sort();
        assert_eq!(names, ["a.docx", "a.pdf"], "no temporary left");
        write_all_atomic(&[(pdf.clone(), b"pdf 2"), (docx.clone(), b"docx 2")], true).expect("write");
        assert_eq!(std::fs::read(&pdf).expect("read"), b"pdf 2");
        assert_eq!(std::fs::read(&docx).expect("read"), b"docx 2");
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
