//! The home page: the newest analyses, the latest events, the actors most
//! written about, and how much the site holds.

use std::hash::Hash;

use serde_json::{Value, json};
use tera::Context;

use super::{Cx, Key, Kind, Listing};
use crate::hash::Combiner;
use crate::render::meta::{self, Meta};
use crate::render::views::actor_groups;

/// How many of the newest analyses the home page shows.
pub(crate) const LATEST_ANALYSES: usize = 10;
/// How many of the latest events it shows.
pub(crate) const LATEST_EVENTS: usize = 8;
/// How many actors of each kind it names: those most analyses are about.
pub(crate) const ACTORS_PER_KIND: usize = 12;

pub(crate) struct Home;

impl Kind for Home {
    fn template(&self) -> Option<&'static str> {
        Some("index.html")
    }

    fn keys(&self, _: &Cx<'_>) -> Vec<Key> {
        vec![Key::ONE]
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        String::new()
    }

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        let site = cx.site();
        let m = &site.model;
        cx.versions.cards(h, &latest_analyses(cx));
        cx.versions
            .event_refs(h, &site.timeline[latest_events(cx)..]);
        for (_, list, total) in actor_groups(site, ACTORS_PER_KIND) {
            cx.versions.actor_refs(h, &list);
            total.hash(h);
        }
        (
            m.analyses.len(),
            m.actors.len(),
            m.events.len(),
            site.tags.len(),
        )
            .hash(h);
    }

    fn context(&self, cx: &Cx<'_>, _: Key, ctx: &mut Context, meta: &mut Meta) {
        let v = &cx.v;
        let events: Vec<_> = cx.site().timeline[latest_events(cx)..]
            .iter()
            .map(|&i| v.event_ref(i, None))
            .collect();
        ctx.insert_value("analyses", v.cards(latest_analyses(cx).into_iter()));
        ctx.insert("events", &events);
        ctx.insert(
            "actor_groups",
            &v.groups(actor_groups(cx.site(), ACTORS_PER_KIND)),
        );
        ctx.insert("counts", &v.counts());
        meta.title = cx.config().title.clone();
        meta.section = "home";
        meta.description = cx.config().description.as_deref().map(meta::describe);
        meta.json_ld = Some(meta::script_json(&website(cx)));
    }

    fn sitemap(&self, cx: &Cx<'_>, _: Key) -> Listing {
        Listing::List(cx.newest())
    }
}

fn latest_analyses(cx: &Cx<'_>) -> Vec<usize> {
    (0..cx.site().model.analyses.len().min(LATEST_ANALYSES)).collect()
}

/// Where the latest events start in the timeline: the last
/// [`LATEST_EVENTS`], and the rest of the first one's day, so that a day
/// is never shown in part (an event that shares its date with those shown
/// is not left out).
fn latest_events(cx: &Cx<'_>) -> usize {
    let site = cx.site();
    let timeline = &site.timeline;
    let date = |k: usize| site.model.events[timeline[k]].date;
    let mut start = timeline.len().saturating_sub(LATEST_EVENTS);
    while start > 0 && start < timeline.len() && date(start - 1) == date(start) {
        start -= 1;
    }
    start
}

/// JSON-LD: the site as a `WebSite`.
fn website(cx: &Cx<'_>) -> Value {
    let config = cx.config();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": config.title,
        "url": cx.v.permalink(""),
        "inLanguage": config.language,
    });
    if let Some(d) = &config.description {
        ld["description"] = json!(d);
    }
    ld
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/templates.md names these numbers; they must be the code's.
    #[test]
    fn the_template_docs_give_the_home_page_counts() {
        let docs = include_str!("../../../docs/templates.md");
        for phrase in [
            format!("the {LATEST_ANALYSES} newest"),
            format!("the {LATEST_EVENTS} latest"),
            format!("at most the {ACTORS_PER_KIND} actors"),
        ] {
            assert!(docs.contains(&phrase), "docs/templates.md lacks {phrase:?}");
        }
    }
}
