//! Each analysis's links: what its front matter lists and what its body
//! mentions, resolved to actors and events, with what the two disagree on
//! (for the `unmentioned` and `unlisted` checks). Kept between builds while
//! the analysis, its rendered body and the id layout are unchanged.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::resolve::{self, Index};
use super::{AnalysisLinks, Shared, Target, Text, Tie};
use crate::diag::{Diagnostic, SourceId, Span};
use crate::markdown::MentionKind;
use crate::model::{Analysis, Model};

/// Links of each analysis of the last build (those without diagnostics).
#[derive(Debug, Default)]
pub(super) struct AnalysesCache {
    links: HashMap<SourceId, CachedLinks>,
}

#[derive(Debug)]
struct CachedLinks {
    version: u64,
    layout: u64,
    links: Arc<AnalysisLinks>,
}

/// Links every analysis to its rendered body (`bodies`, in model order).
pub(super) fn link_all(
    model: &Model,
    bodies: &Shared<Option<Arc<Text>>>,
    index: &Index,
    cache: &mut AnalysesCache,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Arc<AnalysisLinks>> {
    // An analysis's links depend on its file, its rendered body and where
    // each id sits in the model (the layout); reuse them when none changed.
    let layout = index.layout();
    // Each one's links, diagnostics and whether they were made now (only
    // those go into the cache: 100,000 lookups again cost milliseconds of
    // every edit).
    let linked: Vec<(Arc<AnalysisLinks>, Vec<Diagnostic>, bool)> = model
        .analyses
        .par_iter()
        .enumerate()
        .map(|(i, a)| {
            // (Every analysis has a body; handed on only when linked now.)
            let body = bodies.get(i).and_then(Option::as_ref);
            // Corrections are rendered here, not as texts of their own: one
            // that links `[[id]]` is rendered again each time.
            let reusable = !a.corrections.iter().any(|c| c.text.contains("[["));
            if let Some(c) = cache.links.get(&a.source)
                && reusable
                && c.version == a.version
                && c.layout == layout
                && body.is_some_and(|b| Arc::ptr_eq(&c.links.body, b))
            {
                return (Arc::clone(&c.links), Vec::new(), false);
            }
            let mut local = Vec::new();
            let links = link_analysis(a, body.cloned().unwrap_or_default(), index, &mut local);
            (Arc::new(links), local, true)
        })
        .collect();
    let mut analyses = Vec::with_capacity(linked.len());
    for (a, (links, d, fresh)) in model.analyses.iter().zip(linked) {
        if !fresh {
            analyses.push(links);
            continue;
        }
        if d.is_empty() {
            cache.links.insert(
                a.source,
                CachedLinks {
                    version: a.version,
                    layout,
                    links: Arc::clone(&links),
                },
            );
        } else {
            cache.links.remove(&a.source);
        }
        analyses.push(links);
        diags.extend(d);
    }
    if cache.links.len() > model.analyses.len() {
        let live: HashSet<SourceId> = model.analyses.iter().map(|a| a.source).collect();
        cache.links.retain(|s, _| live.contains(s));
    }
    analyses
}

/// An analysis's links: front matter, then what its body mentions.
fn link_analysis(
    a: &Analysis,
    body: Arc<Text>,
    index: &Index,
    diags: &mut Vec<Diagnostic>,
) -> AnalysisLinks {
    let mut links = AnalysisLinks::default();
    // Front matter: `actors:` must name actors, `events:` events.
    for r in &a.actors {
        if let Some(Target::Actor(i)) = index.expect(r, resolve::Expect::Actor, diags) {
            push_unique(&mut links.actors, i, Tie::Concerns);
        }
    }
    for r in &a.events {
        if let Some(Target::Event(i)) = index.expect(r, resolve::Expect::Event, diags) {
            push_unique(&mut links.events, i, Tie::Concerns);
        }
    }
    for broken in &body.broken {
        let span = Span::new(
            a.source,
            a.body.start + broken.range.start..a.body.start + broken.range.end,
        );
        diags.extend(index.broken_ref(broken, span));
    }
    for (id, kind) in &body.mentions {
        let rel = match kind {
            MentionKind::Explicit => Tie::Mentions,
            MentionKind::Auto => Tie::AutoMentions,
        };
        match index.get(id) {
            Some(Target::Actor(i)) => push_unique(&mut links.actors, i, rel),
            Some(Target::Event(i)) => push_unique(&mut links.events, i, rel),
            None => {}
        }
    }
    for (id, range) in &body.citations {
        match index.sources.get(id) {
            Some(&i) => {
                if !links.sources.contains(&i) {
                    links.sources.push(i);
                }
            }
            None if index.is_broken_source(id) => {}
            None => {
                let span = Span::new(
                    a.source,
                    a.body.start + range.start..a.body.start + range.end,
                );
                diags.push(index.unknown_source(id, span));
            }
        }
    }
    links.authors = a
        .authors
        .iter()
        .map(|w| index.authors.get(&w.value).copied())
        .collect();
    links.corrections = a
        .corrections
        .iter()
        .map(|c| {
            let text = super::texts::render(&c.text, index, index.model(), None, false, None);
            for broken in &text.broken {
                diags.extend(index.broken_ref(broken, c.span.clone()));
            }
            super::texts::inline(&text.html.get())
        })
        .collect();
    for t in &a.tags {
        if !links.tags.contains(&t.slug) {
            links.tags.push(t.slug.clone());
        }
    }
    // Computed here, once per change of the analysis (this is cached), so
    // that the checks need not walk every mention of every text each build.
    let listed: Vec<&str> = a
        .actors
        .iter()
        .chain(&a.events)
        .map(|r| r.id.as_str())
        .collect();
    links.unmentioned = listed
        .iter()
        .enumerate()
        .filter(|(_, id)| !body.mentions.iter().any(|(m, _)| m == *id))
        .map(|(i, _)| i)
        .collect();
    links.unlisted = body
        .mentions
        .iter()
        .map(|(id, _)| id)
        .filter(|id| !listed.contains(&id.as_str()))
        .cloned()
        .collect();
    links.body = body;
    links
}

fn push_unique(list: &mut Vec<(usize, Tie)>, i: usize, rel: Tie) {
    if !list.iter().any(|(j, _)| *j == i) {
        list.push((i, rel));
    }
}
