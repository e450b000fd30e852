//! Tags: the list of every tag, and each tag's paginated analyses.

use std::hash::Hash;

use tera::Context;

use super::{Cx, Key, Kind, Listing};
use crate::hash::Combiner;
use crate::paths;
use crate::render::meta::Meta;
use crate::render::paginate::{page_count, page_range, paginator};
use crate::render::views::LinkView;

/// `/tags/`.
pub(crate) struct TagList;

/// `/tags/<slug>/`, `/tags/<slug>/page/<n>/`: `item` is the tag's position.
pub(crate) struct TagPage;

impl Kind for TagList {
    fn template(&self) -> Option<&'static str> {
        Some("tags.html")
    }

    fn keys(&self, _: &Cx<'_>) -> Vec<Key> {
        vec![Key::ONE]
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::TAGS.into()
    }

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        hash_tags(cx, h);
    }

    fn context(&self, cx: &Cx<'_>, _: Key, ctx: &mut Context, meta: &mut Meta) {
        ctx.insert("tags", &cx.v.tags());
        meta.title = cx.v.locale.text("tags").into();
        meta.section = "tags";
    }

    fn sitemap(&self, cx: &Cx<'_>, _: Key) -> Listing {
        Listing::List(cx.newest())
    }
}

/// What every list of tags shows: each tag's slug, name and count.
pub(super) fn hash_tags(cx: &Cx<'_>, h: &mut Combiner) {
    for t in &cx.site().tags {
        (&t.slug, &t.name, t.analyses.len()).hash(h);
    }
}

impl Kind for TagPage {
    fn template(&self) -> Option<&'static str> {
        Some("tag.html")
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        let per = cx.config().paginate;
        let mut keys = Vec::new();
        for (item, t) in cx.site().tags.iter().enumerate() {
            keys.extend((0..page_count(per, t.analyses.len())).map(|part| Key { item, part }));
        }
        keys
    }

    fn path(&self, cx: &Cx<'_>, key: Key) -> String {
        let slug = &cx.site().tags[key.item].slug;
        paths::list_page(&paths::tag(slug), key.part + 1)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let t = &cx.site().tags[key.item];
        let (n, per) = (t.analyses.len(), cx.config().paginate);
        (&t.name, n, page_count(per, n)).hash(h);
        cx.versions
            .cards(h, &t.analyses[page_range(per, key.part, n)]);
    }

    fn context(&self, cx: &Cx<'_>, key: Key, ctx: &mut Context, meta: &mut Meta) {
        let v = &cx.v;
        let tag = &cx.site().tags[key.item];
        let (n, per, k) = (tag.analyses.len(), cx.config().paginate, key.part);
        ctx.insert("tag", &v.tag_link(&tag.slug));
        ctx.insert_value(
            "analyses",
            v.cards(tag.analyses[page_range(per, k, n)].iter().copied()),
        );
        ctx.insert(
            "paginator",
            &paginator(v, &paths::tag(&tag.slug), k, n, per),
        );
        meta.title = v.title_page(&tag.name, k);
        meta.section = "tags";
        meta.feeds.push(LinkView {
            title: format!("{} · {}", tag.name, cx.config().title),
            url: v.url(&paths::tag_feed(&tag.slug)),
        });
    }

    fn sitemap(&self, cx: &Cx<'_>, key: Key) -> Listing {
        let t = &cx.site().tags[key.item];
        let range = page_range(cx.config().paginate, key.part, t.analyses.len());
        Listing::List(cx.newest_of(&t.analyses[range]))
    }
}
