//! Serde structs that mirror the files as written, every value with its
//! position. Required fields are `Option` here so that the model stage can
//! report every missing one at once instead of stopping at the first.

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
pub(crate) use serde_saphyr::Spanned as Sp;

/// Analysis front matter.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAnalysis {
    #[schemars(with = "Option<String>", required, description = "The headline.")]
    pub title: Option<Sp<String>>,
    #[schemars(with = "Option<String>", required, extend("x-dossier" = "day"), description = "Publication date: a whole day, YYYY-MM-DD.")]
    pub date: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "One or two sentences, shown under the headline and in lists."
    )]
    pub summary: Option<Sp<String>>,
    #[schemars(with = "Option<Vec<String>>", extend("x-dossier" = "author"), description = "Author ids (linked to their pages), or names shown as written.")]
    pub authors: Option<Vec<Sp<String>>>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = "Free-text tags; each gets a page at /tags/<slug>/."
    )]
    pub tags: Option<Vec<Sp<String>>>,
    #[schemars(with = "Option<Vec<String>>", extend("x-dossier" = "actor"), description = "Ids of the actors the analysis is about.")]
    pub actors: Option<Vec<Sp<String>>>,
    #[schemars(with = "Option<Vec<String>>", extend("x-dossier" = "event"), description = "Ids of the events the analysis is about.")]
    pub events: Option<Vec<Sp<String>>>,
    #[schemars(
        with = "Option<RawImage>",
        description = "A lead image: {src, alt, caption, credit}; src and alt are required."
    )]
    pub image: Option<Sp<RawImage>>,
    #[schemars(description = "Left out of the site unless built or served with --drafts.")]
    pub draft: Option<bool>,
    #[schemars(
        with = "Option<String>",
        description = "The URL, /analyses/<slug>/: lowercase letters, digits and hyphens. Default: the file name."
    )]
    pub slug: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "date"), description = "Date of the last substantive revision: YYYY, YYYY-MM or YYYY-MM-DD.")]
    pub updated: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<RawCorrection>>",
        description = "Corrections made after publication, each {date, text}."
    )]
    pub corrections: Option<Vec<Sp<RawCorrection>>>,
}

/// A translation's front matter (`five-days-in-january.ru.md`): its own
/// title, summary, date and translator; what it leaves out (actors, events,
/// tags) comes from the original.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTranslation {
    #[schemars(
        with = "Option<String>",
        required,
        description = "The title in this language."
    )]
    pub title: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "date"), description = "When the translation was made or last brought up to date.")]
    pub date: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "The summary in this language. Default: the original's."
    )]
    pub summary: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "author"), description = "An author id (linked to their page) or a name.")]
    pub translator: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = "Tags in this language. Default: the original's."
    )]
    pub tags: Option<Vec<Sp<String>>>,
    #[schemars(with = "Option<Vec<String>>", extend("x-dossier" = "actor"), description = "Default: the original's.")]
    pub actors: Option<Vec<Sp<String>>>,
    #[schemars(with = "Option<Vec<String>>", extend("x-dossier" = "event"), description = "Default: the original's.")]
    pub events: Option<Vec<Sp<String>>>,
    #[schemars(with = "Option<RawImage>", description = "Default: the original's.")]
    pub image: Option<Sp<RawImage>>,
    #[schemars(description = "true keeps this translation out of its edition.")]
    pub draft: Option<bool>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "date"), description = "Default: the original's.")]
    pub updated: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<RawCorrection>>",
        description = "Default: the original's."
    )]
    pub corrections: Option<Vec<Sp<RawCorrection>>>,
}

/// `tokayev.ru.yaml`: the text of an actor's fact sheet in another
/// language. Structure (kind, country, dates, sources) stays in the
/// original.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawActorText {
    #[schemars(with = "Option<String>", description = "The name in this language.")]
    pub name: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = "Names in this language for automatic links, inflected forms too."
    )]
    pub aliases: Option<Vec<Sp<String>>>,
    #[schemars(
        with = "Option<String>",
        description = "The short description in this language."
    )]
    pub role: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "The summary in this language (Markdown)."
    )]
    pub summary: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<RawFactText>>",
        description = "The text of the facts, matched to the original's by place in the list."
    )]
    pub facts: Option<Vec<Sp<RawFactText>>>,
    #[schemars(
        with = "Option<Vec<RawRelationText>>",
        description = "The text of the relations (role, note), matched by place in the list."
    )]
    pub relations: Option<Vec<Sp<RawRelationText>>>,
}

/// `<event>.ru.yaml`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEventText {
    #[schemars(with = "Option<String>", description = "The title in this language.")]
    pub title: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = "Names in this language for automatic links."
    )]
    pub aliases: Option<Vec<Sp<String>>>,
    #[schemars(
        with = "Option<String>",
        description = "The summary in this language (Markdown)."
    )]
    pub summary: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<RawFactText>>",
        description = "The text of the facts, matched to the original's by place in the list."
    )]
    pub facts: Option<Vec<Sp<RawFactText>>>,
    #[schemars(
        with = "Option<Vec<RawRoleText>>",
        description = "The roles of the actors involved, in this language, matched to the original's actors by place in the list: {role: …}."
    )]
    pub actors: Option<Vec<Sp<RawRoleText>>>,
}

/// The role of an event's actor in another language, matched by place.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRoleText {
    #[schemars(with = "Option<String>", description = "The role in this language.")]
    pub role: Option<Sp<String>>,
}

/// `<source>.ru.yaml`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSourceText {
    #[schemars(with = "Option<String>", description = "The title in this language.")]
    pub title: Option<Sp<String>>,
}

/// `<author>.ru.yaml`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAuthorText {
    #[schemars(
        with = "Option<String>",
        description = "The name as bylines in this language show it."
    )]
    pub name: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "Their position in this language."
    )]
    pub title: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "Where they work, in this language."
    )]
    pub affiliation: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "The bio in this language (Markdown)."
    )]
    pub bio: Option<Sp<String>>,
}

/// The text of a fact, matched to the original's fact at the same place in
/// the list.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFactText {
    #[schemars(with = "Option<String>", description = "The label in this language.")]
    pub label: Option<Sp<String>>,
    #[schemars(with = "Option<String>", description = "The value in this language.")]
    pub value: Option<Sp<String>>,
}

/// The text of a relation, matched by place in the list.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelationText {
    #[schemars(with = "Option<String>", description = "The role in this language.")]
    pub role: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "The note in this language (one Markdown sentence)."
    )]
    pub note: Option<Sp<String>>,
}

/// A correction to an analysis: `{date: 2022-02-03, text: "…"}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCorrection {
    #[schemars(with = "Option<String>", required, extend("x-dossier" = "day"), description = "When it was corrected: YYYY-MM-DD.")]
    pub date: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        required,
        description = "What was corrected (Markdown)."
    )]
    pub text: Option<Sp<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawImage {
    #[schemars(
        with = "Option<String>",
        required,
        description = "A URL, or a path under the site (put the file in static/)."
    )]
    pub src: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        required,
        description = "What the image shows, for readers who cannot see it."
    )]
    pub alt: Option<Sp<String>>,
    #[schemars(description = "A caption.")]
    pub caption: Option<String>,
    #[schemars(description = "Who made it.")]
    pub credit: Option<String>,
}

/// `content/actors/<id>.yaml`
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawActor {
    #[schemars(with = "Option<String>", required, description = "Full name.")]
    pub name: Option<Sp<String>>,
    #[schemars(with = "Option<String>", required, extend("x-dossier" = "actor-kind"), description = "person, organisation, state, group or place.")]
    pub kind: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = "Other names and spellings, used for automatic links."
    )]
    pub aliases: Option<Vec<Sp<String>>>,
    #[schemars(description = "A short description (\"President of Kazakhstan\").")]
    pub role: Option<String>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "actor"), description = "The id of an actor (a state, usually).")]
    pub country: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "Markdown. [[id]] links work; raw HTML is escaped."
    )]
    pub summary: Option<Sp<String>>,
    #[schemars(with = "Option<Vec<String>>", extend("x-dossier" = "actor"), description = "Ids of actors this one belongs to: short for member_of relations without dates.")]
    pub affiliations: Option<Vec<Sp<String>>>,
    #[schemars(
        with = "Option<Vec<RawRelation>>",
        description = "Its relations to other actors, typed and dated."
    )]
    pub relations: Option<Vec<Sp<RawRelation>>>,
    #[schemars(
        with = "Option<String>",
        description = "Its Wikidata item: Q and digits (Q232)."
    )]
    pub wikidata: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<RawFact>>",
        description = "Facts, each {label, value, as_of, source}."
    )]
    pub facts: Option<Vec<Sp<RawFact>>>,
    #[schemars(
        with = "Option<Vec<RawLink>>",
        description = "Further reading, each {title, url}."
    )]
    pub links: Option<Vec<Sp<RawLink>>>,
    #[schemars(description = "Any map, passed to templates untouched.")]
    pub extra: Option<serde_json::Value>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = "Ids this one had before a rename (dossier rename adds them): their old pages redirect here."
    )]
    pub redirect_from: Option<Vec<Sp<String>>>,
}

/// A relation of an actor to another:
/// `{type: leads, actor: security-council, role: Chairman, from: 2022-01-05}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelation {
    #[serde(rename = "type")]
    #[schemars(with = "Option<String>", required, extend("x-dossier" = "relation-type"), description = "The type of relation: built in or declared under [relations.<type>] in site.toml.")]
    pub kind: Option<Sp<String>>,
    #[schemars(with = "Option<String>", required, extend("x-dossier" = "actor"), description = "The id of the other actor (not this one).")]
    pub actor: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "What the relation makes this actor: Chairman, son-in-law."
    )]
    pub role: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "date"), description = "Since when: YYYY, YYYY-MM or YYYY-MM-DD.")]
    pub from: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "date"), description = "Until when: YYYY, YYYY-MM or YYYY-MM-DD; not before from.")]
    pub until: Option<Sp<String>>,
    #[schemars(with = "Option<RawCited>", extend("x-dossier" = "source"), description = "A source id, or {title, url}.")]
    pub source: Option<Sp<RawCited>>,
    #[schemars(
        with = "Option<String>",
        description = "One Markdown sentence; [[id]] links work."
    )]
    pub note: Option<Sp<String>>,
}

/// `content/authors/<id>.yaml`
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAuthor {
    #[schemars(
        with = "Option<String>",
        required,
        description = "As the byline shows it."
    )]
    pub name: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "Their position, such as \"Senior Policy Fellow\"."
    )]
    pub title: Option<Sp<String>>,
    #[schemars(with = "Option<String>", description = "Where they work.")]
    pub affiliation: Option<Sp<String>>,
    #[schemars(with = "Option<String>", description = "Markdown; [[id]] links work.")]
    pub bio: Option<Sp<String>>,
    #[schemars(
        with = "Option<RawImage>",
        description = "A portrait: {src, alt}, both required."
    )]
    pub image: Option<Sp<RawImage>>,
    #[schemars(with = "Option<Vec<RawLink>>", description = "Each {title, url}.")]
    pub links: Option<Vec<Sp<RawLink>>>,
    #[schemars(
        with = "Option<String>",
        description = "Their ORCID iD, 0000-0002-1825-0097, or its address."
    )]
    pub orcid: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = "Ids this one had before a rename (dossier rename adds them): their old pages redirect here."
    )]
    pub redirect_from: Option<Vec<Sp<String>>>,
}

/// `content/sources/<id>.yaml`
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    #[schemars(
        with = "Option<String>",
        required,
        description = "The document's title."
    )]
    pub title: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "actor"), description = "Who published it: text, or an actor's id (then linked).")]
    pub publisher: Option<Sp<String>>,
    #[schemars(with = "Option<String>", description = "Where to read it.")]
    pub url: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        description = "An archived copy (the Wayback Machine, archive.today)."
    )]
    pub archived: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "date"), description = "When it was published: YYYY, YYYY-MM or YYYY-MM-DD.")]
    pub published: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "date"), description = "When it was read: YYYY, YYYY-MM or YYYY-MM-DD.")]
    pub accessed: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "source-kind"), description = "official, media, ngo, academic, dataset or other (the default).")]
    pub kind: Option<Sp<String>>,
    #[schemars(with = "Option<String>", description = "A language tag (ru, kk, en).")]
    pub language: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = "Ids this one had before a rename (dossier rename adds them): their old pages redirect here."
    )]
    pub redirect_from: Option<Vec<Sp<String>>>,
}

/// `content/events/<id>.yaml`
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvent {
    #[schemars(with = "Option<String>", required, description = "What happened.")]
    pub title: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = "Names the event goes by, linked automatically in texts."
    )]
    pub aliases: Option<Vec<Sp<String>>>,
    #[schemars(with = "Option<String>", required, extend("x-dossier" = "date"), description = "When it happened or began: YYYY, YYYY-MM or YYYY-MM-DD.")]
    pub date: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "date"), description = "When it ended: YYYY, YYYY-MM or YYYY-MM-DD.")]
    pub end: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "actor"), description = "Free text, or the id or name of an actor (a place or a state).")]
    pub place: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<RawParticipant>>",
        description = "The actors involved: each an id, or {id, role}."
    )]
    pub actors: Option<Vec<Sp<RawParticipant>>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "event"), description = "The id of a larger event.")]
    pub part_of: Option<Sp<String>>,
    #[schemars(with = "Option<String>", description = "Markdown, as for actors.")]
    pub summary: Option<Sp<String>>,
    #[schemars(
        with = "Option<Vec<RawFact>>",
        description = "Facts, each {label, value, as_of, source}."
    )]
    pub facts: Option<Vec<Sp<RawFact>>>,
    #[schemars(
        with = "Option<Vec<RawCited>>",
        description = "Sources: each a source id or {title, url}."
    )]
    pub sources: Option<Vec<Sp<RawCited>>>,
    #[schemars(description = "Any map, for templates.")]
    pub extra: Option<serde_json::Value>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = "Ids this one had before a rename (dossier rename adds them): their old pages redirect here."
    )]
    pub redirect_from: Option<Vec<Sp<String>>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFact {
    #[schemars(
        with = "Option<String>",
        required,
        description = "What the figure is (\"Deaths\")."
    )]
    pub label: Option<Sp<String>>,
    #[schemars(
        with = "Option<String>",
        required,
        description = "The figure, as text (quote numbers: \"7,939\")."
    )]
    pub value: Option<Sp<String>>,
    #[schemars(with = "Option<String>", extend("x-dossier" = "date"), description = "The date the figure refers to: YYYY, YYYY-MM or YYYY-MM-DD.")]
    pub as_of: Option<Sp<String>>,
    #[schemars(with = "Option<RawCited>", extend("x-dossier" = "source"), description = "A source id, or {title, url}.")]
    pub source: Option<Sp<RawCited>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLink {
    #[schemars(with = "Option<String>", required, description = "What the link is.")]
    pub title: Option<Sp<String>>,
    #[schemars(with = "Option<String>", description = "Its address.")]
    pub url: Option<Sp<String>>,
}

/// Where a fact, an event or a relation comes from: the id of a source
/// file (`akorda-2022-01-05`) or the source itself (`{title: …, url: …}`).
///
/// Written by hand for the same reason as [`RawParticipant`].
#[derive(Debug)]
pub(crate) enum RawCited {
    Id(String),
    Inline(RawLink),
}

impl<'de> Deserialize<'de> for RawCited {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CitedVisitor;
        impl<'de> Visitor<'de> for CitedVisitor {
            type Value = RawCited;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a source id, or a map with `title` and `url`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCited, E> {
                Ok(RawCited::Id(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawCited, E> {
                Ok(RawCited::Id(v.to_string()))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCited, A::Error> {
                let (mut title, mut url) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "title" => title = Some(map.next_value()?),
                        "url" => url = Some(map.next_value()?),
                        other => return Err(de::Error::unknown_field(other, &["title", "url"])),
                    }
                }
                Ok(RawCited::Inline(RawLink { title, url }))
            }
        }
        d.deserialize_any(CitedVisitor)
    }
}

/// An event's actor: either `tokayev` or `{id: tokayev, role: …}`.
///
/// Written by hand rather than as an untagged enum because serde buffers
/// untagged enums and the positions of the values would be lost.
#[derive(Debug)]
pub(crate) enum RawParticipant {
    Id(String),
    WithRole {
        id: Option<Sp<String>>,
        role: Option<Sp<String>>,
    },
}

impl<'de> Deserialize<'de> for RawParticipant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ParticipantVisitor;
        impl<'de> Visitor<'de> for ParticipantVisitor {
            type Value = RawParticipant;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an actor id, or a map with `id` and `role`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawParticipant, E> {
                Ok(RawParticipant::Id(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawParticipant, E> {
                Ok(RawParticipant::Id(v.to_string()))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawParticipant, A::Error> {
                let (mut id, mut role) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "id" => id = Some(map.next_value()?),
                        "role" => role = Some(map.next_value()?),
                        other => return Err(de::Error::unknown_field(other, &["id", "role"])),
                    }
                }
                Ok(RawParticipant::WithRole { id, role })
            }
        }
        d.deserialize_any(ParticipantVisitor)
    }
}

// The two hand-written deserializers above take a string or a map; their
// schemas say the same.

impl JsonSchema for RawCited {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Cited".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A source id (a file in content/sources/), or a source given in place: {title, url}.",
            "anyOf": [
                {"type": "string", "x-dossier": "source"},
                generator.subschema_for::<RawLink>(),
            ]
        })
    }
}

impl JsonSchema for RawParticipant {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Participant".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An actor id, or {id, role}.",
            "anyOf": [
                {"type": "string", "x-dossier": "actor"},
                {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "description": "The actor's id.", "x-dossier": "actor"},
                        "role": {"type": "string", "description": "Its role in the event."}
                    },
                    "required": ["id"],
                    "additionalProperties": false
                }
            ]
        })
    }
}
