//! The names that link automatically: every actor's name and aliases and
//! every event's aliases (a text two of them share links to neither, with a
//! warning), the autolinker
//! built from them, and what changed since the last build, so that only
//! the texts a change can reach are rendered again.

use std::collections::BTreeMap;
use std::sync::Arc;

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
    /// The autolinker, with the hash of the names it was built from.
    autolinker: Option<(u64, Arc<Autolinker<Target>>)>,
    /// The index's layout then: a patched autolinker keeps its targets'
    /// positions, so only while every entity is where it was.
    layout: u64,
    /// What the names were gathered from: the index's generation (the
    /// same while no fact sheet, source or author file changed) and
    /// whether names link; and what gathering them reported.
    made_from: Option<(u64, bool)>,
    diags: Vec<Diagnostic>,
}

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
    let mut found = Diagnostics::new();
    // Shared with the autolinker, which keeps them (not a copy).
    let names = Arc::new(if config.autolink {
        autolink_names(model, index, &mut found)
    } else {
        Vec::new()
    });
    let found = found.into_vec();
    diags.extend(found.iter().cloned());
    cache.diags = found;
    cache.made_from = Some((index.generation(), config.autolink));
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
        Some((key, a)) if config.autolink && *key == automaton => (Some(Arc::clone(a)), compare()),
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
    cache.autolinker = autolinker.as_ref().map(|a| (automaton, Arc::clone(a)));
    cache.layout = index.layout();
    cache.env = Some(env);
    Names {
        autolinker,
        staleness,
    }
}

/// Every actor's name and aliases and every event's aliases, with what
/// they link to. (An event's title is not one: titles are sentences, and
/// an author writes them differently each time.) A text shared by two
/// would be ambiguous: it links to neither, with a warning.
fn autolink_names(
    model: &Model,
    index: &Index,
    diags: &mut Diagnostics,
) -> Vec<(String, Target, String)> {
    let mut by_text: BTreeMap<&str, Vec<(Target, Span)>> = BTreeMap::new();
    let actors = model.actors.iter().enumerate().map(|(i, a)| {
        let name = std::iter::once((a.name.as_str(), Span::file(a.source)));
        (
            Target::Actor(i),
            name.chain(
                a.aliases
                    .iter()
                    .map(|al| (al.value.as_str(), al.span.clone())),
            )
            .collect::<Vec<_>>(),
        )
    });
    let events = model.events.iter().enumerate().map(|(i, e)| {
        (
            Target::Event(i),
            e.aliases
                .iter()
                .map(|al| (al.value.as_str(), al.span.clone()))
                .collect::<Vec<_>>(),
        )
    });
    for (target, texts) in actors.chain(events) {
        for (text, span) in texts {
            if text.chars().count() < 2 {
                continue;
            }
            let owners = by_text.entry(text).or_default();
            if !owners.iter().any(|(o, _)| *o == target) {
                owners.push((target, span));
            }
        }
    }
    let id = |t: Target| match t {
        Target::Actor(i) => model.actors[i].id.as_str(),
        Target::Event(i) => model.events[i].id.as_str(),
    };
    let mut names = Vec::with_capacity(by_text.len());
    for (text, owners) in by_text {
        match owners.as_slice() {
            [(t, _)] => {
                let url = index.url(*t).to_string();
                // Smart punctuation turns ' into ’ in the text: match both.
                if text.contains('\'') {
                    names.push((text.replace('\'', "’"), *t, url.clone()));
                }
                names.push((text.to_string(), *t, url));
            }
            [(a, a_span), (b, _), ..] => {
                diags.push(
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
                );
            }
            [] => {}
        }
    }
    names
}
