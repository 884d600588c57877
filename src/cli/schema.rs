//! `wengao schema`: the JSON Schema of the record kinds, for editors.

use std::io::Write;

use clap::Args;

use super::Status;

/// Arguments of `wengao schema` (none).
#[derive(Debug, Args)]
pub struct SchemaArgs {}

/// Print the schema as pretty JSON on stdout.
pub fn execute(_: SchemaArgs) -> Status {
    let text = wengao::data::records::schema::schema_text();
    let _ = writeln!(super::out(), "{text}");
    Status::Success
}
