//! Machine-readable pages, written with quick-xml rather than templates so
//! that they are valid whatever the theme does: Atom feeds of analyses (the
//! site's, one per actor, one per tag) and `sitemap.xml`.
//!
//! Every date in them comes from the content (an analysis's `date` and
//! `updated`, fact dates, event dates), so two builds of the same input are
//! byte-identical.

use std::borrow::Cow;
use std::io::{self, Write as _};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::Page;
use super::views::Views;
use crate::model::Date;
use crate::paths;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One Atom feed: what it is about and which analyses it lists (newest first).
pub struct FeedSpec<'a> {
    pub title: String,
    pub subtitle: Option<&'a str>,
    /// Site path of the page the feed follows (`actors/csto/`).
    pub page: String,
    /// Site path of the feed itself (`actors/csto/feed.xml`).
    pub file: &'a str,
    pub entries: &'a [usize],
    /// `updated` of a feed with no entries (else the epoch).
    pub empty_updated: Option<Date>,
}

/// XML 1.0 cannot carry most control characters, not even escaped: a YAML
/// string written as `"\x01"` must not make the feed unreadable.
fn xml_text(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| allowed(c)).collect())
    }
}

/// `2022-01-05T00:00:00Z`: Atom wants a timestamp; content has dates.
fn timestamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

fn text_element<W: io::Write>(w: &mut Writer<W>, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_text(text)))?;
    Ok(())
}

fn start<W: io::Write>(w: &mut Writer<W>) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
}

/// The newest date an analysis carries: its `updated`, else its `date`.
pub fn analysis_modified(v: &Views<'_>, i: usize) -> Date {
    let a = &v.site.model.analyses[i];
    a.updated.map_or(a.date, |u| u.max(a.date))
}

/// The newest content date a page shows, for the sitemap: an analysis's
/// `updated` or `date`; for an actor, event or tag, the newest of its
/// analyses and fact dates (and an event's own dates). List pages are given
/// the site's newest date by the caller.
pub fn lastmod(v: &Views<'_>, page: Page<'_>) -> Option<Date> {
    let site = v.site;
    let newest = |list: &[usize]| list.iter().map(|&i| analysis_modified(v, i)).max();
    let facts = |facts: &[crate::model::Fact]| facts.iter().filter_map(|f| f.as_of).max();
    match page {
        Page::Analysis(i) => Some(analysis_modified(v, i)),
        Page::Actor(i) => newest(&site.actors[i].analyses).max(facts(&site.model.actors[i].facts)),
        Page::Event(i) => {
            let e = &site.model.events[i];
            newest(&site.events[i].analyses)
                .max(facts(&e.facts))
                .max(Some(e.end.map_or(e.date, |end| end.max(e.date))))
        }
        Page::Tag(slug, k) => site.tags.get(slug).and_then(|t| {
            let range = crate::config::page_range(v.config.paginate, k, t.analyses.len());
            newest(&t.analyses[range])
        }),
        _ => None,
    }
}

/// An Atom feed of the newest analyses of `spec.entries` (as many as
/// `feed_limit` allows).
pub fn atom(v: &Views<'_>, spec: &FeedSpec<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    // Writing to a Vec cannot fail.
    let _ = write_atom(&mut out, v, spec);
    out
}

fn write_atom(out: &mut Vec<u8>, v: &Views<'_>, spec: &FeedSpec<'_>) -> io::Result<()> {
    let entries = &spec.entries[..v.config.feed_len(spec.entries.len())];
    // A feed with no entries still needs an `updated`.
    let updated = entries
        .iter()
        .map(|&i| analysis_modified(v, i))
        .max()
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
                entry(w, v, i)?;
            }
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
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
        text_element(w, "updated", &timestamp(analysis_modified(v, i)))?;
        for name in &a.authors {
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", name))?;
        }
        for slug in &v.site.analyses[i].tags {
            let label = v.site.tags.get(slug).map_or(slug.as_str(), |t| &t.name);
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

/// `sitemap.xml`: every page's absolute URL, with the newest content date it
/// shows as `lastmod` where it shows any.
pub fn sitemap(v: &Views<'_>, pages: &[(String, Option<Date>)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 * pages.len() + 256);
    let _ = write_sitemap(&mut out, v, pages);
    out
}

fn write_sitemap(
    out: &mut Vec<u8>,
    v: &Views<'_>,
    pages: &[(String, Option<Date>)],
) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    start(&mut w)?;
    w.create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for (path, lastmod) in pages {
                w.create_element("url").write_inner_content(|w| {
                    text_element(w, "loc", &v.permalink(path))?;
                    if let Some(d) = lastmod {
                        text_element(w, "lastmod", &d.to_string())?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
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
