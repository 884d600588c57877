//! Front matter: the `---` block of YAML fields at the top of a rendered
//! template, read into `doc::Meta`.
//!
//! The YAML is read by `data::yaml` (as data files are: `title: y` stays
//! the letter y); what each field may hold, and the messages when it holds
//! something else, are here. Every diagnostic points into the rendered text.

use std::ops::Range;

use super::split_lines;
use crate::data::yaml::{self, Located, Node};
use crate::diag::{Code, Diagnostic, Diags, FileId, Span, offset_of_line_col};
use crate::doc::{Date, Format, Meta, Numbering};

/// What the front matter gave.
pub(super) struct Read {
    /// The fields; None when the YAML could not be read as fields at all.
    pub(super) meta: Option<Meta>,
    /// Where the Markdown body starts.
    pub(super) body_start: usize,
}

/// Read the front matter of `text`, if it has one. None when the text
/// cannot be a document (a front matter that is never closed); problems
/// go to `diags`.
pub(super) fn read(text: &str, file: FileId, diags: &mut Diags) -> Option<Read> {
    let start = after_bom(text);
    match split(text, start) {
        Fenced::Absent => Some(Read { meta: Some(Meta::default()), body_start: start }),
        Fenced::Unclosed(open) => {
            diags.push(
                Diagnostic::error(Code::FrontMatterSyntax, "front matter is not closed")
                    .with_span(Span { file, range: open })
                    .with_hint("end the front matter with a line containing only `---`"),
            );
            None
        }
        Fenced::Closed { yaml, body_start } => {
            let fields = FieldReader { base: yaml.start, yaml: &text[yaml], file };
            Some(Read { meta: fields.read(diags), body_start })
        }
    }
}

/// Where the Markdown body of `text` starts: after a closed front matter,
/// else after the byte-order mark, if any.
pub(super) fn body_start(text: &str) -> usize {
    let start = after_bom(text);
    match split(text, start) {
        Fenced::Closed { body_start, .. } => body_start,
        Fenced::Absent | Fenced::Unclosed(_) => start,
    }
}

fn after_bom(text: &str) -> usize {
    if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 }
}

/// The `---` block at the top of a text, found but not yet read.
enum Fenced {
    Absent,
    /// Byte range of the opening `---` line.
    Unclosed(Range<usize>),
    Closed {
        /// The YAML between the fences.
        yaml: Range<usize>,
        /// Where the Markdown body starts (after the closing fence's line ending).
        body_start: usize,
    },
}

/// Lines of `text` from `from`, each as (start, end without line ending, end with it).
fn lines_from(text: &str, from: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let rest = &text[pos..];
        let (content, full) = match rest.find('\n') {
            Some(i) => (i, i + 1),
            None => (rest.len(), rest.len()),
        };
        let start = pos;
        pos += full;
        Some((start, start + content, start + full))
    })
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches([' ', '\t', '\r']) == "---"
}

/// Find the front matter: a `---` line at the top (after blank lines) and
/// the next `---` line.
fn split(text: &str, start: usize) -> Fenced {
    // Tera tags such as `{% set %}` on the first template lines leave blank
    // lines before the fence; they should not turn front matter into body text.
    let mut lines = lines_from(text, start).skip_while(|&(from, to, _)| text[from..to].trim().is_empty());
    let Some((open_start, open_end, yaml_start)) = lines.next() else {
        return Fenced::Absent;
    };
    if !is_fence(&text[open_start..open_end]) {
        return Fenced::Absent;
    }
    for (line_start, line_end, next_line) in lines {
        if is_fence(&text[line_start..line_end]) {
            return Fenced::Closed { yaml: yaml_start..line_start, body_start: next_line };
        }
    }
    Fenced::Unclosed(open_start..open_end)
}

/// Every field front matter knows, in the order the hints list them.
const FIELDS: &[&str] = &[
    "title",
    "subtitle",
    "recipient",
    "signature",
    "date",
    "attachments",
    "numbering",
    "output",
    "allow",
    "toc",
    "author",
    "format",
    "copy_no",
    "secrecy",
    "urgency",
    "issuer",
    "issuer_mark",
    "doc_no",
    "signers",
    "seal",
    "note",
    "cc",
    "printed_by",
    "printed_on",
    "present",
    "absent",
    "observers",
    "distribution",
];

/// The YAML of one front matter, and where it stands in the rendered text.
struct FieldReader<'a> {
    /// Offset of the YAML in the rendered text.
    base: usize,
    yaml: &'a str,
    file: FileId,
}

impl FieldReader<'_> {
    /// Where `node` is in the caller's text.
    fn span(&self, node: &Located) -> Span {
        let range = match &node.bytes {
            Some(bytes) => bytes.start.min(self.yaml.len())..bytes.end.min(self.yaml.len()),
            None => {
                let at = offset_of_line_col(self.yaml, node.line as usize, node.column as usize);
                at..at
            }
        };
        Span { file: self.file, range: self.base + range.start..self.base + range.end }
    }

    /// Text of a scalar; numbers and booleans as written in the source, so
    /// `output: 007` stays 007 and `title: 1.50` keeps its zero.
    fn scalar_text(&self, node: &Located) -> Option<String> {
        match &node.node {
            Node::Str(text) => Some(text.clone()),
            Node::Bool(_) | Node::Int(_) | Node::Float(_) => {
                let written = node.bytes.clone().and_then(|bytes| self.yaml.get(bytes));
                written.map(str::to_string).or_else(|| node.key_text())
            }
            Node::Null | Node::Seq(_) | Node::Map(_) => None,
        }
    }

    /// Read the YAML into `Meta`; None when it is not YAML or not a mapping.
    fn read(&self, diags: &mut Diags) -> Option<Meta> {
        // Read as data files are (`title: y` stays the letter y), except that
        // a repeated field is reported below with its own message.
        let root = match yaml::parse_fragment(self.yaml) {
            Ok(root) => root,
            Err(e) => {
                let at = self.base + e.at.map_or(0, |(line, col)| offset_of_line_col(self.yaml, line, col));
                diags.push(
                    Diagnostic::error(
                        Code::FrontMatterSyntax,
                        format!("front matter is not valid YAML: {}", e.message),
                    )
                    .with_span(Span { file: self.file, range: at..at })
                    .with_hint(
                        "write one `field: value` per line; quote values that contain `: ` \
                             or start with `[`, `{`, `*`, `&`, `!` or `#`",
                    ),
                );
                return None;
            }
        };
        let entries = match root.node {
            Node::Map(entries) => entries,
            Node::Null => return Some(Meta::default()),
            _ => {
                let span = Span { file: self.file, range: self.base..self.base + self.yaml.len() };
                diags.push(
                    Diagnostic::error(Code::FrontMatterSyntax, "front matter is not a mapping of fields")
                        .with_span(span)
                        .with_hint(format!("write `field: value` lines; known fields are {}", FIELDS.join(", "))),
                );
                return None;
            }
        };

        let mut meta = Meta::default();
        let mut seen: Vec<String> = Vec::new();
        for (key, value) in &entries {
            let key_span = self.span(key);
            let Some(name) = self.scalar_text(key) else {
                diags.push(
                    Diagnostic::warning(Code::FrontMatterField, "front matter key is not a field name")
                        .with_span(key_span)
                        .with_hint(format!("known fields are {}", FIELDS.join(", "))),
                );
                continue;
            };
            if !FIELDS.contains(&name.as_str()) {
                let mut unknown = Diagnostic::warning(
                    Code::FrontMatterField,
                    format!("unknown front matter field `{name}` is ignored"),
                )
                .with_span(key_span);
                // Field names are short words (3 to 11 letters): more than
                // two edits away, a name is another word, not a slip.
                if let Some(best) = crate::diag::closest(&name.to_lowercase(), FIELDS, 2) {
                    unknown = unknown.with_hint(format!("did you mean `{best}`?"));
                }
                diags.push(unknown.with_hint(format!("known fields are {}", FIELDS.join(", "))));
                continue;
            }
            if seen.contains(&name) {
                diags.push(
                    Diagnostic::error(Code::FrontMatterField, format!("front matter field `{name}` is given twice"))
                        .with_span(key_span)
                        .with_hint("keep only one of the two lines"),
                );
                continue;
            }
            seen.push(name.clone());
            if matches!(value.node, Node::Null) {
                diags.push(empty_field(&name, &key_span));
                continue;
            }
            self.field(&name, &key_span, value, &mut meta, diags);
        }
        Some(meta)
    }

    /// Read the value of the known field `name` into `meta`.
    fn field(&self, name: &str, key_span: &Span, value: &Located, meta: &mut Meta, diags: &mut Diags) {
        match name {
            "title" => meta.title = self.lines(name, key_span, value, diags),
            "subtitle" => meta.subtitle = self.lines(name, key_span, value, diags),
            "signature" => meta.signature = self.lines(name, key_span, value, diags),
            "attachments" => meta.attachments = self.lines(name, key_span, value, diags),
            "recipient" => meta.recipient = self.single(name, key_span, value, diags),
            "author" => meta.author = self.single(name, key_span, value, diags),
            "date" => meta.date = self.date(name, key_span, value, diags),
            "printed_on" => meta.printed_on = self.date(name, key_span, value, diags),
            "issuer" => meta.issuer = self.lines(name, key_span, value, diags),
            "signers" => meta.signers = self.lines(name, key_span, value, diags),
            "cc" => meta.cc = self.lines(name, key_span, value, diags),
            "present" => meta.present = self.lines(name, key_span, value, diags),
            "absent" => meta.absent = self.lines(name, key_span, value, diags),
            "observers" => meta.observers = self.lines(name, key_span, value, diags),
            "distribution" => meta.distribution = self.lines(name, key_span, value, diags),
            "issuer_mark" => meta.issuer_mark = self.single(name, key_span, value, diags),
            "doc_no" => meta.doc_no = self.single(name, key_span, value, diags),
            "note" => meta.note = self.single(name, key_span, value, diags),
            "printed_by" => meta.printed_by = self.single(name, key_span, value, diags),
            "format" => {
                if let Some(given) = self.single(name, key_span, value, diags) {
                    meta.format = Format::parse(&given);
                    if meta.format.is_none() {
                        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                        diags.push(
                            Diagnostic::error(
                                Code::FrontMatterField,
                                format!(
                                    "front matter field `format` must be one of {}, not `{given}`",
                                    names.join(", ")
                                ),
                            )
                            .with_span(self.span(value))
                            .with_hint(
                                "`document` is 文件格式 (the default once `issuer` is set), `letter` 信函格式, \
                                 `minutes` 纪要格式, `brief` 简报, `material` a material without 版头 (docs/gongwen.md)",
                            ),
                        );
                    }
                }
            }
            "copy_no" => {
                if let Some(given) = self.single(name, key_span, value, diags) {
                    if given.len() == 6 && given.bytes().all(|b| b.is_ascii_digit()) {
                        meta.copy_no = Some(given);
                    } else {
                        diags.push(
                            Diagnostic::error(
                                Code::FrontMatterField,
                                format!("front matter field `copy_no` (份号) must be six digits, not `{given}`"),
                            )
                            .with_span(self.span(value))
                            .with_hint(
                                "GB/T 9704 §7.2.1: 份号 is six Arabic digits, zero-padded, quoted so YAML keeps \
                                 the zeros: copy_no: \"000123\"",
                            ),
                        );
                    }
                }
            }
            "secrecy" => {
                if let Some(given) = self.single(name, key_span, value, diags) {
                    if ["绝密", "机密", "秘密"].iter().any(|k| given.starts_with(k)) {
                        meta.secrecy = Some(given);
                    } else {
                        diags.push(
                            Diagnostic::error(
                                Code::FrontMatterField,
                                format!("front matter field `secrecy` (密级) must start with 绝密, 机密 or 秘密, not `{given}`"),
                            )
                            .with_span(self.span(value))
                            .with_hint("write the 密级 and, after ★, the 保密期限: secrecy: 秘密★1年"),
                        );
                    }
                }
            }
            "urgency" => {
                if let Some(given) = self.single(name, key_span, value, diags) {
                    if given == "特急" || given == "加急" {
                        meta.urgency = Some(given);
                    } else {
                        diags.push(
                            Diagnostic::error(
                                Code::FrontMatterField,
                                format!("front matter field `urgency` (紧急程度) must be 特急 or 加急, not `{given}`"),
                            )
                            .with_span(self.span(value))
                            .with_hint("GB/T 9704 §7.2.3: 紧急程度 is 特急 or 加急; leave the field out otherwise"),
                        );
                    }
                }
            }
            "seal" => {
                if let Some(given) = self.single(name, key_span, value, diags) {
                    match given.as_str() {
                        "true" => meta.seal = Some(true),
                        "false" => meta.seal = Some(false),
                        _ => diags.push(
                            Diagnostic::error(
                                Code::FrontMatterField,
                                format!("front matter field `seal` must be `true` or `false`, not `{given}`"),
                            )
                            .with_span(self.span(value))
                            .with_hint(
                                "`seal: true` (the default) leaves room for the seal over 署名 and date; \
                                 `false` sets them 右空二字 (GB/T 9704 §7.3.5)",
                            ),
                        ),
                    }
                }
            }
            "numbering" => {
                if let Some(given) = self.single(name, key_span, value, diags) {
                    match given.to_ascii_lowercase().as_str() {
                        "auto" => meta.numbering = Numbering::Auto,
                        "manual" => meta.numbering = Numbering::Manual,
                        _ => diags.push(
                            Diagnostic::error(
                                Code::FrontMatterField,
                                format!("front matter field `numbering` must be `auto` or `manual`, not `{given}`"),
                            )
                            .with_span(self.span(value))
                            .with_hint(
                                "`auto` numbers headings 一、（一）1.（1）; `manual` prints headings as written",
                            ),
                        ),
                    }
                }
            }
            "toc" => {
                if let Some(given) = self.single(name, key_span, value, diags) {
                    match given.as_str() {
                        "true" => meta.toc = true,
                        "false" => meta.toc = false,
                        _ => diags.push(
                            Diagnostic::error(
                                Code::FrontMatterField,
                                format!("front matter field `toc` must be `true` or `false`, not `{given}`"),
                            )
                            .with_span(self.span(value))
                            .with_hint(
                                "`toc: true` makes the document a 汇编: a cover, a 目录, and every `#` heading \
                                 starts an article (docs/collection.md)",
                            ),
                        ),
                    }
                }
            }
            "output" => {
                if let Some(given) = self.single(name, key_span, value, diags) {
                    meta.output = check_output(&given, self.span(value), diags);
                }
            }
            "allow" => {
                for code in self.lines(name, key_span, value, diags) {
                    if Code::is_lint_code(&code) {
                        meta.allow.push(code);
                    } else {
                        diags.push(
                            Diagnostic::error(
                                Code::FrontMatterField,
                                format!("front matter field `allow` names `{code}`, not a lint"),
                            )
                            .with_span(self.span(value))
                            .with_hint(format!("lints that can be allowed: {}", Code::lint_codes().join(", "))),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// A date field.
    fn date(&self, name: &str, key_span: &Span, value: &Located, diags: &mut Diags) -> Option<Date> {
        let given = self.single(name, key_span, value, diags)?;
        let date = Date::parse(&given);
        if date.is_none() {
            diags.push(
                Diagnostic::error(
                    Code::FrontMatterField,
                    format!("front matter field `{name}` is not a valid date: `{given}`"),
                )
                .with_span(self.span(value))
                .with_hint(
                    "write a real calendar date as YYYY-MM-DD, e.g. 2023-04-23 \
                     (2023/4/23 and 2023年4月23日 also work)",
                ),
            );
        }
        date
    }

    /// A string, or a list of strings: one output line each.
    fn lines(&self, name: &str, key_span: &Span, value: &Located, diags: &mut Diags) -> Vec<String> {
        let mut out = Vec::new();
        match &value.node {
            Node::Seq(items) => {
                for item in items {
                    match self.scalar_text(item) {
                        Some(text) if !text.trim().is_empty() => out.extend(split_lines(&text)),
                        Some(_) | None if matches!(item.node, Node::Null | Node::Str(_)) => diags.push(
                            Diagnostic::error(
                                Code::FrontMatterField,
                                format!("front matter field `{name}` has an empty item"),
                            )
                            .with_span(self.span(item))
                            .with_hint("remove the empty item or give it text"),
                        ),
                        _ => diags.push(
                            Diagnostic::error(
                                Code::FrontMatterField,
                                format!("items of front matter field `{name}` must be strings"),
                            )
                            .with_span(self.span(item))
                            .with_hint("write each item as plain text, one `- item` per line"),
                        ),
                    }
                }
            }
            Node::Map(_) => diags.push(
                Diagnostic::error(
                    Code::FrontMatterField,
                    format!("front matter field `{name}` must be a string or a list of strings"),
                )
                .with_span(non_empty_span(self.span(value), key_span))
                .with_hint("write `field: text` or a list of `- text` lines"),
            ),
            _ => match self.scalar_text(value) {
                Some(text) if !text.trim().is_empty() => out.extend(split_lines(&text)),
                _ => diags.push(empty_field(name, key_span)),
            },
        }
        out
    }

    /// A single string.
    fn single(&self, name: &str, key_span: &Span, value: &Located, diags: &mut Diags) -> Option<String> {
        match self.scalar_text(value) {
            Some(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
            Some(_) => {
                diags.push(empty_field(name, key_span));
                None
            }
            None => {
                let hint = if name == "recipient" {
                    "write one line of text; join several recipients with 、".to_string()
                } else {
                    format!("write `{name}: text` on one line")
                };
                diags.push(
                    Diagnostic::error(Code::FrontMatterField, format!("front matter field `{name}` must be a string"))
                        .with_span(non_empty_span(self.span(value), key_span))
                        .with_hint(hint),
                );
                None
            }
        }
    }
}

fn empty_field(name: &str, key_span: &Span) -> Diagnostic {
    Diagnostic::error(Code::FrontMatterField, format!("front matter field `{name}` is empty"))
        .with_span(key_span.clone())
        .with_hint("give it a value or delete the line")
}

/// Block collections report zero-width positions; the key is a better place to point at.
fn non_empty_span(span: Span, key_span: &Span) -> Span {
    if span.range.is_empty() { key_span.clone() } else { span }
}

/// The file stem an `output:` value names, checked by the rules every
/// output name follows (`output::check_name`); None when it breaks one.
fn check_output(given: &str, span: Span, diags: &mut Diags) -> Option<String> {
    let mut stem = given.trim().to_string();
    // Any format's extension, not only the one being built: `报告.pdf`
    // must not become `报告.pdf.docx`.
    if let Some((bare, ext)) = crate::output::strip_extension(&stem) {
        diags.push(
            Diagnostic::warning(
                Code::OutputName,
                format!("output name `{stem}` ends with `{ext}`; the extension is dropped"),
            )
            .with_span(span.clone())
            .with_hint("write the file stem only; each output format adds its own extension"),
        );
        stem = bare.to_string();
    }
    match crate::output::check_name(&stem) {
        Ok(()) => Some(stem),
        Err(message) => {
            diags.push(
                Diagnostic::error(Code::OutputName, message)
                    .with_span(span)
                    .with_hint("use a plain file stem such as 2023年工作总结, without folders or extension"),
            );
            None
        }
    }
}

/// The JSON Schema of the front matter (`wengao schema`, `$defs.front_matter`).
pub(crate) fn schema() -> serde_json::Value {
    use serde_json::json;
    let text = json!({"type": "string"});
    let lines = json!({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]});
    let date = json!({"type": "string", "pattern": r"^\d{4}([-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日)$"});
    let boolean = json!({"type": "boolean"});
    let described = |v: &serde_json::Value, d: &str| {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            o.insert("description".into(), json!(d));
        }
        v
    };
    let formats: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
    let props = json!({
        "title": described(&lines, "标题: one line, or the lines as broken"),
        "subtitle": described(&lines, "lines under the title"),
        "recipient": described(&text, "主送机关; the colon is added"),
        "signature": described(&lines, "署名: one line per body (default: issuer)"),
        "date": described(&date, "成文日期"),
        "attachments": described(&lines, "附件说明: attachment names"),
        "numbering": {"enum": ["auto", "manual"], "description": "heading numbers 一、（一）1.（1）"},
        "output": described(&text, "output file stem"),
        "allow": {"type": "array", "items": {"type": "string", "pattern": "^Q\\d{3}$"}, "description": "lints silenced"},
        "toc": described(&boolean, "a 汇编 with cover and 目录"),
        "author": described(&text, "document properties author"),
        "format": {"enum": formats, "description": "document 文件格式 (default once issuer is set), letter 信函格式, minutes 纪要格式, brief 简报"},
        "copy_no": {"type": "string", "pattern": "^\\d{6}$", "description": "份号, six digits"},
        "secrecy": {"type": "string", "pattern": "^(绝密|机密|秘密)", "description": "密级和保密期限 (秘密★1年)"},
        "urgency": {"enum": ["特急", "加急"], "description": "紧急程度"},
        "issuer": described(&lines, "发文机关; a list for 联合行文, the host first"),
        "issuer_mark": described(&text, "发文机关标志 (default: issuer + 文件)"),
        "doc_no": {"type": "string", "pattern": "〔\\d{4}〕\\d+号", "description": "发文字号, year in 〔〕"},
        "signers": described(&lines, "签发人 (上行文)"),
        "seal": described(&boolean, "加盖印章 (default true) or not: the spacing of 署名 and date"),
        "note": described(&text, "附注, printed in parentheses"),
        "cc": described(&lines, "抄送机关"),
        "printed_by": described(&text, "印发机关 (default: issuer)"),
        "printed_on": described(&date, "印发日期 (default: date)"),
        "present": described(&lines, "纪要: 出席, one unit or name per item"),
        "absent": described(&lines, "纪要: 请假"),
        "observers": described(&lines, "纪要: 列席"),
        "distribution": described(&lines, "简报: 报/送/发 lines, each with its label (报：…)"),
    });
    json!({
        "description": "The front matter of a template's rendered Markdown (docs/gongwen.md)",
        "type": "object",
        "properties": props,
        "additionalProperties": false,
    })
}
