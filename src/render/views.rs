//! View structs: what templates see. Built from the linked site, never the
//! domain types themselves, so the model can change without breaking
//! themes. Every field is documented in docs/templates.md.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::config::Config;
use crate::link::Site;
use crate::model::{ActorKind, Date, Event, ExternalLink, Fact};
use crate::paths;

/// `site`: the same on every page, and depending only on `site.toml`.
#[derive(Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    /// Absolute URL of the home page, ending in `/`.
    pub base_url: String,
    /// Path of the home page (`/` or `/sub/path/`), for root-relative links.
    pub base_path: String,
    pub nav: Vec<NavItem>,
    /// URL of the search page, or null when `search = "off"`.
    pub search: Option<String>,
    pub generator: String,
}

#[derive(Serialize)]
pub(crate) struct NavItem {
    /// `analyses`, `actors`, `events`, `timeline`: matches `page.section`.
    pub key: &'static str,
    pub title: &'static str,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct Counts {
    pub analyses: usize,
    pub actors: usize,
    pub events: usize,
    pub tags: usize,
}

/// A link to a page of the site or elsewhere.
#[derive(Serialize, Clone)]
pub(crate) struct LinkView {
    pub title: String,
    pub url: String,
}

/// A source or further reading: its URL may be missing.
#[derive(Serialize, Clone)]
pub(crate) struct SourceView {
    pub title: String,
    pub url: Option<String>,
}

impl From<&ExternalLink> for SourceView {
    fn from(l: &ExternalLink) -> Self {
        SourceView {
            title: l.title.clone(),
            url: l.url.clone(),
        }
    }
}

/// A date in every form a template may want, at the precision it was
/// written in.
#[derive(Serialize, Clone)]
pub(crate) struct DateView {
    /// `2022-01-05`, `2022-01` or `2022`: valid in `<time datetime>`.
    pub iso: String,
    /// `5 January 2022`, `January 2022` or `2022`.
    pub display: String,
    pub year: i16,
    /// Null when only the year is known.
    pub month: Option<i8>,
    /// Null when only the month or year is known.
    pub day: Option<i8>,
    /// `day`, `month` or `year`.
    pub precision: &'static str,
}

impl From<Date> for DateView {
    fn from(d: Date) -> Self {
        DateView {
            iso: d.to_string(),
            display: d.display(),
            year: d.year(),
            month: d.month(),
            day: d.day(),
            precision: d.precision().as_str(),
        }
    }
}

/// An actor as it appears in a list.
#[derive(Serialize, Clone)]
pub(crate) struct ActorRef {
    pub id: String,
    pub name: String,
    pub url: String,
    pub kind: &'static str,
    /// Its role: in an event, or its `role` field in other lists.
    pub role: Option<String>,
}

/// An event as it appears in a list.
#[derive(Serialize, Clone)]
pub(crate) struct EventRef {
    pub id: String,
    pub title: String,
    pub url: String,
    pub date: DateView,
    pub end: Option<DateView>,
    /// `2–7 January 2022`, `5 January 2022`, `30 December 2021 – 2 January 2022`.
    pub when: String,
    pub place: Option<String>,
    /// The actor's role in it, on actor pages.
    pub role: Option<String>,
}

/// An analysis as it appears in a list.
#[derive(Serialize, Clone)]
pub(crate) struct AnalysisCard {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub summary: Option<String>,
    pub authors: Vec<String>,
    pub tags: Vec<LinkView>,
    pub draft: bool,
}

/// Facts grouped by label; a label with more than one value is disputed.
#[derive(Serialize)]
pub(crate) struct FactView {
    pub label: String,
    pub disputed: bool,
    pub values: Vec<FactValue>,
}

#[derive(Serialize)]
pub(crate) struct FactValue {
    pub value: String,
    pub as_of: Option<DateView>,
    /// Every source that gives this value.
    pub sources: Vec<SourceView>,
}

#[derive(Serialize)]
pub(crate) struct ActorGroup {
    pub kind: &'static str,
    pub label: &'static str,
    pub actors: Vec<ActorRef>,
    /// How many actors of this kind the site has (more than `actors` on
    /// the home page, which shows the most written-about).
    pub total: usize,
}

#[derive(Serialize)]
pub(crate) struct TagView {
    pub slug: String,
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// Builds views from the linked site; holds what every view needs.
pub(crate) struct Views<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    /// Each analysis card, serialised once per build: a card appears on
    /// many pages (lists, tags, every actor and event it mentions).
    cards: Vec<OnceLock<tera::Value>>,
}

impl<'a> Views<'a> {
    pub(crate) fn new(config: &'a Config, site: &'a Site) -> Self {
        let cards = (0..site.model.analyses.len())
            .map(|_| OnceLock::new())
            .collect();
        Views {
            config,
            site,
            cards,
        }
    }

    /// The cards of these analyses, as a template value.
    pub(crate) fn cards(&self, list: impl Iterator<Item = usize>) -> tera::Value {
        let values: Vec<tera::Value> = list
            .map(|i| {
                self.cards[i]
                    .get_or_init(|| tera::Value::from_serializable(&self.card(i)))
                    .clone()
            })
            .collect();
        tera::Value::from(values)
    }

    /// An absolute URL for a root-relative one (`/sub/x/` → `https://host/sub/x/`).
    pub(crate) fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.config.base_url.origin)
        } else {
            url.to_string()
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        self.config.base_url.relative(path)
    }

    pub(crate) fn permalink(&self, path: &str) -> String {
        self.config.base_url.absolute(path)
    }

    pub(crate) fn site(&self) -> SiteView {
        let nav = [
            ("analyses", "Analyses", paths::ANALYSES),
            ("actors", "Actors", paths::ACTORS),
            ("events", "Events", paths::EVENTS),
            ("timeline", "Timeline", paths::TIMELINE),
        ]
        .into_iter()
        .map(|(key, title, path)| NavItem {
            key,
            title,
            url: self.url(path),
        })
        .collect();
        SiteView {
            title: self.config.title.clone(),
            description: self.config.description.clone(),
            language: self.config.language.clone(),
            base_url: self.permalink(""),
            base_path: self.config.base_url.path.clone(),
            nav,
            search: (self.config.search != crate::config::Search::Off)
                .then(|| self.url(paths::SEARCH)),
            generator: format!("dossier {}", env!("CARGO_PKG_VERSION")),
        }
    }

    /// How many of each there are (on the home page only, so that adding an
    /// analysis does not change every page of the site).
    pub(crate) fn counts(&self) -> Counts {
        let m = &self.site.model;
        Counts {
            analyses: m.analyses.len(),
            actors: m.actors.len(),
            events: m.events.len(),
            tags: self.site.tags.len(),
        }
    }

    pub(crate) fn actor_ref(&self, i: usize, role: Option<String>) -> ActorRef {
        let a = &self.site.model.actors[i];
        ActorRef {
            id: a.id.clone(),
            name: a.name.clone(),
            url: self.url(&paths::actor(&a.id)),
            kind: a.kind.as_str(),
            role: role.or_else(|| a.role.clone()),
        }
    }

    pub(crate) fn event_ref(&self, i: usize, role: Option<String>) -> EventRef {
        let e = &self.site.model.events[i];
        EventRef {
            id: e.id.clone(),
            title: e.title.clone(),
            url: self.url(&paths::event(&e.id)),
            date: e.date.into(),
            end: e.end.map(DateView::from),
            when: when(e),
            place: e.place.as_ref().map(|p| match self.site.events[i].place {
                Some(a) => self.site.model.actors[a].name.clone(),
                None => p.value.clone(),
            }),
            role,
        }
    }

    pub(crate) fn card(&self, i: usize) -> AnalysisCard {
        let a = &self.site.model.analyses[i];
        AnalysisCard {
            slug: a.slug.clone(),
            title: a.title.clone(),
            url: self.url(&paths::analysis(&a.slug)),
            date: a.date.into(),
            updated: a.updated.map(DateView::from),
            summary: a.summary.clone(),
            authors: a.authors.clone(),
            tags: self.site.analyses[i]
                .tags
                .iter()
                .map(|slug| self.tag_link(slug))
                .collect(),
            draft: a.draft,
        }
    }

    pub(crate) fn tag_link(&self, slug: &str) -> LinkView {
        LinkView {
            title: self
                .site
                .tag(slug)
                .map_or_else(|| slug.to_string(), |(_, t)| t.name.clone()),
            url: self.url(&paths::tag(slug)),
        }
    }

    /// Image sources: absolute URLs stay; `/x.jpg` and `x.jpg` go under the base path.
    pub(crate) fn asset_url(&self, src: &str) -> String {
        if src.contains("://") || src.starts_with("data:") {
            src.to_string()
        } else {
            self.url(src.trim_start_matches('/'))
        }
    }

    /// An event's actor: its role in the event, not its general role.
    pub(crate) fn participant(&self, i: usize, role: Option<String>) -> ActorRef {
        ActorRef {
            role,
            ..self.actor_ref(i, None)
        }
    }

    /// Groups of actors as `actor_groups` gives them, as views.
    pub(crate) fn groups(&self, groups: Vec<(ActorKind, Vec<usize>, usize)>) -> Vec<ActorGroup> {
        groups
            .into_iter()
            .map(|(kind, list, total)| ActorGroup {
                kind: kind.as_str(),
                label: kind.plural_label(),
                actors: list.into_iter().map(|i| self.actor_ref(i, None)).collect(),
                total,
            })
            .collect()
    }

    pub(crate) fn tags(&self) -> Vec<TagView> {
        self.site
            .tags
            .iter()
            .map(|t| TagView {
                slug: t.slug.clone(),
                name: t.name.clone(),
                url: self.url(&paths::tag(&t.slug)),
                count: t.analyses.len(),
            })
            .collect()
    }
}

/// Actors by kind (in `ActorKind` order), each group sorted by name: all of
/// them, or the `limit` that most analyses concern or mention (ties by
/// name). With the size of each whole group.
pub(crate) fn actor_groups(site: &Site, limit: usize) -> Vec<(ActorKind, Vec<usize>, usize)> {
    let actors = &site.model.actors;
    let by_name = |&a: &usize, &b: &usize| {
        let (x, y) = (&actors[a], &actors[b]);
        x.name
            .to_lowercase()
            .cmp(&y.name.to_lowercase())
            .then_with(|| x.id.cmp(&y.id))
    };
    let mut groups: BTreeMap<ActorKind, Vec<usize>> = BTreeMap::new();
    for (i, a) in actors.iter().enumerate() {
        groups.entry(a.kind).or_default().push(i);
    }
    groups
        .into_iter()
        .map(|(kind, mut list)| {
            let total = list.len();
            if list.len() > limit {
                list.sort_by(|a, b| {
                    site.actors[*b]
                        .analyses
                        .len()
                        .cmp(&site.actors[*a].analyses.len())
                        .then_with(|| by_name(a, b))
                });
                list.truncate(limit);
            }
            list.sort_by(by_name);
            (kind, list, total)
        })
        .collect()
}

/// When an event was, in words: `5 January 2022`, `2–7 January 2022`,
/// `30 December 2021 – 2 January 2022`, `March – May 2019`, `2019 – 2021`.
pub(crate) fn when(e: &Event) -> String {
    let (s, Some(end)) = (e.date, e.end) else {
        return e.date.display();
    };
    if end <= s {
        return s.display();
    }
    match (s.day(), end.day()) {
        (Some(d), Some(_)) if s.year() == end.year() && s.month() == end.month() => {
            format!("{d}–{}", end.display())
        }
        (Some(d), Some(_)) if s.year() == end.year() => {
            format!("{d} {} – {}", s.month_name(), end.display())
        }
        (None, None)
            if s.year() == end.year() && s.month().is_some() && end.month().is_some() =>
        {
            format!("{} – {}", s.month_name(), end.display())
        }
        _ => format!("{} – {}", s.display(), end.display()),
    }
}

/// Groups facts by label in order of first appearance. Two values for one
/// label make it disputed; one value from two sources lists both sources.
pub(crate) fn facts(facts: &[Fact]) -> Vec<FactView> {
    let mut out: Vec<FactView> = Vec::new();
    for f in facts {
        let view = match out.iter_mut().find(|v| v.label == f.label) {
            Some(v) => v,
            None => {
                out.push(FactView {
                    label: f.label.clone(),
                    disputed: false,
                    values: Vec::new(),
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        let source = f.source.as_ref().map(SourceView::from);
        match view.values.iter_mut().find(|v| v.value == f.value) {
            Some(v) => {
                v.sources.extend(source);
                if v.as_of.is_none() {
                    v.as_of = f.as_of.map(DateView::from);
                }
            }
            None => view.values.push(FactValue {
                value: f.value.clone(),
                as_of: f.as_of.map(DateView::from),
                sources: source.into_iter().collect(),
            }),
        }
        view.disputed = view.values.len() > 1;
    }
    out
}

/// A map value with one more field.
pub(crate) fn with_field(value: tera::Value, key: &'static str, field: tera::Value) -> tera::Value {
    let mut map = value.into_map().unwrap_or_default();
    map.insert(key.into(), field);
    tera::Value::from(map)
}

/// The schema.org type of an actor of this kind.
pub(crate) fn actor_type(kind: &str) -> &'static str {
    match kind {
        "person" => "Person",
        "state" => "Country",
        "place" => "Place",
        _ => "Organization",
    }
}
