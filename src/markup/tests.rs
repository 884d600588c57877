use super::*;
use crate::diag::{Severity, Sources};
use crate::doc::{Align, Article, Block, Date, Inline, Numbering, RunStyle, Table, inline_text};

fn parse(text: &str) -> (Option<Document>, Diags) {
    parse_document(text, FileId(0))
}

fn doc(text: &str) -> Document {
    let (doc, diags) = parse(text);
    assert!(!diags.has_errors(), "unexpected errors: {diags:?}");
    doc.expect("document")
}

fn codes(diags: &Diags) -> Vec<(Severity, &'static str)> {
    diags.iter().map(|d| (d.severity, d.code.as_str())).collect()
}

fn has(diags: &Diags, severity: Severity, code: Code, needle: &str) -> bool {
    diags.iter().any(|d| d.severity == severity && d.code == code && d.message.contains(needle))
}

fn paragraph_text(doc: &Document, i: usize) -> String {
    match doc.blocks.get(i) {
        Some(Block::Paragraph(c)) => inline_text(c),
        other => format!("<block {i} is not a paragraph: {other:?}>"),
    }
}

fn list_items(block: &Block) -> &[Vec<Inline>] {
    match block {
        Block::List { items, .. } => items,
        _ => &[],
    }
}

fn table(block: &Block) -> Table {
    match block {
        Block::Table(t) => t.clone(),
        _ => Table::default(),
    }
}

fn headings(doc: &Document) -> Vec<(u8, Option<String>, String)> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, number, content } => Some((*level, number.clone(), inline_text(content))),
            _ => None,
        })
        .collect()
}

#[test]
fn front_matter_string_and_list_fields() {
    let d = doc(
        "---\ntitle: 县委支持政协工作经验材料\nsubtitle: [中共××县委办公室]\nrecipient: 各乡镇党委\nsignature:\n  - 中共××县委\n  - ××县人民政府\ndate: 2023-04-23\nattachments: 统计表\nnumbering: manual\noutput: 经验材料\n---\n正文\n",
    );
    assert_eq!(d.meta.title, vec!["县委支持政协工作经验材料"]);
    assert_eq!(d.meta.subtitle, vec!["中共××县委办公室"]);
    assert_eq!(d.meta.recipient.as_deref(), Some("各乡镇党委"));
    assert_eq!(d.meta.signature, vec!["中共××县委", "××县人民政府"]);
    assert_eq!(d.meta.date, Some(Date { year: 2023, month: 4, day: 23 }));
    assert_eq!(d.meta.attachments, vec!["统计表"]);
    assert_eq!(d.meta.numbering, Numbering::Manual);
    assert_eq!(d.meta.output.as_deref(), Some("经验材料"));
    assert_eq!(d.blocks, vec![Block::Paragraph(vec![Inline::plain("正文")])]);

    let d = doc("---\ntitle:\n  - 关于进一步加强\n  - 政协工作的意见\n---\n");
    assert_eq!(d.meta.title, vec!["关于进一步加强", "政协工作的意见"]);
    let d = doc("---\ntitle: |\n  第一行\n  第二行\n---\nx\n");
    assert_eq!(d.meta.title, vec!["第一行", "第二行"]);
}

#[test]
fn front_matter_scalars_keep_source_text() {
    let d = doc("---\ntitle: y\noutput: 007\nsubtitle: 1.50\n---\nx\n");
    assert_eq!(d.meta.title, vec!["y"]);
    assert_eq!(d.meta.output.as_deref(), Some("007"));
    assert_eq!(d.meta.subtitle, vec!["1.50"]);
}

#[test]
fn front_matter_date_formats() {
    for s in ["2023-04-23", "2023/4/23", "2023年4月23日", "'2023-04-23'"] {
        let d = doc(&format!("---\ndate: {s}\n---\nx\n"));
        assert_eq!(d.meta.date, Some(Date { year: 2023, month: 4, day: 23 }), "{s}");
    }
    let d = doc("---\ndate: 2024-02-29\n---\nx\n");
    assert_eq!(d.meta.date, Some(Date { year: 2024, month: 2, day: 29 }));
}

#[test]
fn front_matter_bad_date_points_at_value() {
    let text = "---\ntitle: t\ndate: 2023-02-30\n---\nx\n";
    let (doc, diags) = parse(text);
    assert!(doc.is_some(), "field errors keep the document");
    let d = diags.iter().find(|d| d.code == Code::FrontMatterField).expect("date error");
    assert!(d.is_error());
    assert!(d.message.contains("2023-02-30"), "{}", d.message);
    let span = d.span.clone().expect("span");
    assert_eq!(&text[span.range], "2023-02-30");
    assert!(!d.hints.is_empty());
}

#[test]
fn front_matter_unknown_field_warns_with_suggestion() {
    let text = "---\ntitel: x\n---\n正文\n";
    let (doc, diags) = parse(text);
    assert!(doc.is_some());
    assert!(!diags.has_errors());
    let d = diags.iter().find(|d| d.code == Code::FrontMatterField).expect("warning");
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("`titel`"));
    assert!(d.hints.iter().any(|h| h.contains("`title`")), "{:?}", d.hints);
    assert!(d.hints.iter().any(|h| h.contains("attachments")), "{:?}", d.hints);
    assert_eq!(&text[d.span.clone().expect("span").range], "titel");
}

#[test]
fn front_matter_null_wrong_type_and_duplicates() {
    let text = "---\ntitle:\nrecipient: [a, b]\nsignature: {a: 1}\nattachments: [x, [y]]\nnumbering: roman\ndate: 2023-01-01\ndate: 2023-01-02\n---\nx\n";
    let (doc, diags) = parse(text);
    assert!(doc.is_some());
    assert!(has(&diags, Severity::Error, Code::FrontMatterField, "field `title` is empty"), "{diags:?}");
    assert!(has(&diags, Severity::Error, Code::FrontMatterField, "`recipient` must be a string"));
    assert!(has(&diags, Severity::Error, Code::FrontMatterField, "`signature` must be a string or a list"));
    assert!(has(&diags, Severity::Error, Code::FrontMatterField, "items of front matter field `attachments`"));
    assert!(has(&diags, Severity::Error, Code::FrontMatterField, "`numbering` must be `auto` or `manual`"));
    assert!(has(&diags, Severity::Error, Code::FrontMatterField, "`date` is given twice"));
    let title = diags.iter().find(|d| d.message.contains("`title` is empty")).expect("title");
    assert_eq!(&text[title.span.clone().expect("span").range], "title");
    let recipient = diags.iter().find(|d| d.message.contains("`recipient`")).expect("recipient");
    assert!(text[recipient.span.clone().expect("span").range].starts_with('['));
}

#[test]
fn front_matter_output_names() {
    for bad in ["../x", "a/b", "a\\b", ".hidden", "a:b", "a|b", "con", "x\\ty"] {
        let (_, diags) = parse(&format!("---\noutput: \"{bad}\"\n---\nx\n"));
        assert!(has(&diags, Severity::Error, Code::OutputName, "output name"), "{bad}: {diags:?}");
    }
    let (_, diags) = parse("---\noutput: \"\"\n---\nx\n");
    assert!(diags.has_errors());
    // Every format's extension is dropped, whatever is being built:
    // `报告.pdf` must not become `报告.pdf.docx`.
    for name in ["报告.docx", "报告.pdf", "报告.PDF", "报告.html", "报告.htm", "报告.md", "报告.txt"] {
        let (doc, diags) = parse(&format!("---\noutput: {name}\n---\nx\n"));
        assert_eq!(doc.expect("doc").meta.output.as_deref(), Some("报告"), "{name}");
        assert!(has(&diags, Severity::Warning, Code::OutputName, "extension"), "{name}");
    }
    // A stem that merely contains a dot keeps it.
    let (doc, _) = parse("---\noutput: 2023.12总结\n---\nx\n");
    assert_eq!(doc.expect("doc").meta.output.as_deref(), Some("2023.12总结"));
}

#[test]
fn front_matter_syntax_error_position() {
    let text = "---\ntitle: 标题\nsubtitle: [a\nb: 1\n---\n正文\n";
    let mut sources = Sources::new();
    let id = sources.add("doc.md", text);
    let (doc, diags) = parse_document(text, id);
    assert!(doc.is_none());
    let d = diags.iter().find(|d| d.code == Code::FrontMatterSyntax).expect("syntax error");
    assert!(d.is_error());
    assert!(d.message.starts_with("front matter is not valid YAML: "), "{}", d.message);
    assert!(!d.message.contains(" at line "), "{}", d.message);
    let span = d.span.clone().expect("span");
    let (line, col) = sources.get(id).expect("file").line_col(span.range.start);
    // serde-saphyr reports the stray `:` on YAML line 3, column 2; the fence adds a line.
    assert_eq!((line, col), (4, 2));
}

#[test]
fn front_matter_unclosed_and_not_a_mapping() {
    let (doc, diags) = parse("---\ntitle: x\n\n正文\n");
    assert!(doc.is_none());
    assert!(has(&diags, Severity::Error, Code::FrontMatterSyntax, "not closed"));
    assert_eq!(diags.iter().next().and_then(|d| d.span.clone()).map(|s| s.range), Some(0..3));

    let (doc, diags) = parse("---\n- a\n- b\n---\nx\n");
    assert!(doc.is_none());
    assert!(has(&diags, Severity::Error, Code::FrontMatterSyntax, "not a mapping"));

    let d = doc_ok("---\n---\n正文\n");
    assert!(d.meta.title.is_empty());
    let d = doc_ok("---\n# only a comment\n---\n正文\n");
    assert_eq!(d.blocks.len(), 1);
}

fn doc_ok(text: &str) -> Document {
    doc(text)
}

#[test]
fn front_matter_bom_crlf_and_leading_blank_lines() {
    let text = "\u{feff}---\r\ntitle: 标题\r\ndate: 2023-4-3\r\n---\r\n第一段\r\n第二行\r\n";
    let d = doc(text);
    assert_eq!(d.meta.title, vec!["标题"]);
    assert_eq!(d.meta.date, Some(Date { year: 2023, month: 4, day: 3 }));
    assert_eq!(d.blocks, vec![Block::Paragraph(vec![Inline::plain("第一段第二行")])]);

    let text = "\u{feff}---\r\ndate: 2023-13-01\r\n---\r\nx\r\n";
    let (_, diags) = parse(text);
    let span = diags.iter().find(|d| d.code == Code::FrontMatterField).and_then(|d| d.span.clone()).expect("span");
    assert_eq!(&text[span.range], "2023-13-01");

    let d = doc("\n\n---\ntitle: 标题\n---\nx\n");
    assert_eq!(d.meta.title, vec!["标题"]);
}

#[test]
fn soft_breaks_join_cjk_and_space_latin() {
    let d = doc(
        "县委\n政协\n\nhello\nworld\n\n2023年\nABC\n\n12\n34\n\nABC\n县委\n\n全面\n**加强**\n领导\n\n他说：\n“好”\n",
    );
    assert_eq!(paragraph_text(&d, 0), "县委政协");
    assert_eq!(paragraph_text(&d, 1), "hello world");
    assert_eq!(paragraph_text(&d, 2), "2023年ABC");
    assert_eq!(paragraph_text(&d, 3), "12 34");
    assert_eq!(paragraph_text(&d, 4), "ABC县委");
    assert_eq!(d.blocks[5], Block::Paragraph(vec![Inline::plain("全面"), Inline::bold("加强"), Inline::plain("领导")]));
    assert_eq!(paragraph_text(&d, 6), "他说：“好”");
}

#[test]
fn a_hyphen_that_signs_a_figure_becomes_a_minus_sign() {
    let d = doc(concat!(
        "增长率：-4.2%，上年（-3%），-1.5起步，温度 -5~-3℃。\n\n",
        "COVID-19、2023-12-01、GB/T 9704-2012、A-1、x--2、1.-2 不变；减号 - 单独 也不变。\n\n",
        "**下降**-0.8个百分点\n\n",
        "| 指标 | 增速 |\n|---|---|\n| 外资 | -4.2 |\n",
    ));
    assert_eq!(paragraph_text(&d, 0), "增长率：−4.2%，上年（−3%），−1.5起步，温度 −5~−3℃。");
    assert_eq!(
        paragraph_text(&d, 1),
        "COVID-19、2023-12-01、GB/T 9704-2012、A-1、x--2、1.-2 不变；减号 - 单独也不变。"
    );
    assert_eq!(paragraph_text(&d, 2), "下降−0.8个百分点", "the sign after a bold run");
    let t = table(&d.blocks[3]);
    assert_eq!(t.rows[0][1], vec![Inline::plain("−4.2")]);
    assert_eq!(t.column_align(1), crate::doc::Align::Right, "still a column of figures");
}

#[test]
fn hard_breaks_code_links_and_trimming() {
    let d = doc("　　第一行  \n第二行\\\n第三行<br>第四行<br/>end\n\n用 `code` 和 [链接](http://x.cn) 写\n");
    assert_eq!(
        d.blocks[0],
        Block::Paragraph(vec![
            Inline::plain("第一行"),
            Inline::LineBreak,
            Inline::plain("第二行"),
            Inline::LineBreak,
            Inline::plain("第三行"),
            Inline::LineBreak,
            Inline::plain("第四行"),
            Inline::LineBreak,
            Inline::plain("end"),
        ])
    );
    assert_eq!(d.blocks[1], Block::Paragraph(vec![Inline::plain("用 code 和 链接 写")]));
}

#[test]
fn bold_run_in_lead_and_italic() {
    let d = doc("**一是加强领导。**正文内容，*强调*。\n");
    assert_eq!(
        d.blocks,
        vec![Block::Paragraph(vec![
            Inline::bold("一是加强领导。"),
            Inline::plain("正文内容，"),
            Inline::Text { text: "强调".into(), style: RunStyle { bold: false, italic: true } },
            Inline::plain("。"),
        ])]
    );
    let d = doc("**a**__b__\n");
    assert_eq!(d.blocks, vec![Block::Paragraph(vec![Inline::bold("ab")])]);
}

#[test]
fn bold_next_to_cjk_punctuation() {
    let d = doc(
        "正文**“重点”**内容，**（一）**再起。\n\n- **一是。**甲\n- **二是。**乙\n\n| **合计。**后 |\n|---|\n| **x。**y |\n",
    );
    assert_eq!(
        d.blocks[0],
        Block::Paragraph(vec![
            Inline::plain("正文"),
            Inline::bold("“重点”"),
            Inline::plain("内容，"),
            Inline::bold("（一）"),
            Inline::plain("再起。"),
        ])
    );
    let items = list_items(&d.blocks[1]);
    assert_eq!(items[1], vec![Inline::bold("二是。"), Inline::plain("乙")]);
    let t = table(&d.blocks[2]);
    assert_eq!(t.header[0], vec![Inline::bold("合计。"), Inline::plain("后")]);
    assert_eq!(t.rows[0][0], vec![Inline::bold("x。"), Inline::plain("y")]);

    // Code spans stay literal, and an unpaired `**` stays text.
    let d = doc("`a。**b` 与 **一是。**正文\n\n只有**一个\n");
    assert_eq!(
        d.blocks[0],
        Block::Paragraph(vec![Inline::plain("a。**b 与"), Inline::bold("一是。"), Inline::plain("正文")])
    );
    assert_eq!(paragraph_text(&d, 1), "只有**一个");
}

#[test]
fn spans_survive_the_emphasis_pre_pass() {
    let text = "**一是。**正文**“甲”**乙<span>丙</span>\n";
    let (_, diags) = parse(text);
    let d = diags.iter().find(|d| d.message.contains("HTML")).expect("html warning");
    assert_eq!(&text[d.span.clone().expect("span").range], "<span>");
}

#[test]
fn auto_numbering_sequence_with_resets() {
    let d =
        doc("---\ntitle: t\n---\n## 甲\n### 乙\n### 丙\n## 丁\n### 戊\n#### 己\n##### 庚\n##### 辛\n#### 壬\n## 癸\n");
    let h = headings(&d);
    let numbers: Vec<&str> = h.iter().map(|(_, n, _)| n.as_deref().unwrap_or("-")).collect();
    assert_eq!(numbers, vec!["一、", "（一）", "（二）", "二、", "（一）", "1.", "（1）", "（2）", "2.", "三、"]);
    let levels: Vec<u8> = h.iter().map(|(l, _, _)| *l).collect();
    assert_eq!(levels, vec![1, 2, 2, 1, 2, 3, 4, 4, 3, 1]);
    assert_eq!(h[0].2, "甲");
}

#[test]
fn chinese_numerals_for_heading_numbers() {
    let many: String = (1..=101).map(|i| format!("## 节{i}\n### 小节\n")).collect();
    let d = doc(&format!("---\ntitle: t\n---\n{many}"));
    let numbers: Vec<String> = headings(&d).into_iter().filter_map(|(_, n, _)| n).collect();
    assert_eq!(numbers[0], "一、");
    assert_eq!(numbers[1], "（一）");
    assert_eq!(numbers[2 * 11 + 1], "（一）");
    assert_eq!(numbers[2 * 11], "十二、");
    assert_eq!(numbers[2 * 99], "一百、", "as the ordinal filter writes it");
    assert_eq!(numbers[2 * 100], "一百零一、");
}

#[test]
fn manual_numbering_and_already_numbered_headings() {
    let d = doc("---\nnumbering: manual\n---\n## 一、总体情况\n### （一）基本情况\n");
    assert!(headings(&d).iter().all(|(_, n, _)| n.is_none()));

    let (doc, diags) = parse(
        "## 一、总体情况\n## （二）做法\n## 3. 成效\n## (4) 问题\n## 第一部分 概述\n## 1.1 概述\n## 1.5倍增长\n## 2023年工作\n",
    );
    let h = headings(&doc.expect("doc"));
    let numbers: Vec<Option<&str>> = h.iter().map(|(_, n, _)| n.as_deref()).collect();
    assert_eq!(numbers, vec![None, None, None, None, None, None, Some("七、"), Some("八、")]);
    let warned = diags.iter().filter(|d| d.message.contains("already starts with")).count();
    assert_eq!(warned, 6);
    assert!(
        diags
            .iter()
            .filter(|d| d.message.contains("already starts with"))
            .all(|d| d.hints.iter().any(|h| h.contains("numbering: manual")))
    );
}

#[test]
fn hash_heading_is_title_or_level_one() {
    let d = doc("# 关于加强\n# 工作的通知\n\n正文\n");
    assert_eq!(d.meta.title, vec!["关于加强", "工作的通知"]);
    assert_eq!(d.blocks.len(), 1);

    let (doc, diags) = parse("---\ntitle: t\n---\n# 标题\n");
    assert_eq!(headings(&doc.expect("doc")), vec![(1, Some("一、".to_string()), "标题".to_string())]);
    assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "front matter already has a title"));

    let (doc, diags) = parse("正文\n\n# 迟到的标题\n");
    let doc = doc.expect("doc");
    assert!(doc.meta.title.is_empty());
    assert_eq!(headings(&doc)[0].0, 1);
    assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "after body text"));

    let (doc, diags) = parse("## 一级\n###### 太深\n");
    assert_eq!(headings(&doc.expect("doc"))[1].0, 4);
    assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "######"));
    assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "level-4 heading follows a level-1"));
}

#[test]
fn setext_underline_warns() {
    let (doc, diags) = parse("正文\n---\n");
    assert_eq!(headings(&doc.expect("doc")).len(), 1);
    assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "underlined"));
}

#[test]
fn tables() {
    let d = doc("| 项目 | 数量 | 备注 |\n|:-----|----:|:---:|\n| 提案 | **12** | 已办 |\n| 建议 |\n");
    let t = table(&d.blocks[0]);
    assert_eq!(t.align, vec![Align::Left, Align::Right, Align::Center]);
    assert_eq!(t.header, vec![vec![Inline::plain("项目")], vec![Inline::plain("数量")], vec![Inline::plain("备注")]]);
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0][1], vec![Inline::bold("12")]);
    assert_eq!(t.rows[1].len(), 3);
    assert!(t.rows[1][2].is_empty());
}

#[test]
fn lists_tight_loose_and_nested() {
    let d = doc("- 甲\n- 乙\n\n3. 丙\n\n   续\n4. 丁\n");
    assert_eq!(
        d.blocks,
        vec![
            Block::List {
                ordered: false, start: 1, items: vec![vec![Inline::plain("甲")], vec![Inline::plain("乙")]]
            },
            Block::List {
                ordered: true,
                start: 3,
                items: vec![
                    vec![Inline::plain("丙"), Inline::LineBreak, Inline::plain("续")],
                    vec![Inline::plain("丁")]
                ],
            },
        ]
    );
    let (doc, diags) = parse("1. a\n   - b\n   - c\n2. d\n");
    let doc = doc.expect("doc");
    let items = list_items(&doc.blocks[0]);
    let texts: Vec<String> = items.iter().map(|i| inline_text(i)).collect();
    assert_eq!(texts, vec!["a", "b", "c", "d"]);
    assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "nested list"));

    let (doc, diags) = parse("- a\n-\n- b\n");
    assert_eq!(list_items(&doc.expect("doc").blocks[0]).len(), 2);
    assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "empty list item"));
}

#[test]
fn heading_inside_list_splits_it() {
    let (doc, _) = parse("1. a\n2. ## h\n3. c\n");
    let doc = doc.expect("doc");
    assert!(matches!(doc.blocks[0], Block::List { start: 1, .. }));
    assert!(matches!(doc.blocks[1], Block::Heading { .. }));
    assert!(matches!(doc.blocks[2], Block::List { start: 2, .. }));
}

#[test]
fn an_image_title_is_its_caption_and_chart_urls_are_kept() {
    let url = crate::chart::ChartSpec::sample_url();
    let d = doc(&format!("![图1](a.png \"图1 增长情况\")\n\n![图2]({url} \"图2 构成\")\n"));
    assert_eq!(
        d.blocks,
        vec![
            Block::Image { src: "a.png".into(), alt: "图1".into(), caption: Some("图1 增长情况".into()) },
            Block::Image { src: url, alt: "图2".into(), caption: Some("图2 构成".into()) },
        ]
    );
}

#[test]
fn images_good_and_rejected() {
    let d = doc("![图1 增长情况](images\\chart.png)\n\n![](./a//b.png)\n");
    assert_eq!(
        d.blocks,
        vec![
            Block::Image { src: "images/chart.png".into(), alt: "图1 增长情况".into(), caption: None },
            Block::Image { src: "a/b.png".into(), alt: String::new(), caption: None },
        ]
    );
    for bad in [
        "http://x.cn/a.png",
        "https://x/a.png",
        "data:image/png;base64,AAA",
        "/etc/a.png",
        "C:\\a.png",
        "\\\\server\\a.png",
        "../a.png",
        "a/../../b.png",
        "file:a.png",
    ] {
        let text = format!("段落\n\n![x](<{bad}>)\n");
        let (doc, diags) = parse(&text);
        let d = diags.iter().find(|d| d.code == Code::MarkupImage);
        assert!(d.is_some(), "{bad}: {diags:?}");
        let d = d.expect("image error");
        assert!(d.is_error());
        assert!(text[d.span.clone().expect("span").range].starts_with("![x]"), "{bad}");
        assert_eq!(doc.expect("doc").blocks.len(), 1, "{bad}");
    }
    let (doc, diags) = parse("文字![x](a.png)文字\n");
    assert_eq!(doc.expect("doc").blocks, vec![Block::Paragraph(vec![Inline::plain("文字文字")])]);
    assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "image inside a text paragraph"));
}

#[test]
fn collection_articles_and_author_lines() {
    let text = "---\ntitle: 汇编\ntoc: true\n---\n# 第一篇\nauthor: 中共青溪县委办公室\n\n## 做法\n\n正文。\n\n\
                # 第二篇\nauthor: 县政协主席　沈书华\nauthor：县政协办公室\n\n## 成效\n\n### 小节\n\n正文。\n";
    let (d, diags) = parse(text);
    assert!(diags.is_empty(), "{diags:?}");
    let d = d.expect("document");
    assert!(d.meta.toc);
    let arts: Vec<&Article> = d.articles().collect();
    assert_eq!(arts.len(), 2);
    assert_eq!(arts[0].title, vec!["第一篇"]);
    assert_eq!(arts[0].authors, vec!["中共青溪县委办公室"]);
    assert_eq!(arts[1].authors, vec!["县政协主席　沈书华", "县政协办公室"]);
    // Numbering starts again at 一、 in every article.
    let numbers: Vec<Option<String>> = headings(&d).into_iter().map(|(_, n, _)| n).collect();
    assert_eq!(numbers, vec![Some("一、".into()), Some("一、".into()), Some("（一）".into())]);
    // An article without author lines; `#` in a document without toc is still a heading.
    let d = doc("---\ntitle: 汇编\ntoc: true\n---\n# 无作者\n\n正文。\n");
    assert_eq!(d.articles().next().map(|a| a.authors.len()), Some(0));
    assert!(matches!(d.blocks.get(1), Some(Block::Paragraph(_))));
}

#[test]
fn malformed_article_markers() {
    let (_, diags) = parse("---\ntitle: 汇编\ntoc: true\n---\n# 第一篇\nauthor:\n\n正文。\n");
    assert!(has(&diags, Severity::Error, Code::MarkupArticle, "names no author"), "{diags:?}");
    let (_, diags) = parse("---\ntitle: 汇编\ntoc: true\n---\n# 第一篇\nauthor: 办公室\n正文紧接着。\n");
    assert!(has(&diags, Severity::Error, Code::MarkupArticle, "is not one"), "{diags:?}");
    let (_, diags) = parse("---\ntitle: 汇编\ntoc: true\n---\n# 第一篇\n\n正文。\n\nauthor: 办公室\n");
    assert!(has(&diags, Severity::Error, Code::MarkupArticle, "not under an article title"), "{diags:?}");
    let (_, diags) = parse("---\ntitle: 材料\n---\nauthor: 办公室\n\n正文。\n");
    assert!(has(&diags, Severity::Error, Code::MarkupArticle, "not under an article title"), "{diags:?}");
    let (_, diags) = parse("---\ntitle: 汇编\ntoc: true\n---\n正文。\n");
    assert!(has(&diags, Severity::Warning, Code::MarkupArticle, "no article"), "{diags:?}");
    let (_, diags) = parse("---\ntitle: 汇编\ntoc: yes\n---\n# 一\n");
    assert!(has(&diags, Severity::Error, Code::FrontMatterField, "`toc` must be"), "{diags:?}");
    // The span points at the author line.
    let text = "---\ntitle: 汇编\ntoc: true\n---\n# 第一篇\nauthor:\n";
    let (_, diags) = parse(text);
    let d = diags.iter().find(|d| d.code == Code::MarkupArticle).expect("M006");
    let at = d.span.as_ref().map(|s| s.range.start).expect("span");
    assert!(text[at..].starts_with("author:"), "{}", &text[at..]);
}

#[test]
fn newpage() {
    let d = doc("第一段\n\n\\newpage\n\n第二段\n第三行\n\\newpage\n第四行\n");
    assert_eq!(
        d.blocks,
        vec![
            Block::Paragraph(vec![Inline::plain("第一段")]),
            Block::PageBreak,
            Block::Paragraph(vec![Inline::plain("第二段第三行")]),
            Block::PageBreak,
            Block::Paragraph(vec![Inline::plain("第四行")]),
        ]
    );
    let d = doc("a \\newpage b\n");
    assert_eq!(paragraph_text(&d, 0), "a \\newpage b");
}

#[test]
fn raw_html_dropped_with_warning() {
    let text = "文字<span style=\"x\">红</span>字<!-- 注释 -->\n\n<div>\n块\n</div>\n\n<!-- 只是注释 -->\n";
    let (doc, diags) = parse(text);
    let doc = doc.expect("doc");
    assert_eq!(doc.blocks, vec![Block::Paragraph(vec![Inline::plain("文字红字")])]);
    let html: Vec<_> = diags.iter().filter(|d| d.message.contains("HTML")).collect();
    assert_eq!(html.len(), 2, "{diags:?}");
    let span = html[0].span.clone().expect("span");
    assert!(text[span.range].starts_with("<span"));
    assert!(html.iter().all(|d| d.severity == Severity::Warning && !d.hints.is_empty()));
}

#[test]
fn blockquote_code_block_and_rule() {
    let (doc, diags) = parse("> 引用\n\n```\n第一行\n\n第二行\n```\n\n***\n\n    缩进\n");
    let doc = doc.expect("doc");
    let texts: Vec<String> = (0..doc.blocks.len()).map(|i| paragraph_text(&doc, i)).collect();
    assert_eq!(texts, vec!["引用", "第一行", "第二行", "缩进"]);
    assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "block quotes"));
    assert_eq!(diags.iter().filter(|d| d.message.contains("code blocks print as plain paragraphs")).count(), 2);
    assert!(has(&diags, Severity::Warning, Code::MarkupUnsupported, "thematic break"));
}

#[test]
fn empty_body_warns() {
    let (doc, diags) = parse("---\nnumbering: auto\n---\n\n");
    assert!(doc.is_some());
    assert_eq!(codes(&diags), vec![(Severity::Warning, "M005")]);
    let (_, diags) = parse("");
    assert_eq!(codes(&diags), vec![(Severity::Warning, "M005")]);
    let (_, diags) = parse("# 只有标题\n");
    assert!(diags.is_empty());
}

#[test]
fn diagnostics_have_spans_and_hints() {
    let text = "---\nfoo: 1\ndate: x\n---\n> q\n\n<b>x</b>\n\n---\n\n## 一、a\n\n![](/a.png)\n\n```\nc\n```\n";
    let (_, diags) = parse(text);
    assert!(diags.iter().count() >= 7, "{diags:?}");
    for d in diags.iter() {
        assert!(d.span.is_some(), "no span: {d:?}");
        let span = d.span.clone().expect("span");
        assert!(span.range.end <= text.len());
        assert!(!d.hints.is_empty(), "no hint: {d:?}");
        assert!(!d.message.ends_with('.'), "{}", d.message);
        assert!(d.message.chars().next().is_some_and(|c| !c.is_uppercase()), "{}", d.message);
    }
}

/// Deterministic xorshift so the fuzz corpus is the same on every run.
fn rng(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn check_never_panics(text: &str) {
    let (_, diags) = parse(text);
    for d in diags.iter() {
        if let Some(span) = &d.span {
            assert!(span.range.start <= span.range.end && span.range.end <= text.len(), "{text:?}: {d:?}");
            assert!(
                text.is_char_boundary(span.range.start) && text.is_char_boundary(span.range.end),
                "{text:?}: {d:?}"
            );
        }
    }
}

#[test]
fn garbage_never_panics() {
    let long = "长".repeat(20_000);
    let deep_quote = format!("{}x\n", ">".repeat(5_000));
    let deep_list = (0..300).map(|i| format!("{}- x\n", "  ".repeat(i))).collect::<String>();
    let deep_yaml = format!("---\nt: {}\n---\n", "[".repeat(1000));
    let weird = [
        "",
        "\u{feff}",
        "---",
        "---\n",
        "---\n---",
        "---\r\n---\r\n",
        "**",
        "**未闭合",
        "*a**b*c**",
        "---\n***\n---\n---\n",
        "| a |\n|---|\n| 1 | 2 | 3 |\n|",
        "|a|b|\n|-|-|\n||\n|||||||\n",
        ">>>>>>>> 深\n>>>\n> > > -",
        "- - - - - x",
        "1. 2. 3. ##### x",
        "![",
        "![](",
        "![a](b",
        "[![a](b.png)](c)",
        "![![a](x.png)](y.png)",
        "\\newpage\\newpage",
        "\\",
        "<",
        "<br",
        "<!--",
        "<!-- x",
        "</div>",
        "#\n##\n###\n####\n#####\n######\n#######",
        "# \n",
        "## **一、**\n",
        "``",
        "```",
        "    ",
        "\t\t\t",
        "\r\r\r\n\n",
        "\u{3000}\u{3000}",
        "- ```\n  x\n- | a |\n  |---|\n  | b |\n",
        "> ## h\n> - a\n>   - b\n",
        "---\n: \n---\n",
        "---\n? [a]\n: b\n---\n",
        "---\n&a x: *a\n---\n",
        "---\ntitle: [\n---\n",
        "---\n\t\n---\n",
        "---\ntitle: !!binary aGk=\n---\n",
        "---\ntitle: \"\\u0000\"\n---\n",
        "a\u{0}b",
        "\u{10FFFF}\n\u{10FFFF}",
    ];
    for text in
        weird.iter().copied().chain([long.as_str(), deep_quote.as_str(), deep_list.as_str(), deep_yaml.as_str()])
    {
        check_never_panics(text);
    }
    let alphabet: &[&str] = &[
        "#",
        "## ",
        "*",
        "**",
        "_",
        "`",
        "```",
        "---",
        "\n",
        "\n\n",
        "\r\n",
        " ",
        "  ",
        "    ",
        "\t",
        ">",
        "- ",
        "1. ",
        "|",
        "|---|",
        ":",
        "!",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "<br>",
        "<b>",
        "\\",
        "\\newpage",
        "县委",
        "政协",
        "abc",
        "1",
        "、",
        "（一）",
        "\u{3000}",
        "---\n",
        "title: ",
        "[x, y]",
        "{",
        "}",
        "&",
        "'",
        "\"",
        "é",
        "😀",
    ];
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..3000 {
        let len = (rng(&mut seed) % 40) as usize;
        let mut text = String::new();
        if rng(&mut seed).is_multiple_of(3) {
            text.push_str("---\n");
        }
        for _ in 0..len {
            text.push_str(alphabet[(rng(&mut seed) % alphabet.len() as u64) as usize]);
        }
        check_never_panics(&text);
    }
}

#[test]
fn half_width_spaces_between_chinese_characters_are_dropped() {
    let d = doc("党建 工作 要  抓实，**一是** 加强学习。\n\n新冠（COVID-19 疫情）防控，主席　沈书华，“三个 环节”。\n");
    assert_eq!(paragraph_text(&d, 0), "党建工作要抓实，一是加强学习。");
    // Beside Latin letters and digits a space stays; a full-width space is meant.
    assert_eq!(paragraph_text(&d, 1), "新冠（COVID-19 疫情）防控，主席　沈书华，“三个环节”。");
    // Across emphasis runs too, and each run keeps its style.
    let Some(Block::Paragraph(runs)) = d.blocks.first() else { panic!("a paragraph") };
    assert!(runs.iter().any(|i| matches!(i, Inline::Text { text, style } if text == "一是" && style.bold)), "{runs:?}");
}

#[test]
fn a_heading_keeps_the_space_between_its_phrases() {
    let d = doc("## 探索新路子 作出新贡献\n\n探索新路子 作出新贡献\n\n正文 内容。\n");
    let Some(Block::Heading { content, .. }) = d.blocks.first() else { panic!("a heading: {:?}", d.blocks) };
    assert_eq!(inline_text(content), "探索新路子 作出新贡献");
    // A title line set as a paragraph (no sentence punctuation) keeps it too.
    assert_eq!(paragraph_text(&d, 1), "探索新路子 作出新贡献");
    assert_eq!(paragraph_text(&d, 2), "正文内容。");
}

#[test]
fn a_table_caption_line_is_numbered_and_carries_the_unit() {
    let d = doc(concat!(
        "正文。\n\nTable: 2023年提案分类情况\n单位：件\n\n| 类别 | 件数 |\n|---|---|\n| 经济 | 5 |\n\n",
        "| 县 | 会议 |\n|---|---|\n| 青溪 | 3 |\n\n表：各县会议情况（单位：次）\n\n",
        "表：表9 作者编的号\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n",
        "| 无 | 题 |\n|---|---|\n| 1 | 2 |\n",
    ));
    let tables: Vec<Table> = d.blocks.iter().filter(|b| matches!(b, Block::Table(_))).map(table).collect();
    let captions: Vec<(Option<&str>, Option<&str>)> =
        tables.iter().map(|t| (t.caption.as_deref(), t.unit.as_deref())).collect();
    assert_eq!(
        captions,
        [
            (Some("表1 2023年提案分类情况"), Some("单位：件")),
            // pandoc's place after the table works too; a unit in brackets is taken out.
            (Some("表2 各县会议情况"), Some("单位：次")),
            (Some("表9 作者编的号"), None),
            (None, None),
        ]
    );
    // The caption lines are not paragraphs of the text.
    assert_eq!(d.blocks.len(), 5, "{:?}", d.blocks);
}

#[test]
fn front_matter_gongwen_fields() {
    let d = doc("---\nformat: document\ncopy_no: \"000123\"\nsecrecy: 秘密★1年\nurgency: 特急\n\
        issuer: [青溪县人民政府, 青溪县政协]\ndoc_no: 青政发〔2024〕5号\nsigners: [张三, 李四]\n\
        title: 关于……的通知\nseal: false\nnote: 此件公开发布\ncc: [县委办公室, 县人大常委会办公室。]\n\
        printed_by: 青溪县人民政府办公室\nprinted_on: 2024-03-06\ndate: 2024-03-05\n---\n正文\n");
    let m = &d.meta;
    assert_eq!(m.format(), crate::doc::Format::Document);
    assert_eq!(m.copy_no.as_deref(), Some("000123"));
    assert_eq!(m.secrecy.as_deref(), Some("秘密★1年"));
    assert_eq!(m.urgency.as_deref(), Some("特急"));
    assert_eq!(m.issuer, ["青溪县人民政府", "青溪县政协"]);
    assert!(m.joint_mark(), "two issuers without an own mark: 联合行文");
    assert_eq!(m.signers, ["张三", "李四"]);
    assert!(!m.sealed());
    assert_eq!(m.note_line().as_deref(), Some("（此件公开发布）"));
    assert_eq!(m.cc_line().as_deref(), Some("抄送：县委办公室，县人大常委会办公室。"));
    assert_eq!(m.imprint(), Some(("青溪县人民政府办公室".to_string(), "2024年3月6日印发".to_string())));
    assert_eq!(m.signature_lines(), ["青溪县人民政府", "青溪县政协"], "署名 defaults to the issuers");
    assert_eq!(
        m.head_lines(),
        [
            "000123",
            "秘密★1年",
            "特急",
            "青溪县人民政府",
            "青溪县政协",
            "文件",
            "签发人：张三",
            "青政发〔2024〕5号\t李四"
        ]
    );
}

#[test]
fn format_defaults_to_document_once_an_issuer_is_set() {
    assert_eq!(doc("---\ntitle: t\n---\nx\n").meta.format(), crate::doc::Format::Material);
    let m = doc("---\nissuer: 青溪县政协办公室\n---\nx\n").meta;
    assert_eq!(m.format(), crate::doc::Format::Document);
    assert_eq!(m.mark().as_deref(), Some("青溪县政协办公室文件"));
    let m = doc("---\nissuer: 青溪县政协\nformat: minutes\n---\nx\n").meta;
    assert_eq!(m.mark().as_deref(), Some("青溪县政协纪要"));
    let m = doc("---\nissuer: 青溪县政协\nissuer_mark: 政协青溪县委员会\n---\nx\n").meta;
    assert_eq!(m.mark().as_deref(), Some("政协青溪县委员会"));
}

#[test]
fn front_matter_gongwen_values_are_checked() {
    for (field, value, needle) in [
        ("copy_no", "\"12345\"", "must be six digits, not `12345`"),
        ("copy_no", "\"00012a\"", "must be six digits"),
        ("format", "memo", "must be one of material, document, letter, minutes, brief, not `memo`"),
        ("urgency", "急件", "must be 特急 or 加急"),
        ("secrecy", "内部", "must start with 绝密, 机密 or 秘密"),
        ("seal", "yes", "`seal` must be `true` or `false`"),
        ("printed_on", "2024-02-30", "`printed_on` is not a valid date"),
    ] {
        let text = format!("---\ntitle: t\n{field}: {value}\n---\nx\n");
        let (d, diags) = parse(&text);
        assert!(d.is_some(), "{field}: a field error keeps the document");
        let e = diags.iter().find(|d| d.code == Code::FrontMatterField).unwrap_or_else(|| panic!("{field}: {diags:?}"));
        assert!(e.is_error() && e.message.contains(needle), "{field}: {}", e.message);
        assert_eq!(&text[e.span.clone().expect("span").range], value, "{field}: points at the value");
        assert!(!e.hints.is_empty());
    }
}

#[test]
fn attachment_lines_start_attachments() {
    let d = doc(
        "正文。\n\n\\attachment 统计表\n\n| a |\n|---|\n| 1 |\n\n\\attachment　回执\n附件正文\n\n\\attachmentx 不是\n",
    );
    let kinds: Vec<String> = d
        .blocks
        .iter()
        .map(|b| match b {
            Block::Attachment { title } => format!("A:{title}"),
            Block::Paragraph(c) => format!("P:{}", inline_text(c)),
            Block::Table(_) => "T".into(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, ["P:正文。", "A:统计表", "T", "A:回执", "P:附件正文", "P:\\attachmentx 不是"]);
    assert_eq!(d.attachment_count(), 2);
    assert_eq!(Document::attachment_label(1, 2), "附件2");
    assert_eq!(Document::attachment_label(0, 1), "附件");
}

#[test]
fn minutes_attendance_fields() {
    let m = doc("---\nformat: minutes\nissuer: 县政协\npresent: [甲, 乙]\nobservers: 丙\ndoc_no: 第1期\n---\nx\n").meta;
    assert_eq!(m.attendance(), [("出席", "甲、乙".to_string()), ("列席", "丙".to_string())]);
    assert!(m.signature_lines().is_empty(), "a 纪要 has no 署名 unless given");
    assert_eq!(m.head_lines(), ["县政协纪要", "第1期"]);
}

#[test]
fn a_column_of_figures_gets_one_number_of_decimals() {
    let d = doc(
        "| 领域 | 占比 | 金额 | 年份 |\n|---|---|---|---|\n| 经济 | 16.7% | 3 | 2022 |\n| 教育 | 20% | 12.25 | 2023 |\n| 合计 | 100% | 15.25 | **2024** |\n",
    );
    let t = table(&d.blocks[0]);
    let column = |c: usize| t.rows.iter().map(|r| inline_text(&r[c])).collect::<Vec<_>>();
    assert_eq!(column(1), ["16.7%", "20.0%", "100.0%"]);
    assert_eq!(column(2), ["3.00", "12.25", "15.25"]);
    // No decimals anywhere: nothing added; text columns untouched.
    assert_eq!(column(3), ["2022", "2023", "2024"]);
    assert_eq!(column(0), ["经济", "教育", "合计"]);
}
