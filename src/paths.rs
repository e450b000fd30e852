//! The site's URL scheme in one place: the path of every page, relative to
//! the base URL. Each page is a directory with an `index.html`.

pub(crate) const ANALYSES: &str = "analyses/";
pub(crate) const ACTORS: &str = "actors/";
pub(crate) const EVENTS: &str = "events/";
pub(crate) const TIMELINE: &str = "timeline/";
pub(crate) const TAGS: &str = "tags/";
pub(crate) const SOURCES: &str = "sources/";
pub(crate) const NOT_FOUND: &str = "404.html";
pub(crate) const ROBOTS: &str = "robots.txt";
/// The site's Atom feed; actor and tag pages have one of the same name.
pub(crate) const FEED: &str = "feed.xml";
pub(crate) const SITEMAP: &str = "sitemap.xml";
pub(crate) const SEARCH: &str = "search/";
/// The search index's manifest, which `search.js` loads first.
pub(crate) const SEARCH_INDEX: &str = "search/index.json";

/// File `n` of the search index's documents (what results show).
pub(crate) fn search_docs(n: usize) -> String {
    format!("search/docs-{n}.json")
}

/// A shard of the search index's words, by its name.
pub(crate) fn search_words(name: &str) -> String {
    format!("search/words-{name}.json")
}

pub(crate) fn analysis(slug: &str) -> String {
    format!("analyses/{slug}/")
}

pub(crate) fn actor(id: &str) -> String {
    format!("actors/{id}/")
}

pub(crate) fn event(id: &str) -> String {
    format!("events/{id}/")
}

pub(crate) const AUTHORS: &str = "authors/";
pub(crate) const CORRECTIONS: &str = "corrections/";
pub(crate) const DATA: &str = "data/";

/// One of the open-data files.
pub(crate) fn data_file(name: &str) -> String {
    format!("{DATA}{name}")
}

pub(crate) fn corrections_feed() -> String {
    format!("{CORRECTIONS}{FEED}")
}

pub(crate) fn author(id: &str) -> String {
    format!("authors/{id}/")
}

pub(crate) fn author_feed(id: &str) -> String {
    format!("authors/{id}/{FEED}")
}

pub(crate) fn source(id: &str) -> String {
    format!("sources/{id}/")
}

pub(crate) fn tag(slug: &str) -> String {
    format!("tags/{slug}/")
}

/// An actor's Atom feed: everything about it.
pub(crate) fn actor_feed(id: &str) -> String {
    format!("actors/{id}/{FEED}")
}

pub(crate) fn tag_feed(slug: &str) -> String {
    format!("tags/{slug}/{FEED}")
}

/// Page `n` (from 1) of a paginated list at `list` (`analyses/`): the
/// first page is the list itself, the others `analyses/page/2/`.
pub(crate) fn list_page(list: &str, n: usize) -> String {
    if n <= 1 {
        list.to_string()
    } else {
        format!("{list}page/{n}/")
    }
}

/// "Protest movements" → `protest-movements`.
pub(crate) fn tag_slug(tag: &str) -> String {
    slug::slugify(tag)
}

/// The file a page path is written to: `actors/x/` → `actors/x/index.html`.
pub(crate) fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}
