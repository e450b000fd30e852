//! Autolinking: the first plain mention of a name or alias becomes a link,
//! whole words only, longest match first, in any script, never inside code,
//! headings or existing links; mentions count as backlinks.

use crate::harness::Fixture;

fn actors() -> Fixture {
    Fixture::new()
        .actor(
            "tokayev",
            "name: Kassym-Jomart Tokayev\nkind: person\naliases: [Tokayev, Токаев]\n",
        )
        .actor("russia", "name: Russia\nkind: state\n")
        .actor(
            "eu",
            "name: European Union\nkind: organisation\naliases: [EU]\n",
        )
        .actor(
            "council",
            "name: European Union Council\nkind: organisation\n",
        )
}

#[test]
fn first_mention_only_is_linked() {
    let b = actors()
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01",
            "Tokayev spoke. Later Tokayev spoke again.\n",
        )
        .build()
        .ok();
    let links = b.page("analyses/a/").links(".prose a");
    assert_eq!(
        links,
        [("/actors/tokayev/".to_string(), "Tokayev".to_string())]
    );
}

#[test]
fn whole_words_only() {
    let b = actors()
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01",
            "Russian troops and EUROPE and EUx are not mentions; Russia’s is.\n",
        )
        .build()
        .ok();
    let links = b.page("analyses/a/").links(".prose a");
    assert_eq!(
        links,
        [("/actors/russia/".to_string(), "Russia".to_string())]
    );
}

#[test]
fn longest_match_wins() {
    let b = actors()
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01",
            "The European Union Council met.\n",
        )
        .build()
        .ok();
    let links = b.page("analyses/a/").links(".prose a");
    assert_eq!(
        links,
        [(
            "/actors/council/".to_string(),
            "European Union Council".to_string()
        )]
    );
}

#[test]
fn cyrillic_aliases_are_matched() {
    let b = actors()
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01",
            "Президент Токаев заявил.\n",
        )
        .build()
        .ok();
    b.page("analyses/a/")
        .has_link(".prose a", "/actors/tokayev/", "Токаев");
}

#[test]
fn names_split_over_two_lines_are_matched() {
    let b = actors()
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01",
            "The European\nUnion acted.\n",
        )
        .build()
        .ok();
    b.page("analyses/a/")
        .has_link(".prose a", "/actors/eu/", "European Union");
}

#[test]
fn never_inside_code_headings_or_links() {
    let body = "## Tokayev in a heading\n\n`Tokayev` in code.\n\n```\nTokayev in a block\n```\n\n[Tokayev's site](https://example.org) is a link.\n\n<span>Tokayev</span> in raw HTML.\n\nFinally Tokayev.\n";
    let b = actors()
        .analysis("a", "title: A\ndate: 2022-01-01", body)
        .build()
        .ok();
    let p = b.page("analyses/a/");
    let links = p.links(".prose a");
    assert_eq!(
        links,
        [
            (
                "https://example.org".to_string(),
                "Tokayev’s site".to_string()
            ),
            ("/actors/tokayev/".to_string(), "Tokayev".to_string())
        ]
    );
    assert_eq!(p.texts(".prose h2"), ["Tokayev in a heading"]);
}

#[test]
fn explicit_reference_counts_as_first_mention() {
    let b = actors()
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01",
            "[[tokayev|The president]] said; Tokayev added.\n",
        )
        .build()
        .ok();
    let links = b.page("analyses/a/").links(".prose a");
    assert_eq!(
        links,
        [("/actors/tokayev/".to_string(), "The president".to_string())]
    );
}

#[test]
fn automatic_mentions_are_backlinks() {
    let b = actors()
        .analysis(
            "a",
            "title: Mentions Russia\ndate: 2022-01-01",
            "Russia acted.\n",
        )
        .build()
        .ok();
    b.page("actors/russia/")
        .has_link(".card-title a", "/analyses/a/", "Mentions Russia");
}

#[test]
fn autolink_can_be_turned_off() {
    let b = actors()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\nautolink = false\n",
        )
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01",
            "Russia acted. [[tokayev]] too.\n",
        )
        .build()
        .ok();
    let links = b.page("analyses/a/").links(".prose a");
    assert_eq!(
        links,
        [(
            "/actors/tokayev/".to_string(),
            "Kassym-Jomart Tokayev".to_string()
        )]
    );
    assert!(b.page("actors/russia/").texts(".card-title").is_empty());
}

#[test]
fn an_alias_shared_by_two_actors_links_neither_and_warns() {
    let b = Fixture::new()
        .actor("a", "name: Alpha\nkind: group\naliases: [Front]\n")
        .actor("b", "name: Beta\nkind: group\naliases: [Front]\n")
        .analysis("x", "title: X\ndate: 2022-01-01", "The Front acted.\n")
        .build()
        .ok()
        .has(&[
            "warning: content/actors/a.yaml:3:11",
            "`Front` names both `a` and `b`",
        ]);
    assert!(b.page("analyses/x/").links(".prose a").is_empty());
}

#[test]
fn names_with_apostrophes_match_curly_apostrophes() {
    let b = Fixture::new()
        .actor("obrien", "name: Mary O'Brien\nkind: person\n")
        .analysis("a", "title: A\ndate: 2022-01-01", "Mary O'Brien said so.\n")
        .build()
        .ok();
    b.page("analyses/a/")
        .has_link(".prose a", "/actors/obrien/", "Mary O’Brien");
}

#[test]
fn fact_sheet_summaries_link_other_actors_but_not_themselves() {
    let b = actors()
        .actor(
            "putin",
            "name: Putin\nkind: person\nsummary: Putin spoke with Tokayev about Russia.\n",
        )
        .build()
        .ok();
    let p = b.page("actors/putin/");
    let links = p.links(".summary a");
    assert_eq!(
        links,
        [
            ("/actors/tokayev/".to_string(), "Tokayev".to_string()),
            ("/actors/russia/".to_string(), "Russia".to_string())
        ]
    );
    // Summary links are not analyses: Tokayev's page lists none.
    assert!(b.page("actors/tokayev/").texts(".card-title").is_empty());
}

#[test]
fn an_event_is_linked_by_its_aliases_but_not_its_title() {
    let site = |body: &str| {
        actors()
            .event(
                "unrest",
                "title: The January 2022 unrest\ndate: 2022-01-02\naliases: [Qandy Qantar, Bloody January]\n",
            )
            .analysis(
                "a",
                "title: A\ndate: 2022-01-20\nevents: [unrest]\nactors: [tokayev]",
                body,
            )
    };
    let b = site("Tokayev called it Qandy Qantar; Qandy Qantar again.\n")
        .build()
        .ok();
    assert_eq!(
        b.page("analyses/a/").links(".prose a"),
        [
            ("/actors/tokayev/".to_string(), "Tokayev".to_string()),
            ("/events/unrest/".to_string(), "Qandy Qantar".to_string()),
        ]
    );
    assert!(!b.short().contains("unmentioned"), "{}", b.short());
    // The event page lists the analysis that mentioned it.
    assert_eq!(b.page("events/unrest/").texts(".card-title"), ["A"]);
    // Its title is a sentence, not a name: writing it links nothing, and
    // the warning says how to mention an event.
    let b = site("Tokayev and the January 2022 unrest.\n").build().ok();
    assert_eq!(b.page("analyses/a/").links(".prose a").len(), 1);
    b.has(&[
        "`unrest` is listed in the front matter but the text never mentions it",
        "link it in the text with `[[unrest]]` (or write one of its `aliases`",
    ]);
}

#[test]
fn an_alias_an_actor_and_an_event_share_links_to_neither() {
    let b = actors()
        .event(
            "eu-summit",
            "title: EU summit\ndate: 2022-01-02\naliases: [EU]\n",
        )
        .analysis("a", "title: A\ndate: 2022-01-20", "The EU met.\n")
        .build()
        .ok();
    assert!(b.page("analyses/a/").links(".prose a").is_empty());
    b.has(&["`EU` names both `eu` and `eu-summit`, so it is not linked automatically"]);
}
