//! Versions of everything pages are built from, per entity and per
//! template, each computed at most once per build, when a page first asks
//! for it. A page's signature ([`super::pages::Kind::signature`])
//! folds the versions of what it shows; a page whose signature is unchanged
//! since the last build is not rendered again.

use rustc_hash::FxHashMap as HashMap;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::config::Config;
use crate::diag::Sources;
use crate::hash::{Combiner, combine, version};
use crate::i18n::Locale;
use crate::link::{RelationEdge, Site};
use crate::model::Cited;
use crate::theme::Theme;

/// Versions of one build. Each entity's versions are computed when first
/// asked for and kept: `serve` signs the page a reader is on before any
/// other, and that page asks for a few dozen of the 50,000 a site of
/// 10,000 analyses has (computing them all first took 3 ms of every edit).
pub(crate) struct Versions<'a> {
    /// Everything of `site.toml` that pages show.
    pub site: u64,
    templates: HashMap<String, u64>,
    s: &'a Site,
    tag_names: OnceLock<HashMap<&'a str, u64>>,
    /// Per analysis: what its card shows (lists, tag pages, actor pages…).
    card: Memo,
    /// Per analysis: its own page's data.
    analysis: Memo,
    /// Per actor: its fact sheet and rendered summary.
    actor: Memo,
    /// Per event: what a list entry shows (title, dates, place).
    event_ref: Memo,
    /// Per event: its fact sheet and rendered summary.
    event: Memo,
    /// Per source: what a citation of it shows (its fields, its
    /// publisher's name).
    source_ref: Memo,
    /// Per actor: every relation its page lists, both sides.
    relations: Memo,
    /// Per actor: the relations with a role its fact sheet states (what
    /// "roles as of a date" reads).
    roles: Memo,
    /// Per author: their file and rendered bio.
    author: Memo,
}

/// Versions computed on demand: 0 is "not yet" (a version that comes out
/// 0 is kept as 1). Two threads that ask at once both compute it, and
/// store the same value.
struct Memo(Vec<AtomicU64>);

impl Memo {
    fn new(n: usize) -> Memo {
        Memo((0..n).map(|_| AtomicU64::new(0)).collect())
    }

    fn get(&self, i: usize, f: impl FnOnce() -> u64) -> u64 {
        match self.0[i].load(Ordering::Relaxed) {
            0 => {
                let v = f().max(1);
                self.0[i].store(v, Ordering::Relaxed);
                v
            }
            v => v,
        }
    }
}

/// A whole list of versions, for a file made of every entity (the open
/// data, the search index's manifest).
#[derive(Clone, Copy)]
pub(crate) enum List {
    Actor,
    ActorRef,
    Event,
    EventRef,
    SourceRef,
    Relations,
    Author,
}

impl<'a> Versions<'a> {
    pub(crate) fn new(
        config: &Config,
        theme: &Theme,
        sources: &Sources,
        site: &'a Site,
        locale: &Locale,
    ) -> Versions<'a> {
        let m = &site.model;
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
                    m.has_corrections(),
                ),
            )),
            templates: template_versions(theme, sources),
            s: site,
            tag_names: OnceLock::new(),
            card: Memo::new(m.analyses.len()),
            analysis: Memo::new(m.analyses.len()),
            actor: Memo::new(m.actors.len()),
            event_ref: Memo::new(m.events.len()),
            event: Memo::new(m.events.len()),
            source_ref: Memo::new(m.sources.len()),
            relations: Memo::new(m.actors.len()),
            roles: Memo::new(m.actors.len()),
            author: Memo::new(m.authors.len()),
        }
    }

    /// What analysis `i`'s card shows. Entity-local parts are hashed once,
    /// when a file is converted; here they are only combined with what
    /// comes from elsewhere (tag names, rendered texts, a place's name).
    pub(crate) fn card(&self, i: usize) -> u64 {
        self.card.get(i, || {
            let (a, l) = (&self.s.model.analyses[i], &self.s.analyses[i]);
            let tag_names = self.tag_names.get_or_init(|| {
                self.s
                    .tags
                    .iter()
                    .map(|t| (t.slug.as_str(), combine((&t.slug, &t.name))))
                    .collect()
            });
            let mut h = Combiner::default();
            a.card_version.hash(&mut h);
            l.tags.len().hash(&mut h);
            for s in &l.tags {
                tag_names.get(s.as_str()).hash(&mut h);
            }
            l.authors.len().hash(&mut h);
            for w in &l.authors {
                w.map(|x| self.s.model.authors[x].ref_version).hash(&mut h);
            }
            h.finish()
        })
    }

    /// Analysis `i`'s own page's data.
    pub(crate) fn analysis(&self, i: usize) -> u64 {
        self.analysis.get(i, || {
            let (a, l) = (&self.s.model.analyses[i], &self.s.analyses[i]);
            // The corrections as rendered: one may link an entity whose
            // name changes while the analysis does not.
            combine((self.card(i), a.version, l.body.html_hash, &l.corrections))
        })
    }

    /// What a link to actor `i` shows (name, kind, role, URL).
    pub(crate) fn actor_ref(&self, i: usize) -> u64 {
        self.s.model.actors[i].ref_version
    }

    /// Actor `i`'s fact sheet and rendered summary.
    pub(crate) fn actor(&self, i: usize) -> u64 {
        self.actor.get(i, || {
            let (a, t) = (&self.s.model.actors[i], self.s.actor_summary(i));
            combine((a.version, t.map(|t| t.html_hash)))
        })
    }

    /// What a list entry of event `i` shows (title, dates, place).
    pub(crate) fn event_ref(&self, i: usize) -> u64 {
        self.event_ref.get(i, || {
            let (e, l) = (&self.s.model.events[i], &self.s.events[i]);
            combine((e.ref_version, l.place.map(|p| self.actor_ref(p))))
        })
    }

    /// Event `i`'s fact sheet and rendered summary.
    pub(crate) fn event(&self, i: usize) -> u64 {
        self.event.get(i, || {
            let (e, t) = (&self.s.model.events[i], self.s.event_summary(i));
            combine((e.version, t.map(|t| t.html_hash)))
        })
    }

    /// What a citation of source `i` shows (its fields, its publisher's
    /// name).
    pub(crate) fn source_ref(&self, i: usize) -> u64 {
        self.source_ref.get(i, || {
            let (s, l) = (&self.s.model.sources[i], &self.s.sources[i]);
            combine((s.ref_version, l.publisher.map(|a| self.actor_ref(a))))
        })
    }

    /// Every relation actor `i`'s page lists, both sides.
    pub(crate) fn relations(&self, i: usize) -> u64 {
        self.relations.get(i, || {
            self.fold_relations(&mut self.s.actors[i].relations.iter())
        })
    }

    /// The relations with a role actor `i`'s fact sheet states (what
    /// "roles as of a date" reads).
    pub(crate) fn roles(&self, i: usize) -> u64 {
        let m = &self.s.model;
        self.roles.get(i, || {
            self.fold_relations(
                &mut self.s.actors[i].relations.iter().filter(|e| {
                    !e.inverse && m.actors[e.owner].relations[e.position].role.is_some()
                }),
            )
        })
    }

    /// Author `i`'s file and rendered bio.
    pub(crate) fn author(&self, i: usize) -> u64 {
        self.author.get(i, || {
            let (a, t) = (&self.s.model.authors[i], self.s.author_bio(i));
            combine((a.version, t.map(|t| t.html_hash)))
        })
    }

    /// Folds a whole list (its length, then each entity's version).
    pub(crate) fn all(&self, list: List, h: &mut Combiner) {
        let m = &self.s.model;
        let (n, each): (usize, &dyn Fn(usize) -> u64) = match list {
            List::Actor => (m.actors.len(), &|i| self.actor(i)),
            List::ActorRef => (m.actors.len(), &|i| self.actor_ref(i)),
            List::Event => (m.events.len(), &|i| self.event(i)),
            List::EventRef => (m.events.len(), &|i| self.event_ref(i)),
            List::SourceRef => (m.sources.len(), &|i| self.source_ref(i)),
            List::Relations => (m.actors.len(), &|i| self.relations(i)),
            List::Author => (m.authors.len(), &|i| self.author(i)),
        };
        n.hash(h);
        for i in 0..n {
            each(i).hash(h);
        }
    }

    /// Folds these relations, each as its entry (in its owner's file), the
    /// other actor's link, its source and its rendered note.
    fn fold_relations(&self, edges: &mut dyn Iterator<Item = &RelationEdge>) -> u64 {
        let (m, site) = (&self.s.model, self.s);
        let cited = |c: Option<&Cited>| match c {
            Some(Cited::Id(r)) => site.source_ids.get(&r.id).map(|&i| self.source_ref(i)),
            Some(Cited::Inline(l)) => Some(combine((&l.title, &l.url))),
            None => None,
        };
        let mut h = Combiner::default();
        for e in edges {
            let r = &m.actors[e.owner].relations[e.position];
            let note = site.actors[e.owner].notes.get(e.position);
            combine((
                m.actors[e.owner].version,
                e.position,
                e.inverse,
                self.actor_ref(e.other),
                cited(r.source.as_ref()),
                note,
                // The figure draws a hub's most connected neighbours.
                site.actors[e.other].relations.len(),
            ))
            .hash(&mut h);
        }
        h.finish()
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
            self.source_ref(*i).hash(h);
        }
    }

    /// The version of a template and of every template it may use.
    pub(crate) fn template(&self, name: &str) -> Option<u64> {
        self.templates.get(name).copied()
    }

    /// Folds the cards of these analyses.
    pub(crate) fn cards<'i>(&self, h: &mut Combiner, list: impl IntoIterator<Item = &'i usize>) {
        for &i in list {
            self.card(i).hash(h);
        }
    }

    /// Folds links to these actors.
    pub(crate) fn actor_refs<'i>(
        &self,
        h: &mut Combiner,
        list: impl IntoIterator<Item = &'i usize>,
    ) {
        for &i in list {
            self.actor_ref(i).hash(h);
        }
    }

    /// Folds list entries of these events.
    pub(crate) fn event_refs<'i>(
        &self,
        h: &mut Combiner,
        list: impl IntoIterator<Item = &'i usize>,
    ) {
        for &i in list {
            self.event_ref(i).hash(h);
        }
    }
}

/// Each template's version: its text and the versions of every template it
/// may use (`extends`, `include`, or any quoted name of another template).
/// Components can be defined anywhere, so a theme that uses them makes every
/// template depend on all the others.
fn template_versions(theme: &Theme, sources: &Sources) -> HashMap<String, u64> {
    let texts: HashMap<&str, std::borrow::Cow<'_, str>> = theme
        .templates
        .iter()
        .map(|(n, id)| (n.as_str(), sources.text(*id)))
        .collect();
    let uses_components = texts
        .values()
        .any(|t| t.contains("{% component") || t.contains("{%- component"));
    let all_hash = version({
        let mut all: Vec<(&&str, &str)> = texts.iter().map(|(n, t)| (n, t.as_ref())).collect();
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
        let parts: Vec<(&str, &str)> = seen.iter().map(|n| (*n, texts[n].as_ref())).collect();
        out.insert(name.to_string(), version((text, parts)));
    }
    out
}
