//! Raw documents → typed entities. Every problem is pushed as a diagnostic
//! and the entity is kept or dropped so the rest of the site can still be
//! checked: one run reports every mistake.

use rustc_hash::FxHashMap as HashMap;

use super::cache::{Last, ModelCache, convert_all, failed_stems, patch};
use super::*;
use crate::checks::Check;
use crate::diag::{Diagnostic, Diagnostics, SourceId, Span, did_you_mean_hint};
use crate::load::raw::{RawCited, RawCorrection, RawFact, RawLink, RawParticipant, RawRelation};
use crate::load::{AnalysisDoc, Content, Doc, RawActor, RawAuthor, RawEvent, RawSource, Sp};
use crate::text::smart_text;

/// Converts every document (or takes it from `cache` when unchanged) and
/// checks what spans documents: unique ids and slugs. Drafts are validated,
/// then left out unless `include_drafts`.
pub(crate) fn build(
    content: &Content,
    include_drafts: bool,
    cache: &mut ModelCache,
    diags: &mut Diagnostics,
) -> Model {
    // Until this build is done, the conversions are of no one content.
    let seen = cache.seen.take();
    if let Some(model) = patch(content, include_drafts, cache, seen, diags) {
        cache.seen = Some(content.generation);
        return model;
    }
    // What the checks across files find (the patch needs none).
    let mut across = Diagnostics::new();
    let mut model = Model::default();
    for (doc, entity) in convert_all(&content.actors, &mut cache.actors, actor, diags) {
        match entity {
            Some(a) => model.actors.make_mut().push(a),
            None => {
                model.broken_ids.insert(doc.stem.clone());
            }
        }
    }
    for (doc, entity) in convert_all(&content.events, &mut cache.events, event, diags) {
        match entity {
            Some(e) => model.events.make_mut().push(e),
            None => {
                model.broken_ids.insert(doc.stem.clone());
            }
        }
    }
    model
        .broken_ids
        .extend(content.failed_stems.iter().cloned());
    for (doc, entity) in convert_all(&content.sources, &mut cache.sources, source, diags) {
        match entity {
            Some(s) => model.sources.make_mut().push(s),
            None => {
                model.broken_sources.insert(doc.stem.clone());
            }
        }
    }
    model
        .broken_sources
        .extend(content.failed_sources.iter().cloned());
    for (doc, entity) in convert_all(&content.authors, &mut cache.authors, author, diags) {
        match entity {
            Some(a) => model.authors.make_mut().push(a),
            None => {
                model.broken_authors.insert(doc.stem.clone());
            }
        }
    }
    model
        .broken_authors
        .extend(content.failed_authors.iter().cloned());
    for (_, entity) in convert_all(&content.analyses, &mut cache.analyses, analysis, diags) {
        if let Some(a) = entity
            && (include_drafts || !a.draft)
        {
            model.analyses.make_mut().push(a);
        }
    }
    check_redirects(&model, &mut across);
    let clean = across.is_empty();
    diags.extend(across.into_vec());
    let mut across = Diagnostics::new();
    let t = &content.translations;
    let tr = &mut model.translations;
    for (_, e) in convert_all(&t.analyses, &mut cache.analysis_texts, analysis_text, diags) {
        tr.analyses.extend(e);
    }
    for (_, e) in convert_all(&t.actors, &mut cache.actor_texts, actor_text, diags) {
        tr.actors.extend(e);
    }
    for (_, e) in convert_all(&t.events, &mut cache.event_texts, event_text, diags) {
        tr.events.extend(e);
    }
    for (_, e) in convert_all(&t.sources, &mut cache.source_texts, source_text, diags) {
        tr.sources.extend(e);
    }
    for (_, e) in convert_all(&t.authors, &mut cache.author_texts, author_text, diags) {
        tr.authors.extend(e);
    }
    check_unique_ids(&mut model, &mut across);
    check_unique_slugs(&mut model, &mut across);
    check_unique_source_ids(&mut model, &mut across);
    model.actors.make_mut().sort_by(|a, b| a.id.cmp(&b.id));
    model.events.make_mut().sort_by(|a, b| a.id.cmp(&b.id));
    model.sources.make_mut().sort_by(|a, b| a.id.cmp(&b.id));
    model.authors.make_mut().sort_by(|a, b| a.id.cmp(&b.id));
    model.authors.make_mut().dedup_by(|b, a| {
        let twice = a.id == b.id;
        if twice {
            across.push(
                Diagnostic::error(format!("the author id `{}` is used twice", b.id))
                    .at(Span::file(b.source))
                    .related(Span::file(a.source), "first defined here")
                    .hint("rename one of the files in content/authors/"),
            );
        }
        twice
    });
    model
        .analyses
        .make_mut()
        .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    model.corrected = corrected(&model.analyses);
    cache.last = (clean && across.is_empty()).then(|| Last {
        model: model.clone(),
        include_drafts,
        failed: failed_stems(content),
    });
    cache.seen = Some(content.generation);
    diags.extend(across.into_vec());
    model
}

/// Per-document helpers: spans and "missing key" errors.
struct Cx<'a, T> {
    doc: &'a Doc<T>,
    what: &'static str,
    diags: &'a mut Diagnostics,
    /// Where "missing key" errors point.
    anchor: Span,
    failed: bool,
}

impl<'a, T> Cx<'a, T> {
    fn new(doc: &'a Doc<T>, what: &'static str, anchor: Span, diags: &'a mut Diagnostics) -> Self {
        Cx {
            doc,
            what,
            diags,
            anchor,
            failed: false,
        }
    }

    fn error(&mut self, d: Diagnostic) {
        self.failed = true;
        self.diags.push(d);
    }

    fn span<V>(&self, v: &Sp<V>) -> Span {
        self.doc.span(v)
    }

    /// The file's name as words, for hints in the author's own terms:
    /// `five-days-in-january` → `"Five days in january"`.
    fn file_words(&self) -> String {
        let words = self.doc.stem.replace(['-', '_'], " ");
        let mut chars = words.trim().chars();
        match chars.next() {
            Some(first) => format!("\"{}{}\"", first.to_uppercase(), chars.as_str()),
            None => "\"…\"".into(),
        }
    }

    /// A required, non-empty string.
    fn required(&mut self, v: Option<&Sp<String>>, key: &str, example: &str) -> Option<String> {
        match v {
            Some(s) if !s.value.trim().is_empty() => Some(s.value.trim().to_string()),
            Some(s) => {
                let span = self.span(s);
                self.error(
                    Diagnostic::error(format!("`{key}` is empty"))
                        .at(span)
                        .hint(format!("write a value, e.g. `{key}: {example}`")),
                );
                None
            }
            None => {
                let d =
                    Diagnostic::error(format!("{} is missing the required key `{key}`", self.what))
                        .at(self.anchor.clone())
                        .hint(format!("add `{key}: {example}`"));
                self.error(d);
                None
            }
        }
    }

    fn required_date(&mut self, v: Option<&Sp<String>>, key: &str) -> Option<Date> {
        let text = self.required(v, key, "2022-01-05")?;
        self.date_value(v?, &text)
    }

    fn optional_date(&mut self, v: Option<&Sp<String>>) -> Option<Date> {
        let v = v?;
        self.date_value(v, v.value.trim())
    }

    fn date_value(&mut self, v: &Sp<String>, text: &str) -> Option<Date> {
        match Date::parse(text) {
            Ok(d) => Some(d),
            Err(why) => {
                let span = self.span(v);
                let hint = Date::hint_for(&why).map(str::to_string);
                self.error(
                    Diagnostic::error(why)
                        .at(span)
                        .label("expected a date")
                        .hint_opt(hint),
                );
                None
            }
        }
    }

    /// A date that must be a whole day (an analysis's publication date).
    fn day(&mut self, v: Option<&Sp<String>>, key: &str) -> Option<Date> {
        let date = self.required_date(v, key)?;
        if date.is_day() {
            return Some(date);
        }
        let span = self.span(v?);
        self.error(
            Diagnostic::error(format!(
                "`{key}: {date}` is not a day: an analysis's `{key}` is the day it was published"
            ))
            .at(span)
            .label("a whole date is needed here")
            .hint(format!(
                "write the day, such as `{key}: {}`",
                date.first_day()
            )),
        );
        None
    }

    /// Non-empty strings of a list; empty items are errors.
    fn strings(&mut self, v: Option<&Vec<Sp<String>>>, key: &str) -> Vec<Located<String>> {
        let mut out = Vec::new();
        for item in v.into_iter().flatten() {
            let span = self.span(item);
            let text = item.value.trim();
            if text.is_empty() {
                self.error(Diagnostic::error(format!("an item of `{key}` is empty")).at(span));
            } else {
                out.push(Located {
                    value: text.to_string(),
                    span,
                });
            }
        }
        out
    }

    fn reference(&mut self, v: &Sp<String>) -> Ref {
        Ref {
            id: v.value.trim().to_string(),
            span: self.span(v),
        }
    }

    fn refs(&mut self, v: Option<&Vec<Sp<String>>>, key: &str) -> Vec<Ref> {
        self.strings(v, key)
            .into_iter()
            .map(|l| Ref {
                id: l.value,
                span: l.span,
            })
            .collect()
    }

    fn markdown(&mut self, v: Option<&Sp<String>>) -> Option<Markdown> {
        let v = v?;
        (!v.value.trim().is_empty()).then(|| Markdown {
            text: v.value.clone(),
            span: self.span(v),
            version: crate::hash::version(&v.value),
            lang: None,
        })
    }

    fn link(&mut self, v: &Sp<RawLink>, key: &str) -> Option<ExternalLink> {
        let span = self.span(v);
        self.link_at(&v.value, span, key)
    }

    /// A link written as `{title, url}` at `span`.
    fn link_at(&mut self, v: &RawLink, span: Span, key: &str) -> Option<ExternalLink> {
        let title = v
            .title
            .as_ref()
            .map(|t| t.value.trim().to_string())
            .filter(|t| !t.is_empty());
        let url = v
            .url
            .as_ref()
            .map(|u| u.value.trim().to_string())
            .filter(|u| !u.is_empty());
        if title.is_none() && url.is_none() {
            self.error(
                Diagnostic::error(format!("a `{key}` entry has neither `title` nor `url`"))
                    .at(span)
                    .hint(if key == "links" {
                        "give at least a title, e.g. `{title: \"What the page is\", url: \"https://…\"}`"
                    } else {
                        "give at least a title, e.g. `{title: \"Publisher, date\", url: \"https://…\"}`, or a source id"
                    }),
            );
            return None;
        }
        let url_span = v.url.as_ref().map(|u| self.span(u));
        Some(ExternalLink {
            title: title.or_else(|| url.clone()).unwrap_or_default(),
            url,
            url_span,
        })
    }

    /// A source as given where it is used: a source id, or `{title, url}`.
    fn cited(&mut self, v: &Sp<RawCited>, key: &str) -> Option<Cited> {
        let span = self.span(v);
        match &v.value {
            RawCited::Id(id) => {
                let id = id.trim();
                if id.is_empty() {
                    self.error(
                        Diagnostic::error(format!("`{key}` is empty"))
                            .at(span)
                            .hint("give a source id (a file in content/sources/) or `{title: …, url: …}`"),
                    );
                    return None;
                }
                // `source: Reuters, 16 August 2020`: a citation written as
                // text where an id or `{title, url}` belongs.
                if !crate::model::is_valid_id(id) {
                    let quoted = id.replace('"', "'");
                    let lead = if key == "sources" {
                        "- ".to_string()
                    } else {
                        format!("{key}: ")
                    };
                    self.error(
                        Diagnostic::error(format!("`{id}` is not a source id"))
                            .at(span)
                            .label("ids are lowercase words joined by hyphens, with no spaces")
                            .hint(format!(
                                "give the source in place: `{lead}{{title: \"{quoted}\", url: \"https://…\"}}`, or make it a file in content/sources/ and write its id"
                            )),
                    );
                    return None;
                }
                Some(Cited::Id(Ref {
                    id: id.to_string(),
                    span,
                }))
            }
            RawCited::Inline(link) => self.link_at(link, span, key).map(Cited::Inline),
        }
    }

    fn cited_list(&mut self, v: Option<&Vec<Sp<RawCited>>>, key: &str) -> Vec<Cited> {
        v.into_iter()
            .flatten()
            .filter_map(|c| self.cited(c, key))
            .collect()
    }

    fn links(&mut self, v: Option<&Vec<Sp<RawLink>>>, key: &str) -> Vec<ExternalLink> {
        v.into_iter()
            .flatten()
            .filter_map(|l| self.link(l, key))
            .collect()
    }

    fn facts(&mut self, v: Option<&Vec<Sp<RawFact>>>) -> Vec<Fact> {
        let mut out = Vec::new();
        for f in v.into_iter().flatten() {
            let span = self.span(f);
            let saved = std::mem::replace(&mut self.anchor, span.clone());
            let what = std::mem::replace(&mut self.what, "a fact");
            let label = self.required(
                f.value.label.as_ref(),
                "label",
                "\"what the figure counts\"",
            );
            let value = self.required(
                f.value.value.as_ref(),
                "value",
                "\"the figure, as the source gives it\"",
            );
            self.anchor = saved;
            self.what = what;
            let as_of = self.optional_date(f.value.as_of.as_ref());
            let source = f
                .value
                .source
                .as_ref()
                .and_then(|s| self.cited(s, "source"));
            if let (Some(label), Some(value)) = (label, value) {
                out.push(Fact {
                    label,
                    value,
                    as_of,
                    source,
                    span,
                });
            }
        }
        out
    }

    fn extra(&mut self, v: Option<&serde_json::Value>) -> serde_json::Value {
        v.cloned()
            .unwrap_or_else(|| serde_json::Value::Object(Default::default()))
    }
}

fn stem_id<T>(doc: &Doc<T>, diags: &mut Diagnostics) -> Option<String> {
    if is_valid_id(&doc.stem) {
        return Some(doc.stem.clone());
    }
    let suggestion = slug::slugify(&doc.stem);
    let mut d = Diagnostic::error(format!("`{}` is not a valid id", doc.stem))
        .at(Span::file(doc.source))
        .label("the file name is the id")
        .hint("ids use lowercase letters, digits and hyphens, and start with a letter or digit");
    if !suggestion.is_empty() {
        d = d.hint(format!(
            "rename the file to `{suggestion}` plus its extension"
        ));
    }
    diags.push(d);
    None
}

pub(super) fn actor(doc: &Doc<RawActor>, diags: &mut Diagnostics) -> Option<Actor> {
    let id = stem_id(doc, diags);
    let r = &doc.raw;
    let mut cx = Cx::new(doc, "this actor", doc.file_span(), diags);
    let name = cx.required(r.name.as_ref(), "name", &cx.file_words());
    let kinds = ActorKind::ALL.map(ActorKind::as_str).join(" | ");
    let kind = match cx.required(r.kind.as_ref(), "kind", &kinds) {
        Some(k) => match ActorKind::parse(&k) {
            Some(kind) => Some(kind),
            None => {
                let span = r
                    .kind
                    .as_ref()
                    .map(|s| cx.span(s))
                    .unwrap_or(cx.anchor.clone());
                let names = ActorKind::ALL.map(ActorKind::as_str);
                cx.error(
                    Diagnostic::error(format!("unknown actor kind `{k}`"))
                        .at(span)
                        .label("not a kind of actor")
                        .hint_opt(did_you_mean_hint(&k, names))
                        .hint(format!("the kinds are: {}", names.join(", "))),
                );
                None
            }
        },
        None => None,
    };
    let aliases = cx.strings(r.aliases.as_ref(), "aliases");
    let country = r.country.as_ref().map(|c| cx.reference(c));
    let summary = cx.markdown(r.summary.as_ref());
    // `affiliations: [x]` is `member_of` x, without dates.
    let mut relations: Vec<Relation> = cx
        .refs(r.affiliations.as_ref(), "affiliations")
        .into_iter()
        .map(|actor| Relation {
            kind: Located {
                value: "member_of".into(),
                span: actor.span.clone(),
            },
            span: actor.span.clone(),
            actor,
            role: None,
            from: None,
            until: None,
            source: None,
            note: None,
        })
        .collect();
    for rel in r.relations.iter().flatten() {
        relations.extend(cx.relation(rel, id.as_deref()));
    }
    let wikidata = r.wikidata.as_ref().and_then(|w| cx.wikidata(w));
    let facts = cx.facts(r.facts.as_ref());
    let links = cx.links(r.links.as_ref(), "links");
    let extra = cx.extra(r.extra.as_ref());
    if cx.failed {
        return None;
    }
    let (id, name, kind) = (id?, name?, kind?);
    let role = r
        .role
        .as_ref()
        .map(|s| smart_text(s.trim()))
        .filter(|s| !s.is_empty());
    Some(Actor {
        ref_version: crate::hash::version((&id, &name, kind, &role)),
        redirect_from: redirects(doc, diags),
        id,
        source: doc.source,
        version: doc.version,
        name,
        kind,
        aliases,
        role,
        country,
        summary,
        relations,
        wikidata,
        facts,
        links,
        extra,
    })
}

/// `redirect_from`: ids the entity had before a rename, each a valid id.
fn redirects<T: HasRedirects>(doc: &Doc<T>, diags: &mut Diagnostics) -> Vec<Ref> {
    let mut out = Vec::new();
    for v in doc.raw.redirect_from().into_iter().flatten() {
        let id = v.value.trim();
        if crate::model::is_valid_id(id) {
            out.push(Ref {
                id: id.to_string(),
                span: doc.span(v),
            });
        } else {
            diags.push(
                Diagnostic::error(format!("`{id}` is not an id"))
                    .at(doc.span(v))
                    .label("in redirect_from")
                    .hint("ids are lowercase letters, digits and hyphens: the old file name without .yaml"),
            );
        }
    }
    out
}

/// The fact sheets that can say which ids they had before.
trait HasRedirects {
    fn redirect_from(&self) -> Option<&Vec<Sp<String>>>;
}

macro_rules! has_redirects {
    ($($t:ty),*) => {$(
        impl HasRedirects for $t {
            fn redirect_from(&self) -> Option<&Vec<Sp<String>>> {
                self.redirect_from.as_ref()
            }
        }
    )*};
}
has_redirects!(RawActor, RawEvent, RawSource, RawAuthor);

/// Each old id redirects to one page, and no old id is another entity's
/// id: its page would be two pages.
fn check_redirects(model: &Model, diags: &mut Diagnostics) {
    /// Each entity of a kind: its id, and the ids it redirects from.
    type Entities<'m> = Vec<(&'m str, &'m [Ref])>;
    let kinds: [(&str, Entities<'_>); 4] = [
        (
            "actor",
            model
                .actors
                .iter()
                .map(|a| (a.id.as_str(), &a.redirect_from[..]))
                .collect(),
        ),
        (
            "event",
            model
                .events
                .iter()
                .map(|e| (e.id.as_str(), &e.redirect_from[..]))
                .collect(),
        ),
        (
            "source",
            model
                .sources
                .iter()
                .map(|s| (s.id.as_str(), &s.redirect_from[..]))
                .collect(),
        ),
        (
            "author",
            model
                .authors
                .iter()
                .map(|a| (a.id.as_str(), &a.redirect_from[..]))
                .collect(),
        ),
    ];
    for (kind, entities) in &kinds {
        let ids: rustc_hash::FxHashSet<&str> = entities.iter().map(|(id, _)| *id).collect();
        let mut seen: rustc_hash::FxHashMap<&str, &str> = Default::default();
        for (id, redirects) in entities {
            for r in *redirects {
                if ids.contains(r.id.as_str()) {
                    diags.push(
                        Diagnostic::error(format!(
                            "`{}` is the id of another {kind}, so its page cannot redirect to `{id}`",
                            r.id
                        ))
                        .at(r.span.clone())
                        .hint(format!("remove `{}` from redirect_from: the address belongs to that {kind} now", r.id)),
                    );
                } else if let Some(other) = seen.insert(r.id.as_str(), id) {
                    diags.push(
                        Diagnostic::error(format!(
                            "`{}` redirects both to `{other}` and to `{id}`",
                            r.id
                        ))
                        .at(r.span.clone())
                        .hint("keep it in the redirect_from of one of them"),
                    );
                }
            }
        }
    }
}

pub(super) fn source(doc: &Doc<RawSource>, diags: &mut Diagnostics) -> Option<Source> {
    let id = stem_id(doc, diags);
    let r = &doc.raw;
    let mut cx = Cx::new(doc, "this source", doc.file_span(), diags);
    let title = cx.required(r.title.as_ref(), "title", &cx.file_words());
    let text = |cx: &mut Cx<'_, RawSource>, v: Option<&Sp<String>>| {
        v.and_then(|v| {
            let t = v.value.trim();
            (!t.is_empty()).then(|| Located {
                value: t.to_string(),
                span: cx.span(v),
            })
        })
    };
    let publisher = text(&mut cx, r.publisher.as_ref());
    let url = text(&mut cx, r.url.as_ref());
    let archived = text(&mut cx, r.archived.as_ref());
    let published = cx.optional_date(r.published.as_ref());
    let accessed = cx.optional_date(r.accessed.as_ref());
    let kind = match r.kind.as_ref() {
        None => SourceKind::Other,
        Some(k) => match SourceKind::parse(k.value.trim()) {
            Some(kind) => kind,
            None => {
                let span = cx.span(k);
                let names = SourceKind::ALL.map(SourceKind::as_str);
                cx.error(
                    Diagnostic::error(format!("unknown kind of source `{}`", k.value.trim()))
                        .at(span)
                        .label("not a kind of source")
                        .hint_opt(did_you_mean_hint(k.value.trim(), names))
                        .hint(format!("the kinds are: {}", names.join(", "))),
                );
                SourceKind::Other
            }
        },
    };
    let language = match r.language.as_ref() {
        Some(l) if is_language_tag(l.value.trim()) => Some(l.value.trim().to_string()),
        Some(l) => {
            let span = cx.span(l);
            cx.error(
                Diagnostic::error(format!("`{}` is not a language tag", l.value.trim()))
                    .at(span)
                    .hint("use a BCP 47 tag such as `en`, `ru` or `kk`"),
            );
            None
        }
        None => None,
    };
    if cx.failed {
        return None;
    }
    let (id, title) = (id?, smart_text(&title?));
    let publisher_text = publisher.as_ref().map(|p| &p.value);
    let url_text = url.as_ref().map(|u| &u.value);
    let archived_text = archived.as_ref().map(|u| &u.value);
    Some(Source {
        ref_version: crate::hash::version((
            &id,
            &title,
            publisher_text,
            url_text,
            archived_text,
            published,
            accessed,
            kind,
            &language,
        )),
        redirect_from: redirects(doc, diags),
        id,
        source: doc.source,
        title,
        publisher,
        url,
        archived,
        published,
        accessed,
        kind,
        language,
    })
}

pub(super) fn author(doc: &Doc<RawAuthor>, diags: &mut Diagnostics) -> Option<Author> {
    let id = stem_id(doc, diags);
    let r = &doc.raw;
    let mut cx = Cx::new(doc, "this author", doc.file_span(), diags);
    let name = cx.required(r.name.as_ref(), "name", &cx.file_words());
    let text = |v: Option<&Sp<String>>| {
        v.map(|v| smart_text(v.value.trim()))
            .filter(|t| !t.is_empty())
    };
    let title = text(r.title.as_ref());
    let affiliation = text(r.affiliation.as_ref());
    let bio = cx.markdown(r.bio.as_ref());
    let image = r.image.as_ref().and_then(|img| cx.image(img));
    let links = cx.links(r.links.as_ref(), "links");
    let orcid = r.orcid.as_ref().and_then(|o| cx.orcid(o));
    if cx.failed {
        return None;
    }
    let (id, name) = (id?, smart_text(&name?));
    Some(Author {
        ref_version: crate::hash::version((&id, &name)),
        redirect_from: redirects(doc, diags),
        id,
        source: doc.source,
        version: doc.version,
        name,
        title,
        affiliation,
        bio,
        image,
        links,
        orcid,
    })
}

impl<T> Cx<'_, T> {
    /// An image: `{src, alt, caption, credit}`, `src` and `alt` required.
    fn image(&mut self, img: &Sp<crate::load::raw::RawImage>) -> Option<Image> {
        let span = self.span(img);
        let saved = std::mem::replace(&mut self.anchor, span);
        let what = std::mem::replace(&mut self.what, "the image");
        let src = self.required(img.value.src.as_ref(), "src", "/images/photo.jpg");
        let alt = self.required(
            img.value.alt.as_ref(),
            "alt",
            "\"what the image shows, for readers who cannot see it\"",
        );
        self.anchor = saved;
        self.what = what;
        Some(Image {
            src: src?,
            alt: alt?,
            caption: img.value.caption.clone().filter(|c| !c.trim().is_empty()),
            credit: img.value.credit.clone().filter(|c| !c.trim().is_empty()),
        })
    }

    /// `corrections:`, each `{date, text}`, oldest first.
    fn corrections(&mut self, v: Option<&Vec<Sp<RawCorrection>>>) -> Vec<Correction> {
        let mut out = Vec::new();
        for c in v.into_iter().flatten() {
            let span = self.span(c);
            let saved = std::mem::replace(&mut self.anchor, span.clone());
            let what = std::mem::replace(&mut self.what, "a correction");
            let date = self.required_date(c.value.date.as_ref(), "date");
            let text = self.required(
                c.value.text.as_ref(),
                "text",
                "\"An earlier version gave the wrong date for the vote.\"",
            );
            self.anchor = saved;
            self.what = what;
            if let (Some(date), Some(text)) = (date, text) {
                out.push(Correction { date, text, span });
            }
        }
        out.sort_by_key(|c| c.date);
        out
    }

    /// An ORCID iD: four groups of four digits (the last may be X),
    /// written bare or as its address.
    fn orcid(&mut self, v: &Sp<String>) -> Option<String> {
        let text = v.value.trim();
        let bare = text
            .trim_start_matches("https://orcid.org/")
            .trim_start_matches("http://orcid.org/");
        let groups: Vec<&str> = bare.split('-').collect();
        let ok = groups.len() == 4
            && groups.iter().all(|g| g.len() == 4)
            && groups
                .iter()
                .flat_map(|g| g.chars())
                .enumerate()
                .all(|(i, c)| c.is_ascii_digit() || (i == 15 && c == 'X'));
        if ok {
            return Some(bare.to_string());
        }
        let span = self.span(v);
        self.error(
            Diagnostic::error(format!("`{text}` is not an ORCID iD"))
                .at(span)
                .label("expected four groups of four digits")
                .hint("an ORCID iD looks like `0000-0002-1825-0097` (the last character may be X)"),
        );
        None
    }

    /// One entry of `relations:`; `own` is the actor's id, which it may not
    /// point to.
    fn relation(&mut self, v: &Sp<RawRelation>, own: Option<&str>) -> Option<Relation> {
        // A broken relation is dropped, not its actor: the rest of the
        // fact sheet is still linked and checked, so one run reports all.
        let failed = std::mem::replace(&mut self.failed, false);
        let relation = self.relation_entry(v, own);
        let broken = std::mem::replace(&mut self.failed, failed);
        relation.filter(|_| !broken)
    }

    fn relation_entry(&mut self, v: &Sp<RawRelation>, own: Option<&str>) -> Option<Relation> {
        let span = self.span(v);
        let r = &v.value;
        let saved = std::mem::replace(&mut self.anchor, span.clone());
        let what = std::mem::replace(&mut self.what, "a relation");
        let kind = match r.kind.as_ref() {
            Some(k) if !k.value.trim().is_empty() => Some(Located {
                value: k.value.trim().to_string(),
                span: self.span(k),
            }),
            _ => {
                self.error(
                    Diagnostic::error("a relation needs a `type`")
                        .at(span.clone())
                        .hint(format!(
                            "the built-in types are {}; a site may declare more under [relations] in site.toml",
                            crate::config::builtin_relation_names()
                        )),
                );
                None
            }
        };
        let actor = match r.actor.as_ref() {
            Some(a) if !a.value.trim().is_empty() => Some(self.reference(a)),
            _ => {
                self.error(
                    Diagnostic::error("a relation needs the `actor` it relates to")
                        .at(span.clone())
                        .hint("write the other actor's id: its file name in content/actors/, without .yaml"),
                );
                None
            }
        };
        self.anchor = saved;
        self.what = what;
        if let (Some(a), Some(own)) = (&actor, own)
            && a.id == own
        {
            self.error(
                Diagnostic::error(format!("`{own}` is related to itself"))
                    .at(a.span.clone())
                    .label("this is the fact sheet's own id")
                    .hint("a relation names another actor"),
            );
        }
        let from = self.optional_date(r.from.as_ref());
        let until = self.optional_date(r.until.as_ref());
        if let (Some(f), Some(u), Some(raw)) = (from, until, r.until.as_ref())
            && u.ends_before(f)
        {
            let at = self.span(raw);
            self.error(
                Diagnostic::error(format!("this relation ends ({u}) before it begins ({f})"))
                    .at(at)
                    .label("`until` is before `from`")
                    .hint("check `from` and `until`"),
            );
        }
        let role = r
            .role
            .as_ref()
            .map(|s| smart_text(s.value.trim()))
            .filter(|s| !s.is_empty());
        let source = r.source.as_ref().and_then(|s| self.cited(s, "source"));
        let note = self.markdown(r.note.as_ref());
        Some(Relation {
            kind: kind?,
            actor: actor?,
            role,
            from,
            until,
            source,
            note,
            span,
        })
    }

    /// A Wikidata item id: `Q` and digits.
    fn wikidata(&mut self, v: &Sp<String>) -> Option<String> {
        let text = v.value.trim();
        let ok = text.strip_prefix('Q').is_some_and(|n| {
            !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
        });
        if ok {
            return Some(text.to_string());
        }
        let span = self.span(v);
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let mut d = Diagnostic::error(format!("`{text}` is not a Wikidata id"))
            .at(span)
            .label("expected Q and digits")
            .hint("a Wikidata item id is Q followed by its number, as in its address: wikidata.org/wiki/Q232 → `wikidata: Q232`");
        if !digits.is_empty() && !digits.starts_with('0') && digits.len() + 1 < text.len() + 4 {
            d = d.hint(format!("did you mean `Q{digits}`?"));
        }
        self.error(d);
        None
    }
}

pub(super) fn event(doc: &Doc<RawEvent>, diags: &mut Diagnostics) -> Option<Event> {
    let id = stem_id(doc, diags);
    let r = &doc.raw;
    let mut cx = Cx::new(doc, "this event", doc.file_span(), diags);
    let title = cx.required(r.title.as_ref(), "title", &cx.file_words());
    let aliases = cx.strings(r.aliases.as_ref(), "aliases");
    let date = cx.required_date(r.date.as_ref(), "date");
    let end = cx.optional_date(r.end.as_ref());
    if let (Some(start), Some(end), Some(end_raw)) = (date, end, r.end.as_ref())
        && end.ends_before(start)
    {
        let span = cx.span(end_raw);
        cx.diags.push(
            Diagnostic::check(
                Check::EndBeforeStart,
                format!("this event ends ({end}) before it starts ({start})"),
            )
            .at(span)
            .hint("check `date` and `end`"),
        );
    }
    let place = r.place.as_ref().and_then(|p| {
        let text = p.value.trim();
        (!text.is_empty()).then(|| Located {
            value: text.to_string(),
            span: cx.span(p),
        })
    });
    let mut participants = Vec::new();
    for p in r.actors.iter().flatten() {
        let outer = cx.span(p);
        match &p.value {
            RawParticipant::Id(id) => participants.push(Participant {
                actor: Ref {
                    id: id.trim().to_string(),
                    span: outer,
                },
                role: None,
            }),
            RawParticipant::WithRole { id: Some(id), role } => participants.push(Participant {
                actor: cx.reference(id),
                role: role
                    .as_ref()
                    .map(|r| smart_text(r.value.trim()))
                    .filter(|r| !r.is_empty()),
            }),
            RawParticipant::WithRole { id: None, .. } => cx.error(
                Diagnostic::error("an entry of `actors` has a role but no `id`")
                    .at(outer)
                    .hint("write `{id: an-actor-id, role: …}`"),
            ),
        }
    }
    let part_of = r.part_of.as_ref().map(|p| cx.reference(p));
    let summary = cx.markdown(r.summary.as_ref());
    let facts = cx.facts(r.facts.as_ref());
    let sources = cx.cited_list(r.sources.as_ref(), "sources");
    let extra = cx.extra(r.extra.as_ref());
    if cx.failed {
        return None;
    }
    let (id, title, date) = (id?, smart_text(&title?), date?);
    let place_text = place.as_ref().map(|p| &p.value);
    Some(Event {
        ref_version: crate::hash::version((&id, &title, date, end, place_text)),
        redirect_from: redirects(doc, diags),
        id,
        source: doc.source,
        version: doc.version,
        title,
        aliases,
        date,
        end,
        place,
        participants,
        part_of,
        summary,
        facts,
        sources,
        extra,
    })
}

pub(super) fn analysis(doc: &Doc<AnalysisDoc>, diags: &mut Diagnostics) -> Option<Analysis> {
    let r = &doc.raw.front;
    let anchor = Span::new(doc.source, doc.raw.fence.clone());
    let mut cx = Cx::new(doc, "this analysis", anchor, diags);
    let title = cx.required(r.title.as_ref(), "title", &cx.file_words());
    let date = cx.day(r.date.as_ref(), "date");
    let updated = cx.optional_date(r.updated.as_ref());
    let slug = match &r.slug {
        Some(s) => {
            let text = s.value.trim();
            if is_valid_id(text) {
                Some(text.to_string())
            } else {
                let span = cx.span(s);
                let message = if text.contains(['/', '\\']) || text.contains("..") {
                    format!("the slug `{text}` would escape the output directory")
                } else {
                    format!("`{text}` is not a valid slug")
                };
                let suggestion = slug::slugify(text);
                cx.error(
                    Diagnostic::error(message)
                        .at(span)
                        .label("used as the page's folder name")
                        .hint("slugs use lowercase letters, digits and hyphens")
                        .hint_opt(
                            (!suggestion.is_empty()).then(|| format!("try `slug: {suggestion}`")),
                        ),
                );
                None
            }
        }
        None => {
            let s = slug::slugify(&doc.stem);
            if s.is_empty() {
                let d = Diagnostic::error(format!(
                    "cannot make a URL slug from the file name `{}`",
                    doc.stem
                ))
                .at(Span::file(doc.source))
                .hint("add `slug: my-analysis` to the front matter, or rename the file");
                cx.error(d);
                None
            } else {
                Some(s)
            }
        }
    };
    let mut tags = Vec::new();
    for t in cx.strings(r.tags.as_ref(), "tags") {
        let slug = crate::paths::tag_slug(&t.value);
        if slug.is_empty() {
            cx.error(
                Diagnostic::error(format!(
                    "the tag `{}` has no letters or digits to make a URL from",
                    t.value
                ))
                .at(t.span.clone()),
            );
        } else {
            tags.push(TagRef {
                text: t.value,
                slug,
            });
        }
    }
    let authors = cx.strings(r.authors.as_ref(), "authors");
    let actors = cx.refs(r.actors.as_ref(), "actors");
    let events = cx.refs(r.events.as_ref(), "events");
    let image = r.image.as_ref().and_then(|img| cx.image(img));
    let corrections = cx.corrections(r.corrections.as_ref());
    let summary = r
        .summary
        .as_ref()
        .map(|s| smart_text(s.value.trim()))
        .filter(|s| !s.is_empty());
    if cx.failed {
        return None;
    }
    let (slug, title, date, draft) = (slug?, smart_text(&title?), date?, r.draft.unwrap_or(false));
    let tag_texts: Vec<(&str, &str)> = tags
        .iter()
        .map(|t| (t.slug.as_str(), t.text.as_str()))
        .collect();
    let author_texts: Vec<&str> = authors.iter().map(|a| a.value.as_str()).collect();
    let corrected = corrections.iter().map(|c| c.date).max();
    let card_version = crate::hash::version((
        &slug,
        &title,
        date,
        updated,
        &summary,
        author_texts,
        tag_texts,
        draft,
        corrected,
    ));
    Some(Analysis {
        source: doc.source,
        version: doc.version,
        card_version,
        slug,
        title,
        date,
        updated,
        summary,
        authors,
        tags,
        actors,
        events,
        image,
        draft,
        corrections,
        stem: doc.stem.clone(),
        translation: None,
        body: doc.raw.body.clone(),
    })
}

/// Where a translation is: its language (from the file name) and original.
fn translated<T>(doc: &Doc<T>) -> Translated {
    let lang = doc.lang.clone().unwrap_or_default();
    Translated {
        // The language is in the file's name: problems with it point at
        // the file.
        lang: Located {
            value: lang,
            span: Span::file(doc.source),
        },
        of: doc.stem.clone(),
        source: doc.source,
        version: doc.version,
    }
}

impl<T> Cx<'_, T> {
    /// An optional text: trimmed, typographic quotes; empty is none.
    fn text(&mut self, v: Option<&Sp<String>>) -> Option<String> {
        v.map(|v| smart_text(v.value.trim()))
            .filter(|t| !t.is_empty())
    }

    /// The text of facts, by place: `{label, value}`.
    fn fact_texts(&mut self, v: Option<&Vec<Sp<crate::load::raw::RawFactText>>>) -> Vec<FactText> {
        let mut out = Vec::new();
        for f in v.into_iter().flatten() {
            out.push(FactText {
                label: self.text(f.value.label.as_ref()),
                value: self.text(f.value.value.as_ref()),
                span: self.span(f),
            });
        }
        out
    }
}

fn analysis_text(
    doc: &Doc<crate::load::TranslationDoc>,
    diags: &mut Diagnostics,
) -> Option<AnalysisText> {
    let r = &doc.raw.front;
    let anchor = Span::new(doc.source, doc.raw.fence.clone());
    let mut cx = Cx::new(doc, "this translation", anchor, diags);
    let title = cx.required(r.title.as_ref(), "title", "\"the title in this language\"");
    let date = r.date.as_ref().and_then(|d| cx.day(Some(d), "date"));
    let updated = cx.optional_date(r.updated.as_ref());
    let tags = r.tags.as_ref().map(|list| {
        cx.strings(Some(list), "tags")
            .into_iter()
            .filter_map(|t| {
                let slug = crate::paths::tag_slug(&t.value);
                (!slug.is_empty()).then_some(TagRef {
                    text: t.value,
                    slug,
                })
            })
            .collect()
    });
    let actors = r.actors.as_ref().map(|l| cx.refs(Some(l), "actors"));
    let events = r.events.as_ref().map(|l| cx.refs(Some(l), "events"));
    let image = r.image.as_ref().and_then(|img| cx.image(img));
    let corrections = r.corrections.as_ref().map(|c| cx.corrections(Some(c)));
    let summary = cx.text(r.summary.as_ref());
    let translator = r.translator.as_ref().and_then(|t| {
        let text = t.value.trim();
        (!text.is_empty()).then(|| Located {
            value: text.to_string(),
            span: cx.span(t),
        })
    });
    if cx.failed {
        return None;
    }
    Some(AnalysisText {
        at: translated(doc),
        title: smart_text(&title?),
        date,
        summary,
        translator,
        tags,
        actors,
        events,
        image,
        draft: r.draft,
        updated,
        corrections,
        body: doc.raw.body.clone(),
    })
}

fn actor_text(doc: &Doc<crate::load::RawActorText>, diags: &mut Diagnostics) -> Option<ActorText> {
    let r = &doc.raw;
    let mut cx = Cx::new(doc, "this translation", doc.file_span(), diags);
    let name = cx.text(r.name.as_ref());
    let aliases = cx.strings(r.aliases.as_ref(), "aliases");
    let role = cx.text(r.role.as_ref());
    let summary = cx.markdown(r.summary.as_ref());
    let facts = cx.fact_texts(r.facts.as_ref());
    let mut relations = Vec::new();
    for rel in r.relations.iter().flatten() {
        relations.push(RelationText {
            role: cx.text(rel.value.role.as_ref()),
            note: cx.markdown(rel.value.note.as_ref()),
            span: cx.span(rel),
        });
    }
    if cx.failed {
        return None;
    }
    Some(ActorText {
        at: translated(doc),
        name,
        aliases,
        role,
        summary,
        facts,
        relations,
    })
}

fn event_text(doc: &Doc<crate::load::RawEventText>, diags: &mut Diagnostics) -> Option<EventText> {
    let r = &doc.raw;
    let mut cx = Cx::new(doc, "this translation", doc.file_span(), diags);
    let title = cx.text(r.title.as_ref());
    let aliases = cx.strings(r.aliases.as_ref(), "aliases");
    let summary = cx.markdown(r.summary.as_ref());
    let facts = cx.fact_texts(r.facts.as_ref());
    let roles = r
        .actors
        .iter()
        .flatten()
        .map(|p| {
            let role = p.value.role.as_ref().map(|s| smart_text(s.value.trim()));
            (role.filter(|r| !r.is_empty()), doc.span(p))
        })
        .collect();
    if cx.failed {
        return None;
    }
    Some(EventText {
        at: translated(doc),
        title,
        aliases,
        summary,
        facts,
        roles,
    })
}

fn source_text(
    doc: &Doc<crate::load::RawSourceText>,
    diags: &mut Diagnostics,
) -> Option<SourceText> {
    let mut cx = Cx::new(doc, "this translation", doc.file_span(), diags);
    let title = cx.text(doc.raw.title.as_ref());
    Some(SourceText {
        at: translated(doc),
        title,
    })
}

fn author_text(
    doc: &Doc<crate::load::RawAuthorText>,
    diags: &mut Diagnostics,
) -> Option<AuthorText> {
    let r = &doc.raw;
    let mut cx = Cx::new(doc, "this translation", doc.file_span(), diags);
    Some(AuthorText {
        at: translated(doc),
        name: cx.text(r.name.as_ref()),
        title: cx.text(r.title.as_ref()),
        affiliation: cx.text(r.affiliation.as_ref()),
        bio: cx.markdown(r.bio.as_ref()),
    })
}

/// Ids are unique across actors and events: `[[id]]` must mean one thing.
fn check_unique_ids(model: &mut Model, diags: &mut Diagnostics) {
    // Content comes in path order (actors, then events), so "first" is stable
    // between a full build and an incremental one.
    let mut seen: HashMap<&str, SourceId> = HashMap::with_capacity_and_hasher(
        model.actors.len() + model.events.len(),
        Default::default(),
    );
    let mut drop = rustc_hash::FxHashSet::default();
    let all = model
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.source))
        .chain(model.events.iter().map(|e| (e.id.as_str(), e.source)));
    for (id, source) in all {
        match seen.get(id) {
            Some(&first) => {
                diags.push(
                    Diagnostic::error(format!("the id `{id}` is used twice"))
                        .at(Span::file(source))
                        .label("second definition")
                        .related(Span::file(first), "first defined here")
                        .hint("ids are unique across actors and events; rename one of the files"),
                );
                drop.insert(source);
            }
            None => {
                seen.insert(id, source);
            }
        }
    }
    if !drop.is_empty() {
        model
            .actors
            .make_mut()
            .retain(|a| !drop.contains(&a.source));
        model
            .events
            .make_mut()
            .retain(|e| !drop.contains(&e.source));
    }
}

/// Source ids are a namespace of their own (`[@id]`), unique in it.
fn check_unique_source_ids(model: &mut Model, diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, SourceId> =
        HashMap::with_capacity_and_hasher(model.sources.len(), Default::default());
    let mut drop = rustc_hash::FxHashSet::default();
    for s in &model.sources {
        if let Some(&first) = seen.get(s.id.as_str()) {
            diags.push(
                Diagnostic::error(format!("the source id `{}` is used twice", s.id))
                    .at(Span::file(s.source))
                    .label("second definition")
                    .related(Span::file(first), "first defined here")
                    .hint("rename one of the files in content/sources/"),
            );
            drop.insert(s.source);
        } else {
            seen.insert(&s.id, s.source);
        }
    }
    model
        .sources
        .make_mut()
        .retain(|s| !drop.contains(&s.source));
}

fn check_unique_slugs(model: &mut Model, diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, SourceId> =
        HashMap::with_capacity_and_hasher(model.analyses.len(), Default::default());
    let mut drop = rustc_hash::FxHashSet::default();
    for a in &model.analyses {
        if let Some(&first) = seen.get(a.slug.as_str()) {
            diags.push(
                Diagnostic::error(format!("two analyses have the slug `{}`", a.slug))
                    .at(Span::file(a.source))
                    .label("this one")
                    .related(Span::file(first), "and this one")
                    .hint("each analysis needs its own URL: rename a file or set `slug:` in its front matter"),
            );
            drop.insert(a.source);
        } else {
            seen.insert(&a.slug, a.source);
        }
    }
    model
        .analyses
        .make_mut()
        .retain(|a| !drop.contains(&a.source));
}

/// How many of `analyses` have a correction.
pub(crate) fn corrected(analyses: &[Arc<Analysis>]) -> usize {
    analyses
        .iter()
        .filter(|a| !a.corrections.is_empty())
        .count()
}
