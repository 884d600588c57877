//! Which file a request may reach: a path inside a folder, never outside it.
//!
//! A request names a file by a `/`-separated path relative to the folder it
//! is served from (the project, or the preview output folder). The server
//! first looks the name up among the files it built or read (`State`), and
//! then resolves it here, so even a name on that list cannot reach outside
//! the folder: `..`, absolute paths, backslashes and drive letters are
//! refused before the file system is asked, and a symbolic link that leads
//! out is refused after it is resolved.

use std::path::{Component, Path, PathBuf};

/// `rel` as a regular file under `base`, both resolved; `None` for a name
/// that is not a plain relative path or leads outside `base`.
pub fn file_under(base: &Path, rel: &str) -> Option<PathBuf> {
    if !is_plain_relative(rel) {
        return None;
    }
    let base = base.canonicalize().ok()?;
    let full = base.join(rel).canonicalize().ok()?;
    (full.starts_with(&base) && full.is_file()).then_some(full)
}

/// Whether `rel` is a relative path of plain names: no `..`, no `.` (after
/// the first), no root, no Windows prefix, backslash, colon or NUL.
pub fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains(['\\', ':', '\0'])
        && !rel.starts_with('/')
        && rel.split('/').all(|part| part != ".." && part != ".")
        && Path::new(rel).components().all(|c| matches!(c, Component::Normal(_)))
}

/// A path as the project names it: relative to `root`, with `/`. A
/// diagnostic's path may be relative already (`data/a.yaml`, `./data/a.yaml`)
/// or absolute under the project; anything else has no project name.
pub fn project_name(root: &Path, path: &Path) -> Option<String> {
    let rel = if path.is_absolute() {
        let root = root.canonicalize().ok()?;
        path.strip_prefix(&root).ok()?.to_path_buf()
    } else {
        path.to_path_buf()
    };
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let name = parts.join("/");
    is_plain_relative(&name).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_names_pass() {
        for ok in ["a.pdf", "sub/a.pdf", "data/会议.yaml", "a..b.pdf"] {
            assert!(is_plain_relative(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../secret",
            "a/../../secret",
            "a/./b",
            "./a",
            "..",
            "a\\..\\b",
            "C:/x",
            "c:secret",
            "a\0b",
            "//host/share",
        ] {
            assert!(!is_plain_relative(bad), "{bad:?}");
        }
    }

    #[test]
    fn links_out_of_the_folder_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("secret.txt"), "secret").expect("write");
        std::fs::write(dir.path().join("a.txt"), "a").expect("write");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        assert!(file_under(dir.path(), "a.txt").is_some());
        assert!(file_under(dir.path(), "sub").is_none(), "a folder is no file");
        assert!(file_under(dir.path(), "missing.txt").is_none());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("link.txt")).expect("ln");
            std::os::unix::fs::symlink(outside.path(), dir.path().join("sub/out")).expect("ln");
            std::os::unix::fs::symlink(dir.path().join("a.txt"), dir.path().join("inside.txt")).expect("ln");
            assert!(file_under(dir.path(), "link.txt").is_none());
            assert!(file_under(dir.path(), "sub/out/secret.txt").is_none());
            assert!(file_under(dir.path(), "inside.txt").is_some(), "a link that stays inside is followed");
        }
    }

    #[test]
    fn project_names_are_relative_with_slashes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        assert_eq!(project_name(root, Path::new("./data/a.yaml")).as_deref(), Some("data/a.yaml"));
        assert_eq!(project_name(root, Path::new("wengao.toml")).as_deref(), Some("wengao.toml"));
        let inside = root.canonicalize().expect("canonical").join("templates/doc.md.tera");
        assert_eq!(project_name(root, &inside).as_deref(), Some("templates/doc.md.tera"));
        assert_eq!(project_name(root, Path::new("/etc/passwd")), None);
        assert_eq!(project_name(root, Path::new("../x.yaml")), None);
    }
}
