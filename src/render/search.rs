//! The search index: one JSON file that the theme's `search.js` loads on
//! the first keystroke and searches in the browser, so search works on any
//! static host. Every analysis, actor and event is a document with its
//! title, a short text for the result, the facets it can be filtered by
//! (kind, actors, tags) and its distinct words (`markdown::search_terms`,
//! computed once per rendered text and cached by the link stage).
//!
//! The words are distinct per document, not the full text: prefix search
//! needs no more, and the index is a third of the size.

use serde::Serialize;

use super::views::Views;
use crate::markdown::{plain_text, search_terms, truncate_words};
use crate::paths;

/// How much of a summary a result shows.
const SNIPPET_CHARS: usize = 160;

#[derive(Serialize)]
struct Index<'a> {
    /// Every actor, for the actor filter: `[id, name]`.
    actors: Vec<[&'a str; 2]>,
    /// Every tag, for the tag filter: `[slug, name]`.
    tags: Vec<[&'a str; 2]>,
    docs: Vec<Doc>,
}

#[derive(Serialize)]
struct Doc {
    /// `analysis`, `actor` or `event`.
    k: &'static str,
    /// Title or name.
    t: String,
    /// URL.
    u: String,
    /// A line under the title: date, role, place.
    m: String,
    /// Snippet: the summary, shortened.
    s: String,
    /// Indices into `actors` this document concerns.
    a: Vec<usize>,
    /// Indices into `tags`.
    g: Vec<usize>,
    /// Distinct lowercased words of the title, aliases and text.
    w: String,
}

/// The index as JSON bytes.
pub fn index(v: &Views<'_>) -> Vec<u8> {
    let site = v.site;
    let m = &site.model;
    let tag_index: rustc_hash::FxHashMap<&str, usize> = site
        .tags
        .keys()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let mut docs = Vec::with_capacity(m.analyses.len() + m.actors.len() + m.events.len());
    for (i, a) in m.analyses.iter().enumerate() {
        let links = &site.analyses[i];
        let summary = a.summary.as_deref().unwrap_or_default();
        let mut byline = super::views::DateView::from(a.date).display;
        if !a.authors.is_empty() {
            byline = format!("{} · {byline}", a.authors.join(", "));
        }
        docs.push(Doc {
            k: "analysis",
            t: a.title.clone(),
            u: v.url(&paths::analysis(&a.slug)),
            m: byline,
            s: truncate_words(summary, SNIPPET_CHARS),
            a: links.actors.iter().map(|&(i, _)| i).collect(),
            g: links
                .tags
                .iter()
                .filter_map(|s| tag_index.get(s.as_str()).copied())
                .collect(),
            w: words(
                &[&a.title, summary, &a.authors.join(" ")],
                &links.body.terms,
            ),
        });
    }
    for (i, a) in m.actors.iter().enumerate() {
        let links = &site.actors[i];
        let summary = links
            .summary
            .as_ref()
            .map(|t| plain_text(&t.html))
            .unwrap_or_default();
        let aliases: Vec<&str> = a.aliases.iter().map(|x| x.value.as_str()).collect();
        let mut line = a.kind.label().to_string();
        if let Some(role) = &a.role {
            line = format!("{line} · {role}");
        }
        docs.push(Doc {
            k: "actor",
            t: a.name.clone(),
            u: v.url(&paths::actor(&a.id)),
            m: line,
            s: truncate_words(&summary, SNIPPET_CHARS),
            a: vec![i],
            g: Vec::new(),
            w: words(
                &[
                    &a.name,
                    &a.id,
                    &aliases.join(" "),
                    a.role.as_deref().unwrap_or_default(),
                ],
                links.summary.as_ref().map_or("", |t| t.terms.as_str()),
            ),
        });
    }
    for (i, e) in m.events.iter().enumerate() {
        let links = &site.events[i];
        let summary = links
            .summary
            .as_ref()
            .map(|t| plain_text(&t.html))
            .unwrap_or_default();
        let r = v.event_ref(i, None);
        let line = match &r.place {
            Some(place) => format!("{} · {place}", r.when),
            None => r.when.clone(),
        };
        let mut actors: Vec<usize> = links.participants.iter().map(|&(a, _)| a).collect();
        actors.extend(links.place);
        docs.push(Doc {
            k: "event",
            t: e.title.clone(),
            u: r.url,
            w: words(
                &[&e.title, &e.id, r.place.as_deref().unwrap_or_default()],
                links.summary.as_ref().map_or("", |t| t.terms.as_str()),
            ),
            m: line,
            s: truncate_words(&summary, SNIPPET_CHARS),
            a: actors,
            g: Vec::new(),
        });
    }
    let index = Index {
        actors: m
            .actors
            .iter()
            .map(|a| [a.id.as_str(), a.name.as_str()])
            .collect(),
        tags: site
            .tags
            .iter()
            .map(|(s, t)| [s.as_str(), t.name.as_str()])
            .collect(),
        docs,
    };
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_vec(&index).unwrap_or_default()
}

/// The words of the short fields first (so that they survive any
/// truncation a theme might do), then the body's.
fn words(fields: &[&str], body: &str) -> String {
    let mut text = fields.join(" ");
    text.push(' ');
    text.push_str(body);
    search_terms(&text)
}
