//! Analyses: each analysis's page (body, actors and events, contents,
//! citation) and the paginated list of all of them, newest first.

use std::hash::Hash;

use serde::Serialize;
use serde_json::Value;
use tera::Context;

use super::{Alternate, Cx, Key, Kind, Listing, items, parts};
use crate::hash::Combiner;
use crate::model::{Date, TranslationNote};
use crate::paths;
use crate::render::citation;
use crate::render::meta::{self, Meta, MetaImage};
use crate::render::paginate::{page_count, page_range, paginator};
use crate::render::views::{
    ActorRef, AnalysisCard, AuthorRef, DateView, EventRef, ImageView, SourceView, Views,
    actor_type, with_field,
};

/// `/analyses/<slug>/`.
pub(crate) struct AnalysisPage;

/// `/analyses/`, `/analyses/page/<n>/`.
pub(crate) struct AnalysisList;

impl Kind for AnalysisPage {
    fn template(&self) -> Option<&'static str> {
        Some("analysis.html")
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        items(cx.site().model.analyses.len())
    }

    fn path(&self, cx: &Cx<'_>, key: Key) -> String {
        paths::analysis(&cx.site().model.analyses[key.item].slug)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let vs = &cx.versions;
        vs.analysis(key.item).hash(h);
        let l = &cx.site().analyses[key.item];
        for (a, tie) in &l.actors {
            (vs.actor_ref(*a), vs.roles(*a), *tie as u8).hash(h);
        }
        vs.event_refs(h, l.events.iter().map(|(e, _)| e));
        for &s in &l.sources {
            vs.source_ref(s).hash(h);
        }
        vs.cards(h, &cx.site().related[key.item]);
    }

    fn context(&self, cx: &Cx<'_>, key: Key, ctx: &mut Context, meta: &mut Meta) {
        let v = &cx.v;
        let mut page = analysis_view(v, key.item);
        let analysis = &cx.site().model.analyses[key.item];
        page.translation = analysis
            .translation
            .as_ref()
            .map(|note| translation(v, note, &meta.alternates));
        meta.title = page.card.title.clone();
        meta.section = "analyses";
        meta.kind = "article";
        meta.description = page.card.summary.as_deref().map(meta::describe);
        meta.image = page.image.as_ref().map(|img| MetaImage {
            url: if img.src.starts_with('/') {
                format!("{}{}", cx.config().base_url.origin, img.src)
            } else {
                img.src.clone()
            },
            alt: img.alt.clone(),
        });
        meta.published = Some(page.card.date.iso.clone());
        meta.noindex = page.card.draft;
        let modified = analysis.modified();
        meta.modified = (modified != analysis.date).then(|| modified.to_string());
        meta.authors = page.card.authors.iter().map(|a| a.name.clone()).collect();
        meta.tags = page.card.tags.iter().map(|t| t.title.clone()).collect();
        meta.json_ld = Some(meta::script_json(&article(v, &page, modified)));
        let related = v.cards(cx.site().related[key.item].iter().copied());
        ctx.insert_value(
            "page",
            with_field(tera::Value::from_serializable(&page), "related", related),
        );
    }

    fn sitemap(&self, cx: &Cx<'_>, key: Key) -> Listing {
        let a = &cx.site().model.analyses[key.item];
        // A draft shows only in a `--drafts` preview, never in its sitemap.
        match a.draft {
            true => Listing::Omit,
            false => Listing::List(Some(a.modified())),
        }
    }
}

impl Kind for AnalysisList {
    fn template(&self) -> Option<&'static str> {
        Some("analyses.html")
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        parts(page_count(
            cx.config().paginate,
            cx.site().model.analyses.len(),
        ))
    }

    fn path(&self, _: &Cx<'_>, key: Key) -> String {
        paths::list_page(paths::ANALYSES, key.part + 1)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let (n, per) = (cx.site().model.analyses.len(), cx.config().paginate);
        (n, page_count(per, n)).hash(h);
        cx.versions
            .cards(h, &page_range(per, key.part, n).collect::<Vec<_>>());
        // (The same before the pages are listed: a page a reader is on is
        // signed then.)
        cx.world()
            .and_then(|w| w.untranslated(&cx.config().language))
            .hash(h);
    }

    fn context(&self, cx: &Cx<'_>, key: Key, ctx: &mut Context, meta: &mut Meta) {
        let (n, per, k) = (
            cx.site().model.analyses.len(),
            cx.config().paginate,
            key.part,
        );
        ctx.insert_value("analyses", cx.v.cards(page_range(per, k, n)));
        ctx.insert("paginator", &paginator(&cx.v, paths::ANALYSES, k, n, per));
        // On another language's edition: how many analyses are in the
        // default language alone, and where to read them.
        let untranslated = cx
            .world()
            .and_then(|w| w.untranslated(&cx.config().language))
            .map(|(count, home)| Untranslated {
                count,
                lang: home.lang,
                language: home.name,
                url: format!("{}{}", home.url, paths::ANALYSES),
            });
        ctx.insert("untranslated", &untranslated);
        meta.title = cx.v.title_page(cx.v.locale.text("analyses"), k);
        meta.section = "analyses";
    }

    fn sitemap(&self, cx: &Cx<'_>, _: Key) -> Listing {
        Listing::List(cx.newest())
    }
}

/// `untranslated` on another language's list of analyses: how many are in
/// the default language only (`count`), that language (`lang`, and its own
/// name, `language`) and its list (`url`).
#[derive(Serialize)]
struct Untranslated {
    count: usize,
    lang: String,
    language: String,
    url: String,
}

#[derive(Serialize)]
pub(crate) struct HeadingView {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// `page` on analysis.html.
#[derive(Serialize)]
pub(crate) struct AnalysisView<'a> {
    #[serde(flatten)]
    pub card: AnalysisCard,
    pub permalink: String,
    /// Rendered Markdown body (HTML: print with `| safe`).
    pub body: std::borrow::Cow<'a, str>,
    pub image: Option<ImageView>,
    /// Actors it concerns (front matter) or mentions, front matter first,
    /// each with its `roles` as of the analysis's date.
    pub actors: Vec<ActorRef>,
    pub events: Vec<EventRef>,
    /// The sources it cites with `[@id]`, in order of first citation.
    pub sources: Vec<SourceView>,
    pub headings: Vec<HeadingView>,
    /// The table of contents: second-level headings, each with the
    /// third-level headings under it.
    pub toc: Vec<TocEntry>,
    pub words: usize,
    pub reading_minutes: usize,
    /// How to cite it.
    pub cite: CiteView,
    /// Its corrections, newest first.
    pub corrections: Vec<CorrectionView>,
    /// On a translation: from which language, where the original is, who
    /// translated it and when; null on an original.
    pub translation: Option<TranslationView>,
    // `related` (cards of the related analyses, best first) is added by
    // `context`.
}

/// `page.translation`: what a translated analysis says about itself.
#[derive(Serialize)]
pub(crate) struct TranslationView {
    /// The original's language: `en`, and its own name, `English`.
    pub from: String,
    pub from_name: String,
    /// The original, in the default language's edition.
    pub original: String,
    /// Who translated it: an author of the site (with a page) or a name.
    pub translator: Option<AuthorRef>,
    pub date: Option<DateView>,
}

/// A correction: its date and text (inline HTML).
#[derive(Serialize)]
pub(crate) struct CorrectionView {
    pub date: DateView,
    pub text: String,
    /// An anchor for it: `correction-2022-02-03`.
    pub id: String,
}

#[derive(Serialize)]
pub(crate) struct TocEntry {
    pub id: String,
    pub text: String,
    pub children: Vec<TocEntry>,
}

/// `page.cite`: the parts of a citation, and one assembled from them.
#[derive(Serialize)]
pub(crate) struct CiteView {
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
    /// The citation as a reference manager imports it, as `data:` URLs
    /// to download (`<a href="{{ page.cite.bibtex }}" download="{{
    /// page.cite.file }}.bib">`): BibTeX and RIS.
    pub bibtex: String,
    pub ris: String,
    /// A file name for them, without extension (the slug).
    pub file: String,
}

/// Words a minute, for `reading_minutes`.
const READING_SPEED: usize = 230;

fn analysis_view<'v>(v: &'v Views<'_>, i: usize) -> AnalysisView<'v> {
    let a = &v.site.model.analyses[i];
    let links = &v.site.analyses[i];
    AnalysisView {
        permalink: v.permalink(&paths::analysis(&a.slug)),
        card: v.card(i),
        body: links.body.html.get(),
        image: a.image.as_ref().map(|img| v.image(img)),
        actors: links
            .actors
            .iter()
            .map(|&(i, _)| v.actor_as_of(i, a.date))
            .collect(),
        events: links
            .events
            .iter()
            .map(|&(i, _)| v.event_ref(i, None))
            .collect(),
        sources: links.sources.iter().map(|&s| v.source(s)).collect(),
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
        reading_minutes: links.body.words.div_ceil(READING_SPEED).max(1),
        cite: cite(v, i),
        corrections: corrections(v, i),
        translation: None,
    }
}

/// What translation `note` says about itself, with the original found
/// among the page's other languages.
fn translation(v: &Views<'_>, note: &TranslationNote, alternates: &[Alternate]) -> TranslationView {
    let original = alternates.iter().find(|a| a.lang == note.from);
    TranslationView {
        from: note.from.clone(),
        from_name: original.map_or_else(|| note.from.clone(), |a| a.name.clone()),
        original: original.map(|a| a.url.clone()).unwrap_or_default(),
        translator: note.translator.as_deref().map(|who| {
            match v.site.model.authors.iter().find(|a| a.id == who) {
                Some(a) => AuthorRef {
                    id: Some(a.id.clone()),
                    name: a.name.clone(),
                    url: Some(v.url(&paths::author(&a.id))),
                },
                None => AuthorRef {
                    id: None,
                    name: who.to_string(),
                    url: None,
                },
            }
        }),
        date: note.date.map(|d| v.date(d)),
    }
}

/// Analysis `i`'s corrections, newest first.
pub(crate) fn corrections(v: &Views<'_>, i: usize) -> Vec<CorrectionView> {
    let a = &v.site.model.analyses[i];
    let html = &v.site.analyses[i].corrections;
    let mut out: Vec<CorrectionView> = a
        .corrections
        .iter()
        .zip(html)
        .enumerate()
        .map(|(k, (c, text))| CorrectionView {
            date: v.date(c.date),
            text: text.clone(),
            id: format!("correction-{}-{}", c.date, k + 1),
        })
        .collect();
    out.reverse();
    out
}

fn cite(v: &Views<'_>, i: usize) -> CiteView {
    let a = &v.site.model.analyses[i];
    let t = v.locale;
    let site = &v.config.title;
    let names = v.site.author_names(i);
    let author = match names.as_slice() {
        [] => site.clone(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), t.text("and")),
    };
    let date = t.date(a.date);
    let updated = a.updated.map(|d| t.date(d));
    // `updated 3 February 2022`: with a preposition that depends on the
    // precision in some languages (`mis à jour le` / `en`).
    let updated_on = a.updated.map(|d| {
        let key = if d.is_day() {
            "updated_on_day"
        } else {
            "updated_on"
        };
        t.text_with(key, &[("date", &t.date(d))])
    });
    let url = v.permalink(&paths::analysis(&a.slug));
    let mut args = vec![
        ("author", author.as_str()),
        ("title", a.title.as_str()),
        ("site", site.as_str()),
        ("date", date.as_str()),
        ("url", url.as_str()),
    ];
    let text = match &updated_on {
        Some(u) => {
            args.push(("updated", u));
            t.text_with("cite_text_updated", &args)
        }
        None => t.text_with("cite_text", &args),
    };
    // BibTeX's note is a sentence of its own: `Updated 3 February 2022`.
    let note = updated_on.as_deref().map(crate::i18n::capitalise);
    CiteView {
        author,
        title: a.title.clone(),
        site: site.clone(),
        date,
        updated,
        url,
        text,
        bibtex: citation::data_url(
            "application/x-bibtex",
            &citation::bibtex(
                a,
                &names,
                site,
                &v.permalink(&paths::analysis(&a.slug)),
                &v.config.language,
                note.as_deref(),
            ),
        ),
        ris: citation::data_url(
            "application/x-research-info-systems",
            &citation::ris(
                a,
                &names,
                site,
                &v.permalink(&paths::analysis(&a.slug)),
                &v.config.language,
            ),
        ),
        file: citation::key(&a.slug),
    }
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

/// JSON-LD: the analysis as a `NewsArticle` about its actors and events,
/// written straight from these structs (no `serde_json::Value` tree per
/// page). Keys are in the order `serde_json` would sort them.
#[derive(Serialize)]
struct ArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: Vec<Thing<'a>>,
    author: Vec<AgentLd<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citation: Vec<CitationLd<'a>>,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<ImageLd<'a>>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    publisher: Value,
    #[serde(rename = "translationOfWork", skip_serializing_if = "Option::is_none")]
    translation_of_work: Option<IdLd>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translator: Option<AgentLd<'a>>,
    url: &'a str,
    #[serde(rename = "wordCount")]
    word_count: usize,
}

/// An actor or an event the analysis is about.
#[derive(Serialize)]
struct Thing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(rename = "startDate", skip_serializing_if = "Option::is_none")]
    start_date: Option<&'a str>,
    url: String,
}

/// A person (an author, a translator) or an organisation (a publisher).
#[derive(Serialize)]
struct AgentLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct IdLd {
    #[serde(rename = "@id")]
    id: String,
}

#[derive(Serialize)]
struct CitationLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<AgentLd<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct ImageLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    description: &'a str,
    url: String,
}

fn article<'a>(v: &'a Views<'_>, page: &'a AnalysisView<'_>, modified: Date) -> ArticleLd<'a> {
    let person = |name: &'a str, url: Option<&String>| AgentLd {
        kind: "Person",
        name,
        url: url.map(|u| v.absolute(u)),
    };
    let about = page.actors.iter().map(|a| Thing {
        kind: actor_type(a.kind),
        name: &a.name,
        start_date: None,
        url: v.absolute(&a.url),
    });
    let events = page.events.iter().map(|e| Thing {
        kind: "Event",
        name: &e.title,
        start_date: Some(&e.date.iso),
        url: v.absolute(&e.url),
    });
    let translation = page.translation.as_ref();
    ArticleLd {
        context: "https://schema.org",
        kind: "NewsArticle",
        about: about.chain(events).collect(),
        author: page
            .card
            .authors
            .iter()
            .map(|a| person(&a.name, a.url.as_ref()))
            .collect(),
        citation: page
            .sources
            .iter()
            .map(|s| CitationLd {
                kind: "CreativeWork",
                date_published: s.published.as_ref().map(|d| d.iso.as_str()),
                name: &s.title,
                publisher: s.publisher.as_deref().map(|p| AgentLd {
                    kind: "Organization",
                    name: p,
                    url: None,
                }),
                url: s.url.as_ref().or(s.page.as_ref()).map(|u| v.absolute(u)),
            })
            .collect(),
        date_modified: modified.to_string(),
        date_published: &page.card.date.iso,
        description: page.card.summary.as_deref(),
        headline: &page.card.title,
        image: page.image.as_ref().map(|img| ImageLd {
            kind: "ImageObject",
            description: &img.alt,
            url: v.absolute(&img.src),
        }),
        in_language: &v.config.language,
        keywords: page.card.tags.iter().map(|t| t.title.as_str()).collect(),
        main_entity_of_page: &page.permalink,
        publisher: meta::publisher(v),
        translation_of_work: translation
            .filter(|t| !t.original.is_empty())
            .map(|t| IdLd {
                id: v.absolute(&t.original),
            }),
        translator: translation
            .and_then(|t| t.translator.as_ref())
            .map(|who| person(&who.name, who.url.as_ref())),
        url: &page.permalink,
        word_count: page.words,
    }
}

#[cfg(test)]
mod tests {
    /// docs/templates.md gives the reading speed; it must be the code's.
    #[test]
    fn the_template_docs_give_the_reading_speed() {
        let docs = include_str!("../../../docs/templates.md");
        let phrase = format!("({} words a minute)", super::READING_SPEED);
        assert!(docs.contains(&phrase), "docs/templates.md lacks {phrase:?}");
    }
}
