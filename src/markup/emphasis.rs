//! `**` in Chinese text: a pre-pass over the body before pulldown-cmark
//! reads it, and the undoing of it in what the parser gives back.

use pulldown_cmark::{Event, Tag};

/// The body as pulldown-cmark reads it, after the CJK emphasis pre-pass.
pub(super) struct Prepared {
    /// The body, with a sentinel wherever one was needed.
    pub(super) text: String,
    /// The invisible whitespace inserted next to `**`; None when nothing was inserted.
    pub(super) sentinel: Option<char>,
    /// Byte offsets in `text` of each inserted sentinel, ascending.
    pub(super) inserted: Vec<usize>,
}

impl Prepared {
    /// Remove the sentinels from everything the document can show.
    pub(super) fn clean_event<'a>(&self, event: Event<'a>) -> Event<'a> {
        let Some(sentinel) = self.sentinel else {
            return event;
        };
        let clean = |text: pulldown_cmark::CowStr<'a>| -> pulldown_cmark::CowStr<'a> {
            if text.contains(sentinel) { text.replace(sentinel, "").into() } else { text }
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
pub(super) fn cjk_friendly_emphasis(body: &str) -> Prepared {
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
