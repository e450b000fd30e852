//! `site.toml` → [`Config`]: the site's title, base URL, theme and switches,
//! validated, with unknown keys rejected (a misspelt key must not vanish).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::checks::{Checks, RawChecks};
use crate::diag::{Diagnostic, Diagnostics, SourceId, Sources, Span};
use crate::load::serde_errors;

/// `site.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    description: Option<String>,
    theme: Option<Spanned<String>>,
    output_dir: Option<Spanned<String>>,
    autolink: Option<bool>,
    feed_limit: Option<usize>,
    paginate: Option<usize>,
    paginate_events: Option<usize>,
    related: Option<usize>,
    data_license: Option<String>,
    search: Option<Spanned<String>>,
    checks: Option<RawChecks>,
    relations: Option<std::collections::BTreeMap<Spanned<String>, Spanned<RawRelationType>>>,
}

/// `[relations.<type>]`: a type of relation the site declares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelationType {
    label: Option<String>,
    inverse: Option<String>,
    symmetric: Option<bool>,
}

/// A type of relation between actors: its name in fact sheets, the label
/// an actor's page shows it under, and the label of the other side.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct RelationType {
    /// `member_of`
    pub name: String,
    /// `Member of`
    pub label: String,
    /// `Members`; the label itself for a symmetric type.
    pub inverse: String,
    /// `allied_with`: the same seen from either side.
    pub symmetric: bool,
}

/// The built-in types: name, label, inverse (None: symmetric).
pub(crate) const RELATION_TYPES: [(&str, &str, Option<&str>); 10] = [
    ("member_of", "Member of", Some("Members")),
    ("leads", "Leads", Some("Led by")),
    ("succeeded", "Succeeded", Some("Succeeded by")),
    ("part_of", "Part of", Some("Parts")),
    ("controls", "Controls", Some("Controlled by")),
    ("funds", "Funds", Some("Funded by")),
    ("allied_with", "Allied with", None),
    ("opposes", "Opposes", None),
    ("family_of", "Family", None),
    ("related_to", "Related to", None),
];

/// The built-in types' names, for hints: `member_of, leads, …`.
pub(crate) fn builtin_relation_names() -> String {
    RELATION_TYPES.map(|(name, _, _)| name).join(", ")
}

fn builtin_relation_types() -> Vec<RelationType> {
    RELATION_TYPES
        .iter()
        .map(|(name, label, inverse)| RelationType {
            name: name.to_string(),
            label: label.to_string(),
            inverse: inverse.unwrap_or(label).to_string(),
            symmetric: inverse.is_none(),
        })
        .collect()
}

/// `search` in `site.toml`: what the in-browser search covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Search {
    /// Titles, names, aliases, summaries and the whole text (the default).
    Full,
    /// Titles, names, aliases and summaries only: a much smaller index for
    /// large sites.
    Summaries,
    /// No search page, no index, no search box.
    Off,
}

impl Search {
    const NAMES: [(&'static str, Search); 3] = [
        ("full", Search::Full),
        ("summaries", Search::Summaries),
        ("off", Search::Off),
    ];
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub title: String,
    pub base_url: BaseUrl,
    pub language: String,
    pub description: Option<String>,
    pub theme: String,
    /// Where the theme name was written, for diagnostics about it.
    pub theme_span: Option<Span>,
    /// Output directory as configured, relative to the site root.
    pub output_dir: PathBuf,
    pub autolink: bool,
    /// How many analyses each Atom feed lists, newest first (0: all).
    pub feed_limit: usize,
    /// Analyses per page of the analyses index and of each tag page (0: one page).
    pub paginate: usize,
    /// Events per page of the events list (0: one page).
    pub paginate_events: usize,
    /// Related analyses shown under each analysis (0: none).
    pub related: usize,
    /// The licence of the open data under `/data/` ("CC BY 4.0").
    pub data_license: Option<String>,
    /// What the search index holds, if anything.
    pub search: Search,
    /// How each check's findings count (`[checks]`).
    pub checks: Checks,
    /// The built-in relation types, then the site's (`[relations]`); a site
    /// may relabel a built-in one.
    pub relation_types: Vec<RelationType>,
}

/// The site's public address, split so that every generated link can stay
/// under its path (`https://example.org/watch/` → origin + `/watch/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    /// `https://example.org`
    pub origin: String,
    /// `/watch/`: always starts and ends with `/`.
    pub path: String,
}

impl BaseUrl {
    pub(crate) fn parse(s: &str) -> Result<BaseUrl, String> {
        let (scheme, rest) = s
            .split_once("://")
            .ok_or_else(|| "it has no scheme".to_string())?;
        if scheme != "http" && scheme != "https" {
            return Err(format!("its scheme `{scheme}` is not http or https"));
        }
        if rest.contains(['?', '#']) {
            return Err("it has a query or fragment".into());
        }
        if rest.contains(char::is_whitespace) {
            return Err("it contains whitespace".into());
        }
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() {
            return Err("it has no host".into());
        }
        if path.split('/').any(|seg| seg == ".." || seg == ".") {
            return Err("its path contains `.` or `..`".into());
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        while path.contains("//") {
            path = path.replace("//", "/");
        }
        Ok(BaseUrl {
            origin: format!("{scheme}://{host}"),
            path,
        })
    }

    /// The absolute URL of a site path such as `actors/tokayev/`.
    pub(crate) fn absolute(&self, site_path: &str) -> String {
        format!("{}{}{}", self.origin, self.path, site_path)
    }

    /// The root-relative URL of a site path, under the base path.
    pub(crate) fn relative(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path)
    }
}

pub(crate) const CONFIG_FILE: &str = "site.toml";

/// Analyses per feed unless `feed_limit` says otherwise.
pub(crate) const DEFAULT_FEED_LIMIT: usize = 20;

/// Analyses per list page unless `paginate` says otherwise.
pub(crate) const DEFAULT_PAGINATE: usize = 20;

/// Events per page of the events list unless `paginate_events` says otherwise.
pub(crate) const DEFAULT_PAGINATE_EVENTS: usize = 100;

/// Related analyses under each analysis unless `related` says otherwise.
pub(crate) const DEFAULT_RELATED: usize = 5;

impl Config {
    /// A minimal valid configuration (for fuzzing and property tests).
    #[doc(hidden)]
    pub(crate) fn for_tests() -> Config {
        Config {
            title: "Test".into(),
            base_url: BaseUrl {
                origin: "https://example.org".into(),
                path: "/".into(),
            },
            language: "en".into(),
            description: None,
            theme: "default".into(),
            theme_span: None,
            output_dir: PathBuf::from("public"),
            autolink: true,
            feed_limit: DEFAULT_FEED_LIMIT,
            paginate: DEFAULT_PAGINATE,
            paginate_events: DEFAULT_PAGINATE_EVENTS,
            related: DEFAULT_RELATED,
            data_license: None,
            search: Search::Full,
            checks: Checks::default(),
            relation_types: builtin_relation_types(),
        }
    }
}

/// Reads and validates `site.toml` under `root`. Returns None (with
/// diagnostics) when the file is missing or unusable.
pub(crate) fn load(root: &Path, sources: &mut Sources, diags: &mut Diagnostics) -> Option<Config> {
    let path = root.join(CONFIG_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "run dossier in a site folder, pass `--root DIR`, or create one with `dossier init DIR` (looked in {})",
                    root.display()
                )
            } else {
                e.to_string()
            };
            diags.push(Diagnostic::error(format!("cannot read {CONFIG_FILE}")).hint(hint));
            return None;
        }
    };
    let (text, bad_utf8) = crate::load::decode(bytes);
    let source = sources.add(CONFIG_FILE, Some(path), text);
    if let Some(offset) = bad_utf8 {
        diags.push(crate::load::not_utf8(source, offset));
        return None;
    }
    let text = sources.text(source);
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let range = e.span().unwrap_or(0..0);
            diags.push(serde_errors::to_diagnostic(
                e.message(),
                Span::new(source, range),
                "site.toml",
                text,
            ));
            return None;
        }
    };
    validate(raw, source, diags)
}

fn validate(raw: RawConfig, source: SourceId, diags: &mut Diagnostics) -> Option<Config> {
    let span = |s: &std::ops::Range<usize>| Span::new(source, s.clone());
    let missing = |key: &str, example: &str| {
        Diagnostic::error(format!("site.toml is missing the required key `{key}`"))
            .at(Span::file(source))
            .hint(format!("add a line such as `{key} = {example}`"))
    };
    let before = diags.error_count();
    let title = match raw.title {
        Some(t) if !t.get_ref().trim().is_empty() => Some(t.into_inner()),
        Some(t) => {
            diags.push(
                Diagnostic::error("the site title is empty")
                    .at(span(&t.span()))
                    .label("write the site's name here"),
            );
            None
        }
        None => {
            diags.push(missing("title", "\"My Briefing\""));
            None
        }
    };
    let base_url = match raw.base_url {
        Some(b) => match BaseUrl::parse(b.get_ref()) {
            Ok(u) => Some(u),
            Err(why) => {
                diags.push(
                    Diagnostic::error(format!("`base_url` is not a usable URL: {why}"))
                        .at(span(&b.span()))
                        .hint("write the address the site will be served from, such as \"https://example.org/\" or \"https://example.org/briefings/\""),
                );
                None
            }
        },
        None => {
            diags.push(missing("base_url", "\"https://example.org/\""));
            None
        }
    };
    let language = match raw.language {
        Some(l) if crate::model::is_language_tag(l.get_ref()) => l.into_inner(),
        Some(l) => {
            diags.push(
                Diagnostic::error(format!("`{}` is not a language tag", l.get_ref()))
                    .at(span(&l.span()))
                    .hint("use a BCP 47 tag such as \"en\", \"en-GB\" or \"ru\""),
            );
            "en".into()
        }
        None => "en".into(),
    };
    let (theme, theme_span) = match raw.theme {
        Some(t) => {
            let s = span(&t.span());
            let name = t.into_inner();
            if !crate::model::is_valid_id(&name) {
                diags.push(
                    Diagnostic::error(format!("`{name}` is not a theme name"))
                        .at(s.clone())
                        .hint("a theme name is a folder under themes/: lowercase letters, digits and hyphens"),
                );
            }
            (name, Some(s))
        }
        None => ("default".into(), None),
    };
    let search = match raw.search {
        None => Search::Full,
        Some(v) => match Search::NAMES.iter().find(|(n, _)| *n == v.get_ref()) {
            Some((_, mode)) => *mode,
            None => {
                diags.push(
                    Diagnostic::error(format!("`search = \"{}\"` is not a search mode", v.get_ref()))
                        .at(span(&v.span()))
                        .hint("use \"full\" (the default: every word of every text), \"summaries\" (titles, names and summaries only) or \"off\""),
                );
                Search::Full
            }
        },
    };
    let output_dir = match raw.output_dir {
        Some(o) => {
            let p = PathBuf::from(o.get_ref());
            if o.get_ref().trim().is_empty() || p == Path::new(".") || p == Path::new("..") {
                diags.push(
                    Diagnostic::error("`output_dir` would replace the site itself")
                        .at(span(&o.span()))
                        .hint("use a folder of its own, such as \"public\""),
                );
            }
            p
        }
        None => PathBuf::from("public"),
    };
    let relation_types = relation_types(raw.relations, source, diags);
    if diags.error_count() > before {
        return None;
    }
    Some(Config {
        title: title?,
        base_url: base_url?,
        language,
        description: raw.description,
        theme,
        theme_span,
        output_dir,
        autolink: raw.autolink.unwrap_or(true),
        feed_limit: raw.feed_limit.unwrap_or(DEFAULT_FEED_LIMIT),
        paginate: raw.paginate.unwrap_or(DEFAULT_PAGINATE),
        paginate_events: raw.paginate_events.unwrap_or(DEFAULT_PAGINATE_EVENTS),
        related: raw.related.unwrap_or(DEFAULT_RELATED),
        data_license: raw
            .data_license
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty()),
        search,
        checks: raw
            .checks
            .as_ref()
            .map(Checks::from_raw)
            .unwrap_or_default(),
        relation_types,
    })
}

/// The built-in relation types with the site's declared over them.
fn relation_types(
    raw: Option<std::collections::BTreeMap<Spanned<String>, Spanned<RawRelationType>>>,
    source: SourceId,
    diags: &mut Diagnostics,
) -> Vec<RelationType> {
    let mut types = builtin_relation_types();
    for (name, decl) in raw.into_iter().flatten() {
        let at = Span::new(source, name.span());
        let name = name.into_inner();
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            diags.push(
                Diagnostic::error(format!("`{name}` is not a name for a type of relation"))
                    .at(at)
                    .hint("use lowercase letters, digits and underscores, such as `advises`"),
            );
            continue;
        }
        let decl = decl.into_inner();
        let label = decl
            .label
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty());
        let Some(label) = label else {
            diags.push(
                Diagnostic::error(format!("the relation type `{name}` has no `label`"))
                    .at(at)
                    .hint("add the heading an actor's page shows it under, such as `label = \"Advises\"`"),
            );
            continue;
        };
        let symmetric = decl.symmetric.unwrap_or(false);
        let inverse = match (decl.inverse.map(|i| i.trim().to_string()), symmetric) {
            (Some(_), true) => {
                diags.push(
                    Diagnostic::error(format!(
                        "the relation type `{name}` has both `inverse` and `symmetric = true`"
                    ))
                    .at(at)
                    .hint("a symmetric relation reads the same from both sides: remove `inverse`"),
                );
                continue;
            }
            (Some(i), false) if !i.is_empty() => i,
            (None, true) => label.clone(),
            _ => {
                diags.push(
                    Diagnostic::error(format!(
                        "the relation type `{name}` says neither `inverse` nor `symmetric = true`"
                    ))
                    .at(at)
                    .hint("add what the other actor's page shows, such as `inverse = \"Advised by\"`, or `symmetric = true`"),
                );
                continue;
            }
        };
        let ty = RelationType {
            name,
            label,
            inverse,
            symmetric,
        };
        match types.iter_mut().find(|t| t.name == ty.name) {
            Some(t) => *t = ty,
            None => types.push(ty),
        }
    }
    types
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/format.md gives every default; they must be the code's.
    #[test]
    fn the_format_docs_give_the_defaults() {
        let docs = include_str!("../docs/format.md");
        for (key, default) in [
            ("feed_limit", DEFAULT_FEED_LIMIT),
            ("paginate", DEFAULT_PAGINATE),
            ("paginate_events", DEFAULT_PAGINATE_EVENTS),
            ("related", DEFAULT_RELATED),
        ] {
            let row = format!("| `{key}` | default `{default}` |");
            assert!(docs.contains(&row), "docs/format.md lacks {row:?}");
        }
    }

    #[test]
    fn base_url_keeps_its_subpath() {
        let u = BaseUrl::parse("https://example.org/watch").unwrap();
        assert_eq!(u.origin, "https://example.org");
        assert_eq!(u.path, "/watch/");
        assert_eq!(u.relative("actors/x/"), "/watch/actors/x/");
        assert_eq!(u.absolute(""), "https://example.org/watch/");
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("ftp://example.org").is_err());
        assert!(BaseUrl::parse("https://example.org/../x").is_err());
    }
}
