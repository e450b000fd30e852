//! Link: resolve every reference, render Markdown with `[[id]]` links and
//! autolinked mentions, and build the graph of typed edges in both
//! directions. After this stage nothing refers to anything by string.

mod graph;
mod resolve;
pub mod texts;

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::checks::Check;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, SourceId, Sources, Span, did_you_mean};
use crate::markdown::{Autolinker, MentionKind};
use crate::model::{Markdown, Model};

pub use resolve::Index;
pub use texts::Text;
use texts::{Env, Staleness, TextCache, TextJob, TextKind};

/// Where an actor's role in an event is written: the event and the position
/// in its `actors:` list (so that roles are not copied into the graph).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    pub event: usize,
    pub position: usize,
}

/// How many enclosing events a page shows (a breadcrumb, not a family tree:
/// a chain thousands of events deep must not make every page huge).
pub const MAX_ANCESTORS: usize = 8;

impl Site {
    /// The events enclosing `event` through `part_of`, nearest first, at most
    /// [`MAX_ANCESTORS`]. Cycles were broken by the link stage.
    pub fn ancestors(&self, event: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.events.get(event).and_then(|l| l.parent);
        while let Some(p) = cur {
            if out.len() == MAX_ANCESTORS {
                break;
            }
            out.push(p);
            cur = self.events[p].parent;
        }
        out
    }

    /// The tag with this slug, and its position in [`Site::tags`].
    pub fn tag(&self, slug: &str) -> Option<(usize, &Tag)> {
        let i = self
            .tags
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()?;
        Some((i, &self.tags[i]))
    }

    /// The role written for a participant, if any.
    pub fn role(&self, r: Role) -> Option<&str> {
        self.model
            .events
            .get(r.event)?
            .participants
            .get(r.position)?
            .role
            .as_deref()
    }
}

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
    pub analyses: Vec<Arc<AnalysisLinks>>,
    /// Sorted by slug (see [`Site::tag`]).
    pub tags: Vec<Tag>,
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
    pub events: Vec<(usize, Role)>,
    /// Events whose `place` is this actor, in date order.
    pub events_here: Vec<usize>,
    /// Analyses that concern or mention it, newest first.
    pub analyses: Vec<usize>,
    pub summary: Option<Arc<Text>>,
}

#[derive(Debug, Default)]
pub struct EventLinks {
    pub participants: Vec<(usize, Role)>,
    pub parent: Option<usize>,
    /// Sub-events, in date order.
    pub children: Vec<usize>,
    pub place: Option<usize>,
    /// Analyses about it or mentioning it, newest first.
    pub analyses: Vec<usize>,
    pub summary: Option<Arc<Text>>,
}

#[derive(Debug, Default, Clone)]
pub struct AnalysisLinks {
    /// The rendered body.
    pub body: Arc<Text>,
    /// Actors it concerns or mentions: front matter first, then mentions in order.
    pub actors: Vec<(usize, Relation)>,
    pub events: Vec<(usize, Relation)>,
    /// Tag slugs, in front-matter order.
    pub tags: Vec<String>,
    /// Front-matter references (`actors:` then `events:`, by position) that
    /// the text never mentions (for the `unmentioned` check).
    pub unmentioned: Vec<usize>,
    /// Ids the text mentions that the front matter does not list (`unlisted`).
    pub unlisted: Vec<String>,
}

#[derive(Debug)]
pub struct Tag {
    /// `protest-movements`: its page's folder.
    pub slug: String,
    pub name: String,
    /// Analyses with this tag, newest first.
    pub analyses: Vec<usize>,
}

/// What the link stage keeps between builds: rendered texts and the
/// environment they were rendered in.
#[derive(Debug, Default)]
pub struct LinkCache {
    env: Option<Env>,
    texts: TextCache,
    /// Resolved links of each analysis (those without diagnostics).
    links: HashMap<SourceId, CachedLinks>,
    /// The autolinker, with the hash of the names it was built from.
    autolinker: Option<(u64, Arc<Autolinker<Target>>)>,
}

#[derive(Debug)]
struct CachedLinks {
    version: u64,
    layout: u64,
    links: Arc<AnalysisLinks>,
}

/// A hash of every id in model order: equal layouts, equal indices.
fn layout_key(model: &Model) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::Combiner::default();
    for a in &model.actors {
        a.id.hash(&mut h);
    }
    0xff_u8.hash(&mut h);
    for e in &model.events {
        e.id.hash(&mut h);
    }
    0xff_u8.hash(&mut h);
    let mut broken: Vec<&String> = model.broken_ids.iter().collect();
    broken.sort();
    broken.hash(&mut h);
    h.finish()
}

/// Resolves and renders. Diagnostics for unknown ids, wrong kinds, cycles and
/// broken `[[…]]` references go to `diags`. Texts whose inputs did not change
/// since the build that filled `cache` are taken from it.
pub fn link(
    config: &Config,
    sources: &Sources,
    model: Model,
    cache: &mut LinkCache,
    diags: &mut Diagnostics,
) -> Site {
    let index = Index::new(&model, config);
    let mut actors: Vec<ActorLinks> = model.actors.iter().map(|_| ActorLinks::default()).collect();
    let mut events: Vec<EventLinks> = model.events.iter().map(|_| EventLinks::default()).collect();

    resolve::fact_sheet_refs(&model, &index, &mut actors, &mut events, diags);
    resolve::check_part_of_cycles(&model, &mut events, diags);

    let names = if config.autolink {
        autolink_names(&model, &index, diags)
    } else {
        Vec::new()
    };
    let env = Env::new(config.autolink, &names, &index, &model);
    let staleness = Staleness::between(cache.env.as_ref(), &env);
    // Building the automaton over thousands of names costs milliseconds;
    // reuse the last one when no name, target or URL changed.
    let autolinker = match &cache.autolinker {
        Some((key, a)) if config.autolink && *key == env.automaton => Some(Arc::clone(a)),
        _ => config.autolink.then(|| Arc::new(Autolinker::new(names))),
    };
    cache.autolinker = autolinker.as_ref().map(|a| (env.automaton, Arc::clone(a)));
    let autolinker = autolinker.as_deref();

    // Every text, in a fixed order: bodies, then actor and event summaries.
    let mut jobs: Vec<TextJob<'_>> = Vec::new();
    for a in &model.analyses {
        let text = &sources.text(a.source)[a.body.clone()];
        jobs.push(TextJob {
            source: a.source,
            role: TextKind::Body,
            version: a.version,
            text,
            own: None,
        });
    }
    for (i, a) in model.actors.iter().enumerate() {
        if let Some(m) = &a.summary {
            jobs.push(TextJob::summary(a.source, m, Target::Actor(i)));
        }
    }
    for (i, e) in model.events.iter().enumerate() {
        if let Some(m) = &e.summary {
            jobs.push(TextJob::summary(e.source, m, Target::Event(i)));
        }
    }
    let rendered: Vec<Arc<Text>> = jobs
        .par_iter()
        .map(
            |job| match cache.texts.get(job.source, job.role, job.version) {
                Some(t) if !staleness.reaches(t, job.text) => Arc::clone(t),
                _ => Arc::new(texts::render(
                    job.text,
                    &index,
                    &model,
                    autolinker,
                    job.role == TextKind::Body,
                    job.own,
                )),
            },
        )
        .collect();
    for (job, text) in jobs.iter().zip(&rendered) {
        if !cache
            .texts
            .get(job.source, job.role, job.version)
            .is_some_and(|t| Arc::ptr_eq(t, text))
        {
            cache
                .texts
                .insert(job.source, job.role, job.version, Arc::clone(text));
        }
    }
    if cache.texts.len() > jobs.len() {
        let live = jobs.iter().map(|j| (j.source, j.role)).collect();
        cache.texts.retain(&live);
    }
    cache.env = Some(env);

    // An analysis's links depend on its file, its rendered body and where
    // each id sits in the model (the layout); reuse them when none changed.
    let layout = layout_key(&model);
    let bodies = &rendered[..model.analyses.len()];
    let linked: Vec<(Arc<AnalysisLinks>, Vec<Diagnostic>)> = model
        .analyses
        .par_iter()
        .zip(bodies)
        .map(|(a, body)| {
            if let Some(c) = cache.links.get(&a.source)
                && c.version == a.version
                && c.layout == layout
                && Arc::ptr_eq(&c.links.body, body)
            {
                return (Arc::clone(&c.links), Vec::new());
            }
            let mut local = Vec::new();
            let links = link_analysis(a, Arc::clone(body), &index, &mut local);
            (Arc::new(links), local)
        })
        .collect();
    let mut analyses = Vec::with_capacity(linked.len());
    let mut local = Vec::new();
    for (a, (links, d)) in model.analyses.iter().zip(linked) {
        let cached = cache
            .links
            .get(&a.source)
            .is_some_and(|c| Arc::ptr_eq(&c.links, &links));
        if d.is_empty() && !cached {
            cache.links.insert(
                a.source,
                CachedLinks {
                    version: a.version,
                    layout,
                    links: Arc::clone(&links),
                },
            );
        } else if !d.is_empty() {
            cache.links.remove(&a.source);
        }
        analyses.push(links);
        local.extend(d);
    }
    if cache.links.len() > model.analyses.len() {
        let live: HashSet<SourceId> = model.analyses.iter().map(|a| a.source).collect();
        cache.links.retain(|s, _| live.contains(s));
    }
    let mut rendered = rendered.into_iter().skip(model.analyses.len());
    for (a, links) in model.actors.iter().zip(actors.iter_mut()) {
        if let Some(m) = &a.summary {
            links.summary = rendered.next();
            report_broken(links.summary.as_deref(), m, &index, &mut local);
        }
    }
    for (e, links) in model.events.iter().zip(events.iter_mut()) {
        if let Some(m) = &e.summary {
            links.summary = rendered.next();
            report_broken(links.summary.as_deref(), m, &index, &mut local);
        }
    }
    diags.extend(local);

    let tags = collect_tags(&model);
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

/// Every actor name and alias with the actor it links to. A text shared by
/// two actors would be ambiguous: it links to neither, with a warning.
fn autolink_names(
    model: &Model,
    index: &Index,
    diags: &mut Diagnostics,
) -> Vec<(String, Target, String)> {
    let mut by_text: BTreeMap<&str, Vec<(usize, Span)>> = BTreeMap::new();
    for (i, a) in model.actors.iter().enumerate() {
        let mut texts = vec![(a.name.as_str(), Span::file(a.source))];
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
                    Diagnostic::check(
                        Check::AmbiguousAlias,
                        format!(
                            "`{text}` names both `{}` and `{}`, so it is not linked automatically",
                            a.id, b.id
                        ),
                    )
                    .at(a_span.clone())
                    .hint("remove the alias from one of them, or link explicitly with `[[id]]`"),
                );
            }
            [] => {}
        }
    }
    names
}

/// An analysis's links: front matter, then what its body mentions.
fn link_analysis(
    a: &crate::model::Analysis,
    body: Arc<Text>,
    index: &Index,
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
    for broken in body.broken.iter().filter(|b| !index.is_broken(&b.id)) {
        let span = Span::new(
            a.source,
            a.body.start + broken.range.start..a.body.start + broken.range.end,
        );
        diags.push(index.unknown(&broken.id, span, resolve::Expect::Any));
    }
    for (id, kind) in &body.mentions {
        let rel = match kind {
            MentionKind::Explicit => Relation::Mentions,
            MentionKind::Auto => Relation::AutoMentions,
        };
        match index.get(id) {
            Some(Target::Actor(i)) => push_unique(&mut links.actors, i, rel),
            Some(Target::Event(i)) => push_unique(&mut links.events, i, rel),
            None => {}
        }
    }
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

fn push_unique(list: &mut Vec<(usize, Relation)>, i: usize, rel: Relation) {
    if !list.iter().any(|(j, _)| *j == i) {
        list.push((i, rel));
    }
}

/// Unknown ids in a fact sheet's summary: reported at the summary's start
/// (its text is re-indented YAML, so offsets inside it are not the file's).
fn report_broken(text: Option<&Text>, m: &Markdown, index: &Index, diags: &mut Vec<Diagnostic>) {
    for broken in text
        .into_iter()
        .flat_map(|t| &t.broken)
        .filter(|b| !index.is_broken(&b.id))
    {
        diags.push(index.unknown(&broken.id, m.span.clone(), resolve::Expect::Any));
    }
}

/// Groups analyses by tag slug. Tags that differ only in case or punctuation
/// share a page, named by the most used spelling (ties: the first in
/// alphabetical order).
fn collect_tags(model: &Model) -> Vec<Tag> {
    let mut by_slug: HashMap<&str, (Vec<usize>, HashMap<&str, usize>)> = HashMap::default();
    for (i, a) in model.analyses.iter().enumerate() {
        for t in &a.tags {
            let (members, spellings) = by_slug.entry(&t.slug).or_default();
            if members.last() != Some(&i) {
                members.push(i);
            }
            *spellings.entry(&t.text).or_default() += 1;
        }
    }
    let mut tags: Vec<Tag> = by_slug
        .into_iter()
        .map(|(slug, (analyses, spellings))| {
            let name = spellings
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(n, _)| n.to_string())
                .unwrap_or_default();
            Tag {
                slug: slug.to_string(),
                name,
                analyses,
            }
        })
        .collect();
    tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    tags
}

/// Did-you-mean over ids, names and aliases, answered with an id.
pub(crate) fn suggest<'a>(word: &str, index: &'a Index) -> Option<&'a str> {
    did_you_mean(word, index.ids()).or_else(|| index.by_name(word))
}
