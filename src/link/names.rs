//! The names that link automatically: every actor's name and aliases and
//! every event's aliases (a text two of them share links to neither, with a
//! warning), the autolinker
//! built from them, and what changed since the last build, so that only
//! the texts a change can reach are rendered again.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::texts::{Env, Staleness};
use super::{Index, Target};
use crate::checks::Check;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::markdown::Autolinker;
use crate::model::Model;

/// What the names phase keeps between builds.
#[derive(Debug, Default)]
pub(super) struct NamesCache {
    /// The environment texts were last rendered in.
    env: Option<Env>,
    /// The autolinker, with the hash of the names it was built from (None
    /// once patched).
    autolinker: Option<(Option<u64>, Arc<Autolinker<Target>>)>,
    /// The index's layout then: a patched autolinker keeps its targets'
    /// positions, so only while every entity is where it was.
    layout: u64,
    /// What the names were gathered from: the index's generation (the
    /// same while no fact sheet, source or author file changed) and
    /// whether names link; and what gathering them reported.
    made_from: Option<(u64, bool)>,
    diags: Vec<Diagnostic>,
    /// The names as gathered, kept to be patched when a few fact sheets
    /// change and no entity moves (a rename in `serve`).
    gathered: Option<Gathered>,
}

/// Every entity's names, gathered.
#[derive(Debug, Default)]
struct Gathered {
    /// Each actor's, then each event's, fact sheet version.
    versions: Vec<u64>,
    /// Each entity's texts (its name and aliases), in the same order.
    texts: Vec<Vec<String>>,
    /// Each text's owners, in entity order, with where each names it.
    owners: HashMap<String, Vec<(Target, Span)>>,
    /// The texts that name more than one entity, with their warning.
    ambiguous: BTreeMap<String, Diagnostic>,
}

/// At most this many fact sheets changed for the names to be patched
/// instead of gathered again.
const MAX_PATCHED: usize = 32;

/// The names of this build.
pub(super) struct Names {
    pub autolinker: Option<Arc<Autolinker<Target>>>,
    /// Which cached texts may now render differently.
    pub staleness: Staleness,
}

pub(super) fn names(
    config: &Config,
    model: &Model,
    index: &Index,
    cache: &mut NamesCache,
    diags: &mut Diagnostics,
) -> Names {
    // Every name comes from a fact sheet: an edit to an analysis changes
    // none of them, and `serve` need not gather them again.
    if let Some((generation, autolink)) = cache.made_from
        && generation == index.generation()
        && autolink == config.autolink
        && cache.env.is_some()
    {
        diags.extend(cache.diags.iter().cloned());
        return Names {
            autolinker: cache.autolinker.as_ref().map(|(_, a)| Arc::clone(a)),
            staleness: Staleness::none(),
        };
    }
    if let Some(names) = patch(config, model, index, cache, diags) {
        return names;
    }
    let gathered = match config.autolink {
        true => gather(model),
        false => Gathered::default(),
    };
    // Shared with the autolinker, which keeps them (not a copy).
    let names = Arc::new(gathered.names(index));
    let found: Vec<Diagnostic> = gathered.ambiguous.values().cloned().collect();
    diags.extend(found.iter().cloned());
    cache.diags = found;
    cache.made_from = Some((index.generation(), config.autolink));
    cache.gathered = Some(gathered);
    // Building the automaton over thousands of names costs milliseconds:
    // the last one is reused when no name, target or URL changed, and
    // patched when a few did (a rename) while no entity moved; otherwise
    // it is built while the environment is compared with the last one.
    let automaton = crate::hash::combine(&names);
    let compare = || {
        let env = Env::new(config.autolink, &names, index, model);
        let staleness = Staleness::between(cache.env.as_ref(), &env);
        (env, staleness)
    };
    let (autolinker, (env, staleness)) = match &cache.autolinker {
        Some((key, a)) if config.autolink && *key == Some(automaton) => {
            (Some(Arc::clone(a)), compare())
        }
        Some((_, a)) if config.autolink && cache.layout == index.layout() => {
            let (env, staleness) = compare();
            let patched = staleness
                .changed_names()
                .and_then(|changed| a.patched(&names, changed));
            let autolinker = patched.unwrap_or_else(|| Autolinker::new(Arc::clone(&names)));
            (Some(Arc::new(autolinker)), (env, staleness))
        }
        _ => rayon::join(
            || {
                config
                    .autolink
                    .then(|| Arc::new(Autolinker::new(Arc::clone(&names))))
            },
            compare,
        ),
    };
    cache.autolinker = autolinker
        .as_ref()
        .map(|a| (Some(automaton), Arc::clone(a)));
    cache.layout = index.layout();
    cache.env = Some(env);
    Names {
        autolinker,
        staleness,
    }
}

/// The names after a few fact sheets changed while every entity stayed
/// where it was: only their texts are looked at again (gathering 15,000
/// names and comparing them with the last ones took 5 ms of a rename at
/// N = 10,000). None when this does not apply: then they are gathered.
fn patch(
    config: &Config,
    model: &Model,
    index: &Index,
    cache: &mut NamesCache,
    diags: &mut Diagnostics,
) -> Option<Names> {
    let last = Arc::clone(&cache.autolinker.as_ref()?.1);
    let g = cache.gathered.as_mut()?;
    let (_, autolink) = cache.made_from?;
    let env = cache.env.as_mut()?;
    let count = model.actors.len() + model.events.len();
    if !(autolink
        && config.autolink
        && cache.layout == index.layout()
        && env.is_for(true, &index.base_path)
        && g.versions.len() == count)
    {
        return None;
    }
    let versions = sheet_versions(model);
    let changed: Vec<Target> = (0..count)
        .filter(|&k| versions[k] != g.versions[k])
        .map(|k| target(model, k))
        .take(MAX_PATCHED + 1)
        .collect();
    if changed.len() > MAX_PATCHED {
        return None;
    }
    // A text and its curly-quoted twin may be two owners' (rare): gather.
    let quoted = |t: &String| t.contains(['\'', '’']);
    let fresh: Vec<Vec<(String, Span)>> = changed
        .iter()
        .map(|&t| {
            entity_texts(model, t)
                .map(|(text, span)| (text.to_string(), span))
                .collect()
        })
        .collect();
    let touched = changed.iter().zip(&fresh).any(|(&t, new)| {
        g.texts[position(model, t)].iter().any(quoted) || new.iter().any(|(n, _)| quoted(n))
    });
    if touched {
        return None;
    }
    // Each changed entity's texts out, its new ones in.
    let mut affected: Vec<String> = Vec::new();
    for (&t, new) in changed.iter().zip(fresh) {
        let k = position(model, t);
        for text in std::mem::take(&mut g.texts[k]) {
            if let Some(owners) = g.owners.get_mut(&text) {
                owners.retain(|(o, _)| *o != t);
                if owners.is_empty() {
                    g.owners.remove(&text);
                }
            }
            affected.push(text);
        }
        for (text, span) in new {
            let owners = g.owners.entry(text.clone()).or_default();
            let at = owners.partition_point(|(o, _)| *o < t);
            owners.insert(at, (t, span));
            g.texts[k].push(text.clone());
            affected.push(text);
        }
    }
    affected.sort();
    affected.dedup();
    // What each affected text links to now, and whether it warns.
    let mut linked: Vec<(String, Option<&str>)> = Vec::with_capacity(affected.len());
    let mut entries: Vec<(String, Target, String)> = Vec::new();
    for text in &affected {
        let owners = g.owners.get(text).map_or(&[][..], Vec::as_slice);
        match ambiguity(text, owners, model) {
            Some(d) => g.ambiguous.insert(text.clone(), d),
            None => g.ambiguous.remove(text),
        };
        match owners {
            [(t, _)] => {
                linked.push((text.clone(), Some(index.url(*t))));
                entries.push((text.clone(), *t, index.url(*t).to_string()));
            }
            _ => linked.push((text.clone(), None)),
        }
    }
    g.versions = versions;
    let staleness = env.patch(index, model, &changed, &linked);
    let found: Vec<Diagnostic> = g.ambiguous.values().cloned().collect();
    diags.extend(found.iter().cloned());
    cache.diags = found;
    cache.made_from = Some((index.generation(), true));
    // The automaton: the same while no name links elsewhere, else patched
    // with the texts that do, else built again from every name.
    let changed_names = staleness.changed_names().unwrap_or(&[]);
    let autolinker = match changed_names.is_empty() {
        true => last,
        false => Arc::new(
            last.patched(&entries, changed_names)
                .unwrap_or_else(|| Autolinker::new(Arc::new(g.names(index)))),
        ),
    };
    cache.autolinker = Some((None, Arc::clone(&autolinker)));
    Some(Names {
        autolinker: Some(autolinker),
        staleness,
    })
}

/// Every fact sheet's version: actors, then events.
fn sheet_versions(model: &Model) -> Vec<u64> {
    let actors = model.actors.iter().map(|a| a.version);
    actors
        .chain(model.events.iter().map(|e| e.version))
        .collect()
}

/// The entity at position `k` of [`sheet_versions`].
fn target(model: &Model, k: usize) -> Target {
    match k.checked_sub(model.actors.len()) {
        None => Target::Actor(k),
        Some(e) => Target::Event(e),
    }
}

/// Where an entity is in [`sheet_versions`].
fn position(model: &Model, t: Target) -> usize {
    match t {
        Target::Actor(i) => i,
        Target::Event(e) => model.actors.len() + e,
    }
}

/// The texts that link to an entity: an actor's name and aliases, an
/// event's aliases, each once and of two characters at least.
fn entity_texts(model: &Model, t: Target) -> impl Iterator<Item = (&str, Span)> {
    let texts: Vec<(&str, Span)> = match t {
        Target::Actor(i) => {
            let a = &model.actors[i];
            std::iter::once((a.name.as_str(), Span::file(a.source)))
                .chain(
                    a.aliases
                        .iter()
                        .map(|al| (al.value.as_str(), al.span.clone())),
                )
                .collect()
        }
        Target::Event(i) => (model.events[i].aliases.iter())
            .map(|al| (al.value.as_str(), al.span.clone()))
            .collect(),
    };
    let mut seen: Vec<&str> = Vec::new();
    texts.into_iter().filter(move |(text, _)| {
        let keep = text.chars().count() >= 2 && !seen.contains(text);
        seen.push(text);
        keep
    })
}

/// Every actor's name and aliases and every event's aliases, with their
/// owners. (An event's title is not one: titles are sentences, and an
/// author writes them differently each time.) A text shared by two would
/// be ambiguous: it links to neither, with a warning.
fn gather(model: &Model) -> Gathered {
    let count = model.actors.len() + model.events.len();
    let mut g = Gathered {
        versions: sheet_versions(model),
        texts: Vec::with_capacity(count),
        ..Gathered::default()
    };
    for k in 0..count {
        let t = target(model, k);
        let mut texts = Vec::new();
        for (text, span) in entity_texts(model, t) {
            g.owners
                .entry(text.to_string())
                .or_default()
                .push((t, span));
            texts.push(text.to_string());
        }
        g.texts.push(texts);
    }
    for (text, owners) in &g.owners {
        if let Some(d) = ambiguity(text, owners, model) {
            g.ambiguous.insert(text.clone(), d);
        }
    }
    g
}

/// The warning for a text that names more than one entity.
fn ambiguity(text: &str, owners: &[(Target, Span)], model: &Model) -> Option<Diagnostic> {
    let id = |t: Target| match t {
        Target::Actor(i) => model.actors[i].id.as_str(),
        Target::Event(i) => model.events[i].id.as_str(),
    };
    let [(a, a_span), (b, _), ..] = owners else {
        return None;
    };
    Some(
        Diagnostic::check(
            Check::AmbiguousAlias,
            format!(
                "`{text}` names both `{}` and `{}`, so it is not linked automatically",
                id(*a),
                id(*b)
            ),
        )
        .at(a_span.clone())
        .hint("remove the alias from one of them, or link explicitly with `[[id]]`"),
    )
}

impl Gathered {
    /// The names that link, in the order of their texts, with what they
    /// link to and its URL.
    fn names(&self, index: &Index) -> Vec<(String, Target, String)> {
        let mut texts: Vec<(&String, Target)> = self
            .owners
            .iter()
            .filter_map(|(text, owners)| match owners.as_slice() {
                [(t, _)] => Some((text, *t)),
                _ => None,
            })
            .collect();
        texts.sort_unstable();
        let mut names = Vec::with_capacity(texts.len());
        for (text, t) in texts {
            let url = index.url(t).to_string();
            // Smart punctuation turns ' into ’ in the text: match both.
            if text.contains('\'') {
                names.push((text.replace('\'', "’"), t, url.clone()));
            }
            names.push((text.clone(), t, url));
        }
        names
    }
}
