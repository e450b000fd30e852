//! Authors: each author's page (bio, their analyses newest first,
//! paginated) and the list of every author.

use std::hash::Hash;

use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use super::{Cx, Key, Kind, Listing};
use crate::hash::Combiner;
use crate::paths;
use crate::render::meta::{self, Meta};
use crate::render::paginate::{page_count, page_range, paginator};
use crate::render::versions::List;
use crate::render::views::{ImageView, LinkView, SourceView, Views};

/// `/authors/<id>/`, `/authors/<id>/page/<n>/`: `item` is the author.
pub(crate) struct AuthorPage;

/// `/authors/`.
pub(crate) struct AuthorList;

impl Kind for AuthorPage {
    fn template(&self) -> Option<&'static str> {
        Some("author.html")
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        let per = cx.config().paginate;
        let mut keys = Vec::new();
        for (item, l) in cx.site().authors.iter().enumerate() {
            keys.extend((0..page_count(per, l.analyses.len())).map(|part| Key { item, part }));
        }
        keys
    }

    fn path(&self, cx: &Cx<'_>, key: Key) -> String {
        let id = &cx.site().model.authors[key.item].id;
        paths::list_page(&paths::author(id), key.part + 1)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let list = &cx.site().authors[key.item].analyses;
        let (n, per) = (list.len(), cx.config().paginate);
        (cx.versions.author(key.item), n, page_count(per, n)).hash(h);
        cx.versions.cards(h, &list[page_range(per, key.part, n)]);
    }

    fn context(&self, cx: &Cx<'_>, key: Key, ctx: &mut Context, meta: &mut Meta) {
        let v = &cx.v;
        let (i, k) = (key.item, key.part);
        let page = author_view(v, i);
        let list = &cx.site().authors[i].analyses;
        let (n, per) = (list.len(), cx.config().paginate);
        meta.title = v.title_page(&page.name, k);
        meta.section = "authors";
        meta.kind = "profile";
        meta.description = page
            .bio
            .as_deref()
            .and_then(meta::describe_html)
            .or_else(|| page.title.clone());
        meta.json_ld = Some(meta::script_json(&person(
            v,
            &page,
            meta.description.as_deref(),
        )));
        meta.feeds.push(LinkView {
            title: format!("{} · {}", page.name, cx.config().title),
            url: v.url(&paths::author_feed(&page.id)),
        });
        ctx.insert_value(
            "analyses",
            v.cards(list[page_range(per, k, n)].iter().copied()),
        );
        ctx.insert(
            "paginator",
            &paginator(v, &paths::author(&page.id), k, n, per),
        );
        ctx.insert("page", &page);
    }

    fn sitemap(&self, cx: &Cx<'_>, key: Key) -> Listing {
        let list = &cx.site().authors[key.item].analyses;
        let range = page_range(cx.config().paginate, key.part, list.len());
        Listing::List(cx.newest_of(&list[range]))
    }
}

impl Kind for AuthorList {
    fn template(&self) -> Option<&'static str> {
        Some("authors.html")
    }

    /// Only a site with authors has the list (and the footer links it).
    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        match cx.site().model.authors.is_empty() {
            true => Vec::new(),
            false => vec![Key::ONE],
        }
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::AUTHORS.into()
    }

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        cx.versions.all(List::Author, h);
        for l in &cx.site().authors {
            l.analyses.len().hash(h);
        }
    }

    fn context(&self, cx: &Cx<'_>, _: Key, ctx: &mut Context, meta: &mut Meta) {
        let v = &cx.v;
        let mut order: Vec<usize> = (0..cx.site().model.authors.len()).collect();
        let authors = &cx.site().model.authors;
        order.sort_by(|&a, &b| {
            authors[a]
                .name
                .to_lowercase()
                .cmp(&authors[b].name.to_lowercase())
                .then(a.cmp(&b))
        });
        let list: Vec<AuthorView> = order.into_iter().map(|i| author_view(v, i)).collect();
        ctx.insert("authors", &list);
        meta.title = cx.v.locale.text("authors").into();
        meta.section = "authors";
    }

    fn sitemap(&self, cx: &Cx<'_>, _: Key) -> Listing {
        Listing::List(cx.newest())
    }
}

/// An author, on their page (`page`) and in the list (`authors`).
#[derive(Serialize)]
pub(crate) struct AuthorView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub permalink: String,
    /// `Senior Policy Fellow`
    pub title: Option<String>,
    pub affiliation: Option<String>,
    /// HTML.
    pub bio: Option<String>,
    /// The language of `bio` when it is not the page's: a text not yet
    /// translated, shown in the default language (`lang` attribute).
    pub bio_lang: Option<String>,
    pub image: Option<ImageView>,
    pub links: Vec<SourceView>,
    /// `{title: "0000-0002-1825-0097", url}`, or null.
    pub orcid: Option<LinkView>,
    /// How many analyses they wrote.
    pub count: usize,
}

fn author_view(v: &Views<'_>, i: usize) -> AuthorView {
    let a = &v.site.model.authors[i];
    let l = &v.site.authors[i];
    AuthorView {
        id: a.id.clone(),
        name: a.name.clone(),
        url: v.url(&paths::author(&a.id)),
        permalink: v.permalink(&paths::author(&a.id)),
        title: a.title.clone(),
        affiliation: a.affiliation.clone(),
        bio: v.site.author_bio(i).map(|t| t.html.get().into_owned()),
        bio_lang: a.bio.as_ref().and_then(|m| m.lang.clone()),
        image: a.image.as_ref().map(|img| v.image(img)),
        links: a.links.iter().map(SourceView::from).collect(),
        orcid: a.orcid.as_ref().map(|o| LinkView {
            title: o.clone(),
            url: format!("https://orcid.org/{o}"),
        }),
        count: l.analyses.len(),
    }
}

/// JSON-LD: the author as a `Person`.
fn person(v: &Views<'_>, page: &AuthorView, description: Option<&str>) -> Value {
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "name": page.name,
        "url": page.permalink,
    });
    if let Some(t) = &page.title {
        ld["jobTitle"] = json!(t);
    }
    if let Some(a) = &page.affiliation {
        ld["affiliation"] = json!({"@type": "Organization", "name": a});
    }
    if let Some(d) = description {
        ld["description"] = json!(d);
    }
    if let Some(img) = &page.image {
        ld["image"] = json!(v.absolute(&img.src));
    }
    let same_as: Vec<&str> = page
        .orcid
        .iter()
        .map(|o| o.url.as_str())
        .chain(page.links.iter().filter_map(|l| l.url.as_deref()))
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .collect();
    if !same_as.is_empty() {
        ld["sameAs"] = json!(same_as);
    }
    ld
}
