//! Corrections: every correction of every analysis, newest first, on one
//! page and in an Atom feed, so that readers who quoted an analysis learn
//! what changed.

use std::hash::Hash;
use std::io::{self, Write as _};

use quick_xml::Writer;
use quick_xml::events::BytesText;
use serde::Serialize;
use tera::Context;

use super::analyses::{CorrectionView, corrections};
use super::feeds::{start, text_element, xml_text};
use super::{Cx, Key, Kind, Listing};
use crate::hash::Combiner;
use crate::model::Date;
use crate::paths;
use crate::render::meta::Meta;
use crate::render::views::{AnalysisCard, LinkView};

/// `/corrections/`.
pub(crate) struct CorrectionList;

/// `/corrections/feed.xml`.
pub(crate) struct CorrectionFeed;

/// Every correction, newest first (then by analysis, as the model orders
/// them): (analysis, position among its corrections, date).
fn all(cx: &Cx<'_>) -> Vec<(usize, usize, Date)> {
    let mut out: Vec<(usize, usize, Date)> = cx
        .site()
        .model
        .analyses
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            a.corrections
                .iter()
                .enumerate()
                .map(move |(k, c)| (i, k, c.date))
        })
        .collect();
    out.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(b.1.cmp(&a.1)));
    out
}

/// What the list and the feed show: each corrected analysis's card and
/// page (its corrections are in its file).
fn hash_corrections(cx: &Cx<'_>, h: &mut Combiner) {
    for (i, k, _) in all(cx) {
        (cx.versions.analysis(i), k).hash(h);
    }
}

/// Only a site with corrections has the page and the feed.
fn keys(cx: &Cx<'_>) -> Vec<Key> {
    match cx.site().model.has_corrections() {
        true => vec![Key::ONE],
        false => Vec::new(),
    }
}

/// One entry of `/corrections/`.
#[derive(Serialize)]
pub(crate) struct CorrectionEntry {
    pub analysis: AnalysisCard,
    #[serde(flatten)]
    pub correction: CorrectionView,
    /// The correction in its analysis's page.
    pub url: String,
}

impl Kind for CorrectionList {
    fn template(&self) -> Option<&'static str> {
        Some("corrections.html")
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        keys(cx)
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::CORRECTIONS.into()
    }

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        hash_corrections(cx, h);
    }

    fn context(&self, cx: &Cx<'_>, _: Key, ctx: &mut Context, meta: &mut Meta) {
        let v = &cx.v;
        let entries: Vec<CorrectionEntry> = all(cx)
            .into_iter()
            .filter_map(|(i, k, _)| {
                let views = corrections(v, i);
                // `corrections` is newest first; `k` counts from the oldest.
                let correction = views.into_iter().rev().nth(k)?;
                let card = v.card(i);
                Some(CorrectionEntry {
                    url: format!("{}#{}", card.url, correction.id),
                    analysis: card,
                    correction,
                })
            })
            .collect();
        ctx.insert("corrections", &entries);
        meta.title = cx.v.locale.text("corrections").into();
        meta.section = "corrections";
        meta.feeds.push(LinkView {
            title: format!(
                "{} · {}",
                cx.v.locale.text("corrections"),
                cx.config().title
            ),
            url: v.url(&paths::corrections_feed()),
        });
    }

    fn sitemap(&self, cx: &Cx<'_>, _: Key) -> Listing {
        Listing::List(all(cx).first().map(|c| c.2))
    }
}

impl Kind for CorrectionFeed {
    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        keys(cx)
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::corrections_feed()
    }

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        hash_corrections(cx, h);
    }

    fn bytes(&self, cx: &Cx<'_>, _: Key, path: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(4096);
        // Writing to a Vec cannot fail.
        let _ = write_feed(&mut out, cx, path);
        out
    }
}

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

fn write_feed(out: &mut Vec<u8>, cx: &Cx<'_>, path: &str) -> io::Result<()> {
    let v = &cx.v;
    let list = all(cx);
    let stamp = |d: Date| format!("{}T00:00:00Z", d.first_day());
    let updated = list
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |c| stamp(c.2));
    let feed_url = v.permalink(path);
    let mut w = Writer::new_with_indent(out, b' ', 2);
    start(&mut w)?;
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM_NS))
        .with_attribute(("xml:lang", cx.config().language.as_str()))
        .write_inner_content(|w| {
            text_element(
                w,
                "title",
                &format!("{} · {}", v.locale.text("corrections"), cx.config().title),
            )?;
            w.create_element("link")
                .with_attribute(("rel", "self"))
                .with_attribute(("type", "application/atom+xml"))
                .with_attribute(("href", feed_url.as_str()))
                .write_empty()?;
            w.create_element("link")
                .with_attribute(("rel", "alternate"))
                .with_attribute(("type", "text/html"))
                .with_attribute(("href", v.permalink(paths::CORRECTIONS).as_str()))
                .write_empty()?;
            text_element(w, "id", &feed_url)?;
            text_element(w, "updated", &updated)?;
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", &cx.config().title))?;
            let limit = match cx.config().feed_limit {
                0 => list.len(),
                n => n,
            };
            for (i, k, date) in list.iter().copied().take(limit) {
                let a = &v.site.model.analyses[i];
                let view = corrections(v, i).into_iter().rev().nth(k);
                let Some(c) = view else { continue };
                let url = format!("{}#{}", v.permalink(&paths::analysis(&a.slug)), c.id);
                w.create_element("entry").write_inner_content(|w| {
                    text_element(
                        w,
                        "title",
                        &v.locale
                            .text_with("correction_title", &[("title", &a.title)]),
                    )?;
                    w.create_element("link")
                        .with_attribute(("rel", "alternate"))
                        .with_attribute(("type", "text/html"))
                        .with_attribute(("href", url.as_str()))
                        .write_empty()?;
                    text_element(w, "id", &url)?;
                    text_element(w, "updated", &stamp(date))?;
                    w.create_element("content")
                        .with_attribute(("type", "html"))
                        .write_text_content(BytesText::new(&xml_text(&c.text)))?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
}
