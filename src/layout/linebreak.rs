//! Line breaking: where lines end, and where every glyph of a line goes.
//!
//! Takes the atoms `shape` measured and returns set lines (glyphs with x
//! positions inside the text block); `paginate` decides which page each line
//! goes on and never looks inside one. The rules, in order:
//!
//! 1. Break opportunities come from UAX #14 (`unicode_linebreak`), tailored
//!    for Chinese: a break is allowed on either side of a full-width
//!    character (UAX #14 class ID), quotation marks included (Unicode 15.1
//!    LB19a treats East Asian quotes so; the crate implements 15.0), and
//!    never inside a Latin word or a number ("COVID-19", "12.5%", "6+X").
//! 2. 避头尾 (GB/T 15834-2011 §5 and JIS X 4051 §3.1.7 禁则): no line starts
//!    with a mark of `NO_LINE_START`, none ends with one of `NO_LINE_END`,
//!    and the two halves of "——" and "……" stay together.
//! 3. Lines are filled first-fit, as Word and LibreOffice fill them, at
//!    their widths (one em plus the DOCX run spacing for a full-width
//!    character, the advance plus spacing for the rest: `Frame::spacing`):
//!    each line takes all that fits and ends at the last opportunity, so a
//!    mark that may not start a line goes down with the character before it
//!    (push-down). Nothing is squeezed, so the DOCX, laid out by a word
//!    processor, keeps the PDF's lines (docs/docx.md § Layout agreement).
//!    Titles and table headers are balanced instead (`balanced`).
//! 4. Justification spreads what is left over the gaps between characters
//!    (never inside a Latin word or number) so the last glyph's set width
//!    ends on the block's right edge; a line a little wider at the PDF's own
//!    widths than at the word processors' closes its gaps as much. A
//!    paragraph's last line, and a line ended by a hard break, keep their
//!    natural spacing.
//!
//! Deterministic: only +, −, ×, ÷ on floats, ties broken by position.

use std::ops::Range;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::shape::Atom;

/// Lengths closer than this (points) are equal.
const EPS: f64 = 1e-6;

// ---------------------------------------------------------------------------
// Break classes and the 避头尾 tables.

/// 避头: marks that must not begin a line. GB/T 15834-2011 §5.1.4 (句号、
/// 问号、叹号、逗号、顿号、分号、冒号 and the closing halves of 引号、括号、
/// 书名号 are not set at the start of a line) and JIS X 4051 §3.1.7 classes
/// cl-02 (closing brackets), cl-04/05 (?!), cl-06 (句点), cl-07 (读点),
/// cl-08 (…‥), cl-10 (‰℃ after numbers), plus their half-width forms.
pub(crate) const NO_LINE_START: &[char] = &[
    '，', '。', '、', '；', '：', '？', '！', '）', '》', '」', '』', '】', '〉', '〕', '］', '｝', '〗', '〙', '〛',
    '”', '’', '…', '‥', '%', '％', '‰', '℃', '·', '・', '．', '｡', '､', '.', ',', ';', ':', '?', '!', ')', ']', '}',
];

/// 避尾: marks that must not end a line: the opening halves of 引号、括号、
/// 书名号 (GB/T 15834-2011 §5.1.4; JIS X 4051 cl-01), full and half width.
pub(crate) const NO_LINE_END: &[char] =
    &['（', '《', '「', '『', '【', '〈', '〔', '［', '｛', '〖', '〘', '〚', '“', '‘', '(', '[', '{'];

/// Marks set as a pair of two cells that never splits: 破折号 "——" and
/// 省略号 "……" (GB/T 15834-2011 §4.13, §4.11: each occupies two characters'
/// space; JIS X 4051 cl-08 forbids a break inside).
const PAIRED: &[char] = &['—', '―', '…', '‥'];

/// Punctuation that belongs inside a Latin word or a number ("COVID-19",
/// "km/h", "R&D", "6+X"): UAX #14 would allow a break after some of them
/// (HY, SY), wengao keeps words whole.
const WORD_PUNCTUATION: &[char] =
    &['-', '_', '/', '+', '&', '@', '#', '\'', '*', '=', '~', '^', '$', '\\', '|', '<', '>'];

/// Words after which a title breaks well when no punctuation offers a
/// place ("关于 / …", "…的 / 通知"): a stand-in for a word segmenter.
const TITLE_BREAK_AFTER: &[&str] = &["关于", "的", "和", "与", "及", "暨"];

/// Words before which a title breaks well ("中共青溪县委 / 关于…").
const TITLE_BREAK_BEFORE: &[&str] = &["关于"];

/// How a character takes part in line breaking: the Chinese tailoring of
/// the UAX #14 classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BreakClass {
    /// Opening brackets and quotes (`NO_LINE_END`; UAX #14 OP, QU Pi).
    Opening,
    /// Closing marks (`NO_LINE_START`; UAX #14 CL, CP, IS, EX, NS, PO, QU Pf, IN).
    Closing,
    /// Han, kana, full-width forms and other wide characters: a break is
    /// allowed on either side (UAX #14 ID, LB31).
    Ideographic,
    /// Letter, digit or word-inner punctuation of a Latin word or number.
    WordPart,
    /// A breaking space: a line may end after it, and it is dropped there
    /// (UAX #14 LB7, LB18).
    Space,
    /// Anything else: UAX #14 decides.
    Other,
}

impl BreakClass {
    /// The class of `ch`; `wide` says whether it is set full-width.
    pub(crate) fn of(ch: char, wide: bool) -> BreakClass {
        if NO_LINE_END.contains(&ch) {
            BreakClass::Opening
        } else if NO_LINE_START.contains(&ch) {
            BreakClass::Closing
        } else if ch == ' ' {
            BreakClass::Space
        } else if wide {
            BreakClass::Ideographic
        } else if ch.is_alphanumeric() || WORD_PUNCTUATION.contains(&ch) {
            BreakClass::WordPart
        } else {
            BreakClass::Other
        }
    }
}

/// Whether a line may end between `a` and `b`, given what plain UAX #14 says.
fn may_break(a: &Atom, b: &Atom, uax14: bool) -> bool {
    use BreakClass::*;
    if b.class == Closing || a.class == Opening {
        // 避头尾 wins over everything (rule 2 of the module docs).
        return false;
    }
    if a.ch == b.ch && PAIRED.contains(&a.ch) {
        return false;
    }
    if a.class == WordPart && b.class == WordPart {
        return false;
    }
    if b.class == Space {
        return false; // UAX #14 LB7: no break before spaces.
    }
    if a.class == Space {
        return true; // LB18: break after spaces.
    }
    if a.wide || b.wide {
        return true; // LB31 for ID, and East Asian quotes as in Unicode 15.1 LB19a.
    }
    uax14
}

/// May a line end before this atom?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opportunity {
    /// No.
    No,
    /// Yes.
    Allowed,
    /// Only because the word around it is wider than the line.
    Emergency,
}

// ---------------------------------------------------------------------------
// Setting and balancing lines.

/// A last line that leaves less than this many cells empty is justified
/// too: a gap of one cell at the end reads as a mistake, not as the end of
/// a paragraph (and such a line is measured as a full line).
const NEARLY_FULL_CELLS: f64 = 2.0;
/// Such a nearly full line (and a nearly full centred one) is spread only
/// while each gap opens by at most this share of a cell: over the twenty
/// gaps of a body line the spreading is invisible, but two characters of a
/// narrow table header pushed to the edges of their cell read as "提  案".
const NEARLY_FULL_MAX_GAP: f64 = 0.25;
/// Title balancing: cost of a break that is not at punctuation, a change of
/// script or next to a `TITLE_BREAK_AFTER`/`TITLE_BREAK_BEFORE` word, in
/// squared cells. Three: a good break is worth two lines being one
/// character off balance each (14 + 16 rather than 15 + 15 that splits a
/// word), not more.
const TITLE_POOR_BREAK: f64 = 3.0;
/// A bracketed or quoted group at most this many cells wide, marks
/// included ("（万元）", "（开发区）", "“红黄绿”"), is a unit in titles and
/// table cells: a title or header breaks inside it only when nothing else
/// fits, and a table column is made wide enough to hold it.
const SHORT_GROUP_CELLS: f64 = 5.0;
/// Title balancing: cost of breaking inside such a short group, in squared
/// cells: more than balance usually buys ("乡镇（开 / 发区）" is worse than
/// "乡镇 / （开发区）").
const TITLE_GROUP_BREAK: f64 = 8.0;
/// Cost of breaking a title inside a title in 书名号, whatever its length:
/// so high that it happens only when no other break fits (a book title
/// longer than a line).
const TITLE_BOOK_TITLE_BREAK: f64 = 1000.0;
/// Costs closer than this are equal (then the earlier lines take more).
const COST_EPS: f64 = 1e-9;

// ---------------------------------------------------------------------------
// Paragraph shape and the result types.

/// How lines of a paragraph are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Spread to both edges, last line left (body text, GB/T 9704 §5.2.2 grid).
    Justify,
    /// Left, natural spacing.
    Left,
    /// Centred (titles, table headers).
    Center,
    /// Right (dates, number columns).
    Right,
}

/// The frame a paragraph is set in, in points from the block's left edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    /// Width lines are measured against (from x = 0).
    pub width: f64,
    /// Where the first line starts.
    pub first_indent: f64,
    /// Where every other line starts (hanging indents of 附件说明).
    pub rest_indent: f64,
    /// Alignment.
    pub align: Align,
    /// One full-width cell at the paragraph's size: the unit of costs.
    pub cell: f64,
    /// Space Word and LibreOffice add after every character of this
    /// paragraph (the DOCX run spacing, `Style::run_spacing`): lines are
    /// filled as they fill them (`first_fit`), so the DOCX keeps the PDF's lines.
    pub spacing: f64,
}

/// One line as a range of atoms of its paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineSpan {
    /// First atom.
    pub start: usize,
    /// One past the last atom (trailing spaces included; they are not drawn).
    pub end: usize,
    /// The paragraph's first line (gets the first indent).
    pub first: bool,
    /// Ends the paragraph or a hard break: natural spacing.
    pub last: bool,
}

/// A glyph placed on a line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SetGlyph {
    /// Left edge of the glyph's em box, from the block's left edge.
    pub x: f64,
    /// What is drawn.
    pub atom: Atom,
}

/// A finished line: glyphs left to right.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct SetLine {
    /// The glyphs (none for a blank line).
    pub glyphs: Vec<SetGlyph>,
    /// A dot leader from x to x (目录 entries: text …… page), drawn as dots
    /// rather than characters so that the text of the line stays the text.
    pub leader: Option<(f64, f64)>,
}

impl SetLine {
    /// Left edge of the first glyph and right edge of the last glyph's set width.
    pub fn extent(&self) -> Option<(f64, f64)> {
        let first = self.glyphs.first()?;
        let last = self.glyphs.last()?;
        Some((first.x, last.x + last.atom.width))
    }

    /// Move every glyph by `dx`.
    pub fn shift(&mut self, dx: f64) {
        for g in &mut self.glyphs {
            g.x += dx;
        }
    }

    /// The characters of the line.
    #[cfg(test)]
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.atom.ch).collect()
    }
}

/// A paragraph ready to be broken into lines, any number of times.
#[derive(Debug, Clone)]
pub(crate) struct Paragraph {
    atoms: Vec<Atom>,
    /// Ranges of `atoms` between hard breaks.
    chunks: Vec<Range<usize>>,
    /// `opportunity[i]`: may a line end before atom i.
    opportunity: Vec<Opportunity>,
    /// `in_group[i]`: a break before atom i falls inside a short bracketed
    /// or quoted group (`SHORT_GROUP_CELLS`).
    in_group: Vec<bool>,
    /// Prefix sums of natural widths.
    width_sum: Vec<f64>,
    /// Prefix sums of the widths word processors give the atoms: one em
    /// for a full-width character, the font's advance for the rest, each
    /// plus the frame's `spacing`.
    fit_sum: Vec<f64>,
    frame: Frame,
}

impl Paragraph {
    /// Prepare `chunks` (atoms between hard breaks) for breaking in `frame`.
    pub fn new(chunks: Vec<Vec<Atom>>, frame: Frame) -> Paragraph {
        Paragraph::with_words(chunks, frame, false)
    }

    /// Like `new`, but a line never ends inside a Chinese word
    /// (`crate::words`) unless the word is wider than the frame: for table
    /// cells, where "县农业农/村局" reads as a typo.
    pub fn keeping_words(chunks: Vec<Vec<Atom>>, frame: Frame) -> Paragraph {
        Paragraph::with_words(chunks, frame, true)
    }

    fn with_words(chunks: Vec<Vec<Atom>>, frame: Frame, keep_words: bool) -> Paragraph {
        let mut atoms = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        let mut ranges = Vec::with_capacity(chunks.len());
        for c in chunks {
            let start = atoms.len();
            atoms.extend(c);
            ranges.push(start..atoms.len());
        }
        let n = atoms.len() + 1;
        let (mut width_sum, mut fit_sum) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let (mut w, mut f) = (0.0, 0.0);
        width_sum.push(w);
        fit_sum.push(f);
        for a in &atoms {
            w += a.width;
            f += if a.wide { a.size } else { a.width } + frame.spacing;
            width_sum.push(w);
            fit_sum.push(f);
        }
        let in_group = short_groups(&atoms, &ranges, &width_sum, SHORT_GROUP_CELLS * frame.cell);
        let mut p = Paragraph {
            fit_sum,
            in_group,
            opportunity: vec![Opportunity::No; atoms.len() + 1],
            atoms,
            chunks: ranges,
            width_sum,
            frame,
        };
        for c in 0..p.chunks.len() {
            p.find_opportunities(p.chunks[c].clone(), keep_words);
        }
        p
    }

    fn find_opportunities(&mut self, chunk: Range<usize>, keep_words: bool) {
        if chunk.len() < 2 {
            return;
        }
        let text: String = self.atoms[chunk.clone()].iter().map(|a| a.ch).collect();
        // UAX #14 on the chunk, byte offsets mapped back to atom indices.
        let mut uax = vec![false; chunk.len() + 1];
        let mut offsets = text.char_indices().map(|(b, _)| b).enumerate().peekable();
        for (byte, kind) in linebreaks(&text) {
            while offsets.peek().is_some_and(|&(_, b)| b < byte) {
                offsets.next();
            }
            if let Some(&(i, b)) = offsets.peek()
                && b == byte
                && kind == BreakOpportunity::Allowed
            {
                uax[i] = true;
            }
        }
        for i in chunk.start + 1..chunk.end {
            if may_break(&self.atoms[i - 1], &self.atoms[i], uax[i - chunk.start]) {
                self.opportunity[i] = Opportunity::Allowed;
            }
        }
        if keep_words {
            let chars: Vec<char> = self.atoms[chunk.clone()].iter().map(|a| a.ch).collect();
            let inside = crate::words::inside_words(&chars);
            for i in chunk.start + 1..chunk.end {
                if inside[i - chunk.start] {
                    self.opportunity[i] = Opportunity::No;
                }
            }
        }
        // A word wider than the narrowest line may break anywhere that
        // 避头尾 still allows.
        let narrowest = self.frame.width - self.frame.first_indent.max(self.frame.rest_indent);
        let mut seg_start = chunk.start;
        for i in chunk.start + 1..=chunk.end {
            if i < chunk.end && self.opportunity[i] == Opportunity::No {
                continue;
            }
            let end = self.trim_end(seg_start, i);
            if self.width_sum[end] - self.width_sum[seg_start] > narrowest + EPS {
                for k in seg_start + 1..end {
                    let (a, b) = (&self.atoms[k - 1], &self.atoms[k]);
                    if b.class != BreakClass::Closing && a.class != BreakClass::Opening {
                        self.opportunity[k] = Opportunity::Emergency;
                    }
                }
            }
            seg_start = i;
        }
    }

    /// End of a line `[start, end)` without its trailing spaces.
    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start && self.atoms[end - 1].class == BreakClass::Space {
            end -= 1;
        }
        end
    }

    /// Room for a line starting at atom `start` of chunk `chunk`.
    fn avail(&self, chunk: usize, start: usize) -> f64 {
        let first = chunk == 0 && self.chunks.first().is_some_and(|c| c.start == start);
        self.frame.width - if first { self.frame.first_indent } else { self.frame.rest_indent }
    }

    /// Is a break before atom `j` a good place to split a title?
    fn good_title_break(&self, j: usize) -> bool {
        let (a, b) = (&self.atoms[j - 1], &self.atoms[j]);
        if a.class == BreakClass::Closing || b.class == BreakClass::Opening || a.class == BreakClass::Space {
            return true;
        }
        if a.wide != b.wide {
            return true;
        }
        let ends_with = |w: &&str| {
            let n = w.chars().count();
            j >= n && self.atoms[j - n..j].iter().map(|a| a.ch).eq(w.chars())
        };
        let starts_with = |w: &&str| {
            let n = w.chars().count();
            j + n <= self.atoms.len() && self.atoms[j..j + n].iter().map(|a| a.ch).eq(w.chars())
        };
        TITLE_BREAK_AFTER.iter().any(ends_with) || TITLE_BREAK_BEFORE.iter().any(starts_with)
    }

    /// Whether a break before atom `j` falls inside a title in 书名号 opened
    /// after `from` (《中华人民共和国 / 政府信息公开条例》 reads as two titles).
    fn inside_book_title(&self, from: usize, j: usize) -> bool {
        let depth = self.atoms[from..j].iter().fold(0i32, |d, a| match a.ch {
            '《' => d + 1,
            '》' => (d - 1).max(0),
            _ => d,
        });
        depth > 0
    }

    /// Cost of the line `[i, j)` of chunk `chunk` among balanced lines of
    /// about `target` points, in squared cells; `None` if it cannot be set.
    fn cost(&self, chunk: usize, i: usize, j: usize, target: f64, room: f64) -> Option<f64> {
        let range = &self.chunks[chunk];
        let last = j == range.end;
        let end = self.trim_end(i, j);
        let avail = self.avail(chunk, i).min(room);
        let natural = self.width_sum[end] - self.width_sum[i];
        let cell = self.frame.cell.max(EPS);
        if natural > avail + EPS {
            return None;
        }
        let chars = self.atoms[i..end].iter().filter(|a| a.class != BreakClass::Space).count();
        if chars == 1 && range.len() > 1 {
            return None; // never one character alone on a title line
        }
        let off = (natural - target) / cell;
        let poor = if last {
            0.0
        } else if self.inside_book_title(range.start, j) {
            TITLE_BOOK_TITLE_BREAK
        } else if self.in_group[j] {
            TITLE_GROUP_BREAK
        } else if self.good_title_break(j) {
            0.0
        } else {
            TITLE_POOR_BREAK
        };
        Some(off * off + poor)
    }

    /// Line ends (exclusive atom indices) for chunk `chunk` from atom `from`
    /// on: exactly `count` lines, none wider than `room`, as near `target`
    /// points each as the breaks allow (`cost`); `None` when impossible.
    fn balanced_fill(&self, chunk: usize, from: usize, count: usize, target: f64, room: f64) -> Option<Vec<usize>> {
        let range = from..self.chunks[chunk].end;
        if range.is_empty() {
            return (count == 1).then(|| vec![range.end]);
        }
        // Candidate line ends, after the chunk start.
        let mut points = vec![range.start];
        points.extend((range.start + 1..range.end).filter(|&i| self.opportunity[i] != Opportunity::No));
        points.push(range.end);
        let widest = room.min(self.frame.width - self.frame.first_indent.min(self.frame.rest_indent));
        // Feasible lines ending at each point, starts in descending order.
        let mut edges: Vec<Vec<(usize, f64)>> = vec![Vec::new(); points.len()];
        for jj in 1..points.len() {
            let j = points[jj];
            let tail = self.trim_end(range.start, j);
            for ii in (0..jj).rev() {
                let i = points[ii];
                if self.width_sum[tail] - self.width_sum[i] > widest + EPS {
                    break; // every earlier start is wider still
                }
                if let Some(c) = self.cost(chunk, i, j, target, room) {
                    edges[jj].push((ii, c));
                }
            }
        }
        let n = points.len();
        let best_of = |prev: &[Option<(f64, usize)>], jj: usize| -> Option<(f64, usize)> {
            let mut best: Option<(f64, usize)> = None;
            for &(ii, c) in &edges[jj] {
                if let Some((base, _)) = prev[ii] {
                    let total = base + c;
                    // Strictly better only: among equals the first seen (the
                    // latest start) wins, so earlier lines take more.
                    if best.is_none_or(|(b, _)| total < b - COST_EPS) {
                        best = Some((total, ii));
                    }
                }
            }
            best
        };
        if count == 0 {
            return None;
        }
        let mut table: Vec<Vec<Option<(f64, usize)>>> = Vec::with_capacity(count + 1);
        let mut row0 = vec![None; n];
        row0[0] = Some((0.0, 0));
        table.push(row0);
        for l in 1..=count {
            let prev = &table[l - 1];
            let row: Vec<Option<(f64, usize)>> =
                (0..n).map(|jj| if jj == 0 { None } else { best_of(prev, jj) }).collect();
            table.push(row);
        }
        table[count][n - 1]?;
        let mut ends = Vec::new();
        let mut jj = n - 1;
        for l in (1..=count).rev() {
            ends.push(points[jj]);
            jj = table[l][jj]?.1;
        }
        ends.reverse();
        Some(ends)
    }

    fn spans_of(&self, per_chunk: Vec<Vec<usize>>) -> Vec<LineSpan> {
        let mut spans = Vec::new();
        for (c, ends) in per_chunk.into_iter().enumerate() {
            let mut start = self.chunks[c].start;
            let count = ends.len();
            for (k, end) in ends.into_iter().enumerate() {
                spans.push(LineSpan { start, end, first: c == 0 && k == 0, last: k + 1 == count });
                start = end;
            }
        }
        spans
    }

    /// Line ends of chunk `c` filled first-fit, as Word and LibreOffice fill
    /// lines: each line takes all that fits at their widths (`fit_sum`) and
    /// ends at the last opportunity before the overflow, so a mark that may
    /// not start a line goes down with the character before it (push-down,
    /// never a squeeze). A word wider than the line breaks where 避头尾 still
    /// allows; a piece wider than the line overflows alone.
    fn first_fit(&self, c: usize, extra: f64) -> Vec<usize> {
        let range = self.chunks[c].clone();
        let mut ends = Vec::new();
        let mut start = range.start;
        while start < range.end {
            let avail = self.avail(c, start) + EPS;
            let (mut allowed, mut emergency) = (None, None);
            for j in start + 1..=range.end {
                let opportunity = if j == range.end { Opportunity::Allowed } else { self.opportunity[j] };
                if opportunity == Opportunity::No {
                    continue;
                }
                let end = self.trim_end(start, j);
                if self.fit_sum[end] - self.fit_sum[start] + extra * (end - start) as f64 > avail {
                    // Widths only grow: nothing later fits either.
                    if allowed.is_none() && emergency.is_none() {
                        // Nothing fits: the first piece overflows alone.
                        allowed = Some(j);
                    }
                    break;
                }
                match opportunity {
                    Opportunity::Allowed => allowed = Some(j),
                    _ => emergency = Some(j),
                }
            }
            // The chunk's end is always an opportunity, so one of them is set.
            let end = allowed.or(emergency).unwrap_or(range.end);
            ends.push(end);
            start = end;
        }
        ends
    }

    /// The lines, filled first-fit (rule 3 of the module docs).
    pub fn lines(&self) -> Vec<LineSpan> {
        self.lines_spaced(0.0)
    }

    /// The lines with `extra` points more run spacing after every
    /// character: a paragraph set a hair looser or tighter, as Word sets it
    /// with the same spacing, to repair a page break (`paginate`).
    pub fn lines_spaced(&self, extra: f64) -> Vec<LineSpan> {
        if self.atoms.is_empty() {
            return Vec::new();
        }
        let per_chunk = (0..self.chunks.len()).map(|c| self.first_fit(c, extra)).collect();
        self.spans_of(per_chunk)
    }

    /// Balanced lines for a title (GB/T 9704 §7.3.1: 梯形或菱形): as few
    /// lines as fit with at least `side_margin` points left on each side of
    /// every line (a title does not run the full width of the block),
    /// lengths as equal as possible, never one character alone on a line,
    /// breaks at punctuation or word boundaries when that costs at most
    /// about a character of balance, and not inside a title in 书名号.
    pub fn balanced(&self, side_margin: f64) -> Vec<LineSpan> {
        if self.atoms.is_empty() {
            return Vec::new();
        }
        let mut per_chunk = Vec::with_capacity(self.chunks.len());
        for c in 0..self.chunks.len() {
            let best = self.first_fit(c, 0.0);
            let range = &self.chunks[c];
            let total = self.width_sum[self.trim_end(range.start, range.end)] - self.width_sum[range.start];
            let room = self.frame.width - 2.0 * side_margin;
            let crowded = |ends: &[usize]| {
                let mut start = range.start;
                ends.iter().any(|&end| {
                    let width = self.width_sum[self.trim_end(start, end)] - self.width_sum[start];
                    start = end;
                    width > room + EPS
                })
            };
            if best.len() < 2 && !crowded(&best) {
                per_chunk.push(best);
                continue;
            }
            let counts = best.len().max(2)..best.len() + 3;
            let balanced = counts.filter_map(|n| self.balanced_fill(c, range.start, n, total / n as f64, room)).next();
            per_chunk.push(balanced.unwrap_or(best));
        }
        self.spans_of(per_chunk)
    }

    /// Width of each hard line (trailing spaces trimmed) at the word
    /// processors' widths: what a table column must hold so that Word sets
    /// the line whole too.
    pub fn line_widths(&self) -> Vec<f64> {
        self.chunks.iter().map(|c| self.fit_sum[self.trim_end(c.start, c.end)] - self.fit_sum[c.start]).collect()
    }

    /// Width of the widest hard line at the word processors' widths, as if
    /// the frame were unbounded (indents left out).
    pub fn max_content(&self) -> f64 {
        self.line_widths().into_iter().fold(0.0, f64::max)
    }

    /// Width (at the word processors' widths) of the widest piece that
    /// should not break: a word, a number, a character with the marks 避头尾
    /// binds to it, or a short bracketed group ("（万元）"). Only ordinary
    /// opportunities count, not the emergency breaks of a word wider than
    /// the frame.
    pub fn min_content(&self) -> f64 {
        let mut widest: f64 = 0.0;
        for c in &self.chunks {
            let mut start = c.start;
            for i in c.start + 1..=c.end {
                if i < c.end && (self.opportunity[i] != Opportunity::Allowed || self.in_group[i]) {
                    continue;
                }
                widest = widest.max(self.fit_sum[self.trim_end(start, i)] - self.fit_sum[start]);
                start = i;
            }
        }
        widest
    }

    /// Set the lines: spread (or close up) and align each.
    pub fn set(&self, spans: &[LineSpan]) -> Vec<SetLine> {
        spans.iter().map(|s| self.set_line(s)).collect()
    }

    fn set_line(&self, span: &LineSpan) -> SetLine {
        let start = span.start;
        let end = self.trim_end(start, span.end);
        if end <= start {
            return SetLine::default();
        }
        let f = self.frame;
        let indent = if span.first { f.first_indent } else { f.rest_indent };
        let avail = f.width - indent;
        let used = self.width_sum[end] - self.width_sum[start];
        let left_over = avail - used;
        let stretchable = |k: usize| -> bool {
            let (a, b) = (&self.atoms[k], &self.atoms[k + 1]);
            a.wide || b.wide || a.class == BreakClass::Space || b.class == BreakClass::Space
        };
        let gaps = (start..end - 1).filter(|&k| stretchable(k)).count();
        let nearly_full = left_over < NEARLY_FULL_CELLS * f.cell - EPS
            && left_over <= NEARLY_FULL_MAX_GAP * f.cell * gaps as f64 + EPS;
        // A line a little wider at the PDF's widths than at the word
        // processors' (which chose it) closes its gaps by as much.
        let closed_up = left_over < -EPS && end - start > 1;
        let spread_out = left_over > EPS
            && gaps > 0
            && match f.align {
                Align::Justify => !span.last || nearly_full,
                // A centred line that almost fills the block is spread like
                // a body line, so every near-full line ends on the edge.
                Align::Center => nearly_full,
                Align::Left | Align::Right => false,
            };
        let spread = if spread_out { left_over / gaps as f64 } else { 0.0 };
        // Between characters where spreading would go, else between all.
        let close_gaps = if gaps > 0 { gaps } else { end - start - 1 };
        let close = if closed_up { left_over / close_gaps as f64 } else { 0.0 };
        let used = if spread_out || closed_up { avail } else { used };
        let mut x = match f.align {
            Align::Justify | Align::Left => indent,
            Align::Center => indent + (avail - used) / 2.0,
            Align::Right => indent + avail - used,
        };
        let mut glyphs = Vec::with_capacity(end - start);
        for k in start..end {
            let a = self.atoms[k];
            glyphs.push(SetGlyph { x, atom: a });
            x += a.width;
            if k + 1 < end && (stretchable(k) || gaps == 0) {
                x += close;
            }
            if k + 1 < end && stretchable(k) {
                x += spread;
            }
        }
        SetLine { glyphs, leader: None }
    }
}

/// For each break position (before atom i), whether it falls inside a
/// bracketed or quoted group — an opening mark to its matching closing mark
/// in the same chunk — at most `limit` points wide.
fn short_groups(atoms: &[Atom], chunks: &[Range<usize>], width_sum: &[f64], limit: f64) -> Vec<bool> {
    let mut inside = vec![false; atoms.len() + 1];
    for c in chunks {
        let mut open: Vec<usize> = Vec::new();
        for k in c.clone() {
            match atoms[k].class {
                BreakClass::Opening => open.push(k),
                BreakClass::Closing if BRACKET_CLOSING.contains(&atoms[k].ch) => {
                    if let Some(o) = open.pop()
                        && width_sum[k + 1] - width_sum[o] <= limit + EPS
                    {
                        inside[o + 1..=k].iter_mut().for_each(|b| *b = true);
                    }
                }
                _ => {}
            }
        }
    }
    inside
}

/// Closing marks that end a group opened by a `NO_LINE_END` mark.
const BRACKET_CLOSING: &[char] =
    &['）', '》', '」', '』', '】', '〉', '〕', '］', '｝', '〗', '〙', '〛', '”', '’', ')', ']', '}'];

#[cfg(test)]
mod tests;
