//! The word index: every distinct word of the documents with the documents
//! it occurs in (its postings), sorted and cut into shards by word range,
//! kept between builds and updated by difference.
//!
//! A rebuild compares each document's key with the one it had; for the few
//! that changed it recomputes their words and moves them in the postings of
//! only the words they gained or lost. Where shards are cut depends on the
//! words alone (a word whose hash has its low bits zero may start a shard
//! once the shard holds [`MIN_SHARD`] bytes; none grows past
//! [`MAX_SHARD`]), so an edit moves at most the cuts next to the words it
//! changed, and the shards elsewhere keep their names and bytes: `serve`
//! writes again only the shards whose words changed. The result depends on
//! the documents only, never on the edits that led to them, so an
//! incremental build writes what a full build writes.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::docs::{self, Document, Facets};
use crate::hash::Combiner;
use crate::render::versions::Versions;
use crate::render::views::Views;

/// Documents per `docs-<n>.json` file.
pub(crate) const DOCS_PER_FILE: usize = 50;

/// A shard holds at least this many bytes before a word may start the next.
pub(crate) const MIN_SHARD: usize = 16 * 1024;

/// No shard grows past this many bytes (unless one word's postings do).
pub(crate) const MAX_SHARD: usize = 64 * 1024;

/// One word in this many may start a shard (past [`MIN_SHARD`]).
const CUT_EVERY: u64 = 128;

/// Past this many changed documents (and this share of them), the
/// postings are rebuilt whole rather than patched.
const PATCH_MAX: usize = 256;
const PATCH_SHARE: usize = 8;

/// Documents a block of [`Index::rebuild`] numbers its words in.
const BLOCK: usize = 512;

/// A block of documents computed anew, with their words numbered within
/// the block.
struct Block {
    /// Its distinct words, one after the other, and where each ends.
    words: String,
    ends: Vec<usize>,
    /// Per document: None if kept, or its words (`number << 1 | in
    /// title`, each once, unsorted) and card.
    docs: Vec<Option<(Vec<u32>, String)>>,
}

impl Block {
    fn new(docs: Vec<Option<Document<'_>>>) -> Block {
        let (mut words, mut ends) = (String::new(), Vec::new());
        let lists: Vec<Option<Vec<u32>>> = {
            let mut numbers: HashMap<&str, u32> = HashMap::default();
            // Per word, the last document that had it and where in its
            // list: a word a document has twice is kept once (the lists
            // are sorted once their words have their slots).
            let mut last: Vec<(usize, usize)> = Vec::new();
            docs.iter()
                .enumerate()
                .map(|(d, doc)| {
                    let mut list: Vec<u32> = Vec::new();
                    for (w, title) in doc.as_ref()?.words() {
                        let n = *numbers.entry(w).or_insert_with(|| {
                            words.push_str(w);
                            ends.push(words.len());
                            last.push((usize::MAX, 0));
                            (ends.len() - 1) as u32
                        });
                        match &mut last[n as usize] {
                            (seen, at) if *seen == d => list[*at] |= u32::from(title),
                            seen => {
                                *seen = (d, list.len());
                                list.push(n << 1 | u32::from(title));
                            }
                        }
                    }
                    Some(list)
                })
                .collect()
        };
        let docs = docs
            .into_iter()
            .zip(lists)
            .map(|(doc, list)| Some((list?, doc?.card)))
            .collect();
        Block { words, ends, docs }
    }

    /// Its distinct words, by number.
    fn words(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(a, &b)| &self.words[a..b])
    }
}

/// Sorts `words` (`n << 1 | in title`) and keeps each `n` once, in the
/// title if any of its occurrences is.
fn once_each(words: &mut Vec<u32>) {
    words.sort_unstable();
    words.dedup_by(|later, kept| {
        let same = *later >> 1 == *kept >> 1;
        if same {
            *kept |= *later;
        }
        same
    });
}

/// One document as the index holds it.
#[derive(Clone)]
struct Doc {
    key: u64,
    /// Its words: `slot << 1 | in title`, ascending, one per word.
    words: Box<[u32]>,
    /// What a result shows (a JSON object).
    card: Box<str>,
}

/// One distinct word.
#[derive(Default)]
struct Word {
    text: Arc<str>,
    /// Documents it occurs in: `doc << 1 | in title`, ascending.
    postings: Vec<u32>,
    /// Its entry in a shard, `["word",[…]]`: postings as differences from
    /// the previous document, each `delta << 1 | in title`.
    entry: Vec<u8>,
    /// A version of `entry`.
    hash: u64,
    /// Whether a shard may start at it.
    cut: bool,
    /// Whether it is in [`Index::order`] (it has postings).
    listed: bool,
}

/// One shard: a range of [`Index::order`].
pub(crate) struct Shard {
    start: usize,
    end: usize,
    /// Its file is `words-<name>.json`: a hash of its first word, so that
    /// shards keep their files when others are cut anew.
    pub name: String,
    /// A version of its bytes.
    pub hash: u64,
}

/// The search index of one edition.
#[derive(Default)]
pub(crate) struct Index {
    docs: Vec<Doc>,
    words: Vec<Word>,
    /// Slots of `words` no word uses.
    free: Vec<u32>,
    slots: HashMap<Arc<str>, u32>,
    /// Slots of the words that have postings, in the order of their text
    /// as UTF-16 (how `search.js` compares strings).
    order: Vec<u32>,
    pub shards: Vec<Shard>,
    /// Analyses, actors and events.
    pub counts: [usize; 3],
}

impl Index {
    /// Brings the index up to date with the documents of `v`.
    pub(crate) fn update(&mut self, v: &Views<'_>, vs: &Versions<'_>) {
        let keys = docs::keys(v.site, vs);
        let counts = docs::counts(v.site);
        let changed: Vec<usize> = match keys.len() == self.docs.len() {
            true => (0..keys.len())
                .filter(|&n| self.docs[n].key != keys[n])
                .collect(),
            false => (0..keys.len()).collect(),
        };
        self.counts = counts;
        if changed.is_empty() && !self.shards.is_empty() {
            return;
        }
        let many = changed.len() > PATCH_MAX && changed.len() * PATCH_SHARE > keys.len();
        // A document added or removed renumbers those after it.
        let facets = Facets::new(v.site);
        if many || keys.len() != self.docs.len() {
            self.rebuild(v, &facets, &keys);
        } else {
            self.patch(v, &facets, &keys, &changed);
        }
        self.cut();
    }

    /// Recomputes the postings of every word (the documents whose key the
    /// index already holds are not computed again).
    fn rebuild(&mut self, v: &Views<'_>, facets: &Facets, keys: &[u64]) {
        let old: HashMap<u64, Doc> = std::mem::take(&mut self.docs)
            .into_iter()
            .map(|d| (d.key, d))
            .collect();
        // The new documents, in blocks that number their words themselves,
        // in parallel: the index's own table is then asked once per word
        // of a block, not once per word of each document.
        let blocks: Vec<Block> = keys
            .par_chunks(BLOCK)
            .enumerate()
            .map(|(b, keys)| {
                let fresh = keys.iter().enumerate().map(|(k, key)| {
                    let n = b * BLOCK + k;
                    (!old.contains_key(key)).then(|| docs::document(v, facets, n))
                });
                Block::new(fresh.collect())
            })
            .collect();
        let slots: Vec<Vec<u32>> = blocks
            .iter()
            .map(|b| b.words().map(|w| self.slot(w)).collect())
            .collect();
        let fresh: Vec<Option<Doc>> = blocks
            .into_par_iter()
            .zip(slots)
            .zip(keys.par_chunks(BLOCK))
            .flat_map_iter(|((block, slots), keys)| {
                block.docs.into_iter().zip(keys).map(move |(doc, &key)| {
                    doc.map(|(local, card)| {
                        let mut words: Vec<u32> = local
                            .iter()
                            .map(|&w| slots[(w >> 1) as usize] << 1 | (w & 1))
                            .collect();
                        words.sort_unstable();
                        Doc {
                            key,
                            words: words.into_boxed_slice(),
                            card: card.into_boxed_str(),
                        }
                    })
                })
            })
            .collect();
        let mut docs = Vec::with_capacity(keys.len());
        for (n, (doc, key)) in fresh.into_iter().zip(keys).enumerate() {
            docs.push(match doc.or_else(|| old.get(key).cloned()) {
                Some(doc) => doc,
                // Not computed only because it was kept: never taken.
                None => self.intern(*key, &docs::document(v, facets, n)),
            });
        }
        drop(old);
        // Postings, in parallel by range of slots.
        let per = self
            .words
            .len()
            .div_ceil(rayon::current_num_threads())
            .max(1);
        self.words
            .par_chunks_mut(per)
            .enumerate()
            .for_each(|(c, words)| {
                let (lo, hi) = ((c * per) as u32, (c * per + words.len()) as u32);
                for w in words.iter_mut() {
                    w.postings.clear();
                }
                for (n, d) in docs.iter().enumerate() {
                    let from = d.words.partition_point(|&s| s >> 1 < lo);
                    let to = d.words.partition_point(|&s| s >> 1 < hi);
                    for &s in &d.words[from..to] {
                        let p = (n as u32) << 1 | (s & 1);
                        words[((s >> 1) - lo) as usize].postings.push(p);
                    }
                }
            });
        self.docs = docs;
        // Words no document has any more give their slot back.
        for slot in 0..self.words.len() {
            let w = &mut self.words[slot];
            if w.postings.is_empty() && !w.text.is_empty() {
                self.slots.remove(&w.text);
                *w = Word::default();
                self.free.push(slot as u32);
            }
        }
        self.words.par_iter_mut().for_each(|w| {
            w.listed = !w.postings.is_empty();
            if w.listed {
                w.encode();
            }
        });
        let mut order: Vec<u32> = (0..self.words.len() as u32)
            .filter(|&s| self.words[s as usize].listed)
            .collect();
        let words = &self.words;
        order.par_sort_unstable_by(|&a, &b| {
            utf16_cmp(&words[a as usize].text, &words[b as usize].text)
        });
        self.order = order;
    }

    /// Moves the documents at `changed` to the words they have now.
    fn patch(&mut self, v: &Views<'_>, facets: &Facets, keys: &[u64], changed: &[usize]) {
        let fresh: Vec<(usize, Document<'_>)> = changed
            .par_iter()
            .map(|&n| (n, docs::document(v, facets, n)))
            .collect();
        let mut dirty: HashSet<u32> = HashSet::default();
        for (n, doc) in fresh {
            let new = self.intern(keys[n], &doc);
            let old = std::mem::replace(&mut self.docs[n], new);
            let n = n as u32;
            let new = &self.docs[n as usize].words;
            let (mut i, mut j) = (0, 0);
            // Both lists ascend by slot: walk them side by side.
            loop {
                let (a, b) = (old.words.get(i).copied(), new.get(j).copied());
                let (slot, posting) = match (a, b) {
                    (None, None) => break,
                    (Some(a), Some(b)) if a >> 1 == b >> 1 => {
                        (i, j) = (i + 1, j + 1);
                        if a == b {
                            continue;
                        }
                        // The same word, now in the title or no longer.
                        (b >> 1, Some(n << 1 | (b & 1)))
                    }
                    (Some(a), Some(b)) if a >> 1 < b >> 1 => {
                        i += 1;
                        (a >> 1, None)
                    }
                    (Some(a), None) => {
                        i += 1;
                        (a >> 1, None)
                    }
                    (_, Some(b)) => {
                        j += 1;
                        (b >> 1, Some(n << 1 | (b & 1)))
                    }
                };
                let p = &mut self.words[slot as usize].postings;
                match (p.binary_search_by_key(&n, |x| x >> 1), posting) {
                    (Ok(at), Some(x)) => p[at] = x,
                    (Ok(at), None) => {
                        p.remove(at);
                    }
                    (Err(at), Some(x)) => p.insert(at, x),
                    (Err(_), None) => {}
                }
                dirty.insert(slot);
            }
        }
        let mut dirty: Vec<u32> = dirty.into_iter().collect();
        dirty.sort_unstable();
        for slot in dirty {
            let words = &self.words;
            let w = &words[slot as usize];
            let at = self
                .order
                .binary_search_by(|&s| utf16_cmp(&words[s as usize].text, &w.text));
            match (w.postings.is_empty(), at) {
                (true, at) => {
                    // No document has it any more (or a changed document
                    // had it and lost it again).
                    if let (true, Ok(at)) = (w.listed, at) {
                        self.order.remove(at);
                    }
                    self.slots.remove(&w.text);
                    self.words[slot as usize] = Word::default();
                    self.free.push(slot);
                }
                (false, at) => {
                    if let (false, Err(at)) = (w.listed, at) {
                        self.order.insert(at, slot);
                    }
                    let w = &mut self.words[slot as usize];
                    w.listed = true;
                    w.encode();
                }
            }
        }
    }

    /// A document's words as slots (new words get one), sorted, each once
    /// (in the title if any of its occurrences is).
    fn intern(&mut self, key: u64, doc: &Document<'_>) -> Doc {
        let mut words: Vec<u32> = doc
            .words()
            .map(|(w, title)| self.slot(w) << 1 | u32::from(title))
            .collect();
        once_each(&mut words);
        Doc {
            key,
            words: words.into_boxed_slice(),
            card: doc.card.as_str().into(),
        }
    }

    fn slot(&mut self, word: &str) -> u32 {
        if let Some(&s) = self.slots.get(word) {
            return s;
        }
        let text: Arc<str> = Arc::from(word);
        let w = Word {
            text: Arc::clone(&text),
            cut: fnv(word.as_bytes()).is_multiple_of(CUT_EVERY),
            ..Word::default()
        };
        let slot = match self.free.pop() {
            Some(s) => {
                self.words[s as usize] = w;
                s
            }
            None => {
                self.words.push(w);
                (self.words.len() - 1) as u32
            }
        };
        self.slots.insert(text, slot);
        slot
    }

    /// Cuts the sorted words into shards.
    fn cut(&mut self) {
        let mut shards = Vec::new();
        let mut names = HashSet::default();
        let mut start = 0;
        let mut size = 0;
        let mut h = Combiner::default();
        let mut close = |start: usize, end: usize, h: &mut Combiner| {
            let first = self
                .order
                .get(start)
                .map_or("", |&s| &*self.words[s as usize].text);
            let mut name = format!("{:016x}", fnv(first.as_bytes()));
            // Two first words with one hash: the later shard's name says
            // where it is.
            if !names.insert(name.clone()) {
                name = format!("{name}-{}", shards.len());
                names.insert(name.clone());
            }
            shards.push(Shard {
                start,
                end,
                name,
                hash: std::mem::take(h).finish(),
            });
        };
        for (k, &slot) in self.order.iter().enumerate() {
            let w = &self.words[slot as usize];
            let len = w.entry.len() + 1;
            if k > start && ((size >= MIN_SHARD && w.cut) || size + len > MAX_SHARD) {
                close(start, k, &mut h);
                start = k;
                size = 0;
            }
            size += len;
            w.hash.hash(&mut h);
        }
        close(start, self.order.len(), &mut h);
        self.shards = shards;
    }

    /// The first word of shard `k` (empty for an empty index).
    pub(crate) fn first_word(&self, k: usize) -> &str {
        let s = &self.shards[k];
        self.order
            .get(s.start)
            .map_or("", |&slot| &self.words[slot as usize].text)
    }

    /// The bytes of shard `k`: `[["word",[…]],…]`.
    pub(crate) fn shard_bytes(&self, k: usize) -> Vec<u8> {
        let s = &self.shards[k];
        let slots = &self.order[s.start..s.end];
        let len: usize = slots
            .iter()
            .map(|&x| self.words[x as usize].entry.len() + 1)
            .sum();
        let mut out = Vec::with_capacity(len + 2);
        out.push(b'[');
        for (i, &slot) in slots.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&self.words[slot as usize].entry);
        }
        out.push(b']');
        out
    }

    /// How many `docs-<n>.json` files there are (at least one).
    pub(crate) fn doc_files(&self) -> usize {
        self.docs.len().div_ceil(DOCS_PER_FILE).max(1)
    }

    fn doc_range(&self, file: usize) -> std::ops::Range<usize> {
        let n = self.docs.len();
        (file * DOCS_PER_FILE).min(n)..((file + 1) * DOCS_PER_FILE).min(n)
    }

    /// A version of `docs-<file>.json`: its documents' keys.
    pub(crate) fn doc_file_hash(&self, file: usize, h: &mut Combiner) {
        for d in &self.docs[self.doc_range(file)] {
            d.key.hash(h);
        }
    }

    /// The bytes of `docs-<file>.json`: its documents' cards, in order.
    pub(crate) fn doc_file_bytes(&self, file: usize) -> Vec<u8> {
        let docs = &self.docs[self.doc_range(file)];
        let mut out = Vec::with_capacity(docs.iter().map(|d| d.card.len() + 1).sum::<usize>() + 2);
        out.push(b'[');
        for (i, d) in docs.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(d.card.as_bytes());
        }
        out.push(b']');
        out
    }
}

impl Word {
    fn encode(&mut self) {
        let mut out = std::mem::take(&mut self.entry);
        out.clear();
        out.reserve(self.text.len() + 4 + self.postings.len() * 3);
        out.push(b'[');
        // Words are letters, digits and a facet's `!`, `:` and `-`, but
        // JSON escaping costs nothing to be sure of.
        let _ = serde_json::to_writer(&mut out, &*self.text);
        out.extend_from_slice(b",[");
        let mut prev = 0;
        for (i, &p) in self.postings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let doc = p >> 1;
            push_number(&mut out, (doc - prev) << 1 | (p & 1));
            prev = doc;
        }
        out.extend_from_slice(b"]]");
        self.hash = crate::hash::combine(&out);
        self.entry = out;
    }
}

/// Writes `n` in decimal.
fn push_number(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// FNV-1a: a hash fixed forever, for what reaches the output (where shards
/// are cut, their names), unlike the process-local versions elsewhere.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Compares two strings as JavaScript does: by UTF-16 code units (which
/// differs from Rust's order only for characters beyond U+FFFF).
pub(crate) fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::{push_number, utf16_cmp};
    use std::cmp::Ordering;

    #[test]
    fn strings_sort_as_javascript_sorts_them() {
        assert_eq!(utf16_cmp("alpha", "alps"), Ordering::Less);
        assert_eq!(utf16_cmp("!a:x", "0"), Ordering::Less);
        // U+FF21 (fullwidth A) sorts after U+10400 in Rust, before it in
        // UTF-16, where U+10400 is the surrogate pair D801 DC00.
        assert_eq!(utf16_cmp("\u{10400}", "\u{ff21}"), Ordering::Less);
        assert_eq!(utf16_cmp("токаев", "токай"), "токаев".cmp("токай"));
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut out = Vec::new();
        for n in [0, 7, 10, 4_294_967_295] {
            push_number(&mut out, n);
            out.push(b' ');
        }
        assert_eq!(out, b"0 7 10 4294967295 ");
    }
}
