//! Pagination: which items of a list are on which of its pages, and the
//! `paginator` templates receive. Page sizes come from `site.toml`
//! (`paginate`, `paginate_events`); 0 puts a whole list on one page.

use serde::Serialize;

use super::views::Views;
use crate::paths;

/// Pages of a list of `n` with `per` a page (0: one page); at least one.
pub(crate) fn page_count(per: usize, n: usize) -> usize {
    match per {
        0 => 1,
        per => n.div_ceil(per).max(1),
    }
}

/// The items on page `k` (from 0) of a list of `n`, `per` a page.
pub(crate) fn page_range(per: usize, k: usize, n: usize) -> std::ops::Range<usize> {
    match per {
        0 => 0..n,
        per => (k * per).min(n)..((k + 1) * per).min(n),
    }
}

/// `paginator` on analyses.html, tag.html, events.html and timeline.html.
#[derive(Serialize)]
pub(crate) struct Paginator {
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
pub(crate) struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Stands for the pages left out between its neighbours (shown as …).
    pub gap: bool,
}

/// Page `k` (from 0) of the list at `list` with `n` items, `per` a page.
pub(crate) fn paginator(v: &Views<'_>, list: &str, k: usize, n: usize, per: usize) -> Paginator {
    paginator_of(v, list, k, page_count(per, n), n, page_range(per, k, n))
}

/// Page `k` (from 0) of `total` pages of a list of `n` items, this page
/// holding the items in `range` (for lists whose pages are not all the
/// same size, like the timeline's years).
pub(crate) fn paginator_of(
    v: &Views<'_>,
    list: &str,
    k: usize,
    total: usize,
    n: usize,
    range: std::ops::Range<usize>,
) -> Paginator {
    let url = |number: usize| v.url(&paths::list_page(list, number));
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
