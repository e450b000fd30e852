//! The site's URL scheme in one place: the path of every page, relative to
//! the base URL. Each page is a directory with an `index.html`.

pub const ANALYSES: &str = "analyses/";
pub const ACTORS: &str = "actors/";
pub const EVENTS: &str = "events/";
pub const TIMELINE: &str = "timeline/";
pub const TAGS: &str = "tags/";
pub const NOT_FOUND: &str = "404.html";
pub const ROBOTS: &str = "robots.txt";
/// The site's Atom feed; actor and tag pages have one of the same name.
pub const FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const SEARCH: &str = "search/";
/// The search index's manifest, which `search.js` loads first.
pub const SEARCH_INDEX: &str = "search/index.json";

/// Chunk `c` of the search index.
pub fn search_chunk(c: usize) -> String {
    format!("search/docs-{c}.json")
}

pub fn analysis(slug: &str) -> String {
    format!("analyses/{slug}/")
}

pub fn actor(id: &str) -> String {
    format!("actors/{id}/")
}

pub fn event(id: &str) -> String {
    format!("events/{id}/")
}

pub fn tag(slug: &str) -> String {
    format!("tags/{slug}/")
}

/// An actor's Atom feed: everything about it.
pub fn actor_feed(id: &str) -> String {
    format!("actors/{id}/{FEED}")
}

pub fn tag_feed(slug: &str) -> String {
    format!("tags/{slug}/{FEED}")
}

/// Page `n` (from 1) of a paginated list at `list` (`analyses/`): the
/// first page is the list itself, the others `analyses/page/2/`.
pub fn list_page(list: &str, n: usize) -> String {
    if n <= 1 {
        list.to_string()
    } else {
        format!("{list}page/{n}/")
    }
}

/// "Protest movements" → `protest-movements`.
pub fn tag_slug(tag: &str) -> String {
    slug::slugify(tag)
}

/// The file a page path is written to: `actors/x/` → `actors/x/index.html`.
pub fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}
