//! Collections (汇编) on the fixed-width fake: the 目录 prints the pages
//! the articles really start on, whether the 目录 takes one page or two;
//! every article starts a page; the cover and the 目录 carry no number and
//! the text's first page is page 1, on a right-hand page.

use std::path::Path;

use super::testing::FakeMetrics;
use super::*;
use crate::doc::{Article, Block, Date, Document, Inline, Meta, TOC_HEADING};
use crate::style::Style;

fn lay(doc: &Document) -> Pages {
    let (pages, diags) = layout_document(doc, &Style::gbt9704(), &FakeMetrics::default(), Path::new("."));
    assert!(diags.is_empty(), "{diags:?}");
    pages
}

/// (size, text) of each line of a page, the page number (if any) last.
fn lines(page: &Page) -> Vec<(f64, String)> {
    let mut out: Vec<(f64, f64, String)> = Vec::new();
    for item in &page.items {
        let Item::Text(run) = item else { continue };
        let text: String = run.glyphs.iter().map(|g| g.ch).collect();
        match out.last_mut() {
            Some((baseline, _, t)) if (*baseline - run.baseline.0).abs() < 1e-9 => t.push_str(&text),
            _ => out.push((run.baseline.0, run.size.0, text)),
        }
    }
    out.into_iter().map(|(_, size, text)| (size, text)).collect()
}

fn article(title: &str, author: &str, paragraphs: usize) -> Vec<Block> {
    let mut v = vec![Block::Article(Article { title: vec![title.into()], authors: vec![author.into()] })];
    for i in 0..paragraphs {
        // Four lines: 26 characters after the indent, then three of 28.
        let text: String =
            (0..110).map(|k| char::from_u32(0x4e00 + ((i * 131 + k) % 400) as u32).unwrap_or('中')).collect();
        v.push(Block::Paragraph(vec![Inline::plain(text)]));
    }
    v
}

fn collection(articles: &[(String, usize)]) -> Document {
    Document {
        meta: Meta {
            title: vec!["青溪县政协工作经验交流材料汇编".into()],
            subtitle: vec!["政协青溪县委员会办公室".into()],
            date: Date::parse("2023-12-20"),
            toc: true,
            ..Meta::default()
        },
        blocks: articles.iter().flat_map(|(t, n)| article(t, "中共青溪县委办公室", *n)).collect(),
    }
}

/// Page (1-based) whose first line is the article title `title`.
fn start_page(pages: &Pages, title: &str) -> Option<usize> {
    pages.pages.iter().position(|p| lines(p).first().is_some_and(|(size, t)| *size > 20.0 && t == title)).map(|p| p + 1)
}

/// The 目录 entries: (title, printed page), from the pages after the cover
/// up to the first article's.
fn contents(pages: &Pages) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for page in &pages.pages[1..] {
        let ls = lines(page);
        if ls.first().is_some_and(|(size, t)| *size > 20.0 && t != TOC_HEADING) {
            break;
        }
        let numbered = ls.last().is_some_and(|(_, t)| t.starts_with('—'));
        for (size, text) in &ls[..ls.len() - usize::from(numbered)] {
            if (*size - 16.0).abs() > 1e-9 {
                continue;
            }
            let digits = text.chars().rev().take_while(char::is_ascii_digit).count();
            let (title, number) = text.split_at(text.len() - digits);
            out.push((title.to_string(), number.parse().unwrap_or(0)));
        }
    }
    out
}

fn titles(n: usize) -> Vec<(String, usize)> {
    (0..n)
        .map(|i| (format!("第{}篇文章的标题", char::from_u32(0x4e00 + i as u32).unwrap_or('中')), 1 + i % 7))
        .collect()
}

/// The 目录 lists each article with the number printed on its first page
/// (the text's pages are numbered from 1, after the cover and the 目录).
fn check_contents(doc: &Document, pages: &Pages) {
    let entries = contents(pages);
    let arts: Vec<String> = doc.articles().map(Article::toc_title).collect();
    assert_eq!(entries.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(), arts, "one entry per article, in order");
    for (title, page) in &entries {
        let physical = start_page(pages, title).expect("the article starts a page");
        assert_eq!(physical - pages.front, *page, "`{title}` is listed on page {page}");
        let printed = lines(&pages.pages[physical - 1]).last().map(|(_, t)| t.clone());
        assert_eq!(printed, Some(format!("— {page} —")), "`{title}`'s page prints {page}");
    }
}

#[test]
fn contents_of_one_page_list_the_real_start_pages() {
    let doc = collection(&titles(4));
    let pages = lay(&doc);
    // Cover, one 目录 page, then the articles.
    assert_eq!(lines(&pages.pages[1]).first().map(|(_, t)| t.as_str()), Some(TOC_HEADING));
    assert_eq!(start_page(&pages, &doc.articles().next().expect("article").toc_title()), Some(3));
    check_contents(&doc, &pages);
}

#[test]
fn contents_of_two_pages_list_the_real_start_pages() {
    // 30 entries do not fit the 目录's page (heading, blank row, 20 rows).
    let doc = collection(&titles(30));
    let pages = lay(&doc);
    let first = doc.articles().next().expect("article").toc_title();
    // Cover and two 目录 pages end on an odd page: a blank page follows, so
    // the text's page 1 is a right-hand page.
    assert_eq!(start_page(&pages, &first), Some(5), "cover, two 目录 pages, a blank page, then article 1");
    assert!(pages.pages[3].items.is_empty(), "page 4 is blank, without a number");
    assert_eq!(pages.front, 4);
    let p3 = lines(&pages.pages[2]);
    assert!(p3.len() > 2 && p3[0].0 < 20.0, "the 目录 goes on on page 3 without a heading: {p3:?}");
    check_contents(&doc, &pages);
    // Numbers gained a digit after the first pass: still right-aligned on the edge.
    let style = Style::gbt9704();
    let right = style.margin_left.pt().0 + style.text_width().pt().0;
    for page in &pages.pages[1..3] {
        for item in &page.items {
            if let Item::Text(run) = item
                && run.glyphs.last().is_some_and(|g| g.ch.is_ascii_digit())
                && let Some(g) = run.glyphs.last()
            {
                assert!((g.x.0 + run.size.0 / 2.0 - right).abs() < 1e-6, "number ends on the block's right edge");
            }
        }
    }
}

#[test]
fn every_article_starts_a_page_and_numbering_runs_on() {
    let doc = collection(&[("短文".into(), 1), ("长文".into(), 9), ("再一篇".into(), 2)]);
    let pages = lay(&doc);
    for a in doc.articles() {
        let p = start_page(&pages, &a.toc_title()).expect("article title on top of a page");
        let ls = lines(&pages.pages[p - 1]);
        assert_eq!(ls.get(1).map(|(_, t)| t.as_str()), Some("中共青溪县委办公室"), "author line under the title");
    }
    // 长文 (9 paragraphs, 36 lines) runs over two pages; 再一篇 starts the next.
    assert_eq!(start_page(&pages, "长文").map(|p| p + 2), start_page(&pages, "再一篇"));
    // Cover and 目录 without numbers; the text numbered from 1, on and on.
    assert_eq!(pages.front, 2);
    for (i, page) in pages.pages.iter().enumerate() {
        let number = lines(page).last().map(|(_, t)| t.clone()).unwrap_or_default();
        if i < pages.front {
            assert!(!number.starts_with('—'), "page {} (before the text) is not numbered: {number}", i + 1);
        } else {
            assert_eq!(number, format!("— {} —", i + 1 - pages.front), "page {} is numbered from the text", i + 1);
        }
    }
    // The cover: title, compiling unit, date; no signature block, no number.
    let cover: Vec<String> = lines(&pages.pages[0]).into_iter().map(|(_, t)| t).collect();
    assert_eq!(cover, ["青溪县政协工作经验交流材料汇编", "政协青溪县委员会办公室", "2023年12月20日"]);
    // Articles are level-1 bookmarks.
    assert!(pages.outline.iter().filter(|b| b.level == 1).count() == 3);
}

#[test]
fn contents_entries_have_dot_leaders() {
    let doc = collection(&titles(3));
    let pages = lay(&doc);
    let dots = pages.pages[1].items.iter().filter(|i| matches!(i, Item::Rule { .. })).count();
    assert!(dots > 3 * 20, "{dots} leader dots for three entries");
    // A collection without the 目录 flag lays its articles out all the same.
    let mut plain = doc.clone();
    plain.meta.toc = false;
    let pages = lay(&plain);
    assert!(pages.pages.iter().all(|p| !p.items.iter().any(|i| matches!(i, Item::Rule { .. }))));
}

#[test]
fn every_contents_entry_links_to_its_article() {
    // 30 entries over two 目录 pages: each entry is one link area on its
    // page, leading to its article's bookmark (the page the entry prints).
    let doc = collection(&titles(30));
    let pages = lay(&doc);
    let entries = contents(&pages);
    assert_eq!(pages.links.len(), entries.len(), "one link per entry");
    for (link, (title, page)) in pages.links.iter().zip(&entries) {
        let target = &pages.outline[link.target];
        assert_eq!(&target.title, title, "the entry leads to its own article");
        assert_eq!(target.page + 1 - pages.front, *page, "on the page the entry prints");
        assert!(link.page == 1 || link.page == 2, "links sit on the 目录 pages");
        let [x0, top, x1, bottom] = link.area;
        assert!(x0.0 < x1.0 && top.0 < bottom.0);
    }
    // Not a collection: no links.
    let plain = Document { meta: Meta::default(), blocks: vec![Block::Paragraph(vec![Inline::plain("正文。")])] };
    assert!(lay(&plain).links.is_empty());
}
