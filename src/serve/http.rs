//! A small HTTP/1.1 server for previewing: GET and HEAD from the in-memory
//! [`Store`], a reload script injected into HTML, server-sent events that
//! announce each build. One thread per connection; a preview has a handful.
//!
//! Paths are resolved against the store's keys, never the filesystem, so a
//! request cannot reach a file outside the site; `..`, encoded or not, is
//! refused before lookup anyway.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::store::{Found, Store};
use crate::theme::StaticSource;

/// What the browser learns about builds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Status {
    /// Changes with every build, and between server runs.
    pub build: String,
    /// The id of the build whose pages are served (the last good one).
    pub served: String,
    /// JSON: `{"build": …, "ok": …, "diagnostics": [...]}`.
    pub json: String,
}

/// State shared by every connection.
pub(crate) struct Shared {
    pub store: Store,
    /// The base path of the site (`/` or `/sub/`).
    pub base_path: Mutex<String>,
    status: Mutex<Status>,
    changed: Condvar,
}

impl Shared {
    pub(crate) fn new(base_path: String) -> Arc<Shared> {
        Arc::new(Shared {
            store: Store::new(),
            base_path: Mutex::new(base_path),
            status: Mutex::new(Status::default()),
            changed: Condvar::new(),
        })
    }

    /// Announces a build to every open page.
    pub(crate) fn publish(&self, status: Status) {
        *self.status.lock().unwrap_or_else(|e| e.into_inner()) = status;
        self.changed.notify_all();
    }

    pub(crate) fn status(&self) -> Status {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Accepts connections until the process ends.
pub(crate) fn run(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            let _ = handle(stream, &shared);
        });
    }
}

const RELOAD_JS: &str = include_str!("reload.js");
const WORKER_JS: &str = include_str!("worker.js");
const MAX_HEAD: usize = 16 * 1024;

struct Request {
    method: String,
    target: String,
    keep_alive: bool,
}

fn handle(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let req = match read_request(&mut reader)? {
            Some(Ok(r)) => r,
            Some(Err(status)) => {
                respond(
                    &mut out,
                    status,
                    "text/plain; charset=utf-8",
                    status_text(status).as_bytes(),
                    false,
                    false,
                )?;
                return Ok(());
            }
            None => return Ok(()),
        };
        let head = req.method == "HEAD";
        if req.method != "GET" && !head {
            respond(
                &mut out,
                405,
                "text/plain; charset=utf-8",
                b"Method Not Allowed",
                head,
                req.keep_alive,
            )?;
        } else if req.target == "/__dossier/events" {
            return events(out, shared);
        } else {
            route(&mut out, shared, &req.target, head, req.keep_alive)?;
        }
        if !req.keep_alive {
            return Ok(());
        }
    }
}

/// Reads one request head. `None` at end of stream; `Some(Err(status))` for a
/// request to refuse.
fn read_request(
    reader: &mut BufReader<TcpStream>,
) -> std::io::Result<Option<Result<Request, u16>>> {
    let mut lines = Vec::new();
    let mut size = 0;
    loop {
        let mut line = String::new();
        let n = match reader.read_line(&mut line) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => return Ok(Some(Err(400))),
            Err(_) => return Ok(None),
        };
        if n == 0 {
            return Ok(None);
        }
        size += n;
        if size > MAX_HEAD {
            return Ok(Some(Err(431)));
        }
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            if lines.is_empty() {
                continue; // tolerate stray blank lines between requests
            }
            break;
        }
        lines.push(line);
    }
    let mut parts = lines[0].split(' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(Some(Err(400)));
    };
    let mut keep_alive = version == "HTTP/1.1";
    let mut body = 0usize;
    for h in &lines[1..] {
        let Some((name, value)) = h.split_once(':') else {
            continue;
        };
        let (name, value) = (
            name.trim().to_ascii_lowercase(),
            value.trim().to_ascii_lowercase(),
        );
        match name.as_str() {
            "connection" if value.contains("close") => keep_alive = false,
            "connection" if value.contains("keep-alive") => keep_alive = true,
            "content-length" => body = value.parse().unwrap_or(0),
            _ => {}
        }
    }
    if body > 0 {
        // GET and HEAD carry no body; read and drop one if sent.
        let mut sink = vec![0u8; body.min(1 << 20)];
        reader.read_exact(&mut sink)?;
    }
    Ok(Some(Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        keep_alive,
    })))
}

fn route(
    out: &mut TcpStream,
    shared: &Shared,
    target: &str,
    head: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == "/__dossier/reload.js" {
        return respond(
            out,
            200,
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes(),
            head,
            keep_alive,
        );
    }
    if path == "/__dossier/worker.js" {
        return respond(
            out,
            200,
            "text/javascript; charset=utf-8",
            WORKER_JS.as_bytes(),
            head,
            keep_alive,
        );
    }
    if path == "/__dossier/status" {
        let json = shared.status().json;
        return respond(
            out,
            200,
            "application/json",
            json.as_bytes(),
            head,
            keep_alive,
        );
    }
    let base = shared
        .base_path
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let Some(decoded) = percent_decode(path) else {
        return respond(
            out,
            400,
            "text/plain; charset=utf-8",
            b"Bad Request",
            head,
            keep_alive,
        );
    };
    let Some(rel) = site_path(&decoded, &base) else {
        if decoded == "/" || decoded == base.trim_end_matches('/') {
            return redirect(out, &base, head, keep_alive);
        }
        return not_found(out, shared, head, keep_alive);
    };
    if rel.is_empty() || rel.ends_with('/') {
        return serve_file(out, shared, &format!("{rel}index.html"), head, keep_alive);
    }
    if shared.store.get(&rel).is_none() && shared.store.get(&format!("{rel}/index.html")).is_some()
    {
        // `/actors/x` → `/actors/x/`, as static hosts do.
        return redirect(out, &format!("{base}{rel}/"), head, keep_alive);
    }
    serve_file(out, shared, &rel, head, keep_alive)
}

/// The path of a request relative to the site, or None when it is outside
/// the base path or tries to climb out of it.
pub(crate) fn site_path(decoded: &str, base: &str) -> Option<String> {
    let rel = decoded.strip_prefix(base)?;
    if rel.contains(['\\', '\0']) {
        return None;
    }
    let mut out = Vec::new();
    let segments: Vec<&str> = rel.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." | ".." => return None,
            "" if i + 1 < segments.len() => return None, // `//` inside the path
            s => out.push(s),
        }
    }
    Some(out.join("/"))
}

/// `%xx` decoding; None for malformed escapes or a result that is not UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn serve_file(
    out: &mut TcpStream,
    shared: &Shared,
    rel: &str,
    head: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    match shared.store.get(rel) {
        Some(Found::Page(bytes)) => {
            let ty = content_type(rel);
            if ty.starts_with("text/html") {
                let html = inject(&bytes, &shared.status().served);
                respond(out, 200, ty, &html, head, keep_alive)
            } else {
                respond(out, 200, ty, &bytes, head, keep_alive)
            }
        }
        Some(Found::Static(source)) => {
            let bytes = match source {
                StaticSource::Builtin(b) => b.to_vec(),
                StaticSource::File(p) => match std::fs::read(&p) {
                    Ok(b) => b,
                    Err(_) => return not_found(out, shared, head, keep_alive),
                },
            };
            let ty = content_type(rel);
            if ty.starts_with("text/html") {
                respond(
                    out,
                    200,
                    ty,
                    &inject(&bytes, &shared.status().served),
                    head,
                    keep_alive,
                )
            } else {
                respond(out, 200, ty, &bytes, head, keep_alive)
            }
        }
        None => not_found(out, shared, head, keep_alive),
    }
}

/// The theme's 404 page, with status 404.
fn not_found(
    out: &mut TcpStream,
    shared: &Shared,
    head: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let body = match shared.store.get("404.html") {
        Some(Found::Page(b)) => inject(&b, &shared.status().served),
        _ => b"Not Found".to_vec(),
    };
    respond(
        out,
        404,
        "text/html; charset=utf-8",
        &body,
        head,
        keep_alive,
    )
}

fn redirect(
    out: &mut TcpStream,
    location: &str,
    head: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let body = format!("Moved to {location}");
    let extra = format!("Location: {location}\r\n");
    write_response(
        out,
        301,
        "text/plain; charset=utf-8",
        body.as_bytes(),
        &extra,
        head,
        keep_alive,
    )
}

/// Adds the reload script before `</body>` (or at the end).
fn inject(html: &[u8], build: &str) -> Vec<u8> {
    let tag = format!("<script src=\"/__dossier/reload.js\" data-build=\"{build}\"></script>");
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

fn respond(
    out: &mut TcpStream,
    status: u16,
    ty: &str,
    body: &[u8],
    head: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    write_response(out, status, ty, body, "", head, keep_alive)
}

fn write_response(
    out: &mut TcpStream,
    status: u16,
    ty: &str,
    body: &[u8],
    extra_headers: &str,
    head: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let connection = if keep_alive { "keep-alive" } else { "close" };
    let header = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {ty}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n{extra_headers}Connection: {connection}\r\n\r\n",
        status_text(status),
        body.len()
    );
    out.write_all(header.as_bytes())?;
    if !head {
        out.write_all(body)?;
    }
    out.flush()
}

/// Server-sent events: the current status at once, then one event per build,
/// and a comment every 15 s so that dead connections are noticed.
fn events(mut out: TcpStream, shared: &Shared) -> std::io::Result<()> {
    // `retry`: reconnect half a second after the server went away (a restart).
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n",
    )?;
    let mut last = String::new();
    loop {
        let status = {
            let guard = shared.status.lock().unwrap_or_else(|e| e.into_inner());
            let (guard, _) = shared
                .changed
                .wait_timeout_while(guard, Duration::from_secs(15), |s| s.build == last)
                .unwrap_or_else(|e| e.into_inner());
            guard.clone()
        };
        if status.build == last {
            out.write_all(b": ping\n\n")?;
        } else {
            last = status.build.clone();
            out.write_all(format!("event: build\ndata: {}\n\n", status.json).as_bytes())?;
        }
        out.flush()?;
    }
}

fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    }
}

/// The content type of a file, by extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "csv" => "text/csv; charset=utf-8",
        "bib" => "application/x-bibtex; charset=utf-8",
        "ris" => "application/x-research-info-systems; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_cannot_climb_out() {
        assert_eq!(site_path("/a/b/", "/").as_deref(), Some("a/b/"));
        assert_eq!(site_path("/sub/a/", "/sub/").as_deref(), Some("a/"));
        assert_eq!(site_path("/other/", "/sub/"), None);
        assert_eq!(site_path("/../etc/passwd", "/"), None);
        assert_eq!(site_path("/a/../../etc/passwd", "/"), None);
        assert_eq!(site_path("//etc/passwd", "/"), None);
        assert_eq!(site_path("/a\\..\\b", "/"), None);
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(site_path(&percent_decode("/%2e%2e/x").unwrap(), "/"), None);
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%ff"), None);
    }

    #[test]
    fn injects_before_closing_body() {
        let out = inject(b"<html><body>x</body></html>", "7");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body>x<script src=\"/__dossier/reload.js\" data-build=\"7\"></script></body></html>"
        );
    }
}
