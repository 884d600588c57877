//! The Markdown body: pulldown-cmark's events → `doc::Block`s. Paragraphs,
//! lists (flattened), tables, images alone in their paragraph and
//! `\newpage` become blocks; what cannot be printed faithfully (raw HTML,
//! block quotes, code blocks, nested lists …) is printed as plain text or
//! dropped, with a warning. `#` lines are decided in `headings`.

use std::ops::Range;

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};

use super::emphasis::{Prepared, cjk_friendly_emphasis};
use super::headings::is_author_paragraph;
use super::inline::{Piece, Segment, drop_spaces_between_chinese, minus_signs, resolve, split_newpage};
use crate::diag::{Code, Diagnostic, Diags, FileId, Span};
use crate::doc::{Align, Block, Inline, Meta, RunStyle, Table};

/// Read the body of `text` (from `body_start`) into blocks, starting from
/// the front matter's `meta`, which `#` title lines may add to.
pub(super) fn parse(text: &str, body_start: usize, file: FileId, meta: Meta, diags: &mut Diags) -> (Meta, Vec<Block>) {
    let prepared = cjk_friendly_emphasis(&text[body_start..]);
    let mut body = Body::new(text.len(), &prepared, body_start, file, meta);
    body.run();
    diags.extend(body.diags);
    (body.meta, body.blocks)
}

/// An image being read.
struct OpenImage {
    url: String,
    title: String,
    /// The alt text so far.
    alt: String,
    range: Range<usize>,
    /// How many images inside its alt text are open (their end is not its end).
    depth: usize,
}

/// Where inline content ends up; decides what images and `\newpage` may become.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Container {
    Paragraph,
    Heading,
    Cell,
}

/// The one list being built. Nested lists are flattened into it.
pub(super) struct OpenList {
    ordered: bool,
    start: u64,
    items: Vec<Vec<Inline>>,
    /// Content of the item being read.
    current: Vec<Inline>,
    /// Per open `Item` (nested ones included): did it get any content? Empty items are reported.
    filled: Vec<(bool, Range<usize>)>,
}

impl OpenList {
    /// The item being read is complete, if it holds anything.
    fn end_item_text(&mut self) {
        if !self.current.is_empty() {
            let item = std::mem::take(&mut self.current);
            self.items.push(item);
        }
    }
}

/// The parser's events, read as they are used rather than collected first
/// (a long document's events, held at once, would take most of the memory
/// its conversion needs), with events put back read again first.
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

/// The body being read: the parser's events, the blocks so far, and the
/// state a block's meaning depends on (is the title still open, which
/// heading numbers are running, is a list or an article's author lines
/// open).
pub(super) struct Body<'a> {
    /// Length of the caller's text, to clamp spans.
    text_len: usize,
    /// The Markdown pulldown-cmark reads (the body with emphasis sentinels).
    pub(super) markdown: &'a str,
    /// Offset of the body in the caller's text.
    base: usize,
    /// Where `markdown` has sentinels the caller's text lacks, to map ranges back.
    inserted: &'a [usize],
    sentinel_len: usize,
    file: FileId,
    events: Events<'a>,
    pub(super) meta: Meta,
    pub(super) blocks: Vec<Block>,
    pub(super) diags: Diags,
    /// Front matter gave a title, so `#` is just a misplaced heading.
    pub(super) front_matter_title: bool,
    /// No body block yet: a `#` here is (another line of) the title.
    pub(super) title_open: bool,
    /// How many headings of each level (1–4) the current numbering has seen.
    pub(super) counters: [u32; 4],
    /// The level of the last heading, 0 before the first.
    pub(super) last_level: u8,
    /// The last block is an article title: a paragraph of `author:` lines may follow.
    pub(super) author_open: bool,
    pub(super) list: Option<OpenList>,
    list_depth: usize,
    quote_depth: usize,
    /// Tables captioned so far: the next caption's number less one.
    tables_captioned: u32,
    /// Footnote labels in the order of their first reference (note 1, 2 …).
    notes: Vec<String>,
    /// The mark of a footnote definition whose first paragraph is next.
    note_open: Option<String>,
    /// Footnotes were warned about (once a document).
    notes_warned: bool,
}

impl<'a> Body<'a> {
    fn new(text_len: usize, prepared: &'a Prepared, base: usize, file: FileId, meta: Meta) -> Self {
        let markdown = prepared.text.as_str();
        let events = Events {
            source: Box::new(
                Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES)
                    .into_offset_iter()
                    .map(|(event, range)| (prepared.clean_event(event), range)),
            ),
            back: Vec::new(),
        };
        Body {
            text_len,
            markdown,
            inserted: &prepared.inserted,
            sentinel_len: prepared.sentinel.map_or(0, char::len_utf8),
            base,
            file,
            events,
            front_matter_title: !meta.title.is_empty(),
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
            tables_captioned: 0,
            notes: Vec::new(),
            note_open: None,
            notes_warned: false,
        }
    }

    /// A pulldown-cmark range (in `markdown`) as a span in the caller's text.
    pub(super) fn span(&self, range: &Range<usize>) -> Span {
        let map = |pos: usize| {
            let before = self.inserted.partition_point(|&p| p < pos);
            (self.base + pos - before * self.sentinel_len).min(self.text_len)
        };
        Span { file: self.file, range: map(range.start)..map(range.end) }
    }

    pub(super) fn warn(
        &mut self,
        code: Code,
        message: impl Into<String>,
        range: &Range<usize>,
        hint: impl Into<String>,
    ) {
        self.diags.push(Diagnostic::warning(code, message).with_span(self.span(range)).with_hint(hint));
    }

    /// The number of footnote `label` (in the order first met), with a
    /// warning the first time: notes are printed where they are written,
    /// not at the foot of the page.
    fn note_number(&mut self, label: &str, range: &Range<usize>) -> String {
        if !self.notes_warned {
            self.notes_warned = true;
            self.warn(
                Code::MarkupUnsupported,
                "footnotes are printed as 注释: the mark （注1） in the text, and the note (注1：…) where it is \
                 written, not at the foot of the page",
                range,
                "write the notes at the end of the document, where 注释 belong; to leave them out, delete the \
                 `[^…]` marks and notes",
            );
        }
        let n = match self.notes.iter().position(|l| l == label) {
            Some(i) => i + 1,
            None => {
                self.notes.push(label.to_string());
                self.notes.len()
            }
        };
        n.to_string()
    }

    fn run(&mut self) {
        while let Some((event, range)) = self.events.pop_front() {
            match event {
                Event::Start(Tag::Paragraph) => {
                    let mut pieces = self.inlines();
                    if let Some(mark) = self.note_open.take() {
                        pieces.insert(0, Piece::Text(format!("注{mark}："), RunStyle::default()));
                    }
                    if self.list.is_none() && self.quote_depth == 0 && is_author_paragraph(&pieces) {
                        self.authors(&pieces, &range);
                        continue;
                    }
                    let blocks = self.finish(pieces, Container::Paragraph);
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
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let mark = self.note_number(&label, &range);
                    self.note_open = Some(mark);
                }
                Event::Start(Tag::DefinitionList)
                | Event::Start(Tag::DefinitionListTitle)
                | Event::Start(Tag::DefinitionListDefinition)
                | Event::Start(Tag::MetadataBlock(_)) => {
                    // Not enabled in the parser options; their contents read as ordinary blocks.
                }
                ref e if is_inline(e) => {
                    // Tight list items hold inline content with no paragraph around it.
                    self.events.push_front((event, range.clone()));
                    let pieces = self.inlines();
                    let blocks = self.finish(pieces, Container::Paragraph);
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
        let mut image: Option<OpenImage> = None;
        while let Some((event, _)) = self.events.front() {
            if !is_inline(event) {
                break;
            }
            let Some((event, range)) = self.events.pop_front() else {
                break;
            };
            if let Some(open) = &mut image {
                match event {
                    Event::Start(Tag::Image { .. }) => open.depth += 1,
                    Event::End(TagEnd::Image) if open.depth > 0 => open.depth -= 1,
                    Event::End(TagEnd::Image) => {
                        if let Some(OpenImage { url, title, alt, range, .. }) = image.take() {
                            pieces.push(Piece::Image { url, alt: alt.trim().to_string(), title, range });
                        }
                    }
                    Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                        open.alt.push_str(&t)
                    }
                    Event::SoftBreak | Event::HardBreak => open.alt.push(' '),
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
                Event::FootnoteReference(label) => {
                    let mark = self.note_number(&label, &range);
                    pieces.push(Piece::Text(format!("（注{mark}）"), style));
                }
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
                    image = Some(OpenImage {
                        url: dest_url.to_string(),
                        title: title.to_string(),
                        alt: String::new(),
                        range,
                        depth: 0,
                    })
                }
                // Links print as their text; the URL has no place on paper.
                _ => {}
            }
        }
        if let Some(OpenImage { url, title, alt, range, .. }) = image {
            pieces.push(Piece::Image { url, alt, title, range });
        }
        pieces
    }

    /// Turn a paragraph's pieces into blocks: paragraphs, page breaks, images.
    pub(super) fn finish(&mut self, pieces: Vec<Piece>, container: Container) -> Vec<Block> {
        let mut out = Vec::new();
        let segments =
            if container == Container::Paragraph { split_newpage(pieces) } else { vec![Segment::Text(pieces)] };
        for segment in segments {
            let pieces = match segment {
                Segment::Text(pieces) => pieces,
                Segment::PageBreak => {
                    out.push(Block::PageBreak);
                    continue;
                }
                Segment::Attachment(title) => {
                    out.push(Block::Attachment { title });
                    continue;
                }
            };
            let has_image = pieces.iter().any(|p| matches!(p, Piece::Image { .. }));
            let only_images = pieces.iter().all(|p| match p {
                Piece::Text(t, _) => t.trim().is_empty(),
                _ => true,
            });
            if has_image && only_images && container == Container::Paragraph {
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
                    let (message, hint) = match container {
                        Container::Paragraph => (
                            "an image inside a text paragraph is dropped",
                            "put the image alone in its own paragraph, with blank lines before and after",
                        ),
                        Container::Heading => (
                            "an image inside a heading is dropped",
                            "put the image in its own paragraph after the heading",
                        ),
                        Container::Cell => (
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
            let mut content = resolve(kept);
            minus_signs(&mut content);
            if container == Container::Paragraph && is_running_text(&content) {
                drop_spaces_between_chinese(&mut content);
            }
            if !content.is_empty() || container != Container::Paragraph {
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
                Block::Paragraph(content) if self.caption_after_table(&content) => {}
                block => self.emit(block),
            }
        }
    }

    /// Add a body block. A list in progress is cut around it so block order is kept.
    pub(super) fn emit(&mut self, block: Block) {
        self.title_open = false;
        self.author_open = false;
        self.cut_list();
        self.blocks.push(block);
    }

    fn cut_list(&mut self) {
        let Some(list) = &mut self.list else { return };
        list.end_item_text();
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
            self.list = Some(OpenList {
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
            list.end_item_text();
            list.filled.push((false, range.clone()));
        }
    }

    fn end_item(&mut self) {
        let Some(list) = &mut self.list else { return };
        list.end_item_text();
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
                    let cell = match self.finish(pieces, Container::Cell).into_iter().next() {
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
        // A caption line just before the table belongs to it.
        let (caption, unit) = match self.blocks.last() {
            Some(Block::Paragraph(content)) if self.list.is_none() => match caption_line(content) {
                Some(found) => {
                    self.blocks.pop();
                    self.number_caption(found)
                }
                None => (None, None),
            },
            _ => (None, None),
        };
        let mut table = Table { align, header, rows, caption, unit };
        table.align_decimals();
        self.emit(Block::Table(table));
    }

    /// "表N title" for the Nth captioned table, unless the author numbered
    /// it; and the unit line.
    fn number_caption(&mut self, (title, unit): (String, Option<String>)) -> (Option<String>, Option<String>) {
        self.tables_captioned += 1;
        let numbered = title.strip_prefix('表').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
        let caption = if numbered { title } else { format!("表{} {title}", self.tables_captioned) };
        (Some(caption), unit)
    }

    /// A caption line right after a table that has none (pandoc writes
    /// `Table:` on either side): attach it. True if it was one.
    pub(super) fn caption_after_table(&mut self, content: &[Inline]) -> bool {
        if self.list.is_some() {
            return false;
        }
        let Some(found) = caption_line(content) else { return false };
        if !matches!(self.blocks.last(), Some(Block::Table(t)) if t.caption.is_none()) {
            return false;
        }
        let (caption, unit) = self.number_caption(found);
        if let Some(Block::Table(t)) = self.blocks.last_mut() {
            (t.caption, t.unit) = (caption, unit);
        }
        true
    }
}

/// A table caption paragraph: `Table: 标题` or `表：标题`, optionally with the
/// unit after it on the same or the next line (`单位：万元`). Returns the
/// title and the unit line.
fn caption_line(content: &[Inline]) -> Option<(String, Option<String>)> {
    let text = crate::doc::inline_text(content);
    let text = text.trim();
    let rest = ["Table:", "表：", "表:"].iter().find_map(|p| text.strip_prefix(p))?.trim();
    let (title, unit) = match rest.rfind("单位：").or_else(|| rest.rfind("单位:")) {
        Some(at) if at > 0 => (rest[..at].trim(), Some(rest[at..].replace("单位:", "单位：").trim().to_string())),
        _ => (rest, None),
    };
    let title = title.trim_end_matches(['（', '(']).trim();
    (!title.is_empty()).then(|| (title.to_string(), unit.map(|u| u.trim_end_matches(['）', ')']).to_string())))
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

/// Running text, as opposed to a title line or a label set as a paragraph:
/// it has sentence punctuation. In running text a half-width space between
/// Chinese characters is a stray (pasted from a web page); in a title line
/// it separates two phrases ("探索新路子 作出新贡献") and stays.
fn is_running_text(content: &[Inline]) -> bool {
    content.iter().any(|i| matches!(i, Inline::Text { text, .. } if text.contains(['。', '，', '；', '！', '？'])))
}
