//! Watching the site for changes: native events (inotify, FSEvents, …) or
//! polling, batched so that an editor's save (a temp file renamed over the
//! target, a truncate-and-write, several events at once) gives one rebuild.
//!
//! Directories are watched, never single files, so a file replaced by a
//! rename is still seen. The output folder is never watched; editor swap
//! and backup files are ignored.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::load::is_ignored_name;

/// A batch ends after this much quiet…
pub(crate) const QUIET: Duration = Duration::from_millis(30);
/// …or this long after its first event, whichever comes first.
pub(crate) const MAX_WAIT: Duration = Duration::from_millis(300);
/// How often the polling watcher looks.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The folders under the site root that hold inputs.
const WATCHED: [&str; 3] = ["content", "themes", "static"];

/// Why watching could not start.
#[derive(Debug)]
pub enum WatchError {
    /// The site folder cannot be resolved.
    Root(PathBuf, std::io::Error),
    /// Neither native events nor polling could watch this folder.
    Watch(PathBuf, notify::Error),
}

impl std::fmt::Display for WatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WatchError::Root(p, e) => write!(f, "cannot watch {}: {e}", p.display()),
            WatchError::Watch(p, e) => write!(f, "cannot watch {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for WatchError {}

/// What the watcher found changed.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub paths: BTreeSet<PathBuf>,
    /// A folder was created or removed: rescan rather than trust paths.
    pub rescan: bool,
}

/// A running watcher; dropping it stops watching.
pub(crate) struct SiteWatcher {
    inner: Box<dyn Watcher + Send>,
    /// Whether it fell back to (or was asked for) polling.
    pub polling: bool,
    rx: Receiver<notify::Result<Event>>,
    root: PathBuf,
    output: PathBuf,
}

impl SiteWatcher {
    /// Watches `root` (for `site.toml`) and its `content/`, `themes/` and
    /// `static/` folders. Falls back to polling when native watching fails.
    pub(crate) fn new(root: &Path, output: &Path, poll: bool) -> Result<SiteWatcher, WatchError> {
        let root =
            std::fs::canonicalize(root).map_err(|e| WatchError::Root(root.to_path_buf(), e))?;
        let output = std::fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf());
        let (tx, rx) = channel();
        let (watcher, polling) = if poll {
            (poll_watcher(tx, &root)?, true)
        } else {
            match native_watcher(tx.clone(), &root) {
                Ok(w) => (w, false),
                Err(_) => (poll_watcher(tx, &root)?, true),
            }
        };
        Ok(SiteWatcher {
            inner: watcher,
            polling,
            rx,
            root,
            output,
        })
    }

    /// Blocks until something relevant changes, then gathers events until
    /// they have been quiet for [`QUIET`] (at most [`MAX_WAIT`]).
    pub(crate) fn next_batch(&self) -> Option<Batch> {
        loop {
            let first = self.rx.recv().ok()?;
            let mut batch = Batch::default();
            self.add(&mut batch, first);
            let start = Instant::now();
            loop {
                let left = MAX_WAIT.saturating_sub(start.elapsed());
                if left.is_zero() {
                    break;
                }
                match self.rx.recv_timeout(QUIET.min(left)) {
                    Ok(ev) => self.add(&mut batch, ev),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            if !batch.paths.is_empty() || batch.rescan {
                return Some(batch);
            }
        }
    }

    fn add(&self, batch: &mut Batch, ev: notify::Result<Event>) {
        let Ok(ev) = ev else {
            // The watcher lost track (overflow): look at everything again.
            batch.rescan = true;
            return;
        };
        if matches!(ev.kind, EventKind::Access(_)) {
            return;
        }
        if ev.need_rescan() {
            batch.rescan = true;
        }
        for p in ev.paths {
            if let Some(p) = self.relevant(&p) {
                if p.is_dir()
                    && matches!(
                        ev.kind,
                        EventKind::Create(_)
                            | EventKind::Remove(_)
                            | EventKind::Modify(notify::event::ModifyKind::Name(_))
                    )
                {
                    batch.rescan = true;
                }
                batch.paths.insert(p);
            }
        }
    }

    /// The path, if it is an input of the site.
    fn relevant(&self, p: &Path) -> Option<PathBuf> {
        if p.starts_with(&self.output) {
            return None;
        }
        let rel = p.strip_prefix(&self.root).ok()?;
        if rel
            .components()
            .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
        {
            return None;
        }
        let first = rel
            .components()
            .next()?
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        let top_level_input =
            first == crate::config::CONFIG_FILE || WATCHED.contains(&first.as_str());
        top_level_input.then(|| p.to_path_buf())
    }

    /// The site root, as watched (canonical).
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }
}

fn native_watcher(
    tx: Sender<notify::Result<Event>>,
    root: &Path,
) -> Result<Box<dyn Watcher + Send>, WatchError> {
    let mut w: RecommendedWatcher =
        notify::recommended_watcher(tx).map_err(|e| WatchError::Watch(root.to_path_buf(), e))?;
    watch_all(&mut w, root)?;
    Ok(Box::new(w))
}

fn poll_watcher(
    tx: Sender<notify::Result<Event>>,
    root: &Path,
) -> Result<Box<dyn Watcher + Send>, WatchError> {
    let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
    let mut w =
        PollWatcher::new(tx, config).map_err(|e| WatchError::Watch(root.to_path_buf(), e))?;
    watch_all(&mut w, root)?;
    Ok(Box::new(w))
}

/// The root itself (not recursively: it may hold `target/`, `.git/` and the
/// output), and each input folder recursively.
fn watch_all(w: &mut dyn Watcher, root: &Path) -> Result<(), WatchError> {
    w.watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| WatchError::Watch(root.to_path_buf(), e))?;
    for dir in WATCHED {
        let d = root.join(dir);
        if d.is_dir() {
            w.watch(&d, RecursiveMode::Recursive)
                .map_err(|e| WatchError::Watch(d.clone(), e))?;
        }
    }
    Ok(())
}

/// Adds recursive watches for input folders created after the start.
pub(crate) fn watch_new_folders(w: &mut SiteWatcher, batch: &Batch) {
    for dir in WATCHED {
        let d = w.root.join(dir);
        if batch.paths.contains(&d) && d.is_dir() {
            let _ = w.inner.watch(&d, RecursiveMode::Recursive);
        }
    }
}
