//! What a `#` line is — the title, the next article of a collection, or a
//! heading of level 1 to 4 — and the 一、（一）1.（1） numbers of headings
//! (GB/T 9704 §7.3.3); the `author:` lines under an article's title.

use std::ops::Range;

use pulldown_cmark::HeadingLevel;

use super::body::{Body, Container};
use super::inline::{Piece, piece_lines};
use super::split_lines;
use crate::diag::{Code, Diagnostic};
use crate::doc::{Article, Block, Numbering, inline_text};
use crate::unicode::is_digit;

impl Body<'_> {
    /// A `#` line: another line of the title while no body block has come,
    /// the next article in a collection (`toc: true`), else a heading —
    /// `##` is level 1, down to `#####` at level 4 — numbered unless the
    /// front matter says `numbering: manual`.
    pub(super) fn heading(&mut self, level: HeadingLevel, pieces: Vec<Piece>, range: &Range<usize>) {
        let content = match self.finish(pieces, Container::Heading).into_iter().next() {
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
        let source = self.markdown.get(range.clone()).unwrap_or("");
        let level = match level {
            HeadingLevel::H1 => {
                if self.title_open && !self.front_matter_title && self.list.is_none() {
                    self.meta.title.extend(split_lines(&text));
                    return;
                }
                if self.meta.toc {
                    self.article(&text);
                    return;
                }
                let why = if self.front_matter_title {
                    "the front matter already has a title"
                } else {
                    "it comes after body text"
                };
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
    pub(super) fn authors(&mut self, pieces: &[Piece], range: &Range<usize>) {
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
        self.diags.push(Diagnostic::error(Code::MarkupArticle, message).with_span(self.span(range)).with_hint(hint));
    }
}

/// The key that starts an author line of a collection's article.
const AUTHOR_KEY: &str = "author";

/// The value of an `author:` line (`author：` with a full-width colon too), or None.
fn strip_author_key(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(AUTHOR_KEY)?.trim_start();
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：')).map(str::trim)
}

/// Does the paragraph start with an `author:` line?
pub(super) fn is_author_paragraph(pieces: &[Piece]) -> bool {
    piece_lines(pieces).first().is_some_and(|l| strip_author_key(l.trim()).is_some())
}

/// The number a heading already starts with, if any: 一、 （二） (3) 4. 5、 第一章 1.1
fn existing_number(heading: &str) -> Option<&str> {
    // The numerals a heading number is written in (not 千, 万 or the 大写
    // digits, which no heading count reaches).
    let numeral = |c: char| "一二三四五六七八九十百零〇两".contains(c);
    let first = heading.chars().next()?;
    let run_of = |text: &str, pred: &dyn Fn(char) -> bool| text.find(|c: char| !pred(c)).unwrap_or(text.len());

    if numeral(first) {
        let len = run_of(heading, &numeral);
        return heading[len..].starts_with('、').then(|| &heading[..len + '、'.len_utf8()]);
    }
    if first == '（' || first == '(' {
        let inner = &heading[first.len_utf8()..];
        let len = run_of(inner, &|c| numeral(c) || is_digit(c));
        if len == 0 {
            return None;
        }
        let close = inner[len..].chars().next()?;
        return matches!(close, '）' | ')').then(|| &heading[..first.len_utf8() + len + close.len_utf8()]);
    }
    if is_digit(first) {
        let len = run_of(heading, &is_digit);
        let separator = heading[len..].chars().next()?;
        if !matches!(separator, '.' | '．' | '、') {
            return None;
        }
        let prefix = len + separator.len_utf8();
        let after = &heading[prefix..];
        if after.starts_with(is_digit) {
            // "1.1 概述" is a decimal section number; "1.5倍" is a quantity.
            let more = run_of(after, &|c| is_digit(c) || c == '.');
            let tail = &after[more..];
            return (tail.is_empty() || tail.starts_with(char::is_whitespace)).then(|| &heading[..prefix + more]);
        }
        return Some(&heading[..prefix]);
    }
    if first == '第' {
        let inner = &heading[first.len_utf8()..];
        let len = run_of(inner, &|c| numeral(c) || is_digit(c));
        if len == 0 {
            return None;
        }
        let unit = ["部分", "章", "节", "篇", "条"].into_iter().find(|u| inner[len..].starts_with(u))?;
        return Some(&heading[..first.len_utf8() + len + unit.len()]);
    }
    None
}
