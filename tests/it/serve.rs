//! `dossier serve` as an author uses it: pages served from memory with the
//! reload script, rebuilt on save, the last good site kept on errors, the
//! overlay's status, and requests that try to leave the site refused.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use dossier::{ServeEvent as Event, ServeOptions};

use crate::harness::Fixture;

/// A running server on a free port; `events` gets one line per build.
struct Server {
    /// `127.0.0.1:port`
    addr: String,
    events: Receiver<String>,
}

fn start(site: &Fixture) -> Server {
    let (tx, rx) = channel();
    let opts = ServeOptions {
        root: site.root().to_path_buf(),
        bind: "127.0.0.1".into(),
        port: 0,
        drafts: false,
        poll: false,
        allow_hosts: Vec::new(),
    };
    std::thread::spawn(move || {
        let _ = dossier::serve(&opts, |e| {
            let line = match e {
                Event::Started { url, .. } => format!("started {url}"),
                Event::Built { report, .. } => match &report.result {
                    Ok(b) => format!("built {}", b.rendered),
                    Err(_) => "failed".to_string(),
                },
            };
            let _ = tx.send(line);
        });
    });
    let mut addr = String::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(line) if line.starts_with("started ") => {
                let url = line.trim_start_matches("started http://");
                addr = url.split('/').next().unwrap_or("").to_string();
                break;
            }
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    assert!(!addr.is_empty(), "the server did not start");
    Server { addr, events: rx }
}

/// (status, headers, body) of a raw request line `target`.
fn get(addr: &str, target: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// Polls `target` until its body contains `needle` (or gives up after 10 s).
fn wait_for(addr: &str, target: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, _, body) = get(addr, target);
        if body.contains(needle) || Instant::now() > deadline {
            return body;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// (status, headers, body) of a raw request, written as given.
fn request(addr: &str, raw: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// A GET of `target` with the Host header `host`.
fn get_host(addr: &str, target: &str, host: &str) -> (u16, String, String) {
    request(
        addr,
        &format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

fn status_json(addr: &str) -> String {
    get(addr, "/__dossier/status").2
}

fn wait_status(addr: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let s = status_json(addr);
        if s.contains(needle) || Instant::now() > deadline {
            return s;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn site() -> Fixture {
    Fixture::new()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/sub/\"\n",
        )
        .actor(
            "tokayev",
            "name: Kassym-Jomart Tokayev\nkind: person\naliases: [Tokayev]\n",
        )
        .analysis(
            "a",
            "title: First\ndate: 2022-01-01\nactors: [tokayev]",
            "Tokayev spoke.\n",
        )
}

/// An editor's save: write a temporary file, then rename it over the target.
fn save(root: &Path, rel: &str, text: &str) {
    let target = root.join(rel);
    let tmp = target.with_file_name(".~save.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &target).unwrap();
}

#[test]
fn serves_pages_with_the_reload_script_under_the_base_path() {
    let s = site();
    let srv = start(&s);
    let (status, head, body) = get(&srv.addr, "/sub/analyses/a/");
    assert_eq!(status, 200, "{head}");
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(head.contains("Cache-Control: no-store"), "{head}");
    assert!(
        body.contains("<script src=\"/__dossier/reload.js\""),
        "{body}"
    );
    assert!(body.contains("href=\"/sub/actors/tokayev/\""), "{body}");
    let (status, head, _) = get(&srv.addr, "/sub/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"), "{head}");
    let (status, head, js) = get(&srv.addr, "/__dossier/reload.js");
    assert_eq!(status, 200);
    assert!(
        head.contains("text/javascript") && js.contains("EventSource"),
        "{head}"
    );
    // Outside the base path: the root redirects, anything else is the 404 page.
    let (status, head, _) = get(&srv.addr, "/");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /sub/"), "{head}");
    let (status, _, body) = get(&srv.addr, "/sub/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "{body}");
    // A folder without its slash redirects, as static hosts do.
    let (status, head, _) = get(&srv.addr, "/sub/actors/tokayev");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /sub/actors/tokayev/"), "{head}");
    // `dossier build` output never carries the script.
    let b = s.build().ok();
    assert!(!b.page("analyses/a/").html.contains("__dossier"));
}

#[test]
fn requests_cannot_read_outside_the_site() {
    let s = site().file("secret.txt", "TOP SECRET");
    let srv = start(&s);
    for target in [
        "/sub/../secret.txt",
        "/sub/%2e%2e/secret.txt",
        "/sub/%2E%2E/%2e%2e/etc/passwd",
        "/sub/..%2fsecret.txt",
        "/sub/..\\secret.txt",
        "//etc/passwd",
        "/sub//etc/passwd",
        "/sub/%00",
        "/../../../../etc/passwd",
        "/sub/analyses/../../site.toml",
    ] {
        let (status, _, body) = get(&srv.addr, target);
        assert!(status == 404 || status == 400, "{target}: {status}");
        assert!(
            !body.contains("TOP SECRET") && !body.contains("root:"),
            "{target} leaked: {body}"
        );
    }
}

#[test]
fn an_edit_is_served_and_a_broken_file_keeps_the_last_good_site() {
    let s = site();
    let srv = start(&s);
    save(
        s.root(),
        "content/analyses/a.md",
        "---\ntitle: First, edited\ndate: 2022-01-01\nactors: [tokayev]\n---\nTokayev spoke again.\n",
    );
    let body = wait_for(&srv.addr, "/sub/analyses/a/", "spoke again");
    assert!(body.contains("spoke again"), "{body}");

    // Break a fact sheet: the status says why, the site stays as it was.
    save(
        s.root(),
        "content/actors/tokayev.yaml",
        "name: Tokayev\nkind: persn\n",
    );
    let status = wait_status(&srv.addr, "\"ok\":false");
    assert!(
        status.contains("unknown actor kind `persn`")
            && status.contains("content/actors/tokayev.yaml:2:7"),
        "{status}"
    );
    let (code, _, body) = get(&srv.addr, "/sub/actors/tokayev/");
    assert_eq!(code, 200);
    assert!(
        body.contains("Kassym-Jomart Tokayev"),
        "the last good page must stay: {body}"
    );

    // Fix it: the overlay's status clears and the change shows.
    save(
        s.root(),
        "content/actors/tokayev.yaml",
        "name: President Tokayev\nkind: person\naliases: [Tokayev]\n",
    );
    let status = wait_status(&srv.addr, "\"ok\":true");
    assert!(status.contains("\"ok\":true"), "{status}");
    let body = wait_for(&srv.addr, "/sub/analyses/a/", "President Tokayev");
    assert!(body.contains("President Tokayev"), "{body}");
}

#[test]
fn deleted_and_renamed_files_take_their_pages_with_them() {
    let s = site().analysis("b", "title: Second\ndate: 2022-01-02", "Text.\n");
    let srv = start(&s);
    assert_eq!(get(&srv.addr, "/sub/analyses/b/").0, 200);
    std::fs::rename(
        s.root().join("content/analyses/b.md"),
        s.root().join("content/analyses/c.md"),
    )
    .unwrap();
    wait_for(&srv.addr, "/sub/analyses/c/", "Second");
    assert_eq!(get(&srv.addr, "/sub/analyses/c/").0, 200);
    assert_eq!(get(&srv.addr, "/sub/analyses/b/").0, 404);
    // Deleting an actor that an analysis names is an error, reported.
    std::fs::remove_file(s.root().join("content/actors/tokayev.yaml")).unwrap();
    let status = wait_status(&srv.addr, "\"ok\":false");
    assert!(status.contains("unknown actor id `tokayev`"), "{status}");
}

#[test]
fn an_editor_save_gives_one_rebuild() {
    let s = site();
    let srv = start(&s);
    while srv.events.recv_timeout(Duration::from_millis(300)).is_ok() {}
    // Write a temp file, write it again, rename it over the target: one save.
    let target = s.root().join("content/analyses/a.md");
    let tmp = s.root().join("content/analyses/.a.md.swp");
    std::fs::write(&tmp, "partial").unwrap();
    std::fs::write(
        &tmp,
        "---\ntitle: Saved\ndate: 2022-01-01\n---\nSaved once.\n",
    )
    .unwrap();
    std::fs::rename(&tmp, &target).unwrap();
    let first = srv
        .events
        .recv_timeout(Duration::from_secs(10))
        .expect("a rebuild");
    assert!(first.starts_with("built"), "{first}");
    assert!(
        srv.events.recv_timeout(Duration::from_millis(500)).is_err(),
        "more than one rebuild for one save"
    );
    assert!(get(&srv.addr, "/sub/analyses/a/").2.contains("Saved once."));
}

#[test]
fn live_reload_events_announce_each_build() {
    let s = site();
    let srv = start(&s);
    let mut stream = TcpStream::connect(&srv.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /__dossier/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    let read_until = |stream: &mut TcpStream, seen: &mut String, buf: &mut [u8], count: usize| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while seen.matches("event: build").count() < count && Instant::now() < deadline {
            match stream.read(buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            }
        }
    };
    read_until(&mut stream, &mut seen, &mut buf, 1);
    assert!(
        seen.contains("text/event-stream") && seen.contains("\"ok\":true"),
        "{seen}"
    );
    save(
        s.root(),
        "content/analyses/a.md",
        "---\ntitle: Again\ndate: 2022-01-01\n---\nAgain.\n",
    );
    read_until(&mut stream, &mut seen, &mut buf, 2);
    assert_eq!(seen.matches("event: build").count(), 2, "{seen}");
}

#[test]
fn a_header_line_without_an_end_is_cut_off_at_16_kib() {
    let srv = start(&site());
    let port = srv.addr.rsplit(':').next().unwrap();
    let mut s = TcpStream::connect(&srv.addr).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET /sub/ HTTP/1.1\r\nHost: localhost:{port}\r\nX-Long: "
    )
    .unwrap();
    // 64 MB without a newline. Kernel buffers hold a few MB at most, so a
    // server that stops reading at 16 KiB and closes makes this write fail
    // long before the end; one that buffers the line reads it all.
    let chunk = vec![b'a'; 64 * 1024];
    let total = 64 << 20;
    let mut sent = 0;
    let mut error = None;
    while sent < total {
        match s.write(&chunk) {
            Ok(n) => sent += n,
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    assert!(
        sent < total,
        "the server read all {sent} bytes of one header"
    );
    let kind = error.map(|e| e.kind());
    assert!(
        matches!(
            kind,
            Some(
                std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
            )
        ),
        "the server must close the connection, not stall it: {kind:?} after {sent} bytes"
    );
    // The answer may be lost to the reset; when it arrives, it is a 431.
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    assert!(
        buf.is_empty() || text.starts_with("HTTP/1.1 431 "),
        "{text}"
    );
    // Other clients are still served.
    assert_eq!(get(&srv.addr, "/sub/analyses/a/").0, 200);
}

#[test]
fn too_many_header_lines_get_431() {
    let srv = start(&site());
    let mut raw = format!("GET /sub/ HTTP/1.1\r\nHost: {}\r\n", srv.addr);
    for i in 0..500 {
        raw.push_str(&format!("X-{i}: y\r\n"));
    }
    raw.push_str("Connection: close\r\n\r\n");
    let (status, head, body) = request(&srv.addr, &raw);
    assert_eq!(status, 431, "{head}");
    assert!(body.contains("too many header lines"), "{body}");
    assert_eq!(get(&srv.addr, "/sub/analyses/a/").0, 200);
}

#[test]
fn a_foreign_host_is_refused_with_a_hint() {
    // DNS rebinding: a page on evil.example re-points its name at 127.0.0.1
    // and reads the preview, drafts included, unless the Host is checked.
    let srv = start(&site());
    let port = srv.addr.rsplit(':').next().unwrap();
    for target in ["/sub/analyses/a/", "/__dossier/status", "/__dossier/events"] {
        let (status, head, body) = get_host(&srv.addr, target, &format!("evil.example:{port}"));
        assert_eq!(status, 403, "{target}: {head}");
        assert!(
            body.contains("`evil.example`") && body.contains("--allow-host evil.example"),
            "{target}: {body}"
        );
        assert!(!body.contains("Tokayev"), "{body}");
    }
    // No Host at all on HTTP/1.1: a malformed request.
    let (status, head, _) = request(&srv.addr, "GET /sub/ HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 400, "{head}");
    // The names of this machine are answered, with or without a port.
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".to_string(),
        format!("LocalHost:{port}"),
        format!("preview.localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, head, _) = get_host(&srv.addr, "/sub/analyses/a/", &host);
        assert_eq!(status, 200, "{host}: {head}");
    }
    // Names that only look local are not.
    for host in [
        "localhost.evil.example",
        "127.0.0.1.nip.io",
        "evillocalhost",
    ] {
        let (status, _, _) = get_host(&srv.addr, "/sub/analyses/a/", host);
        assert_eq!(status, 403, "{host}");
    }
}

#[test]
fn feeds_are_served_as_atom_and_the_sitemap_as_xml() {
    let srv = start(&site());
    for feed in ["/sub/feed.xml", "/sub/actors/tokayev/feed.xml"] {
        let (status, head, body) = get(&srv.addr, feed);
        assert_eq!(status, 200, "{feed}: {head}");
        assert!(
            head.contains("Content-Type: application/atom+xml; charset=utf-8"),
            "{feed}: {head}"
        );
        assert!(body.contains("<feed"), "{body}");
    }
    let (status, head, _) = get(&srv.addr, "/sub/sitemap.xml");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("Content-Type: application/xml\r"), "{head}");
}

#[test]
fn warnings_reach_the_overlay_status_of_a_good_build() {
    let s = site().actor("lonely", "name: Lonely\nkind: person\n");
    let srv = start(&s);
    let status = status_json(&srv.addr);
    let json: serde_json::Value = serde_json::from_str(&status).expect(&status);
    assert_eq!(json["ok"], true, "{status}");
    assert_eq!(json["warnings"], 1, "{status}");
    assert_eq!(json["errors"], 0, "{status}");
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{status}");
    assert_eq!(diagnostics[0]["severity"], "warning");
    assert!(
        diagnostics[0]["text"]
            .as_str()
            .unwrap()
            .contains("nothing refers to the actor `lonely`"),
        "{status}"
    );
    // A failed build lists its errors before its warnings.
    save(
        s.root(),
        "content/actors/tokayev.yaml",
        "name: Tokayev\nkind: persn\n",
    );
    let status = wait_status(&srv.addr, "\"ok\":false");
    let json: serde_json::Value = serde_json::from_str(&status).expect(&status);
    assert_eq!(json["diagnostics"][0]["severity"], "error", "{status}");
}

/// `dossier serve` run as a user runs it, its stdout and stderr in one file
/// in the order they were written; killed when dropped.
struct Cli {
    child: std::process::Child,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Cli {
    fn start(site: &Fixture, args: &[&str]) -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("out.txt");
        let file = std::fs::File::create(&log).unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .expect("start dossier serve");
        let cli = Cli {
            child,
            log,
            _dir: dir,
        };
        cli.wait_for("Serving at ");
        cli
    }

    fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the output contains `needle`, and returns the output.
    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = self.output();
            if out.contains(needle) {
                return out;
            }
            assert!(Instant::now() < deadline, "no `{needle}` in:\n{out}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `host:port` from the "Serving at" line.
    fn addr(&self) -> String {
        let out = self.output();
        let url = out.split("Serving at http://").nth(1).expect("Serving at");
        url.split('/').next().unwrap().to_string()
    }
}

impl Drop for Cli {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_terminal_shows_each_build_line_then_its_new_diagnostics_once() {
    let lonely = "nothing refers to the actor `lonely`";
    let s = site().actor("lonely", "name: Lonely\nkind: person\n");
    let cli = Cli::start(&s, &[]);
    let out = cli.output();
    let line = out.find("Initial build:").expect(&out);
    let warning = out.find(lonely).expect(&out);
    assert!(line < warning, "the build line comes first:\n{out}");

    // Break a fact sheet, then fix it: the error shows once, after its
    // line; the warning of the good build before it is not shown again.
    save(
        s.root(),
        "content/actors/tokayev.yaml",
        "name: Tokayev\nkind: persn\n",
    );
    cli.wait_for("unknown actor kind `persn`");
    save(
        s.root(),
        "content/actors/tokayev.yaml",
        "name: Kassym-Jomart Tokayev\nkind: person\naliases: [Tokayev]\n",
    );
    let out = cli.wait_for("tokayev.yaml changed: re-rendered");
    // A new warning comes after the line of the build that found it.
    save(
        s.root(),
        "content/actors/other.yaml",
        "name: Other\nkind: person\n",
    );
    let out_after = cli.wait_for("nothing refers to the actor `other`");
    let line = out_after.find("other.yaml changed:").expect(&out_after);
    let warning = out_after
        .find("nothing refers to the actor `other`")
        .expect(&out_after);
    assert!(line < warning, "the build line comes first:\n{out_after}");
    let failed = out.find("build failed").expect(&out);
    let error = out.find("unknown actor kind `persn`").expect(&out);
    assert!(failed < error, "the build line comes first:\n{out}");
    assert_eq!(out_after.matches(lonely).count(), 1, "{out_after}");
    assert_eq!(
        out_after.matches("unknown actor kind `persn`").count(),
        1,
        "{out_after}"
    );
}

#[test]
fn allow_host_lets_a_name_through() {
    let s = site();
    let cli = Cli::start(&s, &["--allow-host", "preview.lan"]);
    let addr = cli.addr();
    let port = addr.rsplit(':').next().unwrap();
    let (status, head, _) = get_host(&addr, "/sub/analyses/a/", &format!("preview.lan:{port}"));
    assert_eq!(status, 200, "{head}");
    let (status, _, body) = get_host(&addr, "/sub/analyses/a/", &format!("other.lan:{port}"));
    assert_eq!(status, 403, "{body}");
}

/// A template edit at 300 analyses re-renders 300 pages. The one the
/// reader is on comes first; every other one is held back until it is
/// rendered, never served as it was; and an edit that comes while they
/// render is the one that shows everywhere.
#[test]
fn a_template_edit_shows_the_page_being_read_first_and_never_an_old_page() {
    const N: usize = 300;
    let builtin = dossier::testing::BUILTIN_THEME
        .iter()
        .find(|(p, _)| *p == "templates/analysis.html")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("the built-in theme has analysis.html");
    assert!(builtin.contains("<article class=\"analysis\">"));
    let edited = |mark: &str| {
        builtin.replacen(
            "<article class=\"analysis\">",
            &format!("<article class=\"analysis\" data-edit=\"{mark}\">"),
            1,
        )
    };
    let mut s = site().file("themes/default/templates/analysis.html", &builtin);
    for i in 0..N {
        s = s.analysis(
            &format!("x{i}"),
            &format!("title: Analysis {i}\ndate: 2022-01-01"),
            "Text.\n",
        );
    }
    let srv = start(&s);
    let page = |i: usize| get(&srv.addr, &format!("/sub/analyses/x{i}/")).2;
    assert!(page(7).contains("Analysis 7"));

    save(
        s.root(),
        "themes/default/templates/analysis.html",
        &edited("one"),
    );
    let body = wait_for(&srv.addr, "/sub/analyses/x7/", "data-edit=\"one\"");
    assert!(body.contains("data-edit=\"one\""), "{body}");
    for i in [0, N / 2, N - 1] {
        assert!(page(i).contains("data-edit=\"one\""), "x{i} was served old");
    }

    // A second edit, and a third while the second's pages render.
    save(
        s.root(),
        "themes/default/templates/analysis.html",
        &edited("two"),
    );
    wait_for(&srv.addr, "/sub/analyses/x7/", "data-edit=\"two\"");
    save(
        s.root(),
        "themes/default/templates/analysis.html",
        &edited("three"),
    );
    wait_for(&srv.addr, "/sub/analyses/x7/", "data-edit=\"three\"");
    for i in 0..N {
        let body = page(i);
        assert!(body.contains("data-edit=\"three\""), "x{i}: {body}");
    }
}
