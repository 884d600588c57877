//! From a position in a Document's text back to the rendered Markdown.
//!
//! The Document carries no source offsets (writers have no use for them), so
//! each text unit is searched for in the Markdown instead. Both sides are
//! compared with whitespace and the inline markup characters `*`, `_`, `\` and
//! `` ` `` removed, which undoes what parsing changed (soft line breaks joined,
//! `**bold**` and escapes gone) while keeping every printed character in order.
//! Body units are searched in document order from where the previous one was
//! found, so a sentence that occurs twice is reported where it really is;
//! front matter fields (printed out of order: 落款 at the end) are searched
//! in the whole text. A unit that cannot be found (a link, an HTML entity) is
//! located by its fragment alone.

fn skipped(c: char) -> bool {
    c.is_whitespace() || matches!(c, '*' | '_' | '\\' | '`')
}

/// Where a unit's normalised text starts in the normalised Markdown, and the
/// normalised offset of each of the unit's bytes.
pub(super) struct Place {
    start: usize,
    map: Vec<usize>,
}

pub(super) struct Locator<'a> {
    md: &'a str,
    /// The Markdown without skipped characters.
    norm: String,
    /// Markdown byte offset of each byte of `norm` (plus one past the end).
    offs: Vec<usize>,
    cursor: usize,
}

/// `text` without skipped characters, and for each byte of `text` the
/// offset in the result where that byte (or the next kept character) lands.
fn normalise(text: &str) -> (String, Vec<usize>) {
    let mut norm = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    for c in text.chars() {
        map.extend(std::iter::repeat_n(norm.len(), c.len_utf8()));
        if !skipped(c) {
            norm.push(c);
        }
    }
    map.push(norm.len());
    (norm, map)
}

impl<'a> Locator<'a> {
    pub(super) fn new(md: &'a str) -> Self {
        let mut norm = String::with_capacity(md.len());
        let mut offs = Vec::with_capacity(md.len() + 1);
        for (b, c) in md.char_indices() {
            if !skipped(c) {
                norm.push(c);
                offs.extend(std::iter::repeat_n(b, c.len_utf8()));
            }
        }
        offs.push(md.len());
        let body = crate::markup::body_offset(md);
        let cursor = offs.partition_point(|&b| b < body);
        Locator { md, norm, offs, cursor }
    }

    /// Find a unit; body units move the cursor past it.
    pub(super) fn find_unit(&mut self, text: &str, meta: bool) -> Option<Place> {
        let (unit, map) = normalise(text);
        if unit.is_empty() {
            return None;
        }
        let from = if meta { 0 } else { self.cursor };
        let start = from + self.norm.get(from..)?.find(&unit)?;
        if !meta {
            self.cursor = start + unit.len();
        }
        Some(Place { start, map })
    }

    /// Markdown byte offset of byte `at` of a unit's text (`fragment` starts there).
    pub(super) fn offset(&self, place: Option<&Place>, text: &str, at: usize, fragment: &str) -> usize {
        let k = place.and_then(|p| p.map.get(at).map(|&k| p.start + k));
        let found = match k {
            Some(k) => self.offs.get(k).copied(),
            None => self.by_fragment(text, at, fragment),
        };
        let Some(off) = found else { return 0 };
        if !fragment.starts_with(skipped) {
            return off;
        }
        // A fragment made of skipped characters (`__`, `**`) lands on the next
        // kept character: step back onto the fragment itself, or (escaped as
        // `\_\_`) to just after the character before it.
        let mut near = off.saturating_sub(fragment.len() + 8);
        while !self.md.is_char_boundary(near) {
            near -= 1;
        }
        if let Some(back) = self.md.get(near..off).and_then(|s| s.rfind(fragment)) {
            return near + back;
        }
        match k.filter(|&k| k > 0).and_then(|k| self.offs.get(k - 1)) {
            Some(&b) => b + self.md.get(b..).and_then(|s| s.chars().next()).map_or(0, char::len_utf8),
            None => off,
        }
    }

    /// A unit not found whole: the fragment with what follows it, then alone.
    fn by_fragment(&self, text: &str, at: usize, fragment: &str) -> Option<usize> {
        let tail: String = text.get(at..).unwrap_or_default().chars().take(fragment.chars().count() + 8).collect();
        for needle in [tail.as_str(), fragment] {
            let (n, _) = normalise(needle);
            if n.is_empty() {
                continue;
            }
            let hit = self.norm.get(self.cursor..).and_then(|s| s.find(&n)).map(|i| i + self.cursor);
            if let Some(i) = hit.or_else(|| self.norm.find(&n)) {
                return self.offs.get(i).copied();
            }
        }
        let raw = self.md.get(self.offs.get(self.cursor).copied().unwrap_or(0)..)?.find(fragment);
        raw.map(|i| i + self.offs.get(self.cursor).copied().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(md: &str, unit: &str, meta: bool, fragment: &str) -> usize {
        let mut l = Locator::new(md);
        let p = l.find_unit(unit, meta);
        let i = unit.find(fragment).expect("fragment in unit");
        l.offset(p.as_ref(), unit, i, fragment)
    }

    #[test]
    fn fragments_are_found_through_markup() {
        let md = "---\ntitle: xx县委工作\n---\n## 总体\n\n**一是**提拔任用\n人（其中正科人）。\n";
        assert_eq!(&md[at(md, "一是提拔任用人（其中正科人）。", false, "人（")..][..3], "人");
        assert_eq!(&md[at(md, "xx县委工作", true, "xx")..][..2], "xx");
        let md = "正文。\n\n同一句xx。\n\n同一句xx。\n";
        let mut l = Locator::new(md);
        let a = l.find_unit("正文。", false);
        assert!(a.is_some());
        let _ = l.find_unit("同一句xx。", false);
        let p = l.find_unit("同一句xx。", false);
        assert_eq!(l.offset(p.as_ref(), "同一句xx。", "同一句".len(), "xx"), md.rfind("xx").expect("twice"));
        let md = "联系人：\\_\\_\\_\\_\n";
        let off = at(md, "联系人：____", false, "____");
        assert!(md[off..].starts_with('_') || md[off..].starts_with('\\'), "{off}");
    }
}
