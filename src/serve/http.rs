//! A small HTTP/1.1 server for previewing: GET and HEAD from the in-memory
//! [`Store`], a reload script injected into HTML, server-sent events that
//! announce each build. One thread per connection; a preview has a handful.
//!
//! Paths are resolved against the store's keys, never the filesystem, so a
//! request cannot reach a file outside the site; `..`, encoded or not, is
//! refused before lookup anyway.
//!
//! The preview holds unpublished work, so it answers only its own names
//! ([`AllowedHosts`], against DNS rebinding), and no client can make it
//! hold unbounded memory or threads: every read is bounded in bytes and
//! time and connections are capped ([`Limits`]).

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::host::{AllowedHosts, Refused};
use super::store::{Found, Store};
use crate::theme::StaticSource;

/// What one client may cost the server, in one place. A browser stays far
/// inside every limit; a hostile or broken client is cut off at them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Bytes of a request head (request line and headers) read at most,
    /// whatever the client sends: beyond, 431 and the connection closes.
    /// Browsers send 1-2 KiB, 8 KiB with heavy cookies.
    pub max_head: usize,
    /// Header lines in a head at most (431 beyond); browsers send ~15.
    pub max_header_lines: usize,
    /// Time for a whole request head to arrive, from when the server
    /// starts waiting for it: a client that trickles a byte every few
    /// seconds ("slowloris") is cut off here (408), not kept for ever.
    pub head_timeout: Duration,
    /// How long a connection may wait with nothing of a request received
    /// (between kept-alive requests, or after connecting) before it closes.
    pub idle_timeout: Duration,
    /// How long one write may wait on a client that does not read.
    pub write_timeout: Duration,
    /// Connections open at once, event streams included: each holds a
    /// thread. Beyond, a connection gets 503 at once and is closed.
    pub max_connections: usize,
    /// Live-reload event streams open at once: each lives as long as its
    /// page (one per browser with the shared worker, one per visible page
    /// without). Fewer than `max_connections`, so that streams can never
    /// take every connection from page loads.
    pub max_event_streams: usize,
    /// After answering a client that is closed on, read and drop what it
    /// still sends for this long (at most `max_head` bytes) before closing:
    /// closing with unread input makes the kernel reset the connection,
    /// which can destroy the answer before the client reads it.
    pub linger: Duration,
}

impl Limits {
    /// The limits of `dossier serve`.
    pub(crate) const DEFAULT: Limits = Limits {
        max_head: 16 * 1024,
        max_header_lines: 100,
        head_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(5),
        write_timeout: Duration::from_secs(30),
        max_connections: 64,
        max_event_streams: 32,
        linger: Duration::from_secs(1),
    };
}

/// What the browser learns about builds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Status {
    /// Changes with every build, and between server runs.
    pub build: String,
    /// The id of the build whose pages are served (the last good one).
    pub served: String,
    /// JSON: `{"build", "ok", "summary", "errors", "warnings",
    /// "diagnostics": [{"severity", "text"}]}` (see `serve::status_json`).
    pub json: String,
}

/// State shared by every connection.
pub(crate) struct Shared {
    pub store: Store,
    /// The base path of the site (`/` or `/sub/`).
    pub base_path: Mutex<String>,
    status: Mutex<Status>,
    changed: Condvar,
    hosts: AllowedHosts,
    limits: Limits,
    /// Connections open now (counted by the accepting thread).
    connections: AtomicUsize,
    /// Event streams open now.
    streams: AtomicUsize,
}

impl Shared {
    pub(crate) fn new(base_path: String, hosts: AllowedHosts, limits: Limits) -> Arc<Shared> {
        Arc::new(Shared {
            store: Store::new(),
            base_path: Mutex::new(base_path),
            status: Mutex::new(Status::default()),
            changed: Condvar::new(),
            hosts,
            limits,
            connections: AtomicUsize::new(0),
            streams: AtomicUsize::new(0),
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

/// Takes one unit of `count` if fewer than `max` are taken; a [`Release`]
/// gives it back.
fn reserve(count: &AtomicUsize, max: usize) -> bool {
    count
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < max).then_some(n + 1)
        })
        .is_ok()
}

/// Gives back a unit taken with [`reserve`] when dropped (also on a panic).
struct Release<'a>(&'a AtomicUsize);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Accepts connections until the process ends.
pub(crate) fn run(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors, most likely: wait for some to be
            // given back rather than spin on the error.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        // Counted here, in accepting order, so the cap is exact; the
        // connection's thread gives the unit back when it ends.
        if !reserve(&shared.connections, shared.limits.max_connections) {
            busy(stream, "too many connections to the preview; try again\n");
            continue;
        }
        let worker = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("dossier-http".into())
            .spawn(move || {
                let _release = Release(&worker.connections);
                let _ = handle(stream, &worker);
            });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// A 503 from the accepting thread, which must never wait on a client:
/// the socket is non-blocking, and an answer this small fits in the empty
/// send buffer of a new connection.
fn busy(stream: TcpStream, why: &str) {
    let _ = stream.set_nonblocking(true);
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{why}",
        why.len()
    );
    let _ = (&stream).write_all(response.as_bytes());
}

const RELOAD_JS: &str = include_str!("reload.js");
const WORKER_JS: &str = include_str!("worker.js");
const EVENTS: &str = "/__dossier/events";
const TEXT: &str = "text/plain; charset=utf-8";

struct Request {
    method: String,
    target: String,
    /// HTTP/1.1 (rather than 1.0).
    http11: bool,
    /// The `Host` header, if there was one.
    host: Option<String>,
    keep_alive: bool,
}

/// The outcome of waiting for a request head.
enum Head {
    Request(Request),
    /// The client closed, reset, or stayed idle too long: close quietly.
    Gone,
    /// Answer with this status and reason, then close.
    Refuse(u16, String),
}

/// A connection's input: what has been received and not yet used (the
/// start of a pipelined next request). Never more than `max_head` bytes.
struct Input {
    stream: TcpStream,
    buf: Vec<u8>,
}

fn handle(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let limits = &shared.limits;
    stream.set_write_timeout(Some(limits.write_timeout))?;
    let mut out = stream.try_clone()?;
    let mut input = Input {
        stream,
        buf: Vec::with_capacity(1024),
    };
    loop {
        let req = match read_request(&mut input, limits) {
            Head::Request(r) => r,
            Head::Gone => return Ok(()),
            Head::Refuse(status, why) => {
                let body = format!("{}: {why}\n", status_text(status));
                respond(&mut out, status, TEXT, body.as_bytes(), false, false)?;
                return linger(&input.stream, limits);
            }
        };
        let head = req.method == "HEAD";
        match shared.hosts.check(req.host.as_deref(), req.http11) {
            Ok(()) => {}
            Err(Refused::Malformed) => {
                let body =
                    b"Bad Request: an HTTP/1.1 request needs one Host header naming a host\n";
                respond(&mut out, 400, TEXT, body, head, false)?;
                return linger(&input.stream, limits);
            }
            Err(Refused::Foreign(host)) => {
                respond(&mut out, 403, TEXT, refusal(&host).as_bytes(), head, false)?;
                return linger(&input.stream, limits);
            }
        }
        if req.method != "GET" && !head {
            respond(&mut out, 405, TEXT, b"Method Not Allowed", head, false)?;
            return linger(&input.stream, limits);
        }
        if req.target == EVENTS && !head {
            if !reserve(&shared.streams, limits.max_event_streams) {
                let body = b"too many live-reload connections; close some preview tabs\n";
                respond(&mut out, 503, TEXT, body, false, false)?;
                return linger(&input.stream, limits);
            }
            let _release = Release(&shared.streams);
            // Long-lived by design: nothing more is read, so the head
            // timeout no longer applies; the write timeout and the ping
            // notice a client that went away.
            return events(out, shared);
        }
        route(&mut out, shared, &req.target, head, req.keep_alive)?;
        if !req.keep_alive {
            return linger(&input.stream, limits);
        }
    }
}

/// The body of a 403 for a foreign Host: what was refused, why, and how to
/// allow it.
fn refusal(host: &str) -> String {
    format!(
        "dossier serve refused a request for the host `{host}` (its Host header).\n\n\
         The preview answers only localhost, *.localhost, 127.0.0.1, [::1], the address it \
         listens on, and names allowed with --allow-host, so that a web page you visit cannot \
         point its own domain name at this machine and read the preview, drafts included \
         (DNS rebinding).\n\n\
         If you opened the preview under this name yourself, add `--allow-host {host}` to the \
         `dossier serve` command.\n"
    )
}

/// Stops sending, then reads and drops what the client still sends, for at
/// most [`Limits::linger`] and `max_head` bytes, so that the answer is not
/// destroyed by the reset that closing with unread input causes.
fn linger(stream: &TcpStream, limits: &Limits) -> std::io::Result<()> {
    stream.shutdown(Shutdown::Write)?;
    let deadline = Instant::now() + limits.linger;
    let mut scratch = [0u8; 4096];
    let mut drained = 0;
    while drained < limits.max_head {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        stream.set_read_timeout(Some(left))?;
        match (&*stream).read(&mut scratch) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    Ok(())
}

/// Waits for one request head, reading at most `max_head` bytes for it and
/// giving it `head_timeout` in all (`idle_timeout` for its first byte).
fn read_request(input: &mut Input, limits: &Limits) -> Head {
    let start = Instant::now();
    let idle_deadline = start + limits.idle_timeout.min(limits.head_timeout);
    let head_deadline = start + limits.head_timeout;
    let mut chunk = [0u8; 4096];
    // Bytes of this head received so far, blank lines before it included.
    let mut received = input.buf.len();
    let mut scanned: usize = 0;
    let end = loop {
        // Blank lines before a request are allowed (RFC 9112, 2.2).
        let blank = input
            .buf
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        input.buf.drain(..blank);
        scanned = scanned.saturating_sub(blank);
        if let Some(end) = head_end(&input.buf, scanned) {
            break end;
        }
        scanned = input.buf.len();
        if received >= limits.max_head {
            let why = format!("the request head is larger than {} bytes", limits.max_head);
            return Head::Refuse(431, why);
        }
        let deadline = if input.buf.is_empty() {
            idle_deadline
        } else {
            head_deadline
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return if input.buf.is_empty() {
                Head::Gone
            } else {
                Head::Refuse(408, "the request head did not arrive in time".into())
            };
        }
        if input.stream.set_read_timeout(Some(left)).is_err() {
            return Head::Gone;
        }
        // Never more than the head may still take: memory stays bounded
        // whatever the client sends.
        let want = (limits.max_head - received).min(chunk.len());
        match input.stream.read(&mut chunk[..want]) {
            Ok(0) => return Head::Gone,
            Ok(n) => {
                input.buf.extend_from_slice(&chunk[..n]);
                received += n;
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                ) => {}
            Err(_) => return Head::Gone,
        }
    };
    let parsed = parse_head(&input.buf[..end], limits);
    input.buf.drain(..end);
    parsed
}

/// The end of a head in `buf` (just after its blank line), looking from
/// `from` on (minus what a line break split between reads needs).
fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    let from = from.saturating_sub(3);
    let mut i = from;
    while let Some(at) = buf[i..].iter().position(|&b| b == b'\n') {
        let nl = i + at;
        match &buf[nl + 1..] {
            [b'\n', ..] => return Some(nl + 2),
            [b'\r', b'\n', ..] => return Some(nl + 3),
            _ => i = nl + 1,
        }
    }
    None
}

/// A request from its head (request line, headers, blank line).
fn parse_head(head: &[u8], limits: &Limits) -> Head {
    let Ok(text) = std::str::from_utf8(head) else {
        return Head::Refuse(400, "the request head is not UTF-8".into());
    };
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .take_while(|l| !l.is_empty());
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Head::Refuse(400, "malformed request line".into());
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') || method.is_empty() {
        return Head::Refuse(400, "malformed request line".into());
    }
    let http11 = version != "HTTP/1.0";
    let mut keep_alive = http11;
    let mut host = None;
    let mut hosts = 0;
    let mut has_body = false;
    let mut count = 0;
    for line in lines {
        count += 1;
        if count > limits.max_header_lines {
            return Head::Refuse(431, "too many header lines".into());
        }
        // No space before the colon, no folded lines (RFC 9112, 5).
        let Some((name, value)) = line.split_once(':') else {
            return Head::Refuse(400, "malformed header line".into());
        };
        if name.is_empty() || name.contains([' ', '\t']) {
            return Head::Refuse(400, "malformed header line".into());
        }
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "host" => {
                hosts += 1;
                host = Some(value.to_string());
            }
            "connection" => {
                let value = value.to_ascii_lowercase();
                if value.contains("close") {
                    keep_alive = false;
                } else if value.contains("keep-alive") {
                    keep_alive = true;
                }
            }
            "content-length" => has_body |= value != "0",
            "transfer-encoding" => has_body = true,
            _ => {}
        }
    }
    if hosts > 1 {
        return Head::Refuse(400, "more than one Host header".into());
    }
    Head::Request(Request {
        method: method.to_string(),
        target: target.to_string(),
        http11,
        host,
        // GET and HEAD carry no body: rather than read one, answer and
        // close (its bytes are dropped by `linger`).
        keep_alive: keep_alive && !has_body,
    })
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
                shared.store.viewed(rel);
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
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

/// The content type of a file, by extension. Feeds go by name: every feed
/// the build writes is a `feed.xml`, announced by the pages as
/// `application/atom+xml`, and served as that so that feed readers pointed
/// at the preview take it for what it is; other XML (the sitemap) is not
/// Atom.
pub(crate) fn content_type(path: &str) -> &'static str {
    if path.rsplit('/').next() == Some(crate::paths::FEED) {
        return "application/atom+xml; charset=utf-8";
    }
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
    use std::net::SocketAddr;

    /// A server with these limits and an empty site, on a free port.
    fn start(limits: Limits) -> (SocketAddr, Arc<Shared>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let hosts = AllowedHosts::new(addr.ip(), "127.0.0.1", &[]).unwrap();
        let shared = Shared::new("/".into(), hosts, limits);
        let server = Arc::clone(&shared);
        std::thread::spawn(move || run(listener, server));
        (addr, shared)
    }

    fn connect(addr: SocketAddr) -> TcpStream {
        let s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s
    }

    /// Everything the server sends until it closes (or 10 s pass).
    fn read_all(s: &mut TcpStream) -> String {
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    }

    /// The start of the server's answer (at least its status line).
    fn read_some(s: &mut TcpStream) -> String {
        let mut buf = [0u8; 4096];
        let n = s.read(&mut buf).unwrap_or(0);
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    const GET: &[u8] = b"GET /__dossier/status HTTP/1.1\r\nHost: localhost\r\n\r\n";

    #[test]
    fn a_head_that_trickles_in_is_cut_off_at_the_head_timeout() {
        let (addr, _) = start(Limits {
            head_timeout: Duration::from_millis(800),
            idle_timeout: Duration::from_millis(400),
            ..Limits::DEFAULT
        });
        let mut s = connect(addr);
        let started = Instant::now();
        // A byte every 100 ms: each read is quick, the head never ends.
        let writer = s.try_clone().unwrap();
        std::thread::spawn(move || {
            for b in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                .iter()
                .cycle()
            {
                if (&writer).write_all(&[*b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let answer = read_all(&mut s);
        let took = started.elapsed();
        assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
        assert!(took < Duration::from_secs(3), "cut off after {took:?}");
    }

    #[test]
    fn an_idle_connection_is_closed_after_the_idle_timeout() {
        let (addr, _) = start(Limits {
            idle_timeout: Duration::from_millis(300),
            ..Limits::DEFAULT
        });
        // Kept alive after a request, then nothing: closed.
        let mut s = connect(addr);
        s.write_all(GET).unwrap();
        let started = Instant::now();
        let answer = read_all(&mut s);
        assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(3));
        // Connected and never a byte sent: closed too, without an answer.
        let mut s = connect(addr);
        let started = Instant::now();
        assert_eq!(read_all(&mut s), "");
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn connections_beyond_the_cap_get_503_and_service_resumes() {
        let (addr, shared) = start(Limits {
            max_connections: 4,
            ..Limits::DEFAULT
        });
        let idle: Vec<TcpStream> = (0..4).map(|_| connect(addr)).collect();
        let mut extra = connect(addr);
        let answer = read_all(&mut extra);
        assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
        assert!(answer.contains("too many connections"), "{answer}");
        drop(idle);
        // Their threads notice the close and give their places back.
        let deadline = Instant::now() + Duration::from_secs(5);
        while shared.connections.load(Ordering::Acquire) > 0 {
            assert!(Instant::now() < deadline, "connections not released");
            std::thread::sleep(Duration::from_millis(10));
        }
        let mut s = connect(addr);
        s.write_all(GET).unwrap();
        assert!(read_some(&mut s).starts_with("HTTP/1.1 200 "));
    }

    #[test]
    fn event_streams_outlive_the_head_timeout_and_have_their_own_cap() {
        let (addr, shared) = start(Limits {
            head_timeout: Duration::from_millis(300),
            idle_timeout: Duration::from_millis(300),
            max_event_streams: 2,
            ..Limits::DEFAULT
        });
        let request = b"GET /__dossier/events HTTP/1.1\r\nHost: localhost\r\n\r\n";
        let mut streams: Vec<TcpStream> = (0..2)
            .map(|_| {
                let mut s = connect(addr);
                s.write_all(request).unwrap();
                assert!(read_some(&mut s).contains("text/event-stream"));
                s
            })
            .collect();
        let mut third = connect(addr);
        third.write_all(request).unwrap();
        let answer = read_all(&mut third);
        assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
        // Pages still load while the streams are open.
        let mut page = connect(addr);
        page.write_all(GET).unwrap();
        assert!(read_some(&mut page).starts_with("HTTP/1.1 200 "));
        // Well past the head timeout, the streams still get each build.
        std::thread::sleep(Duration::from_millis(900));
        shared.publish(Status {
            build: "2".into(),
            served: "2".into(),
            json: "{}".into(),
        });
        for s in &mut streams {
            let mut seen = String::new();
            while !seen.contains("event: build") {
                let got = read_some(s);
                assert!(!got.is_empty(), "the stream closed: {seen}");
                seen.push_str(&got);
            }
        }
    }

    #[test]
    fn head_ends_are_found_across_reads_and_line_endings() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\n", 0), Some(18));
        assert_eq!(head_end(b"GET / HTTP/1.1\n\nrest", 0), Some(16));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n", 0), None);
        // The blank line split between two reads is still found.
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\n", 22), Some(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\n", 23), Some(24));
    }

    #[test]
    fn feeds_are_atom_and_other_xml_is_xml() {
        assert_eq!(
            content_type("feed.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("actors/x/feed.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("notfeed.xml"), "application/xml");
    }

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
