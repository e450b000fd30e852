//! Load: walk `content/`, read every file (in parallel), split front matter
//! and parse the YAML into raw structs that keep positions. Nothing is
//! validated here beyond syntax; the model stage does that.

pub(crate) mod frontmatter;
pub(crate) mod raw;
pub(crate) mod serde_errors;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Diagnostics, SourceFile, SourceId, Sources, Span, display_path};
use frontmatter::Split;
pub(crate) use raw::{
    RawActor, RawActorText, RawAnalysis, RawAuthor, RawAuthorText, RawEvent, RawEventText,
    RawSource, RawSourceText, RawTranslation, Sp,
};

/// A parsed file: its source, the id its name gives, and where its YAML starts.
#[derive(Debug)]
pub(crate) struct Doc<T> {
    pub source: SourceId,
    /// File stem: the id of an actor or event, the default slug of an analysis.
    /// For a translation, the original's (`tokayev` for `tokayev.ru.yaml`).
    pub stem: String,
    /// The language of a translation (`ru`), None for an original.
    pub lang: Option<String>,
    /// Byte offset of the YAML in the file, to turn YAML spans into file spans.
    pub yaml_offset: usize,
    /// Hash of the file's path and text: equal versions, equal documents.
    pub version: u64,
    pub raw: T,
    /// Whether `raw` was let go of ([`LoadCache::hollow`]): the model
    /// stage keeps this document's conversion, and never converts it again.
    pub hollow: bool,
}

impl<T: Default> Doc<T> {
    /// This document without what was parsed: its place and version.
    fn hollowed(&self) -> Doc<T> {
        Doc {
            source: self.source,
            stem: self.stem.clone(),
            lang: self.lang.clone(),
            yaml_offset: self.yaml_offset,
            version: self.version,
            raw: T::default(),
            hollow: true,
        }
    }
}

impl<T> Doc<T> {
    /// The file span of a value parsed from this document's YAML.
    pub(crate) fn span<V>(&self, v: &Sp<V>) -> Span {
        Span::new(self.source, self.range(v))
    }

    pub(crate) fn range<V>(&self, v: &Sp<V>) -> Range<usize> {
        let s = v.referenced.span();
        let start = s.byte_offset().unwrap_or(0) as usize;
        let len = s.byte_len().unwrap_or(0) as usize;
        self.yaml_offset + start..self.yaml_offset + start + len
    }

    /// The whole file, for problems without a better place.
    pub(crate) fn file_span(&self) -> Span {
        Span::new(self.source, self.yaml_offset..self.yaml_offset)
    }
}

/// An analysis: front matter plus the byte range of its Markdown body.
#[derive(Debug, Default)]
pub(crate) struct AnalysisDoc {
    pub front: RawAnalysis,
    pub body: Range<usize>,
    /// The opening `---`, where "missing key" diagnostics point.
    pub fence: Range<usize>,
}

/// Everything under `content/`, parsed, in path order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Content {
    pub analyses: Vec<Arc<Doc<AnalysisDoc>>>,
    pub actors: Vec<Arc<Doc<RawActor>>>,
    pub events: Vec<Arc<Doc<RawEvent>>>,
    pub sources: Vec<Arc<Doc<RawSource>>>,
    pub authors: Vec<Arc<Doc<RawAuthor>>>,
    /// File stems of actor and event fact sheets that could not be parsed.
    pub failed_stems: Vec<String>,
    /// File stems of source files that could not be parsed.
    pub failed_sources: Vec<String>,
    /// File stems of author files that could not be parsed.
    pub failed_authors: Vec<String>,
    /// Translations: of analyses, and the text of fact sheets.
    pub translations: Translations,
    /// One more at each load of the same cache.
    pub generation: u64,
    /// What changed since the content of the generation before, when only
    /// documents of the five main lists were edited (the same files, in
    /// the same places): each list's edited places. None: anything may
    /// have changed.
    pub edited: Option<Edited>,
}

/// The places of the documents edited since the last generation, by list.
#[derive(Debug, Default, Clone)]
pub(crate) struct Edited {
    pub analyses: Vec<usize>,
    pub actors: Vec<usize>,
    pub events: Vec<usize>,
    pub sources: Vec<usize>,
    pub authors: Vec<usize>,
}

impl Edited {
    /// Files `item`'s place `at` under its list; false for a document of
    /// another list (a translation).
    fn add(&mut self, item: &Item, at: usize) -> bool {
        let list = match item {
            Item::Analysis(_) => &mut self.analyses,
            Item::Actor(_) => &mut self.actors,
            Item::Event(_) => &mut self.events,
            Item::Source(_) => &mut self.sources,
            Item::Author(_) => &mut self.authors,
            _ => return false,
        };
        list.push(at);
        true
    }
}

/// Files in another language than the site's: `x.ru.md`, `tokayev.ru.yaml`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Translations {
    pub analyses: Vec<Arc<Doc<TranslationDoc>>>,
    pub actors: Vec<Arc<Doc<RawActorText>>>,
    pub events: Vec<Arc<Doc<RawEventText>>>,
    pub sources: Vec<Arc<Doc<RawSourceText>>>,
    pub authors: Vec<Arc<Doc<RawAuthorText>>>,
}

/// A translated analysis: its front matter and body.
#[derive(Debug, Default)]
pub(crate) struct TranslationDoc {
    pub front: RawTranslation,
    pub body: Range<usize>,
    pub fence: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Analysis,
    Actor,
    Event,
    Source,
    Author,
}

pub(crate) const CONTENT_DIR: &str = "content";

const SECTIONS_HINT: &str = "content goes in content/analyses/, content/actors/, content/events/, content/sources/ or content/authors/";

/// What changed since the last build: everything, or these paths.
#[derive(Debug, Clone)]
pub enum Changes {
    All,
    Paths(Vec<PathBuf>),
}

/// What one file of `content/` gave, kept between builds so that `serve`
/// re-reads and re-parses only the files that changed.
#[derive(Debug)]
struct Entry {
    item: Item,
    diags: Vec<Diagnostic>,
    /// Where its document is in its list of [`Content`].
    place: usize,
}

impl Entry {
    fn new(item: Item, diags: Vec<Diagnostic>) -> Entry {
        Entry {
            item,
            diags,
            place: 0,
        }
    }
}

#[derive(Debug, Clone)]
enum Item {
    Analysis(Arc<Doc<AnalysisDoc>>),
    Actor(Arc<Doc<RawActor>>),
    Event(Arc<Doc<RawEvent>>),
    Source(Arc<Doc<RawSource>>),
    Author(Arc<Doc<RawAuthor>>),
    AnalysisText(Arc<Doc<TranslationDoc>>),
    ActorText(Arc<Doc<RawActorText>>),
    EventText(Arc<Doc<RawEventText>>),
    SourceText(Arc<Doc<RawSourceText>>),
    AuthorText(Arc<Doc<RawAuthorText>>),
    /// A fact sheet that could not be read or parsed: its kind and stem.
    Failed(Kind, String),
    /// Not content (a warning says why), or an analysis that failed.
    Nothing,
}

impl Item {
    /// Whether both are documents of one kind (which have a place in the
    /// content's lists).
    fn same_kind(&self, other: &Item) -> bool {
        !matches!(self, Item::Failed(..) | Item::Nothing)
            && std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// The parsed files of the last build, by path.
#[derive(Debug, Default)]
pub(crate) struct LoadCache {
    files: BTreeMap<PathBuf, Entry>,
    /// Set once a full scan has been done.
    scanned: bool,
    /// Files read since the last [`LoadCache::hollow`] (None: all of them).
    unhollowed: Option<Vec<PathBuf>>,
    /// The content the files gave the last build. A rebuild in which
    /// every file read again gives a document of the same kind as before
    /// (an edit, not a file added, removed or broken) puts the new
    /// documents in their places: gathering 250,000 documents again took
    /// 8 ms of each edit at N = 100,000.
    content: Option<Arc<Content>>,
    /// The files whose entries have diagnostics, in path order.
    with_diags: std::collections::BTreeSet<PathBuf>,
    /// How many times content was loaded.
    generation: u64,
}

impl LoadCache {
    /// Lets go of what was parsed from each file read since the last
    /// call, keeping its place and version. For `serve`, once the model
    /// stage has converted them: it keeps every document's conversion by
    /// version, so an unchanged file's parse is not needed again (at N =
    /// 10,000 the parsed documents were 91 MB of a preview's heap), and a
    /// changed file is read and parsed anew.
    pub(crate) fn hollow(&mut self) {
        fn hollowed<T: Default>(d: &Arc<Doc<T>>) -> Option<Arc<Doc<T>>> {
            (!d.hollow).then(|| Arc::new(d.hollowed()))
        }
        let mut one = |entry: &mut Entry| {
            let item = match &entry.item {
                Item::Analysis(d) => hollowed(d).map(Item::Analysis),
                Item::Actor(d) => hollowed(d).map(Item::Actor),
                Item::Event(d) => hollowed(d).map(Item::Event),
                Item::Source(d) => hollowed(d).map(Item::Source),
                Item::Author(d) => hollowed(d).map(Item::Author),
                Item::AnalysisText(d) => hollowed(d).map(Item::AnalysisText),
                Item::ActorText(d) => hollowed(d).map(Item::ActorText),
                Item::EventText(d) => hollowed(d).map(Item::EventText),
                Item::SourceText(d) => hollowed(d).map(Item::SourceText),
                Item::AuthorText(d) => hollowed(d).map(Item::AuthorText),
                Item::Failed(..) | Item::Nothing => None,
            };
            if let Some(item) = item {
                entry.item = item;
            }
        };
        match self.unhollowed.take() {
            None => {
                self.files.values_mut().for_each(&mut one);
                self.content = None;
            }
            Some(paths) => {
                // The kept content holds the hollowed documents too (the
                // build that read them has let go of its own by now).
                let mut content = self.content.as_mut().map(Arc::make_mut);
                let mut kept = true;
                for p in paths {
                    if let Some(entry) = self.files.get_mut(&p) {
                        one(entry);
                        if let Some(c) = content.as_deref_mut() {
                            kept &= c.set(&entry.item, entry.place);
                        }
                    }
                }
                if !kept {
                    self.content = None;
                }
            }
        }
        self.unhollowed = Some(Vec::new());
    }
}

/// Reads `root/content` and parses every analysis, actor and event. With
/// `Changes::Paths`, only those paths are read again; everything else comes
/// from `cache`.
pub(crate) fn load(
    root: &Path,
    sources: &mut Sources,
    cache: &mut LoadCache,
    changes: &Changes,
    diags: &mut Diagnostics,
) -> Arc<Content> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(format!("no {CONTENT_DIR}/ folder in {}", root.display()))
                .hint("create content/analyses/, content/actors/ and content/events/, or start from `dossier init DIR`"),
        );
        cache.files.clear();
        cache.scanned = false;
        cache.content = None;
        return Arc::default();
    }
    // The files read again, when each gave a document of the kind it gave
    // before (None: the content is gathered anew).
    let mut edited: Option<Vec<PathBuf>> = cache.content.as_ref().map(|_| Vec::new());
    match changes {
        Changes::Paths(paths) if cache.scanned && paths.iter().all(|p| !p.is_dir()) => {
            let mut targets = Vec::new();
            for p in paths {
                if !p.starts_with(&content) {
                    continue;
                }
                match p.symlink_metadata() {
                    Ok(meta) => {
                        let link = meta.file_type().is_symlink();
                        targets.push((p.clone(), classify(root, &content, p, link)));
                    }
                    Err(_) => {
                        cache.files.remove(p);
                        cache.with_diags.remove(p);
                        edited = None;
                    }
                }
            }
            for (path, mut entry) in read_all(root, sources, targets) {
                if let Some(fresh) = &mut cache.unhollowed {
                    fresh.push(path.clone());
                }
                match cache.files.get(&path) {
                    Some(old) if old.item.same_kind(&entry.item) => entry.place = old.place,
                    _ => edited = None,
                }
                match entry.diags.is_empty() {
                    true => cache.with_diags.remove(&path),
                    false => cache.with_diags.insert(path.clone()),
                };
                if let Some(edited) = &mut edited {
                    edited.push(path.clone());
                }
                cache.files.insert(path, entry);
            }
        }
        _ => {
            // Every file is read again: the cache becomes what was found
            // (built at once from the walk's order, which is the paths').
            let found = discover(root, &content, diags);
            cache.files = read_all(root, sources, found).into_iter().collect();
            cache.scanned = true;
            cache.unhollowed = None;
            edited = None;
        }
    }
    cache.generation += 1;
    if let (Some(edited), Some(kept)) = (edited, &mut cache.content) {
        let out = Arc::make_mut(kept);
        let mut placed = true;
        let mut places = Some(Edited::default());
        for path in &edited {
            let entry = &cache.files[path];
            placed &= out.set(&entry.item, entry.place);
            if let Some(p) = &mut places
                && !p.add(&entry.item, entry.place)
            {
                places = None;
            }
        }
        out.generation = cache.generation;
        out.edited = places;
        if placed {
            for path in &cache.with_diags {
                diags.extend(cache.files[path].diags.iter().cloned());
            }
            return Arc::clone(kept);
        }
    }
    let mut out = Content {
        generation: cache.generation,
        ..Content::default()
    };
    cache.with_diags.clear();
    for (path, entry) in &mut cache.files {
        if !entry.diags.is_empty() {
            diags.extend(entry.diags.iter().cloned());
            cache.with_diags.insert(path.clone());
        }
        entry.place = out.add(&entry.item);
    }
    let out = Arc::new(out);
    cache.content = Some(Arc::clone(&out));
    out
}

/// What a path under `content/` is.
#[derive(Debug)]
enum Found {
    File(Kind),
    /// Not loaded; the diagnostic says why (a stray file, a bad symlink).
    Skip(Diagnostic),
    /// Not content, silently (editor files, symlinks to folders).
    Ignore,
}

/// Reads and parses files in parallel; registers their text in `sources`.
fn read_all(
    root: &Path,
    sources: &mut Sources,
    targets: Vec<(PathBuf, Found)>,
) -> Vec<(PathBuf, Entry)> {
    // Reading, decoding, hashing and indexing lines run in parallel; only
    // handing the files their ids is done in order.
    let read: Vec<_> = targets
        .into_par_iter()
        .map(|(path, found)| {
            let read = match &found {
                Found::File(_) => Some(std::fs::read(&path).map(|bytes| {
                    let display = display_path(root, &path);
                    let (text, bad) = decode(bytes);
                    let version = version_of(&display, &text);
                    let file = SourceFile::new(display, Some(path.clone()), text);
                    (file, bad, version)
                })),
                Found::Skip(_) | Found::Ignore => None,
            };
            (path, found, read)
        })
        .collect();
    let mut parse_jobs = Vec::new();
    let mut done = Vec::new();
    for (path, found, read) in read {
        let kind = match found {
            Found::Skip(d) => {
                done.push((path, Entry::new(Item::Nothing, vec![d])));
                continue;
            }
            Found::Ignore => {
                done.push((path, Entry::new(Item::Nothing, Vec::new())));
                continue;
            }
            Found::File(kind) => kind,
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (stem, lang) = split_language(&stem);
        let failed = || {
            if kind == Kind::Analysis || lang.is_some() {
                Item::Nothing
            } else {
                Item::Failed(kind, stem.clone())
            }
        };
        match read {
            Some(Ok((file, bad, version))) => {
                let id = sources.add_file(file);
                match bad {
                    Some(offset) => {
                        done.push((path, Entry::new(failed(), vec![not_utf8(id, offset)])));
                    }
                    None => parse_jobs.push((path, kind, id, stem, lang, version)),
                }
            }
            Some(Err(e)) => {
                let display = display_path(root, &path);
                let d = Diagnostic::error(format!("cannot read {display}: {e}"));
                done.push((path, Entry::new(failed(), vec![d])));
            }
            None => {}
        }
    }
    let sources = &*sources;
    let parsed: Vec<(PathBuf, Entry)> = parse_jobs
        .into_par_iter()
        .map(|(path, kind, source, stem, lang, version)| {
            let mut local = Vec::new();
            let item = match lang {
                None => parse(
                    kind,
                    source,
                    stem,
                    version,
                    &sources.text(source),
                    &mut local,
                ),
                Some(lang) => parse_translation(
                    kind,
                    source,
                    stem,
                    lang,
                    version,
                    &sources.text(source),
                    &mut local,
                ),
            };
            (path, Entry::new(item, local))
        })
        .collect();
    done.extend(parsed);
    done
}

/// Parses one file's text as a document of `kind` (`analysis`, `actor` or
/// `event`) without touching the filesystem: for fuzzing and property tests.
pub(crate) fn parse_single(
    kind: &str,
    source: SourceId,
    stem: &str,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Content {
    let kind = match kind {
        "analysis" => Kind::Analysis,
        "actor" => Kind::Actor,
        "source" => Kind::Source,
        "author" => Kind::Author,
        _ => Kind::Event,
    };
    let mut out = Content::default();
    let version = version_of(stem, text);
    let item = match split_language(stem) {
        (stem, None) => parse(kind, source, stem, version, text, diags),
        (stem, Some(lang)) => parse_translation(kind, source, stem, lang, version, text, diags),
    };
    out.add(&item);
    out
}

impl Content {
    /// Files the item in its list; returns where.
    fn add(&mut self, item: &Item) -> usize {
        fn push<T>(list: &mut Vec<T>, x: T) -> usize {
            list.push(x);
            list.len() - 1
        }
        let t = &mut self.translations;
        match item {
            Item::Analysis(d) => push(&mut self.analyses, Arc::clone(d)),
            Item::Actor(d) => push(&mut self.actors, Arc::clone(d)),
            Item::Event(d) => push(&mut self.events, Arc::clone(d)),
            Item::Source(d) => push(&mut self.sources, Arc::clone(d)),
            Item::Author(d) => push(&mut self.authors, Arc::clone(d)),
            Item::AnalysisText(d) => push(&mut t.analyses, Arc::clone(d)),
            Item::ActorText(d) => push(&mut t.actors, Arc::clone(d)),
            Item::EventText(d) => push(&mut t.events, Arc::clone(d)),
            Item::SourceText(d) => push(&mut t.sources, Arc::clone(d)),
            Item::AuthorText(d) => push(&mut t.authors, Arc::clone(d)),
            Item::Failed(Kind::Source, stem) => push(&mut self.failed_sources, stem.clone()),
            Item::Failed(Kind::Author, stem) => push(&mut self.failed_authors, stem.clone()),
            Item::Failed(_, stem) => push(&mut self.failed_stems, stem.clone()),
            Item::Nothing => 0,
        }
    }

    /// Puts a document in the place `at` of its list, where one of its kind
    /// was; false if it has no place there (nothing was changed then).
    fn set(&mut self, item: &Item, at: usize) -> bool {
        fn put<T>(list: &mut [Arc<T>], at: usize, d: &Arc<T>) -> bool {
            match list.get_mut(at) {
                Some(slot) => {
                    *slot = Arc::clone(d);
                    true
                }
                None => false,
            }
        }
        let t = &mut self.translations;
        match item {
            Item::Analysis(d) => put(&mut self.analyses, at, d),
            Item::Actor(d) => put(&mut self.actors, at, d),
            Item::Event(d) => put(&mut self.events, at, d),
            Item::Source(d) => put(&mut self.sources, at, d),
            Item::Author(d) => put(&mut self.authors, at, d),
            Item::AnalysisText(d) => put(&mut t.analyses, at, d),
            Item::ActorText(d) => put(&mut t.actors, at, d),
            Item::EventText(d) => put(&mut t.events, at, d),
            Item::SourceText(d) => put(&mut t.sources, at, d),
            Item::AuthorText(d) => put(&mut t.authors, at, d),
            Item::Failed(..) | Item::Nothing => false,
        }
    }
}

/// A Markdown file whose front matter is missing or never closed: `what`
/// names the file, `keys` what its front matter starts with.
fn front_matter_problem(split: Split, source: SourceId, what: &str, keys: &str) -> Diagnostic {
    match split {
        Split::Unclosed { open } => Diagnostic::error("the front matter is never closed")
            .at(Span::new(source, open))
            .label("opened here")
            .hint("add a line with only `---` after the last front-matter key"),
        _ => Diagnostic::error(format!("{what} has no front matter"))
            .at(Span::new(source, 0..0))
            .hint(format!(
                "start the file with a `---` line, then {keys}, then another `---` line"
            )),
    }
}

/// A file's version: its display path and text.
fn version_of(display: &str, text: &str) -> u64 {
    crate::hash::version((display, text))
}

fn parse(
    kind: Kind,
    source: SourceId,
    stem: String,
    version: u64,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Item {
    match kind {
        Kind::Analysis => match frontmatter::split(text) {
            Split::Found { yaml, body } => {
                let fence = 0..3;
                match parse_yaml::<RawAnalysis>(text, yaml.clone(), source, "analysis front matter")
                {
                    Ok(front) => Item::Analysis(Arc::new(Doc {
                        source,
                        stem,
                        lang: None,
                        yaml_offset: yaml.start,
                        version,
                        raw: AnalysisDoc { front, body, fence },
                        hollow: false,
                    })),
                    Err(d) => {
                        diags.push(*d);
                        Item::Nothing
                    }
                }
            }
            problem => {
                diags.push(front_matter_problem(
                    problem,
                    source,
                    "this analysis",
                    "`title:` and `date:`",
                ));
                Item::Nothing
            }
        },
        Kind::Actor => {
            match fact_sheet::<RawActor>(text, source, &stem, version, "an actor fact sheet") {
                Ok(doc) => Item::Actor(Arc::new(doc)),
                Err(d) => {
                    diags.push(*d);
                    Item::Failed(kind, stem)
                }
            }
        }
        Kind::Event => {
            match fact_sheet::<RawEvent>(text, source, &stem, version, "an event fact sheet") {
                Ok(doc) => Item::Event(Arc::new(doc)),
                Err(d) => {
                    diags.push(*d);
                    Item::Failed(kind, stem)
                }
            }
        }
        Kind::Source => {
            match fact_sheet::<RawSource>(text, source, &stem, version, "a source file") {
                Ok(doc) => Item::Source(Arc::new(doc)),
                Err(d) => {
                    diags.push(*d);
                    Item::Failed(kind, stem)
                }
            }
        }
        Kind::Author => {
            match fact_sheet::<RawAuthor>(text, source, &stem, version, "an author file") {
                Ok(doc) => Item::Author(Arc::new(doc)),
                Err(d) => {
                    diags.push(*d);
                    Item::Failed(kind, stem)
                }
            }
        }
    }
}

/// `five-days-in-january.ru` → (`five-days-in-january`, `ru`): a file
/// whose name ends in a language tag is a translation. Other dotted names
/// are left whole (and reported as ids with bad characters).
pub(crate) fn split_language(stem: &str) -> (String, Option<String>) {
    match stem.rsplit_once('.') {
        Some((base, tag)) if !base.is_empty() && looks_like_language(tag) => {
            (base.to_string(), Some(tag.to_string()))
        }
        _ => (stem.to_string(), None),
    }
}

/// `ru`, `kk`, `pt-BR`, `zh-Hant`: a primary subtag of two or three
/// letters, then subtags of letters and digits.
fn looks_like_language(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Parses a translation: an analysis in another language, or the text of
/// a fact sheet in another language.
fn parse_translation(
    kind: Kind,
    source: SourceId,
    stem: String,
    lang: String,
    version: u64,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Item {
    fn sheet<T: DeserializeOwned + Default>(
        text: &str,
        source: SourceId,
        stem: &str,
        lang: &str,
        version: u64,
        what: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Doc<T>> {
        match fact_sheet::<T>(text, source, stem, version, what) {
            Ok(mut doc) => {
                doc.lang = Some(lang.to_string());
                Some(doc)
            }
            Err(d) => {
                diags.push(*d);
                None
            }
        }
    }
    let (s, l) = (stem.as_str(), lang.as_str());
    match kind {
        Kind::Analysis => match frontmatter::split(text) {
            Split::Found { yaml, body } => {
                match parse_yaml::<RawTranslation>(
                    text,
                    yaml.clone(),
                    source,
                    "a translation's front matter",
                ) {
                    Ok(front) => Item::AnalysisText(Arc::new(Doc {
                        source,
                        stem,
                        lang: Some(lang),
                        yaml_offset: yaml.start,
                        version,
                        raw: TranslationDoc {
                            front,
                            body,
                            fence: 0..3,
                        },
                        hollow: false,
                    })),
                    Err(d) => {
                        diags.push(*d);
                        Item::Nothing
                    }
                }
            }
            problem => {
                diags.push(front_matter_problem(
                    problem,
                    source,
                    "this translation",
                    "`title:` in its language",
                ));
                Item::Nothing
            }
        },
        Kind::Actor => sheet(text, source, s, l, version, "an actor's translation", diags)
            .map_or(Item::Nothing, |d| Item::ActorText(Arc::new(d))),
        Kind::Event => sheet(text, source, s, l, version, "an event's translation", diags)
            .map_or(Item::Nothing, |d| Item::EventText(Arc::new(d))),
        Kind::Source => sheet(text, source, s, l, version, "a source's translation", diags)
            .map_or(Item::Nothing, |d| Item::SourceText(Arc::new(d))),
        Kind::Author => sheet(
            text,
            source,
            s,
            l,
            version,
            "an author's translation",
            diags,
        )
        .map_or(Item::Nothing, |d| Item::AuthorText(Arc::new(d))),
    }
}

/// A whole file of YAML: an actor or event fact sheet.
fn fact_sheet<T: DeserializeOwned + Default>(
    text: &str,
    source: SourceId,
    stem: &str,
    version: u64,
    what: &str,
) -> Result<Doc<T>, Box<Diagnostic>> {
    let raw = parse_yaml::<T>(text, 0..text.len(), source, what)?;
    Ok(Doc {
        source,
        stem: stem.to_string(),
        lang: None,
        yaml_offset: 0,
        version,
        raw,
        hollow: false,
    })
}

/// Parses the YAML at `range` of `text` into `T`, or a diagnostic at the
/// error's position in the file.
fn parse_yaml<T: DeserializeOwned + Default>(
    text: &str,
    range: Range<usize>,
    source: SourceId,
    what: &str,
) -> Result<T, Box<Diagnostic>> {
    let yaml = &text[range.clone()];
    if yaml.trim().is_empty() {
        // An empty document is an empty map: every required key will then be
        // reported as missing by the model stage.
        return Ok(T::default());
    }
    serde_saphyr::from_str_with_options::<T>(yaml, yaml_options()).map_err(|e| {
        let offset = e
            .location()
            .map_or(0, |loc| match loc.span().byte_offset() {
                Some(b) => b as usize,
                None => crate::diag::offset_of(yaml, loc.line() as usize, loc.column() as usize),
            });
        let start = (range.start + offset).min(range.end);
        Box::new(serde_errors::to_diagnostic(
            &serde_errors::yaml_message(&e),
            Span::new(source, start..start),
            what,
            text,
        ))
    })
}

/// YAML 1.2 rules: `yes`, `no`, `on`, `off` and `y` are strings, not
/// booleans (an actor with the id `no` must not become `false`), and numbers
/// with leading zeros keep their digits.
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        with_snippet: false,
    }
}

/// Decodes a file: strips a UTF-8 byte-order mark; on invalid UTF-8 returns
/// a lossy copy and the offset of the first bad byte.
pub(crate) fn decode(bytes: Vec<u8>) -> (String, Option<usize>) {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            (
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
                Some(offset),
            )
        }
    }
}

pub(crate) fn not_utf8(source: SourceId, offset: usize) -> Diagnostic {
    Diagnostic::error(format!(
        "this file is not valid UTF-8 (first bad byte at offset {offset})"
    ))
    .at(Span::new(source, offset..offset))
    .label("invalid byte here")
    .hint("save the file as UTF-8 in your editor")
}

/// Lists every file under `content/`, sorted, with what it is.
fn discover(root: &Path, content: &Path, diags: &mut Diagnostics) -> Vec<(PathBuf, Found)> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(String::new, |p| display_path(root, p));
                diags.push(Diagnostic::error(format!("cannot read {path}: {e}")));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path();
        if entry.file_type().is_dir() {
            let section = path.strip_prefix(content).ok().and_then(|r| r.to_str());
            if entry.depth() == 1
                && !matches!(
                    section,
                    Some("analyses" | "actors" | "events" | "sources" | "authors")
                )
            {
                diags.push(
                    Diagnostic::warning(format!(
                        "{} is not a folder dossier reads; it is ignored",
                        display_path(root, path)
                    ))
                    .hint(SECTIONS_HINT),
                );
            }
            continue;
        }
        let link = entry.path_is_symlink();
        files.push((path.to_path_buf(), classify(root, content, path, link)));
    }
    files
}

/// What a file under `content/` is, by its folder and extension; `link`
/// says whether the path itself is a symbolic link.
fn classify(root: &Path, content: &Path, path: &Path, link: bool) -> Found {
    let rel = path.strip_prefix(content).unwrap_or(path);
    let depth = rel.components().count();
    let section = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if is_ignored_name(&name) {
        return Found::Ignore;
    }
    if link {
        match symlink_target_inside(root, path) {
            Ok(true) => {}
            Ok(false) => return Found::Ignore,
            Err(why) => {
                return Found::Skip(
                    Diagnostic::error(format!(
                        "{} is a symbolic link {why}",
                        display_path(root, path)
                    ))
                    .hint("content may link only to files inside the site folder"),
                );
            }
        }
    }
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    match (section.as_deref(), ext.as_deref()) {
        (Some("analyses"), Some("md" | "markdown")) if depth >= 2 => Found::File(Kind::Analysis),
        (Some("actors"), Some("yaml" | "yml")) if depth >= 2 => Found::File(Kind::Actor),
        (Some("events"), Some("yaml" | "yml")) if depth >= 2 => Found::File(Kind::Event),
        (Some("sources"), Some("yaml" | "yml")) if depth >= 2 => Found::File(Kind::Source),
        (Some("authors"), Some("yaml" | "yml")) if depth >= 2 => Found::File(Kind::Author),
        _ => {
            let expected = match section.as_deref() {
                Some("analyses") if depth >= 2 => "analyses are Markdown files ending in .md",
                Some("actors" | "events" | "sources" | "authors") if depth >= 2 => {
                    "fact sheets are YAML files ending in .yaml"
                }
                _ => SECTIONS_HINT,
            };
            Found::Skip(
                Diagnostic::warning(format!("{} is ignored", display_path(root, path)))
                    .hint(expected),
            )
        }
    }
}

/// Hidden files, editor swap and backup files: never content.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// For a symlink: Ok(is_file) when it points inside the site root.
fn symlink_target_inside(root: &Path, path: &Path) -> Result<bool, &'static str> {
    let target = std::fs::canonicalize(path).map_err(|_| "whose target does not exist")?;
    let root = std::fs::canonicalize(root).map_err(|_| "that cannot be resolved")?;
    if !target.starts_with(&root) {
        return Err("that points outside the site");
    }
    Ok(target.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_strips_bom_and_finds_bad_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc".to_vec()), ("abc".into(), None));
        let (_, bad) = decode(b"ab\xFFc".to_vec());
        assert_eq!(bad, Some(2));
    }

    /// `serve` keeps the content between builds and puts an edited file's
    /// document in its place; once the model holds what it needs, the
    /// kept documents let go of their parse too (else an edited file's
    /// parse stays for the rest of the session).
    #[test]
    fn the_kept_content_has_edited_documents_in_their_places_and_lets_go_of_parses() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
            std::fs::write(&path, text).expect("write");
            path
        };
        write("content/actors/a.yaml", "name: A\nkind: person\n");
        let b = write("content/actors/b.yaml", "name: B\nkind: person\n");
        write("content/actors/c.yaml", "name: C\nkind: person\n");
        let (mut sources, mut cache) = (Sources::default(), LoadCache::default());
        let mut load_now = |changes: &Changes, cache: &mut LoadCache| {
            load(root, &mut sources, cache, changes, &mut Diagnostics::new())
        };
        let names = |c: &Content| -> Vec<(String, bool)> {
            c.actors
                .iter()
                .map(|d| {
                    (
                        d.raw.name.clone().map(|n| n.value).unwrap_or_default(),
                        d.hollow,
                    )
                })
                .collect()
        };
        let first = load_now(&Changes::All, &mut cache);
        assert_eq!(
            names(&first),
            [
                ("A".into(), false),
                ("B".into(), false),
                ("C".into(), false)
            ]
        );
        drop(first);
        cache.hollow();
        std::fs::write(&b, "name: Bee\nkind: person\n").expect("edit");
        let second = load_now(&Changes::Paths(vec![b]), &mut cache);
        assert_eq!(
            names(&second),
            [("".into(), true), ("Bee".into(), false), ("".into(), true)]
        );
        drop(second);
        cache.hollow();
        let kept = cache.content.as_ref().expect("kept");
        assert!(kept.actors.iter().all(|d| d.hollow), "{:?}", names(kept));
    }
}
