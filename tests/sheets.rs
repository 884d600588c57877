#![allow(clippy::unwrap_used, clippy::panic)]
//! Records from spreadsheets and text in GB18030: the same project kept in
//! another form must build the same bytes, and places must stay right.

mod common;

use std::path::{Path, PathBuf};

use common::wengao;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// `wengao init --kind summary` in a fresh folder: its proposals are a workbook.
fn summary_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = wengao(&["init", "p", "--kind", "summary"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(dir.path().join("p/data/proposals.xlsx").is_file());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let rel = e.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Build `project` into its out/ and give back the files' bytes by name.
fn build(project: &Path, formats: &str) -> Vec<(String, Vec<u8>)> {
    let o = wengao(&["build", ".", "-f", formats], project);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(project.join("out"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x != "json"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

/// The init project with its proposals replaced by `file` (a path in the repository).
fn twin(of: &Path, file: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(of, dir.path());
    std::fs::remove_file(dir.path().join("data/proposals.xlsx")).unwrap();
    let src = Path::new(REPO).join(file);
    let name = src.file_name().unwrap();
    std::fs::copy(&src, dir.path().join("data").join(name)).unwrap();
    dir
}

fn assert_same(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)]) {
    assert_eq!(a.len(), b.len());
    for ((name_a, bytes_a), (name_b, bytes_b)) in a.iter().zip(b) {
        assert_eq!(name_a, name_b);
        assert!(bytes_a == bytes_b, "{name_a} differs between the twins");
    }
}

#[test]
fn a_workbook_builds_the_same_bytes_as_its_yaml_twin() {
    let dir = summary_project();
    let xlsx = dir.path().join("p");
    let from_sheet = build(&xlsx, "docx,pdf,txt");
    let yaml = twin(&xlsx, "data/proposals.yaml");
    let from_yaml = build(yaml.path(), "docx,pdf,txt");
    assert_same(&from_sheet, &from_yaml);
    // The figures really come from the workbook: 30 proposals in the text.
    let txt = &from_sheet.iter().find(|(n, _)| n.ends_with(".txt")).unwrap().1;
    assert!(String::from_utf8_lossy(txt).contains("全年共收到提案30件"), "{}", String::from_utf8_lossy(txt));
}

#[test]
fn a_csv_export_builds_the_same_bytes_as_its_yaml_twin() {
    let dir = summary_project();
    let csv = twin(&dir.path().join("p"), "tests/sheets/proposals.csv");
    let yaml = twin(&dir.path().join("p"), "data/proposals.yaml");
    assert_same(&build(csv.path(), "docx,txt"), &build(yaml.path(), "docx,txt"));
}

#[test]
fn init_writes_the_same_workbook_every_time() {
    let a = summary_project();
    let b = summary_project();
    let read = |d: &tempfile::TempDir| std::fs::read(d.path().join("p/data/proposals.xlsx")).unwrap();
    assert_eq!(read(&a), read(&b));
    assert_eq!(read(&a), std::fs::read(Path::new(REPO).join("templates/summary/data/proposals.xlsx")).unwrap());
}

#[test]
fn a_cell_is_named_by_sheet_and_cell_in_json() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(REPO).join("tests/bad-inputs/sheet-bad-cells"), dir.path());
    let o = wengao(&["check", ".", "--message-format", "json"], dir.path());
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&o.stderr).lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let date = lines.iter().find(|d| d["code"] == "R004").expect("R004");
    assert_eq!(date["file"], "data/proposals.xlsx");
    assert_eq!(date["cell"], "办理情况!J4");
    assert_eq!((date["line"].as_u64(), date["column"].as_u64()), (Some(4), Some(10)));
}

/// GB18030 bytes of `text`, checked to hold what the test needs.
fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// Every data file and template of `project` saved as GB18030, and
/// `encoding` set in wengao.toml.
fn save_as_gb18030(project: &Path, encoding: &str) -> Vec<PathBuf> {
    let mut converted = Vec::new();
    for sub in ["data", "templates"] {
        for e in walkdir::WalkDir::new(project.join(sub)).into_iter().filter_map(Result::ok) {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "yaml" || x == "tera" || x == "csv") {
                let text = std::fs::read_to_string(p).unwrap();
                std::fs::write(p, gb18030(&text)).unwrap();
                converted.push(p.to_path_buf());
            }
        }
    }
    let config = std::fs::read_to_string(project.join("wengao.toml")).unwrap();
    std::fs::write(project.join("wengao.toml"), gb18030(&format!("encoding = \"{encoding}\"\n{config}"))).unwrap();
    converted
}

#[test]
fn a_project_saved_as_gb18030_builds_what_its_utf8_self_does() {
    let dir = summary_project();
    let utf8 = dir.path().join("p");
    // A character outside GBK, four bytes in GB18030 (U+2000B 𠀋, checked
    // below), so the decoder's four-byte path is taken.
    let template = utf8.join("templates/summary.md.tera");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, text.replacen("全年共收到提案", "全年共收到𠀋提案", 1)).unwrap();
    assert_eq!(gb18030("𠀋"), [0x95, 0x32, 0x83, 0x37]);
    let expected = build(&utf8, "docx,txt");
    let txt = &expected.iter().find(|(n, _)| n.ends_with(".txt")).unwrap().1;
    assert!(String::from_utf8_lossy(txt).contains('𠀋'), "the four-byte character reaches the text");

    let gb = tempfile::tempdir().unwrap();
    copy_tree(&utf8, gb.path());
    std::fs::remove_dir_all(gb.path().join("out")).unwrap();
    let converted = save_as_gb18030(gb.path(), "gb18030");
    assert!(converted.len() >= 5, "{converted:?}");
    let county = std::fs::read(gb.path().join("data/county.yaml")).unwrap();
    assert!(std::str::from_utf8(&county).is_err(), "the data really is GB18030 now");
    assert_same(&build(gb.path(), "docx,txt"), &expected);
}

#[test]
fn a_place_after_chinese_text_in_gb18030_counts_characters() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("data")).unwrap();
    std::fs::create_dir_all(p.join("templates")).unwrap();
    std::fs::write(p.join("wengao.toml"), "encoding = \"gb18030\"\ntitle = \"t\"\n").unwrap();
    let line = "  - {id: \"2023-001\", title: 关于建设县级物流分拨中心的建议𠀋, status: 已办}";
    std::fs::write(p.join("data/proposals.yaml"), gb18030(&format!("proposals:\n{line}\n"))).unwrap();
    std::fs::write(
        p.join("templates/doc.md.tera"),
        gb18030("---\ntitle: 测试\n---\n\n共{{ stats.proposals.total }}件。\n"),
    )
    .unwrap();
    let o = wengao(&["check", ".", "--message-format", "json"], p);
    let diags: Vec<serde_json::Value> =
        String::from_utf8_lossy(&o.stderr).lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let term = diags.iter().find(|d| d["code"] == "R006").unwrap_or_else(|| panic!("{diags:?}"));
    let column = line[..line.find("已办").unwrap()].chars().count() + 1;
    assert_eq!((term["line"].as_u64(), term["column"].as_u64()), (Some(2), Some(column as u64)), "{term}");
    assert_eq!(term["file"], "data/proposals.yaml");
}

#[test]
fn auto_reads_each_file_as_it_is_and_says_which_were_gb18030() {
    let dir = summary_project();
    let p = dir.path().join("p");
    let county = p.join("data/county.yaml");
    std::fs::write(&county, gb18030(&std::fs::read_to_string(&county).unwrap())).unwrap();
    let config = std::fs::read_to_string(p.join("wengao.toml")).unwrap();
    std::fs::write(p.join("wengao.toml"), format!("encoding = \"auto\"\n{config}")).unwrap();
    let o = wengao(&["build", ".", "-f", "txt"], &p);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("data/county.yaml: warning[D002]: file read as GB18030"), "{stderr}");
    assert_eq!(stderr.matches("read as GB18030").count(), 1, "only the GB18030 file is named: {stderr}");
    let txt = std::fs::read_to_string(p.join("out/summary.txt")).unwrap();
    assert!(txt.contains("青溪县"));
}

#[test]
fn the_default_still_refuses_gb18030_with_its_recipe() {
    let dir = summary_project();
    let p = dir.path().join("p");
    let county = p.join("data/county.yaml");
    std::fs::write(&county, gb18030(&std::fs::read_to_string(&county).unwrap())).unwrap();
    let o = wengao(&["build", ".", "-f", "txt"], &p);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("iconv -f GB18030 -t UTF-8"));
}

#[test]
fn render_takes_a_workbook_as_data_under_its_stem() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::copy(Path::new(REPO).join("templates/summary/data/proposals.xlsx"), p.join("proposals.xlsx")).unwrap();
    std::fs::write(
        p.join("t.md.tera"),
        "---\ntitle: t\n---\n\n共{{ proposals | length }}件，已办结{{ stats.proposals.done }}件。\n",
    )
    .unwrap();
    let o = wengao(&["render", "t.md.tera", "--data", "proposals.xlsx", "-o", "t.txt"], p);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let txt = std::fs::read_to_string(p.join("t.txt")).unwrap();
    assert!(txt.contains("共30件"), "{txt}");
}

#[test]
fn a_matrix_runs_over_the_rows_of_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("data")).unwrap();
    std::fs::create_dir_all(p.join("templates")).unwrap();
    std::fs::copy(Path::new(REPO).join("tests/sheets/counties.xlsx"), p.join("data/counties.xlsx")).unwrap();
    std::fs::write(p.join("wengao.toml"), "title = \"t\"\n[matrix]\neach = \"counties\"\n").unwrap();
    std::fs::write(
        p.join("templates/doc.md.tera"),
        "---\ntitle: t\n---\n\n{{ item[\"名称\"] }}有委员{{ item[\"委员人数\"] }}人。\n",
    )
    .unwrap();
    let o = wengao(&["build", ".", "-f", "txt"], p);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lixian = std::fs::read_to_string(p.join("out/lixian/doc.txt")).unwrap();
    assert!(lixian.contains("澧县有委员180人。"), "{lixian}");
    assert!(std::fs::read_to_string(p.join("out/qingxi/doc.txt")).unwrap().contains("青溪县有委员210人。"));
}
