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
