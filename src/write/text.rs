//! The `txt` writer: the document as plain text, what a reader would type back.
//!
//! Body paragraphs start with two ideographic spaces (the plain-text form of
//! the two-character indent); tables become tab-separated rows. The text
//! content is the same as the DOCX body, so conformance tools can compare them.

use std::io;

use super::{WriteContext, Writer, io_diag};
use crate::diag::Diags;
use crate::doc::{Block, TOC_HEADING, inline_text};

/// Writes plain UTF-8 text.
pub struct TextWriter;

/// Two ideographic spaces: the plain-text paragraph indent of Chinese documents.
const INDENT: &str = "\u{3000}\u{3000}";

impl Writer for TextWriter {
    fn name(&self) -> &'static str {
        "txt"
    }
    fn write(&self, cx: &WriteContext<'_>, out: &mut dyn io::Write) -> Result<Diags, Diags> {
        out.write_all(render(cx).as_bytes()).map_err(|e| io_diag("txt", e))?;
        Ok(Diags::new())
    }
}

fn render(cx: &WriteContext<'_>) -> String {
    let meta = &cx.doc.meta;
    let mut s = String::new();
    let line = |s: &mut String, text: &str| {
        s.push_str(text);
        s.push('\n');
    };
    for h in meta.head_lines() {
        line(&mut s, &h);
    }
    for t in &meta.title {
        line(&mut s, t);
    }
    for t in &meta.subtitle {
        line(&mut s, t);
    }
    if meta.toc {
        // The cover (with signature lines and the date), then the 目录:
        // titles only, the pages being known only where there are pages.
        for sig in &meta.signature {
            line(&mut s, sig);
        }
        if let Some(d) = meta.date {
            line(&mut s, &d.to_chinese());
        }
        s.push('\u{c}');
        line(&mut s, TOC_HEADING);
        for a in cx.doc.articles() {
            line(&mut s, &a.toc_title());
        }
        s.push('\u{c}');
    } else if !meta.title.is_empty() || !meta.subtitle.is_empty() {
        s.push('\n');
    }
    if let Some(r) = meta.recipient_line() {
        line(&mut s, &r);
    }
    let count = cx.doc.attachment_count();
    let mut attachment = 0;
    for b in &cx.doc.blocks {
        match b {
            Block::Attachment { title } => {
                if attachment == 0 {
                    end_of_text(&mut s, meta);
                }
                s.push('\u{c}');
                line(&mut s, &crate::doc::Document::attachment_label(attachment, count));
                if !title.is_empty() {
                    line(&mut s, title);
                }
                s.push('\n');
                attachment += 1;
            }
            Block::Heading { number, content, .. } => {
                let text = format!("{}{}", number.as_deref().unwrap_or(""), inline_text(content));
                line(&mut s, &format!("{INDENT}{text}"));
            }
            Block::Paragraph(content) => line(&mut s, &format!("{INDENT}{}", inline_text(content))),
            Block::List { ordered, start, items } => {
                for (i, it) in items.iter().enumerate() {
                    line(&mut s, &format!("{INDENT}{}{}", Block::list_marker(*ordered, *start, i), inline_text(it)));
                }
            }
            Block::Table(t) => {
                let row = |cells: &[Vec<crate::doc::Inline>]| {
                    cells.iter().map(|c| inline_text(c)).collect::<Vec<_>>().join("\t")
                };
                for caption in t.caption.iter().chain(&t.unit) {
                    line(&mut s, caption);
                }
                line(&mut s, &row(&t.header));
                for r in &t.rows {
                    line(&mut s, &row(r));
                }
            }
            Block::Image { caption: Some(c), .. } => line(&mut s, c),
            Block::Image { alt, .. } => {
                if !alt.is_empty() {
                    line(&mut s, &format!("［图：{alt}］"));
                }
            }
            Block::PageBreak => s.push('\u{c}'),
            Block::Article(a) => {
                if !s.ends_with('\u{c}') {
                    s.push('\u{c}');
                }
                for t in a.title.iter().chain(&a.authors) {
                    line(&mut s, t);
                }
                s.push('\n');
            }
        }
    }
    if attachment == 0 {
        end_of_text(&mut s, meta);
    }
    // The 版记: 抄送 and the 印发 line (信函格式: the 抄送 only).
    let letter = meta.format() == crate::doc::Format::Letter;
    let distribution = meta.distribution_lines();
    if !distribution.is_empty() {
        s.push('\n');
        for l in &distribution {
            line(&mut s, l);
        }
    }
    if meta.imprint().is_some() || (letter && !meta.cc.is_empty()) {
        s.push('\n');
        if let Some(cc) = meta.cc_line() {
            line(&mut s, &cc);
        }
        if let Some((by, on)) = meta.imprint() {
            line(&mut s, &format!("{by}\t{on}"));
        }
    }
    s
}

/// 附件说明, 署名, 成文日期 and 附注: the end of the main text.
fn end_of_text(s: &mut String, meta: &crate::doc::Meta) {
    let line = |s: &mut String, text: &str| {
        s.push_str(text);
        s.push('\n');
    };
    let attachments = meta.attachment_lines();
    if !attachments.is_empty() {
        s.push('\n');
        for a in attachments {
            line(s, &format!("{INDENT}{a}"));
        }
    }
    let attendance = meta.attendance();
    if !attendance.is_empty() {
        s.push('\n');
        for (label, names) in attendance {
            line(s, &format!("{INDENT}{label}：{names}"));
        }
    }
    let signature = meta.signature_lines();
    if !meta.toc && (!signature.is_empty() || meta.closing_date().is_some() || meta.note.is_some()) {
        s.push('\n');
        for sig in &signature {
            line(s, sig);
        }
        if let Some(d) = meta.closing_date() {
            line(s, &d.to_chinese());
        }
        if let Some(n) = meta.note_line() {
            line(s, &format!("{INDENT}{n}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Date, Document, Inline, Meta, Table};
    use crate::style::Style;

    #[test]
    fn text_has_numbers_tables_and_signature() {
        let doc = Document {
            meta: Meta {
                title: vec!["关于工作的".into(), "报告".into()],
                signature: vec!["中共青溪县委".into()],
                date: Date::parse("2023-04-23"),
                attachments: vec!["统计表".into()],
                ..Meta::default()
            },
            blocks: vec![
                Block::Heading {
                    level: 1, number: Some("一、".into()), content: vec![Inline::plain("总体情况")]
                },
                Block::Paragraph(vec![Inline::bold("一是加强领导。"), Inline::plain("正文。")]),
                Block::Table(Table {
                    align: vec![],
                    header: vec![vec![Inline::plain("类别")], vec![Inline::plain("件数")]],
                    rows: vec![vec![vec![Inline::plain("经济")], vec![Inline::plain("12")]]],
                    ..Default::default()
                }),
            ],
        };
        let style = Style::gbt9704();
        let cx = WriteContext::new(&doc, &style, std::path::Path::new("."), "");
        let t = render(&cx);
        assert!(t.starts_with("关于工作的\n报告\n\n"));
        assert!(t.contains("\u{3000}\u{3000}一、总体情况\n"));
        assert!(t.contains("\u{3000}\u{3000}一是加强领导。正文。\n"));
        assert!(t.contains("类别\t件数\n经济\t12\n"));
        assert!(t.contains("附件：统计表"));
        assert!(t.ends_with("中共青溪县委\n2023年4月23日\n"));
    }

    #[test]
    fn collection_text_has_cover_contents_and_articles() {
        use crate::doc::Article;
        let doc = Document {
            meta: Meta {
                title: vec!["汇编".into()],
                subtitle: vec!["县政协办公室".into()],
                date: Date::parse("2023-12-20"),
                toc: true,
                ..Meta::default()
            },
            blocks: vec![
                Block::Article(Article { title: vec!["第一篇".into()], authors: vec!["县委办公室".into()] }),
                Block::Paragraph(vec![Inline::plain("正文。")]),
                Block::Article(Article { title: vec!["第二篇".into()], authors: vec![] }),
            ],
        };
        let style = Style::gbt9704();
        let t = render(&WriteContext::new(&doc, &style, std::path::Path::new("."), ""));
        assert_eq!(
            t,
            "汇编\n县政协办公室\n2023年12月20日\n\u{c}目　录\n第一篇\n第二篇\n\u{c}第一篇\n县委办公室\n\n\u{3000}\u{3000}正文。\n\u{c}第二篇\n\n"
        );
    }
}
