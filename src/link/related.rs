//! Related analyses: for each analysis, the others that share the most with
//! it. Two analyses score what the actors, events and tags they share are
//! worth, each worth less the more analyses carry it (ln(1 + N / df), N
//! analyses, df those carrying it), so that a rare shared actor counts for
//! more than the country every analysis is about. Candidates come from an
//! inverted index (entity → analyses), never all pairs; an entity carried by
//! more than [`HUB`] analyses is worth little and is left out, which keeps
//! the work linear in the site. Ties go to the newer analysis.
//!
//! In `serve`, an edit that changes what a few analyses carry recomputes
//! only the analyses whose scores it can change: those edited and those
//! sharing an entity whose count changed. Each analysis's list is computed
//! the same way either way (the same sums in the same order), so the
//! result is the full computation's, bit for bit.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::{AnalysisLinks, Shared, Site};
use crate::model::Analysis;

/// An entity carried by more analyses than this does not make them related.
pub(crate) const HUB: usize = 200;

/// Above this share of edited analyses, computing everything is cheaper.
const INCREMENTAL_SHARE: usize = 8;

/// The last computation and what it was made from.
#[derive(Debug, Default)]
pub(crate) struct RelatedCache {
    /// What fixes analysis indices and weights: the limit, how many
    /// actors and events, the tags in order, and the analyses in order
    /// (`analyses`).
    frame: u64,
    /// The model's analyses then: the same list, or one with the same
    /// slugs in the same order, numbers them the same (the model's list is
    /// shared from one build to the next: looking at each analysis's slug
    /// took milliseconds of each edit at N = 100,000).
    analyses: Shared<Arc<Analysis>>,
    /// The links each list was made from: an analysis whose links are the
    /// same (the link stage's cache hands out the same ones) carries the
    /// same entities.
    links: Shared<Arc<AnalysisLinks>>,
    entities: Vec<Vec<u32>>,
    postings: HashMap<u32, Vec<u32>>,
    related: Arc<Vec<Vec<usize>>>,
}

/// Up to `limit` related analyses for each analysis, best first.
pub(crate) fn related(site: &Site, limit: usize, cache: &mut RelatedCache) -> Arc<Vec<Vec<usize>>> {
    // What fixes the numbering: analyses in order, how many actors and
    // events, the tags in order.
    let mut h = crate::hash::Combiner::default();
    limit.hash(&mut h);
    (site.model.actors.len(), site.model.events.len()).hash(&mut h);
    for t in &site.tags {
        t.slug.hash(&mut h);
    }
    let frame = h.finish();
    let n = site.analyses.len();
    let analyses = &site.model.analyses;
    if cache.frame == frame
        && cache.links.len() == n
        && super::resolve::same_by(&cache.analyses, analyses, |a, b| a.slug == b.slug)
    {
        // Only the analyses whose links are not those of the last build
        // are looked at (and their links kept in place of the old).
        let changed: Vec<usize> = (0..n)
            .into_par_iter()
            .filter(|&i| !Arc::ptr_eq(&cache.links[i], &site.analyses[i]))
            .collect();
        cache.analyses = analyses.clone();
        let edited: Vec<(usize, Vec<u32>)> = changed
            .par_iter()
            .map(|&i| (i, entities(site, &site.analyses[i])))
            .filter(|(i, list)| *list != cache.entities[*i])
            .collect();
        cache.links = site.analyses.clone();
        if edited.is_empty() {
            return Arc::clone(&cache.related);
        }
        if edited.len() * INCREMENTAL_SHARE <= n {
            update(cache, edited, limit);
            return Arc::clone(&cache.related);
        }
    }
    let entities: Vec<Vec<u32>> = site
        .analyses
        .par_iter()
        .map(|l| entities(site, l))
        .collect();
    let postings = postings(&entities);
    let related = Arc::new(compute(&entities, &postings, limit));
    *cache = RelatedCache {
        frame,
        analyses: analyses.clone(),
        links: site.analyses.clone(),
        entities,
        postings,
        related: Arc::clone(&related),
    };
    related
}

/// An analysis's actors, events and tags, as numbers: actors first, then
/// events, then tags.
fn entities(site: &Site, l: &AnalysisLinks) -> Vec<u32> {
    let (na, ne) = (site.model.actors.len(), site.model.events.len());
    let mut list: Vec<u32> = l
        .actors
        .iter()
        .map(|&(a, _)| a as u32)
        .chain(l.events.iter().map(|&(e, _)| (na + e) as u32))
        .chain(
            l.tags
                .iter()
                .filter_map(|t| site.tag(t))
                .map(|(t, _)| (na + ne + t) as u32),
        )
        .collect();
    list.sort_unstable();
    list.dedup();
    list
}

/// Entity → the analyses that carry it, in order.
fn postings(entities: &[Vec<u32>]) -> HashMap<u32, Vec<u32>> {
    let mut postings: HashMap<u32, Vec<u32>> = HashMap::default();
    for (i, list) in entities.iter().enumerate() {
        for &e in list {
            postings.entry(e).or_default().push(i as u32);
        }
    }
    postings
}

/// What sharing an entity carried by `df` of `n` analyses is worth.
fn weight(n: usize, df: usize) -> f64 {
    (1.0 + n as f64 / df as f64).ln()
}

/// Scratch for one thread: a score for every analysis (zero between uses)
/// and the analyses touched.
type Scratch = (Vec<f64>, Vec<u32>);

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// Runs `f` with this thread's scratch, sized for `n` analyses. One per
/// thread, not one per rayon job: `map_init` would make a fresh 8·N-byte
/// array for every split of the work, thousands of them at N = 10,000.
fn with_scratch<R>(n: usize, f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        if s.0.len() != n {
            s.0.clear();
            s.0.resize(n, 0.0);
        }
        f(&mut s)
    })
}

/// The related analyses of analysis `i`.
fn score_one(
    i: usize,
    entities: &[Vec<u32>],
    postings: &HashMap<u32, Vec<u32>>,
    limit: usize,
    (scores, touched): &mut Scratch,
) -> Vec<usize> {
    let n = entities.len();
    for e in &entities[i] {
        let Some(with) = postings.get(e).filter(|p| p.len() <= HUB) else {
            continue;
        };
        let w = weight(n, with.len());
        for &j in with {
            let s = &mut scores[j as usize];
            if *s == 0.0 {
                touched.push(j);
            }
            *s += w;
        }
    }
    let mut best: Vec<(u32, f64)> = touched
        .drain(..)
        .filter(|&j| j as usize != i)
        .map(|j| (j, scores[j as usize]))
        .collect();
    for &(j, _) in &best {
        scores[j as usize] = 0.0;
    }
    scores[i] = 0.0;
    // Best score first; among equals the newer (analyses are newest first,
    // so the lower index). Only the best `limit` are sorted.
    let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if best.len() > limit {
        best.select_nth_unstable_by(limit, order);
        best.truncate(limit);
    }
    best.sort_by(order);
    // Not `into_iter().collect()`: that reuses `best`'s buffer, sized for
    // every candidate, and 10,000 kept lists held 700 MB at N = 10,000.
    let mut list = Vec::with_capacity(best.len());
    list.extend(best.iter().map(|&(j, _)| j as usize));
    list
}

fn compute(
    entities: &[Vec<u32>],
    postings: &HashMap<u32, Vec<u32>>,
    limit: usize,
) -> Vec<Vec<usize>> {
    if limit == 0 {
        return vec![Vec::new(); entities.len()];
    }
    (0..entities.len())
        .into_par_iter()
        .map(|i| {
            with_scratch(entities.len(), |s| {
                score_one(i, entities, postings, limit, s)
            })
        })
        .collect()
}

/// Brings the cache up to date after the analyses in `edited` changed what
/// they carry (to the lists given; the analyses themselves, and so `N`,
/// being the same).
fn update(cache: &mut RelatedCache, edited: Vec<(usize, Vec<u32>)>, limit: usize) {
    // The entities whose count changed, with their old counts.
    let mut changed: HashMap<u32, usize> = HashMap::default();
    for (i, new) in &edited {
        let (i, old) = (*i, &cache.entities[*i]);
        for &e in old.iter().filter(|e| new.binary_search(e).is_err()) {
            let p = cache.postings.get(&e).map_or(0, Vec::len);
            changed.entry(e).or_insert(p);
            if let Some(list) = cache.postings.get_mut(&e)
                && let Ok(k) = list.binary_search(&(i as u32))
            {
                list.remove(k);
            }
        }
        for &e in new.iter().filter(|e| old.binary_search(e).is_err()) {
            let list = cache.postings.entry(e).or_default();
            changed.entry(e).or_insert(list.len());
            if let Err(k) = list.binary_search(&(i as u32)) {
                list.insert(k, i as u32);
            }
        }
    }
    // Those whose scores can change: the edited analyses, and every
    // analysis carrying an entity whose weight or postings changed (a hub
    // before and after counts for nothing either way).
    let mut affected: HashSet<u32> = edited.iter().map(|&(i, _)| i as u32).collect();
    for (e, old_df) in &changed {
        let new_df = cache.postings.get(e).map_or(0, Vec::len);
        if *old_df > HUB && new_df > HUB {
            continue;
        }
        if let Some(list) = cache.postings.get(e) {
            affected.extend(list.iter().copied());
        }
        // Analyses that carried it before and no longer do are edited ones.
    }
    cache.postings.retain(|_, list| !list.is_empty());
    for (i, list) in edited {
        cache.entities[i] = list;
    }
    if limit == 0 {
        return;
    }
    let mut affected: Vec<u32> = affected.into_iter().collect();
    affected.sort_unstable();
    let (entities, postings) = (&cache.entities, &cache.postings);
    let lists: Vec<(u32, Vec<usize>)> = affected
        .par_iter()
        .map(|&a| {
            with_scratch(entities.len(), |s| {
                (a, score_one(a as usize, entities, postings, limit, s))
            })
        })
        .collect();
    let related = Arc::make_mut(&mut cache.related);
    for (a, list) in lists {
        related[a as usize] = list;
    }
}

#[cfg(test)]
mod tests {
    use super::{HUB, RelatedCache, compute, postings, update};

    fn full(e: &[Vec<u32>], limit: usize) -> Vec<Vec<usize>> {
        compute(e, &postings(e), limit)
    }

    #[test]
    fn rare_shared_entities_outweigh_common_ones() {
        // 0 shares the rare entity 7 with 1, and the common 1 with 2 and 3.
        let e = vec![vec![1, 7], vec![7], vec![1], vec![1], vec![9]];
        let r = full(&e, 5);
        assert_eq!(r[0], [1, 2, 3]);
        assert!(r[4].is_empty());
        assert_eq!(full(&e, 1)[0], [1]);
        assert!(full(&e, 0).iter().all(Vec::is_empty));
    }

    /// Editing a few analyses and updating gives what computing everything
    /// again gives, hubs crossing the cap included.
    #[test]
    fn an_update_equals_a_full_computation() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % below
        };
        let n = 600;
        // Entity 0 sits near the hub cap, so edits move it across.
        let mut entities: Vec<Vec<u32>> = (0..n)
            .map(|i| {
                let mut l: Vec<u32> = (0..6).map(|_| 1 + next(300) as u32).collect();
                if i < HUB {
                    l.push(0);
                }
                l.sort_unstable();
                l.dedup();
                l
            })
            .collect();
        let limit = 5;
        let p = postings(&entities);
        let mut cache = RelatedCache {
            frame: 0,
            analyses: Default::default(),
            links: Default::default(),
            related: std::sync::Arc::new(compute(&entities, &p, limit)),
            entities: entities.clone(),
            postings: p,
        };
        for round in 0..40 {
            let edited: Vec<usize> = (0..1 + next(4)).map(|_| next(n as u64) as usize).collect();
            let mut edited_sorted = edited.clone();
            edited_sorted.sort_unstable();
            edited_sorted.dedup();
            for &i in &edited_sorted {
                let l = &mut entities[i];
                match next(3) {
                    0 => l.retain(|&e| e != 0),
                    1 => l.push(0),
                    _ => {
                        if !l.is_empty() {
                            l.remove(next(l.len() as u64) as usize);
                        }
                        l.push(1 + next(300) as u32);
                    }
                }
                l.sort_unstable();
                l.dedup();
            }
            let edited: Vec<(usize, Vec<u32>)> = edited_sorted
                .iter()
                .map(|&i| (i, entities[i].clone()))
                .collect();
            update(&mut cache, edited, limit);
            assert_eq!(*cache.related, full(&entities, limit), "round {round}");
        }
    }

    /// docs/format.md gives the cap for hub entities; it must be the code's.
    #[test]
    fn the_documented_hub_cap_is_the_code_s() {
        let docs = include_str!("../../docs/format.md");
        let phrase = format!("An entity carried by more than {} analyses", super::HUB);
        assert!(docs.contains(&phrase), "docs/format.md lacks {phrase:?}");
    }
}
