//! JSON Schema of the record kinds (`wengao schema`), from the same field
//! tables the checks use, so editors and wengao never disagree.

use serde_json::{Value, json};

use super::{Field, Kind, Ty};

/// The schema of a data file that may hold any of the record lists
/// (draft 2020-12). Unknown keys are allowed, as wengao only warns.
pub fn schema() -> Value {
    let mut props = serde_json::Map::new();
    let mut defs = serde_json::Map::new();
    for k in Kind::ALL {
        let name = k.key();
        defs.insert(name.to_string(), record(k));
        props.insert(name.to_string(), json!({"type": "array", "items": {"$ref": format!("#/$defs/{name}")}}));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "wengao records",
        "description": "Record lists a wengao data file may hold: meetings, proposals, funding, appointments.",
        "type": "object",
        "properties": props,
        "$defs": defs,
    })
}

/// The schema as pretty-printed JSON.
pub fn schema_text() -> String {
    serde_json::to_string_pretty(&schema()).unwrap_or_default()
}

fn record(k: Kind) -> Value {
    let mut props = serde_json::Map::new();
    for f in k.fields() {
        props.insert(f.name.to_string(), field(f));
    }
    let required: Vec<&str> = k.fields().iter().filter(|f| f.required).map(|f| f.name).collect();
    let headers: serde_json::Map<String, Value> =
        k.headers().iter().map(|(zh, field)| (zh.to_string(), Value::String(field.to_string()))).collect();
    json!({
        "description": k.title(),
        "x-spreadsheet-headers": headers,
        "type": "object",
        "properties": props,
        "required": required,
    })
}

fn field(f: &Field) -> Value {
    let mut v = match f.ty {
        Ty::Text => json!({"type": ["string", "number"]}),
        Ty::Date => json!({"type": "string", "pattern": r"^\d{4}([-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日)$"}),
        Ty::Count => json!({"type": "integer", "minimum": 0}),
        Ty::Amount => json!({"type": "number", "minimum": 0}),
        Ty::Year => json!({"type": "integer", "minimum": 1900, "maximum": 2200}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::TextList => {
            json!({"anyOf": [{"type": "array", "items": {"type": ["string", "number"]}}, {"type": "string"}]})
        }
        Ty::Enum(terms) => json!({"enum": terms}),
        Ty::TermOrShare(terms) => json!({"anyOf": [{"enum": terms}, {"type": "number", "minimum": 0, "maximum": 100}]}),
        Ty::Parts => json!({"type": "object", "additionalProperties": {"type": "number", "minimum": 0}}),
    };
    if let Value::Object(m) = &mut v {
        m.insert("description".into(), Value::String(f.doc.to_string()));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_lists_every_kind_with_required_fields() {
        let s = schema();
        assert_eq!(s["properties"]["proposals"]["items"]["$ref"], "#/$defs/proposals");
        assert_eq!(s["$defs"]["proposals"]["required"], json!(["id", "title", "status"]));
        assert_eq!(s["$defs"]["appointments"]["properties"]["party"]["enum"][9], "九三学社");
        assert_eq!(s["$defs"]["meetings"]["properties"]["attendees"]["minimum"], 0);
        assert_eq!(s["$defs"]["proposals"]["x-spreadsheet-headers"]["办理状态"], "status");
    }
}
