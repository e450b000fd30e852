//! The site as `serve` holds it: pages in memory, replaced only when a
//! build succeeds, so a failed rebuild leaves the last good site served.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};

use crate::render::{OutputFile, PageSink};
use crate::theme::StaticSource;

/// Pages and static files, shared between the builder and the HTTP server.
#[derive(Default)]
pub struct Store {
    live: RwLock<Live>,
    /// Pages of the build in progress, applied on commit.
    pending: Mutex<Vec<OutputFile>>,
}

#[derive(Default)]
struct Live {
    pages: HashMap<String, Arc<[u8]>>,
    statics: HashMap<String, StaticSource>,
}

/// What a request path names.
pub enum Found {
    Page(Arc<[u8]>),
    Static(StaticSource),
}

impl Store {
    pub fn new() -> Self {
        Self::default()
    }

    /// The file at `path` (relative to the output, with `/`).
    pub fn get(&self, path: &str) -> Option<Found> {
        let live = self.live.read().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = live.pages.get(path) {
            return Some(Found::Page(Arc::clone(p)));
        }
        live.statics.get(path).cloned().map(Found::Static)
    }

    /// Replaces the static files (after a successful build).
    pub fn set_statics(&self, statics: Vec<(String, StaticSource)>) {
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        live.statics = statics.into_iter().collect();
    }

    /// A copy of every page, sorted by path (for tests).
    pub fn pages(&self) -> BTreeMap<String, Vec<u8>> {
        let live = self.live.read().unwrap_or_else(|e| e.into_inner());
        live.pages
            .iter()
            .map(|(k, v)| (k.clone(), v.to_vec()))
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
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file);
        Ok(())
    }

    fn commit(&self, removed: &[String]) {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        for f in removed {
            live.pages.remove(f);
        }
        for f in pending {
            live.pages.insert(f.path, f.bytes.into());
        }
    }

    fn rollback(&self) {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
