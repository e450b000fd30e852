//! Page signatures: a hash of everything a page shows, computed from
//! per-entity versions without building the page. A page whose signature is
//! unchanged since the last build is not rendered again.
//!
//! This must read exactly what the views in `views.rs` read: the random-edit
//! test (`tests/it/incremental.rs`) checks it by comparing incremental builds
//! with full ones, byte for byte.

use rustc_hash::FxHashMap as HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use rustc_hash::FxHasher;

use super::Page;
use crate::config::Config;
use crate::diag::Sources;
use crate::link::Site;
use crate::theme::Theme;

/// Versions of everything pages are built from, for one build.
pub struct Versions {
    site: u64,
    templates: HashMap<String, u64>,
    /// Per analysis: what its card shows (lists, tag pages, actor pages…).
    card: Vec<u64>,
    /// Per analysis: its own page's data.
    analysis: Vec<u64>,
    /// Per actor: what a link to it shows (name, kind, role, URL).
    actor_ref: Vec<u64>,
    /// Per actor: its fact sheet and rendered summary.
    actor: Vec<u64>,
    /// Per event: what a list entry shows (title, dates, place).
    event_ref: Vec<u64>,
    /// Per event: its fact sheet and rendered summary.
    event: Vec<u64>,
    feed_limit: usize,
    paginate: usize,
    paginate_events: usize,
    timeline_index: std::sync::OnceLock<u64>,
}

/// Combines already-mixed versions (fast).
fn fx(x: impl Hash) -> u64 {
    let mut h = FxHasher::default();
    x.hash(&mut h);
    h.finish()
}

/// The signature of a page made from exactly this data (the sitemap).
pub fn hash_data(data: &impl Hash) -> u64 {
    hash_of(data)
}

fn hash_of(x: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

impl Versions {
    pub fn new(config: &Config, theme: &Theme, sources: &Sources, site: &Site) -> Versions {
        let m = &site.model;
        // Entity-local parts are hashed once, when a file is converted; here
        // they are only combined with what comes from elsewhere (tag names,
        // rendered texts, a place's name).
        let tag_names: rustc_hash::FxHashMap<&str, u64> = site
            .tags
            .iter()
            .map(|(slug, t)| (slug.as_str(), fx((slug, &t.name))))
            .collect();
        let card: Vec<u64> = m
            .analyses
            .iter()
            .zip(&site.analyses)
            .map(|(a, l)| {
                fx((
                    a.card_version,
                    l.tags
                        .iter()
                        .map(|s| tag_names.get(s.as_str()))
                        .collect::<Vec<_>>(),
                ))
            })
            .collect();
        let analysis = m
            .analyses
            .iter()
            .zip(&site.analyses)
            .zip(&card)
            .map(|((a, l), c)| fx((c, a.version, l.body.html_hash)))
            .collect();
        let actor_ref: Vec<u64> = m.actors.iter().map(|a| a.ref_version).collect();
        let actor = m
            .actors
            .iter()
            .zip(&site.actors)
            .map(|(a, l)| fx((a.version, l.summary.as_ref().map(|t| t.html_hash))))
            .collect();
        let event_ref = m
            .events
            .iter()
            .zip(&site.events)
            .map(|(e, l)| fx((e.ref_version, l.place.map(|p| actor_ref[p]))))
            .collect();
        let event = m
            .events
            .iter()
            .zip(&site.events)
            .map(|(e, l)| fx((e.version, l.summary.as_ref().map(|t| t.html_hash))))
            .collect();
        Versions {
            site: hash_of((
                &config.title,
                &config.description,
                &config.language,
                &config.base_url.origin,
                &config.base_url.path,
                config.feed_limit,
                config.paginate,
                config.paginate_events,
                config.search,
            )),
            templates: template_versions(theme, sources),
            card,
            analysis,
            actor_ref,
            actor,
            event_ref,
            event,
            feed_limit: config.feed_limit,
            paginate: config.paginate,
            paginate_events: config.paginate_events,
            timeline_index: std::sync::OnceLock::new(),
        }
    }

    /// How many of `n` analyses a feed lists (as `Config::feed_len`).
    fn feed_len(&self, n: usize) -> usize {
        crate::config::feed_len(self.feed_limit, n)
    }

    fn page_count(&self, n: usize) -> usize {
        crate::config::page_count(self.paginate, n)
    }

    fn page_range(&self, k: usize, n: usize) -> std::ops::Range<usize> {
        crate::config::page_range(self.paginate, k, n)
    }

    /// The years of the timeline with their event counts and pages, hashed
    /// once per build (every timeline page shows them).
    fn timeline_index(&self, site: &Site, pages: &[std::ops::Range<usize>]) -> u64 {
        *self.timeline_index.get_or_init(|| {
            let mut h = FxHasher::default();
            for (page, range) in pages.iter().enumerate() {
                for &i in &site.timeline[range.clone()] {
                    (page, site.model.events[i].date.year()).hash(&mut h);
                }
            }
            h.finish()
        })
    }

    /// The signature of one page.
    pub fn signature(&self, site: &Site, page: Page<'_>, file: &str) -> u64 {
        // Versions are already well-mixed SipHash values; a fast combiner is
        // enough to fold them (and it is most of a rebuild's hashing).
        let mut h = FxHasher::default();
        let template = page.template().and_then(|t| self.templates.get(t));
        (self.site, template, file).hash(&mut h);
        let cards = |h: &mut FxHasher, list: &mut dyn Iterator<Item = &usize>| {
            for &i in list {
                self.card[i].hash(h);
            }
        };
        let actors = |h: &mut FxHasher, list: &mut dyn Iterator<Item = &usize>| {
            for &i in list {
                self.actor_ref[i].hash(h);
            }
        };
        let events = |h: &mut FxHasher, list: &mut dyn Iterator<Item = &usize>| {
            for &i in list {
                self.event_ref[i].hash(h);
            }
        };
        let m = &site.model;
        match page {
            Page::Index => {
                cards(
                    &mut h,
                    &mut (0..m.analyses.len().min(10)).collect::<Vec<_>>().iter(),
                );
                let recent = site.timeline.len().saturating_sub(8);
                events(&mut h, &mut site.timeline[recent..].iter());
                for (_, list, total) in
                    super::views::actor_groups(site, super::views::HOME_ACTORS_PER_KIND)
                {
                    actors(&mut h, &mut list.iter());
                    total.hash(&mut h);
                }
                (
                    m.analyses.len(),
                    m.actors.len(),
                    m.events.len(),
                    site.tags.len(),
                )
                    .hash(&mut h);
            }
            Page::Analyses(k) => {
                let n = m.analyses.len();
                (n, self.page_count(n)).hash(&mut h);
                cards(
                    &mut h,
                    &mut self.page_range(k, n).collect::<Vec<_>>().iter(),
                );
            }
            Page::Analysis(i) => {
                self.analysis[i].hash(&mut h);
                let l = &site.analyses[i];
                for (a, rel) in &l.actors {
                    (self.actor_ref[*a], *rel as u8).hash(&mut h);
                }
                events(&mut h, &mut l.events.iter().map(|(e, _)| e));
            }
            Page::Actors => actors(&mut h, &mut (0..m.actors.len()).collect::<Vec<_>>().iter()),
            Page::Actor(i) => {
                self.actor[i].hash(&mut h);
                let l = &site.actors[i];
                actors(&mut h, &mut l.country.iter());
                actors(&mut h, &mut l.affiliations.iter());
                actors(&mut h, &mut l.members.iter());
                actors(&mut h, &mut l.nationals.iter());
                for &(e, role) in &l.events {
                    (self.event_ref[e], site.role(role)).hash(&mut h);
                }
                events(&mut h, &mut l.events_here.iter());
                cards(&mut h, &mut l.analyses.iter());
            }
            Page::Events(k) => {
                let n = site.timeline.len();
                let per = self.paginate_events;
                (n, crate::config::page_count(per, n)).hash(&mut h);
                let range = crate::config::page_range(per, k, n);
                events(&mut h, &mut site.timeline[range].iter());
            }
            Page::Timeline(k) => {
                let pages = super::views::timeline_pages(site, self.paginate_events);
                if let Some(range) = pages.get(k) {
                    events(&mut h, &mut site.timeline[range.clone()].iter());
                }
                // The index of years on every page: each year's count and page.
                self.timeline_index(site, &pages).hash(&mut h);
            }
            Page::Event(i) => {
                (self.event[i], self.event_ref[i]).hash(&mut h);
                let l = &site.events[i];
                l.place.map(|p| &m.actors[p].id).hash(&mut h);
                for &(a, role) in &l.participants {
                    (self.actor_ref[a], site.role(role)).hash(&mut h);
                }
                events(&mut h, &mut site.ancestors(i).iter());
                events(&mut h, &mut l.children.iter());
                cards(&mut h, &mut l.analyses.iter());
            }
            Page::Tags => {
                for (slug, t) in &site.tags {
                    (slug, &t.name, t.analyses.len()).hash(&mut h);
                }
            }
            Page::Tag(slug, k) => {
                if let Some(t) = site.tags.get(slug) {
                    let n = t.analyses.len();
                    (&t.name, n, self.page_count(n)).hash(&mut h);
                    cards(&mut h, &mut t.analyses[self.page_range(k, n)].iter());
                }
            }
            Page::NotFound | Page::Robots => {}
            // Feeds list the cards of their newest analyses under a title.
            Page::Feed => cards(
                &mut h,
                &mut (0..self.feed_len(m.analyses.len()))
                    .collect::<Vec<_>>()
                    .iter(),
            ),
            Page::ActorFeed(i) => {
                self.actor_ref[i].hash(&mut h);
                let list = &site.actors[i].analyses;
                if list.is_empty() {
                    // An empty feed is dated by the actor's facts.
                    self.actor[i].hash(&mut h);
                }
                cards(&mut h, &mut list[..self.feed_len(list.len())].iter());
            }
            Page::TagFeed(slug) => {
                if let Some(t) = site.tags.get(slug) {
                    t.name.hash(&mut h);
                    cards(
                        &mut h,
                        &mut t.analyses[..self.feed_len(t.analyses.len())].iter(),
                    );
                }
            }
            // Its signature is its content (see `render`).
            Page::Sitemap => {}
            // The filters (every actor and tag) and, for the manifest, the
            // number of chunks.
            Page::Search | Page::SearchIndex => {
                actors(&mut h, &mut (0..m.actors.len()).collect::<Vec<_>>().iter());
                for (slug, t) in &site.tags {
                    (slug, &t.name, t.analyses.len()).hash(&mut h);
                }
                super::search::chunk_count(site).hash(&mut h);
            }
            // Its documents; facets are indices, so what they point at
            // does not matter here.
            Page::SearchChunk(c) => {
                let tag_index = super::search::tag_index(site);
                for n in super::search::chunk_range(site, c) {
                    match super::search::doc_ref(site, n) {
                        super::search::DocRef::Analysis(i) => {
                            let l = &site.analyses[i];
                            (0u8, self.analysis[i]).hash(&mut h);
                            for (a, _) in &l.actors {
                                a.hash(&mut h);
                            }
                            for t in &l.tags {
                                tag_index.get(t.as_str()).hash(&mut h);
                            }
                        }
                        super::search::DocRef::Actor(i) => {
                            (1u8, i, self.actor[i], self.actor_ref[i]).hash(&mut h);
                        }
                        super::search::DocRef::Event(i) => {
                            let l = &site.events[i];
                            (2u8, self.event[i], self.event_ref[i], l.place).hash(&mut h);
                            for (a, _) in &l.participants {
                                a.hash(&mut h);
                            }
                        }
                    }
                }
            }
        }
        h.finish()
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
    let all_hash = hash_of({
        let mut all: Vec<(&&str, &&str)> = texts.iter().collect();
        all.sort();
        all
    });
    let deps = |text: &str| -> Vec<&str> {
        texts
            .keys()
            .copied()
            .filter(|n| text.contains(&format!("\"{n}\"")) || text.contains(&format!("'{n}'")))
            .collect()
    };
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
            for d in deps(texts[seen[i]]) {
                if !seen.contains(&d) {
                    seen.push(d);
                }
            }
            i += 1;
        }
        seen.sort();
        let parts: Vec<(&str, &str)> = seen.iter().map(|n| (*n, texts[n])).collect();
        out.insert(name.to_string(), hash_of((text, parts)));
    }
    out
}
