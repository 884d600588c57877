//! Markdown with front matter → Document: never a panic, whatever the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut sources = wengao::diag::Sources::new();
    let file = sources.add("fuzz.md", text);
    let _ = wengao::markup::parse_document(text, file);
});
