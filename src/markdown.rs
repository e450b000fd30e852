//! The Markdown seam: text + a resolver in, HTML + mentions + broken
//! references out. `[[id]]` and `[[id|text]]` become links; with an
//! [`Autolinker`], the first plain mention of each name becomes one too.
//!
//! Everything is done on pulldown-cmark events, never on HTML strings, so
//! the writer escapes every piece of text and every URL.

use rustc_hash::FxHashSet as HashSet;
use std::hash::Hash;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// What a reference resolves to.
pub struct Resolved<'a, T> {
    pub target: T,
    /// Root-relative URL of the target's page.
    pub url: &'a str,
    /// Name or title, used as the link text of `[[id]]`.
    pub title: &'a str,
}

/// Finds every name and alias in one pass (Aho-Corasick, leftmost-longest).
#[derive(Debug)]
pub struct Autolinker<T> {
    matcher: Option<AhoCorasick>,
    /// Per pattern: its target and the target's URL.
    targets: Vec<(T, String)>,
}

impl<T: Copy> Autolinker<T> {
    /// `names` are (text, target, url); texts must be unique (the caller
    /// drops ambiguous ones).
    pub fn new(names: Vec<(String, T, String)>) -> Self {
        let (patterns, targets): (Vec<String>, Vec<(T, String)>) =
            names.into_iter().map(|(n, t, u)| (n, (t, u))).unzip();
        let matcher = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .ok()
        };
        Autolinker { matcher, targets }
    }
}

/// A `[[id]]` that did not resolve: the id and its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenRef {
    pub id: String,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    Explicit,
    Auto,
}

/// A heading of the document, for a table of contents.
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The result of rendering one Markdown text.
#[derive(Debug)]
pub struct Rendered<T> {
    pub html: String,
    /// Every resolved reference, in document order, one per target.
    pub mentions: Vec<(T, MentionKind)>,
    /// Every id written as `[[id]]`, resolved or not, in order.
    pub refs: Vec<String>,
    pub broken: Vec<BrokenRef>,
    /// Every ordinary link's destination, with its byte range in the text.
    pub links: Vec<(String, Range<usize>)>,
    /// Byte ranges of images written without alt text (`![](x.png)`).
    pub missing_alt: Vec<Range<usize>>,
    pub headings: Vec<Heading>,
    pub words: usize,
}

pub struct RenderOptions<'a, T> {
    pub autolinker: Option<&'a Autolinker<T>>,
    /// Pass raw HTML through (analysis bodies) or escape it (fact sheets).
    pub raw_html: bool,
    /// The entity whose page this text is on: never linked to itself.
    pub own: Option<T>,
    /// The site's base path (`/` or `/sub/`): a root-relative link or image
    /// (`/img/x.jpg`) is a path on the site, and goes under it.
    pub base_path: &'a str,
}

struct WikiLink {
    /// Replaces the link text (`[[id]]` without `|text`).
    title: Option<String>,
    broken: bool,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// Renders `text`. `resolve` maps an id to its target; it is called once per
/// `[[…]]`.
pub fn render<'r, T, R>(text: &str, resolve: R, opts: &RenderOptions<'_, T>) -> Rendered<T>
where
    T: Copy + Eq + Hash,
    R: Fn(&str) -> Option<Resolved<'r, T>>,
{
    let parser = Parser::new_ext(text, parser_options()).into_offset_iter();
    let mut out: Vec<Event<'_>> = Vec::new();
    let mut mentions = Vec::new();
    let mut mentioned: HashSet<T> = opts.own.into_iter().collect();
    let mut broken = Vec::new();
    let mut refs: Vec<String> = Vec::new();
    let mut links = Vec::new();
    let mut missing_alt = Vec::new();
    let mut words = 0usize;
    // Depth of constructs inside which no autolink may be made.
    let mut no_autolink = 0usize;
    // Inside a [[…]]: what to do at its end.
    let mut wikilink: Option<WikiLink> = None;
    let mut heading_start: Option<usize> = None;
    let mut headings = Vec::new();
    let mut heading_ids: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    let mut footnotes = Footnotes::default();
    let mut footnote_start: Option<usize> = None;
    let mut current_footnote: Option<String> = None;

    // Text and soft line breaks are gathered into one run before autolinking,
    // so that a name split over two source lines is still found.
    let mut run = String::new();
    let flush = |run: &mut String,
                 out: &mut Vec<Event<'_>>,
                 mentioned: &mut HashSet<T>,
                 mentions: &mut Vec<(T, MentionKind)>,
                 no_autolink: usize| {
        if run.is_empty() {
            return;
        }
        let t = CowStr::from(std::mem::take(run));
        match opts.autolinker {
            Some(auto) if no_autolink == 0 => autolink(t, auto, mentioned, mentions, out),
            _ => out.push(Event::Text(t)),
        }
    };

    for (event, range) in parser {
        if let Event::Start(Tag::FootnoteDefinition(label)) = &event {
            current_footnote = Some(label.to_string());
        }
        match &event {
            Event::Text(t) if wikilink.as_ref().is_none_or(|w| w.title.is_none()) => {
                words += count_words(t);
                run.push_str(t);
                continue;
            }
            Event::SoftBreak if wikilink.is_none() => {
                run.push(' ');
                continue;
            }
            _ => flush(
                &mut run,
                &mut out,
                &mut mentioned,
                &mut mentions,
                no_autolink,
            ),
        }
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                no_autolink += 1;
                let id = dest_url.trim();
                if !refs.iter().any(|r| r == id) {
                    refs.push(id.to_string());
                }
                match resolve(id) {
                    Some(r) => {
                        if mentioned.insert(r.target) {
                            mentions.push((r.target, MentionKind::Explicit));
                        }
                        out.push(Event::Start(Tag::Link {
                            link_type: LinkType::Inline,
                            dest_url: CowStr::from(r.url.to_string()),
                            title: CowStr::Borrowed(""),
                            id: CowStr::Borrowed(""),
                        }));
                        wikilink = Some(WikiLink {
                            title: (!has_pothole).then(|| r.title.to_string()),
                            broken: false,
                        });
                    }
                    None => {
                        // Point at the id inside `[[…]]`.
                        let start = (range.start + 2).min(range.end);
                        let id_start = text[start..].find(id).map_or(start, |i| start + i);
                        broken.push(BrokenRef {
                            id: id.to_string(),
                            range: id_start..(id_start + id.len()).min(text.len()),
                        });
                        out.push(Event::Start(Tag::Emphasis));
                        wikilink = Some(WikiLink {
                            title: None,
                            broken: true,
                        });
                    }
                }
            }
            Event::End(TagEnd::Link) if wikilink.is_some() => {
                no_autolink = no_autolink.saturating_sub(1);
                let Some(w) = wikilink.take() else { continue };
                if let Some(title) = w.title {
                    words += count_words(&title);
                    out.push(Event::Text(CowStr::from(title)));
                }
                out.push(Event::End(if w.broken {
                    TagEnd::Emphasis
                } else {
                    TagEnd::Link
                }));
            }
            // The text of `[[id]]` is replaced by the title; `[[id|text]]` keeps its text.
            _ if wikilink.as_ref().is_some_and(|w| w.title.is_some()) => {}
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_))) => {
                no_autolink += 1;
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &tag {
                    links.push((dest_url.to_string(), range.clone()));
                }
                if matches!(tag, Tag::Image { .. })
                    && text.get(range.clone()).is_some_and(image_lacks_alt)
                {
                    missing_alt.push(range.clone());
                }
                out.push(Event::Start(under_base(tag, opts.base_path)));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock)) => {
                no_autolink = no_autolink.saturating_sub(1);
                out.push(Event::End(end));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                no_autolink += 1;
                heading_start = Some(out.len());
                out.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                no_autolink = no_autolink.saturating_sub(1);
                if let Some(start) = heading_start.take() {
                    let heading = name_heading(&mut out, start, level as u8, &mut heading_ids);
                    headings.push(heading);
                }
                out.push(Event::End(TagEnd::Heading(level)));
            }
            Event::FootnoteReference(label) => {
                let n = footnotes.reference(&label);
                let id = &footnotes.ids[n - 1];
                let first = footnotes.referenced[n - 1] == 1;
                let back = if first {
                    format!(" id=\"fnref-{id}\"")
                } else {
                    String::new()
                };
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\"{back}>{n}</a></sup>"
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(_)) => footnote_start = Some(out.len()),
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(start) = footnote_start.take() {
                    footnotes.definitions.push(out.drain(start..).collect());
                    footnotes
                        .defined_labels
                        .push(current_footnote.take().unwrap_or_default());
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if !opts.raw_html => out.push(Event::Text(h)),
            other => out.push(other),
        }
    }
    flush(
        &mut run,
        &mut out,
        &mut mentioned,
        &mut mentions,
        no_autolink,
    );
    let mut out = figures(out);
    footnotes.append_section(&mut out);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    Rendered {
        html,
        mentions,
        refs,
        broken,
        links,
        missing_alt,
        headings,
        words,
    }
}

/// A root-relative link or image (`/img/x.jpg`, not `//host/x`) is a path on
/// the site: it goes under the base path (`/sub/img/x.jpg`).
fn under_base<'t>(tag: Tag<'t>, base_path: &str) -> Tag<'t> {
    let rebase = |url: CowStr<'t>| -> CowStr<'t> {
        match url.strip_prefix('/') {
            Some(rest) if base_path != "/" && !rest.starts_with('/') => {
                CowStr::from(format!("{base_path}{rest}"))
            }
            _ => url,
        }
    };
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: rebase(dest_url),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: rebase(dest_url),
            title,
            id,
        },
        other => other,
    }
}

/// An image alone in its paragraph becomes a figure, its title the caption:
/// `![Alt](x.jpg "Caption | Credit")` gives `<figure><img …><figcaption>
/// Caption <span class="credit">Credit</span></figcaption></figure>`. Text
/// stays in `Text` events, so the writer escapes it.
fn figures(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Image { .. })))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        // The image's fields and the index of its end, if it is alone.
        let alone = match (&events[i], events.get(i + 1)) {
            (Event::Start(Tag::Paragraph), Some(Event::Start(Tag::Image { .. }))) => events
                [i + 2..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Image)))
                .map(|k| i + 2 + k)
                .filter(|&end| matches!(events.get(end + 1), Some(Event::End(TagEnd::Paragraph)))),
            _ => None,
        };
        let (
            Some(end),
            Some(Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })),
        ) = (alone, events.get(i + 1).cloned())
        else {
            out.push(events[i].clone());
            i += 1;
            continue;
        };
        out.push(Event::Html(CowStr::Borrowed("<figure class=\"figure\">")));
        out.push(Event::Start(Tag::Image {
            link_type,
            dest_url,
            title: CowStr::Borrowed(""),
            id,
        }));
        out.extend(events[i + 2..=end].iter().cloned());
        let (caption, credit) = match title.rsplit_once('|') {
            Some((c, r)) => (c.trim(), r.trim()),
            None => (title.trim(), ""),
        };
        if !caption.is_empty() || !credit.is_empty() {
            out.push(Event::Html(CowStr::Borrowed("<figcaption>")));
            out.push(Event::Text(CowStr::from(caption.to_string())));
            if !credit.is_empty() {
                out.push(Event::Html(CowStr::Borrowed(" <span class=\"credit\">")));
                out.push(Event::Text(CowStr::from(credit.to_string())));
                out.push(Event::Html(CowStr::Borrowed("</span>")));
            }
            out.push(Event::Html(CowStr::Borrowed("</figcaption>")));
        }
        out.push(Event::Html(CowStr::Borrowed("</figure>\n")));
        i = end + 2;
    }
    out
}

/// Whether the source of an image (`![alt](src)`, `![alt][ref]`) has no
/// alt text, or only spaces.
fn image_lacks_alt(source: &str) -> bool {
    let Some(rest) = source.strip_prefix("![") else {
        return false;
    };
    rest.split(']')
        .next()
        .is_none_or(|alt| alt.trim().is_empty())
}

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

/// Footnotes, numbered in order of first reference and gathered into one
/// section at the end, each linking back to where it was cited. Ids are
/// `fn-…`/`fnref-…`, a space headings never use, so they cannot collide.
#[derive(Default)]
struct Footnotes<'a> {
    /// Label → number (1-based).
    numbers: rustc_hash::FxHashMap<String, usize>,
    /// Per number: the id (from the label) and how often it was referenced.
    ids: Vec<String>,
    referenced: Vec<usize>,
    used_ids: HashSet<String>,
    /// Definitions in document order, with their labels.
    definitions: Vec<Vec<Event<'a>>>,
    defined_labels: Vec<String>,
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
    fn reference(&mut self, label: &str) -> usize {
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

    fn append_section(mut self, out: &mut Vec<Event<'a>>) {
        if self.definitions.is_empty() {
            return;
        }
        let mut defs: Vec<(usize, Vec<Event<'a>>, String)> = Vec::new();
        let labels = std::mem::take(&mut self.defined_labels);
        for (events, label) in std::mem::take(&mut self.definitions)
            .into_iter()
            .zip(labels)
        {
            let n = match self.numbers.get(&label) {
                Some(&n) => n,
                None => {
                    // Defined but never cited: listed after the cited ones.
                    let id = self.id_for(&label);
                    self.ids.push(id);
                    self.referenced.push(0);
                    self.ids.len()
                }
            };
            defs.push((n, events, label));
        }
        defs.sort_by_key(|(n, _, _)| *n);
        out.push(Event::Html(CowStr::Borrowed(
            "<section class=\"footnotes\" aria-label=\"Notes\">\n<ol class=\"footnote-list\">\n",
        )));
        for (n, mut events, _) in defs {
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

/// Splits `t` around the first mention of each not-yet-mentioned target.
fn autolink<'a, T: Copy + Eq + Hash>(
    t: CowStr<'a>,
    auto: &Autolinker<T>,
    mentioned: &mut HashSet<T>,
    mentions: &mut Vec<(T, MentionKind)>,
    out: &mut Vec<Event<'a>>,
) {
    let Some(matcher) = &auto.matcher else {
        out.push(Event::Text(t));
        return;
    };
    let s: &str = &t;
    let mut last = 0;
    let mut pieces: Vec<(Range<usize>, &str)> = Vec::new();
    for m in matcher.find_iter(s) {
        let (target, url) = &auto.targets[m.pattern().as_usize()];
        if mentioned.contains(target) || !is_word_boundary(s, m.start(), m.end()) {
            continue;
        }
        mentioned.insert(*target);
        mentions.push((*target, MentionKind::Auto));
        pieces.push((m.start()..m.end(), url.as_str()));
    }
    if pieces.is_empty() {
        out.push(Event::Text(t));
        return;
    }
    for (range, url) in pieces {
        if range.start > last {
            out.push(Event::Text(CowStr::from(s[last..range.start].to_string())));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(url.to_string()),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        out.push(Event::Text(CowStr::from(s[range.clone()].to_string())));
        out.push(Event::End(TagEnd::Link));
        last = range.end;
    }
    if last < s.len() {
        out.push(Event::Text(CowStr::from(s[last..].to_string())));
    }
}

fn is_word_boundary(s: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let before = s[..start].chars().next_back().is_none_or(|c| !word(c));
    let after = s[end..].chars().next().is_none_or(|c| !word(c));
    before && after
}

fn count_words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// The text of rendered HTML (tags dropped, the entities our renderer writes
/// decoded, whitespace collapsed), for descriptions and the search index.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        // Blocks separate words; inline elements (`<em>`, `<a>`) do not.
        if matches!(
            name,
            "p" | "br"
                | "li"
                | "ul"
                | "ol"
                | "div"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "blockquote"
                | "pre"
                | "table"
                | "tr"
                | "td"
                | "th"
                | "figure"
                | "figcaption"
                | "hr"
                | "section"
                | "dd"
                | "dt"
        ) {
            text.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.contains('&') {
        out = out
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
    }
    out
}

/// The distinct words of a plain text, lowercased, in order of first
/// appearance, joined by spaces: what the search index matches prefixes
/// against. Words are runs of letters and digits in any script; one-letter
/// words are left out.
pub fn search_terms(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(lower.len() / 3);
    let mut seen = HashSet::default();
    for word in lower.split(|c: char| !c.is_alphanumeric()) {
        if word.chars().nth(1).is_none() || !seen.insert(word) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The search terms of some short fields (title, aliases), then a text's
/// already computed `terms`. A word of both appears twice, which costs a few
/// bytes and saves checking every word of the text again.
pub fn search_terms_with(fields: &[&str], terms: &str) -> String {
    let mut out = search_terms(&fields.join(" "));
    if !terms.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(terms);
    }
    out
}

/// At most `max` characters of `text`, cut at a word boundary with `…`.
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    let head = head.rfind(' ').map_or(head, |i| &head[..i]);
    format!("{}…", head.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// Smart punctuation for plain text (titles, summaries, roles), matching what
/// the Markdown renderer does to bodies: curly quotes and apostrophes,
/// `--` → –, `---` → —, `...` → ….
pub fn smart_text(s: &str) -> String {
    if !s.contains(['\'', '"', '-', '.']) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let opens = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
        match c {
            '\'' => out.push(if opens { '‘' } else { '’' }),
            '"' => out.push(if opens { '“' } else { '”' }),
            '-' if chars.get(i + 1) == Some(&'-') => {
                if chars.get(i + 2) == Some(&'-') {
                    out.push('—');
                    i += 2;
                } else {
                    out.push('–');
                    i += 1;
                }
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                out.push('…');
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{plain_text, smart_text, truncate_words};

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            plain_text(
                "<p>The <a href=\"/x/\">CSTO</a> &amp; <em>Russia</em>&#39;s\n force &lt;2,030&gt;</p>"
            ),
            "The CSTO & Russia's force <2,030>"
        );
        assert_eq!(plain_text("a <b"), "a");
    }

    #[test]
    fn truncate_words_cuts_between_words() {
        assert_eq!(truncate_words("short", 10), "short");
        assert_eq!(truncate_words("one two three four", 12), "one two…");
        assert_eq!(truncate_words("ёжик ёжик ёжик", 6), "ёжик…");
    }

    #[test]
    fn smart_text_curls_quotes_and_dashes() {
        assert_eq!(smart_text("Kazakhstan's crisis"), "Kazakhstan’s crisis");
        assert_eq!(
            smart_text("a \"collective peacekeeping force\""),
            "a “collective peacekeeping force”"
        );
        assert_eq!(
            smart_text("'Leader of the Nation'"),
            "‘Leader of the Nation’"
        );
        assert_eq!(
            smart_text("2019--2022 --- and so on..."),
            "2019–2022 — and so on…"
        );
        assert_eq!(smart_text("1. Plain"), "1. Plain");
        assert_eq!(smart_text("the '90s"), "the ‘90s");
    }
}
