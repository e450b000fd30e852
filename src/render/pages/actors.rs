//! Actors: each actor's page (facts, relations, events, the analyses about
//! it) and the list of all actors by kind.

use std::hash::Hash;

use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use super::{Cx, Key, Kind, Listing, items};
use crate::hash::Combiner;
use crate::paths;
use crate::render::meta::{self, Meta};
use crate::render::network::{NetworkView, network};
use crate::render::versions::List;
use crate::render::views::{
    ActorRef, EventRef, FactView, LinkView, RelationGroup, SourceView, Views, actor_groups,
    actor_type, with_field,
};

/// `/actors/<id>/`.
pub(crate) struct ActorPage;

/// `/actors/`.
pub(crate) struct ActorList;

impl Kind for ActorPage {
    fn template(&self) -> Option<&'static str> {
        Some("actor.html")
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        items(cx.site().model.actors.len())
    }

    fn path(&self, cx: &Cx<'_>, key: Key) -> String {
        paths::actor(&cx.site().model.actors[key.item].id)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let (vs, site) = (&cx.versions, cx.site());
        vs.actor(key.item).hash(h);
        let l = &site.actors[key.item];
        vs.actor_refs(h, &l.country);
        vs.actor_refs(h, &l.affiliations);
        vs.actor_refs(h, &l.members);
        vs.actor_refs(h, &l.nationals);
        for &(e, role) in &l.events {
            (vs.event_ref(e), site.role(role)).hash(h);
        }
        vs.event_refs(h, &l.events_here);
        vs.cards(h, &l.analyses);
        vs.relations(key.item).hash(h);
        vs.fact_sources(site, h, &site.model.actors[key.item].facts);
    }

    fn context(&self, cx: &Cx<'_>, key: Key, ctx: &mut Context, meta: &mut Meta) {
        let v = &cx.v;
        let i = key.item;
        let page = actor_view(v, i);
        meta.title = page.name.clone();
        meta.section = "actors";
        meta.kind = "profile";
        meta.description = page
            .summary
            .as_deref()
            .and_then(meta::describe_html)
            .or_else(|| page.role.clone());
        meta.json_ld = Some(meta::script_json(&person_or_organisation(
            v,
            &page,
            meta.description.as_deref(),
        )));
        meta.feeds.push(LinkView {
            title: format!("{} · {}", page.name, cx.config().title),
            url: v.url(&paths::actor_feed(&page.id)),
        });
        let cards = v.cards(cx.site().actors[i].analyses.iter().copied());
        ctx.insert_value(
            "page",
            with_field(tera::Value::from_serializable(&page), "analyses", cards),
        );
    }

    fn sitemap(&self, cx: &Cx<'_>, key: Key) -> Listing {
        let m = &cx.site().model;
        let analyses = cx.newest_of(&cx.site().actors[key.item].analyses);
        let facts = m.actors[key.item]
            .facts
            .iter()
            .filter_map(|f| f.as_of)
            .max();
        Listing::List(analyses.max(facts))
    }
}

impl Kind for ActorList {
    fn template(&self) -> Option<&'static str> {
        Some("actors.html")
    }

    fn keys(&self, _: &Cx<'_>) -> Vec<Key> {
        vec![Key::ONE]
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::ACTORS.into()
    }

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        cx.versions.all(List::ActorRef, h);
    }

    fn context(&self, cx: &Cx<'_>, _: Key, ctx: &mut Context, meta: &mut Meta) {
        ctx.insert("groups", &cx.v.groups(actor_groups(cx.site(), usize::MAX)));
        meta.title = cx.v.locale.text("actors").into();
        meta.section = "actors";
    }

    fn sitemap(&self, cx: &Cx<'_>, _: Key) -> Listing {
        Listing::List(cx.newest())
    }
}

/// `page` on actor.html.
#[derive(Serialize)]
pub(crate) struct ActorView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub permalink: String,
    pub kind: &'static str,
    /// `Person`, `Organisation`… in the site's language.
    pub kind_label: String,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub country: Option<ActorRef>,
    /// Its Wikidata item: `{title: "Q232", url}`.
    pub wikidata: Option<LinkView>,
    /// Its relations, grouped by label.
    pub relations: Vec<RelationGroup>,
    /// Its relations drawn as a figure, or null when it has none.
    pub network: Option<NetworkView>,
    /// What it is `member_of`.
    pub affiliations: Vec<ActorRef>,
    /// Actors that are `member_of` it.
    pub members: Vec<ActorRef>,
    pub nationals: Vec<ActorRef>,
    /// HTML.
    pub summary: Option<String>,
    /// The language of `summary` when it is not the page's: a text not yet
    /// translated, shown in the default language (`lang` attribute).
    pub summary_lang: Option<String>,
    pub facts: Vec<FactView>,
    pub links: Vec<SourceView>,
    pub events: Vec<EventRef>,
    pub events_here: Vec<EventRef>,
    // `analyses` (cards, newest first) is added by `context` from cards
    // serialised once per build.
    pub extra: serde_json::Value,
}

fn actor_view(v: &Views<'_>, i: usize) -> ActorView {
    let a = &v.site.model.actors[i];
    let l = &v.site.actors[i];
    let refs = |list: &[usize]| list.iter().map(|&j| v.actor_ref(j, None)).collect();
    ActorView {
        id: a.id.clone(),
        name: a.name.clone(),
        url: v.url(&paths::actor(&a.id)),
        permalink: v.permalink(&paths::actor(&a.id)),
        kind: a.kind.as_str(),
        kind_label: v.locale.kind(a.kind).to_string(),
        aliases: a.aliases.iter().map(|al| al.value.clone()).collect(),
        role: a.role.clone(),
        country: l.country.map(|c| v.actor_ref(c, None)),
        wikidata: a.wikidata.as_ref().map(|q| LinkView {
            title: q.clone(),
            url: format!("https://www.wikidata.org/wiki/{q}"),
        }),
        relations: v.relation_groups(i),
        network: network(v, i),
        affiliations: refs(&l.affiliations),
        members: refs(&l.members),
        nationals: refs(&l.nationals),
        summary: v.site.actor_summary(i).map(|t| t.html.get().into_owned()),
        summary_lang: a.summary.as_ref().and_then(|m| m.lang.clone()),
        facts: v.facts(&a.facts),
        links: a.links.iter().map(SourceView::from).collect(),
        events: l
            .events
            .iter()
            .map(|&(e, role)| v.event_ref(e, v.site.role(role).map(str::to_string)))
            .collect(),
        events_here: l
            .events_here
            .iter()
            .map(|&e| v.event_ref(e, None))
            .collect(),
        extra: a.extra.clone(),
    }
}

/// JSON-LD: a `Person`, `Organization`, `Country` or `Place`.
fn person_or_organisation(v: &Views<'_>, page: &ActorView, description: Option<&str>) -> Value {
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": actor_type(page.kind),
        "name": page.name,
        "url": page.permalink,
    });
    if !page.aliases.is_empty() {
        ld["alternateName"] = json!(page.aliases);
    }
    if let Some(d) = description {
        ld["description"] = json!(d);
    }
    if let (Some(role), "person") = (&page.role, page.kind) {
        ld["jobTitle"] = json!(role);
    }
    if let (Some(c), "person") = (&page.country, page.kind) {
        ld["nationality"] = json!({"@type": "Country", "name": c.name, "url": v.absolute(&c.url)});
    }
    let same_as: Vec<&str> = page
        .wikidata
        .iter()
        .map(|w| w.url.as_str())
        .chain(page.links.iter().filter_map(|l| l.url.as_deref()))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .collect();
    if !same_as.is_empty() {
        ld["sameAs"] = json!(same_as);
    }
    ld
}
