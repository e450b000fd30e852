//! `robots.txt`, from a template so that a site can replace it.

use tera::Context;

use super::{Cx, Key, Kind};
use crate::hash::Combiner;
use crate::paths;
use crate::render::meta::Meta;

/// `/robots.txt`.
pub(crate) struct Robots;

impl Kind for Robots {
    fn shared(&self) -> bool {
        true
    }

    fn template(&self) -> Option<&'static str> {
        Some("robots.txt")
    }

    fn keys(&self, _: &Cx<'_>) -> Vec<Key> {
        vec![Key::ONE]
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::ROBOTS.into()
    }

    fn signature(&self, _: &Cx<'_>, _: Key, _: &mut Combiner) {}

    fn context(&self, _: &Cx<'_>, _: Key, _: &mut Context, meta: &mut Meta) {
        meta.title = "robots.txt".into();
        meta.section = "robots";
    }
}
