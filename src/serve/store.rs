//! The site as `serve` holds it: every page by its path, replaced only
//! when a build succeeds, so a failed rebuild leaves the last good site
//! served.
//!
//! Pages are LZ4-compressed (HTML shrinks about fourfold, for a few
//! microseconds per page on the rendering threads) and appended to a
//! spool: an unnamed temporary file the process holds only the place of
//! each page in. At N = 10,000 the 733 MB of pages take 186 MB packed,
//! which a process holding them would keep for as long as it serves
//! (1.9 GB at N = 100,000); in the spool they are the kernel's page cache,
//! given back when memory is short. Replaced pages leave their bytes
//! behind until they outweigh the live ones; the spool is then written
//! anew. Where no temporary file can be made, pages stay in memory.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use crate::spool::{Place, Spool};
use crate::theme::StaticSource;
use crate::write::{OutputFile, PageSink};

/// Pages and static files, shared between the builder and the HTTP server.
#[derive(Default)]
pub struct Store {
    live: RwLock<Live>,
    /// Where the pages' bytes are (None: in memory).
    spool: Option<Spool>,
    /// Garbage in the spool below which it is never written anew.
    slack: u64,
    /// Pages of the build in progress, applied on commit.
    pending: Mutex<Vec<(String, Packed)>>,
    /// The HTML pages served last, oldest first, each once.
    viewed: Mutex<VecDeque<String>>,
    /// Pages a build is rendering again after it published the pages
    /// readers were on: a request for one waits until the build ends.
    held: Mutex<Held>,
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

/// What a request waits for while a build that published its first
/// pages goes on.
#[derive(Default)]
struct Held {
    /// Pages the build renders again.
    files: HashSet<String>,
    /// Until the build knows which pages it renders again (right after the
    /// first ones are out): every page but these first ones.
    all_but: Option<HashSet<String>>,
}

impl Held {
    /// Whether a request for `path` (which may be a page, if `page`) waits.
    fn holds(&self, path: &str, page: bool) -> bool {
        self.files.contains(path)
            || (page
                && self
                    .all_but
                    .as_ref()
                    .is_some_and(|first| !first.contains(path)))
    }
}

#[derive(Default)]
struct Live {
    pages: HashMap<String, Packed>,
    statics: HashMap<String, StaticSource>,
    /// Bytes in the spool no live page uses (pages replaced or removed,
    /// pages of builds that failed).
    garbage: u64,
    /// Bytes in the spool the live pages use.
    used: u64,
}

/// Below this many bytes of garbage the spool is never written anew.
const SPOOL_SLACK: u64 = 64 << 20;

/// What a request path names.
pub(crate) enum Found {
    Page(Vec<u8>),
    Static(StaticSource),
}

/// A compressed page: in memory, or its place in the spool.
enum Packed {
    Memory(Arc<[u8]>),
    Spooled(Place),
}

impl Packed {
    /// A page packed into the spool, or kept in memory when there is no
    /// spool or it cannot be written (a full disk).
    fn new(bytes: &[u8], spool: Option<&Spool>) -> Packed {
        let packed = lz4_flex::compress_prepend_size(bytes);
        match spool.map(|s| s.append(&packed)) {
            Some(Ok(place)) => Packed::Spooled(place),
            _ => Packed::Memory(packed.into()),
        }
    }

    /// The bytes it takes in the spool.
    fn len(&self) -> u64 {
        match self {
            Packed::Memory(_) => 0,
            Packed::Spooled(place) => place.len,
        }
    }

    fn unpack(&self, spool: Option<&Spool>) -> Vec<u8> {
        let bytes = match (self, spool) {
            (Packed::Memory(b), _) => return decompress(b),
            (Packed::Spooled(place), Some(spool)) => spool.read(*place).unwrap_or_default(),
            (Packed::Spooled(_), None) => return Vec::new(),
        };
        decompress(&bytes)
    }
}

fn decompress(bytes: &[u8]) -> Vec<u8> {
    lz4_flex::decompress_size_prepended(bytes).unwrap_or_default()
}

impl Store {
    /// A store whose pages are spooled to a temporary file (in memory if
    /// none can be made).
    pub fn new() -> Self {
        Store {
            spool: Spool::new(),
            slack: SPOOL_SLACK,
            ..Self::default()
        }
    }

    /// The file at `path` (relative to the output, with `/`). A page that
    /// the build in progress is rendering again is waited for.
    pub(crate) fn get(&self, path: &str) -> Option<Found> {
        // Anything but a static file may be a page (a new one, too).
        let page = !self
            .live
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .statics
            .contains_key(path);
        let held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if held.holds(path, page) {
            let _ = self
                .released
                .wait_timeout_while(held, HOLD_MAX, |held| held.holds(path, page));
        } else {
            drop(held);
        }
        let live = self.live.read().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = live.pages.get(path) {
            return Some(Found::Page(p.unpack(self.spool.as_ref())));
        }
        live.statics.get(path).cloned().map(Found::Static)
    }

    /// Notes that a reader was served the page at `path`.
    pub fn viewed(&self, path: &str) {
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

    /// Moves the pages put since the last commit into the live site;
    /// returns their paths.
    fn apply(&self, removed: &[String]) -> HashSet<String> {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        for f in removed {
            if let Some(old) = live.pages.remove(f) {
                live.used -= old.len();
                live.garbage += old.len();
            }
        }
        let mut applied = HashSet::with_capacity(pending.len());
        for (path, packed) in pending {
            applied.insert(path.clone());
            live.used += packed.len();
            if let Some(old) = live.pages.insert(path, packed) {
                live.used -= old.len();
                live.garbage += old.len();
            }
        }
        applied
    }

    /// Writes the spool anew once replaced pages outweigh the live ones.
    fn compact_if_worth_it(&self) {
        let Some(spool) = &self.spool else {
            return;
        };
        // Only a commit changes the live pages, and this is one: the copy
        // is made under read locks, and requests go on meanwhile.
        let mut places: Vec<Place> = {
            let live = self.live.read().unwrap_or_else(|e| e.into_inner());
            if live.garbage <= self.slack || live.garbage <= live.used {
                return;
            }
            live.pages
                .values()
                .filter_map(|p| match *p {
                    Packed::Spooled(place) => Some(place),
                    Packed::Memory(_) => None,
                })
                .collect()
        };
        // In file order, so the old spool is read front to back.
        places.sort_unstable_by_key(|p| p.at);
        let Some((new, end, moved)) = spool.copy(&places) else {
            // The old spool stays: every place in it still holds.
            return;
        };
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        let copied = |p: &Packed| match p {
            Packed::Spooled(place) => moved.contains_key(&place.at),
            Packed::Memory(_) => true,
        };
        if !live.pages.values().all(copied) {
            return;
        }
        for p in live.pages.values_mut() {
            if let Packed::Spooled(place) = p {
                place.at = moved[&place.at];
            }
        }
        // No build is putting pages: this is its commit.
        spool.replace(new, end);
        live.garbage = 0;
        live.used = end;
    }

    /// Lets go of the held pages, but those the build left unfinished
    /// (if `keep`).
    fn release(&self, keep: bool) {
        let unfinished =
            std::mem::take(&mut *self.unfinished.lock().unwrap_or_else(|e| e.into_inner()));
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let before = (held.files.len(), held.all_but.is_some());
        held.all_but = None;
        match keep {
            true => {
                let unfinished: HashSet<String> = unfinished.into_iter().collect();
                held.files.retain(|p| unfinished.contains(p));
            }
            false => held.files.clear(),
        }
        if (held.files.len(), held.all_but.is_some()) != before {
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
            .map(|(k, v)| (k.clone(), v.unpack(self.spool.as_ref())))
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
        let packed = Packed::new(&file.bytes, self.spool.as_ref());
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.push((file.path, packed));
        Ok(())
    }

    fn commit(&self, removed: &[String]) {
        self.apply(removed);
        self.release(true);
        self.compact_if_worth_it();
    }

    fn rollback(&self) {
        let dropped: u64 =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()))
                .iter()
                .map(|(_, p)| p.len())
                .sum();
        self.live.write().unwrap_or_else(|e| e.into_inner()).garbage += dropped;
        self.release(false);
    }

    fn wanted(&self) -> Vec<String> {
        let viewed = self.viewed.lock().unwrap_or_else(|e| e.into_inner());
        viewed.iter().cloned().collect()
    }

    fn interrupted(&self) -> bool {
        self.newer.load(Ordering::Acquire)
    }

    fn holding(&self, later: &[String]) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        held.files.extend(later.iter().cloned());
        if held.all_but.take().is_some() {
            self.released.notify_all();
        }
    }

    fn unfinished(&self, files: Vec<String>) {
        *self.unfinished.lock().unwrap_or_else(|e| e.into_inner()) = files;
    }

    fn publish_first(&self) {
        // One step for readers: the first pages go live as every other
        // page is held.
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let first = self.apply(&[]);
        held.all_but = Some(first);
        drop(held);
        if let Some(hook) = &*self.on_first.lock().unwrap_or_else(|e| e.into_inner()) {
            hook();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn text(found: Option<Found>) -> String {
        match found {
            Some(Found::Page(b)) => String::from_utf8(b).unwrap(),
            Some(Found::Static(_)) => "static".to_string(),
            None => "missing".to_string(),
        }
    }

    /// Spool size: the bytes appended so far.
    fn spooled(store: &Store) -> u64 {
        store.spool.as_ref().unwrap().len()
    }

    /// Pages replaced, removed or left by a failed build are garbage in
    /// the spool; once it outweighs the live pages, the spool is written
    /// anew with only theirs, and every page reads as it was put.
    #[test]
    fn the_spool_is_written_anew_once_replaced_pages_outweigh_the_live_ones() {
        let store = Store {
            slack: 0,
            ..Store::new()
        };
        assert!(store.spool.is_some(), "a temporary file can be made here");
        let body = |path: &str, k: usize| format!("{path} version {k} {}", "x".repeat(200 + k));
        let paths = ["a/index.html", "b/index.html", "c/index.html"];
        for p in paths {
            store.put(page(p, &body(p, 0))).unwrap();
        }
        store.commit(&[]);
        let first = spooled(&store);
        assert!(first > 0);
        // Replacing one page leaves less garbage than live bytes: no
        // compaction, the spool only grows.
        store
            .put(page("a/index.html", &body("a/index.html", 1)))
            .unwrap();
        store.commit(&[]);
        assert!(spooled(&store) > first);
        // A failed build's pages are garbage too.
        store
            .put(page("b/index.html", &body("b/index.html", 9)))
            .unwrap();
        store.rollback();
        // Replacing the rest tips it: only the live pages are left.
        store
            .put(page("b/index.html", &body("b/index.html", 2)))
            .unwrap();
        store
            .put(page("c/index.html", &body("c/index.html", 2)))
            .unwrap();
        store.commit(&["gone/index.html".to_string()]);
        let live = store.live.read().unwrap();
        assert_eq!(live.garbage, 0);
        assert_eq!(live.used, spooled(&store));
        drop(live);
        assert!(spooled(&store) < first * 2);
        assert_eq!(text(store.get("a/index.html")), body("a/index.html", 1));
        assert_eq!(text(store.get("b/index.html")), body("b/index.html", 2));
        assert_eq!(text(store.get("c/index.html")), body("c/index.html", 2));
        // A removed page leaves its bytes as garbage, and is gone.
        store.commit(&["c/index.html".to_string()]);
        assert_eq!(text(store.get("c/index.html")), "missing");
        assert!(store.live.read().unwrap().garbage > 0);
        // The store without a spool (its default) behaves the same.
        let memory = Store::default();
        memory.put(page("a/index.html", "a")).unwrap();
        memory.commit(&[]);
        assert_eq!(text(memory.get("a/index.html")), "a");
    }

    /// Once the first pages are out, every other page waits until the
    /// build says which it renders again; static files never wait.
    #[test]
    fn after_the_first_pages_the_others_wait_until_the_build_knows() {
        let store = Arc::new(Store::new());
        store.put(page("a/index.html", "a1")).unwrap();
        store.put(page("b/index.html", "b1")).unwrap();
        store.put(page("c/index.html", "c1")).unwrap();
        store.commit(&[]);
        store.set_statics(vec![(
            "style.css".to_string(),
            StaticSource::Builtin(b"css"),
        )]);

        store.put(page("a/index.html", "a2")).unwrap();
        store.publish_first();
        assert_eq!(text(store.get("a/index.html")), "a2");
        assert_eq!(text(store.get("style.css")), "static");

        let (tx, rx) = mpsc::channel();
        for p in ["b/index.html", "c/index.html"] {
            let (store, tx) = (Arc::clone(&store), tx.clone());
            std::thread::spawn(move || tx.send((p, text(store.get(p)))).unwrap());
        }
        // Neither is served while the build may still render it again.
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
        // The build renders c again, not b: b is served as it is.
        store.holding(&["c/index.html".to_string()]);
        let got = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(got, ("b/index.html", "b1".to_string()));
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
        store.put(page("c/index.html", "c2")).unwrap();
        store.commit(&[]);
        let got = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(got, ("c/index.html", "c2".to_string()));
    }
}
