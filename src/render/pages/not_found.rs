//! The 404 page, which static hosts serve for any missing path.

use tera::Context;

use super::{Cx, Key, Kind};
use crate::hash::Combiner;
use crate::paths;
use crate::render::meta::Meta;

/// `/404.html`.
pub(crate) struct NotFound;

impl Kind for NotFound {
    fn shared(&self) -> bool {
        true
    }

    fn template(&self) -> Option<&'static str> {
        Some("404.html")
    }

    fn keys(&self, _: &Cx<'_>) -> Vec<Key> {
        vec![Key::ONE]
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::NOT_FOUND.into()
    }

    fn signature(&self, _: &Cx<'_>, _: Key, _: &mut Combiner) {}

    fn context(&self, cx: &Cx<'_>, _: Key, _: &mut Context, meta: &mut Meta) {
        meta.title = cx.v.locale.text("not_found").into();
        meta.section = "404";
    }
}
