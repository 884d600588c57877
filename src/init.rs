//! `wengao init`: the built-in project kinds, embedded in the binary.
//!
//! The sample county's data (repository `data/`) and each kind's templates
//! (repository `templates/<kind>/`) are compiled in, so `init` works from any
//! folder and the project it writes builds as is.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diags};

/// A file compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct Embedded {
    /// Path in the repository.
    pub path: &'static str,
    /// Contents.
    pub text: &'static str,
}

macro_rules! embed {
    ($($p:literal),* $(,)?) => {
        &[$(Embedded { path: $p, text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $p)) },)*]
    };
}

/// The sample county's data, installed by every kind.
pub const DATA: &[Embedded] = embed!(
    "data/county.yaml",
    "data/meetings.yaml",
    "data/proposals.yaml",
    "data/funding.yaml",
    "data/appointments.yaml",
    "data/2022/proposals.yaml",
);

/// A record list a kind's sample keeps in a spreadsheet instead of YAML,
/// to show that route: a workbook committed in the repository (made by
/// scripts/make-sheet-fixtures.py from the YAML it replaces), installed
/// byte for byte, so `init` writes the same files on every run.
#[derive(Debug, Clone, Copy)]
pub struct SheetSample {
    /// The kind whose sample it is.
    pub kind: &'static str,
    /// The YAML file of `DATA` it replaces.
    pub replaces: &'static str,
    /// Where `init` writes it in the project.
    pub installed_as: &'static str,
    /// Path in the repository.
    pub path: &'static str,
    /// The workbook.
    pub bytes: &'static [u8],
}

/// The spreadsheet samples: the summary's proposals, kept as a county
/// office keeps its 提案办理情况统计表.
pub const SHEETS: &[SheetSample] = &[SheetSample {
    kind: "summary",
    replaces: "data/proposals.yaml",
    installed_as: "data/proposals.xlsx",
    path: "templates/summary/data/proposals.xlsx",
    bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/summary/data/proposals.xlsx")),
}];

/// Kinds `init --kind` accepts, with a one-line description.
pub const KINDS: &[(&str, &str)] = &[
    ("experience", "经验材料: how the county committee supports CPPCC work, with facts from the records"),
    ("summary", "年度工作总结: a year's work of the county CPPCC, counted from the records (proposals kept in .xlsx)"),
    ("report", "常委会工作报告: the standing committee's report to the plenary session, with statistics tables"),
    ("collection", "资料汇编: several articles under one cover, with a 目录 whose page numbers come from the layout"),
    ("brief", "信息简报: a short news brief on the latest meetings and proposals"),
    ("notice", "通知 (文件格式): 份号, red 发文机关标志, 发文字号, two 附件 pages and the 版记 of a 下行文"),
    ("request", "请示 (文件格式, 上行文): 发文字号 and 签发人 on one line, 附注 with the contact, 版记"),
    ("minutes", "纪要 (纪要格式): red 纪要 mark, 期号, 出席/请假/列席 after the text, 版记"),
    ("letter", "函 (信函格式): mark 30 mm from the page top, red double rules, 发文字号 flush right, 抄送"),
];

/// Templates of a kind (repository `templates/<kind>/`).
pub fn templates(kind: &str) -> Option<&'static [Embedded]> {
    match kind {
        "experience" => Some(embed!(
            "templates/experience/experience.md.tera",
            "templates/experience/_base.md.tera",
            "templates/experience/_proposal_table.md.tera",
        )),
        "summary" => Some(embed!("templates/summary/summary.md.tera", "templates/summary/_base.md.tera")),
        "report" => Some(embed!("templates/report/report.md.tera")),
        "collection" => Some(embed!("templates/collection/collection.md.tera")),
        "brief" => Some(embed!("templates/brief/brief.md.tera")),
        "notice" => Some(embed!("templates/notice/notice.md.tera")),
        "request" => Some(embed!("templates/request/request.md.tera")),
        "minutes" => Some(embed!("templates/minutes/minutes.md.tera")),
        "letter" => Some(embed!("templates/letter/letter.md.tera")),
        _ => None,
    }
}

fn config(kind: &str) -> String {
    let title = match kind {
        "experience" => "青溪县委支持政协工作经验材料",
        "summary" => "青溪县政协2023年工作总结",
        "report" => "政协青溪县委员会常务委员会工作报告",
        "collection" => "青溪县政协工作经验交流材料汇编",
        "brief" => "青溪政协信息简报",
        "notice" => "青溪县政协办公室通知",
        "request" => "青溪县政协请示",
        "minutes" => "县政协主席会议纪要",
        "letter" => "青溪县政协办公室函",
        _ => "青溪县文稿",
    };
    // Documents without a 署名 name their author here (DOCX and PDF properties).
    let author = match kind {
        "report" => "author = \"政协青溪县委员会常务委员会\"\n",
        "brief" => "author = \"政协青溪县委员会办公室\"\n",
        _ => "# author = \"政协青溪县委员会办公室\"   # DOCX/PDF author; default: the document's 署名\n",
    };
    format!(
        "# wengao project: see README for every key.\n\
         title = \"{title}\"\n\
         county = \"青溪县\"\n\
         year = 2023\n\
         {author}\
         outputs = [\"docx\", \"pdf\", \"html\", \"txt\"]\n\
         \n\
         # GB/T 9704-2012 is the default; override single values here, e.g.\n\
         # [style]\n\
         # body_size = 16\n\
         # fonts.fang = [\"仿宋_GB2312\"]\n"
    )
}

/// Create a project of `kind` in `dir` and return the files written (relative to `dir`).
/// Refuses to touch a folder that already holds a project.
pub fn init_project(dir: &Path, kind: &str) -> Result<Vec<PathBuf>, Diags> {
    let Some(tpls) = templates(kind) else {
        let names: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
        return Err(Diagnostic::error(Code::ConfigValue, format!("unknown project kind `{kind}`"))
            .with_hint(format!("choose one of: {}", names.join(", ")))
            .into());
    };
    for existing in ["wengao.toml", "data", "templates"] {
        if dir.join(existing).exists() {
            return Err(Diagnostic::error(
                Code::ProjectLayout,
                format!("`{}` already holds a project (found {existing})", dir.display()),
            )
            .with_path(dir.join(existing))
            .with_hint("choose a new folder: `wengao init NEW-DIR`")
            .into());
        }
    }
    let config = config(kind);
    let mut files: Vec<(PathBuf, &[u8])> =
        vec![(PathBuf::from("wengao.toml"), config.as_bytes()), (PathBuf::from(".gitignore"), b"out/\n")];
    let sheets: Vec<&SheetSample> = SHEETS.iter().filter(|s| s.kind == kind).collect();
    for f in DATA {
        if !sheets.iter().any(|s| s.replaces == f.path) {
            files.push((PathBuf::from(f.path), f.text.as_bytes()));
        }
    }
    for s in &sheets {
        files.push((PathBuf::from(s.installed_as), s.bytes));
    }
    let prefix = format!("templates/{kind}/");
    for f in tpls {
        let rel = f.path.strip_prefix(&prefix).unwrap_or(f.path);
        files.push((Path::new("templates").join(rel), f.text.as_bytes()));
    }
    let mut written = Vec::new();
    for (rel, bytes) in files {
        crate::output::write_atomic(&dir.join(&rel), bytes).map_err(Diags::from)?;
        written.push(rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file in the repository's data/ and templates/ must be embedded,
    /// or `init` would install a project that misses it.
    #[test]
    fn every_repository_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut embedded: Vec<&str> = DATA.iter().map(|f| f.path).collect();
        embedded.extend(SHEETS.iter().map(|s| s.path));
        for (k, _) in KINDS {
            embedded.extend(templates(k).expect("listed kind").iter().map(|f| f.path));
        }
        for dir in ["data", "templates"] {
            for e in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_map(Result::ok) {
                if e.file_type().is_file() {
                    let rel = e.path().strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
                    assert!(embedded.contains(&rel.as_str()), "{rel} is not embedded in src/init.rs");
                }
            }
        }
    }

    #[test]
    fn the_summary_keeps_its_proposals_in_a_workbook() {
        let dir = tempfile::tempdir().expect("tempdir");
        let written = init_project(dir.path(), "summary").expect("init");
        assert!(written.contains(&PathBuf::from("data/proposals.xlsx")), "{written:?}");
        assert!(!dir.path().join("data/proposals.yaml").exists(), "the workbook replaces the YAML");
        let bytes = std::fs::read(dir.path().join("data/proposals.xlsx")).expect("read");
        assert_eq!(bytes, SHEETS[0].bytes, "installed byte for byte");
    }

    #[test]
    fn refuses_existing_projects_and_unknown_kinds() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("wengao.toml"), "").expect("write");
        assert!(init_project(dir.path(), "experience").is_err());
        assert!(init_project(&dir.path().join("new"), "nonsense").is_err());
    }
}
