//! Search: the search page, and the index the theme's `search.js` reads,
//! so that search works in the browser on any static host. Every analysis,
//! actor and event is a document with its title, a short text for the
//! result, the facets it can be filtered by (kind, actors, tags) and its
//! words: those of its title and names, then the distinct words of its
//! text (`text::search_terms`, computed once per rendered text and cached
//! by the link stage). Distinct words, not the full text: prefix search
//! needs no more, and the index is a third of the size.
//!
//! `search/index.json` lists the actors and tags (for the filters) and the
//! chunk files; each `search/docs-<n>.json` holds up to [`CHUNK`] documents.
//! Chunks keep a rebuild in `serve` cheap: an edit rewrites the one chunk
//! that holds the edited document, not an index of the whole site.

use std::hash::Hash;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::{Cx, Key, Kind, parts};
use crate::config::Search;
use crate::hash::Combiner;
use crate::link::Site;
use crate::paths;
use crate::render::meta::Meta;
use crate::render::views::{ActorGroup, TagView, Views, actor_groups};
use crate::text::{plain_text, search_terms_with, truncate_words};

/// `/search/`: the form and the filters.
pub(crate) struct SearchPage;

/// `search/index.json`: the filters' actors and tags, and the chunk files.
pub(crate) struct SearchManifest;

/// `search/docs-<n>.json`: `part` is the chunk.
pub(crate) struct SearchChunk;

/// Whether the site has search at all.
fn on(cx: &Cx<'_>) -> bool {
    cx.config().search != Search::Off
}

/// The filters (every actor and tag) and the number of chunks: what the
/// search page and the manifest show.
fn hash_filters(cx: &Cx<'_>, h: &mut Combiner) {
    cx.versions.actor_ref.hash(h);
    super::tags::hash_tags(cx, h);
    chunk_count(cx.site()).hash(h);
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

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        hash_filters(cx, h);
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
        hash_filters(cx, h);
    }

    fn bytes(&self, cx: &Cx<'_>, _: Key, _: &str) -> Vec<u8> {
        manifest(&cx.v)
    }
}

impl Kind for SearchChunk {
    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        if on(cx) {
            parts(chunk_count(cx.site()))
        } else {
            Vec::new()
        }
    }

    fn path(&self, _: &Cx<'_>, key: Key) -> String {
        paths::search_chunk(key.part)
    }

    // Its documents; facets are indices, so what they point at does not
    // matter here.
    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let (site, vs) = (cx.site(), &cx.versions);
        for n in chunk_range(site, key.part) {
            match doc_ref(site, n) {
                DocRef::Analysis(i) => {
                    let l = &site.analyses[i];
                    (0u8, vs.analysis[i]).hash(h);
                    for (a, _) in &l.actors {
                        a.hash(h);
                    }
                    for t in &l.tags {
                        site.tag(t).map(|(i, _)| i).hash(h);
                    }
                }
                DocRef::Actor(i) => (1u8, i, vs.actor[i], vs.actor_ref[i]).hash(h),
                DocRef::Event(i) => {
                    let l = &site.events[i];
                    (2u8, vs.event[i], vs.event_ref[i], l.place).hash(h);
                    for (a, _) in &l.participants {
                        a.hash(h);
                    }
                }
            }
        }
    }

    fn bytes(&self, cx: &Cx<'_>, key: Key, _: &str) -> Vec<u8> {
        chunk(&cx.v, key.part)
    }
}

/// How much of a summary a result shows.
const SNIPPET_CHARS: usize = 160;

/// Documents per chunk file.
const CHUNK: usize = 1000;

#[derive(Serialize)]
struct Manifest<'a> {
    /// Every actor, for the actor filter: `[id, name]`.
    actors: Vec<[&'a str; 2]>,
    /// Every tag, for the tag filter: `[slug, name]`.
    tags: Vec<[&'a str; 2]>,
    /// URLs of the chunk files, in order.
    chunks: Vec<String>,
}

#[derive(Serialize)]
struct Doc {
    /// `analysis`, `actor` or `event`.
    k: &'static str,
    /// Title or name.
    t: String,
    /// Other names (an actor's aliases), ranked like the title.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    n: Vec<String>,
    /// URL.
    u: String,
    /// A line under the title: date, role, place.
    m: String,
    /// Snippet: the summary, shortened.
    s: String,
    /// Indices into the manifest's `actors` this document concerns.
    a: Vec<usize>,
    /// Indices into the manifest's `tags`.
    g: Vec<usize>,
    /// Lowercased words of the title and aliases, then the distinct words
    /// of the text.
    w: String,
}

/// One document of the index: the `n`th of analyses, then actors, then events.
#[derive(Debug, Clone, Copy)]
enum DocRef {
    Analysis(usize),
    Actor(usize),
    Event(usize),
}

/// The `n`th document.
fn doc_ref(site: &Site, n: usize) -> DocRef {
    let (a, b) = (site.model.analyses.len(), site.model.actors.len());
    if n < a {
        DocRef::Analysis(n)
    } else if n < a + b {
        DocRef::Actor(n - a)
    } else {
        DocRef::Event(n - a - b)
    }
}

/// The documents of chunk `c`.
fn chunk_range(site: &Site, c: usize) -> std::ops::Range<usize> {
    let m = &site.model;
    let n = m.analyses.len() + m.actors.len() + m.events.len();
    (c * CHUNK).min(n)..((c + 1) * CHUNK).min(n)
}

/// How many chunk files the index has (at least one, so that an empty
/// site's search page still loads).
fn chunk_count(site: &Site) -> usize {
    let m = &site.model;
    (m.analyses.len() + m.actors.len() + m.events.len())
        .div_ceil(CHUNK)
        .max(1)
}

/// `search/index.json`.
fn manifest(v: &Views<'_>) -> Vec<u8> {
    let site = v.site;
    let manifest = Manifest {
        actors: site
            .model
            .actors
            .iter()
            .map(|a| [a.id.as_str(), a.name.as_str()])
            .collect(),
        tags: site
            .tags
            .iter()
            .map(|t| [t.slug.as_str(), t.name.as_str()])
            .collect(),
        chunks: (0..chunk_count(site))
            .map(|c| v.url(&paths::search_chunk(c)))
            .collect(),
    };
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_vec(&manifest).unwrap_or_default()
}

/// `search/docs-<c>.json`: the documents of chunk `c`, in order.
fn chunk(v: &Views<'_>, c: usize) -> Vec<u8> {
    let site = v.site;
    let docs: Vec<Doc> = chunk_range(site, c)
        .into_par_iter()
        .map(|n| match doc_ref(site, n) {
            DocRef::Analysis(i) => analysis(v, i),
            DocRef::Actor(i) => actor(v, i),
            DocRef::Event(i) => event(v, i),
        })
        .collect();
    serde_json::to_vec(&docs).unwrap_or_default()
}

fn analysis(v: &Views<'_>, i: usize) -> Doc {
    let a = &v.site.model.analyses[i];
    let links = &v.site.analyses[i];
    let summary = a.summary.as_deref().unwrap_or_default();
    let mut byline = v.locale.date(a.date);
    let authors = v.site.author_names(i).join(", ");
    if !authors.is_empty() {
        byline = format!("{authors} · {byline}");
    }
    Doc {
        k: "analysis",
        t: a.title.clone(),
        n: Vec::new(),
        u: v.url(&paths::analysis(&a.slug)),
        m: byline,
        s: truncate_words(summary, SNIPPET_CHARS),
        a: links.actors.iter().map(|&(i, _)| i).collect(),
        g: links
            .tags
            .iter()
            .filter_map(|s| v.site.tag(s).map(|(i, _)| i))
            .collect(),
        w: search_terms_with(
            &[&a.title, summary, &authors],
            match v.config.search {
                Search::Full => &links.body.terms,
                Search::Summaries | Search::Off => "",
            },
        ),
    }
}

/// A fact sheet's rendered summary as plain text (empty without one).
fn summary_text(summary: Option<&std::sync::Arc<crate::link::Text>>) -> String {
    summary.map(|t| plain_text(&t.html)).unwrap_or_default()
}

fn actor(v: &Views<'_>, i: usize) -> Doc {
    let a = &v.site.model.actors[i];
    let links = &v.site.actors[i];
    let summary = summary_text(links.summary.as_ref());
    let aliases: Vec<&str> = a.aliases.iter().map(|x| x.value.as_str()).collect();
    let mut line = v.locale.kind(a.kind).to_string();
    if let Some(role) = &a.role {
        line = format!("{line} · {role}");
    }
    Doc {
        k: "actor",
        t: a.name.clone(),
        n: aliases.iter().map(|s| s.to_string()).collect(),
        u: v.url(&paths::actor(&a.id)),
        m: line,
        s: truncate_words(&summary, SNIPPET_CHARS),
        a: vec![i],
        g: Vec::new(),
        w: search_terms_with(
            &[
                &a.name,
                &a.id,
                &aliases.join(" "),
                a.role.as_deref().unwrap_or_default(),
            ],
            links.summary.as_ref().map_or("", |t| t.terms.as_str()),
        ),
    }
}

fn event(v: &Views<'_>, i: usize) -> Doc {
    let e = &v.site.model.events[i];
    let links = &v.site.events[i];
    let summary = summary_text(links.summary.as_ref());
    let r = v.event_ref(i, None);
    let line = match &r.place {
        Some(place) => format!("{} · {place}", r.when),
        None => r.when.clone(),
    };
    let mut actors: Vec<usize> = links.participants.iter().map(|&(a, _)| a).collect();
    actors.extend(links.place);
    Doc {
        k: "event",
        t: e.title.clone(),
        n: Vec::new(),
        u: r.url,
        w: search_terms_with(
            &[&e.title, &e.id, r.place.as_deref().unwrap_or_default()],
            links.summary.as_ref().map_or("", |t| t.terms.as_str()),
        ),
        m: line,
        s: truncate_words(&summary, SNIPPET_CHARS),
        a: actors,
        g: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    /// docs/format.md says how many documents a chunk holds.
    #[test]
    fn the_format_docs_give_the_chunk_size() {
        let docs = include_str!("../../../docs/format.md");
        let (thousands, rest) = (super::CHUNK / 1000, super::CHUNK % 1000);
        let phrase = format!("chunk files of {thousands},{rest:03} documents");
        assert!(docs.contains(&phrase), "docs/format.md lacks {phrase:?}");
    }
}
