//! Quality lints on the rendered text (codes Q…): what real materials get
//! wrong and no parser notices — placeholders left in (Q001), figures that
//! printed empty (Q002), shares (Q003), rises and falls (Q004) and totals
//! (Q005) that contradict the figures next to them; punctuation and figures
//! a 文秘 corrects (Q006–Q008, `punct`); and in a 公文 (Q009–Q013,
//! `gongwen`) the 发文字号's brackets, 密级 without 份号, 请示 without 签发人,
//! a 抄送 list without 。 and a 成文日期 before the facts it reports.
//!
//! Lints read the Document's text, not the templates or the data, so they see
//! sentences typed into templates and numbers filled in from YAML alike, and
//! no writer is involved. Each text unit (a title line, a heading, a
//! paragraph, a list item, a table cell …) is checked on its own; `locate`
//! then finds each finding in the rendered Markdown so it can be reported
//! with a line and column. Every lint is a warning: `--deny-warnings` makes
//! them fail a run, and `[check] allow = ["Q001"]` in wengao.toml silences one.
//! See docs/checks.md for what each one catches.

mod blank;
mod gongwen;
mod locate;
pub mod num;
mod placeholder;
mod punct;
mod share;
mod total;
mod trend;

use std::ops::Range;

use crate::diag::{Code, Diagnostic, FileId, Span};
use crate::doc::{Block, Document, inline_text};
use crate::script::is_traditional_marker;

/// One problem found in one text unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Q001 …
    pub code: Code,
    /// Bytes of the offending fragment in the unit's text.
    pub range: Range<usize>,
    /// English, quoting the Chinese text.
    pub message: String,
    /// What to do.
    pub hint: String,
}

/// A lint diagnostic, with the fragment it is about (to find it in templates).
#[derive(Debug, Clone)]
pub struct Located {
    /// A warning pointing into the rendered Markdown.
    pub diag: Diagnostic,
    /// The offending text as printed.
    pub fragment: String,
}

/// Run every lint on one piece of text; findings sorted by position.
///
/// The rules know Simplified wording (为, 占, 增长 …). Text in Traditional
/// script (a `script = "traditional"` project, or typed that way) is also
/// linted in a Simplified copy, character for character, and what that
/// finds is reported at the same characters of the original, quoting it.
pub fn lint_text(text: &str) -> Vec<Finding> {
    let mut out = lint_simplified(text);
    // Text without a Traditional character is not converted: conversion
    // costs more than every rule together.
    if !text.chars().any(is_traditional_marker) {
        return out;
    }
    let Ok(simple) = crate::script::to_simplified(text) else { return out };
    let (t, s) = (Text::new(text), Text::new(&simple));
    // Conversion by phrase may change a length: then positions do not map.
    if simple == text || t.len() != s.len() {
        return out;
    }
    let back: Vec<(char, char)> = s.cs.iter().zip(&t.cs).filter(|(a, b)| a.1 != b.1).map(|(a, b)| (a.1, b.1)).collect();
    let restore = |msg: &str| -> String {
        msg.chars().map(|c| back.iter().find(|(from, _)| *from == c).map_or(c, |&(_, to)| to)).collect()
    };
    for f in lint_simplified(&simple) {
        let range = t.byte(s.index(f.range.start))..t.byte(s.index(f.range.end));
        if out.iter().any(|g| g.code == f.code && g.range.start < range.end && range.start < g.range.end) {
            continue;
        }
        out.push(Finding { code: f.code, range, message: restore(&f.message), hint: restore(&f.hint) });
    }
    sort_by_position(&mut out);
    out
}

/// Findings in text order (then by code), as every caller reports them.
fn sort_by_position(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(a.code.as_str().cmp(b.code.as_str())));
}

fn lint_simplified(text: &str) -> Vec<Finding> {
    let t = Text::new(text);
    let nums = num::scan(text);
    let mut out = Vec::new();
    placeholder::check(&t, &mut out);
    blank::check(&t, &mut out);
    share::check(&t, &nums, &mut out);
    trend::check(&t, &nums, &mut out);
    total::check(&t, &nums, &mut out);
    punct::check(&t, &mut out);
    gongwen::check_doc_no(&t, &mut out);
    gongwen::check_cc(&t, &mut out);
    sort_by_position(&mut out);
    // Two rules may find the same gap (提拔任用人（其中 …): report it once.
    out.dedup_by(|b, a| a.code == b.code && a.range.start < b.range.end && b.range.start < a.range.end);
    out
}

/// A piece of the document's text, whether it lives in the front matter, and
/// whether it is a table header (labels such as "占比%" hold no figures).
struct Unit {
    text: String,
    meta: bool,
    header: bool,
}

fn units(doc: &Document) -> Vec<Unit> {
    let m = &doc.meta;
    let meta =
        m.title.iter().chain(&m.subtitle).chain(&m.recipient).chain(&m.signature).chain(&m.attachments).map(|s| Unit {
            text: s.clone(),
            meta: true,
            header: false,
        });
    let mut v: Vec<Unit> = meta.collect();
    let body = |text: String| Unit { text, meta: false, header: false };
    for b in &doc.blocks {
        match b {
            Block::Heading { content, .. } | Block::Paragraph(content) => v.push(body(inline_text(content))),
            Block::List { items, .. } => v.extend(items.iter().map(|i| body(inline_text(i)))),
            Block::Table(t) => {
                v.extend(t.header.iter().map(|c| Unit { header: true, ..body(inline_text(c)) }));
                v.extend(t.rows.iter().flatten().map(|c| body(inline_text(c))));
            }
            Block::Image { alt, caption, .. } => {
                v.push(body(alt.clone()));
                v.extend(caption.iter().filter(|c| *c != alt).map(|c| body(c.clone())));
            }
            Block::Article(a) => v.extend(a.title.iter().chain(&a.authors).map(|t| body(t.clone()))),
            Block::Attachment { title } => v.push(body(title.clone())),
            Block::PageBreak => {}
        }
    }
    v
}

/// Lint a rendered document. Spans point into `rendered` (the FileId of
/// `markdown`); codes in `allow` (the project's) and in the document's own
/// `allow:` front matter are skipped.
pub fn check_document(doc: &Document, markdown: &str, rendered: FileId, allow: &[String]) -> Vec<Located> {
    let allow: Vec<&String> = allow.iter().chain(&doc.meta.allow).collect();
    let mut loc = locate::Locator::new(markdown);
    let mut out = Vec::new();
    // Figures of a thousand or more, with and without separators: (span, fragment).
    let mut figures: [Vec<(Range<usize>, String)>; 2] = [Vec::new(), Vec::new()];
    for unit in units(doc) {
        let place = loc.find_unit(&unit.text, unit.meta);
        let (with, without) = punct::thousands(&unit.text, &num::scan(&unit.text));
        for (style, ranges) in [with, without].into_iter().enumerate() {
            for r in ranges {
                let fragment = unit.text[r.clone()].to_string();
                let start = loc.offset(place.as_ref(), &unit.text, r.start, &fragment);
                figures[style].push((start..(start + fragment.len()).min(markdown.len()), fragment));
            }
        }
        for f in lint_text(&unit.text) {
            if allow.iter().any(|a| a.eq_ignore_ascii_case(f.code.as_str()))
                || (unit.header && f.code == Code::LintEmptyNumber)
            {
                continue;
            }
            let fragment = unit.text.get(f.range.clone()).unwrap_or_default().to_string();
            let start = loc.offset(place.as_ref(), &unit.text, f.range.start, &fragment);
            let mut end = (start + fragment.len()).min(markdown.len());
            while !markdown.is_char_boundary(end) {
                end -= 1;
            }
            let diag = Diagnostic::warning(f.code, f.message)
                .with_span(Span { file: rendered, range: start..end })
                .with_hint(f.hint);
            out.push(Located { diag, fragment });
        }
    }
    if !allow.iter().any(|a| a.eq_ignore_ascii_case(Code::LintThousands.as_str())) {
        out.extend(mixed_thousands(figures, rendered));
    }
    // The front matter's own lints, at the value they are about.
    for f in gongwen::check_meta(doc) {
        if allow.iter().any(|a| a.eq_ignore_ascii_case(f.code.as_str())) {
            continue;
        }
        let start = if f.fragment.is_empty() { None } else { markdown.find(&f.fragment) };
        let range = start.map_or(0..0, |s| s..s + f.fragment.len());
        let diag = Diagnostic::warning(f.code, f.message).with_span(Span { file: rendered, range }).with_hint(f.hint);
        out.push(Located { diag, fragment: f.fragment });
    }
    out
}

/// Q008: when a document writes figures of a thousand or more both with and
/// without a thousands separator, each figure of the rarer way (the later
/// ones when as many are written each way), quoting one of the other way.
fn mixed_thousands(figures: [Vec<(Range<usize>, String)>; 2], rendered: FileId) -> Vec<Located> {
    let [with, without] = figures;
    let (Some(first_with), Some(first_without)) = (with.first(), without.first()) else { return Vec::new() };
    let (odd, usual, usual_way) =
        if with.len() < without.len() || (with.len() == without.len() && first_with.0.start > first_without.0.start) {
            (&with, first_without, "without separators")
        } else {
            (&without, first_with, "with separators")
        };
    odd.iter()
        .map(|(span, fragment)| {
            let diag = Diagnostic::warning(
                Code::LintThousands,
                format!(
                    "`{fragment}` is written another way than the document's other figures ({usual_way}, e.g. `{}`)",
                    usual.1
                ),
            )
            .with_span(Span { file: rendered, range: span.clone() })
            .with_hint(format!(
                "write every figure of a thousand or more one way in a document, {usual_way} as most of them are"
            ));
            Located { diag, fragment: fragment.clone() }
        })
        .collect()
}

/// A text as characters with their byte offsets: lints scan by character and
/// report byte ranges.
pub(crate) struct Text<'a> {
    s: &'a str,
    cs: Vec<(usize, char)>,
}

impl<'a> Text<'a> {
    fn new(s: &'a str) -> Self {
        Text { s, cs: s.char_indices().collect() }
    }
    fn len(&self) -> usize {
        self.cs.len()
    }
    /// The character at `i`, or NUL past the end (never a panic).
    fn at(&self, i: usize) -> char {
        self.cs.get(i).map_or('\0', |&(_, c)| c)
    }
    fn get(&self, i: usize) -> Option<char> {
        self.cs.get(i).map(|&(_, c)| c)
    }
    /// Byte offset of character `i` (the text length past the end).
    fn byte(&self, i: usize) -> usize {
        self.cs.get(i).map_or(self.s.len(), |&(b, _)| b)
    }
    /// Character index of byte offset `b`.
    fn index(&self, b: usize) -> usize {
        self.cs.partition_point(|&(x, _)| x < b)
    }
    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.s.get(self.byte(from)..self.byte(to.max(from))).unwrap_or("")
    }
    /// First `pat` at or after character `from`, as a character index.
    fn find(&self, pat: &str, from: usize) -> Option<usize> {
        let b = self.byte(from);
        self.s.get(b..)?.find(pat).map(|x| self.index(b + x))
    }
    /// Last `pat` starting at or after character `from` and ending at or before `before`.
    fn rfind(&self, pat: &str, from: usize, before: usize) -> Option<usize> {
        let b = self.byte(from);
        self.s.get(b..self.byte(before))?.rfind(pat).map(|x| self.index(b + x))
    }
    /// First `pat` starting at or after `from` and ending at or before `to`.
    fn find_in(&self, pat: &str, from: usize, to: usize) -> Option<usize> {
        let b = self.byte(from);
        self.s.get(b..self.byte(to))?.find(pat).map(|x| self.index(b + x))
    }
    fn back_to(&self, i: usize, stops: &str) -> usize {
        let i = i.min(self.len());
        let limit = i.saturating_sub(REACH);
        (limit..i).rev().find(|&j| stops.contains(self.at(j))).map_or(limit, |j| j + 1)
    }
    /// Start of the clause holding character `i` (after ，。；： …).
    fn clause_start(&self, i: usize) -> usize {
        self.back_to(i, CLAUSE)
    }
    /// End of the clause starting at or holding character `i` (at most REACH on).
    fn clause_end(&self, i: usize) -> usize {
        let limit = self.len().min(i + REACH);
        (i..limit).find(|&j| CLAUSE.contains(self.at(j))).unwrap_or(limit)
    }
    /// Start of the sentence holding character `i`.
    fn sentence_start(&self, i: usize) -> usize {
        self.back_to(i, SENTENCE)
    }
}

const SENTENCE: &str = "。；！？;!?\n";
/// How far a lint looks for the rest of a pattern: a sentence or two. Keeps
/// the work linear in a long paragraph without punctuation.
const REACH: usize = 200;
const CLAUSE: &str = "，。；：！？,;:!?\n";

/// The fragment with some of its sentence around it, for messages.
fn quote(t: &Text, from: usize, to: usize) -> String {
    const AROUND: usize = 10;
    let mut a = from;
    while a > 0 && from - a < AROUND && !SENTENCE.contains(t.at(a - 1)) {
        a -= 1;
    }
    let mut b = to;
    while b < t.len() && b - to < AROUND && !SENTENCE.contains(t.at(b)) {
        b += 1;
    }
    format!(
        "{}{}{}",
        if a > 0 && !SENTENCE.contains(t.at(a - 1)) { "…" } else { "" },
        t.slice(a, b),
        if b < t.len() && !SENTENCE.contains(t.at(b)) { "…" } else { "" }
    )
}

/// The figures starting between characters `from` and `to` (nums are in text
/// order, so this is a binary search, not a scan).
fn nums_in<'n>(t: &Text, nums: &'n [num::Num], from: usize, to: usize) -> &'n [num::Num] {
    let (a, b) = (t.byte(from), t.byte(to));
    let lo = nums.partition_point(|n| n.range.start < a);
    let hi = nums.partition_point(|n| n.range.start < b).max(lo);
    &nums[lo..hi]
}

/// Units that count the same things: 人, 名 and 位 all count people.
fn same_unit(a: &str, b: &str) -> bool {
    let people = |u: &str| matches!(u, "人" | "名" | "位");
    a == b || (people(a) && people(b))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The fragments `code` finds in `text`.
    pub(crate) fn fragments(text: &str, code: Code) -> Vec<String> {
        lint_text(text).into_iter().filter(|f| f.code == code).map(|f| text[f.range].to_string()).collect()
    }

    #[test]
    fn odd_strings_never_panic() {
        let odd = [
            "",
            "其中",
            "（其中",
            "由",
            "由提高到",
            "占%",
            "%",
            "其中，",
            "共",
            "第",
            "百分之",
            "年月日",
            "x",
            "（",
            "）其中（",
            "12人（其中",
            "由1提高到",
            "其中正科",
            "\n\n",
            "\u{fffd}",
            "*",
            "其中5人（其中6人",
            "共计人",
            "、人为",
            "提拔人为、人为",
        ];
        for s in odd {
            let _ = lint_text(s);
            for cut in 0..s.chars().count() {
                let head: String = s.chars().take(cut).collect();
                let _ = lint_text(&head);
            }
        }
    }

    /// Deterministic pseudo-random strings over the characters the lints react to.
    fn noise(n: usize) -> Vec<String> {
        let alphabet: Vec<char> = "0123456789,.%％人名件次个项元万亿其中共计由从提高到降低减少增加占约近以上左右（）()【】待补充xX×*＿_?？某〇一二十百两，。；、：\n #|-"
            .chars()
            .collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        (0..n)
            .map(|_| {
                let len = (next() % 40) as usize;
                (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
            })
            .collect()
    }

    #[test]
    fn random_text_never_panics_and_ranges_are_valid() {
        for s in noise(20_000) {
            for f in lint_text(&s) {
                assert!(s.get(f.range.clone()).is_some_and(|x| !x.is_empty()), "{s:?} {f:?}");
            }
        }
    }

    #[test]
    fn random_documents_locate_inside_the_markdown() {
        for body in noise(3_000) {
            let md = format!(
                "---\ntitle: xx{body}\n---\n## {body}\n\n{body}\n\n| a | {body} |\n|---|---|\n| {body} | x |\n"
            );
            let (doc, _) = crate::markup::parse_document(&md, FileId(0));
            let Some(doc) = doc else { continue };
            for l in check_document(&doc, &md, FileId(0), &[]) {
                let r = l.diag.span.expect("span").range;
                assert!(r.start <= r.end && md.get(r.clone()).is_some(), "{md:?} {r:?}");
            }
        }
    }

    #[test]
    fn table_headers_are_labels_but_cells_are_figures() {
        let md = "| 单位 | 占比% |\n|---|---|\n| 甲 | % |\n";
        let (doc, _) = crate::markup::parse_document(md, FileId(0));
        let doc = doc.expect("document");
        let found: Vec<usize> = check_document(&doc, md, FileId(0), &[])
            .into_iter()
            .filter_map(|l| l.diag.span.map(|s| s.range.start))
            .collect();
        assert_eq!(found, vec![md.rfind('%').expect("cell")]);
    }
}

#[cfg(test)]
mod seeds;

#[cfg(test)]
mod script_tests {
    use super::*;

    fn codes(text: &str) -> Vec<(&'static str, String)> {
        lint_text(text).into_iter().map(|f| (f.code.as_str(), text[f.range].to_string())).collect()
    }

    #[test]
    fn traditional_text_is_linted_as_its_simplified_copy() {
        // 萬 and 增長 are read only in the Simplified copy (万, 增长).
        for (text, code, fragment) in [
            ("經費由1.2萬元提高到9000元", Code::LintRiseFall, "9000元"),
            ("補助由人均1.5萬元增長到9000元", Code::LintRiseFall, "9000元"),
            ("政協常委為45人，其中黨外人士為28人，佔65%", Code::LintShare, "65%"),
        ] {
            let f = lint_text(text);
            assert_eq!(codes(text), [(code.as_str(), fragment.to_string())], "{text}: {f:?}");
        }
        assert!(lint_text("經費由1.2萬元提高到1.5萬元").is_empty(), "a real rise");
    }

    #[test]
    fn findings_quote_the_traditional_text() {
        let text = "經費由人均20230元提高到300元，黨員幹部";
        let f = lint_text(text);
        assert!(!f.is_empty(), "{f:?}");
        for x in &f {
            assert!(!x.message.contains('经') && !x.message.contains('费'), "{}", x.message);
            assert!(text.get(x.range.clone()).is_some(), "a range of the original text");
        }
    }

    #[test]
    fn simplified_text_is_not_converted() {
        assert!(!"政协常委为45人，其中党外人士为28人，占65%".chars().any(is_traditional_marker));
        assert!("政協常委為45人".chars().any(is_traditional_marker));
    }
}
