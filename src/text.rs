//! Plain text: what pages, feeds and the search index make of rendered
//! HTML and of short fields (titles, roles, summaries): tags dropped,
//! words counted, cut at a word boundary, quotes curled, search terms (and
//! a filter of a text's words, to tell which texts cannot hold a name).

use rustc_hash::FxHashSet as HashSet;

/// The text of rendered HTML (tags dropped, the entities our renderer writes
/// decoded, whitespace collapsed), for descriptions and the search index.
pub(crate) fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        // Blocks separate words; inline elements (`<em>`, `<a>`) do not.
        if separates_words(&rest[open + 1..open + close]) {
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

/// Whether a tag (what is between `<` and `>`) is of a block, whose tags
/// separate words.
fn separates_words(tag: &str) -> bool {
    let name = tag
        .trim_start_matches('/')
        .split(|c: char| c.is_whitespace() || c == '/')
        .next()
        .unwrap_or("");
    matches!(
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
    )
}

/// Words of a text, as the reading time counts them.
pub(crate) fn count_words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// The distinct words of a plain text, lowercased, in order of first
/// appearance, joined by spaces: what the search index matches prefixes
/// against. Words are runs of letters and digits in any script; one-letter
/// words are left out.
pub(crate) fn search_terms(text: &str) -> String {
    let lower = text.to_lowercase();
    distinct_words(&lower).0
}

/// The search terms of rendered HTML, and their filter: what
/// [`terms_and_words`] makes of its [`plain_text`], in fewer passes. (An
/// entity counts as a space: those the renderer writes stand for
/// punctuation.)
pub(crate) fn html_terms(html: &str) -> (String, WordFilter) {
    let bytes = html.as_bytes();
    let mut text = String::with_capacity(html.len());
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'<', b'&', &bytes[i..]) {
        let at = i + k;
        text.push_str(&html[i..at]);
        if bytes[at] == b'&' {
            text.push(' ');
            let name = bytes[at + 1..]
                .iter()
                .take(12)
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'#'));
            i = match name {
                Some(n) if bytes[at + 1 + n] == b';' => at + n + 2,
                _ => at + 1,
            };
            continue;
        }
        let Some(close) = memchr::memchr(b'>', &bytes[at..]) else {
            i = bytes.len();
            break;
        };
        if separates_words(&html[at + 1..at + close]) {
            text.push(' ');
        }
        i = at + close + 1;
    }
    text.push_str(&html[i..]);
    terms_and_words(&text)
}

/// [`search_terms`], and a filter of the same words (to tell which texts
/// cannot contain a name).
pub(crate) fn terms_and_words(text: &str) -> (String, WordFilter) {
    let lower = text.to_lowercase();
    let (terms, seen) = distinct_words(&lower);
    let mut filter = WordFilter::sized(seen.len());
    for word in seen {
        filter.insert(word_hash(word));
    }
    (terms, filter)
}

/// The distinct words of a lowercased text, joined by spaces in order of
/// first appearance, and as a set.
fn distinct_words(lower: &str) -> (String, HashSet<&str>) {
    let mut out = String::with_capacity(lower.len() / 3);
    // Words borrow from `lower`: no allocation for each word seen again.
    let mut seen: HashSet<&str> = HashSet::with_capacity_and_hasher(256, Default::default());
    for_each_word(lower, |word| {
        if seen.insert(word) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    });
    // Kept for the whole build, one per text.
    out.shrink_to_fit();
    (out, seen)
}

/// Calls `f` with each word of a lowercased text, as the search index
/// splits it: runs of letters and digits of two or more characters; in
/// scripts without spaces between words, each character.
fn for_each_word<'a>(lower: &'a str, mut f: impl FnMut(&'a str)) {
    let bytes = lower.as_bytes();
    // The word being read: where it starts, and whether it has a letter
    // of a script without spaces.
    let mut word: Option<(usize, bool)> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (letter, len, unspaced_letter) = match bytes[i] {
            b if b < 0x80 => (b.is_ascii_alphanumeric(), 1, false),
            _ => match lower[i..].chars().next() {
                Some(c) => (c.is_alphanumeric(), c.len_utf8(), unspaced(c)),
                None => break,
            },
        };
        match (letter, &mut word) {
            (true, Some((_, any))) => *any |= unspaced_letter,
            (true, None) => word = Some((i, unspaced_letter)),
            (false, _) => {
                if let Some((start, any)) = word.take() {
                    split_word(&lower[start..i], any, &mut f);
                }
            }
        }
        i += len;
    }
    if let Some((start, any)) = word {
        split_word(&lower[start..], any, &mut f);
    }
}

/// One run of letters and digits, as [`for_each_word`] gives it.
fn split_word<'a>(word: &'a str, unspaced_letters: bool, f: &mut impl FnMut(&'a str)) {
    let long = |w: &str| w.chars().nth(1).is_some();
    if !unspaced_letters {
        if long(word) {
            f(word);
        }
        return;
    }
    // In scripts without spaces each character is a word; runs of other
    // letters around them stay whole.
    let mut rest = word;
    while let Some(i) = rest.find(unspaced) {
        let (before, from) = rest.split_at(i);
        if long(before) {
            f(before);
        }
        let c = from.chars().next().map_or(0, char::len_utf8);
        f(&from[..c]);
        rest = &from[c..];
    }
    if long(rest) {
        f(rest);
    }
}

/// A word's hash for a [`WordFilter`]. Final sigma counts as sigma: a text
/// and a name lowercased apart may differ there.
fn word_hash(word: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    for c in word.chars() {
        h.write_u32(if c == 'ς' { 'σ' } else { c } as u32);
    }
    h.finish()
}

/// Which words a text has, approximately (a Bloom filter with one hash):
/// "no" is certain, "yes" may be wrong. `serve` uses it when a name changes,
/// to search for the name only in texts that may contain it.
#[derive(Debug, Default, Clone)]
pub(crate) struct WordFilter {
    /// Empty: says "yes" to everything.
    bits: Box<[u64]>,
}

impl WordFilter {
    /// About four bits per word (a quarter of them set), 64 to 8,192.
    fn sized(words: usize) -> WordFilter {
        let bits = (words * 4).next_power_of_two().clamp(64, 8192);
        WordFilter {
            bits: vec![0; bits / 64].into(),
        }
    }

    fn insert(&mut self, hash: u64) {
        let n = self.bits.len() * 64;
        let b = hash as usize & (n - 1);
        self.bits[b / 64] |= 1 << (b % 64);
    }

    fn has(&self, hash: u64) -> bool {
        if self.bits.is_empty() {
            return true;
        }
        let n = self.bits.len() * 64;
        let b = hash as usize & (n - 1);
        self.bits[b / 64] & (1 << (b % 64)) != 0
    }

    /// Whether a text with these words may contain `name`.
    pub(crate) fn may_contain(&self, name: &NameWords) -> bool {
        name.0
            .as_ref()
            .is_none_or(|words| words.iter().all(|(h, _)| self.has(*h)))
    }
}

/// The words of a name, hashed for [`WordFilter::may_contain`]. A name the
/// autolinker finds in a text (whole words) has each of its words among the
/// text's, split the same way.
#[derive(Debug, Clone)]
pub(crate) struct NameWords(Option<Vec<(u64, String)>>);

impl NameWords {
    pub(crate) fn of(name: &str) -> NameWords {
        let lower = name.to_lowercase();
        let mut words = Vec::new();
        for_each_word(&lower, |w| words.push((word_hash(w), w.to_string())));
        // A name of one-letter words only: any text may hold it.
        NameWords((!words.is_empty()).then_some(words))
    }

    /// Whether a text whose distinct words are `terms` ([`search_terms`]:
    /// the words its [`WordFilter`] was made of, joined by spaces) has
    /// every word of the name: exact where the filter may be wrong, so
    /// that only texts that do are read again. A word with a sigma is
    /// taken as there (the filter counts final sigma as sigma).
    pub(crate) fn all_in(&self, terms: &str) -> bool {
        self.0.as_ref().is_none_or(|words| {
            words
                .iter()
                .all(|(_, w)| w.contains(['σ', 'ς']) || terms.split(' ').any(|t| t == w.as_str()))
        })
    }
}

/// A letter of a script written without spaces between words: Chinese
/// characters, Japanese kana, Thai, Lao, Khmer, Myanmar. (The same ranges
/// as `UNSPACED` in the theme's search.js.)
fn unspaced(c: char) -> bool {
    matches!(c,
        '\u{0e00}'..='\u{0eff}'
        | '\u{1000}'..='\u{109f}'
        | '\u{1780}'..='\u{17ff}'
        | '\u{3040}'..='\u{30ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}')
}

/// At most `max` characters of `text`, cut at a word boundary with `…`.
pub(crate) fn truncate_words(text: &str, max: usize) -> String {
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
    use super::{NameWords, plain_text, search_terms, smart_text, terms_and_words, truncate_words};

    #[test]
    fn terms_of_html_are_those_of_its_plain_text() {
        for html in [
            "<p>Kassym-Jomart <a href=\"/a/\">Tokayev</a> said <em>no</em>thing.</p><p>Then: 5 January.</p>",
            "<h2 id=\"x\">AT&amp;T &lt;b&gt; don&#39;t</h2><ul><li>one</li><li>two</li></ul>",
            "<p>ΟΔΥΣΣΕΥΣ met 東京タワー and Алматы&quot;s mayor</p><br/>tail",
            "no tags at all, Tokayev Tokayev",
            "<p>unclosed <b",
            "a & b && c &; d &amp e",
        ] {
            assert_eq!(
                super::html_terms(html).0,
                terms_and_words(&plain_text(html)).0,
                "{html}"
            );
        }
    }

    #[test]
    fn a_word_filter_has_every_name_the_text_holds() {
        let (terms, words) =
            terms_and_words("Kassym-Jomart Tokayev met ΟΔΥΣΣΕΥΣ' Ξ in 東京 on 5 January.");
        for name in [
            "Tokayev",
            "Kassym-Jomart Tokayev",
            "ΟΔΥΣΣΕΥΣ",
            "Οδυσσευσ",
            "東京",
            "J. Tokayev",
        ] {
            let name = NameWords::of(name);
            assert!(words.may_contain(&name) && name.all_in(&terms), "{name:?}");
        }
        for name in [
            "Nazarbayev",
            "Almaty",
            "Tokayev Nazarbayev",
            "Tokay",
            "Jomart Tok",
        ] {
            let name = NameWords::of(name);
            assert!(
                !(words.may_contain(&name) && name.all_in(&terms)),
                "{name:?}"
            );
            // The exact check alone says no, where the filter may not.
            assert!(!name.all_in(&terms), "{name:?}");
        }
        // No word of two letters or more: any text may hold it.
        let (terms, none) = terms_and_words("");
        assert!(none.may_contain(&NameWords::of("A")) && NameWords::of("A").all_in(&terms));
        assert!(!none.may_contain(&NameWords::of("Almaty")));
        assert!(!NameWords::of("Almaty").all_in(&terms));
    }

    #[test]
    fn search_terms_split_words_in_every_script() {
        assert_eq!(search_terms("Токаев и ОДКБ: Токаев"), "токаев одкб");
        // Unspaced scripts: one character a word, mixed runs kept apart.
        assert_eq!(
            search_terms("集体安全条约组织ODKB"),
            "集 体 安 全 条 约 组 织 odkb"
        );
        assert_eq!(search_terms("東京とCSTO"), "東 京 と csto");
    }

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
