//! Model: raw documents → typed, validated actors, events and analyses.
//! Ids, dates and kinds are parsed here; references stay unresolved
//! ([`Ref`]) until the link stage, which knows every id.

mod build;
mod cache;
mod date;
mod shared;

use std::ops::Range;
use std::sync::Arc;

pub(crate) use build::{build, corrected};
pub(crate) use cache::ModelCache;
pub(crate) use date::Date;
pub(crate) use shared::Shared;

use crate::diag::{SourceId, Span};

/// Ids and slugs: `^[a-z0-9][a-z0-9-]*$`.
pub(crate) fn is_valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A BCP 47 language tag, loosely: letters and digits in parts of at most
/// eight, joined by hyphens (`en`, `en-GB`, `zh-Hant`).
pub(crate) fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// A reference by id, as written, with where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Ref {
    pub id: String,
    pub span: Span,
}

/// A value and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Located<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ActorKind {
    Person,
    Organisation,
    State,
    Group,
    Place,
}

impl ActorKind {
    pub(crate) const ALL: [ActorKind; 5] = [
        ActorKind::Person,
        ActorKind::Organisation,
        ActorKind::State,
        ActorKind::Group,
        ActorKind::Place,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::Organisation => "organisation",
            ActorKind::State => "state",
            ActorKind::Group => "group",
            ActorKind::Place => "place",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<ActorKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Markdown written in a fact sheet, with where it starts.
#[derive(Debug, Clone)]
pub(crate) struct Markdown {
    pub text: String,
    pub span: Span,
    /// A hash of the text, to find its rendering in a cache.
    pub version: u64,
    /// The language it is written in when that is not the page's: a text
    /// shown untranslated in another language's edition (`en`).
    pub lang: Option<String>,
}

/// A link to something outside the site: a source, a further reading.
#[derive(Debug, Clone)]
pub(crate) struct ExternalLink {
    pub title: String,
    pub url: Option<String>,
    /// Where the URL was written.
    pub url_span: Option<Span>,
}

/// Where a fact, an event or a relation comes from: a source file of the
/// site's registry (by id, resolved by the link stage) or a source written
/// in place.
#[derive(Debug, Clone)]
pub(crate) enum Cited {
    Id(Ref),
    Inline(ExternalLink),
}

impl Cited {
    /// The source id, when it names a source file.
    pub(crate) fn id(&self) -> Option<&str> {
        match self {
            Cited::Id(r) => Some(&r.id),
            Cited::Inline(_) => None,
        }
    }
}

/// A sourced figure or statement about an actor or event.
#[derive(Debug, Clone)]
pub(crate) struct Fact {
    pub label: String,
    pub value: String,
    pub as_of: Option<Date>,
    pub source: Option<Cited>,
    pub span: Span,
}

/// A relation of an actor to another, as its fact sheet states it: its
/// type (resolved against the site's types by the link stage), the other
/// actor, and optionally a role, dates, a source and a note.
#[derive(Debug, Clone)]
pub(crate) struct Relation {
    /// The type as written (`member_of`, `leads`, or one of the site's).
    pub kind: Located<String>,
    pub actor: Ref,
    pub role: Option<String>,
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub source: Option<Cited>,
    pub note: Option<Markdown>,
    /// The whole entry.
    pub span: Span,
}

impl Relation {
    /// Whether it still holds: it has no `until`, or it is an
    /// [act](Self::is_act), which does not end. (Not measured against
    /// today, so that two builds of the same files are the same.)
    pub(crate) fn is_current(&self) -> bool {
        self.until.is_none() || self.is_act()
    }

    /// Whether it records an act of one day (a succession, an appointment):
    /// `from` and `until` are the same day. An act is never former, and no
    /// role held over time.
    pub(crate) fn is_act(&self) -> bool {
        matches!((self.from, self.until), (Some(f), Some(u)) if f == u && f.is_day())
    }

    /// Whether it held on `day`: from its `from` (or always) to its `until`
    /// (or still), each taken at its widest.
    pub(crate) fn holds_on(&self, day: Date) -> bool {
        self.from.is_none_or(|f| f.first_day() <= day.last_day())
            && self.until.is_none_or(|u| !u.ends_before(day))
    }
}

/// What kind of publication a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum SourceKind {
    Official,
    Media,
    Ngo,
    Academic,
    Dataset,
    Other,
}

impl SourceKind {
    pub(crate) const ALL: [SourceKind; 6] = [
        SourceKind::Official,
        SourceKind::Media,
        SourceKind::Ngo,
        SourceKind::Academic,
        SourceKind::Dataset,
        SourceKind::Other,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SourceKind::Official => "official",
            SourceKind::Media => "media",
            SourceKind::Ngo => "ngo",
            SourceKind::Academic => "academic",
            SourceKind::Dataset => "dataset",
            SourceKind::Other => "other",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<SourceKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// `content/authors/<id>.yaml`: someone who writes the site's analyses.
#[derive(Debug, Clone)]
pub(crate) struct Author {
    pub id: String,
    /// Ids it had before a rename: their pages redirect to its page.
    pub redirect_from: Vec<Ref>,
    pub source: SourceId,
    pub version: u64,
    /// A hash of what a byline shows (id, name).
    pub ref_version: u64,
    pub name: String,
    /// `Senior Policy Fellow`
    pub title: Option<String>,
    pub affiliation: Option<String>,
    pub bio: Option<Markdown>,
    pub image: Option<Image>,
    pub links: Vec<ExternalLink>,
    /// `0000-0002-1825-0097`
    pub orcid: Option<String>,
}

/// A correction to an analysis, dated.
#[derive(Debug, Clone)]
pub(crate) struct Correction {
    pub date: Date,
    /// Markdown: one or two sentences.
    pub text: String,
    pub span: Span,
}

/// `content/sources/<id>.yaml`: a document facts, events, relations and
/// analyses cite.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub id: String,
    /// Ids it had before a rename: their pages redirect to its page.
    pub redirect_from: Vec<Ref>,
    pub source: SourceId,
    /// A hash of what a citation of it shows.
    pub ref_version: u64,
    pub title: String,
    /// Text, or an actor id (linked by the link stage).
    pub publisher: Option<Located<String>>,
    pub url: Option<Located<String>>,
    /// An archived copy (the Wayback Machine, archive.today, …).
    pub archived: Option<Located<String>>,
    pub published: Option<Date>,
    pub accessed: Option<Date>,
    pub kind: SourceKind,
    /// A BCP 47 tag, such as `ru`.
    pub language: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Actor {
    pub id: String,
    /// Ids it had before a rename: their pages redirect to its page.
    pub redirect_from: Vec<Ref>,
    pub source: SourceId,
    /// The version of the file it came from.
    pub version: u64,
    /// A hash of what a link to it shows: id, name, kind, role.
    pub ref_version: u64,
    pub name: String,
    pub kind: ActorKind,
    pub aliases: Vec<Located<String>>,
    pub role: Option<String>,
    /// An actor id (a state, usually).
    pub country: Option<Ref>,
    pub summary: Option<Markdown>,
    /// Its relations, `affiliations: [x]` among them as `member_of` x.
    pub relations: Vec<Relation>,
    /// Its Wikidata item, `Q1234`.
    pub wikidata: Option<String>,
    pub facts: Vec<Fact>,
    pub links: Vec<ExternalLink>,
    /// Free data for templates.
    pub extra: serde_json::Value,
}

/// An actor's part in an event.
#[derive(Debug, Clone)]
pub(crate) struct Participant {
    pub actor: Ref,
    pub role: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub id: String,
    /// Ids it had before a rename: their pages redirect to its page.
    pub redirect_from: Vec<Ref>,
    pub source: SourceId,
    pub version: u64,
    /// A hash of what a list entry shows: id, title, dates, place as written.
    pub ref_version: u64,
    pub title: String,
    /// Other names (`Qandy Qantar`), linked automatically like an actor's.
    pub aliases: Vec<Located<String>>,
    pub date: Date,
    pub end: Option<Date>,
    /// Free text, or the id or name of an actor (a place, a state).
    pub place: Option<Located<String>>,
    pub participants: Vec<Participant>,
    pub part_of: Option<Ref>,
    pub summary: Option<Markdown>,
    pub facts: Vec<Fact>,
    pub sources: Vec<Cited>,
    pub extra: serde_json::Value,
}

/// A tag as written on an analysis, with the slug of its page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TagRef {
    pub text: String,
    /// `protest-movements` for "Protest movements".
    pub slug: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Image {
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Analysis {
    pub source: SourceId,
    pub version: u64,
    /// A hash of what its card shows (slug, title, dates, summary, authors,
    /// tags as written, draft).
    pub card_version: u64,
    pub slug: String,
    pub title: String,
    pub date: Date,
    pub updated: Option<Date>,
    pub summary: Option<String>,
    /// As written: author ids, or names of people without an author file.
    pub authors: Vec<Located<String>>,
    pub tags: Vec<TagRef>,
    /// Front matter `actors:` ("concerns").
    pub actors: Vec<Ref>,
    /// Front matter `events:` ("concerns").
    pub events: Vec<Ref>,
    pub image: Option<Image>,
    pub draft: bool,
    /// Oldest first.
    pub corrections: Vec<Correction>,
    /// The file's name without extension (`five-days-in-january`): what a
    /// translation's name starts with.
    pub stem: String,
    /// In another language's edition: what the translation says about
    /// itself.
    pub translation: Option<TranslationNote>,
    /// Byte range of the Markdown body in the source file.
    pub body: Range<usize>,
}

/// A translated analysis: from which language, by whom, when.
#[derive(Debug, Clone)]
pub(crate) struct TranslationNote {
    /// The original's language (the site's default).
    pub from: String,
    pub translator: Option<String>,
    pub date: Option<Date>,
}

impl Analysis {
    /// The newest date it carries: its `date`, `updated` or latest
    /// correction.
    pub(crate) fn modified(&self) -> Date {
        let corrected = self.corrections.iter().map(|c| c.date).max();
        self.updated
            .into_iter()
            .chain(corrected)
            .fold(self.date, Date::max)
    }

    /// When it was last corrected, if ever.
    pub(crate) fn corrected(&self) -> Option<Date> {
        self.corrections.iter().map(|c| c.date).max()
    }
}

/// The site's text in its other languages, as written: translated analyses
/// and the translated text of fact sheets. The localize stage lays them over
/// the originals, one language at a time.
#[derive(Debug, Default, Clone)]
pub(crate) struct Translations {
    pub analyses: Vec<Arc<AnalysisText>>,
    pub actors: Vec<Arc<ActorText>>,
    pub events: Vec<Arc<EventText>>,
    pub sources: Vec<Arc<SourceText>>,
    pub authors: Vec<Arc<AuthorText>>,
}

/// Where a translation is and what it translates.
#[derive(Debug, Clone)]
pub(crate) struct Translated {
    /// `ru`.
    pub lang: Located<String>,
    /// The original's id or file stem (`tokayev`, `five-days-in-january`).
    pub of: String,
    pub source: SourceId,
    pub version: u64,
}

/// `five-days-in-january.ru.md`: what the translation says in place of the
/// original; None keeps the original's.
#[derive(Debug, Clone)]
pub(crate) struct AnalysisText {
    pub at: Translated,
    pub title: String,
    /// When the translation was made or last revised.
    pub date: Option<Date>,
    pub summary: Option<String>,
    pub translator: Option<Located<String>>,
    pub tags: Option<Vec<TagRef>>,
    pub actors: Option<Vec<Ref>>,
    pub events: Option<Vec<Ref>>,
    pub image: Option<Image>,
    pub draft: Option<bool>,
    pub updated: Option<Date>,
    pub corrections: Option<Vec<Correction>>,
    pub body: Range<usize>,
}

/// The text of a fact in another language, by its place in the list.
#[derive(Debug, Clone)]
pub(crate) struct FactText {
    pub label: Option<String>,
    pub value: Option<String>,
    pub span: Span,
}

/// The text of a relation in another language, by its place in the list.
#[derive(Debug, Clone)]
pub(crate) struct RelationText {
    pub role: Option<String>,
    pub note: Option<Markdown>,
    pub span: Span,
}

/// `tokayev.ru.yaml`.
#[derive(Debug, Clone)]
pub(crate) struct ActorText {
    pub at: Translated,
    pub name: Option<String>,
    pub aliases: Vec<Located<String>>,
    pub role: Option<String>,
    pub summary: Option<Markdown>,
    pub facts: Vec<FactText>,
    pub relations: Vec<RelationText>,
}

/// `<event>.ru.yaml`.
#[derive(Debug, Clone)]
pub(crate) struct EventText {
    pub at: Translated,
    pub title: Option<String>,
    pub aliases: Vec<Located<String>>,
    pub summary: Option<Markdown>,
    pub facts: Vec<FactText>,
    /// The roles of the event's actors, by their place in its list; each
    /// with where it is written.
    pub roles: Vec<(Option<String>, Span)>,
}

/// `<source>.ru.yaml`.
#[derive(Debug, Clone)]
pub(crate) struct SourceText {
    pub at: Translated,
    pub title: Option<String>,
}

/// `<author>.ru.yaml`.
#[derive(Debug, Clone)]
pub(crate) struct AuthorText {
    pub at: Translated,
    pub name: Option<String>,
    pub title: Option<String>,
    pub affiliation: Option<String>,
    pub bio: Option<Markdown>,
}

/// Every entity of the site, each list sorted by id (analyses by date, newest
/// first, then slug), drafts already removed unless asked for.
#[derive(Debug, Default, Clone)]
pub(crate) struct Model {
    pub actors: Shared<Arc<Actor>>,
    pub events: Shared<Arc<Event>>,
    pub analyses: Shared<Arc<Analysis>>,
    pub sources: Shared<Arc<Source>>,
    pub authors: Shared<Arc<Author>>,
    /// Ids of fact sheets that exist but failed to load: references to them
    /// are not reported again as unknown.
    pub broken_ids: rustc_hash::FxHashSet<String>,
    /// The same for source files.
    pub broken_sources: rustc_hash::FxHashSet<String>,
    /// The same for author files.
    pub broken_authors: rustc_hash::FxHashSet<String>,
    /// Translations, not yet laid over the entities (see `localize`).
    pub translations: Translations,
    /// How many analyses have a correction (every page links the list of
    /// corrections when one does: counted as the model is made, not looked
    /// for among 100,000 analyses by each build's pages).
    pub corrected: usize,
}

impl Model {
    /// Whether an analysis has a correction.
    pub(crate) fn has_corrections(&self) -> bool {
        self.corrected > 0
    }
}
