//! Backlinks: every forward edge (country, affiliation, took part in, part
//! of, place, concerns/mentions) reversed, in a deterministic order.

use super::Site;
use crate::model::Event;

/// Fills in the reverse edges and the timeline. Lists of events come out in
/// date order; lists of analyses newest first (the order of `model.analyses`).
pub(crate) fn build_backlinks(site: &mut Site) {
    let Site {
        model,
        actors,
        events,
        analyses,
        timeline,
        ..
    } = site;

    for i in 0..actors.len() {
        if let Some(c) = actors[i].country {
            actors[c].nationals.push(i);
        }
        for k in 0..actors[i].affiliations.len() {
            let a = actors[i].affiliations[k];
            actors[a].members.push(i);
        }
    }

    let mut order: Vec<usize> = (0..model.events.len()).collect();
    order.sort_by(|&a, &b| event_order(&model.events[a], &model.events[b]));
    for &e in &order {
        for &(a, role) in &events[e].participants {
            actors[a].events.push((e, role));
        }
        if let Some(p) = events[e].place {
            actors[p].events_here.push(e);
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
