//! The walk over pulldown-cmark's events: one method per kind of event,
//! the state of the walk in one struct. Text is gathered into runs before
//! automatic linking, so that a name split over two source lines is found.

use std::hash::Hash;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use rustc_hash::FxHashSet as HashSet;

use super::autolink::autolink;
use super::citations;
use super::figures::{figures, image_lacks_alt, under_base};
use super::footnotes::Footnotes;
use super::headings::Headings;
use super::{BrokenRef, MentionKind, Problem, RenderOptions, Rendered, Resolve};
use crate::text::count_words;

/// Inside a `[[…]]`: what to do at its end.
struct WikiLink {
    /// Replaces the link text (`[[id]]` without `|text`).
    title: Option<String>,
    broken: bool,
}

pub(super) struct Renderer<'t, 'o, T, R> {
    text: &'t str,
    resolve: &'o R,
    opts: &'o RenderOptions<'o, T>,
    out: Vec<Event<'t>>,
    /// Text and soft breaks not yet autolinked.
    run: String,
    /// Where the pieces of `run` start: (offset in `run`, offset in `text`).
    run_pieces: Vec<(usize, usize)>,
    /// Depth of constructs inside which no autolink may be made.
    no_autolink: usize,
    /// Inside a code block, where brackets are the author's business.
    in_code: bool,
    wikilink: Option<WikiLink>,
    /// Targets mentioned so far (and the page's own entity).
    mentioned: HashSet<T>,
    mentions: Vec<(T, MentionKind)>,
    refs: Vec<String>,
    citations: Vec<(String, Range<usize>)>,
    broken: Vec<BrokenRef>,
    links: Vec<(String, Range<usize>)>,
    missing_alt: Vec<Range<usize>>,
    words: usize,
    headings: Headings,
    footnotes: Footnotes<'t>,
}

impl<'t, 'o, T, R> Renderer<'t, 'o, T, R>
where
    T: Copy + Eq + Hash,
    R: Resolve<T>,
{
    pub(super) fn new(text: &'t str, resolve: &'o R, opts: &'o RenderOptions<'o, T>) -> Self {
        Renderer {
            text,
            resolve,
            opts,
            out: Vec::new(),
            run: String::new(),
            run_pieces: Vec::new(),
            no_autolink: 0,
            in_code: false,
            wikilink: None,
            mentioned: opts.own.into_iter().collect(),
            mentions: Vec::new(),
            refs: Vec::new(),
            citations: Vec::new(),
            broken: Vec::new(),
            links: Vec::new(),
            missing_alt: Vec::new(),
            words: 0,
            headings: Headings::default(),
            footnotes: Footnotes::default(),
        }
    }

    /// Takes one event of the parser, with its byte range in the text.
    pub(super) fn event(&mut self, event: Event<'t>, range: Range<usize>) {
        // Text joins the current run unless a `[[id]]` replaces it.
        match &event {
            Event::Text(t) if self.wikilink.as_ref().is_none_or(|w| w.title.is_none()) => {
                self.words += count_words(t);
                self.run_pieces.push((self.run.len(), range.start));
                self.run.push_str(t);
                return;
            }
            Event::SoftBreak if self.wikilink.is_none() => {
                self.run_pieces.push((self.run.len(), range.start));
                self.run.push(' ');
                return;
            }
            _ => self.flush(),
        }
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => self.wikilink_start(&dest_url, has_pothole, range),
            Event::End(TagEnd::Link) if self.wikilink.is_some() => self.wikilink_end(),
            // The text of `[[id]]` is replaced by the title; `[[id|text]]` keeps its text.
            _ if self.wikilink.as_ref().is_some_and(|w| w.title.is_some()) => {}
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_))) => {
                self.in_code |= matches!(tag, Tag::CodeBlock(_));
                self.link_start(tag, range)
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock)) => {
                self.in_code &= end != TagEnd::CodeBlock;
                self.no_autolink = self.no_autolink.saturating_sub(1);
                self.out.push(Event::End(end));
            }
            Event::Start(heading @ Tag::Heading { .. }) => {
                self.no_autolink += 1;
                self.headings.open(self.out.len());
                self.out.push(Event::Start(heading));
            }
            Event::End(TagEnd::Heading(level)) => {
                self.no_autolink = self.no_autolink.saturating_sub(1);
                self.headings.close(&mut self.out, level as u8);
                self.out.push(Event::End(TagEnd::Heading(level)));
            }
            Event::FootnoteReference(label) => {
                let sup = self.footnotes.reference(&label);
                self.out.push(sup);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.footnotes.open(&label, self.out.len())
            }
            Event::End(TagEnd::FootnoteDefinition) => self.footnotes.close(&mut self.out),
            Event::Html(h) | Event::InlineHtml(h) if !self.opts.raw_html => {
                self.out.push(Event::Text(h))
            }
            other => self.out.push(other),
        }
    }

    /// Puts out the gathered run of text: citations become notes, and the
    /// text around them is autolinked.
    fn flush(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.run);
        let pieces = std::mem::take(&mut self.run_pieces);
        if !self.in_code {
            self.brackets(&run, &pieces);
        }
        let groups = if self.opts.cite && self.no_autolink == 0 && run.contains('@') {
            citations::find(&run)
        } else {
            Vec::new()
        };
        if groups.is_empty() {
            self.text_out(CowStr::from(run));
            return;
        }
        let mut last = 0;
        for group in &groups {
            if group.range.start > last {
                self.text_out(CowStr::from(run[last..group.range.start].to_string()));
            }
            self.cite(group, &pieces);
            last = group.range.end;
        }
        if last < run.len() {
            self.text_out(CowStr::from(run[last..].to_string()));
        }
    }

    /// Text, autolinked unless inside something that takes no links.
    fn text_out(&mut self, t: CowStr<'t>) {
        match self.opts.autolinker {
            Some(auto) if self.no_autolink == 0 => autolink(
                t,
                auto,
                &mut self.mentioned,
                &mut self.mentions,
                &mut self.out,
            ),
            _ => self.out.push(Event::Text(t)),
        }
    }

    /// Brackets the parser left as text: a `[[` never closed, and a `]`
    /// inside the text of a `[[id|text]]`. Each is checked against the
    /// source, so an escaped `\[[` is left alone.
    fn brackets(&mut self, run: &str, pieces: &[(usize, usize)]) {
        let at_source = |offset: usize, what: &str| {
            let src = source_offset(pieces, offset);
            // An odd number of backslashes before it escapes it.
            let escaped = self.text.as_bytes()[..src.min(self.text.len())]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count()
                % 2
                == 1;
            (!escaped && self.text.get(src..).is_some_and(|t| t.starts_with(what))).then_some(src)
        };
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(i) = run[from..].find("[[") {
            let at = from + i;
            if let Some(src) = at_source(at, "[[") {
                // The words after it, to name it by.
                let after: String = run[at + 2..]
                    .chars()
                    .take_while(|c| !c.is_whitespace() && !matches!(c, '[' | ']' | '|'))
                    .collect();
                found.push(BrokenRef {
                    id: after,
                    range: src..src + 2,
                    problem: Problem::Unclosed,
                });
            }
            from = at + 2;
        }
        if self.wikilink.is_some()
            && let Some(i) = run.find(']')
            && let Some(src) = at_source(i, "]")
        {
            found.push(BrokenRef {
                id: run.to_string(),
                range: src..src + 1,
                problem: Problem::BracketInText,
            });
        }
        self.broken.extend(found);
    }

    /// A citation group: a note naming its sources, and each `@id` kept
    /// with its place in the text (a run's offsets mapped back through the
    /// pieces it was gathered from).
    fn cite(&mut self, group: &citations::Group<'_>, pieces: &[(usize, usize)]) {
        let in_text = |offset: usize| source_offset(pieces, offset);
        let mut resolved = Vec::with_capacity(group.items.len());
        for item in &group.items {
            let start = in_text(item.at.start).min(self.text.len());
            let end = (start + item.at.len()).min(self.text.len());
            self.citations.push((item.id.to_string(), start..end));
            let key = format!("@{}", item.id);
            if !self.refs.contains(&key) {
                self.refs.push(key);
            }
            resolved.push((item, self.resolve.source(item.id)));
        }
        let sup = self.footnotes.cite(citations::note(&resolved));
        self.out.push(sup);
    }

    /// `[[id]]` or `[[id|text]]`: a link to the id's page, or an emphasised
    /// text and a broken reference when the id is unknown.
    fn wikilink_start(&mut self, dest: &str, has_pothole: bool, range: Range<usize>) {
        self.no_autolink += 1;
        let id = dest.trim();
        if !self.refs.iter().any(|r| r == id) {
            self.refs.push(id.to_string());
        }
        match self.resolve.id(id) {
            Some(r) => {
                if self.mentioned.insert(r.target) {
                    self.mentions.push((r.target, MentionKind::Explicit));
                }
                self.out.push(Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::from(r.url.to_string()),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                }));
                self.wikilink = Some(WikiLink {
                    title: (!has_pothole).then(|| r.title.to_string()),
                    broken: false,
                });
            }
            None => {
                // Point at the id inside `[[…]]`.
                let text = self.text;
                let start = (range.start + 2).min(range.end);
                let id_start = text[start..].find(id).map_or(start, |i| start + i);
                self.broken.push(BrokenRef {
                    id: id.to_string(),
                    range: id_start..(id_start + id.len()).min(text.len()),
                    problem: Problem::UnknownId,
                });
                self.out.push(Event::Start(Tag::Emphasis));
                self.wikilink = Some(WikiLink {
                    title: None,
                    broken: true,
                });
            }
        }
    }

    fn wikilink_end(&mut self) {
        self.no_autolink = self.no_autolink.saturating_sub(1);
        let Some(w) = self.wikilink.take() else {
            return;
        };
        if let Some(title) = w.title {
            self.words += count_words(&title);
            self.out.push(Event::Text(CowStr::from(title)));
        }
        self.out.push(Event::End(if w.broken {
            TagEnd::Emphasis
        } else {
            TagEnd::Link
        }));
    }

    /// An ordinary link, an image or a code block: nothing inside is
    /// autolinked; links are kept for the `bad_link` check, images without
    /// alt text for `missing_alt`.
    fn link_start(&mut self, tag: Tag<'t>, range: Range<usize>) {
        self.no_autolink += 1;
        if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &tag {
            self.links.push((dest_url.to_string(), range.clone()));
        }
        if matches!(tag, Tag::Image { .. })
            && self.text.get(range.clone()).is_some_and(image_lacks_alt)
        {
            self.missing_alt.push(range);
        }
        self.out
            .push(Event::Start(under_base(tag, self.opts.base_path)));
    }

    /// The end of the text: figures, the notes, and the HTML.
    pub(super) fn finish(mut self) -> Rendered<T> {
        self.flush();
        let mut out = figures(self.out);
        self.footnotes.append_section(&mut out);
        let mut html = String::with_capacity(self.text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, out.into_iter());
        // Kept for the whole build: without the slack a grown string has.
        html.shrink_to_fit();
        Rendered {
            html,
            mentions: self.mentions,
            refs: self.refs,
            citations: self.citations,
            broken: self.broken,
            links: self.links,
            missing_alt: self.missing_alt,
            headings: self.headings.list,
            words: self.words,
        }
    }
}

/// Where an offset in a run of text lies in the source, through the pieces
/// the run was gathered from: (offset in the run, offset in the source).
fn source_offset(pieces: &[(usize, usize)], offset: usize) -> usize {
    let k = pieces
        .partition_point(|&(run, _)| run <= offset)
        .saturating_sub(1);
    pieces.get(k).map_or(0, |&(run, src)| src + (offset - run))
}
