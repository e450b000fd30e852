//! Lint: the configurable checks that need the whole linked site — what
//! nothing references, what an analysis lists but never mentions (or the
//! reverse), stale and unsourced facts, malformed links, countries that are
//! not states. Each finding is a [`Check`], counted as `[checks]` says.

use rustc_hash::FxHashSet as HashSet;

use crate::checks::{Check, Checks};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::link::Site;
use crate::model::{ActorKind, Date, ExternalLink, Fact};

/// Runs every check that is on.
pub(crate) fn lint(checks: &Checks, site: &Site, diags: &mut Diagnostics) {
    let m = &site.model;
    if checks.is_on(Check::Unreferenced) {
        unreferenced(site, diags);
    }
    if checks.is_on(Check::Unmentioned) || checks.is_on(Check::Unlisted) {
        mentions(checks, site, diags);
    }
    let today = Date::today();
    for a in &m.actors {
        facts(checks, &a.facts, today, diags);
        for l in &a.links {
            link(l, diags);
        }
    }
    for e in &m.events {
        facts(checks, &e.facts, today, diags);
        for l in &e.sources {
            link(l, diags);
        }
    }
    if checks.is_on(Check::BadLink) {
        for (a, l) in m.analyses.iter().zip(&site.analyses) {
            for (url, range) in &l.body.links {
                if let Err(why) = check_url(url) {
                    let span = Span::new(
                        a.source,
                        a.body.start + range.start..a.body.start + range.end,
                    );
                    diags.push(bad_link(url, &why, span));
                }
            }
        }
    }
    if checks.is_on(Check::MissingAlt) {
        missing_alt(site, diags);
    }
    if checks.is_on(Check::CountryNotState) {
        for (a, l) in m.actors.iter().zip(&site.actors) {
            if let (Some(c), Some(r)) = (l.country, &a.country)
                && m.actors[c].kind != ActorKind::State
            {
                let country = &m.actors[c];
                diags.push(
                    Diagnostic::check(
                        Check::CountryNotState,
                        format!(
                            "the country of `{}` is `{}`, which is a {}, not a state",
                            a.id,
                            country.id,
                            country.kind.as_str()
                        ),
                    )
                    .at(r.span.clone())
                    .hint(
                        "`country` names a state; use `affiliations` for organisations and groups",
                    ),
                );
            }
        }
    }
}

/// Actors and events that no analysis, fact sheet or summary points to.
fn unreferenced(site: &Site, diags: &mut Diagnostics) {
    let m = &site.model;
    let mut from_summaries: HashSet<&str> = HashSet::default();
    for t in site
        .actors
        .iter()
        .filter_map(|l| l.summary.as_ref())
        .chain(site.events.iter().filter_map(|l| l.summary.as_ref()))
    {
        from_summaries.extend(t.mentions.iter().map(|(id, _)| id.as_str()));
        from_summaries.extend(t.refs.iter().map(String::as_str));
    }
    let hint = "mention it in an analysis or link it from another fact sheet; or set `unreferenced = \"off\"` under [checks]";
    for (a, l) in m.actors.iter().zip(&site.actors) {
        let referenced = !(l.analyses.is_empty()
            && l.events.is_empty()
            && l.events_here.is_empty()
            && l.members.is_empty()
            && l.nationals.is_empty())
            || from_summaries.contains(a.id.as_str());
        if !referenced {
            diags.push(
                Diagnostic::check(
                    Check::Unreferenced,
                    format!("nothing refers to the actor `{}` ({})", a.id, a.name),
                )
                .at(Span::file(a.source))
                .hint(hint),
            );
        }
    }
    for (e, l) in m.events.iter().zip(&site.events) {
        let referenced = !(l.analyses.is_empty() && l.children.is_empty())
            || from_summaries.contains(e.id.as_str());
        if !referenced {
            diags.push(
                Diagnostic::check(
                    Check::Unreferenced,
                    format!("nothing refers to the event `{}` ({})", e.id, e.title),
                )
                .at(Span::file(e.source))
                .hint(hint),
            );
        }
    }
}

/// Front matter and body should agree on what an analysis is about (the
/// link stage works out, per analysis, what disagrees).
fn mentions(checks: &Checks, site: &Site, diags: &mut Diagnostics) {
    let m = &site.model;
    for (a, l) in m.analyses.iter().zip(&site.analyses) {
        if checks.is_on(Check::Unmentioned) {
            for &i in &l.unmentioned {
                let Some(r) = a.actors.iter().chain(&a.events).nth(i) else {
                    continue;
                };
                diags.push(
                    Diagnostic::check(
                        Check::Unmentioned,
                        format!("`{}` is listed in the front matter but the text never mentions it", r.id),
                    )
                    .at(r.span.clone())
                    .hint(format!("mention it in the text (its name, or `[[{}]]`), or remove it from the list", r.id)),
                );
            }
        }
        if checks.is_on(Check::Unlisted) && !l.unlisted.is_empty() {
            let missing: Vec<&str> = l.unlisted.iter().map(String::as_str).collect();
            diags.push(
                Diagnostic::check(
                    Check::Unlisted,
                    format!(
                        "the text mentions {} but the front matter does not list {}",
                        quoted(&missing),
                        if missing.len() == 1 { "it" } else { "them" }
                    ),
                )
                .at(Span::new(a.source, 0..3))
                .hint("add them to `actors:` or `events:` so that lists and search know what the analysis is about"),
            );
        }
    }
}

fn quoted(ids: &[&str]) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Stale facts, and disputed figures with an unsourced value.
fn facts(checks: &Checks, facts: &[Fact], today: Date, diags: &mut Diagnostics) {
    if checks.is_on(Check::StaleFact) {
        for f in facts {
            if let Some(as_of) = f.as_of
                && as_of.days_until(today) > i64::from(checks.stale_after_days)
            {
                diags.push(
                    Diagnostic::check(
                        Check::StaleFact,
                        format!(
                            "the fact `{}` is as of {as_of}, more than {} days ago",
                            f.label, checks.stale_after_days
                        ),
                    )
                    .at(f.span.clone())
                    .hint("update it, or raise `stale_after_days` under [checks]"),
                );
            }
        }
    }
    if checks.is_on(Check::UnsourcedDispute) {
        for f in facts {
            let disputed = facts
                .iter()
                .any(|g| g.label == f.label && g.value != f.value);
            if disputed && f.source.is_none() {
                diags.push(
                    Diagnostic::check(
                        Check::UnsourcedDispute,
                        format!("`{}` is disputed, but the value {} has no source", f.label, f.value),
                    )
                    .at(f.span.clone())
                    .hint("a disputed figure is only useful with the source of each value: add `source: {title: …, url: …}`"),
                );
            }
        }
    }
    for f in facts {
        if let Some(s) = &f.source {
            link(s, diags);
        }
    }
}

fn link(l: &ExternalLink, diags: &mut Diagnostics) {
    if let (Some(url), Some(span)) = (&l.url, &l.url_span)
        && let Err(why) = check_url(url)
    {
        diags.push(bad_link(url, &why, span.clone()));
    }
}

/// Images in analyses and fact-sheet summaries written without alt text.
fn missing_alt(site: &Site, diags: &mut Diagnostics) {
    let m = &site.model;
    let report = |span: Span, diags: &mut Diagnostics| {
        diags.push(
            Diagnostic::check(Check::MissingAlt, "this image has no alt text")
                .at(span)
                .hint("describe what it shows between the brackets: ![Protesters outside the akimat in Almaty](…); readers who cannot see it get only this; for a purely decorative image, set `missing_alt = \"off\"` under [checks]"),
        );
    };
    for (a, l) in m.analyses.iter().zip(&site.analyses) {
        for range in &l.body.missing_alt {
            let span = Span::new(
                a.source,
                a.body.start + range.start..a.body.start + range.end,
            );
            report(span, diags);
        }
    }
    // A summary's text is a YAML value: its offsets are not the file's, so
    // the finding points at the whole summary.
    let summaries = m
        .actors
        .iter()
        .zip(&site.actors)
        .map(|(a, l)| (a.summary.as_ref(), l.summary.as_ref()))
        .chain(
            m.events
                .iter()
                .zip(&site.events)
                .map(|(e, l)| (e.summary.as_ref(), l.summary.as_ref())),
        );
    for (md, text) in summaries {
        if let (Some(md), Some(text)) = (md, text) {
            for _ in &text.missing_alt {
                report(md.span.clone(), diags);
            }
        }
    }
}

fn bad_link(url: &str, why: &str, span: Span) -> Diagnostic {
    Diagnostic::check(Check::BadLink, format!("`{url}` is not a usable link: {why}"))
        .at(span)
        .hint("write a full address such as https://example.org/report, or a path on this site such as /analyses/x/")
}

/// Whether a link destination is well formed. Relative links and `#…` are
/// fine; absolute ones need a known scheme and a host. No network is used.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.chars().any(char::is_whitespace) {
        return Err("it contains spaces".into());
    }
    if let Some(rest) = url.strip_prefix("mailto:") {
        return if rest.contains('@') {
            Ok(())
        } else {
            Err("the address has no @".into())
        };
    }
    let Some((scheme, rest)) = url.split_once(':') else {
        return Ok(());
    };
    if scheme.contains(['/', '?', '#']) {
        return Ok(()); // a relative path with a colon later on
    }
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => {
            let Some(rest) = rest.strip_prefix("//") else {
                return Err(format!("`{scheme}:` must be followed by `//` and a host"));
            };
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            if host.is_empty() {
                return Err("it has no host".into());
            }
            if !host.contains('.') && !host.starts_with("localhost") && !host.starts_with('[') {
                return Err(format!("the host `{host}` has no dot"));
            }
            Ok(())
        }
        "ftp" | "tel" | "data" => Ok(()),
        "javascript" => Err("javascript: links do not belong in a briefing".into()),
        other if other.len() > 1 => Err(format!("`{other}:` is not a web address")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn urls_are_checked_without_network() {
        assert!(check_url("https://ecfr.eu/article/x").is_ok());
        assert!(check_url("/analyses/x/").is_ok());
        assert!(check_url("#fn-1").is_ok());
        assert!(check_url("mailto:desk@example.org").is_ok());
        assert!(check_url("htps://example.org").is_err());
        assert!(check_url("https:/example.org").is_err());
        assert!(check_url("https://").is_err());
        assert!(check_url("https://exampleorg/").is_err());
        assert!(check_url("https://example.org/a b").is_err());
        assert!(check_url("javascript:alert(1)").is_err());
    }
}
