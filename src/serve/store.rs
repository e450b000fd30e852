//! The site as `serve` holds it: pages in memory, replaced only when a
//! build succeeds, so a failed rebuild leaves the last good site served.
//!
//! Pages are kept LZ4-compressed: HTML shrinks about sixfold, so a site of
//! 25,000 pages holds ~90 MB instead of ~560 MB, and compressing costs a few
//! microseconds per page on the rendering threads.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};

use crate::theme::StaticSource;
use crate::write::{OutputFile, PageSink};

/// Pages and static files, shared between the builder and the HTTP server.
#[derive(Default)]
pub struct Store {
    live: RwLock<Live>,
    /// Pages of the build in progress, applied on commit.
    pending: Mutex<Vec<(String, Packed)>>,
}

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

    /// The file at `path` (relative to the output, with `/`).
    pub(crate) fn get(&self, path: &str) -> Option<Found> {
        let live = self.live.read().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = live.pages.get(path) {
            return Some(Found::Page(p.unpack()));
        }
        live.statics.get(path).cloned().map(Found::Static)
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
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        for f in removed {
            live.pages.remove(f);
        }
        for (path, packed) in pending {
            live.pages.insert(path, packed);
        }
    }

    fn rollback(&self) {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
