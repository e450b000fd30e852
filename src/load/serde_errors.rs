//! Turns the error messages of serde-based parsers (YAML, TOML) into
//! diagnostics an author can act on: an unknown key gets a did-you-mean hint
//! and the list of keys that are allowed.

use crate::diag::{Diagnostic, Span, did_you_mean_hint};

/// `message` is the parser's message without position; `what` names the
/// document for the author ("an actor fact sheet", "site.toml"); `text` is
/// the file, to widen the span over an unknown key.
pub(crate) fn to_diagnostic(message: &str, mut span: Span, what: &str, text: &str) -> Diagnostic {
    if let Some((key, expected)) = parse_unknown_field(message) {
        if span.range.is_empty()
            && text
                .get(span.range.start..)
                .is_some_and(|t| t.starts_with(&key))
        {
            span.range.end = span.range.start + key.len();
        }
        // A map inside the file (a fact, a relation) is named by its keys.
        let (what, extra) = nested(&expected).unwrap_or((what, None));
        let mut d = Diagnostic::error(format!("unknown key `{key}` in {what}"))
            .at(span)
            .label("not a key here");
        let hint = did_you_mean_hint(&key, expected.iter().map(String::as_str))
            .or_else(|| synonym(&key, &expected).map(|k| format!("did you mean `{k}`?")));
        d = d.hint_opt(hint);
        if !expected.is_empty() {
            d = d.hint(format!(
                "the keys allowed here are: {}",
                expected.join(", ")
            ));
        }
        let translation =
            what.ends_with("translation") || what.ends_with("translation's front matter");
        return d.hint_opt(extra.map(str::to_string)).hint_opt(translation.then(|| {
            "a translation holds only text in its language; ids, kinds, dates, sources and links stay in the original file, shared by every language".to_string()
        }));
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        return Diagnostic::error(format!("missing required key `{field}` in {what}"))
            .at(span)
            .hint(format!("add `{field}: …`"));
    }
    if let Some(d) = syntax(message, &span, what, text) {
        return d;
    }
    let line_no = text[..span.range.start.min(text.len())]
        .matches('\n')
        .count();
    let near_tab = text
        .lines()
        .skip(line_no.saturating_sub(1))
        .take(3)
        .any(|l| l.starts_with('\t'));
    let mut d = Diagnostic::error(format!("{what} is not valid: {}", tidy(message))).at(span);
    if near_tab || message.contains("tab") {
        d = d.hint("indent YAML with spaces, not tabs");
    } else if message.contains("sequence") {
        d = d.hint("this key takes a list: write `[a, b]` or one `- item` per line");
    } else if message.contains("duplicate") {
        d = d.hint("each key may appear only once; remove one of them");
    } else if message.contains("bool") {
        d = d.hint("write `true` or `false`");
    }
    d
}

/// A YAML syntax error in plain words, at its real cause, with the fix
/// built from the author's own line where one helps. None for messages
/// this does not know (the caller words those generically).
fn syntax(message: &str, span: &Span, what: &str, text: &str) -> Option<Diagnostic> {
    let at = span.range.start.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[line_start..line_end];
    let here = |range: std::ops::Range<usize>| Span::new(span.source, range);
    // A `[` or `{` left open on an earlier line makes the parser stumble
    // later, often lines below: point at the bracket.
    // Brackets on the error's own line count when the error is at its end
    // (the file ended with the list still open).
    let scanned = if text[at..line_end].trim().is_empty() {
        at
    } else {
        line_start
    };
    // Or the error is at a bracket that the rest of the file never closes.
    let at_open = unclosed_bracket(text).filter(|&(open, _)| open == at);
    if let Some((open, bracket)) = at_open.or_else(|| unclosed_bracket(&text[..scanned])) {
        let (what_kind, close) = if bracket == '[' {
            ("list", ']')
        } else {
            ("map", '}')
        };
        return Some(
            Diagnostic::error(format!("this `{bracket}` is never closed"))
                .at(here(open..open + 1))
                .label(format!("a {what_kind} starts here"))
                .hint(format!(
                    "end the {what_kind} with `{close}` on the same line: `{}`",
                    if bracket == '[' {
                        "[a, b]"
                    } else {
                        "{title: …, url: …}"
                    }
                )),
        );
    }
    let quoted_line = || quote_value(line);
    let d = if message.starts_with("mapping values are not allowed") {
        let col = at - line_start;
        let first_colon = line.find(": ").or_else(|| line.find(':'));
        match first_colon {
            // `title: Belarus: the long August`
            Some(c) if c < col => Diagnostic::error(
                "this value holds `: `, which YAML reads as the start of another key",
            )
            .at(span.clone())
            .hint_opt(quoted_line().map(|q| format!("put the whole value in quotes: `{q}`"))),
            _ => Diagnostic::error("this line is indented as if it belonged to the line above")
                .at(span.clone())
                .hint("keys of one map line up: indent this line like the keys next to it"),
        }
    } else if message.starts_with("expected sequence start") {
        // `aliases: Tokayev`: one value where a list belongs.
        let key = key_of(line);
        let value = line.split_once(':').map_or("", |(_, v)| v.trim());
        Diagnostic::error(format!("`{key}` takes a list"))
            .at(span.clone())
            .hint(if matches!(key, "facts" | "links" | "relations" | "corrections") {
                format!("each item of `{key}` is a map: write one `- {{…}}` per line below the key (see docs/format.md)")
            } else if value.is_empty() || value.starts_with('{') {
                "write `[a, b]`, or one `- item` per line below the key".to_string()
            } else {
                format!("write `{key}: [{value}]`, or one `- item` per line below the key")
            })
    } else if message.starts_with("expected string scalar") {
        // `name: [A]`, or `value: [1` with its bracket never closed.
        let key = key_of(line);
        Diagnostic::error(format!("`{key}` takes text here, not a list or a map"))
            .at(span.clone())
            .hint_opt(
                quoted_line()
                    .map(|q| format!("to keep brackets or braces in the text, quote it: `{q}`")),
            )
    } else if message.starts_with("unclosed quote") {
        Diagnostic::error("this quote is never closed")
            .at(span.clone())
            .hint("end the value with the same quote mark, on the same line")
    } else if let Some(ch) = message
        .strip_prefix("unexpected character: `")
        .and_then(|r| r.chars().next())
    {
        Diagnostic::error(format!(
            "a value cannot start with `{ch}` unless it is quoted"
        ))
        .at(span.clone())
        .hint_opt(quoted_line().map(|q| format!("put it in quotes: `{q}`")))
    } else if message.starts_with("invalid trailing content after single-quoted scalar") {
        Diagnostic::error("text follows the closing quote")
            .at(span.clone())
            .hint("inside single quotes write an apostrophe twice ('it''s'), or use double quotes (\"it's\")")
    } else if message.starts_with("invalid trailing content after double-quoted scalar") {
        Diagnostic::error("text follows the closing quote")
            .at(span.clone())
            .hint("put the whole value inside the quotes; to use a \" inside, write \\\" or use single quotes")
    } else if message.starts_with("simple key expected") {
        Diagnostic::error("this line is neither `key: value` nor a list item")
            .at(span.clone())
            .hint(
                "a list item starts with `- `; the lines of a `|` text are indented under its key",
            )
    } else if message.starts_with("block sequence entries are not allowed") {
        Diagnostic::error("a list item `- ` must start a line of its own")
            .at(span.clone())
            .hint("write the key alone on its line (`facts:`), and each item on the next lines, indented: `  - label: …`")
    } else {
        return None;
    };
    let _ = what;
    Some(d)
}

/// The key of a `key: value` line (`- ` and indentation dropped).
fn key_of(line: &str) -> &str {
    line.split(':')
        .next()
        .unwrap_or("")
        .trim()
        .trim_start_matches("- ")
        .trim()
}

/// `key: value` with the value quoted: `title: "Belarus: the long August"`.
fn quote_value(line: &str) -> Option<String> {
    let (key, value) = line.split_once(": ")?;
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    Some(format!(
        "{}: \"{}\"",
        key.trim(),
        value.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// The innermost `[` or `{` of a flow collection still open at the end of
/// `text`, and its offset: quotes and comments are skipped.
fn unclosed_bracket(text: &str) -> Option<(usize, char)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    for (line_start, line) in text.split_inclusive('\n').scan(0, |pos, l| {
        let start = *pos;
        *pos += l.len();
        Some((start, l))
    }) {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match quote {
                Some('\'') if c == '\'' => {
                    if chars.peek().is_some_and(|&(_, n)| n == '\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                }
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    // A quote opens a value only where a value starts.
                    '"' | '\'' if matches!(prev, ' ' | '[' | '{' | ',' | ':' | '-') => {
                        quote = Some(c)
                    }
                    '#' if prev == ' ' => break,
                    '[' | '{' => open.push((line_start + i, c)),
                    ']' | '}' => {
                        open.pop();
                    }
                    _ => {}
                },
            }
            prev = c;
        }
        // A quoted scalar may not span lines in a fact sheet's flow list;
        // a quote left open is the quote's problem, reported on its own.
    }
    open.pop()
}

/// The key an author likely meant by another word for it.
fn synonym<'e>(key: &str, expected: &'e [String]) -> Option<&'e str> {
    const WORDS: [(&str, &str); 9] = [
        ("since", "from"),
        ("start", "from"),
        ("begin", "from"),
        ("to", "until"),
        ("end", "until"),
        ("ended", "until"),
        ("date", "published"),
        ("link", "url"),
        ("href", "url"),
    ];
    let meant = WORDS.iter().find(|(w, _)| *w == key)?.1;
    expected.iter().map(String::as_str).find(|k| *k == meant)
}

/// What a map nested in a file is, known by the keys it allows, and
/// perhaps a hint about it.
fn nested(expected: &[String]) -> Option<(&'static str, Option<&'static str>)> {
    let keys: Vec<&str> = expected.iter().map(String::as_str).collect();
    Some(match keys.as_slice() {
        ["type", "actor", "role", "from", "until", "source", "note"] => ("a relation", None),
        ["label", "value", "as_of", "source"] => ("a fact", None),
        ["title", "url"] => (
            "a source or link given in place",
            Some(
                "for more about a source (publisher, dates, an archived copy), put it in a file in content/sources/ and give its id instead",
            ),
        ),
        ["id", "role"] => ("an event's actor", None),
        ["src", "alt", "caption", "credit"] => ("the image", None),
        _ => return None,
    })
}

/// Strips parser-specific noise such as "set DuplicateKeyPolicy in Options".
fn tidy(message: &str) -> String {
    let m = message
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(message);
    let m = m.trim().trim_end_matches('.');
    let mut lines = m.lines();
    lines.next().unwrap_or("").to_string()
}

/// Recognises serde's `unknown field `x`, expected one of `a`, `b`` in the
/// spellings serde, toml and serde-saphyr use.
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let expected = rest
        .trim_start_matches(',')
        .trim()
        .strip_prefix("expected")
        .map(|list| {
            let list = list.trim().trim_start_matches("one of").trim();
            list.split(", ")
                .flat_map(|s| s.split(" or "))
                .map(|s| s.trim().trim_matches('`').to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Some((key.to_string(), expected))
}

/// A TOML file's top-level setting `key` (a setting of `whole`, such as
/// "a site setting") written after a `[table]` header, which TOML reads as
/// part of that table: said as what it is, not as an unknown key.
pub(crate) fn misplaced_toml_key(key: &str, whole: &str, table: &str, span: Span) -> Diagnostic {
    Diagnostic::error(format!(
        "`{key}` is {whole}, but it is written after `[{table}]`, so it is read as part of `[{table}]`"
    ))
    .at(span)
    .label("belongs before the first `[…]` line")
    .hint(format!(
        "move this line above `[{table}]`: in TOML, every line after a `[…]` header belongs to that table"
    ))
}

/// The message of a serde-saphyr error, without its " at line L, column C"
/// suffix (we show the position ourselves, in the real file).
pub(crate) fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_unknown_field_in_each_spelling() {
        let (k, e) =
            parse_unknown_field("unknown field `aliasses`, expected one of name, kind, aliases")
                .unwrap();
        assert_eq!(k, "aliasses");
        assert_eq!(e, ["name", "kind", "aliases"]);
        let (k, e) =
            parse_unknown_field("unknown field `titel`, expected one of `title`, `base_url`")
                .unwrap();
        assert_eq!(k, "titel");
        assert_eq!(e, ["title", "base_url"]);
        let (_, e) = parse_unknown_field("unknown field `x`, expected `id` or `role`").unwrap();
        assert_eq!(e, ["id", "role"]);
    }
}
