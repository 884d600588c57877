//! Shared by the integration tests: run the real binary.

use std::path::Path;
use std::process::{Command, Output};

/// Run `wengao ARGS` in `cwd` without colours.
pub fn wengao(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wengao"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run wengao")
}
