//! Writing fact sheets as an author would: keys in the documented order,
//! plain values where YAML reads them back unchanged, double quotes where
//! it would not (a `: `, a `#`, a leading `@` or `[`, `true`, a number),
//! and a literal block (`|`) for a summary of several lines.
//!
//! Hand-written rather than serialized: serde-saphyr is built here without
//! its serializer, and a fact sheet should look like one written by hand
//! (flow lists, relations on one line each). Every value goes through
//! [`scalar`], [`flow`] or [`text_block`], and a property test reads each
//! back with the loader.

use std::fmt::Write as _;

use super::rows::FactSheet;

/// A value in block context (`key: value`), plain where that is safe.
pub(super) fn scalar(s: &str) -> String {
    if is_plain_safe(s, false) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// A value inside a flow list (`[a, b]`), where `,`, `[`, `]`, `{` and `}`
/// are also syntax.
pub(super) fn flow(s: &str) -> String {
    if is_plain_safe(s, true) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// `key: value` with a newline; a text of several lines as a literal block,
/// indented by two spaces.
pub(super) fn text_block(out: &mut String, key: &str, s: &str) {
    if s.contains('\n') && is_block_safe(s) {
        let _ = writeln!(out, "{key}: |");
        for line in s.split('\n') {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "  {line}");
            }
        }
    } else {
        let _ = writeln!(out, "{key}: {}", scalar(s));
    }
}

/// `key: [a, b]` with a newline.
pub(super) fn flow_list<'a>(out: &mut String, key: &str, items: impl IntoIterator<Item = &'a str>) {
    let items: Vec<String> = items.into_iter().map(flow).collect();
    let _ = writeln!(out, "{key}: [{}]", items.join(", "));
}

/// Whether `s` reads back as itself written plain: it starts with a letter,
/// holds only letters, digits, single spaces and a few punctuation marks
/// that mean nothing in YAML, and is no word YAML reads as something else.
fn is_plain_safe(s: &str, in_flow: bool) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_alphabetic() || s.ends_with(' ') || s.contains("  ") {
        return false;
    }
    let punctuation: &[char] = if in_flow {
        &['-', '.', '\'', '(', ')', '/', '&', ' ']
    } else {
        &['-', '.', '\'', '(', ')', '/', '&', ' ', ',']
    };
    let reserved = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf",
    ];
    s.chars()
        .all(|c| (c.is_alphanumeric() && is_printable(c)) || punctuation.contains(&c))
        && !reserved.contains(&s.to_lowercase().as_str())
}

/// Whether `s` can be written as a literal block: trimmed (so its first
/// line sets the indentation), and only printable characters and `\n`.
fn is_block_safe(s: &str) -> bool {
    s.trim() == s
        && s.chars()
            .all(|c| c == '\n' || c == '\t' || (is_printable(c) && !is_special_break(c)))
}

/// YAML's printable characters (its `c-printable`, less tab and breaks).
fn is_printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && c != '\u{FEFF}'
}

/// Characters a YAML 1.1 reader takes for line breaks: escaped wherever
/// they appear, so that no reader splits a line on them.
fn is_special_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A double-quoted YAML string: `\` and `"` escaped, and every character
/// that is not printable written as an escape.
pub(super) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_printable(c) && !is_special_break(c) => out.push(c),
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

impl FactSheet {
    /// The fact sheet as YAML, in the order docs/format.md gives its keys,
    /// with a first comment saying where it came from.
    pub(super) fn yaml(&self, origin: &str) -> String {
        let mut out = format!("# Imported from {origin}.\n");
        let line = |out: &mut String, key: &str, value: &str| {
            let _ = writeln!(out, "{key}: {}", scalar(value));
        };
        match self {
            FactSheet::Actor(a) => {
                line(&mut out, "name", &a.name);
                line(&mut out, "kind", a.kind.as_str());
                if !a.aliases.is_empty() {
                    flow_list(&mut out, "aliases", a.aliases.iter().map(String::as_str));
                }
                if let Some(role) = &a.role {
                    line(&mut out, "role", role);
                }
                if let Some(country) = &a.country {
                    line(&mut out, "country", country);
                }
                if let Some(summary) = &a.summary {
                    text_block(&mut out, "summary", summary);
                }
                if let Some(wikidata) = &a.wikidata {
                    line(&mut out, "wikidata", wikidata);
                }
                if !a.member_of.is_empty() {
                    out.push_str("relations:\n");
                    for id in &a.member_of {
                        let _ = writeln!(out, "  - {{type: member_of, actor: {}}}", flow(id));
                    }
                }
            }
            FactSheet::Event(e) => {
                line(&mut out, "title", &e.title);
                if !e.aliases.is_empty() {
                    flow_list(&mut out, "aliases", e.aliases.iter().map(String::as_str));
                }
                // ISO dates, plain as authors write them (the loader reads
                // a bare year as text too).
                let _ = writeln!(out, "date: {}", e.date);
                if let Some(end) = e.end {
                    let _ = writeln!(out, "end: {end}");
                }
                if let Some(place) = &e.place {
                    line(&mut out, "place", place);
                }
                if !e.actors.is_empty() {
                    flow_list(&mut out, "actors", e.actors.iter().map(String::as_str));
                }
                if let Some(part_of) = &e.part_of {
                    line(&mut out, "part_of", part_of);
                }
                if let Some(summary) = &e.summary {
                    text_block(&mut out, "summary", summary);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sources;
    use proptest::prelude::*;

    /// Reads `yaml` with the loader fact sheets go through: the actor's
    /// name, aliases and summary as written.
    fn read_back(yaml: &str) -> Option<(String, Vec<String>, String)> {
        let mut sources = Sources::default();
        let id = sources.add("x.yaml", None, yaml.to_string());
        let mut diags = Vec::new();
        let content = crate::load::parse_single("actor", id, "x", &sources.text(id), &mut diags);
        let raw = &content.actors.first()?.raw;
        Some((
            raw.name.as_ref()?.value.clone(),
            raw.aliases
                .iter()
                .flatten()
                .map(|a| a.value.clone())
                .collect(),
            raw.summary.as_ref()?.value.clone(),
        ))
    }

    /// Text an author would not write, and text a spreadsheet may hold.
    fn hostile() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            Just(": ".to_string()),
            Just(" #".to_string()),
            Just("#".to_string()),
            Just("@".to_string()),
            Just("- ".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("{".to_string()),
            Just(",".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("\t".to_string()),
            Just("  ".to_string()),
            Just("---".to_string()),
            Just("|".to_string()),
            Just(">".to_string()),
            Just("&a *a".to_string()),
            Just("!tag".to_string()),
            Just("%".to_string()),
            Just("true".to_string()),
            Just("null".to_string()),
            Just("~".to_string()),
            Just("1e3".to_string()),
            Just("0x1F".to_string()),
            Just("2022-01-05".to_string()),
            Just("Токаев".to_string()),
            Just("\u{2028}".to_string()),
            Just("\u{85}".to_string()),
            Just("\u{FEFF}".to_string()),
            Just("\u{7F}".to_string()),
            Just("\u{1}".to_string()),
            Just("😀".to_string()),
            "[a-zA-Z ]{1,5}".prop_map(|s| s),
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(token, 1..10).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        /// Whatever a cell holds, the YAML written for it reads back as
        /// exactly that text (a literal block adds its final line break).
        #[test]
        fn every_string_reads_back_as_written(name in hostile(), alias in hostile(), summary in hostile()) {
            let summary = summary.trim().to_string();
            prop_assume!(!summary.is_empty());
            let mut yaml = format!("name: {}\nkind: person\n", scalar(&name));
            flow_list(&mut yaml, "aliases", [alias.as_str(), "x"]);
            text_block(&mut yaml, "summary", &summary);
            let read = read_back(&yaml);
            prop_assert!(read.is_some(), "does not load:\n{}", yaml);
            let (n, a, s) = read.unwrap_or_default();
            prop_assert_eq!(n, name, "{}", yaml);
            prop_assert_eq!(a, vec![alias, "x".to_string()], "{}", yaml);
            prop_assert_eq!(s.strip_suffix('\n').unwrap_or(&s), summary.as_str(), "{}", yaml);
        }
    }

    #[test]
    fn plain_where_safe_quoted_where_not() {
        assert_eq!(scalar("Kassym-Jomart Tokayev"), "Kassym-Jomart Tokayev");
        assert_eq!(scalar("Токаев"), "Токаев");
        assert_eq!(scalar("Almaty, Kazakhstan"), "Almaty, Kazakhstan");
        assert_eq!(flow("Almaty, Kazakhstan"), "\"Almaty, Kazakhstan\"");
        assert_eq!(scalar("CSTO: the alliance"), "\"CSTO: the alliance\"");
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("True"), "\"True\"");
        assert_eq!(scalar("2022"), "\"2022\"");
        assert_eq!(scalar("@csto"), "\"@csto\"");
        assert_eq!(scalar("- dash"), "\"- dash\"");
        assert_eq!(scalar("#1"), "\"#1\"");
        assert_eq!(scalar("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(scalar("bell\u{7}"), "\"bell\\u0007\"");
        assert_eq!(scalar(""), "\"\"");
    }

    #[test]
    fn summaries_of_several_lines_are_literal_blocks() {
        let mut out = String::new();
        text_block(&mut out, "summary", "First: line.\n\n  # indented\nLast");
        assert_eq!(
            out,
            "summary: |\n  First: line.\n\n    # indented\n  Last\n"
        );
        let mut out = String::new();
        text_block(&mut out, "summary", "One line: only");
        assert_eq!(out, "summary: \"One line: only\"\n");
    }
}
