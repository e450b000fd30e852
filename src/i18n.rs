//! The theme's words in each language: every label the theme prints, how
//! dates are written and which plural form a number takes. One file per
//! language, `i18n/<lang>.toml` in the theme, read by the theme stage (a
//! site's file merged over the built-in one key by key); a [`Locale`] is
//! what one language resolves to, held by the render stage and given to
//! templates as `t`. Nothing here is global: a build that renders several
//! languages asks the theme for one locale each.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::config::{RELATION_TYPES, RelationType};
use crate::diag::{Diagnostic, Diagnostics, SourceId, Span, did_you_mean_hint};
use crate::model::{ActorKind, Date, SourceKind};

/// The language every other falls back to, key by key.
pub(crate) const FALLBACK: &str = "en";

/// Which way a language is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// Which form a counted text takes for a number, by the CLDR rules for
/// whole numbers. Named after a language that follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PluralRule {
    /// `one` for 1, `other` for the rest: English, German, Dutch, Spanish…
    En,
    /// `one` for 0 and 1, `other` for the rest: French, Brazilian Portuguese.
    Fr,
    /// `one` for 1, 21, 31…, `few` for 2–4, 22–24…, `many` for the rest:
    /// Russian, Ukrainian, Belarusian.
    Ru,
    /// `one` for 1, `few` for 2–4, 22–24… (not 12–14), `many` for the rest:
    /// Polish.
    Pl,
    /// `other` for every number: Chinese, Japanese, Korean, Turkish…
    None,
}

impl PluralRule {
    const NAMES: [(&'static str, PluralRule); 5] = [
        ("en", PluralRule::En),
        ("fr", PluralRule::Fr),
        ("ru", PluralRule::Ru),
        ("pl", PluralRule::Pl),
        ("none", PluralRule::None),
    ];

    /// The form `n` takes: `one`, `few`, `many` or `other`.
    pub(crate) fn form(self, n: u64) -> &'static str {
        let (ten, hundred) = (n % 10, n % 100);
        match self {
            PluralRule::En if n == 1 => "one",
            PluralRule::Fr if n <= 1 => "one",
            PluralRule::Ru if ten == 1 && hundred != 11 => "one",
            PluralRule::Ru | PluralRule::Pl
                if (2..=4).contains(&ten) && !(12..=14).contains(&hundred) =>
            {
                "few"
            }
            PluralRule::Ru => "many",
            PluralRule::Pl if n == 1 => "one",
            PluralRule::Pl => "many",
            _ => "other",
        }
    }
}

/// The names of the forms a counted text may have (CLDR's categories).
const FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// A text of the theme: one string, or its forms by number (`one`,
/// `other`…), for a text that says how many.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub(crate) enum Text {
    One(String),
    Forms(BTreeMap<String, String>),
}

impl Text {
    /// The form for a number in this form (`few`), else `other`, else any.
    fn form(&self, form: &str) -> &str {
        match self {
            Text::One(s) => s,
            Text::Forms(forms) => forms
                .get(form)
                .or_else(|| forms.get("other"))
                .or_else(|| forms.values().next())
                .map_or("", String::as_str),
        }
    }

    fn placeholders(&self) -> BTreeSet<&str> {
        match self {
            Text::One(s) => placeholders(s).collect(),
            Text::Forms(forms) => forms.values().flat_map(|s| placeholders(s)).collect(),
        }
    }
}

/// The date formats a file may set, with the placeholders each may use.
/// Every one is a template such as `{day} {month_in_date} {year}`.
const DATE_FORMATS: [(&str, &[&str]); 17] = [
    ("day_one", &[]),
    ("day", DATE_PARTS),
    ("month", DATE_PARTS),
    ("year", DATE_PARTS),
    (
        "day_range",
        &["day", "end_day", "month", "month_in_date", "year"],
    ),
    ("day_month_range", &["day", "month", "month_in_date", "end"]),
    ("month_range", &["month", "month_in_date", "end"]),
    ("range", &["start", "end"]),
    ("since_day", PHRASE_PARTS),
    ("since_month", PHRASE_PARTS),
    ("since_year", PHRASE_PARTS),
    ("until_day", PHRASE_PARTS),
    ("until_month", PHRASE_PARTS),
    ("until_year", PHRASE_PARTS),
    ("on_day", PHRASE_PARTS),
    ("in_month", PHRASE_PARTS),
    ("in_year", PHRASE_PARTS),
];
const DATE_PARTS: &[&str] = &["day", "month", "month_in_date", "year"];
const PHRASE_PARTS: &[&str] = &["date", "day", "month", "month_in_date", "year"];

/// The keys of a file outside its tables, and its tables.
const TOP_KEYS: [&str; 6] = [
    "name",
    "direction",
    "plural",
    "dates",
    "strings",
    "relations",
];

/// One i18n file as written: only what it sets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct LocaleFile {
    /// The language's own name (`Русский`).
    pub name: Option<String>,
    pub direction: Option<Direction>,
    pub plural: Option<PluralRule>,
    /// Standalone month names: `January 2022`, timeline headings.
    pub months: Option<Vec<String>>,
    /// Month names in a full date (`5 января 2022 г.`: genitive in Russian).
    pub months_in_date: Option<Vec<String>>,
    /// `[dates]` formats but the month names.
    pub dates: BTreeMap<String, String>,
    /// `[strings]`.
    pub strings: BTreeMap<String, Text>,
    /// `[relations]`: labels of relation types (`leads`, `leads_inverse`).
    pub relations: BTreeMap<String, String>,
}

impl LocaleFile {
    /// Lays `over` on this file: what it sets replaces what this one
    /// says, key by key (a counted text form by form).
    pub(crate) fn overlay(&mut self, over: &LocaleFile) {
        fn set<T: Clone>(a: &mut Option<T>, b: &Option<T>) {
            if b.is_some() {
                a.clone_from(b);
            }
        }
        set(&mut self.name, &over.name);
        set(&mut self.direction, &over.direction);
        set(&mut self.plural, &over.plural);
        set(&mut self.months, &over.months);
        set(&mut self.months_in_date, &over.months_in_date);
        self.dates
            .extend(over.dates.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.relations
            .extend(over.relations.iter().map(|(k, v)| (k.clone(), v.clone())));
        for (key, text) in &over.strings {
            match (self.strings.get_mut(key), text) {
                (Some(Text::Forms(mine)), Text::Forms(theirs)) => {
                    mine.extend(theirs.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                _ => {
                    self.strings.insert(key.clone(), text.clone());
                }
            }
        }
    }
}

/// What a file other than the built-in English one may set: the texts
/// English has, and labels for the site's relation types.
pub(crate) struct Allowed<'a> {
    pub english: &'a LocaleFile,
    pub relation_types: &'a [RelationType],
}

type Value<'i> = toml::Spanned<toml::de::DeValue<'i>>;
type Key<'i> = toml::Spanned<toml::de::DeString<'i>>;

/// Reads an i18n file, reporting every mistake in it with its position:
/// TOML syntax, a key the file may not have (with the nearest it may), a
/// value of the wrong shape, a placeholder the text does not take. `what`
/// names the file in messages (`i18n/ru.toml`). With `allowed` None (the
/// built-in English file), any text key is accepted.
pub(crate) fn parse(
    source: SourceId,
    text: &str,
    what: &str,
    allowed: Option<&Allowed<'_>>,
    diags: &mut Diagnostics,
) -> LocaleFile {
    let (root, errors) = toml::de::DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let range = e.span().unwrap_or(0..0);
            diags.push(crate::load::serde_errors::to_diagnostic(
                e.message(),
                Span::new(source, range),
                what,
                text,
            ));
        }
        return LocaleFile::default();
    }
    let mut r = Reader {
        source,
        text,
        what,
        allowed,
        diags,
        file: LocaleFile::default(),
    };
    for (key, value) in root.into_inner() {
        match key.get_ref().as_ref() {
            "name" => r.file.name = r.text(value, "name"),
            "direction" => r.file.direction = r.direction(value),
            "plural" => r.file.plural = r.plural(value),
            "dates" => r.dates(value),
            "strings" => r.strings(value),
            "relations" => r.relations(value),
            _ => r.unknown(&key, what, TOP_KEYS.iter().copied(), None),
        }
    }
    r.file
}

struct Reader<'a, 'd> {
    source: SourceId,
    /// The file's text, to point at a placeholder inside a value.
    text: &'a str,
    what: &'a str,
    allowed: Option<&'a Allowed<'a>>,
    diags: &'d mut Diagnostics,
    file: LocaleFile,
}

impl Reader<'_, '_> {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.source, range)
    }

    fn unknown<'c>(
        &mut self,
        key: &Key<'_>,
        table: &str,
        allowed: impl Iterator<Item = &'c str> + Clone,
        hint: Option<String>,
    ) {
        let k = key.get_ref().as_ref();
        let mut d = Diagnostic::error(format!("unknown key `{k}` in {table}"))
            .at(self.span(key.span()))
            .label("not a key here")
            .hint_opt(did_you_mean_hint(k, allowed.clone()));
        d = match hint {
            Some(h) => d.hint(h),
            None => d.hint(format!(
                "the keys allowed here are: {}",
                allowed.collect::<Vec<_>>().join(", ")
            )),
        };
        self.diags.push(d);
    }

    fn wrong(&mut self, span: std::ops::Range<usize>, message: String, hint: String) {
        let d = Diagnostic::error(message).at(self.span(span)).hint(hint);
        self.diags.push(d);
    }

    /// Text in quotes.
    fn text(&mut self, value: Value<'_>, key: &str) -> Option<String> {
        let span = value.span();
        match value.into_inner() {
            toml::de::DeValue::String(s) => Some(s.into_owned()),
            _ => {
                self.wrong(
                    span,
                    format!("`{key}` in {} takes text in quotes", self.what),
                    format!("write `{key} = \"…\"`"),
                );
                None
            }
        }
    }

    /// A table, or a diagnostic saying how to write one.
    fn table<'i>(&mut self, value: Value<'i>, name: &str) -> Option<toml::de::DeTable<'i>> {
        let span = value.span();
        match value.into_inner() {
            toml::de::DeValue::Table(t) => Some(t),
            _ => {
                self.wrong(
                    span,
                    format!("`{name}` in {} is a table", self.what),
                    format!("write `[{name}]` on a line of its own, then its keys below it"),
                );
                None
            }
        }
    }

    fn direction(&mut self, value: Value<'_>) -> Option<Direction> {
        let span = value.span();
        match self.text(value, "direction")?.as_str() {
            "ltr" => Some(Direction::Ltr),
            "rtl" => Some(Direction::Rtl),
            other => {
                self.wrong(
                    span,
                    format!("`{other}` is not a direction"),
                    "write `direction = \"ltr\"` (left to right) or `direction = \"rtl\"` (right to left: Arabic, Hebrew, Persian…)".into(),
                );
                None
            }
        }
    }

    fn plural(&mut self, value: Value<'_>) -> Option<PluralRule> {
        let span = value.span();
        let name = self.text(value, "plural")?;
        if let Some((_, rule)) = PluralRule::NAMES.iter().find(|(n, _)| *n == name) {
            return Some(*rule);
        }
        let names = PluralRule::NAMES.map(|(n, _)| n);
        let d = Diagnostic::error(format!("`{name}` is not a plural rule dossier knows"))
            .at(self.span(span))
            .hint_opt(did_you_mean_hint(&name, names))
            .hint("the rules are: `en` (one, other: English, German…), `fr` (one for 0 and 1, other), `ru` (one, few, many: Russian, Ukrainian), `pl` (Polish) and `none` (other only: Chinese, Japanese…)");
        self.diags.push(d);
        None
    }

    fn dates(&mut self, value: Value<'_>) {
        let Some(table) = self.table(value, "dates") else {
            return;
        };
        let keys = || {
            DATE_FORMATS
                .iter()
                .map(|(k, _)| *k)
                .chain(["months", "months_in_date"])
        };
        for (key, value) in table {
            let k = key.get_ref().as_ref();
            if k == "months" || k == "months_in_date" {
                let months = self.months(value, k);
                match k {
                    "months" => self.file.months = months,
                    _ => self.file.months_in_date = months,
                }
                continue;
            }
            let Some((_, parts)) = DATE_FORMATS.iter().find(|(f, _)| *f == k) else {
                if !self.misplaced(&key, "dates") {
                    self.unknown(&key, "[dates]", keys(), None);
                }
                continue;
            };
            let span = value.span();
            if let Some(format) = self.text(value, k) {
                self.check_placeholders(placeholders(&format), span, k, parts);
                self.file.dates.insert(k.to_string(), format);
            }
        }
    }

    /// Twelve names in brackets.
    fn months(&mut self, value: Value<'_>, key: &str) -> Option<Vec<String>> {
        let span = value.span();
        let names: Option<Vec<String>> = match value.into_inner() {
            toml::de::DeValue::Array(items) => items
                .into_iter()
                .map(|v| match v.into_inner() {
                    toml::de::DeValue::String(s) => Some(s.into_owned()),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        match names {
            Some(names) if names.len() == 12 => Some(names),
            _ => {
                self.wrong(
                    span,
                    format!("`{key}` is the twelve month names, January first"),
                    format!("write `{key} = [\"January\", \"February\", …, \"December\"]` with twelve names in quotes"),
                );
                None
            }
        }
    }

    fn strings(&mut self, value: Value<'_>) {
        let Some(table) = self.table(value, "strings") else {
            return;
        };
        let english = self.allowed.map(|a| a.english);
        for (key, value) in table {
            let k = key.get_ref().as_ref().to_string();
            let reference = match english {
                Some(en) => match en.strings.get(&k) {
                    Some(t) => Some(t),
                    None if self.misplaced(&key, "strings") => continue,
                    None => {
                        self.unknown(
                            &key,
                            "[strings]",
                            en.strings.keys().map(String::as_str),
                            Some("a theme's texts are those of the built-in English file, i18n/en.toml; `dossier theme i18n/en.toml` copies it into the site to read".into()),
                        );
                        continue;
                    }
                },
                None => None,
            };
            let span = value.span();
            let text = match value.into_inner() {
                // One text for every number: the `other` form of a counted
                // text, so that templates always find its forms.
                toml::de::DeValue::String(s) if matches!(reference, Some(Text::Forms(_))) => {
                    Text::Forms(BTreeMap::from([("other".to_string(), s.into_owned())]))
                }
                toml::de::DeValue::String(s) => Text::One(s.into_owned()),
                toml::de::DeValue::Table(forms) => {
                    if matches!(reference, Some(Text::One(_))) {
                        self.wrong(
                            span,
                            format!("`{k}` is one text, not forms by number"),
                            format!("write `{k} = \"…\"`"),
                        );
                        continue;
                    }
                    let mut out = BTreeMap::new();
                    for (form, v) in forms {
                        let f = form.get_ref().as_ref().to_string();
                        if !FORMS.contains(&f.as_str()) {
                            self.unknown(
                                &form,
                                &format!("`{k}`"),
                                FORMS.iter().copied(),
                                Some(format!("the forms of a counted text are: {}; which ones a number takes is set by `plural`", FORMS.join(", "))),
                            );
                            continue;
                        }
                        if let Some(s) = self.text(v, &format!("{k}.{f}")) {
                            out.insert(f, s);
                        }
                    }
                    Text::Forms(out)
                }
                _ => {
                    self.wrong(
                        span,
                        format!("`{k}` in {} takes text in quotes", self.what),
                        format!("write `{k} = \"…\"`, or for a text that counts, `{k} = {{ one = \"…\", other = \"…\" }}`"),
                    );
                    continue;
                }
            };
            if let Some(reference) = reference {
                let allowed: Vec<&str> = reference.placeholders().into_iter().collect();
                let used: Vec<String> = text
                    .placeholders()
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                self.check_placeholders(used.iter().map(String::as_str), span, &k, &allowed);
            }
            self.file.strings.insert(k, text);
        }
    }

    /// Reports each placeholder of a text that is not one of `parts`, at
    /// the placeholder itself where it can find it in the file.
    fn check_placeholders<'p>(
        &mut self,
        used: impl Iterator<Item = &'p str>,
        span: std::ops::Range<usize>,
        key: &str,
        parts: &[&str],
    ) {
        for p in used {
            if parts.contains(&p) {
                continue;
            }
            let written = format!("{{{p}}}");
            let at = self
                .text
                .get(span.clone())
                .and_then(|t| t.find(&written))
                .map_or(span.clone(), |i| {
                    span.start + i..span.start + i + written.len()
                });
            let hint = match parts {
                [] => "this text takes no placeholder: write it without `{…}`".to_string(),
                _ => format!(
                    "the placeholders of `{key}` are: {}",
                    parts
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let d = Diagnostic::error(format!(
                "`{key}` has a placeholder `{written}` it does not take"
            ))
            .at(self.span(at))
            .label("not a placeholder of this text")
            .hint_opt(did_you_mean_hint(p, parts.iter().copied()))
            .hint(hint);
            self.diags.push(d);
        }
    }

    /// A setting of the file (`name`, `direction`, `plural`) written after
    /// a `[table]` header, which TOML reads as part of that table.
    fn misplaced(&mut self, key: &Key<'_>, table: &str) -> bool {
        let k = key.get_ref().as_ref();
        if !matches!(k, "name" | "direction" | "plural") {
            return false;
        }
        let d = crate::load::serde_errors::misplaced_toml_key(
            k,
            "a setting of the whole file",
            table,
            self.span(key.span()),
        );
        self.diags.push(d);
        true
    }

    fn relations(&mut self, value: Value<'_>) {
        let Some(table) = self.table(value, "relations") else {
            return;
        };
        let names: Vec<String> = match self.allowed {
            Some(a) => a
                .relation_types
                .iter()
                .flat_map(|t| {
                    let mut keys = vec![t.name.clone()];
                    if !t.symmetric {
                        keys.push(format!("{}_inverse", t.name));
                    }
                    keys
                })
                .collect(),
            None => Vec::new(),
        };
        for (key, value) in table {
            let k = key.get_ref().as_ref().to_string();
            if self.allowed.is_some() && !names.contains(&k) {
                if self.misplaced(&key, "relations") {
                    continue;
                }
                self.unknown(
                    &key,
                    "[relations]",
                    names.iter().map(String::as_str),
                    Some(format!(
                        "label the site's types of relation, each as `name` and, read from the other side, `name_inverse`: {}",
                        names.join(", ")
                    )),
                );
                continue;
            }
            if let Some(label) = self.text(value, &k) {
                self.file.relations.insert(k, label);
            }
        }
    }
}

/// The `{name}`s of a text.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|rest| {
        let end = rest.find('}')?;
        let name = &rest[..end];
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then_some(name)
    })
}

/// `text` with each `{name}` of `args` replaced by its value, in one pass
/// (a value that holds braces is never read again); other braces stay.
pub(crate) fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            args.iter()
                .find(|(n, _)| *n == &after[..close])
                .map(|a| (close, a.1))
        }) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The files of one language, most specific first, English last: what a
/// [`Locale`] is resolved from, key by key.
pub(crate) type Chain<'a> = Vec<&'a LocaleFile>;

/// The theme's words in one language, resolved: every text English has,
/// in this language where its file (or the file of its primary subtag)
/// says it, else in English.
#[derive(Debug)]
pub(crate) struct Locale {
    /// The language asked for (`pt-BR`), as the site writes it.
    lang: String,
    name: String,
    direction: Direction,
    plural: PluralRule,
    months: Vec<String>,
    months_in_date: Vec<String>,
    dates: BTreeMap<String, String>,
    strings: BTreeMap<String, Text>,
    /// Per relation type of the site, in its order: label, inverse label.
    relations: Vec<(String, String)>,
    version: u64,
}

impl Locale {
    /// Resolves `lang` from `chain`. `site_language` says whether `lang` is
    /// the language `site.toml` is written in: there, the labels a site
    /// gives its relation types in `site.toml` win; elsewhere an i18n file
    /// may translate them.
    pub(crate) fn resolve(
        lang: &str,
        chain: &Chain<'_>,
        relation_types: &[RelationType],
        site_language: bool,
    ) -> Locale {
        fn first<'c, T>(
            chain: &Chain<'c>,
            f: impl Fn(&'c LocaleFile) -> Option<&'c T>,
        ) -> Option<&'c T> {
            chain.iter().find_map(|file| f(file))
        }
        let mut strings = BTreeMap::new();
        let mut dates = BTreeMap::new();
        for file in chain.iter().rev() {
            // Later (more specific) files replace whole entries: the forms
            // of a counted text never mix two languages.
            strings.extend(file.strings.iter().map(|(k, v)| (k.clone(), v.clone())));
            dates.extend(file.dates.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let months = first(chain, |f| f.months.as_ref())
            .cloned()
            .unwrap_or_else(|| vec![String::new(); 12]);
        // A file without `months_in_date` uses its own `months` in dates.
        let months_in_date = chain
            .iter()
            .find_map(|f| f.months_in_date.as_ref().or(f.months.as_ref()))
            .cloned()
            .unwrap_or_else(|| months.clone());
        let relations = relation_types
            .iter()
            .map(|ty| {
                let builtin = RELATION_TYPES.iter().find(|(n, _, _)| *n == ty.name);
                let relabelled = builtin.is_none_or(|(_, label, inverse)| {
                    ty.label != *label || ty.inverse != inverse.unwrap_or(label)
                });
                let inverse_key = format!("{}_inverse", ty.name);
                let find = |key: &str| first(chain, |f| f.relations.get(key)).cloned();
                if relabelled && site_language {
                    return (ty.label.clone(), ty.inverse.clone());
                }
                let label = find(&ty.name).unwrap_or_else(|| ty.label.clone());
                let inverse = if ty.symmetric {
                    label.clone()
                } else {
                    find(&inverse_key).unwrap_or_else(|| ty.inverse.clone())
                };
                (label, inverse)
            })
            .collect();
        let mut locale = Locale {
            lang: lang.to_string(),
            name: first(chain, |f| f.name.as_ref())
                .cloned()
                .unwrap_or_else(|| lang.to_string()),
            direction: first(chain, |f| f.direction.as_ref())
                .copied()
                .unwrap_or(Direction::Ltr),
            plural: first(chain, |f| f.plural.as_ref())
                .copied()
                .unwrap_or(PluralRule::En),
            months,
            months_in_date,
            dates,
            strings,
            relations,
            version: 0,
        };
        locale.version = crate::hash::version((
            &locale.lang,
            &locale.name,
            locale.direction,
            locale.plural,
            &locale.months,
            &locale.months_in_date,
            &locale.dates,
            &locale.strings,
            &locale.relations,
        ));
        locale
    }

    /// The language's own name (`Русский`).
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn direction(&self) -> Direction {
        self.direction
    }

    pub(crate) fn plural_rule(&self) -> PluralRule {
        self.plural
    }

    /// Changes whenever anything the locale says changes.
    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    /// Every text, for templates (`t`): a text, or a map of its forms.
    pub(crate) fn strings(&self) -> &BTreeMap<String, Text> {
        &self.strings
    }

    /// A text (a counted one's `other` form).
    pub(crate) fn text<'s>(&'s self, key: &'s str) -> &'s str {
        self.strings.get(key).map_or(key, |t| t.form("other"))
    }

    /// A text with its placeholders filled.
    pub(crate) fn text_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.text(key), args)
    }

    /// A counted text in the form `n` takes, `{n}` filled.
    pub(crate) fn count(&self, key: &str, n: usize) -> String {
        self.count_with(key, n, &[])
    }

    /// A counted text in the form `n` takes, `{n}` and `args` filled.
    pub(crate) fn count_with(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let form = self.plural.form(n as u64);
        let text = self.strings.get(key).map_or(key, |t: &Text| t.form(form));
        let n = n.to_string();
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(args);
        fill(text, &all)
    }

    /// `Person`, `Organisation`…
    pub(crate) fn kind(&self, kind: ActorKind) -> &str {
        self.text(kind.as_str())
    }

    /// A heading for actors of a kind: `People`, `Organisations`…
    pub(crate) fn kinds(&self, kind: ActorKind) -> &str {
        self.text(kind_keys(kind).0)
    }

    /// A link to every actor of a kind: `All 14 people`.
    pub(crate) fn all_of_kind(&self, kind: ActorKind, n: usize) -> String {
        self.count(kind_keys(kind).1, n)
    }

    /// `Official`, `Media`, `NGO`…
    pub(crate) fn source_kind(&self, kind: SourceKind) -> &str {
        self.text(match kind {
            SourceKind::Official => "source_official",
            SourceKind::Media => "source_media",
            SourceKind::Ngo => "source_ngo",
            SourceKind::Academic => "source_academic",
            SourceKind::Dataset => "source_dataset",
            SourceKind::Other => "source_other",
        })
    }

    /// The heading of relation type `kind` (an index into the site's
    /// types), seen from its owner or, `inverse`, from the other side.
    pub(crate) fn relation(&self, kind: usize, inverse: bool) -> &str {
        self.relations
            .get(kind)
            .map_or("", |(label, inv)| if inverse { inv } else { label })
    }

    fn format(&self, key: &str, d: Date, extra: &[(&str, &str)]) -> String {
        let day = match d.day() {
            Some(1) => self
                .dates
                .get("day_one")
                .cloned()
                .unwrap_or_else(|| "1".into()),
            Some(n) => n.to_string(),
            None => String::new(),
        };
        let m = usize::try_from(d.month().unwrap_or(1) - 1).unwrap_or(0);
        let year = d.year().to_string();
        let mut args = vec![
            ("day", day.as_str()),
            ("month", self.months.get(m).map_or("", String::as_str)),
            (
                "month_in_date",
                self.months_in_date.get(m).map_or("", String::as_str),
            ),
            ("year", year.as_str()),
        ];
        args.extend_from_slice(extra);
        fill(self.dates.get(key).map_or("", String::as_str), &args)
    }

    /// A date at its precision: `5 January 2022`, `January 2022`, `2022`.
    pub(crate) fn date(&self, d: Date) -> String {
        let key = match (d.month(), d.day()) {
            (_, Some(_)) => "day",
            (Some(_), None) => "month",
            (None, _) => "year",
        };
        self.format(key, d, &[])
    }

    /// The standalone name of a date's month (`January`, `январь`).
    pub(crate) fn month_name(&self, d: Date) -> &str {
        let m = usize::try_from(d.month().unwrap_or(1) - 1).unwrap_or(0);
        self.months.get(m).map_or("", String::as_str)
    }

    /// The month of a date as a heading: `January 2022`, `Январь 2022 г.`
    /// (capitalised, as a heading starts in every language).
    pub(crate) fn month_heading(&self, d: Date) -> String {
        capitalise(&self.format("month", d, &[]))
    }

    /// When an event was: `5 January 2022`, `2–7 January 2022`,
    /// `30 December 2021 – 2 January 2022`, `March – May 2019`.
    pub(crate) fn when(&self, start: Date, end: Option<Date>) -> String {
        let Some(end) = end.filter(|e| *e > start) else {
            return self.date(start);
        };
        let same_year = start.year() == end.year();
        match (start.day(), end.day()) {
            (Some(_), Some(e)) if same_year && start.month() == end.month() => {
                self.format("day_range", start, &[("end_day", &self.day_number(e))])
            }
            (Some(_), Some(_)) if same_year => {
                self.format("day_month_range", start, &[("end", &self.date(end))])
            }
            (None, None) if same_year && start.month().is_some() && end.month().is_some() => {
                self.format("month_range", start, &[("end", &self.date(end))])
            }
            _ => self.range(start, end),
        }
    }

    fn day_number(&self, day: i8) -> String {
        match day {
            1 => self
                .dates
                .get("day_one")
                .cloned()
                .unwrap_or_else(|| "1".into()),
            n => n.to_string(),
        }
    }

    fn range(&self, start: Date, end: Date) -> String {
        fill(
            self.dates.get("range").map_or("", String::as_str),
            &[("start", &self.date(start)), ("end", &self.date(end))],
        )
    }

    /// A date in a phrase (`since_day`, `in_month`…), by its precision.
    fn phrase(&self, phrase: &str, d: Date) -> String {
        let precision = match (d.month(), d.day()) {
            (_, Some(_)) => "day",
            (Some(_), None) => "month",
            (None, _) => "year",
        };
        let key = format!("{phrase}_{precision}");
        self.format(&key, d, &[("date", &self.date(d))])
    }

    /// A relation's dates: `since 5 January 2022`, `until April 2022`,
    /// `1999 – April 2022`, `on 20 March 2019` (a relation of one day),
    /// `in 2022`; None without dates.
    pub(crate) fn relation_dates(&self, from: Option<Date>, until: Option<Date>) -> Option<String> {
        Some(match (from, until) {
            (Some(f), Some(u)) if f == u => match (f.month(), f.day()) {
                (_, Some(_)) => self.phrase("on", f),
                _ => self.phrase("in", f),
            },
            (Some(f), Some(u)) => self.range(f, u),
            (Some(f), None) => self.phrase("since", f),
            (None, Some(u)) => self.phrase("until", u),
            (None, None) => return None,
        })
    }
}

/// `text` with its first letter in upper case, as a heading or a sentence
/// starts.
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The texts of an actor kind: its heading, and the link to all of it.
fn kind_keys(kind: ActorKind) -> (&'static str, &'static str) {
    match kind {
        ActorKind::Person => ("people", "all_people"),
        ActorKind::Organisation => ("organisations", "all_organisations"),
        ActorKind::State => ("states", "all_states"),
        ActorKind::Group => ("groups", "all_groups"),
        ActorKind::Place => ("places", "all_places"),
    }
}

/// The files to resolve `lang` from: its own (by the whole tag, then its
/// primary subtag: `pt-BR`, then `pt`), then English. Tags compare without
/// regard to case.
pub(crate) fn chain<'a>(lang: &str, files: &'a BTreeMap<String, LocaleFile>) -> Chain<'a> {
    let lower = lang.to_ascii_lowercase();
    let primary = lower.split('-').next().unwrap_or_default().to_string();
    let mut tags = vec![lower, primary, FALLBACK.to_string()];
    tags.dedup();
    let mut out: Chain<'a> = Vec::new();
    for tag in tags {
        if let Some(file) = files
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&tag))
            .map(|(_, f)| f)
            && !out.iter().any(|f| std::ptr::eq(*f, file))
        {
            out.push(file);
        }
    }
    out
}

/// Registers the template filters of texts on `tera`: `fill` (placeholders)
/// and `plural` (the form a number takes, by `rule`).
pub(crate) fn register_filters(tera: &mut tera::Tera, rule: PluralRule) {
    tera.register_filter(
        "fill",
        |text: &str, kwargs: tera::Kwargs, _: &tera::State| -> String {
            fill_kwargs(text, &kwargs, None)
        },
    );
    tera.register_filter(
        "plural",
        move |value: tera::Value,
              kwargs: tera::Kwargs,
              _: &tera::State|
              -> tera::TeraResult<String> {
            let n = kwargs
                .get::<tera::Value>("n")?
                .and_then(|n| n.as_u64())
                .ok_or_else(|| {
                    tera::Error::message("`plural` needs `n`, a number of 0 or more: `plural(n=…)`")
                })?;
            let form = rule.form(n);
            let text = match value.as_str() {
                Some(s) => s,
                None => value
                    .get_from_path(form)
                    .or_else(|| value.get_from_path("other"))
                    .and_then(tera::Value::as_str)
                    .ok_or_else(|| {
                        tera::Error::message(format!(
                            "`plural` is for a text of the theme (`t.…`), not a {}",
                            value.name()
                        ))
                    })?,
            };
            Ok(fill_kwargs(text, &kwargs, Some(n)))
        },
    );
}

fn fill_kwargs(text: &str, kwargs: &tera::Kwargs, n: Option<u64>) -> String {
    let values: Vec<(String, String)> = kwargs
        .iter()
        .map(|(k, v)| {
            let value = match v.as_str() {
                Some(s) => s.to_string(),
                None => v.to_string(),
            };
            (k.to_string(), value)
        })
        .chain(n.map(|n| ("n".to_string(), n.to_string())))
        .collect();
    let args: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fill(text, &args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sources;

    /// The built-in files, parsed as the theme stage parses them, each
    /// checked against English: (language, file, diagnostics).
    fn builtin() -> (BTreeMap<String, LocaleFile>, Diagnostics) {
        let mut sources = Sources::default();
        let mut diags = Diagnostics::new();
        let text = |lang: &str| {
            let path = format!("i18n/{lang}.toml");
            crate::theme::BUILTIN
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_else(|| panic!("no built-in {path}"))
        };
        let id = sources.add("en", None, text("en"));
        let english = parse(id, &text("en"), "en", None, &mut diags);
        let types = crate::config::Config::for_tests().relation_types;
        let allowed = Allowed {
            english: &english,
            relation_types: &types,
        };
        let mut files = BTreeMap::new();
        for lang in ["ru", "fr", "de"] {
            let id = sources.add(lang, None, text(lang));
            files.insert(
                lang.to_string(),
                parse(id, &text(lang), lang, Some(&allowed), &mut diags),
            );
        }
        files.insert("en".to_string(), english);
        (files, diags)
    }

    fn locale(lang: &str) -> Locale {
        let (files, _) = builtin();
        let types = crate::config::Config::for_tests().relation_types;
        Locale::resolve(lang, &chain(lang, &files), &types, false)
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn built_in_translations_have_only_keys_english_has() {
        let (files, diags) = builtin();
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert!(messages.is_empty(), "{messages:#?}");
        for lang in ["ru", "fr", "de"] {
            let f = &files[lang];
            assert!(
                f.name.is_some() && f.plural.is_some() && f.months.is_some(),
                "{lang}"
            );
        }
    }

    #[test]
    fn english_has_every_date_format_and_relation_label() {
        let (files, _) = builtin();
        let en = &files["en"];
        for (key, _) in DATE_FORMATS {
            assert!(en.dates.contains_key(key), "en.toml lacks [dates] {key}");
        }
        assert!(en.months.is_some() && en.months_in_date.is_some());
        for (name, _, inverse) in RELATION_TYPES {
            assert!(
                en.relations.contains_key(name),
                "en.toml lacks [relations] {name}"
            );
            if inverse.is_some() {
                assert!(
                    en.relations.contains_key(&format!("{name}_inverse")),
                    "{name}_inverse"
                );
            }
        }
    }

    /// Every `t.<key>` of the built-in templates and every key the code
    /// asks a locale for is a text of the English file.
    #[test]
    fn every_text_the_theme_and_the_code_use_is_in_english() {
        let (files, _) = builtin();
        let en = &files["en"];
        let mut used: BTreeSet<String> = BTreeSet::new();
        let ident = |rest: &str| -> String {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        };
        for (path, bytes) in crate::theme::BUILTIN {
            if !path.starts_with("templates/") {
                continue;
            }
            let text = String::from_utf8_lossy(bytes);
            for (i, _) in text.match_indices("t.") {
                let before = text[..i].chars().next_back();
                if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                used.insert(ident(&text[i + 2..]));
            }
        }
        let code = [
            include_str!("render/views.rs"),
            include_str!("render/network.rs"),
            include_str!("render/pages/actors.rs"),
            include_str!("render/pages/analyses.rs"),
            include_str!("render/pages/authors.rs"),
            include_str!("render/pages/corrections.rs"),
            include_str!("render/pages/data.rs"),
            include_str!("render/pages/events.rs"),
            include_str!("render/pages/not_found.rs"),
            include_str!("render/pages/search/mod.rs"),
            include_str!("render/pages/search/docs.rs"),
            include_str!("render/pages/sources.rs"),
            include_str!("render/pages/tags.rs"),
            include_str!("render/pages/timeline.rs"),
            include_str!("i18n.rs"),
        ];
        for text in code {
            for call in [".text(\"", ".text_with(\"", ".count(\"", ".count_with(\""] {
                for (i, _) in text.match_indices(call) {
                    used.insert(ident(&text[i + call.len()..]));
                }
            }
        }
        // The data page's files name their texts.
        let data = include_str!("render/pages/data.rs");
        for (i, _) in data.match_indices("\"data_") {
            used.insert(ident(&data[i + 1..]));
        }
        let locale = locale("en");
        for kind in ActorKind::ALL {
            used.insert(kind.as_str().to_string());
            used.insert(kind_keys(kind).0.to_string());
            used.insert(kind_keys(kind).1.to_string());
        }
        for kind in SourceKind::ALL {
            assert_ne!(locale.source_kind(kind), "", "{kind:?}");
            used.insert(format!("source_{}", kind.as_str()));
        }
        used.remove("");
        let missing: Vec<&String> = used
            .iter()
            .filter(|k| !en.strings.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "en.toml lacks {missing:?}");
        assert!(used.len() > 100, "the scan found only {} keys", used.len());
    }

    #[test]
    fn dates_are_written_the_way_each_language_writes_them() {
        let (en, ru, fr, de) = (locale("en"), locale("ru"), locale("fr"), locale("de"));
        let d = date("2022-01-05");
        assert_eq!(en.date(d), "5 January 2022");
        assert_eq!(ru.date(d), "5 января 2022 г.");
        assert_eq!(fr.date(d), "5 janvier 2022");
        assert_eq!(de.date(d), "5. Januar 2022");
        assert_eq!(fr.date(date("2022-01-01")), "1er janvier 2022");
        assert_eq!(ru.date(date("2022-01")), "январь 2022 г.");
        assert_eq!(ru.month_heading(date("2022-01-05")), "Январь 2022 г.");
        assert_eq!(fr.month_heading(date("2022-03")), "Mars 2022");
        assert_eq!(ru.date(date("2022")), "2022 г.");
        let when = |l: &Locale, a: &str, b: &str| l.when(date(a), Some(date(b)));
        assert_eq!(when(&en, "2022-01-02", "2022-01-07"), "2–7 January 2022");
        assert_eq!(when(&ru, "2022-01-02", "2022-01-07"), "2–7 января 2022 г.");
        assert_eq!(when(&de, "2022-01-02", "2022-01-07"), "2.–7. Januar 2022");
        assert_eq!(when(&fr, "2022-01-01", "2022-01-07"), "1er–7 janvier 2022");
        assert_eq!(
            when(&en, "2022-03-05", "2022-04-02"),
            "5 March – 2 April 2022"
        );
        assert_eq!(
            when(&ru, "2022-03-05", "2022-04-02"),
            "5 марта – 2 апреля 2022 г."
        );
        assert_eq!(when(&en, "2019-03", "2019-05"), "March – May 2019");
        assert_eq!(
            when(&en, "2021-12-30", "2022-01-02"),
            "30 December 2021 – 2 January 2022"
        );
        assert_eq!(when(&en, "2022-01-05", "2022-01-05"), "5 January 2022");
        assert_eq!(en.when(date("2022-01-05"), None), "5 January 2022");
    }

    #[test]
    fn relation_dates_take_each_language_s_prepositions() {
        let (en, ru, fr, de) = (locale("en"), locale("ru"), locale("fr"), locale("de"));
        let (day, month, year) = (date("2022-01-05"), date("2022-04"), date("1999"));
        assert_eq!(
            en.relation_dates(Some(day), None).unwrap(),
            "since 5 January 2022"
        );
        assert_eq!(
            en.relation_dates(None, Some(month)).unwrap(),
            "until April 2022"
        );
        assert_eq!(
            en.relation_dates(Some(year), Some(month)).unwrap(),
            "1999 – April 2022"
        );
        assert_eq!(
            en.relation_dates(Some(day), Some(day)).unwrap(),
            "on 5 January 2022"
        );
        assert_eq!(
            en.relation_dates(Some(year), Some(year)).unwrap(),
            "in 1999"
        );
        assert_eq!(en.relation_dates(None, None), None);
        assert_eq!(
            ru.relation_dates(Some(day), None).unwrap(),
            "с 5 января 2022 г."
        );
        assert_eq!(
            ru.relation_dates(None, Some(month)).unwrap(),
            "до апреля 2022 г."
        );
        assert_eq!(
            fr.relation_dates(Some(day), None).unwrap(),
            "depuis le 5 janvier 2022"
        );
        assert_eq!(
            fr.relation_dates(None, Some(month)).unwrap(),
            "jusqu’en avril 2022"
        );
        assert_eq!(
            de.relation_dates(Some(day), None).unwrap(),
            "seit dem 5. Januar 2022"
        );
        assert_eq!(
            de.relation_dates(Some(day), Some(day)).unwrap(),
            "am 5. Januar 2022"
        );
    }

    #[test]
    fn counted_texts_take_the_language_s_forms() {
        let ru = locale("ru");
        let minutes: Vec<String> = [1, 2, 5, 21]
            .iter()
            .map(|&n| ru.count("reading_time", n))
            .collect();
        assert_eq!(
            minutes,
            [
                "1 минута чтения",
                "2 минуты чтения",
                "5 минут чтения",
                "21 минута чтения"
            ]
        );
        let en = locale("en");
        assert_eq!(en.count("search_results", 1), "1 result");
        assert_eq!(en.count("reading_time", 1), "1 min read");
        assert_eq!(en.all_of_kind(ActorKind::Person, 14), "All 14 people");
        assert_eq!(ru.all_of_kind(ActorKind::Person, 14), "Все персоны (14)");
    }

    #[test]
    fn a_language_falls_back_to_its_primary_subtag_then_english() {
        let (files, _) = builtin();
        let tags = |lang: &str| -> Vec<Option<&str>> {
            chain(lang, &files)
                .iter()
                .map(|f| f.name.as_deref())
                .collect()
        };
        assert_eq!(tags("fr-CA"), [Some("Français"), Some("English")]);
        assert_eq!(tags("RU"), [Some("Русский"), Some("English")]);
        assert_eq!(tags("pt-BR"), [Some("English")]);
        assert_eq!(tags("en-GB"), [Some("English")]);
        assert_eq!(locale("pt-BR").text("events"), "Events");
        assert_eq!(locale("pt-BR").name(), "English");
    }

    #[test]
    fn fill_replaces_known_placeholders_once() {
        assert_eq!(
            fill("{a} and {b} {c}", &[("a", "{b}"), ("b", "2")]),
            "{b} and 2 {c}"
        );
        assert_eq!(fill("{ x } {", &[("x", "1")]), "{ x } {");
    }

    #[test]
    fn plural_rules_pick_the_cldr_forms() {
        let ru: Vec<&str> = [1, 2, 5, 11, 12, 21, 22, 25, 101, 111, 0]
            .iter()
            .map(|&n| PluralRule::Ru.form(n))
            .collect();
        assert_eq!(
            ru,
            [
                "one", "few", "many", "many", "many", "one", "few", "many", "one", "many", "many"
            ]
        );
        assert_eq!(PluralRule::Fr.form(0), "one");
        assert_eq!(PluralRule::En.form(0), "other");
        assert_eq!(PluralRule::Pl.form(21), "many");
        assert_eq!(PluralRule::Pl.form(22), "few");
        assert_eq!(PluralRule::None.form(1), "other");
    }
}
