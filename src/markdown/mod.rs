//! The Markdown seam: text + a resolver in, HTML + mentions + broken
//! references out. `[[id]]` and `[[id|text]]` become links; with an
//! [`Autolinker`], the first plain mention of each name becomes one too.
//!
//! Everything is done on pulldown-cmark events, never on HTML strings, so
//! the writer escapes every piece of text and every URL. The walk over the
//! events is [`renderer::Renderer`]; automatic links, footnotes, figures and
//! heading ids each have a file of their own.

mod autolink;
mod citations;
mod figures;
mod footnotes;
mod headings;
mod renderer;

use std::ops::Range;

use pulldown_cmark::{Options, Parser};

pub(crate) use autolink::Autolinker;

/// What a reference resolves to.
pub(crate) struct Resolved<'a, T> {
    pub target: T,
    /// Root-relative URL of the target's page.
    pub url: &'a str,
    /// Name or title, used as the link text of `[[id]]`.
    pub title: &'a str,
}

/// A source cited with `[@id]`, as its note shows it.
pub(crate) struct CitedSource<'a> {
    /// Root-relative URL of the source's page.
    pub url: &'a str,
    pub publisher: Option<&'a str>,
    pub title: &'a str,
    /// Its publication date, as displayed.
    pub date: Option<String>,
}

/// What the ids of a text name: `[[id]]` an actor or event, `[@id]` a source.
pub(crate) trait Resolve<T> {
    fn id(&self, id: &str) -> Option<Resolved<'_, T>>;
    fn source(&self, id: &str) -> Option<CitedSource<'_>>;
}

/// A `[[…]]` that went wrong: the id (or the text after an unclosed `[[`),
/// its byte range in the text, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BrokenRef {
    pub id: String,
    pub range: Range<usize>,
    pub problem: Problem,
}

/// What is wrong with a `[[…]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// No actor or event has the id.
    UnknownId,
    /// `[[` with no `]]` after it: printed as it stands.
    Unclosed,
    /// `[[id|text]` … `]]`: a `]` inside the text of a link.
    BracketInText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MentionKind {
    Explicit,
    Auto,
}

/// A heading of the document, for a table of contents.
#[derive(Debug, Clone)]
pub(crate) struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The result of rendering one Markdown text.
#[derive(Debug)]
pub(crate) struct Rendered<T> {
    pub html: String,
    /// Every resolved reference, in document order, one per target.
    pub mentions: Vec<(T, MentionKind)>,
    /// Every id written as `[[id]]`, and every `[@id]` as `@id`, resolved
    /// or not, in order, once each.
    pub refs: Vec<String>,
    /// Every source cited with `[@id]`, resolved or not, with the byte
    /// range of its `@id` in the text, in order.
    pub citations: Vec<(String, Range<usize>)>,
    pub broken: Vec<BrokenRef>,
    /// Every ordinary link's destination, with its byte range in the text.
    pub links: Vec<(String, Range<usize>)>,
    /// Byte ranges of images written without alt text (`![](x.png)`).
    pub missing_alt: Vec<Range<usize>>,
    pub headings: Vec<Heading>,
    pub words: usize,
}

pub(crate) struct RenderOptions<'a, T> {
    pub autolinker: Option<&'a Autolinker<T>>,
    /// Pass raw HTML through (analysis bodies) or escape it (fact sheets).
    pub raw_html: bool,
    /// The entity whose page this text is on: never linked to itself.
    pub own: Option<T>,
    /// The site's base path (`/` or `/sub/`): a root-relative link or image
    /// (`/img/x.jpg`) is a path on the site, and goes under it.
    pub base_path: &'a str,
    /// Whether `[@id]` cites a source (analysis bodies) or is text.
    pub cite: bool,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// Renders `text`. `resolve` says what `[[id]]` and `[@id]` name; it is
/// asked once per reference.
pub(crate) fn render<T, R>(text: &str, resolve: &R, opts: &RenderOptions<'_, T>) -> Rendered<T>
where
    T: Copy + Eq + std::hash::Hash,
    R: Resolve<T>,
{
    let mut r = renderer::Renderer::new(text, resolve, opts);
    for (event, range) in Parser::new_ext(text, parser_options()).into_offset_iter() {
        r.event(event, range);
    }
    r.finish()
}

/// Where `text` names `id`: with `wiki` in `[[id]]` and `[[id|text]]`
/// links, with `cite` in `[@id]` citations, as the renderer reads them:
/// never inside code, links or headings. The byte ranges of the id itself,
/// in order; for `dossier rename`.
pub(crate) fn references(text: &str, id: &str, wiki: bool, cite: bool) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
    let mut out = Vec::new();
    // Inside code, a link or a heading: nothing there is a reference.
    let mut shut = 0usize;
    let mut run: Option<Range<usize>> = None;
    let flush = |run: &mut Option<Range<usize>>, out: &mut Vec<Range<usize>>| {
        let Some(r) = run.take() else { return };
        if !cite {
            return;
        }
        for group in citations::find(&text[r.clone()]) {
            for item in group.items {
                if item.id == id {
                    // `at` covers `@id`.
                    out.push(r.start + item.at.start + 1..r.start + item.at.end);
                }
            }
        }
    };
    for (event, range) in Parser::new_ext(text, parser_options()).into_offset_iter() {
        match event {
            Event::Text(_) if shut == 0 => match &mut run {
                Some(r) if r.end == range.start => r.end = range.end,
                _ => {
                    flush(&mut run, &mut out);
                    run = Some(range);
                }
            },
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) if shut == 0 => {
                flush(&mut run, &mut out);
                if wiki && dest_url.trim() == id {
                    let start = (range.start + 2).min(range.end);
                    if let Some(i) = text[start..range.end].find(id) {
                        out.push(start + i..start + i + id.len());
                    }
                }
                shut += 1;
            }
            Event::Start(Tag::Link { .. } | Tag::CodeBlock(_) | Tag::Heading { .. }) => {
                flush(&mut run, &mut out);
                shut += 1;
            }
            Event::End(TagEnd::Link | TagEnd::CodeBlock | TagEnd::Heading(_)) => {
                flush(&mut run, &mut out);
                shut = shut.saturating_sub(1);
            }
            _ => flush(&mut run, &mut out),
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod reference_tests {
    use super::references;

    fn found<'a>(text: &'a str, id: &str, cite: bool) -> Vec<&'a str> {
        references(text, id, true, cite)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn links_and_citations_are_found_and_code_is_not() {
        let text = "See [[csto]] and [[csto|the alliance]], [@csto; @csto-2, p. 2].\n\n\
                    `[[csto]]` and [csto](x) stay.\n\n```\n[[csto]] [@csto]\n```\n\n## [[csto]] heading\n\ncsto is text.";
        let all = references(text, "csto", true, true);
        assert_eq!(all.len(), 3, "{all:?}");
        assert!(found(text, "csto", true).iter().all(|s| *s == "csto"));
        // Summaries take no citations; `csto-2` is another id.
        assert_eq!(references(text, "csto", true, false).len(), 2);
        assert_eq!(references(text, "csto", false, true).len(), 1);
        assert_eq!(references(text, "csto-2", true, true).len(), 1);
    }
}
