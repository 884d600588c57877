//! YAML data → located values: never a panic, and within the `[limits]`
//! budgets whatever the text (aliases, nesting, odd scalars).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut sources = wengao::diag::Sources::new();
    let _ = wengao::data::DataSet::from_texts(&[("fuzz.yaml", text)], &mut sources);
});
