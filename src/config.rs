//! `site.toml` → [`Config`]: the site's title, base URL, theme and switches,
//! validated, with unknown keys rejected (a misspelt key must not vanish).

use std::path::{Path, PathBuf};

use toml::Spanned;

use crate::checks::{Checks, RawChecks};
use crate::diag::{Diagnostic, Diagnostics, SourceId, Sources, Span};
use crate::load::serde_errors;

/// `site.toml` as written, read key by key (see [`read`]).
#[derive(Debug, Default)]
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
    languages: Vec<(Spanned<String>, Option<String>, Option<String>)>,
}

/// `[relations.<type>]`: a type of relation the site declares.
#[derive(Debug, Default)]
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
    /// The further languages the site publishes in (`[languages.ru]`), in
    /// the order of their codes; the default one is `language`.
    pub languages: Vec<Language>,
}

/// `[languages.<code>]`: a language the site publishes in besides its
/// default, under `/<code>/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Language {
    /// `ru`, as written (a BCP 47 tag).
    pub code: String,
    /// The site's title in it; the default title when not given.
    pub title: String,
    pub description: Option<String>,
    /// Where `[languages.<code>]` was written.
    pub span: Span,
}

impl Config {
    /// The configuration of the site's edition in `lang`: its title and
    /// description, its language, and its pages under `/<code>/`.
    pub(crate) fn edition(&self, lang: &Language) -> Config {
        let mut c = self.clone();
        c.title = lang.title.clone();
        c.description = lang
            .description
            .clone()
            .or_else(|| self.description.clone());
        c.language = lang.code.clone();
        c.base_url.path = format!("{}{}/", self.base_url.path, lang.code);
        c
    }

    /// The further language with this code (case aside).
    pub(crate) fn language(&self, code: &str) -> Option<&Language> {
        self.languages
            .iter()
            .find(|l| l.code.eq_ignore_ascii_case(code))
    }
}

/// The site's public address, split so that every generated link can stay
/// under its path (`https://example.org/watch/` → origin + `/watch/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    /// `https://example.org`
    pub origin: String,
    /// `/watch/`: always starts and ends with `/`. In another language's
    /// edition, its pages' path: `/watch/ru/`.
    pub path: String,
    /// The site's own root, the same in every edition (`/watch/`): where
    /// static files, the sitemap and the open data are, and what a
    /// root-relative link in Markdown starts from.
    pub root: String,
}

impl BaseUrl {
    /// Stands in for a `base_url` with an error while the rest of the site
    /// is checked; the build fails on the error all the same.
    fn fallback() -> BaseUrl {
        BaseUrl::parse("https://example.org/").expect("a valid URL")
    }

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
            root: path.clone(),
            path,
        })
    }

    /// The URL, normalised: `https://example.org/watch/`.
    pub(crate) fn url(&self) -> String {
        format!("{}{}", self.origin, self.root)
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

/// A base URL given on the command line (`--base-url`), validated by the
/// rules of `base_url` in `site.toml`; the error names the flag, since no
/// file holds the value.
pub(crate) fn base_url_flag(given: &str) -> Result<BaseUrl, Box<Diagnostic>> {
    BaseUrl::parse(given).map_err(|why| {
        // `--base-url "$DEPLOY_PRIME_URL/"` with the variable unset.
        let unset = given.trim().trim_matches('/').is_empty().then(|| {
            "it is empty: if it comes from a variable, such as `--base-url \"$DEPLOY_PRIME_URL/\"`, that variable is not set where dossier runs".to_string()
        });
        Box::new(
            Diagnostic::error(format!("`--base-url {given}` is not a usable URL: {why}"))
                .hint_opt(unset)
                .hint("give the address the site will be served from, with its scheme: `--base-url https://example.org/` or `--base-url https://example.org/briefings/`"),
        )
    })
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
                root: "/".into(),
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
            languages: Vec::new(),
        }
    }
}

/// Reads and validates `site.toml` under `root`. `base_url`, when given,
/// takes the place of the file's `base_url` (`--base-url`, for a preview or
/// a subpath), validated by the same rules. Returns None (with diagnostics)
/// when the file is missing or unusable.
pub(crate) fn load(
    root: &Path,
    base_url: Option<&str>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<Config> {
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
    let text: &str = &text;
    let (root, errors) = toml::de::DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let range = e.span().unwrap_or(0..0);
            diags.push(serde_errors::to_diagnostic(
                e.message(),
                Span::new(source, range),
                "site.toml",
                text,
            ));
        }
        return None;
    }
    let raw = read(root.into_inner(), source, diags);
    let mut config = validate(raw, base_url.is_some(), source, diags);
    if let Some(given) = base_url {
        match base_url_flag(given) {
            Ok(url) => config.base_url = url,
            Err(d) => diags.push(*d),
        }
    }
    Some(config)
}

/// The keys of `site.toml` outside any table.
pub(crate) const KEYS: [&str; 16] = [
    "title",
    "base_url",
    "language",
    "description",
    "theme",
    "output_dir",
    "autolink",
    "feed_limit",
    "paginate",
    "paginate_events",
    "related",
    "data_license",
    "search",
    "checks",
    "relations",
    "languages",
];

type Value<'i> = Spanned<toml::de::DeValue<'i>>;

/// Reads `site.toml` key by key, so that every mistake in it is reported in
/// one run (a derived deserializer stops at the first), each in words an
/// author knows: "a whole number", not "usize".
fn read(root: toml::de::DeTable<'_>, source: SourceId, diags: &mut Diagnostics) -> RawConfig {
    let mut raw = RawConfig::default();
    let mut r = Reader { source, diags };
    for (key, value) in root {
        let k = key.get_ref().as_ref();
        match k {
            "title" => raw.title = r.text(value, k),
            "base_url" => raw.base_url = r.text(value, k),
            "language" => raw.language = r.text(value, k),
            "description" => raw.description = r.text(value, k).map(Spanned::into_inner),
            "theme" => raw.theme = r.text(value, k),
            "output_dir" => raw.output_dir = r.text(value, k),
            "autolink" => raw.autolink = r.boolean(value, k),
            "feed_limit" => raw.feed_limit = r.count(value, k),
            "paginate" => raw.paginate = r.count(value, k),
            "paginate_events" => raw.paginate_events = r.count(value, k),
            "related" => raw.related = r.count(value, k),
            "data_license" => raw.data_license = r.text(value, k).map(Spanned::into_inner),
            "search" => raw.search = r.text(value, k),
            "checks" => raw.checks = r.checks(value),
            "relations" => raw.relations = r.relations(value),
            "languages" => raw.languages = r.languages(value),
            _ => r.unknown(&key, "site.toml", &KEYS),
        }
    }
    raw
}

struct Reader<'d> {
    source: SourceId,
    diags: &'d mut Diagnostics,
}

impl Reader<'_> {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.source, range)
    }

    fn wrong(&mut self, value: &Value<'_>, message: String, hint: String) {
        let d = Diagnostic::error(message)
            .at(self.span(value.span()))
            .hint(hint);
        self.diags.push(d);
    }

    /// Text, in quotes.
    fn text(&mut self, value: Value<'_>, key: &str) -> Option<Spanned<String>> {
        let span = value.span();
        match value.into_inner() {
            toml::de::DeValue::String(s) => Some(Spanned::new(span, s.into_owned())),
            other => {
                let shown = shown(&other);
                self.diags.push(
                    Diagnostic::error(format!("`{key}` takes text in quotes"))
                        .at(self.span(span))
                        .hint(format!("write `{key} = \"{shown}\"`")),
                );
                None
            }
        }
    }

    /// A whole number, 0 or more.
    fn count<T: TryFrom<u64>>(&mut self, value: Value<'_>, key: &str) -> Option<T> {
        let number = match value.get_ref() {
            toml::de::DeValue::Integer(i) if i.radix() == 10 => {
                i.as_str().replace('_', "").parse::<u64>().ok()
            }
            _ => None,
        };
        if let Some(n) = number.and_then(|n| T::try_from(n).ok()) {
            return Some(n);
        }
        let (message, hint) = match value.get_ref() {
            toml::de::DeValue::String(s) if s.trim().parse::<u64>().is_ok() => (
                format!("`{key}` is a number, not text"),
                format!("write it without quotes: `{key} = {}`", s.trim()),
            ),
            toml::de::DeValue::Integer(i) if i.as_str().starts_with('-') => (
                format!("`{key}` cannot be negative"),
                format!("write 0 or more: `{key} = 0`"),
            ),
            _ => (
                format!("`{key}` takes a whole number"),
                format!("write a number such as `{key} = 20`"),
            ),
        };
        self.wrong(&value, message, hint);
        None
    }

    /// `true` or `false`.
    fn boolean(&mut self, value: Value<'_>, key: &str) -> Option<bool> {
        match value.get_ref() {
            toml::de::DeValue::Boolean(b) => Some(*b),
            toml::de::DeValue::String(s) if matches!(s.trim(), "true" | "false") => {
                let hint = format!("write it without quotes: `{key} = {}`", s.trim());
                self.wrong(&value, format!("`{key}` is true or false, not text"), hint);
                None
            }
            _ => {
                self.wrong(
                    &value,
                    format!("`{key}` takes true or false"),
                    format!("write `{key} = true` or `{key} = false`"),
                );
                None
            }
        }
    }

    /// A key that is not one of `allowed`.
    fn unknown(&mut self, key: &Spanned<toml::de::DeString<'_>>, what: &str, allowed: &[&str]) {
        let k = key.get_ref().as_ref();
        let d = Diagnostic::error(format!("unknown key `{k}` in {what}"))
            .at(self.span(key.span()))
            .label("not a key here")
            .hint_opt(crate::diag::did_you_mean_hint(k, allowed.iter().copied()))
            .hint(format!("the keys allowed here are: {}", allowed.join(", ")));
        self.diags.push(d);
    }

    /// A site setting written after a `[table]` header, which TOML reads as
    /// part of that table. Reported as what it is, not as an unknown key.
    fn misplaced(&mut self, key: &Spanned<toml::de::DeString<'_>>, table: &str) -> bool {
        let k = key.get_ref().as_ref();
        if !KEYS.contains(&k) || k == "checks" || k == "relations" {
            return false;
        }
        let d = serde_errors::misplaced_toml_key(k, "a site setting", table, self.span(key.span()));
        self.diags.push(d);
        true
    }

    /// `[checks]`: each check's level, and `stale_after_days`.
    fn checks(&mut self, value: Value<'_>) -> Option<RawChecks> {
        let span = value.span();
        let toml::de::DeValue::Table(table) = value.into_inner() else {
            self.diags.push(
                Diagnostic::error("`checks` is a table")
                    .at(self.span(span))
                    .hint("write `[checks]` on a line of its own, then one `name = \"warn\"` per line"),
            );
            return None;
        };
        let names: Vec<&str> = crate::checks::Check::ALL
            .iter()
            .map(|c| c.name())
            .chain(["stale_after_days"])
            .collect();
        let mut raw = RawChecks::default();
        for (key, value) in table {
            let k = key.get_ref().as_ref();
            if k == "stale_after_days" {
                raw.stale_after_days = self.count(value, k);
            } else if let Some(i) = crate::checks::Check::ALL.iter().position(|c| c.name() == k) {
                match value.get_ref() {
                    toml::de::DeValue::String(s) if crate::checks::Level::parse(s).is_some() => {
                        raw.levels[i] = crate::checks::Level::parse(s);
                    }
                    _ => {
                        let shown = shown(value.get_ref());
                        self.wrong(
                            &value,
                            format!("`{shown}` is not a level for a check"),
                            format!("write `{k} = \"warn\"`, `\"error\"` or `\"off\"`"),
                        );
                    }
                }
            } else if !self.misplaced(&key, "checks") {
                self.unknown(&key, "[checks]", &names);
            }
        }
        Some(raw)
    }

    /// `[languages.<code>]`: each with its `title` and `description`.
    fn languages(
        &mut self,
        value: Value<'_>,
    ) -> Vec<(Spanned<String>, Option<String>, Option<String>)> {
        let span = value.span();
        let toml::de::DeValue::Table(table) = value.into_inner() else {
            self.diags.push(
                Diagnostic::error("`languages` is a table of languages")
                    .at(self.span(span))
                    .hint("declare each language under its own header: `[languages.ru]`, then `title = …`"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (code, decl) in table {
            let decl_span = decl.span();
            let header = format!("languages.{}", code.get_ref());
            let toml::de::DeValue::Table(fields) = decl.into_inner() else {
                self.diags.push(
                    Diagnostic::error(format!("`{header}` is a table"))
                        .at(self.span(decl_span))
                        .hint(format!(
                            "write `[{header}]` on a line of its own, then `title = …`"
                        )),
                );
                continue;
            };
            let (mut title, mut description) = (None, None);
            for (key, value) in fields {
                let k = key.get_ref().as_ref();
                match k {
                    "title" => title = self.text(value, k).map(Spanned::into_inner),
                    "description" => description = self.text(value, k).map(Spanned::into_inner),
                    _ if self.misplaced(&key, &header) => {}
                    _ => self.unknown(&key, &format!("[{header}]"), &["title", "description"]),
                }
            }
            out.push((
                Spanned::new(code.span(), code.into_inner().into_owned()),
                title,
                description,
            ));
        }
        out
    }

    /// `[relations.<type>]`: the types of relation the site declares.
    #[allow(clippy::type_complexity)]
    fn relations(
        &mut self,
        value: Value<'_>,
    ) -> Option<std::collections::BTreeMap<Spanned<String>, Spanned<RawRelationType>>> {
        let span = value.span();
        let toml::de::DeValue::Table(table) = value.into_inner() else {
            self.diags.push(
                Diagnostic::error("`relations` is a table of types")
                    .at(self.span(span))
                    .hint("declare each type under its own header: `[relations.advises]`, then `label = …` and `inverse = …`"),
            );
            return None;
        };
        let mut out = std::collections::BTreeMap::new();
        for (name, decl) in table {
            let decl_span = decl.span();
            let toml::de::DeValue::Table(fields) = decl.into_inner() else {
                self.diags.push(
                    Diagnostic::error(format!("`relations.{}` is a table", name.get_ref()))
                        .at(self.span(decl_span))
                        .hint(format!("write `[relations.{}]` on a line of its own, then `label = …` and `inverse = …`", name.get_ref())),
                );
                continue;
            };
            let mut t = RawRelationType::default();
            let header = format!("relations.{}", name.get_ref());
            for (key, value) in fields {
                let k = key.get_ref().as_ref();
                match k {
                    "label" => t.label = self.text(value, k).map(Spanned::into_inner),
                    "inverse" => t.inverse = self.text(value, k).map(Spanned::into_inner),
                    "symmetric" => t.symmetric = self.boolean(value, k),
                    _ if self.misplaced(&key, &header) => {}
                    _ => self.unknown(
                        &key,
                        &format!("[{header}]"),
                        &["label", "inverse", "symmetric"],
                    ),
                }
            }
            out.insert(
                Spanned::new(name.span(), name.into_inner().into_owned()),
                Spanned::new(decl_span, t),
            );
        }
        Some(out)
    }
}

/// A TOML value as the author wrote it, roughly, for hints.
fn shown(v: &toml::de::DeValue<'_>) -> String {
    match v {
        toml::de::DeValue::String(s) => s.to_string(),
        toml::de::DeValue::Integer(i) => i.to_string(),
        toml::de::DeValue::Float(f) => f.to_string(),
        toml::de::DeValue::Boolean(b) => b.to_string(),
        toml::de::DeValue::Datetime(d) => d.to_string(),
        toml::de::DeValue::Array(_) => "…".into(),
        toml::de::DeValue::Table(_) => "…".into(),
    }
}

/// The configuration, with a setting that has an error replaced by its
/// default, so that the rest of the site is still read and all its errors
/// are reported in the same run (the build fails all the same).
fn validate(
    raw: RawConfig,
    base_url_given: bool,
    source: SourceId,
    diags: &mut Diagnostics,
) -> Config {
    let span = |s: &std::ops::Range<usize>| Span::new(source, s.clone());
    let missing = |key: &str, example: &str| {
        Diagnostic::error(format!("site.toml is missing the required key `{key}`"))
            .at(Span::file(source))
            .hint(format!("add a line such as `{key} = {example}`"))
    };
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
        // `--base-url` stands in for a missing key.
        None if base_url_given => None,
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
                // The built-in theme meanwhile, so that templates are checked.
                ("default".into(), None)
            } else {
                (name, Some(s))
            }
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
    let title_for_languages = title.clone();
    let mut languages: Vec<Language> = Vec::new();
    for (code, title, description) in raw.languages {
        let at = span(&code.span());
        let code = code.into_inner();
        if !crate::model::is_language_tag(&code) {
            diags.push(
                Diagnostic::error(format!("`{code}` is not a language tag"))
                    .at(at)
                    .hint("use a BCP 47 tag such as `[languages.ru]`, `[languages.kk]` or `[languages.pt-BR]`"),
            );
            continue;
        }
        if code.eq_ignore_ascii_case(&language) {
            diags.push(
                Diagnostic::error(format!("`{code}` is already the site's language"))
                    .at(at)
                    .hint("`language` is the default language, at the root of the site; `[languages.…]` declares the others"),
            );
            continue;
        }
        if languages.iter().any(|l| l.code.eq_ignore_ascii_case(&code)) {
            continue;
        }
        languages.push(Language {
            title: title
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .or_else(|| title_for_languages.clone())
                .unwrap_or_default(),
            description: description
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty()),
            code,
            span: at,
        });
    }
    Config {
        title: title.unwrap_or_default(),
        base_url: base_url.unwrap_or_else(BaseUrl::fallback),
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
        languages,
    }
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
            fallback(&mut types, &name);
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
                fallback(&mut types, &name);
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
                fallback(&mut types, &name);
                continue;
            }
        };
        let ty = RelationType {
            name,
            label,
            inverse,
            symmetric,
        };
        register(&mut types, ty);
    }
    types
}

fn register(types: &mut Vec<RelationType>, ty: RelationType) {
    match types.iter_mut().find(|t| t.name == ty.name) {
        Some(t) => *t = ty,
        None => types.push(ty),
    }
}

/// A declared type with an error still exists while the rest of the site
/// is checked, so that its uses are not reported as unknown too.
fn fallback(types: &mut Vec<RelationType>, name: &str) {
    register(
        types,
        RelationType {
            name: name.to_string(),
            label: name.to_string(),
            inverse: name.to_string(),
            symmetric: true,
        },
    );
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
