//! What a page tells browsers, search engines and link previews about
//! itself: `meta` in every template (title, description, canonical URL,
//! OpenGraph type and image, feeds) and its JSON-LD.
//!
//! JSON-LD is built here as data and serialised with serde_json, then made
//! safe to sit inside `<script>`: a name such as `</script><script>` stays
//! text.

use serde::Serialize;
use serde_json::{Value, json};

use super::views::{ActorPage, AnalysisPage, EventPage, LinkView, Views};
use crate::text::{plain_text, truncate_words};

/// The longest description a page gives (search engines show about 160
/// characters; link previews a little more).
const DESCRIPTION_CHARS: usize = 200;

/// Page-level metadata every template receives as `meta`.
#[derive(Serialize, Default)]
pub struct Meta {
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
    /// JSON-LD for a `<script type="application/ld+json">`, already escaped
    /// for it: print it with `| safe`.
    pub json_ld: Option<String>,
}

#[derive(Serialize)]
pub struct MetaImage {
    pub url: String,
    pub alt: String,
}

/// JSON that can sit inside a `<script>` element: `<`, `>` and `&` become
/// `\u003c`, `\u003e`, `\u0026`, which JSON parsers read back as the same
/// characters, so no string can close the element or open a comment.
pub fn script_json(value: &Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A description from an HTML fragment (a rendered summary).
pub fn describe_html(html: &str) -> Option<String> {
    let text = plain_text(html);
    (!text.is_empty()).then(|| truncate_words(&text, DESCRIPTION_CHARS))
}

pub fn describe(text: &str) -> String {
    truncate_words(text, DESCRIPTION_CHARS)
}

/// An absolute URL for a root-relative one (`/sub/x/` → `https://host/sub/x/`).
fn absolute(v: &Views<'_>, url: &str) -> String {
    if url.starts_with('/') {
        format!("{}{url}", v.config.base_url.origin)
    } else {
        url.to_string()
    }
}

fn publisher(v: &Views<'_>) -> Value {
    json!({
        "@type": "Organization",
        "name": v.config.title,
        "url": v.permalink(""),
    })
}

pub fn website(v: &Views<'_>) -> Value {
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": v.config.title,
        "url": v.permalink(""),
        "inLanguage": v.config.language,
    });
    if let Some(d) = &v.config.description {
        ld["description"] = json!(d);
    }
    ld
}

/// The schema.org type of an actor.
fn actor_type(kind: &str) -> &'static str {
    match kind {
        "person" => "Person",
        "state" => "Country",
        "place" => "Place",
        _ => "Organization",
    }
}

pub fn article(v: &Views<'_>, page: &AnalysisPage) -> Value {
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.card.title,
        "url": page.permalink,
        "mainEntityOfPage": page.permalink,
        "datePublished": page.card.date.iso,
        "dateModified": page.card.updated.as_ref().unwrap_or(&page.card.date).iso,
        "inLanguage": v.config.language,
        "wordCount": page.words,
        "publisher": publisher(v),
        "author": page.card.authors.iter().map(|a| json!({"@type": "Person", "name": a})).collect::<Vec<_>>(),
        "about": page.actors.iter().map(|a| json!({
            "@type": actor_type(a.kind),
            "name": a.name,
            "url": absolute(v, &a.url),
        })).chain(page.events.iter().map(|e| json!({
            "@type": "Event",
            "name": e.title,
            "startDate": e.date.iso,
            "url": absolute(v, &e.url),
        }))).collect::<Vec<_>>(),
    });
    if let Some(s) = &page.card.summary {
        ld["description"] = json!(s);
    }
    if !page.card.tags.is_empty() {
        ld["keywords"] = json!(page.card.tags.iter().map(|t| &t.title).collect::<Vec<_>>());
    }
    if let Some(img) = &page.image {
        ld["image"] = json!({
            "@type": "ImageObject",
            "url": absolute(v, &img.src),
            "description": img.alt,
        });
    }
    ld
}

pub fn actor(v: &Views<'_>, page: &ActorPage, description: Option<&str>) -> Value {
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": actor_type(page.kind),
        "name": page.name,
        "url": page.permalink,
    });
    if !page.aliases.is_empty() {
        ld["alternateName"] = json!(page.aliases);
    }
    if let Some(d) = description {
        ld["description"] = json!(d);
    }
    if let (Some(role), "person") = (&page.role, page.kind) {
        ld["jobTitle"] = json!(role);
    }
    if let (Some(c), "person") = (&page.country, page.kind) {
        ld["nationality"] = json!({"@type": "Country", "name": c.name, "url": absolute(v, &c.url)});
    }
    let same_as: Vec<&str> = page
        .links
        .iter()
        .filter_map(|l| l.url.as_deref())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .collect();
    if !same_as.is_empty() {
        ld["sameAs"] = json!(same_as);
    }
    ld
}

pub fn event(v: &Views<'_>, page: &EventPage, description: Option<&str>) -> Value {
    let e = &page.event;
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": e.title,
        "url": page.permalink,
        "startDate": e.date.iso,
        "endDate": e.end.as_ref().unwrap_or(&e.date).iso,
    });
    if let Some(place) = &e.place {
        let mut loc = json!({"@type": "Place", "name": place});
        if let Some(url) = &page.place_url {
            loc["url"] = json!(absolute(v, url));
        }
        ld["location"] = loc;
    }
    if let Some(d) = description {
        ld["description"] = json!(d);
    }
    if let Some(p) = &page.parent {
        ld["superEvent"] = json!({"@type": "Event", "name": p.title, "startDate": p.date.iso, "url": absolute(v, &p.url)});
    }
    if !page.children.is_empty() {
        ld["subEvent"] = json!(
            page.children
                .iter()
                .map(|c| json!({"@type": "Event", "name": c.title, "startDate": c.date.iso, "url": absolute(v, &c.url)}))
                .collect::<Vec<_>>()
        );
    }
    if !page.actors.is_empty() {
        ld["actor"] = json!(
            page.actors
                .iter()
                .map(|a| json!({"@type": actor_type(a.kind), "name": a.name, "url": absolute(v, &a.url)}))
                .collect::<Vec<_>>()
        );
    }
    ld
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"name": "</script><script>alert(1)</script><!-- & \u{2028}"});
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
