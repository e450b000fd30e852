//! Citations in Pandoc's syntax: `[@csto-statement]`,
//! `[@csto-statement, p. 2]`, `[see @a; @b, ch. 3]`. A group in brackets
//! becomes one numbered note (numbered with the footnotes, linked both
//! ways) that names each source; `[@…]` inside code, links or headings
//! stays text, as does a bracket that is not a citation (`[a@b.org]`).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::CitedSource;

/// One source of a citation group.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Item<'t> {
    /// Text before the `@` (`see`).
    pub prefix: &'t str,
    pub id: &'t str,
    /// Byte range of `@id` in the text searched.
    pub at: Range<usize>,
    /// Text after the comma (`p. 2`).
    pub locator: &'t str,
}

/// A citation group: its byte range in the text searched and its items.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Group<'t> {
    pub range: Range<usize>,
    pub items: Vec<Item<'t>>,
}

/// Every citation group in `text`, in order.
pub(super) fn find(text: &str) -> Vec<Group<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|i| from + i) {
        let rest = &text[open + 1..];
        let Some(close) = rest
            .find([']', '['])
            .filter(|&c| rest.as_bytes()[c] == b']')
        else {
            from = open + 1;
            continue;
        };
        let inner = &rest[..close];
        match items(inner, open + 1) {
            Some(items) => {
                out.push(Group {
                    range: open..open + close + 2,
                    items,
                });
                from = open + close + 2;
            }
            None => from = open + 1,
        }
    }
    out
}

/// The items of `inner` (which starts at `offset`), or None when it is not
/// a citation group.
fn items(inner: &str, offset: usize) -> Option<Vec<Item<'_>>> {
    let mut items = Vec::new();
    let mut start = 0;
    for part in inner.split(';') {
        let part_offset = offset + start;
        start += part.len() + 1;
        // The `@` opens the item's id: at the start or after a space.
        let at = part.char_indices().find_map(|(i, c)| {
            (c == '@'
                && part[..i]
                    .chars()
                    .next_back()
                    .is_none_or(char::is_whitespace))
            .then_some(i)
        })?;
        let after = &part[at + 1..];
        let id_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            .unwrap_or(after.len());
        let id = &after[..id_len];
        if id.is_empty() || !id.as_bytes()[0].is_ascii_alphanumeric() {
            return None;
        }
        let tail = after[id_len..].trim();
        let locator = match tail.strip_prefix(',') {
            Some(l) => l.trim(),
            None if tail.is_empty() => "",
            None => return None,
        };
        items.push(Item {
            prefix: part[..at].trim(),
            id,
            at: part_offset + at..part_offset + at + 1 + id_len,
            locator,
        });
    }
    Some(items)
}

/// The events of a citation group's note: for each source, its publisher,
/// its title linked to its page, its date and the locator. An unknown id
/// (reported by the link stage) is shown as written.
pub(super) fn note<'t>(items: &[(&Item<'_>, Option<CitedSource<'_>>)]) -> Vec<Event<'t>> {
    let mut out = vec![Event::Start(Tag::Paragraph)];
    let text = |s: String| Event::Text(CowStr::from(s));
    for (k, (item, source)) in items.iter().enumerate() {
        if k > 0 {
            out.push(text("; ".into()));
        }
        if !item.prefix.is_empty() {
            out.push(text(format!("{} ", item.prefix)));
        }
        match source {
            Some(s) => {
                if let Some(p) = s.publisher {
                    out.push(text(format!("{p}, ")));
                }
                out.push(Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::from(s.url.to_string()),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                }));
                out.push(text(format!("“{}”", s.title)));
                out.push(Event::End(TagEnd::Link));
                if let Some(d) = &s.date {
                    out.push(text(format!(", {d}")));
                }
            }
            None => out.push(text(format!("@{}", item.id))),
        }
        if !item.locator.is_empty() {
            out.push(text(format!(", {}", item.locator)));
        }
    }
    out.push(text(".".into()));
    out.push(Event::End(TagEnd::Paragraph));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_groups_items_prefixes_and_locators() {
        let t = "As stated [@csto-statement, p. 2] and [see @a; @b-2, ch. 3].";
        let g = find(t);
        assert_eq!(g.len(), 2);
        assert_eq!(&t[g[0].range.clone()], "[@csto-statement, p. 2]");
        assert_eq!(g[0].items[0].id, "csto-statement");
        assert_eq!(g[0].items[0].locator, "p. 2");
        assert_eq!(&t[g[0].items[0].at.clone()], "@csto-statement");
        assert_eq!(g[1].items[0].prefix, "see");
        assert_eq!((g[1].items[1].id, g[1].items[1].locator), ("b-2", "ch. 3"));
        assert_eq!(&t[g[1].items[1].at.clone()], "@b-2");
    }

    #[test]
    fn other_brackets_are_text() {
        for t in [
            "[mail desk@example.org]",
            "[a] [b]",
            "[@]",
            "[@x extra]",
            "[[@x]",
            "no brackets @x",
            "[@x; plain]",
        ] {
            let groups = find(t);
            assert!(
                groups.iter().all(|g| &t[g.range.clone()] != t),
                "{t}: {groups:?}"
            );
        }
        assert_eq!(find("[[@x]]").len(), 1);
    }
}
