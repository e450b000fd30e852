//! Relations between actors: typed and dated, shown on both actors' pages
//! (the other side under the inverse label), current before former; roles
//! as of an analysis's or event's date; places rolling up through
//! `part_of`; types a site declares.

use crate::harness::Fixture;

fn site() -> Fixture {
    Fixture::new()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[relations.advises]\nlabel = \"Advises\"\ninverse = \"Advised by\"\n",
        )
        .actor(
            "nazarbayev",
            "name: Nursultan Nazarbayev\nkind: person\naliases: [Nazarbayev]\nrelations:\n  - {type: leads, actor: council, role: Chairman, until: 2022-01-05, source: akorda}\n  - {type: member_of, actor: party, from: 1999, until: 2022-04}\n",
        )
        .actor(
            "tokayev",
            "name: Kassym-Jomart Tokayev\nkind: person\naliases: [Tokayev]\nwikidata: Q381218\nrelations:\n  - {type: leads, actor: council, role: Chairman, from: 2022-01-05, source: akorda, note: \"Took over from [[nazarbayev]].\"}\n  - {type: leads, actor: kazakhstan, role: President, from: 2019-03-20}\n  - {type: advises, actor: kazakhstan}\n  - {type: allied_with, actor: party}\n",
        )
        .actor("council", "name: Security Council\nkind: organisation\n")
        .actor("party", "name: Nur Otan\nkind: organisation\n")
        .actor("kazakhstan", "name: Kazakhstan\nkind: state\n")
        .actor(
            "mangystau",
            "name: Mangystau\nkind: place\nrelations:\n  - {type: part_of, actor: kazakhstan}\n",
        )
        .actor(
            "zhanaozen",
            "name: Zhanaozen\nkind: place\nrelations:\n  - {type: part_of, actor: mangystau}\n",
        )
        .file(
            "content/sources/akorda.yaml",
            "title: Decree on the Security Council\npublisher: Akorda\nurl: https://www.akorda.kz/\npublished: 2022-01-05\nkind: official\n",
        )
        .event(
            "protests",
            "title: Protests begin\ndate: 2022-01-02\nplace: zhanaozen\nactors: [nazarbayev, tokayev]\n",
        )
        .event(
            "handover",
            "title: The chair changes hands\ndate: 2022-01-05\nactors: [nazarbayev, tokayev]\n",
        )
        .analysis(
            "after",
            "title: After the handover\ndate: 2022-01-27\nactors: [tokayev, nazarbayev]\nevents: [protests]",
            "Tokayev and Nazarbayev, after [[protests]].\n",
        )
        .analysis(
            "before",
            "title: Before it\ndate: 2021-06-01\nactors: [tokayev, nazarbayev]",
            "Tokayev and Nazarbayev.\n",
        )
}

#[test]
fn an_actor_page_lists_its_relations_by_label_with_dates_and_sources() {
    let b = site().build().ok();
    let n = b.page("actors/nazarbayev/");
    assert_eq!(n.texts(".relation-label"), ["Member of", "Leads"]);
    let items = n.texts(".relation-list li");
    assert_eq!(
        items[0], "Nur Otan, 1999 – April 2022 former",
        "dates at their precision"
    );
    assert!(
        items[1].starts_with("Chairman, Security Council, until 5 January 2022 former Source: Akorda, “Decree on the Security Council”"),
        "{items:?}"
    );
    n.has_link(
        ".relation-source a",
        "/sources/akorda/",
        "“Decree on the Security Council”",
    );
    // `member_of` is also what it is affiliated with.
    let party = b.page("actors/party/");
    assert_eq!(party.texts(".relation-label"), ["Members", "Allied with"]);
}

#[test]
fn the_other_actor_shows_the_inverse_current_before_former() {
    let b = site().build().ok();
    let c = b.page("actors/council/");
    assert_eq!(c.texts(".relation-label"), ["Led by"]);
    let items = c.texts(".relation-list li");
    assert!(
        items[0].starts_with("Chairman, Kassym-Jomart Tokayev, since 5 January 2022 Took over from Nursultan Nazarbayev."),
        "{items:?}"
    );
    assert!(
        items[1].starts_with("Chairman, Nursultan Nazarbayev, until 5 January 2022 former"),
        "{items:?}"
    );
    // A note's [[id]] is a link.
    c.has_link(
        ".relation-note a",
        "/actors/nazarbayev/",
        "Nursultan Nazarbayev",
    );
    // A type the site declares, with its inverse; a symmetric one reads the
    // same from both sides.
    let k = b.page("actors/kazakhstan/");
    assert!(
        k.texts(".relation-label")
            .contains(&"Advised by".to_string())
    );
    let t = b.page("actors/tokayev/");
    assert!(t.texts(".relation-label").contains(&"Advises".to_string()));
    assert!(
        t.texts(".relation-label")
            .contains(&"Allied with".to_string())
    );
}

#[test]
fn an_analysis_shows_each_actors_roles_as_of_its_date() {
    let b = site().build().ok();
    let after = b.page("analyses/after/");
    let roles = after.texts(".actors-with-roles .roles li");
    assert_eq!(
        roles,
        [
            "Chairman, Security Council, since 5 January 2022",
            "President, Kazakhstan, since 20 March 2019",
            "Chairman, Security Council, until 5 January 2022",
        ]
    );
    // The role Nazarbayev had left is marked as such.
    assert_eq!(
        after.texts(".roles .former"),
        ["Chairman, Security Council, until 5 January 2022"]
    );
    // Before either change, Nazarbayev held the chair; Tokayev's posts had
    // not begun.
    let before = b.page("analyses/before/");
    assert_eq!(
        before.texts(".actors-with-roles .roles li"),
        [
            "President, Kazakhstan, since 20 March 2019",
            "Chairman, Security Council, until 5 January 2022"
        ]
    );
    // An event shows them as of its own date: on the day of the handover,
    // both held the chair.
    let handover = b.page("events/handover/");
    assert_eq!(
        handover.texts(".participants .roles li"),
        [
            "Chairman, Security Council, until 5 January 2022",
            "Chairman, Security Council, since 5 January 2022",
            "President, Kazakhstan, since 20 March 2019",
        ]
    );
}

#[test]
fn events_roll_up_through_the_places_they_are_part_of() {
    let b = site().build().ok();
    for page in [
        "actors/zhanaozen/",
        "actors/mangystau/",
        "actors/kazakhstan/",
    ] {
        b.page(page)
            .has_link(".event-list a", "/events/protests/", "Protests begin");
    }
    let m = b.page("actors/mangystau/");
    assert!(m.texts(".relation-label").contains(&"Parts".to_string()));
    m.has_link(".relation-list a", "/actors/zhanaozen/", "Zhanaozen");
}

#[test]
fn wikidata_is_linked_and_becomes_same_as() {
    let b = site().build().ok();
    let t = b.page("actors/tokayev/");
    t.has_link(
        ".link-list a",
        "https://www.wikidata.org/wiki/Q381218",
        "Wikidata (Q381218)",
    );
    assert_eq!(
        t.json_ld()["sameAs"][0],
        "https://www.wikidata.org/wiki/Q381218"
    );
}

#[test]
fn relation_mistakes_are_errors_at_their_place() {
    Fixture::new()
        .actor(
            "a",
            "name: A\nkind: person\nrelations:\n  - {type: leeds, actor: b}\n  - {type: leads, actor: a}\n  - {type: leads, actor: b, from: 2022, until: 2021-05}\n",
        )
        .actor("b", "name: B\nkind: organisation\n")
        .build()
        .fails()
        .has(&["a.yaml:4:12", "unknown type of relation `leeds`", "did you mean `leads`?"])
        .has(&["a.yaml:5:26", "`a` is related to itself"])
        .has(&["a.yaml:6:48", "this relation ends (2021-05) before it begins (2022)"])
        .error_count(3);
}

#[test]
fn hostile_roles_and_notes_stay_text() {
    let hostile = "</li><script>alert(1)</script> & \"q\"";
    let b = Fixture::new()
        .actor(
            "a",
            &format!("name: A\nkind: person\nrelations:\n  - {{type: leads, actor: b, role: '{hostile}', note: '{hostile}'}}\n"),
        )
        .actor("b", "name: B\nkind: organisation\n")
        .analysis("x", "title: X\ndate: 2022-01-27\nactors: [a, b]", "[[a]] and [[b]].\n")
        .build()
        .ok();
    for page in ["actors/a/", "actors/b/", "analyses/x/"] {
        let p = b.page(page);
        p.lacks("<script>alert(1)");
        assert!(
            p.texts("body")
                .concat()
                .contains("</li><script>alert(1)</script>"),
            "{page}"
        );
    }
}

#[test]
fn a_relation_of_one_day_is_an_act_never_former_and_no_role_held() {
    let b = site()
        .actor(
            "tokayev",
            "name: Kassym-Jomart Tokayev\nkind: person\naliases: [Tokayev]\nrelations:\n  - {type: succeeded, actor: nazarbayev, role: Chairman, from: 2022-01-05, until: 2022-01-05, source: akorda}\n  - {type: leads, actor: council, role: Chairman, from: 2022-01-05}\n",
        )
        .build()
        .ok();
    let t = b.page("actors/tokayev/");
    assert_eq!(
        t.texts(".relation-list li"),
        [
            "Chairman, Security Council, since 5 January 2022",
            "Chairman, Nursultan Nazarbayev, on 5 January 2022 Source: Akorda, “Decree on the Security Council”, 5 January 2022 · link",
        ]
    );
    assert!(
        t.texts(".relation-list .former").is_empty(),
        "an act is never former"
    );
    assert!(t.attrs("svg.network line.former", "x1").is_empty());
    let n = b.page("actors/nazarbayev/");
    assert!(
        n.texts(".relation-label")
            .contains(&"Succeeded by".to_string())
    );
    // Roles as of a date are posts held, not acts.
    assert_eq!(
        b.page("analyses/after/")
            .texts(".actors-with-roles .roles li"),
        [
            "Chairman, Security Council, since 5 January 2022",
            "Chairman, Security Council, until 5 January 2022",
        ]
    );
    // The act is a FollowTheMoney Succession: successor, predecessor, the
    // post as its role.
    let ftm = b.read("data/entities.ftm.json");
    let succession = ftm
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["schema"] == "Succession")
        .expect("a Succession entity");
    assert_eq!(succession["properties"]["successor"][0], "actor-tokayev");
    assert_eq!(
        succession["properties"]["predecessor"][0],
        "actor-nazarbayev"
    );
    assert_eq!(succession["properties"]["role"][0], "Chairman");
}

#[test]
fn two_roles_in_one_body_do_not_overlap_but_the_same_role_twice_does() {
    let roles = |second: &str| {
        Fixture::new()
            .file(
                "site.toml",
                "title = \"T\"\nbase_url = \"https://example.org/\"\n[checks]\noverlapping_relations = \"error\"\n",
            )
            .actor("council", "name: Council\nkind: organisation\n")
            .actor(
                "a",
                &format!(
                    "name: A\nkind: person\nrelations:\n  - {{type: leads, actor: council, role: Chairman, from: 2020}}\n  - {{type: leads, actor: council, role: {second}, from: 2021}}\n"
                ),
            )
            .check()
    };
    roles("Secretary").ok();
    roles("chairman ").fails().has(&[
        "content/actors/a.yaml:5:5",
        "`a` is `leads` `council` twice at overlapping dates",
    ]);
}
