//! Search: the search page, and the index the theme's `search.js` reads,
//! so that search works in the browser on any static host, downloading
//! only what a query needs (the design of Pagefind, in files of many
//! words and many documents rather than one per page):
//!
//! - `search/index.json`, the manifest: how many analyses, actors and
//!   events there are (documents are numbered in that order, so the kind
//!   filter is a range) and the first word of every shard;
//! - `search/words-<name>.json`, the shards: sorted ranges of words, each
//!   with the documents it occurs in and whether in the title or a name
//!   (which ranks first), and the facets the actor and tag filters read
//!   ([`docs::actor_facet`], [`docs::tag_facet`]); `search.js` fetches the
//!   shards that hold the words a query's words begin;
//! - `search/docs-<n>.json`, what the results show, [`DOCS_PER_FILE`]
//!   documents a file; `search.js` fetches those of the results it shows.
//!
//! The index is kept between builds ([`SearchCache`]) and updated by
//! difference ([`index`]): an edit rewrites the shards of the words it
//! changed and the one file of documents that holds its card.

mod docs;
mod index;

use std::hash::Hash;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use tera::Context;

use super::{Cx, Key, Kind, parts};
use crate::config::Search;
use crate::hash::Combiner;
use crate::paths;
use crate::render::meta::Meta;
use crate::render::versions::List;
use crate::render::views::{ActorGroup, TagView, actor_groups};
pub(crate) use index::DOCS_PER_FILE;
pub(crate) use index::Index;

/// `/search/`: the form and the filters.
pub(crate) struct SearchPage;

/// `search/index.json`: the document counts and the shard table.
pub(crate) struct SearchManifest;

/// `search/words-<name>.json`: `part` is the shard.
pub(crate) struct SearchWords;

/// `search/docs-<n>.json`: `part` is `n`.
pub(crate) struct SearchDocs;

/// Each edition's search index, as the last build left it, for the next
/// to update (`serve` keeps it in its render cache).
#[derive(Default)]
pub(crate) struct SearchCache {
    editions: Mutex<HashMap<String, Arc<Index>>>,
}

impl std::fmt::Debug for SearchCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchCache")
    }
}

/// Whether the site has search at all.
fn on(cx: &Cx<'_>) -> bool {
    cx.config().search != Search::Off
}

/// This edition's index, up to date: built once per build, from the one
/// the last build left in the cache.
fn index<'c>(cx: &'c Cx<'_>) -> &'c Index {
    cx.search.get_or_init(|| {
        let lang = &cx.config().language;
        let cached = cx.search_cache.and_then(|c| {
            c.editions
                .lock()
                .ok()
                .and_then(|mut editions| editions.remove(lang))
        });
        let mut index = cached.unwrap_or_default();
        // Shared only while a build reads it; never, between builds.
        if Arc::get_mut(&mut index).is_none() {
            index = Arc::default();
        }
        if let Some(ix) = Arc::get_mut(&mut index) {
            ix.update(&cx.v, &cx.versions);
        }
        if let Some(Ok(mut editions)) = cx.search_cache.map(|c| c.editions.lock()) {
            editions.insert(lang.clone(), Arc::clone(&index));
        }
        index
    })
}

impl Kind for SearchPage {
    fn template(&self) -> Option<&'static str> {
        Some("search.html")
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        if on(cx) { vec![Key::ONE] } else { Vec::new() }
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::SEARCH.into()
    }

    // The filters: every actor and tag.
    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        cx.versions.all(List::ActorRef, h);
        super::tags::hash_tags(cx, h);
    }

    fn context(&self, cx: &Cx<'_>, _: Key, ctx: &mut Context, meta: &mut Meta) {
        meta.title = cx.v.locale.text("search").into();
        meta.section = "search";
        let v = &cx.v;
        ctx.insert(
            "search",
            &SearchView {
                index: v.url(paths::SEARCH_INDEX),
                actor_groups: v.groups(actor_groups(v.site, usize::MAX)),
                tags: v.tags(),
            },
        );
    }
}

/// `search` on search.html: the index to load and the filters to offer.
#[derive(Serialize)]
pub(crate) struct SearchView {
    /// URL of the search index's manifest.
    pub index: String,
    /// Every actor, by kind (for the actor filter).
    pub actor_groups: Vec<ActorGroup>,
    pub tags: Vec<TagView>,
}

/// `search/index.json`.
#[derive(Serialize)]
struct Manifest<'a> {
    /// How many analyses, actors and events: documents are numbered in
    /// that order.
    docs: [usize; 3],
    /// Documents per `docs-<n>.json`: document `d` is in `docs-<d / per>.json`.
    per: usize,
    /// The URL of the folder of the index files.
    base: String,
    /// Per shard, in word order: its first word and its name
    /// (`words-<name>.json`).
    shards: Vec<[&'a str; 2]>,
}

impl Kind for SearchManifest {
    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        if on(cx) { vec![Key::ONE] } else { Vec::new() }
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::SEARCH_INDEX.into()
    }

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        let ix = index(cx);
        ix.counts.hash(h);
        for k in 0..ix.shards.len() {
            (ix.first_word(k), &ix.shards[k].name).hash(h);
        }
    }

    fn bytes(&self, cx: &Cx<'_>, _: Key, _: &str) -> Vec<u8> {
        let ix = index(cx);
        let manifest = Manifest {
            docs: ix.counts,
            per: DOCS_PER_FILE,
            base: cx.v.url(paths::SEARCH),
            shards: (0..ix.shards.len())
                .map(|k| [ix.first_word(k), ix.shards[k].name.as_str()])
                .collect(),
        };
        // Serialising plain strings and numbers cannot fail.
        serde_json::to_vec(&manifest).unwrap_or_default()
    }
}

impl Kind for SearchWords {
    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        match on(cx) {
            true => parts(index(cx).shards.len()),
            false => Vec::new(),
        }
    }

    fn path(&self, cx: &Cx<'_>, key: Key) -> String {
        paths::search_words(&index(cx).shards[key.part].name)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        index(cx).shards[key.part].hash.hash(h);
    }

    fn bytes(&self, cx: &Cx<'_>, key: Key, _: &str) -> Vec<u8> {
        index(cx).shard_bytes(key.part)
    }
}

impl Kind for SearchDocs {
    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        match on(cx) {
            true => parts(index(cx).doc_files()),
            false => Vec::new(),
        }
    }

    fn path(&self, _: &Cx<'_>, key: Key) -> String {
        paths::search_docs(key.part)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        index(cx).doc_file_hash(key.part, h);
    }

    fn bytes(&self, cx: &Cx<'_>, key: Key, _: &str) -> Vec<u8> {
        index(cx).doc_file_bytes(key.part)
    }
}

#[cfg(test)]
mod tests {
    /// docs/format.md says how many documents a file holds.
    #[test]
    fn the_format_docs_give_the_number_of_documents_a_file() {
        let docs = include_str!("../../../../docs/format.md");
        let phrase = format!("{} documents a file", super::DOCS_PER_FILE);
        assert!(docs.contains(&phrase), "docs/format.md lacks {phrase:?}");
    }
}
