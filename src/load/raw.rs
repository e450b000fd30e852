//! Serde structs that mirror the files as written, every value with its
//! position. Required fields are `Option` here so that the model stage can
//! report every missing one at once instead of stopping at the first.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
pub(crate) use serde_saphyr::Spanned as Sp;

/// Analysis front matter.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAnalysis {
    pub title: Option<Sp<String>>,
    pub date: Option<Sp<String>>,
    pub summary: Option<Sp<String>>,
    pub authors: Option<Vec<Sp<String>>>,
    pub tags: Option<Vec<Sp<String>>>,
    pub actors: Option<Vec<Sp<String>>>,
    pub events: Option<Vec<Sp<String>>>,
    pub image: Option<Sp<RawImage>>,
    pub draft: Option<bool>,
    pub slug: Option<Sp<String>>,
    pub updated: Option<Sp<String>>,
    pub corrections: Option<Vec<Sp<RawCorrection>>>,
}

/// A translation's front matter (`five-days-in-january.ru.md`): its own
/// title, summary, date and translator; what it leaves out (actors, events,
/// tags) comes from the original.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTranslation {
    pub title: Option<Sp<String>>,
    pub date: Option<Sp<String>>,
    pub summary: Option<Sp<String>>,
    pub translator: Option<Sp<String>>,
    pub tags: Option<Vec<Sp<String>>>,
    pub actors: Option<Vec<Sp<String>>>,
    pub events: Option<Vec<Sp<String>>>,
    pub image: Option<Sp<RawImage>>,
    pub draft: Option<bool>,
    pub updated: Option<Sp<String>>,
    pub corrections: Option<Vec<Sp<RawCorrection>>>,
}

/// `tokayev.ru.yaml`: the text of an actor's fact sheet in another
/// language. Structure (kind, country, dates, sources) stays in the
/// original.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawActorText {
    pub name: Option<Sp<String>>,
    pub aliases: Option<Vec<Sp<String>>>,
    pub role: Option<Sp<String>>,
    pub summary: Option<Sp<String>>,
    pub facts: Option<Vec<Sp<RawFactText>>>,
    pub relations: Option<Vec<Sp<RawRelationText>>>,
}

/// `<event>.ru.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEventText {
    pub title: Option<Sp<String>>,
    pub aliases: Option<Vec<Sp<String>>>,
    pub summary: Option<Sp<String>>,
    pub facts: Option<Vec<Sp<RawFactText>>>,
}

/// `<source>.ru.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSourceText {
    pub title: Option<Sp<String>>,
}

/// `<author>.ru.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAuthorText {
    pub name: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub affiliation: Option<Sp<String>>,
    pub bio: Option<Sp<String>>,
}

/// The text of a fact, matched to the original's fact at the same place in
/// the list.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFactText {
    pub label: Option<Sp<String>>,
    pub value: Option<Sp<String>>,
}

/// The text of a relation, matched by place in the list.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelationText {
    pub role: Option<Sp<String>>,
    pub note: Option<Sp<String>>,
}

/// A correction to an analysis: `{date: 2022-02-03, text: "…"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCorrection {
    pub date: Option<Sp<String>>,
    pub text: Option<Sp<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawImage {
    pub src: Option<Sp<String>>,
    pub alt: Option<Sp<String>>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// `content/actors/<id>.yaml`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawActor {
    pub name: Option<Sp<String>>,
    pub kind: Option<Sp<String>>,
    pub aliases: Option<Vec<Sp<String>>>,
    pub role: Option<String>,
    pub country: Option<Sp<String>>,
    pub summary: Option<Sp<String>>,
    pub affiliations: Option<Vec<Sp<String>>>,
    pub relations: Option<Vec<Sp<RawRelation>>>,
    pub wikidata: Option<Sp<String>>,
    pub facts: Option<Vec<Sp<RawFact>>>,
    pub links: Option<Vec<Sp<RawLink>>>,
    pub extra: Option<serde_json::Value>,
}

/// A relation of an actor to another:
/// `{type: leads, actor: security-council, role: Chairman, from: 2022-01-05}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelation {
    #[serde(rename = "type")]
    pub kind: Option<Sp<String>>,
    pub actor: Option<Sp<String>>,
    pub role: Option<Sp<String>>,
    pub from: Option<Sp<String>>,
    pub until: Option<Sp<String>>,
    pub source: Option<Sp<RawCited>>,
    pub note: Option<Sp<String>>,
}

/// `content/authors/<id>.yaml`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAuthor {
    pub name: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub affiliation: Option<Sp<String>>,
    pub bio: Option<Sp<String>>,
    pub image: Option<Sp<RawImage>>,
    pub links: Option<Vec<Sp<RawLink>>>,
    pub orcid: Option<Sp<String>>,
}

/// `content/sources/<id>.yaml`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub title: Option<Sp<String>>,
    pub publisher: Option<Sp<String>>,
    pub url: Option<Sp<String>>,
    pub archived: Option<Sp<String>>,
    pub published: Option<Sp<String>>,
    pub accessed: Option<Sp<String>>,
    pub kind: Option<Sp<String>>,
    pub language: Option<Sp<String>>,
}

/// `content/events/<id>.yaml`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvent {
    pub title: Option<Sp<String>>,
    pub aliases: Option<Vec<Sp<String>>>,
    pub date: Option<Sp<String>>,
    pub end: Option<Sp<String>>,
    pub place: Option<Sp<String>>,
    pub actors: Option<Vec<Sp<RawParticipant>>>,
    pub part_of: Option<Sp<String>>,
    pub summary: Option<Sp<String>>,
    pub facts: Option<Vec<Sp<RawFact>>>,
    pub sources: Option<Vec<Sp<RawCited>>>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFact {
    pub label: Option<Sp<String>>,
    pub value: Option<Sp<String>>,
    pub as_of: Option<Sp<String>>,
    pub source: Option<Sp<RawCited>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLink {
    pub title: Option<Sp<String>>,
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
