//! Lints on the parts of a 公文 (GB/T 9704-2012 §7.2, §7.4): a 发文字号 whose
//! year is not in 六角括号 (Q009), a 密级 without 份号 (Q010), a 请示 without
//! 签发人 (Q011), a 抄送 list that does not end in 。 (Q012), and a 成文日期
//! before a date the text reports as past (Q013).
//!
//! Q009 and Q012 read any text unit (a 发文字号 quoted in the body, a 版记
//! typed as a paragraph); the others read the front matter and are located
//! by `check_document` at the value they are about.

use std::ops::Range;

use super::{Finding, Text};
use crate::diag::Code;
use crate::doc::{Block, Date, Document, inline_text};

/// Brackets drafters put around the year of a 发文字号 instead of 〔〕.
const WRONG_OPEN: &str = "[(（【［〖｛{<＜《";
const WRONG_CLOSE: &str = "])）】］〗｝}>＞》";

/// The year of a 发文字号 in a wrong bracket: "发[2024]5号", "字（2024）12号".
pub(super) fn check_doc_no(t: &Text, out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < t.len() {
        let c = t.at(i);
        let Some(kind) = WRONG_OPEN.chars().position(|o| o == c) else {
            i += 1;
            continue;
        };
        // A 机关代字 (a Chinese character) right before, four digits, the
        // matching close, a number and 号.
        let before = i > 0 && crate::unicode::is_han(t.at(i - 1));
        let year = (1..=4).all(|k| t.at(i + k).is_ascii_digit());
        let close = WRONG_CLOSE.chars().nth(kind) == Some(t.at(i + 5));
        let mut j = i + 6;
        while t.at(j).is_ascii_digit() {
            j += 1;
        }
        if before && year && close && j > i + 6 && t.at(j) == '号' {
            let wrong = t.slice(i, j + 1);
            let fixed = format!("〔{}〕{}", t.slice(i + 1, i + 5), t.slice(i + 6, j + 1));
            out.push(Finding {
                code: Code::LintDocNoBrackets,
                range: t.byte(i)..t.byte(j + 1),
                message: format!("发文字号 writes its year in `{}{}`: `{wrong}`", t.at(i), t.at(i + 5)),
                hint: format!("GB/T 9704 §7.2.5 puts the year in 六角括号 〔〕 (U+3014, U+3015): write `{fixed}`"),
            });
            i = j + 1;
        } else {
            i += 1;
        }
    }
}

/// A 版记's 抄送 line typed as text that does not end in 。.
pub(super) fn check_cc(t: &Text, out: &mut Vec<Finding>) {
    let text = t.slice(0, t.len());
    let trimmed = text.trim_end();
    if !(trimmed.starts_with("抄送：") || trimmed.starts_with("抄送:")) || trimmed.ends_with('。') {
        return;
    }
    let end = trimmed.len();
    let last = trimmed.char_indices().last().map_or(0, |(b, _)| b);
    out.push(Finding {
        code: Code::LintCcEnding,
        range: last..end,
        message: format!("the 抄送 list does not end with 。: `{}`", super::quote(t, t.index(last), t.index(end))),
        hint: "GB/T 9704 §7.4.2: 抄送机关 are separated by ， and the list ends with 。 \
               (or give them as `cc:` in the front matter, which prints the 版记 for you)"
            .into(),
    });
}

/// A finding about the front matter: the text to point at in the rendered
/// Markdown, and what it says.
pub(super) struct MetaFinding {
    pub code: Code,
    /// Text to find in the rendered Markdown (the value the finding is about).
    pub fragment: String,
    pub message: String,
    pub hint: String,
}

/// The front-matter lints of `doc`.
pub(super) fn check_meta(doc: &Document) -> Vec<MetaFinding> {
    let m = &doc.meta;
    let mut out = Vec::new();
    if let Some(doc_no) = &m.doc_no {
        let t = Text::new(doc_no);
        let mut found = Vec::new();
        check_doc_no(&t, &mut found);
        for f in found {
            out.push(MetaFinding {
                code: f.code,
                fragment: doc_no.get(f.range).unwrap_or_default().to_string(),
                message: f.message,
                hint: f.hint,
            });
        }
    }
    if let (Some(secrecy), None) = (&m.secrecy, &m.copy_no) {
        out.push(MetaFinding {
            code: Code::LintSecrecyWithoutCopyNo,
            fragment: secrecy.clone(),
            message: format!("a 密级 (`{secrecy}`) without a 份号"),
            hint: "GB/T 9704 §7.2.1: 涉密公文应当标注份号; add `copy_no: \"000001\"` (six digits) \
                   to the front matter"
                .into(),
        });
    }
    let title = m.title.concat();
    if m.is_gongwen() && title.ends_with("请示") && m.signers.is_empty() {
        out.push(MetaFinding {
            code: Code::LintRequestWithoutSigner,
            fragment: m.title.last().cloned().unwrap_or_default(),
            message: format!("a 请示 without 签发人: `{title}`"),
            hint: "GB/T 9704 §7.2.6: 上报的公文应当标注签发人; add `signers: [姓名]` to the front matter".into(),
        });
    }
    if let Some(date) = m.date {
        for text in body_texts(doc) {
            for (range, reported, yearless) in past_dates(&text, date.year) {
                // "截至12月31日" in a document of January is last December.
                let last_year = yearless && reported.month > date.month + 6;
                if reported > date && !last_year {
                    let shown = text.get(range).unwrap_or_default().to_string();
                    out.push(MetaFinding {
                        code: Code::LintDateBeforeFacts,
                        message: format!(
                            "the 成文日期 {} comes before `{shown}`, a date the text reports as past",
                            date.to_chinese()
                        ),
                        fragment: shown,
                        hint: "a document cannot report facts of a later day: check the `date:` of the front matter \
                               and the date in the text (or the data it came from)"
                            .into(),
                    });
                }
            }
        }
    }
    out
}

/// The body's paragraphs, list items and headings, as text.
fn body_texts(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(c) | Block::Heading { content: c, .. } => out.push(inline_text(c)),
            Block::List { items, .. } => out.extend(items.iter().map(|i| inline_text(i))),
            _ => {}
        }
    }
    out
}

/// Dates in `text` that it reports as past, with their byte ranges: after
/// 截至 / 截止 / 截止到, or opening a sentence as news reports do
/// ("12月8日，县政协召开…"). A date without a year takes `year`.
fn past_dates(text: &str, year: i32) -> Vec<(Range<usize>, Date, bool)> {
    let t = Text::new(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let Some((end, date, yearless)) = date_at(&t, i, year) else {
            i += 1;
            continue;
        };
        let before = t.slice(i.saturating_sub(3), i);
        let as_of = before.ends_with("截至") || before.ends_with("截止") || before.ends_with("截止到");
        let opens = (i == 0 || super::SENTENCE.contains(t.at(i - 1))) && t.at(end) == '，';
        if as_of || opens {
            out.push((t.byte(i)..t.byte(end), date, yearless));
        }
        i = end;
    }
    out
}

/// A date "2023年12月8日" or "12月8日" starting at character `i` (not in the
/// middle of a number): its end, its value, and whether it had no year.
fn date_at(t: &Text, i: usize, year: i32) -> Option<(usize, Date, bool)> {
    if i > 0 && t.at(i - 1).is_ascii_digit() {
        return None;
    }
    let number = |from: usize| -> Option<(usize, u32)> {
        let mut j = from;
        while t.at(j).is_ascii_digit() && j - from < 4 {
            j += 1;
        }
        (j > from).then(|| (j, t.slice(from, j).parse().ok())).and_then(|(j, n)| n.map(|n| (j, n)))
    };
    let (mut j, first) = number(i)?;
    let mut y = year;
    let yearless = t.at(j) != '年';
    let month;
    if !yearless {
        y = i32::try_from(first).ok()?;
        let (k, m) = number(j + 1)?;
        j = k;
        month = m;
    } else {
        month = first;
    }
    if t.at(j) != '月' {
        return None;
    }
    let (k, day) = number(j + 1)?;
    if t.at(k) != '日' {
        return None;
    }
    let date = Date::parse(&format!("{y:04}-{month:02}-{day:02}"))?;
    Some((k + 1, date, yearless))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Inline, Meta};

    fn text_findings(text: &str) -> Vec<(Code, String)> {
        let t = Text::new(text);
        let mut out = Vec::new();
        check_doc_no(&t, &mut out);
        check_cc(&t, &mut out);
        out.into_iter().map(|f| (f.code, text[f.range].to_string())).collect()
    }

    #[test]
    fn doc_no_brackets_are_found_with_the_fix() {
        for (text, wrong) in [
            ("依据青政办发[2024]5号文件", "[2024]5号"),
            ("青政办发（2024）12号", "（2024）12号"),
            ("青政发【2023】7号", "【2023】7号"),
            ("青政发(2023)7号", "(2023)7号"),
        ] {
            assert_eq!(text_findings(text), [(Code::LintDocNoBrackets, wrong.to_string())], "{text}");
        }
        let t = Text::new("青政办发[2024]5号");
        let mut out = Vec::new();
        check_doc_no(&t, &mut out);
        assert!(out[0].hint.contains("青政办发〔2024〕5号") || out[0].hint.contains("〔2024〕5号"), "{}", out[0].hint);
        for fine in ["青政办发〔2024〕5号", "全年（2024）计划", "共（12）人", "见表[1]", "提案（2023）"]
        {
            assert!(text_findings(fine).is_empty(), "{fine}");
        }
    }

    #[test]
    fn cc_must_end_with_a_full_stop() {
        assert_eq!(text_findings("抄送：县委办公室，县政府办公室"), [(Code::LintCcEnding, "室".to_string())]);
        assert!(text_findings("抄送：县委办公室，县政府办公室。").is_empty());
        assert!(text_findings("送：县委办公室").is_empty());
    }

    fn doc(meta: Meta, text: &str) -> Document {
        Document { meta, blocks: vec![Block::Paragraph(vec![Inline::plain(text)])] }
    }

    fn codes(doc: &Document) -> Vec<(Code, String)> {
        check_meta(doc).into_iter().map(|f| (f.code, f.fragment)).collect()
    }

    #[test]
    fn meta_lints() {
        let base = Meta {
            issuer: vec!["青溪县政协".into()],
            title: vec!["关于召开全体会议的请示".into()],
            date: Date::parse("2023-12-15"),
            ..Meta::default()
        };
        let d = doc(
            Meta { secrecy: Some("秘密★1年".into()), doc_no: Some("青政协[2023]15号".into()), ..base.clone() },
            "正文。",
        );
        assert_eq!(
            codes(&d),
            [
                (Code::LintDocNoBrackets, "[2023]15号".to_string()),
                (Code::LintSecrecyWithoutCopyNo, "秘密★1年".to_string()),
                (Code::LintRequestWithoutSigner, "关于召开全体会议的请示".to_string()),
            ]
        );
        let fine = Meta { signers: vec!["沈书华".into()], ..base.clone() };
        assert!(codes(&doc(fine.clone(), "拟于2024年1月10日召开。截至12月15日，已办结27件。")).is_empty());
        // A material titled 请示 is not a 公文: no 签发人 needed.
        assert!(codes(&doc(Meta { issuer: vec![], ..base.clone() }, "正文。")).is_empty());
        assert_eq!(
            codes(&doc(fine.clone(), "截至12月20日，已办结27件。12月18日，县政协召开协商会。拟于12月30日召开。")),
            [(Code::LintDateBeforeFacts, "12月20日".to_string()), (Code::LintDateBeforeFacts, "12月18日".to_string())]
        );
        assert_eq!(
            codes(&doc(fine.clone(), "截止到2024年1月5日，共收到提案30件。")),
            [(Code::LintDateBeforeFacts, "2024年1月5日".to_string())]
        );
        // A January document reporting "截至12月31日" means last December.
        let january = Meta { date: Date::parse("2024-01-05"), ..fine };
        assert!(codes(&doc(january.clone(), "截至12月31日，共收到提案30件。")).is_empty());
        assert_eq!(codes(&doc(january, "截至2024年12月31日，共收到提案30件。")).len(), 1);
    }
}
