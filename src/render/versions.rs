//! Versions of everything pages are built from, per entity and per
//! template, computed once per build. A page's signature ([`super::pages::Kind::signature`])
//! folds the versions of what it shows; a page whose signature is unchanged
//! since the last build is not rendered again.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::hash::{Hash, Hasher};

use crate::config::Config;
use crate::diag::Sources;
use crate::hash::{Combiner, combine, version};
use crate::i18n::Locale;
use crate::link::{RelationEdge, Site};
use crate::model::Cited;
use crate::theme::Theme;

/// Versions of one build.
pub(crate) struct Versions {
    /// Everything of `site.toml` that pages show.
    pub site: u64,
    templates: HashMap<String, u64>,
    /// Per analysis: what its card shows (lists, tag pages, actor pages…).
    pub card: Vec<u64>,
    /// Per analysis: its own page's data.
    pub analysis: Vec<u64>,
    /// Per actor: what a link to it shows (name, kind, role, URL).
    pub actor_ref: Vec<u64>,
    /// Per actor: its fact sheet and rendered summary.
    pub actor: Vec<u64>,
    /// Per event: what a list entry shows (title, dates, place).
    pub event_ref: Vec<u64>,
    /// Per event: its fact sheet and rendered summary.
    pub event: Vec<u64>,
    /// Per source: what a citation of it shows (its fields, its
    /// publisher's name).
    pub source_ref: Vec<u64>,
    /// Per actor: every relation its page lists, both sides.
    pub relations: Vec<u64>,
    /// Per actor: the relations with a role its fact sheet states (what
    /// "roles as of a date" reads).
    pub roles: Vec<u64>,
    /// Per author: their file and rendered bio.
    pub author: Vec<u64>,
}

impl Versions {
    pub(crate) fn new(
        config: &Config,
        theme: &Theme,
        sources: &Sources,
        site: &Site,
        locale: &Locale,
    ) -> Versions {
        let m = &site.model;
        // Entity-local parts are hashed once, when a file is converted; here
        // they are only combined with what comes from elsewhere (tag names,
        // rendered texts, a place's name).
        let tag_names: HashMap<&str, u64> = site
            .tags
            .iter()
            .map(|t| (t.slug.as_str(), combine((&t.slug, &t.name))))
            .collect();
        let author_ref: Vec<u64> = m.authors.iter().map(|a| a.ref_version).collect();
        // Each list in parallel: `serve` computes them again for every edit.
        let card: Vec<u64> = m
            .analyses
            .par_iter()
            .zip(&site.analyses)
            .map(|(a, l)| {
                // Folded in place: a list collected per analysis was most of
                // this list's time.
                let mut h = Combiner::default();
                a.card_version.hash(&mut h);
                l.tags.len().hash(&mut h);
                for s in &l.tags {
                    tag_names.get(s.as_str()).hash(&mut h);
                }
                l.authors.len().hash(&mut h);
                for w in &l.authors {
                    w.map(|x| author_ref[x]).hash(&mut h);
                }
                h.finish()
            })
            .collect();
        let analysis = m
            .analyses
            .par_iter()
            .zip(&site.analyses)
            .zip(&card)
            .map(|((a, l), c)| combine((c, a.version, l.body.html_hash)))
            .collect();
        let actor_ref: Vec<u64> = m.actors.iter().map(|a| a.ref_version).collect();
        let actor = m
            .actors
            .par_iter()
            .zip(&site.actors)
            .map(|(a, l)| combine((a.version, l.summary.as_ref().map(|t| t.html_hash))))
            .collect();
        let event_ref = m
            .events
            .par_iter()
            .zip(&site.events)
            .map(|(e, l)| combine((e.ref_version, l.place.map(|p| actor_ref[p]))))
            .collect();
        let event = m
            .events
            .par_iter()
            .zip(&site.events)
            .map(|(e, l)| combine((e.version, l.summary.as_ref().map(|t| t.html_hash))))
            .collect();
        let source_ref: Vec<u64> = m
            .sources
            .iter()
            .zip(&site.sources)
            .map(|(s, l)| combine((s.ref_version, l.publisher.map(|a| actor_ref[a]))))
            .collect();
        let cited = |c: Option<&Cited>| match c {
            Some(Cited::Id(r)) => site.source_ids.get(&r.id).map(|&i| source_ref[i]),
            Some(Cited::Inline(l)) => Some(combine((&l.title, &l.url))),
            None => None,
        };
        // One relation: its entry (in its owner's file), the other actor's
        // link, its source and its rendered note.
        let relation = |e: &RelationEdge| {
            let r = &m.actors[e.owner].relations[e.position];
            let note = site.actors[e.owner].notes.get(e.position);
            combine((
                m.actors[e.owner].version,
                e.position,
                e.inverse,
                actor_ref[e.other],
                cited(r.source.as_ref()),
                note,
                // The figure draws a hub's most connected neighbours.
                site.actors[e.other].relations.len(),
            ))
        };
        let fold = |edges: &mut dyn Iterator<Item = &RelationEdge>| {
            let mut h = Combiner::default();
            for e in edges {
                relation(e).hash(&mut h);
            }
            h.finish()
        };
        let relations = site
            .actors
            .par_iter()
            .map(|l| fold(&mut l.relations.iter()))
            .collect();
        let roles = site
            .actors
            .par_iter()
            .map(|l| {
                fold(&mut l.relations.iter().filter(|e| {
                    !e.inverse && m.actors[e.owner].relations[e.position].role.is_some()
                }))
            })
            .collect();
        let author = m
            .authors
            .iter()
            .zip(&site.authors)
            .map(|(a, l)| combine((a.version, l.bio.as_ref().map(|t| t.html_hash))))
            .collect();
        Versions {
            site: version((
                &config.title,
                &config.description,
                &config.language,
                &config.base_url.origin,
                &config.base_url.path,
                config.feed_limit,
                config.paginate,
                config.paginate_events,
                config.related,
                config.search,
                // Every page prints the theme's texts.
                (&config.relation_types, locale.version()),
                // Every page's footer links the sources, the authors and the
                // corrections when there are some.
                (
                    m.sources.is_empty(),
                    m.authors.is_empty(),
                    m.analyses.iter().any(|a| !a.corrections.is_empty()),
                ),
            )),
            templates: template_versions(theme, sources),
            card,
            analysis,
            actor_ref,
            actor,
            event_ref,
            event,
            source_ref,
            relations,
            roles,
            author,
        }
    }

    /// Folds the sources that these facts cite (what they show of them).
    pub(crate) fn fact_sources(&self, site: &Site, h: &mut Combiner, facts: &[crate::model::Fact]) {
        for f in facts {
            self.cited(site, h, f.source.as_ref());
        }
    }

    /// Folds a source as given: a source file's version (a source given in
    /// place is part of its file).
    pub(crate) fn cited(&self, site: &Site, h: &mut Combiner, c: Option<&Cited>) {
        if let Some(i) = c.and_then(Cited::id).and_then(|id| site.source_ids.get(id)) {
            self.source_ref[*i].hash(h);
        }
    }

    /// The version of a template and of every template it may use.
    pub(crate) fn template(&self, name: &str) -> Option<u64> {
        self.templates.get(name).copied()
    }

    /// Folds the cards of these analyses.
    pub(crate) fn cards<'i>(&self, h: &mut Combiner, list: impl IntoIterator<Item = &'i usize>) {
        for &i in list {
            self.card[i].hash(h);
        }
    }

    /// Folds links to these actors.
    pub(crate) fn actor_refs<'i>(
        &self,
        h: &mut Combiner,
        list: impl IntoIterator<Item = &'i usize>,
    ) {
        for &i in list {
            self.actor_ref[i].hash(h);
        }
    }

    /// Folds list entries of these events.
    pub(crate) fn event_refs<'i>(
        &self,
        h: &mut Combiner,
        list: impl IntoIterator<Item = &'i usize>,
    ) {
        for &i in list {
            self.event_ref[i].hash(h);
        }
    }
}

/// Each template's version: its text and the versions of every template it
/// may use (`extends`, `include`, or any quoted name of another template).
/// Components can be defined anywhere, so a theme that uses them makes every
/// template depend on all the others.
fn template_versions(theme: &Theme, sources: &Sources) -> HashMap<String, u64> {
    let texts: HashMap<&str, &str> = theme
        .templates
        .iter()
        .map(|(n, id)| (n.as_str(), sources.text(*id)))
        .collect();
    let uses_components = texts
        .values()
        .any(|t| t.contains("{% component") || t.contains("{%- component"));
    let all_hash = version({
        let mut all: Vec<(&&str, &&str)> = texts.iter().collect();
        all.sort();
        all
    });
    // What each template names, found once (each closure below reads
    // them again: searched per step, they took 2 ms of every rebuild).
    let quoted: Vec<(&str, String, String)> = texts
        .keys()
        .map(|n| (*n, format!("\"{n}\""), format!("'{n}'")))
        .collect();
    let direct: HashMap<&str, Vec<&str>> = texts
        .iter()
        .map(|(name, text)| {
            let names = quoted
                .iter()
                .filter(|(_, dq, sq)| text.contains(dq.as_str()) || text.contains(sq.as_str()))
                .map(|(n, _, _)| *n)
                .collect();
            (*name, names)
        })
        .collect();
    let deps = |name: &str| direct.get(name).map_or(&[][..], Vec::as_slice);
    let mut out = HashMap::default();
    for (name, text) in &texts {
        if uses_components {
            out.insert(name.to_string(), all_hash);
            continue;
        }
        // The closure of dependencies, in a stable order.
        let mut seen: Vec<&str> = vec![name];
        let mut i = 0;
        while i < seen.len() {
            for &d in deps(seen[i]) {
                if !seen.contains(&d) {
                    seen.push(d);
                }
            }
            i += 1;
        }
        seen.sort();
        let parts: Vec<(&str, &str)> = seen.iter().map(|n| (*n, texts[n])).collect();
        out.insert(name.to_string(), version((text, parts)));
    }
    out
}
