#![allow(clippy::unwrap_used, clippy::panic)]
//! Criterion benchmarks of the hot paths of one document, on the 5-page
//! experience material `wengao init` writes, with the bundled Noto fonts (so
//! every machine measures the same work): template render, markup parse,
//! layout, PDF serialize, DOCX write, and a whole document (render → DOCX +
//! PDF) with everything loaded once, as a batch build does per document;
//! and the text lints on 30,000-character paragraphs without punctuation
//! (their time was once quadratic in the paragraph: a quarter of a minute).
//!
//! `cargo bench --bench hot_paths`; `benches/pdf.rs` has the per-font and
//! cold-process figures.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

use wengao::data::DataSet;
use wengao::diag::Sources;
use wengao::fonts::FontSet;
use wengao::layout::layout_document;
use wengao::markup::parse_document;
use wengao::project::Project;
use wengao::template::{self, TemplateSet};
use wengao::write::docx::DocxWriter;
use wengao::write::pdf::{PdfInfo, PdfWriter, serialize};
use wengao::write::{WriteContext, Writer};

fn hot_paths(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("experience");
    wengao::init::init_project(&root, "experience").unwrap();
    let mut sources = Sources::new();
    let project = Project::open(&root, &mut sources).unwrap();
    let style = &project.style;
    let font = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSerifSC-Regular-GB2312.ttf");
    let fonts = FontSet::from_file(&font, 0).unwrap();
    let (data, _) = DataSet::load_dir(&project.data_dir(), &root, &mut sources);
    let (templates, _) = TemplateSet::load_dir(&project.templates_dir(), &root, &mut sources);
    let templates = templates.unwrap();
    let name = templates.documents()[0].clone();
    let (records, _) = wengao::data::records::collect(&data, &sources, project.config.year);
    let ctx = template::context(&project.context_value(), &data, &records);

    let markdown = templates.render(&name, &ctx, &data, &sources).unwrap();
    let file = sources.add("rendered", markdown.clone());
    let doc = parse_document(&markdown, file).0.unwrap();
    let pages = layout_document(&doc, style, &fonts, &root).0;
    let info = PdfInfo {
        title: doc.meta.title.join(""),
        author: String::new(),
        lang: "zh-CN".into(),
        created: None,
        ..PdfInfo::default()
    };
    let cx = WriteContext::new(&doc, style, &root, &markdown).with_fonts(&fonts);

    let mut g = c.benchmark_group("experience-5-pages");
    g.bench_function("template render", |b| b.iter(|| templates.render(&name, &ctx, &data, &sources).unwrap()));
    g.bench_function("markup parse", |b| b.iter(|| parse_document(black_box(&markdown), file)));
    g.bench_function("layout", |b| b.iter(|| layout_document(&doc, style, &fonts, &root)));
    g.bench_function("PDF serialize", |b| b.iter(|| serialize(&pages, &fonts, &info).unwrap()));
    g.bench_function("DOCX write", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            DocxWriter.write(&cx, &mut out).unwrap();
            out
        })
    });
    g.bench_function("document: render → DOCX + PDF", |b| {
        b.iter(|| {
            let md = templates.render(&name, &ctx, &data, &sources).unwrap();
            let doc = parse_document(&md, file).0.unwrap();
            let cx = WriteContext::new(&doc, style, &root, &md).with_fonts(&fonts);
            let mut bytes = 0;
            for w in [&DocxWriter as &dyn Writer, &PdfWriter] {
                let mut out = Vec::new();
                w.write(&cx, &mut out).unwrap();
                bytes += out.len();
            }
            bytes
        })
    });
    g.finish();

    let mut g = c.benchmark_group("lint-30000-characters");
    g.sample_size(10);
    for piece in ["其中正科", "由5提高", "占", "12人（其中", "共计", "%", "xx", "其中5人"] {
        let long = piece.repeat(30_000 / piece.chars().count());
        g.bench_function(piece, |b| b.iter(|| wengao::lint::lint_text(black_box(&long))));
    }
    g.finish();
}

criterion_group!(benches, hot_paths);
criterion_main!(benches);
