//! `dossier rename OLD NEW`: renames an actor, event, source or author
//! across the whole site. The files are read by the load stage, so every
//! reference is found where the build finds it: the id fields of front
//! matter and fact sheets (by their exact positions), `[[OLD]]` and
//! `[[OLD|text]]` in Markdown and `[@OLD]` citations in analyses, never in
//! code, link text or unrelated words. The file and its translations are
//! renamed, and the old id goes into `redirect_from`, so that its old page
//! redirects to the new one.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostics, SourceId, Sources};
use crate::load::raw::{
    RawActor, RawActorText, RawCited, RawEvent, RawEventText, RawParticipant, RawRelation,
    RawSource, Sp,
};
use crate::load::{self, Changes, Doc, LoadCache};

/// What `OLD` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameKind {
    Actor,
    Event,
    Source,
    Author,
}

impl RenameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RenameKind::Actor => "actor",
            RenameKind::Event => "event",
            RenameKind::Source => "source",
            RenameKind::Author => "author",
        }
    }
}

/// Why nothing was renamed.
#[derive(Debug)]
pub enum RenameError {
    NoSite(PathBuf),
    /// NEW is no valid id.
    BadId(String),
    /// Nothing has the id OLD; the closest ids, for a hint.
    NotFound {
        old: String,
        suggestion: Option<String>,
    },
    /// OLD is both an actor and an event (say which with --kind).
    Ambiguous(String, Vec<RenameKind>),
    /// Something of that kind already has the id NEW.
    Taken(String, PathBuf),
    /// A file of the site does not parse, so its references cannot be found.
    Broken(String),
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for RenameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameError::NoSite(root) => write!(
                f,
                "{} has no site.toml; run this in a site folder or pass --root",
                root.display()
            ),
            RenameError::BadId(id) => write!(
                f,
                "`{id}` cannot be an id: use lowercase letters, digits and hyphens, starting with a letter or digit"
            ),
            RenameError::NotFound { old, suggestion } => {
                write!(f, "no actor, event, source or author has the id `{old}`")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean `{s}`?"),
                    None => Ok(()),
                }
            }
            RenameError::Ambiguous(old, kinds) => {
                let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                write!(
                    f,
                    "`{old}` is the id of an {}; say which to rename with --kind {}",
                    kinds.join(" and of an "),
                    kinds.join(" or --kind ")
                )
            }
            RenameError::Taken(new, path) => {
                write!(f, "`{new}` is taken: {} exists", path.display())
            }
            RenameError::Broken(report) => write!(
                f,
                "the site has files that do not parse, so their references cannot be found; fix them first:\n{report}"
            ),
            RenameError::Io(path, e) => write!(f, "{}: {e}", path.display()),
        }
    }
}

impl std::error::Error for RenameError {}

/// One change in a file: the bytes to replace and what with.
#[derive(Debug, Clone)]
pub struct Edit {
    pub range: Range<usize>,
    pub with: String,
    /// 1-based line and column of the change, for the plan.
    pub line: usize,
    pub column: usize,
}

/// A file the rename changes: its edits, and where it goes if it moves.
#[derive(Debug)]
pub struct FileChange {
    /// Path relative to the site.
    pub path: PathBuf,
    pub moved_to: Option<PathBuf>,
    pub text: String,
    /// Whether the file began with a byte-order mark (kept on writing).
    bom: bool,
    pub edits: Vec<Edit>,
}

impl FileChange {
    /// The file's text after its edits.
    pub fn edited(&self) -> String {
        let mut edits = self.edits.clone();
        edits.sort_by_key(|e| e.range.start);
        let mut out = String::with_capacity(self.text.len() + 64);
        let mut at = 0;
        for e in &edits {
            out.push_str(&self.text[at..e.range.start]);
            out.push_str(&e.with);
            at = e.range.end;
        }
        out.push_str(&self.text[at..]);
        out
    }

    /// The line of the file an edit is on, before and after it.
    pub fn line_of(&self, e: &Edit) -> (String, String) {
        let start = self.text[..e.range.start].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[e.range.end..]
            .find('\n')
            .map_or(self.text.len(), |i| e.range.end + i);
        let before = self.text[start..end].to_string();
        let after = format!(
            "{}{}{}",
            &self.text[start..e.range.start],
            e.with,
            &self.text[e.range.end..end]
        );
        (before, after)
    }
}

/// What `dossier rename` will do.
#[derive(Debug)]
pub struct RenamePlan {
    pub kind: RenameKind,
    pub old: String,
    pub new: String,
    /// The old page's path and the new one's, when a redirect is kept.
    pub redirect: Option<(String, String)>,
    /// Every file changed or moved, in path order.
    pub files: Vec<FileChange>,
}

impl RenamePlan {
    /// References changed (the redirect and the moves aside).
    pub fn references(&self) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.edits)
            .filter(|e| e.with == self.new)
            .count()
    }
}

/// Works out the rename of `old` to `new` in the site at `root`, writing
/// nothing. `kind` says what `old` is when it names more than one thing.
pub fn plan_rename(
    root: &Path,
    old: &str,
    new: &str,
    kind: Option<RenameKind>,
    redirect: bool,
) -> Result<RenamePlan, RenameError> {
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(RenameError::NoSite(root.to_path_buf()));
    }
    if !crate::model::is_valid_id(new) {
        return Err(RenameError::BadId(new.to_string()));
    }
    let mut sources = Sources::default();
    let mut diags = Diagnostics::new();
    let content = load::load(
        root,
        &mut sources,
        &mut LoadCache::default(),
        &Changes::All,
        &mut diags,
    );
    if diags.has_errors() {
        return Err(RenameError::Broken(crate::diag::render(
            &sources, &diags, false,
        )));
    }
    // What `old` is.
    let docs: [(RenameKind, Vec<(SourceId, &str)>); 4] = [
        (RenameKind::Actor, stems(&content.actors)),
        (RenameKind::Event, stems(&content.events)),
        (RenameKind::Source, stems(&content.sources)),
        (RenameKind::Author, stems(&content.authors)),
    ];
    let found: Vec<(RenameKind, SourceId)> = docs
        .iter()
        .filter(|(k, _)| kind.is_none_or(|want| want == *k))
        .filter_map(|(k, list)| {
            list.iter()
                .find(|(_, stem)| *stem == old)
                .map(|(s, _)| (*k, *s))
        })
        .collect();
    let (kind, file) = match found.as_slice() {
        [one] => *one,
        [] => {
            let all: Vec<&str> = docs
                .iter()
                .flat_map(|(_, l)| l.iter().map(|(_, s)| *s))
                .collect();
            return Err(RenameError::NotFound {
                old: old.to_string(),
                suggestion: crate::diag::did_you_mean(old, all.iter().copied()).map(str::to_string),
            });
        }
        many => {
            return Err(RenameError::Ambiguous(
                old.to_string(),
                many.iter().map(|(k, _)| *k).collect(),
            ));
        }
    };
    if let Some((_, list)) = docs.iter().find(|(k, _)| *k == kind)
        && let Some((taken, _)) = list.iter().find(|(_, stem)| *stem == new)
    {
        let path = sources.get(*taken).display.clone();
        return Err(RenameError::Taken(new.to_string(), PathBuf::from(path)));
    }

    let mut finder = Finder {
        sources: &sources,
        kind,
        old,
        new,
        edits: BTreeMap::new(),
    };
    finder.scan(&content);
    let mut edits = finder.edits;

    // The file itself and its translations move; the original keeps the old
    // id in `redirect_from`.
    let mut moves: BTreeMap<SourceId, PathBuf> = BTreeMap::new();
    let original = sources.get(file);
    moves.insert(file, renamed(Path::new(&original.display), old, new));
    let texts: Vec<SourceId> = match kind {
        RenameKind::Actor => translations_of(&content.translations.actors, old),
        RenameKind::Event => translations_of(&content.translations.events, old),
        RenameKind::Source => translations_of(&content.translations.sources, old),
        RenameKind::Author => translations_of(&content.translations.authors, old),
    };
    for t in texts {
        moves.insert(t, renamed(Path::new(&sources.get(t).display), old, new));
    }
    let page = |id: &str| match kind {
        RenameKind::Actor => crate::paths::actor(id),
        RenameKind::Event => crate::paths::event(id),
        RenameKind::Source => crate::paths::source(id),
        RenameKind::Author => crate::paths::author(id),
    };
    let redirect = redirect.then(|| (page(old), page(new)));
    if redirect.is_some() {
        let existing = match kind {
            RenameKind::Actor => redirects_of(&content.actors, file),
            RenameKind::Event => redirects_of(&content.events, file),
            RenameKind::Source => redirects_of(&content.sources, file),
            RenameKind::Author => redirects_of(&content.authors, file),
        };
        let text = &sources.get(file).text();
        edits
            .entry(file)
            .or_default()
            .push(redirect_edit(text, existing, old, new));
    }

    let mut files: Vec<FileChange> = edits
        .keys()
        .chain(moves.keys())
        .copied()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|id| {
            let src = sources.get(id);
            let mut e = edits.remove(&id).unwrap_or_default();
            for edit in &mut e {
                let (line, column) = src.line_col(edit.range.start);
                edit.line = line;
                edit.column = column;
            }
            let bom = src
                .path
                .as_ref()
                .and_then(|p| std::fs::read(p).ok())
                .is_some_and(|b| b.starts_with(b"\xEF\xBB\xBF"));
            FileChange {
                path: PathBuf::from(&src.display),
                moved_to: moves.get(&id).cloned(),
                text: src.text().into_owned(),
                bom,
                edits: e,
            }
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(to) = files
        .iter()
        .filter_map(|f| f.moved_to.as_ref())
        .find(|to| root.join(to).exists())
    {
        return Err(RenameError::Taken(new.to_string(), to.clone()));
    }
    Ok(RenamePlan {
        kind,
        old: old.to_string(),
        new: new.to_string(),
        redirect,
        files,
    })
}

/// Writes a plan: each file edited in place, then moved.
pub fn apply_rename(root: &Path, plan: &RenamePlan) -> Result<(), RenameError> {
    for f in &plan.files {
        let path = root.join(&f.path);
        let mut bytes = Vec::new();
        if f.bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        bytes.extend_from_slice(f.edited().as_bytes());
        match &f.moved_to {
            Some(to) => {
                let to = root.join(to);
                std::fs::write(&to, &bytes).map_err(|e| RenameError::Io(to.clone(), e))?;
                std::fs::remove_file(&path).map_err(|e| RenameError::Io(path.clone(), e))?;
            }
            None => std::fs::write(&path, &bytes).map_err(|e| RenameError::Io(path, e))?,
        }
    }
    Ok(())
}

fn stems<T>(docs: &[std::sync::Arc<Doc<T>>]) -> Vec<(SourceId, &str)> {
    docs.iter().map(|d| (d.source, d.stem.as_str())).collect()
}

fn translations_of<T>(docs: &[std::sync::Arc<Doc<T>>], old: &str) -> Vec<SourceId> {
    docs.iter()
        .filter(|d| d.stem == old)
        .map(|d| d.source)
        .collect()
}

/// `content/actors/old.ru.yaml` → `content/actors/new.ru.yaml`.
fn renamed(path: &Path, old: &str, new: &str) -> PathBuf {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let rest = name.strip_prefix(old).unwrap_or(name);
    path.with_file_name(format!("{new}{rest}"))
}

/// The spans of the `redirect_from` items the renamed file has already.
fn redirects_of<T: RedirectsOf>(
    docs: &[std::sync::Arc<Doc<T>>],
    file: SourceId,
) -> Vec<(Range<usize>, String)> {
    docs.iter()
        .find(|d| d.source == file)
        .map(|d| {
            d.raw
                .redirects()
                .into_iter()
                .flatten()
                .map(|v| (d.range(v), v.value.clone()))
                .collect()
        })
        .unwrap_or_default()
}

trait RedirectsOf {
    fn redirects(&self) -> Option<&Vec<Sp<String>>>;
}

macro_rules! redirects_of {
    ($($t:ty),*) => {$(
        impl RedirectsOf for $t {
            fn redirects(&self) -> Option<&Vec<Sp<String>>> {
                self.redirect_from.as_ref()
            }
        }
    )*};
}
redirects_of!(RawActor, RawEvent, RawSource, crate::load::raw::RawAuthor);

/// Adds `old` to the file's `redirect_from` (and drops `new` from it, when
/// an id goes back to an earlier name): the list rewritten in its own
/// style, or a new key at the end of the file.
fn redirect_edit(text: &str, existing: Vec<(Range<usize>, String)>, old: &str, new: &str) -> Edit {
    let edit = |range: Range<usize>, with: String| Edit {
        range,
        with,
        line: 0,
        column: 0,
    };
    let (Some((first, _)), Some((last, _))) = (existing.first(), existing.last()) else {
        let newline = if text.is_empty() || text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        return edit(
            text.len()..text.len(),
            format!("{newline}redirect_from: [{old}]\n"),
        );
    };
    let mut ids: Vec<&str> = existing
        .iter()
        .map(|(_, id)| id.trim())
        .filter(|id| *id != new && *id != old)
        .collect();
    ids.push(old);
    let line_start = text[..first.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..first.start];
    let joined = if before.trim_start().starts_with("- ") {
        // A block list: one item a line, as written.
        let indent = &before[..before.len() - before.trim_start().len()];
        ids.join(&format!("\n{indent}- "))
    } else {
        ids.join(", ")
    };
    edit(first.start..last.end, joined)
}

/// Finds every reference to the renamed id.
struct Finder<'a> {
    sources: &'a Sources,
    kind: RenameKind,
    old: &'a str,
    new: &'a str,
    edits: BTreeMap<SourceId, Vec<Edit>>,
}

impl Finder<'_> {
    fn scan(&mut self, c: &load::Content) {
        use RenameKind::*;
        for d in &c.actors {
            let r = &d.raw;
            self.ids(d, Actor, r.country.iter());
            self.ids(d, Actor, r.affiliations.iter().flatten());
            self.markdown(d, r.summary.as_ref());
            for rel in r.relations.iter().flatten() {
                self.relation(d, &rel.value);
            }
            for f in r.facts.iter().flatten() {
                self.cited(d, f.value.source.as_ref());
            }
        }
        for d in &c.events {
            let r = &d.raw;
            self.ids(d, Actor, r.place.iter());
            self.ids(d, Event, r.part_of.iter());
            self.markdown(d, r.summary.as_ref());
            for p in r.actors.iter().flatten() {
                match &p.value {
                    RawParticipant::Id(_) => self.id_at(d, Actor, p),
                    RawParticipant::WithRole { id, .. } => self.ids(d, Actor, id.iter()),
                }
            }
            for f in r.facts.iter().flatten() {
                self.cited(d, f.value.source.as_ref());
            }
            for s in r.sources.iter().flatten() {
                self.cited(d, Some(s));
            }
        }
        for d in &c.sources {
            self.ids(d, Actor, d.raw.publisher.iter());
        }
        for d in &c.authors {
            self.markdown(d, d.raw.bio.as_ref());
        }
        for d in &c.analyses {
            let f = &d.raw.front;
            self.ids(d, Actor, f.actors.iter().flatten());
            self.ids(d, Event, f.events.iter().flatten());
            self.ids(d, Author, f.authors.iter().flatten());
            for corr in f.corrections.iter().flatten() {
                self.markdown(d, corr.value.text.as_ref());
            }
            self.body(d.source, d.raw.body.clone());
        }
        let t = &c.translations;
        for d in &t.analyses {
            let f = &d.raw.front;
            self.ids(d, Actor, f.actors.iter().flatten());
            self.ids(d, Event, f.events.iter().flatten());
            self.ids(d, Author, f.translator.iter());
            for corr in f.corrections.iter().flatten() {
                self.markdown(d, corr.value.text.as_ref());
            }
            self.body(d.source, d.raw.body.clone());
        }
        for d in &t.actors {
            self.actor_text(d);
        }
        for d in &t.events {
            self.event_text(d);
        }
        for d in &t.authors {
            self.markdown(d, d.raw.bio.as_ref());
        }
    }

    fn actor_text(&mut self, d: &Doc<RawActorText>) {
        self.markdown(d, d.raw.summary.as_ref());
        for rel in d.raw.relations.iter().flatten() {
            self.markdown(d, rel.value.note.as_ref());
        }
    }

    fn event_text(&mut self, d: &Doc<RawEventText>) {
        self.markdown(d, d.raw.summary.as_ref());
    }

    fn relation<T>(&mut self, d: &Doc<T>, rel: &RawRelation) {
        self.ids(d, RenameKind::Actor, rel.actor.iter());
        self.cited(d, rel.source.as_ref());
        self.markdown(d, rel.note.as_ref());
    }

    fn push(&mut self, source: SourceId, range: Range<usize>) {
        self.edits.entry(source).or_default().push(Edit {
            range,
            with: self.new.to_string(),
            line: 0,
            column: 0,
        });
    }

    /// Id fields of `kind` among `values`.
    fn ids<'v, T>(
        &mut self,
        d: &Doc<T>,
        kind: RenameKind,
        values: impl Iterator<Item = &'v Sp<String>>,
    ) {
        if kind != self.kind {
            return;
        }
        for v in values {
            if v.value.trim() == self.old {
                self.id_at(d, kind, v);
            }
        }
    }

    /// The id written at `v`'s place (inside quotes, if any).
    fn id_at<T, V>(&mut self, d: &Doc<T>, kind: RenameKind, v: &Sp<V>) {
        if kind != self.kind {
            return;
        }
        let range = d.range(v);
        let text = self.sources.text(d.source);
        if let Some(i) = text.get(range.clone()).and_then(|s| s.find(self.old)) {
            self.push(d.source, range.start + i..range.start + i + self.old.len());
        }
    }

    /// A source given by id.
    fn cited<T>(&mut self, d: &Doc<T>, v: Option<&Sp<RawCited>>) {
        if let Some(v) = v
            && matches!(&v.value, RawCited::Id(id) if id.trim() == self.old)
        {
            self.id_at(d, RenameKind::Source, v);
        }
    }

    /// `[[old]]` in Markdown written as a YAML value. The id's k-th place in
    /// the value is its k-th place in the file: YAML's quoting and folding
    /// never split or make an id.
    fn markdown<T>(&mut self, d: &Doc<T>, v: Option<&Sp<String>>) {
        let Some(v) = v else { return };
        if !matches!(self.kind, RenameKind::Actor | RenameKind::Event) {
            return;
        }
        let value = &v.value;
        let hits = crate::markdown::references(value, self.old, true, false);
        if hits.is_empty() {
            return;
        }
        let nth: Vec<usize> = hits
            .iter()
            .map(|h| value[..h.start].matches(self.old).count())
            .collect();
        let range = d.range(v);
        let text = self.sources.text(d.source);
        let Some(raw) = text.get(range.clone()) else {
            return;
        };
        let places: Vec<usize> = raw.match_indices(self.old).map(|(i, _)| i).collect();
        for k in nth {
            if let Some(&i) = places.get(k) {
                self.push(d.source, range.start + i..range.start + i + self.old.len());
            }
        }
    }

    /// An analysis body: `[[old]]` for actors and events, `[@old]` for sources.
    fn body(&mut self, source: SourceId, body: Range<usize>) {
        let cite = self.kind == RenameKind::Source;
        if !cite && !matches!(self.kind, RenameKind::Actor | RenameKind::Event) {
            return;
        }
        let text = &self.sources.text(source)[body.clone()];
        let hits = crate::markdown::references(text, self.old, !cite, cite);
        for h in hits {
            self.push(source, body.start + h.start..body.start + h.end);
        }
    }
}
