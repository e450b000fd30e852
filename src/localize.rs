//! Localize: the model in each language the site publishes in. A
//! translation is laid over its original: a translated analysis replaces it
//! in that language's edition (an analysis without one is left out there);
//! the text of a fact sheet (`tokayev.ru.yaml`) replaces the original's
//! name, role, summary, and the labels and values of its facts and the
//! roles and notes of its relations, matched by their place in the list.
//! Structure (ids, kinds, dates, sources, relations) is never translated:
//! it is shared, so a translation cannot drift from the data. Text with no
//! translation falls back to the original, marked with its language.
//!
//! [`check`] reports, once, what is wrong with the translations: a language
//! the site does not publish in, a translation of nothing, more facts than
//! the original has, two translations of one file.

use std::sync::Arc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::checks::Check;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Sources, Span, did_you_mean_hint};
use crate::model::{
    Actor, ActorText, Analysis, AnalysisText, Author, AuthorText, Event, EventText, FactText,
    Located, Markdown, Model, Source, SourceText, Translated, TranslationNote,
};

/// Reports the translations' mistakes, once for all languages.
pub(crate) fn check(config: &Config, model: &Model, diags: &mut Diagnostics) {
    let t = &model.translations;
    // The ids of each kind that has translations (`serve` runs this for
    // every edit; a site without translations needs none of them).
    fn ids<'m, T: 'm, U>(
        translations: &[U],
        originals: &'m [Arc<T>],
        id: fn(&T) -> &str,
    ) -> HashSet<&'m str> {
        match translations.is_empty() {
            true => HashSet::default(),
            false => originals.iter().map(|o| id(o)).collect(),
        }
    }
    let analyses = ids(&t.analyses, &model.analyses, |a| &a.stem);
    let actors = ids(&t.actors, &model.actors, |a| &a.id);
    let events = ids(&t.events, &model.events, |e| &e.id);
    let sources = ids(&t.sources, &model.sources, |s| &s.id);
    let authors = ids(&t.authors, &model.authors, |a| &a.id);
    let mut seen: HashMap<(String, String, &str), Span> = HashMap::default();
    let mut each = |at: &Translated,
                    kind: &'static str,
                    originals: &HashSet<&str>,
                    diags: &mut Diagnostics|
     -> bool {
        let file = Span::file(at.source);
        let lang = &at.lang.value;
        if lang.eq_ignore_ascii_case(&config.language) {
            diags.push(
                Diagnostic::error(format!(
                    "this file is marked `.{lang}`, the site's own language"
                ))
                .at(file)
                .hint(format!(
                    "the original is `{}` without a language; a translation is for a language declared under `[languages.…]`",
                    at.of
                )),
            );
            return false;
        }
        if config.language(lang).is_none() {
            let declared: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
            diags.push(
                Diagnostic::error(format!("`{lang}` is not a language of this site"))
                    .at(file)
                    .hint_opt(did_you_mean_hint(lang, declared.iter().copied()))
                    .hint(format!(
                        "declare it in site.toml: `[languages.{lang}]` with its `title`"
                    )),
            );
            return false;
        }
        if !originals.contains(at.of.as_str()) && !model_broken(model, kind, &at.of) {
            diags.push(
                Diagnostic::error(format!("there is no {kind} `{}` to translate", at.of))
                    .at(file)
                    .hint_opt(did_you_mean_hint(&at.of, originals.iter().copied()))
                    .hint(format!(
                        "a translation is named after its original's file, with the language before the extension: `<original>.{lang}.md` or `.yaml`"
                    )),
            );
            return false;
        }
        match seen.entry((at.of.clone(), lang.to_ascii_lowercase(), kind)) {
            std::collections::hash_map::Entry::Occupied(first) => {
                diags.push(
                    Diagnostic::error(format!("`{}` is translated into `{lang}` twice", at.of))
                        .at(file)
                        .related(first.get().clone(), "first translated here")
                        .hint("keep one of the two files"),
                );
                false
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(Span::file(at.source));
                true
            }
        }
    };
    for a in &t.analyses {
        each(&a.at, "analysis", &analyses, diags);
    }
    for a in &t.actors {
        if each(&a.at, "actor", &actors, diags)
            && let Some(orig) = model.actors.iter().find(|x| x.id == a.at.of)
        {
            too_many(&a.facts, orig.facts.len(), "facts", diags);
            let relations = orig.relations.len();
            if a.relations.len() > relations {
                diags.push(more_than(
                    &a.relations[relations].span,
                    "relations",
                    relations,
                ));
            }
        }
    }
    for e in &t.events {
        if each(&e.at, "event", &events, diags)
            && let Some(orig) = model.events.iter().find(|x| x.id == e.at.of)
        {
            too_many(&e.facts, orig.facts.len(), "facts", diags);
            let actors = orig.participants.len();
            if let Some((_, span)) = e.roles.get(actors) {
                diags.push(more_than(span, "actors", actors));
            }
        }
    }
    for s in &t.sources {
        each(&s.at, "source", &sources, diags);
    }
    for a in &t.authors {
        each(&a.at, "author", &authors, diags);
    }
    stale(config, model, diags);
    if config.checks.is_on(Check::MissingTranslation) {
        missing(config, model, diags);
    }
}

/// Whether the original exists but failed to load (reported already).
fn model_broken(model: &Model, kind: &str, id: &str) -> bool {
    match kind {
        "actor" | "event" => model.broken_ids.contains(id),
        "source" => model.broken_sources.contains(id),
        "author" => model.broken_authors.contains(id),
        _ => false,
    }
}

fn too_many(texts: &[FactText], original: usize, what: &str, diags: &mut Diagnostics) {
    if texts.len() > original {
        diags.push(more_than(&texts[original].span, what, original));
    }
}

fn more_than(span: &Span, what: &str, original: usize) -> Diagnostic {
    let has = match original {
        0 => format!("no {what}"),
        1 => format!("only 1 {}", what.trim_end_matches('s')),
        n => format!("only {n} {what}"),
    };
    Diagnostic::error(format!("the original has {has}: this one translates nothing"))
    .at(span.clone())
    .hint(format!(
        "{what} are matched to the original's by their place in the list: the first translates the first, and so on"
    ))
}

/// `stale_translation`: the original was revised after its translation.
fn stale(config: &Config, model: &Model, diags: &mut Diagnostics) {
    if !config.checks.is_on(Check::StaleTranslation) || model.translations.analyses.is_empty() {
        return;
    }
    let by_stem: HashMap<&str, &Analysis> = model
        .analyses
        .iter()
        .map(|a| (a.stem.as_str(), &**a))
        .collect();
    for t in &model.translations.analyses {
        let Some(orig) = by_stem.get(t.at.of.as_str()) else {
            continue;
        };
        let translated = t.updated.or(t.date).unwrap_or(orig.date);
        let revised = orig.modified();
        if revised > translated && revised > orig.date {
            diags.push(
                Diagnostic::check(
                    Check::StaleTranslation,
                    format!(
                        "the original was revised on {revised}, after this translation ({translated})"
                    ),
                )
                .at(Span::file(t.at.source))
                .hint("bring the translation up to date, then set its `updated` (or `date`) to the day you did"),
            );
        }
    }
}

/// `missing_translation`: an analysis with no translation in a language.
fn missing(config: &Config, model: &Model, diags: &mut Diagnostics) {
    let have: HashSet<(&str, String)> = model
        .translations
        .analyses
        .iter()
        .map(|t| (t.at.of.as_str(), t.at.lang.value.to_ascii_lowercase()))
        .collect();
    for a in &model.analyses {
        for l in &config.languages {
            if !have.contains(&(a.stem.as_str(), l.code.to_ascii_lowercase())) {
                diags.push(
                    Diagnostic::check(
                        Check::MissingTranslation,
                        format!("`{}` has no translation into `{}`", a.stem, l.code),
                    )
                    .at(Span::file(a.source))
                    .hint(format!("add `{}.{}.md` next to it", a.stem, l.code)),
                );
            }
        }
    }
}

/// Keeps, of what linking an edition reported, what lies in translation
/// files: the rest is about shared files, which the default edition has
/// reported already.
pub(crate) fn keep_own(sources: &Sources, local: Diagnostics, diags: &mut Diagnostics) {
    for d in local.into_vec() {
        let own = d.span.as_ref().is_some_and(|span| {
            let display = &sources.get(span.source).display;
            let name = display.rsplit('/').next().unwrap_or(display);
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            crate::load::split_language(stem).1.is_some()
        });
        if own {
            diags.push(d);
        }
    }
}

/// The model in language `lang`, for its edition of the site.
pub(crate) fn localize(model: &Model, default: &str, lang: &str) -> Model {
    let t = &model.translations;
    let pick = |at: &Translated| at.lang.value.eq_ignore_ascii_case(lang);
    let actor_texts: HashMap<&str, &ActorText> = t
        .actors
        .iter()
        .filter(|x| pick(&x.at))
        .map(|x| (x.at.of.as_str(), &**x))
        .collect();
    let event_texts: HashMap<&str, &EventText> = t
        .events
        .iter()
        .filter(|x| pick(&x.at))
        .map(|x| (x.at.of.as_str(), &**x))
        .collect();
    let source_texts: HashMap<&str, &SourceText> = t
        .sources
        .iter()
        .filter(|x| pick(&x.at))
        .map(|x| (x.at.of.as_str(), &**x))
        .collect();
    let author_texts: HashMap<&str, &AuthorText> = t
        .authors
        .iter()
        .filter(|x| pick(&x.at))
        .map(|x| (x.at.of.as_str(), &**x))
        .collect();
    let analysis_texts: HashMap<&str, &AnalysisText> = t
        .analyses
        .iter()
        .filter(|x| pick(&x.at))
        .map(|x| (x.at.of.as_str(), &**x))
        .collect();
    let fallback = |m: &Option<Markdown>| {
        m.clone().map(|mut m| {
            m.lang = Some(default.to_string());
            m
        })
    };
    let actors = model
        .actors
        .iter()
        .map(|a| Arc::new(actor(a, actor_texts.get(a.id.as_str()).copied(), &fallback)))
        .collect();
    let events = model
        .events
        .iter()
        .map(|e| Arc::new(event(e, event_texts.get(e.id.as_str()).copied(), &fallback)))
        .collect();
    let sources = model
        .sources
        .iter()
        .map(|s| match source_texts.get(s.id.as_str()) {
            Some(text) => Arc::new(source(s, text)),
            None => Arc::clone(s),
        })
        .collect();
    let authors = model
        .authors
        .iter()
        .map(|a| {
            Arc::new(author(
                a,
                author_texts.get(a.id.as_str()).copied(),
                &fallback,
            ))
        })
        .collect();
    let mut analyses: Vec<Arc<Analysis>> = model
        .analyses
        .iter()
        .filter_map(|a| {
            let text = analysis_texts.get(a.stem.as_str())?;
            let translated = analysis(a, text, default);
            // A translation can be a draft of its own; drafts left out of
            // the default edition stay out of every edition.
            (!translated.draft || a.draft).then(|| Arc::new(translated))
        })
        .collect();
    analyses.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    Model {
        actors,
        events,
        corrected: crate::model::corrected(&analyses),
        analyses: analyses.into(),
        sources,
        authors,
        broken_ids: model.broken_ids.clone(),
        broken_sources: model.broken_sources.clone(),
        broken_authors: model.broken_authors.clone(),
        translations: Default::default(),
    }
}

/// The translated names first, then the original's name and aliases, so
/// that a Russian text links both "Токаев" and "CSTO".
fn names(
    translated: Option<&str>,
    aliases: &[Located<String>],
    original_name: &str,
    original_aliases: &[Located<String>],
    span: &Span,
) -> Vec<Located<String>> {
    let mut out: Vec<Located<String>> = aliases.to_vec();
    let mut push = |text: &str, span: &Span| {
        if Some(text) != translated && !out.iter().any(|a| a.value == text) {
            out.push(Located {
                value: text.to_string(),
                span: span.clone(),
            });
        }
    };
    if translated.is_some() {
        push(original_name, span);
    }
    for a in original_aliases {
        push(&a.value, &a.span);
    }
    out
}

fn actor(
    a: &Arc<Actor>,
    text: Option<&ActorText>,
    fallback: &dyn Fn(&Option<Markdown>) -> Option<Markdown>,
) -> Actor {
    let mut out = (**a).clone();
    let Some(text) = text else {
        out.summary = fallback(&a.summary);
        for r in &mut out.relations {
            r.note = fallback(&r.note);
        }
        return out;
    };
    if let Some(name) = &text.name {
        out.name = name.clone();
    }
    out.aliases = names(
        text.name.as_deref(),
        &text.aliases,
        &a.name,
        &a.aliases,
        &Span::file(a.source),
    );
    if text.role.is_some() {
        out.role = text.role.clone();
    }
    out.summary = text.summary.clone().or_else(|| fallback(&a.summary));
    for (fact, t) in out.facts.iter_mut().zip(&text.facts) {
        if let Some(l) = &t.label {
            fact.label = l.clone();
        }
        if let Some(v) = &t.value {
            fact.value = v.clone();
        }
    }
    for (k, r) in out.relations.iter_mut().enumerate() {
        match text.relations.get(k) {
            Some(t) => {
                if t.role.is_some() {
                    r.role = t.role.clone();
                }
                r.note = t.note.clone().or_else(|| fallback(&r.note));
            }
            None => r.note = fallback(&r.note),
        }
    }
    out.version = crate::hash::version((a.version, text.at.version));
    out.ref_version = crate::hash::version((a.ref_version, &out.name, &out.role));
    out
}

fn event(
    e: &Arc<Event>,
    text: Option<&EventText>,
    fallback: &dyn Fn(&Option<Markdown>) -> Option<Markdown>,
) -> Event {
    let mut out = (**e).clone();
    let Some(text) = text else {
        out.summary = fallback(&e.summary);
        return out;
    };
    if let Some(title) = &text.title {
        out.title = title.clone();
    }
    let mut aliases = text.aliases.clone();
    for a in &e.aliases {
        if !aliases.iter().any(|x| x.value == a.value) {
            aliases.push(a.clone());
        }
    }
    out.aliases = aliases;
    out.summary = text.summary.clone().or_else(|| fallback(&e.summary));
    for (fact, t) in out.facts.iter_mut().zip(&text.facts) {
        if let Some(l) = &t.label {
            fact.label = l.clone();
        }
        if let Some(v) = &t.value {
            fact.value = v.clone();
        }
    }
    for (p, (role, _)) in out.participants.iter_mut().zip(&text.roles) {
        if role.is_some() {
            p.role = role.clone();
        }
    }
    out.version = crate::hash::version((e.version, text.at.version));
    out.ref_version = crate::hash::version((e.ref_version, &out.title));
    out
}

fn source(s: &Source, text: &SourceText) -> Source {
    let mut out = s.clone();
    if let Some(title) = &text.title {
        out.title = title.clone();
    }
    out.ref_version = crate::hash::version((s.ref_version, &out.title));
    out
}

fn author(
    a: &Arc<Author>,
    text: Option<&AuthorText>,
    fallback: &dyn Fn(&Option<Markdown>) -> Option<Markdown>,
) -> Author {
    let mut out = (**a).clone();
    let Some(text) = text else {
        out.bio = fallback(&a.bio);
        return out;
    };
    if let Some(name) = &text.name {
        out.name = name.clone();
    }
    if text.title.is_some() {
        out.title = text.title.clone();
    }
    if text.affiliation.is_some() {
        out.affiliation = text.affiliation.clone();
    }
    out.bio = text.bio.clone().or_else(|| fallback(&a.bio));
    out.version = crate::hash::version((a.version, text.at.version));
    out.ref_version = crate::hash::version((a.ref_version, &out.name));
    out
}

/// A translated analysis: the translation's text and front matter, the
/// original's slug, publication date and authors.
fn analysis(a: &Analysis, t: &AnalysisText, default: &str) -> Analysis {
    let mut out = a.clone();
    out.source = t.at.source;
    out.version = crate::hash::version((a.version, t.at.version));
    out.title = t.title.clone();
    out.summary = t.summary.clone().or_else(|| a.summary.clone());
    if let Some(tags) = &t.tags {
        out.tags = tags.clone();
    }
    if let Some(actors) = &t.actors {
        out.actors = actors.clone();
    }
    if let Some(events) = &t.events {
        out.events = events.clone();
    }
    if t.image.is_some() {
        out.image = t.image.clone();
    }
    if let Some(draft) = t.draft {
        out.draft = draft;
    }
    if t.updated.is_some() {
        out.updated = t.updated;
    }
    if let Some(c) = &t.corrections {
        out.corrections = c.clone();
    }
    out.body = t.body.clone();
    out.translation = Some(TranslationNote {
        from: default.to_string(),
        translator: t.translator.as_ref().map(|l| l.value.clone()),
        date: t.date,
    });
    let tag_texts: Vec<(&str, &str)> = out
        .tags
        .iter()
        .map(|t| (t.slug.as_str(), t.text.as_str()))
        .collect();
    out.card_version = crate::hash::version((
        a.card_version,
        &out.title,
        &out.summary,
        tag_texts,
        out.draft,
        out.updated,
    ));
    out
}
