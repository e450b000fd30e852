//! Reference resolution: ids → targets, with did-you-mean diagnostics for
//! unknown ids, errors for ids of the wrong kind, and `part_of` cycle checks.

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use std::sync::Arc;

use super::{ActorLinks, EventLinks, RelationEdge, Target, Text, suggest};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Span, did_you_mean, did_you_mean_hint};
use crate::markdown::{BrokenRef, CitedSource, Problem, Resolve, Resolved};
use crate::model::{Cited, Markdown, Model, Ref};
use crate::paths;

/// What kind of target a reference must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    Actor,
    Event,
    Any,
}

impl Expect {
    fn noun(self) -> &'static str {
        match self {
            Expect::Actor => "actor",
            Expect::Event => "event",
            Expect::Any => "actor or event",
        }
    }
}

/// Every id, with the URL and title of its page; and every source id.
pub(crate) struct Index<'m> {
    model: &'m Model,
    maps: Arc<Maps>,
    /// Which fact sheets, sources and authors it is of (see [`IndexCache`]).
    generation: u64,
    layout: u64,
    /// Ids of fact sheets that failed to load (already reported).
    broken: &'m rustc_hash::FxHashSet<String>,
    /// Built on first use: only diagnostics need them.
    suggestions: OnceLock<Suggestions>,
}

/// What the index finds by id.
#[derive(Debug, Default)]
pub(crate) struct Maps {
    ids: HashMap<String, Target>,
    actor_urls: Vec<String>,
    event_urls: Vec<String>,
    /// Source ids (`[@id]`, `source: id`), a namespace of their own.
    pub sources: HashMap<String, usize>,
    /// Author ids (an analysis's `authors:`), a namespace of their own.
    pub authors: HashMap<String, usize>,
    source_urls: Vec<String>,
    /// The site's base path, under which root-relative links go.
    pub base_path: String,
}

impl std::ops::Deref for Index<'_> {
    type Target = Maps;

    fn deref(&self) -> &Maps {
        &self.maps
    }
}

/// The maps of the last build, and what they were made from: the fact
/// sheets, source and author files (the same ones, as the model's cache
/// hands them out while their files are unchanged) and the site's address.
/// The maps hold only what ids give (targets, URLs), so `serve` makes
/// them again only when an id or the address changed, not for every edit.
#[derive(Debug, Default)]
pub(crate) struct IndexCache {
    actors: Vec<Arc<crate::model::Actor>>,
    events: Vec<Arc<crate::model::Event>>,
    sources: Vec<Arc<crate::model::Source>>,
    authors: Vec<Arc<crate::model::Author>>,
    base: String,
    maps: Arc<Maps>,
    /// One more each time a fact sheet, source or author file differs from
    /// the build before: what the link stage's other caches are keyed on.
    generation: u64,
    /// One more each time an id moved, came or went (or a file that
    /// failed to load changed): what indices into the model mean.
    layout: u64,
    /// The files that failed to load, hashed.
    broken: u64,
}

/// Whether two lists hold the very same entities, in the same order.
fn same_arcs<T>(a: &[Arc<T>], b: &[Arc<T>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y))
}

/// Whether two lists hold entities that are alike by `eq` (or the very
/// same), in the same order.
pub(super) fn same_by<T>(a: &[Arc<T>], b: &[Arc<T>], eq: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y) || eq(x, y))
}

/// Whether two lists hold entities with the same ids, in the same order.
fn same_ids<T>(a: &[Arc<T>], b: &[Arc<T>], id: impl Fn(&T) -> &str) -> bool {
    same_by(a, b, |x, y| id(x) == id(y))
}

/// What did-you-mean hints search.
struct Suggestions {
    /// Sorted, for deterministic suggestions.
    sorted_ids: Vec<String>,
    /// Lower-cased names and aliases → id, to suggest `tokayev` for "Tokayev".
    names: HashMap<String, String>,
}

impl<'m> Index<'m> {
    pub(crate) fn new(model: &'m Model, config: &Config, cache: &mut IndexCache) -> Index<'m> {
        let base = format!("{}|{}", config.base_url.path, config.base_url.root);
        let broken = {
            let mut b: Vec<&String> = model
                .broken_ids
                .iter()
                .chain(&model.broken_sources)
                .collect();
            b.sort();
            crate::hash::combine((b, model.broken_ids.len()))
        };
        if broken != cache.broken {
            cache.broken = broken;
            cache.layout += 1;
        }
        let unchanged = same_arcs(&cache.actors, &model.actors)
            && same_arcs(&cache.events, &model.events)
            && same_arcs(&cache.sources, &model.sources)
            && same_arcs(&cache.authors, &model.authors)
            && cache.base == base;
        if !unchanged {
            // A renamed actor, an event with a new date: the same ids, the
            // same maps.
            let same_layout = cache.base == base
                && same_ids(&cache.actors, &model.actors, |a| &a.id)
                && same_ids(&cache.events, &model.events, |e| &e.id)
                && same_ids(&cache.sources, &model.sources, |s| &s.id)
                && same_ids(&cache.authors, &model.authors, |a| &a.id);
            if !same_layout {
                cache.maps = Arc::new(Maps::new(model, config));
                cache.base = base;
                cache.layout += 1;
            }
            cache.actors.clone_from(&model.actors);
            cache.events.clone_from(&model.events);
            cache.sources.clone_from(&model.sources);
            cache.authors.clone_from(&model.authors);
            cache.generation += 1;
        }
        Index {
            model,
            maps: Arc::clone(&cache.maps),
            generation: cache.generation,
            layout: cache.layout,
            broken: &model.broken_ids,
            suggestions: OnceLock::new(),
        }
    }
}

impl Maps {
    fn new(model: &Model, config: &Config) -> Maps {
        let mut ids = HashMap::with_capacity_and_hasher(
            model.actors.len() + model.events.len(),
            Default::default(),
        );
        for (i, a) in model.actors.iter().enumerate() {
            ids.insert(a.id.clone(), Target::Actor(i));
        }
        for (i, e) in model.events.iter().enumerate() {
            ids.insert(e.id.clone(), Target::Event(i));
        }
        let base = &config.base_url;
        let sources = model
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        let authors = model
            .authors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        Maps {
            ids,
            sources,
            authors,
            source_urls: model
                .sources
                .iter()
                .map(|s| base.relative(&paths::source(&s.id)))
                .collect(),
            actor_urls: model
                .actors
                .iter()
                .map(|a| base.relative(&paths::actor(&a.id)))
                .collect(),
            event_urls: model
                .events
                .iter()
                .map(|e| base.relative(&paths::event(&e.id)))
                .collect(),
            // Root-relative links in Markdown (`/img/x.jpg`) start from the
            // site's root in every edition.
            base_path: base.root.clone(),
        }
    }
}

impl<'m> Index<'m> {
    /// Which fact sheets, sources and authors the index is of: the same
    /// number from one build to the next while no fact sheet, source or
    /// author file changed.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// What indices into the model mean: the same number from one build
    /// to the next while every id is where it was (and the same files
    /// failed to load).
    pub(crate) fn layout(&self) -> u64 {
        self.layout
    }

    fn suggestions(&self) -> &Suggestions {
        self.suggestions.get_or_init(|| {
            let mut names = HashMap::default();
            for a in &self.model.actors {
                names
                    .entry(a.name.to_lowercase())
                    .or_insert_with(|| a.id.clone());
                for al in &a.aliases {
                    names
                        .entry(al.value.to_lowercase())
                        .or_insert_with(|| a.id.clone());
                }
            }
            for e in &self.model.events {
                names
                    .entry(e.title.to_lowercase())
                    .or_insert_with(|| e.id.clone());
            }
            let mut sorted_ids: Vec<String> = self.ids.keys().cloned().collect();
            sorted_ids.sort();
            Suggestions { sorted_ids, names }
        })
    }

    pub(crate) fn get(&self, id: &str) -> Option<Target> {
        self.ids.get(id).copied()
    }

    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        self.suggestions().sorted_ids.iter().map(String::as_str)
    }

    /// The id whose name or alias is `text` (ignoring case).
    pub(crate) fn by_name(&self, text: &str) -> Option<&str> {
        self.suggestions()
            .names
            .get(&text.to_lowercase())
            .map(String::as_str)
    }

    pub(crate) fn url(&self, t: Target) -> &str {
        match t {
            Target::Actor(i) => &self.actor_urls[i],
            Target::Event(i) => &self.event_urls[i],
        }
    }

    pub(crate) fn title(&self, t: Target) -> &str {
        match t {
            Target::Actor(i) => &self.model.actors[i].name,
            Target::Event(i) => &self.model.events[i].title,
        }
    }

    /// The model the index is of.
    pub(crate) fn model(&self) -> &Model {
        self.model
    }

    /// A source's publisher as shown: the actor's name when it names one.
    pub(crate) fn publisher(&self, i: usize) -> Option<&str> {
        let p = self.model.sources[i].publisher.as_ref()?;
        Some(match self.get(&p.value) {
            Some(Target::Actor(a)) => &self.model.actors[a].name,
            _ => &p.value,
        })
    }
}

impl Resolve<Target> for Index<'_> {
    fn id(&self, id: &str) -> Option<Resolved<'_, Target>> {
        let target = self.get(id)?;
        Some(Resolved {
            target,
            url: self.url(target),
            title: self.title(target),
        })
    }

    fn source(&self, id: &str) -> Option<CitedSource<'_>> {
        let &i = self.sources.get(id)?;
        let s = &self.model.sources[i];
        Some(CitedSource {
            url: self.source_url(i),
            publisher: self.publisher(i),
            title: &s.title,
            date: s.published.map(|d| d.display()),
        })
    }
}

impl Index<'_> {
    /// Resolves `r`, pushing a diagnostic when it is unknown or of the wrong kind.
    pub(crate) fn expect(
        &self,
        r: &Ref,
        expect: Expect,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Target> {
        let Some(target) = self.get(&r.id) else {
            if !self.broken.contains(&r.id) {
                diags.push(self.unknown(&r.id, r.span.clone(), expect));
            }
            return None;
        };
        let ok = matches!(
            (expect, target),
            (Expect::Any, _)
                | (Expect::Actor, Target::Actor(_))
                | (Expect::Event, Target::Event(_))
        );
        if !ok {
            let is = if matches!(target, Target::Actor(_)) {
                "an actor"
            } else {
                "an event"
            };
            diags.push(
                Diagnostic::error(format!(
                    "`{}` is {is}, but an {} is expected here",
                    r.id,
                    expect.noun()
                ))
                .at(r.span.clone())
                .label(format!("not an {}", expect.noun())),
            );
            return None;
        }
        Some(target)
    }

    /// The URL of a source's page.
    pub(crate) fn source_url(&self, i: usize) -> &str {
        &self.source_urls[i]
    }

    /// Resolves a source id, pushing a diagnostic when it is unknown.
    pub(crate) fn expect_source(&self, r: &Ref, diags: &mut Vec<Diagnostic>) -> Option<usize> {
        if let Some(&i) = self.sources.get(&r.id) {
            return Some(i);
        }
        if !self.model.broken_sources.contains(&r.id) {
            diags.push(self.unknown_source(&r.id, r.span.clone()));
        }
        None
    }

    /// An unknown source id, with did-you-mean over source ids and titles.
    pub(crate) fn unknown_source(&self, id: &str, span: Span) -> Diagnostic {
        let d = Diagnostic::error(format!("unknown source id `{id}`"))
            .at(span)
            .label("no source has this id");
        let mut ids: Vec<&str> = self.model.sources.iter().map(|s| s.id.as_str()).collect();
        ids.sort_unstable();
        let by_title = || {
            self.model
                .sources
                .iter()
                .find(|s| s.title.eq_ignore_ascii_case(id))
                .map(|s| s.id.as_str())
        };
        match did_you_mean(id, ids).or_else(by_title) {
            Some(s) => d.hint(format!("did you mean `{s}`?")),
            None => d.hint(
                "sources are the files in content/sources/; the id is the file name without .yaml",
            ),
        }
    }

    /// Whether `id` names a source file that failed to load.
    pub(crate) fn is_broken_source(&self, id: &str) -> bool {
        self.model.broken_sources.contains(id)
    }

    /// Whether `id` names a fact sheet that failed to load.
    pub(crate) fn is_broken(&self, id: &str) -> bool {
        self.broken.contains(id)
    }

    /// The error for a `[[…]]` that went wrong, or None for an unknown id
    /// whose own file failed (already reported).
    pub(crate) fn broken_ref(&self, b: &BrokenRef, span: Span) -> Option<Diagnostic> {
        Some(match b.problem {
            Problem::UnknownId if self.is_broken(&b.id) => return None,
            Problem::UnknownId => self.unknown(&b.id, span, Expect::Any),
            Problem::Unclosed => {
                let shown = if b.id.is_empty() { "[[…".to_string() } else { format!("[[{} …", b.id) };
                let example = if b.id.is_empty() { "an-id" } else { b.id.as_str() };
                Diagnostic::error(format!(
                    "this `[[` is never closed, so `{shown}` would be printed as it stands"
                ))
                .at(span)
                .label("no `]]` after this")
                .hint(format!(
                    "close the link: `[[{example}]]`, or `[[{example}|your words]]`; to print two brackets, escape one: `\\[[`"
                ))
            }
            Problem::BracketInText => Diagnostic::error(format!(
                "the text of this link holds a `]`, so the link would read “{}”",
                b.id.trim()
            ))
            .at(span)
            .label("a `]` inside `[[id|text]]`")
            .hint("put the whole text before the closing `]]`: `[[id|text]]`; to print a bracket, escape it: `\\]`"),
        })
    }

    pub(crate) fn unknown(&self, id: &str, span: Span, expect: Expect) -> Diagnostic {
        let d = Diagnostic::error(format!("unknown {} id `{id}`", expect.noun()))
            .at(span)
            .label(format!("no {} has this id", expect.noun()));
        match suggest(id, self) {
            Some(s) => d.hint(format!("did you mean `{s}`?")),
            None => d.hint(match expect {
                Expect::Actor => {
                    "actors are the files in content/actors/; the id is the file name without .yaml"
                }
                Expect::Event => {
                    "events are the files in content/events/; the id is the file name without .yaml"
                }
                Expect::Any => {
                    "ids are the file names in content/actors/ and content/events/, without .yaml"
                }
            }),
        }
    }
}

/// The links of every fact sheet: its references resolved, `part_of`
/// cycles broken. Summaries and reverse edges come later.
pub(super) fn fact_sheets(
    config: &Config,
    model: &Model,
    index: &Index,
    diags: &mut Diagnostics,
) -> (Vec<ActorLinks>, Vec<EventLinks>) {
    let mut actors: Vec<ActorLinks> = model.actors.iter().map(|_| ActorLinks::default()).collect();
    let mut events: Vec<EventLinks> = model.events.iter().map(|_| EventLinks::default()).collect();
    let all_actors: Vec<usize> = (0..actors.len()).collect();
    let all_events: Vec<usize> = (0..events.len()).collect();
    resolve_sheets(
        config,
        model,
        index,
        (&mut actors, &mut events),
        (&all_actors, &all_events),
        diags,
    );
    (actors, events)
}

/// The links of every fact sheet, as [`fact_sheets`] makes them, from
/// `last` (what it made from the fact sheets `was`, with every id where it
/// is now, and nothing reported): only the fact sheets that changed are
/// resolved again, and the events whose place is a name (a rename may
/// move it). The cycle checks see them all.
pub(super) fn patch_fact_sheets(
    config: &Config,
    model: &Model,
    index: &Index,
    last: (&[ActorLinks], &[EventLinks]),
    was: (&[Arc<crate::model::Actor>], &[Arc<crate::model::Event>]),
    diags: &mut Diagnostics,
) -> (Vec<ActorLinks>, Vec<EventLinks>) {
    let mut actors = last.0.to_vec();
    let mut events = last.1.to_vec();
    let changed_actors: Vec<usize> = (0..actors.len())
        .filter(|&i| !Arc::ptr_eq(&model.actors[i], &was.0[i]))
        .collect();
    let changed_events: Vec<usize> = (0..events.len())
        .filter(|&i| {
            let e = &model.events[i];
            !Arc::ptr_eq(e, &was.1[i])
                || e.place
                    .as_ref()
                    .is_some_and(|p| index.get(&p.value).is_none())
        })
        .collect();
    for &i in &changed_actors {
        actors[i] = ActorLinks::default();
    }
    for &i in &changed_events {
        events[i] = EventLinks::default();
    }
    resolve_sheets(
        config,
        model,
        index,
        (&mut actors, &mut events),
        (&changed_actors, &changed_events),
        diags,
    );
    (actors, events)
}

/// Resolves the fact sheets at these positions (their links empty), then
/// breaks `part_of` cycles among all.
fn resolve_sheets(
    config: &Config,
    model: &Model,
    index: &Index,
    (actors, events): (&mut [ActorLinks], &mut [EventLinks]),
    (which_actors, which_events): (&[usize], &[usize]),
    diags: &mut Diagnostics,
) {
    fact_sheet_refs(
        model,
        index,
        actors,
        events,
        (which_actors, which_events),
        diags,
    );
    relations(config, model, index, actors, which_actors, diags);
    cited_sources(model, index, (which_actors, which_events), diags);
    check_part_of_cycles(model, events, diags);
    check_place_cycles(model, actors, diags);
}

/// Resolves each actor's relations: the type against the site's types,
/// the other actor by id. The other side is added by the backlinks.
fn relations(
    config: &Config,
    model: &Model,
    index: &Index,
    actors: &mut [ActorLinks],
    which: &[usize],
    diags: &mut Diagnostics,
) {
    let mut local = Vec::new();
    let types = &config.relation_types;
    for &owner in which {
        let (a, links) = (&model.actors[owner], &mut actors[owner]);
        for (position, r) in a.relations.iter().enumerate() {
            let kind = types.iter().position(|t| t.name == r.kind.value);
            if kind.is_none() {
                let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
                local.push(
                    Diagnostic::error(format!("unknown type of relation `{}`", r.kind.value))
                        .at(r.kind.span.clone())
                        .label("not a type of relation")
                        .hint_opt(did_you_mean_hint(&r.kind.value, names.iter().copied()))
                        .hint(format!("the types are: {}", names.join(", ")))
                        .hint("a site declares its own under [relations] in site.toml, such as `[relations.advises]` with `label` and `inverse`"),
                );
            }
            let other = index.expect(&r.actor, Expect::Actor, &mut local);
            if let (Some(kind), Some(Target::Actor(other))) = (kind, other) {
                links.relations.make_mut().push(RelationEdge {
                    owner,
                    position,
                    kind,
                    other,
                    inverse: false,
                });
            }
        }
    }
    diags.extend(local);
}

/// Reports source ids that name no source file, wherever a source is given.
fn cited_sources(
    model: &Model,
    index: &Index,
    (which_actors, which_events): (&[usize], &[usize]),
    diags: &mut Diagnostics,
) {
    let mut local = Vec::new();
    let mut check = |c: &Cited| {
        if let Cited::Id(r) = c {
            index.expect_source(r, &mut local);
        }
    };
    for a in which_actors.iter().map(|&i| &model.actors[i]) {
        a.facts
            .iter()
            .filter_map(|f| f.source.as_ref())
            .for_each(&mut check);
        a.relations
            .iter()
            .filter_map(|r| r.source.as_ref())
            .for_each(&mut check);
    }
    for e in which_events.iter().map(|&i| &model.events[i]) {
        e.facts
            .iter()
            .filter_map(|f| f.source.as_ref())
            .for_each(&mut check);
        e.sources.iter().for_each(&mut check);
    }
    diags.extend(local);
}

/// Reports unknown ids in fact sheets' summaries and authors' bios (only
/// the texts that have one are read).
pub(super) fn summaries(
    model: &Model,
    texts: &super::Texts,
    index: &Index,
    diags: &mut Vec<Diagnostic>,
) {
    for &i in &texts.actors.broken {
        if let Some(m) = &model.actors[i].summary {
            report_broken(texts.actors.get(i).map(|t| &**t), m, index, diags);
        }
    }
    for &i in &texts.events.broken {
        if let Some(m) = &model.events[i].summary {
            report_broken(texts.events.get(i).map(|t| &**t), m, index, diags);
        }
    }
    for &i in &texts.authors.broken {
        if let Some(m) = &model.authors[i].bio {
            report_broken(texts.authors.get(i).map(|t| &**t), m, index, diags);
        }
    }
}

/// Renders each relation's note (one Markdown sentence, `[[id]]` allowed,
/// no automatic links) as inline HTML, and reports unknown ids in it.
pub(super) fn notes(
    model: &Model,
    index: &Index,
    actors: &mut [ActorLinks],
    diags: &mut Vec<Diagnostic>,
) {
    for (a, links) in model.actors.iter().zip(actors.iter_mut()) {
        links.notes = a
            .relations
            .iter()
            .map(|r| {
                let m = r.note.as_ref()?;
                let text = super::texts::render(&m.text, index, model, None, false, None);
                report_broken(Some(&text), m, index, diags);
                Some(super::texts::inline(&text.html.get()))
            })
            .collect();
    }
}

/// Unknown ids in a fact sheet's summary: reported at the summary's start
/// (its text is re-indented YAML, so offsets inside it are not the file's).
fn report_broken(text: Option<&Text>, m: &Markdown, index: &Index, diags: &mut Vec<Diagnostic>) {
    for broken in text.into_iter().flat_map(|t| &t.broken) {
        diags.extend(index.broken_ref(broken, m.span.clone()));
    }
}

/// Resolves the references inside fact sheets: countries, event actors,
/// `part_of` and places.
fn fact_sheet_refs(
    model: &Model,
    index: &Index,
    actors: &mut [ActorLinks],
    events: &mut [EventLinks],
    (which_actors, which_events): (&[usize], &[usize]),
    diags: &mut Diagnostics,
) {
    let mut local = Vec::new();
    for &i in which_actors {
        let (a, links) = (&model.actors[i], &mut actors[i]);
        if let Some(c) = &a.country
            && let Some(Target::Actor(i)) = index.expect(c, Expect::Actor, &mut local)
        {
            links.country = Some(i);
        }
    }
    for &event in which_events {
        let (e, links) = (&model.events[event], &mut events[event]);
        for (position, p) in e.participants.iter().enumerate() {
            if let Some(Target::Actor(i)) = index.expect(&p.actor, Expect::Actor, &mut local)
                && !links.participants.iter().any(|(j, _)| *j == i)
            {
                links
                    .participants
                    .push((i, super::Role { event, position }));
            }
        }
        if let Some(p) = &e.part_of
            && let Some(Target::Event(i)) = index.expect(p, Expect::Event, &mut local)
        {
            links.parent = Some(i);
        }
        if let Some(place) = &e.place {
            let by_id = index.get(&place.value);
            let by_name = || index.by_name(&place.value).and_then(|id| index.get(id));
            if let Some(Target::Actor(i)) = by_id.or_else(by_name) {
                links.place = Some(i);
            }
        }
    }
    diags.extend(local);
}

/// `part_of` must form a tree. A cycle is reported once, at the event with
/// the smallest id in it, and broken there so later stages terminate.
fn check_part_of_cycles(model: &Model, events: &mut [EventLinks], diags: &mut Diagnostics) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; events.len()];
    for start in 0..events.len() {
        let mut path: Vec<usize> = Vec::new();
        let mut cur = Some(start);
        while let Some(i) = cur {
            match state[i] {
                State::Done => break,
                State::OnPath => {
                    let pos = path.iter().position(|&p| p == i).unwrap_or(0);
                    let cycle = &path[pos..];
                    let first = cycle
                        .iter()
                        .copied()
                        .min_by_key(|&c| model.events[c].id.as_str())
                        .unwrap_or(i);
                    let names: Vec<&str> = cycle
                        .iter()
                        .cycle()
                        .skip_while(|&&c| c != first)
                        .take(cycle.len() + 1)
                        .map(|&c| model.events[c].id.as_str())
                        .collect();
                    let span = model.events[first]
                        .part_of
                        .as_ref()
                        .map_or(Span::file(model.events[first].source), |r| r.span.clone());
                    diags.push(
                        Diagnostic::error(format!("`part_of` makes a cycle: {}", names.join(" → ")))
                            .at(span)
                            .label("this event ends up inside itself")
                            .hint("an event can only be part of a larger event; remove `part_of` from one of these"),
                    );
                    events[first].parent = None;
                    break;
                }
                State::New => {
                    state[i] = State::OnPath;
                    path.push(i);
                    cur = events[i].parent;
                }
            }
        }
        for p in path {
            state[p] = State::Done;
        }
    }
}

/// `part_of` between actors (a city in a region, a region in a state) must
/// not loop: each cycle is reported once, at the actor with the smallest id
/// in it, and its edge there dropped, so that rolling events up terminates.
fn check_place_cycles(model: &Model, actors: &mut [ActorLinks], diags: &mut Diagnostics) {
    let is_part_of =
        |e: &RelationEdge| model.actors[e.owner].relations[e.position].kind.value == "part_of";
    while let Some(cycle) = find_part_of_cycle(actors, &is_part_of) {
        let at = (0..cycle.len())
            .min_by_key(|&k| model.actors[cycle[k]].id.as_str())
            .unwrap_or(0);
        let (first, next) = (cycle[at], cycle[(at + 1) % cycle.len()]);
        let names: Vec<&str> = cycle
            .iter()
            .cycle()
            .skip(at)
            .take(cycle.len() + 1)
            .map(|&c| model.actors[c].id.as_str())
            .collect();
        let Some(k) = actors[first]
            .relations
            .iter()
            .position(|e| !e.inverse && is_part_of(e) && e.other == next)
        else {
            break;
        };
        let e = actors[first].relations.make_mut().remove(k);
        diags.push(
            Diagnostic::error(format!("`part_of` makes a cycle: {}", names.join(" → ")))
                .at(model.actors[first].relations[e.position].span.clone())
                .label("this actor ends up inside itself")
                .hint("a place is part of a larger one; remove one of these `part_of` relations"),
        );
    }
}

/// A cycle of `part_of` edges (owner → other), as the actors in it in order.
fn find_part_of_cycle(
    actors: &[ActorLinks],
    is_part_of: &dyn Fn(&RelationEdge) -> bool,
) -> Option<Vec<usize>> {
    let parents = |i: usize| {
        actors[i]
            .relations
            .iter()
            .filter(|e| !e.inverse && is_part_of(e))
            .map(|e| e.other)
    };
    // 0: not seen, 1: on the current path, 2: done.
    let mut state = vec![0u8; actors.len()];
    for start in 0..actors.len() {
        if state[start] != 0 {
            continue;
        }
        let mut path: Vec<(usize, Vec<usize>)> = vec![(start, parents(start).collect())];
        state[start] = 1;
        while let Some((node, next)) = path.last_mut() {
            match next.pop() {
                None => {
                    state[*node] = 2;
                    path.pop();
                }
                Some(p) if state[p] == 1 => {
                    let from = path.iter().position(|(n, _)| *n == p).unwrap_or(0);
                    return Some(path[from..].iter().map(|(n, _)| *n).collect());
                }
                Some(p) if state[p] == 0 => {
                    state[p] = 1;
                    path.push((p, parents(p).collect()));
                }
                Some(_) => {}
            }
        }
    }
    None
}
