//! Figures and images: an image alone in its paragraph becomes a figure
//! with its title as caption and credit; root-relative links and images go
//! under the site's base path; images without alt text are found.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// A root-relative link or image (`/img/x.jpg`, not `//host/x`) is a path on
/// the site: it goes under the base path (`/sub/img/x.jpg`).
pub(super) fn under_base<'t>(tag: Tag<'t>, base_path: &str) -> Tag<'t> {
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
pub(super) fn figures(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
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
pub(super) fn image_lacks_alt(source: &str) -> bool {
    let Some(rest) = source.strip_prefix("![") else {
        return false;
    };
    rest.split(']')
        .next()
        .is_none_or(|alt| alt.trim().is_empty())
}
