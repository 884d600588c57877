//! Bounds on what one build may read, render and lay out (`[limits]` in
//! wengao.toml).
//!
//! Every bound turns a hostile or mistaken input (a 100 MB export, an alias
//! bomb, a template loop that never ends, a document of thousands of pages)
//! into a diagnostic within seconds and bounded memory, instead of a machine
//! that swaps or a CI job that times out. The defaults are far above what a
//! county's documents need; a project that really needs more raises them.

use serde::Deserialize;

/// The limits; `Limits::default()` is what a project without `[limits]` gets.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest data, template or config file read, in MiB.
    pub file_mib: u64,
    /// Most values (mappings, lists and scalars, aliases expanded) one YAML
    /// file may hold.
    pub yaml_values: usize,
    /// Deepest nesting of lists and mappings in a YAML file.
    pub yaml_depth: usize,
    /// Longest time one template may take to render, in seconds.
    pub render_seconds: f64,
    /// Most text one template may render, in MiB (a 100-page report is
    /// about 0.3 MiB of Markdown).
    pub render_mib: u64,
    /// Most pages one PDF may have.
    pub pages: usize,
    /// Most pixels (width × height) of one image, read from its header
    /// before anything decodes it: a 20000 × 20000 PNG of 1.5 MB would
    /// take 1.6 GB to decode.
    pub image_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_mib: 32,
            yaml_values: 250_000,
            yaml_depth: 64,
            render_seconds: 10.0,
            render_mib: 16,
            pages: 1000,
            image_pixels: 50_000_000,
        }
    }
}

impl Limits {
    /// `file_mib` in bytes.
    pub fn file_bytes(&self) -> u64 {
        self.file_mib.saturating_mul(1024 * 1024)
    }

    /// `render_mib` in bytes.
    pub fn render_bytes(&self) -> usize {
        usize::try_from(self.render_mib.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX)
    }

    /// The memory a template's render may hold: four times `render_mib`,
    /// at least 64 MiB (the text it writes, and room to build it).
    pub fn render_memory(&self) -> usize {
        self.render_bytes().saturating_mul(4).max(64 << 20)
    }

    /// `render_seconds` as a duration (a bad value falls back to the default).
    pub fn render_time(&self) -> std::time::Duration {
        std::time::Duration::try_from_secs_f64(self.render_seconds)
            .unwrap_or_else(|_| std::time::Duration::from_secs_f64(Limits::default().render_seconds))
    }

    /// What is wrong with these limits, if anything (checked when wengao.toml is read).
    pub fn problem(&self) -> Option<String> {
        let positive = [
            ("file_mib", self.file_mib > 0),
            ("yaml_values", self.yaml_values > 0),
            ("yaml_depth", self.yaml_depth > 0),
            ("render_seconds", self.render_seconds.is_finite() && self.render_seconds > 0.0),
            ("render_mib", self.render_mib > 0),
            ("pages", self.pages > 0),
            ("image_pixels", self.image_pixels > 0),
        ];
        positive.iter().find(|(_, ok)| !ok).map(|(name, _)| format!("`{name}` must be a positive number"))
    }
}

std::thread_local! {
    /// How long drawing (a chart) may take on this thread; None: no bound.
    static DRAW_TIME: std::cell::Cell<Option<std::time::Duration>> = const { std::cell::Cell::new(None) };
}

/// Run `f` (the writers of a document) with drawing on this thread bounded
/// by `limit`: `render_seconds` covers the charts a template asked for as
/// well as the template.
pub fn with_draw_time<T>(limit: std::time::Duration, f: impl FnOnce() -> T) -> T {
    let before = DRAW_TIME.with(|d| d.replace(Some(limit)));
    let result = f();
    DRAW_TIME.with(|d| d.set(before));
    result
}

/// The bound set by `with_draw_time` on this thread, if any.
pub fn draw_time() -> Option<std::time::Duration> {
    DRAW_TIME.with(std::cell::Cell::get)
}

/// The allocator of every wengao process: the system's, counting what a
/// thread with a memory budget (a template's render) allocates.
///
/// Tera evaluates a template with no bound of its own: forty
/// `{% set_global s = s ~ s %}` reach gigabytes before any output is
/// written, which `render_mib` never sees. A render thread sets a budget
/// (`with_thread_budget`); an allocation that would take it over the budget
/// is not made: the thread raises its flag and stops for good, parked
/// inside the allocator, holding what it had. The thread waiting for the
/// render sees the flag and reports the overrun, as it reports a render
/// that runs out of time (and the stopped thread ends with the process).
pub struct CountingAllocator;

std::thread_local! {
    /// Bytes this thread may still hold in live allocations; 0: no budget.
    static BUDGET: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Bytes this thread holds (allocated minus freed, by this thread).
    static HELD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Raised when the budget is exceeded.
    static FLAG: std::cell::Cell<*const std::sync::atomic::AtomicBool> = const { std::cell::Cell::new(std::ptr::null()) };
}

/// Run `f` on this thread with a budget of `bytes` of live allocations;
/// `over` is raised when an allocation would exceed it, and the thread then
/// stops inside that allocation for good (so `f` never returns). Raising
/// `over` from another thread stops this one at its next allocation too: a
/// render abandoned for its time stops using a core (`wengao watch` goes
/// on for hours).
pub fn with_thread_budget<T>(bytes: usize, over: &std::sync::atomic::AtomicBool, f: impl FnOnce() -> T) -> T {
    HELD.with(|h| h.set(0));
    FLAG.with(|p| p.set(over));
    BUDGET.with(|b| b.set(bytes));
    let result = f();
    // Before `over` can go: the allocator reads it only while a budget is set.
    BUDGET.with(|b| b.set(0));
    FLAG.with(|p| p.set(std::ptr::null()));
    result
}

impl CountingAllocator {
    /// Count `grow` more bytes for this thread; stop the thread if that
    /// exceeds its budget.
    #[inline]
    fn take(grow: usize) {
        let _ = BUDGET.try_with(|budget| {
            let limit = budget.get();
            if limit == 0 {
                return;
            }
            let held = HELD.with(|h| {
                let held = h.get().saturating_add(grow);
                h.set(held);
                held
            });
            let flag = FLAG.with(std::cell::Cell::get);
            // SAFETY: as below: set by `with_thread_budget` for as long as the budget is.
            let stopped = unsafe { flag.as_ref() }.is_some_and(|f| f.load(std::sync::atomic::Ordering::Relaxed));
            if held > limit || stopped {
                // No budget from here on, so nothing below can come back.
                budget.set(0);
                let flag = FLAG.with(std::cell::Cell::get);
                // SAFETY: set by `with_thread_budget` from a reference that
                // outlives the budget, which is still set here; this thread
                // never returns into the borrow's scope.
                if let Some(flag) = unsafe { flag.as_ref() } {
                    flag.store(true, std::sync::atomic::Ordering::SeqCst);
                }
                loop {
                    std::thread::park();
                }
            }
        });
    }

    #[inline]
    fn give(shrink: usize) {
        let _ = HELD.try_with(|h| h.set(h.get().saturating_sub(shrink)));
    }
}

// SAFETY: every call is passed to the system allocator unchanged; the
// counting only reads and writes this thread's own cells.
unsafe impl std::alloc::GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        Self::take(layout.size());
        // SAFETY: as the caller's contract.
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        Self::take(layout.size());
        // SAFETY: as the caller's contract.
        unsafe { std::alloc::System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        Self::give(layout.size());
        // SAFETY: as the caller's contract.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            Self::take(new_size - layout.size());
        } else {
            Self::give(layout.size() - new_size);
        }
        // SAFETY: as the caller's contract.
        unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_missing_keys_and_unknown_keys_are_refused() {
        let l: Limits = toml::from_str("pages = 3000").unwrap();
        assert_eq!(l.pages, 3000);
        assert_eq!(l.file_mib, Limits::default().file_mib);
        assert!(toml::from_str::<Limits>("page = 3000").is_err());
    }

    #[test]
    fn impossible_values_are_named() {
        let l = Limits { render_seconds: -1.0, ..Limits::default() };
        assert_eq!(l.problem().as_deref(), Some("`render_seconds` must be a positive number"));
        assert_eq!(Limits::default().problem(), None);
        assert_eq!(Limits::default().render_time().as_secs(), 10);
    }
}
