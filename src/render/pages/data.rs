//! Open data: the site's entities as files others can reuse, under
//! `/data/`: JSON of actors, events, relations and sources, CSV of facts
//! and relations, and FollowTheMoney entities (JSON lines) that load into
//! Aleph and OpenSanctions tooling; and a page that describes them and
//! their licence (`data_license` in `site.toml`).
//!
//! CSV is written here: every field quoted, and a field a spreadsheet would
//! read as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first)
//! prefixed with `'`.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use super::{Cx, Key, Kind, Listing};
use crate::hash::Combiner;
use crate::model::{ActorKind, Cited, Date, Fact};
use crate::paths;
use crate::render::meta::Meta;
use crate::render::versions::List;
use crate::render::views::Views;
use crate::text::plain_text;

/// `/data/`: what the files are.
pub(crate) struct DataPage;

/// `/data/<file>`: `part` is the file, in [`FILES`].
pub(crate) struct DataFile;

/// The files: name, the theme's text for what it holds (`i18n/en.toml`),
/// and what it is made of.
const FILES: [(&str, &str, Made); 7] = [
    ("actors.json", "data_actors_json", Made::Actors),
    ("events.json", "data_events_json", Made::Events),
    ("relations.json", "data_relations_json", Made::Relations),
    ("sources.json", "data_sources_json", Made::Sources),
    ("facts.csv", "data_facts_csv", Made::Actors),
    ("relations.csv", "data_relations_csv", Made::Relations),
    ("entities.ftm.json", "data_entities_ftm", Made::Everything),
];

/// What a file is made of, for its signature.
#[derive(Clone, Copy)]
enum Made {
    Actors,
    Events,
    Relations,
    Sources,
    Everything,
}

impl Kind for DataPage {
    fn shared(&self) -> bool {
        true
    }

    fn template(&self) -> Option<&'static str> {
        Some("data.html")
    }

    fn keys(&self, _: &Cx<'_>) -> Vec<Key> {
        vec![Key::ONE]
    }

    fn path(&self, _: &Cx<'_>, _: Key) -> String {
        paths::DATA.into()
    }

    fn signature(&self, cx: &Cx<'_>, _: Key, h: &mut Combiner) {
        cx.config().data_license.hash(h);
    }

    fn context(&self, cx: &Cx<'_>, _: Key, ctx: &mut Context, meta: &mut Meta) {
        #[derive(Serialize)]
        struct FileView {
            name: &'static str,
            url: String,
            about: String,
        }
        let files: Vec<FileView> = FILES
            .iter()
            .map(|(name, about, _)| FileView {
                name,
                url: cx.v.url(&paths::data_file(name)),
                about: cx.v.locale.text(about).to_string(),
            })
            .collect();
        ctx.insert("files", &files);
        ctx.insert("license", &cx.config().data_license);
        meta.title = cx.v.locale.text("open_data").into();
        meta.section = "data";
    }

    fn sitemap(&self, cx: &Cx<'_>, _: Key) -> Listing {
        Listing::List(cx.newest())
    }
}

impl Kind for DataFile {
    fn shared(&self) -> bool {
        true
    }

    fn template(&self) -> Option<&'static str> {
        None
    }

    fn keys(&self, _: &Cx<'_>) -> Vec<Key> {
        (0..FILES.len()).map(Key::part).collect()
    }

    fn path(&self, _: &Cx<'_>, key: Key) -> String {
        paths::data_file(FILES[key.part].0)
    }

    fn signature(&self, cx: &Cx<'_>, key: Key, h: &mut Combiner) {
        let vs = &cx.versions;
        let actors = |h: &mut Combiner| {
            vs.all(List::Actor, h);
            vs.all(List::ActorRef, h);
            for a in &cx.site().model.actors {
                vs.fact_sources(cx.site(), h, &a.facts);
            }
            for e in &cx.site().model.events {
                vs.fact_sources(cx.site(), h, &e.facts);
            }
        };
        match FILES[key.part].2 {
            // facts.csv holds the facts of events too: they are in `event`.
            Made::Actors => {
                actors(h);
                vs.all(List::Event, h);
                vs.all(List::EventRef, h);
            }
            // Events name actors and their parents by id only: a renamed
            // actor leaves the file as it was.
            Made::Events => {
                vs.all(List::Event, h);
                vs.all(List::SourceRef, h);
                for a in &cx.site().model.actors {
                    a.id.hash(h);
                }
                for e in &cx.site().model.events {
                    e.id.hash(h);
                }
            }
            Made::Relations => vs.all(List::Relations, h),
            Made::Sources => {
                vs.all(List::SourceRef, h);
                vs.all(List::ActorRef, h);
            }
            Made::Everything => {
                actors(h);
                vs.all(List::Event, h);
                vs.all(List::EventRef, h);
                vs.all(List::Relations, h);
            }
        }
    }

    fn bytes(&self, cx: &Cx<'_>, key: Key, _: &str) -> Vec<u8> {
        let v = &cx.v;
        let file = FILES[key.part].0;
        let mut parts = Parts::of(cx.data_cache, file);
        let bytes = match file {
            "actors.json" => json_file(&parts.made(actors(cx, &parts))),
            "events.json" => json_file(&parts.made(events(cx, &parts))),
            "relations.json" => json_file(&parts.made(relations(cx, &parts))),
            "sources.json" => json_file(&parts.made(sources(cx, &parts))),
            "facts.csv" => return facts_csv(v),
            "relations.csv" => return relations_csv(v),
            _ => ftm(cx, &mut parts),
        };
        parts.keep();
        bytes.into_bytes()
    }
}

/// The parts of the data files that `serve` keeps from one build to the
/// next: each entity's item (JSON) or line (FollowTheMoney), by a hash of
/// the versions of what it is made of, so that after an edit only the
/// items it reaches are made again (making every item of the files took
/// 200 ms of a rename at N = 10,000, on both cores).
#[derive(Default)]
pub(crate) struct DataCache {
    /// Whether parts are kept (in `serve`).
    pub keep: bool,
    files: Mutex<HashMap<&'static str, HashMap<u64, Arc<str>>>>,
}

impl std::fmt::Debug for DataCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataCache")
    }
}

/// One file's parts: the last build's, and this build's as they are made.
struct Parts<'c> {
    cache: Option<&'c DataCache>,
    file: &'static str,
    old: HashMap<u64, Arc<str>>,
    new: HashMap<u64, Arc<str>>,
}

impl<'c> Parts<'c> {
    fn of(cache: Option<&'c DataCache>, file: &'static str) -> Parts<'c> {
        let old = cache
            .and_then(|c| c.files.lock().ok()?.remove(file))
            .unwrap_or_default();
        Parts {
            cache,
            file,
            old,
            new: HashMap::default(),
        }
    }

    /// The part made from what `h` folded: the last build's if it had
    /// one made from the same, else `make`'s.
    fn get(&self, h: Combiner, make: impl FnOnce() -> String) -> (u64, Arc<str>) {
        let key = h.finish();
        match self.old.get(&key) {
            Some(part) => (key, Arc::clone(part)),
            None => (key, make().into()),
        }
    }

    /// The parts, in order (noting them for the next build).
    fn made(&mut self, parts: Vec<(u64, Arc<str>)>) -> Vec<Arc<str>> {
        let keep = self.cache.is_some_and(|c| c.keep);
        parts
            .into_iter()
            .map(|(key, part)| {
                if keep {
                    self.new.insert(key, Arc::clone(&part));
                }
                part
            })
            .collect()
    }

    /// Leaves this build's parts for the next one.
    fn keep(self) {
        if let Some(c) = self.cache.filter(|c| c.keep)
            && let Ok(mut files) = c.files.lock()
        {
            files.insert(self.file, self.new);
        }
    }
}

/// One item of a JSON array, as `serde_json::to_string_pretty` writes it
/// one level deep.
fn pretty(item: &Value) -> String {
    // Serialising plain values cannot fail.
    let text = serde_json::to_string_pretty(item).unwrap_or_default();
    // One level deeper: JSON strings hold no raw line breaks.
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        out.push_str("  ");
        out.push_str(line);
    }
    out
}

/// A JSON array of these items (each as [`pretty`] writes it), as
/// `serde_json::to_string_pretty` writes it, and a final newline.
fn json_file(parts: &[Arc<str>]) -> String {
    if parts.is_empty() {
        return "[]\n".into();
    }
    let mut text = String::with_capacity(parts.iter().map(|p| p.len() + 2).sum::<usize>() + 5);
    text.push_str("[\n");
    for (k, part) in parts.iter().enumerate() {
        if k > 0 {
            text.push_str(",\n");
        }
        text.push_str(part);
    }
    text.push_str("\n]\n");
    text
}

fn date(d: Option<Date>) -> Value {
    d.map_or(Value::Null, |d| json!(d.to_string()))
}

/// A source as the data gives it: `{id, title, url}` (`id` null for one
/// given in place).
fn source(v: &Views<'_>, c: Option<&Cited>) -> Value {
    match c {
        None => Value::Null,
        Some(c) => {
            let s = v.cited(c);
            json!({"id": s.id, "title": s.title, "url": s.url})
        }
    }
}

fn facts(v: &Views<'_>, facts: &[Fact]) -> Value {
    json!(
        facts
            .iter()
            .map(|f| json!({
                "label": f.label,
                "value": f.value,
                "as_of": date(f.as_of),
                "source": source(v, f.source.as_ref()),
            }))
            .collect::<Vec<_>>()
    )
}

fn text_of(t: Option<&std::sync::Arc<crate::link::Text>>) -> Value {
    t.map_or(Value::Null, |t| json!(plain_text(&t.html.get())))
}

/// Each actor's item: its file and summary, its country's id, the
/// sources its facts cite.
fn actors(cx: &Cx<'_>, parts: &Parts<'_>) -> Vec<(u64, Arc<str>)> {
    let (v, vs) = (&cx.v, &cx.versions);
    let site = v.site;
    site.model
        .actors
        .par_iter()
        .zip(&site.actors)
        .enumerate()
        .map(|(i, (a, l))| {
            let mut h = Combiner::default();
            (vs.site, vs.actor(i), l.country.map(|c| vs.actor_ref(c))).hash(&mut h);
            vs.fact_sources(site, &mut h, &a.facts);
            parts.get(h, || {
                pretty(&json!({
                    "id": a.id,
                    "name": a.name,
                    "kind": a.kind.as_str(),
                    "aliases": a.aliases.iter().map(|x| &x.value).collect::<Vec<_>>(),
                    "role": a.role,
                    "country": l.country.map(|c| &site.model.actors[c].id),
                    "wikidata": a.wikidata,
                    "summary": text_of(site.actor_summary(i)),
                    "url": v.permalink(&paths::actor(&a.id)),
                    "facts": facts(v, &a.facts),
                }))
            })
        })
        .collect()
}

/// Each event's item: its file and summary, its place's, participants'
/// and parent's ids, the sources it cites.
fn events(cx: &Cx<'_>, parts: &Parts<'_>) -> Vec<(u64, Arc<str>)> {
    let (v, vs) = (&cx.v, &cx.versions);
    let site = v.site;
    site.model
        .events
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            let l = &site.events[i];
            let mut h = Combiner::default();
            (vs.site, vs.event(i), l.place.map(|p| vs.actor_ref(p))).hash(&mut h);
            for &(a, role) in &l.participants {
                (vs.actor_ref(a), site.role(role)).hash(&mut h);
            }
            l.parent.map(|p| vs.event_ref(p)).hash(&mut h);
            vs.fact_sources(site, &mut h, &e.facts);
            for c in &e.sources {
                vs.cited(site, &mut h, Some(c));
            }
            parts.get(h, || {
                pretty(&json!({
                    "id": e.id,
                    "title": e.title,
                    "date": e.date.to_string(),
                    "end": date(e.end),
                    "place": e.place.as_ref().map(|p| &p.value),
                    "place_id": l.place.map(|p| &site.model.actors[p].id),
                    "actors": l.participants.iter().map(|&(a, role)| json!({
                        "id": site.model.actors[a].id,
                        "role": site.role(role),
                    })).collect::<Vec<_>>(),
                    "part_of": l.parent.map(|p| &site.model.events[p].id),
                    "summary": text_of(site.event_summary(i)),
                    "url": v.permalink(&paths::event(&e.id)),
                    "facts": facts(v, &e.facts),
                    "sources": e.sources.iter().map(|c| source(v, Some(c))).collect::<Vec<_>>(),
                }))
            })
        })
        .collect()
}

/// Every relation, as stated: (owner, its relation, the other actor, type).
fn stated(v: &Views<'_>) -> Vec<(usize, usize, usize, usize)> {
    v.site
        .actors
        .iter()
        .enumerate()
        .flat_map(|(i, l)| {
            l.relations
                .iter()
                .filter(|e| !e.inverse)
                .map(move |e| (i, e.position, e.other, e.kind))
        })
        .collect()
}

/// Each relation's item: its owner's file, the other actor's id, its
/// source and its rendered note.
fn relations(cx: &Cx<'_>, parts: &Parts<'_>) -> Vec<(u64, Arc<str>)> {
    let (v, vs) = (&cx.v, &cx.versions);
    let m = &v.site.model;
    stated(v)
        .into_par_iter()
        .map(|(i, k, other, kind)| {
            let r = &m.actors[i].relations[k];
            let note = v.site.actors[i].notes.get(k);
            let mut h = Combiner::default();
            (
                vs.site,
                m.actors[i].version,
                k,
                kind,
                vs.actor_ref(other),
                note,
            )
                .hash(&mut h);
            vs.cited(v.site, &mut h, r.source.as_ref());
            parts.get(h, || {
                pretty(&json!({
                    "actor": m.actors[i].id,
                    "type": v.config.relation_types[kind].name,
                    "other": m.actors[other].id,
                    "role": r.role,
                    "from": date(r.from),
                    "until": date(r.until),
                    "source": source(v, r.source.as_ref()),
                    "note": note.cloned().flatten().map(|n| plain_text(&n)),
                }))
            })
        })
        .collect()
}

/// Each source's item: its fields and its publisher's name.
fn sources(cx: &Cx<'_>, parts: &Parts<'_>) -> Vec<(u64, Arc<str>)> {
    let (v, vs) = (&cx.v, &cx.versions);
    (0..v.site.model.sources.len())
        .into_par_iter()
        .map(|i| {
            let publisher = v.site.sources[i].publisher;
            let mut h = Combiner::default();
            // Every field it shows, its publisher's name with them.
            (vs.site, vs.source_ref(i)).hash(&mut h);
            parts.get(h, || {
                let s = v.source(i);
                let publisher_id = publisher.map(|a| &v.site.model.actors[a].id);
                pretty(&json!({
                    "id": s.id,
                    "title": s.title,
                    "publisher": s.publisher,
                    "publisher_id": publisher_id,
                    "url": s.url,
                    "archived": s.archived,
                    "published": s.published.map(|d| d.iso),
                    "accessed": s.accessed.map(|d| d.iso),
                    "kind": s.kind,
                    "language": s.language,
                    "page": s.page.map(|p| v.absolute(&p)),
                }))
            })
        })
        .collect()
}

/// A CSV writer: RFC 4180, every field quoted, CRLF line ends.
fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// One CSV row, with formulas defused: a cell a spreadsheet would run
/// (`=`, `+`, `-`, `@`, a tab or a carriage return first) gets a leading
/// `'` so that it shows as text.
fn row(out: &mut csv::Writer<Vec<u8>>, fields: &[&str]) {
    let defused = fields.iter().map(|f| {
        if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{f}").into_bytes().into()
        } else {
            std::borrow::Cow::Borrowed(f.as_bytes())
        }
    });
    // Writing into memory cannot fail.
    let _ = out.write_record(defused);
}

/// The bytes written.
fn finish(out: csv::Writer<Vec<u8>>) -> Vec<u8> {
    out.into_inner().unwrap_or_default()
}

fn facts_csv(v: &Views<'_>) -> Vec<u8> {
    let m = &v.site.model;
    let mut out = csv_writer();
    row(
        &mut out,
        &[
            "subject_kind",
            "subject_id",
            "subject_name",
            "label",
            "value",
            "as_of",
            "source_id",
            "source_title",
            "source_url",
        ],
    );
    let mut write = |kind: &str, id: &str, name: &str, facts: &[Fact]| {
        for f in facts {
            let s = f.source.as_ref().map(|c| v.cited(c));
            let as_of = f.as_of.map(|d| d.to_string()).unwrap_or_default();
            row(
                &mut out,
                &[
                    kind,
                    id,
                    name,
                    &f.label,
                    &f.value,
                    &as_of,
                    s.as_ref().and_then(|s| s.id.as_deref()).unwrap_or(""),
                    s.as_ref().map_or("", |s| s.title.as_str()),
                    s.as_ref().and_then(|s| s.url.as_deref()).unwrap_or(""),
                ],
            );
        }
    };
    for a in &m.actors {
        write("actor", &a.id, &a.name, &a.facts);
    }
    for e in &m.events {
        write("event", &e.id, &e.title, &e.facts);
    }
    finish(out)
}

fn relations_csv(v: &Views<'_>) -> Vec<u8> {
    let m = &v.site.model;
    let mut out = csv_writer();
    row(
        &mut out,
        &[
            "actor_id",
            "actor_name",
            "type",
            "other_id",
            "other_name",
            "role",
            "from",
            "until",
            "source_id",
            "source_title",
            "source_url",
        ],
    );
    for (i, k, other, kind) in stated(v) {
        let r = &m.actors[i].relations[k];
        let s = r.source.as_ref().map(|c| v.cited(c));
        let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        row(
            &mut out,
            &[
                &m.actors[i].id,
                &m.actors[i].name,
                &v.config.relation_types[kind].name,
                &m.actors[other].id,
                &m.actors[other].name,
                r.role.as_deref().unwrap_or(""),
                &day(r.from),
                &day(r.until),
                s.as_ref().and_then(|s| s.id.as_deref()).unwrap_or(""),
                s.as_ref().map_or("", |s| s.title.as_str()),
                s.as_ref().and_then(|s| s.url.as_deref()).unwrap_or(""),
            ],
        );
    }
    finish(out)
}

/// The FollowTheMoney schema of an actor: states as `PublicBody` (the
/// model has no entity for a country), places as `Address`.
fn ftm_schema(v: &Views<'_>, i: usize) -> &'static str {
    let site = v.site;
    match site.model.actors[i].kind {
        ActorKind::Person => "Person",
        ActorKind::State => "PublicBody",
        ActorKind::Place => "Address",
        // An organisation that is part of a state is a public body.
        ActorKind::Organisation | ActorKind::Group => {
            let of_state = site.actors[i].relations.iter().any(|e| {
                !e.inverse
                    && v.config.relation_types[e.kind].name == "part_of"
                    && site.model.actors[e.other].kind == ActorKind::State
            });
            if of_state {
                "PublicBody"
            } else {
                "Organization"
            }
        }
    }
}

/// `entities.ftm.json`: one FollowTheMoney entity a line. Each line is a
/// part (see [`DataCache`]) made from its entity's versions and the
/// schemas of the actors it names.
fn ftm(cx: &Cx<'_>, parts: &mut Parts<'_>) -> String {
    let (v, vs) = (&cx.v, &cx.versions);
    let site = v.site;
    let m = &site.model;
    let actor_id = |i: usize| format!("actor-{}", m.actors[i].id);
    let schema_of: Vec<&str> = (0..m.actors.len()).map(|i| ftm_schema(v, i)).collect();
    let legal = |s: &str| s != "Address";
    let organisation = |s: &str| s == "Organization" || s == "PublicBody";
    // Actors and events: a line each, made in parallel.
    let actor_lines = (m.actors.par_iter().enumerate())
        .map(|(i, a)| {
            let mut h = Combiner::default();
            (vs.site, vs.actor(i), schema_of[i]).hash(&mut h);
            parts.get(h, || {
                let mut p = json!({
                    "name": [a.name],
                    "sourceUrl": [v.permalink(&paths::actor(&a.id))],
                });
                if !a.aliases.is_empty() {
                    p["alias"] = json!(a.aliases.iter().map(|x| &x.value).collect::<Vec<_>>());
                }
                if let Some(t) = site.actor_summary(i) {
                    p["summary"] = json!([plain_text(&t.html.get())]);
                }
                if let Some(w) = &a.wikidata {
                    p["wikidataId"] = json!([w]);
                }
                if schema_of[i] == "Address" {
                    p["full"] = json!([a.name]);
                }
                if let (Some(role), "Person") = (&a.role, schema_of[i]) {
                    p["position"] = json!([role]);
                }
                json!({"id": actor_id(i), "schema": schema_of[i], "properties": p}).to_string()
            })
        })
        .collect();
    let event_lines = (m.events.par_iter().zip(&site.events).enumerate())
        .map(|(i, (e, l))| {
            let mut h = Combiner::default();
            (vs.site, vs.event(i)).hash(&mut h);
            l.place
                .map(|a| (vs.actor_ref(a), schema_of[a]))
                .hash(&mut h);
            for &(a, _) in &l.participants {
                (vs.actor_ref(a), schema_of[a]).hash(&mut h);
            }
            parts.get(h, || {
                let mut p = json!({
                    "name": [e.title],
                    "startDate": [e.date.to_string()],
                    "sourceUrl": [v.permalink(&paths::event(&e.id))],
                });
                if let Some(end) = e.end {
                    p["endDate"] = json!([end.to_string()]);
                }
                if let Some(t) = site.event_summary(i) {
                    p["summary"] = json!([plain_text(&t.html.get())]);
                }
                if let Some(place) = &e.place {
                    let name = l
                        .place
                        .map_or(place.value.as_str(), |a| m.actors[a].name.as_str());
                    p["location"] = json!([name]);
                }
                if let Some(a) = l.place.filter(|&a| schema_of[a] == "Address") {
                    p["addressEntity"] = json!([actor_id(a)]);
                }
                let involved: Vec<String> = l
                    .participants
                    .iter()
                    .map(|&(a, _)| a)
                    .filter(|&a| legal(schema_of[a]))
                    .map(actor_id)
                    .collect();
                if !involved.is_empty() {
                    p["involved"] = json!(involved);
                }
                json!({"id": format!("event-{}", e.id), "schema": "Event", "properties": p})
                    .to_string()
            })
        })
        .collect();
    let relation_lines = stated(v)
        .into_par_iter()
        .map(|(i, k, other, kind)| {
            let r = &m.actors[i].relations[k];
            let note = site.actors[i].notes.get(k);
            let (from, to) = (schema_of[i], schema_of[other]);
            let mut h = Combiner::default();
            (vs.site, m.actors[i].version, k, kind, vs.actor_ref(other)).hash(&mut h);
            (from, to, note).hash(&mut h);
            vs.cited(site, &mut h, r.source.as_ref());
            parts.get(h, || {
                let name = v.config.relation_types[kind].name.as_str();
                let (schema, a, b) = match name {
                    "member_of" if legal(from) && organisation(to) => {
                        ("Membership", "member", "organization")
                    }
                    "leads" if legal(from) && organisation(to) => {
                        ("Directorship", "director", "organization")
                    }
                    // The owner succeeded the other.
                    "succeeded" if legal(from) && legal(to) => {
                        ("Succession", "successor", "predecessor")
                    }
                    "family_of" if from == "Person" && to == "Person" => {
                        ("Family", "person", "relative")
                    }
                    // FollowTheMoney's Associate is a tie between people that is not family.
                    "related_to" if from == "Person" && to == "Person" => {
                        ("Associate", "person", "associate")
                    }
                    _ => ("UnknownLink", "subject", "object"),
                };
                let mut p = json!({a: [actor_id(i)], b: [actor_id(other)]});
                let role = match (schema, &r.role) {
                    ("UnknownLink", Some(role)) => {
                        Some(format!("{} ({role})", v.config.relation_types[kind].label))
                    }
                    ("UnknownLink", None) => Some(v.config.relation_types[kind].label.clone()),
                    (_, role) => role.clone(),
                };
                if let Some(role) = role {
                    let key = if schema == "Family" || schema == "Associate" {
                        "relationship"
                    } else {
                        "role"
                    };
                    p[key] = json!([role]);
                }
                if let Some(f) = r.from {
                    p["startDate"] = json!([f.to_string()]);
                }
                if let Some(u) = r.until {
                    p["endDate"] = json!([u.to_string()]);
                }
                if let Some(url) = r.source.as_ref().and_then(|c| v.cited(c).url) {
                    p["sourceUrl"] = json!([url]);
                }
                if let Some(note) = note.cloned().flatten() {
                    p["summary"] = json!([plain_text(&note)]);
                }
                json!({
                    "id": format!("relation-{}-{}", m.actors[i].id, k + 1),
                    "schema": schema,
                    "properties": p,
                })
                .to_string()
            })
        })
        .collect();
    let mut out = String::new();
    for lines in [actor_lines, event_lines, relation_lines] {
        for line in parts.made(lines) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{csv_writer, finish, row};

    #[test]
    fn csv_quotes_every_field_and_defuses_formulas() {
        let mut out = csv_writer();
        row(
            &mut out,
            &[
                "plain",
                "a \"quoted\", b",
                "=HYPERLINK(\"x\")",
                "-1",
                "+1",
                "@SUM",
                "line\nbreak",
            ],
        );
        assert_eq!(
            String::from_utf8(finish(out)).unwrap(),
            "\"plain\",\"a \"\"quoted\"\", b\",\"'=HYPERLINK(\"\"x\"\")\",\"'-1\",\"'+1\",\"'@SUM\",\"line\nbreak\"\r\n"
        );
    }
}
