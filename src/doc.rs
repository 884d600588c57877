//! The Document AST: what every writer consumes.
//!
//! `markup` builds it from rendered Markdown; the writers in `write/` read it.
//! It holds content and structure only — never layout numbers (those live in
//! `style`) and never Markdown syntax.

/// One finished document: the 公文 header/footer blocks plus the body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Front matter fields (title, 落款, 成文日期 …).
    pub meta: Meta,
    /// Body blocks in reading order.
    pub blocks: Vec<Block>,
}

/// How headings get their 一、（一）1.（1） prefixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Numbering {
    /// wengao numbers headings per GB/T 9704 §7.3.3 (level 1 一、, level 2 （一）, level 3 1., level 4 （1）).
    #[default]
    Auto,
    /// Headings are printed exactly as written.
    Manual,
}

/// A calendar date as printed in 成文日期 (no zero padding: 2023年4月3日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Four-digit year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// 1–31.
    pub day: u32,
}

/// Front matter of a document (SPEC §5).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    /// 标题: one or several lines, as the author broke them.
    pub title: Vec<String>,
    /// Lines under the title: issuing unit, author.
    pub subtitle: Vec<String>,
    /// 主送机关.
    pub recipient: Option<String>,
    /// 落款: one line per signing body.
    pub signature: Vec<String>,
    /// 成文日期.
    pub date: Option<Date>,
    /// 附件说明: attachment names, numbered when there are several.
    pub attachments: Vec<String>,
    /// Heading numbering mode.
    pub numbering: Numbering,
    /// Output file stem chosen in front matter (`output:`), already validated.
    pub output: Option<String>,
    /// Text lints (Q…) this document silences (`allow:`), already validated.
    pub allow: Vec<String>,
    /// `toc: true`: the document is a 汇编 — a cover page (title, subtitle,
    /// date), a 目录 listing every `Block::Article` with its page, then the
    /// articles, each on a new page. The date goes on the cover, not under
    /// the text.
    pub toc: bool,
    /// Who wrote the document (`author:` in front matter, else `author` in
    /// wengao.toml): the DOCX `dc:creator` and the PDF `/Author`, before the
    /// signature.
    pub author: Option<String>,
    /// The language tag (BCP 47) of the text: "zh-CN", or "zh-Hant",
    /// "zh-TW", "zh-HK" for a document in Traditional script (`script` in
    /// wengao.toml, or the text as written). None means "zh-CN".
    pub language: Option<&'static str>,
    /// `format:` as written; `Meta::format` resolves the default.
    pub format: Option<Format>,
    /// 份号: six digits (GB/T 9704 §7.2.1).
    pub copy_no: Option<String>,
    /// 密级和保密期限 (秘密★1年).
    pub secrecy: Option<String>,
    /// 紧急程度 (特急 / 加急).
    pub urgency: Option<String>,
    /// 发文机关: one name, or several for 联合行文 (the host first).
    pub issuer: Vec<String>,
    /// 发文机关标志 as written (`issuer_mark:`); `Meta::mark` gives the default.
    pub issuer_mark: Option<String>,
    /// 发文字号 (青政办发〔2024〕5号).
    pub doc_no: Option<String>,
    /// 签发人 (上行文): one name per line of the 签发人 block.
    pub signers: Vec<String>,
    /// `seal: false`: 不加盖印章 (GB/T 9704 §7.3.5.2); None and true: 加盖印章.
    pub seal: Option<bool>,
    /// 附注, printed in parentheses under the date.
    pub note: Option<String>,
    /// 抄送机关.
    pub cc: Vec<String>,
    /// 印发机关 (default: the first issuer).
    pub printed_by: Option<String>,
    /// 印发日期 (default: the 成文日期).
    pub printed_on: Option<Date>,
    /// 纪要: 出席 (`present:`), one unit or name per item.
    pub present: Vec<String>,
    /// 纪要: 请假 (`absent:`).
    pub absent: Vec<String>,
    /// 纪要: 列席 (`observers:`).
    pub observers: Vec<String>,
    /// 简报: the 报/送/发 lines (`distribution:`), each with its label ("报：…").
    pub distribution: Vec<String>,
}

/// The form of a 公文 (GB/T 9704 §7, §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A material (经验材料, 总结, 报告): no 版头, no 版记.
    #[default]
    Material,
    /// 文件格式: 版头 with the red mark, 发文字号 and red rule; 版记.
    Document,
    /// 信函格式 (§10.1).
    Letter,
    /// 纪要格式 (§10.3).
    Minutes,
    /// 简报: the red 报头 at the top of the block, 期号, 编印单位 left and
    /// date right above a red rule; the 报/送/发 block at the foot of the
    /// last page. Not a form of GB/T 9704; laid out with its parts.
    Brief,
}

impl Format {
    /// The `format:` value that names it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Material => "material",
            Format::Document => "document",
            Format::Letter => "letter",
            Format::Minutes => "minutes",
            Format::Brief => "brief",
        }
    }

    /// Every value `format:` accepts.
    pub const ALL: [Format; 5] = [Format::Material, Format::Document, Format::Letter, Format::Minutes, Format::Brief];

    /// The format `format:` names, if any.
    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// The heading of the 目录 page of a collection.
pub const TOC_HEADING: &str = "目　录";

/// The start of one article of a collection (汇编): what follows, up to the
/// next `Article`, is its body. Writers start it on a new page and list it
/// in the 目录.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Article {
    /// Title lines, as the author broke them (one line usually).
    pub title: Vec<String>,
    /// Author lines centred under the title: a unit (中共青溪县委办公室) or a
    /// person with their post (县政协主席　沈书华), one per line.
    pub authors: Vec<String>,
}

impl Article {
    /// The title on one line, as the 目录 prints it.
    pub fn toc_title(&self) -> String {
        self.title.concat()
    }
}

/// Emphasis carried by a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunStyle {
    /// `**…**`: run-in leads such as **一是…。**
    pub bold: bool,
    /// `*…*`: rare in 公文; writers may render it as 楷体.
    pub italic: bool,
}

/// Inline content of a paragraph, heading or table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text with one style. Consecutive runs of the same style are merged by the parser.
    Text {
        /// The characters.
        text: String,
        /// Their emphasis.
        style: RunStyle,
    },
    /// A hard line break inside a paragraph.
    LineBreak,
}

impl Inline {
    /// Plain text run.
    pub fn plain(text: impl Into<String>) -> Self {
        Inline::Text { text: text.into(), style: RunStyle::default() }
    }
    /// Bold run.
    pub fn bold(text: impl Into<String>) -> Self {
        Inline::Text { text: text.into(), style: RunStyle { bold: true, italic: false } }
    }
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Writer's default (body cells left, numbers as written).
    #[default]
    Default,
    /// Left.
    Left,
    /// Centre.
    Center,
    /// Right.
    Right,
}

/// A GFM table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column alignments, one per column.
    pub align: Vec<Align>,
    /// Header row cells.
    pub header: Vec<Vec<Inline>>,
    /// Body rows.
    pub rows: Vec<Vec<Vec<Inline>>>,
    /// 表题, numbered: "表1 2023年提案分类情况" (a `Table:` or `表：` line
    /// next to the table in Markdown). Printed centred above the table.
    pub caption: Option<String>,
    /// The unit line: "单位：万元", printed flush right above the table.
    pub unit: Option<String>,
}

impl Table {
    /// Number of columns (the widest row).
    pub fn columns(&self) -> usize {
        self.rows.iter().map(Vec::len).chain([self.header.len()]).max().unwrap_or(0)
    }

    /// How column `c` is aligned, never `Default`: as the Markdown says,
    /// else right for a column of figures (every filled body cell one) and
    /// left for text. Every writer aligns by this, so Word and the PDF agree.
    pub fn column_align(&self, c: usize) -> Align {
        match self.align.get(c).copied().unwrap_or_default() {
            Align::Default => {
                let mut cells = self.rows.iter().filter_map(|r| r.get(c)).filter(|c| !c.is_empty()).peekable();
                if cells.peek().is_some() && cells.all(|c| is_figure(c)) { Align::Right } else { Align::Left }
            }
            set => set,
        }
    }

    /// Gives every figure of a column of figures as many decimals as the
    /// most precise of them, with trailing zeros ("16.7%, 20%, 100%" →
    /// "16.7%, 20.0%, 100.0%"): a column reads as one measure. Only zeros
    /// are added, never a figure rounded; cells with emphasis are left alone.
    pub fn align_decimals(&mut self) {
        for c in 0..self.columns() {
            let cells: Vec<&Vec<Inline>> =
                self.rows.iter().filter_map(|r| r.get(c)).filter(|c| !c.is_empty()).collect();
            if cells.is_empty() || !cells.iter().all(|c| is_figure(c)) {
                continue;
            }
            let decimals = |text: &str| {
                text.split_once('.').map_or(0, |(_, f)| f.chars().take_while(char::is_ascii_digit).count())
            };
            let most = cells.iter().map(|c| decimals(&inline_text(c))).max().unwrap_or(0);
            if most == 0 {
                continue;
            }
            for row in &mut self.rows {
                let Some(cell) = row.get_mut(c) else { continue };
                let [Inline::Text { text, style }] = cell.as_mut_slice() else { continue };
                if *style != RunStyle::default() {
                    continue;
                }
                let have = decimals(text);
                if have == most {
                    continue;
                }
                // The digits end before a trailing unit sign (%, ‰).
                let end = text.trim_end().trim_end_matches(['%', '‰']).len();
                let zeros = "0".repeat(most - have);
                let point = if have == 0 { "." } else { "" };
                text.insert_str(end, &format!("{point}{zeros}"));
            }
        }
    }

    /// Whether body row `r` totals the rows above it: its first cell says
    /// 合计, 总计, 小计 or 共计.
    pub fn is_total_row(&self, r: usize) -> bool {
        let label = self.rows.get(r).and_then(|row| row.first()).map(|c| inline_text(c)).unwrap_or_default();
        let label: String = label.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
        matches!(label.as_str(), "合计" | "总计" | "小计" | "共计" | "合計" | "總計" | "小計" | "共計")
    }

    /// How body cell (`r`, `c`) is aligned: the column's way, except the
    /// label of a total row, which is centred.
    pub fn cell_align(&self, r: usize, c: usize) -> Align {
        if c == 0 && self.is_total_row(r) { Align::Center } else { self.column_align(c) }
    }
}

/// A cell that holds a figure: digits with separators, a decimal point, a
/// sign or a percent sign (1,280 · 12.5 · 96.3% · −4.2).
fn is_figure(cell: &[Inline]) -> bool {
    let text = inline_text(cell);
    let t = text.trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_digit() || ".,%‰+-−".contains(c))
}

/// Split `total` into integer parts proportional to `weights`, the rounding
/// remainder going to the widest columns so the parts always sum to `total`.
pub fn distribute(total: usize, weights: &[u32]) -> Vec<usize> {
    let sum: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<usize> = weights.iter().map(|&w| (total as u64 * u64::from(w) / sum) as usize).collect();
    let mut rest = total - parts.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weights[i]));
    for i in order.into_iter().cycle().take(weights.len() * 2) {
        if rest == 0 {
            break;
        }
        parts[i] += 1;
        rest -= 1;
    }
    parts
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading of level 1–4 (Markdown `##`–`#####`).
    Heading {
        /// 1–4.
        level: u8,
        /// The number prefix when numbering is auto ("一、", "（二）", "3.", "（4）").
        number: Option<String>,
        /// Heading text without the number.
        content: Vec<Inline>,
    },
    /// A body paragraph (indented two characters, justified).
    Paragraph(Vec<Inline>),
    /// An ordered or unordered list; each item is one paragraph.
    List {
        /// `1.` style when true, bullets otherwise.
        ordered: bool,
        /// First number of an ordered list.
        start: u64,
        /// Item contents.
        items: Vec<Vec<Inline>>,
    },
    /// A table.
    Table(Table),
    /// An image on its own line.
    Image {
        /// Path relative to the project root, already confined to it.
        src: String,
        /// Alternative text (used as the caption in text output).
        alt: String,
        /// A caption printed centred under the image: the Markdown image
        /// title, `![alt](path "图1 …")` (`chart()` writes one).
        caption: Option<String>,
    },
    /// `\newpage`: start a new page.
    PageBreak,
    /// A collection's next article begins: a new page, its title and author lines.
    Article(Article),
    /// `\attachment 标题`: an attachment's pages begin (GB/T 9704 §8): a new
    /// page, "附件" or "附件N" flush left in 黑体, the title centred on the
    /// third line, then the attachment's text. Before the first one the
    /// main text ends: 附件说明, 署名, 成文日期 and 附注 come there.
    Attachment {
        /// The attachment's title (may be empty).
        title: String,
    },
}

impl Block {
    /// Marker printed before item `index` (0-based) of a list.
    pub fn list_marker(ordered: bool, start: u64, index: usize) -> String {
        if ordered { format!("{}.", start + index as u64) } else { "•".to_string() }
    }
}

/// Concatenated text of inline content, line breaks as `\n`.
pub fn inline_text(content: &[Inline]) -> String {
    let mut s = String::new();
    for i in content {
        match i {
            Inline::Text { text, .. } => s.push_str(text),
            Inline::LineBreak => s.push('\n'),
        }
    }
    s
}

impl Document {
    /// How many `\attachment` blocks the document has.
    pub fn attachment_count(&self) -> usize {
        self.blocks.iter().filter(|b| matches!(b, Block::Attachment { .. })).count()
    }

    /// The label of attachment `index` (0-based) of `count`: "附件" alone, else "附件N".
    pub fn attachment_label(index: usize, count: usize) -> String {
        if count > 1 { format!("附件{}", index + 1) } else { "附件".to_string() }
    }

    /// The articles of a collection, in order.
    pub fn articles(&self) -> impl Iterator<Item = &Article> {
        self.blocks.iter().filter_map(|b| if let Block::Article(a) = b { Some(a) } else { None })
    }
}

impl Date {
    /// "2023年4月23日": Arabic digits, no zero padding (GB/T 9704 §7.3.5.2).
    pub fn to_chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// Parse `YYYY-MM-DD` (also `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYY年M月D日`), checking the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let parts: Vec<&str> = s.trim_end_matches('日').split(['-', '/', '.', '年', '月']).collect();
        if parts.len() != 3 || parts[0].len() != 4 {
            return None;
        }
        let year: i32 = parts[0].parse().ok()?;
        let month: u32 = parts[1].parse().ok()?;
        let day: u32 = parts[2].parse().ok()?;
        let d = Date { year, month, day };
        ((1..=12).contains(&month) && day >= 1 && day <= d.days_in_month()).then_some(d)
    }

    fn days_in_month(&self) -> u32 {
        match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            _ if (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0 => 29,
            _ => 28,
        }
    }
}

impl Meta {
    /// The document's language tag for readers (PDF `/Lang`, HTML `lang`,
    /// DOCX East Asian language).
    pub fn language(&self) -> &'static str {
        self.language.unwrap_or(crate::script::SIMPLIFIED)
    }

    /// The document's author for its properties: `author` when set, else
    /// the first 署名 line (the issuing body); never the subtitle, which
    /// holds an issue number or an occasion as often as a unit.
    pub fn creator(&self) -> Option<&str> {
        self.author.as_deref().or(self.signature.first().map(String::as_str)).filter(|a| !a.trim().is_empty())
    }

    /// 主送机关 as printed: followed by a full-width colon.
    pub fn recipient_line(&self) -> Option<String> {
        self.recipient.as_ref().map(|r| {
            let r = r.trim_end_matches([':', '：']);
            format!("{r}：")
        })
    }

    /// The form of the document: `format:` when given, else 文件格式 once
    /// an `issuer` is set, else a material.
    pub fn format(&self) -> Format {
        self.format.unwrap_or(if self.issuer.is_empty() { Format::Material } else { Format::Document })
    }

    /// Whether the document has a 版头 (any format but a material).
    pub fn is_gongwen(&self) -> bool {
        self.format() != Format::Material
    }

    /// 发文机关标志: `issuer_mark`, else the issuer + 文件 (文件格式), the
    /// issuer alone (信函格式), or the issuer + 纪要 (纪要格式). For 联合行文
    /// the names are joined: the layout stacks them (`Meta::issuers`).
    pub fn mark(&self) -> Option<String> {
        if let Some(m) = &self.issuer_mark {
            return Some(m.clone());
        }
        let host = self.issuer.first()?;
        Some(match self.format() {
            Format::Document if self.issuer.len() > 1 => format!("{}文件", self.issuer.concat()),
            Format::Document => format!("{host}文件"),
            Format::Minutes => format!("{host}纪要"),
            Format::Brief => format!("{host}简报"),
            Format::Letter | Format::Material => host.clone(),
        })
    }

    /// 发文机关署名: `signature` when given, else the issuers.
    pub fn signature_lines(&self) -> Vec<String> {
        if self.signature.is_empty() && self.is_gongwen() && !matches!(self.format(), Format::Minutes | Format::Brief) {
            self.issuer.clone()
        } else {
            self.signature.clone()
        }
    }

    /// Whether 署名 and date are laid out for a seal (GB/T 9704 §7.3.5.1).
    pub fn sealed(&self) -> bool {
        self.seal.unwrap_or(true)
    }

    /// 附注 as printed: in full-width parentheses.
    pub fn note_line(&self) -> Option<String> {
        self.note.as_ref().map(|n| {
            let n = n.trim().trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
            format!("（{n}）")
        })
    }

    /// The 抄送 line: "抄送：甲，乙。" (the list ends with 。), None without `cc`.
    pub fn cc_line(&self) -> Option<String> {
        if self.cc.is_empty() {
            return None;
        }
        let list = self.cc.iter().map(|c| c.trim().trim_end_matches(['。', '，', ',', '、'])).collect::<Vec<_>>();
        Some(format!("抄送：{}。", list.join("，")))
    }

    /// 印发机关 and 印发日期 ("2024年3月5日印发"), when the document has a
    /// 版记: a 文件格式 or 纪要 with an issuer or `printed_by`.
    pub fn imprint(&self) -> Option<(String, String)> {
        if !matches!(self.format(), Format::Document | Format::Minutes) {
            return None;
        }
        let by = self.printed_by.clone().or_else(|| self.issuer.first().cloned())?;
        let on = self.printed_on.or(self.date)?;
        Some((by, format!("{}印发", on.to_chinese())))
    }

    /// The 版头 as lines of text, in reading order (the text writers; layout
    /// and DOCX place the same parts): 份号, 密级, 紧急程度, the mark (联合行文:
    /// each agency, then 文件), and the 发文字号 (with 签发人 lines).
    pub fn head_lines(&self) -> Vec<String> {
        if !self.is_gongwen() {
            return Vec::new();
        }
        let corner = [&self.copy_no, &self.secrecy, &self.urgency].into_iter().flatten().cloned();
        if self.format() == Format::Letter {
            // 信函格式: the mark above the double rule, then 份号 … and the 发文字号.
            return self.mark().into_iter().chain(corner).chain(self.doc_no.clone()).collect();
        }
        let mut out: Vec<String> = corner.collect();
        if self.joint_mark() {
            out.extend(self.issuer.iter().cloned());
            out.push("文件".into());
        } else {
            out.extend(self.mark());
        }
        if matches!(self.format(), Format::Minutes | Format::Brief) {
            out.extend(self.doc_no.clone());
        }
        if let Some((unit, date)) = self.brief_line() {
            out.push(format!("{unit}\t{date}"));
        }
        if self.format() == Format::Document {
            let doc_no = self.doc_no.clone().unwrap_or_default();
            let n = self.signers.len();
            for (i, name) in self.signers.iter().enumerate() {
                let label = if i == 0 { "签发人：" } else { "" };
                let lead = if i + 1 == n { format!("{doc_no}\t") } else { String::new() };
                out.push(format!("{lead}{label}{name}"));
            }
            if n == 0 && !doc_no.is_empty() {
                out.push(doc_no);
            }
        }
        out
    }

    /// Whether the mark stacks several agencies with 文件 beside them (联合行文
    /// without an own `issuer_mark`).
    pub fn joint_mark(&self) -> bool {
        self.issuer_mark.is_none() && self.issuer.len() > 1 && self.format() == Format::Document
    }

    /// 简报: the 编印单位 (`printed_by`, else the issuer) and the date, printed
    /// left and right on the line above the red rule.
    pub fn brief_line(&self) -> Option<(String, String)> {
        if self.format() != Format::Brief {
            return None;
        }
        let unit = self.printed_by.clone().or_else(|| self.issuer.first().cloned()).unwrap_or_default();
        Some((unit, self.date.map(|d| d.to_chinese()).unwrap_or_default()))
    }

    /// The 成文日期 printed under the text: none in a 简报, whose date is in
    /// its head.
    pub fn closing_date(&self) -> Option<Date> {
        if self.format() == Format::Brief { None } else { self.date }
    }

    /// 简报: the 报/送/发 lines, each ending in 。.
    pub fn distribution_lines(&self) -> Vec<String> {
        if self.format() != Format::Brief {
            return Vec::new();
        }
        self.distribution
            .iter()
            .map(|l| {
                let l = l.trim().trim_end_matches(['。', '，', ',', '、']);
                format!("{l}。")
            })
            .collect()
    }

    /// The 纪要's attendance (GB/T 9704 §10.3): ("出席", names), ("请假", …),
    /// ("列席", …), those that are given, in that order.
    pub fn attendance(&self) -> Vec<(&'static str, String)> {
        [("出席", &self.present), ("请假", &self.absent), ("列席", &self.observers)]
            .into_iter()
            .filter(|(_, names)| !names.is_empty())
            .map(|(label, names)| (label, names.join("、")))
            .collect()
    }

    /// 附件说明 lines (GB/T 9704 §7.3.4): "附件：名称" for one attachment;
    /// "附件：1.名称" then "2.名称" … for several (writers align the
    /// continuation lines under the first name).
    pub fn attachment_lines(&self) -> Vec<String> {
        match self.attachments.as_slice() {
            [] => vec![],
            [one] => vec![format!("附件：{one}")],
            many => many
                .iter()
                .enumerate()
                .map(|(i, a)| if i == 0 { format!("附件：1.{a}") } else { format!("{}.{a}", i + 1) })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_print_without_padding() {
        let d = Date::parse("2023-04-03").expect("valid");
        assert_eq!(d.to_chinese(), "2023年4月3日");
        assert_eq!(Date::parse("2023年12月31日").map(|d| d.to_chinese()).as_deref(), Some("2023年12月31日"));
        assert_eq!(Date::parse("2024/2/29").map(|d| d.day), Some(29));
        for bad in ["2023-02-29", "2023-13-01", "2023-04-31", "23-4-1", "2023-04", "abc", "2023-00-10"] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn distribute_sums_to_the_total() {
        assert_eq!(distribute(10, &[1, 1, 1]), vec![4, 3, 3]);
        let parts = distribute(8845, &[3400, 400, 977]);
        assert_eq!(parts.iter().sum::<usize>(), 8845);
        assert!(parts[0] > parts[1] * 8);
        assert_eq!(distribute(5, &[0, 0]), vec![0, 0]);
    }

    #[test]
    fn attachment_and_recipient_lines() {
        let mut m = Meta { recipient: Some("各乡镇党委:".into()), ..Meta::default() };
        assert_eq!(m.recipient_line().as_deref(), Some("各乡镇党委："));
        m.attachments = vec!["统计表".into()];
        assert_eq!(m.attachment_lines(), vec!["附件：统计表"]);
        m.attachments.push("名单".into());
        assert_eq!(m.attachment_lines(), vec!["附件：1.统计表", "2.名单"]);
    }
}
