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
        return d.hint_opt(extra.map(str::to_string));
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        return Diagnostic::error(format!("missing required key `{field}` in {what}"))
            .at(span)
            .hint(format!("add `{field}: …`"));
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
