//! "Cite this analysis" as a reference manager imports it: BibTeX and RIS,
//! offered on each analysis's page as downloads (`data:` links, so that a
//! site of 10,000 analyses does not carry 20,000 more files). Both are
//! written here, with the escaping each format needs: BibTeX's special
//! characters become LaTeX text commands (braces too: BibTeX counts `\{` as
//! a brace, so any title must yield balanced braces); RIS is one line per
//! field, so line breaks and control characters go. Neither hayagriva
//! (which reads BibTeX but writes neither format) nor the biblatex crate
//! (whose writer escapes `}` as `\}`, which BibTeX rejects) does this.

use std::fmt::Write as _;

use crate::model::Analysis;

/// A `data:` URL holding `text`, for a download link: every byte but
/// letters, digits and `-_.~@:,` percent-encoded.
pub(crate) fn data_url(mime: &str, text: &str) -> String {
    let mut out = format!("data:{mime};charset=utf-8,");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~@:,".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A BibTeX `@online` entry (also read by BibLaTeX, Zotero and JabRef).
/// `note` says when it was updated, in the site's language.
pub(crate) fn bibtex(
    a: &Analysis,
    authors: &[&str],
    site: &str,
    url: &str,
    language: &str,
    note: Option<&str>,
) -> String {
    let mut out = format!("@online{{{},\n", key(&a.slug));
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(out, "  {name:<12} = {{{value}}},");
    };
    if authors.is_empty() {
        // An organisation as author: braced, so it is not split into names.
        field("author", &format!("{{{}}}", tex(site)));
    } else {
        let names: Vec<String> = authors.iter().map(|n| tex(n)).collect();
        field("author", &names.join(" and "));
    }
    field("title", &tex(&a.title));
    field("organization", &tex(site));
    field("date", &a.date.to_string());
    field("year", &a.date.year().to_string());
    if let Some(m) = a.date.month() {
        field("month", &m.to_string());
    }
    if let Some(note) = note {
        field("note", &tex(note));
    }
    field("url", &url_text(url));
    field("langid", &tex(language));
    out.push_str("}\n");
    out
}

/// An RIS record (`TY  - ELEC`), one field per line.
pub(crate) fn ris(a: &Analysis, authors: &[&str], site: &str, url: &str, language: &str) -> String {
    let mut out = String::new();
    let mut field = |tag: &str, value: &str| {
        let _ = write!(out, "{tag}  - {}\r\n", line(value));
    };
    field("TY", "ELEC");
    if authors.is_empty() {
        field("A2", site);
    }
    for name in authors {
        field("AU", name);
    }
    field("TI", &a.title);
    field("T2", site);
    field("PB", site);
    field("PY", &a.date.year().to_string());
    field(
        "DA",
        &format!(
            "{:04}/{:02}/{:02}/",
            a.date.year(),
            a.date.month().unwrap_or(1),
            a.date.day().unwrap_or(1)
        ),
    );
    if let Some(summary) = &a.summary {
        field("AB", summary);
    }
    field("UR", url);
    field("LA", language);
    out.push_str("ER  - \r\n");
    out
}

/// A citation key from a slug: BibTeX keys take no spaces, commas or braces.
pub(crate) fn key(slug: &str) -> String {
    slug.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
        .collect()
}

/// Text for a braced BibTeX value: LaTeX's special characters as text
/// commands, line breaks and control characters as spaces. No brace of the
/// text survives, so the value's braces always balance.
fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A URL in a BibTeX `url` field, read verbatim by `\url`: only braces and
/// spaces, which would unbalance or end it, are percent-encoded.
fn url_text(url: &str) -> String {
    url.replace('{', "%7B")
        .replace('}', "%7D")
        .replace(char::is_whitespace, "%20")
}

/// One RIS line: no line breaks or control characters.
fn line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_escapes_every_special_character_and_keeps_braces_balanced() {
        let t = tex("A } b { 50% & $5 #1 _x ~y ^z \\end{document}\nnext");
        assert_eq!(
            t,
            "A \\textbraceright{} b \\textbraceleft{} 50\\% \\& \\$5 \\#1 \\_x \\textasciitilde{}y \\textasciicircum{}z \\textbackslash{}end\\textbraceleft{}document\\textbraceright{} next"
        );
        // BibTeX counts every brace, escaped or not: they must balance,
        // and never close before they open.
        let mut depth = 0i32;
        for c in t.chars() {
            depth += match c {
                '{' => 1,
                '}' => -1,
                _ => 0,
            };
            assert!(depth >= 0, "{t}");
        }
        assert_eq!(depth, 0);
        assert_eq!(tex("Пять дней"), "Пять дней");
    }

    #[test]
    fn data_urls_encode_everything_a_url_could_misread() {
        assert_eq!(
            data_url("text/plain", "a b{}\n%#\"<Ж"),
            "data:text/plain;charset=utf-8,a%20b%7B%7D%0A%25%23%22%3C%D0%96"
        );
    }

    #[test]
    fn ris_lines_hold_one_field_each() {
        assert_eq!(line("a\nTY  - JOUR\r\nb"), "a TY  - JOUR  b");
    }
}
