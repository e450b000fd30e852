//! Markdown texts (analysis bodies, fact-sheet summaries) rendered against
//! the link environment, and kept between builds. A cached text is reused
//! unless its source changed or the environment changed in a way that can
//! reach it: an id it references now resolves differently, or a name that
//! occurs in it now links elsewhere (or no longer, or newly does).

use std::borrow::Cow;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::{Index, Target};
use crate::diag::SourceId;
use crate::hash::combine;
use crate::markdown::{self, Autolinker, BrokenRef, Heading, MentionKind, RenderOptions};
use crate::model::{Actor, Analysis, Author, Event, Model, Shared};
use crate::spool::{Place, Spool};
use crate::text::NameWords;

/// A rendered Markdown text, with what it refers to (by id, so that it stays
/// valid when entities are added or removed and indices shift).
#[derive(Debug, Default)]
pub(crate) struct Text {
    pub html: Html,
    pub html_hash: u64,
    /// Targets mentioned, in document order, one per target.
    pub mentions: Vec<(String, MentionKind)>,
    /// Every id written as `[[id]]` and every `@id` cited, resolved or not.
    pub refs: Vec<String>,
    /// The same, hashed as [`Env`] keys them: deciding what a rename
    /// renders again reads one slice per text, not every reference's
    /// string, scattered in memory, of 25,000 texts.
    pub ref_hashes: Box<[u64]>,
    /// Sources cited with `[@id]` and where (offsets in the text).
    pub citations: Vec<(String, std::ops::Range<usize>)>,
    pub broken: Vec<BrokenRef>,
    /// Ordinary links' destinations and byte ranges (for the `bad_link` check).
    pub links: Vec<(String, std::ops::Range<usize>)>,
    /// Images without alt text (for the `missing_alt` check).
    pub missing_alt: Vec<std::ops::Range<usize>>,
    pub headings: Vec<Heading>,
    pub words: usize,
    /// Distinct words, for the search index (`text::search_terms`).
    pub terms: String,
    /// The same words, to tell quickly that the text cannot contain a name.
    pub word_filter: crate::text::WordFilter,
}

/// Rendered HTML as a [`Text`] keeps it for the rest of the build (and,
/// in `serve`, for the next): a long text (an analysis body, 10–40 KB)
/// packed with LZ4, which takes it to about a quarter of its size; a
/// short one (a summary) as it is. `serve` puts the packed ones in the
/// spool its content's texts are in (half a gigabyte at N = 100,000).
#[derive(Debug)]
pub(crate) enum Html {
    Plain(String),
    Packed(Box<[u8]>),
    Spooled(Arc<Spool>, Place),
}

/// The length from which HTML is packed.
const PACK_FROM: usize = 2048;

impl Default for Html {
    fn default() -> Self {
        Html::Plain(String::new())
    }
}

impl Html {
    pub(crate) fn new(html: String) -> Html {
        if html.len() < PACK_FROM {
            return Html::Plain(html);
        }
        Html::Packed(lz4_flex::compress_prepend_size(html.as_bytes()).into_boxed_slice())
    }

    /// Packed HTML moved to `spool` (kept as it is if the spool cannot
    /// take it: a full disk).
    fn spool_to(self, spool: &Arc<Spool>) -> Html {
        match self {
            Html::Packed(bytes) => match spool.append(&bytes) {
                Ok(place) => Html::Spooled(Arc::clone(spool), place),
                Err(_) => Html::Packed(bytes),
            },
            html => html,
        }
    }

    /// The HTML (unpacked, if it was packed).
    pub(crate) fn get(&self) -> Cow<'_, str> {
        let unpack = |bytes: &[u8]| {
            // Packed from a `String` by this program: it unpacks to UTF-8.
            lz4_flex::decompress_size_prepended(bytes)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default()
        };
        match self {
            Html::Plain(html) => Cow::Borrowed(html),
            Html::Packed(bytes) => Cow::Owned(unpack(bytes)),
            Html::Spooled(spool, place) => {
                Cow::Owned(spool.read(*place).map(|b| unpack(&b)).unwrap_or_default())
            }
        }
    }
}

/// What links resolve to: every autolinked name and every id, as hashes of
/// what a rendering depends on (cheap to build and compare at every rebuild).
#[derive(Debug, Default)]
pub(crate) struct Env {
    autolink: bool,
    /// Root-relative links in every text go under it.
    base_path: String,
    /// Name or alias → hash of the URL it links to.
    names: HashMap<String, u64>,
    /// Hash of an id → hash of (URL, title).
    ids: HashMap<u64, u64>,
}

impl Env {
    pub(crate) fn new(
        autolink: bool,
        names: &[(String, Target, String)],
        index: &Index,
        model: &Model,
    ) -> Env {
        let targets = (0..model.actors.len())
            .map(Target::Actor)
            .chain((0..model.events.len()).map(Target::Event));
        let mut ids: HashMap<u64, u64> = targets.map(|t| Env::id(index, model, t)).collect();
        ids.extend(Env::sources(index, model));
        Env {
            autolink,
            base_path: index.base_path.clone(),
            names: names
                .iter()
                .map(|(n, _, url)| (n.clone(), combine(url)))
                .collect(),
            ids,
        }
    }

    /// An id's entry: what a link to it shows (URL and title).
    fn id(index: &Index, model: &Model, t: Target) -> (u64, u64) {
        let id = match t {
            Target::Actor(i) => &model.actors[i].id,
            Target::Event(i) => &model.events[i].id,
        };
        (combine(id), combine((index.url(t), index.title(t))))
    }

    /// A citation's note shows its source: `@id` → what the note shows.
    fn sources<'m>(index: &'m Index, model: &'m Model) -> impl Iterator<Item = (u64, u64)> + 'm {
        model.sources.iter().enumerate().map(|(i, s)| {
            let shown = (
                index.source_url(i),
                index.publisher(i),
                &s.title,
                s.published,
            );
            (combine(format!("@{}", s.id)), combine(shown))
        })
    }

    /// This environment after the fact sheets of `changed` changed and no
    /// entity moved: their ids and every source's entry looked at again,
    /// and the names in `names` set to what they link to now (None: no
    /// longer linked). What it changes, as [`Staleness`].
    pub(crate) fn patch(
        &mut self,
        index: &Index,
        model: &Model,
        changed: &[Target],
        names: &[(String, Option<&str>)],
    ) -> Staleness {
        let mut ids = HashSet::default();
        let entries = changed.iter().map(|&t| Env::id(index, model, t));
        for (k, v) in entries.chain(Env::sources(index, model)) {
            if self.ids.insert(k, v) != Some(v) {
                ids.insert(k);
            }
        }
        let mut moved = Vec::new();
        for (name, url) in names {
            let now = url.map(combine);
            let was = match now {
                Some(v) => self.names.insert(name.clone(), v),
                None => self.names.remove(name),
            };
            if was != now {
                moved.push(name.clone());
            }
        }
        Staleness::of(ids, moved)
    }

    /// Whether this environment is the one texts under `base_path` with
    /// names linking (`autolink`) are rendered in.
    pub(crate) fn is_for(&self, autolink: bool, base_path: &str) -> bool {
        self.autolink == autolink && self.base_path == base_path
    }
}

/// Which cached texts the change from one environment to the next reaches.
pub(crate) enum Staleness {
    /// No previous environment, or autolinking was switched: render everything.
    All,
    Some {
        /// Hashes of ids that resolve differently.
        ids: HashSet<u64>,
        /// Names added, removed or retargeted: a searcher, and each
        /// name's words (a text without them all cannot hold it).
        names: Option<(AhoCorasick, Vec<NameWords>)>,
        /// Those names.
        changed: Vec<String>,
    },
}

impl Staleness {
    /// Whether it reaches no text.
    fn reaches_none(&self) -> bool {
        matches!(self, Staleness::Some { ids, names: None, .. } if ids.is_empty())
    }

    /// Nothing texts link to changed.
    pub(crate) fn none() -> Staleness {
        Staleness::Some {
            ids: HashSet::default(),
            names: None,
            changed: Vec::new(),
        }
    }

    /// The names added, removed or linking elsewhere since the last
    /// environment (None: everything may have changed).
    pub(crate) fn changed_names(&self) -> Option<&[String]> {
        match self {
            Staleness::All => None,
            Staleness::Some { changed, .. } => Some(changed),
        }
    }

    pub(crate) fn between(old: Option<&Env>, new: &Env) -> Staleness {
        let Some(old) = old.filter(|o| o.autolink == new.autolink && o.base_path == new.base_path)
        else {
            return Staleness::All;
        };
        let ids = changed_keys(&old.ids, &new.ids);
        let names: Vec<String> = changed_keys(&old.names, &new.names).into_iter().collect();
        Staleness::of(ids, names)
    }

    /// Texts that link these ids, or may hold these names, are stale.
    fn of(ids: HashSet<u64>, names: Vec<String>) -> Staleness {
        let searcher = if names.is_empty() {
            None
        } else {
            match AhoCorasick::new(&names) {
                Ok(m) => Some((m, names.iter().map(|n| NameWords::of(n)).collect())),
                Err(_) => return Staleness::All,
            }
        };
        Staleness::Some {
            ids,
            names: searcher,
            changed: names,
        }
    }

    /// Whether a cached rendering of `text` may differ from a fresh one.
    pub(crate) fn reaches<'t>(&self, cached: &Text, text: impl FnOnce() -> Cow<'t, str>) -> bool {
        match self {
            Staleness::All => true,
            Staleness::Some { ids, names, .. } => {
                (!ids.is_empty() && cached.ref_hashes.iter().any(|h| ids.contains(h)))
                    || names.as_ref().is_some_and(|(m, words)| {
                        words
                            .iter()
                            .any(|w| cached.word_filter.may_contain(w) && w.all_in(&cached.terms))
                            && m.is_match(text().as_ref())
                    })
            }
        }
    }
}

fn changed_keys<K: Hash + Eq + Clone, V: PartialEq>(
    old: &HashMap<K, V>,
    new: &HashMap<K, V>,
) -> HashSet<K> {
    let mut out: HashSet<K> = old
        .iter()
        .filter(|(k, v)| new.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(new.keys().filter(|k| !old.contains_key(*k)).cloned());
    out
}

/// Rendered texts of the last build, by source file.
#[derive(Debug, Default)]
pub(super) struct TextCache {
    entries: HashMap<(SourceId, TextKind), (u64, Arc<Text>)>,
    /// The model's lists the last build rendered from, and their texts: a
    /// build that changes nothing texts link to takes the texts of the
    /// last build and renders those of the entities that are not the very
    /// ones of the last build in their places, without looking at the
    /// others (at N = 100,000 a lookup of each of 250,000 entities' texts
    /// took 18 ms of an edit, and handing each on 12 ms more).
    last: Option<Last>,
}

#[derive(Debug)]
struct Last {
    analyses: Shared<Arc<Analysis>>,
    actors: Shared<Arc<Actor>>,
    events: Shared<Arc<Event>>,
    authors: Shared<Arc<Author>>,
    texts: Texts,
}

/// The texts of a build, list by list, in the model's order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Texts {
    /// The places of the analyses that are not the very ones of the last
    /// build, when their bodies were taken from it (the others' bodies
    /// are the last build's); None when every body was looked up.
    pub changed_bodies: Option<Arc<Vec<usize>>>,
    /// Analyses' bodies (every analysis has one).
    pub bodies: ListTexts,
    /// Actors' summaries.
    pub actors: ListTexts,
    /// Events' summaries.
    pub events: ListTexts,
    /// Authors' bios.
    pub authors: ListTexts,
}

/// The texts of one list of the model: each entity's (None for one
/// without), shared with the next build, which changes them in place.
#[derive(Debug, Default, Clone)]
pub(crate) struct ListTexts {
    pub texts: Shared<Option<Arc<Text>>>,
    /// The places whose text names an id that is not known, in order (so
    /// that reporting them reads no other text).
    pub broken: Vec<usize>,
    /// The places whose text has an image without alt text, in order (for
    /// the `missing_alt` check, which `serve` runs before each build's
    /// pages).
    pub no_alt: Vec<usize>,
}

/// Keeps the ordered `places` holding `i` exactly when `has`.
fn mark(places: &mut Vec<usize>, i: usize, has: bool) {
    match (places.binary_search(&i), has) {
        (Ok(k), false) => {
            places.remove(k);
        }
        (Err(k), true) => places.insert(k, i),
        _ => {}
    }
}

impl ListTexts {
    /// The text at place `i`, if that entity has one.
    pub(crate) fn get(&self, i: usize) -> Option<&Arc<Text>> {
        self.texts.get(i).and_then(Option::as_ref)
    }

    /// How many entities have a text.
    fn count(&self) -> usize {
        self.texts.iter().filter(|t| t.is_some()).count()
    }
}

/// Texts rendered now, to cache once all are done.
type Fresh = Mutex<Vec<(SourceId, TextKind, u64, Arc<Text>)>>;

/// Each entity's text, in `list`'s order: with `last` (the list and texts
/// of the last build, when nothing texts link to changed), those texts,
/// with the texts of the entities that are not the very ones of the last
/// build in their places made anew (by their jobs), and those places;
/// else each one's job's (None for an entity without a text).
fn texts_of<'m, E: Sync + Send>(
    list: &'m Shared<Arc<E>>,
    last: Option<(Shared<Arc<E>>, ListTexts)>,
    job: impl Fn(usize, &'m E) -> Option<TextJob<'m>> + Sync,
    one: &(impl Fn(&TextJob<'m>) -> (Arc<Text>, bool) + Sync),
    fresh: &Fresh,
) -> (ListTexts, Option<Vec<usize>>) {
    let make = |i: usize| -> Option<Arc<Text>> {
        let job = job(i, &list[i])?;
        let (text, new) = one(&job);
        if new {
            let mut fresh = fresh.lock().unwrap_or_else(|e| e.into_inner());
            fresh.push((job.source, job.role, job.version, Arc::clone(&text)));
        }
        Some(text)
    };
    let broken = |t: &Option<Arc<Text>>| t.as_ref().is_some_and(|t| !t.broken.is_empty());
    let no_alt = |t: &Option<Arc<Text>>| t.as_ref().is_some_and(|t| !t.missing_alt.is_empty());
    if let Some((old, mut was)) = last
        && old.len() == list.len()
        && was.texts.len() == list.len()
    {
        // Two lists of handles compared: no entity and no text is read.
        let changed: Vec<usize> = (0..list.len())
            .into_par_iter()
            .filter(|&i| !Arc::ptr_eq(&old[i], &list[i]))
            .collect();
        if changed.is_empty() {
            return (was, Some(changed));
        }
        let made: Vec<(usize, Option<Arc<Text>>)> =
            changed.par_iter().map(|&i| (i, make(i))).collect();
        // (Copied first only if the last build's site still holds them.)
        let texts = was.texts.make_mut();
        for (i, text) in made {
            mark(&mut was.broken, i, broken(&text));
            mark(&mut was.no_alt, i, no_alt(&text));
            texts[i] = text;
        }
        return (was, Some(changed));
    }
    let texts: Vec<Option<Arc<Text>>> = (0..list.len()).into_par_iter().map(make).collect();
    let made = ListTexts {
        broken: (0..texts.len()).filter(|&i| broken(&texts[i])).collect(),
        no_alt: (0..texts.len()).filter(|&i| no_alt(&texts[i])).collect(),
        texts: texts.into(),
    };
    (made, None)
}

/// Which text of a file: an analysis body or a fact sheet's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum TextKind {
    Body,
    Summary,
}

impl TextCache {
    pub(crate) fn get(&self, source: SourceId, role: TextKind, version: u64) -> Option<&Arc<Text>> {
        self.entries
            .get(&(source, role))
            .filter(|(v, _)| *v == version)
            .map(|(_, t)| t)
    }

    pub(crate) fn insert(
        &mut self,
        source: SourceId,
        role: TextKind,
        version: u64,
        text: Arc<Text>,
    ) {
        self.entries.insert((source, role), (version, text));
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Forgets texts of files that are gone.
    pub(crate) fn retain(&mut self, live: &HashSet<(SourceId, TextKind)>) {
        self.entries.retain(|k, _| live.contains(k));
    }
}

/// A text to render (or take from the cache).
pub(super) struct TextJob<'a> {
    pub source: SourceId,
    pub role: TextKind,
    pub version: u64,
    /// Its Markdown: a fact sheet's text, or where an analysis's body lies
    /// in its file (read only if the text is rendered or searched: reading
    /// the bodies of 10,000 analyses to reuse them took a millisecond).
    pub text: MarkdownAt<'a>,
    /// The entity whose page shows it.
    pub own: Option<Target>,
}

/// Where a text's Markdown is.
pub(super) enum MarkdownAt<'a> {
    Text(&'a str),
    /// A range of the job's source file.
    Body(std::ops::Range<usize>),
}

impl<'a> TextJob<'a> {
    fn markdown(&self, sources: &'a crate::diag::Sources) -> Cow<'a, str> {
        match &self.text {
            MarkdownAt::Text(t) => Cow::Borrowed(t),
            MarkdownAt::Body(range) => sources.text_in(self.source, range.clone()),
        }
    }

    pub(crate) fn summary(source: SourceId, m: &'a crate::model::Markdown, own: Target) -> Self {
        TextJob {
            source,
            role: TextKind::Summary,
            version: m.version,
            text: MarkdownAt::Text(&m.text),
            own: Some(own),
        }
    }
}

/// Renders every text: analysis bodies, actor and event summaries and
/// authors' bios, each list in the model's order. A cached text is reused
/// unless `staleness` reaches it.
pub(super) fn render_all(
    model: &Model,
    sources: &crate::diag::Sources,
    index: &Index,
    autolinker: Option<&Autolinker<Target>>,
    staleness: &Staleness,
    cache: &mut TextCache,
) -> Texts {
    let last = cache.last.take().filter(|_| staleness.reaches_none());
    let (mut la, mut lc, mut le, mut lu) = (None, None, None, None);
    if let Some(l) = last {
        la = Some((l.analyses, l.texts.bodies));
        lc = Some((l.actors, l.texts.actors));
        le = Some((l.events, l.texts.events));
        lu = Some((l.authors, l.texts.authors));
    }
    // Each text: from the cache unless `staleness` reaches it, else
    // rendered (and cached after).
    let one = |job: &TextJob<'_>| match cache.get(job.source, job.role, job.version) {
        Some(t) if !staleness.reaches(t, || job.markdown(sources)) => (Arc::clone(t), false),
        _ => {
            let mut text = render(
                &job.markdown(sources),
                index,
                model,
                autolinker,
                job.role == TextKind::Body,
                job.own,
            );
            // Beside the texts it was rendered from, where they are
            // spooled (`serve`).
            if let Some(spool) = sources.spool() {
                text.html = std::mem::take(&mut text.html).spool_to(spool);
            }
            (Arc::new(text), true)
        }
    };
    let fresh = Fresh::default();
    let (bodies, changed_bodies) = texts_of(
        &model.analyses,
        la,
        |_, a| {
            Some(TextJob {
                source: a.source,
                role: TextKind::Body,
                version: a.version,
                text: MarkdownAt::Body(a.body.clone()),
                own: None,
            })
        },
        &one,
        &fresh,
    );
    let (actors, _) = texts_of(
        &model.actors,
        lc,
        |i, a| {
            Some(TextJob::summary(
                a.source,
                a.summary.as_ref()?,
                Target::Actor(i),
            ))
        },
        &one,
        &fresh,
    );
    let (events, _) = texts_of(
        &model.events,
        le,
        |i, e| {
            Some(TextJob::summary(
                e.source,
                e.summary.as_ref()?,
                Target::Event(i),
            ))
        },
        &one,
        &fresh,
    );
    let (authors, _) = texts_of(
        &model.authors,
        lu,
        |_, a| {
            Some(TextJob {
                own: None,
                ..TextJob::summary(a.source, a.bio.as_ref()?, Target::Actor(0))
            })
        },
        &one,
        &fresh,
    );
    for (source, role, version, text) in fresh.into_inner().unwrap_or_else(|e| e.into_inner()) {
        cache.insert(source, role, version, text);
    }
    let texts = Texts {
        changed_bodies: changed_bodies.map(Arc::new),
        bodies,
        actors,
        events,
        authors,
    };
    let count = [&texts.bodies, &texts.actors, &texts.events, &texts.authors]
        .iter()
        .map(|l| l.count())
        .sum::<usize>();
    if cache.len() > count {
        let live: HashSet<(SourceId, TextKind)> = jobs_keys(model).collect();
        cache.retain(&live);
    }
    cache.last = Some(Last {
        analyses: model.analyses.clone(),
        actors: model.actors.clone(),
        events: model.events.clone(),
        authors: model.authors.clone(),
        // (What changed is this build's news, not the next one's.)
        texts: Texts {
            changed_bodies: None,
            ..texts.clone()
        },
    });
    texts
}

/// The cache's keys of the texts [`render_all`] renders, in its order.
fn jobs_keys(model: &Model) -> impl Iterator<Item = (SourceId, TextKind)> + '_ {
    let summary = TextKind::Summary;
    model
        .analyses
        .iter()
        .map(|a| (a.source, TextKind::Body))
        .chain(
            model
                .actors
                .iter()
                .filter(|a| a.summary.is_some())
                .map(move |a| (a.source, summary)),
        )
        .chain(
            model
                .events
                .iter()
                .filter(|e| e.summary.is_some())
                .map(move |e| (e.source, summary)),
        )
        .chain(
            model
                .authors
                .iter()
                .filter(|a| a.bio.is_some())
                .map(move |a| (a.source, summary)),
        )
}

/// A one-paragraph rendering without its `<p>`: a sentence to put inline
/// (a relation's note, a correction).
pub(crate) fn inline(html: &str) -> String {
    let html = html.trim();
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .filter(|h| !h.contains("<p>"))
        .unwrap_or(html)
        .to_string()
}

/// Renders one text. `own` is the entity whose page shows it (never linked
/// to itself).
pub(crate) fn render(
    text: &str,
    index: &Index,
    model: &Model,
    autolinker: Option<&Autolinker<Target>>,
    body: bool,
    own: Option<Target>,
) -> Text {
    // Analysis bodies may hold raw HTML and citations; fact sheets' texts
    // neither.
    let opts = RenderOptions {
        autolinker,
        raw_html: body,
        own,
        base_path: &index.base_path,
        cite: body,
    };
    let r = markdown::render(text, index, &opts);
    let id_of = |t: Target| match t {
        Target::Actor(i) => model.actors[i].id.clone(),
        Target::Event(i) => model.events[i].id.clone(),
    };
    let (terms, word_filter) = crate::text::html_terms(&r.html);
    Text {
        html_hash: crate::hash::version(&r.html),
        html: Html::new(r.html),
        mentions: r.mentions.into_iter().map(|(t, k)| (id_of(t), k)).collect(),
        ref_hashes: r.refs.iter().map(combine).collect(),
        refs: r.refs,
        citations: r.citations,
        broken: r.broken,
        links: r.links,
        missing_alt: r.missing_alt,
        headings: r.headings,
        words: r.words,
        terms,
        word_filter,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_html_is_packed_and_unpacks_to_itself() {
        let long: String = (0..400)
            .map(|k| format!("<p>Абзац {k}: «{}»</p>\n", "x".repeat(k % 7)))
            .collect();
        let packed = Html::new(long.clone());
        assert!(matches!(&packed, Html::Packed(b) if b.len() < long.len() / 2));
        assert_eq!(packed.get(), long);
        // `serve`'s: in a spool, read back whole.
        if let Some(spool) = Spool::new().map(Arc::new) {
            spool.append(b"before").unwrap();
            let spooled = packed.spool_to(&spool);
            assert!(matches!(&spooled, Html::Spooled(_, p) if p.at == 6));
            assert_eq!(spooled.get(), long);
        }
        let short = Html::new("<p>A summary.</p>".into());
        assert!(matches!(short, Html::Plain(_)));
        assert_eq!(short.get(), "<p>A summary.</p>");
    }
}
