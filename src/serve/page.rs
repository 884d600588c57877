//! The preview's HTML: the page (documents, diagnostics, the PDF) and the
//! source view a diagnostic links to. Every value written into the HTML is
//! escaped (`xml::escape`) and every value written into a link is %-encoded.
//!
//! The page shows the PDF itself, in the browser's PDF viewer: it is the
//! file that prints, laid out by wengao's own engine, so what the page shows
//! is what the printer gets, 22 lines of 28 characters and all. An HTML
//! imitation of the grid would be a second layout that could disagree with
//! the first. The text of the same build is shown under it, for finding a
//! figure with the browser's search.

use std::fmt::Write as _;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{DocView, Shared, State};
use crate::batch::DocStatus;
use crate::xml::escape as esc;

/// What a query value or path segment keeps unencoded.
const KEEP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, KEEP).to_string()
}

/// `/out/<path>`, each segment encoded.
fn out_link(path: &str, generation: u64) -> String {
    let segments: Vec<String> = path.split('/').map(enc).collect();
    // The generation makes each build's PDF a new address, so the viewer
    // never shows a cached one.
    format!("/out/{}?build={generation}", segments.join("/"))
}

fn source_link(file: &str, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("/source?file={}&amp;line={l}#L{l}", enc(file)),
        None => format!("/source?file={}", enc(file)),
    }
}

const STYLE: &str = "\
body { margin: 0; font-family: \"Noto Sans CJK SC\", \"Microsoft YaHei\", sans-serif; font-size: 14px; color: #222; }\n\
.frame { display: grid; grid-template-columns: 300px 1fr; height: 100vh; }\n\
aside { overflow: auto; border-right: 1px solid #ccc; padding: 0 12px; background: #f6f6f4; }\n\
main { overflow: auto; }\n\
h1 { font-size: 16px; margin: 12px 0 4px; } h2 { font-size: 14px; margin: 16px 0 4px; color: #555; }\n\
.build { color: #666; font-size: 12px; }\n\
ul { list-style: none; padding: 0; margin: 0; } li { margin: 4px 0; }\n\
.docs a { display: block; padding: 4px 6px; border-radius: 3px; text-decoration: none; color: #124; }\n\
.docs a.chosen { background: #dde6f0; font-weight: bold; }\n\
.failed { color: #b00; } .error { color: #b00; } .warning { color: #a60; }\n\
.problem { border-left: 3px solid #b00; padding: 2px 6px; background: #fff; }\n\
.problem.warn { border-left-color: #d90; }\n\
.problem a { font-family: monospace; }\n\
.hint { color: #555; font-size: 12px; }\n\
.pages { width: 100%; height: calc(100vh - 6px); border: 0; display: block; }\n\
.banner { padding: 8px 12px; background: #fde8e8; color: #900; }\n\
.empty { padding: 24px; color: #666; }\n\
details { padding: 8px 12px; } pre { white-space: pre-wrap; }\n\
.src td { vertical-align: top; font-family: monospace; white-space: pre-wrap; }\n\
.src td.n { color: #888; text-align: right; padding-right: 8px; user-select: none; }\n\
.src tr.hl { background: #fff2a8; }\n";

/// Reload when a build other than the one shown has ended: the server
/// writes to the stream, the browser only listens (and reconnects by
/// itself if the server restarts).
fn reload_script(generation: u64) -> String {
    format!(
        "<script>\nconst shown = \"{generation}\";\nconst builds = new EventSource(\"/events\");\n\
         builds.addEventListener(\"build\", (e) => {{ if (e.data !== shown) location.reload(); }});\n</script>\n"
    )
}

fn head(title: &str, generation: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n\
         {}</head>\n",
        esc(title),
        reload_script(generation)
    )
}

fn status_word(d: &DocView) -> &'static str {
    match d.status {
        DocStatus::Built => "已更新",
        DocStatus::Unchanged => "未变",
        DocStatus::Failed => "有错误",
    }
}

/// The page: documents and diagnostics on the left, the chosen document
/// (`doc`, else the first) on the right.
pub fn index(shared: &Shared, state: &State, doc: Option<&str>) -> String {
    let generation = state.generation;
    let chosen = doc.and_then(|id| state.documents.iter().find(|d| d.id == id)).or(state.documents.first());
    let mut h = head(&shared.title, generation);
    let _ = write!(
        h,
        "<body data-build=\"{generation}\">\n<div class=\"frame\">\n<aside>\n<h1>{}</h1>\n<div class=\"build\" id=\"build\">{}</div>\n",
        esc(&shared.title),
        if generation == 0 { "正在生成…".to_string() } else { format!("第 {generation} 次生成") }
    );
    h.push_str("<h2>文稿</h2>\n<ul class=\"docs\" id=\"documents\">\n");
    for d in &state.documents {
        let is_chosen = chosen.is_some_and(|c| c.id == d.id);
        let _ = writeln!(
            h,
            "<li><a href=\"/?doc={}\" class=\"{}{}\">{} <small>{}</small></a></li>",
            enc(&d.id),
            if is_chosen { "chosen" } else { "" },
            if d.status == DocStatus::Failed { " failed" } else { "" },
            esc(&d.id),
            status_word(d)
        );
    }
    h.push_str("</ul>\n");
    let errors = state.problems.iter().filter(|p| p.error).count();
    let warnings = state.problems.len() - errors;
    let _ = writeln!(
        h,
        "<h2>检查结果</h2>\n<div id=\"summary\">{}</div>\n<ul id=\"problems\">",
        if state.problems.is_empty() {
            "没有错误或警告".to_string()
        } else {
            format!("{errors} 个错误，{warnings} 个警告")
        }
    );
    for p in &state.problems {
        let place = match (&p.file, p.line, p.column) {
            // A workbook is not shown as text: its place is the cell.
            (Some(f), _, _) if p.cell.is_some() => format!("{}: {}", esc(f), esc(p.cell.as_deref().unwrap_or_default())),
            (Some(f), Some(l), Some(c)) => format!("<a href=\"{}\">{}:{l}:{c}</a>", source_link(f, Some(l)), esc(f)),
            (Some(f), _, _) => format!("<a href=\"{}\">{}</a>", source_link(f, None), esc(f)),
            (None, _, _) => String::new(),
        };
        let (class, word) = if p.error { ("problem", "error") } else { ("problem warn", "warning") };
        let _ = write!(
            h,
            "<li class=\"{class}\">{place} <span class=\"{word}\">{word}[{}]</span>: {}",
            p.code,
            esc(&p.message)
        );
        for hint in &p.hints {
            let _ = write!(h, "<div class=\"hint\">提示：{}</div>", esc(hint));
        }
        h.push_str("</li>\n");
    }
    h.push_str("</ul>\n</aside>\n<main>\n");
    match chosen {
        None if generation == 0 => h.push_str("<div class=\"empty\">正在生成，完成后本页自动刷新。</div>\n"),
        None => h.push_str("<div class=\"empty\">这个项目还没有生成任何文稿：见左侧的检查结果。</div>\n"),
        Some(d) => document(&mut h, shared, d, generation),
    }
    h.push_str("</main>\n</div>\n</body>\n</html>\n");
    h
}

fn document(h: &mut String, shared: &Shared, d: &DocView, generation: u64) {
    if d.status == DocStatus::Failed {
        h.push_str(if d.pdf.is_some() {
            "<div class=\"banner\">这份文稿这次没有生成成功（错误见左侧）；下面是上次成功生成的样子。</div>\n"
        } else {
            "<div class=\"banner\">这份文稿还没有生成成功：错误见左侧。</div>\n"
        });
    }
    if let Some(pdf) = &d.pdf {
        let _ = writeln!(
            h,
            "<iframe class=\"pages\" id=\"pages\" title=\"{}\" src=\"{}\"></iframe>",
            esc(&d.id),
            out_link(pdf, generation)
        );
    }
    if let Some(txt) = &d.txt {
        // The text is read from the preview folder the server built; one
        // that is gone or unreadable just leaves the panel out.
        let body = super::paths::file_under(&shared.preview_dir, txt).and_then(|f| std::fs::read_to_string(f).ok());
        if let Some(body) = body {
            let _ = writeln!(
                h,
                "<details open>\n<summary>文字稿（与上面的 PDF 同一次生成）</summary>\n<pre id=\"text\">{}</pre>\n</details>",
                esc(&body)
            );
        }
    }
}

/// A project file with its lines numbered, `line` marked and scrolled to.
pub fn source(shared: &Shared, state: &State, rel: &str, body: &str, line: Option<usize>) -> String {
    let mut h = head(&format!("{rel} — {}", shared.title), state.generation);
    let _ = writeln!(
        h,
        "<body>\n<div style=\"padding: 0 12px\">\n<p><a href=\"/\">← 返回预览</a></p>\n<h1>{}</h1>\n<table class=\"src\">",
        esc(rel)
    );
    for (i, text) in body.lines().enumerate() {
        let n = i + 1;
        let class = if Some(n) == line { " class=\"hl\"" } else { "" };
        let _ = writeln!(h, "<tr id=\"L{n}\"{class}><td class=\"n\">{n}</td><td>{}</td></tr>", esc(text));
    }
    h.push_str("</table>\n</div>\n</body>\n</html>\n");
    h
}
