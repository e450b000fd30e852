//! Hashing, in one place: versions of content (a well-mixed 64-bit hash of
//! what a file, an entity or a page is made of) and the fast combination of
//! versions that are already well mixed. Versions only ever meet versions
//! of the same process, so they need not be stable across Rust releases.

use std::hash::{Hash, Hasher};

pub(crate) use rustc_hash::FxHasher as Combiner;

/// A version of `x`: SipHash, so that any change to any field changes it
/// with overwhelming likelihood, whatever the shape of the data.
pub(crate) fn version(x: impl Hash) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

/// Folds values that are already versions (or small integers beside them)
/// into one: FxHash, an order of magnitude faster than [`version`], and
/// most of what a rebuild hashes.
pub(crate) fn combine(x: impl Hash) -> u64 {
    let mut h = Combiner::default();
    x.hash(&mut h);
    h.finish()
}
