//! A spool: an unnamed temporary file that bytes are appended to and read
//! back from by their place, so that a long-running process (`serve`)
//! keeps only where things are. What is in it is the kernel's file cache,
//! given back when memory is short, and the file goes when the process
//! does, even if it is killed (it has no name). Where no temporary file
//! can be made (or off Unix), there is no spool and callers keep their
//! bytes in memory.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Writers take their place by advancing `end` and write there, in
/// parallel; what is written is never changed, so a place stays readable
/// until the spool is written anew ([`Spool::copy`], [`Spool::replace`]).
#[derive(Debug)]
pub(crate) struct Spool {
    file: RwLock<File>,
    end: AtomicU64,
}

/// Where bytes are in a spool: offset and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    pub at: u64,
    pub len: u64,
}

impl Spool {
    pub(crate) fn new() -> Option<Spool> {
        if cfg!(not(unix)) {
            return None;
        }
        let file = tempfile::tempfile().ok()?;
        Some(Spool {
            file: RwLock::new(file),
            end: AtomicU64::new(0),
        })
    }

    /// Bytes appended so far.
    #[cfg(test)]
    pub(crate) fn len(&self) -> u64 {
        self.end.load(Ordering::Relaxed)
    }

    pub(crate) fn append(&self, bytes: &[u8]) -> io::Result<Place> {
        let len = bytes.len() as u64;
        let at = self.end.fetch_add(len, Ordering::Relaxed);
        let file = self.file.read().unwrap_or_else(|e| e.into_inner());
        write_at(&file, bytes, at)?;
        Ok(Place { at, len })
    }

    pub(crate) fn read(&self, place: Place) -> io::Result<Vec<u8>> {
        let mut bytes = vec![0; place.len as usize];
        let file = self.file.read().unwrap_or_else(|e| e.into_inner());
        read_at(&file, &mut bytes, place.at)?;
        Ok(bytes)
    }

    /// Copies the bytes at `places` into a new file, one after another;
    /// returns it, its length and each place's new offset by its old one.
    /// Readers go on meanwhile; nothing may be appended until
    /// [`Spool::replace`].
    pub(crate) fn copy(&self, places: &[Place]) -> Option<(File, u64, HashMap<u64, u64>)> {
        let new = tempfile::tempfile().ok()?;
        let file = self.file.read().unwrap_or_else(|e| e.into_inner());
        let mut end = 0u64;
        let mut moved = HashMap::with_capacity(places.len());
        let mut bytes = Vec::new();
        for p in places {
            bytes.resize(p.len as usize, 0);
            read_at(&file, &mut bytes, p.at).ok()?;
            write_at(&new, &bytes, end).ok()?;
            moved.insert(p.at, end);
            end += p.len;
        }
        Some((new, end, moved))
    }

    /// Puts a copy made by [`Spool::copy`] in this spool's place.
    pub(crate) fn replace(&self, file: File, end: u64) {
        *self.file.write().unwrap_or_else(|e| e.into_inner()) = file;
        self.end.store(end, Ordering::Relaxed);
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

// Elsewhere there is no spool (`Spool::new`), and these are not called.
#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}
