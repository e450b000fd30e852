//! Themes: the default theme built into the binary, overlaid file by file
//! with the site's `themes/<name>/` (so a site can override one template or
//! one stylesheet and keep the rest).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, SourceId, Sources, did_you_mean_hint, display_path};
use crate::load::{decode, is_ignored_name, not_utf8};

macro_rules! builtin {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../themes/default/", $path)))),*]
    };
}

/// The default theme, embedded at compile time.
pub const BUILTIN: &[(&str, &[u8])] = builtin![
    "templates/base.html",
    "templates/index.html",
    "templates/analyses.html",
    "templates/analysis.html",
    "templates/actors.html",
    "templates/actor.html",
    "templates/events.html",
    "templates/event.html",
    "templates/timeline.html",
    "templates/tags.html",
    "templates/tag.html",
    "templates/404.html",
    "templates/robots.txt",
    "templates/search.html",
    "templates/source.html",
    "templates/sources.html",
    "templates/author.html",
    "templates/authors.html",
    "templates/corrections.html",
    "templates/data.html",
    "templates/partials/analysis-card.html",
    "templates/partials/event-item.html",
    "templates/partials/timeline-item.html",
    "templates/partials/facts.html",
    "templates/partials/actor-chip.html",
    "templates/partials/pagination.html",
    "templates/partials/source.html",
    "templates/partials/roles.html",
    "templates/partials/relations.html",
    "templates/partials/byline.html",
    "static/style.css",
    "static/favicon.svg",
    "static/search.js",
];

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub(crate) enum StaticSource {
    Builtin(&'static [u8]),
    File(PathBuf),
}

/// A theme ready for rendering: template names → sources, static files.
#[derive(Debug, Default)]
pub(crate) struct Theme {
    /// Template name (path under `templates/`) → its source.
    pub templates: BTreeMap<String, SourceId>,
    /// Output path → bytes.
    pub statics: BTreeMap<String, StaticSource>,
}

pub(crate) const THEMES_DIR: &str = "themes";

/// Loads the built-in theme, then the site's `themes/<name>/` over it.
pub(crate) fn load(
    config: &Config,
    root: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Theme {
    let mut theme = Theme::default();
    for (path, bytes) in BUILTIN {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let id = sources.add(format!("(built-in theme) {path}"), None, text);
            theme.templates.insert(name.to_string(), id);
        } else if let Some(name) = path.strip_prefix("static/") {
            theme
                .statics
                .insert(name.to_string(), StaticSource::Builtin(bytes));
        }
    }
    let dir = root.join(THEMES_DIR).join(&config.theme);
    if !dir.is_dir() {
        if config.theme != "default" {
            let available = list_dirs(&root.join(THEMES_DIR));
            let mut d = Diagnostic::error(format!("there is no theme `{}`", config.theme))
                .hint_opt(did_you_mean_hint(&config.theme, available.iter().map(String::as_str)))
                .hint(format!(
                    "a theme is a folder themes/{}/ holding templates/ and static/; or remove `theme` to use the built-in one",
                    config.theme
                ));
            if let Some(span) = &config.theme_span {
                d = d.at(span.clone()).label("set here");
            }
            diags.push(d);
        }
        return theme;
    }
    for (rel, path) in walk_files(&dir.join("templates"), diags, root) {
        match std::fs::read(&path) {
            Ok(bytes) => {
                let (text, bad) = decode(bytes);
                let id = sources.add(display_path(root, &path), Some(path), text);
                if let Some(offset) = bad {
                    diags.push(not_utf8(id, offset));
                    continue;
                }
                theme.templates.insert(rel, id);
            }
            Err(e) => diags.push(Diagnostic::error(format!(
                "cannot read {}: {e}",
                display_path(root, &path)
            ))),
        }
    }
    for (rel, path) in walk_files(&dir.join("static"), diags, root) {
        theme.statics.insert(rel, StaticSource::File(path));
    }
    theme
}

/// Site-wide static files: `static/` at the site root, copied as is.
pub(crate) fn site_statics(root: &Path, diags: &mut Diagnostics) -> BTreeMap<String, StaticSource> {
    walk_files(&root.join("static"), diags, root)
        .into_iter()
        .map(|(rel, path)| (rel, StaticSource::File(path)))
        .collect()
}

/// Files under `dir` as (relative path with `/`, full path), sorted; hidden
/// and editor files skipped, symlinks not followed.
fn walk_files(dir: &Path, diags: &mut Diagnostics, root: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.push((rel, e.path().to_path_buf()));
            }
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::error(format!(
                "cannot read {}: {e}",
                e.path().map_or_else(String::new, |p| display_path(root, p))
            ))),
        }
    }
    out
}

fn list_dirs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
