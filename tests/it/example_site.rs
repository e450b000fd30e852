//! The repository's own example site builds cleanly, meets the size the
//! issue asks for, and has no broken internal link.

use std::path::Path;

use dossier::BuildOptions;

use crate::harness::{broken_links, build_at, walk};

#[test]
fn example_site_builds_without_diagnostics_and_links_resolve() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let (outcome, sources) = dossier::build(&BuildOptions {
        output: Some(target.clone()),
        ..BuildOptions::new(root)
    });
    let diags = dossier::diag::render_short(&sources, &outcome.diagnostics);
    assert!(outcome.result.is_ok() && diags.is_empty(), "{diags}");
    let files = walk(&target);
    let count = |prefix: &str| {
        files
            .iter()
            .filter(|f| f.starts_with(prefix) && f.matches('/').count() == 2)
            .count()
    };
    assert!(count("analyses/") >= 2, "analyses: {}", count("analyses/"));
    assert!(count("actors/") >= 12, "actors: {}", count("actors/"));
    assert!(count("events/") >= 10, "events: {}", count("events/"));
    let broken = broken_links(&target, "/kazakhstan/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let html: String = files
        .iter()
        .filter(|f| f.starts_with("events/"))
        .map(|f| std::fs::read_to_string(target.join(f)).unwrap())
        .collect();
    assert!(
        html.contains("class=\"disputed\""),
        "the example site needs a disputed figure"
    );
}

/// What the example shows of who held what, when, and says who.
#[test]
fn the_example_dates_its_relations_and_sources_every_fact() {
    let b = build_at(Path::new(env!("CARGO_MANIFEST_DIR"))).ok();
    // The Security Council chair, on both actors' pages, with dates and source.
    for (actor, dates) in [
        ("tokayev", "since 5 January 2022"),
        ("nazarbayev", "until 5 January 2022"),
    ] {
        let page = b.page(&format!("actors/{actor}/"));
        let chair = page
            .texts(".relation-list li")
            .into_iter()
            .find(|t| t.starts_with("Chairman, Security Council of Kazakhstan"))
            .unwrap_or_else(|| panic!("{actor}: no chair"));
        assert!(
            chair.contains(dates) && chair.contains("Source: Akorda"),
            "{chair}"
        );
    }
    // An analysis after 5 January shows the roles as of its date.
    let roles = b.page("analyses/end-of-dual-power/").texts(".roles li");
    assert!(
        roles.contains(
            &"Chairman, Security Council of Kazakhstan, since 5 January 2022".to_string()
        ),
        "{roles:?}"
    );
    assert!(
        roles.contains(
            &"Chairman, Security Council of Kazakhstan, until 5 January 2022".to_string()
        ),
        "{roles:?}"
    );
    // Kazakhstan lists the events in Zhanaozen and Almaty.
    let kz = b.page("actors/kazakhstan/");
    for e in ["zhanaozen-protests", "almaty-akimat-stormed"] {
        assert!(
            kz.attrs(".event-list a", "href")
                .contains(&format!("/kazakhstan/events/{e}/")),
            "{e}"
        );
    }
    // Every source page lists something that cites it.
    for f in walk(&b.output)
        .iter()
        .filter(|f| f.starts_with("sources/") && f.matches('/').count() == 2)
    {
        let page = b.page(f.trim_end_matches("index.html"));
        let cited = page.texts(".card-title").len()
            + page.texts(".citing-facts li").len()
            + page.texts(".citing-relations li").len()
            + page.texts(".event-list li").len();
        assert!(cited > 0, "{f} lists nothing that cites it");
    }
}

/// What the example gives readers: networks, related analyses, authors,
/// a correction and open data.
#[test]
fn the_example_draws_networks_and_relates_every_analysis() {
    let b = build_at(Path::new(env!("CARGO_MANIFEST_DIR"))).ok();
    let nodes = |actor: &str| {
        let mut n = b
            .page(&format!("actors/{actor}/"))
            .attrs("svg.network a", "href");
        n.sort();
        n
    };
    let ids = |list: &[&str]| {
        let mut v: Vec<String> = list
            .iter()
            .map(|a| format!("/kazakhstan/actors/{a}/"))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        nodes("tokayev"),
        ids(&[
            "kazakhstan",
            "security-council",
            "nur-otan",
            "nazarbayev",
            "smailov"
        ])
    );
    assert_eq!(
        nodes("nazarbayev"),
        ids(&[
            "kazakhstan",
            "security-council",
            "nur-otan",
            "tokayev",
            "massimov"
        ])
    );
    assert_eq!(
        nodes("csto"),
        ids(&[
            "russia",
            "belarus",
            "armenia",
            "kazakhstan",
            "kyrgyzstan",
            "tajikistan",
            "pashinyan"
        ])
    );
    // Every analysis points to others.
    let analyses: Vec<String> = walk(&b.output)
        .into_iter()
        .filter(|f| {
            f.starts_with("analyses/") && f.matches('/').count() == 2 && !f.contains("/page/")
        })
        .collect();
    assert!(analyses.len() >= 5);
    for f in &analyses {
        let related = b
            .page(f.trim_end_matches("index.html"))
            .texts(".related .card-title");
        assert!(related.len() >= 2, "{f}: {related:?}");
    }
    assert!(b.page("authors/").texts(".author-name").len() >= 3);
    assert!(!b.page("corrections/").texts(".correction-of").is_empty());
    assert!(b.exists("data/entities.ftm.json"));
}

/// The example is also in Russian: the CSTO analysis and the fact sheets it
/// needs are translated, the rest falls back to English and says so.
#[test]
fn the_example_has_a_russian_edition() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let b = build_at(root).ok();
    let a = b.page("ru/analyses/csto-first-deployment/");
    a.contains("<html lang=\"ru\">");
    // Russian names, inflected, link to the Russian fact sheets.
    a.has_link("main a", "/kazakhstan/ru/actors/tokayev/", "Токаева");
    assert_eq!(a.texts(".translation-note a")[1], "English");
    assert_eq!(
        b.page("ru/actors/tokayev/").texts("h1"),
        ["Касым-Жомарт Токаев"]
    );
    // The analyses not yet translated are counted on the Russian list.
    assert_eq!(b.page("ru/analyses/").texts(".card-list h2").len(), 1);
    assert!(!b.page("ru/analyses/").texts(".untranslated").is_empty());
    assert!(!b.exists("ru/analyses/five-days-in-january/index.html"));
}
