//! The whole render path: YAML data + a template → DOCX, PDF and text bytes.
//! The input is split at the first NUL: data before, template after. Never a
//! panic; when the build succeeds, the PDF must be a complete file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wengao::fonts::FontSet;

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fonts/NotoSerifSC-Regular-GB2312.ttf");
        FontSet::from_file(std::path::Path::new(path), 0).expect("the bundled font")
    })
}

fuzz_target!(|input: &str| {
    let (data, template) = input.split_once('\0').unwrap_or(("", input));
    // Keep each run short: a template that asks for huge loops is bounded
    // by [limits], but the fuzzer should spend its time on variety.
    if template.len() > 4096 || data.len() > 4096 {
        return;
    }
    let root = std::env::temp_dir().join("wengao-fuzz-empty-root");
    let (files, outcome) = wengao::pipeline::render_in_memory(
        &[("doc.md.tera", template)],
        "doc.md.tera",
        &[data],
        &["txt", "docx", "pdf"],
        Some(fonts()),
        &root,
    );
    for (format, bytes) in &files {
        if format == "pdf" {
            assert!(bytes.starts_with(b"%PDF-") && bytes.ends_with(b"%%EOF"), "truncated PDF");
        }
    }
    let _ = outcome;
});
