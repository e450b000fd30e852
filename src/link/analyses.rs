//! Each analysis's links: what its front matter lists and what its body
//! mentions, resolved to actors and events, with what the two disagree on
//! (for the `unmentioned` and `unlisted` checks). Kept between builds while
//! the analysis, its rendered body and the id layout are unchanged.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::resolve::{self, Index};
use super::{AnalysisLinks, Shared, Target, Text, Texts, Tie};
use crate::diag::{Diagnostic, SourceId, Span};
use crate::markdown::MentionKind;
use crate::model::{Analysis, Model};

/// Links of each analysis of the last build (those without diagnostics).
#[derive(Debug, Default)]
pub(super) struct AnalysesCache {
    links: HashMap<SourceId, CachedLinks>,
    /// What the last build linked, in the model's order (see [`Last`]).
    last: Option<Last>,
}

#[derive(Debug)]
struct CachedLinks {
    version: u64,
    layout: u64,
    links: Arc<AnalysisLinks>,
}

/// The last build's id layout and the links made then: a build with the
/// same layout whose bodies were taken from the last build links again
/// only the analyses that are not the very ones of then (the texts stage
/// says which), and changes the list in place (at N = 100,000 looking up
/// each analysis's links took 11 ms of an edit).
#[derive(Debug)]
struct Last {
    layout: u64,
    links: Shared<Arc<AnalysisLinks>>,
    /// Analyses linked again by every build: links that reported
    /// something (reported again), or a correction that links `[[id]]` (a
    /// safeguard: what changes such a correction also changes what texts
    /// link to, and then every analysis is linked as before).
    again: Vec<usize>,
}

/// One analysis's links, as [`link_all`] makes or reuses them.
struct Linked {
    links: Arc<AnalysisLinks>,
    diags: Vec<Diagnostic>,
    /// Made now (only those go into the cache).
    fresh: bool,
    /// Not linked again by every build (see [`Last::again`]).
    reusable: bool,
}

/// Links every analysis to its rendered body (`bodies`, in model order).
pub(super) fn link_all(
    model: &Model,
    texts: &Texts,
    index: &Index,
    cache: &mut AnalysesCache,
    diags: &mut Vec<Diagnostic>,
) -> Shared<Arc<AnalysisLinks>> {
    let bodies = &texts.bodies.texts;
    // An analysis's links depend on its file, its rendered body and where
    // each id sits in the model (the layout); reuse them when none changed.
    let layout = index.layout();
    let n = model.analyses.len();
    // The places to link (None: all), and the list they go into.
    let (places, mut links) = match (cache.last.take(), &texts.changed_bodies) {
        (Some(last), Some(changed))
            if last.layout == layout && bodies.len() == n && last.links.len() == n =>
        {
            let mut places: Vec<usize> = changed.to_vec();
            places.extend(last.again);
            places.sort_unstable();
            places.dedup();
            (Some(places), last.links)
        }
        _ => (None, Shared::default()),
    };
    let one = |i: usize| -> Linked {
        let a = &model.analyses[i];
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
            return Linked {
                links: Arc::clone(&c.links),
                diags: Vec::new(),
                fresh: false,
                reusable,
            };
        }
        let mut local = Vec::new();
        let links = link_analysis(a, body.cloned().unwrap_or_default(), index, &mut local);
        Linked {
            links: Arc::new(links),
            diags: local,
            fresh: true,
            reusable,
        }
    };
    let made: Vec<(usize, Linked)> = match &places {
        Some(places) => places.par_iter().map(|&i| (i, one(i))).collect(),
        None => (0..n).into_par_iter().map(|i| (i, one(i))).collect(),
    };
    let mut again = Vec::new();
    let mut fresh_links = Vec::with_capacity(made.len());
    for (i, linked) in made {
        let Linked {
            links: l,
            diags: d,
            fresh,
            reusable,
        } = linked;
        let a = &model.analyses[i];
        if !reusable || !d.is_empty() {
            again.push(i);
        }
        if fresh {
            if d.is_empty() {
                cache.links.insert(
                    a.source,
                    CachedLinks {
                        version: a.version,
                        layout,
                        links: Arc::clone(&l),
                    },
                );
            } else {
                cache.links.remove(&a.source);
            }
            diags.extend(d);
        }
        fresh_links.push((i, l));
    }
    if places.is_some() {
        if !fresh_links.is_empty() {
            // (Copied first only if the last build's site still holds it.)
            let list = links.make_mut();
            for (i, l) in fresh_links {
                list[i] = l;
            }
        }
    } else {
        links = fresh_links.into_iter().map(|(_, l)| l).collect();
    }
    if cache.links.len() > n {
        let live: HashSet<SourceId> = model.analyses.iter().map(|a| a.source).collect();
        cache.links.retain(|s, _| live.contains(s));
    }
    cache.last = Some(Last {
        layout,
        links: links.clone(),
        again,
    });
    links
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
