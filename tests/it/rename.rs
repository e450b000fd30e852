//! `dossier rename OLD NEW`: an id renamed everywhere it is used, nothing
//! else touched, the site still building with the same pages under the new
//! address, and the old address redirecting.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::{Fixture, walk};

/// An actor referenced forty times, in every way a site can: relations,
/// affiliations, country, an event's actors (bare and with a role) and
/// place, a source's publisher, analyses' front matter and bodies
/// (`[[id]]`, `[[id|text]]`), summaries, a relation's note and a
/// translation; and in places that are no reference (code, a plain word).
fn site() -> Fixture {
    let mut f = Fixture::new()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/b/\"\n\n[languages.ru]\ntitle = \"Т\"\n",
        )
        .actor(
            "tokayev",
            "name: Kassym-Jomart Tokayev\nkind: person\nsummary: Tokayev, the president.\n",
        )
        .file(
            "content/actors/tokayev.ru.yaml",
            "name: Касым-Жомарт Токаев\nsummary: Президент; см. [[tokayev]] и [[kz]].\n",
        )
        .actor("kz", "name: Kazakhstan\nkind: state\nsummary: Led by [[tokayev]].\n")
        .file(
            "content/sources/akorda.yaml",
            "title: Statement\npublisher: tokayev\nurl: https://example.org/s\n",
        );
    // 5 actors × 3 references (relation actor, relation note, country) = 15
    for i in 0..5 {
        f = f.actor(
            &format!("m{i}"),
            &format!(
                "name: Minister {i}\nkind: person\ncountry: tokayev\nrelations:\n  - {{type: member_of, actor: tokayev, note: \"Appointed by [[tokayev|the president]].\"}}\n"
            ),
        );
    }
    // 4 events × 3 (bare actor, actor with a role, place) = 12
    for i in 0..4 {
        f = f.event(
            &format!("e{i}"),
            &format!(
                "title: Event {i}\ndate: 2022-01-0{}\nplace: tokayev\nactors:\n  - tokayev\n  - {{id: tokayev, role: speaker}}\nsummary: \"`[[tokayev]]` in code stays.\"\n",
                i + 1
            ),
        );
    }
    // 3 analyses × 3 (front matter, [[id]], [[id|text]]) = 9
    for i in 0..3 {
        f = f.analysis(
            &format!("a{i}"),
            &format!("title: Analysis {i}\ndate: 2022-02-0{}\nactors: [tokayev, kz]", i + 1),
            "Said [[tokayev]] and [[tokayev|the president]]; `[[tokayev]]` is code and tokayev a word.\n\n```\n[[tokayev]]\n```\n",
        );
    }
    // With the summaries (kz, the translation), the publisher and the
    // affiliation below: 15 + 12 + 9 + 2 + 1 + 1 = 40.
    f.actor(
        "party",
        "name: Party\nkind: organisation\naffiliations: [tokayev]\n",
    )
}

/// Every HTML page and feed of a built site, by path.
fn pages(out: &Path) -> BTreeMap<String, String> {
    walk(out)
        .into_iter()
        .filter(|f| f.ends_with(".html") || f.ends_with(".xml"))
        // The open data and the search index list ids in id order; the
        // sitemap is checked apart.
        .filter(|f| {
            !f.starts_with("data/") && !f.contains("search/") && !f.ends_with("sitemap.xml")
        })
        .map(|f| {
            let text = std::fs::read_to_string(out.join(&f)).unwrap();
            (f, text)
        })
        .collect()
}

#[test]
fn an_actor_with_forty_references_is_renamed_and_the_site_is_the_same_but_for_its_address() {
    let f = site();
    assert_eq!(f.run(&["build", "-o", "before"]).code, 0);
    let before = pages(&f.root().join("before"));

    // Without --apply (and not on a terminal): the plan, and nothing written.
    let r = f.run(&["rename", "tokayev", "kassym-tokayev"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("40 references in 17 files"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Nothing written"), "{}", r.stdout);
    assert!(f.root().join("content/actors/tokayev.yaml").exists());

    let r = f.run(&["rename", "tokayev", "kassym-tokayev", "--apply"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("The site builds."), "{}", r.stdout);
    let read = |p: &str| std::fs::read_to_string(f.root().join(p)).unwrap();
    assert!(!f.root().join("content/actors/tokayev.yaml").exists());
    assert!(read("content/actors/kassym-tokayev.yaml").ends_with("redirect_from: [tokayev]\n"));
    assert!(
        f.root()
            .join("content/actors/kassym-tokayev.ru.yaml")
            .exists()
    );
    // Code, plain words and other ids are untouched.
    let a0 = read("content/analyses/a0.md");
    assert!(a0.contains("Said [[kassym-tokayev]] and [[kassym-tokayev|the president]]"));
    assert!(a0.contains("`[[tokayev]]` is code and tokayev a word.\n\n```\n[[tokayev]]\n```"));
    assert!(read("content/events/e0.yaml").contains("summary: \"`[[tokayev]]` in code stays.\""));
    assert!(read("content/actors/kz.yaml").contains("name: Kazakhstan"));

    assert_eq!(f.run(&["build", "-o", "after"]).code, 0);
    let after = pages(&f.root().join("after"));
    // The same pages, the renamed one at its new address, plus the redirects
    // from the old one (in each language).
    // (The network figure's element ids are made from the actor's id.)
    let moved = |s: &str| {
        s.replace("actors/tokayev/", "actors/kassym-tokayev/")
            .replace("network-title-tokayev", "network-title-kassym-tokayev")
            .replace("network-desc-tokayev", "network-desc-kassym-tokayev")
    };
    let expected: BTreeMap<String, String> =
        before.iter().map(|(p, t)| (moved(p), moved(t))).collect();
    for (path, text) in &expected {
        let got = after.get(path).map_or("", String::as_str);
        let first = got.lines().zip(text.lines()).find(|(a, b)| a != b);
        assert!(got == text, "{path} differs: {first:?}");
    }
    let extra: Vec<&String> = after
        .keys()
        .filter(|p| !expected.contains_key(*p))
        .collect();
    assert_eq!(
        extra,
        ["actors/tokayev/index.html", "ru/actors/tokayev/index.html"]
    );
    let redirect = &after["actors/tokayev/index.html"];
    assert!(
        redirect
            .contains("<meta http-equiv=\"refresh\" content=\"0; url=/b/actors/kassym-tokayev/\">")
    );
    assert!(redirect.contains(
        "<link rel=\"canonical\" href=\"https://example.org/b/actors/kassym-tokayev/\">"
    ));
    let sitemap = read("after/sitemap.xml");
    assert!(sitemap.contains("/actors/kassym-tokayev/") && !sitemap.contains("/actors/tokayev/"));
}

#[test]
fn a_source_is_renamed_in_citations_and_facts() {
    let f = Fixture::new()
        .file(
            "content/sources/akorda.yaml",
            "title: Statement\nurl: https://example.org/s\n",
        )
        .actor(
            "x",
            "name: X\nkind: person\nfacts:\n  - {label: Age, value: \"68\", source: akorda}\n",
        )
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01",
            "As said [@akorda, p. 2; @other]. Not [@akordas].\n",
        );
    let r = f.run(&[
        "rename",
        "akorda",
        "akorda-2022",
        "--apply",
        "--no-redirect",
    ]);
    assert!(r.stdout.contains("2 references in 3 files"), "{}", r.stdout);
    let read = |p: &str| std::fs::read_to_string(f.root().join(p)).unwrap();
    assert!(
        read("content/analyses/a.md").contains("[@akorda-2022, p. 2; @other]. Not [@akordas].")
    );
    assert!(read("content/actors/x.yaml").contains("source: akorda-2022}"));
    assert!(!read("content/sources/akorda-2022.yaml").contains("redirect_from"));
}

#[test]
fn a_rename_refuses_what_would_break_the_site() {
    let f = Fixture::new()
        .actor("tokayev", "name: T\nkind: person\n")
        .actor("nazarbayev", "name: N\nkind: person\n")
        .event("tokayev-speech", "title: S\ndate: 2022\n");
    let r = f.run(&["rename", "tokayev", "nazarbayev"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("`nazarbayev` is taken: content/actors/nazarbayev.yaml exists"),
        "{}",
        r.stderr
    );
    let r = f.run(&["rename", "tokayev", "Tokayev K"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`Tokayev K` cannot be an id"),
        "{}",
        r.stderr
    );
    let r = f.run(&["rename", "tokaev", "kassym"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `tokayev`?"), "{}", r.stderr);
    // An event may take a name an actor has: ids are per kind.
    assert_eq!(
        f.run(&["rename", "tokayev-speech", "speech", "--apply"])
            .code,
        0
    );
    // A site whose files do not parse is fixed first.
    let broken = Fixture::new()
        .actor("tokayev", "name: T\nkind: person\n")
        .actor("bad", "name: [unclosed\n");
    let r = broken.run(&["rename", "tokayev", "kassym", "--apply"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("fix them first"), "{}", r.stderr);
    assert!(broken.root().join("content/actors/tokayev.yaml").exists());
}

#[test]
fn a_redirect_may_not_take_an_address_that_is_in_use() {
    let b = Fixture::new()
        .actor(
            "tokayev",
            "name: T\nkind: person\nredirect_from: [nazarbayev, old-t]\n",
        )
        .actor(
            "nazarbayev",
            "name: N\nkind: person\nredirect_from: [old-t]\n",
        )
        .build()
        .fails();
    b.has(&[
        "error: content/actors/tokayev.yaml:3:17: `nazarbayev` is the id of another actor, so its page cannot redirect to `tokayev`",
    ])
    .has(&["error: content/actors/tokayev.yaml:3:29: `old-t` redirects both to `nazarbayev` and to `tokayev`"]);
}
