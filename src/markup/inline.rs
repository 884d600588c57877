//! A paragraph's inline content: the pieces the parser gives (text runs,
//! line breaks, images), and how they become the `doc::Inline` runs a
//! writer prints.

use std::ops::Range;

use crate::doc::{Inline, RunStyle};
use crate::unicode::joins_without_space;

/// Inline content before soft breaks are resolved: they need both neighbours.
#[derive(Debug, Clone)]
pub(super) enum Piece {
    Text(String, RunStyle),
    Soft,
    Hard,
    Image { url: String, alt: String, title: String, range: Range<usize> },
}

/// The paragraph's text, one string per source line (emphasis dropped).
pub(super) fn piece_lines(pieces: &[Piece]) -> Vec<String> {
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

/// A paragraph split at its command lines.
pub(super) enum Segment {
    /// Ordinary content.
    Text(Vec<Piece>),
    /// A line `\newpage`.
    PageBreak,
    /// A line `\attachment 标题`: an attachment's pages start.
    Attachment(String),
}

/// Split a paragraph at lines that are exactly `\newpage` or start with
/// `\attachment ` (a 附件 with its title).
pub(super) fn split_newpage(pieces: Vec<Piece>) -> Vec<Segment> {
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
        let plain = !line.is_empty() && line.iter().all(|p| matches!(p, Piece::Text(..)));
        let text = if plain {
            line.iter().map(|p| if let Piece::Text(t, _) = p { t.as_str() } else { "" }).collect::<String>()
        } else {
            String::new()
        };
        let text = text.trim();
        let command = if text == "\\newpage" {
            Some(Segment::PageBreak)
        } else {
            text.strip_prefix("\\attachment")
                .filter(|rest| rest.starts_with([' ', '\u{3000}']))
                .map(|rest| Segment::Attachment(rest.trim().trim_start_matches('\u{3000}').trim().to_string()))
        };
        if let Some(command) = command {
            out.push(Segment::Text(std::mem::take(&mut current)));
            out.push(command);
        } else {
            current.extend(line);
            current.extend(brk);
        }
    }
    out.push(Segment::Text(current));
    out.retain(|seg| match seg {
        Segment::Text(p) => p.iter().any(|p| !matches!(p, Piece::Soft | Piece::Hard)),
        _ => true,
    });
    out
}

/// Resolve soft breaks, merge runs of equal style and trim the ends.
pub(super) fn resolve(pieces: Vec<Piece>) -> Vec<Inline> {
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

/// Half-width spaces between two Chinese characters of running text (text
/// pasted from a web page, or typed to spread a name) are dropped: Chinese
/// is set without spaces, and such a space is a break opportunity that ends
/// a line early and spreads it over the full width, in the PDF and in Word
/// alike. Spaces beside Latin letters and digits ("COVID-19 疫情") and
/// full-width spaces (主席　沈书华) stay; so does a title line's space
/// between two phrases (the caller applies this to running text only).
pub(super) fn drop_spaces_between_chinese(inlines: &mut Vec<Inline>) {
    // The characters of the runs since the last line break (nothing joins
    // across one), and for every character of every run whether it goes.
    let mut chars: Vec<char> = Vec::new();
    let mut dropped: Vec<bool> = Vec::new();
    let flush = |chars: &mut Vec<char>, dropped: &mut Vec<bool>| {
        let mut i = 0;
        while i < chars.len() {
            if !matches!(chars[i], ' ' | '\t') {
                i += 1;
                continue;
            }
            let end = (i..chars.len()).find(|&j| !matches!(chars[j], ' ' | '\t')).unwrap_or(chars.len());
            let joins =
                i > 0 && end < chars.len() && joins_without_space(chars[i - 1]) && joins_without_space(chars[end]);
            let base = dropped.len() - chars.len();
            if joins {
                dropped[base + i..base + end].iter_mut().for_each(|d| *d = true);
            }
            i = end;
        }
        chars.clear();
    };
    for inline in inlines.iter() {
        match inline {
            Inline::Text { text, .. } => {
                chars.extend(text.chars());
                dropped.extend(text.chars().map(|_| false));
            }
            Inline::LineBreak => flush(&mut chars, &mut dropped),
        }
    }
    flush(&mut chars, &mut dropped);
    if !dropped.contains(&true) {
        return;
    }
    let mut flags = dropped.into_iter();
    for inline in inlines.iter_mut() {
        if let Inline::Text { text, .. } = inline {
            *text = text.chars().filter(|_| !flags.next().unwrap_or(false)).collect();
        }
    }
    inlines.retain(|i| !matches!(i, Inline::Text { text, .. } if text.is_empty()));
}

/// A hyphen-minus that signs a figure ("-4.2", "（-3%）", "增长率：-1.5") is
/// printed as a minus sign (GB/T 3102.11; a hyphen is shorter and sits
/// lower): it starts the text or follows a space, a Chinese character or
/// punctuation, and a digit follows it. A hyphen after a letter or a digit
/// joins two parts ("COVID-19", "2023-12-01", "GB/T 9704-2012") and stays.
pub(super) fn minus_signs(inlines: &mut [Inline]) {
    let mut prev: Option<char> = None;
    for inline in inlines.iter_mut() {
        let Inline::Text { text, .. } = inline else {
            prev = None;
            continue;
        };
        if !text.contains('-') {
            prev = text.chars().next_back().or(prev);
            continue;
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        for (i, &c) in chars.iter().enumerate() {
            let before = if i == 0 { prev } else { Some(chars[i - 1]) };
            // A letter or digit of a Latin word, or a mark inside a number, before it: a joining hyphen.
            let joins = |b: char| (b.is_alphanumeric() && !crate::unicode::is_wide(b)) || ".-_+".contains(b);
            let signs = c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit) && !before.is_some_and(joins);
            out.push(if signs { crate::unicode::MINUS_SIGN } else { c });
        }
        prev = chars.last().copied().or(prev);
        *text = out;
    }
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
