#![allow(clippy::panic)] // a test: failing is its job
//! `wengao serve` as a browser sees it: the real binary on a free port of
//! 127.0.0.1, spoken to over plain TCP (requests written by hand, so paths
//! reach the server exactly as sent, `..` and all).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A project whose one document prints `facts.n` (3) in Chinese.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("data")).expect("mkdir");
    std::fs::write(dir.path().join("templates/doc.md.tera"), TEMPLATE).expect("write");
    std::fs::write(dir.path().join("data/facts.yaml"), "n: 3\n").expect("write");
    dir
}

const TEMPLATE: &str = "---\ntitle: 测试\n---\n\n共召开会议{{ facts.n | cn_num }}次。\n";

/// A running `wengao serve`, stopped when dropped.
struct Served {
    child: Child,
    port: u16,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Served {
    fn start(dir: &Path) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wengao"))
            .args(["serve", "."])
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("the first line");
        // `serving . at http://127.0.0.1:PORT/ (Ctrl-C to stop)`
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Served { child, port, stdout }
    }

    /// `GET path` with these extra header lines: status and body.
    fn get_with(&self, path: &str, headers: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let host = format!("127.0.0.1:{}", self.port);
        let request = if headers.contains("Host:") {
            format!("GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n")
        } else {
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n")
        };
        s.write_all(request.as_bytes()).expect("send");
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).expect("read");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let status = text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
        let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.get_with(path, "")
    }

    /// The page, once the build `generation` (or a later one) has ended.
    fn page_after(&self, generation: u64) -> String {
        for _ in 0..300 {
            let (status, body) = self.get("/");
            let shown = body
                .split("data-build=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|g| g.parse::<u64>().ok())
                .unwrap_or(0);
            if status == 200 && shown >= generation {
                return body;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("build {generation} never ended");
    }

    /// An open event stream.
    fn events(&self) -> BufReader<TcpStream> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let request = format!("GET /events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", self.port);
        s.write_all(request.as_bytes()).expect("send");
        BufReader::new(s)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The data of the next `event: build` on the stream.
fn next_build(events: &mut BufReader<TcpStream>) -> u64 {
    let mut line = String::new();
    let mut in_build = false;
    loop {
        line.clear();
        let n = events.read_line(&mut line).expect("the event stream stays open");
        assert!(n > 0, "the event stream ended");
        if line.starts_with("event: build") {
            in_build = true;
        } else if let Some(data) = line.strip_prefix("data: ").filter(|_| in_build) {
            return data.trim().parse().expect("a generation");
        }
    }
}

/// The `src` of the page's PDF frame.
fn pdf_link(page: &str) -> String {
    page.split("<iframe")
        .nth(1)
        .and_then(|f| f.split("src=\"").nth(1))
        .and_then(|r| r.split('"').next())
        .map_or_else(|| panic!("no PDF frame in {page}"), |s| s.replace("&amp;", "&"))
}

#[test]
fn serve_follows_every_save_and_stays_up_through_errors() {
    let dir = project();
    let served = Served::start(dir.path());
    let page = served.page_after(1);
    assert!(page.contains("共召开会议三次"), "{page}");
    assert!(page.contains("没有错误或警告"), "{page}");
    let (status, pdf) = served.get(&pdf_link(&page));
    assert_eq!(status, 200);
    assert!(pdf.starts_with("%PDF-"), "the frame shows the PDF");

    // A save: the stream says which build ended, and the page shows it.
    let mut events = served.events();
    assert_eq!(next_build(&mut events), 1, "the stream starts with the build shown now");
    std::fs::write(dir.path().join("data/facts.yaml"), "n: 12\n").expect("edit");
    let generation = next_build(&mut events);
    assert!(generation >= 2);
    let page = served.page_after(generation);
    assert!(page.contains("共召开会议十二次"), "{page}");
    assert!(pdf_link(&page).contains(&format!("build={generation}")), "a new build is a new address");

    // A broken template: the errors are on the page with a link to the
    // line; the server stays up and still shows the last good PDF.
    std::fs::write(dir.path().join("templates/doc.md.tera"), "---\ntitle: 测试\n---\n\n{{ facts.m }}\n")
        .expect("break");
    let generation = next_build(&mut events);
    let page = served.page_after(generation);
    assert!(page.contains("error[T002]"), "{page}");
    assert!(page.contains("上次成功生成"), "{page}");
    let link = page
        .split("href=\"/source?")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(|q| format!("/source?{}", q.replace("&amp;", "&")))
        .unwrap_or_else(|| panic!("no source link in {page}"));
    assert!(link.starts_with("/source?file=templates%2Fdoc.md.tera&line=5#L5"), "{link}");
    let (status, source) = served.get(link.split('#').next().unwrap_or_default());
    assert_eq!(status, 200);
    assert!(source.contains("<tr id=\"L5\" class=\"hl\">"), "{source}");
    assert!(source.contains("facts.m"), "{source}");
    let (status, pdf) = served.get(&pdf_link(&page));
    assert_eq!((status, pdf.starts_with("%PDF-")), (200, true), "the last good PDF is still served");

    // Fixed again.
    std::fs::write(dir.path().join("templates/doc.md.tera"), TEMPLATE).expect("fix");
    let generation = next_build(&mut events);
    let page = served.page_after(generation);
    assert!(page.contains("共召开会议十二次") && page.contains("没有错误或警告"), "{page}");
}

#[test]
fn serve_answers_only_what_it_built() {
    let dir = project();
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.txt"), "SECRET-OUTSIDE").expect("write");
    std::fs::write(dir.path().join("notes.txt"), "SECRET-IN-PROJECT").expect("write");
    let served = Served::start(dir.path());
    let page = served.page_after(1);
    assert_eq!(served.get("/out/doc.txt").0, 200);
    assert_eq!(served.get("/source?file=data%2Ffacts.yaml").0, 200, "an input of the build");
    let secret = outside.path().join("secret.txt");
    let secret = secret.to_string_lossy();
    let refused = [
        "/out/../wengao.toml".to_string(),
        "/out/../../notes.txt".to_string(),
        "/out/%2e%2e/%2e%2e/notes.txt".to_string(),
        "/out/%2E%2E%2F%2E%2E%2Fnotes.txt".to_string(),
        "/out/..%5c..%5cnotes.txt".to_string(),
        "/out/%252e%252e/notes.txt".to_string(),
        format!("/out/{secret}"),
        format!("/out//{secret}"),
        "/out/manifest.json".to_string(),
        "/out/.wengao-cache".to_string(),
        "/notes.txt".to_string(),
        "/../notes.txt".to_string(),
        "/source?file=notes.txt".to_string(),
        "/source?file=..%2Fnotes.txt".to_string(),
        "/source?file=data%2F..%2F..%2Fnotes.txt".to_string(),
        format!("/source?file={secret}"),
        "/source?file=%2Fetc%2Fpasswd".to_string(),
        "/source?file=out%2Fpreview%2Fdoc.txt".to_string(),
    ];
    for path in &refused {
        let (status, body) = served.get(path);
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.contains("SECRET") && !body.contains("root:"), "{path}: {body}");
    }
    // A link swapped in for a file the server built, and one planted next
    // to it: both lead out, both are refused.
    #[cfg(unix)]
    {
        let preview = dir.path().join("out/preview");
        std::fs::remove_file(preview.join("doc.txt")).expect("rm");
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), preview.join("doc.txt")).expect("ln");
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), preview.join("planted.txt")).expect("ln");
        for path in ["/out/doc.txt", "/out/planted.txt"] {
            let (status, body) = served.get(path);
            assert_eq!(status, 404, "{path}: {body}");
            assert!(!body.contains("SECRET"), "{path}: {body}");
        }
    }
    // Another site's page reaching this port (DNS rebinding) is refused;
    // so is anything but reading.
    let (status, _) = served.get_with("/", "Host: attacker.example:80\r\n");
    assert_eq!(status, 403);
    let (status, _) = served.get_with("/", &format!("Host: localhost:{}\r\n", served.port));
    assert_eq!(status, 200);
    let mut s = TcpStream::connect(("127.0.0.1", served.port)).expect("connect");
    let post =
        format!("POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", served.port);
    s.write_all(post.as_bytes()).expect("send");
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    drop(page);
}

#[cfg(unix)]
#[test]
fn serve_stops_cleanly_on_sigterm() {
    let dir = project();
    let mut served = Served::start(dir.path());
    served.page_after(1);
    let mut events = served.events();
    assert_eq!(next_build(&mut events), 1);
    let killed = Command::new("kill").args(["-TERM", &served.child.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let status = served.child.wait().expect("wait");
    assert_eq!(status.code(), Some(130));
    // The rest of stdout is there, the open stream is closed, the port is free.
    let mut rest = String::new();
    let _ = served.stdout.read_to_string(&mut rest);
    let mut tail = String::new();
    assert!(events.read_to_string(&mut tail).is_ok(), "the stream ended (not timed out): {tail:?}");
    assert_eq!(tail.trim(), "", "no build after the signal");
    assert!(TcpStream::connect(("127.0.0.1", served.port)).is_err(), "nothing listens any more");
    let names: Vec<String> = std::fs::read_dir(dir.path().join("out/preview"))
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("wengao-tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let dir = project();
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let o = common::wengao(&["serve", ".", "--port", &port], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("cannot listen on 127.0.0.1:{port}")) && err.contains("--port"), "{err}");
}
