//! Markup: rendered Markdown (with optional YAML front matter) → `doc::Document`.
//!
//! This stage runs after Tera has rendered a template to text and before the
//! writers in `write` lay the document out. It reads only the string it is
//! given (no I/O: image files are checked later) and knows no layout numbers;
//! it decides structure — title, headings and their 一、（一）1.（1） numbers,
//! paragraphs, lists, tables, images, page breaks — and reports every piece of
//! markup it cannot print faithfully as a diagnostic with a span into the
//! rendered text.

use std::ops::Range;

use crate::data::yaml::{self, Located, Node};
use crate::diag::{Code, Diagnostic, Diags, FileId, Span, offset_of_line_col};
use crate::doc::{Align, Article, Block, Date, Document, Inline, Meta, Numbering, RunStyle, Table, inline_text};
use crate::unicode::joins_without_space;
use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Parse rendered Markdown (optionally starting with `---` YAML front matter) into a Document.
///
/// `file` is the FileId under which `text` is registered in the caller's Sources, so spans
/// produced here are byte ranges into `text`. Returns the document (None only when errors make
/// it meaningless: unclosed or unparsable front matter) and all diagnostics (errors and
/// warnings). Never panics.
pub fn parse_document(text: &str, file: FileId) -> (Option<Document>, Diags) {
    let mut diags = Diags::new();
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };

    let (meta, body_start, meta_ok) = match split_front_matter(text, start) {
        FrontMatter::Absent => (Meta::default(), start, true),
        FrontMatter::Unclosed(open) => {
            diags.push(
                Diagnostic::error(Code::FrontMatterSyntax, "front matter is not closed")
                    .with_span(Span { file, range: open })
                    .with_hint("end the front matter with a line containing only `---`"),
            );
            return (None, diags);
        }
        FrontMatter::Block { content, body_start } => {
            let fm = FrontMatterCtx { base: content.start, fm: &text[content], file };
            match fm.parse(&mut diags) {
                Some(meta) => (meta, body_start, true),
                None => (Meta::default(), body_start, false),
            }
        }
    };

    let prepared = cjk_friendly_emphasis(&text[body_start..]);
    let mut body = Body::new(text.len(), &prepared, body_start, file, meta);
    body.run();
    let Body { meta, blocks, diags: body_diags, .. } = body;
    diags.extend(body_diags);
    let doc = Document { meta, blocks };
    if doc.meta.toc && doc.articles().next().is_none() {
        diags.push(
            Diagnostic::warning(Code::MarkupArticle, "`toc: true` but the document has no article: the 目录 is empty")
                .with_span(Span { file, range: body_start..text.len() })
                .with_hint("start each article of the collection with a `# 标题` line, or remove `toc: true`"),
        );
    }
    // With broken front matter the title may simply not have been read.
    if meta_ok && doc.blocks.is_empty() && doc.meta.title.is_empty() {
        diags.push(
            Diagnostic::warning(Code::MarkupEmpty, "document has no title and no body text")
                .with_span(Span { file, range: body_start..text.len() })
                .with_hint("check the template's conditions and loops: it rendered nothing to print"),
        );
    }
    (meta_ok.then_some(doc), diags)
}

/// Byte offset where the Markdown body starts: after the front matter when
/// there is a closed block, else 0 (lints search body text from here).
pub fn body_offset(text: &str) -> usize {
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    match split_front_matter(text, start) {
        FrontMatter::Block { body_start, .. } => body_start,
        FrontMatter::Absent | FrontMatter::Unclosed(_) => start,
    }
}

// ---------------------------------------------------------------------------
// Front matter
// ---------------------------------------------------------------------------

enum FrontMatter {
    Absent,
    /// Byte range of the opening `---` line.
    Unclosed(Range<usize>),
    Block {
        /// The YAML between the fences.
        content: Range<usize>,
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

fn split_front_matter(text: &str, start: usize) -> FrontMatter {
    // Tera tags such as `{% set %}` on the first template lines leave blank
    // lines before the fence; they should not turn front matter into body text.
    let mut lines = lines_from(text, start).skip_while(|&(s, e, _)| text[s..e].trim().is_empty());
    let Some((open_start, open_end, content_start)) = lines.next() else {
        return FrontMatter::Absent;
    };
    if !is_fence(&text[open_start..open_end]) {
        return FrontMatter::Absent;
    }
    for (s, e, full) in lines {
        if is_fence(&text[s..e]) {
            return FrontMatter::Block { content: content_start..s, body_start: full };
        }
    }
    FrontMatter::Unclosed(open_start..open_end)
}

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
];

struct FrontMatterCtx<'a> {
    /// Offset of the YAML in `text`.
    base: usize,
    fm: &'a str,
    file: FileId,
}

impl FrontMatterCtx<'_> {
    /// Where `node` is in the caller's text.
    fn span(&self, node: &Located) -> Span {
        let range = match &node.bytes {
            Some(bytes) => bytes.start.min(self.fm.len())..bytes.end.min(self.fm.len()),
            None => {
                let at = offset_of_line_col(self.fm, node.line as usize, node.column as usize);
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
                let written = node.bytes.clone().and_then(|bytes| self.fm.get(bytes));
                written.map(str::to_string).or_else(|| node.key_text())
            }
            Node::Null | Node::Seq(_) | Node::Map(_) => None,
        }
    }

    /// Parse the YAML into `Meta`; None when it is not YAML or not a mapping.
    fn parse(&self, diags: &mut Diags) -> Option<Meta> {
        // Read as data files are (`title: y` stays the letter y), except that
        // a repeated field is reported below with its own message.
        let root = match yaml::parse_fragment(self.fm) {
            Ok(root) => root,
            Err(e) => {
                let at = self.base + e.at.map_or(0, |(line, col)| offset_of_line_col(self.fm, line, col));
                diags.push(
                    Diagnostic::error(Code::FrontMatterSyntax, format!("front matter is not valid YAML: {}", e.message))
                    .with_span(Span { file: self.file, range: at..at })
                    .with_hint("write one `field: value` per line; quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!` or `#`"),
                );
                return None;
            }
        };
        let entries = match root.node {
            Node::Map(entries) => entries,
            Node::Null => return Some(Meta::default()),
            _ => {
                let span = Span { file: self.file, range: self.base..self.base + self.fm.len() };
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
                let mut d = Diagnostic::warning(
                    Code::FrontMatterField,
                    format!("unknown front matter field `{name}` is ignored"),
                )
                .with_span(key_span);
                // Field names are short words (3 to 11 letters): more than
                // two edits away, a name is another word, not a slip.
                if let Some(best) = crate::diag::closest(&name.to_lowercase(), FIELDS, 2) {
                    d = d.with_hint(format!("did you mean `{best}`?"));
                }
                diags.push(d.with_hint(format!("known fields are {}", FIELDS.join(", "))));
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
                diags.push(
                    Diagnostic::error(Code::FrontMatterField, format!("front matter field `{name}` is empty"))
                        .with_span(key_span)
                        .with_hint("give it a value or delete the line"),
                );
                continue;
            }
            match name.as_str() {
                "title" => meta.title = self.lines(&name, &key_span, value, diags),
                "subtitle" => meta.subtitle = self.lines(&name, &key_span, value, diags),
                "signature" => meta.signature = self.lines(&name, &key_span, value, diags),
                "attachments" => meta.attachments = self.lines(&name, &key_span, value, diags),
                "recipient" => meta.recipient = self.single(&name, &key_span, value, diags),
                "author" => meta.author = self.single(&name, &key_span, value, diags),
                "date" => {
                    if let Some(s) = self.single(&name, &key_span, value, diags) {
                        meta.date = Date::parse(&s);
                        if meta.date.is_none() {
                            diags.push(
                                Diagnostic::error(Code::FrontMatterField, format!("front matter field `date` is not a valid date: `{s}`"))
                                    .with_span(self.span(value))
                                    .with_hint("write a real calendar date as YYYY-MM-DD, e.g. 2023-04-23 (2023/4/23 and 2023年4月23日 also work)"),
                            );
                        }
                    }
                }
                "numbering" => {
                    if let Some(s) = self.single(&name, &key_span, value, diags) {
                        match s.to_ascii_lowercase().as_str() {
                            "auto" => meta.numbering = Numbering::Auto,
                            "manual" => meta.numbering = Numbering::Manual,
                            _ => diags.push(
                                Diagnostic::error(
                                    Code::FrontMatterField,
                                    format!("front matter field `numbering` must be `auto` or `manual`, not `{s}`"),
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
                    if let Some(s) = self.single(&name, &key_span, value, diags) {
                        match s.as_str() {
                            "true" => meta.toc = true,
                            "false" => meta.toc = false,
                            _ => diags.push(
                                Diagnostic::error(
                                    Code::FrontMatterField,
                                    format!("front matter field `toc` must be `true` or `false`, not `{s}`"),
                                )
                                .with_span(self.span(value))
                                .with_hint("`toc: true` makes the document a 汇编: a cover, a 目录, and every `#` heading starts an article (docs/collection.md)"),
                            ),
                        }
                    }
                }
                "output" => {
                    if let Some(s) = self.single(&name, &key_span, value, diags) {
                        meta.output = check_output(&s, self.span(value), diags);
                    }
                }
                "allow" => {
                    for code in self.lines(&name, &key_span, value, diags) {
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
        Some(meta)
    }

    /// A string, or a list of strings: one output line each.
    fn lines(&self, name: &str, key_span: &Span, value: &Located, diags: &mut Diags) -> Vec<String> {
        let mut out = Vec::new();
        match &value.node {
            Node::Seq(items) => {
                for item in items {
                    match self.scalar_text(item) {
                        Some(s) if !s.trim().is_empty() => out.extend(split_lines(&s)),
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
                Some(s) if !s.trim().is_empty() => out.extend(split_lines(&s)),
                _ => diags.push(empty_field(name, key_span)),
            },
        }
        out
    }

    /// A single string.
    fn single(&self, name: &str, key_span: &Span, value: &Located, diags: &mut Diags) -> Option<String> {
        match self.scalar_text(value) {
            Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
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

fn split_lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// Validate an `output:` stem; it becomes a file name inside the output folder on any OS.
fn check_output(s: &str, span: Span, diags: &mut Diags) -> Option<String> {
    let mut stem = s.trim().to_string();
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

// ---------------------------------------------------------------------------
// Body
// ---------------------------------------------------------------------------

/// Inline content before soft breaks are resolved: they need both neighbours.
#[derive(Debug, Clone)]
enum Piece {
    Text(String, RunStyle),
    Soft,
    Hard,
    Image { url: String, alt: String, title: String, range: Range<usize> },
}

/// An image being read: its url and title, alt text so far, where it is, and
/// the nesting depth of images inside its alt.
type ImageRead = ((String, String), String, Range<usize>, usize);

/// Where inline content ends up; decides what images and `\newpage` may become.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Paragraph,
    Heading,
    Cell,
}

/// The one list being built. Nested lists are flattened into it.
struct ListCtx {
    ordered: bool,
    start: u64,
    items: Vec<Vec<Inline>>,
    /// Content of the item being read.
    current: Vec<Inline>,
    /// Per open `Item` (nested ones included): did it get any content? Empty items are reported.
    filled: Vec<(bool, Range<usize>)>,
}

/// The parser's events, read as they are used (a long document's events
/// all at once were most of the memory its conversion took), with events
/// put back read again first.
struct Events<'a> {
    source: Box<dyn Iterator<Item = (Event<'a>, Range<usize>)> + 'a>,
    /// Put back, the next one last.
    back: Vec<(Event<'a>, Range<usize>)>,
}

impl<'a> Events<'a> {
    fn front(&mut self) -> Option<&(Event<'a>, Range<usize>)> {
        if self.back.is_empty() {
            self.back.extend(self.source.next());
        }
        self.back.last()
    }

    fn pop_front(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        self.back.pop().or_else(|| self.source.next())
    }

    fn push_front(&mut self, event: (Event<'a>, Range<usize>)) {
        self.back.push(event);
    }
}

struct Body<'a> {
    /// Length of the caller's text, to clamp spans.
    text_len: usize,
    /// The Markdown pulldown-cmark reads (the body with emphasis sentinels).
    md: &'a str,
    /// Offset of the body in the caller's text.
    base: usize,
    /// Where `md` has sentinels the caller's text lacks, to map ranges back.
    inserted: &'a [usize],
    sentinel_len: usize,
    file: FileId,
    events: Events<'a>,
    meta: Meta,
    blocks: Vec<Block>,
    diags: Diags,
    /// Front matter gave a title, so `#` is just a misplaced heading.
    fm_has_title: bool,
    /// No body block yet: a `#` here is (another line of) the title.
    title_open: bool,
    counters: [u32; 4],
    last_level: u8,
    /// The last block is an article title: a paragraph of `author:` lines may follow.
    author_open: bool,
    list: Option<ListCtx>,
    list_depth: usize,
    quote_depth: usize,
}

impl<'a> Body<'a> {
    fn new(text_len: usize, prepared: &'a Prepared, base: usize, file: FileId, meta: Meta) -> Self {
        let md = prepared.text.as_str();
        let events = Events {
            source: Box::new(
                Parser::new_ext(md, Options::ENABLE_TABLES)
                    .into_offset_iter()
                    .map(|(event, range)| (prepared.clean_event(event), range)),
            ),
            back: Vec::new(),
        };
        Body {
            text_len,
            md,
            inserted: &prepared.inserted,
            sentinel_len: prepared.sentinel.map_or(0, char::len_utf8),
            base,
            file,
            events,
            fm_has_title: !meta.title.is_empty(),
            meta,
            blocks: Vec::new(),
            diags: Diags::new(),
            title_open: true,
            counters: [0; 4],
            last_level: 0,
            author_open: false,
            list: None,
            list_depth: 0,
            quote_depth: 0,
        }
    }

    /// A pulldown-cmark range (in `md`) as a span in the caller's text.
    fn span(&self, range: &Range<usize>) -> Span {
        let map = |pos: usize| {
            let before = self.inserted.partition_point(|&p| p < pos);
            (self.base + pos - before * self.sentinel_len).min(self.text_len)
        };
        Span { file: self.file, range: map(range.start)..map(range.end) }
    }

    fn warn(&mut self, code: Code, message: impl Into<String>, range: &Range<usize>, hint: impl Into<String>) {
        let d = Diagnostic::warning(code, message).with_span(self.span(range)).with_hint(hint);
        self.diags.push(d);
    }

    fn run(&mut self) {
        while let Some((event, range)) = self.events.pop_front() {
            match event {
                Event::Start(Tag::Paragraph) => {
                    let pieces = self.inlines();
                    if self.list.is_none() && self.quote_depth == 0 && is_author_paragraph(&pieces) {
                        self.authors(&pieces, &range);
                        continue;
                    }
                    let blocks = self.finish(pieces, Ctx::Paragraph);
                    self.add_blocks(blocks);
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let pieces = self.inlines();
                    self.heading(level, pieces, &range);
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    if self.quote_depth == 0 {
                        self.warn(
                            Code::MarkupUnsupported,
                            "block quotes print as ordinary paragraphs",
                            &range,
                            "remove the leading `>` if this is body text",
                        );
                    }
                    self.quote_depth += 1;
                }
                Event::End(TagEnd::BlockQuote(_)) => self.quote_depth = self.quote_depth.saturating_sub(1),
                Event::Start(Tag::CodeBlock(_)) => self.code_block(&range),
                Event::Start(Tag::HtmlBlock) => self.html_block(&range),
                Event::Html(html) if !is_invisible_html(&html) => {
                    self.warn(Code::MarkupUnsupported, "raw HTML is dropped", &range, "use Markdown instead of HTML");
                }
                Event::Start(Tag::List(first)) => self.start_list(first, &range),
                Event::End(TagEnd::List(_)) => self.end_list(),
                Event::Start(Tag::Item) => self.start_item(&range),
                Event::End(TagEnd::Item) => self.end_item(),
                Event::Start(Tag::Table(align)) => self.table(align),
                Event::Rule => self.warn(
                    Code::MarkupUnsupported,
                    "a thematic break (`---`, `***`) in the body is ignored",
                    &range,
                    "remove it; write `\\newpage` alone on a line for a page break",
                ),
                Event::Start(Tag::FootnoteDefinition(_))
                | Event::Start(Tag::DefinitionList)
                | Event::Start(Tag::DefinitionListTitle)
                | Event::Start(Tag::DefinitionListDefinition)
                | Event::Start(Tag::MetadataBlock(_)) => {
                    // Not enabled in the parser options; their contents read as ordinary blocks.
                }
                ref e if is_inline(e) => {
                    // Tight list items hold inline content with no paragraph around it.
                    self.events.push_front((event, range.clone()));
                    let pieces = self.inlines();
                    let blocks = self.finish(pieces, Ctx::Paragraph);
                    self.add_blocks(blocks);
                }
                _ => {}
            }
        }
        // pulldown-cmark balances its tags; this only guards against a list left open.
        if self.list.is_some() {
            self.list_depth = 1;
            self.end_list();
        }
    }

    /// Read inline events up to (not including) the next block-level event.
    fn inlines(&mut self) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut bold = 0usize;
        let mut italic = 0usize;
        // Image being read: (url and title, alt text, range, nesting depth of images inside its alt).
        let mut image: Option<ImageRead> = None;
        while let Some((event, _)) = self.events.front() {
            if !is_inline(event) {
                break;
            }
            let Some((event, range)) = self.events.pop_front() else {
                break;
            };
            if let Some((_, alt, _, depth)) = &mut image {
                match event {
                    Event::Start(Tag::Image { .. }) => *depth += 1,
                    Event::End(TagEnd::Image) if *depth > 0 => *depth -= 1,
                    Event::End(TagEnd::Image) => {
                        if let Some(((url, title), alt, range, _)) = image.take() {
                            pieces.push(Piece::Image { url, alt: alt.trim().to_string(), title, range });
                        }
                    }
                    Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => alt.push_str(&t),
                    Event::SoftBreak | Event::HardBreak => alt.push(' '),
                    _ => {}
                }
                continue;
            }
            let style = RunStyle { bold: bold > 0, italic: italic > 0 };
            match event {
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                    pieces.push(Piece::Text(t.to_string(), style));
                }
                Event::SoftBreak => pieces.push(Piece::Soft),
                Event::HardBreak => pieces.push(Piece::Hard),
                Event::InlineHtml(html) => {
                    if is_br(&html) {
                        pieces.push(Piece::Hard);
                    } else if !is_invisible_html(&html) && !html.starts_with("</") {
                        let shown: String = html.chars().take(40).collect();
                        self.warn(
                            Code::MarkupUnsupported,
                            format!("raw HTML `{shown}` is dropped"),
                            &range,
                            "use Markdown instead of HTML; only `<br>` is understood (as a line break)",
                        );
                    }
                }
                Event::Start(Tag::Strong) => bold += 1,
                Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
                Event::Start(Tag::Emphasis) => italic += 1,
                Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
                Event::Start(Tag::Image { dest_url, title, .. }) => {
                    image = Some(((dest_url.to_string(), title.to_string()), String::new(), range, 0))
                }
                // Links print as their text; the URL has no place on paper.
                _ => {}
            }
        }
        if let Some(((url, title), alt, range, _)) = image {
            pieces.push(Piece::Image { url, alt, title, range });
        }
        pieces
    }

    /// Turn a paragraph's pieces into blocks: paragraphs, page breaks, images.
    fn finish(&mut self, pieces: Vec<Piece>, ctx: Ctx) -> Vec<Block> {
        let mut out = Vec::new();
        let segments = if ctx == Ctx::Paragraph { split_newpage(pieces) } else { vec![Some(pieces)] };
        for segment in segments {
            let Some(pieces) = segment else {
                out.push(Block::PageBreak);
                continue;
            };
            let has_image = pieces.iter().any(|p| matches!(p, Piece::Image { .. }));
            let only_images = pieces.iter().all(|p| match p {
                Piece::Text(t, _) => t.trim().is_empty(),
                _ => true,
            });
            if has_image && only_images && ctx == Ctx::Paragraph {
                for p in pieces {
                    if let Piece::Image { url, alt, title, range } = p {
                        match check_image_path(&url) {
                            Ok(src) => {
                                let caption = Some(title.trim().to_string()).filter(|t| !t.is_empty());
                                out.push(Block::Image { src, alt, caption })
                            }
                            Err((message, hint)) => {
                                let d = Diagnostic::error(Code::MarkupImage, message)
                                    .with_span(self.span(&range))
                                    .with_hint(hint);
                                self.diags.push(d);
                            }
                        }
                    }
                }
                continue;
            }
            let mut kept = Vec::with_capacity(pieces.len());
            for p in pieces {
                if let Piece::Image { range, .. } = &p {
                    let (message, hint) = match ctx {
                        Ctx::Paragraph => (
                            "an image inside a text paragraph is dropped",
                            "put the image alone in its own paragraph, with blank lines before and after",
                        ),
                        Ctx::Heading => (
                            "an image inside a heading is dropped",
                            "put the image in its own paragraph after the heading",
                        ),
                        Ctx::Cell => (
                            "an image inside a table cell is dropped",
                            "put the image in its own paragraph outside the table",
                        ),
                    };
                    let range = range.clone();
                    self.warn(Code::MarkupUnsupported, message, &range, hint);
                } else {
                    kept.push(p);
                }
            }
            let content = resolve(kept);
            if !content.is_empty() || ctx != Ctx::Paragraph {
                out.push(Block::Paragraph(content));
            }
        }
        out
    }

    /// Paragraph-level output: inside a list a paragraph joins the current item.
    fn add_blocks(&mut self, blocks: Vec<Block>) {
        for block in blocks {
            match block {
                Block::Paragraph(content) if self.list.is_some() => {
                    if let Some(list) = &mut self.list {
                        if !list.current.is_empty() {
                            list.current.push(Inline::LineBreak);
                        }
                        list.current.extend(content);
                        if let Some(last) = list.filled.last_mut() {
                            last.0 = true;
                        }
                    }
                }
                Block::Paragraph(content) if content.is_empty() => {}
                block => self.emit(block),
            }
        }
    }

    /// Add a body block. A list in progress is cut around it so block order is kept.
    fn emit(&mut self, block: Block) {
        self.title_open = false;
        self.author_open = false;
        self.cut_list();
        self.blocks.push(block);
    }

    fn cut_list(&mut self) {
        let Some(list) = &mut self.list else { return };
        if !list.current.is_empty() {
            let item = std::mem::take(&mut list.current);
            list.items.push(item);
        }
        if list.items.is_empty() {
            return;
        }
        let items = std::mem::take(&mut list.items);
        let start = list.start;
        list.start += items.len() as u64;
        self.blocks.push(Block::List { ordered: list.ordered, start, items });
    }

    fn start_list(&mut self, first: Option<u64>, range: &Range<usize>) {
        self.title_open = false;
        if self.list_depth == 0 {
            self.list = Some(ListCtx {
                ordered: first.is_some(),
                start: first.unwrap_or(1),
                items: Vec::new(),
                current: Vec::new(),
                filled: Vec::new(),
            });
        } else {
            self.warn(
                Code::MarkupUnsupported,
                "a nested list is flattened into its parent list",
                range,
                "official documents do not nest lists; use headings （一） 1. （1） or separate lists",
            );
        }
        self.list_depth += 1;
    }

    fn end_list(&mut self) {
        self.list_depth = self.list_depth.saturating_sub(1);
        if self.list_depth == 0 {
            self.cut_list();
            self.list = None;
        }
    }

    fn start_item(&mut self, range: &Range<usize>) {
        if let Some(list) = &mut self.list {
            // A parent item's own text ends where its nested list begins.
            if !list.current.is_empty() {
                let item = std::mem::take(&mut list.current);
                list.items.push(item);
            }
            list.filled.push((false, range.clone()));
        }
    }

    fn end_item(&mut self) {
        let Some(list) = &mut self.list else { return };
        if !list.current.is_empty() {
            let item = std::mem::take(&mut list.current);
            list.items.push(item);
        }
        let Some((filled, range)) = list.filled.pop() else {
            return;
        };
        if filled {
            if let Some(parent) = list.filled.last_mut() {
                parent.0 = true;
            }
        } else {
            self.warn(
                Code::MarkupUnsupported,
                "an empty list item is dropped",
                &range,
                "give the item text or remove the bullet (check the template loop that writes it)",
            );
        }
    }

    fn heading(&mut self, level: HeadingLevel, pieces: Vec<Piece>, range: &Range<usize>) {
        let content = match self.finish(pieces, Ctx::Heading).into_iter().next() {
            Some(Block::Paragraph(content)) => content,
            _ => Vec::new(),
        };
        let text = inline_text(&content);
        if text.trim().is_empty() {
            self.warn(
                Code::MarkupUnsupported,
                "an empty heading is dropped",
                range,
                "give the heading text or remove the `#` line",
            );
            return;
        }
        let source = self.md.get(range.clone()).unwrap_or("");
        let level = match level {
            HeadingLevel::H1 => {
                if self.title_open && !self.fm_has_title && self.list.is_none() {
                    self.meta.title.extend(split_lines(&text));
                    return;
                }
                if self.meta.toc {
                    self.article(&text);
                    return;
                }
                let why =
                    if self.fm_has_title { "the front matter already has a title" } else { "it comes after body text" };
                self.warn(
                    Code::MarkupUnsupported,
                    format!("`#` heading is printed as a level-1 heading because {why}"),
                    range,
                    "use `##` for level-1 headings; `#` is only for the title at the very top",
                );
                1
            }
            HeadingLevel::H2 => {
                if !source.trim_start().starts_with('#') {
                    self.warn(
                        Code::MarkupUnsupported,
                        "text underlined with `---` becomes a level-1 heading",
                        range,
                        "put a blank line before `---` if it was meant as a separator (it is ignored), or write `##` for a heading",
                    );
                }
                1
            }
            HeadingLevel::H3 => 2,
            HeadingLevel::H4 => 3,
            HeadingLevel::H5 => 4,
            HeadingLevel::H6 => {
                self.warn(
                    Code::MarkupUnsupported,
                    "`######` is deeper than the four heading levels of GB/T 9704; printed as level 4",
                    range,
                    "use `##` to `#####` for heading levels 1 to 4",
                );
                4
            }
        };
        if level > self.last_level + 1 {
            let message = if self.last_level == 0 {
                format!("the first heading is level {level}, not level 1")
            } else {
                format!("a level-{level} heading follows a level-{} heading", self.last_level)
            };
            self.warn(
                Code::MarkupUnsupported,
                message,
                range,
                "level 1 is `##`, level 2 `###`, level 3 `####`, level 4 `#####`; do not skip levels",
            );
        }
        self.last_level = level;
        let idx = usize::from(level - 1);
        self.counters[idx] += 1;
        for c in &mut self.counters[idx + 1..] {
            *c = 0;
        }
        let number = match self.meta.numbering {
            Numbering::Manual => None,
            Numbering::Auto => {
                if let Some(prefix) = existing_number(text.trim_start()) {
                    self.warn(
                        Code::MarkupUnsupported,
                        format!("heading already starts with the number `{prefix}`"),
                        range,
                        "remove the number or set `numbering: manual`",
                    );
                    None
                } else {
                    // GB/T 9704 §7.3.3: 一、 （一） 1. （1）. The level is 1–4 and
                    // the count at least 1, which is all `ordinal` asks.
                    crate::zh::ordinal(i64::from(self.counters[idx]), i64::from(level)).ok()
                }
            }
        };
        self.emit(Block::Heading { level, number, content });
    }

    /// `# 标题` in a collection: the next article starts. Heading numbers
    /// start again at 一、 in every article.
    fn article(&mut self, text: &str) {
        self.counters = [0; 4];
        self.last_level = 0;
        self.emit(Block::Article(Article { title: split_lines(text), authors: Vec::new() }));
        self.author_open = true;
    }

    /// A paragraph of `author:` lines: the author lines of the article whose
    /// title is right above; anywhere else, or malformed, an error (M006).
    fn authors(&mut self, pieces: &[Piece], range: &Range<usize>) {
        let mut authors = Vec::new();
        for line in piece_lines(pieces) {
            let line = line.trim();
            let Some(value) = strip_author_key(line) else {
                self.article_error(
                    format!("`{line}` is in a paragraph of `author:` lines but is not one"),
                    range,
                    "end the author lines with a blank line before the article's first paragraph",
                );
                return;
            };
            if value.is_empty() {
                self.article_error(
                    "an `author:` line names no author",
                    range,
                    "write the unit or the person after it, e.g. `author: 中共青溪县委办公室`, or delete the line",
                );
                return;
            }
            authors.push(value.to_string());
        }
        let article = match self.blocks.last_mut() {
            Some(Block::Article(a)) if self.author_open => a,
            _ => {
                let hint = if self.meta.toc {
                    "put the `author:` lines right under the article's `# 标题` line"
                } else {
                    "author lines belong to articles of a collection: add `toc: true` to the front matter and start each article with `# 标题`"
                };
                self.article_error("`author:` line is not under an article title", range, hint);
                return;
            }
        };
        article.authors = authors;
        self.author_open = false;
    }

    fn article_error(&mut self, message: impl Into<String>, range: &Range<usize>, hint: &str) {
        let d = Diagnostic::error(Code::MarkupArticle, message).with_span(self.span(range)).with_hint(hint);
        self.diags.push(d);
    }

    fn code_block(&mut self, range: &Range<usize>) {
        let mut code = String::new();
        while let Some((event, _)) = self.events.pop_front() {
            match event {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
        }
        self.warn(
            Code::MarkupUnsupported,
            "code blocks print as plain paragraphs",
            range,
            "remove the ``` fence, or the indentation: lines indented by four spaces form a code block",
        );
        let blocks: Vec<Block> = code
            .lines()
            .map(|l| l.trim_matches(|c: char| c.is_whitespace()))
            .filter(|l| !l.is_empty())
            .map(|l| Block::Paragraph(vec![Inline::plain(l)]))
            .collect();
        self.add_blocks(blocks);
    }

    fn html_block(&mut self, range: &Range<usize>) {
        let mut html = String::new();
        while let Some((event, _)) = self.events.pop_front() {
            match event {
                Event::End(TagEnd::HtmlBlock) => break,
                Event::Html(t) | Event::Text(t) => html.push_str(&t),
                _ => {}
            }
        }
        if !is_invisible_html(&html) {
            self.warn(
                Code::MarkupUnsupported,
                "a raw HTML block is dropped",
                range,
                "use Markdown instead of HTML; only `<br>` is understood (as a line break)",
            );
        }
    }

    fn table(&mut self, align: Vec<Alignment>) {
        let align: Vec<Align> = align
            .into_iter()
            .map(|a| match a {
                Alignment::None => Align::Default,
                Alignment::Left => Align::Left,
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
            })
            .collect();
        let mut header = Vec::new();
        let mut rows = Vec::new();
        let mut row: Vec<Vec<Inline>> = Vec::new();
        while let Some((event, _)) = self.events.pop_front() {
            match event {
                Event::End(TagEnd::Table) => break,
                Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => row.clear(),
                Event::End(TagEnd::TableHead) => header = std::mem::take(&mut row),
                Event::End(TagEnd::TableRow) => rows.push(std::mem::take(&mut row)),
                Event::Start(Tag::TableCell) => {
                    let pieces = self.inlines();
                    let cell = match self.finish(pieces, Ctx::Cell).into_iter().next() {
                        Some(Block::Paragraph(content)) => content,
                        _ => Vec::new(),
                    };
                    row.push(cell);
                }
                _ => {}
            }
        }
        // Writers index `align` by column, so every row gets exactly one cell per column.
        let columns = align.len().max(header.len());
        let mut align = align;
        align.resize(columns, Align::Default);
        header.resize(columns, Vec::new());
        for r in &mut rows {
            r.resize(columns, Vec::new());
        }
        self.emit(Block::Table(Table { align, header, rows }));
    }
}

/// The body as pulldown-cmark reads it, after the CJK emphasis pre-pass.
struct Prepared {
    text: String,
    /// The invisible whitespace inserted next to `**`; None when nothing was inserted.
    sentinel: Option<char>,
    /// Byte offsets in `text` of each inserted sentinel, ascending.
    inserted: Vec<usize>,
}

impl Prepared {
    /// Remove the sentinels from everything the document can show.
    fn clean_event<'a>(&self, event: Event<'a>) -> Event<'a> {
        let Some(sentinel) = self.sentinel else {
            return event;
        };
        let clean = |s: pulldown_cmark::CowStr<'a>| -> pulldown_cmark::CowStr<'a> {
            if s.contains(sentinel) { s.replace(sentinel, "").into() } else { s }
        };
        match event {
            Event::Text(t) => Event::Text(clean(t)),
            Event::Code(t) => Event::Code(clean(t)),
            Event::InlineMath(t) => Event::InlineMath(clean(t)),
            Event::DisplayMath(t) => Event::DisplayMath(clean(t)),
            Event::Html(t) => Event::Html(clean(t)),
            Event::InlineHtml(t) => Event::InlineHtml(clean(t)),
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Image { link_type, dest_url: clean(dest_url), title, id })
            }
            other => other,
        }
    }
}

/// Make `**` work in Chinese text.
///
/// CommonMark's flanking rules assume words separated by spaces: in
/// `**一是加强领导。**正文` the second `**` cannot close because it follows
/// punctuation (`。`) and precedes a letter (`正`), and in `文**“重点”**` the
/// first cannot open. Run-in leads like these are in nearly every 公文. Within
/// each paragraph, line, heading or table cell the `**` runs are taken to
/// alternate open/close; where a run cannot play its role, an invisible
/// whitespace character (one that does not occur in the body) is inserted on
/// its outer side, which satisfies the rules. `Prepared::clean_event` removes it
/// again and `Body::span` maps offsets back. `*`, `***` and `__` keep plain
/// CommonMark behaviour.
fn cjk_friendly_emphasis(body: &str) -> Prepared {
    const CANDIDATES: [char; 6] = ['\u{2005}', '\u{2006}', '\u{2008}', '\u{200A}', '\u{205F}', '\u{1680}'];
    let unchanged = || Prepared { text: body.to_string(), sentinel: None, inserted: Vec::new() };
    if !body.contains("**") {
        return unchanged();
    }
    let Some(sentinel) = CANDIDATES.into_iter().find(|c| !body.contains(*c)) else {
        return unchanged();
    };
    let maybe_punct = |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace());
    let is_space = |c: Option<char>| c.is_none_or(char::is_whitespace);

    let mut out = String::with_capacity(body.len() + 64);
    let mut inserted = Vec::new();
    let mut open = false;
    for line in body.split_inclusive('\n') {
        let lead = line.trim_start_matches([' ', '\t', '>']).trim_end();
        if lead.is_empty() || starts_new_inline_context(lead) {
            open = false;
        }
        let mut i = 0;
        while let Some(c) = line[i..].chars().next() {
            match c {
                '\\' => {
                    let n = line[i + 1..].chars().next().map_or(0, char::len_utf8);
                    out.push_str(&line[i..i + 1 + n]);
                    i += 1 + n;
                }
                '`' => {
                    // Skip a code span on this line: its `**` are literal.
                    let n = line[i..].len() - line[i..].trim_start_matches('`').len();
                    let fence = &line[i..i + n];
                    let rest = &line[i + n..];
                    let close = rest
                        .match_indices(fence)
                        .find(|&(j, _)| !rest[j + n..].starts_with('`') && (j == 0 || !rest[..j].ends_with('`')));
                    let end = close.map_or(i + n, |(j, _)| i + n + j + n);
                    out.push_str(&line[i..end]);
                    i = end;
                }
                '|' => {
                    open = false;
                    out.push('|');
                    i += 1;
                }
                '*' => {
                    let n = line[i..].len() - line[i..].trim_start_matches('*').len();
                    let prev = line[..i].chars().next_back();
                    let next = line[i + n..].chars().next().filter(|c| *c != '\n' && *c != '\r');
                    if n == 2 && !(is_space(prev) && is_space(next)) {
                        if !open && !is_space(prev) && maybe_punct(next) {
                            inserted.push(out.len());
                            out.push(sentinel);
                        }
                        out.push_str("**");
                        if open && !is_space(next) && maybe_punct(prev) {
                            inserted.push(out.len());
                            out.push(sentinel);
                        }
                        open = !open;
                    } else {
                        out.push_str(&line[i..i + n]);
                    }
                    i += n;
                }
                _ => {
                    out.push(c);
                    i += c.len_utf8();
                }
            }
        }
    }
    if inserted.is_empty() {
        return unchanged();
    }
    Prepared { text: out, sentinel: Some(sentinel), inserted }
}

/// Lines that start a heading, list item or fence: emphasis never continues into them.
fn starts_new_inline_context(lead: &str) -> bool {
    if lead.starts_with(['#', '-', '+']) || lead.starts_with("```") || lead.starts_with("~~~") || lead.starts_with("* ")
    {
        return true;
    }
    let digits = lead.len() - lead.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && lead[digits..].starts_with(['.', ')'])
}

fn is_inline(event: &Event) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::InlineHtml(_)
        | Event::FootnoteReference(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::TaskListMarker(_) => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

fn is_br(html: &str) -> bool {
    let inner = html.trim().trim_start_matches('<').trim_end_matches('>').trim_end_matches('/').trim();
    inner.eq_ignore_ascii_case("br")
}

/// HTML that shows nothing in any renderer (comments, `<br>` between blocks) is dropped without a warning.
fn is_invisible_html(html: &str) -> bool {
    let mut rest = html;
    let mut visible = String::new();
    while let Some(i) = rest.find("<!--") {
        visible.push_str(&rest[..i]);
        match rest[i..].find("-->") {
            Some(j) => rest = &rest[i + j + 3..],
            None => {
                rest = "";
            }
        }
    }
    visible.push_str(rest);
    visible.split_inclusive('>').all(|part| {
        let part = part.trim();
        part.is_empty() || is_br(part)
    })
}

/// The key that starts an author line of a collection's article.
const AUTHOR_KEY: &str = "author";

/// The value of an `author:` line (`author：` with a full-width colon too), or None.
fn strip_author_key(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(AUTHOR_KEY)?.trim_start();
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：')).map(str::trim)
}

/// Does the paragraph start with an `author:` line?
fn is_author_paragraph(pieces: &[Piece]) -> bool {
    piece_lines(pieces).first().is_some_and(|l| strip_author_key(l.trim()).is_some())
}

/// The paragraph's text, one string per source line (emphasis dropped).
fn piece_lines(pieces: &[Piece]) -> Vec<String> {
    let mut lines = vec![String::new()];
    for p in pieces {
        match p {
            Piece::Text(t, _) => {
                if let Some(l) = lines.last_mut() {
                    l.push_str(t);
                }
            }
            Piece::Soft | Piece::Hard => lines.push(String::new()),
            Piece::Image { .. } => {}
        }
    }
    lines
}

/// Split a paragraph at lines that are exactly `\newpage`; `None` marks a page break.
fn split_newpage(pieces: Vec<Piece>) -> Vec<Option<Vec<Piece>>> {
    let mut lines: Vec<(Vec<Piece>, Option<Piece>)> = Vec::new();
    let mut line = Vec::new();
    for p in pieces {
        if matches!(p, Piece::Soft | Piece::Hard) {
            lines.push((std::mem::take(&mut line), Some(p)));
        } else {
            line.push(p);
        }
    }
    lines.push((line, None));

    let mut out = Vec::new();
    let mut current = Vec::new();
    for (line, brk) in lines {
        let is_newpage = !line.is_empty()
            && line.iter().all(|p| matches!(p, Piece::Text(..)))
            && line.iter().map(|p| if let Piece::Text(t, _) = p { t.as_str() } else { "" }).collect::<String>().trim()
                == "\\newpage";
        if is_newpage {
            out.push(Some(std::mem::take(&mut current)));
            out.push(None);
        } else {
            current.extend(line);
            current.extend(brk);
        }
    }
    out.push(Some(current));
    out.retain(|seg| seg.as_ref().is_none_or(|p| p.iter().any(|p| !matches!(p, Piece::Soft | Piece::Hard))));
    out
}

/// Resolve soft breaks, merge runs of equal style and trim the ends.
fn resolve(pieces: Vec<Piece>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut pieces = pieces.into_iter().peekable();
    while let Some(p) = pieces.next() {
        match p {
            Piece::Text(t, style) => push_run(&mut out, &t, style),
            Piece::Hard => {
                trim_last_run(&mut out);
                out.push(Inline::LineBreak);
            }
            Piece::Soft => {
                trim_last_run(&mut out);
                let prev = match out.last() {
                    Some(Inline::Text { text, style }) => text.chars().next_back().map(|c| (c, *style)),
                    _ => None,
                };
                let next = pieces.peek().and_then(|p| match p {
                    Piece::Text(t, _) => t.trim_start_matches([' ', '\t']).chars().next(),
                    _ => None,
                });
                if let (Some((prev, style)), Some(next)) = (prev, next)
                    && !joins_without_space(prev)
                    && !joins_without_space(next)
                    && !prev.is_whitespace()
                {
                    push_run(&mut out, " ", style);
                }
            }
            Piece::Image { .. } => {}
        }
    }
    trim_inlines(&mut out);
    out
}

fn push_run(out: &mut Vec<Inline>, text: &str, style: RunStyle) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text { text: last, style: last_style }) = out.last_mut()
        && *last_style == style
    {
        last.push_str(text);
        return;
    }
    out.push(Inline::Text { text: text.to_string(), style });
}

fn trim_last_run(out: &mut Vec<Inline>) {
    if let Some(Inline::Text { text, .. }) = out.last_mut() {
        let len = text.trim_end_matches([' ', '\t']).len();
        text.truncate(len);
        if text.is_empty() {
            out.pop();
        }
    }
}

/// Trim whitespace (full-width spaces authors type for indentation included) and
/// line breaks from both ends: the writers indent and space paragraphs themselves.
fn trim_inlines(out: &mut Vec<Inline>) {
    loop {
        match out.first_mut() {
            Some(Inline::LineBreak) => {
                out.remove(0);
            }
            Some(Inline::Text { text, .. }) => {
                let trimmed = text.trim_start();
                if trimmed.is_empty() {
                    out.remove(0);
                } else {
                    *text = trimmed.to_string();
                    break;
                }
            }
            None => break,
        }
    }
    loop {
        match out.last_mut() {
            Some(Inline::LineBreak) => {
                out.pop();
            }
            Some(Inline::Text { text, .. }) => {
                let len = text.trim_end().len();
                if len == 0 {
                    out.pop();
                } else {
                    text.truncate(len);
                    break;
                }
            }
            None => break,
        }
    }
}

/// Check an image path: relative, inside the project, no URL; returns it with `/` separators.
fn check_image_path(url: &str) -> Result<String, (String, String)> {
    let relative_hint =
        "copy the image into the project folder and refer to it by a relative path such as images/chart.png";
    let url = url.trim();
    if url.is_empty() {
        return Err(("image has no path".to_string(), "write `![caption](images/file.png)`".to_string()));
    }
    match crate::chart::ChartSpec::from_url(url) {
        Some(Ok(_)) => return Ok(url.to_string()),
        Some(Err(e)) => {
            return Err((
                format!("chart image {e}"),
                "write charts with the template function `chart()`, not by hand".to_string(),
            ));
        }
        None => {}
    }
    let scheme_len = url.find(':').filter(|&i| {
        i > 0
            && url[..i].starts_with(|c: char| c.is_ascii_alphabetic())
            && url[..i].chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    match scheme_len {
        Some(1) => {
            return Err((format!("image path `{url}` is absolute"), relative_hint.to_string()));
        }
        Some(_) => {
            return Err((format!("image path `{url}` is a URL, not a file in the project"), relative_hint.to_string()));
        }
        None => {}
    }
    if url.starts_with(['/', '\\', '~']) {
        return Err((format!("image path `{url}` is absolute"), relative_hint.to_string()));
    }
    let parts: Vec<&str> = url.split(['/', '\\']).filter(|p| !p.is_empty() && *p != ".").collect();
    if parts.contains(&"..") {
        return Err((format!("image path `{url}` leaves the project folder (`..`)"), relative_hint.to_string()));
    }
    if parts.is_empty() {
        return Err((format!("image path `{url}` names no file"), "write `![caption](images/file.png)`".to_string()));
    }
    Ok(parts.join("/"))
}

/// The number a heading already starts with, if any: 一、 （二） (3) 4. 5、 第一章 1.1
fn existing_number(s: &str) -> Option<&str> {
    let cn = |c: char| "一二三四五六七八九十百零〇两".contains(c);
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let first = s.chars().next()?;
    let end_of = |rest: &str, pred: &dyn Fn(char) -> bool| rest.find(|c: char| !pred(c)).unwrap_or(rest.len());

    if cn(first) {
        let n = end_of(s, &cn);
        return s[n..].starts_with('、').then(|| &s[..n + '、'.len_utf8()]);
    }
    if first == '（' || first == '(' {
        let inner = &s[first.len_utf8()..];
        let n = end_of(inner, &|c| cn(c) || digit(c));
        if n == 0 {
            return None;
        }
        let close = inner[n..].chars().next()?;
        return matches!(close, '）' | ')').then(|| &s[..first.len_utf8() + n + close.len_utf8()]);
    }
    if digit(first) {
        let n = end_of(s, &digit);
        let sep = s[n..].chars().next()?;
        if !matches!(sep, '.' | '．' | '、') {
            return None;
        }
        let after = &s[n + sep.len_utf8()..];
        if after.starts_with(digit) {
            // "1.1 概述" is a decimal section number; "1.5倍" is a quantity.
            let m = end_of(after, &|c| digit(c) || c == '.');
            let tail = &after[m..];
            return (tail.is_empty() || tail.starts_with(char::is_whitespace)).then(|| &s[..n + sep.len_utf8() + m]);
        }
        return Some(&s[..n + sep.len_utf8()]);
    }
    if first == '第' {
        let inner = &s[first.len_utf8()..];
        let n = end_of(inner, &|c| cn(c) || digit(c));
        if n == 0 {
            return None;
        }
        let unit = ["部分", "章", "节", "篇", "条"].into_iter().find(|u| inner[n..].starts_with(u))?;
        return Some(&s[..first.len_utf8() + n + unit.len()]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Severity, Sources};

    fn parse(text: &str) -> (Option<Document>, Diags) {
        parse_document(text, FileId(0))
    }

    fn doc(text: &str) -> Document {
        let (doc, diags) = parse(text);
        assert!(!diags.has_errors(), "unexpected errors: {diags:?}");
        doc.expect("document")
    }

    fn codes(diags: &Diags) -> Vec<(Severity, &'static str)> {
        diags.iter().map(|d| (d.severity, d.code.as_str())).collect()
    }

    fn has(diags: &Diags, severity: Severity, code: Code, needle: &str) -> bool {
        diags.iter().any(|d| d.severity == severity && d.code == code && d.message.contains(needle))
    }

    fn paragraph_text(doc: &Document, i: usize) -> String {
        match doc.blocks.get(i) {
            Some(Block::Paragraph(c)) => inline_text(c),
            other => format!("<block {i} is not a paragraph: {other:?}>"),
        }
    }

    fn list_items(block: &Block) -> &[Vec<Inline>] {
        match block {
            Block::List { items, .. } => items,
            _ => &[],
        }
    }

    fn table(block: &Block) -> Table {
        match block {
            Block::Table(t) => t.clone(),
            _ => Table::default(),
        }
    }

    fn headings(doc: &Document) -> Vec<(u8, Option<String>, String)> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, number, content } => Some((*level, number.clone(), inline_text(content))),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn front_matter_string_and_list_fields() {
        let d = doc(
            "---\ntitle: 县委支持政协工作经验材料\nsubtitle: [中共××县委办公室]\nrecipient: 各乡镇党委\nsignature:\n  - 中共××县委\n  - ××县人民政府\ndate: 2023-04-23\nattachments: 统计表\nnumbering: manual\noutput: 经验材料\n---\n正文\n",
        );
        assert_eq!(d.meta.title, vec!["县委支持政协工作经验材料"]);
        assert_eq!(d.meta.subtitle, vec!["中共××县委办公室"]);
        assert_eq!(d.meta.recipient.as_deref(), Some("各乡镇党委"));
        assert_eq!(d.meta.signature, vec!["中共××县委", "××县人民政府"]);
        assert_eq!(d.meta.date, Some(Date { year: 2023, month: 4, day: 23 }));
        assert_eq!(d.meta.attachments, vec!["统计表"]);
        assert_eq!(d.meta.numbering, Numbering::Manual);
        assert_eq!(d.meta.output.as_deref(), Some("经验材料"));
        assert_eq!(d.blocks, vec![Block::Paragraph(vec![Inline::plain("正文")])]);

        let d = doc("---\ntitle:\n  - 关于进一步加强\n  - 政协工作的意见\n---\n");
        assert_eq!(d.meta.title, vec!["关于进一步加强", "政协工作的意见"]);
        let d = doc("---\ntitle: |\n  第一行\n  第二行\n---\nx\n");
        assert_eq!(d.meta.title, vec!["第一行", "第二行"]);
    }

    #[test]
    fn front_matter_scalars_keep_source_text() {
        let d = doc("---\ntitle: y\noutput: 007\nsubtitle: 1.50\n---\nx\n");
        assert_eq!(d.meta.title, vec!["y"]);
        assert_eq!(d.meta.output.as_deref(), Some("007"));
        assert_eq!(d.meta.subtitle, vec!["1.50"]);
    }

    #[test]
    fn front_matter_date_formats() {
        for s in ["2023-04-23", "2023/4/23", "2023年4月23日", "'2023-04-23'"] {
            let d = doc(&format!("---\ndate: {s}\n---\nx\n"));
            assert_eq!(d.meta.date, Some(Date { year: 2023, month: 4, day: 23 }), "{s}");
        }
        let d = doc("---\ndate: 2024-02-29\n---\nx\n");
        assert_eq!(d.meta.date, Some(Date { year: 2024, month: 2, day: 29 }));
    }

    #[test]
    fn front_matter_bad_date_points_at_value() {
        let text = "---\ntitle: t\ndate: 2023-02-30\n---\nx\n";
        let (doc, diags) = parse(text);
        assert!(doc.is_some(), "field errors keep the document");
        let d = diags.iter().find(|d| d.code == Code::FrontMatterField).expect("date error");
        assert!(d.is_error());
        assert!(d.message.contains("2023-02-30"), "{}", d.message);
        let span = d.span.clone().expect("span");
        assert_eq!(&text[span.range], "2023-02-30");
        assert!(!d.hints.is_empty());
    }

    #[test]
    fn front_matter_unknown_field_warns_with_suggestion() {
        let text = "---\ntitel: x\n---\n正文\n";
        let (doc, diags) = parse(text);
        assert!(doc.is_some());
        assert!(!diags.has_errors());
        let d = diags.iter().find(|d| d.code == Code::FrontMatterField).expect("warning");
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.message.contains("`titel`"));
        assert!(d.hints.iter().any(|h| h.contains("`title`")), "{:?}", d.hints);
        assert!(d.hints.iter().any(|h| h.contains("attachments")), "{:?}", d.hints);
        assert_eq!(&text[d.span.clone().expect("span").range], "titel");
    }

    #[test]
    fn front_matter_null_wrong_type_and_duplicates() {
        let text = "---\ntitle:\nrecipient: [a, b]\nsignature: {a: 1}\nattachments: [x, [y]]\nnumbering: roman\ndate: 2023-01-01\ndate: 2023-01-02\n---\nx\n";
        let (doc, diags) = parse(text);
        assert!(doc.is_some());
        assert!(has(&diags, Severity::Error, Code::FrontMatterField, "field `title` is empty"), "{diags:?}");
        assert!(has(&diags, Severity::Error, Code::FrontMatterField, "`recipient` must be a string"));
        assert!(has(&diags, Severity::Error, Code::FrontMatterField, "`signature` must be a string or a list"));
        assert!(has(&diags, Severity::Error, Code::FrontMatterField, "items of front matter field `attachments`"));
        assert!(has(&diags, Severity::Error, Code::FrontMatterField, "`numbering` must be `auto` or `manual`"));
        assert!(has(&diags, Severity::Error, Code::FrontMatterField, "`date` is given twice"));
        let title = diags.iter().find(|d| d.message.contains("`title` is empty")).expect("title");
        assert_eq!(&text[title.span.clone().expect("span").range], "title");
        let recipient = diags.iter().find(|d| d.message.contains("`recipient`")).expect("recipient");
        assert!(text[recipient.span.clone().expect("span").range].starts_with('['));
    }

    #[test]
    fn front_matter_output_names() {
        for bad in ["../x", "a/b", "a\\b", ".hidden", "a:b", "a|b", "con", "x\\ty"] {
            let (_, diags) = parse(&format!("---\noutput: \"{bad}\"\n---\nx\n"));
            assert!(has(&diags, Severity::Error, Code::OutputName, "output name"), "{bad}: {diags:?}");
        }
        let (_, diags) = parse("---\noutput: \"\"\n---\nx\n");
        assert!(diags.has_errors());
        // Every format's extension is dropped, whatever is being built:
        // `报告.pdf` must not become `报告.pdf.docx`.
        for name in ["报告.docx", "报告.pdf", "报告.PDF", "报告.html", "报告.htm", "报告.md", "报告.txt"]
        {
            let (doc, diags) = parse(&format!("---\noutput: {name}\n---\nx\n"));
            assert_eq!(doc.expect("doc").meta.output.as_deref(), Some("报告"), "{name}");
            assert!(has(&diags, Severity::Warning, Code::OutputName, "extension"), "{name}");
        }
        // A stem that merely contains a dot keeps it.
        let (doc, _) = parse("---\noutput: 2023.12总结\n---\nx\n");
        assert_eq!(doc.expect("doc").meta.output.as_deref(), Some("2023.12总结"));
    }

    #[test]
    fn front_matter_syntax_error_position() {
        let text = "---\ntitle: 标题\nsubtitle: [a\nb: 1\n---\n正文\n";
        let mut sources = Sources::new();
        let id = sources.add("doc.md", text);
        let (doc, diags) = parse_document(text, id);
        assert!(doc.is_none());
        let d = diags.iter().find(|d| d.code == Code::FrontMatterSyntax).expect("syntax error");
        assert!(d.is_error());
        assert!(d.message.starts_with("front matter is not valid YAML: "), "{}", d.message);
        assert!(!d.message.contains(" at line "), "{}", d.message);
        let span = d.span.clone().expect("span");
        let (line, col) = sources.get(id).expect("file").line_col(span.range.start);
        // serde-saphyr reports the stray `:` on YAML line 3, column 2; the fence adds a line.
        assert_eq!((line, col), (4, 2));
    }

    #[test]
    fn front_matter_unclosed_and_not_a_mapping() {
        let (doc, diags) = parse("---\ntitle: x\n\n正文\n");
        assert!(doc.is_none());
        assert!(has(&diags, Severity::Error, Code::FrontMatterSyntax, "not closed"));
        assert_eq!(diags.iter().next().and_then(|d| d.span.clone()).map(|s| s.range), Some(0..3));

        let (doc, diags) = parse("---\n- a\n- b\n---\nx\n");
        assert!(doc.is_none());
        assert!(has(&diags, Severity::Error, Code::FrontMatterSyntax, "not a mapping"));

        let d = doc_ok("---\n---\n正文\n");
        assert!(d.meta.title.is_empty());
        let d = doc_ok("---\n# only a comment\n---\n正文\n");
        assert_eq!(d.blocks.len(), 1);
    }

    fn doc_ok(text: &str) -> Document {
        doc(text)
    }

    #[test]
    fn front_matter_bom_crlf_and_leading_blank_lines() {
        let text = "\u{feff}---\r\ntitle: 标题\r\ndate: 2023-4-3\r\n---\r\n第一段\r\n第二行\r\n";
        let d = doc(text);
        assert_eq!(d.meta.title, vec!["标题"]);
        assert_eq!(d.meta.date, Some(Date { year: 2023, month: 4, day: 3 }));
        assert_eq!(d.blocks, vec![Block::Paragraph(vec![Inline::plain("第一段第二行")])]);

        let text = "\u{feff}---\r\ndate: 2023-13-01\r\n---\r\nx\r\n";
        let (_, diags) = parse(text);
        let span = diags.iter().find(|d| d.code == Code::FrontMatterField).and_then(|d| d.span.clone()).expect("span");
        assert_eq!(&text[span.range], "2023-13-01");

        let d = doc("\n\n---\ntitle: 标题\n---\nx\n");
        assert_eq!(d.meta.title, vec!["标题"]);
    }

    #[test]
    fn soft_breaks_join_cjk_and_space_latin() {
        let d = doc(
            "县委\n政协\n\nhello\nworld\n\n2023年\nABC\n\n12\n34\n\nABC\n县委\n\n全面\n**加强**\n领导\n\n他说：\n“好”\n",
        );
        assert_eq!(paragraph_text(&d, 0), "县委政协");
        assert_eq!(paragraph_text(&d, 1), "hello world");
        assert_eq!(paragraph_text(&d, 2), "2023年ABC");
        assert_eq!(paragraph_text(&d, 3), "12 34");
        assert_eq!(paragraph_text(&d, 4), "ABC县委");
        assert_eq!(
            d.blocks[5],
            Block::Paragraph(vec![Inline::plain("全面"), Inline::bold("加强"), Inline::plain("领导")])
        );
        assert_eq!(paragraph_text(&d, 6), "他说：“好”");
    }

    #[test]
    fn hard_breaks_code_links_and_trimming() {
        let d = doc("　　第一行  \n第二行\\\n第三行<br>第四行<br/>end\n\n用 `code` 和 [链接](http://x.cn) 写\n");
        assert_eq!(
            d.blocks[0],
            Block::Paragraph(vec![
                Inline::plain("第一行"),
                Inline::LineBreak,
                Inline::plain("第二行"),
                Inline::LineBreak,
                Inline::plain("第三行"),
                Inline::LineBreak,
                Inline::plain("第四行"),
                Inline::LineBreak,
                Inline::plain("end"),
            ])
        );
        assert_eq!(d.blocks[1], Block::Paragraph(vec![Inline::plain("用 code 和 链接 写")]));
    }

    #[test]
    fn bold_run_in_lead_and_italic() {
        let d = doc("**一是加强领导。**正文内容，*强调*。\n");
        assert_eq!(
            d.blocks,
            vec![Block::Paragraph(vec![
                Inline::bold("一是加强领导。"),
                Inline::plain("正文内容，"),
                Inline::Text { text: "强调".into(), style: RunStyle { bold: false, italic: true } },
                Inline::plain("。"),
            ])]
        );
        let d = doc("**a**__b__\n");
        assert_eq!(d.blocks, vec![Block::Paragraph(vec![Inline::bold("ab")])]);
    }

    #[test]
    fn bold_next_to_cjk_punctuation() {
        let d = doc(
            "正文**“重点”**内容，**（一）**再起。\n\n- **一是。**甲\n- **二是。**乙\n\n| **合计。**后 |\n|---|\n| **x。**y |\n",
        );
        assert_eq!(
            d.blocks[0],
            Block::Paragraph(vec![
                Inline::plain("正文"),
                Inline::bold("“重点”"),
                Inline::plain("内容，"),
                Inline::bold("（一）"),
                Inline::plain("再起。"),
            ])
        );
        let items = list_items(&d.blocks[1]);
        assert_eq!(items[1], vec![Inline::bold("二是。"), Inline::plain("乙")]);
        let t = table(&d.blocks[2]);
        assert_eq!(t.header[0], vec![Inline::bold("合计。"), Inline::plain("后")]);
        assert_eq!(t.rows[0][0], vec![Inline::bold("x。"), Inline::plain("y")]);

        // Code spans stay literal, and an unpaired `**` stays text.
        let d = doc("`a。**b` 与 **一是。**正文\n\n只有**一个\n");
        assert_eq!(
            d.blocks[0],
            Block::Paragraph(vec![Inline::plain("a。**b 与 "), Inline::bold("一是。"), Inline::plain("正文")])
        );
        assert_eq!(paragraph_text(&d, 1), "只有**一个");
    }

    #[test]
    fn spans_survive_the_emphasis_pre_pass() {
        let text = "**一是。**正文**“甲”**乙<span>丙</span>\n";
        let (_, diags) = parse(text);
        let d = diags.iter().find(|d| d.message.contains("HTML")).expect("html warning");
        assert_eq!(&text[d.span.clone().expect("span").range], "<span>");
    }

    #[test]
    fn auto_numbering_sequence_with_resets() {
        let d = doc(
            "---\ntitle: t\n---\n## 甲\n### 乙\n### 丙\n## 丁\n### 戊\n#### 己\n##### 庚\n##### 辛\n#### 壬\n## 癸\n",
        );
        let h = headings(&d);
        let numbers: Vec<&str> = h.iter().map(|(_, n, _)| n.as_deref().unwrap_or("-")).collect();
        assert_eq!(numbers, vec!["一、", "（一）", "（二）", "二、", "（一）", "1.", "（1）", "（2）", "2.", "三、"]);
        let levels: Vec<u8> = h.iter().map(|(l, _, _)| *l).collect();
        assert_eq!(levels, vec![1, 2, 2, 1, 2, 3, 4, 4, 3, 1]);
        assert_eq!(h[0].2, "甲");
    }

    #[test]
    fn chinese_numerals_for_heading_numbers() {
        let many: String = (1..=101).map(|i| format!("## 节{i}\n### 小节\n")).collect();
        let d = doc(&format!("---\ntitle: t\n---\n{many}"));
        let numbers: Vec<String> = headings(&d).into_iter().filter_map(|(_, n, _)| n).collect();
        assert_eq!(numbers[0], "一、");
        assert_eq!(numbers[1], "（一）");
        assert_eq!(numbers[2 * 11 + 1], "（一）");
        assert_eq!(numbers[2 * 11], "十二、");
        assert_eq!(numbers[2 * 99], "一百、", "as the ordinal filter writes it");
        assert_eq!(numbers[2 * 100], "一百零一、");
    }

    #[test]
    fn manual_numbering_and_already_numbered_headings() {
        let d = doc("---\nnumbering: manual\n---\n## 一、总体情况\n### （一）基本情况\n");
        assert!(headings(&d).iter().all(|(_, n, _)| n.is_none()));

        let (doc, diags) = parse(
            "## 一、总体情况\n## （二）做法\n## 3. 成效\n## (4) 问题\n## 第一部分 概述\n## 1.1 概述\n## 1.5倍增长\n## 2023年工作\n",
        );
        let h = headings(&doc.expect("doc"));
        let numbers: Vec<Option<&str>> = h.iter().map(|(_, n, _)| n.as_deref()).collect();
        assert_eq!(numbers, vec![None, None, None, None, None, None, Some("七、"), Some("八、")]);
        let warned = diags.iter().filter(|d| d.message.contains("already starts with")).count();
        assert_eq!(warned, 6);
        assert!(
            diags
                .iter()
                .filter(|d| d.message.contains("already starts with"))
                .all(|d| d.hints.iter().any(|h| h.contains("numbering: manual")))
        );
    }

    #[test]
    fn hash_heading_is_title_or_level_one() {
        let d = doc("# 关于加强\n# 工作的通知\n\n正文\n");
        assert_eq!(d.meta.title, vec!["关于加强", "工作的通知"]);
        assert_eq!(d.blocks.len(), 1);

        let (doc, diags) = parse("---\ntitle: t\n---\n# 标题\n");
        assert_eq!(headings(&doc.expect("doc")), vec![(1, Some("一、".to_string()), "标题".to_string())]);
        assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "front matter already has a title"));

        let (doc, diags) = parse("正文\n\n# 迟到的标题\n");
        let doc = doc.expect("doc");
        assert!(doc.meta.title.is_empty());
        assert_eq!(headings(&doc)[0].0, 1);
        assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "after body text"));

        let (doc, diags) = parse("## 一级\n###### 太深\n");
        assert_eq!(headings(&doc.expect("doc"))[1].0, 4);
        assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "######"));
        assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "level-4 heading follows a level-1"));
    }

    #[test]
    fn setext_underline_warns() {
        let (doc, diags) = parse("正文\n---\n");
        assert_eq!(headings(&doc.expect("doc")).len(), 1);
        assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "underlined"));
    }

    #[test]
    fn tables() {
        let d = doc("| 项目 | 数量 | 备注 |\n|:-----|----:|:---:|\n| 提案 | **12** | 已办 |\n| 建议 |\n");
        let t = table(&d.blocks[0]);
        assert_eq!(t.align, vec![Align::Left, Align::Right, Align::Center]);
        assert_eq!(
            t.header,
            vec![vec![Inline::plain("项目")], vec![Inline::plain("数量")], vec![Inline::plain("备注")]]
        );
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][1], vec![Inline::bold("12")]);
        assert_eq!(t.rows[1].len(), 3);
        assert!(t.rows[1][2].is_empty());
    }

    #[test]
    fn lists_tight_loose_and_nested() {
        let d = doc("- 甲\n- 乙\n\n3. 丙\n\n   续\n4. 丁\n");
        assert_eq!(
            d.blocks,
            vec![
                Block::List {
                    ordered: false,
                    start: 1,
                    items: vec![vec![Inline::plain("甲")], vec![Inline::plain("乙")]]
                },
                Block::List {
                    ordered: true,
                    start: 3,
                    items: vec![
                        vec![Inline::plain("丙"), Inline::LineBreak, Inline::plain("续")],
                        vec![Inline::plain("丁")]
                    ],
                },
            ]
        );
        let (doc, diags) = parse("1. a\n   - b\n   - c\n2. d\n");
        let doc = doc.expect("doc");
        let items = list_items(&doc.blocks[0]);
        let texts: Vec<String> = items.iter().map(|i| inline_text(i)).collect();
        assert_eq!(texts, vec!["a", "b", "c", "d"]);
        assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "nested list"));

        let (doc, diags) = parse("- a\n-\n- b\n");
        assert_eq!(list_items(&doc.expect("doc").blocks[0]).len(), 2);
        assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "empty list item"));
    }

    #[test]
    fn heading_inside_list_splits_it() {
        let (doc, _) = parse("1. a\n2. ## h\n3. c\n");
        let doc = doc.expect("doc");
        assert!(matches!(doc.blocks[0], Block::List { start: 1, .. }));
        assert!(matches!(doc.blocks[1], Block::Heading { .. }));
        assert!(matches!(doc.blocks[2], Block::List { start: 2, .. }));
    }

    #[test]
    fn an_image_title_is_its_caption_and_chart_urls_are_kept() {
        let url = crate::chart::ChartSpec::sample_url();
        let d = doc(&format!("![图1](a.png \"图1 增长情况\")\n\n![图2]({url} \"图2 构成\")\n"));
        assert_eq!(
            d.blocks,
            vec![
                Block::Image { src: "a.png".into(), alt: "图1".into(), caption: Some("图1 增长情况".into()) },
                Block::Image { src: url, alt: "图2".into(), caption: Some("图2 构成".into()) },
            ]
        );
    }

    #[test]
    fn images_good_and_rejected() {
        let d = doc("![图1 增长情况](images\\chart.png)\n\n![](./a//b.png)\n");
        assert_eq!(
            d.blocks,
            vec![
                Block::Image { src: "images/chart.png".into(), alt: "图1 增长情况".into(), caption: None },
                Block::Image { src: "a/b.png".into(), alt: String::new(), caption: None },
            ]
        );
        for bad in [
            "http://x.cn/a.png",
            "https://x/a.png",
            "data:image/png;base64,AAA",
            "/etc/a.png",
            "C:\\a.png",
            "\\\\server\\a.png",
            "../a.png",
            "a/../../b.png",
            "file:a.png",
        ] {
            let text = format!("段落\n\n![x](<{bad}>)\n");
            let (doc, diags) = parse(&text);
            let d = diags.iter().find(|d| d.code == Code::MarkupImage);
            assert!(d.is_some(), "{bad}: {diags:?}");
            let d = d.expect("image error");
            assert!(d.is_error());
            assert!(text[d.span.clone().expect("span").range].starts_with("![x]"), "{bad}");
            assert_eq!(doc.expect("doc").blocks.len(), 1, "{bad}");
        }
        let (doc, diags) = parse("文字![x](a.png)文字\n");
        assert_eq!(doc.expect("doc").blocks, vec![Block::Paragraph(vec![Inline::plain("文字文字")])]);
        assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "image inside a text paragraph"));
    }

    #[test]
    fn collection_articles_and_author_lines() {
        let text = "---\ntitle: 汇编\ntoc: true\n---\n# 第一篇\nauthor: 中共青溪县委办公室\n\n## 做法\n\n正文。\n\n\
                    # 第二篇\nauthor: 县政协主席　沈书华\nauthor：县政协办公室\n\n## 成效\n\n### 小节\n\n正文。\n";
        let (d, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:?}");
        let d = d.expect("document");
        assert!(d.meta.toc);
        let arts: Vec<&Article> = d.articles().collect();
        assert_eq!(arts.len(), 2);
        assert_eq!(arts[0].title, vec!["第一篇"]);
        assert_eq!(arts[0].authors, vec!["中共青溪县委办公室"]);
        assert_eq!(arts[1].authors, vec!["县政协主席　沈书华", "县政协办公室"]);
        // Numbering starts again at 一、 in every article.
        let numbers: Vec<Option<String>> = headings(&d).into_iter().map(|(_, n, _)| n).collect();
        assert_eq!(numbers, vec![Some("一、".into()), Some("一、".into()), Some("（一）".into())]);
        // An article without author lines; `#` in a document without toc is still a heading.
        let d = doc("---\ntitle: 汇编\ntoc: true\n---\n# 无作者\n\n正文。\n");
        assert_eq!(d.articles().next().map(|a| a.authors.len()), Some(0));
        assert!(matches!(d.blocks.get(1), Some(Block::Paragraph(_))));
    }

    #[test]
    fn malformed_article_markers() {
        let (_, diags) = parse("---\ntitle: 汇编\ntoc: true\n---\n# 第一篇\nauthor:\n\n正文。\n");
        assert!(has(&diags, Severity::Error, Code::MarkupArticle, "names no author"), "{diags:?}");
        let (_, diags) = parse("---\ntitle: 汇编\ntoc: true\n---\n# 第一篇\nauthor: 办公室\n正文紧接着。\n");
        assert!(has(&diags, Severity::Error, Code::MarkupArticle, "is not one"), "{diags:?}");
        let (_, diags) = parse("---\ntitle: 汇编\ntoc: true\n---\n# 第一篇\n\n正文。\n\nauthor: 办公室\n");
        assert!(has(&diags, Severity::Error, Code::MarkupArticle, "not under an article title"), "{diags:?}");
        let (_, diags) = parse("---\ntitle: 材料\n---\nauthor: 办公室\n\n正文。\n");
        assert!(has(&diags, Severity::Error, Code::MarkupArticle, "not under an article title"), "{diags:?}");
        let (_, diags) = parse("---\ntitle: 汇编\ntoc: true\n---\n正文。\n");
        assert!(has(&diags, Severity::Warning, Code::MarkupArticle, "no article"), "{diags:?}");
        let (_, diags) = parse("---\ntitle: 汇编\ntoc: yes\n---\n# 一\n");
        assert!(has(&diags, Severity::Error, Code::FrontMatterField, "`toc` must be"), "{diags:?}");
        // The span points at the author line.
        let text = "---\ntitle: 汇编\ntoc: true\n---\n# 第一篇\nauthor:\n";
        let (_, diags) = parse(text);
        let d = diags.iter().find(|d| d.code == Code::MarkupArticle).expect("M006");
        let at = d.span.as_ref().map(|s| s.range.start).expect("span");
        assert!(text[at..].starts_with("author:"), "{}", &text[at..]);
    }

    #[test]
    fn newpage() {
        let d = doc("第一段\n\n\\newpage\n\n第二段\n第三行\n\\newpage\n第四行\n");
        assert_eq!(
            d.blocks,
            vec![
                Block::Paragraph(vec![Inline::plain("第一段")]),
                Block::PageBreak,
                Block::Paragraph(vec![Inline::plain("第二段第三行")]),
                Block::PageBreak,
                Block::Paragraph(vec![Inline::plain("第四行")]),
            ]
        );
        let d = doc("a \\newpage b\n");
        assert_eq!(paragraph_text(&d, 0), "a \\newpage b");
    }

    #[test]
    fn raw_html_dropped_with_warning() {
        let text = "文字<span style=\"x\">红</span>字<!-- 注释 -->\n\n<div>\n块\n</div>\n\n<!-- 只是注释 -->\n";
        let (doc, diags) = parse(text);
        let doc = doc.expect("doc");
        assert_eq!(doc.blocks, vec![Block::Paragraph(vec![Inline::plain("文字红字")])]);
        let html: Vec<_> = diags.iter().filter(|d| d.message.contains("HTML")).collect();
        assert_eq!(html.len(), 2, "{diags:?}");
        let span = html[0].span.clone().expect("span");
        assert!(text[span.range].starts_with("<span"));
        assert!(html.iter().all(|d| d.severity == Severity::Warning && !d.hints.is_empty()));
    }

    #[test]
    fn blockquote_code_block_and_rule() {
        let (doc, diags) = parse("> 引用\n\n```\n第一行\n\n第二行\n```\n\n***\n\n    缩进\n");
        let doc = doc.expect("doc");
        let texts: Vec<String> = (0..doc.blocks.len()).map(|i| paragraph_text(&doc, i)).collect();
        assert_eq!(texts, vec!["引用", "第一行", "第二行", "缩进"]);
        assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "block quotes"));
        assert_eq!(diags.iter().filter(|d| d.message.contains("code blocks print as plain paragraphs")).count(), 2);
        assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "thematic break"));
    }

    #[test]
    fn empty_body_warns() {
        let (doc, diags) = parse("---\nnumbering: auto\n---\n\n");
        assert!(doc.is_some());
        assert_eq!(codes(&diags), vec![(Severity::Warning, "M005")]);
        let (_, diags) = parse("");
        assert_eq!(codes(&diags), vec![(Severity::Warning, "M005")]);
        let (_, diags) = parse("# 只有标题\n");
        assert!(diags.is_empty());
    }

    #[test]
    fn diagnostics_have_spans_and_hints() {
        let text = "---\nfoo: 1\ndate: x\n---\n> q\n\n<b>x</b>\n\n---\n\n## 一、a\n\n![](/a.png)\n\n```\nc\n```\n";
        let (_, diags) = parse(text);
        assert!(diags.iter().count() >= 7, "{diags:?}");
        for d in diags.iter() {
            assert!(d.span.is_some(), "no span: {d:?}");
            let span = d.span.clone().expect("span");
            assert!(span.range.end <= text.len());
            assert!(!d.hints.is_empty(), "no hint: {d:?}");
            assert!(!d.message.ends_with('.'), "{}", d.message);
            assert!(d.message.chars().next().is_some_and(|c| !c.is_uppercase()), "{}", d.message);
        }
    }

    /// Deterministic xorshift so the fuzz corpus is the same on every run.
    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    fn check_never_panics(text: &str) {
        let (_, diags) = parse(text);
        for d in diags.iter() {
            if let Some(span) = &d.span {
                assert!(span.range.start <= span.range.end && span.range.end <= text.len(), "{text:?}: {d:?}");
                assert!(
                    text.is_char_boundary(span.range.start) && text.is_char_boundary(span.range.end),
                    "{text:?}: {d:?}"
                );
            }
        }
    }

    #[test]
    fn garbage_never_panics() {
        let long = "长".repeat(20_000);
        let deep_quote = format!("{}x\n", ">".repeat(5_000));
        let deep_list = (0..300).map(|i| format!("{}- x\n", "  ".repeat(i))).collect::<String>();
        let deep_yaml = format!("---\nt: {}\n---\n", "[".repeat(1000));
        let weird = [
            "",
            "\u{feff}",
            "---",
            "---\n",
            "---\n---",
            "---\r\n---\r\n",
            "**",
            "**未闭合",
            "*a**b*c**",
            "---\n***\n---\n---\n",
            "| a |\n|---|\n| 1 | 2 | 3 |\n|",
            "|a|b|\n|-|-|\n||\n|||||||\n",
            ">>>>>>>> 深\n>>>\n> > > -",
            "- - - - - x",
            "1. 2. 3. ##### x",
            "![",
            "![](",
            "![a](b",
            "[![a](b.png)](c)",
            "![![a](x.png)](y.png)",
            "\\newpage\\newpage",
            "\\",
            "<",
            "<br",
            "<!--",
            "<!-- x",
            "</div>",
            "#\n##\n###\n####\n#####\n######\n#######",
            "# \n",
            "## **一、**\n",
            "``",
            "```",
            "    ",
            "\t\t\t",
            "\r\r\r\n\n",
            "\u{3000}\u{3000}",
            "- ```\n  x\n- | a |\n  |---|\n  | b |\n",
            "> ## h\n> - a\n>   - b\n",
            "---\n: \n---\n",
            "---\n? [a]\n: b\n---\n",
            "---\n&a x: *a\n---\n",
            "---\ntitle: [\n---\n",
            "---\n\t\n---\n",
            "---\ntitle: !!binary aGk=\n---\n",
            "---\ntitle: \"\\u0000\"\n---\n",
            "a\u{0}b",
            "\u{10FFFF}\n\u{10FFFF}",
        ];
        for text in
            weird.iter().copied().chain([long.as_str(), deep_quote.as_str(), deep_list.as_str(), deep_yaml.as_str()])
        {
            check_never_panics(text);
        }
        let alphabet: &[&str] = &[
            "#",
            "## ",
            "*",
            "**",
            "_",
            "`",
            "```",
            "---",
            "\n",
            "\n\n",
            "\r\n",
            " ",
            "  ",
            "    ",
            "\t",
            ">",
            "- ",
            "1. ",
            "|",
            "|---|",
            ":",
            "!",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "<br>",
            "<b>",
            "\\",
            "\\newpage",
            "县委",
            "政协",
            "abc",
            "1",
            "、",
            "（一）",
            "\u{3000}",
            "---\n",
            "title: ",
            "[x, y]",
            "{",
            "}",
            "&",
            "'",
            "\"",
            "é",
            "😀",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..3000 {
            let len = (rng(&mut seed) % 40) as usize;
            let mut text = String::new();
            if rng(&mut seed).is_multiple_of(3) {
                text.push_str("---\n");
            }
            for _ in 0..len {
                text.push_str(alphabet[(rng(&mut seed) % alphabet.len() as u64) as usize]);
            }
            check_never_panics(&text);
        }
    }
}
