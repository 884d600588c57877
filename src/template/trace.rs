//! Which template line produced a line of rendered Markdown.
//!
//! Problems are found in the rendered text, but authors fix templates: a
//! diagnostic is moved to the template line that can produce its rendered
//! line — literally, or with its tags printing anything — or, failing that,
//! to the one template line holding the text around it.

use crate::diag::{Diagnostic, FileId, Sources};

use super::TemplateSet;

/// The one template line equal to (`whole`) or containing `needle`:
/// (file, line, 1-based column of the needle); None when none or several do.
pub fn unique_in_templates(
    templates: &TemplateSet,
    sources: &Sources,
    needle: &str,
    whole: bool,
) -> Option<(FileId, usize, usize)> {
    let mut hits = templates.files().filter_map(|f| sources.get(f).map(|src| (f, src))).flat_map(|(f, src)| {
        (1..=src.text.lines().count()).flat_map(move |l| {
            let line = src.line_text(l);
            let found: Vec<usize> = if whole {
                if line == needle { vec![0] } else { vec![] }
            } else {
                line.match_indices(needle).map(|(i, _)| i).collect()
            };
            found.into_iter().map(move |i| (f, l, line[..i].chars().count() + 1))
        })
    });
    let first = hits.next()?;
    hits.next().is_none().then_some(first)
}

/// A lint finding in the rendered text, moved to the template: to the one
/// template line that renders to the whole rendered line (literally, or with
/// its tags printing anything), else to the one template line containing the
/// clause around the fragment, or the fragment with a few characters either
/// side. Lines assembled by loops and filters match nothing and stay on the
/// rendered line (the file is named "… (rendered)").
pub fn point_fragment_at_templates(
    d: &mut Diagnostic,
    fragment: &str,
    rendered: FileId,
    templates: &TemplateSet,
    sources: &Sources,
) {
    let Some(span) = d.span.as_ref().filter(|s| s.file == rendered) else { return };
    let Some(rfile) = sources.get(rendered) else { return };
    let (line, col) = rfile.line_col(span.range.start);
    let text = rfile.line_text(line);
    let chars: Vec<char> = text.chars().collect();
    let at = (col - 1).min(chars.len());
    let len = fragment.chars().count().max(1);
    let end = (at + len).min(chars.len());
    let is_stop = |c: char| "，。；：、！？,;:!?".contains(c);
    let clause_from = (0..at).rev().find(|&i| is_stop(chars[i])).map_or(0, |i| i + 1);
    let clause_to = (end..chars.len()).find(|&i| is_stop(chars[i])).unwrap_or(chars.len());
    if let Some((f, l, c)) = unique_pattern_line(templates, sources, text, at) {
        d.span = Some(sources.span_at(f, l, c));
        return;
    }
    for (from, to) in [(clause_from, clause_to), (at.saturating_sub(4), (end + 4).min(chars.len()))] {
        let needle: String = chars[from..to].iter().collect();
        if needle.trim().chars().count() < 4 {
            continue;
        }
        if let Some((f, l, c)) = unique_in_templates(templates, sources, &needle, false) {
            d.span = Some(sources.span_at(f, l, c + (at - from)));
            return;
        }
    }
}

/// The one template line that can render to `line`: equal to it, or equal
/// once each `{{ … }}`, `{% … %}` and `{# … #}` on it prints anything — how a
/// sentence with figures from the data ("提拔任用{{ n }}人") is traced back —
/// with the 1-based column in it of the rendered line's character `at`. Needs
/// at least four literal characters, so that lines made of tags alone match
/// nothing.
fn unique_pattern_line(
    templates: &TemplateSet,
    sources: &Sources,
    line: &str,
    at: usize,
) -> Option<(FileId, usize, usize)> {
    let mut hits = templates.files().filter_map(|f| sources.get(f).map(|src| (f, src))).flat_map(|(f, src)| {
        (1..=src.text.lines().count()).filter_map(move |l| {
            let cols = match_pattern(src.line_text(l), line)?;
            cols.get(at).map(|&c| (f, l, c + 1))
        })
    });
    let first = hits.next()?;
    hits.next().is_none().then_some(first)
}

/// A template line as literal pieces and holes (tags), each with its
/// starting character column.
fn pattern_pieces(tpl: &str) -> Vec<(Option<String>, usize)> {
    let chars: Vec<char> = tpl.chars().collect();
    let mut pieces = Vec::new();
    let mut lit = String::new();
    let mut lit_start = 0;
    let mut i = 0;
    while i < chars.len() {
        let close = match (chars[i], chars.get(i + 1)) {
            ('{', Some('{')) => Some('}'),
            ('{', Some('%')) => Some('%'),
            ('{', Some('#')) => Some('#'),
            _ => None,
        };
        let Some(close) = close else {
            if lit.is_empty() {
                lit_start = i;
            }
            lit.push(chars[i]);
            i += 1;
            continue;
        };
        if !lit.is_empty() {
            pieces.push((Some(std::mem::take(&mut lit)), lit_start));
        }
        pieces.push((None, i));
        i = (i + 2..chars.len().saturating_sub(1))
            .find(|&j| chars[j] == close && chars[j + 1] == '}')
            .map_or(chars.len(), |j| j + 2);
    }
    if !lit.is_empty() {
        pieces.push((Some(lit), lit_start));
    }
    pieces
}

/// The template column of each character of `rendered`, if `tpl` (with
/// holes) can render to it; None for lines with too little literal text.
fn match_pattern(tpl: &str, rendered: &str) -> Option<Vec<usize>> {
    let pieces = pattern_pieces(tpl);
    let literal: usize = pieces.iter().filter_map(|(p, _)| p.as_ref()).map(|p| p.trim().chars().count()).sum();
    if literal < 4 {
        return None;
    }
    let r: Vec<char> = rendered.chars().collect();
    let mut cols = Vec::with_capacity(r.len());
    let mut pos = 0;
    let mut hole: Option<usize> = None;
    for (k, (piece, start)) in pieces.iter().enumerate() {
        let Some(lit) = piece else {
            hole = Some(*start);
            continue;
        };
        let lc: Vec<char> = lit.chars().collect();
        let last = k + 1 == pieces.len();
        let found = match (hole, last) {
            (None, _) => r.get(pos..pos + lc.len()).filter(|w| *w == &lc[..]).map(|_| pos),
            (Some(_), true) => r.len().checked_sub(lc.len()).filter(|&s| s >= pos && r[s..] == lc[..]),
            (Some(_), false) => {
                (pos..=r.len().saturating_sub(lc.len())).find(|&s| r.get(s..s + lc.len()) == Some(&lc[..]))
            }
        }?;
        cols.extend(std::iter::repeat_n(hole.unwrap_or(*start), found - pos));
        cols.extend((0..lc.len()).map(|i| start + i));
        pos = found + lc.len();
        hole = None;
    }
    match hole {
        Some(h) => cols.extend(std::iter::repeat_n(h, r.len() - pos)),
        None if pos != r.len() => return None,
        None => {}
    }
    Some(cols)
}

#[cfg(test)]
mod tests {
    use super::match_pattern;

    #[test]
    fn template_lines_with_tags_match_what_they_render() {
        let tpl = "政协机关提拔任用{{ n }}人（其中正科{{ a }}人）。";
        let cols = match_pattern(tpl, "政协机关提拔任用人（其中正科人）。").expect("matches");
        let r: Vec<char> = "政协机关提拔任用人（其中正科人）。".chars().collect();
        let t: Vec<char> = tpl.chars().collect();
        assert_eq!(t[cols[8]], '人');
        assert_eq!(t[cols[14]], '人');
        let cols = match_pattern(tpl, "政协机关提拔任用12人（其中正科5人）。").expect("matches");
        assert_eq!(cols[8], tpl.chars().position(|c| c == '{').expect("tag"), "a figure maps to its tag");
        assert_eq!(r.len(), 17);
        assert!(match_pattern(tpl, "别的句子。").is_none());
        assert!(match_pattern("{{ a }}{{ b }}", "任何文字").is_none(), "tags alone match nothing");
        assert_eq!(match_pattern("没有标签的一行", "没有标签的一行"), Some(vec![0, 1, 2, 3, 4, 5, 6]));
        assert!(match_pattern("没有标签的一行", "没有标签的二行").is_none());
        assert!(match_pattern("{% if x %}共{{ n }}件{% endif %}，", "共5件，").is_none(), "too little text");
        assert!(match_pattern("由{{ a }}元提高到{{ b }}元", "由20230元提高到300元").is_some());
        assert!(match_pattern("开头的一段话{{ a", "开头的一段话随便").is_some(), "unclosed tag never panics");
    }
}
