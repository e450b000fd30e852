//! `sitemap.xml`: every page readers land on, with the newest content date
//! it shows as `lastmod` (each kind says whether and with which date, in
//! [`Kind::sitemap`]). Written with quick-xml, valid whatever the theme.

use std::hash::Hash;
use std::io::{self, Write as _};
use std::sync::OnceLock;

use quick_xml::Writer;

use super::feeds::{start, text_element};
use super::{Cx, Key, Kind, Listing};
use crate::hash::Combiner;
use crate::model::Date;
use crate::paths;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// `/sitemap.xml`. Its entries are gathered once per build: they are both
/// its signature (cheaper to hash than to write as XML) and its content.
/// On a site in several languages, each page lists its versions in the
/// others (`xhtml:link rel="alternate" hreflang`).
#[derive(Default)]
pub(crate) struct Sitemap {
    entries: OnceLock<Vec<Entry>>,
}

/// A page's absolute URL, its `lastmod`, its versions in other languages.
type Entry = (String, Option<Date>, Vec<super::Alternate>);

impl Sitemap {
    fn entries(&self, cx: &Cx<'_>) -> &[Entry] {
        self.entries.get_or_init(|| match cx.world() {
            Some(world) => world.sitemap(),
            None => cx
                .pages()
                .iter()
                .filter_map(|p| match p.kind.sitemap(cx, p.key) {
                    Listing::List(lastmod) => Some((cx.v.permalink(&p.path), lastmod, Vec::new())),
                    Listing::Omit => None,
                })
                .collect(),
        })
    }
}

impl Kind for Sitemap {
    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, _: &Cx<'_>) -> Vec<Key> {
        vec![Key::ONE]
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::SITEMAP.into()
    }

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        match cx.world() {
            // The entries are made only if the sitemap is written.
            Some(world) => world.hash_sitemap(h),
            None => self.entries(cx).hash(h),
        }
    }

    fn bytes(&self, cx: &Cx<'_>, _: Key, _: &str) -> Vec<u8> {
        let entries = self.entries(cx);
        let mut out = Vec::with_capacity(128 * entries.len() + 256);
        // Writing to a Vec cannot fail.
        let _ = write(&mut out, entries);
        out
    }

    fn shared(&self) -> bool {
        true
    }
}

const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

fn write(out: &mut Vec<u8>, pages: &[Entry]) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    start(&mut w)?;
    let many = pages
        .iter()
        .any(|(_, _, alternates)| !alternates.is_empty());
    let mut urlset = w
        .create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS));
    if many {
        urlset = urlset.with_attribute(("xmlns:xhtml", XHTML_NS));
    }
    urlset.write_inner_content(|w| {
        for (url, lastmod, alternates) in pages {
            w.create_element("url").write_inner_content(|w| {
                text_element(w, "loc", url)?;
                // A full date: the first day of a month or year.
                if let Some(d) = lastmod {
                    text_element(w, "lastmod", &d.first_day().to_string())?;
                }
                for a in alternates {
                    w.create_element("xhtml:link")
                        .with_attribute(("rel", "alternate"))
                        .with_attribute(("hreflang", a.lang.as_str()))
                        .with_attribute(("href", a.permalink.as_str()))
                        .write_empty()?;
                }
                if let Some(d) = alternates.iter().find(|a| a.default) {
                    w.create_element("xhtml:link")
                        .with_attribute(("rel", "alternate"))
                        .with_attribute(("hreflang", "x-default"))
                        .with_attribute(("href", d.permalink.as_str()))
                        .write_empty()?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })?;
    w.get_mut().write_all(b"\n")
}
