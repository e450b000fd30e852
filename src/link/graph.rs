//! Backlinks: every forward edge (country, relation, took part in, part
//! of, place, concerns/mentions, cites) reversed, in a deterministic order.

use super::{Owner, RelationEdge, Site};
use crate::model::{Cited, Event};

/// Fills in the reverse edges and the timeline. Lists of events come out in
/// date order; lists of analyses newest first (the order of `model.analyses`).
pub(crate) fn build_backlinks(site: &mut Site) {
    let Site {
        model,
        actors,
        events,
        analyses,
        sources,
        source_ids,
        authors,
        timeline,
        ..
    } = site;

    let countries: Vec<Option<usize>> = actors.iter().map(|l| l.country).collect();
    for (i, c) in countries.into_iter().enumerate() {
        if let Some(c) = c {
            actors[c].nationals.push(i);
        }
    }
    // The other side of each relation, on the other actor; `member_of`
    // also as affiliations and members.
    let mut inverse: Vec<Vec<RelationEdge>> = vec![Vec::new(); actors.len()];
    for links in actors.iter_mut() {
        for e in &links.relations {
            inverse[e.other].push(RelationEdge {
                other: e.owner,
                inverse: true,
                ..*e
            });
        }
    }
    for (i, mut theirs) in inverse.into_iter().enumerate() {
        theirs.sort_by(|a, b| {
            model.actors[a.other]
                .id
                .cmp(&model.actors[b.other].id)
                .then(a.position.cmp(&b.position))
        });
        actors[i].relations.extend(theirs);
    }
    for links in actors.iter_mut() {
        for k in 0..links.relations.len() {
            let e = links.relations[k];
            if model.actors[e.owner].relations[e.position].kind.value != "member_of" {
                continue;
            }
            if e.inverse {
                // Deduplicated once sorted, below: a hub has thousands of
                // members, and a `contains` per member was quadratic.
                links.members.push(e.other);
            } else if !links.affiliations.contains(&e.other) {
                links.affiliations.push(e.other);
            }
        }
    }
    // Places roll up: what is part of what, through `part_of` at any depth
    // (cycles were broken by the link stage).
    let containers: Vec<Vec<usize>> = (0..actors.len())
        .map(|i| {
            let mut out: Vec<usize> = Vec::new();
            let mut next = vec![i];
            while let Some(a) = next.pop() {
                for e in &actors[a].relations {
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
    for &e in &order {
        for &(a, role) in &events[e].participants {
            actors[a].events.push((e, role));
        }
        if let Some(p) = events[e].place {
            actors[p].events_here.push(e);
            for &c in &containers[p] {
                if actors[c].events_here.last() != Some(&e) {
                    actors[c].events_here.push(e);
                }
            }
        }
        if let Some(parent) = events[e].parent {
            events[parent].children.push(e);
        }
    }
    *timeline = order;

    // Count first, so that each list is allocated once (there are hundreds
    // of thousands of these edges in a large briefing).
    let mut per_actor = vec![0usize; actors.len()];
    let mut per_event = vec![0usize; events.len()];
    for a in analyses.iter() {
        a.actors.iter().for_each(|&(x, _)| per_actor[x] += 1);
        a.events.iter().for_each(|&(x, _)| per_event[x] += 1);
    }
    for (links, n) in actors.iter_mut().zip(per_actor) {
        links.analyses.reserve_exact(n);
    }
    for (links, n) in events.iter_mut().zip(per_event) {
        links.analyses.reserve_exact(n);
    }
    for (i, a) in analyses.iter().enumerate() {
        for &(actor, _) in &a.actors {
            actors[actor].analyses.push(i);
        }
        for &(event, _) in &a.events {
            events[event].analyses.push(i);
        }
    }

    // What cites each source.
    let source_of = |c: &Cited| c.id().and_then(|id| source_ids.get(id)).copied();
    for (i, a) in model.actors.iter().enumerate() {
        for (k, f) in a.facts.iter().enumerate() {
            if let Some(s) = f.source.as_ref().and_then(source_of) {
                sources[s].facts.push((Owner::Actor(i), k));
            }
        }
        for (k, r) in a.relations.iter().enumerate() {
            if let Some(s) = r.source.as_ref().and_then(source_of) {
                sources[s].relations.push((i, k));
            }
        }
    }
    for (i, e) in model.events.iter().enumerate() {
        for (k, f) in e.facts.iter().enumerate() {
            if let Some(s) = f.source.as_ref().and_then(source_of) {
                sources[s].facts.push((Owner::Event(i), k));
            }
        }
        for c in &e.sources {
            if let Some(s) = source_of(c)
                && sources[s].events.last() != Some(&i)
            {
                sources[s].events.push(i);
            }
        }
    }
    for (i, a) in analyses.iter().enumerate() {
        for &s in &a.sources {
            sources[s].analyses.push(i);
        }
        for &w in a.authors.iter().flatten() {
            if authors[w].analyses.last() != Some(&i) {
                authors[w].analyses.push(i);
            }
        }
    }
    for (s, links) in model.sources.iter().zip(sources.iter_mut()) {
        links.publisher = s.publisher.as_ref().and_then(|p| {
            model
                .actors
                .binary_search_by(|a| a.id.as_str().cmp(&p.value))
                .ok()
        });
    }

    // Sort people and members by name so lists read alphabetically.
    let by_name = |list: &mut Vec<usize>| {
        list.sort_by(|&a, &b| {
            model.actors[a]
                .name
                .cmp(&model.actors[b].name)
                .then(a.cmp(&b))
        })
    };
    for links in actors.iter_mut() {
        by_name(&mut links.members);
        // Sorted by name, then index: the same member twice is adjacent.
        links.members.dedup();
        by_name(&mut links.nationals);
    }
}

/// Date, then end date, then title, then id: a total order.
pub(crate) fn event_order(a: &Event, b: &Event) -> std::cmp::Ordering {
    a.date
        .cmp(&b.date)
        .then_with(|| a.end.cmp(&b.end))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.id.cmp(&b.id))
}
