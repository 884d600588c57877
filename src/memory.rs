//! The process's memory over a long build: how the allocator is set up,
//! and when the memory freed by finished documents is given back. A batch
//! build makes thousands of documents on a few threads; without this its
//! peak memory grew with the number of documents although the live heap
//! did not (measurements: bench/README.md § Memory over a long batch).

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::fonts::FontSet;

/// Set the allocator up for wengao's work; called first thing in `main`,
/// before any thread starts.
///
/// glibc gives every new thread that finds the arenas busy an arena of its
/// own (up to 8 per core) and keeps what each arena freed: the short-lived
/// threads of a build (a document's render, font subsetting, chunked
/// compression) would each leave a document's worth of freed memory behind
/// in an arena of their own. Two arenas are enough, as the threads mostly
/// work rather than allocate in contention.
///
/// Blocks of a few hundred KiB (a PDF, a font program, a page's content)
/// would each get an `mmap` of their own and be unmapped when freed, and
/// the heap top would be given back after every document, each costing page
/// faults again: they are served from the heap and kept, and a batch gives
/// memory back on its own schedule (`after_document`, `release`).
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets tuning values of the allocator; it is called
    // before any thread is started.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}

/// How many documents a worker builds between two `release`s: often enough
/// that freed memory does not pile up, rarely enough that the pages given
/// back are not faulted in again at once by the next documents.
const RELEASE_EVERY: usize = 64;

/// Called by a batch worker after each document it rendered: every
/// `RELEASE_EVERY`th time, `release`. The records a build keeps per
/// document end up above a document's freed temporaries in the heap, which
/// glibc returns only from the top, so without this the freed pages stay.
pub(crate) fn after_document(fonts: Option<&FontSet>) {
    static DONE: AtomicUsize = AtomicUsize::new(0);
    if DONE.fetch_add(1, Ordering::Relaxed) % RELEASE_EVERY == RELEASE_EVERY - 1 {
        release(fonts);
    }
}

/// Give back the pages freed so far in every arena (`trim_heap`), and the
/// pages of the font files read so far (`FontSet::release_pages`: the next
/// reads fault them in again from the page cache).
pub(crate) fn release(fonts: Option<&FontSet>) {
    trim_heap();
    if let Some(f) = fonts {
        f.release_pages();
    }
}

/// Return every free page of every malloc arena to the system now.
pub(crate) fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory the allocator holds free.
    unsafe {
        libc::malloc_trim(0);
    }
}
