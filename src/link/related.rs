//! Related analyses: for each analysis, the others that share the most with
//! it. Two analyses score what the actors, events and tags they share are
//! worth, each worth less the more analyses carry it (ln(1 + N / df), N
//! analyses, df those carrying it), so that a rare shared actor counts for
//! more than the country every analysis is about. Candidates come from an
//! inverted index (entity → analyses), never all pairs; an entity carried by
//! more than [`HUB`] analyses is worth little and is left out, which keeps
//! the work linear in the site. Ties go to the newer analysis.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::Site;

/// An entity carried by more analyses than this does not make them related.
pub(crate) const HUB: usize = 200;

/// The last computation, kept while no analysis's entities change.
#[derive(Debug, Default)]
pub(crate) struct RelatedCache {
    key: u64,
    related: Arc<Vec<Vec<usize>>>,
}

/// Up to `limit` related analyses for each analysis, best first.
pub(crate) fn related(site: &Site, limit: usize, cache: &mut RelatedCache) -> Arc<Vec<Vec<usize>>> {
    let entities = entities(site);
    let mut h = crate::hash::Combiner::default();
    (limit, &entities).hash(&mut h);
    let key = h.finish();
    if cache.key == key && cache.related.len() == entities.len() {
        return Arc::clone(&cache.related);
    }
    let related = Arc::new(compute(&entities, limit));
    *cache = RelatedCache {
        key,
        related: Arc::clone(&related),
    };
    related
}

/// Each analysis's actors, events and tags, as numbers: actors first, then
/// events, then tags.
fn entities(site: &Site) -> Vec<Vec<u32>> {
    let (na, ne) = (site.model.actors.len(), site.model.events.len());
    site.analyses
        .iter()
        .map(|l| {
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
        })
        .collect()
}

fn compute(entities: &[Vec<u32>], limit: usize) -> Vec<Vec<usize>> {
    if limit == 0 {
        return vec![Vec::new(); entities.len()];
    }
    let mut postings: HashMap<u32, Vec<usize>> = HashMap::default();
    for (i, list) in entities.iter().enumerate() {
        for &e in list {
            postings.entry(e).or_default().push(i);
        }
    }
    let n = entities.len() as f64;
    let weight = |df: usize| (1.0 + n / df as f64).ln();
    entities
        .par_iter()
        .enumerate()
        .map(|(i, list)| {
            let mut scores: HashMap<usize, f64> = HashMap::default();
            for e in list {
                let Some(with) = postings.get(e).filter(|p| p.len() <= HUB) else {
                    continue;
                };
                let w = weight(with.len());
                for &j in with.iter().filter(|&&j| j != i) {
                    *scores.entry(j).or_default() += w;
                }
            }
            let mut best: Vec<(usize, f64)> = scores.into_iter().collect();
            // Best score first; among equals the newer (analyses are newest
            // first, so the lower index).
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(limit);
            best.into_iter().map(|(j, _)| j).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::compute;

    #[test]
    fn rare_shared_entities_outweigh_common_ones() {
        // 0 shares the rare entity 7 with 1, and the common 1 with 2 and 3.
        let e = vec![vec![1, 7], vec![7], vec![1], vec![1], vec![9]];
        let r = compute(&e, 5);
        assert_eq!(r[0], [1, 2, 3]);
        assert!(r[4].is_empty());
        assert_eq!(compute(&e, 1)[0], [1]);
        assert!(compute(&e, 0).iter().all(Vec::is_empty));
    }

    /// docs/format.md gives the cap for hub entities; it must be the code's.
    #[test]
    fn the_documented_hub_cap_is_the_code_s() {
        let docs = include_str!("../../docs/format.md");
        let phrase = format!("An entity carried by more than {} analyses", super::HUB);
        assert!(docs.contains(&phrase), "docs/format.md lacks {phrase:?}");
    }
}
