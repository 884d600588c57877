//! The DOCX writer on a hand-built 公文: the XML carries the GB/T 9704
//! settings, the package is reproducible, and (ignored unless LibreOffice is
//! installed) the rendered page passes `check-docx.py --render`.

use std::io::Read;
use std::path::{Path, PathBuf};

use wengao::diag::Code;
use wengao::doc::{Align, Block, Date, Document, Inline, Meta, Numbering, Table};
use wengao::style::Style;
use wengao::write::docx::DocxWriter;
use wengao::write::{WriteContext, Writer};

const LEADS: [&str; 6] = ["一是", "二是", "三是", "四是", "五是", "六是"];

/// Running text in the register of a county 经验材料 (after the seeds).
const SENTENCES: [&str; 8] = [
    "认真贯彻落实中共中央关于加强人民政协工作的意见，县委出台了加强和改进政协工作的实施意见，对政协工作统一研究、统一部署、统一安排、统一落实，为政协工作规范有序开展提供了重要保证。",
    "建立实行县委常委会定期研究政协工作的会议制度，县委常委会经常性听取政协党组工作汇报，研究解决政协工作中的重大问题，做到年初有安排、年中有督查、年底有总结。",
    "严格执行政协领导参加有关重要会议制度和重要情况向政协通报制度，县政协党组书记列席县委常委会，常务副主席列席政府常务会，重要会议邀请政协委员参加。",
    "县委、县政府不定期邀请政协委员进行座谈，就群众关心的热点难点问题以及决策执行过程中的重要问题沟通思想，听取意见和建议，真心实意接受政协委员的民主监督。",
    "全年共组织视察调研二十三次，形成调研报告十五篇，提出意见建议一百四十二条，其中八十九条被县委、县政府采纳，转化为推动发展的具体措施。",
    "对事关政协工作的重大问题和政协提出的重要建议案，县委主要领导亲自过问、亲自督查，保证了政协工作在全局工作中有位置、有分量、有作为。",
    "坚持把提案办理作为联系群众的重要渠道，实行提案办理领导领办、部门主办、政协督办的工作机制，提案办结率达到百分之百，委员满意率保持在较高水平。",
    "注重加强委员队伍建设，定期举办委员学习培训班，组织委员外出考察学习，引导广大委员在本职岗位上建功立业，在推动发展中展现政协委员的良好形象。",
];

fn para(i: usize) -> Block {
    let lead = format!(
        "{}{}。",
        LEADS[i % LEADS.len()],
        ["强化组织领导", "完善工作制度", "拓宽协商渠道", "加强民主监督", "提升履职能力", "优化服务保障"][i % 6]
    );
    let text: String = (0..3).map(|k| SENTENCES[(i + k * 3) % SENTENCES.len()]).collect();
    Block::Paragraph(vec![Inline::bold(lead), Inline::plain(text)])
}

fn heading(level: u8, number: &str, text: &str) -> Block {
    Block::Heading { level, number: Some(number.into()), content: vec![Inline::plain(text)] }
}

/// Title of two lines, recipient, four heading levels, a dozen long
/// paragraphs with bold leads, a list, a page break, a table, attachments,
/// signature and date.
fn sample() -> Document {
    let mut blocks = vec![Block::Paragraph(vec![Inline::plain(
        "近年来，县委以机制建设为先导，倾力支持政协工作，充分发挥人民政协的整体功能和特有优势，凝聚各方力量，促进突破发展，取得良好效果。具体做法如下：",
    )])];
    blocks.push(heading(1, "一、", "优化领导机制，提供政治保证"));
    blocks.extend((0..4).map(para));
    blocks.push(heading(2, "（一）", "坚持把政治协商纳入决策程序"));
    blocks.extend((4..7).map(para));
    blocks.push(heading(3, "1.", "建立健全协商议题提出机制"));
    blocks.extend((7..9).map(para));
    blocks.push(heading(4, "（1）", "年度协商计划由县委审定后印发"));
    blocks.extend((9..11).map(para));
    blocks.push(heading(1, "二、", "优化支持机制，提供职权保证"));
    blocks.push(Block::List {
        ordered: true,
        start: 1,
        items: vec![
            vec![Inline::plain("完善协商于决策之前和决策实施之中的工作机制。")],
            vec![Inline::plain("健全知情明政机制，定期向委员通报重要情况。")],
        ],
    });
    blocks.extend((11..13).map(para));
    blocks.push(Block::PageBreak);
    blocks.push(heading(2, "（二）", "提案办理情况统计"));
    blocks.push(Block::Table(Table {
        align: vec![Align::Default, Align::Center, Align::Right],
        header: vec![vec![Inline::plain("类别")], vec![Inline::plain("件数")], vec![Inline::plain("满意率")]],
        rows: vec![
            vec![vec![Inline::plain("经济建设")], vec![Inline::plain("58")], vec![Inline::plain("97%")]],
            vec![vec![Inline::plain("社会事业")], vec![Inline::plain("49")], vec![Inline::plain("98%")]],
            vec![vec![Inline::plain("城乡建设")], vec![Inline::plain("35")], vec![Inline::plain("96%")]],
        ],
        ..Default::default()
    }));
    blocks.push(para(13));
    Document {
        meta: Meta {
            title: vec!["中共××县委".into(), "关于支持政协工作的经验材料".into()],
            subtitle: vec![],
            recipient: Some("各乡镇党委，县直各单位".into()),
            signature: vec!["中共××县委".into()],
            date: Some(Date { year: 2023, month: 4, day: 23 }),
            attachments: vec!["县政协提案办理情况统计表".into(), "县政协委员履职情况报告".into()],
            numbering: Numbering::Auto,
            output: None,
            allow: vec![],
            toc: false,
            ..Meta::default()
        },
        blocks,
    }
}

fn write(doc: &Document, root: &Path) -> Result<Vec<u8>, wengao::diag::Diags> {
    let style = Style::gbt9704();
    let cx = WriteContext::new(doc, &style, root, "");
    let mut out = Vec::new();
    DocxWriter.write(&cx, &mut out)?;
    Ok(out)
}

fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut s = String::new();
    zip.by_name(name).expect("the part is in the package").read_to_string(&mut s).expect("utf-8");
    s
}

/// The XML of the style with this id.
fn style_xml<'a>(styles: &'a str, id: &str) -> &'a str {
    let start = styles.find(&format!("w:styleId=\"{id}\"")).expect("the style is defined");
    let end = styles[start..].find("</w:style>").expect("closed") + start;
    &styles[start..end]
}

#[test]
fn page_setup_is_gbt9704() {
    let docx = write(&sample(), Path::new(".")).expect("written");
    let doc = part(&docx, "word/document.xml");
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4 in twips");
    // 37/35/28/26 mm.
    for m in [r#"w:top="2098""#, r#"w:bottom="1984""#, r#"w:left="1587""#, r#"w:right="1474""#] {
        assert!(doc.contains(m), "{m} in pgMar");
    }
    assert!(doc.contains(r#"<w:docGrid w:type="lines" w:linePitch="579""#), "22-line grid");
    let rels = part(&docx, "word/_rels/document.xml.rels");
    assert!(
        doc.contains(r#"<w:footerReference w:type="default""#) && doc.contains(r#"<w:footerReference w:type="even""#)
    );
    assert!(rels.matches("footer").count() >= 2);
    let settings = part(&docx, "word/settings.xml");
    assert!(settings.contains("<w:evenAndOddHeaders"));
}

#[test]
fn fonts_sizes_spacing_and_indent_come_from_the_style() {
    let docx = write(&sample(), Path::new(".")).expect("written");
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains(r#"<w:lang w:val="en-US" w:eastAsia="zh-CN"/>"#));
    assert!(styles.contains("<w:overflowPunct/>"));
    assert!(styles.contains(r#"<w:widowControl w:val="0"/>"#), "22 lines a page, as the PDF's");
    assert!(
        styles.contains(r#"<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>"#),
        "no space between Chinese and digits"
    );

    let body = style_xml(&styles, "BodyText");
    assert!(body.contains(r#"w:eastAsia="仿宋_GB2312""#), "{body}");
    assert!(body.contains(r#"w:ascii="仿宋""#), "{body}");
    assert!(body.contains(r#"<w:sz w:val="32"/>"#));
    assert!(body.contains(r#"<w:spacing w:val="-5"/>"#), "28 characters a line");
    assert!(body.contains(r#"w:line="579" w:lineRule="exact""#), "{body}");
    assert!(body.contains(r#"w:firstLine="640""#));
    assert!(body.contains(r#"<w:jc w:val="both"/>"#));
    assert!(style_xml(&styles, "Title").contains(r#"<w:snapToGrid w:val="0"/>"#));
    assert!(style_xml(&styles, "TableText").contains(r#"<w:snapToGrid w:val="0"/>"#));

    let title = style_xml(&styles, "Title");
    assert!(title.contains(r#"w:eastAsia="方正小标宋简体""#) && title.contains(r#"<w:sz w:val="44"/>"#));
    assert!(title.contains(r#"<w:jc w:val="center"/>"#) && title.contains(r#"w:firstLine="0""#));
    let h1 = style_xml(&styles, "Heading1");
    assert!(h1.contains(r#"w:eastAsia="黑体""#) && h1.contains("<w:keepNext/>") && h1.contains(r#"w:val="BodyText""#));
    assert!(style_xml(&styles, "Heading2").contains(r#"w:eastAsia="楷体_GB2312""#));
    let h3 = style_xml(&styles, "Heading3");
    assert!(h3.contains(r#"w:eastAsia="仿宋_GB2312""#) && h3.contains("<w:b/>"));
    assert!(!style_xml(&styles, "Heading4").contains("<w:b/>"));
    let cell = style_xml(&styles, "TableText");
    assert!(cell.contains(r#"<w:sz w:val="28"/>"#) && cell.contains(r#"w:line="350" w:lineRule="exact""#));
    let th = style_xml(&styles, "TableHeading");
    // 黑体 is the emphasis, as in the PDF (which sets the header in 黑体, not bold).
    assert!(th.contains(r#"w:eastAsia="黑体""#) && !th.contains("<w:b/>") && th.contains(r#"<w:jc w:val="center"/>"#));

    let doc = part(&docx, "word/document.xml");
    assert!(doc.contains(r#"<w:pStyle w:val="Title"/>"#));
    assert!(doc.contains(r#"<w:pStyle w:val="Heading4"/>"#));
    assert!(doc.contains("一、") && doc.contains("（1）"), "heading numbers are printed");
    assert!(doc.contains("各乡镇党委，县直各单位："), "recipient ends with a full-width colon");
    assert!(doc.contains("<w:b/>"), "bold leads are real bold");
    assert!(doc.contains("<w:pageBreakBefore/>"), "\\newpage starts a page");
    assert!(doc.contains(">1.</w:t>"), "list marker");
}

#[test]
fn table_is_full_width_with_borders_and_repeated_header() {
    let docx = write(&sample(), Path::new(".")).expect("written");
    let doc = part(&docx, "word/document.xml");
    assert!(doc.contains(r#"<w:tblW w:w="8844" w:type="dxa"/>"#), "156 mm");
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        assert!(doc.contains(&format!(r#"<w:{side} w:val="single" w:sz="4""#)), "{side} border");
    }
    assert_eq!(doc.matches("<w:tblHeader/>").count(), 1);
    assert_eq!(doc.matches("<w:cantSplit/>").count(), 4);
    assert!(doc.contains(r#"<w:pStyle w:val="TableHeading"/>"#));
}

#[test]
fn footers_hold_dashed_page_fields_odd_right_even_left() {
    let docx = write(&sample(), Path::new(".")).expect("written");
    let footers: Vec<String> = ["word/footer1.xml", "word/footer2.xml"].iter().map(|n| part(&docx, n)).collect();
    let odd = footers.iter().find(|f| f.contains(r#"<w:jc w:val="right"/>"#)).expect("a right-aligned footer");
    let even = footers.iter().find(|f| f.contains(r#"<w:jc w:val="left"/>"#)).expect("a left-aligned footer");
    for f in [odd, even] {
        assert!(f.contains(r#"w:fldCharType="begin""#) && f.contains(r#"w:fldCharType="end""#));
        assert!(f.contains(" PAGE </w:instrText>"), "{f}");
        assert!(f.contains(">— </w:t>") && f.contains("> —</w:t>"));
        assert!(f.contains(r#"<w:pStyle w:val="Footer"/>"#));
    }
    assert!(odd.contains(r#"w:right="280""#), "one character in");
    assert!(even.contains(r#"w:left="280""#), "one character in");
}

#[test]
fn signature_is_centred_over_the_right_inset_date() {
    let docx = write(&sample(), Path::new(".")).expect("written");
    let doc = part(&docx, "word/document.xml");
    let date_at = doc.find("2023年4月23日").expect("date printed without zero padding");
    let date_p = &doc[doc[..date_at].rfind("<w:p>").expect("paragraph")..date_at];
    assert!(date_p.contains(r#"w:right="1280""#) && date_p.contains(r#"<w:jc w:val="right"/>"#), "{date_p}");
    let sig_at = doc.rfind(">中共××县委</w:t>").expect("signature");
    let sig_p = &doc[doc[..sig_at].rfind("<w:p>").expect("paragraph")..sig_at];
    // Date: 7 half-width digits (155 twips) + 3 CJK (315) = 2030 twips;
    // signature: 6 full-width = 1890, so its right indent is 70 more.
    assert!(sig_p.contains(r#"w:right="1350""#), "{sig_p}");
    let att = doc.find("附件：1.县政协提案办理情况统计表").expect("first attachment");
    let att_p = &doc[doc[..att].rfind("<w:p>").expect("paragraph")..att];
    // Names line up: 2 chars indent + "附件：" + "1." = 640 + 945 + 310.
    assert!(att_p.contains(r#"w:left="1895""#) && att_p.contains(r#"w:hanging="1255""#), "{att_p}");
    assert!(doc.contains(">2.县政协委员履职情况报告<"));
}

#[test]
fn single_attachment_has_no_number() {
    let mut doc = sample();
    doc.meta.attachments.truncate(1);
    let xml = part(&write(&doc, Path::new(".")).expect("written"), "word/document.xml");
    assert!(xml.contains(">附件：县政协提案办理情况统计表<"));
}

#[test]
fn same_document_same_bytes() {
    let doc = sample();
    let a = write(&doc, Path::new(".")).expect("written");
    let b = write(&doc, Path::new(".")).expect("written");
    assert!(a == b, "two writes differ");
    let other = std::thread::spawn(move || write(&doc, Path::new(".")).expect("written")).join().expect("thread");
    assert!(a == other, "a write on another thread differs");
    let core = part(&a, "docProps/core.xml");
    if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
        // Derived from the inputs: the document's 成文日期, never the clock.
        assert!(core.contains(">2023-04-23T00:00:00Z</dcterms:created>"), "{core}");
        let undated = Document { meta: Meta { date: None, ..sample().meta }, ..sample() };
        let core = part(&write(&undated, Path::new(".")).expect("written"), "docProps/core.xml");
        assert!(core.contains(">1980-01-01T00:00:00Z</dcterms:created>"), "{core}");
    }
}

/// A 1 × 1 PNG (one white pixel).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49,
    0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xFF, 0xFF, 0x3F, 0x00, 0x05, 0xFE, 0x02, 0xFE, 0xDC, 0xCC, 0x59, 0xE7,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// A PNG header claiming `w` × `h` pixels (enough for the size, not for a reader).
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut v = PNG[..16].to_vec();
    v.extend(w.to_be_bytes());
    v.extend(h.to_be_bytes());
    v.extend(&PNG[24..]);
    v
}

#[test]
fn images_are_embedded_and_fit_the_text_width() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("assets")).expect("mkdir");
    std::fs::write(dir.path().join("assets/dot.png"), PNG).expect("write");
    std::fs::write(dir.path().join("assets/wide.png"), png_header(2000, 500)).expect("write");
    // A JPEG header (SOF0, 32 × 16): docx-rs would call it `.png`.
    let jpeg = [
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x20, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01,
        0x03, 0x11, 0x01, 0xFF, 0xD9,
    ];
    std::fs::write(dir.path().join("assets/photo.jpg"), jpeg).expect("write");
    let mut doc = sample();
    doc.blocks.push(Block::Image { src: "assets/dot.png".into(), alt: "点".into(), caption: None });
    doc.blocks.push(Block::Image { src: "assets/wide.png".into(), alt: "宽图".into(), caption: None });
    doc.blocks.push(Block::Image { src: "assets/photo.jpg".into(), alt: "照片".into(), caption: None });
    let docx = write(&doc, dir.path()).expect("written");
    let xml = part(&docx, "word/document.xml");
    assert!(xml.contains(r#"<wp:docPr id="2" name="图片 2" descr="宽图"/>"#), "unique ids, alt text");
    assert!(xml.contains(r#"<wp:extent cx="304800" cy="152400"/>"#), "JPEG natural size");
    // Natural size at 96 DPI: 1 px = 9525 EMU.
    assert!(xml.contains(r#"<wp:extent cx="9525" cy="9525"/>"#), "natural size");
    // 2000 px is wider than 156 mm = 5 616 000 EMU: scaled, aspect kept.
    assert!(xml.contains(r#"<wp:extent cx="5616000" cy="1404000"/>"#), "scaled to the text width");
    let rels = part(&docx, "word/_rels/document.xml.rels");
    assert!(rels.contains("media/image1.png"), "{rels}");
    assert!(rels.contains("media/image3.jpeg"), "{rels}");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).expect("zip");
    assert!(zip.by_name("word/media/image1.png").is_ok());
    assert!(zip.by_name("word/media/image3.jpeg").is_ok());
    assert!(zip.by_name("word/media/image3.png").is_err());
}

#[test]
fn a_missing_image_is_a_diagnostic() {
    let mut doc = sample();
    doc.blocks.push(Block::Image { src: "assets/none.png".into(), alt: String::new(), caption: None });
    doc.blocks.push(Block::Image { src: "Cargo.toml".into(), alt: String::new(), caption: None });
    let err = write(&doc, Path::new(env!("CARGO_MANIFEST_DIR"))).expect_err("missing image");
    assert_eq!(err.0.len(), 2, "{err:?}");
    assert!(err.0.iter().all(|d| d.code == Code::MarkupImage));
    assert!(err.0[0].message.contains("assets/none.png"));
}

#[test]
fn python_docx_reads_it() {
    // Only where python-docx is installed; the XML checks above run everywhere.
    let ok = std::process::Command::new("python3").args(["-c", "import docx"]).status().is_ok_and(|s| s.success());
    if !ok {
        return wengao::test_support::skip(
            "python_docx_reads_it: python-docx is not installed (pip install python-docx)",
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("t.docx");
    std::fs::write(&path, write(&sample(), Path::new(".")).expect("written")).expect("write");
    let script = "import sys, docx\nd = docx.Document(sys.argv[1])\nps = [p for p in d.paragraphs if p.text]\n\
                  print(ps[0].style.name, '|', ps[0].text)\nprint(len(d.tables))";
    let out = std::process::Command::new("python3").args(["-c", script]).arg(&path).output().expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.starts_with("Title | 中共××县委"), "{text}");
    assert!(text.trim_end().ends_with('1'), "{text}");
}

/// Where the LibreOffice check writes its sample (kept for inspection).
fn sample_path() -> PathBuf {
    std::env::var_os("WENGAO_DOCX_SAMPLE").map_or_else(|| std::env::temp_dir().join("sample.docx"), PathBuf::from)
}

/// `check-docx.py --render`: LibreOffice lays the sample out and check-pdf
/// measures margins, 28 characters a line, 22 lines a page, 避头尾 and page
/// numbers. Needs soffice, python-docx and pdfplumber: run with `--ignored`
/// (`.ci/run` does).
#[test]
#[ignore = "needs LibreOffice, python-docx and pdfplumber"]
fn libreoffice_render_passes_check_docx() {
    let path = sample_path();
    std::fs::write(&path, write(&sample(), Path::new(".")).expect("written")).expect("write sample");
    let checker = std::env::var_os("WENGAO_CHECK_DOCX")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/check-docx.py"), PathBuf::from);
    let out = std::process::Command::new("python3")
        .arg(&checker)
        .arg(&path)
        .arg("--render")
        .output()
        .expect("python3 runs the checker");
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}");
    assert!(out.status.success(), "check-docx failed:\n{report}{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn adjacent_tables_stay_apart_and_headerless_tables_repeat_nothing() {
    let plain = |s: &str| vec![Inline::plain(s)];
    let headerless =
        Table { align: vec![], header: vec![], rows: vec![vec![plain("甲"), plain("乙")]], ..Default::default() };
    let with_header = Table {
        align: vec![],
        header: vec![plain("项目"), plain("数量")],
        rows: vec![vec![plain("提案"), plain("142")]],
        ..Default::default()
    };
    let doc = Document { meta: Meta::default(), blocks: vec![Block::Table(headerless), Block::Table(with_header)] };
    let xml = part(&write(&doc, Path::new(".")).expect("written"), "word/document.xml");
    assert_eq!(xml.matches("<w:tblHeader/>").count(), 1);
    let second = xml.rfind("<w:tbl>").expect("two tables");
    assert!(xml[second..].contains("<w:tblHeader/>"), "the header row of the second table");
    assert!(xml.contains("</w:tbl><w:p>"), "a paragraph between the tables");
    let tail = &xml[xml.rfind("</w:tbl>").expect("a table")..];
    let tail = &tail[..tail.find("<w:sectPr>").expect("the section")];
    assert!(tail.contains("<w:p>"), "the body ends with a paragraph");
}

#[test]
fn a_repeated_picture_is_packed_once_and_every_use_refers_to_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("assets")).expect("mkdir");
    std::fs::write(dir.path().join("assets/dot.png"), PNG).expect("write");
    std::fs::write(dir.path().join("assets/same.png"), PNG).expect("write");
    std::fs::write(dir.path().join("assets/wide.png"), png_header(2000, 500)).expect("write");
    let mut doc = sample();
    for (src, alt) in [("dot", "一"), ("wide", "二"), ("same", "三"), ("dot", "四")] {
        doc.blocks.push(Block::Image { src: format!("assets/{src}.png"), alt: alt.into(), caption: None });
    }
    let docx = write(&doc, dir.path()).expect("written");
    let xml = part(&docx, "word/document.xml");
    let embeds: Vec<&str> = xml.split("r:embed=\"").skip(1).map(|s| &s[..s.find('"').expect("quote")]).collect();
    assert_eq!(embeds, ["rIdImage1", "rIdImage2", "rIdImage1", "rIdImage1"], "same bytes, same media");
    for n in 1..=4 {
        assert!(xml.contains(&format!("<wp:docPr id=\"{n}\" name=\"图片 {n}\"")), "picture {n} numbered");
    }
    let zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).expect("zip");
    let media: Vec<&str> = zip.file_names().filter(|n| n.starts_with("word/media/")).collect();
    assert_eq!(media.len(), 2, "{media:?}");
    let rels = part(&docx, "word/_rels/document.xml.rels");
    assert_eq!(rels.matches("media/image").count(), 2, "{rels}");
}

#[test]
fn a_long_table_is_written_row_by_row_whole_and_in_order() {
    let plain = |s: String| vec![Inline::plain(&s)];
    let rows: Vec<Vec<Vec<Inline>>> =
        (1..=3000).map(|i| vec![plain(format!("第{i}县")), plain(format!("{}", i * 7))]).collect();
    let table =
        Table { align: vec![], header: vec![plain("县".into()), plain("提案".into())], rows, ..Default::default() };
    let doc = Document { meta: Meta::default(), blocks: vec![Block::Table(table)] };
    let docx = write(&doc, Path::new(".")).expect("written");
    let xml = part(&docx, "word/document.xml");
    assert_eq!(xml.matches("<w:tr>").count(), 3001, "header and every row");
    assert_eq!(xml.matches("<w:tblHeader/>").count(), 1);
    let first = xml.find("第1县").expect("first row");
    let last = xml.find("第3000县").expect("last row");
    assert!(first < last && xml[last..].contains("21000"), "rows in order, cells whole");
    // Paragraph ids stay unique (Word repairs a file whose ids repeat).
    let ids: std::collections::BTreeSet<&str> = xml.split("w14:paraId=\"").skip(1).map(|s| &s[..8]).collect();
    assert_eq!(ids.len(), xml.matches("w14:paraId=\"").count());
    assert!(xml.ends_with("</w:sectPr></w:body></w:document>"), "the part is closed");
}

/// The `w:` namespace of WordprocessingML.
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The local names of `node`'s element children, in order.
fn child_names<'a>(node: roxmltree::Node<'a, '_>) -> Vec<&'a str> {
    node.children().filter(|c| c.is_element()).map(|c| c.tag_name().name()).collect()
}

/// Whether `names` appear in the order `schema` lists them (each at most once).
fn in_schema_order(names: &[&str], schema: &[&str]) -> bool {
    let at: Option<Vec<usize>> = names.iter().map(|n| schema.iter().position(|s| s == n)).collect();
    at.is_some_and(|at| at.windows(2).all(|w| w[0] < w[1]))
}

/// ECMA-376 Part 1: the sequences of CT_PPrBase (+ rPr), CT_RPr, CT_SectPr,
/// CT_Style and CT_Settings, as far as wengao uses them (plus the neighbours
/// that pin the order).
const PPR_ORDER: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "jc",
    "textAlignment",
    "outlineLvl",
    "rPr",
];
const RPR_ORDER: &[&str] = &[
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "strike",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "vertAlign",
    "lang",
];
const SECT_ORDER: &[&str] =
    &["headerReference", "footerReference", "type", "pgSz", "pgMar", "pgNumType", "cols", "titlePg", "docGrid"];
const STYLE_ORDER: &[&str] = &[
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
];
const SETTINGS_ORDER: &[&str] = &[
    "zoom",
    "proofState",
    "defaultTabStop",
    "evenAndOddHeaders",
    "characterSpacingControl",
    "compat",
    "rsids",
    "themeFontLang",
    "decimalSymbol",
    "listSeparator",
];

#[test]
fn every_property_list_is_in_schema_order() {
    let docx = write(&sample(), Path::new(".")).expect("written");
    for name in ["word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml"] {
        let xml = part(&docx, name);
        let doc = roxmltree::Document::parse(&xml).expect("parses");
        let mut seen = 0;
        for node in doc.descendants().filter(|n| n.is_element() && n.tag_name().namespace() == Some(W)) {
            // Footer references come before everything else; two of them are one slot.
            let mut names = child_names(node);
            names.dedup();
            let schema = match node.tag_name().name() {
                "pPr" => PPR_ORDER,
                "rPr" => RPR_ORDER,
                "sectPr" => SECT_ORDER,
                "style" => STYLE_ORDER,
                _ => continue,
            };
            seen += 1;
            assert!(in_schema_order(&names, schema), "{name}: <{}> children {names:?}", node.tag_name().name());
        }
        assert!(seen > 0, "{name} has property lists");
    }
    let settings = part(&docx, "word/settings.xml");
    let doc = roxmltree::Document::parse(&settings).expect("parses");
    let names = child_names(doc.root_element());
    assert!(in_schema_order(&names, SETTINGS_ORDER), "settings {names:?}");
    assert!(names.contains(&"evenAndOddHeaders"));
    assert!(settings.contains(r#"<w:characterSpacingControl w:val="doNotCompress"/>"#), "no compressed punctuation");
}

#[test]
fn every_part_is_typed_and_reached_and_no_empty_part_is_packed() {
    let docx = write(&sample(), Path::new(".")).expect("written");
    let zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).expect("zip");
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    assert_eq!(names[0], "[Content_Types].xml", "content types first");
    for unused in ["word/comments.xml", "word/numbering.xml", "word/footnotes.xml", "word/commentsExtended.xml"] {
        assert!(!names.iter().any(|n| n == unused), "{unused} is packed but nothing refers to it");
    }
    let types = part(&docx, "[Content_Types].xml");
    let rels = format!("{}{}", part(&docx, "_rels/.rels"), part(&docx, "word/_rels/document.xml.rels"));
    for name in names.iter().filter(|n| n.ends_with(".xml") && *n != "[Content_Types].xml") {
        assert!(types.contains(&format!("PartName=\"/{name}\"")), "{name} has a content type");
        let target = name.strip_prefix("word/").unwrap_or(name);
        let reached = [target, name.as_str()].iter().any(|t| rels.contains(&format!("Target=\"{t}\"")));
        assert!(reached, "a relationship reaches {name}");
    }
}

#[test]
fn font_table_lists_every_face_with_its_windows_fallback() {
    let docx = write(&sample(), Path::new(".")).expect("written");
    let fonts = part(&docx, "word/fontTable.xml");
    let table = roxmltree::Document::parse(&fonts).expect("parses");
    let entry = |name: &str| {
        table
            .descendants()
            .find(|n| n.has_tag_name((W, "font")) && n.attribute((W, "name")) == Some(name))
            .unwrap_or_else(|| panic!("no font table entry for {name}: {fonts}"))
    };
    let val = |font: roxmltree::Node, child: &str| {
        font.children().find(|c| c.has_tag_name((W, child))).and_then(|c| c.attribute((W, "val"))).map(str::to_string)
    };
    for (face, alt) in
        [("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体"), ("黑体", "SimHei")]
    {
        let f = entry(face);
        assert_eq!(val(f, "altName").as_deref(), Some(alt), "{face}");
        assert_eq!(val(f, "charset").as_deref(), Some("86"), "{face}: GB 2312");
        assert!(val(f, "panose1").is_some() && val(f, "family").is_some(), "{face}");
        assert_eq!(child_names(f), ["altName", "panose1", "charset", "family", "pitch", "sig"], "{face}");
    }
    // Every face a style or a run names has an entry.
    for name in ["word/styles.xml", "word/document.xml", "word/footer1.xml"] {
        let xml = part(&docx, name);
        let doc = roxmltree::Document::parse(&xml).expect("parses");
        for fonts in doc.descendants().filter(|n| n.has_tag_name((W, "rFonts"))) {
            for slot in ["eastAsia", "ascii", "hAnsi", "cs"] {
                entry(fonts.attribute((W, slot)).unwrap_or_else(|| panic!("{name}: rFonts without {slot}")));
            }
        }
    }
}

#[test]
fn properties_name_the_title_and_the_issuing_body() {
    let docx = write(&sample(), Path::new(".")).expect("written");
    let core = part(&docx, "docProps/core.xml");
    assert!(core.contains("<dc:title>中共××县委关于支持政协工作的经验材料</dc:title>"), "{core}");
    assert!(core.contains("<dc:creator>中共××县委</dc:creator>"), "the signature: {core}");
    assert!(!core.contains("unknown"));
    let mut doc = sample();
    doc.meta.author = Some("青溪县政协办公室".into());
    let core = part(&write(&doc, Path::new(".")).expect("written"), "docProps/core.xml");
    assert!(core.contains("<dc:creator>青溪县政协办公室</dc:creator>"), "an author set wins: {core}");
    doc.meta.author = None;
    doc.meta.signature.clear();
    doc.meta.subtitle = vec!["第12期".into()];
    let core = part(&write(&doc, Path::new(".")).expect("written"), "docProps/core.xml");
    assert!(!core.contains("dc:creator"), "never the subtitle: {core}");
}

#[test]
fn control_characters_from_the_data_never_reach_the_xml() {
    let mut doc = sample();
    doc.blocks.push(Block::Paragraph(vec![Inline::plain("响铃\u{7}与垂直制表\u{b}和\u{0}空字符")]));
    doc.meta.title.push("标题\u{1}".into());
    let docx = write(&doc, Path::new(".")).expect("written");
    for name in ["word/document.xml", "docProps/core.xml"] {
        let xml = part(&docx, name);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
        assert!(!xml.chars().any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')), "{name}");
    }
    assert!(part(&docx, "word/document.xml").contains("响铃与垂直制表和空字符"));
}

#[test]
fn a_paragraph_the_pdf_set_looser_carries_the_same_spacing() {
    // 21 full lines, then a paragraph whose first line would be alone at the
    // foot of page 1: the PDF sets the first paragraph one twip looser (27
    // characters a line, 22 lines) and the DOCX gives its runs that spacing.
    let han = |base: u32, n: usize| -> String { (0..n as u32).filter_map(|i| char::from_u32(base + i)).collect() };
    let first = han(0x4E00, 26 + 28 * 20);
    let doc = Document {
        meta: Meta::default(),
        blocks: vec![
            Block::Paragraph(vec![Inline::plain(first)]),
            Block::Paragraph(vec![Inline::plain(han(0x6000, 64))]),
        ],
    };
    let style = Style::gbt9704();
    let looser = style.char_spacing_twips() + style.reflow_spacing_twips()[0];
    let xml = part(&write(&doc, Path::new(".")).expect("written"), "word/document.xml");
    let parsed = roxmltree::Document::parse(&xml).expect("parses");
    let paras: Vec<_> = parsed.descendants().filter(|n| n.has_tag_name((W, "p"))).collect();
    let spacing = |p: &roxmltree::Node| {
        p.descendants()
            .find(|n| n.has_tag_name((W, "spacing")) && n.parent().is_some_and(|r| r.has_tag_name((W, "rPr"))))
            .and_then(|n| n.attribute((W, "val")).map(str::to_string))
    };
    assert_eq!(spacing(&paras[0]), Some(looser.to_string()), "the first paragraph, set looser");
    assert_eq!(spacing(&paras[1]), None, "the second as the style says");
}

#[test]
fn a_long_title_is_broken_where_the_pdf_balances_it() {
    // 27 characters of 22 pt do not fit the 156 mm line: the PDF sets two
    // balanced lines, and the DOCX breaks the title paragraph at the same
    // place instead of letting Word wrap its last character or two alone.
    let title = "加强县级政协党组建设推动新时代政协工作高质量发展的实践与思考";
    let doc = Document {
        meta: Meta { title: vec![title.into()], ..Meta::default() },
        blocks: vec![Block::Paragraph(vec![Inline::plain("正文。")])],
    };
    let xml = part(&write(&doc, Path::new(".")).expect("written"), "word/document.xml");
    let parsed = roxmltree::Document::parse(&xml).expect("parses");
    let p = parsed
        .descendants()
        .find(|n| {
            n.has_tag_name((W, "p"))
                && n.descendants().any(|s| s.has_tag_name((W, "pStyle")) && s.attribute((W, "val")) == Some("Title"))
        })
        .expect("the title paragraph");
    let pieces: Vec<String> = p
        .descendants()
        .filter(|n| n.has_tag_name((W, "t")) || n.has_tag_name((W, "br")))
        .map(|n| if n.has_tag_name((W, "br")) { "|".to_string() } else { n.text().unwrap_or("").to_string() })
        .collect();
    let joined = pieces.concat();
    assert_eq!(joined.matches('|').count(), 1, "one break: {joined}");
    let (a, b) = joined.split_once('|').expect("two lines");
    assert_eq!(format!("{a}{b}"), title);
    let (na, nb) = (a.chars().count() as i64, b.chars().count() as i64);
    assert!((na - nb).abs() <= 3, "balanced: {a} / {b}");
}

/// The text of the first table cell of `xml` with a run starting with
/// `start`, its line breaks written `|`.
fn cell_lines(xml: &str, start: &str) -> Option<String> {
    let parsed = roxmltree::Document::parse(xml).expect("parses");
    let cell = parsed.descendants().find(|n| {
        n.has_tag_name((W, "tc"))
            && n.descendants().any(|t| t.has_tag_name((W, "t")) && t.text().is_some_and(|t| t.starts_with(start)))
    })?;
    Some(
        cell.descendants()
            .filter(|n| n.has_tag_name((W, "t")) || n.has_tag_name((W, "br")))
            .map(|n| if n.has_tag_name((W, "br")) { "|".to_string() } else { n.text().unwrap_or("").to_string() })
            .collect(),
    )
}

#[test]
fn a_wrapped_header_cell_is_broken_where_the_pdf_balances_it() {
    // Seven columns of figures leave the header cells too narrow for their
    // labels: the PDF sets a wrapped header in balanced lines, and the DOCX
    // breaks the cell at the same place, so Word does not fill its first line
    // and leave one character under it ("完成/值").
    let label = "上年同期累计完成值";
    let header: Vec<Vec<Inline>> = std::iter::once(label)
        .chain(["本年一月计划完成值", "本年二月计划完成值", "本年三月计划完成值", "本年四月计划完成值"])
        .chain(["本年五月计划完成值", "本年六月计划完成值"])
        .map(|text| vec![Inline::plain(text)])
        .collect();
    let rows = vec![(0..7).map(|c| vec![Inline::plain(format!("{}", 1000 + c))]).collect()];
    let doc = Document {
        meta: Meta::default(),
        blocks: vec![Block::Table(Table { align: vec![], header, rows, ..Default::default() })],
    };
    let xml = part(&write(&doc, Path::new(".")).expect("written"), "word/document.xml");
    let cell = cell_lines(&xml, "上年").unwrap_or_else(|| panic!("a header cell broken into balanced lines: {xml}"));
    assert_eq!(cell.replace('|', ""), label);
    let lines: Vec<usize> = cell.split('|').map(|l| l.chars().count()).collect();
    assert!(lines.len() >= 2 && lines.iter().max().unwrap() - lines.iter().min().unwrap() <= 1, "balanced: {cell}");
}

#[test]
fn a_wrapped_body_cell_is_broken_between_words_as_in_the_pdf() {
    // A narrow column of office names beside a long note: Word would break
    // "县人力资源和社会保障局" wherever its line fills ("县人力资/源…"); the
    // DOCX carries the PDF's breaks, which fall between words.
    let name = "县人力资源和社会保障局";
    let note = "根据年度考核结果对各项工作进行全面梳理总结经验查找不足并提出下一步改进措施和具体目标";
    let header: Vec<Vec<Inline>> =
        ["单位", "上年", "本年", "增长", "说明"].iter().map(|t| vec![Inline::plain(*t)]).collect();
    let rows = vec![[name, "1280.5", "1360.2", "6.2", note].iter().map(|t| vec![Inline::plain(*t)]).collect()];
    let doc = Document {
        meta: Meta::default(),
        blocks: vec![Block::Table(Table { align: vec![], header, rows, ..Default::default() })],
    };
    let xml = part(&write(&doc, Path::new(".")).expect("written"), "word/document.xml");
    let cell = cell_lines(&xml, "县").unwrap_or_else(|| panic!("the name's cell: {xml}"));
    assert_eq!(cell.replace('|', ""), name);
    assert!(cell.contains('|'), "the name wraps in this table: {cell}");
    let chars: Vec<char> = name.chars().collect();
    let inside = wengao::words::inside_words(&chars);
    let mut at = 0;
    for line in cell.split('|') {
        at += line.chars().count();
        assert!(!inside[at], "broken inside a word: {cell}");
    }
}

#[test]
fn a_table_has_its_caption_and_unit_above_it_and_aligns_figures_as_the_pdf() {
    let cell = |t: &str| vec![Inline::plain(t)];
    let table = Table {
        header: vec![cell("类别"), cell("件数")],
        rows: vec![vec![cell("经济"), cell("5")], vec![cell("教育"), cell("12")], vec![cell("合计"), cell("17")]],
        caption: Some("表1 2023年提案分类情况".into()),
        unit: Some("单位：件".into()),
        ..Default::default()
    };
    let doc = Document { meta: Meta::default(), blocks: vec![Block::Table(table)] };
    let xml = part(&write(&doc, Path::new(".")).expect("written"), "word/document.xml");
    let parsed = roxmltree::Document::parse(&xml).expect("parses");
    let body = parsed.descendants().find(|n| n.has_tag_name((W, "body"))).expect("body");
    let kids: Vec<_> = body.children().filter(|n| n.is_element()).collect();
    let style_of = |n: &roxmltree::Node| -> String {
        let style = n.descendants().find(|s| s.has_tag_name((W, "pStyle"))).and_then(|s| s.attribute((W, "val")));
        style.unwrap_or_default().to_string()
    };
    let text_of = |n: &roxmltree::Node| {
        n.descendants().filter(|t| t.has_tag_name((W, "t"))).filter_map(|t| t.text()).collect::<String>()
    };
    assert_eq!(style_of(&kids[0]), "TableCaption");
    assert_eq!(text_of(&kids[0]), "表1 2023年提案分类情况");
    assert_eq!(style_of(&kids[1]), "TableUnit");
    assert_eq!(text_of(&kids[1]), "单位：件");
    assert!(kids[2].has_tag_name((W, "tbl")));
    // Body cells: the label left, figures right, the 合计 label centred.
    let jc: Vec<(String, String)> = kids[2]
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")) && style_of(n) == "TableText")
        .map(|p| {
            let jc = p.descendants().find(|n| n.has_tag_name((W, "jc"))).and_then(|n| n.attribute((W, "val")));
            (text_of(&p), jc.unwrap_or("").to_string())
        })
        .collect();
    let want =
        [("经济", "left"), ("5", "right"), ("教育", "left"), ("12", "right"), ("合计", "center"), ("17", "right")];
    assert_eq!(jc, want.map(|(t, j)| (t.to_string(), j.to_string())));
    let styles = part(&write(&doc, Path::new(".")).expect("written"), "word/styles.xml");
    let caption = style_xml(&styles, "TableCaption");
    assert!(
        caption.contains("<w:keepNext/>")
            && caption.contains(r#"w:eastAsia="黑体""#)
            && caption.contains(r#"<w:jc w:val="center"/>"#)
    );
    assert!(style_xml(&styles, "TableUnit").contains(r#"<w:jc w:val="right"/>"#));
}

/// A 通知 with 份号, 签发人, an attachment and a 版记.
fn gongwen() -> Document {
    Document {
        meta: Meta {
            title: vec!["关于开展提案办理情况回头看的通知".into()],
            recipient: Some("各承办单位".into()),
            copy_no: Some("000031".into()),
            issuer: vec!["青溪县政协办公室".into()],
            doc_no: Some("青政协办发〔2023〕21号".into()),
            signers: vec!["沈书华".into()],
            date: Date::parse("2023-12-15"),
            note: Some("此件发至承办单位".into()),
            cc: vec!["县委办公室".into(), "县政府办公室".into()],
            ..Meta::default()
        },
        blocks: vec![
            para(0),
            Block::Attachment { title: "统计表".into() },
            Block::Paragraph(vec![Inline::plain("附件正文。")]),
        ],
    }
}

/// The text of a `w:p` or `w:tbl` node.
fn node_text(n: roxmltree::Node<'_, '_>) -> String {
    n.descendants().filter(|d| d.tag_name().name() == "t").filter_map(|d| d.text()).collect()
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.tag_name().name() == name)
}

fn w_attr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

#[test]
fn gongwen_head_is_red_with_a_red_rule_and_the_imprint_floats_at_the_block_foot() {
    let docx = write(&gongwen(), Path::new(".")).expect("written");
    let xml = part(&docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("parses");
    let body = doc.descendants().find(|n| n.tag_name().name() == "body").expect("body");
    let blocks: Vec<_> = body.children().filter(|n| n.is_element()).collect();
    let texts: Vec<String> = blocks.iter().map(|n| node_text(*n)).collect();
    assert_eq!(texts[0], "000031", "份号 first");
    // The mark: red, 小标宋, centred, its line starting under the 份号 row.
    let mark = blocks[1];
    assert_eq!(texts[1], "青溪县政协办公室文件");
    let rpr = mark
        .descendants()
        .find(|n| n.tag_name().name() == "rPr" && n.parent().is_some_and(|p| p.tag_name().name() == "r"))
        .expect("run props");
    assert_eq!(child(rpr, "color").and_then(|c| w_attr(c, "val")), Some("FF0000"));
    let fonts = child(rpr, "rFonts").expect("fonts");
    assert_eq!(w_attr(fonts, "eastAsia"), Some("方正小标宋简体"));
    let ppr = child(mark, "pPr").expect("pPr");
    assert_eq!(child(ppr, "jc").and_then(|j| w_attr(j, "val")), Some("center"));
    let spacing = child(ppr, "spacing").expect("spacing");
    let before: i32 = w_attr(spacing, "before").and_then(|b| b.parse().ok()).expect("before");
    let line: i32 = w_attr(spacing, "line").and_then(|b| b.parse().ok()).expect("line");
    // 35 mm (1984 twips) under the block top, less the 份号 row, plus the
    // part of the em LibreOffice sets above an exact line.
    let size: i32 = child(rpr, "sz").and_then(|s| w_attr(s, "val")).and_then(|v| v.parse().ok()).expect("sz");
    assert_eq!(line, size * 10, "an exact line as tall as the mark");
    assert_eq!(before, 1984 + (size as f64 * 10.0 * 0.2).round() as i32 - 579);
    // 发文字号, tab, 签发人 (楷体 name) on one line, with the red rule under it.
    let doc_no = blocks[2];
    assert_eq!(texts[2], "\u{3000}青政协办发〔2023〕21号签发人：沈书华", "one character in by an ideographic space");
    assert!(
        doc_no
            .descendants()
            .any(|n| n.tag_name().name() == "tab" && n.parent().is_some_and(|p| p.tag_name().name() == "r"))
    );
    let bottom = doc_no.descendants().find(|n| n.tag_name().name() == "bottom").expect("bottom border");
    assert_eq!(bottom.parent().map(|p| p.tag_name().name()), Some("pBdr"));
    assert_eq!(w_attr(bottom, "color"), Some("FF0000"));
    assert_eq!(w_attr(bottom, "val"), Some("single"));
    // The attachment page: a page break, 附件 in 黑体, then the title.
    let label = blocks.iter().position(|n| node_text(*n) == "附件").expect("label");
    assert!(blocks[label].descendants().any(|n| n.tag_name().name() == "pageBreakBefore"));
    assert!(node_text(blocks[label + 2]) == "统计表" || node_text(blocks[label + 1]) == "统计表");
    // 附注 comes before the attachment, after the date.
    let note = texts.iter().position(|t| t == "（此件发至承办单位）").expect("附注");
    let date = texts.iter().position(|t| t == "2023年12月15日").expect("date");
    assert_eq!(note, date + 1);
    assert!(note < label);
    // The 版记: the last table, floating, anchored at the block's foot.
    let tbl = *blocks.iter().rev().find(|n| n.tag_name().name() == "tbl").expect("a table");
    assert_eq!(node_text(tbl), "抄送：县委办公室，县政府办公室。青溪县政协办公室2023年12月15日印发");
    let pos = tbl.descendants().find(|n| n.tag_name().name() == "tblpPr").expect("floating");
    assert_eq!(w_attr(pos, "vertAnchor"), Some("margin"));
    let rows = tbl.children().filter(|n| n.tag_name().name() == "tr").count() as i32;
    assert_eq!(w_attr(pos, "tblpY").and_then(|y| y.parse().ok()), Some((22 - rows) * 579));
    let borders = tbl.descendants().find(|n| n.tag_name().name() == "tblBorders").expect("borders");
    let sz = |side: &str| child(borders, side).and_then(|b| w_attr(b, "sz")).map(str::to_string);
    assert_eq!((sz("top"), sz("insideH"), sz("bottom")), (Some("8".into()), Some("6".into()), Some("8".into())));
    assert!(child(borders, "left").is_none() && child(borders, "insideV").is_none());
    // The body ends with a paragraph after the table.
    assert_eq!(blocks.last().map(|n| n.tag_name().name()), Some("sectPr"));
    assert_eq!(blocks[blocks.len() - 2].tag_name().name(), "p");
}

#[test]
fn a_material_has_no_red_and_no_floating_table() {
    let docx = write(&sample(), Path::new(".")).expect("written");
    let xml = part(&docx, "word/document.xml");
    assert!(!xml.contains("<w:color ") && !xml.contains("tblpPr") && !xml.contains("w:pBdr"));
}

#[test]
fn an_imprint_on_a_page_of_its_own_is_a_section_on_an_even_page_without_numbers() {
    // One short paragraph: the PDF puts the 版记 on page 2, alone.
    let mut doc = gongwen();
    doc.blocks.truncate(1);
    doc.blocks[0] = Block::Paragraph(vec![Inline::plain("正文。")]);
    let docx = write(&doc, Path::new(".")).expect("written");
    let xml = part(&docx, "word/document.xml");
    let tree = roxmltree::Document::parse(&xml).expect("parses");
    let sections: Vec<_> = tree.descendants().filter(|n| n.tag_name().name() == "sectPr").collect();
    assert_eq!(sections.len(), 2, "the text's section and the 版记's");
    let refs = |s: roxmltree::Node<'_, '_>| -> Vec<String> {
        s.children()
            .filter(|c| c.tag_name().name() == "footerReference")
            .filter_map(|c| c.attribute(("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "id")))
            .map(str::to_string)
            .collect()
    };
    // The text's section ends in its last paragraph, with the numbered footers.
    assert_eq!(sections[0].parent().map(|p| p.tag_name().name()), Some("pPr"));
    assert_eq!(refs(sections[0]), ["rIdFooterOdd", "rIdFooterEven"]);
    assert_eq!(node_text(sections[0].parent().and_then(|p| p.parent()).expect("paragraph")), "（此件发至承办单位）");
    // The last section starts on an even page and has an empty footer.
    assert_eq!(refs(sections[1]), ["rIdFooterBlank", "rIdFooterBlank"]);
    assert_eq!(child(sections[1], "type").and_then(|t| w_attr(t, "val")), Some("evenPage"));
    let blank = part(&docx, "word/footer3.xml");
    assert!(!blank.contains("PAGE") && !blank.contains("<w:t"), "{blank}");
    assert!(part(&docx, "[Content_Types].xml").contains("/word/footer3.xml"));
    assert!(part(&docx, "word/_rels/document.xml.rels").contains(r#"Id="rIdFooterBlank""#));
    // The 版记 table follows an empty paragraph in the last section.
    let body = tree.descendants().find(|n| n.tag_name().name() == "body").expect("body");
    let kids: Vec<_> = body.children().filter(|n| n.is_element()).collect();
    let tbl = kids.iter().position(|n| n.tag_name().name() == "tbl").expect("版记");
    assert_eq!(node_text(kids[tbl - 1]), "");
    assert!(kids[tbl - 2].descendants().any(|n| n.tag_name().name() == "sectPr"));
    // A 版记 that shares the last page (the attachment's, page 2) needs no section.
    let mut doc = gongwen();
    doc.blocks[0] = Block::Paragraph(vec![Inline::plain("正文。")]);
    let shared = part(&write(&doc, Path::new(".")).expect("written"), "word/document.xml");
    assert_eq!(shared.matches("<w:sectPr>").count(), 1);
}

#[test]
fn a_letter_puts_its_mark_and_rules_in_page_frames_and_page_1_has_no_number() {
    let mut doc = gongwen();
    doc.meta.format = Some(wengao::doc::Format::Letter);
    doc.meta.signers.clear();
    let docx = write(&doc, Path::new(".")).expect("written");
    let xml = part(&docx, "word/document.xml");
    let tree = roxmltree::Document::parse(&xml).expect("parses");
    let frames: Vec<_> = tree.descendants().filter(|n| n.tag_name().name() == "framePr").collect();
    assert_eq!(frames.len(), 5, "the mark and four rule lines");
    for f in &frames {
        assert_eq!(
            (w_attr(*f, "vAnchor"), w_attr(*f, "hAnchor"), w_attr(*f, "xAlign")),
            (Some("page"), Some("page"), Some("center"))
        );
        assert_eq!(w_attr(*f, "w"), Some("9638"), "170 mm");
    }
    // The mark's frame: its glyph top 30 mm (1701 twips) from the page top.
    let size: i32 = tree
        .descendants()
        .find(|n| n.tag_name().name() == "color")
        .and_then(|c| c.parent())
        .and_then(|rpr| child(rpr, "sz"))
        .and_then(|s| w_attr(s, "val"))
        .and_then(|v| v.parse().ok())
        .expect("the mark's size");
    let y: i32 = w_attr(frames[0], "y").and_then(|y| y.parse().ok()).expect("y");
    assert_eq!(y, 1701 + (size as f64 * 10.0 * 0.2).round() as i32);
    // Page 1 (in the first section) has the empty footer.
    let sect = tree.descendants().find(|n| n.tag_name().name() == "sectPr").expect("sectPr");
    assert!(child(sect, "titlePg").is_some());
    let first = sect
        .children()
        .find(|c| c.tag_name().name() == "footerReference" && w_attr(*c, "type") == Some("first"))
        .expect("a first-page footer");
    assert_eq!(
        first.attribute(("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "id")),
        Some("rIdFooterBlank")
    );
}

#[test]
fn a_joint_mark_is_a_borderless_table_with_wenjian_beside_the_names() {
    let mut doc = gongwen();
    doc.meta.issuer = vec!["中共青溪县委办公室".into(), "青溪县人民政府办公室".into()];
    let docx = write(&doc, Path::new(".")).expect("written");
    let xml = part(&docx, "word/document.xml");
    let tree = roxmltree::Document::parse(&xml).expect("parses");
    let tbl = tree.descendants().find(|n| n.tag_name().name() == "tbl").expect("the mark's table");
    let cells: Vec<_> = tbl.descendants().filter(|n| n.tag_name().name() == "tc").collect();
    assert_eq!(cells.len(), 2);
    let paras = |c: roxmltree::Node<'_, '_>| -> Vec<String> {
        c.children().filter(|p| p.tag_name().name() == "p").map(node_text).collect()
    };
    assert_eq!(paras(cells[0]), ["中共青溪县委办公室", "青溪县人民政府办公室"]);
    assert_eq!(paras(cells[1]), ["文件"]);
    assert_eq!(child(child(cells[1], "tcPr").expect("tcPr"), "vAlign").and_then(|v| w_attr(v, "val")), Some("center"));
    assert!(tbl.descendants().filter(|n| n.tag_name().name() == "color").all(|c| w_attr(c, "val") == Some("FF0000")));
    let borders = tbl.descendants().find(|n| n.tag_name().name() == "tblBorders").expect("borders");
    assert!(borders.children().filter(|b| b.is_element()).all(|b| w_attr(b, "val") == Some("nil")));
}
