//! What the model stage keeps between builds: each document's
//! conversion, by position, and the last model while it can be patched
//! (see [`Last`]). `serve` rebuilds through here; a one-shot build starts
//! with an empty cache.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::build::{actor, analysis, author, event, source};
use super::*;
use crate::diag::{Diagnostic, Diagnostics, SourceId};
use crate::load::{Content, Doc, Edited};

/// Converted entities of the last build, by source file and version, so
/// that a rebuild converts only the documents that changed.
#[derive(Debug, Default)]
pub(crate) struct ModelCache {
    pub(super) actors: Slots<Actor>,
    pub(super) events: Slots<Event>,
    pub(super) analyses: Slots<Analysis>,
    pub(super) sources: Slots<Source>,
    pub(super) authors: Slots<Author>,
    pub(super) analysis_texts: Slots<AnalysisText>,
    pub(super) actor_texts: Slots<ActorText>,
    pub(super) event_texts: Slots<EventText>,
    pub(super) source_texts: Slots<SourceText>,
    pub(super) author_texts: Slots<AuthorText>,
    /// The model the last build made, while it can be patched.
    pub(super) last: Option<Last>,
    /// The generation of the content every list above was last brought up
    /// to date with (None while a build is under way).
    pub(super) seen: Option<u64>,
}

/// The last build's model, kept when the checks across files found
/// nothing: a rebuild in which no file was added, removed or renamed, no
/// translation changed, and no changed file changed what places its
/// entity or what those checks read (an id, a slug, a date, a draft
/// flag, redirects) swaps the changed entities in, rather than sorting
/// and checking 25,000 entities again for one edit in `serve`.
#[derive(Debug)]
pub(super) struct Last {
    pub(super) model: Model,
    pub(super) include_drafts: bool,
    /// Stems of the files that failed to parse (actors and events,
    /// sources, authors).
    pub(super) failed: [Vec<String>; 3],
}

/// Converted documents, in the order of the last build's documents: a
/// rebuild that neither adds nor removes a file finds each in its place,
/// with no lookup (25,000 lookups were a third of an edit's model stage).
pub(super) type Slots<E> = Vec<(SourceId, Converted<E>)>;

#[derive(Debug)]
pub(super) struct Converted<E> {
    version: u64,
    entity: Option<Arc<E>>,
    diags: Vec<Diagnostic>,
}

pub(super) fn failed_stems(content: &Content) -> [Vec<String>; 3] {
    [
        content.failed_stems.clone(),
        content.failed_sources.clone(),
        content.failed_authors.clone(),
    ]
}

/// The last build's model with the entities of the files that changed
/// swapped in, when nothing else can have changed (see [`Last`]); None
/// otherwise. The conversions it makes stay in `cache` either way.
pub(super) fn patch(
    content: &Content,
    include_drafts: bool,
    cache: &mut ModelCache,
    seen: Option<u64>,
    diags: &mut Diagnostics,
) -> Option<Model> {
    let last = cache.last.take()?;
    if last.include_drafts != include_drafts || last.failed != failed_stems(content) {
        return None;
    }
    let t = &content.translations;
    let unchanged = unchanged(&t.analyses, &cache.analysis_texts)
        && unchanged(&t.actors, &cache.actor_texts)
        && unchanged(&t.events, &cache.event_texts)
        && unchanged(&t.sources, &cache.source_texts)
        && unchanged(&t.authors, &cache.author_texts);
    if !unchanged {
        return None;
    }
    // The places edited since the content these conversions were of, as
    // the load stage tells them: only those are looked at (reading the
    // version of each of 250,000 documents took 6 ms of each edit at N =
    // 100,000).
    let edited = content
        .edited
        .as_ref()
        .filter(|_| seen.is_some_and(|g| g + 1 == content.generation));
    let at = |list: fn(&Edited) -> &Vec<usize>| edited.map(|e| &list(e)[..]);
    let actors = refresh(&content.actors, &mut cache.actors, actor, at(|e| &e.actors))?;
    let events = refresh(&content.events, &mut cache.events, event, at(|e| &e.events))?;
    let sources = refresh(
        &content.sources,
        &mut cache.sources,
        source,
        at(|e| &e.sources),
    )?;
    let authors = refresh(
        &content.authors,
        &mut cache.authors,
        author,
        at(|e| &e.authors),
    )?;
    let analyses = refresh(
        &content.analyses,
        &mut cache.analyses,
        analysis,
        at(|e| &e.analyses),
    )?;
    let redirects = |a: &[Ref], b: &[Ref]| a.iter().map(|r| &r.id).eq(b.iter().map(|r| &r.id));
    let mut model = last.model;
    swap(&mut model.actors, actors, |a, b| {
        a.id == b.id && redirects(&a.redirect_from, &b.redirect_from)
    })?;
    swap(&mut model.events, events, |a, b| {
        a.id == b.id && redirects(&a.redirect_from, &b.redirect_from)
    })?;
    swap(&mut model.sources, sources, |a, b| {
        a.id == b.id && redirects(&a.redirect_from, &b.redirect_from)
    })?;
    swap(&mut model.authors, authors, |a, b| {
        a.id == b.id && redirects(&a.redirect_from, &b.redirect_from)
    })?;
    // A draft left out that stays a draft stays out (one that is no
    // longer a draft fails `same` below).
    let draft = |a: &Option<Arc<Analysis>>| a.as_ref().is_some_and(|a| a.draft);
    let analyses: Vec<_> = analyses
        .into_iter()
        .filter(|(old, new)| include_drafts || !(draft(old) && draft(new)))
        .collect();
    // How many have a correction: those that changed counted again.
    let corrected = |a: &Option<Arc<Analysis>>| {
        usize::from(a.as_ref().is_some_and(|a| !a.corrections.is_empty()))
    };
    let (gained, lost) = analyses.iter().fold((0, 0), |(g, l), (old, new)| {
        (g + corrected(new), l + corrected(old))
    });
    swap(&mut model.analyses, analyses, |a, b| {
        (a.date, &a.slug, a.draft) == (b.date, &b.slug, b.draft)
    })?;
    model.corrected = (model.corrected + gained).saturating_sub(lost);
    // What converting each file found, in the order a full model build
    // reports it.
    let each = |slots: &mut dyn Iterator<Item = &Vec<Diagnostic>>, diags: &mut Diagnostics| {
        slots.for_each(|d| diags.extend(d.iter().cloned()))
    };
    let c = &*cache;
    each(&mut c.actors.iter().map(|(_, c)| &c.diags), diags);
    each(&mut c.events.iter().map(|(_, c)| &c.diags), diags);
    each(&mut c.sources.iter().map(|(_, c)| &c.diags), diags);
    each(&mut c.authors.iter().map(|(_, c)| &c.diags), diags);
    each(&mut c.analyses.iter().map(|(_, c)| &c.diags), diags);
    each(&mut c.analysis_texts.iter().map(|(_, c)| &c.diags), diags);
    each(&mut c.actor_texts.iter().map(|(_, c)| &c.diags), diags);
    each(&mut c.event_texts.iter().map(|(_, c)| &c.diags), diags);
    each(&mut c.source_texts.iter().map(|(_, c)| &c.diags), diags);
    each(&mut c.author_texts.iter().map(|(_, c)| &c.diags), diags);
    cache.last = Some(Last {
        model: model.clone(),
        ..last
    });
    Some(model)
}

/// Whether `docs` are the documents `cache` was converted from, each of
/// the same version.
fn unchanged<T, E>(docs: &[Arc<Doc<T>>], cache: &Slots<E>) -> bool {
    cache.len() == docs.len()
        && cache
            .iter()
            .zip(docs)
            .all(|((id, c), d)| *id == d.source && c.version == d.version)
}

/// The documents that changed: each one's entity before and after (None
/// where it failed to convert).
type Changed<E> = Vec<(Option<Arc<E>>, Option<Arc<E>>)>;

/// Puts each changed entity where its last version was in `list`, if
/// `same` says nothing that places it or that checks across files read
/// changed; None (the model must be built again) otherwise.
/// (Only a list with a changed entity is copied, if the last build's
/// model still holds it.)
fn swap<E>(
    list: &mut Shared<Arc<E>>,
    changed: Changed<E>,
    same: impl Fn(&E, &E) -> bool,
) -> Option<()> {
    for (old, new) in changed {
        match (old, new) {
            // A file that failed to convert, and still does.
            (None, None) => {}
            (Some(old), Some(new)) if same(&old, &new) => {
                let at = list.iter().position(|e| Arc::ptr_eq(e, &old))?;
                list.make_mut()[at] = new;
            }
            _ => return None,
        }
    }
    Some(())
}

/// Converts the documents whose cached conversion is of another version,
/// in parallel, into `cache`; returns each one's entity before and after.
/// None when the documents are not those of the last build (a file was
/// added, removed or renamed). `edited`: the only places that can have
/// changed since `cache` was of `docs`' list, when the load stage knows.
fn refresh<T: Sync + Send, E: Send + Sync>(
    docs: &[Arc<Doc<T>>],
    cache: &mut Slots<E>,
    convert: fn(&Doc<T>, &mut Diagnostics) -> Option<E>,
    edited: Option<&[usize]>,
) -> Option<Changed<E>> {
    if cache.len() != docs.len() {
        return None;
    }
    let stale: Vec<usize> = match edited {
        Some(places) => {
            let mut places: Vec<usize> = places.to_vec();
            places.sort_unstable();
            places.dedup();
            if places
                .iter()
                .any(|&i| i >= docs.len() || cache[i].0 != docs[i].source)
            {
                return None;
            }
            places.retain(|&i| cache[i].1.version != docs[i].version);
            places
        }
        None => {
            if !cache.iter().zip(docs).all(|((id, _), d)| *id == d.source) {
                return None;
            }
            (0..docs.len())
                .filter(|&i| cache[i].1.version != docs[i].version)
                .collect()
        }
    };
    let fresh: Vec<(usize, Converted<E>)> = stale
        .into_par_iter()
        .map(|i| (i, convert_one(&docs[i], convert)))
        .collect();
    Some(
        fresh
            .into_iter()
            .map(|(i, c)| {
                let old = std::mem::replace(&mut cache[i].1, c).entity;
                (old, cache[i].1.entity.clone())
            })
            .collect(),
    )
}

fn convert_one<T, E>(
    doc: &Doc<T>,
    convert: fn(&Doc<T>, &mut Diagnostics) -> Option<E>,
) -> Converted<E> {
    let mut local = Diagnostics::new();
    if doc.hollow {
        // `LoadCache::hollow` lets go of a parse only once its conversion
        // is kept here, by version: this does not happen. Should it, the
        // file is named rather than converted from nothing.
        local.push(
            Diagnostic::error("dossier no longer holds what it read from this file")
                .at(doc.file_span())
                .hint("save the file again (or restart `dossier serve`) to have it read anew"),
        );
        return Converted {
            version: doc.version,
            entity: None,
            diags: local.into_vec(),
        };
    }
    let entity = convert(doc, &mut local).map(Arc::new);
    Converted {
        version: doc.version,
        entity,
        diags: local.into_vec(),
    }
}

/// Converts each document, in parallel, reusing the cached conversion of any
/// document whose version is unchanged; returns them in document order.
pub(super) fn convert_all<'c, T: Sync + Send, E: Send + Sync>(
    docs: &'c [Arc<Doc<T>>],
    cache: &mut Slots<E>,
    convert: fn(&Doc<T>, &mut Diagnostics) -> Option<E>,
    diags: &mut Diagnostics,
) -> Vec<(&'c Doc<T>, Option<Arc<E>>)> {
    if refresh(docs, cache, convert, None).is_none() {
        // Files were added, removed or renamed: the cached conversions are
        // laid out again in the documents' order.
        let mut old: HashMap<SourceId, Converted<E>> = std::mem::take(cache).into_iter().collect();
        let stale: Vec<usize> = (0..docs.len())
            .filter(|&i| old.get(&docs[i].source).map(|c| c.version) != Some(docs[i].version))
            .collect();
        let fresh: Vec<(usize, Converted<E>)> = stale
            .into_par_iter()
            .map(|i| (i, convert_one(&docs[i], convert)))
            .collect();
        let mut fresh = fresh.into_iter().peekable();
        for (i, doc) in docs.iter().enumerate() {
            let c = match fresh.next_if(|(j, _)| *j == i) {
                Some((_, c)) => c,
                None => old
                    .remove(&doc.source)
                    .unwrap_or_else(|| convert_one(doc, convert)),
            };
            cache.push((doc.source, c));
        }
    }
    docs.iter()
        .zip(cache.iter())
        .map(|(doc, (_, c))| {
            diags.extend(c.diags.iter().cloned());
            (&**doc, c.entity.clone())
        })
        .collect()
}
