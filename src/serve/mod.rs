//! `wengao serve`: a preview server on 127.0.0.1 for drafting at a desk.
//!
//! The server builds the project's documents as PDF (what prints) and plain
//! text into `<out>/preview/`, a folder of its own, so the project's `out/`
//! keeps the formats and the manifest `wengao build` gave it. A page lists
//! the documents, shows the chosen one's PDF in the browser's own viewer,
//! lists the last build's diagnostics with links to the lines they point at,
//! and reloads itself when a build ends (server-sent events: the browser
//! holds one connection open and the server writes to it; nothing polls).
//!
//! It answers only what it built or read: the files of the last build's
//! manifest and the project inputs those documents were made from (or that a
//! diagnostic points into). Every name is looked up in those lists first and
//! then resolved by `paths::file_under`, so `..`, absolute paths, encoded
//! `%2e%2e/` and symbolic links out of the folder are all refused (404).
//! Requests whose `Host` is not this machine's loopback name are refused
//! too, so a web page elsewhere cannot read the preview through DNS
//! rebinding. The building itself is the caller's loop (`Preview::build`),
//! on its own thread: a failed build changes the page, never the server.

mod page;
pub mod paths;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response, StatusCode};

use crate::batch::manifest::{DocEntry, MANIFEST_FILE};
use crate::batch::{self, BatchOptions, BatchOutcome, DocStatus, Event};
use crate::diag::{Code, Diagnostic, Diags, Severity, Sources};

/// The preview's own output folder, inside the project's output folder.
pub const PREVIEW_DIR: &str = "preview";

/// Formats the preview builds: the PDF is what the page shows; the text is
/// the same build's words, shown under it (searchable, and what a test can
/// read back).
const FORMATS: [&str; 2] = ["pdf", "txt"];

/// Requests answered at once; past this a request gets 503. Bounds the
/// threads one browser (or a stuck client) can hold.
const MAX_REQUESTS: usize = 64;

/// Event streams open at once (one per open tab).
const MAX_STREAMS: usize = 32;

/// How often an idle event stream gets a comment line, so the server
/// notices a closed tab and lets its thread go.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Project files larger than this are not shown in the source view.
const MAX_SOURCE_BYTES: u64 = 4 << 20;

/// One document as the page lists it.
#[derive(Debug, Clone)]
struct DocView {
    id: String,
    status: DocStatus,
    /// Its PDF and text, relative to the preview folder: this build's, or
    /// for a failed document the last good build's of this server.
    pdf: Option<String>,
    txt: Option<String>,
}

/// One diagnostic as the page shows it.
#[derive(Debug, Clone)]
struct Problem {
    error: bool,
    code: &'static str,
    message: String,
    /// The project file it points into (relative, `/`), with line and column.
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    /// In a spreadsheet, the cell instead of a line: `办理情况!C7`.
    cell: Option<String>,
    hints: Vec<String>,
}

/// What the last build left, for the request threads to read.
#[derive(Debug, Default)]
struct State {
    /// Builds finished since the server started (0: none yet).
    generation: u64,
    documents: Vec<DocView>,
    problems: Vec<Problem>,
    /// Files of the preview folder this server's builds wrote.
    outputs: BTreeSet<String>,
    /// Project files the page may show: the documents' inputs and the
    /// files the diagnostics point into.
    sources: BTreeSet<String>,
}

/// What the request threads share with the builder.
struct Shared {
    root: PathBuf,
    preview_dir: PathBuf,
    title: String,
    /// `Host` values a request may carry.
    hosts: [String; 2],
    state: Mutex<State>,
    /// One sender per open event stream; a build sends its generation.
    streams: Mutex<Vec<Sender<u64>>>,
    requests: AtomicUsize,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A request thread that panicked cannot leave the state half-changed
        // (only the builder writes it): take it as it is.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running preview server.
pub struct Preview {
    shared: Arc<Shared>,
    addr: SocketAddr,
    http: Arc<tiny_http::Server>,
}

impl Preview {
    /// Listen on 127.0.0.1 (`port`, or a free one when `None` or 0) and
    /// start answering requests for the project in `root`, whose output
    /// folder is `out_dir`. Nothing is built yet: call `build`. The
    /// errors' spans point into `sources`.
    pub fn start(root: &Path, out_dir: &Path, port: Option<u16>, sources: &mut Sources) -> Result<Preview, Diags> {
        // The project must open (wengao.toml readable) before anything listens.
        let project = crate::project::Project::open(root, sources)?;
        let port = port.unwrap_or(0);
        let http = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| {
            Diags::from(
                Diagnostic::error(Code::ProjectLayout, format!("cannot listen on 127.0.0.1:{port}: {e}")).with_hint(
                    "another program (or another `wengao serve`) may use that port: give another with --port N, or leave --port out to take a free one",
                ),
            )
        })?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| Diags::from(Diagnostic::internal("the preview server listens on no IP address")))?;
        let title = project
            .config
            .title
            .clone()
            .or_else(|| root.canonicalize().ok()?.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "wengao".to_string());
        let shared = Arc::new(Shared {
            root: root.to_path_buf(),
            preview_dir: out_dir.join(PREVIEW_DIR),
            title,
            hosts: [format!("127.0.0.1:{}", addr.port()), format!("localhost:{}", addr.port())],
            state: Mutex::new(State::default()),
            streams: Mutex::new(Vec::new()),
            requests: AtomicUsize::new(0),
        });
        let http = Arc::new(http);
        let (server, answering) = (Arc::clone(&http), Arc::clone(&shared));
        std::thread::Builder::new()
            .name("serve".into())
            .spawn(move || accept(&server, &answering))
            .map_err(|e| Diags::from(Diagnostic::internal(format!("cannot start the preview server: {e}"))))?;
        Ok(Preview { shared, addr, http })
    }

    /// The page's address, `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The folder the preview builds into.
    pub fn preview_dir(&self) -> &Path {
        &self.shared.preview_dir
    }

    /// Build the project into the preview folder, take the result as what
    /// the server answers, and tell every open page to reload. The outcome
    /// is returned for the caller to report.
    pub fn build(&self) -> BatchOutcome {
        // Otherwise as `build` would: every core, the cache, wengao.toml's PDF standard.
        let opts = BatchOptions {
            formats: FORMATS.iter().map(|f| f.to_string()).collect(),
            out_dir: Some(self.shared.preview_dir.clone()),
            write: true,
            ..BatchOptions::default()
        };
        let ended = Mutex::new(Vec::<(String, DocStatus)>::new());
        let outcome = batch::run(&self.shared.root, &opts, &|e| {
            if let Event::Done { id, status, .. } = e
                && let Ok(mut ended) = ended.lock()
            {
                ended.push((id.to_string(), status));
            }
        });
        let mut ended = ended.into_inner().unwrap_or_default();
        ended.sort_by(|a, b| a.0.cmp(&b.0));
        let generation = self.take(&ended, &outcome);
        let mut streams = self.shared.streams.lock().unwrap_or_else(|e| e.into_inner());
        streams.retain(|s| s.send(generation).is_ok());
        outcome
    }

    /// Make `ended` and the manifest the state the page shows; returns the
    /// new generation.
    fn take(&self, ended: &[(String, DocStatus)], outcome: &BatchOutcome) -> u64 {
        let manifest = read_manifest(&self.shared.preview_dir);
        let mut state = self.shared.state();
        let before: BTreeMap<String, DocView> = state.documents.iter().map(|d| (d.id.clone(), d.clone())).collect();
        let mut documents = Vec::new();
        let mut sources = BTreeSet::new();
        if ended.is_empty() {
            // The project did not load (wengao.toml, a data file): the
            // documents stay, with their last good files, but none of them
            // was made this time.
            let failed = outcome.diags.has_errors();
            documents = state
                .documents
                .iter()
                .cloned()
                .map(|mut d| {
                    if failed {
                        d.status = DocStatus::Failed;
                    }
                    d
                })
                .collect();
            sources = state.sources.clone();
        }
        for (id, status) in ended {
            let entry = manifest.get(id).filter(|_| *status != DocStatus::Failed);
            let view = match entry {
                Some(e) => {
                    sources.extend(e.inputs.iter().cloned());
                    let of = |format: &str| e.outputs.iter().find(|o| o.format == format).map(|o| o.path.clone());
                    DocView { id: id.clone(), status: *status, pdf: of("pdf"), txt: of("txt") }
                }
                None => {
                    let last = before.get(id);
                    DocView {
                        id: id.clone(),
                        status: DocStatus::Failed,
                        pdf: last.and_then(|d| d.pdf.clone()),
                        txt: last.and_then(|d| d.txt.clone()),
                    }
                }
            };
            documents.push(view);
        }
        let problems = problems(&self.shared.root, &outcome.diags, &outcome.sources);
        sources.extend(problems.iter().filter_map(|p| p.file.clone()));
        let outputs = documents.iter().flat_map(|d| d.pdf.iter().chain(d.txt.iter()).cloned()).collect();
        state.generation += 1;
        state.documents = documents;
        state.problems = problems;
        state.outputs = outputs;
        state.sources = sources;
        state.generation
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        // Ends the accept loop; streams end when their senders go.
        self.http.unblock();
        self.shared.streams.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// The documents of the manifest the last build wrote, by id.
fn read_manifest(preview_dir: &Path) -> BTreeMap<String, DocEntry> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        documents: Vec<DocEntry>,
    }
    std::fs::read(preview_dir.join(MANIFEST_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
        .map(|m| m.documents.into_iter().map(|d| (d.id.clone(), d)).collect())
        .unwrap_or_default()
}

/// The diagnostics as the page shows them, each placed in its project file.
fn problems(root: &Path, diags: &Diags, sources: &Sources) -> Vec<Problem> {
    diags
        .iter()
        .map(|d| {
            let (path, line, column, cell) = match d.span.as_ref().and_then(|s| Some((s, sources.get(s.file)?))) {
                // A spreadsheet's cells are registered as lines of its
                // source; the page names the cell, as messages do.
                Some((span, file)) if file.is_sheet() => {
                    (Some(file.path.clone()), None, None, file.cell_at(span.range.start).map(|c| c.reference()))
                }
                Some((span, file)) => {
                    let (line, column) = file.line_col(span.range.start);
                    (Some(file.path.clone()), Some(line), Some(column), None)
                }
                None => (d.path.clone(), None, None, None),
            };
            Problem {
                error: d.severity == Severity::Error,
                code: d.code.as_str(),
                message: d.message.clone(),
                file: path.as_deref().and_then(|p| paths::project_name(root, p)),
                line,
                column,
                cell,
                hints: d.hints.clone(),
            }
        })
        .collect()
}

/// Take requests until the server is unblocked; each on a thread of its own
/// (an event stream holds its thread for as long as the page is open).
fn accept(server: &tiny_http::Server, shared: &Arc<Shared>) {
    while let Ok(request) = server.recv() {
        if shared.requests.fetch_add(1, Ordering::SeqCst) >= MAX_REQUESTS {
            shared.requests.fetch_sub(1, Ordering::SeqCst);
            let _ = request.respond(text(503, "busy: too many requests at once"));
            continue;
        }
        let answering = Arc::clone(shared);
        let spawned = std::thread::Builder::new().name("serve-request".into()).spawn(move || {
            answer(request, &answering);
            answering.requests.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            shared.requests.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// A plain-text response.
fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_type(Response::from_string(body).with_status_code(StatusCode(status)), "text/plain; charset=utf-8")
}

fn with_type<R: std::io::Read>(r: Response<R>, content_type: &str) -> Response<R> {
    let mut r = r;
    for (name, value) in [
        ("Content-Type", content_type),
        // Every answer is of the last build: nothing may be kept.
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ] {
        if let Ok(h) = Header::from_bytes(name, value) {
            r.add_header(h);
        }
    }
    r
}

/// The request's path (decoded) and its query parameters (decoded).
fn split_url(url: &str) -> Option<(String, BTreeMap<String, String>)> {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let decode = |s: &str| percent_decode_str(&s.replace('+', " ")).decode_utf8().ok().map(|c| c.into_owned());
    let path = percent_decode_str(path).decode_utf8().ok()?.into_owned();
    let mut params = BTreeMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        params.insert(decode(k)?, decode(v)?);
    }
    Some((path, params))
}

fn answer(request: Request, shared: &Shared) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text(405, "only GET and HEAD"));
        return;
    }
    let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str().to_string());
    if host.is_some_and(|h| !shared.hosts.contains(&h)) {
        let _ = request.respond(text(403, "this server answers only http://127.0.0.1 and http://localhost"));
        return;
    }
    let Some((path, params)) = split_url(request.url()) else {
        let _ = request.respond(text(400, "the address is not valid UTF-8"));
        return;
    };
    let _ = match path.as_str() {
        "/" => {
            let html = page::index(shared, &shared.state(), params.get("doc").map(String::as_str));
            request.respond(with_type(Response::from_string(html), "text/html; charset=utf-8"))
        }
        "/events" => {
            events(request, shared);
            Ok(())
        }
        "/source" => source(request, shared, &params),
        _ => match path.strip_prefix("/out/") {
            Some(rel) => output(request, shared, rel),
            None => request.respond(text(404, "not found")),
        },
    };
}

/// A file of the last build, if this server built it.
fn output(request: Request, shared: &Shared, rel: &str) -> std::io::Result<()> {
    let built = shared.state().outputs.contains(rel);
    let file = if built { paths::file_under(&shared.preview_dir, rel) } else { None };
    let Some(file) = file.and_then(|f| std::fs::File::open(f).ok()) else {
        return request.respond(text(404, "not found: this server serves only the files of its last build"));
    };
    let content_type = match rel.rsplit_once('.').map(|(_, ext)| ext) {
        Some("pdf") => "application/pdf",
        _ => "text/plain; charset=utf-8",
    };
    request.respond(with_type(Response::from_file(file), content_type))
}

/// A project file the build read, with a line marked (`?file=…&line=N`).
fn source(request: Request, shared: &Shared, params: &BTreeMap<String, String>) -> std::io::Result<()> {
    let rel = params.get("file").map(String::as_str).unwrap_or_default();
    let known = shared.state().sources.contains(rel);
    let file = if known { paths::file_under(&shared.root, rel) } else { None };
    let text_of = file
        .filter(|f| std::fs::metadata(f).is_ok_and(|m| m.len() <= MAX_SOURCE_BYTES))
        .and_then(|f| std::fs::read(f).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    let Some(body) = text_of else {
        return request.respond(text(404, "not found: this server shows only the project files its last build read"));
    };
    let line = params.get("line").and_then(|l| l.parse::<usize>().ok());
    let html = page::source(shared, &shared.state(), rel, &body, line);
    request.respond(with_type(Response::from_string(html), "text/html; charset=utf-8"))
}

/// The event stream a page listens on: `event: build` with the generation
/// now and after every build. Written straight to the socket, flushed per
/// event (tiny_http's chunked responses would hold small events back).
fn events(request: Request, shared: &Shared) {
    let (tx, rx) = mpsc::channel();
    {
        let mut streams = shared.streams.lock().unwrap_or_else(|e| e.into_inner());
        if streams.len() >= MAX_STREAMS {
            drop(streams);
            let _ = request.respond(text(503, "busy: too many pages open"));
            return;
        }
        streams.push(tx);
    }
    let generation = shared.state().generation;
    let mut w = request.into_writer();
    let head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    // `retry`: a page whose server restarted reconnects after a second.
    let first = format!("{head}retry: 1000\nevent: build\ndata: {generation}\n\n");
    if w.write_all(first.as_bytes()).and_then(|()| w.flush()).is_err() {
        return;
    }
    loop {
        let chunk = match rx.recv_timeout(KEEP_ALIVE) {
            Ok(generation) => format!("event: build\ndata: {generation}\n\n"),
            Err(RecvTimeoutError::Timeout) => ": still here\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(chunk.as_bytes()).and_then(|()| w.flush()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_decoded_once() {
        let (path, params) = split_url("/out/%E4%BC%9A%E8%AE%AE.pdf?build=3&doc=a%40b").expect("valid");
        assert_eq!(path, "/out/会议.pdf");
        assert_eq!(params.get("doc").map(String::as_str), Some("a@b"));
        let (path, _) = split_url("/out/%2e%2e/%2E%2E/etc/passwd").expect("valid");
        assert_eq!(path, "/out/../../etc/passwd");
        assert!(!paths::is_plain_relative(path.trim_start_matches("/out/")));
        // Encoded twice: decoded once, it is a name with `%` in it, not `..`.
        let (path, _) = split_url("/out/%252e%252e/x").expect("valid");
        assert_eq!(path, "/out/%2e%2e/x");
        assert!(split_url("/out/%ff").is_none(), "not UTF-8");
    }
}
