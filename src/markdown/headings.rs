//! Heading ids: every heading gets a unique id for links and the table of
//! contents, never one the theme uses or one footnotes use.

use pulldown_cmark::{CowStr, Event, Tag};
use rustc_hash::FxHashSet as HashSet;

use super::Heading;

/// Ids the default theme uses on every page; headings never take them.
const RESERVED_IDS: [&str; 7] = [
    "main",
    "content",
    "top",
    "toc",
    "cite",
    "cite-title",
    "cite-text",
];

/// The headings of a text, and the ids taken so far.
pub(super) struct Headings {
    /// Where the open heading's events start in the output.
    open: Option<usize>,
    pub(super) list: Vec<Heading>,
    used: HashSet<String>,
}

impl Default for Headings {
    fn default() -> Self {
        Headings {
            open: None,
            list: Vec::new(),
            used: RESERVED_IDS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Headings {
    /// A heading starts at position `at` of the output.
    pub(super) fn open(&mut self, at: usize) {
        self.open = Some(at);
    }

    /// The open heading ends: it gets its id, and joins the list.
    pub(super) fn close(&mut self, out: &mut [Event<'_>], level: u8) {
        if let Some(start) = self.open.take() {
            let heading = name_heading(out, start, level, &mut self.used);
            self.list.push(heading);
        }
    }
}

/// Gives a heading (events from `start` on) a unique id if it has none.
fn name_heading(
    out: &mut [Event<'_>],
    start: usize,
    level: u8,
    used: &mut HashSet<String>,
) -> Heading {
    let mut text = String::new();
    for e in &out[start + 1..] {
        if let Event::Text(t) | Event::Code(t) = e {
            text.push_str(t);
        }
    }
    let Event::Start(Tag::Heading { id, .. }) = &mut out[start] else {
        return Heading {
            level,
            id: String::new(),
            text,
        };
    };
    let chosen = match id {
        Some(existing) => existing.to_string(),
        None => {
            let base = match slug::slugify(&text) {
                s if s.is_empty() => "section".to_string(),
                s if s.starts_with("fn-") || s.starts_with("fnref-") => format!("section-{s}"),
                s => s,
            };
            let mut candidate = base.clone();
            let mut n = 1;
            while used.contains(&candidate) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            *id = Some(CowStr::from(candidate.clone()));
            candidate
        }
    };
    used.insert(chosen.clone());
    Heading {
        level,
        id: chosen,
        text,
    }
}
