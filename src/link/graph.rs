//! Backlinks: every forward edge (country, relation, took part in, part
//! of, place, concerns/mentions, cites) reversed, in a deterministic order.
//!
//! The edges among fact sheets are most of the work and change only when a
//! fact sheet does: `serve` keeps them between builds, and an edit to an
//! analysis reverses only the analyses' edges.

use std::sync::Arc;

use super::resolve::same_by;
use super::{AnalysisLinks, Owner, RelationEdge, Role, Shared, Sheets, Site};
use crate::model::{Actor, Cited, Event, Model, Source};

/// The reverse edges of the last build.
#[derive(Debug, Default)]
pub(super) struct GraphCache {
    /// Among fact sheets, and the fact sheets and sources they were made
    /// from.
    sheets: Option<(SheetEdges, SheetFiles)>,
    analyses: AnalysisCache,
}

/// The fact sheets and sources of a build (the same entities, as the
/// model's cache hands them out, while their files are unchanged).
#[derive(Debug)]
struct SheetFiles {
    actors: Shared<Arc<Actor>>,
    events: Shared<Arc<Event>>,
    sources: Shared<Arc<Source>>,
}

impl SheetFiles {
    fn of(model: &Model) -> SheetFiles {
        SheetFiles {
            actors: model.actors.clone(),
            events: model.events.clone(),
            sources: model.sources.clone(),
        }
    }

    /// Whether `model`'s fact sheets and sources give the reverse edges
    /// these gave, given the same forward edges: the same ids, relation
    /// types, cited sources, publishers and event order. Names may differ
    /// (they order lists of members and nationals): the actors whose name
    /// did.
    fn same_edges_as(&self, model: &Model) -> Option<Vec<usize>> {
        fn cited(c: Option<&Cited>) -> Option<&str> {
            c.and_then(Cited::id)
        }
        fn actor(a: &Actor, b: &Actor) -> bool {
            a.id == b.id
                && a.relations.len() == b.relations.len()
                && a.relations.iter().zip(&b.relations).all(|(x, y)| {
                    x.kind.value == y.kind.value
                        && cited(x.source.as_ref()) == cited(y.source.as_ref())
                })
                && a.facts.len() == b.facts.len()
                && a.facts
                    .iter()
                    .zip(&b.facts)
                    .all(|(x, y)| cited(x.source.as_ref()) == cited(y.source.as_ref()))
        }
        fn event(a: &Event, b: &Event) -> bool {
            event_order(a, b).is_eq()
                && a.facts.len() == b.facts.len()
                && a.facts
                    .iter()
                    .zip(&b.facts)
                    .all(|(x, y)| cited(x.source.as_ref()) == cited(y.source.as_ref()))
                && a.sources.len() == b.sources.len()
                && a.sources
                    .iter()
                    .zip(&b.sources)
                    .all(|(x, y)| x.id() == y.id())
        }
        fn source(a: &Source, b: &Source) -> bool {
            a.id == b.id
                && a.publisher.as_ref().map(|p| &p.value) == b.publisher.as_ref().map(|p| &p.value)
        }
        let same = same_by(&self.actors, &model.actors, actor)
            && same_by(&self.events, &model.events, event)
            && same_by(&self.sources, &model.sources, source);
        same.then(|| {
            self.actors
                .iter()
                .zip(&model.actors)
                .enumerate()
                .filter(|(_, (a, b))| !Arc::ptr_eq(a, b) && a.name != b.name)
                .map(|(i, _)| i)
                .collect()
        })
    }
}

/// The edges from analyses of the last build: the analyses' links (the
/// same ones, as the link stage's cache hands them out while an analysis
/// is unchanged) and, reversed, the lists they make.
#[derive(Debug, Default)]
struct AnalysisCache {
    links: Shared<Arc<AnalysisLinks>>,
    actors: Vec<Shared<usize>>,
    events: Vec<Shared<usize>>,
    sources: Vec<Shared<usize>>,
    authors: Vec<Shared<usize>>,
}

/// Whether two analyses point to the same actors, events, sources and
/// authors, in the same order.
fn same_ends(a: &AnalysisLinks, b: &AnalysisLinks) -> bool {
    a.actors
        .iter()
        .map(|&(x, _)| x)
        .eq(b.actors.iter().map(|&(x, _)| x))
        && a.events
            .iter()
            .map(|&(x, _)| x)
            .eq(b.events.iter().map(|&(x, _)| x))
        && a.sources == b.sources
        && a.authors == b.authors
}

/// An analysis's authors (files), each once.
fn author_ends(a: &AnalysisLinks) -> Vec<usize> {
    let mut w: Vec<usize> = a.authors.iter().flatten().copied().collect();
    w.sort_unstable();
    w.dedup();
    w
}

/// Moves analysis `i` from the lists of `old` targets to those of `new`
/// ones, keeping each list in order (as [`reverse`] makes it, an analysis
/// once per edge).
fn move_edges(lists: &mut [Shared<usize>], i: usize, old: Vec<usize>, new: Vec<usize>) {
    for t in old {
        if let Ok(k) = lists[t].binary_search(&i) {
            lists[t].make_mut().remove(k);
        }
    }
    for t in new {
        let k = lists[t].binary_search(&i).unwrap_or_else(|k| k);
        lists[t].make_mut().insert(k, i);
    }
}

impl AnalysisCache {
    /// Brings the reverse lists up to `site`'s analyses by moving the
    /// analyses that now point elsewhere (a renamed actor's name no longer
    /// links in the texts that mention it); false, changing nothing, when
    /// the numbers of analyses, actors, events, sources or authors differ,
    /// or when too many analyses changed for moving to be cheaper.
    fn update(&mut self, site: &Site) -> bool {
        if self.links.len() != site.analyses.len()
            || self.actors.len() != site.actors.len()
            || self.events.len() != site.events.len()
            || self.sources.len() != site.sources.len()
            || self.authors.len() != site.authors.len()
        {
            return false;
        }
        let changed: Vec<usize> = (0..site.analyses.len())
            .filter(|&i| {
                let (old, new) = (&self.links[i], &site.analyses[i]);
                !Arc::ptr_eq(old, new) && !same_ends(old, new)
            })
            .collect();
        if changed.len() > 16 + site.analyses.len() / 16 {
            return false;
        }
        for i in changed {
            let (old, new) = (&self.links[i], &site.analyses[i]);
            let actors = |l: &AnalysisLinks| l.actors.iter().map(|&(x, _)| x).collect::<Vec<_>>();
            move_edges(&mut self.actors, i, actors(old), actors(new));
            let events = |l: &AnalysisLinks| l.events.iter().map(|&(x, _)| x).collect::<Vec<_>>();
            move_edges(&mut self.events, i, events(old), events(new));
            move_edges(
                &mut self.sources,
                i,
                old.sources.clone(),
                new.sources.clone(),
            );
            move_edges(&mut self.authors, i, author_ends(old), author_ends(new));
        }
        self.links = site.analyses.clone();
        true
    }
}

/// The reverse edges among fact sheets, as [`sheet_backlinks`] leaves them:
/// shared with the site they were made for, so that a build that reuses
/// them copies no list (at N = 10,000 copying them took 5 ms of a rename).
#[derive(Debug, Clone)]
struct SheetEdges {
    actors: Vec<ActorEdges>,
    children: Vec<Shared<usize>>,
    timeline: Shared<usize>,
    sources: Vec<SourceEdges>,
}

#[derive(Debug, Clone)]
struct ActorEdges {
    relations: Shared<RelationEdge>,
    nationals: Shared<usize>,
    affiliations: Shared<usize>,
    members: Shared<usize>,
    events: Shared<(usize, Role)>,
    events_here: Shared<usize>,
}

#[derive(Debug, Clone)]
struct SourceEdges {
    publisher: Option<usize>,
    facts: Shared<(Owner, usize)>,
    events: Shared<usize>,
    relations: Shared<(usize, usize)>,
}

impl SheetEdges {
    fn of(site: &Site) -> SheetEdges {
        SheetEdges {
            actors: site
                .actors
                .iter()
                .map(|l| ActorEdges {
                    relations: l.relations.clone(),
                    nationals: l.nationals.clone(),
                    affiliations: l.affiliations.clone(),
                    members: l.members.clone(),
                    events: l.events.clone(),
                    events_here: l.events_here.clone(),
                })
                .collect(),
            children: site.events.iter().map(|l| l.children.clone()).collect(),
            timeline: site.timeline.clone(),
            sources: site
                .sources
                .iter()
                .map(|l| SourceEdges {
                    publisher: l.publisher,
                    facts: l.facts.clone(),
                    events: l.events.clone(),
                    relations: l.relations.clone(),
                })
                .collect(),
        }
    }

    fn apply(&self, site: &mut Site) {
        for (l, e) in site.actors.iter_mut().zip(&self.actors) {
            l.relations = e.relations.clone();
            l.nationals = e.nationals.clone();
            l.affiliations = e.affiliations.clone();
            l.members = e.members.clone();
            l.events = e.events.clone();
            l.events_here = e.events_here.clone();
        }
        for (l, c) in site.events.iter_mut().zip(&self.children) {
            l.children = c.clone();
        }
        site.timeline = self.timeline.clone();
        for (l, e) in site.sources.iter_mut().zip(&self.sources) {
            l.publisher = e.publisher;
            l.facts = e.facts.clone();
            l.events = e.events.clone();
            l.relations = e.relations.clone();
        }
    }
}

/// Fills in the reverse edges and the timeline. Lists of events come out in
/// date order; lists of analyses newest first (the order of `model.analyses`).
/// The edges among fact sheets are taken from `cache` when the link stage
/// took the fact sheets' forward edges from its own (no fact sheet, source
/// or author file changed), or when they resolved as before and nothing
/// else they depend on changed (an actor renamed: only the lists its name
/// orders are sorted again).
pub(crate) fn build_backlinks(site: &mut Site, sheets: Sheets, cache: &mut GraphCache) {
    let reuse = match (&cache.sheets, sheets) {
        (Some(_), Sheets::Unchanged) => Some(Vec::new()),
        (Some((_, files)), Sheets::SameEdges) => files.same_edges_as(&site.model),
        _ => None,
    };
    match (&mut cache.sheets, reuse) {
        (Some((edges, files)), Some(renamed)) => {
            // A renamed actor moves only in the lists it is in: the
            // members of what it is a member of, the nationals of its
            // country.
            for r in renamed {
                let mut lists = edges.actors[r].affiliations.to_vec();
                lists.extend(site.actors[r].country);
                for a in lists {
                    let e = &mut edges.actors[a];
                    sort_by_name(&site.model, e.members.make_mut(), e.nationals.make_mut());
                }
            }
            edges.apply(site);
            if sheets != Sheets::Unchanged {
                *files = SheetFiles::of(&site.model);
            }
        }
        _ => {
            sheet_backlinks(site);
            cache.sheets = Some((SheetEdges::of(site), SheetFiles::of(&site.model)));
        }
    }
    analysis_backlinks(site, &mut cache.analyses);
}

/// The reverse edges among fact sheets, and the timeline.
fn sheet_backlinks(site: &mut Site) {
    let Site {
        model,
        actors,
        events,
        sources,
        source_ids,
        timeline,
        ..
    } = site;
    /// An actor's lists, as they are gathered.
    #[derive(Default, Clone)]
    struct Back {
        nationals: Vec<usize>,
        affiliations: Vec<usize>,
        members: Vec<usize>,
        events: Vec<(usize, Role)>,
        here: Vec<usize>,
    }
    /// What cites a source, as it is gathered.
    #[derive(Default, Clone)]
    struct Cites {
        facts: Vec<(Owner, usize)>,
        events: Vec<usize>,
        relations: Vec<(usize, usize)>,
    }
    let n = actors.len();
    let mut back: Vec<Back> = vec![Back::default(); n];

    for (i, l) in actors.iter().enumerate() {
        if let Some(c) = l.country {
            back[c].nationals.push(i);
        }
    }
    // Each actor's relations: those it states, then the other side of
    // those others state about it; `member_of` also as affiliations and
    // members.
    let mut inverse: Vec<Vec<RelationEdge>> = vec![Vec::new(); n];
    for links in actors.iter() {
        for e in links.relations.iter() {
            inverse[e.other].push(RelationEdge {
                other: e.owner,
                inverse: true,
                ..*e
            });
        }
    }
    let relations: Vec<Vec<RelationEdge>> = inverse
        .into_iter()
        .zip(actors.iter())
        .map(|(mut theirs, l)| {
            theirs.sort_by(|a, b| {
                model.actors[a.other]
                    .id
                    .cmp(&model.actors[b.other].id)
                    .then(a.position.cmp(&b.position))
            });
            let mut all = Vec::with_capacity(l.relations.len() + theirs.len());
            all.extend_from_slice(&l.relations);
            all.extend(theirs);
            all
        })
        .collect();
    for (i, rels) in relations.iter().enumerate() {
        for e in rels {
            if model.actors[e.owner].relations[e.position].kind.value != "member_of" {
                continue;
            }
            if e.inverse {
                // Deduplicated once sorted, below: a hub has thousands of
                // members, and a `contains` per member was quadratic.
                back[i].members.push(e.other);
            } else if !back[i].affiliations.contains(&e.other) {
                back[i].affiliations.push(e.other);
            }
        }
    }
    // Places roll up: what is part of what, through `part_of` at any depth
    // (cycles were broken by the link stage).
    let containers: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            let mut out: Vec<usize> = Vec::new();
            let mut next = vec![i];
            while let Some(a) = next.pop() {
                for e in &relations[a] {
                    let part_of =
                        model.actors[e.owner].relations[e.position].kind.value == "part_of";
                    if part_of && !e.inverse && e.other != i && !out.contains(&e.other) {
                        out.push(e.other);
                        next.push(e.other);
                    }
                }
            }
            out
        })
        .collect();

    let mut order: Vec<usize> = (0..model.events.len()).collect();
    order.sort_by(|&a, &b| event_order(&model.events[a], &model.events[b]));
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); events.len()];
    for &e in &order {
        for &(a, role) in &events[e].participants {
            back[a].events.push((e, role));
        }
        if let Some(p) = events[e].place {
            back[p].here.push(e);
            for &c in &containers[p] {
                if back[c].here.last() != Some(&e) {
                    back[c].here.push(e);
                }
            }
        }
        if let Some(parent) = events[e].parent {
            children[parent].push(e);
        }
    }
    *timeline = Shared::from(order);
    for (l, c) in events.iter_mut().zip(children) {
        l.children = Shared::from(c);
    }

    // What cites each source.
    let mut cites: Vec<Cites> = vec![Cites::default(); sources.len()];
    let source_of = |c: &Cited| c.id().and_then(|id| source_ids.get(id)).copied();
    for (i, a) in model.actors.iter().enumerate() {
        for (k, f) in a.facts.iter().enumerate() {
            if let Some(s) = f.source.as_ref().and_then(source_of) {
                cites[s].facts.push((Owner::Actor(i), k));
            }
        }
        for (k, r) in a.relations.iter().enumerate() {
            if let Some(s) = r.source.as_ref().and_then(source_of) {
                cites[s].relations.push((i, k));
            }
        }
    }
    for (i, e) in model.events.iter().enumerate() {
        for (k, f) in e.facts.iter().enumerate() {
            if let Some(s) = f.source.as_ref().and_then(source_of) {
                cites[s].facts.push((Owner::Event(i), k));
            }
        }
        for c in &e.sources {
            if let Some(s) = source_of(c)
                && cites[s].events.last() != Some(&i)
            {
                cites[s].events.push(i);
            }
        }
    }
    for ((s, links), cites) in model.sources.iter().zip(sources.iter_mut()).zip(cites) {
        links.publisher = s.publisher.as_ref().and_then(|p| {
            model
                .actors
                .binary_search_by(|a| a.id.as_str().cmp(&p.value))
                .ok()
        });
        links.facts = Shared::from(cites.facts);
        links.events = Shared::from(cites.events);
        links.relations = Shared::from(cites.relations);
    }

    for ((links, relations), mut back) in actors.iter_mut().zip(relations).zip(back) {
        sort_by_name(model, &mut back.members, &mut back.nationals);
        links.relations = Shared::from(relations);
        links.nationals = Shared::from(back.nationals);
        links.affiliations = Shared::from(back.affiliations);
        links.members = Shared::from(back.members);
        links.events = Shared::from(back.events);
        links.events_here = Shared::from(back.here);
    }
}

/// Sorts members and nationals by name, so that lists read alphabetically.
fn sort_by_name(model: &Model, members: &mut Vec<usize>, nationals: &mut [usize]) {
    let by_name = |a: &usize, b: &usize| {
        model.actors[*a]
            .name
            .cmp(&model.actors[*b].name)
            .then(a.cmp(b))
    };
    members.sort_by(by_name);
    // Sorted by name, then index: the same member twice is adjacent.
    members.dedup();
    nationals.sort_by(by_name);
}

/// The edges from analyses: to the actors and events they concern or
/// mention, the sources they cite, their authors.
fn analysis_backlinks(site: &mut Site, cache: &mut AnalysisCache) {
    if !cache.update(site) {
        *cache = AnalysisCache {
            links: site.analyses.clone(),
            actors: reverse(
                site.actors.len(),
                site.analyses
                    .iter()
                    .map(|a| a.actors.iter().map(|&(x, _)| x)),
            ),
            events: reverse(
                site.events.len(),
                site.analyses
                    .iter()
                    .map(|a| a.events.iter().map(|&(x, _)| x)),
            ),
            sources: reverse(
                site.sources.len(),
                site.analyses.iter().map(|a| a.sources.iter().copied()),
            ),
            // An analysis is listed once per author, however often named.
            authors: reverse(
                site.authors.len(),
                site.analyses.iter().map(|a| author_ends(a).into_iter()),
            ),
        };
    }
    for (l, list) in site.actors.iter_mut().zip(&cache.actors) {
        l.analyses = list.clone();
    }
    for (l, list) in site.events.iter_mut().zip(&cache.events) {
        l.analyses = list.clone();
    }
    for (l, list) in site.sources.iter_mut().zip(&cache.sources) {
        l.analyses = list.clone();
    }
    for (l, list) in site.authors.iter_mut().zip(&cache.authors) {
        l.analyses = list.clone();
    }
}

/// For each of `n` targets, the sources that point to it, in order:
/// `edges` gives, per source in order, the targets it points to (a source
/// pointing twice to one target is listed twice).
fn reverse<I, J>(n: usize, edges: I) -> Vec<Shared<usize>>
where
    I: Iterator<Item = J> + Clone,
    J: Iterator<Item = usize>,
{
    let mut start = vec![0usize; n + 1];
    for targets in edges.clone() {
        for t in targets {
            start[t + 1] += 1;
        }
    }
    for k in 0..n {
        start[k + 1] += start[k];
    }
    let mut next = start.clone();
    let mut flat = vec![0usize; start[n]];
    for (i, targets) in edges.enumerate() {
        for t in targets {
            flat[next[t]] = i;
            next[t] += 1;
        }
    }
    (0..n)
        .map(|k| Shared::from(flat[start[k]..start[k + 1]].to_vec()))
        .collect()
}

/// Date, then end date, then title, then id: a total order.
pub(crate) fn event_order(a: &Event, b: &Event) -> std::cmp::Ordering {
    a.date
        .cmp(&b.date)
        .then_with(|| a.end.cmp(&b.end))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.id.cmp(&b.id))
}
