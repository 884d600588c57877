//! Templates: Tera 2 set-up, the template context, and Tera errors as diagnostics.
//!
//! Second stage of the pipeline: takes the loaded data and renders each
//! document template to Markdown. Knows nothing of Markdown or layout. The one
//! conversion point for Tera errors is `tera_diag`.

pub mod chart;
pub mod filters;
pub mod records;
pub mod trace;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::data::DataSet;
use crate::data::records::{Records, stats};
use crate::diag::{Code, Diagnostic, Diags, FileId, Sources, Span};
use crate::limits::Limits;

/// Extension of template files.
pub const TEMPLATE_EXT: &str = ".tera";
/// Extension of document templates.
pub const DOCUMENT_EXT: &str = ".md.tera";

/// A loaded, parsed set of templates.
pub struct TemplateSet {
    /// Shared with the render thread (see `render_limited`).
    tera: Arc<tera::Tera>,
    files: BTreeMap<String, FileId>,
    documents: Vec<String>,
    /// Script every rendered document is converted to (`script` in wengao.toml).
    script: crate::script::Script,
    /// Templates whose render overran its memory, with the error: the
    /// stopped render thread keeps what it held until the process ends, so
    /// a matrix of a thousand documents renders such a template once, not a
    /// thousand times. (A render that overran its time holds little and
    /// may be quick with another item's data: it is tried each time.)
    overran: std::sync::Mutex<BTreeMap<String, Diagnostic>>,
}

/// A template file found on disk.
struct Found {
    name: String,
    path: PathBuf,
    shown: PathBuf,
}

impl TemplateSet {
    /// Load every `*.tera` file under `dir` (names are paths relative to it,
    /// with `/`). Documents are the top-level `*.md.tera` files not starting
    /// with `_`; everything else is a layout or partial.
    pub fn load_dir(dir: &Path, shown_base: &Path, sources: &mut Sources) -> (Option<TemplateSet>, Diags) {
        Self::load_dir_encoded(dir, shown_base, sources, crate::textfile::Encoding::Utf8)
    }

    /// `load_dir` reading the templates in the project's `encoding`.
    pub fn load_dir_encoded(
        dir: &Path,
        shown_base: &Path,
        sources: &mut Sources,
        encoding: crate::textfile::Encoding,
    ) -> (Option<TemplateSet>, Diags) {
        let mut diags = Diags::new();
        if !dir.is_dir() {
            diags.push(
                Diagnostic::error(Code::ProjectLayout, "the project has no `templates/` folder")
                    .with_path(dir.strip_prefix(shown_base).unwrap_or(dir))
                    .with_hint("create templates/NAME.md.tera, or run `wengao init` to start from a working project"),
            );
            return (None, diags);
        }
        let mut found = Vec::new();
        let dir_real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() || e.path_is_symlink() => {
                    if e.path_is_symlink() && !link_stays_in(e.path(), &dir_real, shown_base, &mut diags) {
                        continue;
                    }
                    let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                    let name = rel.to_string_lossy().replace('\\', "/");
                    if name.ends_with(TEMPLATE_EXT) && !name.split('/').any(|c| c.starts_with('.')) {
                        let shown = e.path().strip_prefix(shown_base).unwrap_or(e.path()).to_path_buf();
                        found.push(Found { name, path: e.path().to_path_buf(), shown });
                    }
                }
                Ok(_) => {}
                Err(e) => diags.push(
                    Diagnostic::error(Code::TemplateMissing, format!("cannot list templates: {e}"))
                        .with_path(dir)
                        .with_hint("check that templates/ and its sub-folders are readable"),
                ),
            }
        }
        let documents: Vec<String> = found
            .iter()
            .filter(|f| !f.name.contains('/') && !f.name.starts_with('_') && f.name.ends_with(DOCUMENT_EXT))
            .map(|f| f.name.clone())
            .collect();
        if documents.is_empty() && diags.is_empty() {
            diags.push(
                Diagnostic::error(Code::ProjectLayout, "no document templates in `templates/`")
                    .with_path(dir.strip_prefix(shown_base).unwrap_or(dir))
                    .with_hint("a document is a file like templates/report.md.tera; names starting with `_` are layouts and partials"),
            );
        }
        let set = Self::build(found, documents, sources, &mut diags, encoding);
        (set, diags)
    }

    /// Load one template for `wengao render`, with every other `*.tera` in its
    /// folder available to include and extend.
    pub fn load_single(path: &Path, sources: &mut Sources) -> (Option<(TemplateSet, String)>, Diags) {
        let mut diags = Diags::new();
        if !path.is_file() {
            let d = match crate::textfile::open_regular(path) {
                Err(e) if path.exists() => crate::textfile::cannot_read(Code::TemplateMissing, path, &e),
                _ => Diagnostic::error(Code::TemplateMissing, "template file not found")
                    .with_path(path)
                    .with_hint("give the path of a .md.tera file"),
            };
            diags.push(d);
            return (None, diags);
        }
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let main = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut found = Vec::new();
        let dir_real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if let Ok(rd) = std::fs::read_dir(dir) {
            let mut names: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
            names.sort();
            for p in names {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let wanted = (name.ends_with(TEMPLATE_EXT) || name == main) && !name.starts_with('.');
                let is_link = p.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink());
                // The same rule as `build`: a partial that is a link is read
                // only if it stays in the folder (the template named on the
                // command line is the user's own choice).
                if wanted && is_link && name != main && !link_stays_in(&p, &dir_real, Path::new("."), &mut diags) {
                    continue;
                }
                if wanted && p.is_file() {
                    // `render t.md.tera` shows `t.md.tera`, not `./t.md.tera`.
                    let shown = p.strip_prefix(".").map_or_else(|_| p.clone(), Path::to_path_buf);
                    found.push(Found { name, shown, path: p });
                }
            }
        }
        if !found.iter().any(|f| f.name == main) {
            found.push(Found { name: main.clone(), path: path.to_path_buf(), shown: path.to_path_buf() });
        }
        let set = Self::build(found, vec![main.clone()], sources, &mut diags, crate::textfile::Encoding::Utf8);
        (set.map(|s| (s, main)), diags)
    }

    fn build(
        found: Vec<Found>,
        documents: Vec<String>,
        sources: &mut Sources,
        diags: &mut Diags,
        encoding: crate::textfile::Encoding,
    ) -> Option<TemplateSet> {
        let mut texts = Vec::new();
        let max = crate::limits::Limits::default().file_bytes();
        for f in found {
            match crate::textfile::read_text_encoded(&f.path, &f.shown, Code::TemplateMissing, max, encoding) {
                Ok((text, warning)) => {
                    diags.0.extend(warning);
                    texts.push((f.name, f.shown, text));
                }
                Err(d) => diags.push(d),
            }
        }
        Self::compile(texts, documents, sources, diags)
    }

    /// A set made from texts in memory (`(name, text)`, names as in
    /// `{% include %}`), with `document` the one to render: the whole
    /// template stage without files, for embedding and fuzzing.
    pub fn from_texts(texts: &[(&str, &str)], document: &str, sources: &mut Sources) -> (Option<TemplateSet>, Diags) {
        let mut diags = Diags::new();
        let texts = texts.iter().map(|(n, t)| (n.to_string(), PathBuf::from(n), t.to_string())).collect();
        let set = Self::compile(texts, vec![document.to_string()], sources, &mut diags);
        (set, diags)
    }

    /// Parse templates given as (name, shown path, text).
    fn compile(
        found: Vec<(String, PathBuf, String)>,
        documents: Vec<String>,
        sources: &mut Sources,
        diags: &mut Diags,
    ) -> Option<TemplateSet> {
        let mut tera = tera::Tera::new();
        // Output is Markdown, not HTML, so nothing is escaped; every printed
        // value still passes `escape_printed`, the one place that sees it.
        tera.autoescape_on([""]);
        tera.set_escape_fn(escape_printed);
        filters::register(&mut tera);
        let mut files = BTreeMap::new();
        let mut texts = Vec::new();
        for (name, shown, text) in found {
            let (text, removed) = without_controls(&text);
            let id = sources.add(shown, text.clone());
            for (at, c) in removed {
                diags.push(
                    Diagnostic::warning(
                        Code::TemplateSyntax,
                        format!(
                            "a control character ({}) was left out here: no document can show it",
                            crate::unicode::code_point(c)
                        ),
                    )
                    .with_span(sources.span(id, at..at))
                    .with_hint("such characters come from copying out of Word; delete it from the template"),
                );
            }
            files.insert(name.clone(), id);
            texts.push((name, text));
        }
        if let Err(e) = tera.add_raw_templates(texts.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            // Tera stops at the first syntax error of a batch; parse each
            // template alone (only on this error path) to report them all.
            let before = diags.0.len();
            for (name, text) in &texts {
                let mut probe = tera::Tera::new();
                filters::register(&mut probe);
                if let Err(e) = probe.add_raw_template(name, text)
                    && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
                {
                    diags.push(tera_diag(&e, &files, sources, None));
                }
            }
            if diags.0.len() == before {
                diags.push(tera_diag(&e, &files, sources, None));
            }
            return None;
        }
        if let Some(d) = too_deep(&texts, &files, sources) {
            diags.push(d);
        }
        if diags.has_errors() {
            return None;
        }
        Some(TemplateSet {
            tera: Arc::new(tera),
            files,
            documents,
            script: Default::default(),
            overran: Default::default(),
        })
    }

    /// Convert every rendered document to `script`. The whole rendered text
    /// is converted — prose and the data printed into it — before Markdown
    /// is parsed, so headings, front matter and the lints see the result.
    pub fn with_script(mut self, script: crate::script::Script) -> TemplateSet {
        self.script = script;
        self
    }

    /// The script every rendered document is converted to.
    pub fn script(&self) -> crate::script::Script {
        self.script
    }

    /// Names of the document templates, in file-name order.
    pub fn documents(&self) -> &[String] {
        &self.documents
    }

    /// The source file of a template.
    pub fn file(&self, name: &str) -> Option<FileId> {
        self.files.get(name).copied()
    }

    /// Every template's name with its source file, in name order.
    pub fn named_files(&self) -> impl Iterator<Item = (&str, FileId)> + '_ {
        self.files.iter().map(|(n, f)| (n.as_str(), *f))
    }

    /// Source files of every template in the set.
    pub fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        self.files.values().copied()
    }

    /// Render one template. Errors name the template line; a value that is
    /// null in the data also names the YAML line.
    pub fn render(
        &self,
        name: &str,
        context: &tera::Context,
        data: &DataSet,
        sources: &Sources,
    ) -> Result<String, Diags> {
        self.render_limited(name, &Arc::new(context.clone()), data, sources, &Limits::default())
    }

    /// `render`, bounded in time and output size by `limits`. Tera cannot be
    /// interrupted, so the render runs on its own thread; one that overruns
    /// is reported and left behind (it ends with the process, and it writes
    /// nothing anywhere). The context is shared with that thread, not
    /// copied: a document built once in a large matrix project sees every
    /// item's summary.
    pub fn render_limited(
        &self,
        name: &str,
        context: &Arc<tera::Context>,
        data: &DataSet,
        sources: &Sources,
        limits: &Limits,
    ) -> Result<String, Diags> {
        if let Some(d) = self.overran.lock().ok().and_then(|o| o.get(name).cloned()) {
            return Err(d.into());
        }
        let tera = Arc::clone(&self.tera);
        let (tx, rx) = std::sync::mpsc::channel();
        let (owned_name, owned_context, max) = (name.to_string(), Arc::clone(context), limits.render_bytes());
        let over = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (thread_over, budget) = (Arc::clone(&over), limits.render_memory());
        let spawned = std::thread::Builder::new().name("render".into()).stack_size(RENDER_STACK).spawn(move || {
            let rendered = crate::limits::with_thread_budget(budget, &thread_over, || {
                let mut sink = BoundedSink { buf: Vec::new(), max, exceeded: false, front: Front::Before, line: 0 };
                let result = tera.render_to(&owned_name, &owned_context, &mut sink);
                (result, sink)
            });
            // The receiver is gone only if the render overran: nothing to tell.
            let _ = tx.send(rendered);
        });
        let at_template = || self.files.get(name).map(|&f| sources.span(f, 0..0));
        let deadline = std::time::Instant::now() + limits.render_time();
        let waited = spawned.map_err(|e| e.to_string()).and_then(|_| {
            loop {
                // In short steps, to see a render stopped for its memory at once.
                let step = deadline
                    .saturating_duration_since(std::time::Instant::now())
                    .min(std::time::Duration::from_millis(20));
                match rx.recv_timeout(step) {
                    Ok(r) => break Ok(r),
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                        break Err("the render thread crashed".into());
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        if over.load(std::sync::atomic::Ordering::SeqCst) {
                            break Err("memory".to_string());
                        }
                        if std::time::Instant::now() >= deadline {
                            break Err(String::new());
                        }
                    }
                }
            }
        });
        let (result, sink) = match waited {
            Ok(r) => r,
            Err(why) if why == "memory" => {
                return Err(self
                    .remember_overrun(
                        name,
                        Diagnostic::error(
                            Code::TemplateLimit,
                            format!(
                                "template `{name}` takes more than {} MiB of memory to render",
                                limits.render_memory() >> 20
                            ),
                        )
                        .with_span_opt(self.growing_line(name, sources).or_else(at_template))
                        .with_hint(
                            "a text that is joined to itself (`{% set s = s ~ s %}`) or replaced into itself \
                     (`replace`) in a loop doubles each time; build the text once, or print the pieces as \
                     you go; if the document really needs more, raise `render_mib` under [limits] in \
                     wengao.toml",
                        ),
                    )
                    .into());
            }
            Err(why) if why.is_empty() => {
                // The render goes on alone: stop it at its next allocation.
                over.store(true, std::sync::atomic::Ordering::SeqCst);
                return Err(Diagnostic::error(
                    Code::TemplateLimit,
                    format!("template `{name}` is still rendering after {} s", limits.render_seconds),
                )
                .with_span_opt(at_template())
                .with_hint(
                    "look for a loop that never ends or nested loops over large ranges; if the document \
                     really needs longer, raise `render_seconds` under [limits] in wengao.toml",
                )
                .into());
            }
            Err(why) => return Err(Diagnostic::internal(format!("rendering `{name}`: {why}")).into()),
        };
        if sink.exceeded {
            return Err(Diagnostic::error(
                Code::TemplateLimit,
                format!("template `{name}` renders more than {} MiB of text", limits.render_mib),
            )
            .with_span_opt(at_template())
            .with_hint(
                "look for loops that repeat text many times; if the document really is this long, raise \
                 `render_mib` under [limits] in wengao.toml",
            )
            .into());
        }
        let script = self.script;
        let rendered = result.and_then(|()| {
            let text =
                String::from_utf8(sink.buf).map_err(|_| tera::Error::message("the template rendered invalid UTF-8"))?;
            script.apply(&text).map_err(tera::Error::message)
        });
        rendered.map_err(|e| {
            let mut d = tera_diag(&e, &self.files, sources, Some(data));
            // "undefined" in a filter's argument, an operand or a loop: if a
            // name on the line is null in the data, that is the problem.
            if d.code != Code::DataNull
                && d.message.contains("undefined")
                && let Some(path) = d.span.as_ref().and_then(|s| null_on_line(sources, s, data))
            {
                let mut diags = Diags::from(
                    Diagnostic::error(Code::DataNull, format!("`{path}` is null in the data, so the template cannot use it"))
                        .with_span_opt(d.span)
                        .with_hint("fill in the value in the data file named below, or guard it with `{% if … is defined %}`"),
                );
                for site in data.nulls.iter().filter(|n| same_path(&n.path, &path)).take(3) {
                    diags.push(
                        Diagnostic::error(Code::DataNull, format!("`{}` is null here", site.path))
                            .with_span(site.span.clone())
                            .with_hint("give it a value, or test it in the template with `{% if … is defined %}`"),
                    );
                }
                return diags;
            }
            // A filter given a missing value only says "undefined value"; name
            // the expression, and the YAML null behind it when there is one.
            if d.code == Code::TemplateFilter
                && d.message.contains("undefined value")
                && let Some(path) = d.span.as_ref().and_then(|s| filtered_expression(sources, s))
            {
                let key = path.rsplit('.').next().unwrap_or(&path).to_string();
                d = if data.nulls_named(&key).next().is_some() {
                    Diagnostic::error(Code::DataNull, format!("`{key}` is null in the data, so the template cannot use it"))
                        .with_span_opt(d.span)
                        .with_hint("fill in the value in the data file named below, or guard it with `{% if … is defined %}`")
                } else if context.get(path.split('.').next().unwrap_or(&path)).is_some() {
                    // The value is there: what is undefined is elsewhere on the line.
                    d
                } else {
                    Diagnostic::error(Code::TemplateUndefined, format!("`{path}` is not defined"))
                        .with_span_opt(d.span)
                        .with_hint("a name in a template must exist in data/ (by file name), in `project`, or be set with `{% set %}`")
                };
            }
            let mut diags = Diags::from(d.clone());
            if d.code == Code::DataNull
                && let Some(key) = backticked(&d.message)
            {
                for site in data.nulls_named(&key).take(3) {
                    diags.push(
                        Diagnostic::error(Code::DataNull, format!("`{}` is null here", site.path))
                            .with_span(site.span.clone())
                            .with_hint("give it a value, or test it in the template with `{% if … is defined %}`"),
                    );
                }
            }
            diags
        })
    }
}

/// Whether the link `path` leads to a file inside `dir_real`; a warning
/// when it leads out (a template may only show files of its own folder).
fn link_stays_in(path: &Path, dir_real: &Path, shown_base: &Path, diags: &mut Diags) -> bool {
    match path.canonicalize() {
        Ok(real) if real.starts_with(dir_real) && real.is_file() => true,
        Ok(real) if real.is_dir() => false,
        _ => {
            diags.push(
                Diagnostic::warning(
                    Code::TemplateMissing,
                    "this template is a link to a file outside the templates folder, so it is not read",
                )
                .with_path(path.strip_prefix(shown_base).unwrap_or(path))
                .with_hint("copy the file into the templates folder instead of linking to it"),
            );
            false
        }
    }
}

/// The deepest chain of `{% include %}`, `{% extends %}` and `{% import %}`
/// allowed. Each level of a render nests deeper on the render thread's
/// stack, and an overflow aborts the process; a chain of a hundred or more
/// partials would reach it. Real templates nest three or four deep.
pub const MAX_TEMPLATE_DEPTH: usize = 32;

/// The templates a tag of `text` names, with the tag's byte offset.
fn template_refs(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("{%").map(|i| from + i) {
        let after = &text[start + 2..];
        let end = after.find("%}").unwrap_or(after.len());
        let tag = after[..end].trim_start_matches(['-', '+']).trim_start();
        let word = tag.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
        if matches!(word, "extends" | "include" | "import") {
            let rest = &tag[word.len()..];
            if let Some(i) = rest.find(['"', '\'']) {
                let quote = &rest[i..i + 1];
                if let Some(len) = rest[i + 1..].find(quote) {
                    out.push((rest[i + 1..i + 1 + len].to_string(), start));
                }
            }
        }
        from = start + 2 + end;
    }
    out
}

/// An error at the tag that goes one level too deep, with the chain, when
/// some template reaches more than `MAX_TEMPLATE_DEPTH` levels.
fn too_deep(texts: &[(String, String)], files: &BTreeMap<String, FileId>, sources: &Sources) -> Option<Diagnostic> {
    let refs: BTreeMap<&str, Vec<(String, usize)>> =
        texts.iter().map(|(n, t)| (n.as_str(), template_refs(t))).collect();
    // Longest chain from each template (cycles are Tera's to report: a
    // template on the current path counts as a leaf).
    fn depth<'a>(
        name: &'a str,
        refs: &'a BTreeMap<&'a str, Vec<(String, usize)>>,
        memo: &mut BTreeMap<&'a str, usize>,
        path: &mut Vec<&'a str>,
    ) -> usize {
        if let Some(&d) = memo.get(name) {
            return d;
        }
        if path.contains(&name) || path.len() > 4 * MAX_TEMPLATE_DEPTH {
            return 0;
        }
        path.push(name);
        let mut best = 0;
        for (target, _) in refs.get(name).into_iter().flatten() {
            if let Some((key, _)) = refs.get_key_value(target.as_str()) {
                best = best.max(1 + depth(key, refs, memo, path));
            }
        }
        path.pop();
        memo.insert(name, best);
        best
    }
    let mut memo = BTreeMap::new();
    let names: Vec<&str> = refs.keys().copied().collect();
    let depths: Vec<(usize, &str)> = names.iter().map(|n| (depth(n, &refs, &mut memo, &mut Vec::new()), *n)).collect();
    // The chain shown starts at the template that reaches deepest (a document).
    let start = depths.iter().filter(|(d, _)| *d > MAX_TEMPLATE_DEPTH).max_by_key(|(d, _)| *d).map(|(_, n)| *n)?;
    // Walk the deepest chain down from there.
    let mut chain = vec![start];
    let mut at_tag = None;
    while chain.len() <= MAX_TEMPLATE_DEPTH + 1 {
        let here = *chain.last()?;
        let next = refs
            .get(here)?
            .iter()
            .filter_map(|(t, off)| refs.get_key_value(t.as_str()).map(|(k, _)| (*k, *off)))
            .max_by_key(|(k, _)| memo.get(k).copied().unwrap_or(0))?;
        if chain.len() == MAX_TEMPLATE_DEPTH + 1 {
            at_tag = files.get(here).map(|&f| sources.span(f, next.1..next.1));
        }
        chain.push(next.0);
    }
    let shown = if chain.len() > 8 {
        format!(
            "{} → … ({} more) … → {}",
            chain[..3].join(" → "),
            chain.len() - 6,
            chain[chain.len() - 3..].join(" → ")
        )
    } else {
        chain.join(" → ")
    };
    Some(
        Diagnostic::error(
            Code::TemplateRender,
            format!("templates include one another more than {MAX_TEMPLATE_DEPTH} levels deep: {shown}"),
        )
        .with_span_opt(at_tag)
        .with_hint(
            "put the text of the deeper partials into fewer files, or include them side by side from one \
             template instead of each from the one before",
        ),
    )
}

/// Put around `inf`, `-inf` and `NaN` in a printed value (a calculation
/// that overflowed, or 0/0), which the pipeline reports at the line that
/// printed it. Private use, so no document text holds it.
pub const NON_FINITE_MARK: char = '\u{F8F0}';

/// Tera's escape function, for every printed value: the text unchanged but
/// for the marks around a float that is not a number, and, inside a quoted
/// front matter value, the quotes and backslashes escaped for YAML.
fn escape_printed(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let quote = FRONT_QUOTE.with(std::cell::Cell::get);
    if quote != 0 && input.bytes().any(|b| b == quote || b == b'\\' || b == b'\n' || b == b'\r') {
        // Data printed into a quoted front matter value ("{{ title }}")
        // must not end it early: 青溪县"十四五"规划 stays one value.
        let escaped = if quote == b'"' {
            input.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\r', "")
        } else {
            input.replace('\'', "''").replace(['\n', '\r'], " ")
        };
        return out.write_all(escaped.as_bytes());
    }
    if !input.contains("inf") && !input.contains("NaN") {
        return out.write_all(input.as_bytes());
    }
    let bytes = input.as_bytes();
    let alnum = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.');
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        let len = if bytes[i..].starts_with(b"inf") || bytes[i..].starts_with(b"NaN") { 3 } else { 0 };
        if len > 0 && (i == 0 || !alnum(i - 1)) && !alnum(i + len) {
            let start = if i > 0 && bytes[i - 1] == b'-' { i - 1 } else { i };
            out.write_all(&bytes[from..start])?;
            let mut mark = [0; 4];
            let mark = NON_FINITE_MARK.encode_utf8(&mut mark).as_bytes();
            out.write_all(mark)?;
            out.write_all(&bytes[start..i + len])?;
            out.write_all(mark)?;
            from = i + len;
            i += len;
        } else {
            i += 1;
        }
    }
    out.write_all(&bytes[from..])
}

/// `text` without the characters no document can carry, and where each
/// was (byte offsets in the text returned).
pub(crate) fn without_controls(text: &str) -> (String, Vec<(usize, char)>) {
    if !text.chars().any(crate::unicode::is_forbidden_control) {
        return (text.to_string(), Vec::new());
    }
    let mut kept = String::with_capacity(text.len());
    let mut removed = Vec::new();
    for c in text.chars() {
        if crate::unicode::is_forbidden_control(c) {
            removed.push((kept.len(), c));
        } else {
            kept.push(c);
        }
    }
    (kept, removed)
}

impl TemplateSet {
    /// `d`, remembered as the answer for every later render of `name`.
    fn remember_overrun(&self, name: &str, d: Diagnostic) -> Diagnostic {
        if let Ok(mut o) = self.overran.lock() {
            o.insert(name.to_string(), d.clone());
        }
        d
    }

    /// The line of `name` (or a template it includes) most likely to make a
    /// text that grows without bound: a `set` whose value uses the variable
    /// it sets, else the expression with the most `replace` calls. Tera
    /// cannot say which instruction was running when the render stopped.
    fn growing_line(&self, name: &str, sources: &Sources) -> Option<Span> {
        let texts: Vec<(String, String)> =
            self.files.iter().filter_map(|(n, &f)| sources.get(f).map(|s| (n.clone(), s.text.clone()))).collect();
        let mut names = vec![name.to_string()];
        let mut i = 0;
        while i < names.len() && names.len() < 64 {
            if let Some((_, text)) = texts.iter().find(|(n, _)| *n == names[i]) {
                for (r, _) in template_refs(text) {
                    if !names.contains(&r) {
                        names.push(r);
                    }
                }
            }
            i += 1;
        }
        let mut best: Option<(usize, FileId, usize)> = None;
        for n in &names {
            let (Some(&file), Some((_, text))) = (self.files.get(n), texts.iter().find(|(t, _)| t == n)) else {
                continue;
            };
            let mut offset = 0;
            for line in text.split_inclusive('\n') {
                let score = growth_score(line);
                if score > 0 && best.is_none_or(|(s, _, _)| score > s) {
                    let col = line.find("{%").or_else(|| line.find("{{")).unwrap_or(0);
                    best = Some((score, file, offset + col));
                }
                offset += line.len();
            }
        }
        best.map(|(_, f, at)| sources.span(f, at..at))
    }
}

/// How likely a template line is to grow a text without bound (0: not).
fn growth_score(line: &str) -> usize {
    let mut score = 0;
    for tag in line.split("{%").skip(1) {
        let tag = tag.split("%}").next().unwrap_or("").trim_start_matches(['-', '+']).trim();
        let Some(rest) = tag.strip_prefix("set_global ").or_else(|| tag.strip_prefix("set ")) else { continue };
        if let Some((var, value)) = rest.split_once('=') {
            let var = var.trim();
            let uses_itself = value.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == var);
            if !var.is_empty() && uses_itself && (value.contains('~') || value.contains("replace")) {
                score += 100;
            }
        }
    }
    score + line.matches("replace(").count()
}

/// The render thread's stack: nested includes, components and loops each
/// take some, and an overflow aborts the whole process (the depth of
/// includes is bounded by `MAX_TEMPLATE_DEPTH`, components by Tera).
const RENDER_STACK: usize = 16 << 20;

/// Collects a render's output and fails the write once it passes `max`
/// bytes, which stops Tera at the next piece of output.
struct BoundedSink {
    buf: Vec<u8>,
    max: usize,
    exceeded: bool,
    /// Where the output is with respect to the front matter.
    front: Front,
    /// Start of the line being written.
    line: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Front {
    /// Only blank lines so far.
    Before,
    /// Inside the front matter (after its `---`).
    Inside,
    /// In the body.
    After,
}

std::thread_local! {
    /// The quote a value printed now lands in: `"` or `'` inside a quoted
    /// YAML scalar of the front matter, 0 elsewhere (set by the sink after
    /// each write, read by `escape_printed`, Tera's escape function).
    static FRONT_QUOTE: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
}

impl BoundedSink {
    /// Follow the lines written so far: front matter or not, and, inside
    /// it, whether the line being written has a quoted scalar open.
    /// `from`: where the bytes just written start (each byte is looked at
    /// once, so a long line costs no more than a short one).
    fn track(&mut self, from: usize) {
        let mut at = from.max(self.line);
        while self.front != Front::After
            && let Some(nl) = self.buf[at..].iter().position(|&b| b == b'\n')
        {
            let end = at + nl;
            let line = &self.buf[self.line..end];
            let text = line.strip_suffix(b"\r").unwrap_or(line);
            let blank = text.iter().all(u8::is_ascii_whitespace);
            self.front = match self.front {
                Front::Before if text == b"---" => Front::Inside,
                Front::Before if blank => Front::Before,
                Front::Inside if text == b"---" || text == b"..." => Front::After,
                Front::Inside => Front::Inside,
                _ => Front::After,
            };
            self.line = end + 1;
            at = self.line;
        }
        let partial = self.buf.get(self.line..).unwrap_or_default();
        if self.front == Front::Before && !partial.iter().all(u8::is_ascii_whitespace) && !b"---\r".starts_with(partial)
        {
            // The first line of text is not `---`: there is no front matter.
            self.front = Front::After;
        }
        // Front matter lines are short; a huge one is not YAML worth helping.
        let quote = if self.front == Front::Inside && partial.len() <= 64 << 10 { open_quote(partial) } else { 0 };
        FRONT_QUOTE.with(|q| q.set(quote));
    }
}

/// The quote (`"` or `'`) left open at the end of a YAML line, 0 if none.
/// A quote opens a scalar only where a value starts (line start, after
/// `: `, `- `, `[`, `{` or `,`); elsewhere it is text (青溪县"十四五").
fn open_quote(line: &[u8]) -> u8 {
    let mut open = 0u8;
    let mut i = 0;
    let mut prev = b' ';
    while i < line.len() {
        let b = line[i];
        match open {
            b'"' if b == b'\\' => i += 1,
            b'"' if b == b'"' => open = 0,
            b'\'' if b == b'\'' => {
                if line.get(i + 1) == Some(&b'\'') {
                    i += 1;
                } else {
                    open = 0;
                }
            }
            0 if (b == b'"' || b == b'\'') && matches!(prev, b' ' | b'\t' | b'[' | b'{' | b',' | b':' | b'-') => {
                open = b
            }
            _ => {}
        }
        prev = b;
        i += 1;
    }
    open
}

impl std::io::Write for BoundedSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.buf.len().saturating_add(bytes.len()) > self.max {
            self.exceeded = true;
            return Err(std::io::Error::other("render output limit"));
        }
        let start = self.buf.len();
        if matches!(bytes, b"inf" | b"NaN") {
            // A float printed by itself arrives in one piece (strings holding
            // one pass `escape_printed` instead: numbers are not escaped).
            let mut mark = [0; 4];
            let mark = NON_FINITE_MARK.encode_utf8(&mut mark).as_bytes();
            self.buf.extend_from_slice(mark);
            self.buf.extend_from_slice(bytes);
            self.buf.extend_from_slice(mark);
        } else {
            self.buf.extend_from_slice(bytes);
        }
        // Tracked only where the front matter can be; the body costs nothing.
        if self.front != Front::After {
            self.track(start);
        } else {
            FRONT_QUOTE.with(|q| q.set(0));
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Build the template context: `project`, every data key, and the record
/// statistics. When the data has a folder for the report year (`data/2023/`)
/// its keys are also at the root (a root key of the same name wins); the
/// previous year's folder is `prev` and its statistics `stats_prev`. A data
/// key named `stats`, `prev` or `stats_prev` hides the computed one.
pub fn context(project: &serde_json::Value, data: &DataSet, records: &Records) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("project", project);
    let (stats, stats_prev) = stats::compute(records);
    ctx.insert("stats", &stats);
    if let Some(y) = records.year {
        for (k, v) in data.folder_values(&y.to_string()) {
            ctx.insert(k.to_string(), &v);
        }
        if let Some(p) = stats_prev {
            let prev: BTreeMap<&str, _> = data.folder_values(&(y - 1).to_string()).into_iter().collect();
            ctx.insert("prev", &prev);
            ctx.insert("stats_prev", &p);
        }
    }
    for (k, v) in data.values() {
        ctx.insert(k.to_string(), &v);
    }
    ctx
}

/// The first name on the line of `span` that is null in the data
/// (`facts.b` in `{{ facts.a + facts.b }}`).
fn null_on_line(sources: &Sources, span: &Span, data: &DataSet) -> Option<String> {
    let file = sources.get(span.file)?;
    let line = file.line_text(file.line_col(span.range.start).0);
    let mut rest = line;
    while !rest.is_empty() {
        let start = rest.find(|c: char| c.is_ascii_alphabetic() || c == '_')?;
        let token: String =
            rest[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.').collect();
        let token = token.trim_end_matches('.').to_string();
        if data.nulls.iter().any(|n| same_path(&n.path, &token)) {
            return Some(token);
        }
        rest = &rest[start + token.len().max(1)..];
    }
    None
}

/// Whether the null at data path `site` is what the template names `path`
/// (`2023.facts.b` is also `facts.b` at the root).
fn same_path(site: &str, path: &str) -> bool {
    site == path || site.strip_suffix(path).is_some_and(|head| head.ends_with('.'))
}

/// The variable path left of the `|` a filter error points at
/// (`{{ county.meetings | cn_num }}` → `county.meetings`).
fn filtered_expression(sources: &Sources, span: &Span) -> Option<String> {
    let text = &sources.get(span.file)?.text;
    let before = text.get(..span.range.start)?;
    let line = before.rsplit('\n').next()?;
    let lhs = line[..line.rfind('|')?].trim_end();
    let start = lhs.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).map_or(0, |i| i + 1);
    let path = &lhs[start..];
    (!path.is_empty() && path.chars().next().is_some_and(|c| !c.is_ascii_digit())).then(|| path.to_string())
}

fn backticked(s: &str) -> Option<String> {
    let start = s.find('`')? + 1;
    let len = s[start..].find('`')?;
    Some(s[start..start + len].to_string())
}

/// The one conversion of a Tera error into a diagnostic.
fn tera_diag(
    e: &tera::Error,
    files: &BTreeMap<String, FileId>,
    sources: &Sources,
    data: Option<&DataSet>,
) -> Diagnostic {
    let span_of = |name: &str, s: &tera::Span| -> Option<Span> {
        let id = *files.get(name)?;
        let len = sources.get(id).map_or(0, |f| f.text.len());
        let start = s.range.start.min(len);
        Some(sources.span(id, start..s.range.end.clamp(start, len)))
    };
    if e.to_string().contains("recursion depth for components") {
        let (span, chain) = component_cycle(files, sources).unzip();
        let shown = chain.map(|c| format!(": {}", c.join(" → "))).unwrap_or_default();
        return Diagnostic::error(
            Code::TemplateRender,
            format!("components call one another more than 20 levels deep, so one keeps calling itself{shown}"),
        )
        .with_span_opt(span)
        .with_hint(
            "a component that uses itself must stop somewhere: call it only under an `{% if %}` that becomes \
             false (for example when a list is empty), or write the repeated part with a `{% for %}` loop",
        );
    }
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) => Diagnostic::error(Code::TemplateSyntax, format!("template syntax error: {}", tidy(r.message())))
            .with_span_opt(span_of(r.filename(), r.span()))
            .with_hint("check the `{{ }}` / `{% %}` tags near here: every block tag needs its end tag (`{% endif %}`, `{% endfor %}`, `{% endblock name %}`)"),
        tera::ErrorKind::RenderingError(r) => {
            let raw = r.message();
            let span = span_of(r.filename(), r.span());
            let (msg, hint) = split_available(raw);
            if raw.starts_with("Variable `") || raw.starts_with("Field `") {
                let key = backticked(raw).unwrap_or_default();
                if data.is_some_and(|d| d.nulls_named(&key).next().is_some()) {
                    return Diagnostic::error(Code::DataNull, format!("`{key}` is null in the data, so the template cannot print it"))
                        .with_span_opt(span)
                        .with_hint("fill in the value in the data file named below, or guard it with `{% if … is defined %}`");
                }
                let mut d = Diagnostic::error(Code::TemplateUndefined, tidy(&msg)).with_span_opt(span);
                if let Some(h) = hint {
                    d = d.with_hint(h);
                }
                d.with_hint("a name in a template must exist in data/ (by file name), in `project`, or be set with `{% set %}`")
            } else if raw.contains("expected") || raw.contains("argument") || raw.contains(':') {
                Diagnostic::error(Code::TemplateFilter, tidy(&msg))
                    .with_span_opt(span)
                    .with_hint("check the value given to the filter or function and its arguments")
            } else {
                Diagnostic::error(Code::TemplateRender, tidy(&msg)).with_span_opt(span).with_hint("see the template line above")
            }
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            Code::TemplateMissing,
            format!("template `{current}` extends `{parent}`, which does not exist"),
        )
        .with_span_opt(files.get(current.as_str()).map(|id| sources.span(*id, 0..0)))
        .with_hint("layouts live in templates/ too; check the name in `{% extends %}`"),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error(Code::TemplateMissing, format!("template `{name}` not found"))
            .with_hint("includes and layouts are looked up by their path relative to templates/"),
        tera::ErrorKind::CircularExtend { tpl, inheritance_chain } => Diagnostic::error(
            Code::TemplateRender,
            format!("template `{tpl}` extends itself through {}", inheritance_chain.join(" → ")),
        )
        .with_span_opt(files.get(tpl.as_str()).map(|id| sources.span(*id, 0..0)))
        .with_hint("break the cycle of `{% extends %}`"),
        tera::ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(
            Code::TemplateRender,
            format!("template `{tpl}` includes itself through {}", include_chain.join(" → ")),
        )
        .with_span_opt(files.get(tpl.as_str()).map(|id| sources.span(*id, 0..0)))
        .with_hint("break the cycle of `{% include %}`"),
        _ => {
            // Reference checks (unknown filter, include …) arrive as one message
            // holding rendered reports: "error: MSG\n --> name:line:col".
            let text = e.to_string();
            let mut found = Vec::new();
            let mut lines = text.lines().peekable();
            while let Some(l) = lines.next() {
                let Some(msg) = l.strip_prefix("error: ") else { continue };
                let Some(loc) = lines.peek().and_then(|n| n.trim_start().strip_prefix("--> ")) else { continue };
                let mut parts = loc.rsplitn(3, ':');
                let (col, line, name) = (parts.next(), parts.next(), parts.next());
                let span = match (name, line.and_then(|x| x.parse().ok()), col.and_then(|x| x.parse().ok())) {
                    (Some(n), Some(line), Some(col)) => files.get(n).map(|id| sources.span_at(*id, line, col)),
                    _ => None,
                };
                found.push((msg.to_string(), span));
            }
            match found.into_iter().next() {
                Some((msg, span)) => {
                    let (code, hint) = if msg.starts_with("Unknown template") {
                        (Code::TemplateMissing, "includes are looked up by their path relative to templates/")
                    } else if msg.starts_with("Unknown") {
                        (Code::TemplateFilter, "see README for wengao's filters and functions; Tera 2 has no `filter`/`map` built in, wengao adds them")
                    } else {
                        (Code::TemplateRender, "see the template line above")
                    };
                    Diagnostic::error(code, tidy(&msg)).with_span_opt(span).with_hint(hint)
                }
                None => Diagnostic::error(Code::TemplateRender, tidy(&text)).with_hint("check the template"),
            }
        }
    }
}

/// A component: its name, its file, and the components its body calls
/// with their offsets.
type Component = (String, FileId, Vec<(String, usize)>);

/// The call that closes a cycle of components (`{% component a() %}` whose
/// body calls `<b …/>`, whose body calls `<a …/>`), and the cycle's names.
fn component_cycle(files: &BTreeMap<String, FileId>, sources: &Sources) -> Option<(Span, Vec<String>)> {
    // Each component: (name, file, calls in its body with their offsets).
    let mut defs: Vec<Component> = Vec::new();
    for &file in files.values() {
        let text = &sources.get(file)?.text;
        let mut from = 0;
        while let Some(i) = text[from..].find("{%").map(|i| from + i) {
            let tag = text[i + 2..].trim_start_matches(['-', '+']).trim_start();
            from = i + 2;
            let Some(rest) = tag.strip_prefix("component ") else { continue };
            let name: String = rest.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let body_end = text[from..].find("endcomponent").map_or(text.len(), |j| from + j);
            let body = &text[from..body_end];
            let mut calls = Vec::new();
            let mut at = 0;
            while let Some(j) = body[at..].find('<').map(|j| at + j) {
                let callee: String = body[j + 1..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !callee.is_empty() {
                    calls.push((callee, from + j));
                }
                at = j + 1;
            }
            defs.push((name, file, calls));
        }
    }
    // Depth-first from each component, looking for a way back to it.
    fn walk(defs: &[Component], at: usize, target: &str, path: &mut Vec<usize>) -> Option<(FileId, usize)> {
        let (_, file, calls) = &defs[at];
        for (callee, offset) in calls {
            if callee == target {
                return Some((*file, *offset));
            }
            if let Some(next) = defs.iter().position(|(n, _, _)| n == callee)
                && !path.contains(&next)
            {
                path.push(next);
                if let Some(found) = walk(defs, next, target, path) {
                    return Some(found);
                }
                path.pop();
            }
        }
        None
    }
    for (i, (name, _, _)) in defs.iter().enumerate() {
        let mut path = vec![i];
        if let Some((file, offset)) = walk(&defs, i, name, &mut path) {
            let mut chain: Vec<String> = path.iter().map(|&k| defs[k].0.clone()).collect();
            chain.push(name.clone());
            return Some((sources.span(file, offset..offset + 1 + name.len()), chain));
        }
    }
    None
}

/// Tera says "Variable `x` is not defined. Available variables: a, b"; keep the
/// first sentence as the message and the list as a hint.
fn split_available(raw: &str) -> (String, Option<String>) {
    match raw.find(" Available ") {
        Some(i) => {
            let rest = raw[i + 1..].trim().trim_end_matches('.');
            (raw[..i].to_string(), Some(lower_first(rest)))
        }
        None => (raw.to_string(), None),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Our message style: first line, lowercase start, no final period.
fn tidy(s: &str) -> String {
    let first = s.lines().next().unwrap_or(s).trim();
    lower_first(first.trim_end_matches('.'))
}
