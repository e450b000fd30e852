//! What a page tells browsers, search engines and link previews about
//! itself: `meta` in every template (title, description, canonical URL,
//! OpenGraph type and image, feeds, JSON-LD).
//!
//! Each page kind builds its JSON-LD as data (serde_json); here it is made
//! safe to sit inside `<script>`: a name such as `</script><script>` stays
//! text.

use serde::Serialize;
use serde_json::{Value, json};

use super::views::{LinkView, Views};
use crate::text::{plain_text, truncate_words};

/// The longest description a page gives (search engines show about 160
/// characters; link previews a little more).
const DESCRIPTION_CHARS: usize = 200;

/// Page-level metadata every template receives as `meta`.
#[derive(Serialize, Default)]
pub(crate) struct Meta {
    /// The page's title, for `<title>`.
    pub title: String,
    /// `home`, `analyses`, `actors`, `events`, `timeline`, `tags`, `404`.
    pub section: &'static str,
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL (the canonical one).
    pub permalink: String,
    /// Plain text, at most about 200 characters.
    pub description: Option<String>,
    /// OpenGraph type: `website`, `article` or `profile`.
    pub kind: &'static str,
    /// Absolute URL and alt text of the page's image (an analysis's lead image).
    pub image: Option<MetaImage>,
    /// `YYYY-MM-DD`, on analyses.
    pub published: Option<String>,
    /// `YYYY-MM-DD`, on analyses with `updated`.
    pub modified: Option<String>,
    /// Authors, on analyses.
    pub authors: Vec<String>,
    /// Tag names, on analyses.
    pub tags: Vec<String>,
    /// Atom feeds that follow this page: the site's, and the actor's or tag's.
    pub feeds: Vec<LinkView>,
    /// The page in each language it exists in (empty on a one-language
    /// site): for `hreflang` links and a language switcher.
    pub alternates: Vec<super::views::Alternate>,
    /// Every language of the site, with this page in it where it is
    /// translated and that language's home page where not (empty on a
    /// one-language site): for a language switcher.
    pub languages: Vec<super::views::Alternate>,
    /// Whether search engines should leave the page out (a draft in a
    /// `--drafts` preview, the search page, the 404 page).
    pub noindex: bool,
    /// JSON-LD for a `<script type="application/ld+json">`, already escaped
    /// for it: print it with `| safe`.
    pub json_ld: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct MetaImage {
    pub url: String,
    pub alt: String,
}

/// JSON that can sit inside a `<script>` element: `<`, `>` and `&` become
/// `\u003c`, `\u003e`, `\u0026`, which JSON parsers read back as the same
/// characters, so no string can close the element or open a comment.
pub(crate) fn script_json(value: &impl serde::Serialize) -> String {
    // Serialising these views cannot fail (string keys, no maps of other keys).
    let json = serde_json::to_string(value).unwrap_or_default();
    let bytes = json.as_bytes();
    // U+2028 and U+2029 (escaped too) start with the byte 0xE2, as do
    // other characters (`…`, `€`), which are kept; most documents have
    // none of these bytes at all and are returned as they are.
    if !bytes.iter().any(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    let mut done = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let (escaped, len) = match (b, bytes.get(i + 1..i + 3)) {
            (b'<', _) => ("\\u003c", 1),
            (b'>', _) => ("\\u003e", 1),
            (b'&', _) => ("\\u0026", 1),
            (0xE2, Some([0x80, 0xA8])) => ("\\u2028", 3),
            (0xE2, Some([0x80, 0xA9])) => ("\\u2029", 3),
            _ => continue,
        };
        out.push_str(&json[done..i]);
        out.push_str(escaped);
        done = i + len;
    }
    out.push_str(&json[done..]);
    out
}

/// A description from an HTML fragment (a rendered summary).
pub(crate) fn describe_html(html: &str) -> Option<String> {
    let text = plain_text(html);
    (!text.is_empty()).then(|| truncate_words(&text, DESCRIPTION_CHARS))
}

pub(crate) fn describe(text: &str) -> String {
    truncate_words(text, DESCRIPTION_CHARS)
}

/// The site as the `publisher` of what it publishes.
pub(crate) fn publisher(v: &Views<'_>) -> Value {
    json!({
        "@type": "Organization",
        "name": v.config.title,
        "url": v.permalink(""),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"name": "</script><script>alert(1)</script><!-- & \u{2028}…€\u{2029}"});
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(!s.contains('\u{2028}') && !s.contains('\u{2029}'));
        assert!(s.contains("\\u2028…€\\u2029"), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
