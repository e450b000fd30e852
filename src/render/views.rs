//! View structs: what templates see. Built from the linked site, never the
//! domain types themselves, so the model can change without breaking
//! themes. Every field is documented in docs/templates.md.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::config::Config;
use crate::i18n::Locale;
use crate::link::Site;
use crate::model::{ActorKind, Cited, Date, ExternalLink, Fact};
use crate::paths;

/// `site`: the same on every page, and depending only on `site.toml`.
#[derive(Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    /// The language's own name (`English`, `Русский`), from the theme.
    pub language_name: String,
    /// `ltr`, or `rtl` for a language written right to left.
    pub direction: &'static str,
    /// Absolute URL of the home page, ending in `/`.
    pub base_url: String,
    /// Path of the home page (`/` or `/sub/path/`, `/ru/` for an edition
    /// in another language), for root-relative links.
    pub base_path: String,
    /// Path of the whole site's root, where its shared files are (the
    /// stylesheet, scripts, favicon, open data): `base_path` without the
    /// language.
    pub root: String,
    /// Every language of the site with its home page (empty on a
    /// one-language site): `lang`, `name`, `url`, `permalink`, `current`,
    /// `default`.
    pub languages: Vec<Alternate>,
    pub nav: Vec<NavItem>,
    /// URL of the search page, or null when `search = "off"`.
    pub search: Option<String>,
    /// URL of the list of sources, or null when the site has none.
    pub sources: Option<String>,
    /// URL of the list of authors, or null when the site has none.
    pub authors: Option<String>,
    /// URL of the list of corrections, or null when there are none.
    pub corrections: Option<String>,
    pub generator: String,
}

#[derive(Serialize)]
pub(crate) struct NavItem {
    /// `analyses`, `actors`, `events`, `timeline`: matches `page.section`.
    pub key: &'static str,
    pub title: String,
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

/// A source, wherever one is shown (a fact's, an event's, a relation's, an
/// analysis's list of sources, its own page); also a further reading.
/// Fields a source given in place (`{title, url}`) lacks are null.
#[derive(Serialize, Clone, Default)]
pub(crate) struct SourceView {
    /// Its id, for a source file.
    pub id: Option<String>,
    pub title: String,
    pub url: Option<String>,
    /// Its page on this site, for a source file.
    pub page: Option<String>,
    pub publisher: Option<String>,
    /// The publisher's page, when it names an actor.
    pub publisher_url: Option<String>,
    pub published: Option<DateView>,
    pub accessed: Option<DateView>,
    /// An archived copy.
    pub archived: Option<String>,
    /// `official`, `media`, `ngo`, `academic`, `dataset` or `other`.
    pub kind: Option<&'static str>,
    /// `Official`, `Media`, `NGO`, … in the site's language.
    pub kind_label: Option<String>,
    pub language: Option<String>,
}

impl From<&ExternalLink> for SourceView {
    fn from(l: &ExternalLink) -> Self {
        SourceView {
            title: l.title.clone(),
            url: l.url.clone(),
            ..SourceView::default()
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

/// An actor as it appears in a list.
#[derive(Serialize, Clone)]
pub(crate) struct ActorRef {
    pub id: String,
    pub name: String,
    pub url: String,
    pub kind: &'static str,
    /// Its role: in an event, or its `role` field in other lists.
    pub role: Option<String>,
    /// On analysis and event pages: the roles it held as of the page's
    /// date, and those it had left in the year before. Empty elsewhere.
    pub roles: Vec<RoleView>,
}

/// A role an actor held (a relation with a `role`), as of some date.
#[derive(Serialize, Clone)]
pub(crate) struct RoleView {
    /// `Chairman`
    pub role: String,
    /// The actor the role is in (`Security Council`).
    pub of: LinkView,
    /// `since 5 January 2022`, `until 5 January 2022`, `1999 – April 2022`.
    pub dates: Option<String>,
    /// Whether it was held on that date (else it had ended).
    pub current: bool,
    /// `Chairman, Security Council, since 5 January 2022`
    pub text: String,
}

/// One of an actor's relations, as its page shows it.
#[derive(Serialize)]
pub(crate) struct RelationView {
    /// The type (`member_of`).
    pub kind: String,
    /// The other actor.
    pub actor: ActorRef,
    pub role: Option<String>,
    pub from: Option<DateView>,
    pub until: Option<DateView>,
    /// `since 5 January 2022`, `1999 – April 2022`, `until …`, or null.
    pub dates: Option<String>,
    /// Whether it still holds (it has no `until`).
    pub current: bool,
    pub source: Option<SourceView>,
    /// HTML (one sentence, no paragraph).
    pub note: Option<String>,
    /// Whether the other actor's fact sheet states it.
    pub inverse: bool,
}

/// An actor's relations under one label (`Member of`, `Members`, `Leads`).
#[derive(Serialize)]
pub(crate) struct RelationGroup {
    pub label: String,
    pub kind: String,
    pub inverse: bool,
    /// Current ones first, then former ones, most recently ended first.
    pub relations: Vec<RelationView>,
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
    pub authors: Vec<AuthorRef>,
    pub tags: Vec<LinkView>,
    pub draft: bool,
    /// When it was last corrected, or null.
    pub corrected: Option<DateView>,
}

/// An image: its address under the site, alt text, caption and credit.
#[derive(Serialize)]
pub(crate) struct ImageView {
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// Who wrote an analysis: an author of the site (with a page), or a name.
#[derive(Serialize, Clone)]
pub(crate) struct AuthorRef {
    /// The author's id, or null for a name with no author file.
    pub id: Option<String>,
    pub name: String,
    /// Their page, or null.
    pub url: Option<String>,
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
    /// `People`, `Organisations`…
    pub label: String,
    /// A link text for the whole group: `All 14 people`.
    pub all: String,
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
    /// The theme's words in the language pages are rendered in.
    pub locale: &'a Locale,
    /// Each analysis card, serialised once per build: a card appears on
    /// many pages (lists, tags, every actor and event it mentions).
    cards: Vec<OnceLock<tera::Value>>,
    /// Each analysis's Atom entry, written once per build: an analysis is
    /// an entry of the site's feed and of its tags', authors' and actors'.
    pub(crate) feed_entries: Vec<OnceLock<Box<[u8]>>>,
    /// Per actor, where among its relations those with a role are: an
    /// actor is shown with its roles on every page that names it, and a
    /// hub's relations are mostly its members' (without a role of its own).
    role_edges: Vec<OnceLock<Box<[u32]>>>,
}

impl<'a> Views<'a> {
    pub(crate) fn new(config: &'a Config, site: &'a Site, locale: &'a Locale) -> Self {
        let n = site.model.analyses.len();
        Views {
            config,
            site,
            locale,
            cards: (0..n).map(|_| OnceLock::new()).collect(),
            feed_entries: (0..n).map(|_| OnceLock::new()).collect(),
            role_edges: (0..site.actors.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// A date in every form a template may want, written in the page's
    /// language.
    pub(crate) fn date(&self, d: Date) -> DateView {
        DateView {
            iso: d.to_string(),
            display: self.locale.date(d),
            year: d.year(),
            month: d.month(),
            day: d.day(),
            precision: d.precision().as_str(),
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

    /// A list's page title: `title` on its first page (`k` = 0), then
    /// `Analyses, page 2`.
    pub(crate) fn title_page(&self, title: &str, k: usize) -> String {
        match k {
            0 => title.to_string(),
            k => self.locale.text_with(
                "title_page",
                &[("title", title), ("page", &(k + 1).to_string())],
            ),
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
            ("analyses", paths::ANALYSES),
            ("actors", paths::ACTORS),
            ("events", paths::EVENTS),
            ("timeline", paths::TIMELINE),
        ]
        .into_iter()
        .map(|(key, path)| NavItem {
            key,
            title: self.locale.text(key).to_string(),
            url: self.url(path),
        })
        .collect();
        SiteView {
            title: self.config.title.clone(),
            description: self.config.description.clone(),
            language: self.config.language.clone(),
            language_name: self.locale.name().to_string(),
            direction: self.locale.direction().as_str(),
            base_url: self.permalink(""),
            base_path: self.config.base_url.path.clone(),
            root: self.config.base_url.root.clone(),
            languages: Vec::new(),
            nav,
            search: (self.config.search != crate::config::Search::Off)
                .then(|| self.url(paths::SEARCH)),
            sources: (!self.site.model.sources.is_empty()).then(|| self.url(paths::SOURCES)),
            authors: (!self.site.model.authors.is_empty()).then(|| self.url(paths::AUTHORS)),
            corrections: self
                .site
                .model
                .has_corrections()
                .then(|| self.url(paths::CORRECTIONS)),
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
            roles: Vec::new(),
        }
    }

    /// An actor with the roles it held as of `day`.
    pub(crate) fn actor_as_of(&self, i: usize, day: Date) -> ActorRef {
        ActorRef {
            roles: self.roles_as_of(i, day),
            ..self.actor_ref(i, None)
        }
    }

    /// The roles (relations with a `role` its own fact sheet states) actor
    /// `i` held on `day`, then those it had left in the year before, most
    /// recent first.
    pub(crate) fn roles_as_of(&self, i: usize, day: Date) -> Vec<RoleView> {
        let model = &self.site.model;
        let edges = &self.site.actors[i].relations;
        let with_role = self.role_edges[i].get_or_init(|| {
            (0..edges.len())
                .filter(|&k| {
                    let e = &edges[k];
                    let r = &model.actors[e.owner].relations[e.position];
                    !e.inverse && r.role.is_some() && !r.is_act()
                })
                .filter_map(|k| u32::try_from(k).ok())
                .collect()
        });
        let mut held = Vec::new();
        let mut left = Vec::new();
        for e in with_role.iter().map(|&k| &edges[k as usize]) {
            let r = &model.actors[e.owner].relations[e.position];
            let Some(role) = r.role.as_ref() else {
                continue;
            };
            let current = r.holds_on(day);
            let recent = r
                .until
                .is_some_and(|u| u.ends_before(day) && u.days_until(day) <= RECENT_DAYS);
            if !current && !recent {
                continue;
            }
            let other = &model.actors[e.other];
            let dates = if current {
                self.locale.relation_dates(r.from, r.until)
            } else {
                self.locale.relation_dates(None, r.until)
            };
            let mut text = format!("{role}, {}", other.name);
            if let Some(d) = &dates {
                text = format!("{text}, {d}");
            }
            let view = RoleView {
                role: role.clone(),
                of: LinkView {
                    title: other.name.clone(),
                    url: self.url(&paths::actor(&other.id)),
                },
                dates,
                current,
                text,
            };
            if current {
                held.push(view);
            } else {
                left.push((r.until, view));
            }
        }
        left.sort_by_key(|(until, _)| std::cmp::Reverse(*until));
        held.extend(left.into_iter().map(|(_, v)| v));
        held
    }

    /// Actor `i`'s relations, grouped by label in the order of the site's
    /// types (what it states, then the other side).
    pub(crate) fn relation_groups(&self, i: usize) -> Vec<RelationGroup> {
        let model = &self.site.model;
        let types = &self.config.relation_types;
        let l = &self.site.actors[i];
        let mut keys: Vec<(usize, bool)> =
            l.relations.iter().map(|e| (e.kind, e.inverse)).collect();
        keys.sort();
        keys.dedup();
        let mut groups: Vec<RelationGroup> = Vec::new();
        for (kind, inverse) in keys {
            let ty = &types[kind];
            let label = self.locale.relation(kind, inverse);
            let mut views: Vec<(Option<Date>, RelationView)> = l
                .relations
                .iter()
                .filter(|e| e.kind == kind && e.inverse == inverse)
                .map(|e| {
                    let r = &model.actors[e.owner].relations[e.position];
                    let view = RelationView {
                        kind: ty.name.clone(),
                        actor: self.actor_ref(e.other, None),
                        role: r.role.clone(),
                        from: r.from.map(|d| self.date(d)),
                        until: r.until.map(|d| self.date(d)),
                        dates: self.locale.relation_dates(r.from, r.until),
                        current: r.is_current(),
                        source: r.source.as_ref().map(|c| self.cited(c)),
                        note: self.site.actors[e.owner]
                            .notes
                            .get(e.position)
                            .cloned()
                            .flatten(),
                        inverse,
                    };
                    (r.until, view)
                })
                .collect();
            // Current first (as written), then former, most recently ended first.
            views.sort_by(|a, b| match (a.0, b.0) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, Some(_)) => std::cmp::Ordering::Less,
                (Some(_), None) => std::cmp::Ordering::Greater,
                (Some(x), Some(y)) => y.cmp(&x),
            });
            let relations = views.into_iter().map(|(_, v)| v).collect();
            // A symmetric type's two sides share a label and a group.
            match groups
                .iter_mut()
                .find(|g| g.label == label && g.kind == ty.name)
            {
                Some(g) => g.relations.extend::<Vec<RelationView>>(relations),
                None => groups.push(RelationGroup {
                    label: label.to_string(),
                    kind: ty.name.clone(),
                    inverse: inverse && !ty.symmetric,
                    relations,
                }),
            }
        }
        groups
    }

    pub(crate) fn event_ref(&self, i: usize, role: Option<String>) -> EventRef {
        let e = &self.site.model.events[i];
        EventRef {
            id: e.id.clone(),
            title: e.title.clone(),
            url: self.url(&paths::event(&e.id)),
            date: self.date(e.date),
            end: e.end.map(|d| self.date(d)),
            when: self.locale.when(e.date, e.end),
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
            date: self.date(a.date),
            updated: a.updated.map(|d| self.date(d)),
            summary: a.summary.clone(),
            authors: self
                .site
                .bylines(i)
                .into_iter()
                .map(|b| AuthorRef {
                    id: b.author.map(|x| self.site.model.authors[x].id.clone()),
                    name: b.name.to_string(),
                    url: b
                        .author
                        .map(|x| self.url(&paths::author(&self.site.model.authors[x].id))),
                })
                .collect(),
            corrected: a.corrected().map(|d| self.date(d)),
            tags: self.site.analyses[i]
                .tags
                .iter()
                .map(|slug| self.tag_link(slug))
                .collect(),
            draft: a.draft,
        }
    }

    pub(crate) fn image(&self, img: &crate::model::Image) -> ImageView {
        ImageView {
            src: self.asset_url(&img.src),
            alt: img.alt.clone(),
            caption: img.caption.clone(),
            credit: img.credit.clone(),
        }
    }

    /// A source file of the registry.
    pub(crate) fn source(&self, i: usize) -> SourceView {
        let s = &self.site.model.sources[i];
        let l = &self.site.sources[i];
        SourceView {
            id: Some(s.id.clone()),
            title: s.title.clone(),
            url: s.url.as_ref().map(|u| u.value.clone()),
            page: Some(self.url(&paths::source(&s.id))),
            publisher: match l.publisher {
                Some(a) => Some(self.site.model.actors[a].name.clone()),
                None => s.publisher.as_ref().map(|p| p.value.clone()),
            },
            publisher_url: l
                .publisher
                .map(|a| self.url(&paths::actor(&self.site.model.actors[a].id))),
            published: s.published.map(|d| self.date(d)),
            accessed: s.accessed.map(|d| self.date(d)),
            archived: s.archived.as_ref().map(|u| u.value.clone()),
            kind: Some(s.kind.as_str()),
            kind_label: Some(self.locale.source_kind(s.kind).to_string()),
            language: s.language.clone(),
        }
    }

    /// A source as given: a source file by id, or one written in place.
    pub(crate) fn cited(&self, c: &Cited) -> SourceView {
        match c {
            Cited::Id(r) => match self.site.source_ids.get(&r.id) {
                Some(&i) => self.source(i),
                // Unknown ids fail the build before rendering.
                None => SourceView {
                    title: r.id.clone(),
                    ..SourceView::default()
                },
            },
            Cited::Inline(l) => SourceView::from(l),
        }
    }

    /// Facts grouped by label in order of first appearance. Two values for
    /// one label make it disputed; one value from two sources lists both.
    pub(crate) fn facts(&self, facts: &[Fact]) -> Vec<FactView> {
        let mut out: Vec<FactView> = Vec::new();
        for f in facts {
            let view = match out.iter_mut().position(|v| v.label == f.label) {
                Some(k) => &mut out[k],
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
            let source = f.source.as_ref().map(|c| self.cited(c));
            match view.values.iter_mut().find(|v| v.value == f.value) {
                Some(v) => {
                    v.sources.extend(source);
                    if v.as_of.is_none() {
                        v.as_of = f.as_of.map(|d| self.date(d));
                    }
                }
                None => view.values.push(FactValue {
                    value: f.value.clone(),
                    as_of: f.as_of.map(|d| self.date(d)),
                    sources: source.into_iter().collect(),
                }),
            }
            view.disputed = view.values.len() > 1;
        }
        out
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
                label: self.locale.kinds(kind).to_string(),
                all: self.locale.all_of_kind(kind, total),
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
    // By name, then id: each name lowercased once per call, not once per
    // comparison (at N = 100,000 the home page's signature spent 45 ms of
    // every rebuild lowercasing 50,000 names over and over).
    let by_name = |list: &mut Vec<usize>| {
        list.sort_by_cached_key(|&i| (actors[i].name.to_lowercase(), actors[i].id.as_str()));
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
                // The `limit` most mentioned, ties broken by name: only
                // those tied with the last one taken are sorted.
                let count = |i: usize| site.actors[i].analyses.len();
                let mut counts: Vec<usize> = list.iter().map(|&i| count(i)).collect();
                let last = match limit.checked_sub(1) {
                    Some(k) => *counts.select_nth_unstable_by(k, |a, b| b.cmp(a)).1,
                    None => usize::MAX,
                };
                let mut tied: Vec<usize> =
                    list.iter().copied().filter(|&i| count(i) == last).collect();
                list.retain(|&i| count(i) > last);
                by_name(&mut tied);
                tied.truncate(limit.saturating_sub(list.len()));
                list.extend(tied);
            }
            by_name(&mut list);
            (kind, list, total)
        })
        .collect()
}

/// How long after a role ended a page dated then still shows it (as
/// "until …"): a year.
const RECENT_DAYS: i64 = 365;

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

/// A language a page exists in, for `hreflang` links and the switcher.
#[derive(Serialize, Clone, Hash)]
pub(crate) struct Alternate {
    /// `ru`
    pub lang: String,
    /// `Русский`
    pub name: String,
    /// The page in that language: root-relative, and absolute.
    pub url: String,
    pub permalink: String,
    /// Whether it is the page being rendered.
    pub current: bool,
    /// Whether it is the default language's (`x-default`).
    pub default: bool,
    /// Whether the page exists in that language: when it does not, `url`
    /// is that language's home page.
    pub translated: bool,
}
