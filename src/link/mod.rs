//! Link: resolve every reference, render Markdown with `[[id]]` links and
//! autolinked mentions, and build the graph of typed edges in both
//! directions. After this stage nothing refers to anything by string.

mod graph;
mod resolve;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Sources, Span, did_you_mean};
use crate::markdown::{self, Autolinker, Heading, MentionKind, RenderOptions};
use crate::model::{Markdown, Model};
use crate::paths;

pub use graph::event_order;
pub use resolve::Index;

/// A page an id can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Actor(usize),
    Event(usize),
}

/// How an analysis came to be about an actor or event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Named in front matter.
    Concerns,
    /// `[[id]]` in the body.
    Mentions,
    /// A plain mention of a name or alias, linked automatically.
    AutoMentions,
}

/// The site with every reference resolved. Indices point into `model`.
#[derive(Debug)]
pub struct Site {
    pub model: Model,
    pub actors: Vec<ActorLinks>,
    pub events: Vec<EventLinks>,
    pub analyses: Vec<AnalysisLinks>,
    /// By slug.
    pub tags: BTreeMap<String, Tag>,
    /// Events in date order (then title, then id).
    pub timeline: Vec<usize>,
}

#[derive(Debug, Default)]
pub struct ActorLinks {
    pub country: Option<usize>,
    pub affiliations: Vec<usize>,
    /// Actors affiliated with this one (members of an alliance, …).
    pub members: Vec<usize>,
    /// Actors whose `country` is this one.
    pub nationals: Vec<usize>,
    /// Events the actor took part in, with its role, in date order.
    pub events: Vec<(usize, Option<String>)>,
    /// Events whose `place` is this actor, in date order.
    pub events_here: Vec<usize>,
    /// Analyses that concern or mention it, newest first.
    pub analyses: Vec<usize>,
    pub summary_html: Option<String>,
}

#[derive(Debug, Default)]
pub struct EventLinks {
    pub participants: Vec<(usize, Option<String>)>,
    pub parent: Option<usize>,
    /// Sub-events, in date order.
    pub children: Vec<usize>,
    pub place: Option<usize>,
    /// Analyses about it or mentioning it, newest first.
    pub analyses: Vec<usize>,
    pub summary_html: Option<String>,
}

#[derive(Debug, Default)]
pub struct AnalysisLinks {
    pub body_html: String,
    /// Actors it concerns or mentions: front matter first, then mentions in order.
    pub actors: Vec<(usize, Relation)>,
    pub events: Vec<(usize, Relation)>,
    /// Tag slugs, in front-matter order.
    pub tags: Vec<String>,
    pub headings: Vec<Heading>,
    pub words: usize,
}

#[derive(Debug)]
pub struct Tag {
    pub name: String,
    /// Analyses with this tag, newest first.
    pub analyses: Vec<usize>,
}

/// Resolves and renders. Diagnostics for unknown ids, wrong kinds, cycles and
/// broken `[[…]]` references go to `diags`.
pub fn link(config: &Config, sources: &Sources, model: Model, diags: &mut Diagnostics) -> Site {
    let index = Index::new(&model, config);
    let mut actors: Vec<ActorLinks> = model.actors.iter().map(|_| ActorLinks::default()).collect();
    let mut events: Vec<EventLinks> = model.events.iter().map(|_| EventLinks::default()).collect();

    resolve::fact_sheet_refs(&model, &index, &mut actors, &mut events, diags);
    resolve::check_part_of_cycles(&model, &mut events, diags);

    let autolinker = config
        .autolink
        .then(|| build_autolinker(&model, &index, diags));
    let rendered: Vec<(AnalysisLinks, Vec<Diagnostic>)> = model
        .analyses
        .par_iter()
        .map(|a| {
            let mut local = Vec::new();
            let links = link_analysis(a, sources, &index, autolinker.as_ref(), &mut local);
            (links, local)
        })
        .collect();
    let mut analyses = Vec::with_capacity(rendered.len());
    for (links, local) in rendered {
        diags.extend(local);
        analyses.push(links);
    }

    let summaries =
        |items: Vec<(Option<&Markdown>, Target)>| -> Vec<(Option<String>, Vec<Diagnostic>)> {
            items
                .into_par_iter()
                .map(|(m, own)| {
                    let mut local = Vec::new();
                    let html =
                        m.map(|m| summary_html(m, own, &index, autolinker.as_ref(), &mut local));
                    (html, local)
                })
                .collect()
        };
    let actor_summaries = model
        .actors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.summary.as_ref(), Target::Actor(i)));
    for (links, (html, local)) in actors.iter_mut().zip(summaries(actor_summaries.collect())) {
        links.summary_html = html;
        diags.extend(local);
    }
    let event_summaries = model
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.summary.as_ref(), Target::Event(i)));
    for (links, (html, local)) in events.iter_mut().zip(summaries(event_summaries.collect())) {
        links.summary_html = html;
        diags.extend(local);
    }

    let tags = collect_tags(&model, &mut analyses);
    let mut site = Site {
        model,
        actors,
        events,
        analyses,
        tags,
        timeline: Vec::new(),
    };
    graph::build_backlinks(&mut site);
    site
}

/// One automaton over every actor name and alias. A text shared by two
/// actors would be ambiguous: it is linked to neither, with a warning.
fn build_autolinker(model: &Model, index: &Index, diags: &mut Diagnostics) -> Autolinker<Target> {
    let mut by_text: BTreeMap<&str, Vec<(usize, Span)>> = BTreeMap::new();
    for (i, a) in model.actors.iter().enumerate() {
        let name_span = Span::file(a.source);
        let mut texts = vec![(a.name.as_str(), name_span)];
        texts.extend(
            a.aliases
                .iter()
                .map(|al| (al.value.as_str(), al.span.clone())),
        );
        for (text, span) in texts {
            if text.chars().count() < 2 {
                continue;
            }
            let owners = by_text.entry(text).or_default();
            if !owners.iter().any(|(o, _)| *o == i) {
                owners.push((i, span));
            }
        }
    }
    let mut names = Vec::with_capacity(by_text.len());
    for (text, owners) in by_text {
        match owners.as_slice() {
            [(i, _)] => {
                let url = index.url(Target::Actor(*i)).to_string();
                // Smart punctuation turns ' into ’ in the text: match both.
                if text.contains('\'') {
                    names.push((text.replace('\'', "’"), Target::Actor(*i), url.clone()));
                }
                names.push((text.to_string(), Target::Actor(*i), url));
            }
            [(a, a_span), (b, _), ..] => {
                let (a, b) = (&model.actors[*a], &model.actors[*b]);
                diags.push(
                    Diagnostic::warning(format!(
                        "`{text}` names both `{}` and `{}`, so it is not linked automatically",
                        a.id, b.id
                    ))
                    .at(a_span.clone())
                    .hint("remove the alias from one of them, or link explicitly with `[[id]]`"),
                );
            }
            [] => {}
        }
    }
    Autolinker::new(names)
}

fn link_analysis(
    a: &crate::model::Analysis,
    sources: &Sources,
    index: &Index,
    autolinker: Option<&Autolinker<Target>>,
    diags: &mut Vec<Diagnostic>,
) -> AnalysisLinks {
    let mut links = AnalysisLinks::default();
    // Front matter: `actors:` must name actors, `events:` events.
    for r in &a.actors {
        if let Some(Target::Actor(i)) = index.expect(r, resolve::Expect::Actor, diags) {
            push_unique(&mut links.actors, i, Relation::Concerns);
        }
    }
    for r in &a.events {
        if let Some(Target::Event(i)) = index.expect(r, resolve::Expect::Event, diags) {
            push_unique(&mut links.events, i, Relation::Concerns);
        }
    }
    let text = &sources.text(a.source)[a.body.clone()];
    let opts = RenderOptions {
        autolinker,
        raw_html: true,
        own: None,
    };
    let rendered = markdown::render(text, |id| index.resolved(id), &opts);
    for broken in rendered
        .broken
        .into_iter()
        .filter(|b| !index.is_broken(&b.id))
    {
        let span = Span::new(
            a.source,
            a.body.start + broken.range.start..a.body.start + broken.range.end,
        );
        diags.push(index.unknown(&broken.id, span, resolve::Expect::Any));
    }
    for (target, kind) in rendered.mentions {
        let rel = match kind {
            MentionKind::Explicit => Relation::Mentions,
            MentionKind::Auto => Relation::AutoMentions,
        };
        match target {
            Target::Actor(i) => push_unique(&mut links.actors, i, rel),
            Target::Event(i) => push_unique(&mut links.events, i, rel),
        }
    }
    links.body_html = rendered.html;
    links.headings = rendered.headings;
    links.words = rendered.words;
    links
}

fn push_unique(list: &mut Vec<(usize, Relation)>, i: usize, rel: Relation) {
    if !list.iter().any(|(j, _)| *j == i) {
        list.push((i, rel));
    }
}

/// A fact sheet's summary: `[[id]]` links work, names of other actors are
/// linked like in analyses, raw HTML is escaped. These links are not counted
/// as mentions (backlinks list analyses). Broken references point at the
/// start of the summary.
fn summary_html(
    m: &Markdown,
    own: Target,
    index: &Index,
    autolinker: Option<&Autolinker<Target>>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let opts = RenderOptions {
        autolinker,
        raw_html: false,
        own: Some(own),
    };
    let rendered = markdown::render(&m.text, |id| index.resolved(id), &opts);
    for broken in rendered
        .broken
        .into_iter()
        .filter(|b| !index.is_broken(&b.id))
    {
        diags.push(index.unknown(&broken.id, m.span.clone(), resolve::Expect::Any));
    }
    rendered.html
}

/// Groups analyses by tag slug. Tags that differ only in case or punctuation
/// share a page, named by the most used spelling.
fn collect_tags(model: &Model, analyses: &mut [AnalysisLinks]) -> BTreeMap<String, Tag> {
    let mut spellings: HashMap<String, BTreeMap<&str, usize>> = HashMap::new();
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, a) in model.analyses.iter().enumerate() {
        for t in &a.tags {
            let slug = paths::tag_slug(&t.value);
            *spellings
                .entry(slug.clone())
                .or_default()
                .entry(&t.value)
                .or_default() += 1;
            let list = members.entry(slug.clone()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
            if !analyses[i].tags.contains(&slug) {
                analyses[i].tags.push(slug);
            }
        }
    }
    members
        .into_iter()
        .map(|(slug, analyses)| {
            let name = spellings[&slug]
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(n, _)| n.to_string())
                .unwrap_or_default();
            (slug, Tag { name, analyses })
        })
        .collect()
}

/// Did-you-mean over ids, names and aliases, answered with an id.
pub(crate) fn suggest<'a>(word: &str, index: &'a Index) -> Option<&'a str> {
    did_you_mean(word, index.ids()).or_else(|| index.by_name(word))
}
