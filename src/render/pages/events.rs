//! Events: each event's page (actors, place, parent and sub-events, facts,
//! sources, the analyses about it) and the paginated list in date order.

use std::hash::Hash;

use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use super::{Cx, Key, Kind, Listing, items, parts};
use crate::hash::Combiner;
use crate::paths;
use crate::render::meta::{self, Meta};
use crate::render::paginate::{page_count, page_range, paginator};
use crate::render::views::{
    ActorRef, EventRef, FactView, SourceView, Views, actor_type, with_field,
};

/// `/events/<id>/`.
pub(crate) struct EventPage;

/// `/events/`, `/events/page/<n>/`.
pub(crate) struct EventList;

impl Kind for EventPage {
    fn template(&self) -> Option<&'static str> {
        Some("event.html")
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        items(cx.site().model.events.len())
    }

    fn path(&self, cx: &Cx<'_>, key: Key) -> String {
        paths::event(&cx.site().model.events[key.item].id)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let (vs, site, i) = (&cx.versions, cx.site(), key.item);
        (vs.event(i), vs.event_ref(i)).hash(h);
        let l = &site.events[i];
        l.place.map(|p| &site.model.actors[p].id).hash(h);
        for &(a, role) in &l.participants {
            (vs.actor_ref(a), vs.roles(a), site.role(role)).hash(h);
        }
        let e = &site.model.events[i];
        vs.fact_sources(site, h, &e.facts);
        for c in &e.sources {
            vs.cited(site, h, Some(c));
        }
        vs.event_refs(h, &site.ancestors(i));
        vs.event_refs(h, &l.children);
        vs.cards(h, &l.analyses);
    }

    fn context(&self, cx: &Cx<'_>, key: Key, ctx: &mut Context, meta: &mut Meta) {
        let v = &cx.v;
        let page = event_view(v, key.item);
        meta.title = page.event.title.clone();
        meta.section = "events";
        let mut description = page.event.when.clone();
        if let Some(place) = &page.event.place {
            description = format!("{description}, {place}");
        }
        if let Some(summary) = page.summary.as_deref().and_then(meta::describe_html) {
            description = meta::describe(&format!("{description}: {summary}"));
        }
        meta.json_ld = Some(meta::script_json(&event_ld(v, &page, &description)));
        meta.description = Some(description);
        let cards = v.cards(cx.site().events[key.item].analyses.iter().copied());
        ctx.insert_value(
            "page",
            with_field(tera::Value::from_serializable(&page), "analyses", cards),
        );
    }

    fn sitemap(&self, cx: &Cx<'_>, key: Key) -> Listing {
        let m = &cx.site().model;
        let e = &m.events[key.item];
        let analyses = cx.newest_of(&cx.site().events[key.item].analyses);
        let facts = e.facts.iter().filter_map(|f| f.as_of).max();
        let own = e.end.map_or(e.date, |end| end.max(e.date));
        Listing::List(analyses.max(facts).max(Some(own)))
    }
}

impl Kind for EventList {
    fn template(&self) -> Option<&'static str> {
        Some("events.html")
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        parts(page_count(
            cx.config().paginate_events,
            cx.site().timeline.len(),
        ))
    }

    fn path(&self, _: &Cx<'_>, key: Key) -> String {
        paths::list_page(paths::EVENTS, key.part + 1)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let (n, per) = (cx.site().timeline.len(), cx.config().paginate_events);
        (n, page_count(per, n)).hash(h);
        cx.versions
            .event_refs(h, &cx.site().timeline[page_range(per, key.part, n)]);
    }

    fn context(&self, cx: &Cx<'_>, key: Key, ctx: &mut Context, meta: &mut Meta) {
        let timeline = &cx.site().timeline;
        let (n, per, k) = (timeline.len(), cx.config().paginate_events, key.part);
        let list: Vec<_> = timeline[page_range(per, k, n)]
            .iter()
            .map(|&i| cx.v.event_ref(i, None))
            .collect();
        ctx.insert("events", &list);
        ctx.insert("paginator", &paginator(&cx.v, paths::EVENTS, k, n, per));
        meta.title = cx.v.title_page(cx.v.locale.text("events"), k);
        meta.section = "events";
    }

    fn sitemap(&self, cx: &Cx<'_>, _: Key) -> Listing {
        Listing::List(cx.newest())
    }
}

/// `page` on event.html.
#[derive(Serialize)]
pub(crate) struct EventView {
    #[serde(flatten)]
    pub event: EventRef,
    pub permalink: String,
    /// The place as a link when it names an actor.
    pub place_url: Option<String>,
    pub actors: Vec<ActorRef>,
    pub parent: Option<EventRef>,
    /// The chain of parent events, outermost first.
    pub ancestors: Vec<EventRef>,
    pub children: Vec<EventRef>,
    /// HTML.
    pub summary: Option<String>,
    /// The language of `summary` when it is not the page's: a text not yet
    /// translated, shown in the default language (`lang` attribute).
    pub summary_lang: Option<String>,
    pub facts: Vec<FactView>,
    pub sources: Vec<SourceView>,
    // `analyses` is added by `context`, as on actor pages.
    pub extra: serde_json::Value,
}

fn event_view(v: &Views<'_>, i: usize) -> EventView {
    let e = &v.site.model.events[i];
    let l = &v.site.events[i];
    let mut ancestors: Vec<EventRef> = v
        .site
        .ancestors(i)
        .into_iter()
        .map(|p| v.event_ref(p, None))
        .collect();
    ancestors.reverse();
    EventView {
        event: v.event_ref(i, None),
        permalink: v.permalink(&paths::event(&e.id)),
        place_url: l
            .place
            .map(|a| v.url(&paths::actor(&v.site.model.actors[a].id))),
        actors: l
            .participants
            .iter()
            .map(|&(a, role)| ActorRef {
                roles: v.roles_as_of(a, e.date),
                ..v.participant(a, v.site.role(role).map(str::to_string))
            })
            .collect(),
        parent: l.parent.map(|p| v.event_ref(p, None)),
        ancestors,
        children: l.children.iter().map(|&c| v.event_ref(c, None)).collect(),
        summary: v.site.event_summary(i).map(|t| t.html.get().into_owned()),
        summary_lang: e.summary.as_ref().and_then(|m| m.lang.clone()),
        facts: v.facts(&e.facts),
        sources: e.sources.iter().map(|c| v.cited(c)).collect(),
        extra: e.extra.clone(),
    }
}

/// JSON-LD: an `Event` with its place, actors, parent and sub-events.
fn event_ld(v: &Views<'_>, page: &EventView, description: &str) -> Value {
    let e = &page.event;
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": e.title,
        "url": page.permalink,
        "startDate": e.date.iso,
        "endDate": e.end.as_ref().unwrap_or(&e.date).iso,
    });
    if let Some(place) = &e.place {
        let mut loc = json!({"@type": "Place", "name": place});
        if let Some(url) = &page.place_url {
            loc["url"] = json!(v.absolute(url));
        }
        ld["location"] = loc;
    }
    ld["description"] = json!(description);
    let event = |r: &EventRef| json!({"@type": "Event", "name": r.title, "startDate": r.date.iso, "url": v.absolute(&r.url)});
    if let Some(p) = &page.parent {
        ld["superEvent"] = event(p);
    }
    if !page.children.is_empty() {
        ld["subEvent"] = json!(page.children.iter().map(event).collect::<Vec<_>>());
    }
    if !page.actors.is_empty() {
        ld["actor"] = json!(
            page.actors
                .iter()
                .map(|a| json!({"@type": actor_type(a.kind), "name": a.name, "url": v.absolute(&a.url)}))
                .collect::<Vec<_>>()
        );
    }
    ld
}

#[cfg(test)]
mod tests {
    /// docs/templates.md says how many ancestors a page shows.
    #[test]
    fn the_template_docs_give_the_number_of_ancestors() {
        let docs = include_str!("../../../docs/templates.md");
        let phrase = format!("at most the {} nearest", crate::link::MAX_ANCESTORS);
        assert!(docs.contains(&phrase), "docs/templates.md lacks {phrase:?}");
    }
}
