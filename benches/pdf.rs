//! Benchmark of the PDF engine, stage by stage, with fonts already loaded.
//!
//! ```text
//! cargo bench --bench pdf                      # 31 timed runs per stage (after 5 warm-ups)
//! cargo bench --bench pdf -- --runs 101        # more runs
//! cargo bench --bench pdf -- --write-projects DIR
//!     # only write the two benchmark projects (DIR/experience, DIR/long) and exit;
//!     # bench/pdf.sh uses this for its cold-process timings
//! ```
//!
//! Documents:
//! - `experience`: the project `wengao init --kind experience` writes (5 pages);
//! - `long`: the same project with the experience body repeated four times
//!   (level-1 headings suffixed （之一）…（之四）), about 20 pages.
//!
//! Plain `std::time::Instant`, a warm-up, and the median of N runs: the
//! stages take milliseconds, so timer resolution and statistics beyond a
//! median and a minimum are not what limits the answer, and criterion would
//! add ~40 crates to the build for it. Output is Markdown tables.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use wengao::batch::{BatchOptions, build_project};
use wengao::data::DataSet;
use wengao::diag::{Diags, Sources};
use wengao::fonts::FontSet;
use wengao::layout::{Item, Pages, layout_document};
use wengao::markup::parse_document;
use wengao::project::Project;
use wengao::template::{self, TemplateSet};
use wengao::write::docx::DocxWriter;
use wengao::write::pdf::{PdfInfo, PdfWriter, serialize};
use wengao::write::{WriteContext, Writer};

const WARMUP: usize = 5;

/// Median and minimum of timed runs.
#[derive(Clone, Copy)]
struct Stat {
    median: Duration,
    min: Duration,
}

fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> Stat {
    for _ in 0..WARMUP {
        black_box(f());
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    Stat { median: times[times.len() / 2], min: times[0] }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn check(what: &str, diags: &Diags) {
    if diags.has_errors() {
        panic!("{what} failed: {diags:?}");
    }
}

/// The experience template with its body repeated four times: ~20 pages.
fn long_template(experience: &str) -> String {
    let open = "{% block body %}";
    let close = "{% endblock body %}";
    assert!(experience.contains(open) && experience.contains(close), "experience template has no body block");
    // Each part ends with one more paragraph, so that the four parts fill 20 pages.
    let t = experience
        .replacen(open, &format!("{open}{{% for part in [\"一\", \"二\", \"三\", \"四\"] %}}"), 1)
        .replacen(close, &format!("\n{LONG_PART_END}\n{{% endfor %}}{close}"), 1);
    t.lines()
        .map(|l| match l.strip_prefix("## ") {
            Some(h) => format!("## {h}（之{{{{ part }}}}）\n"),
            None => format!("{l}\n"),
        })
        .collect()
}

/// Closes each of the four parts of the long document.
const LONG_PART_END: &str = "以上是{{ county.year }}年青溪县委支持政协工作情况的第{{ part }}部分。\
县委督查室对照四项机制逐项检查落实情况，列出问题清单，明确整改时限，做到一项一项抓落实、一件一件见成效，\
推动支持政协工作的各项制度在全县各级党组织中落地生根。\n";

/// Noto Serif/Sans CJK SC (CFF with subroutines), when installed.
const NOTO_CJK: &str = "/usr/share/fonts/opentype/noto";

/// Write the benchmark projects into `dir`: `experience` (what `wengao init`
/// writes), `long` (~20 pages), and the experience project with other fonts
/// named in wengao.toml (configuration only): `noto-ttf`, wengao's bundled
/// Noto SC GB 2312 subsets (TrueType), and `noto-cff`, Noto Serif/Sans CJK SC
/// (CFF, .ttc) when installed.
fn write_projects(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let init = |name: &str| {
        let p = dir.join(name);
        wengao::init::init_project(&p, "experience").unwrap_or_else(|d| panic!("init {}: {d:?}", p.display()));
        p
    };
    let exp = init("experience");
    let long = init("long");
    let tpl = long.join("templates/experience.md.tera");
    let text = std::fs::read_to_string(&tpl).unwrap();
    std::fs::write(long.join("templates/long.md.tera"), long_template(&text)).unwrap();
    std::fs::remove_file(&tpl).unwrap();
    let mut out = vec![("experience", exp), ("long", long)];

    let with_fonts = |name: &str, [song, fang, hei, kai]: [String; 4]| {
        let p = init(name);
        let mut toml = std::fs::read_to_string(p.join("wengao.toml")).unwrap();
        toml += &format!(
            "\n[style]\nfonts.song = [{song:?}]\nfonts.fang = [{fang:?}]\nfonts.hei = [{hei:?}]\nfonts.kai = [{kai:?}]\n"
        );
        std::fs::write(p.join("wengao.toml"), toml).unwrap();
        p
    };
    let repo = |f: &str| format!("{}/fonts/{f}", env!("CARGO_MANIFEST_DIR"));
    let serif = repo("NotoSerifSC-Regular-GB2312.ttf");
    out.push((
        "noto-ttf",
        with_fonts(
            "noto-ttf",
            [repo("NotoSerifSC-Bold-GB2312.ttf"), serif.clone(), repo("NotoSansSC-Regular-GB2312.ttf"), serif],
        ),
    ));
    if Path::new(NOTO_CJK).join("NotoSerifCJK-Regular.ttc").is_file() {
        let noto = |f: &str| format!("{NOTO_CJK}/{f}#2"); // face 2 of the collections: SC
        let serif = noto("NotoSerifCJK-Regular.ttc");
        out.push((
            "noto-cff",
            with_fonts(
                "noto-cff",
                [noto("NotoSerifCJK-Bold.ttc"), serif.clone(), noto("NotoSansCJK-Regular.ttc"), serif],
            ),
        ));
    }
    out
}

struct Row {
    name: &'static str,
    fonts_set: FontSet,
    laid_out: Pages,
    pages: usize,
    pdf_bytes: usize,
    docx_bytes: usize,
    stages: Vec<(&'static str, Stat)>,
    fonts: Vec<(String, usize)>,
}

fn bench_project(name: &'static str, root: &Path, runs: usize) -> Row {
    let mut sources = Sources::new();
    let project = Project::open(root, &mut sources).unwrap_or_else(|d| panic!("open: {d:?}"));
    let style = &project.style;
    let mut stages = Vec::new();

    // Font resolution happens once per build (system font scan, then the chosen files read).
    let (fonts_set, d) = FontSet::resolve(style, root);
    check("fonts", &d);
    stages.push(("font resolution (once per build)", measure(runs.min(15), || FontSet::resolve(style, root))));
    let fonts = &fonts_set;

    let s = measure(runs, || {
        let mut src = Sources::new();
        let p = Project::open(root, &mut src).unwrap();
        let (data, d) = DataSet::load_dir(&p.data_dir(), root, &mut src);
        let (t, d2) = TemplateSet::load_dir(&p.templates_dir(), root, &mut src);
        (data, d, t.is_some(), d2)
    });
    stages.push(("open project + load data + load templates", s));

    let (data, d) = DataSet::load_dir(&project.data_dir(), root, &mut sources);
    check("data", &d);
    let (templates, d) = TemplateSet::load_dir(&project.templates_dir(), root, &mut sources);
    check("templates", &d);
    let templates = templates.unwrap();
    let docname = templates.documents().first().unwrap().clone();

    let (records, d) = wengao::data::records::collect(&data, &sources, project.config.year);
    check("records", &d);
    let ctx = template::context(&project.context_value(), &data, &records);
    stages.push(("template context", measure(runs, || template::context(&project.context_value(), &data, &records))));

    let render = || templates.render(&docname, &ctx, &data, &sources).unwrap_or_else(|d| panic!("render: {d:?}"));
    stages.push(("template render", measure(runs, render)));
    let markdown = render();

    let file = sources.add(format!("{docname} (rendered)"), markdown.clone());
    let parse = || {
        let (doc, d) = parse_document(&markdown, file);
        check("markup", &d);
        doc.unwrap()
    };
    stages.push(("markup parse", measure(runs, parse)));
    let doc = parse();

    let lay = || {
        let (pages, d) = layout_document(&doc, style, fonts, root);
        check("layout", &d);
        pages
    };
    stages.push(("layout", measure(runs, lay)));
    let pages = lay();

    let meta = &doc.meta;
    let author = meta.signature.first().or_else(|| meta.subtitle.first()).cloned().unwrap_or_default();
    let info =
        PdfInfo { title: meta.title.join(""), author, lang: "zh-CN".into(), created: None, ..PdfInfo::default() };
    let ser = || serialize(&pages, fonts, &info).unwrap_or_else(|d| panic!("serialize: {d:?}"));
    stages.push(("PDF serialize", measure(runs, ser)));
    let pdf = ser();

    let cx = WriteContext::new(&doc, style, root, &markdown).with_fonts(fonts);
    let write_with = |w: &dyn Writer| {
        let mut out = Vec::new();
        let d = w.write(&cx, &mut out).unwrap_or_else(|d| panic!("{}: {d:?}", w.name()));
        check(w.name(), &d);
        out
    };
    stages.push(("DOCX write", measure(runs, || write_with(&DocxWriter))));
    let docx = write_with(&DocxWriter);

    // Per document, fonts loaded: the template is rendered, parsed and written.
    let doc_to = |writers: &[&dyn Writer]| {
        let md = templates.render(&docname, &ctx, &data, &sources).unwrap();
        let (doc, d) = parse_document(&md, file);
        check("markup", &d);
        let doc = doc.unwrap();
        let cx = WriteContext::new(&doc, style, root, &md).with_fonts(fonts);
        writers
            .iter()
            .map(|w| {
                let mut out = Vec::new();
                w.write(&cx, &mut out).unwrap();
                out.len()
            })
            .sum::<usize>()
    };
    stages.push(("**total: render → PDF** (PdfWriter)", measure(runs, || doc_to(&[&PdfWriter]))));
    stages.push(("**total: render → DOCX + PDF**", measure(runs, || doc_to(&[&DocxWriter, &PdfWriter]))));

    // The whole library build in one process: project, font resolution and all
    // (nothing written to disk; `check` mode).
    let opts = BatchOptions { formats: vec!["docx".into(), "pdf".into()], write: false, ..BatchOptions::default() };
    let whole = || {
        let o = build_project(root, &opts);
        check("build_project", &o.diags);
        o.documents
    };
    stages.push(("build_project docx,pdf in-process (incl. font resolution)", measure(runs.min(15), whole)));

    // Distinct glyphs per font, for the size analysis.
    let mut used: BTreeMap<u32, BTreeSet<u16>> = BTreeMap::new();
    for page in &pages.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                used.entry(run.font.0).or_default().extend(run.glyphs.iter().map(|g| g.glyph));
            }
        }
    }
    let fonts_used = used
        .iter()
        .map(|(id, g)| {
            let f = fonts.font(wengao::fonts::FontId(*id)).unwrap();
            (f.postscript_name.clone(), g.len())
        })
        .collect();

    Row {
        name,
        fonts_set: fonts_set.clone(),
        laid_out: pages.clone(),
        pages: pages.pages.len(),
        pdf_bytes: pdf.len(),
        docx_bytes: docx.len(),
        stages,
        fonts: fonts_used,
    }
}

/// What `write::pdf` does per font, timed step by step with the same crates
/// (subsetter 0.2.6, flate2/zlib-rs): subset the font, deflate the program
/// (wengao uses level 6). Fonts are embedded on one thread each, so
/// the slowest font is the serializer's critical path.
fn font_embedding(pages: &Pages, fonts: &FontSet, runs: usize) {
    let mut used: BTreeMap<u32, BTreeSet<u16>> = BTreeMap::new();
    for page in &pages.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                used.entry(run.font.0).or_default().extend(run.glyphs.iter().map(|g| g.glyph));
            }
        }
    }
    println!(
        "| font | file MiB | glyphs | subset ms | program KiB | zlib 1: ms / KiB | zlib 6: ms / KiB | zlib 9: ms / KiB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (id, glyphs) in &used {
        let f = fonts.font(wengao::fonts::FontId(*id)).unwrap();
        let data: &[u8] = (*f.data).as_ref();
        let mut remapper = subsetter::GlyphRemapper::new();
        for &g in glyphs {
            remapper.remap(g);
        }
        let sub = measure(runs, || subsetter::subset(data, f.index, &remapper).unwrap());
        let program = subsetter::subset(data, f.index, &remapper).unwrap();
        let zl: String = [1, 6, 9]
            .iter()
            .map(|&level| {
                let z = || {
                    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
                    std::io::Write::write_all(&mut e, &program).unwrap();
                    e.finish().unwrap()
                };
                let s = measure(runs, z);
                format!(" {} / {:.1} |", ms(s.median), z().len() as f64 / 1024.0)
            })
            .collect();
        println!(
            "| {} | {:.1} | {} | {} | {:.1} |{zl}",
            f.postscript_name,
            data.len() as f64 / 1048576.0,
            glyphs.len(),
            ms(sub.median),
            program.len() as f64 / 1024.0
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 31;
    let mut write_to = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--runs" => {
                i += 1;
                runs = args.get(i).and_then(|n| n.parse().ok()).filter(|&n| n > 0).expect("--runs N");
            }
            "--write-projects" => {
                i += 1;
                write_to = Some(PathBuf::from(args.get(i).expect("--write-projects DIR")));
            }
            _ => {} // cargo passes --bench; filters are ignored
        }
        i += 1;
    }
    if let Some(dir) = write_to {
        std::fs::create_dir_all(&dir).unwrap();
        for (_, p) in write_projects(&dir) {
            println!("{}", p.display());
        }
        return;
    }

    let tmp = tempfile::tempdir().unwrap();
    let projects = write_projects(tmp.path());
    let rows: Vec<Row> = projects.iter().map(|(name, root)| bench_project(name, root, runs)).collect();

    println!("## wengao PDF engine, in-process (median of {runs} runs after {WARMUP} warm-ups; min in brackets)\n");
    println!(
        "Columns: `experience` = `wengao init` sample, `long` = its body ×4; `noto-ttf` / `noto-cff` = the sample\n\
         with wengao's bundled Noto SC GB 2312 (TrueType) / Noto Serif+Sans CJK SC (CFF) named in wengao.toml\n\
         instead of the Fandol fonts found on this machine.\n"
    );
    let mut header = String::from("| stage (ms) |");
    let mut rule = String::from("|---|");
    for r in &rows {
        header += &format!(" {} ({} pages) |", r.name, r.pages);
        rule += "---:|";
    }
    println!("{header}\n{rule}");
    for (k, (stage, _)) in rows[0].stages.iter().enumerate() {
        let cells: String =
            rows.iter().map(|r| format!(" {} [{}] |", ms(r.stages[k].1.median), ms(r.stages[k].1.min))).collect();
        println!("| {stage} |{cells}");
    }
    let per_page: String = rows
        .iter()
        .map(|r| {
            let total = r.stages.iter().find(|(s, _)| s.contains("render → PDF")).unwrap().1.median;
            format!(" {} |", ms(total / r.pages as u32))
        })
        .collect();
    println!("| total render → PDF per page |{per_page}");
    let sizes: String = rows.iter().map(|r| format!(" {:.1} |", r.pdf_bytes as f64 / 1024.0)).collect();
    println!("| PDF size (KiB) |{sizes}");
    let sizes: String = rows.iter().map(|r| format!(" {:.1} |", r.docx_bytes as f64 / 1024.0)).collect();
    println!("| DOCX size (KiB) |{sizes}");

    println!("\n### distinct glyphs per embedded font\n");
    println!("| font |{}", rows.iter().map(|r| format!(" {} |", r.name)).collect::<String>());
    println!("|---|{}", rows.iter().map(|_| "---:|").collect::<String>());
    let names: BTreeSet<&String> = rows.iter().flat_map(|r| r.fonts.iter().map(|(n, _)| n)).collect();
    for n in names {
        let cells: String = rows
            .iter()
            .map(|r| r.fonts.iter().find(|(m, _)| m == n).map_or(" – |".to_string(), |(_, g)| format!(" {g} |")))
            .collect();
        println!("| {n} |{cells}");
    }

    let five = rows.iter().find(|r| r.name == "experience").unwrap();
    for r in &rows {
        if r.name != "long" {
            println!("\n### font embedding, step by step ({}, median ms)\n", r.name);
            font_embedding(&r.laid_out, &r.fonts_set, runs);
        }
    }

    let total = five.stages.iter().find(|(s, _)| s.contains("render → PDF")).unwrap().1.median;
    let kib = five.pdf_bytes as f64 / 1024.0;
    println!("\n### targets (5-page sample)\n");
    println!(
        "- fonts loaded, render → PDF < 10 ms: {} ms → {}",
        ms(total),
        if total < Duration::from_millis(10) { "met" } else { "MISSED" }
    );
    println!("- PDF < 200 KiB: {kib:.1} KiB → {}", if kib < 200.0 { "met" } else { "MISSED" });
}
