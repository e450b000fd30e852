//! The site as `serve` holds it: pages in memory, replaced only when a
//! build succeeds, so a failed rebuild leaves the last good site served.
//!
//! Pages are kept LZ4-compressed: HTML shrinks about sixfold, so a site of
//! 25,000 pages holds ~90 MB instead of ~560 MB, and compressing costs a few
//! microseconds per page on the rendering threads.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use crate::theme::StaticSource;
use crate::write::{OutputFile, PageSink};

/// Pages and static files, shared between the builder and the HTTP server.
#[derive(Default)]
pub struct Store {
    live: RwLock<Live>,
    /// Pages of the build in progress, applied on commit.
    pending: Mutex<Vec<(String, Packed)>>,
    /// The HTML pages served last, oldest first, each once.
    viewed: Mutex<VecDeque<String>>,
    /// Pages a build is rendering again after it published the pages
    /// readers were on: a request for one waits until the build ends.
    held: Mutex<HashSet<String>>,
    released: Condvar,
    /// Called when a build has published its first pages.
    on_first: Mutex<Option<FirstHook>>,
    /// Set while a newer edit waits for the build in progress.
    newer: AtomicBool,
    /// Held pages the build in progress leaves to the next.
    unfinished: Mutex<Vec<String>>,
}

/// What `serve` does when a build publishes its first pages (it announces
/// the build, so that the pages readers are on reload).
pub(crate) type FirstHook = Box<dyn Fn() + Send + Sync>;

/// How many recently viewed pages a build renders first.
const VIEWED: usize = 8;

/// The longest a request waits for a held page (a build of the largest
/// sites takes minutes; past this the old page is served).
const HOLD_MAX: Duration = Duration::from_secs(300);

#[derive(Default)]
struct Live {
    pages: HashMap<String, Packed>,
    statics: HashMap<String, StaticSource>,
}

/// What a request path names.
pub(crate) enum Found {
    Page(Vec<u8>),
    Static(StaticSource),
}

/// A compressed page.
struct Packed(Arc<[u8]>);

impl Packed {
    fn new(bytes: &[u8]) -> Packed {
        Packed(lz4_flex::compress_prepend_size(bytes).into())
    }

    fn unpack(&self) -> Vec<u8> {
        lz4_flex::decompress_size_prepended(&self.0).unwrap_or_default()
    }
}

impl Store {
    pub fn new() -> Self {
        Self::default()
    }

    /// The file at `path` (relative to the output, with `/`). A page that
    /// the build in progress is rendering again is waited for.
    pub(crate) fn get(&self, path: &str) -> Option<Found> {
        let held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if held.contains(path) {
            let _ = self
                .released
                .wait_timeout_while(held, HOLD_MAX, |held| held.contains(path));
        } else {
            drop(held);
        }
        let live = self.live.read().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = live.pages.get(path) {
            return Some(Found::Page(p.unpack()));
        }
        live.statics.get(path).cloned().map(Found::Static)
    }

    /// Notes that a reader was served the page at `path`.
    pub(crate) fn viewed(&self, path: &str) {
        let mut viewed = self.viewed.lock().unwrap_or_else(|e| e.into_inner());
        if viewed.back().is_some_and(|p| p == path) {
            return;
        }
        viewed.retain(|p| p != path);
        if viewed.len() == VIEWED {
            viewed.pop_front();
        }
        viewed.push_back(path.to_string());
    }

    /// Sets (or, with None, removes) what to do when a build publishes
    /// its first pages.
    pub(crate) fn on_first(&self, hook: Option<FirstHook>) {
        *self.on_first.lock().unwrap_or_else(|e| e.into_inner()) = hook;
    }

    /// Moves the pages put since the last commit into the live site.
    fn apply(&self, removed: &[String]) {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        for f in removed {
            live.pages.remove(f);
        }
        for (path, packed) in pending {
            live.pages.insert(path, packed);
        }
    }

    /// Lets go of the held pages, but those the build left unfinished
    /// (if `keep`).
    fn release(&self, keep: bool) {
        let unfinished =
            std::mem::take(&mut *self.unfinished.lock().unwrap_or_else(|e| e.into_inner()));
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let before = held.len();
        match keep {
            true => {
                let unfinished: HashSet<String> = unfinished.into_iter().collect();
                held.retain(|p| unfinished.contains(p));
            }
            false => held.clear(),
        }
        if held.len() != before {
            self.released.notify_all();
        }
    }

    /// A newer edit waits (or, with false, no longer).
    pub(crate) fn set_newer(&self, newer: bool) {
        self.newer.store(newer, Ordering::Release);
    }

    /// Replaces the static files (after a successful build).
    pub(crate) fn set_statics(&self, statics: Vec<(String, StaticSource)>) {
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        live.statics = statics.into_iter().collect();
    }

    /// A copy of every page, sorted by path (for tests).
    pub fn pages(&self) -> BTreeMap<String, Vec<u8>> {
        let live = self.live.read().unwrap_or_else(|e| e.into_inner());
        live.pages
            .iter()
            .map(|(k, v)| (k.clone(), v.unpack()))
            .collect()
    }

    pub fn page_count(&self) -> usize {
        self.live
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .pages
            .len()
    }
}

impl PageSink for Store {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        let packed = Packed::new(&file.bytes);
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.push((file.path, packed));
        Ok(())
    }

    fn commit(&self, removed: &[String]) {
        self.apply(removed);
        self.release(true);
    }

    fn rollback(&self) {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.release(false);
    }

    fn wanted(&self) -> Vec<String> {
        let viewed = self.viewed.lock().unwrap_or_else(|e| e.into_inner());
        viewed.iter().cloned().collect()
    }

    fn interrupted(&self) -> bool {
        self.newer.load(Ordering::Acquire)
    }

    fn unfinished(&self, files: Vec<String>) {
        *self.unfinished.lock().unwrap_or_else(|e| e.into_inner()) = files;
    }

    fn publish_first(&self, later: &[String]) {
        self.held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(later.iter().cloned());
        self.apply(&[]);
        if let Some(hook) = &*self.on_first.lock().unwrap_or_else(|e| e.into_inner()) {
            hook();
        }
    }
}
