//! Atom feeds of analyses, written with quick-xml rather than templates so
//! that they are valid whatever the theme does: the site's, one per actor
//! (everything about it) and one per tag.
//!
//! Every date in them comes from the content (an analysis's `date` and
//! `updated`, fact dates), so two builds of the same input are
//! byte-identical.

use std::borrow::Cow;
use std::hash::Hash;
use std::io::{self, Write as _};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesStart, BytesText, Event};

use super::{Cx, Key, Kind, items};
use crate::hash::Combiner;
use crate::model::Date;
use crate::paths;
use crate::render::views::Views;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// `/feed.xml`: the site's newest analyses.
pub(crate) struct SiteFeed;

/// `/actors/<id>/feed.xml`: the analyses that concern or mention an actor.
pub(crate) struct ActorFeed;

/// `/tags/<slug>/feed.xml`.
pub(crate) struct TagFeed;

/// `/authors/<id>/feed.xml`: what an author writes.
pub(crate) struct AuthorFeed;

/// The analyses of `list` (newest first) a feed lists: as many as
/// `feed_limit` says (0: all), drafts never. A `--drafts` build is a
/// preview: its feeds and sitemap stay those of the published site.
fn feed_entries(cx: &Cx<'_>, list: &[usize]) -> Vec<usize> {
    let limit = match cx.config().feed_limit {
        0 => usize::MAX,
        limit => limit,
    };
    let analyses = &cx.site().model.analyses;
    list.iter()
        .copied()
        .filter(|&i| !analyses[i].draft)
        .take(limit)
        .collect()
}

impl Kind for SiteFeed {
    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, _: &Cx<'_>) -> Vec<Key> {
        vec![Key::ONE]
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::FEED.into()
    }

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        let all: Vec<usize> = (0..cx.site().model.analyses.len()).collect();
        cx.versions.cards(h, &feed_entries(cx, &all));
    }

    fn bytes(&self, cx: &Cx<'_>, _: Key, path: &str) -> Vec<u8> {
        let config = cx.config();
        let all: Vec<usize> = (0..cx.site().model.analyses.len()).collect();
        atom(
            cx,
            &FeedSpec {
                title: config.title.clone(),
                subtitle: config.description.as_deref(),
                page: String::new(),
                file: path,
                entries: &all,
                empty_updated: None,
            },
        )
    }
}

impl Kind for ActorFeed {
    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        items(cx.site().model.actors.len())
    }

    fn path(&self, cx: &Cx<'_>, key: Key) -> String {
        paths::actor_feed(&cx.site().model.actors[key.item].id)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let vs = &cx.versions;
        vs.actor_ref(key.item).hash(h);
        let list = &cx.site().actors[key.item].analyses;
        if list.is_empty() {
            // An empty feed is dated by the actor's facts.
            vs.actor(key.item).hash(h);
        }
        vs.cards(h, &feed_entries(cx, list));
    }

    fn bytes(&self, cx: &Cx<'_>, key: Key, path: &str) -> Vec<u8> {
        let a = &cx.site().model.actors[key.item];
        atom(
            cx,
            &FeedSpec {
                title: format!("{} · {}", a.name, cx.config().title),
                subtitle: None,
                page: paths::actor(&a.id),
                file: path,
                entries: &cx.site().actors[key.item].analyses,
                empty_updated: a.facts.iter().filter_map(|f| f.as_of).max(),
            },
        )
    }
}

impl Kind for TagFeed {
    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        items(cx.site().tags.len())
    }

    fn path(&self, cx: &Cx<'_>, key: Key) -> String {
        paths::tag_feed(&cx.site().tags[key.item].slug)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let t = &cx.site().tags[key.item];
        t.name.hash(h);
        cx.versions.cards(h, &feed_entries(cx, &t.analyses));
    }

    fn bytes(&self, cx: &Cx<'_>, key: Key, path: &str) -> Vec<u8> {
        let t = &cx.site().tags[key.item];
        atom(
            cx,
            &FeedSpec {
                title: format!("{} · {}", t.name, cx.config().title),
                subtitle: None,
                page: paths::tag(&t.slug),
                file: path,
                entries: &t.analyses,
                empty_updated: None,
            },
        )
    }
}

impl Kind for AuthorFeed {
    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        items(cx.site().authors.len())
    }

    fn path(&self, cx: &Cx<'_>, key: Key) -> String {
        paths::author_feed(&cx.site().model.authors[key.item].id)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let list = &cx.site().authors[key.item].analyses;
        cx.site().model.authors[key.item].ref_version.hash(h);
        cx.versions.cards(h, &feed_entries(cx, list));
    }

    fn bytes(&self, cx: &Cx<'_>, key: Key, path: &str) -> Vec<u8> {
        let a = &cx.site().model.authors[key.item];
        atom(
            cx,
            &FeedSpec {
                title: format!("{} · {}", a.name, cx.config().title),
                subtitle: None,
                page: paths::author(&a.id),
                file: path,
                entries: &cx.site().authors[key.item].analyses,
                empty_updated: None,
            },
        )
    }
}

/// One Atom feed: what it is about and which analyses it lists (newest first).
struct FeedSpec<'a> {
    title: String,
    subtitle: Option<&'a str>,
    /// Site path of the page the feed follows (`actors/csto/`).
    page: String,
    /// Site path of the feed itself (`actors/csto/feed.xml`).
    file: &'a str,
    entries: &'a [usize],
    /// `updated` of a feed with no entries (else the epoch).
    empty_updated: Option<Date>,
}

/// XML 1.0 cannot carry most control characters, not even escaped: a YAML
/// string written as `"\x01"` must not make the feed unreadable.
pub(super) fn xml_text(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| allowed(c)).collect())
    }
}

/// `2022-01-05T00:00:00Z`: Atom wants a timestamp; content has dates,
/// some only a month or year (their first day, then).
fn timestamp(d: Date) -> String {
    format!("{}T00:00:00Z", d.first_day())
}

pub(super) fn text_element<W: io::Write>(
    w: &mut Writer<W>,
    name: &str,
    text: &str,
) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_text(text)))?;
    Ok(())
}

pub(super) fn start<W: io::Write>(w: &mut Writer<W>) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
}

/// An Atom feed of the newest analyses of `spec.entries` (as many as
/// `feed_limit` allows).
fn atom(cx: &Cx<'_>, spec: &FeedSpec<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    // Writing to a Vec cannot fail.
    let _ = write_atom(&mut out, cx, spec);
    out
}

fn write_atom(out: &mut Vec<u8>, cx: &Cx<'_>, spec: &FeedSpec<'_>) -> io::Result<()> {
    let v = &cx.v;
    let entries = &feed_entries(cx, spec.entries)[..];
    // A feed with no entries still needs an `updated`.
    let updated = cx
        .newest_of(entries)
        .or(spec.empty_updated)
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), timestamp);
    let mut w = Writer::new_with_indent(out, b' ', 2);
    start(&mut w)?;
    let feed_url = v.permalink(spec.file);
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM_NS))
        .with_attribute(("xml:lang", v.config.language.as_str()))
        .write_inner_content(|w| {
            text_element(w, "title", &spec.title)?;
            if let Some(s) = spec.subtitle {
                text_element(w, "subtitle", s)?;
            }
            w.create_element("link")
                .with_attribute(("rel", "self"))
                .with_attribute(("type", "application/atom+xml"))
                .with_attribute(("href", feed_url.as_str()))
                .write_empty()?;
            w.create_element("link")
                .with_attribute(("rel", "alternate"))
                .with_attribute(("type", "text/html"))
                .with_attribute(("href", v.permalink(&spec.page).as_str()))
                .write_empty()?;
            text_element(w, "id", &feed_url)?;
            text_element(w, "updated", &updated)?;
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", &v.config.title))?;
            w.create_element("generator")
                .with_attribute(("version", env!("CARGO_PKG_VERSION")))
                .write_text_content(BytesText::new("dossier"))?;
            for &i in entries {
                w.get_mut().write_all(entry_bytes(v, i))?;
            }
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
}

/// Analysis `i`'s entry as it stands in a feed (a line break, then the
/// entry indented one level), written once per build.
fn entry_bytes<'v>(v: &'v Views<'_>, i: usize) -> &'v [u8] {
    v.feed_entries[i].get_or_init(|| {
        // Written inside a `<feed>` so that it is indented as it will
        // stand; the feed's start tag is then cut off.
        let mut out = Vec::with_capacity(1024);
        let mut w = Writer::new_with_indent(&mut out, b' ', 2);
        let _ = w.write_event(Event::Start(BytesStart::new("feed")));
        let _ = entry(&mut w, v, i);
        out.split_off(b"<feed>".len()).into_boxed_slice()
    })
}

fn entry<W: io::Write>(w: &mut Writer<W>, v: &Views<'_>, i: usize) -> io::Result<()> {
    let a = &v.site.model.analyses[i];
    let url = v.permalink(&paths::analysis(&a.slug));
    w.create_element("entry").write_inner_content(|w| {
        text_element(w, "title", &a.title)?;
        w.create_element("link")
            .with_attribute(("rel", "alternate"))
            .with_attribute(("type", "text/html"))
            .with_attribute(("href", url.as_str()))
            .write_empty()?;
        text_element(w, "id", &url)?;
        text_element(w, "published", &timestamp(a.date))?;
        text_element(w, "updated", &timestamp(a.modified()))?;
        for b in v.site.bylines(i) {
            let uri = b
                .author
                .map(|x| v.permalink(&paths::author(&v.site.model.authors[x].id)));
            w.create_element("author").write_inner_content(|w| {
                text_element(w, "name", b.name)?;
                if let Some(uri) = &uri {
                    text_element(w, "uri", uri)?;
                }
                Ok(())
            })?;
        }
        for slug in &v.site.analyses[i].tags {
            let label = v.site.tag(slug).map_or(slug.as_str(), |(_, t)| &t.name);
            w.create_element("category")
                .with_attribute(("term", slug.as_str()))
                .with_attribute(("label", xml_text(label).as_ref()))
                .with_attribute(("scheme", v.permalink(paths::TAGS).as_str()))
                .write_empty()?;
        }
        if let Some(s) = &a.summary {
            w.create_element("summary")
                .with_attribute(("type", "text"))
                .write_text_content(BytesText::new(&xml_text(s)))?;
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_and_the_rest_kept() {
        assert_eq!(xml_text("a\u{1}b\tc\u{FFFF}"), "ab\tc");
        assert!(matches!(xml_text("plain <text>"), Cow::Borrowed(_)));
    }
}
