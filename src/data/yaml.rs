//! YAML with positions: the one place that turns serde-saphyr's output and
//! errors into wengao values and spans.
//!
//! Every node keeps the bytes it came from so that later stages (null
//! checks, record validation, front matter fields) can point back at the
//! YAML. Data files are read with `parse`; YAML inside another text (the
//! front matter of a rendered template) with `parse_fragment`.

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diag::{Code, Diagnostic, FileId, Sources, Span};
use crate::limits::Limits;

/// A YAML value with the byte range of every node.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Integers that fit in i64.
    Int(i64),
    /// Other numbers.
    Float(f64),
    /// Strings (YAML 1.2 has no date type: dates arrive here).
    Str(String),
    /// Sequences.
    Seq(Vec<Located>),
    /// Mappings in source order.
    Map(Vec<(Located, Located)>),
}

/// A node and where it is in its text.
///
/// Data stays loaded for a whole build, a node for every value of every
/// item of a matrix, so positions are kept as the parser's u32 line and
/// column and one byte range: 64 bytes a node (a test holds it there).
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The value.
    pub node: Node,
    /// 1-based line as the parser reports it.
    pub line: u32,
    /// 1-based column (characters).
    pub column: u32,
    /// The node's bytes in the parsed text, when the parser knows them
    /// (it does for text read from a string; empty for a block list or
    /// mapping, which the parser places at its start).
    pub bytes: Option<Range<usize>>,
}

impl Located {
    /// Where this node starts in `file` (a data file is parsed whole, so
    /// its offsets are the file's).
    pub fn span(&self, sources: &Sources, file: FileId) -> Span {
        match &self.bytes {
            Some(bytes) => sources.span(file, bytes.start..bytes.start),
            None => sources.span_at(file, self.line as usize, self.column as usize),
        }
    }

    /// The key text of a mapping key (scalars only).
    pub fn key_text(&self) -> Option<String> {
        match &self.node {
            Node::Str(s) => Some(s.clone()),
            Node::Int(i) => Some(i.to_string()),
            Node::Bool(b) => Some(b.to_string()),
            Node::Float(f) => Some(f.to_string()),
            Node::Null | Node::Seq(_) | Node::Map(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for Located {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Node>::deserialize(d)?;
        let at = spanned.referenced;
        let bytes = at.span().byte_offset().zip(at.span().byte_len());
        Ok(Located {
            node: spanned.value,
            // The parser counts in u32 and hands out u64.
            line: u32::try_from(at.line()).unwrap_or(u32::MAX),
            column: u32::try_from(at.column()).unwrap_or(u32::MAX),
            bytes: bytes.map(|(start, len)| start as usize..(start + len) as usize),
        })
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Located>()? {
            items.push(item);
        }
        // Data stays loaded for the whole build (a 1000-county matrix holds
        // ~100k nodes): give back the slack of the doubling growth.
        items.shrink_to_fit();
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<Located>()? {
            let v = map.next_value::<Located>()?;
            entries.push((k, v));
        }
        entries.shrink_to_fit();
        Ok(Node::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// Parse YAML text registered as `file` (without a BOM: `textfile::read_text`
/// drops it, so byte offsets match the registered text). Syntax errors,
/// duplicate keys and exhausted budgets (alias bombs) come back as one
/// diagnostic at the parser's position, with `code`.
pub fn parse(text: &str, file: FileId, sources: &Sources, code: Code) -> Result<Located, Diagnostic> {
    parse_limited(text, file, sources, code, &Limits::default())
}

/// `parse` with the YAML bounds of `limits` (values, nesting depth).
pub fn parse_limited(
    text: &str,
    file: FileId,
    sources: &Sources,
    code: Code,
    limits: &Limits,
) -> Result<Located, Diagnostic> {
    read(text, options(limits, serde_saphyr::DuplicateKeyPolicy::Error)).map_err(|e| {
        let span = e.at.map(|(line, column)| sources.span_at(file, line, column));
        yaml_error_diag(code, &e.message, span)
    })
}

/// Why a YAML text did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The parser's message for people: one line, no position, lowercase
    /// start, no final period.
    pub message: String,
    /// 1-based line and column (characters) where the parser stopped, when
    /// it says.
    pub at: Option<(usize, usize)>,
}

/// Parse YAML that is part of another text (front matter): positions are
/// in `text`, for the caller to shift to where `text` stands. Settings and
/// bounds are those of a data file with default `[limits]`, except that a
/// repeated key is kept, so the caller can point at both.
pub fn parse_fragment(text: &str) -> Result<Located, SyntaxError> {
    read(text, options(&Limits::default(), serde_saphyr::DuplicateKeyPolicy::PassThrough))
}

fn read(text: &str, options: serde_saphyr::Options) -> Result<Located, SyntaxError> {
    serde_saphyr::from_str_with_options::<Located>(text, options).map_err(|e| SyntaxError {
        message: message_of(&e),
        at: e.location().filter(|l| l.line() > 0).map(|l| (l.line() as usize, l.column().max(1) as usize)),
    })
}

/// The parser's message as wengao words messages: its first line, without
/// " at line N, column M" (the span carries the position) or the advice
/// meant for programmers (an Options switch), lowercase, no final period.
fn message_of(e: &serde_saphyr::Error) -> String {
    let full = e.without_snippet().to_string();
    let first = full.lines().next().unwrap_or("").trim();
    let first = first.split(" at line ").next().unwrap_or(first);
    let first = first.trim_start_matches("error: ");
    let first = first.split(", set DuplicateKeyPolicy").next().unwrap_or(first).trim_end_matches('.');
    let mut chars = first.chars();
    let lowered: String = match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "syntax error".to_string(),
    };
    plain_words(&lowered)
}

/// The parser's words for what people see most, said in plain words: what
/// is wrong in the text, not in the parser's terms.
fn plain_words(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("non-finite float `") {
        let value = rest.split('`').next().unwrap_or(rest);
        return format!(
            "`{value}` is not a figure (it means infinity or \"not a number\"); write the number, or put the \
             value in quotes if it is text"
        );
    }
    if let Some(code) = message.strip_prefix("unexpected character: `\\u{").and_then(|r| r.split('}').next()) {
        return format!(
            "the text holds a control character (U+{:0>4}) that no text file should: it came from a copy out of \
             another program; delete it",
            code.to_uppercase()
        );
    }
    let plain = [
        (
            "invalid trailing content after double-quoted scalar",
            "the value ends at its second `\"`, and more text follows on the line: a `\"` inside a quoted value \
             must be written `\\\"` (or use Chinese quotes “ ”)",
        ),
        (
            "invalid trailing content after single-quoted scalar",
            "the value ends at its second `'`, and more text follows on the line: a `'` inside a quoted value must \
             be written twice (`''`)",
        ),
        (
            "mapping values are not allowed in this context",
            "a `: ` inside a value makes it look like a second key on the line: put the value in double quotes",
        ),
        (
            "while parsing a block mapping, did not find expected key",
            "this line does not line up with the keys above it: check its indentation (spaces, as in the line above)",
        ),
        (
            "invalid indentation in multiline quoted scalar",
            "a quoted value is not closed: its closing quote is missing",
        ),
    ];
    match plain.iter().find(|(raw, _)| message.starts_with(raw)) {
        Some((_, said)) => said.to_string(),
        None => message.to_string(),
    }
}

/// The parser's settings: those of every reading of a data file, with the
/// treatment of a repeated key left to the caller.
fn options(limits: &Limits, duplicate_keys: serde_saphyr::DuplicateKeyPolicy) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = limits.yaml_values;
    budget.max_depth = limits.yaml_depth;
    // Events (every scalar, start and end) outnumber values about 2:1.
    budget.max_events = limits.yaml_values.saturating_mul(4);
    // YAML 1.2 core schema: `n`, `no`, `on` stay text (county data is full of
    // short codes), and `007` stays a string rather than becoming 7.
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        duplicate_keys: duplicate_keys,
        budget: Some(budget),
    }
}

/// `subset::summary(&unwrap_single_key(parse_limited(text), stem))`, made
/// while parsing: no positions, and the contents of lists of mappings or
/// lists (the records, most of a matrix item's bytes) are skipped, not
/// built. Documents built once in a matrix project see every item's
/// summary, so this runs over the whole collection; the full parse with
/// positions (`Located`) cost about three times as much. None when the
/// text is not valid: the item's own document reports it.
pub fn parse_summary(text: &str, stem: &str, limits: &Limits) -> Option<serde_json::Value> {
    let root: Summary =
        serde_saphyr::from_str_with_options(text, options(limits, serde_saphyr::DuplicateKeyPolicy::Error)).ok()?;
    Some(match root {
        Summary::Map(mut entries) if entries.len() == 1 && entries[0].0.as_deref() == Some(stem) => {
            entries.pop().map_or(serde_json::Value::Null, |(_, v)| v.into_value())
        }
        other => other.into_value(),
    })
}

/// A value of `parse_summary`: mappings keep their entries (with nulls)
/// until the top-level one is unwrapped (`unwrap_single_key`).
enum Summary {
    Null,
    Value(serde_json::Value),
    Map(Vec<(Option<String>, Summary)>),
}

impl Summary {
    fn into_value(self) -> serde_json::Value {
        match self {
            Summary::Null => serde_json::Value::Null,
            Summary::Value(v) => v,
            // As in `summary`: nulls left out, keys as `key_text`.
            Summary::Map(entries) => serde_json::Value::Object(
                entries
                    .into_iter()
                    .filter(|(_, v)| !matches!(v, Summary::Null))
                    .map(|(k, v)| (k.unwrap_or_default(), v.into_value()))
                    .collect(),
            ),
        }
    }

    fn scalar(node: Node) -> Summary {
        match node {
            Node::Null => Summary::Null,
            Node::Bool(b) => Summary::Value(serde_json::Value::Bool(b)),
            Node::Int(i) => Summary::Value(i.into()),
            Node::Float(f) => Summary::Value(f.into()),
            Node::Str(t) => Summary::Value(serde_json::Value::String(t)),
            // Not reached: the visitors below take lists and mappings themselves.
            Node::Seq(_) | Node::Map(_) => Summary::Null,
        }
    }
}

impl<'de> Deserialize<'de> for Summary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SummaryVisitor)
    }
}

/// Scalars as `NodeVisitor` makes them, so both readings agree.
macro_rules! scalar_visits {
    ($wrap:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            NodeVisitor.visit_unit().map($wrap)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            NodeVisitor.visit_none().map($wrap)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            NodeVisitor.visit_bool(v).map($wrap)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            NodeVisitor.visit_i64(v).map($wrap)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            NodeVisitor.visit_u64(v).map($wrap)
        }
        fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
            NodeVisitor.visit_i128(v).map($wrap)
        }
        fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
            NodeVisitor.visit_u128(v).map($wrap)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            NodeVisitor.visit_f64(v).map($wrap)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            NodeVisitor.visit_str(v).map($wrap)
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            NodeVisitor.visit_string(v).map($wrap)
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            NodeVisitor.visit_bytes(v).map($wrap)
        }
    };
}

struct SummaryVisitor;

impl<'de> Visitor<'de> for SummaryVisitor {
    type Value = Summary;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    scalar_visits!(Summary::scalar);
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Summary, D::Error> {
        Summary::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Summary, A::Error> {
        let mut items = Vec::new();
        let mut len = 0;
        let mut records = false;
        while let Some(item) = seq.next_element::<Element>()? {
            len += 1;
            match item {
                Element::Scalar(n) if !records => items.push(Summary::scalar(n).into_value()),
                Element::Scalar(_) => {}
                Element::Nested => records = true,
            }
        }
        // As in `summary`: a list of records keeps only its length.
        if records {
            items = vec![serde_json::Value::Null; len];
        }
        Ok(Summary::Value(serde_json::Value::Array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Summary, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<Node>()? {
            let key = Located { node: k, line: 0, column: 0, bytes: None }.key_text();
            entries.push((key, map.next_value::<Summary>()?));
        }
        Ok(Summary::Map(entries))
    }
}

/// An element of a list in `parse_summary`: a scalar, or a mapping or
/// list whose contents are skipped.
enum Element {
    Scalar(Node),
    Nested,
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ElementVisitor)
    }
}

struct ElementVisitor;

impl<'de> Visitor<'de> for ElementVisitor {
    type Value = Element;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    scalar_visits!(Element::Scalar);
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Element, D::Error> {
        Element::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Element::Nested)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Element, A::Error> {
        while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(Element::Nested)
    }
}

/// A data file's syntax error as a diagnostic, with a hint that fits the
/// usual cause.
fn yaml_error_diag(code: Code, message: &str, span: Option<Span>) -> Diagnostic {
    let msg = format!("invalid YAML: {message}");
    let lower = msg.to_lowercase();
    if let Some(d) = limit_diag(code, &lower, span.clone()) {
        return d;
    }
    let hint = if lower.contains("duplicate") {
        "each key may appear once in a mapping: remove or rename the repeated one"
    } else if lower.contains("budget") || lower.contains("alias") || lower.contains("depth") {
        "the file expands into too much data (aliases or nesting); simplify it"
    } else if lower.contains("control character") {
        "it is shown above as a symbol (␛, ␇ …); retype the value without it"
    } else if lower.contains("is not a figure") {
        "a figure not known yet can be left empty (`rate:`): the template then says where it is printed"
    } else if lower.contains("quoted value") {
        "quotes in the middle of a value need no quotes around the value: `title: 青溪县\"十四五\"规划` is fine as it is"
    } else if lower.contains("tab") {
        "YAML indents with spaces, not tabs"
    } else {
        "check the indentation and quoting near this position; quote values that contain `: ` or start with a special character"
    };
    Diagnostic::error(code, msg).with_span_opt(span).with_hint(hint)
}

/// A breached parser budget or a second document, said in the author's
/// terms: what is too large and which `[limits]` key raises the bound.
fn limit_diag(code: Code, lower: &str, span: Option<Span>) -> Option<Diagnostic> {
    let raise = |key: &str| {
        let why = if key == "yaml_values" {
            "; a few lines that expand into huge data through aliases (a \"billion laughs\" file) are refused on purpose"
        } else {
            ""
        };
        format!("if the data is genuine, raise `{key}` under [limits] in wengao.toml{why}")
    };
    let breach = lower.contains("budget breached");
    let (message, hint) = if breach && (lower.contains("nodes") || lower.contains("events")) {
        ("the file holds too many values (aliases expanded)".to_string(), raise("yaml_values"))
    } else if (breach && lower.contains("depth")) || lower.contains("recursion limit") {
        ("lists and mappings are nested too deeply".to_string(), raise("yaml_depth"))
    } else if breach {
        ("the file expands into too much data (aliases, anchors or long text)".to_string(), raise("yaml_values"))
    } else if lower.contains("multiple yaml documents") {
        (
            "the file holds more than one YAML document (a second `---` line)".to_string(),
            "a data file is one document: remove the extra `---` line, or split the file in two".to_string(),
        )
    } else {
        return None;
    };
    Some(Diagnostic::error(code, format!("invalid YAML: {message}")).with_span_opt(span).with_hint(hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::result_large_err)]
    fn load(text: &str) -> Result<Located, (Diagnostic, Sources)> {
        let mut s = Sources::new();
        let id = s.add("t.yaml", text);
        parse(text, id, &s, Code::YamlSyntax).map_err(|d| (d, s))
    }

    #[test]
    fn nodes_carry_positions() {
        let v = load("a: 1\nb:\n  - x\n  - 2.5\nc: ~\n").expect("valid");
        let Node::Map(m) = &v.node else { panic!("map expected") };
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].1.node, Node::Int(1));
        let Node::Seq(items) = &m[1].1.node else { panic!("seq expected") };
        assert_eq!(items[1].node, Node::Float(2.5));
        assert_eq!(items[1].line, 4);
        assert_eq!(m[2].1.node, Node::Null);
        assert_eq!(m[2].0.line, 5);
    }

    #[test]
    fn a_node_stays_small() {
        assert!(std::mem::size_of::<Located>() <= 64, "{} bytes", std::mem::size_of::<Located>());
    }

    #[test]
    fn fragments_keep_byte_ranges_and_repeated_keys() {
        let text = "title: 标题\ntitle: [a, 2]\n";
        let v = parse_fragment(text).expect("valid");
        let Node::Map(m) = &v.node else { panic!("map expected") };
        assert_eq!(m.len(), 2, "a repeated key is kept");
        let range = |n: &Located| n.bytes.clone().expect("bytes");
        assert_eq!(&text[range(&m[0].0)], "title");
        assert_eq!(&text[range(&m[0].1)], "标题");
        assert_eq!(&text[range(&m[1].1)], "[", "a list is placed at its start");
        let Node::Seq(items) = &m[1].1.node else { panic!("seq expected") };
        assert_eq!(&text[range(&items[1])], "2");
        let e = parse_fragment("a: 1\nb: [x\n").expect_err("unclosed");
        assert_eq!(e.message, "unclosed bracket '['");
        assert_eq!(e.at.map(|(line, _)| line), Some(2));
    }

    #[test]
    fn duplicate_keys_are_errors_with_position() {
        let (d, s) = load("a: 1\nb: 2\na: 3\n").expect_err("duplicate");
        assert_eq!(d.code, Code::YamlSyntax);
        assert!(d.message.contains("duplicate"), "{}", d.message);
        let span = d.span.expect("span");
        let (line, _) = s.get(span.file).expect("file").line_col(span.range.start);
        assert_eq!(line, 3);
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let (d, s) = load("a: [1, 2\nb: 3\n").expect_err("unclosed");
        let span = d.span.clone().expect("span");
        let (line, _) = s.get(span.file).expect("file").line_col(span.range.start);
        assert!(line >= 1, "{d:?}");
        assert!(!d.hints.is_empty());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = i - 1
            ));
        }
        assert!(load(&bomb).is_err());
    }

    #[test]
    fn yaml_1_2_scalars() {
        let v = load("a: n\nb: yes\nc: 007\nd: true\n").expect("valid");
        let Node::Map(m) = &v.node else { panic!("map expected") };
        assert_eq!(m[0].1.node, Node::Str("n".into()));
        assert_eq!(m[1].1.node, Node::Str("yes".into()));
        assert_eq!(m[2].1.node, Node::Str("007".into()));
        assert_eq!(m[3].1.node, Node::Bool(true));
    }

    #[test]
    fn the_summary_parse_agrees_with_the_full_one() {
        let full = |text: &str, stem: &str| {
            let v = load(text).map_err(|(d, _)| d).ok()?;
            Some(crate::data::summary(&crate::data::unwrap_single_key(v, stem)))
        };
        let mut texts: Vec<String> = [
            "name: 青溪县\ncppcc: {members: 210, sectors: 15}\ntags: [a, b, 3, ~]\nnote:\nproposals:\n  - id: 1\n  - id: 2\n",
            "qingxi:\n  name: 青溪县\n  rows: [[1, 2], [3]]\n",
            "qingxi: 5\n",
            "qingxi:\n",
            "qingxi: 1\nother: 2\n",
            "- 1\n- {a: 1}\n- x\n",
            "[]\n",
            "",
            "a: .nan\nb: .inf\nc: 18446744073709551615\nd: -0.0\ne: 007\nf: n\ng: true\nh: !!str 5\n",
            "1: one\ntrue: yes\n2.5: x\n~: nothing\n[a, b]: list key\n",
            "base: &b {x: 1, y: [a, b]}\nuse:\n  <<: *b\n  y: 2\nlist: [*b, *b]\n",
            "a: |\n  two\n  lines\nb: >\n  folded\n",
            "a: [\n",
            "a: 1\na: 2\n",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/county-matrix/data/counties");
        for e in std::fs::read_dir(&dir).expect("example counties") {
            texts.push(std::fs::read_to_string(e.expect("entry").path()).expect("read"));
        }
        for t in &texts {
            for stem in ["qingxi", "a"] {
                assert_eq!(parse_summary(t, stem, &Limits::default()), full(t, stem), "{t:?} as {stem}");
            }
        }
    }

    #[test]
    fn crlf() {
        let v = load("a: 1\r\nb: 二\r\n").expect("valid");
        let Node::Map(m) = &v.node else { panic!("map expected") };
        assert_eq!(m[1].1.node, Node::Str("二".into()));
    }
}
