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
#[derive(Default)]
pub(crate) struct Sitemap {
    entries: OnceLock<Vec<(String, Option<Date>)>>,
}

impl Sitemap {
    fn entries(&self, cx: &Cx<'_>) -> &[(String, Option<Date>)] {
        self.entries.get_or_init(|| {
            cx.pages()
                .iter()
                .filter_map(|p| match p.kind.sitemap(cx, p.key) {
                    Listing::List(lastmod) => Some((p.path.clone(), lastmod)),
                    Listing::Omit => None,
                })
                .collect()
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
        self.entries(cx).hash(h);
    }

    fn bytes(&self, cx: &Cx<'_>, _: Key, _: &str) -> Vec<u8> {
        let entries = self.entries(cx);
        let mut out = Vec::with_capacity(128 * entries.len() + 256);
        // Writing to a Vec cannot fail.
        let _ = write(&mut out, cx, entries);
        out
    }
}

fn write(out: &mut Vec<u8>, cx: &Cx<'_>, pages: &[(String, Option<Date>)]) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    start(&mut w)?;
    w.create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for (path, lastmod) in pages {
                w.create_element("url").write_inner_content(|w| {
                    text_element(w, "loc", &cx.v.permalink(path))?;
                    // A full date: the first day of a month or year.
                    if let Some(d) = lastmod {
                        text_element(w, "lastmod", &d.first_day().to_string())?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
}
