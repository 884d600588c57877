//! `wengao schema`: the JSON Schema of the record kinds and the front
//! matter, for editors (and of wengao.toml's `encoding`).

use std::io::Write;

use clap::Args;

use super::Status;

/// Arguments of `wengao schema` (none).
#[derive(Debug, Args)]
pub struct SchemaArgs {}

/// Print the schema as pretty JSON on stdout.
pub fn execute(_: SchemaArgs) -> Status {
    // The records' schema, with the front matter of a rendered template
    // beside the record kinds under `$defs`.
    let mut schema = wengao::data::records::schema::schema();
    if let Some(defs) = schema.get_mut("$defs").and_then(|d| d.as_object_mut()) {
        defs.insert("front_matter".into(), wengao::markup::front_matter_schema());
        // wengao.toml's values an editor can check, beside the documents'.
        let config = serde_json::json!({
            "description": "Values of wengao.toml at its top level (README)",
            "type": "object",
            "properties": {"pdf_standard": wengao::project::PdfStandard::schema()},
        });
        defs.insert("wengao_toml".into(), config);
        defs.insert("encoding".into(), wengao::textfile::Encoding::schema());
    }
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    let _ = writeln!(super::out(), "{text}");
    Status::Success
}
