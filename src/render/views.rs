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
pub struct SiteView {
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
pub struct NavItem {
    /// `analyses`, `actors`, `events`, `timeline`: matches `page.section`.
    pub key: &'static str,
    pub title: &'static str,
    pub url: String,
}

#[derive(Serialize)]
pub struct Counts {
    pub analyses: usize,
    pub actors: usize,
    pub events: usize,
    pub tags: usize,
}

/// A link to a page of the site or elsewhere.
#[derive(Serialize, Clone)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

/// A source or further reading: its URL may be missing.
#[derive(Serialize, Clone)]
pub struct SourceView {
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

/// A date in every form a template may want.
#[derive(Serialize, Clone)]
pub struct DateView {
    /// `2022-01-05`
    pub iso: String,
    /// `5 January 2022`
    pub display: String,
    pub year: i16,
    pub month: i8,
    pub day: i8,
}

impl From<Date> for DateView {
    fn from(d: Date) -> Self {
        DateView {
            iso: d.to_string(),
            display: d.display(),
            year: d.year(),
            month: d.month(),
            day: d.day(),
        }
    }
}

/// An actor as it appears in a list.
#[derive(Serialize, Clone)]
pub struct ActorRef {
    pub id: String,
    pub name: String,
    pub url: String,
    pub kind: &'static str,
    /// Its role: in an event, or its `role` field in other lists.
    pub role: Option<String>,
}

/// An event as it appears in a list.
#[derive(Serialize, Clone)]
pub struct EventRef {
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
pub struct AnalysisCard {
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
pub struct FactView {
    pub label: String,
    pub disputed: bool,
    pub values: Vec<FactValue>,
}

#[derive(Serialize)]
pub struct FactValue {
    pub value: String,
    pub as_of: Option<DateView>,
    /// Every source that gives this value.
    pub sources: Vec<SourceView>,
}

#[derive(Serialize)]
pub struct ImageView {
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

#[derive(Serialize)]
pub struct HeadingView {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// `page` on analysis.html.
#[derive(Serialize)]
pub struct AnalysisPage {
    #[serde(flatten)]
    pub card: AnalysisCard,
    pub permalink: String,
    /// Rendered Markdown body (HTML: print with `| safe`).
    pub body: String,
    pub image: Option<ImageView>,
    /// Actors it concerns (front matter) or mentions, front matter first.
    pub actors: Vec<ActorRef>,
    pub events: Vec<EventRef>,
    pub headings: Vec<HeadingView>,
    /// The table of contents: second-level headings, each with the
    /// third-level headings under it.
    pub toc: Vec<TocEntry>,
    pub words: usize,
    pub reading_minutes: usize,
    /// How to cite it.
    pub cite: CiteView,
}

#[derive(Serialize)]
pub struct TocEntry {
    pub id: String,
    pub text: String,
    pub children: Vec<TocEntry>,
}

/// `page.cite`: the parts of a citation, and one assembled from them.
#[derive(Serialize)]
pub struct CiteView {
    /// Authors, or the site's title when the analysis names none.
    pub author: String,
    pub title: String,
    pub site: String,
    /// The publication date, as displayed.
    pub date: String,
    pub updated: Option<String>,
    /// The permalink.
    pub url: String,
    /// `A. Analyst and B. Writer, "Title", Site, 27 January 2022 (updated 1 February 2022), https://…`
    pub text: String,
}

/// `paginator` on analyses.html, tag.html, events.html and timeline.html.
#[derive(Serialize)]
pub struct Paginator {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages the list has.
    pub total: usize,
    /// How many items (analyses, events) the whole list has.
    pub items: usize,
    /// Position (from 1) of this page's first and last item.
    pub first: usize,
    pub last: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Stands for the pages left out between its neighbours (shown as …).
    pub gap: bool,
}

/// `search` on search.html: the index to load and the filters to offer.
#[derive(Serialize)]
pub struct SearchView {
    /// URL of the search index's manifest.
    pub index: String,
    /// Every actor, by kind (for the actor filter).
    pub actor_groups: Vec<ActorGroup>,
    pub tags: Vec<TagView>,
}

/// `page` on actor.html.
#[derive(Serialize)]
pub struct ActorPage {
    pub id: String,
    pub name: String,
    pub url: String,
    pub permalink: String,
    pub kind: &'static str,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub country: Option<ActorRef>,
    pub affiliations: Vec<ActorRef>,
    pub members: Vec<ActorRef>,
    pub nationals: Vec<ActorRef>,
    /// HTML.
    pub summary: Option<String>,
    pub facts: Vec<FactView>,
    pub links: Vec<SourceView>,
    pub events: Vec<EventRef>,
    pub events_here: Vec<EventRef>,
    // `analyses` (cards, newest first) is added by `render::context` from
    // cards serialised once per build.
    pub extra: serde_json::Value,
}

/// `page` on event.html.
#[derive(Serialize)]
pub struct EventPage {
    #[serde(flatten)]
    pub event: EventRef,
    pub permalink: String,
    /// The place as a link when it names an actor.
    pub place_url: Option<String>,
    pub actors: Vec<ActorRef>,
    pub parent: Option<EventRef>,
    /// The chain of parent events, outermost first.
    pub ancestors: Vec<EventRef>,
    pub children: Vec<EventRef>,
    /// HTML.
    pub summary: Option<String>,
    pub facts: Vec<FactView>,
    pub sources: Vec<SourceView>,
    // `analyses` is added by `render::context`, as on actor pages.
    pub extra: serde_json::Value,
}

#[derive(Serialize)]
pub struct ActorGroup {
    pub kind: &'static str,
    pub label: &'static str,
    pub actors: Vec<ActorRef>,
    /// How many actors of this kind the site has (more than `actors` on
    /// the home page, which shows the most written-about).
    pub total: usize,
}

#[derive(Serialize)]
pub struct TimelineYear {
    pub year: i16,
    pub months: Vec<TimelineMonth>,
}

/// A year of the timeline, for the index of years on every timeline page.
#[derive(Serialize)]
pub struct YearLink {
    pub year: i16,
    /// Events that year.
    pub count: usize,
    /// Its heading, on whichever timeline page holds it.
    pub url: String,
    /// Whether it is on this page.
    pub current: bool,
}

#[derive(Serialize)]
pub struct TimelineMonth {
    pub month: i8,
    pub name: &'static str,
    /// `2022-01`, an anchor for the month.
    pub id: String,
    pub events: Vec<EventRef>,
}

#[derive(Serialize)]
pub struct TagView {
    pub slug: String,
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// Builds views from the linked site; holds what every view needs.
pub struct Views<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    /// Each analysis card, serialised once per build: a card appears on
    /// many pages (lists, tags, every actor and event it mentions).
    cards: Vec<OnceLock<tera::Value>>,
}

impl<'a> Views<'a> {
    pub fn new(config: &'a Config, site: &'a Site) -> Self {
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
    pub fn cards(&self, list: impl Iterator<Item = usize>) -> tera::Value {
        let values: Vec<tera::Value> = list
            .map(|i| {
                self.cards[i]
                    .get_or_init(|| tera::Value::from_serializable(&self.card(i)))
                    .clone()
            })
            .collect();
        tera::Value::from(values)
    }

    pub fn url(&self, path: &str) -> String {
        self.config.base_url.relative(path)
    }

    pub fn permalink(&self, path: &str) -> String {
        self.config.base_url.absolute(path)
    }

    pub fn site(&self) -> SiteView {
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
    pub fn counts(&self) -> Counts {
        let m = &self.site.model;
        Counts {
            analyses: m.analyses.len(),
            actors: m.actors.len(),
            events: m.events.len(),
            tags: self.site.tags.len(),
        }
    }

    pub fn actor_ref(&self, i: usize, role: Option<String>) -> ActorRef {
        let a = &self.site.model.actors[i];
        ActorRef {
            id: a.id.clone(),
            name: a.name.clone(),
            url: self.url(&paths::actor(&a.id)),
            kind: a.kind.as_str(),
            role: role.or_else(|| a.role.clone()),
        }
    }

    pub fn event_ref(&self, i: usize, role: Option<String>) -> EventRef {
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

    pub fn card(&self, i: usize) -> AnalysisCard {
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

    pub fn tag_link(&self, slug: &str) -> LinkView {
        LinkView {
            title: self
                .site
                .tags
                .get(slug)
                .map_or_else(|| slug.to_string(), |t| t.name.clone()),
            url: self.url(&paths::tag(slug)),
        }
    }

    pub fn analysis_page(&self, i: usize) -> AnalysisPage {
        let a = &self.site.model.analyses[i];
        let links = &self.site.analyses[i];
        let card = self.card(i);
        AnalysisPage {
            permalink: self.permalink(&paths::analysis(&a.slug)),
            card,
            body: links.body.html.clone(),
            image: a.image.as_ref().map(|img| ImageView {
                src: self.asset_url(&img.src),
                alt: img.alt.clone(),
                caption: img.caption.clone(),
                credit: img.credit.clone(),
            }),
            actors: links
                .actors
                .iter()
                .map(|&(i, _)| self.actor_ref(i, None))
                .collect(),
            events: links
                .events
                .iter()
                .map(|&(i, _)| self.event_ref(i, None))
                .collect(),
            headings: links
                .body
                .headings
                .iter()
                .map(|h| HeadingView {
                    level: h.level,
                    id: h.id.clone(),
                    text: h.text.clone(),
                })
                .collect(),
            toc: toc(&links.body.headings),
            words: links.body.words,
            reading_minutes: links.body.words.div_ceil(230).max(1),
            cite: self.cite(i),
        }
    }

    fn cite(&self, i: usize) -> CiteView {
        let a = &self.site.model.analyses[i];
        let author = match a.authors.as_slice() {
            [] => self.config.title.clone(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        };
        let date = a.date.display();
        let updated = a.updated.map(|d| d.display());
        let url = self.permalink(&paths::analysis(&a.slug));
        let mut text = format!("{author}, “{}”, {}, {date}", a.title, self.config.title);
        if let Some(u) = &updated {
            text.push_str(&format!(" (updated {u})"));
        }
        text.push_str(&format!(", {url}"));
        CiteView {
            author,
            title: a.title.clone(),
            site: self.config.title.clone(),
            date,
            updated,
            url,
            text,
        }
    }

    /// Image sources: absolute URLs stay; `/x.jpg` and `x.jpg` go under the base path.
    fn asset_url(&self, src: &str) -> String {
        if src.contains("://") || src.starts_with("data:") {
            src.to_string()
        } else {
            self.url(src.trim_start_matches('/'))
        }
    }

    pub fn actor_page(&self, i: usize) -> ActorPage {
        let a = &self.site.model.actors[i];
        let l = &self.site.actors[i];
        ActorPage {
            id: a.id.clone(),
            name: a.name.clone(),
            url: self.url(&paths::actor(&a.id)),
            permalink: self.permalink(&paths::actor(&a.id)),
            kind: a.kind.as_str(),
            aliases: a.aliases.iter().map(|al| al.value.clone()).collect(),
            role: a.role.clone(),
            country: l.country.map(|c| self.actor_ref(c, None)),
            affiliations: l
                .affiliations
                .iter()
                .map(|&j| self.actor_ref(j, None))
                .collect(),
            members: l.members.iter().map(|&j| self.actor_ref(j, None)).collect(),
            nationals: l
                .nationals
                .iter()
                .map(|&j| self.actor_ref(j, None))
                .collect(),
            summary: l.summary.as_ref().map(|t| t.html.clone()),
            facts: facts(&a.facts),
            links: a.links.iter().map(SourceView::from).collect(),
            events: l
                .events
                .iter()
                .map(|&(e, role)| self.event_ref(e, self.site.role(role).map(str::to_string)))
                .collect(),
            events_here: l
                .events_here
                .iter()
                .map(|&e| self.event_ref(e, None))
                .collect(),
            extra: a.extra.clone(),
        }
    }

    pub fn event_page(&self, i: usize) -> EventPage {
        let e = &self.site.model.events[i];
        let l = &self.site.events[i];
        let mut ancestors: Vec<EventRef> = self
            .site
            .ancestors(i)
            .into_iter()
            .map(|p| self.event_ref(p, None))
            .collect();
        ancestors.reverse();
        EventPage {
            event: self.event_ref(i, None),
            permalink: self.permalink(&paths::event(&e.id)),
            place_url: l
                .place
                .map(|a| self.url(&paths::actor(&self.site.model.actors[a].id))),
            actors: l
                .participants
                .iter()
                .map(|&(a, role)| self.participant(a, self.site.role(role).map(str::to_string)))
                .collect(),
            parent: l.parent.map(|p| self.event_ref(p, None)),
            ancestors,
            children: l
                .children
                .iter()
                .map(|&c| self.event_ref(c, None))
                .collect(),
            summary: l.summary.as_ref().map(|t| t.html.clone()),
            facts: facts(&e.facts),
            sources: e.sources.iter().map(SourceView::from).collect(),
            extra: e.extra.clone(),
        }
    }

    /// An event's actor: its role in the event, not its general role.
    fn participant(&self, i: usize, role: Option<String>) -> ActorRef {
        ActorRef {
            role,
            ..self.actor_ref(i, None)
        }
    }

    pub fn actor_groups(&self) -> Vec<ActorGroup> {
        self.groups(actor_groups(self.site, usize::MAX))
    }

    /// The home page's who's who: per kind, the actors most analyses are
    /// about, so that a large site's home page stays short.
    pub fn home_actor_groups(&self) -> Vec<ActorGroup> {
        self.groups(actor_groups(self.site, HOME_ACTORS_PER_KIND))
    }

    fn groups(&self, groups: Vec<(ActorKind, Vec<usize>, usize)>) -> Vec<ActorGroup> {
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

    /// Page `k` of the timeline: its years, the paginator, and every year
    /// of the whole timeline with the page it is on.
    pub fn timeline_page(&self, k: usize) -> (Vec<TimelineYear>, Paginator, Vec<YearLink>) {
        let pages = timeline_pages(self.site, self.config.paginate_events);
        let range = pages.get(k).cloned().unwrap_or(0..0);
        let years = self.timeline(&self.site.timeline[range.clone()]);
        let paginator = self.paginator_of(
            paths::TIMELINE,
            k,
            pages.len(),
            self.site.timeline.len(),
            range,
        );
        let mut index: Vec<YearLink> = Vec::new();
        for (page, r) in pages.iter().enumerate() {
            for &i in &self.site.timeline[r.clone()] {
                let year = self.site.model.events[i].date.year();
                match index.last_mut() {
                    Some(y) if y.year == year => y.count += 1,
                    _ => index.push(YearLink {
                        year,
                        count: 1,
                        url: format!(
                            "{}#y{year}",
                            self.url(&paths::list_page(paths::TIMELINE, page + 1))
                        ),
                        current: page == k,
                    }),
                }
            }
        }
        (years, paginator, index)
    }

    fn timeline(&self, events: &[usize]) -> Vec<TimelineYear> {
        let mut years: Vec<TimelineYear> = Vec::new();
        for &i in events {
            let d = self.site.model.events[i].date;
            if years.last().is_none_or(|y| y.year != d.year()) {
                years.push(TimelineYear {
                    year: d.year(),
                    months: Vec::new(),
                });
            }
            let Some(year) = years.last_mut() else {
                continue;
            };
            if year.months.last().is_none_or(|m| m.month != d.month()) {
                year.months.push(TimelineMonth {
                    month: d.month(),
                    name: d.month_name(),
                    id: format!("{:04}-{:02}", d.year(), d.month()),
                    events: Vec::new(),
                });
            }
            if let Some(month) = year.months.last_mut() {
                month.events.push(self.event_ref(i, None));
            }
        }
        years
    }

    /// Page `k` (from 0) of the list at `list` with `n` items, `per` a page.
    pub fn paginator(&self, list: &str, k: usize, n: usize, per: usize) -> Paginator {
        let total = crate::config::page_count(per, n);
        let range = crate::config::page_range(per, k, n);
        self.paginator_of(list, k, total, n, range)
    }

    /// Page `k` (from 0) of `total` pages of a list of `n` items, this page
    /// holding the items in `range`.
    fn paginator_of(
        &self,
        list: &str,
        k: usize,
        total: usize,
        n: usize,
        range: std::ops::Range<usize>,
    ) -> Paginator {
        let url = |number: usize| self.url(&paths::list_page(list, number));
        Paginator {
            current: k + 1,
            total,
            items: n,
            first: (range.start + 1).min(n),
            last: range.end,
            prev: (k > 0).then(|| url(k)),
            next: (k + 1 < total).then(|| url(k + 2)),
            pages: page_window(k + 1, total)
                .into_iter()
                .map(|number| PageLink {
                    number: number.unwrap_or(0),
                    url: number.map(url).unwrap_or_default(),
                    current: number == Some(k + 1),
                    gap: number.is_none(),
                })
                .collect(),
        }
    }

    pub fn search(&self) -> SearchView {
        SearchView {
            index: self.url(paths::SEARCH_INDEX),
            actor_groups: self.actor_groups(),
            tags: self.tags(),
        }
    }

    pub fn tags(&self) -> Vec<TagView> {
        self.site
            .tags
            .iter()
            .map(|(slug, t)| TagView {
                slug: slug.clone(),
                name: t.name.clone(),
                url: self.url(&paths::tag(slug)),
                count: t.analyses.len(),
            })
            .collect()
    }
}

/// The page numbers a paginator shows: the first, the last, and two either
/// side of the current one; None where pages are left out.
fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    for n in 1..=total {
        if n == 1 || n == total || n.abs_diff(current) <= 2 {
            out.push(Some(n));
        } else if out.last().is_some_and(Option::is_some) {
            out.push(None);
        }
    }
    out
}

/// The timeline's pages, as ranges of `site.timeline`: whole years, packed
/// in order while a page has at most `per` events (a larger year gets a page
/// of its own). `per` = 0: one page. Always at least one page.
pub fn timeline_pages(site: &Site, per: usize) -> Vec<std::ops::Range<usize>> {
    let events = &site.model.events;
    let t = &site.timeline;
    if per == 0 || t.len() <= per {
        return std::iter::once(0..t.len()).collect();
    }
    let mut pages: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    while start < t.len() {
        let year = events[t[start]].date.year();
        let end = start + t[start..].partition_point(|&i| events[i].date.year() == year);
        match pages.last_mut() {
            Some(page) if end - page.start <= per => page.end = end,
            _ => pages.push(start..end),
        }
        start = end;
    }
    pages
}

/// Actors per kind in the home page's who's who.
pub const HOME_ACTORS_PER_KIND: usize = 12;

/// Actors by kind (in `ActorKind` order), each group sorted by name: all of
/// them, or the `limit` that most analyses concern or mention (ties by
/// name). With the size of each whole group.
pub fn actor_groups(site: &Site, limit: usize) -> Vec<(ActorKind, Vec<usize>, usize)> {
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

/// Second-level headings with the third-level ones under them; a
/// third-level heading before any second-level one stands on its own.
fn toc(headings: &[crate::markdown::Heading]) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for h in headings {
        let entry = TocEntry {
            id: h.id.clone(),
            text: h.text.clone(),
            children: Vec::new(),
        };
        match (h.level, toc.last_mut()) {
            (2, _) | (3, None) => toc.push(entry),
            (3, Some(parent)) => parent.children.push(entry),
            _ => {}
        }
    }
    toc
}

/// `5 January 2022`, `2–7 January 2022`, `30 December 2021 – 2 January 2022`.
pub fn when(e: &Event) -> String {
    let (s, Some(end)) = (e.date, e.end) else {
        return e.date.display();
    };
    if end <= s {
        s.display()
    } else if s.year() != end.year() {
        format!("{} – {}", s.display(), end.display())
    } else if s.month() != end.month() {
        format!("{} {} – {}", s.day(), s.month_name(), end.display())
    } else {
        format!("{}–{}", s.day(), end.display())
    }
}

/// Groups facts by label in order of first appearance. Two values for one
/// label make it disputed; one value from two sources lists both sources.
pub fn facts(facts: &[Fact]) -> Vec<FactView> {
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
