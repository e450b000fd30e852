//! Plain text: what pages, feeds and the search index make of rendered
//! HTML and of short fields (titles, roles, summaries): tags dropped,
//! words counted, cut at a word boundary, quotes curled, search terms.

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
    let mut out = String::with_capacity(lower.len() / 3);
    // Words borrow from `lower`: no allocation for each word seen again.
    let mut seen: HashSet<&str> = HashSet::default();
    fn add<'a>(seen: &mut HashSet<&'a str>, word: &'a str, out: &mut String) {
        if !seen.insert(word) {
            return;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    for word in lower.split(|c: char| !c.is_alphanumeric()) {
        if !word.contains(unspaced) {
            if word.chars().nth(1).is_some() {
                add(&mut seen, word, &mut out);
            }
            continue;
        }
        // In scripts without spaces each character is a word; runs of
        // other letters around them stay whole.
        let mut rest = word;
        while let Some(i) = rest.find(unspaced) {
            let (before, from) = rest.split_at(i);
            if before.chars().nth(1).is_some() {
                add(&mut seen, before, &mut out);
            }
            let c = from.chars().next().map_or(0, char::len_utf8);
            add(&mut seen, &from[..c], &mut out);
            rest = &from[c..];
        }
        if rest.chars().nth(1).is_some() {
            add(&mut seen, rest, &mut out);
        }
    }
    // Kept for the whole build, one per text.
    out.shrink_to_fit();
    out
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
    use super::{plain_text, search_terms, smart_text, truncate_words};

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
