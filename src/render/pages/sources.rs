//! Sources: each source file's page (what it is, and every analysis, fact,
//! event and relation that cites it), and the list of all sources by
//! publisher.

use std::hash::Hash;

use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use super::{Cx, Key, Kind, Listing, items};
use crate::hash::Combiner;
use crate::link::Owner;
use crate::paths;
use crate::render::meta::{self, Meta};
use crate::render::versions::List;
use crate::render::views::{ActorRef, DateView, EventRef, LinkView, SourceView, Views, with_field};

/// `/sources/<id>/`.
pub(crate) struct SourcePage;

/// `/sources/`.
pub(crate) struct SourceList;

impl Kind for SourcePage {
    fn template(&self) -> Option<&'static str> {
        Some("source.html")
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        items(cx.site().model.sources.len())
    }

    fn path(&self, cx: &Cx<'_>, key: Key) -> String {
        paths::source(&cx.site().model.sources[key.item].id)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let (vs, site) = (&cx.versions, cx.site());
        let l = &site.sources[key.item];
        vs.source_ref(key.item).hash(h);
        vs.cards(h, &l.analyses);
        for &(owner, k) in &l.facts {
            match owner {
                Owner::Actor(a) => (0u8, vs.actor_ref(a), vs.actor(a), k).hash(h),
                Owner::Event(e) => (1u8, vs.event_ref(e), vs.event(e), k).hash(h),
            }
        }
        vs.event_refs(h, &l.events);
        for &(a, k) in &l.relations {
            let other = site.actors[a]
                .relations
                .iter()
                .find(|e| !e.inverse && e.position == k)
                .map(|e| vs.actor_ref(e.other));
            (vs.actor_ref(a), vs.actor(a), k, other).hash(h);
        }
    }

    fn context(&self, cx: &Cx<'_>, key: Key, ctx: &mut Context, meta: &mut Meta) {
        let v = &cx.v;
        let page = source_view(v, key.item);
        meta.title = page.source.title.clone();
        meta.section = "sources";
        meta.description = Some(meta::describe(&describe(&page.source)));
        meta.json_ld = Some(meta::script_json(&creative_work(&page)));
        let cards = v.cards(cx.site().sources[key.item].analyses.iter().copied());
        ctx.insert_value(
            "page",
            with_field(tera::Value::from_serializable(&page), "analyses", cards),
        );
    }

    fn sitemap(&self, cx: &Cx<'_>, key: Key) -> Listing {
        let m = &cx.site().model;
        let s = &m.sources[key.item];
        let analyses = cx.newest_of(&cx.site().sources[key.item].analyses);
        Listing::List(analyses.max(s.published).max(s.accessed))
    }
}

impl Kind for SourceList {
    fn template(&self) -> Option<&'static str> {
        Some("sources.html")
    }

    /// Only a site with sources has the list (and the footer links it).
    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        match cx.site().model.sources.is_empty() {
            true => Vec::new(),
            false => vec![Key::ONE],
        }
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::SOURCES.into()
    }

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        cx.versions.all(List::SourceRef, h);
        for l in &cx.site().sources {
            citations(l).hash(h);
        }
    }

    fn context(&self, cx: &Cx<'_>, _: Key, ctx: &mut Context, meta: &mut Meta) {
        ctx.insert("publishers", &publishers(&cx.v));
        meta.title = cx.v.locale.text("sources").into();
        meta.section = "sources";
    }

    fn sitemap(&self, cx: &Cx<'_>, _: Key) -> Listing {
        Listing::List(cx.newest())
    }
}

/// How many times a source is cited.
fn citations(l: &crate::link::SourceLinks) -> usize {
    l.analyses.len() + l.facts.len() + l.events.len() + l.relations.len()
}

/// `page` on source.html.
#[derive(Serialize)]
pub(crate) struct SourcePageView {
    #[serde(flatten)]
    pub source: SourceView,
    pub permalink: String,
    /// Facts it is the source of.
    pub facts: Vec<CitingFact>,
    /// Events that list it among their sources.
    pub events: Vec<EventRef>,
    /// Relations it is the source of.
    pub relations: Vec<CitingRelation>,
    // `analyses` (cards, newest first) is added by `context`.
}

/// A fact that cites a source: whose it is, and what it says.
#[derive(Serialize)]
pub(crate) struct CitingFact {
    /// The actor or event it is about.
    pub of: LinkView,
    /// `actor` or `event`.
    pub kind: &'static str,
    pub label: String,
    pub value: String,
    pub as_of: Option<DateView>,
}

/// A relation that cites a source.
#[derive(Serialize)]
pub(crate) struct CitingRelation {
    /// The actor whose fact sheet states it.
    pub actor: ActorRef,
    /// The type's label (`Leads`).
    pub label: String,
    pub other: ActorRef,
    pub role: Option<String>,
    pub dates: Option<String>,
}

/// One publisher's sources, on `/sources/`.
#[derive(Serialize)]
pub(crate) struct PublisherGroup {
    /// Its name, or null for sources without a publisher (listed last).
    pub name: Option<String>,
    /// Its page, when the publisher is an actor.
    pub url: Option<String>,
    pub sources: Vec<ListedSource>,
}

#[derive(Serialize)]
pub(crate) struct ListedSource {
    #[serde(flatten)]
    pub source: SourceView,
    /// How many analyses, facts, events and relations cite it.
    pub citations: usize,
}

fn source_view(v: &Views<'_>, i: usize) -> SourcePageView {
    let site = v.site;
    let m = &site.model;
    let l = &site.sources[i];
    let facts = l
        .facts
        .iter()
        .map(|&(owner, k)| {
            let (of, kind, fact) = match owner {
                Owner::Actor(a) => {
                    let actor = &m.actors[a];
                    let link = LinkView {
                        title: actor.name.clone(),
                        url: v.url(&paths::actor(&actor.id)),
                    };
                    (link, "actor", &actor.facts[k])
                }
                Owner::Event(e) => {
                    let event = &m.events[e];
                    let link = LinkView {
                        title: event.title.clone(),
                        url: v.url(&paths::event(&event.id)),
                    };
                    (link, "event", &event.facts[k])
                }
            };
            CitingFact {
                of,
                kind,
                label: fact.label.clone(),
                value: fact.value.clone(),
                as_of: fact.as_of.map(|d| v.date(d)),
            }
        })
        .collect();
    let relations = l
        .relations
        .iter()
        .filter_map(|&(a, k)| {
            let e = site.actors[a]
                .relations
                .iter()
                .find(|e| !e.inverse && e.position == k)?;
            let r = &m.actors[a].relations[k];
            Some(CitingRelation {
                actor: v.actor_ref(a, None),
                label: v.locale.relation(e.kind, false).to_string(),
                other: v.actor_ref(e.other, None),
                role: r.role.clone(),
                dates: v.locale.relation_dates(r.from, r.until),
            })
        })
        .collect();
    SourcePageView {
        permalink: v.permalink(&paths::source(&m.sources[i].id)),
        source: v.source(i),
        facts,
        events: l.events.iter().map(|&e| v.event_ref(e, None)).collect(),
        relations,
    }
}

/// Every source, grouped by publisher (by name; no publisher last), each
/// group newest first.
fn publishers(v: &Views<'_>) -> Vec<PublisherGroup> {
    let site = v.site;
    let mut order: Vec<usize> = (0..site.model.sources.len()).collect();
    let views: Vec<SourceView> = order.iter().map(|&i| v.source(i)).collect();
    let key = |i: usize| views[i].publisher.as_deref().map(str::to_lowercase);
    order.sort_by(|&a, &b| {
        let (ka, kb) = (key(a), key(b));
        // Sources with a publisher first, by name; then newest first.
        ka.is_none()
            .cmp(&kb.is_none())
            .then_with(|| ka.cmp(&kb))
            .then_with(|| {
                let m = &site.model.sources;
                m[b].published.cmp(&m[a].published)
            })
            .then_with(|| views[a].title.cmp(&views[b].title))
    });
    let mut groups: Vec<PublisherGroup> = Vec::new();
    for i in order {
        let s = &views[i];
        let listed = ListedSource {
            source: s.clone(),
            citations: citations(&site.sources[i]),
        };
        match groups.last_mut() {
            Some(g) if g.name.as_deref().map(str::to_lowercase) == key(i) => g.sources.push(listed),
            _ => groups.push(PublisherGroup {
                name: s.publisher.clone(),
                url: s.publisher_url.clone(),
                sources: vec![listed],
            }),
        }
    }
    groups
}

/// A sentence about a source, for its page's description.
fn describe(s: &SourceView) -> String {
    let mut text = s.title.clone();
    if let Some(p) = &s.publisher {
        text = format!("{p}: {text}");
    }
    if let Some(d) = &s.published {
        text = format!("{text}, {}", d.display);
    }
    text
}

/// JSON-LD: the source as a `CreativeWork`.
fn creative_work(page: &SourcePageView) -> Value {
    let s = &page.source;
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": s.title,
        "url": s.url.as_deref().unwrap_or(&page.permalink),
        "mainEntityOfPage": page.permalink,
    });
    if let Some(p) = &s.publisher {
        ld["publisher"] = json!({"@type": "Organization", "name": p});
    }
    if let Some(d) = &s.published {
        ld["datePublished"] = json!(d.iso);
    }
    if let Some(l) = &s.language {
        ld["inLanguage"] = json!(l);
    }
    if let Some(a) = &s.archived {
        ld["archivedAt"] = json!(a);
    }
    ld
}
