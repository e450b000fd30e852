//! Diagnostics as values: what went wrong, where (a source file and a byte
//! range in it), and hints. Every stage pushes into a [`Diagnostics`] and goes
//! on; turning them into terminal text happens at the edge ([`render`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::spool::{Place, Spool};
use annotate_snippets::{AnnotationKind, Element, Group, Level as Lvl, Renderer, Snippet};

pub use crate::checks::Check;
use crate::checks::{Checks, Level};

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId(u32);

/// One file the build read: its path for display and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// Path shown to the author, relative to the site root where possible.
    pub display: String,
    /// Path on disk (None for files built into the binary).
    pub path: Option<PathBuf>,
    /// The text ([`SourceFile::text`]).
    body: Body,
    /// Where each line starts, worked out when a diagnostic first needs
    /// it (most files never have one: at N = 100,000 the index of every
    /// file's lines would be some 120 MB).
    line_starts: OnceLock<Vec<usize>>,
}

/// Where a file's text is: held, or in a spool (`serve` puts the
/// content's texts there between builds; see [`Sources::spool_texts`]).
#[derive(Debug)]
enum Body {
    Held(String),
    Spooled(Arc<Spool>, Place),
}

impl SourceFile {
    pub(crate) fn new(display: String, path: Option<PathBuf>, text: String) -> Self {
        SourceFile {
            display,
            path,
            body: Body::Held(text),
            line_starts: OnceLock::new(),
        }
    }

    /// Where each line of `text` (this file's, as [`SourceFile::text`]
    /// gave it) starts.
    fn line_starts(&self, text: &str) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The text. For a file that is not valid UTF-8 this is a lossy copy; the
    /// prefix up to the first bad byte is exact, which is all a diagnostic needs.
    /// A spooled text is read back (empty if the spool cannot be read).
    pub fn text(&self) -> Cow<'_, str> {
        match &self.body {
            Body::Held(text) => Cow::Borrowed(text),
            Body::Spooled(spool, place) => Cow::Owned(
                spool
                    .read(*place)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .unwrap_or_default(),
            ),
        }
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let offset = floor_char_boundary(&text, offset.min(text.len()));
        let starts = self.line_starts(&text);
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let col = text[start..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// The byte range of the whole lines that `range` touches.
    fn line_range(&self, text: &str, range: &Range<usize>) -> (usize, Range<usize>) {
        let starts = self.line_starts(text);
        let first = starts.partition_point(|&s| s <= range.start) - 1;
        let last = starts.partition_point(|&s| s <= range.end.max(range.start)) - 1;
        let start = starts[first];
        let end = starts
            .get(last + 1)
            .map_or(text.len(), |&e| e.saturating_sub(1));
        (first + 1, start..end.max(start))
    }
}

/// Every file a build has read, addressed by [`SourceId`]. A file keeps its
/// id for the life of the `Sources` (across the rebuilds of `serve`), so
/// cached diagnostics stay valid; adding it again replaces its text.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    by_display: std::collections::HashMap<String, SourceId>,
    /// Where [`Sources::spool_texts`] puts texts (made on first use).
    spool: Option<Arc<Spool>>,
}

impl Sources {
    pub fn add(
        &mut self,
        display: impl Into<String>,
        path: Option<PathBuf>,
        text: String,
    ) -> SourceId {
        self.add_file(SourceFile::new(display.into(), path, text))
    }

    /// Adds a file prepared with [`SourceFile::new`] (which may run on
    /// another thread: it indexes the text's lines).
    pub(crate) fn add_file(&mut self, file: SourceFile) -> SourceId {
        if let Some(&id) = self.by_display.get(&file.display) {
            let old = &mut self.files[id.0 as usize];
            if old.text() != file.text() || old.path != file.path {
                *old = file;
            }
            return id;
        }
        let id = SourceId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.by_display.insert(file.display.clone(), id);
        self.files.push(file);
        id
    }

    /// The id of a file already read, by its display path.
    pub fn find(&self, display: &str) -> Option<SourceId> {
        self.by_display.get(display).copied()
    }

    pub fn get(&self, id: SourceId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn text(&self, id: SourceId) -> Cow<'_, str> {
        self.get(id).text()
    }

    /// The text up to byte `end` (or the whole, if shorter), cut back to
    /// a character boundary: a spooled text is read back that far only.
    pub(crate) fn text_upto(&self, id: SourceId, end: usize) -> Cow<'_, str> {
        self.text_in(id, 0..end)
    }

    /// The text's bytes `range` (clamped to the text; `start` must be at a
    /// character, `end` is cut back to one): a spooled text is read back
    /// there only.
    pub(crate) fn text_in(&self, id: SourceId, range: Range<usize>) -> Cow<'_, str> {
        match &self.get(id).body {
            Body::Held(text) => {
                let end = floor_char_boundary(text, range.end);
                Cow::Borrowed(text.get(range.start.min(end)..end).unwrap_or(""))
            }
            Body::Spooled(spool, place) => {
                let start = (range.start as u64).min(place.len);
                let end = (range.end as u64).clamp(start, place.len);
                let bytes = spool
                    .read(Place {
                        at: place.at + start,
                        len: end - start,
                    })
                    .unwrap_or_default();
                // The cut may fall inside a character: what comes before it.
                let text = match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(e) => {
                        let valid = e.utf8_error().valid_up_to();
                        let mut bytes = e.into_bytes();
                        bytes.truncate(valid);
                        String::from_utf8(bytes).unwrap_or_default()
                    }
                };
                Cow::Owned(text)
            }
        }
    }

    /// The spool the texts are in, once [`Sources::spool_texts`] made one.
    pub(crate) fn spool(&self) -> Option<&Arc<Spool>> {
        self.spool.as_ref()
    }

    /// Moves the text of every file `spool` names into a spool, keeping
    /// its place: `serve` holds the content's texts there between builds
    /// (they are read again only for the texts a rebuild renders again and
    /// for diagnostics). A file whose text cannot be written keeps it.
    pub(crate) fn spool_texts(&mut self, spool: impl Fn(SourceId, &SourceFile) -> bool + Sync) {
        if self.spool.is_none() {
            self.spool = Spool::new().map(Arc::new);
        }
        let Some(to) = &self.spool else {
            return;
        };
        self.files.par_iter_mut().enumerate().for_each(|(i, f)| {
            let Body::Held(text) = &f.body else {
                return;
            };
            if text.is_empty() || !spool(SourceId(i as u32), f) {
                return;
            }
            if let Ok(place) = to.append(text.as_bytes()) {
                f.body = Body::Spooled(Arc::clone(to), place);
            }
        });
    }

    /// Lets go of the text of every file `forget` names (its name and id
    /// stay): a one-shot build no longer needs its content's text once the
    /// site is linked and checked, and at 10,000 analyses that is a fifth
    /// of its memory. A diagnostic must not point into a forgotten file.
    pub fn forget_texts(&mut self, forget: impl Fn(SourceId, &SourceFile) -> bool) {
        for (i, f) in self.files.iter_mut().enumerate() {
            if forget(SourceId(i as u32), f) {
                *f = SourceFile::new(std::mem::take(&mut f.display), f.path.take(), String::new());
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (SourceId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (SourceId(i as u32), f))
    }
}

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    pub source: SourceId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(source: SourceId, range: Range<usize>) -> Self {
        Span { source, range }
    }

    /// The start of a file, for problems that concern a file as a whole.
    pub fn file(source: SourceId) -> Self {
        Span {
            source,
            range: 0..0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in the author's input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where it is; None for problems that belong to no file.
    pub span: Option<Span>,
    /// Short text shown under the underlined span.
    pub label: Option<String>,
    /// Other places that explain the problem (the first definition of a duplicate, …).
    pub related: Vec<(Span, String)>,
    /// Suggestions: "did you mean …", "add …".
    pub hints: Vec<String>,
    /// The configurable check that found it, if any: its severity then
    /// comes from `[checks]` in `site.toml`.
    pub check: Option<Check>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            label: None,
            related: Vec::new(),
            hints: Vec::new(),
            check: None,
        }
    }

    /// A finding of a configurable check (a warning unless configured).
    pub fn check(check: Check, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            check: Some(check),
            ..Diagnostic::error(message)
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn hint_opt(self, hint: Option<String>) -> Self {
        match hint {
            Some(h) => self.hint(h),
            None => self,
        }
    }
}

/// The diagnostics of one run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Once `site.toml` is read: how each check's findings count. Until then
    /// (and in the per-file collections that caches keep), findings stay as
    /// found, so that a change to `[checks]` applies to cached ones too.
    checks: Option<Checks>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// From now on, findings of checks take their level from `checks`.
    pub(crate) fn set_checks(&mut self, checks: Checks) {
        self.checks = Some(checks);
    }

    pub fn push(&mut self, mut d: Diagnostic) {
        if let (Some(checks), Some(check)) = (&self.checks, d.check) {
            d.severity = match checks.level(check) {
                Level::Off => return,
                Level::Warn => Severity::Warning,
                Level::Error => Severity::Error,
            };
        }
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        for d in ds {
            self.push(d);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The files diagnostics point into.
    pub fn files(&self) -> rustc_hash::FxHashSet<SourceId> {
        self.iter()
            .flat_map(|d| d.span.iter().chain(d.related.iter().map(|(s, _)| s)))
            .map(|s| s.source)
            .collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorts by file, then position, then message, so output is deterministic
    /// whatever order parallel stages found the problems in.
    pub fn sort(&mut self, sources: &Sources) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.span.as_ref().map(|s| {
                    (
                        sources.get(s.source).display.clone(),
                        s.range.start,
                        s.range.end,
                    )
                })
            };
            key(a)
                .cmp(&key(b))
                .then_with(|| a.severity.cmp(&b.severity))
                .then_with(|| a.message.cmp(&b.message))
        });
        self.items.dedup_by(|a, b| {
            a.message == b.message && a.span == b.span && a.severity == b.severity
        });
    }

    /// A cheap summary of what is reported, to tell whether anything changed
    /// since the last build without rendering thousands of diagnostics.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = crate::hash::Combiner::default();
        for d in &self.items {
            (d.severity, &d.message, &d.span, &d.hints).hash(&mut h);
        }
        h.finish()
    }

    /// The first `n` diagnostics.
    pub fn first(&self, n: usize) -> Diagnostics {
        Diagnostics {
            items: self.items.iter().take(n).cloned().collect(),
            checks: None,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

/// Byte offset of a 1-based line and 1-based column (in characters) in
/// `text`, clamped to the text: parsers that report lines and columns
/// (YAML, TOML) are turned into spans with it.
pub(crate) fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.trim_end_matches('\n')
                    .char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

/// Where a diagnostic points, as the author would type it: `path:line:col`.
pub fn location(sources: &Sources, span: &Span) -> String {
    let file = sources.get(span.source);
    let (line, col) = file.line_col(span.range.start);
    format!("{}:{line}:{col}", file.display)
}

/// Renders diagnostics rustc-style. `color` turns on ANSI styling.
pub fn render(sources: &Sources, diagnostics: &Diagnostics, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics.iter() {
        out.push_str(&render_one(&renderer, sources, d));
        out.push_str("\n\n");
    }
    out
}

fn render_one(renderer: &Renderer, sources: &Sources, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => Lvl::ERROR,
        Severity::Warning => Lvl::WARNING,
    };
    let primary = d.span.iter().map(|s| (s, d.label.as_deref(), true));
    let related = d.related.iter().map(|(s, l)| (s, Some(l.as_str()), false));
    let excerpts: Vec<Excerpt<'_>> = primary
        .chain(related)
        .map(|(span, label, primary)| Excerpt::new(sources, span, label, primary))
        .collect();
    let mut elements: Vec<Element<'_>> = Vec::new();
    for e in &excerpts {
        let kind = if e.primary {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        let mut annotation = kind.span(e.range.clone());
        if let Some(l) = e.label {
            annotation = annotation.label(l);
        }
        elements.push(
            Snippet::source(e.text.as_str())
                .line_start(e.line)
                .path(e.display)
                .annotation(annotation)
                .into(),
        );
    }
    for hint in &d.hints {
        elements.push(Lvl::HELP.message(hint.as_str()).into());
    }
    let mut title = level.primary_title(d.message.as_str());
    if let Some(check) = d.check {
        title = title.id(check.name());
    }
    let report: Vec<Group<'_>> = vec![title.elements(elements)];
    renderer.render(&report)
}

/// The whole lines around a span, with the span re-based onto them: a
/// snippet holds only these, so a diagnostic in a 10 MB file costs nothing.
struct Excerpt<'a> {
    display: &'a str,
    line: usize,
    text: String,
    range: Range<usize>,
    label: Option<&'a str>,
    primary: bool,
}

impl<'a> Excerpt<'a> {
    fn new(sources: &'a Sources, span: &Span, label: Option<&'a str>, primary: bool) -> Self {
        let file = sources.get(span.source);
        let text = file.text();
        let start = floor_char_boundary(&text, span.range.start);
        let end = floor_char_boundary(&text, span.range.end.max(start));
        let (line, lines) = file.line_range(&text, &(start..end));
        let excerpt = &text[lines.clone()];
        let clamp = |i: usize| i.saturating_sub(lines.start).min(excerpt.len());
        Excerpt {
            display: &file.display,
            line,
            text: excerpt.to_string(),
            range: clamp(start)..clamp(end),
            label,
            primary,
        }
    }
}

/// A diagnostic as one JSON object (for `--format json`): positions are
/// 1-based lines and columns (in characters), as editors expect.
pub fn to_json(sources: &Sources, d: &Diagnostic) -> serde_json::Value {
    let place = |span: &Span| {
        let file = sources.get(span.source);
        let (line, column) = file.line_col(span.range.start);
        let (end_line, end_column) = file.line_col(span.range.end);
        serde_json::json!({
            "file": file.display, "line": line, "column": column,
            "end_line": end_line, "end_column": end_column,
        })
    };
    let mut v = serde_json::json!({
        "type": "diagnostic",
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "code": d.check.map(Check::name),
        "message": d.message,
        "label": d.label,
        "hints": d.hints,
        "related": d.related.iter().map(|(s, l)| {
            let mut r = place(s);
            r["label"] = serde_json::Value::from(l.as_str());
            r
        }).collect::<Vec<_>>(),
    });
    if let Some(span) = &d.span
        && let (Some(obj), serde_json::Value::Object(p)) = (v.as_object_mut(), place(span))
    {
        obj.extend(p);
    }
    v
}

/// A diagnostic as a GitHub Actions workflow command (for `--format
/// github`): `::error file=…,line=…,col=…,title=dossier::message (help: …)`,
/// which the runner turns into an annotation on the file's line. The data
/// is the JSON form's: message, related places and hints in one line.
///
/// `file` is the file's path relative to `workspace` (the repository,
/// `$GITHUB_WORKSPACE`), or else to `cwd`, the folder dossier runs in, which
/// relative paths on disk are relative to: so that a site in a subfolder
/// (`--root site`) is annotated at `site/content/…`, where GitHub finds it.
/// Files built into dossier have no place in the repository: their
/// position goes into the message instead.
pub fn to_github(
    sources: &Sources,
    d: &Diagnostic,
    cwd: &Path,
    workspace: Option<&Path>,
) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties: Vec<(&str, String)> = Vec::new();
    let mut message = String::new();
    if let Some(span) = &d.span {
        let file = sources.get(span.source);
        let (line, col) = file.line_col(span.range.start);
        match &file.path {
            Some(path) => {
                properties.push(("file", github_path(path, cwd, workspace)));
                properties.push(("line", line.to_string()));
                properties.push(("col", col.to_string()));
            }
            None => {
                let _ = write!(message, "{}: ", location(sources, span));
            }
        }
    }
    let title = match d.check {
        Some(check) => format!("dossier ({})", check.name()),
        None => "dossier".to_string(),
    };
    properties.push(("title", title));
    message.push_str(&d.message);
    for (span, label) in &d.related {
        let _ = write!(message, " ({label}: {})", location(sources, span));
    }
    for hint in &d.hints {
        let _ = write!(message, " (help: {hint})");
    }
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", github_property(value)))
        .collect();
    format!(
        "::{command} {}::{}",
        properties.join(","),
        github_data(&message)
    )
}

/// `path` as GitHub Actions finds it: relative to the workspace (or the
/// current folder), with `/`; absolute when it lies outside.
fn github_path(path: &Path, cwd: &Path, workspace: Option<&Path>) -> String {
    let absolute = crate::normalize(&cwd.join(path));
    let base = crate::normalize(workspace.unwrap_or(cwd));
    let shown = absolute.strip_prefix(&base).unwrap_or(&absolute);
    shown.to_string_lossy().replace('\\', "/")
}

/// Escapes a workflow command's message: a line break would end the
/// command, and `%` starts an escape.
fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as its message, and also
/// `:` and `,`, which end a value.
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Each diagnostic rendered on its own, without colour (for the serve overlay).
pub fn render_each(sources: &Sources, diagnostics: &Diagnostics) -> Vec<(Severity, String)> {
    let renderer = Renderer::plain();
    diagnostics
        .iter()
        .map(|d| (d.severity, render_one(&renderer, sources, d)))
        .collect()
}

/// "2 errors, 1 warning"
pub fn summary(diagnostics: &Diagnostics) -> String {
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("1 {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    match (diagnostics.error_count(), diagnostics.warning_count()) {
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One line per diagnostic: `error: path:line:col: message (hint)`. Used by
/// tests and by places where the full snippet would be noise.
pub fn render_short(sources: &Sources, diagnostics: &Diagnostics) -> String {
    let mut out = String::new();
    for d in diagnostics.iter() {
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = write!(out, "{sev}: ");
        if let Some(span) = &d.span {
            let _ = write!(out, "{}: ", location(sources, span));
        }
        out.push_str(&d.message);
        for h in &d.hints {
            let _ = write!(out, " (help: {h})");
        }
        out.push('\n');
    }
    out
}

/// The closest candidate to `word`, if one is close enough to be a useful
/// "did you mean" (Jaro-Winkler similarity, as cargo and clap do).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        if score > 0.8 && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// A "did you mean" hint string, or None.
pub fn did_you_mean_hint<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Display form of a path relative to the site root.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spooled text reads back whole, or up to a byte cut back to a
    /// character; its lines and columns are those of the text it was.
    #[test]
    fn a_spooled_text_reads_back_as_it_was() {
        let mut sources = Sources::default();
        let text = "ab\nЖЖx\n";
        let id = sources.add("content/a.md", Some("content/a.md".into()), text.into());
        let other = sources.add("theme.html", None, "kept".into());
        sources.spool_texts(|i, _| i == id);
        assert!(matches!(sources.get(id).body, Body::Spooled(..)));
        assert!(matches!(sources.get(other).body, Body::Held(_)));
        assert_eq!(sources.text(id), text);
        assert_eq!(sources.get(id).line_col(7), (2, 3));
        // "ab\nЖ" is 5 bytes; byte 6 falls inside the second Ж.
        assert_eq!(sources.text_upto(id, 6), "ab\nЖ");
        assert_eq!(sources.text_upto(id, 7), "ab\nЖЖ");
        assert_eq!(sources.text_upto(id, usize::MAX), text);
        assert_eq!(sources.text_upto(other, 2), "ke");
        assert_eq!(sources.text_in(id, 3..7), "ЖЖ");
        assert_eq!(sources.text_in(id, 3..6), "Ж");
        assert_eq!(sources.text_in(other, 1..3), "ep");
        assert_eq!(sources.text_in(id, 40..50), "");
        // Adding the same text again keeps the file as it is.
        let again = sources.add("content/a.md", Some("content/a.md".into()), text.into());
        assert_eq!(again, id);
        assert!(matches!(sources.get(id).body, Body::Spooled(..)));
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new("x".into(), None, "ab\nЖЖx\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(7), (2, 3));
        assert_eq!(offset_of(&f.text(), 2, 3), 7);
        assert_eq!(offset_of("a: b\nЖc: d\n", 2, 2), 7);
        assert_eq!(offset_of("a", 9, 9), 1);
        assert_eq!(offset_of("ab\ncd", 1, 9), 2);
        // An offset inside a multi-byte character does not panic.
        assert_eq!(f.line_col(4), (2, 1));
    }

    /// A site's file, read from `site/` under `/repo`, with a diagnostic at
    /// `offset`.
    fn github_case(text: &str, offset: usize, d: Diagnostic) -> (Sources, Diagnostic, PathBuf) {
        let mut sources = Sources::default();
        let id = sources.add(
            "content/actors/x.yaml",
            Some(PathBuf::from("site/content/actors/x.yaml")),
            text.to_string(),
        );
        let d = d.at(Span::new(id, offset..offset + 1));
        (sources, d, PathBuf::from("/repo"))
    }

    #[test]
    fn github_command_points_at_the_file_line_and_column() {
        let (sources, d, cwd) = github_case(
            "name: X\nkind: persn\n",
            14,
            Diagnostic::error("unknown actor kind `persn`").hint("did you mean `person`?"),
        );
        assert_eq!(
            to_github(&sources, &d, &cwd, None),
            "::error file=site/content/actors/x.yaml,line=2,col=7,title=dossier::unknown actor kind `persn` (help: did you mean `person`?)"
        );
        // Relative to the workspace when dossier runs in a folder of it.
        let workspace = PathBuf::from("/");
        assert!(
            to_github(&sources, &d, &cwd, Some(&workspace))
                .starts_with("::error file=repo/site/content/actors/x.yaml,line=2,")
        );
    }

    #[test]
    fn github_command_escapes_hostile_text() {
        // A message that tries to end the command and start another, and
        // percent signs that look like escapes already.
        let hostile = "100% of it\r\n::error file=evil.rs::injected, a:b %0A";
        let (sources, d, cwd) = github_case(
            "x: 1\n",
            0,
            Diagnostic::check(Check::Unreferenced, hostile).hint("a\nb"),
        );
        let line = to_github(&sources, &d, &cwd, None);
        assert_eq!(line.lines().count(), 1, "{line}");
        assert_eq!(
            line,
            "::warning file=site/content/actors/x.yaml,line=1,col=1,title=dossier (unreferenced)::\
             100%25 of it%0D%0A::error file=evil.rs::injected, a:b %250A (help: a%0Ab)"
        );
        // Properties escape `:` and `,` too: a file name holding them.
        let mut sources = Sources::default();
        let id = sources.add(
            "content/a,b:c%.yaml",
            Some(PathBuf::from("content/a,b:c%\n.yaml")),
            "x".into(),
        );
        let d = Diagnostic::error("m").at(Span::new(id, 0..1));
        assert_eq!(
            to_github(&sources, &d, Path::new("/repo"), None),
            "::error file=content/a%2Cb%3Ac%25%0A.yaml,line=1,col=1,title=dossier::m"
        );
    }

    #[test]
    fn github_command_without_a_file_has_no_file_property() {
        let sources = Sources::default();
        let d = Diagnostic::error("cannot read site.toml").hint("run it in a site");
        assert_eq!(
            to_github(&sources, &d, Path::new("/repo"), None),
            "::error title=dossier::cannot read site.toml (help: run it in a site)"
        );
        // A file built into dossier: no place in the repository, so its
        // position goes into the message.
        let mut sources = Sources::default();
        let id = sources.add("themes/default/templates/base.html", None, "a\nb".into());
        let d = Diagnostic::error("bad").at(Span::new(id, 2..3));
        assert_eq!(
            to_github(&sources, &d, Path::new("/repo"), None),
            "::error title=dossier::themes/default/templates/base.html:2:1: bad"
        );
    }

    #[test]
    fn did_you_mean_picks_close_candidates_only() {
        assert_eq!(
            did_you_mean("aliasses", ["aliases", "name"]),
            Some("aliases")
        );
        assert_eq!(did_you_mean("zzz", ["aliases", "name"]), None);
    }
}
