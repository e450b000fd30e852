//! The timeline: every event by year and month, in pages of whole years
//! when it is longer than `paginate_events`, each page with an index of
//! every year.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::OnceLock;

use serde::Serialize;
use tera::Context;

use super::{Cx, Key, Kind, Listing, parts};
use crate::hash::Combiner;
use crate::link::Site;
use crate::paths;
use crate::render::meta::Meta;
use crate::render::paginate::paginator_of;
use crate::render::views::EventRef;

/// `/timeline/`, `/timeline/page/<n>/`. Its pages are worked out once per build.
#[derive(Default)]
pub(crate) struct Timeline {
    pages: OnceLock<Vec<Range<usize>>>,
    /// Every year with its event count and page, hashed (every page shows them).
    index: OnceLock<u64>,
}

#[derive(Serialize)]
pub(crate) struct TimelineYear {
    pub year: i16,
    /// Events known only by their year, at the head of it.
    pub events: Vec<TimelineEntry>,
    pub months: Vec<TimelineMonth>,
}

/// An event in the timeline: under the larger event it is part of when
/// that is listed in the same month (`depth` 1 or more), or marked with it
/// (`part_of`) when it is not.
#[derive(Serialize)]
pub(crate) struct TimelineEntry {
    #[serde(flatten)]
    pub event: EventRef,
    /// 0 for an event listed at the top; 1 under its larger event; 2 under
    /// that one's sub-event…
    pub depth: usize,
    /// The larger event it is part of (`{title, url}`), or null. Shown when
    /// the event is not listed under it (`depth` 0).
    pub part_of: Option<crate::render::views::LinkView>,
    /// How many of its sub-events are listed under it.
    pub children: usize,
}

#[derive(Serialize)]
pub(crate) struct TimelineMonth {
    pub month: i8,
    /// Its name (`January`), standalone.
    pub name: String,
    /// A heading for it: `January 2022`.
    pub title: String,
    /// `2022-01`, an anchor for the month.
    pub id: String,
    pub events: Vec<TimelineEntry>,
}

/// A year of the timeline, for the index of years on every timeline page.
#[derive(Serialize)]
pub(crate) struct YearLink {
    pub year: i16,
    /// Events that year.
    pub count: usize,
    /// Its heading, on whichever timeline page holds it.
    pub url: String,
    /// Whether it is on this page.
    pub current: bool,
}

impl Timeline {
    /// The timeline's pages, as ranges of `site.timeline`.
    fn pages(&self, cx: &Cx<'_>) -> &[Range<usize>] {
        self.pages
            .get_or_init(|| pages(cx.site(), cx.config().paginate_events))
    }
}

impl Kind for Timeline {
    fn template(&self) -> Option<&'static str> {
        Some("timeline.html")
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        parts(self.pages(cx).len())
    }

    fn path(&self, _: &Cx<'_>, key: Key) -> String {
        paths::list_page(paths::TIMELINE, key.part + 1)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let site = cx.site();
        let pages = self.pages(cx);
        if let Some(range) = pages.get(key.part) {
            let events = &site.timeline[range.clone()];
            cx.versions.event_refs(h, events);
            // Nesting and "part of" marks follow each event's parent.
            for &i in events {
                let parent = site.events[i].parent;
                parent.hash(h);
                cx.versions.event_refs(h, parent.as_slice());
            }
        }
        let index = self.index.get_or_init(|| {
            let mut h = Combiner::default();
            for (page, range) in pages.iter().enumerate() {
                for &i in &site.timeline[range.clone()] {
                    (page, site.model.events[i].date.year()).hash(&mut h);
                }
            }
            h.finish()
        });
        index.hash(h);
    }

    fn context(&self, cx: &Cx<'_>, key: Key, ctx: &mut Context, meta: &mut Meta) {
        let (v, site, k) = (&cx.v, cx.site(), key.part);
        let pages = self.pages(cx);
        let range = pages.get(k).cloned().unwrap_or(0..0);
        let years = years(cx, &site.timeline[range.clone()]);
        let paginator = paginator_of(
            v,
            paths::TIMELINE,
            k,
            pages.len(),
            site.timeline.len(),
            range,
        );
        let mut index: Vec<YearLink> = Vec::new();
        for (page, r) in pages.iter().enumerate() {
            for &i in &site.timeline[r.clone()] {
                let year = site.model.events[i].date.year();
                match index.last_mut() {
                    Some(y) if y.year == year => y.count += 1,
                    _ => index.push(YearLink {
                        year,
                        count: 1,
                        url: format!(
                            "{}#y{year}",
                            v.url(&paths::list_page(paths::TIMELINE, page + 1))
                        ),
                        current: page == k,
                    }),
                }
            }
        }
        let span = match (years.first(), years.last()) {
            (Some(a), Some(b)) if paginator.total > 1 && a.year != b.year => {
                Some(format!("{}–{}", a.year, b.year))
            }
            (Some(a), _) if paginator.total > 1 => Some(a.year.to_string()),
            _ => None,
        };
        meta.title = match span {
            Some(years) => v.locale.text_with("timeline_years", &[("years", &years)]),
            None => v.locale.text("timeline").into(),
        };
        meta.section = "timeline";
        ctx.insert("years", &years);
        ctx.insert("paginator", &paginator);
        ctx.insert("year_index", &index);
    }

    fn sitemap(&self, cx: &Cx<'_>, _: Key) -> Listing {
        Listing::List(cx.newest())
    }
}

/// These events (in date order) by year and month. An event known only by
/// its year heads its year; one known only by its month heads its month
/// (date order puts them first).
fn years(cx: &Cx<'_>, events: &[usize]) -> Vec<TimelineYear> {
    // Events by year (those known only by their year), then by month, as
    // indices.
    type Months = Vec<(i8, Vec<usize>)>;
    let mut buckets: Vec<(i16, Vec<usize>, Months)> = Vec::new();
    for &i in events {
        let d = cx.site().model.events[i].date;
        if buckets.last().is_none_or(|y| y.0 != d.year()) {
            buckets.push((d.year(), Vec::new(), Vec::new()));
        }
        let Some((_, year_events, months)) = buckets.last_mut() else {
            continue;
        };
        let Some(m) = d.month() else {
            year_events.push(i);
            continue;
        };
        if months.last().is_none_or(|x| x.0 != m) {
            months.push((m, Vec::new()));
        }
        if let Some((_, list)) = months.last_mut() {
            list.push(i);
        }
    }
    buckets
        .into_iter()
        .map(|(year, year_events, months)| TimelineYear {
            year,
            events: nest(cx, &year_events),
            months: months
                .into_iter()
                .map(|(m, list)| {
                    let d = cx.site().model.events[list[0]].date;
                    TimelineMonth {
                        month: m,
                        name: cx.v.locale.month_name(d).to_string(),
                        title: cx.v.locale.month_heading(d),
                        id: format!("{:04}-{:02}", year, m),
                        events: nest(cx, &list),
                    }
                })
                .collect(),
        })
        .collect()
}

/// One month's events (in date order), each sub-event under the nearest
/// larger event listed in the same month, siblings in date order; an event
/// whose larger event is listed elsewhere is marked with it.
fn nest(cx: &Cx<'_>, list: &[usize]) -> Vec<TimelineEntry> {
    let site = cx.site();
    let position = |e: usize| list.iter().position(|&x| x == e);
    // The nearest ancestor listed here (`part_of` chains are trees; the
    // walk is bounded all the same).
    let holder = |e: usize| {
        let mut cur = site.events[e].parent;
        for _ in 0..64 {
            let p = cur?;
            if let Some(k) = position(p) {
                return Some(k);
            }
            cur = site.events[p].parent;
        }
        None
    };
    let holders: Vec<Option<usize>> = list.iter().map(|&e| holder(e)).collect();
    let mut out = Vec::with_capacity(list.len());
    fn walk(
        cx: &Cx<'_>,
        list: &[usize],
        holders: &[Option<usize>],
        at: Option<usize>,
        depth: usize,
        out: &mut Vec<TimelineEntry>,
    ) {
        for k in (0..list.len()).filter(|&k| holders[k] == at) {
            let e = list[k];
            let children = holders.iter().filter(|&&h| h == Some(k)).count();
            let part_of = cx.site().events[e].parent.map(|p| {
                let parent = &cx.site().model.events[p];
                crate::render::views::LinkView {
                    title: parent.title.clone(),
                    url: cx.v.url(&paths::event(&parent.id)),
                }
            });
            out.push(TimelineEntry {
                event: cx.v.event_ref(e, None),
                depth,
                part_of,
                children,
            });
            if depth < 16 {
                walk(cx, list, holders, Some(k), depth + 1, out);
            }
        }
    }
    walk(cx, list, &holders, None, 0, &mut out);
    out
}

/// The timeline's pages, as ranges of `site.timeline`: whole years, packed
/// in order while a page has at most `per` events (a larger year gets a page
/// of its own). `per` = 0: one page. Always at least one page.
fn pages(site: &Site, per: usize) -> Vec<Range<usize>> {
    let events = &site.model.events;
    let t = &site.timeline;
    if per == 0 || t.len() <= per {
        return std::iter::once(0..t.len()).collect();
    }
    let mut pages: Vec<Range<usize>> = Vec::new();
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
