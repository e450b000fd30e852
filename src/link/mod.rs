//! Link: resolve every reference, render Markdown with `[[id]]` links and
//! autolinked mentions, and build the graph of typed edges in both
//! directions. After this stage nothing refers to anything by string.

mod analyses;
mod graph;
mod names;
mod related;
mod resolve;
mod texts;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::diag::{Diagnostics, Sources, did_you_mean};
use crate::model::Model;

pub(crate) use crate::model::Shared;
pub(crate) use resolve::Index;
pub(crate) use texts::Text;
use texts::{TextCache, Texts};

/// Where an actor's role in an event is written: the event and the position
/// in its `actors:` list (so that roles are not copied into the graph).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Role {
    pub event: usize,
    pub position: usize,
}

/// How many enclosing events a page shows (a breadcrumb, not a family tree:
/// a chain thousands of events deep must not make every page huge).
pub(crate) const MAX_ANCESTORS: usize = 8;

impl Site {
    /// The events enclosing `event` through `part_of`, nearest first, at most
    /// [`MAX_ANCESTORS`]. Cycles were broken by the link stage.
    pub(crate) fn ancestors(&self, event: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.events.get(event).and_then(|l| l.parent);
        while let Some(p) = cur {
            if out.len() == MAX_ANCESTORS {
                break;
            }
            out.push(p);
            cur = self.events[p].parent;
        }
        out
    }

    /// Who wrote analysis `i`, in the order written: an author's name, or
    /// the text of an entry that names no author file.
    pub(crate) fn bylines(&self, i: usize) -> Vec<Byline<'_>> {
        let a = &self.model.analyses[i];
        let l = &self.analyses[i];
        a.authors
            .iter()
            .enumerate()
            .map(|(k, written)| {
                let author = l.authors.get(k).copied().flatten();
                Byline {
                    author,
                    name: author.map_or(&written.value, |x| &self.model.authors[x].name),
                }
            })
            .collect()
    }

    /// The names of who wrote analysis `i`.
    pub(crate) fn author_names(&self, i: usize) -> Vec<&str> {
        self.bylines(i).into_iter().map(|b| b.name).collect()
    }

    /// The tag with this slug, and its position in [`Site::tags`].
    pub(crate) fn tag(&self, slug: &str) -> Option<(usize, &Tag)> {
        let i = self
            .tags
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()?;
        Some((i, &self.tags[i]))
    }

    /// Actor `i`'s summary, rendered.
    pub(crate) fn actor_summary(&self, i: usize) -> Option<&Arc<Text>> {
        self.texts.actors.get(i)
    }

    /// Event `i`'s summary, rendered.
    pub(crate) fn event_summary(&self, i: usize) -> Option<&Arc<Text>> {
        self.texts.events.get(i)
    }

    /// Author `i`'s bio, rendered.
    pub(crate) fn author_bio(&self, i: usize) -> Option<&Arc<Text>> {
        self.texts.authors.get(i)
    }

    /// The role written for a participant, if any.
    pub(crate) fn role(&self, r: Role) -> Option<&str> {
        self.model
            .events
            .get(r.event)?
            .participants
            .get(r.position)?
            .role
            .as_deref()
    }
}

/// A page an id can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Target {
    Actor(usize),
    Event(usize),
}

/// How an analysis is tied to an actor or event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tie {
    /// Named in front matter.
    Concerns,
    /// `[[id]]` in the body.
    Mentions,
    /// A plain mention of a name or alias, linked automatically.
    AutoMentions,
}

/// The site with every reference resolved. Indices point into `model`.
#[derive(Debug)]
pub(crate) struct Site {
    pub model: Model,
    pub actors: Vec<ActorLinks>,
    pub events: Vec<EventLinks>,
    pub analyses: Shared<Arc<AnalysisLinks>>,
    pub sources: Vec<SourceLinks>,
    /// Source id → position in `model.sources`.
    pub source_ids: HashMap<String, usize>,
    pub authors: Vec<AuthorLinks>,
    /// The rendered texts: analyses' bodies (also in their links), fact
    /// sheets' summaries and authors' bios (see [`Site::actor_summary`]).
    pub texts: Texts,
    /// Sorted by slug (see [`Site::tag`]).
    pub tags: Vec<Tag>,
    /// Events in date order (then title, then id).
    pub timeline: Shared<usize>,
    /// Per analysis: the related analyses, best first (`related` in
    /// `site.toml`).
    pub related: Arc<Vec<Vec<usize>>>,
}

/// One side of a relation between two actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RelationEdge {
    /// The actor whose fact sheet states it, and its position there.
    pub owner: usize,
    pub position: usize,
    /// Its type: a position in `Config::relation_types`.
    pub kind: usize,
    /// The actor on the other side, seen from this one.
    pub other: usize,
    /// Whether this is the other side of a relation another fact sheet
    /// states (shown under the type's inverse label).
    pub inverse: bool,
}

/// Who states a fact: an actor or an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Owner {
    Actor(usize),
    Event(usize),
}

/// What an author wrote.
#[derive(Debug, Default)]
pub(crate) struct AuthorLinks {
    /// Their analyses, newest first.
    pub analyses: Shared<usize>,
}

/// Who wrote an analysis, as its byline shows them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Byline<'s> {
    /// Their author file, if they have one.
    pub author: Option<usize>,
    pub name: &'s str,
}

/// What cites a source.
#[derive(Debug, Default)]
pub(crate) struct SourceLinks {
    /// The publisher, when it names an actor.
    pub publisher: Option<usize>,
    /// Analyses that cite it with `[@id]`, newest first.
    pub analyses: Shared<usize>,
    /// Facts it is the source of: their owner and position.
    pub facts: Shared<(Owner, usize)>,
    /// Events that list it under `sources`.
    pub events: Shared<usize>,
    /// Relations it is the source of: the actor stating them, and position.
    pub relations: Shared<(usize, usize)>,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct ActorLinks {
    pub country: Option<usize>,
    /// Its relations: those its fact sheet states, in order, then those
    /// others state about it (`inverse`), ordered by the other's id.
    pub relations: Shared<RelationEdge>,
    /// Each relation's note, rendered (by position in the fact sheet).
    pub notes: Shared<Option<String>>,
    /// What it is `member_of` (the relation, or `affiliations`).
    pub affiliations: Shared<usize>,
    /// Actors that are `member_of` it (members of an alliance, …).
    pub members: Shared<usize>,
    /// Actors whose `country` is this one.
    pub nationals: Shared<usize>,
    /// Events the actor took part in, with its role, in date order.
    pub events: Shared<(usize, Role)>,
    /// Events whose `place` is this actor or one of its parts (`part_of`,
    /// at any depth), in date order.
    pub events_here: Shared<usize>,
    /// Analyses that concern or mention it, newest first.
    pub analyses: Shared<usize>,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct EventLinks {
    pub participants: Vec<(usize, Role)>,
    pub parent: Option<usize>,
    /// Sub-events, in date order.
    pub children: Shared<usize>,
    pub place: Option<usize>,
    /// Analyses about it or mentioning it, newest first.
    pub analyses: Shared<usize>,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct AnalysisLinks {
    /// The rendered body.
    pub body: Arc<Text>,
    /// Actors it concerns or mentions: front matter first, then mentions in order.
    pub actors: Vec<(usize, Tie)>,
    pub events: Vec<(usize, Tie)>,
    /// Sources it cites with `[@id]`, in order of first citation.
    pub sources: Vec<usize>,
    /// Per entry of `authors:`, the author file it names, if any.
    pub authors: Vec<Option<usize>>,
    /// Each correction's text, rendered (inline HTML), oldest first.
    pub corrections: Vec<String>,
    /// Tag slugs, in front-matter order.
    pub tags: Vec<String>,
    /// Front-matter references (`actors:` then `events:`, by position) that
    /// the text never mentions (for the `unmentioned` check).
    pub unmentioned: Vec<usize>,
    /// Ids the text mentions that the front matter does not list (`unlisted`).
    pub unlisted: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Tag {
    /// `protest-movements`: its page's folder.
    pub slug: String,
    pub name: String,
    /// Analyses with this tag, newest first.
    pub analyses: Vec<usize>,
}

/// What the link stage keeps between builds: rendered texts, the
/// environment they were rendered in, the autolinker, and each analysis's
/// links.
#[derive(Debug, Default)]
pub(crate) struct LinkCache {
    texts: TextCache,
    names: names::NamesCache,
    analyses: analyses::AnalysesCache,
    related: related::RelatedCache,
    graph: graph::GraphCache,
    index: resolve::IndexCache,
    sheets: SheetsCache,
    tags: TagsCache,
}

/// The tags of the last build, and the analyses they were collected from:
/// kept while the analyses are the same, with the same tags, in the same
/// order (an edit of a body or of an actor leaves them).
#[derive(Debug, Default)]
struct TagsCache {
    from: Shared<Arc<crate::model::Analysis>>,
    tags: Vec<Tag>,
}

/// The fact sheets' edges as resolved by the last build, what they were
/// resolved from (the index's generation, the same while no fact sheet,
/// source or author file changed; the types of relation), and what
/// resolving them reported.
#[derive(Debug, Default)]
struct SheetsCache {
    made_from: Option<(u64, String)>,
    actors: Vec<ActorLinks>,
    events: Vec<EventLinks>,
    diags: Vec<crate::diag::Diagnostic>,
    /// The fact sheets they were resolved from, and the index's layout
    /// then: while every id is where it was, only changed fact sheets are
    /// resolved again.
    was: (
        Shared<Arc<crate::model::Actor>>,
        Shared<Arc<crate::model::Event>>,
    ),
    layout: u64,
}

/// How this build's fact sheets' edges compare with the last build's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sheets {
    /// No fact sheet, source or author file changed: the edges are the
    /// cached ones.
    Unchanged,
    /// Some changed (a name, a summary, a date), but every edge resolved
    /// to where it pointed before.
    SameEdges,
    Changed,
}

/// Whether two builds' forward edges among fact sheets are the same.
fn same_edges(a: (&[ActorLinks], &[EventLinks]), b: (&[ActorLinks], &[EventLinks])) -> bool {
    a.0.len() == b.0.len()
        && a.1.len() == b.1.len()
        && a.0
            .iter()
            .zip(b.0)
            .all(|(x, y)| x.country == y.country && x.relations == y.relations)
        && a.1.iter().zip(b.1).all(|(x, y)| {
            x.participants == y.participants && x.parent == y.parent && x.place == y.place
        })
}

/// Resolves what fact sheets point to, or takes it from `cache` when no
/// fact sheet changed (an edit to an analysis in `serve`); says which.
fn fact_sheets(
    config: &Config,
    model: &Model,
    index: &Index,
    cache: &mut SheetsCache,
    diags: &mut Diagnostics,
) -> (Vec<ActorLinks>, Vec<EventLinks>, Sheets) {
    let types = format!("{:?}", config.relation_types);
    if let Some((generation, t)) = &cache.made_from
        && *generation == index.generation()
        && *t == types
    {
        diags.extend(cache.diags.iter().cloned());
        return (
            cache.actors.clone(),
            cache.events.clone(),
            Sheets::Unchanged,
        );
    }
    let mut found = Diagnostics::new();
    // A rename or an edit of a fact sheet moves no id: the others resolve
    // as they did (at N = 10,000, resolving them all took 7 ms of a rename).
    let patchable = cache.made_from.as_ref().is_some_and(|(_, t)| *t == types)
        && cache.layout == index.layout()
        && cache.diags.is_empty()
        && cache.was.0.len() == model.actors.len()
        && cache.was.1.len() == model.events.len();
    let (mut actors, events) = if patchable {
        resolve::patch_fact_sheets(
            config,
            model,
            index,
            (&cache.actors, &cache.events),
            (&cache.was.0, &cache.was.1),
            &mut found,
        )
    } else {
        resolve::fact_sheets(config, model, index, &mut found)
    };
    // Relations' notes, kept with the rest while no fact sheet changes (an
    // edit to an analysis does not render 50,000 actors' notes again).
    let mut in_notes = Vec::new();
    resolve::notes(model, index, &mut actors, &mut in_notes);
    found.extend(in_notes);
    let found = found.into_vec();
    diags.extend(found.iter().cloned());
    let same = cache.made_from.as_ref().is_some_and(|(_, t)| *t == types)
        && same_edges((&actors, &events), (&cache.actors, &cache.events));
    *cache = SheetsCache {
        made_from: Some((index.generation(), types)),
        actors: actors.clone(),
        events: events.clone(),
        diags: found,
        was: (model.actors.clone(), model.events.clone()),
        layout: index.layout(),
    };
    let sheets = if same {
        Sheets::SameEdges
    } else {
        Sheets::Changed
    };
    (actors, events, sheets)
}

/// Resolves and renders, in phases: the references of fact sheets, the
/// names that link automatically, every Markdown text, each analysis's
/// links, then the reverse edges. Diagnostics for unknown ids, wrong kinds,
/// cycles and broken `[[…]]` references go to `diags`. What did not change
/// since the build that filled `cache` is taken from it.
pub(crate) fn link(
    config: &Config,
    sources: &Sources,
    model: Model,
    cache: &mut LinkCache,
    diags: &mut Diagnostics,
) -> Site {
    let index = Index::new(&model, config, &mut cache.index);
    // Fact sheets' references and the names that link do not depend on
    // each other: after an edit of a fact sheet in `serve` both are done
    // again, at once.
    let (mut sheets_found, mut names_found) = (Diagnostics::new(), Diagnostics::new());
    let ((actors, events, sheets), names) = rayon::join(
        || fact_sheets(config, &model, &index, &mut cache.sheets, &mut sheets_found),
        || names::names(config, &model, &index, &mut cache.names, &mut names_found),
    );
    diags.extend(sheets_found.into_vec());
    diags.extend(names_found.into_vec());
    let texts = texts::render_all(
        &model,
        sources,
        &index,
        names.autolinker.as_deref(),
        &names.staleness,
        &mut cache.texts,
    );
    let mut local = Vec::new();
    let analyses = analyses::link_all(&model, &texts, &index, &mut cache.analyses, &mut local);
    resolve::summaries(&model, &texts, &index, &mut local);
    diags.extend(local);
    let authors = model
        .authors
        .iter()
        .map(|_| AuthorLinks::default())
        .collect();

    // The tags are what the list of each position's tags makes them.
    if !resolve::same_by(&cache.tags.from, &model.analyses, |a, b| a.tags == b.tags) {
        cache.tags.tags = collect_tags(&model);
    }
    cache.tags.from = model.analyses.clone();
    let tags = cache.tags.tags.clone();
    let sources = model
        .sources
        .iter()
        .map(|_| SourceLinks::default())
        .collect();
    let source_ids = index.sources.clone();
    drop(index);
    let mut site = Site {
        model,
        actors,
        events,
        analyses,
        sources,
        source_ids,
        authors,
        texts,
        tags,
        timeline: Shared::default(),
        related: Arc::default(),
    };
    graph::build_backlinks(&mut site, sheets, &mut cache.graph);
    site
}

/// Fills in each analysis's related analyses (`related` in `site.toml`),
/// taken from `cache` while no analysis's actors, events or tags changed.
pub(crate) fn relate(site: &mut Site, limit: usize, cache: &mut LinkCache) {
    site.related = related::related(site, limit, &mut cache.related);
}

/// Groups analyses by tag slug. Tags that differ only in case or punctuation
/// share a page, named by the most used spelling (ties: the first in
/// alphabetical order).
fn collect_tags(model: &Model) -> Vec<Tag> {
    let mut by_slug: HashMap<&str, (Vec<usize>, HashMap<&str, usize>)> = HashMap::default();
    for (i, a) in model.analyses.iter().enumerate() {
        for t in &a.tags {
            let (members, spellings) = by_slug.entry(&t.slug).or_default();
            if members.last() != Some(&i) {
                members.push(i);
            }
            *spellings.entry(&t.text).or_default() += 1;
        }
    }
    let mut tags: Vec<Tag> = by_slug
        .into_iter()
        .map(|(slug, (analyses, spellings))| {
            let name = spellings
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(n, _)| n.to_string())
                .unwrap_or_default();
            Tag {
                slug: slug.to_string(),
                name,
                analyses,
            }
        })
        .collect();
    tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    tags
}

/// Did-you-mean over ids, names and aliases, answered with an id.
pub(crate) fn suggest<'a>(word: &str, index: &'a Index) -> Option<&'a str> {
    did_you_mean(word, index.ids()).or_else(|| index.by_name(word))
}
