//! Page kinds: every kind of page or file the site has, each in one place.
//!
//! A kind ([`Kind`]) owns, side by side, which pages of it exist
//! ([`Kind::keys`]), the path of each ([`Kind::path`]), what a page is made
//! from ([`Kind::signature`], so that `serve` renders it again only when
//! that changed), and the page itself: a template's variables
//! ([`Kind::context`]) or, for files dossier writes itself, its bytes
//! ([`Kind::bytes`]). A new kind is a new file here and one line in
//! [`kinds`].

mod actors;
mod analyses;
mod authors;
mod corrections;
mod data;
mod events;
mod feeds;
mod home;
mod not_found;
mod redirects;
mod robots;
mod search;
mod sitemap;
mod sources;
mod tags;
mod timeline;

use std::hash::Hash;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use tera::Context;

use super::meta::Meta;
use super::versions::Versions;
use super::views::{LinkView, Views};
use crate::config::Config;
use crate::hash::Combiner;
use crate::link::Site;
use crate::model::Date;
use crate::paths;
pub(crate) use crate::render::views::Alternate;
pub(crate) use data::DataCache;
pub(crate) use search::SearchCache;

/// Every kind of page, in the order pages are listed (and the sitemap
/// lists them).
pub(crate) fn kinds() -> Vec<Box<dyn Kind>> {
    vec![
        Box::new(home::Home),
        Box::new(actors::ActorList),
        Box::new(tags::TagList),
        Box::new(not_found::NotFound),
        Box::new(robots::Robots),
        Box::new(feeds::SiteFeed),
        Box::new(sitemap::Sitemap::default()),
        Box::new(search::SearchPage),
        Box::new(search::SearchManifest),
        Box::new(search::SearchWords),
        Box::new(search::SearchDocs),
        Box::new(analyses::AnalysisPage),
        Box::new(actors::ActorPage),
        Box::new(feeds::ActorFeed),
        Box::new(events::EventPage),
        Box::new(analyses::AnalysisList),
        Box::new(events::EventList),
        Box::new(timeline::Timeline::default()),
        Box::new(tags::TagPage),
        Box::new(feeds::TagFeed),
        Box::new(sources::SourceList),
        Box::new(sources::SourcePage),
        Box::new(authors::AuthorList),
        Box::new(authors::AuthorPage),
        Box::new(feeds::AuthorFeed),
        Box::new(corrections::CorrectionList),
        Box::new(corrections::CorrectionFeed),
        Box::new(data::DataPage),
        Box::new(data::DataFile),
        Box::new(redirects::Redirect),
    ]
}

/// Which page of a kind: an entity (by index) and a page of a list (from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Key {
    pub item: usize,
    pub part: usize,
}

impl Key {
    /// The one page of a kind that has one.
    pub(crate) const ONE: Key = Key { item: 0, part: 0 };

    /// The page of entity `item`.
    pub(crate) fn item(item: usize) -> Key {
        Key { item, part: 0 }
    }

    /// Page `part` (from 0) of a list.
    pub(crate) fn part(part: usize) -> Key {
        Key { item: 0, part }
    }
}

/// Whether the sitemap lists a page, and with which `lastmod`.
pub(crate) enum Listing {
    Omit,
    List(Option<Date>),
}

/// One kind of page.
pub(crate) trait Kind: Send + Sync {
    /// The template its pages are rendered with; None for files dossier
    /// writes itself (feeds, the sitemap, the search index), which stay
    /// valid whatever a theme does.
    fn template(&self) -> Option<&'static str>;

    /// Every page of this kind, in a fixed order.
    fn keys(&self, cx: &Cx<'_>) -> Vec<Key>;

    /// The site path of a page: `actors/x/` (a folder with an
    /// `index.html`) or `feed.xml` (a file).
    fn path(&self, cx: &Cx<'_>, key: Key) -> String;

    /// Hashes everything the page shows beyond `site.toml`, its template
    /// and its path, from the versions of what it is made of. It must read
    /// what [`Kind::context`] or [`Kind::bytes`] reads: the random-edit test
    /// (`tests/it/incremental.rs`) compares incremental and full builds.
    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner);

    /// A template's variables (`meta` comes filled with what every page has).
    fn context(&self, _cx: &Cx<'_>, _key: Key, _ctx: &mut Context, _meta: &mut Meta) {}

    /// The bytes of a file without a template.
    fn bytes(&self, _cx: &Cx<'_>, _key: Key, _path: &str) -> Vec<u8> {
        Vec::new()
    }

    /// Whether the sitemap lists the page.
    fn sitemap(&self, _cx: &Cx<'_>, _key: Key) -> Listing {
        Listing::Omit
    }

    /// Whether its pages belong to the whole site rather than to each
    /// language's edition (the sitemap, robots.txt, the 404 page, the open
    /// data): rendered once, in the default language.
    fn shared(&self) -> bool {
        false
    }
}

/// One page of the site: its kind, which one, and its site path.
pub(crate) struct Page<'k> {
    pub kind: &'k dyn Kind,
    /// The kind's position in [`kinds`].
    pub kind_no: usize,
    pub key: Key,
    pub path: String,
}

/// What every kind reads: the views of the linked site, the versions of
/// everything pages are made from, and the site's list of pages.
pub(crate) struct Cx<'a> {
    pub v: Views<'a>,
    pub versions: Versions<'a>,
    newest: OnceLock<Option<Date>>,
    /// Each analysis's [`Analysis::modified`](crate::model::Analysis::modified),
    /// in model order: the sitemap asks for it once per mention (1.5
    /// million times at N = 100,000, each a read of an analysis scattered
    /// in memory, 150 ms of CPU in every rebuild).
    modified: OnceLock<Vec<Date>>,
    pages: OnceLock<Vec<Page<'a>>>,
    /// Whether this edition renders the pages the whole site shares.
    shared: bool,
    /// Every edition's pages.
    world: OnceLock<Arc<World>>,
    /// This edition's search index, once a page asked for it.
    search: OnceLock<Arc<search::Index>>,
    /// Where the search index of the last build is kept for the next.
    search_cache: Option<&'a SearchCache>,
    /// Where the open data's parts of the last build are kept for the next.
    data_cache: Option<&'a DataCache>,
}

impl<'a> Cx<'a> {
    pub(crate) fn new(v: Views<'a>, versions: Versions<'a>) -> Self {
        Cx {
            v,
            versions,
            newest: OnceLock::new(),
            modified: OnceLock::new(),
            pages: OnceLock::new(),
            shared: true,
            world: OnceLock::new(),
            search: OnceLock::new(),
            search_cache: None,
            data_cache: None,
        }
    }

    /// Updates the search index the last build left in `cache`, rather
    /// than building it anew.
    pub(crate) fn search_cache(mut self, cache: &'a SearchCache) -> Self {
        self.search_cache = Some(cache);
        self
    }

    /// Reuses the open data's parts that the last build left in `cache`.
    pub(crate) fn data_cache(mut self, cache: &'a DataCache) -> Self {
        self.data_cache = Some(cache);
        self
    }

    /// Whether this edition renders the pages the whole site shares (the
    /// default language's does; the others do not).
    pub(crate) fn shared(mut self, shared: bool) -> Self {
        self.shared = shared;
        self
    }

    pub(crate) fn set_world(&self, world: Arc<World>) {
        let _ = self.world.set(world);
    }

    /// Every edition's pages: this one's alone until the render stage has
    /// listed them all.
    pub(crate) fn world(&self) -> Option<&World> {
        self.world.get().map(|w| &**w)
    }

    pub(crate) fn config(&self) -> &'a Config {
        self.v.config
    }

    pub(crate) fn site(&self) -> &'a Site {
        self.v.site
    }

    /// Lists every page of every kind, once per build.
    pub(crate) fn list(&self, kinds: &'a [Box<dyn Kind>]) -> &[Page<'a>] {
        self.pages.get_or_init(|| {
            // In parallel: at N = 10,000 there are 32,000 paths to make,
            // and `serve` makes them again for every edit.
            let per_kind: Vec<Vec<Page<'a>>> = kinds
                .par_iter()
                .enumerate()
                .filter(|(_, k)| self.shared || !k.shared())
                .map(|(kind_no, kind)| {
                    kind.keys(self)
                        .into_par_iter()
                        .map(|key| Page {
                            kind: kind.as_ref(),
                            kind_no,
                            key,
                            path: kind.path(self, key),
                        })
                        .collect()
                })
                .collect();
            per_kind.into_iter().flatten().collect()
        })
    }

    /// Every page of the site (after [`Cx::list`]).
    pub(crate) fn pages(&self) -> &[Page<'a>] {
        self.pages.get().map_or(&[], Vec::as_slice)
    }

    /// The newest date the site's content carries: an analysis's `date`
    /// or `updated`, a fact's `as_of`, an event's dates. Lists show
    /// everything, so this is their `lastmod`.
    pub(crate) fn newest(&self) -> Option<Date> {
        *self.newest.get_or_init(|| {
            let m = &self.site().model;
            let analyses = (0..m.analyses.len()).map(|i| self.modified(i));
            let facts = m
                .actors
                .iter()
                .flat_map(|a| &a.facts)
                .chain(m.events.iter().flat_map(|e| &e.facts))
                .filter_map(|f| f.as_of);
            let events = m
                .events
                .iter()
                .map(|e| e.end.map_or(e.date, |x| x.max(e.date)));
            analyses.chain(facts).chain(events).max()
        })
    }

    /// When analysis `i` last changed: its date, `updated` or latest
    /// correction.
    pub(crate) fn modified(&self, i: usize) -> Date {
        self.modified.get_or_init(|| {
            self.site()
                .model
                .analyses
                .iter()
                .map(|a| a.modified())
                .collect()
        })[i]
    }

    /// The newest of the analyses `list` names (None for none).
    pub(crate) fn newest_of(&self, list: &[usize]) -> Option<Date> {
        list.iter().map(|&i| self.modified(i)).max()
    }

    /// What every page's `meta` starts from: its URLs, and the site's feed.
    pub(crate) fn meta(&self, path: &str) -> Meta {
        Meta {
            url: self.v.url(path),
            permalink: self.v.permalink(path),
            kind: "website",
            feeds: vec![LinkView {
                title: self.config().title.clone(),
                url: self.v.url(paths::FEED),
            }],
            ..Meta::default()
        }
    }
}

/// The pages of every edition of the site, by language.
pub(crate) struct World {
    editions: Vec<EditionPages>,
}

struct EditionPages {
    /// `ru`
    lang: String,
    /// `Русский`: its own name, for a language switcher.
    name: String,
    /// The absolute URL of its home page.
    home: String,
    /// Root-relative URL of its home page.
    home_path: String,
    /// Its pages' site paths, and those the sitemap lists with their date.
    pages: rustc_hash::FxHashSet<String>,
    sitemap: Vec<(String, Option<Date>)>,
    /// How many analyses it has.
    analyses: usize,
}

impl World {
    /// Lists each edition's pages (`cx` with its output prefix); the first
    /// is the default language's.
    pub(crate) fn new<'a>(editions: &[(&Cx<'a>, &str)], kinds: &'a [Box<dyn Kind>]) -> World {
        // A one-language site has no alternates to look pages up for.
        let several = editions.len() > 1;
        World {
            editions: editions
                .iter()
                .map(|(cx, _)| {
                    let pages = cx.list(kinds);
                    let sitemap = pages
                        .par_iter()
                        .filter_map(|p| match p.kind.sitemap(cx, p.key) {
                            Listing::List(lastmod) => Some((p.path.clone(), lastmod)),
                            Listing::Omit => None,
                        })
                        .collect();
                    EditionPages {
                        lang: cx.config().language.clone(),
                        name: cx.v.locale.name().to_string(),
                        home: cx.v.permalink(""),
                        home_path: cx.v.url(""),
                        pages: match several {
                            true => pages.iter().map(|p| p.path.clone()).collect(),
                            false => Default::default(),
                        },
                        sitemap,
                        analyses: cx.site().model.analyses.len(),
                    }
                })
                .collect(),
        }
    }

    /// The languages page `path` exists in, when the site has more than
    /// one (a one-language site's pages carry no alternates).
    pub(crate) fn alternates(&self, path: &str, current: &str) -> Vec<Alternate> {
        if self.editions.len() < 2 {
            return Vec::new();
        }
        self.editions
            .iter()
            .enumerate()
            .filter(|(_, e)| e.pages.contains(path))
            .map(|(k, e)| Alternate {
                lang: e.lang.clone(),
                name: e.name.clone(),
                url: format!("{}{path}", e.home_path),
                permalink: format!("{}{path}", e.home),
                current: e.lang == current,
                default: k == 0,
                translated: true,
            })
            .collect()
    }

    /// Every language of the site, each with page `path` in it or, where
    /// the page is not translated, its home page: for a language switcher.
    pub(crate) fn switcher(&self, path: &str, current: &str) -> Vec<Alternate> {
        if self.editions.len() < 2 {
            return Vec::new();
        }
        self.editions
            .iter()
            .enumerate()
            .map(|(k, e)| {
                let translated = e.pages.contains(path);
                let path = if translated { path } else { "" };
                Alternate {
                    lang: e.lang.clone(),
                    name: e.name.clone(),
                    url: format!("{}{path}", e.home_path),
                    permalink: format!("{}{path}", e.home),
                    current: e.lang == current,
                    default: k == 0,
                    translated,
                }
            })
            .collect()
    }

    /// In another language than the default: how many analyses the
    /// default language has that `current` does not, when there are any,
    /// and the default language's home page.
    pub(crate) fn untranslated(&self, current: &str) -> Option<(usize, Alternate)> {
        let default = self.editions.first()?;
        let here = self.editions.iter().find(|e| e.lang == current)?;
        let n = default.analyses.saturating_sub(here.analyses);
        (n > 0 && here.lang != default.lang).then(|| {
            let mut home = self.languages(current).swap_remove(0);
            home.translated = false;
            (n, home)
        })
    }

    /// Every language's home page, for a list of the site's languages.
    pub(crate) fn languages(&self, current: &str) -> Vec<Alternate> {
        if self.editions.len() < 2 {
            return Vec::new();
        }
        self.editions
            .iter()
            .enumerate()
            .map(|(k, e)| Alternate {
                lang: e.lang.clone(),
                name: e.name.clone(),
                url: e.home_path.clone(),
                permalink: e.home.clone(),
                current: e.lang == current,
                default: k == 0,
                translated: true,
            })
            .collect()
    }

    /// Hashes what [`World::sitemap`] lists without making its URLs (at
    /// N = 100,000, making 326,000 URLs to hash them took 45 ms of every
    /// rebuild).
    pub(crate) fn hash_sitemap(&self, h: &mut Combiner) {
        for e in &self.editions {
            e.home.hash(h);
            for (path, lastmod) in &e.sitemap {
                (path, lastmod, self.alternates(path, &e.lang)).hash(h);
            }
        }
    }

    /// The sitemap's entries: every listed page of every edition, with its
    /// date, absolute URL, and its versions in the other languages.
    pub(crate) fn sitemap(&self) -> Vec<(String, Option<Date>, Vec<Alternate>)> {
        let mut out = Vec::new();
        for e in &self.editions {
            for (path, lastmod) in &e.sitemap {
                out.push((
                    format!("{}{path}", e.home),
                    *lastmod,
                    self.alternates(path, &e.lang),
                ));
            }
        }
        out
    }
}

/// Keys `0..n` of a kind with one page per entity.
fn items(n: usize) -> Vec<Key> {
    (0..n).map(Key::item).collect()
}

/// Keys of a list's `pages` pages.
fn parts(pages: usize) -> Vec<Key> {
    (0..pages).map(Key::part).collect()
}
