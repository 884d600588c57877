//! The project: `wengao.toml`, and where data, templates and output live.
//!
//! Reads the configuration and finds inputs; it does not load data or render.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, Diags, Sources};
use crate::limits::Limits;
use crate::style::{Style, StyleOverrides};
use crate::textfile::read_config_text;

/// The configuration file name.
pub const CONFIG_FILE: &str = "wengao.toml";

/// `wengao.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Project title (`project.title` in templates).
    pub title: Option<String>,
    /// County name (`project.county`).
    pub county: Option<String>,
    /// The report year (`project.year`).
    pub year: Option<i64>,
    /// Who writes the documents (an office, a person): the DOCX `dc:creator`
    /// and PDF `/Author` of every document whose front matter has no `author`.
    pub author: Option<String>,
    /// Formats `build` writes when `-f` is not given.
    pub outputs: Option<Vec<String>>,
    /// Output folder, relative to the project (default `out`).
    pub out: Option<String>,
    /// Style overrides.
    #[serde(default)]
    pub style: StyleOverrides,
    /// Free-form values, also under `project.*` in templates.
    #[serde(default)]
    pub vars: BTreeMap<String, toml::Value>,
    /// Bounds on file sizes, rendering time and output, pages.
    #[serde(default)]
    pub limits: Limits,
    /// What `check` (and `build`) report about the rendered text.
    #[serde(default)]
    pub check: CheckConfig,
    /// Documents built once per item of a data collection (docs/matrix.md).
    pub matrix: Option<MatrixConfig>,
    /// Script of the printed documents: "simplified", "traditional"
    /// ("traditional-tw", "traditional-hk" for regional forms), or "keep"
    /// (default) — see docs/script.md.
    #[serde(default)]
    pub script: crate::script::Script,
    /// The standard PDFs are written to: "a-1b" for PDF/A-1b (ISO 19005-1,
    /// GB/T 23286.1), which archives accept; none for plain PDF (docs/pdf-a.md).
    /// Checked by `Project::open` (`PdfStandard::parse`).
    pub pdf_standard: Option<String>,
    /// How data files, templates and CSV files are encoded: "utf-8"
    /// (default, strict), "gb18030" (also "gbk"), or "auto" (each file:
    /// UTF-8 if valid, else GB18030, with a warning) — see docs/records.md.
    #[serde(default)]
    pub encoding: crate::textfile::Encoding,
}

/// The standard a PDF is written to (`pdf_standard` in wengao.toml,
/// `build --pdf-standard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfStandard {
    /// Plain PDF, as small as wengao makes it (the default).
    #[default]
    Plain,
    /// PDF/A-1b (ISO 19005-1 level B, GB/T 23286.1): everything a reader
    /// needs is in the file (fonts, an sRGB output intent, XMP metadata),
    /// nothing transparent, only PDF 1.4 constructs.
    A1b,
}

impl PdfStandard {
    /// The names `pdf_standard` and `--pdf-standard` accept.
    pub const NAMES: &[&str] = &["a-1b", "none"];

    /// The standard called `name` ("a-1b"; "none" for plain PDF).
    pub fn parse(name: &str) -> Option<PdfStandard> {
        match name.trim().to_ascii_lowercase().as_str() {
            "a-1b" | "pdf/a-1b" => Some(PdfStandard::A1b),
            "none" => Some(PdfStandard::Plain),
            _ => None,
        }
    }

    /// The JSON Schema of `pdf_standard`, for `wengao schema`.
    pub fn schema() -> serde_json::Value {
        serde_json::json!({
            "enum": Self::NAMES,
            "description": "PDFs to this standard: \"a-1b\" = PDF/A-1b (ISO 19005-1, GB/T 23286.1) for archives, \
                tagged; \"none\" or absent = plain PDF (docs/pdf-a.md)"
        })
    }

    /// Its name as `pdf_standard` writes it.
    pub fn name(self) -> &'static str {
        match self {
            PdfStandard::Plain => "none",
            PdfStandard::A1b => "a-1b",
        }
    }
}

/// `[check]` in wengao.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Lint codes (Q…) the project silences on purpose, e.g. `["Q001"]`.
    #[serde(default)]
    pub allow: Vec<String>,
}

/// `[matrix]` in wengao.toml: documents built once per item of a data
/// collection (docs/matrix.md). What a build does with it — checking it
/// against the templates and data, naming each item's outputs — is in
/// `batch::matrix`, which needs the data and template stages this module
/// comes before.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixConfig {
    /// The collection: a top-level data key (a folder of files, or a list).
    pub each: String,
    /// The item's name in the template context (default `item`).
    #[serde(rename = "as")]
    pub name: Option<String>,
    /// Document templates built per item, by stem (default: all of them).
    pub templates: Option<Vec<String>>,
    /// Output path pattern, without extension (default `{key}/{stem}`).
    pub output: Option<String>,
}

impl MatrixConfig {
    /// The default output pattern: one folder per item.
    pub const DEFAULT_OUTPUT: &str = "{key}/{stem}";

    /// The item's name in templates.
    pub fn item_name(&self) -> &str {
        self.name.as_deref().unwrap_or("item")
    }

    /// The output pattern.
    pub fn pattern(&self) -> &str {
        self.output.as_deref().unwrap_or(Self::DEFAULT_OUTPUT)
    }
}

/// The output folder of the project in `root`: wengao.toml's `out`, else
/// `out/` (also when wengao.toml cannot be read; the build reports why).
pub fn out_dir_of(root: &Path) -> PathBuf {
    Project::open(root, &mut Sources::new()).map_or_else(|_| root.join("out"), |p| p.out_dir())
}

/// A project folder, its configuration and resolved style.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project folder.
    pub root: PathBuf,
    /// Parsed configuration (defaults when there is no wengao.toml).
    pub config: Config,
    /// GB/T 9704 preset with the overrides applied.
    pub style: Style,
}

/// Formats written when neither `-f` nor `outputs` says.
pub const DEFAULT_FORMATS: &[&str] = &["docx", "pdf"];

impl Project {
    /// Open the project at `root`: read and check wengao.toml, resolve the style.
    pub fn open(root: &Path, sources: &mut Sources) -> Result<Project, Diags> {
        if !root.is_dir() {
            return Err(Diagnostic::error(
                Code::ProjectLayout,
                format!("project folder `{}` does not exist", root.display()),
            )
            .with_hint("run `wengao init DIR` to create a project, or give the path of an existing one")
            .into());
        }
        let cfg_path = root.join(CONFIG_FILE);
        // Anything at that name but a missing file is read, so that a FIFO or
        // a link to a device is refused by name instead of taken for "no
        // configuration".
        let config = if std::fs::symlink_metadata(&cfg_path).is_ok() {
            let text = read_config_text(&cfg_path, Path::new(CONFIG_FILE), Code::ConfigSyntax).map_err(Diags::from)?;
            let file = sources.add(CONFIG_FILE, text.clone());
            match toml::from_str::<Config>(&text) {
                Ok(c) => c,
                Err(e) => {
                    let span = e.span().map(|r| sources.span(file, r));
                    let msg = e.message().trim_end_matches('.').to_string();
                    let hint = if msg.contains("unknown field") && !msg.contains("expected one of `title`") {
                        "the keys this table accepts are listed above; see README for what each does"
                    } else if msg.contains("unknown field") {
                        "known keys: title, county, year, author, outputs, out, script, pdf_standard, encoding, [style], [check], [limits], [matrix], [vars]; put your own values under [vars]"
                    } else if msg.contains("is not an encoding wengao reads") {
                        "docs/records.md, \"Encodings\", says how each value reads the files"
                    } else {
                        "see README for the keys wengao.toml accepts"
                    };
                    return Err(Diagnostic::error(Code::ConfigSyntax, format!("invalid wengao.toml: {msg}"))
                        .with_span_opt(span)
                        .with_hint(hint)
                        .into());
                }
            }
        } else {
            Config::default()
        };
        let style = match config.style.preset.as_deref() {
            None | Some("gbt9704") => Style::gbt9704().with_overrides(&config.style),
            Some(other) => {
                return Err(Diagnostic::error(Code::ConfigValue, format!("unknown style preset `{other}`"))
                    .with_path(CONFIG_FILE)
                    .with_hint("the only preset is \"gbt9704\"")
                    .into());
            }
        };
        if let Err(msg) = style.validate() {
            return Err(Diagnostic::error(Code::ConfigValue, format!("impossible [style]: {msg}"))
                .with_path(CONFIG_FILE)
                .with_hint("fix the [style] values in wengao.toml or remove them to use GB/T 9704 defaults")
                .into());
        }
        if let Some(msg) = config.limits.problem() {
            return Err(Diagnostic::error(Code::ConfigValue, format!("impossible [limits]: {msg}"))
                .with_path(CONFIG_FILE)
                .with_hint("fix the [limits] values in wengao.toml or remove them to use the defaults")
                .into());
        }
        for code in &config.check.allow {
            if !Code::is_lint_code(code) {
                return Err(Diagnostic::error(
                    Code::ConfigValue,
                    format!("`[check] allow` names `{code}`, not a lint"),
                )
                .with_path(CONFIG_FILE)
                .with_hint(format!("lints that can be allowed: {}", Code::lint_codes().join(", ")))
                .into());
            }
        }
        if let Some(name) = &config.pdf_standard
            && PdfStandard::parse(name).is_none()
        {
            return Err(Diagnostic::error(Code::ConfigValue, format!("unknown pdf_standard `{name}`"))
                .with_path(CONFIG_FILE)
                .with_hint(
                    "write pdf_standard = \"a-1b\" for PDF/A-1b (the archival PDF, GB/T 23286.1), \
                     or remove the line for plain PDF",
                )
                .into());
        }
        if let Some(out) = &config.out {
            let p = Path::new(out);
            if out.is_empty() || p.is_absolute() || p.components().any(|c| matches!(c, std::path::Component::ParentDir))
            {
                return Err(Diagnostic::error(
                    Code::OutputName,
                    format!("output folder `{out}` must be a relative path inside the project"),
                )
                .with_path(CONFIG_FILE)
                .with_hint("use a name like \"out\"; give `-o DIR` on the command line to write elsewhere")
                .into());
            }
        }
        Ok(Project { root: root.to_path_buf(), config, style })
    }

    /// `data/`.
    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }
    /// `templates/`.
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }
    /// The output folder from wengao.toml (default `out/`).
    pub fn out_dir(&self) -> PathBuf {
        self.root.join(self.config.out.as_deref().unwrap_or("out"))
    }
    /// Formats to build when `-f` is not given.
    pub fn default_formats(&self) -> Vec<String> {
        match &self.config.outputs {
            Some(v) => v.clone(),
            None => DEFAULT_FORMATS.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The standard PDFs are written to (`pdf_standard`; plain PDF when
    /// not set). `open` has refused any other name.
    pub fn pdf_standard(&self) -> PdfStandard {
        self.config.pdf_standard.as_deref().and_then(PdfStandard::parse).unwrap_or_default()
    }

    /// The `project` value of the template context.
    pub fn context_value(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for (k, v) in &self.config.vars {
            m.insert(k.clone(), toml_to_json(v));
        }
        if let Some(t) = &self.config.title {
            m.insert("title".into(), t.clone().into());
        }
        if let Some(c) = &self.config.county {
            m.insert("county".into(), c.clone().into());
        }
        if let Some(y) = self.config.year {
            m.insert("year".into(), y.into());
        }
        serde_json::Value::Object(m)
    }
}

fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => s.clone().into(),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => {
            serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number)
        }
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(a) => a.iter().map(toml_to_json).collect(),
        toml::Value::Table(t) => {
            t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect::<serde_json::Map<_, _>>().into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(toml: &str) -> Result<Project, Diags> {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(CONFIG_FILE), toml).expect("write");
        Project::open(dir.path(), &mut Sources::new())
    }

    #[test]
    fn reads_fields_vars_and_style() {
        let p = open("title = \"报告\"\nyear = 2023\noutputs = [\"docx\"]\n[style]\nbody_size = 15\n[vars]\nsession = \"三次会议\"\n").expect("valid");
        assert_eq!(p.style.body_size.0, 15.0);
        let v = p.context_value();
        assert_eq!(v["title"], "报告");
        assert_eq!(v["year"], 2023);
        assert_eq!(v["session"], "三次会议");
    }

    #[test]
    fn unknown_keys_and_bad_style_are_errors() {
        let e = open("titel = \"x\"\n").expect_err("unknown key");
        assert_eq!(e.0[0].code, Code::ConfigSyntax);
        assert!(e.0[0].span.is_some());
        let e = open("[style]\nlines_per_page = 80\n").expect_err("impossible");
        assert_eq!(e.0[0].code, Code::ConfigValue);
        let e = open("out = \"../elsewhere\"\n").expect_err("escape");
        assert_eq!(e.0[0].code, Code::OutputName);
        let e = open("[check]\nallow = [\"D001\"]\n").expect_err("not a lint");
        assert_eq!(e.0[0].code, Code::ConfigValue);
        let e = open("[check]\nalow = [\"Q001\"]\n").expect_err("typo");
        assert_eq!(e.0[0].code, Code::ConfigSyntax);
        let p = open("[check]\nallow = [\"Q001\", \"q002\"]\n").expect("lints");
        assert_eq!(p.config.check.allow.len(), 2);
    }
}
