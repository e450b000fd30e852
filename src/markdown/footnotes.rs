//! Footnotes, numbered in order of first reference and gathered into one
//! section at the end of the text, each linking back to where it was cited.
//! Ids are `fn-…`/`fnref-…`, a space headings never use, so they cannot
//! collide.

use pulldown_cmark::{CowStr, Event, TagEnd};
use rustc_hash::FxHashSet as HashSet;

#[derive(Default)]
pub(super) struct Footnotes<'a> {
    /// Label → number (1-based).
    numbers: rustc_hash::FxHashMap<String, usize>,
    /// Per number: the id (from the label) and how often it was referenced.
    ids: Vec<String>,
    referenced: Vec<usize>,
    used_ids: HashSet<String>,
    /// Definitions in document order, with their labels.
    definitions: Vec<(Vec<Event<'a>>, String)>,
    /// The definition being read: its label and where its events start.
    open: Option<(String, usize)>,
    /// Citations so far.
    cites: usize,
}

impl<'a> Footnotes<'a> {
    fn id_for(&mut self, label: &str) -> String {
        let base = match slug::slugify(label) {
            s if s.is_empty() => format!("{}", self.ids.len() + 1),
            s => s,
        };
        let mut id = base.clone();
        let mut k = 2;
        while !self.used_ids.insert(id.clone()) {
            id = format!("{base}-{k}");
            k += 1;
        }
        id
    }

    /// The number of `label`, giving it the next one on first use.
    fn number(&mut self, label: &str) -> usize {
        if let Some(&n) = self.numbers.get(label) {
            self.referenced[n - 1] += 1;
            return n;
        }
        let id = self.id_for(label);
        self.ids.push(id);
        self.referenced.push(1);
        let n = self.ids.len();
        self.numbers.insert(label.to_string(), n);
        n
    }

    /// The superscript link of a reference to `label`; the first reference
    /// is the one the note links back to.
    pub(super) fn reference(&mut self, label: &str) -> Event<'a> {
        let n = self.number(label);
        let id = &self.ids[n - 1];
        let back = if self.referenced[n - 1] == 1 {
            format!(" id=\"fnref-{id}\"")
        } else {
            String::new()
        };
        Event::InlineHtml(CowStr::from(format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\"{back}>{n}</a></sup>"
        )))
    }

    /// A citation: a note of its own with these events, numbered with the
    /// footnotes, and the superscript link to it.
    pub(super) fn cite(&mut self, note: Vec<Event<'a>>) -> Event<'a> {
        // A label no footnote can have (they come from `[^label]`).
        self.cites += 1;
        let label = format!("\u{0}cite-{}", self.cites);
        let sup = self.reference(&label);
        self.definitions.push((note, label));
        sup
    }

    /// A definition of `label` starts at position `at` of the output.
    pub(super) fn open(&mut self, label: &str, at: usize) {
        self.open = Some((label.to_string(), at));
    }

    /// The definition ends: its events leave the output for the section.
    pub(super) fn close(&mut self, out: &mut Vec<Event<'a>>) {
        if let Some((label, start)) = self.open.take() {
            self.definitions.push((out.drain(start..).collect(), label));
        }
    }

    /// Appends the section of notes, in order of first reference; notes
    /// defined but never cited come last.
    pub(super) fn append_section(mut self, out: &mut Vec<Event<'a>>) {
        if self.definitions.is_empty() {
            return;
        }
        let mut defs: Vec<(usize, Vec<Event<'a>>)> = Vec::new();
        for (events, label) in std::mem::take(&mut self.definitions) {
            let n = match self.numbers.get(&label) {
                Some(&n) => n,
                None => {
                    let id = self.id_for(&label);
                    self.ids.push(id);
                    self.referenced.push(0);
                    self.ids.len()
                }
            };
            defs.push((n, events));
        }
        defs.sort_by_key(|(n, _)| *n);
        out.push(Event::Html(CowStr::Borrowed(
            "<section class=\"footnotes\" aria-label=\"Notes\">\n<ol class=\"footnote-list\">\n",
        )));
        for (n, mut events) in defs {
            let id = &self.ids[n - 1];
            out.push(Event::Html(CowStr::from(format!(
                "<li id=\"fn-{id}\" value=\"{n}\">"
            ))));
            if self.referenced[n - 1] > 0 {
                let back = Event::InlineHtml(CowStr::from(format!(
                    " <a href=\"#fnref-{id}\" class=\"footnote-backref\" aria-label=\"Back to reference {n}\">↩</a>"
                )));
                match events
                    .iter()
                    .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
                {
                    Some(i) => events.insert(i, back),
                    None => events.push(back),
                }
            }
            out.extend(events);
            out.push(Event::Html(CowStr::Borrowed("</li>\n")));
        }
        out.push(Event::Html(CowStr::Borrowed("</ol>\n</section>\n")));
    }
}
