//! The `html` writer: a self-contained preview page styled like the printed page.
//!
//! One file, no external resources: CSS inline, images as data URIs. Sizes,
//! margins, pitch and faces come from `Style`; pagination is left to print
//! (the `@page` rule carries the GB/T 9704 margins).

use std::fmt::Write as _;
use std::io;

use base64::Engine as _;

use super::{WriteContext, Writer, io_diag};
use crate::diag::{Code, Diagnostic, Diags};
use crate::doc::{Align, Block, Inline, TOC_HEADING};
use crate::style::{Face, Style};
use crate::xml::escape as esc;

/// Writes one HTML page.
pub struct HtmlWriter;

impl Writer for HtmlWriter {
    fn name(&self) -> &'static str {
        "html"
    }
    fn write(&self, cx: &WriteContext<'_>, out: &mut dyn io::Write) -> Result<Diags, Diags> {
        let page = render(cx)?;
        out.write_all(page.as_bytes()).map_err(|e| io_diag("html", e))?;
        Ok(Diags::new())
    }
}

fn font_stack(style: &Style, face: Face) -> String {
    let generic = match face {
        Face::Hei => "sans-serif",
        _ => "serif",
    };
    let mut names: Vec<String> = style.fonts.get(face).iter().map(|n| format!("\"{}\"", esc(n))).collect();
    let open = match face {
        Face::Song => "\"Noto Serif CJK SC\", \"Source Han Serif SC\"",
        Face::Fang => "\"FandolFang\", \"Noto Serif CJK SC\"",
        Face::Hei => "\"Noto Sans CJK SC\", \"Source Han Sans SC\"",
        Face::Kai => "\"LXGW WenKai\", \"FandolKai\", \"Noto Serif CJK SC\"",
        Face::Songti => "\"FandolSong\", \"Noto Serif CJK SC\"",
    };
    names.push(open.to_string());
    names.push(generic.to_string());
    names.join(", ")
}

/// The rules of a 公文's 版头 and 版记 (only in a 公文's page, so a
/// material's HTML stays as it was).
fn gongwen_css(style: &Style) -> String {
    let pt = |v: f64| format!("{v:.2}pt");
    let song = font_stack(style, Face::Song);
    format!(
        ".head p {{ text-indent: 0; }} .head .mark {{ font-family: {song}; font-size: {title}; color: #{red}; text-align: center; }}\n\
         .head {{ border-bottom: 2px solid #{red}; margin-bottom: {gap}; }}\n\
         .imprint {{ margin-top: {gap}; border-top: 1px solid #000; border-bottom: 1px solid #000; font-size: {size}; }}\n\
         .imprint p {{ text-indent: 0; padding: 0 1em; }} .imprint span {{ float: right; }}\n",
        title = pt(style.title_size.0),
        red = style.gongwen.red.hex(),
        gap = pt(style.line_pitch().0 * 2.0),
        size = pt(style.gongwen.imprint_size.0),
    )
}

fn css(style: &Style) -> String {
    let pt = |v: f64| format!("{v:.2}pt");
    let mm = |v: f64| format!("{v:.1}mm");
    let mut c = String::new();
    let _ = write!(
        c,
        "@page {{ size: {w} {h}; margin: {t} {r} {b} {l}; }}\n\
         body {{ background: #e8e8e8; margin: 0; padding: 2em 0; }}\n\
         .page {{ background: #fff; width: {tw}; margin: 0 auto; padding: {t} {r} {b} {l}; box-shadow: 0 0 6px #999;\n\
           font-family: {fang}; font-size: {body}; line-height: {pitch}; letter-spacing: {tracking}; text-align: justify; color: #000; }}\n\
         @media print {{ body {{ background: none; padding: 0; }} .page {{ box-shadow: none; padding: 0; width: auto; }} }}\n\
         p {{ margin: 0; text-indent: {indent}; }}\n\
         .title {{ font-family: {song}; font-size: {title}; line-height: {title_pitch}; text-align: center; text-indent: 0; }}\n\
         .title-block {{ margin-bottom: {pitch}; }}\n\
         .caption {{ text-align: center; text-indent: 0; }}\n\
         .subtitle {{ font-family: {kai}; text-align: center; text-indent: 0; }}\n\
         .recipient {{ text-indent: 0; }}\n\
         .h1 {{ font-family: {hei}; }} .h2 {{ font-family: {kai}; }} .h3 {{ font-weight: bold; }}\n\
         .attachments {{ margin-top: {pitch}; }}\n\
         .attachments p + p {{ padding-left: calc({indent} + 3em); text-indent: 0; }}\n\
         .signature {{ margin-top: {pitch2}; text-align: right; text-indent: 0; }}\n\
         .signature span {{ display: inline-block; text-align: center; margin-right: {date_inset}; }}\n\
         table {{ width: 100%; border-collapse: collapse; font-size: {table}; line-height: 1.4; margin: 0.5em 0; }}\n\
         caption .title {{ display: block; font-family: {hei}; font-size: {body}; text-align: center; }}\n\
         caption .unit {{ display: block; text-align: right; }}\n\
         th, td {{ border: 1px solid #000; padding: 0.2em 0.4em; }} th {{ font-family: {hei}; font-weight: normal; }}\n\
         img {{ max-width: 100%; display: block; margin: 0 auto; }}\n\
         .pagebreak {{ break-after: page; border-top: 1px dashed #bbb; margin: 1em 0; }}\n\
         @media print {{ .pagebreak {{ border: 0; margin: 0; }} }}\n",
        w = mm(style.page_width.0),
        h = mm(style.page_height.0),
        t = mm(style.margin_top.0),
        r = mm(style.margin_right.0),
        b = mm(style.margin_bottom.0),
        l = mm(style.margin_left.0),
        tw = mm(style.text_width().0),
        fang = font_stack(style, Face::Fang),
        song = font_stack(style, Face::Song),
        hei = font_stack(style, Face::Hei),
        kai = font_stack(style, Face::Kai),
        body = pt(style.body_size.0),
        pitch = pt(style.line_pitch().0),
        pitch2 = pt(style.line_pitch().0 * 2.0),
        // 28 characters of 16 pt in 156 mm: each advances the character pitch.
        tracking = pt(style.char_pitch().0 - style.body_size.0),
        indent = pt(style.indent().0),
        title = pt(style.title_size.0),
        title_pitch = pt(style.line_pitch().0 * (style.title_size.0 / style.body_size.0).ceil()),
        table = pt(style.table_size.0),
        date_inset = pt(style.char_pitch().0 * f64::from(style.date_right_inset_chars)),
    );
    c
}

fn inlines(content: &[Inline]) -> String {
    let mut s = String::new();
    for i in content {
        match i {
            Inline::Text { text, style } => {
                let t = esc(text);
                match (style.bold, style.italic) {
                    (true, true) => {
                        let _ = write!(s, "<strong><em>{t}</em></strong>");
                    }
                    (true, false) => {
                        let _ = write!(s, "<strong>{t}</strong>");
                    }
                    (false, true) => {
                        let _ = write!(s, "<em>{t}</em>");
                    }
                    (false, false) => s.push_str(&t),
                }
            }
            Inline::LineBreak => s.push_str("<br>"),
        }
    }
    s
}

fn image(cx: &WriteContext<'_>, src: &str, alt: &str) -> Result<String, Diags> {
    let path = crate::image_source::path_of(cx.root, src);
    let bytes = crate::image_source::load(&path, cx.fonts, cx.style, cx.root).map_err(|e| {
        Diags::from(
            Diagnostic::error(
                Code::MarkupImage,
                format!("cannot read image `{}`: {e}", crate::image_source::shown(src)),
            )
            .with_path(&path)
            .with_hint("image paths are relative to the project folder, e.g. assets/photo.png"),
        )
    })?;
    let mime = match crate::image_source::is_chart(&path)
        .then_some("png")
        .or(path.extension().and_then(|e| e.to_str()))
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    };
    let data = base64::engine::general_purpose::STANDARD.encode(bytes);
    Ok(format!("<img src=\"data:{mime};base64,{data}\" alt=\"{}\">\n", esc(alt)))
}

fn render(cx: &WriteContext<'_>) -> Result<String, Diags> {
    let meta = &cx.doc.meta;
    let title_text = meta.title.join("");
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"wengao\">\n<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n<div class=\"page\">\n",
        meta.language(),
        esc(&title_text),
        css(cx.style) + &if meta.is_gongwen() { gongwen_css(cx.style) } else { String::new() }
    );
    let head = meta.head_lines();
    if !head.is_empty() {
        // The 版头 as text: the mark red, as printed.
        let mark = meta.mark().unwrap_or_default();
        h.push_str("<div class=\"head\">\n");
        for l in &head {
            let red = *l == mark || (meta.joint_mark() && (meta.issuer.contains(l) || l == "文件"));
            let class = if red { " class=\"mark\"" } else { "" };
            let _ = writeln!(h, "<p{class}>{}</p>", esc(l));
        }
        h.push_str("</div>\n");
    }
    if !meta.title.is_empty() || !meta.subtitle.is_empty() {
        h.push_str("<div class=\"title-block\">\n");
        for t in &meta.title {
            let _ = writeln!(h, "<p class=\"title\">{}</p>", esc(t));
        }
        for t in &meta.subtitle {
            let _ = writeln!(h, "<p class=\"subtitle\">{}</p>", esc(t));
        }
        h.push_str("</div>\n");
    }
    if meta.toc {
        for sig in &meta.signature {
            let _ = writeln!(h, "<p class=\"subtitle\">{}</p>", esc(sig));
        }
        if let Some(d) = meta.date {
            let _ = writeln!(h, "<p class=\"subtitle\">{}</p>", d.to_chinese());
        }
        let _ =
            writeln!(h, "<div class=\"pagebreak\"></div>\n<nav class=\"toc\">\n<p class=\"title\">{TOC_HEADING}</p>");
        for (i, a) in cx.doc.articles().enumerate() {
            let _ = writeln!(h, "<p><a href=\"#article-{}\">{}</a></p>", i + 1, esc(&a.toc_title()));
        }
        h.push_str("</nav>\n");
    }
    if let Some(r) = meta.recipient_line() {
        let _ = writeln!(h, "<p class=\"recipient\">{}</p>", esc(&r));
    }
    let mut article = 0;
    let count = cx.doc.attachment_count();
    let mut attachment = 0;
    for b in &cx.doc.blocks {
        match b {
            Block::Attachment { title } => {
                if attachment == 0 {
                    end_of_text(&mut h, meta);
                }
                let label = crate::doc::Document::attachment_label(attachment, count);
                let _ = writeln!(h, "<div class=\"pagebreak\"></div>\n<p class=\"h1\">{}</p>", esc(&label));
                if !title.is_empty() {
                    let _ = writeln!(h, "<p class=\"title\">{}</p>", esc(title));
                }
                attachment += 1;
            }
            Block::Heading { level, number, content } => {
                let _ = writeln!(
                    h,
                    "<p class=\"h{level}\" role=\"heading\" aria-level=\"{level}\">{}{}</p>",
                    esc(number.as_deref().unwrap_or("")),
                    inlines(content)
                );
            }
            Block::Paragraph(content) => {
                let _ = writeln!(h, "<p>{}</p>", inlines(content));
            }
            Block::List { ordered, start, items } => {
                for (i, it) in items.iter().enumerate() {
                    let _ = writeln!(h, "<p>{}{}</p>", esc(&Block::list_marker(*ordered, *start, i)), inlines(it));
                }
            }
            Block::Table(t) => {
                let style = |a: Align| match a {
                    Align::Left | Align::Default => " style=\"text-align:left\"",
                    Align::Center => " style=\"text-align:center\"",
                    Align::Right => " style=\"text-align:right\"",
                };
                h.push_str("<table>\n");
                if t.caption.is_some() || t.unit.is_some() {
                    h.push_str("<caption>");
                    if let Some(c) = &t.caption {
                        let _ = write!(h, "<span class=\"title\">{}</span>", esc(c));
                    }
                    if let Some(u) = &t.unit {
                        let _ = write!(h, "<span class=\"unit\">{}</span>", esc(u));
                    }
                    h.push_str("</caption>\n");
                }
                h.push_str("<thead><tr>");
                for c in &t.header {
                    let _ = write!(h, "<th>{}</th>", inlines(c));
                }
                h.push_str("</tr></thead>\n<tbody>\n");
                for (row, r) in t.rows.iter().enumerate() {
                    h.push_str("<tr>");
                    for (i, c) in r.iter().enumerate() {
                        let _ = write!(h, "<td{}>{}</td>", style(t.cell_align(row, i)), inlines(c));
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</tbody>\n</table>\n");
            }
            Block::Image { src, alt, caption } => {
                h.push_str(&image(cx, src, alt)?);
                if let Some(c) = caption {
                    h.push_str(&format!("<p class=\"caption\">{}</p>\n", esc(c)));
                }
            }
            Block::PageBreak => h.push_str("<div class=\"pagebreak\"></div>\n"),
            Block::Article(a) => {
                article += 1;
                let _ = writeln!(
                    h,
                    "<div class=\"pagebreak\"></div>\n<div class=\"title-block\" id=\"article-{article}\">"
                );
                for t in &a.title {
                    let _ = writeln!(h, "<p class=\"title\">{}</p>", esc(t));
                }
                for t in &a.authors {
                    let _ = writeln!(h, "<p class=\"subtitle\">{}</p>", esc(t));
                }
                h.push_str("</div>\n");
            }
        }
    }
    if attachment == 0 {
        end_of_text(&mut h, meta);
    }
    let letter = meta.format() == crate::doc::Format::Letter;
    let distribution = meta.distribution_lines();
    if !distribution.is_empty() {
        h.push_str("<div class=\"imprint\">\n");
        for l in &distribution {
            let _ = writeln!(h, "<p>{}</p>", esc(l));
        }
        h.push_str("</div>\n");
    }
    if meta.imprint().is_some() || (letter && !meta.cc.is_empty()) {
        h.push_str("<div class=\"imprint\">\n");
        if let Some(cc) = meta.cc_line() {
            let _ = writeln!(h, "<p>{}</p>", esc(&cc));
        }
        if let Some((by, on)) = meta.imprint() {
            let _ = writeln!(h, "<p>{}<span>{}</span></p>", esc(&by), esc(&on));
        }
        h.push_str("</div>\n");
    }
    h.push_str("</div>\n</body>\n</html>\n");
    Ok(h)
}

/// 附件说明, 署名, 成文日期 and 附注: the end of the main text.
fn end_of_text(h: &mut String, meta: &crate::doc::Meta) {
    let attachments = meta.attachment_lines();
    if !attachments.is_empty() {
        h.push_str("<div class=\"attachments\">\n");
        for a in attachments {
            let _ = writeln!(h, "<p>{}</p>", esc(&a));
        }
        h.push_str("</div>\n");
    }
    for (label, names) in meta.attendance() {
        let _ = writeln!(h, "<p><span class=\"h1\">{label}：</span>{}</p>", esc(&names));
    }
    let signature = meta.signature_lines();
    if !meta.toc && (!signature.is_empty() || meta.closing_date().is_some()) {
        h.push_str("<p class=\"signature\"><span>");
        let mut lines: Vec<String> = signature.iter().map(|s| esc(s)).collect();
        if let Some(d) = meta.closing_date() {
            lines.push(d.to_chinese());
        }
        h.push_str(&lines.join("<br>"));
        h.push_str("</span></p>\n");
    }
    if let Some(n) = meta.note_line() {
        let _ = writeln!(h, "<p>{}</p>", esc(&n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Document, Meta};

    #[test]
    fn page_is_self_contained_and_escaped() {
        let doc = Document {
            meta: Meta { title: vec!["标题<一>".into()], ..Meta::default() },
            blocks: vec![
                Block::Heading { level: 1, number: Some("一、".into()), content: vec![Inline::plain("情况")] },
                Block::Paragraph(vec![Inline::bold("一是"), Inline::plain("A&B")]),
            ],
        };
        let style = Style::gbt9704();
        let cx = WriteContext::new(&doc, &style, std::path::Path::new("."), "");
        let h = render(&cx).expect("render");
        assert!(h.contains("<p class=\"title\">标题&lt;一&gt;</p>"));
        assert!(h.contains("<strong>一是</strong>A&amp;B"));
        assert!(h.contains("margin: 37.0mm 26.0mm 35.0mm 28.0mm"), "margins from style");
        assert!(h.contains("font-size: 16.00pt"));
        assert!(!h.contains("http"), "no external resources");
        assert!(!h.contains(".head") && !h.contains("#FF0000"), "a material's page has no 公文 rules");
    }

    #[test]
    fn a_gongwen_page_has_its_head_in_red_and_its_imprint() {
        let doc = Document {
            meta: Meta {
                title: vec!["关于召开会议的通知".into()],
                issuer: vec!["青溪县政协办公室".into()],
                doc_no: Some("青政协办发〔2023〕21号".into()),
                date: crate::doc::Date::parse("2023-12-15"),
                cc: vec!["县委办公室".into()],
                ..Meta::default()
            },
            blocks: vec![Block::Paragraph(vec![Inline::plain("正文。")])],
        };
        let style = Style::gbt9704();
        let cx = WriteContext::new(&doc, &style, std::path::Path::new("."), "");
        let h = render(&cx).expect("render");
        assert!(h.contains("<p class=\"mark\">青溪县政协办公室文件</p>"), "{h}");
        assert!(h.contains("color: #FF0000"));
        assert!(h.contains("<p>抄送：县委办公室。</p>") && h.contains("<span>2023年12月15日印发</span>"), "{h}");
    }
}
