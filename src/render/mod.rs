//! Render: the linked site → pages (output path + bytes), through Tera and
//! view structs, in parallel. Template errors become diagnostics naming the
//! template, line and column.

mod deps;
mod feeds;
mod meta;
mod search;
pub mod views;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, SourceId, Sources, Span};
use crate::link::Site;
use crate::paths;
use crate::theme::Theme;
use meta::{Meta, MetaImage};
use views::{LinkView, Views};

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output directory, with `/`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Compiled templates, with the sources they came from.
pub struct Templates {
    tera: Tera,
    sources: HashMap<String, SourceId>,
}

/// The templates every site needs; the built-in theme has them all.
const PAGE_TEMPLATES: [&str; 13] = [
    "index.html",
    "analyses.html",
    "analysis.html",
    "actors.html",
    "actor.html",
    "events.html",
    "event.html",
    "timeline.html",
    "tags.html",
    "tag.html",
    "404.html",
    "robots.txt",
    "search.html",
];

/// Compiles the theme's templates. A template with a syntax error is reported
/// and left out, and the others compiled again, so every broken template is
/// reported in one run.
pub fn compile(theme: &Theme, sources: &Sources, diags: &mut Diagnostics) -> Option<Templates> {
    let names: HashMap<String, SourceId> = theme
        .templates
        .iter()
        .map(|(n, id)| (n.clone(), *id))
        .collect();
    let mut pending: BTreeMap<&str, &str> = theme
        .templates
        .iter()
        .map(|(n, id)| (n.as_str(), sources.text(*id)))
        .collect();
    let mut broken: Vec<String> = Vec::new();
    let before = diags.error_count();
    loop {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        match tera.add_raw_templates(pending.iter().map(|(n, t)| (*n, *t))) {
            Ok(()) => {
                if diags.error_count() > before {
                    return None;
                }
                return Some(Templates {
                    tera,
                    sources: names,
                });
            }
            Err(e) => {
                match culprit(&e) {
                    Some(name) if pending.contains_key(name.as_str()) => {
                        // Errors caused only by an already-broken parent are noise.
                        if !is_cascade(&e, &broken) {
                            diags.push(template_error(&e, &names, sources));
                        }
                        pending.remove(name.as_str());
                        broken.push(name);
                    }
                    _ => {
                        diags.push(template_error(&e, &names, sources));
                        return None;
                    }
                }
            }
        }
    }
}

/// The template an error is about.
fn culprit(e: &tera::Error) -> Option<String> {
    use tera::ErrorKind as K;
    match e.kind() {
        K::SyntaxError(r) | K::RenderingError(r) => Some(r.filename().to_string()),
        K::CircularExtend { tpl, .. } | K::CircularInclude { tpl, .. } => Some(tpl.clone()),
        K::MissingParent { current, .. } => Some(current.clone()),
        _ => None,
    }
}

fn is_cascade(e: &tera::Error, broken: &[String]) -> bool {
    matches!(e.kind(), tera::ErrorKind::MissingParent { parent, .. } if broken.contains(parent))
}

/// A Tera error as a diagnostic at the template's line and column.
fn template_error(
    e: &tera::Error,
    names: &HashMap<String, SourceId>,
    sources: &Sources,
) -> Diagnostic {
    use tera::ErrorKind as K;
    let at = |name: &str| names.get(name).map(|&id| Span::file(id));
    match e.kind() {
        K::SyntaxError(r) | K::RenderingError(r) => {
            let kind = if matches!(e.kind(), K::SyntaxError(_)) {
                "syntax error"
            } else {
                "error"
            };
            let mut d = Diagnostic::error(format!(
                "template {kind} in `{}`: {}",
                r.filename(),
                r.message()
            ));
            if let Some(&id) = names.get(r.filename()) {
                let len = sources.text(id).len();
                let range = r.span().range.start.min(len)..r.span().range.end.min(len);
                d = d.at(Span::new(id, range));
            }
            d
        }
        K::MissingParent { current, parent } => {
            let d = Diagnostic::error(format!(
                "template `{current}` extends `{parent}`, which does not exist"
            ))
            .hint("check the name in `{% extends %}`");
            match at(current) {
                Some(s) => d.at(s),
                None => d,
            }
        }
        K::TemplateNotFound(name) => Diagnostic::error(format!("template `{name}` not found"))
            .hint("templates live in themes/<theme>/templates/"),
        _ => Diagnostic::error(format!("template error: {e}")),
    }
}

/// What each page is.
#[derive(Debug, Clone, Copy)]
enum Page<'a> {
    Index,
    /// Page `k` (from 0) of the list of analyses.
    Analyses(usize),
    Analysis(usize),
    Actors,
    Actor(usize),
    /// Page `k` (from 0) of the list of events.
    Events(usize),
    Event(usize),
    /// Page `k` (from 0) of the timeline: whole years.
    Timeline(usize),
    Tags,
    /// Page `k` (from 0) of a tag's analyses.
    Tag(&'a str, usize),
    NotFound,
    /// `robots.txt`, from a template so a site can replace it.
    Robots,
    /// The site's Atom feed of analyses.
    Feed,
    /// Analyses that concern or mention an actor.
    ActorFeed(usize),
    TagFeed(&'a str),
    Sitemap,
    /// The search page, from a template.
    Search,
    /// The search index's manifest (`search.rs`).
    SearchIndex,
    /// Chunk `c` of the search index's documents.
    SearchChunk(usize),
}

impl Page<'_> {
    /// The template a page is rendered with; feeds and the sitemap are
    /// written in Rust (`feeds.rs`), valid whatever the theme.
    fn template(self) -> Option<&'static str> {
        Some(match self {
            Page::Index => "index.html",
            Page::Analyses(_) => "analyses.html",
            Page::Analysis(_) => "analysis.html",
            Page::Actors => "actors.html",
            Page::Actor(_) => "actor.html",
            Page::Events(_) => "events.html",
            Page::Event(_) => "event.html",
            Page::Timeline(_) => "timeline.html",
            Page::Tags => "tags.html",
            Page::Tag(..) => "tag.html",
            Page::NotFound => "404.html",
            Page::Robots => "robots.txt",
            Page::Search => "search.html",
            Page::Feed
            | Page::ActorFeed(_)
            | Page::TagFeed(_)
            | Page::Sitemap
            | Page::SearchIndex
            | Page::SearchChunk(_) => return None,
        })
    }

    /// Whether the page belongs in the sitemap: HTML pages readers land on.
    fn in_sitemap(self) -> bool {
        self.template().is_some_and(|t| t.ends_with(".html"))
            && !matches!(self, Page::NotFound | Page::Search)
    }
}

/// Where rendered pages go: a staging folder for `build`, memory for
/// `serve`, nowhere for `check`. Pages are handed over as soon as they are
/// rendered, so a large site is never held in memory at once.
pub trait PageSink: Sync {
    fn put(&self, file: OutputFile) -> std::io::Result<()>;

    /// The build succeeded: the pages put since the last commit are the new
    /// ones, and `removed` pages no longer exist.
    fn commit(&self, _removed: &[String]) {}

    /// The build failed: forget the pages put since the last commit.
    fn rollback(&self) {}
}

/// Signatures of the pages of the last good build, by output file. A sink
/// used with a warm cache must keep the pages it was given before
/// (`serve`'s memory does); a fresh cache renders every page.
#[derive(Debug, Default)]
pub struct RenderCache {
    signatures: HashMap<String, u64>,
}

/// How much rendering a build did.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderStats {
    /// Pages in the site.
    pub pages: usize,
    /// Pages rendered by this build (the others were unchanged).
    pub rendered: usize,
}

/// Discards pages (`dossier check`).
pub struct Discard;

impl PageSink for Discard {
    fn put(&self, _: OutputFile) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every page of the site, in a fixed order.
fn pages<'s>(config: &Config, site: &'s Site) -> Vec<Page<'s>> {
    let config_pages = |n: usize| crate::config::page_count(config.paginate, n);
    let mut pages: Vec<Page<'_>> = vec![
        Page::Index,
        Page::Actors,
        Page::Tags,
        Page::NotFound,
        Page::Robots,
        Page::Feed,
        Page::Sitemap,
    ];
    if config.search != crate::config::Search::Off {
        pages.extend([Page::Search, Page::SearchIndex]);
        pages.extend((0..search::chunk_count(site)).map(Page::SearchChunk));
    }
    pages.extend((0..site.model.analyses.len()).map(Page::Analysis));
    pages.extend((0..site.model.actors.len()).map(Page::Actor));
    pages.extend((0..site.model.actors.len()).map(Page::ActorFeed));
    pages.extend((0..site.model.events.len()).map(Page::Event));
    pages.extend((0..config_pages(site.model.analyses.len())).map(Page::Analyses));
    let event_pages = crate::config::page_count(config.paginate_events, site.timeline.len());
    pages.extend((0..event_pages).map(Page::Events));
    let timeline_pages = views::timeline_pages(site, config.paginate_events).len();
    pages.extend((0..timeline_pages).map(Page::Timeline));
    for (slug, tag) in &site.tags {
        pages.extend((0..config_pages(tag.analyses.len())).map(|k| Page::Tag(slug.as_str(), k)));
    }
    pages.extend(site.tags.keys().map(|s| Page::TagFeed(s.as_str())));
    pages
}

/// The output file of every page, before anything is rendered.
pub fn page_files(config: &Config, site: &Site) -> Vec<String> {
    pages(config, site)
        .into_iter()
        .map(|p| page_file(site, p))
        .collect()
}

/// The output file of a page, built in one allocation.
fn page_file(site: &Site, page: Page<'_>) -> String {
    let (dir, name) = match page {
        Page::Analysis(i) => ("analyses/", site.model.analyses[i].slug.as_str()),
        Page::Actor(i) => ("actors/", site.model.actors[i].id.as_str()),
        Page::Event(i) => ("events/", site.model.events[i].id.as_str()),
        Page::Tag(slug, 0) => ("tags/", slug),
        Page::ActorFeed(i) => {
            return format!("actors/{}/{}", site.model.actors[i].id, paths::FEED);
        }
        Page::TagFeed(slug) => return format!("tags/{slug}/{}", paths::FEED),
        Page::NotFound => return paths::NOT_FOUND.into(),
        Page::Robots => return paths::ROBOTS.into(),
        Page::Feed => return paths::FEED.into(),
        Page::Sitemap => return paths::SITEMAP.into(),
        Page::SearchIndex => return paths::SEARCH_INDEX.into(),
        Page::SearchChunk(c) => return paths::search_chunk(c),
        other => return paths::output_file(&page_path(site, other)),
    };
    let mut file = String::with_capacity(dir.len() + name.len() + 11);
    file.push_str(dir);
    file.push_str(name);
    file.push_str("/index.html");
    file
}

fn page_path(site: &Site, page: Page<'_>) -> String {
    match page {
        Page::Index => String::new(),
        Page::Analyses(k) => paths::list_page(paths::ANALYSES, k + 1),
        Page::Analysis(i) => paths::analysis(&site.model.analyses[i].slug),
        Page::Actors => paths::ACTORS.into(),
        Page::Actor(i) => paths::actor(&site.model.actors[i].id),
        Page::Events(k) => paths::list_page(paths::EVENTS, k + 1),
        Page::Event(i) => paths::event(&site.model.events[i].id),
        Page::Timeline(k) => paths::list_page(paths::TIMELINE, k + 1),
        Page::Tags => paths::TAGS.into(),
        Page::Tag(slug, k) => paths::list_page(&paths::tag(slug), k + 1),
        Page::NotFound => paths::NOT_FOUND.into(),
        Page::Robots => paths::ROBOTS.into(),
        Page::Feed => paths::FEED.into(),
        Page::Sitemap => paths::SITEMAP.into(),
        Page::Search => paths::SEARCH.into(),
        Page::SearchIndex => paths::SEARCH_INDEX.into(),
        Page::SearchChunk(c) => paths::search_chunk(c),
        Page::ActorFeed(i) => format!("{}{}", paths::actor(&site.model.actors[i].id), paths::FEED),
        Page::TagFeed(slug) => format!("{}{}", paths::tag(slug), paths::FEED),
    }
}

/// Renders every page into `sink`, in parallel, and returns how many were
/// rendered. Template errors are collected per template and position, so a
/// mistake in a template used by 5,000 pages is reported once. An I/O error
/// from the sink is returned as Err.
#[expect(
    clippy::too_many_arguments,
    reason = "each stage input is distinct; bundling them would hide what render reads"
)]
pub fn render(
    config: &Config,
    theme: &Theme,
    templates: &Templates,
    site: &Site,
    sources: &Sources,
    sink: &dyn PageSink,
    cache: &RenderCache,
    diags: &mut Diagnostics,
) -> Result<Rendered, String> {
    for name in PAGE_TEMPLATES {
        if !templates.tera.get_template_names().any(|n| n == name) {
            diags.push(Diagnostic::error(format!(
                "the theme has no `{name}` template"
            )));
        }
    }
    let views = Views::new(config, site);
    let mut tera_site = Context::new();
    tera_site.insert("site", &views.site());

    enum Failed {
        Template(String, tera::Error),
        Io(String),
    }
    let versions = deps::Versions::new(config, theme, sources, site);
    let pages = pages(config, site);
    // The sitemap lists every page with its date: its signature is that
    // list (cheaper to hash than to write as XML at every rebuild).
    let sitemap_entries = sitemap_entries(&views, &pages);
    let sitemap_signature = deps::hash_data(&(
        &config.base_url.origin,
        &config.base_url.path,
        &sitemap_entries,
    ));
    // Per page: its file, its signature, and whether it was rendered now.
    let results: Vec<Result<(String, u64, bool), Failed>> = pages
        .par_iter()
        .map(|&page| {
            let file = page_file(site, page);
            let signature = match page {
                Page::Sitemap => sitemap_signature,
                _ => versions.signature(site, page, &file),
            };
            if cache.signatures.get(&file) == Some(&signature) {
                return Ok((file, signature, false));
            }
            let bytes = match page.template() {
                Some(template) => {
                    // The page's URL path: its file without `index.html`.
                    let path = file.strip_suffix("index.html").unwrap_or(&file);
                    let ctx = context(&views, page, path, &tera_site);
                    // Most pages are 10–40 KB: one allocation instead of a dozen regrowths.
                    let mut html = Vec::with_capacity(32 * 1024);
                    templates
                        .tera
                        .render_to(template, &ctx, &mut html)
                        .map_err(|e| Failed::Template(path.to_string(), e))?;
                    html
                }
                None => generated(&views, page, &file, &sitemap_entries),
            };
            sink.put(OutputFile {
                path: file.clone(),
                bytes,
            })
            .map_err(|e| Failed::Io(format!("cannot write {file}: {e}")))?;
            Ok((file, signature, true))
        })
        .collect();

    // (diagnostic, first page, how many pages) per distinct error.
    let mut errors: Vec<(Diagnostic, String, usize)> = Vec::new();
    let mut seen: HashMap<(Option<Span>, String), usize> = HashMap::default();
    let mut signatures = HashMap::with_capacity_and_hasher(pages.len(), Default::default());
    let mut rendered = 0;
    for r in results {
        match r {
            Ok((file, signature, now)) => {
                rendered += usize::from(now);
                signatures.insert(file, signature);
            }
            Err(Failed::Io(e)) => return Err(e),
            Err(Failed::Template(path, e)) => {
                let d = template_error(&e, &templates.sources, sources);
                match seen.get(&(d.span.clone(), d.message.clone())) {
                    Some(&i) => errors[i].2 += 1,
                    None => {
                        seen.insert((d.span.clone(), d.message.clone()), errors.len());
                        errors.push((d, path, 1));
                    }
                }
            }
        }
    }
    for (d, path, count) in errors {
        let url = config.base_url.relative(&path);
        let note = match count {
            1 => format!("while rendering {url}"),
            n => format!("while rendering {url} and {} other pages", n - 1),
        };
        diags.push(d.hint(note));
    }
    let removed = cache
        .signatures
        .keys()
        .filter(|f| !signatures.contains_key(*f))
        .cloned()
        .collect();
    Ok(Rendered {
        stats: RenderStats {
            pages: pages.len(),
            rendered,
        },
        signatures,
        removed,
    })
}

/// A page written in Rust rather than from a template.
fn generated(
    v: &Views<'_>,
    page: Page<'_>,
    file: &str,
    sitemap: &[(String, Option<crate::model::Date>)],
) -> Vec<u8> {
    let site = v.site;
    let all: Vec<usize>;
    let spec = match page {
        Page::Feed => {
            all = (0..site.model.analyses.len()).collect();
            feeds::FeedSpec {
                title: v.config.title.clone(),
                subtitle: v.config.description.as_deref(),
                page: String::new(),
                file,
                entries: &all,
                empty_updated: None,
            }
        }
        Page::ActorFeed(i) => {
            let a = &site.model.actors[i];
            feeds::FeedSpec {
                title: format!("{} · {}", a.name, v.config.title),
                subtitle: None,
                page: paths::actor(&a.id),
                file,
                entries: &site.actors[i].analyses,
                empty_updated: feeds::lastmod(v, Page::Actor(i)),
            }
        }
        Page::TagFeed(slug) => feeds::FeedSpec {
            title: format!("{} · {}", site.tags[slug].name, v.config.title),
            subtitle: None,
            page: paths::tag(slug),
            file,
            entries: &site.tags[slug].analyses,
            empty_updated: None,
        },
        Page::SearchIndex => return search::manifest(v),
        Page::SearchChunk(c) => return search::chunk(v, c),
        _ => return feeds::sitemap(v, sitemap),
    };
    feeds::atom(v, &spec)
}

/// Every page the sitemap lists, with its `lastmod`.
fn sitemap_entries(v: &Views<'_>, pages: &[Page<'_>]) -> Vec<(String, Option<crate::model::Date>)> {
    let mut entries: Vec<(String, Option<crate::model::Date>)> = pages
        .iter()
        .filter(|p| p.in_sitemap())
        .map(|&p| (page_path(v.site, p), feeds::lastmod(v, p)))
        .collect();
    // List pages show everything: their date is the site's newest.
    let newest = entries.iter().filter_map(|(_, d)| *d).max();
    for ((_, date), page) in entries
        .iter_mut()
        .zip(pages.iter().filter(|p| p.in_sitemap()))
    {
        if matches!(
            page,
            Page::Index
                | Page::Analyses(_)
                | Page::Actors
                | Page::Events(_)
                | Page::Timeline(_)
                | Page::Tags
        ) {
            *date = newest;
        }
    }
    entries
}

/// What a render did, to be recorded in the cache once the build succeeds.
#[derive(Debug, Default)]
pub struct Rendered {
    pub stats: RenderStats,
    /// Every page's signature.
    signatures: HashMap<String, u64>,
    /// Pages of the last build that no longer exist.
    pub removed: Vec<String>,
}

impl RenderCache {
    /// Records a successful render. Until then the cache describes the
    /// pages of the last good build, which is what a store still holds.
    pub fn record(&mut self, rendered: Rendered) {
        self.signatures = rendered.signatures;
    }
}

/// A map value with one more field.
fn with_field(value: tera::Value, key: &'static str, field: tera::Value) -> tera::Value {
    let mut map = value.into_map().unwrap_or_default();
    map.insert(key.into(), field);
    tera::Value::from(map)
}

/// The Tera context of a page at `path`.
fn context(v: &Views<'_>, page: Page<'_>, path: &str, base: &Context) -> Context {
    let mut ctx = base.clone();
    let model = &v.site.model;
    let site_feed = || LinkView {
        title: v.config.title.clone(),
        url: v.url(paths::FEED),
    };
    let mut meta = Meta {
        url: v.url(path),
        permalink: v.permalink(path),
        kind: "website",
        feeds: vec![site_feed()],
        ..Meta::default()
    };
    match page {
        Page::Index => {
            let latest = v.cards(0..model.analyses.len().min(10));
            let recent = v.site.timeline.len().saturating_sub(8);
            let events: Vec<_> = v.site.timeline[recent..]
                .iter()
                .map(|&i| v.event_ref(i, None))
                .collect();
            ctx.insert_value("analyses", latest);
            ctx.insert("events", &events);
            ctx.insert("actor_groups", &v.home_actor_groups());
            ctx.insert("counts", &v.counts());
            meta.title = v.config.title.clone();
            meta.section = "home";
            meta.description = v.config.description.as_deref().map(meta::describe);
            meta.json_ld = Some(meta::script_json(&meta::website(v)));
        }
        Page::Analyses(k) => {
            let n = model.analyses.len();
            let per = v.config.paginate;
            ctx.insert_value("analyses", v.cards(crate::config::page_range(per, k, n)));
            ctx.insert("paginator", &v.paginator(paths::ANALYSES, k, n, per));
            meta.title = match k {
                0 => "Analyses".into(),
                k => format!("Analyses, page {}", k + 1),
            };
            meta.section = "analyses";
        }
        Page::Analysis(i) => {
            let page = v.analysis_page(i);
            meta.title = page.card.title.clone();
            meta.section = "analyses";
            meta.kind = "article";
            meta.description = page.card.summary.as_deref().map(meta::describe);
            meta.image = page.image.as_ref().map(|img| MetaImage {
                url: if img.src.starts_with('/') {
                    format!("{}{}", v.config.base_url.origin, img.src)
                } else {
                    img.src.clone()
                },
                alt: img.alt.clone(),
            });
            meta.published = Some(page.card.date.iso.clone());
            meta.modified = page.card.updated.as_ref().map(|d| d.iso.clone());
            meta.authors = page.card.authors.clone();
            meta.tags = page.card.tags.iter().map(|t| t.title.clone()).collect();
            meta.json_ld = Some(meta::script_json(&meta::article(v, &page)));
            ctx.insert("page", &page);
        }
        Page::Actors => {
            ctx.insert("groups", &v.actor_groups());
            meta.title = "Actors".into();
            meta.section = "actors";
        }
        Page::Actor(i) => {
            let page = v.actor_page(i);
            meta.title = page.name.clone();
            meta.section = "actors";
            meta.kind = "profile";
            meta.description = page
                .summary
                .as_deref()
                .and_then(meta::describe_html)
                .or_else(|| page.role.clone());
            meta.json_ld = Some(meta::script_json(&meta::actor(
                v,
                &page,
                meta.description.as_deref(),
            )));
            meta.feeds.push(LinkView {
                title: format!("{} · {}", page.name, v.config.title),
                url: v.url(&page_path(v.site, Page::ActorFeed(i))),
            });
            let cards = v.cards(v.site.actors[i].analyses.iter().copied());
            ctx.insert_value(
                "page",
                with_field(tera::Value::from_serializable(&page), "analyses", cards),
            );
        }
        Page::Events(k) => {
            let n = v.site.timeline.len();
            let per = v.config.paginate_events;
            let list: Vec<_> = v.site.timeline[crate::config::page_range(per, k, n)]
                .iter()
                .map(|&i| v.event_ref(i, None))
                .collect();
            ctx.insert("events", &list);
            ctx.insert("paginator", &v.paginator(paths::EVENTS, k, n, per));
            meta.title = match k {
                0 => "Events".into(),
                k => format!("Events, page {}", k + 1),
            };
            meta.section = "events";
        }
        Page::Event(i) => {
            let page = v.event_page(i);
            meta.title = page.event.title.clone();
            meta.section = "events";
            let mut description = page.event.when.clone();
            if let Some(place) = &page.event.place {
                description = format!("{description}, {place}");
            }
            if let Some(summary) = page.summary.as_deref().and_then(meta::describe_html) {
                description = meta::describe(&format!("{description}: {summary}"));
            }
            meta.description = Some(description);
            meta.json_ld = Some(meta::script_json(&meta::event(
                v,
                &page,
                meta.description.as_deref(),
            )));
            let cards = v.cards(v.site.events[i].analyses.iter().copied());
            ctx.insert_value(
                "page",
                with_field(tera::Value::from_serializable(&page), "analyses", cards),
            );
        }
        Page::Timeline(k) => {
            let (years, paginator, index) = v.timeline_page(k);
            ctx.insert("years", &years);
            ctx.insert("paginator", &paginator);
            ctx.insert("year_index", &index);
            meta.title = match (years.first(), years.last()) {
                (Some(a), Some(b)) if paginator.total > 1 && a.year != b.year => {
                    format!("Timeline, {}–{}", a.year, b.year)
                }
                (Some(a), _) if paginator.total > 1 => format!("Timeline, {}", a.year),
                _ => "Timeline".into(),
            };
            meta.section = "timeline";
        }
        Page::Tags => {
            ctx.insert("tags", &v.tags());
            meta.title = "Tags".into();
            meta.section = "tags";
        }
        Page::Tag(slug, k) => {
            let tag = &v.site.tags[slug];
            let n = tag.analyses.len();
            ctx.insert("tag", &v.tag_link(slug));
            ctx.insert_value(
                "analyses",
                v.cards(
                    tag.analyses[crate::config::page_range(v.config.paginate, k, n)]
                        .iter()
                        .copied(),
                ),
            );
            ctx.insert(
                "paginator",
                &v.paginator(&paths::tag(slug), k, n, v.config.paginate),
            );
            meta.title = match k {
                0 => tag.name.clone(),
                k => format!("{}, page {}", tag.name, k + 1),
            };
            meta.section = "tags";
            meta.feeds.push(LinkView {
                title: format!("{} · {}", tag.name, v.config.title),
                url: v.url(&page_path(v.site, Page::TagFeed(slug))),
            });
        }
        Page::NotFound => {
            meta.title = "Page not found".into();
            meta.section = "404";
        }
        Page::Robots => {
            meta.title = "robots.txt".into();
            meta.section = "robots";
        }
        Page::Search => {
            meta.title = "Search".into();
            meta.section = "search";
            ctx.insert("search", &v.search());
        }
        Page::Feed
        | Page::ActorFeed(_)
        | Page::TagFeed(_)
        | Page::Sitemap
        | Page::SearchIndex
        | Page::SearchChunk(_) => {}
    }
    ctx.insert("meta", &meta);
    ctx
}
