//! `dossier serve`: build the site into its page store (a spool file, see
//! `store.rs`), serve it over HTTP, watch the inputs, rebuild what changed,
//! and tell every open page to reload.
//!
//! The same pipeline as `dossier build` runs each time, with [`Caches`]
//! kept between runs, so a rebuild re-reads only changed files and
//! re-renders only pages whose inputs changed; the result is the same as a
//! full build (`tests/it/incremental.rs` checks it). A failed rebuild leaves
//! the last good site served and shows the diagnostics over every page.

mod host;
mod http;
pub(crate) mod store;
mod watch;

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::diag::{self, Diagnostics, Severity, Sources};
use crate::load::Changes;
use crate::write::PageSink;
use crate::{BuildOptions, Caches, Outcome, Target};
use host::AllowedHosts;
use http::{Limits, Shared, Status};
use watch::SiteWatcher;
pub use watch::WatchError;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
    /// Poll the filesystem instead of native change events.
    pub poll: bool,
    /// Host names answered besides localhost and IP literals
    /// (`--allow-host`): every other `Host` is refused, against DNS
    /// rebinding.
    pub allow_hosts: Vec<String>,
}

/// What `serve` tells the terminal.
pub enum Event<'a> {
    /// Listening at `url`.
    Started { url: String, polling: bool },
    /// A build finished (the first one, or a rebuild after `changed`).
    Built {
        changed: &'a [String],
        report: &'a Outcome,
        sources: &'a Sources,
        elapsed: Duration,
    },
}

/// Why the preview could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The site folder cannot be opened.
    Root(PathBuf, std::io::Error),
    /// The address cannot be listened on (taken, or not this machine's).
    Listen {
        bind: String,
        port: u16,
        error: std::io::Error,
    },
    Watch(WatchError),
    /// An `--allow-host` value that is not a host name or IP address.
    AllowHost(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Root(p, e) => write!(f, "cannot open {}: {e}", p.display()),
            ServeError::Listen { bind, port, error } => write!(
                f,
                "cannot listen on {bind}:{port}: {error} (is another server running? try --port {})",
                port.wrapping_add(1)
            ),
            ServeError::Watch(e) => e.fmt(f),
            ServeError::AllowHost(value) => write!(
                f,
                "--allow-host takes a host name or IP address as a browser sends it, without scheme, port or path (such as `preview.lan`): got `{value}`"
            ),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServeError::Root(_, e) | ServeError::Listen { error: e, .. } => Some(e),
            ServeError::Watch(e) => Some(e),
            ServeError::AllowHost(_) => None,
        }
    }
}

/// Builds, serves and watches until the process is stopped. Returns only
/// on a setup error (the port is taken, the folder cannot be watched).
pub fn serve(opts: &ServeOptions, mut on_event: impl FnMut(Event<'_>)) -> Result<(), ServeError> {
    // The watcher reports absolute paths: build from the same absolute root.
    let root =
        std::fs::canonicalize(&opts.root).map_err(|e| ServeError::Root(opts.root.clone(), e))?;
    let build_opts = BuildOptions {
        drafts: opts.drafts,
        ..BuildOptions::new(root.clone())
    };
    let listener =
        TcpListener::bind((opts.bind.as_str(), opts.port)).map_err(|error| ServeError::Listen {
            bind: opts.bind.clone(),
            port: opts.port,
            error,
        })?;
    let bound = listener.local_addr().map_err(|error| ServeError::Listen {
        bind: opts.bind.clone(),
        port: opts.port,
        error,
    })?;
    let hosts = AllowedHosts::new(bound.ip(), &opts.bind, &opts.allow_hosts)
        .map_err(ServeError::AllowHost)?;
    let instance = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let mut caches = Caches::default();
    let shared = Shared::new("/".into(), hosts, Limits::DEFAULT);

    let start = Instant::now();
    let report = crate::rebuild(
        &build_opts,
        &mut caches,
        &Changes::All,
        Target::Store(&shared.store),
    );
    let mut generation = 1u64;
    publish(
        &shared,
        &report,
        &caches.sources,
        &format!("{instance}-{generation}"),
    );
    let output = output_dir(&root, &report);
    on_event(Event::Built {
        changed: &[],
        report: &report,
        sources: &caches.sources,
        elapsed: start.elapsed(),
    });

    let mut watcher = SiteWatcher::new(&root, &output, opts.poll).map_err(ServeError::Watch)?;
    let (polling, watched_root) = (watcher.polling, watcher.root().to_path_buf());
    // Batches of changes are gathered on a thread of their own, so that a
    // batch that comes while a build runs can cut short the pages that
    // build renders after the first (see `Store::publish_first`).
    let (batches, incoming) = std::sync::mpsc::channel::<watch::Batch>();
    let notified = Arc::clone(&shared);
    std::thread::spawn(move || {
        while let Some(batch) = watcher.next_batch() {
            watch::watch_new_folders(&mut watcher, &batch);
            notified.store.set_newer(true);
            if batches.send(batch).is_err() {
                break;
            }
        }
    });
    let base = shared
        .base_path
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let host = match opts.bind.parse::<std::net::IpAddr>() {
        Ok(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        Ok(std::net::IpAddr::V6(ip)) => format!("[{ip}]"),
        _ => opts.bind.clone(),
    };
    let port = bound.port();
    let server = Arc::clone(&shared);
    std::thread::spawn(move || http::run(listener, server));
    on_event(Event::Started {
        url: format!("http://{host}:{port}{base}"),
        polling,
    });

    while let Ok(mut batch) = incoming.recv() {
        let start = Instant::now();
        shared.store.set_newer(false);
        // Batches that came during the last build, as one.
        while let Ok(more) = incoming.try_recv() {
            batch.paths.extend(more.paths);
            batch.rescan |= more.rescan;
        }
        let changes = if batch.rescan {
            Changes::All
        } else {
            Changes::Paths(batch.paths.iter().cloned().collect())
        };
        generation += 1;
        let id = format!("{instance}-{generation}");
        // A build of many pages publishes the pages readers are on first:
        // they reload then, not when the last page is rendered.
        let early = Arc::clone(&shared);
        let early_id = id.clone();
        shared.store.on_first(Some(Box::new(move || {
            early.publish(Status {
                build: early_id.clone(),
                served: early_id.clone(),
                json: status_json(&early_id, true, &Diagnostics::new(), &Sources::default()),
            })
        })));
        let report = guarded_rebuild(&build_opts, &mut caches, &changes, &shared);
        shared.store.on_first(None);
        publish(
            &shared,
            &report,
            &caches.sources,
            &format!("{instance}-{generation}"),
        );
        // Name what exists now (an editor's temp files are gone by now);
        // for a deletion, what was deleted.
        let existing: Vec<&PathBuf> = batch.paths.iter().filter(|p| p.exists()).collect();
        let shown = if existing.is_empty() {
            batch.paths.iter().collect()
        } else {
            existing
        };
        let changed: Vec<String> = shown
            .into_iter()
            .map(|p| diag::display_path(&watched_root, p))
            .collect();
        on_event(Event::Built {
            changed: &changed,
            report: &report,
            sources: &caches.sources,
            elapsed: start.elapsed(),
        });
    }
    Ok(())
}

/// A rebuild that cannot take the server down: should any bug make it
/// panic, the caches are dropped (the next build starts afresh), the last
/// good site stays served and the overlay says what happened.
fn guarded_rebuild(
    opts: &BuildOptions,
    caches: &mut Caches,
    changes: &Changes,
    shared: &Shared,
) -> Outcome {
    let run = std::panic::AssertUnwindSafe(|| {
        crate::rebuild(opts, caches, changes, Target::Store(&shared.store))
    });
    match std::panic::catch_unwind(run) {
        Ok(report) => report,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            *caches = Caches::default();
            shared.store.rollback();
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(
                diag::Diagnostic::error(format!("internal error in dossier: {what}"))
                    .hint("this is a bug in dossier, not in your site; please report it with the file you just saved"),
            );
            Outcome {
                site: None,
                diagnostics,
                result: Err(crate::Failure::Content),
                timings: Vec::new(),
                peaks: Vec::new(),
            }
        }
    }
}

/// The output folder, never watched (`public` until `site.toml` loads).
fn output_dir(root: &std::path::Path, report: &Outcome) -> PathBuf {
    report
        .site
        .as_ref()
        .map_or_else(|| root.join("public"), |s| s.output.clone())
}

/// The status pages learn about: the build id, whether it succeeded, and
/// its diagnostics (the overlay: full-page for errors, a corner panel for
/// warnings).
#[derive(Serialize)]
struct StatusJson<'a> {
    build: &'a str,
    ok: bool,
    summary: String,
    /// Counts over every diagnostic, also those not in `diagnostics`.
    errors: usize,
    warnings: usize,
    /// At most [`MAX_DIAGNOSTICS_SHOWN`], errors first.
    diagnostics: Vec<DiagnosticJson>,
}

#[derive(Serialize)]
struct DiagnosticJson {
    severity: &'static str,
    text: String,
}

/// Updates what the server serves after a build, and tells every page.
fn publish(shared: &Shared, report: &Outcome, sources: &Sources, build: &str) {
    if let Some(site) = &report.site {
        *shared.base_path.lock().unwrap_or_else(|e| e.into_inner()) = site.base_path.clone();
    }
    if let Ok(built) = &report.result {
        shared.store.set_statics(built.statics.clone());
    }
    let ok = report.result.is_ok();
    let json = status_json(build, ok, &report.diagnostics, sources);
    let served = if ok {
        build.to_string()
    } else {
        shared.status().served
    };
    shared.publish(Status {
        build: build.to_string(),
        served,
        json,
    });
}

/// At most this many diagnostics go to the overlay (and the terminal) per
/// build; a site with thousands of warnings must not slow every rebuild.
pub const MAX_DIAGNOSTICS_SHOWN: usize = 50;

/// The first [`MAX_DIAGNOSTICS_SHOWN`] diagnostics, errors first: a failed
/// build's overlay must show why it failed, however many warnings there are.
fn shown(all: &Diagnostics) -> Diagnostics {
    let mut shown = Diagnostics::new();
    let errors = all.iter().filter(|d| d.severity == Severity::Error);
    let warnings = all.iter().filter(|d| d.severity == Severity::Warning);
    for d in errors.chain(warnings).take(MAX_DIAGNOSTICS_SHOWN) {
        shown.push(d.clone());
    }
    shown
}

fn status_json(build: &str, ok: bool, all: &Diagnostics, sources: &Sources) -> String {
    let list = diag::render_each(sources, &shown(all))
        .into_iter()
        .map(|(severity, text)| DiagnosticJson {
            severity: match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            text,
        })
        .collect();
    let status = StatusJson {
        build,
        ok,
        summary: diag::summary(all),
        errors: all.error_count(),
        warnings: all.warning_count(),
        diagnostics: list,
    };
    serde_json::to_string(&status).unwrap_or_else(|_| {
        format!("{{\"build\":\"{build}\",\"ok\":{ok},\"summary\":\"\",\"errors\":0,\"warnings\":0,\"diagnostics\":[]}}")
    })
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;
    use std::sync::mpsc::channel;
    use std::time::Duration;

    use super::store::{Found, Store};
    use crate::load::Changes;
    use crate::{BuildOptions, Caches, Target};

    /// The page at `path` as a reader gets it, or None if the store keeps
    /// the reader waiting (held) for more than `wait`.
    fn read(store: &Arc<Store>, path: &str, wait: Duration) -> Option<String> {
        let (tx, rx) = channel();
        let (store, path) = (Arc::clone(store), path.to_string());
        std::thread::spawn(move || {
            let page = match store.get(&path) {
                Some(Found::Page(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
                _ => String::from("(none)"),
            };
            let _ = tx.send(page);
        });
        rx.recv_timeout(wait).ok()
    }

    fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        path
    }

    /// A save during the rendering of the rest of the site stops it: the
    /// pages not rendered are held for the next build. If that build
    /// fails on a broken file, they are served as they last were, not
    /// held until a good build (a reader's request hung for minutes).
    #[test]
    fn pages_a_stopped_build_left_are_served_when_the_next_build_fails() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        write(
            root,
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\n",
        );
        let actor = write(
            root,
            "content/actors/x.yaml",
            "name: Xavier\nkind: person\n",
        );
        let analysis = |title: &str| {
            format!("---\ntitle: {title}\ndate: 2022-01-05\nactors: [x]\n---\nXavier spoke.\n")
        };
        let a = write(root, "content/analyses/a.md", &analysis("Before"));
        let opts = BuildOptions::new(root.to_path_buf());
        let mut caches = Caches::default();
        let store = Arc::new(Store::default());
        let mut build = |changes: Changes| {
            crate::rebuild(&opts, &mut caches, &changes, Target::Store(&*store)).result
        };
        assert!(build(Changes::All).is_ok());
        let page = "actors/x/index.html";
        let shown = read(&store, page, Duration::from_secs(5)).expect("served");
        assert!(shown.contains("Before"), "{shown}");

        // A reader is on the analysis; its title changes, and a newer
        // save waits: the analysis goes out, the actor's page (which lists
        // the title) is left for the next build, and held.
        store.viewed("analyses/a/index.html");
        std::fs::write(&a, analysis("After")).expect("save");
        store.set_newer(true);
        assert!(build(Changes::Paths(vec![a.clone()])).is_ok());
        store.set_newer(false);
        assert_eq!(
            read(&store, page, Duration::from_millis(300)),
            None,
            "not held"
        );

        // The newer save breaks a fact sheet: the build fails, and the
        // actor's page is served as the last good build left it.
        std::fs::write(&actor, "name: Xavier\nkind: persn\n").expect("save");
        assert!(build(Changes::Paths(vec![actor.clone()])).is_err());
        let shown = read(&store, page, Duration::from_secs(5)).expect("still held");
        assert!(shown.contains("Before"), "{shown}");

        // Fixed, the next build renders it.
        std::fs::write(&actor, "name: Xavier\nkind: person\n").expect("save");
        assert!(build(Changes::Paths(vec![actor])).is_ok());
        let shown = read(&store, page, Duration::from_secs(5)).expect("served");
        assert!(shown.contains("After"), "{shown}");
    }
}
