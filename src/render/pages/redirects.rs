//! The old address of a renamed actor, event, source or author
//! (`redirect_from`, which `dossier rename` writes): a small page that sends
//! the reader and search engines to the new one, as Hugo's and Zola's
//! aliases do, so that links from elsewhere keep working.

use std::hash::Hash;

use super::{Cx, Key, Kind};
use crate::hash::Combiner;
use crate::paths;

/// `/actors/<old-id>/` and the like.
pub(crate) struct Redirect;

impl Redirect {
    /// Every redirect of the site: (old path, new path), in a fixed order.
    fn all(cx: &Cx<'_>) -> Vec<(String, String)> {
        let m = &cx.site().model;
        let mut out = Vec::new();
        let mut add = |path: fn(&str) -> String, id: &str, from: &[crate::model::Ref]| {
            for r in from {
                out.push((path(&r.id), path(id)));
            }
        };
        for a in &m.actors {
            add(paths::actor, &a.id, &a.redirect_from);
        }
        for e in &m.events {
            add(paths::event, &e.id, &e.redirect_from);
        }
        for s in &m.sources {
            add(paths::source, &s.id, &s.redirect_from);
        }
        for a in &m.authors {
            add(paths::author, &a.id, &a.redirect_from);
        }
        out
    }
}

impl Kind for Redirect {
    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, cx: &Cx<'_>) -> Vec<Key> {
        super::items(Redirect::all(cx).len())
    }

    fn path(&self, cx: &Cx<'_>, key: Key) -> String {
        Redirect::all(cx).swap_remove(key.item).0
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        Redirect::all(cx)[key.item].hash(h);
    }

    fn bytes(&self, cx: &Cx<'_>, key: Key, _path: &str) -> Vec<u8> {
        let (_, to) = &Redirect::all(cx)[key.item];
        let (url, permalink) = (cx.v.url(to), cx.v.permalink(to));
        // Both are paths and ids the site made: nothing to escape but `&`.
        let (url, permalink) = (url.replace('&', "&amp;"), permalink.replace('&', "&amp;"));
        format!(
            "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{permalink}</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p><a href=\"{url}\">{permalink}</a></p>\n</body>\n</html>\n",
            lang = cx.config().language,
        )
        .into_bytes()
    }
}
