//! The documents of the search index: every analysis, actor and event, each
//! with a key (a hash of what its entry is made of, so that a rebuild
//! recomputes only the documents whose key changed), its words (those of
//! its title and other names, which rank first, then the rest) and its
//! card: what a result shows, as one JSON object of a `docs-<n>.json` file.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Search;
use crate::hash::Combiner;
use crate::link::Site;
use crate::paths;
use crate::render::versions::Versions;
use crate::render::views::Views;
use crate::text::{plain_text, search_terms, truncate_words};

/// How much of a summary a result shows.
const SNIPPET_CHARS: usize = 160;

/// The word under which the index files the documents an actor filter
/// selects: no word of a text has a `!`, and it sorts before every letter
/// and digit, so facets sit together at the start of the index.
pub(crate) fn actor_facet(id: &str) -> String {
    format!("!a:{id}")
}

/// The word for a tag filter (by the tag's slug).
pub(crate) fn tag_facet(slug: &str) -> String {
    format!("!t:{slug}")
}

/// The facet words of a build, made once rather than once a document.
pub(super) struct Facets {
    /// Per actor.
    actors: Vec<String>,
    /// Per tag, in the order of `site.tags`.
    tags: Vec<String>,
}

impl Facets {
    pub(super) fn new(site: &Site) -> Facets {
        Facets {
            actors: site
                .model
                .actors
                .iter()
                .map(|a| actor_facet(&a.id))
                .collect(),
            tags: site.tags.iter().map(|t| tag_facet(&t.slug)).collect(),
        }
    }
}

/// One document of the index: the `n`th of analyses, then actors, then events.
#[derive(Debug, Clone, Copy)]
pub(super) enum DocRef {
    Analysis(usize),
    Actor(usize),
    Event(usize),
}

/// How many analyses, actors and events the index holds, in that order.
pub(super) fn counts(site: &Site) -> [usize; 3] {
    let m = &site.model;
    [m.analyses.len(), m.actors.len(), m.events.len()]
}

/// The `n`th document.
pub(super) fn doc_ref(site: &Site, n: usize) -> DocRef {
    let [a, b, _] = counts(site);
    if n < a {
        DocRef::Analysis(n)
    } else if n < a + b {
        DocRef::Actor(n - a)
    } else {
        DocRef::Event(n - a - b)
    }
}

/// Every document's key, in order: equal keys mean equal words and card.
/// It folds the versions of what [`document`] reads (the site's settings
/// and texts of the theme with them), and of the actors it is filed under
/// (a link to an actor holds its id). Tags are in an analysis's version.
pub(super) fn keys(site: &Site, vs: &Versions<'_>) -> Vec<u64> {
    let n: usize = counts(site).iter().sum();
    (0..n)
        .into_par_iter()
        .with_min_len(512)
        .map(|n| {
            let mut h = Combiner::default();
            let actors = |list: &mut dyn Iterator<Item = &usize>, h: &mut Combiner| {
                for &a in list {
                    vs.actor_ref(a).hash(h);
                }
            };
            match doc_ref(site, n) {
                DocRef::Analysis(i) => {
                    let l = &site.analyses[i];
                    (vs.site, 0u8, vs.analysis(i), l.actors.len()).hash(&mut h);
                    actors(&mut l.actors.iter().map(|(a, _)| a), &mut h);
                }
                DocRef::Actor(i) => (vs.site, 1u8, vs.actor(i), vs.actor_ref(i)).hash(&mut h),
                DocRef::Event(i) => {
                    let l = &site.events[i];
                    let (place, n) = (l.place.is_some(), l.participants.len());
                    (vs.site, 2u8, vs.event(i), vs.event_ref(i), place, n).hash(&mut h);
                    actors(
                        &mut l.participants.iter().map(|(a, _)| a).chain(&l.place),
                        &mut h,
                    );
                }
            }
            h.finish()
        })
        .collect()
}

/// A document's words and card.
pub(super) struct Document<'s> {
    /// Search terms of its title and other names (`text::search_terms`).
    pub title: String,
    /// Search terms of its other short fields (an id, a role, authors…).
    pub fields: String,
    /// The search terms of its text, as the link stage computed them.
    pub text: &'s str,
    /// The facet words it is filed under ([`actor_facet`], [`tag_facet`]).
    pub facets: Vec<&'s str>,
    /// What a result shows: a JSON object.
    pub card: String,
}

impl Document<'_> {
    /// Its words, each once, with whether it is in the title: title words
    /// first, then the rest (which may repeat a title word).
    pub(super) fn words(&self) -> impl Iterator<Item = (&str, bool)> {
        split(&self.title).map(|w| (w, true)).chain(
            split(&self.fields)
                .chain(split(self.text))
                .chain(self.facets.iter().copied())
                .map(|w| (w, false)),
        )
    }
}

/// The words of a list of search terms.
fn split(terms: &str) -> impl Iterator<Item = &str> {
    terms.split(' ').filter(|w| !w.is_empty())
}

/// What a result shows (`docs-<n>.json`).
#[derive(Serialize)]
struct Card<'a> {
    /// `analysis`, `actor` or `event`.
    k: &'static str,
    /// Title or name.
    t: &'a str,
    /// URL.
    u: &'a str,
    /// A line under the title: date, role, place.
    m: &'a str,
    /// Snippet: the summary, shortened.
    s: &'a str,
}

fn card(k: &'static str, t: &str, u: &str, m: &str, s: &str) -> String {
    // Serialising strings cannot fail.
    serde_json::to_string(&Card { k, t, u, m, s }).unwrap_or_default()
}

/// Document `n`: its words and its card.
pub(super) fn document<'s>(v: &Views<'s>, facets: &'s Facets, n: usize) -> Document<'s> {
    match doc_ref(v.site, n) {
        DocRef::Analysis(i) => analysis(v, facets, i),
        DocRef::Actor(i) => actor(v, facets, i),
        DocRef::Event(i) => event(v, facets, i),
    }
}

fn analysis<'s>(v: &Views<'s>, facets: &'s Facets, i: usize) -> Document<'s> {
    let site = v.site;
    let a = &site.model.analyses[i];
    let links = &site.analyses[i];
    let summary = a.summary.as_deref().unwrap_or_default();
    let mut byline = v.locale.date(a.date);
    let authors = site.author_names(i).join(", ");
    if !authors.is_empty() {
        byline = format!("{authors} · {byline}");
    }
    let tags = links.tags.iter().filter_map(|s| site.tag(s));
    let facets = links
        .actors
        .iter()
        .map(|&(x, _)| facets.actors[x].as_str())
        .chain(tags.map(|(t, _)| facets.tags[t].as_str()))
        .collect();
    Document {
        title: search_terms(&a.title),
        fields: search_terms(&format!("{summary} {authors}")),
        text: match v.config.search {
            Search::Full => &links.body.terms,
            Search::Summaries | Search::Off => "",
        },
        facets,
        card: card(
            "analysis",
            &a.title,
            &v.url(&paths::analysis(&a.slug)),
            &byline,
            &truncate_words(summary, SNIPPET_CHARS),
        ),
    }
}

/// A fact sheet's rendered summary as plain text (empty without one).
fn summary_text(summary: Option<&std::sync::Arc<crate::link::Text>>) -> String {
    summary
        .map(|t| plain_text(&t.html.get()))
        .unwrap_or_default()
}

fn actor<'s>(v: &Views<'s>, facets: &'s Facets, i: usize) -> Document<'s> {
    let a = &v.site.model.actors[i];
    let text = v.site.actor_summary(i);
    let summary = summary_text(text);
    let mut names = a.name.clone();
    for alias in &a.aliases {
        names.push(' ');
        names.push_str(&alias.value);
    }
    let mut line = v.locale.kind(a.kind).to_string();
    if let Some(role) = &a.role {
        line = format!("{line} · {role}");
    }
    Document {
        title: search_terms(&names),
        fields: search_terms(&format!(
            "{} {}",
            a.id,
            a.role.as_deref().unwrap_or_default()
        )),
        text: text.map_or("", |t| t.terms.as_str()),
        facets: vec![facets.actors[i].as_str()],
        card: card(
            "actor",
            &a.name,
            &v.url(&paths::actor(&a.id)),
            &line,
            &truncate_words(&summary, SNIPPET_CHARS),
        ),
    }
}

fn event<'s>(v: &Views<'s>, facets: &'s Facets, i: usize) -> Document<'s> {
    let site = v.site;
    let e = &site.model.events[i];
    let links = &site.events[i];
    let text = site.event_summary(i);
    let summary = summary_text(text);
    let r = v.event_ref(i, None);
    let line = match &r.place {
        Some(place) => format!("{} · {place}", r.when),
        None => r.when.clone(),
    };
    let facets = links
        .participants
        .iter()
        .map(|&(a, _)| a)
        .chain(links.place)
        .map(|a| facets.actors[a].as_str())
        .collect();
    Document {
        title: search_terms(&e.title),
        fields: search_terms(&format!(
            "{} {}",
            e.id,
            r.place.as_deref().unwrap_or_default()
        )),
        text: text.map_or("", |t| t.terms.as_str()),
        facets,
        card: card(
            "event",
            &e.title,
            &r.url,
            &line,
            &truncate_words(&summary, SNIPPET_CHARS),
        ),
    }
}
