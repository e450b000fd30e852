//! Load: walk `content/`, read every file (in parallel), split front matter
//! and parse the YAML into raw structs that keep positions. Nothing is
//! validated here beyond syntax; the model stage does that.

pub mod frontmatter;
pub mod raw;

use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Diagnostics, SourceId, Sources, Span, display_path};
use crate::serde_errors;
use frontmatter::Split;
pub use raw::{RawActor, RawAnalysis, RawEvent, Sp};

/// A parsed file: its source, the id its name gives, and where its YAML starts.
#[derive(Debug)]
pub struct Doc<T> {
    pub source: SourceId,
    /// File stem: the id of an actor or event, the default slug of an analysis.
    pub stem: String,
    /// Byte offset of the YAML in the file, to turn YAML spans into file spans.
    pub yaml_offset: usize,
    pub raw: T,
}

impl<T> Doc<T> {
    /// The file span of a value parsed from this document's YAML.
    pub fn span<V>(&self, v: &Sp<V>) -> Span {
        Span::new(self.source, self.range(v))
    }

    pub fn range<V>(&self, v: &Sp<V>) -> Range<usize> {
        let s = v.referenced.span();
        let start = s.byte_offset().unwrap_or(0) as usize;
        let len = s.byte_len().unwrap_or(0) as usize;
        self.yaml_offset + start..self.yaml_offset + start + len
    }

    /// The whole file, for problems without a better place.
    pub fn file_span(&self) -> Span {
        Span::new(self.source, self.yaml_offset..self.yaml_offset)
    }
}

/// An analysis: front matter plus the byte range of its Markdown body.
#[derive(Debug)]
pub struct AnalysisDoc {
    pub front: RawAnalysis,
    pub body: Range<usize>,
    /// The opening `---`, where "missing key" diagnostics point.
    pub fence: Range<usize>,
}

/// Everything under `content/`, parsed.
#[derive(Debug, Default)]
pub struct Content {
    pub analyses: Vec<Doc<AnalysisDoc>>,
    pub actors: Vec<Doc<RawActor>>,
    pub events: Vec<Doc<RawEvent>>,
    /// File stems of fact sheets that could not be parsed.
    pub failed_stems: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Analysis,
    Actor,
    Event,
}

pub const CONTENT_DIR: &str = "content";

/// Walks `root/content` and parses every analysis, actor and event.
pub fn load(root: &Path, sources: &mut Sources, diags: &mut Diagnostics) -> Content {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(format!("no {CONTENT_DIR}/ folder in {}", root.display()))
                .hint("create content/analyses/, content/actors/ and content/events/, or start from `dossier init DIR`"),
        );
        return Content::default();
    }
    let files = discover(root, &content, diags);
    let read: Vec<_> = files
        .into_par_iter()
        .map(|(kind, path)| {
            let bytes = std::fs::read(&path);
            (kind, path, bytes)
        })
        .collect();
    let mut parsed_inputs = Vec::with_capacity(read.len());
    let mut failed = Vec::new();
    for (kind, path, bytes) in read {
        let display = display_path(root, &path);
        match bytes {
            Ok(bytes) => {
                let (text, bad) = decode(bytes);
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let id = sources.add(display, Some(path), text);
                match bad {
                    Some(offset) => {
                        diags.push(not_utf8(id, offset));
                        failed.push(stem);
                    }
                    None => parsed_inputs.push((kind, id, stem)),
                }
            }
            Err(e) => diags.push(Diagnostic::error(format!("cannot read {display}: {e}"))),
        }
    }
    let sources = &*sources;
    let results: Vec<(Parsed, String, Vec<Diagnostic>)> = parsed_inputs
        .into_par_iter()
        .map(|(kind, source, stem)| {
            let mut local = Vec::new();
            let parsed = parse(kind, source, stem.clone(), sources.text(source), &mut local);
            (parsed, stem, local)
        })
        .collect();
    let mut out = Content {
        failed_stems: failed,
        ..Content::default()
    };
    for (parsed, stem, local) in results {
        diags.extend(local);
        match parsed {
            Parsed::Analysis(d) => out.analyses.push(*d),
            Parsed::Actor(d) => out.actors.push(*d),
            Parsed::Event(d) => out.events.push(*d),
            Parsed::Failed => out.failed_stems.push(stem),
        }
    }
    out
}

enum Parsed {
    Analysis(Box<Doc<AnalysisDoc>>),
    Actor(Box<Doc<RawActor>>),
    Event(Box<Doc<RawEvent>>),
    Failed,
}

fn parse(
    kind: Kind,
    source: SourceId,
    stem: String,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Parsed {
    match kind {
        Kind::Analysis => match frontmatter::split(text) {
            Split::Found { yaml, body } => {
                let fence = 0..3;
                match parse_yaml::<RawAnalysis>(text, yaml.clone(), source, "analysis front matter")
                {
                    Ok(front) => Parsed::Analysis(Box::new(Doc {
                        source,
                        stem,
                        yaml_offset: yaml.start,
                        raw: AnalysisDoc { front, body, fence },
                    })),
                    Err(d) => {
                        diags.push(*d);
                        Parsed::Failed
                    }
                }
            }
            Split::Missing => {
                diags.push(
                    Diagnostic::error("this analysis has no front matter")
                        .at(Span::new(source, 0..0))
                        .hint("start the file with a `---` line, then `title:` and `date:`, then another `---` line"),
                );
                Parsed::Failed
            }
            Split::Unclosed { open } => {
                diags.push(
                    Diagnostic::error("the front matter is never closed")
                        .at(Span::new(source, open))
                        .label("opened here")
                        .hint("add a line with only `---` after the last front-matter key"),
                );
                Parsed::Failed
            }
        },
        Kind::Actor => match fact_sheet::<RawActor>(text, source, stem, "an actor fact sheet") {
            Ok(doc) => Parsed::Actor(Box::new(doc)),
            Err(d) => {
                diags.push(*d);
                Parsed::Failed
            }
        },
        Kind::Event => match fact_sheet::<RawEvent>(text, source, stem, "an event fact sheet") {
            Ok(doc) => Parsed::Event(Box::new(doc)),
            Err(d) => {
                diags.push(*d);
                Parsed::Failed
            }
        },
    }
}

/// A whole file of YAML: an actor or event fact sheet.
fn fact_sheet<T: DeserializeOwned + Default>(
    text: &str,
    source: SourceId,
    stem: String,
    what: &str,
) -> Result<Doc<T>, Box<Diagnostic>> {
    let raw = parse_yaml::<T>(text, 0..text.len(), source, what)?;
    Ok(Doc {
        source,
        stem,
        yaml_offset: 0,
        raw,
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
                None => line_col_offset(yaml, loc.line() as usize, loc.column() as usize),
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

/// Byte offset of a 1-based line and column (in characters) in `text`.
fn line_col_offset(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

/// Decodes a file: strips a UTF-8 byte-order mark; on invalid UTF-8 returns
/// a lossy copy and the offset of the first bad byte.
pub fn decode(bytes: Vec<u8>) -> (String, Option<usize>) {
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

pub fn not_utf8(source: SourceId, offset: usize) -> Diagnostic {
    Diagnostic::error(format!(
        "this file is not valid UTF-8 (first bad byte at offset {offset})"
    ))
    .at(Span::new(source, offset..offset))
    .label("invalid byte here")
    .hint("save the file as UTF-8 in your editor")
}

/// Lists the files to load, sorted, and warns about files that are in the
/// wrong place (which would otherwise be silently ignored).
fn discover(root: &Path, content: &Path, diags: &mut Diagnostics) -> Vec<(Kind, PathBuf)> {
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
                diags.push(Diagnostic::error(format!(
                    "cannot read {}: {e}",
                    e.path().map_or_else(String::new, |p| display_path(root, p))
                )));
                continue;
            }
        };
        let path = entry.path();
        let rel = path.strip_prefix(content).unwrap_or(path);
        let mut parts = rel.components();
        let section = parts
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let is_file = if entry.path_is_symlink() {
            match symlink_target_inside(root, path) {
                Ok(is_file) => is_file,
                Err(why) => {
                    diags.push(
                        Diagnostic::error(format!(
                            "{} is a symbolic link {why}",
                            display_path(root, path)
                        ))
                        .hint("content may link only to files inside the site folder"),
                    );
                    continue;
                }
            }
        } else {
            entry.file_type().is_file()
        };
        if !is_file {
            if entry.depth() == 1
                && !matches!(section.as_deref(), Some("analyses" | "actors" | "events"))
            {
                diags.push(
                    Diagnostic::warning(format!(
                        "{} is not a folder dossier reads; it is ignored",
                        display_path(root, path)
                    ))
                    .hint("content goes in content/analyses/, content/actors/ or content/events/"),
                );
            }
            continue;
        }
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        let kind = match (section.as_deref(), ext.as_deref()) {
            (Some("analyses"), Some("md" | "markdown")) if entry.depth() >= 2 => Kind::Analysis,
            (Some("actors"), Some("yaml" | "yml")) if entry.depth() >= 2 => Kind::Actor,
            (Some("events"), Some("yaml" | "yml")) if entry.depth() >= 2 => Kind::Event,
            _ => {
                let expected = match section.as_deref() {
                    Some("analyses") if entry.depth() >= 2 => {
                        "analyses are Markdown files ending in .md"
                    }
                    Some("actors" | "events") if entry.depth() >= 2 => {
                        "fact sheets are YAML files ending in .yaml"
                    }
                    _ => "content goes in content/analyses/, content/actors/ or content/events/",
                };
                diags.push(
                    Diagnostic::warning(format!("{} is ignored", display_path(root, path)))
                        .hint(expected),
                );
                continue;
            }
        };
        files.push((kind, path.to_path_buf()));
    }
    files
}

/// Hidden files, editor swap and backup files: never content.
pub fn is_ignored_name(name: &str) -> bool {
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

    #[test]
    fn line_col_offset_counts_chars() {
        assert_eq!(line_col_offset("a: b\nЖc: d\n", 2, 2), 7);
        assert_eq!(line_col_offset("a", 9, 9), 1);
    }
}
