//! Automatic links: the first plain mention of each name or alias in a
//! text becomes a link to its page. One Aho-Corasick pass (leftmost-longest)
//! finds every name at once, whole words only, in any script.

use std::hash::Hash;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use rustc_hash::FxHashSet as HashSet;

use super::MentionKind;

/// Finds every name and alias in one pass (Aho-Corasick, leftmost-longest).
#[derive(Debug)]
pub(crate) struct Autolinker<T> {
    matcher: Option<AhoCorasick>,
    /// Per pattern: its target and the target's URL.
    targets: Vec<(T, String)>,
}

impl<T: Copy> Autolinker<T> {
    /// `names` are (text, target, url); texts must be unique (the caller
    /// drops ambiguous ones).
    pub(crate) fn new(names: &[(String, T, String)]) -> Self {
        let patterns: Vec<&str> = names.iter().map(|(n, _, _)| n.as_str()).collect();
        let targets = names.iter().map(|(_, t, u)| (*t, u.clone())).collect();
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

/// Splits `t` around the first mention of each not-yet-mentioned target,
/// pushing text and links to `out`.
pub(super) fn autolink<'a, T: Copy + Eq + Hash>(
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
