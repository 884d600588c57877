//! `wengao watch`: wait for the project's inputs to change, then say which.
//!
//! The watcher only reports *what* changed, settled: editors save in bursts
//! (a temporary file, a rename, an attribute change), so events are gathered
//! until the project has been quiet for a moment, and the build runs once per
//! save. Changes inside the output folder (wengao's own writes), in hidden
//! folders (`.git`) and to editor or wengao temporaries are ignored, or a
//! build would trigger the next one. What to rebuild is the build's business.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::diag::{Code, Diagnostic};

/// How long the project must be quiet before a change is reported.
const SETTLE: Duration = Duration::from_millis(200);

/// A recursive watch over a project folder.
pub struct ProjectWatcher {
    root: PathBuf,
    out_dir: PathBuf,
    /// Files this process writes its own stdout and stderr to
    /// (`wengao watch > build.log`): each report would trigger the next build.
    own_output: Vec<PathBuf>,
    events: Receiver<notify::Result<notify::Event>>,
    // Dropping the watcher ends the watch, so it lives as long as this.
    _watcher: notify::RecommendedWatcher,
}

impl ProjectWatcher {
    /// Watch everything under `root` except `out_dir`.
    pub fn new(root: &Path, out_dir: &Path) -> Result<ProjectWatcher, Diagnostic> {
        let fail = |e: notify::Error| {
            Diagnostic::error(Code::ProjectLayout, format!("cannot watch `{}`: {e}", root.display()))
                .with_path(root)
                .with_hint(
                    "on Linux, the number of inotify watches may be exhausted: raise fs.inotify.max_user_watches",
                )
        };
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |e| {
            // The receiver only goes away when the watch ends.
            let _ = tx.send(e);
        })
        .map_err(fail)?;
        watcher.watch(root, RecursiveMode::Recursive).map_err(fail)?;
        // Events carry absolute, resolved paths; the output folder may not
        // exist yet.
        let resolve = crate::output::resolve_existing;
        Ok(ProjectWatcher {
            root: resolve(root),
            out_dir: resolve(out_dir),
            own_output: own_output_files(),
            events: rx,
            _watcher: watcher,
        })
    }

    /// Block until some input changes and the project has settled; return
    /// the changed paths (relative to the project, sorted, deduplicated).
    /// `None` when the watch itself has ended.
    pub fn next_change(&self) -> Option<Vec<PathBuf>> {
        let mut changed: Vec<PathBuf> = Vec::new();
        // Only changes to inputs restart the quiet period: reads, and the
        // build's own writes, happen all the time.
        let mut settled_at = Instant::now();
        loop {
            let event = if changed.is_empty() {
                self.events.recv().ok()?
            } else {
                match self.events.recv_timeout(settled_at.saturating_duration_since(Instant::now())) {
                    Ok(e) => e,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            };
            let Ok(event) = event else { continue };
            if matches!(event.kind, EventKind::Access(_)) {
                continue;
            }
            let before = changed.len();
            changed.extend(event.paths.iter().filter(|p| self.is_input(p)).map(|p| self.relative(p)));
            if changed.len() > before {
                settled_at = Instant::now() + SETTLE;
            }
        }
        changed.sort();
        changed.dedup();
        Some(changed)
    }

    fn relative(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.root).map(Path::to_path_buf).unwrap_or_else(|_| p.to_path_buf())
    }

    /// Whether a change to `p` can change a build.
    fn is_input(&self, p: &Path) -> bool {
        if p.starts_with(&self.out_dir) || self.own_output.iter().any(|o| o == p) {
            return false;
        }
        let rel = self.relative(p);
        let hidden = rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name.starts_with(".#")
            || name.contains("wengao-tmp");
        !hidden && !temporary
    }
}

/// The regular files stdout and stderr are redirected to, resolved.
fn own_output_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for fd in [1, 2] {
        // Linux names an open descriptor's file here; elsewhere there is none.
        if let Ok(target) = std::fs::read_link(format!("/proc/self/fd/{fd}"))
            && target.is_file()
        {
            files.push(crate::output::resolve_existing(&target));
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_is_reported_once_and_outputs_are_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("data")).expect("mkdir");
        std::fs::create_dir_all(root.join("out")).expect("mkdir");
        let w = ProjectWatcher::new(root, &root.join("out")).expect("watch");
        let (tx, rx) = channel();
        let handle = std::thread::spawn(move || {
            let first = w.next_change();
            let _ = tx.send(first);
        });
        // Outputs, hidden files and temporaries first: none of them may count.
        std::fs::write(root.join("out/doc.pdf"), "x").expect("write");
        std::fs::write(root.join("data/.x.yaml.swp"), "x").expect("write");
        std::fs::write(root.join("data/a.yaml~"), "x").expect("write");
        std::thread::sleep(Duration::from_millis(50));
        // A save in bursts: write, then write again.
        std::fs::write(root.join("data/a.yaml"), "n: 1\n").expect("write");
        std::fs::write(root.join("data/a.yaml"), "n: 2\n").expect("write");
        let got = rx.recv_timeout(Duration::from_secs(10)).expect("a change is reported");
        assert_eq!(got, Some(vec![PathBuf::from("data/a.yaml")]));
        handle.join().expect("watch thread");
    }
}
