//! Themes: the default theme built into the binary, overlaid file by file
//! with the site's `themes/<name>/` (so a site can override one template or
//! one stylesheet and keep the rest). Its translations (`i18n/<lang>.toml`)
//! are overlaid key by key instead, so a site changes one text and keeps
//! the others; [`Theme::locale`] resolves them for a language.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{Config, RelationType};
use crate::diag::{Diagnostic, Diagnostics, SourceId, Sources, did_you_mean_hint, display_path};
use crate::i18n::{self, Allowed, Locale, LocaleFile};
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
    "templates/partials/list-dek.html",
    "static/style.css",
    "static/favicon.svg",
    "static/search.js",
    "i18n/en.toml",
    "i18n/de.toml",
    "i18n/fr.toml",
    "i18n/ru.toml",
];

/// The folder of a theme's translations, one `<lang>.toml` per language.
pub(crate) const I18N_DIR: &str = "i18n";

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
    /// Language tag (the file's name, `ru`) → its texts, the site's file
    /// laid over the built-in one.
    pub i18n: BTreeMap<String, LocaleFile>,
}

impl Theme {
    /// The theme's words in `lang`: its file (by the whole tag, then its
    /// primary subtag), English for whatever that does not say.
    /// `site_language` is the language `site.toml` is written in (the
    /// labels it gives relation types are in it); an edition of the site
    /// in another language passes the site's, not its own.
    pub(crate) fn locale(
        &self,
        lang: &str,
        site_language: &str,
        relation_types: &[RelationType],
    ) -> Locale {
        Locale::resolve(
            lang,
            &i18n::chain(lang, &self.i18n),
            relation_types,
            lang.eq_ignore_ascii_case(site_language),
        )
    }
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
    let english = builtin_english(sources, diags);
    for (path, bytes) in BUILTIN {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let id = sources.add(format!("(built-in theme) {path}"), None, text);
            theme.templates.insert(name.to_string(), id);
        } else if let Some(name) = path.strip_prefix("static/") {
            theme
                .statics
                .insert(name.to_string(), StaticSource::Builtin(bytes));
        } else if let Some(lang) = i18n_language(path) {
            let file = if lang == i18n::FALLBACK {
                english.clone()
            } else {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let id = sources.add(format!("(built-in theme) {path}"), None, text);
                let allowed = Allowed {
                    english: &english,
                    relation_types: &config.relation_types,
                };
                i18n::parse(id, &sources.text(id), path, Some(&allowed), diags)
            };
            theme.i18n.insert(lang.to_string(), file);
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
    let allowed = Allowed {
        english: &english,
        relation_types: &config.relation_types,
    };
    for (rel, path) in walk_files(&dir.join(I18N_DIR), diags, root) {
        let shown = display_path(root, &path);
        let lang = rel
            .strip_suffix(".toml")
            .filter(|l| crate::model::is_language_tag(l));
        let Some(lang) = lang else {
            diags.push(
                Diagnostic::error(format!("{shown} is not a translation file"))
                    .hint(format!("{I18N_DIR}/ holds one file per language, named after its tag: `ru.toml`, `pt-BR.toml`")),
            );
            continue;
        };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                diags.push(Diagnostic::error(format!("cannot read {shown}: {e}")));
                continue;
            }
        };
        let (text, bad) = decode(bytes);
        let id = sources.add(shown.clone(), Some(path), text);
        if let Some(offset) = bad {
            diags.push(not_utf8(id, offset));
            continue;
        }
        let file = i18n::parse(id, &sources.text(id), &shown, Some(&allowed), diags);
        // Tags compare without regard to case: `pt-br.toml` overrides `pt-BR`.
        let key = theme
            .i18n
            .keys()
            .find(|k| k.eq_ignore_ascii_case(lang))
            .cloned()
            .unwrap_or_else(|| lang.to_string());
        theme.i18n.entry(key).or_default().overlay(&file);
    }
    theme
}

/// The built-in English texts: every key a theme's translation may set.
fn builtin_english(sources: &mut Sources, diags: &mut Diagnostics) -> LocaleFile {
    let path = format!("{I18N_DIR}/{}.toml", i18n::FALLBACK);
    let text = BUILTIN
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let id = sources.add(format!("(built-in theme) {path}"), None, text);
    i18n::parse(id, &sources.text(id), &path, None, diags)
}

/// `ru` for `i18n/ru.toml`.
fn i18n_language(path: &str) -> Option<&str> {
    path.strip_prefix("i18n/")?.strip_suffix(".toml")
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
