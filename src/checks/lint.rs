//! Lint: the configurable checks that need the whole linked site — what
//! nothing references, what an analysis lists but never mentions (or the
//! reverse), stale and unsourced facts, malformed links, countries that are
//! not states, sources nothing cites, relations that overlap. Each finding
//! is a [`Check`], counted as `[checks]` says.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::checks::{Check, Checks};
use crate::diag::{Diagnostic, Diagnostics, SourceId, Sources, Span, did_you_mean};
use crate::link::Site;
use crate::model::{ActorKind, Cited, Date, ExternalLink, Fact, Located};

/// What the checks keep between the builds of `serve`.
#[derive(Debug, Default)]
pub(crate) struct LintMemo {
    /// What the placeholder check found in each file (which placeholder,
    /// where), by the file's version and how far it read: a rebuild reads
    /// back only the files that changed (their texts are in a spool).
    placeholders: HashMap<SourceId, (u64, usize, Hits)>,
}

/// Placeholders found in a file: which (its index in `PLACEHOLDERS`) and
/// where.
type Hits = Vec<(usize, std::ops::Range<usize>)>;

/// Runs every check that is on.
pub(crate) fn lint(
    checks: &Checks,
    site: &Site,
    files: &Sources,
    memo: &mut LintMemo,
    diags: &mut Diagnostics,
) {
    let m = &site.model;
    if checks.is_on(Check::Unreferenced) {
        unreferenced(site, diags);
    }
    if checks.is_on(Check::Unmentioned) || checks.is_on(Check::Unlisted) {
        mentions(checks, site, files, diags);
    }
    let today = Date::today();
    // Links are looked at only when their check is on (`serve` runs the
    // checks that can fail a build apart from the others).
    let links = checks.is_on(Check::BadLink);
    // Every fact sheet is looked at only when a check of them is on (a
    // rebuild in `serve` runs the checks that fail a build, by default
    // only `missing_alt`, before its pages: at N = 100,000 this walk took
    // milliseconds of each edit for nothing).
    let of_facts = [
        Check::StaleFact,
        Check::UnsourcedDispute,
        Check::UnsourcedFact,
    ]
    .into_iter()
    .any(|c| checks.is_on(c));
    for a in m.actors.iter().filter(|_| of_facts || links) {
        facts(checks, &a.facts, today, diags);
        if links {
            for l in &a.links {
                link(l, diags);
            }
            for r in &a.relations {
                cited(r.source.as_ref(), diags);
            }
        }
    }
    for e in m.events.iter().filter(|_| of_facts || links) {
        facts(checks, &e.facts, today, diags);
        if links {
            for c in &e.sources {
                cited(Some(c), diags);
            }
        }
    }
    if [Check::BadLink, Check::UnusedSource, Check::UnlinkedSource]
        .into_iter()
        .any(|c| checks.is_on(c))
    {
        sources(checks, site, diags);
    }
    if checks.is_on(Check::Placeholder) {
        placeholders(site, files, memo, diags);
    }
    // A site without author files names its authors as text: nothing to check.
    if checks.is_on(Check::UnknownAuthor) && !m.authors.is_empty() {
        unknown_authors(site, diags);
    }
    if checks.is_on(Check::OverlappingRelations) {
        overlapping_relations(site, diags);
    }
    for a in m.authors.iter().filter(|_| links) {
        for l in &a.links {
            link(l, diags);
        }
    }
    if checks.is_on(Check::BadLink) {
        texts_links(site, diags);
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
    let (actors, events) = (&site.texts.actors.texts, &site.texts.events.texts);
    for t in actors.iter().chain(events.iter()).flatten() {
        from_summaries.extend(t.mentions.iter().map(|(id, _)| id.as_str()));
        from_summaries.extend(t.refs.iter().map(String::as_str));
    }
    let hint = "mention it in an analysis or link it from another fact sheet; or set `unreferenced = \"off\"` under [checks]";
    for (a, l) in m.actors.iter().zip(&site.actors) {
        // Its own relations do not count: something else must point to it.
        let related_to = l.relations.iter().any(|e| e.inverse);
        let referenced = !(l.analyses.is_empty()
            && l.events.is_empty()
            && l.events_here.is_empty()
            && l.nationals.is_empty()
            && !related_to)
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
fn mentions(checks: &Checks, site: &Site, files: &Sources, diags: &mut Diagnostics) {
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
                    .hint(if i < a.actors.len() {
                        format!("mention it in the text (its name or an alias, or `[[{}]]`), or remove it from the list", r.id)
                    } else {
                        format!("link it in the text with `[[{}]]` (or write one of its `aliases`; an event's title is not linked by itself), or remove it from the list", r.id)
                    }),
                );
            }
        }
        if checks.is_on(Check::Unlisted) && !l.unlisted.is_empty() {
            let is_actor = |id: &str| m.actors.binary_search_by(|x| x.id.as_str().cmp(id)).is_ok();
            let (actors, events): (Vec<&str>, Vec<&str>) = l
                .unlisted
                .iter()
                .map(String::as_str)
                .partition(|id| is_actor(id));
            let text = files.text(a.source);
            let front = text.get(..a.body.start).unwrap_or("");
            for (key, missing, listed) in
                [("actors", actors, &a.actors), ("events", events, &a.events)]
            {
                if missing.is_empty() {
                    continue;
                }
                // At the `actors:` (or `events:`) line, or at the front
                // matter's closing line when there is none.
                let at = key_line(front, key).unwrap_or_else(|| {
                    let end = front.trim_end().rfind('\n').map_or(0, |i| i + 1);
                    end..front.trim_end().len()
                });
                let all: Vec<&str> = listed
                    .iter()
                    .map(|r| r.id.as_str())
                    .chain(missing.iter().copied())
                    .collect();
                diags.push(
                    Diagnostic::check(
                        Check::Unlisted,
                        format!(
                            "the text mentions {} but `{key}:` does not list {}",
                            quoted(&missing),
                            if missing.len() == 1 { "it" } else { "them" }
                        ),
                    )
                    .at(Span::new(a.source, at))
                    .hint(format!(
                        "write `{key}: [{}]`, so that lists and search know what the analysis is about",
                        all.join(", ")
                    )),
                );
            }
        }
    }
}

/// The byte range of a top-level `key:` line of front matter.
fn key_line(front: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut pos = 0;
    for line in front.split_inclusive('\n') {
        if line.strip_prefix(key).is_some_and(|r| r.starts_with(':')) {
            return Some(pos..pos + line.trim_end().len());
        }
        pos += line.len();
    }
    None
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
    if checks.is_on(Check::UnsourcedFact) {
        for f in facts.iter().filter(|f| f.source.is_none()) {
            diags.push(
                Diagnostic::check(
                    Check::UnsourcedFact,
                    format!("the fact `{}` ({}) has no source", f.label, f.value),
                )
                .at(f.span.clone())
                .hint("add `source: <id>` (a file in content/sources/) or `source: {title: …, url: …}`; or set `unsourced_fact = \"off\"` under [checks]"),
            );
        }
    }
    for f in facts {
        cited(f.source.as_ref(), diags);
    }
}

/// A source given in place: its URL must be a usable address.
fn cited(c: Option<&Cited>, diags: &mut Diagnostics) {
    if let Some(Cited::Inline(l)) = c {
        link(l, diags);
    }
}

fn link(l: &ExternalLink, diags: &mut Diagnostics) {
    if let (Some(url), Some(span)) = (&l.url, &l.url_span) {
        external_url(url, span, diags);
    }
}

/// Links written in Markdown in fact sheets and author files (summaries,
/// bios, relation notes), reported at the text they are in: its offsets are
/// those of re-indented YAML, not of the file.
fn texts_links(site: &Site, diags: &mut Diagnostics) {
    let m = &site.model;
    let mut check = |text: Option<&crate::link::Text>, span: Option<&Span>| {
        let (Some(text), Some(span)) = (text, span) else {
            return;
        };
        for (url, _) in &text.links {
            if let Err(why) = check_url(url) {
                diags.push(bad_link(url, &why, span.clone()));
            }
        }
    };
    let texts = &site.texts;
    for (a, t) in m.actors.iter().zip(texts.actors.texts.iter()) {
        check(t.as_deref(), a.summary.as_ref().map(|s| &s.span));
    }
    for (e, t) in m.events.iter().zip(texts.events.texts.iter()) {
        check(t.as_deref(), e.summary.as_ref().map(|s| &s.span));
    }
    for (a, t) in m.authors.iter().zip(texts.authors.texts.iter()) {
        check(t.as_deref(), a.bio.as_ref().map(|s| &s.span));
    }
}

/// A URL written in a YAML file points elsewhere: it must be absolute (or a
/// path on this site, starting with `/`).
fn external_url(url: &str, span: &Span, diags: &mut Diagnostics) {
    if let Err(why) = check_url(url).and_then(|()| check_absolute(url)) {
        diags.push(bad_link(url, &why, span.clone()));
    }
}

/// Sources: their links; those nothing cites; those with no link at all.
fn sources(checks: &Checks, site: &Site, diags: &mut Diagnostics) {
    for (s, l) in site.model.sources.iter().zip(&site.sources) {
        let links = [&s.url, &s.archived].into_iter().flatten();
        for u in links.filter(|_| checks.is_on(Check::BadLink)) {
            let Located { value, span } = u;
            external_url(value, span, diags);
        }
        let cited = !(l.analyses.is_empty()
            && l.facts.is_empty()
            && l.events.is_empty()
            && l.relations.is_empty());
        if !cited && checks.is_on(Check::UnusedSource) {
            diags.push(
                Diagnostic::check(
                    Check::UnusedSource,
                    format!("nothing cites the source `{}` ({})", s.id, s.title),
                )
                .at(Span::file(s.source))
                .hint(format!(
                    "cite it in an analysis with `[@{}]`, or give it as the `source` of a fact, event or relation; or set `unused_source = \"off\"` under [checks]",
                    s.id
                )),
            );
        }
        if s.url.is_none() && s.archived.is_none() && checks.is_on(Check::UnlinkedSource) {
            diags.push(
                Diagnostic::check(
                    Check::UnlinkedSource,
                    format!("the source `{}` has neither `url` nor `archived`", s.id),
                )
                .at(Span::file(s.source))
                .hint("readers can check a source they can open: add its address, or an archived copy"),
            );
        }
    }
}

/// Bylines that name no author file, with a suggestion among the authors'
/// ids and names.
fn unknown_authors(site: &Site, diags: &mut Diagnostics) {
    let m = &site.model;
    let ids: Vec<&str> = m.authors.iter().map(|a| a.id.as_str()).collect();
    for (a, l) in m.analyses.iter().zip(&site.analyses) {
        for (written, found) in a.authors.iter().zip(&l.authors) {
            if found.is_some() {
                continue;
            }
            let text = written.value.as_str();
            let by_name = m
                .authors
                .iter()
                .find(|x| x.name.eq_ignore_ascii_case(text))
                .or_else(|| {
                    let names = m.authors.iter().map(|x| x.name.as_str());
                    let name = did_you_mean(text, names)?;
                    m.authors.iter().find(|x| x.name == name)
                });
            let hint = match (by_name, did_you_mean(text, ids.iter().copied())) {
                (Some(x), _) => Some(format!("did you mean `{}` ({})?", x.id, x.name)),
                (None, Some(id)) => Some(format!("did you mean `{id}`?")),
                (None, None) => None,
            };
            diags.push(
                Diagnostic::check(
                    Check::UnknownAuthor,
                    format!("`{text}` is not one of the site's authors"),
                )
                .at(written.span.clone())
                .label("no file in content/authors/ has this id")
                .hint_opt(hint)
                .hint("authors are the files in content/authors/; write their id. A name of someone without one is shown as written"),
            );
        }
    }
}

/// Two relations of one type between the same two actors, at overlapping
/// dates (a missing `from` or `until` is open-ended): probably one entry
/// written twice.
fn overlapping_relations(site: &Site, diags: &mut Diagnostics) {
    for a in &site.model.actors {
        for (k, r) in a.relations.iter().enumerate() {
            // One ending on the day the other begins (a handover) is not
            // an overlap.
            let apart = |until: Option<Date>, from: Option<Date>| matches!((until, from), (Some(u), Some(f)) if u.last_day() <= f.first_day());
            let earlier = a.relations[..k].iter().find(|q| {
                q.kind.value == r.kind.value
                    && q.actor.id == r.actor.id
                    && same_role(q.role.as_deref(), r.role.as_deref())
                    && !apart(q.until, r.from)
                    && !apart(r.until, q.from)
            });
            if let Some(q) = earlier {
                diags.push(
                    Diagnostic::check(
                        Check::OverlappingRelations,
                        format!(
                            "`{}` is `{}` `{}` twice at overlapping dates",
                            a.id, r.kind.value, r.actor.id
                        ),
                    )
                    .at(r.span.clone())
                    .related(q.span.clone(), "the other one")
                    .hint("merge the two entries, or give them dates that do not overlap"),
                );
            }
        }
    }
}

/// Two roles are one when they read the same, case aside; a chairman of a
/// body may also be one of its members.
fn same_role(a: Option<&str>, b: Option<&str>) -> bool {
    let norm = |r: Option<&str>| r.map(|r| r.trim().to_lowercase()).unwrap_or_default();
    norm(a) == norm(b)
}

/// Placeholder texts of `dossier new` left in a fact sheet, an author or
/// source file, or an analysis's front matter and opening. Only the opening
/// of a body is read: that is where `new` puts its paragraph, and reading
/// whole bodies would cost every rebuild a pass over every analysis.
fn placeholders(site: &Site, sources: &Sources, memo: &mut LintMemo, diags: &mut Diagnostics) {
    use std::sync::LazyLock;

    use aho_corasick::AhoCorasick;
    use rayon::prelude::*;

    /// How much of a body after its front matter is read.
    const OPENING: usize = 1_000;
    static FINDER: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::new(crate::init::PLACEHOLDERS).ok());
    let Some(finder) = FINDER.as_ref() else {
        return;
    };
    let m = &site.model;
    // Each file, how far to read it, and its version (a source file's
    // model keeps none: it is read every time; they are few).
    let mut files: Vec<(SourceId, usize, Option<u64>)> = Vec::new();
    for a in &m.analyses {
        files.push((a.source, a.body.start + OPENING, Some(a.version)));
    }
    let whole = usize::MAX;
    files.extend(m.actors.iter().map(|a| (a.source, whole, Some(a.version))));
    files.extend(m.events.iter().map(|e| (e.source, whole, Some(e.version))));
    files.extend(m.authors.iter().map(|a| (a.source, whole, Some(a.version))));
    files.extend(m.sources.iter().map(|s| (s.source, whole, None)));
    let kept = &memo.placeholders;
    // Each file with its hits, and whether they were found now.
    let found: Vec<(SourceId, usize, Option<u64>, Hits, bool)> = files
        .par_iter()
        .map(|&(id, upto, version)| {
            if let Some((_, _, hits)) =
                version.and_then(|v| kept.get(&id).filter(|(kv, ku, _)| (*kv, *ku) == (v, upto)))
            {
                return (id, upto, version, hits.clone(), false);
            }
            let text = sources.text_upto(id, upto);
            let hits = finder
                .find_iter(text.as_ref())
                .map(|hit| (hit.pattern().as_usize(), hit.range()))
                .collect();
            (id, upto, version, hits, true)
        })
        .collect();
    if memo.placeholders.len() > 2 * files.len() {
        memo.placeholders.clear();
    }
    for (id, upto, version, hits, fresh) in found {
        for (pattern, range) in &hits {
            let placeholder = crate::init::PLACEHOLDERS[*pattern];
            diags.push(
                Diagnostic::check(
                    Check::Placeholder,
                    format!("this is still the text `dossier new` wrote: \"{placeholder}\""),
                )
                .at(Span::new(id, range.clone()))
                .hint("replace it with your own words, or delete it"),
            );
        }
        if let (true, Some(v)) = (fresh, version) {
            memo.placeholders.insert(id, (v, upto, hits));
        }
    }
}

/// Images in analyses and fact-sheet summaries written without alt text.
fn missing_alt(site: &Site, diags: &mut Diagnostics) {
    let m = &site.model;
    let report = |span: Span, diags: &mut Diagnostics| {
        diags.push(
            Diagnostic::check(Check::MissingAlt, "this image has no alt text")
                .at(span)
                .hint("describe what it shows between the brackets: ![what the image shows](…); readers who cannot see it get only this; for a purely decorative image, set `missing_alt = \"off\"` under [checks]"),
        );
    };
    // Only the texts that have such an image are read (`serve` runs this
    // check before each build's pages).
    let texts = &site.texts;
    for &i in &texts.bodies.no_alt {
        let (a, Some(body)) = (&m.analyses[i], texts.bodies.get(i)) else {
            continue;
        };
        for range in &body.missing_alt {
            let span = Span::new(
                a.source,
                a.body.start + range.start..a.body.start + range.end,
            );
            report(span, diags);
        }
    }
    // A summary's text is a YAML value: its offsets are not the file's, so
    // the finding points at the whole summary.
    let summaries = (texts.actors.no_alt.iter())
        .map(|&i| (m.actors[i].summary.as_ref(), texts.actors.get(i)))
        .chain(
            (texts.events.no_alt.iter())
                .map(|&i| (m.events[i].summary.as_ref(), texts.events.get(i))),
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

/// Whether a relative link starts with what looks like a host name
/// (`meduza.io/en`, `www.osce.org`) rather than a path (`../x/`, `report.pdf`).
fn looks_like_a_host(url: &str) -> bool {
    const FILES: [&str; 24] = [
        "html", "htm", "pdf", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "css", "js",
        "json", "xml", "txt", "csv", "md", "zip", "doc", "docx", "xls", "xlsx", "mp3", "mp4",
    ];
    if url.starts_with(['/', '.', '#', '?']) {
        return false;
    }
    let first = url.split(['/', '?', '#']).next().unwrap_or("");
    let Some((_, tld)) = first.rsplit_once('.') else {
        return false;
    };
    first.starts_with("www.")
        || (url.len() > first.len() || !FILES.contains(&tld.to_ascii_lowercase().as_str()))
            && (2..=6).contains(&tld.len())
            && tld.chars().all(|c| c.is_ascii_alphabetic())
            && !FILES.contains(&tld.to_ascii_lowercase().as_str())
}

/// Whether a URL is absolute (a scheme) or a path on this site (`/…`):
/// `meduza.io/en` would be a relative link to a page that does not exist.
pub fn check_absolute(url: &str) -> Result<(), String> {
    if url.starts_with('/') || url.starts_with('#') || url.contains(':') {
        return Ok(());
    }
    Err(format!(
        "it has no scheme, so it would be read as a path on this site; write `https://{}`",
        url.trim_start_matches("//")
    ))
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
        return match looks_like_a_host(url) {
            true => Err(format!(
                "it has no scheme, so it would be read as a path on this site; write `https://{url}`"
            )),
            false => Ok(()),
        };
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
        assert!(check_url("meduza.io/en").is_err());
        assert!(check_url("www.osce.org").is_err());
        assert!(check_url("report.pdf").is_ok());
        assert!(check_url("../analyses/x/").is_ok());
        assert!(check_url("images/chart.svg").is_ok());
        assert!(super::check_absolute("meduza.io/en").is_err());
        assert!(super::check_absolute("/analyses/x/").is_ok());
    }
}
