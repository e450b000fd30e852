//! Every page links the others both ways: analyses → actors/events,
//! actors → events and analyses, events → actors, parents, sub-events.

use crate::harness::{Fixture, broken_links};

fn small_site() -> Fixture {
    Fixture::new()
        .actor("tokayev", "name: Kassym-Jomart Tokayev\nkind: person\naliases: [Tokayev]\nrole: President\ncountry: kazakhstan\n")
        .actor("kazakhstan", "name: Kazakhstan\nkind: state\naffiliations: [csto]\n")
        .actor("csto", "name: Collective Security Treaty Organization\nkind: organisation\naliases: [CSTO]\n")
        .actor("almaty", "name: Almaty\nkind: place\ncountry: kazakhstan\n")
        .event(
            "unrest",
            "title: The January unrest\ndate: 2022-01-02\nend: 2022-01-11\nfacts:\n  - label: Deaths\n    value: \"164\"\n    as_of: 2022-01-09\n    source: {title: Health ministry}\n  - label: Deaths\n    value: \"225\"\n    as_of: 2022-01-15\n    source: {title: Prosecutor General, url: \"https://example.org/pg\"}\n",
        )
        .event(
            "csto-request",
            "title: Tokayev asks the CSTO for help\ndate: 2022-01-05\npart_of: unrest\nplace: almaty\nactors:\n  - {id: tokayev, role: requested help}\n  - csto\n",
        )
        .event("address", "title: Address to parliament\ndate: 2022-01-11\npart_of: unrest\nactors: [tokayev]\n")
        .analysis(
            "first",
            "title: First analysis\ndate: 2022-01-20\ntags: [Protest movements]\nactors: [kazakhstan]\nevents: [unrest]",
            "Tokayev turned to the CSTO. See [[csto-request]].\n",
        )
        .analysis(
            "second",
            "title: Second analysis\ndate: 2022-01-25\ntags: [protest movements, Security]",
            "The [[address|speech]] mattered.\n",
        )
}

#[test]
fn analysis_links_the_actors_and_events_it_concerns_and_mentions() {
    let b = small_site().build().ok();
    let p = b.page("analyses/first/");
    p.has_link(".prose a", "/actors/tokayev/", "Tokayev")
        .has_link(".prose a", "/actors/csto/", "CSTO")
        .has_link(
            ".prose a",
            "/events/csto-request/",
            "Tokayev asks the CSTO for help",
        );
    // The aside lists front matter first, then mentions.
    let chips = p.texts(".article-aside .actors-with-roles > li > a");
    assert_eq!(
        chips,
        [
            "Kazakhstan",
            "Kassym-Jomart Tokayev",
            "Collective Security Treaty Organization"
        ]
    );
    p.has_link(".article-aside a", "/events/unrest/", "The January unrest");
    b.page("analyses/second/")
        .has_link(".prose a", "/events/address/", "speech");
}

#[test]
fn actor_page_lists_events_with_roles_and_analyses_newest_first() {
    let b = small_site().build().ok();
    let p = b.page("actors/tokayev/");
    assert_eq!(p.texts("h1"), ["Kassym-Jomart Tokayev"]);
    p.has_link(".kicker a", "/actors/kazakhstan/", "Kazakhstan");
    let events = p.texts(".event-list .event-item");
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events[0].contains("Tokayev asks the CSTO for help")
            && events[0].contains("requested help"),
        "{events:?}"
    );
    assert!(events[1].contains("Address to parliament"), "{events:?}");
    // "first" mentions Tokayev; "second" does not.
    assert_eq!(p.texts(".card-title"), ["First analysis"]);

    let kz = b.page("actors/kazakhstan/");
    kz.has_link(
        ".relation-list a",
        "/actors/csto/",
        "Collective Security Treaty Organization",
    );
    kz.has_link(
        ".article-aside a",
        "/actors/tokayev/",
        "Kassym-Jomart Tokayev",
    );
    let csto = b.page("actors/csto/");
    csto.has_link(".relation-list a", "/actors/kazakhstan/", "Kazakhstan");
    b.page("actors/almaty/").has_link(
        ".event-list a",
        "/events/csto-request/",
        "Tokayev asks the CSTO for help",
    );
}

#[test]
fn event_page_lists_actors_parent_sub_events_and_analyses() {
    let b = small_site().build().ok();
    let req = b.page("events/csto-request/");
    req.has_link(
        ".participants a",
        "/actors/tokayev/",
        "Kassym-Jomart Tokayev",
    );
    assert_eq!(
        req.texts(".participants li")[0],
        "Kassym-Jomart Tokayev requested help"
    );
    req.has_link(".article-aside a", "/events/unrest/", "The January unrest");
    req.has_link(".kicker a", "/actors/almaty/", "Almaty");
    req.has_link(".card-title a", "/analyses/first/", "First analysis");

    let unrest = b.page("events/unrest/");
    let subs = unrest.links(".event-list a");
    assert_eq!(
        subs,
        [
            (
                "/events/csto-request/".to_string(),
                "Tokayev asks the CSTO for help".to_string()
            ),
            (
                "/events/address/".to_string(),
                "Address to parliament".to_string()
            )
        ]
    );
    assert_eq!(
        unrest.texts(".article-header .kicker time"),
        ["2–11 January 2022"]
    );
}

#[test]
fn disputed_figure_shows_every_value_with_its_source() {
    let b = small_site().build().ok();
    let p = b.page("events/unrest/");
    let rows = p.texts(".facts tr.disputed");
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].contains("Deaths") && rows[0].contains("Disputed"),
        "{rows:?}"
    );
    assert!(
        rows[0].contains("164")
            && rows[0].contains("as of 9 January 2022")
            && rows[0].contains("Health ministry")
    );
    assert!(rows[0].contains("225") && rows[0].contains("as of 15 January 2022"));
    p.has_link(".facts a", "https://example.org/pg", "Prosecutor General");
}

#[test]
fn same_value_from_two_sources_is_not_disputed() {
    let b = Fixture::new()
        .actor(
            "x",
            "name: X\nkind: state\nfacts:\n  - {label: Population, value: \"19m\", source: {title: A}}\n  - {label: Population, value: \"19m\", source: {title: B}}\n",
        )
        .build()
        .ok();
    let p = b.page("actors/x/");
    assert!(p.texts(".facts tr.disputed").is_empty());
    assert_eq!(p.texts(".fact-source"), ["Source: A; B"]);
}

#[test]
fn timeline_groups_events_by_year_and_month_in_date_order() {
    let b = small_site()
        .event("earlier", "title: Earlier\ndate: 2021-12-16\n")
        .build()
        .ok();
    let p = b.page("timeline/");
    assert_eq!(p.texts(".timeline-year-title"), ["2021", "2022"]);
    assert_eq!(
        p.texts(".timeline-month-title"),
        ["December 2021", "January 2022"]
    );
    let titles = p.texts(".event-title");
    assert_eq!(
        titles,
        [
            "Earlier",
            "The January unrest",
            "Tokayev asks the CSTO for help",
            "Address to parliament"
        ]
    );
}

#[test]
fn index_pages_list_analyses_newest_first_and_actors_by_kind() {
    let b = small_site().build().ok();
    assert_eq!(
        b.page("analyses/").texts(".card-title"),
        ["Second analysis", "First analysis"]
    );
    let actors = b.page("actors/");
    assert_eq!(
        actors.texts(".section-title"),
        ["People", "Organisations", "States", "Places"]
    );
    assert_eq!(b.page("events/").texts(".event-title").len(), 3);
    b.page("")
        .has_link(".card-title a", "/analyses/second/", "Second analysis");
}

#[test]
fn tags_get_slugged_pages_that_merge_spellings() {
    let b = small_site().build().ok();
    let p = b.page("tags/protest-movements/");
    assert_eq!(
        p.texts(".card-title"),
        ["Second analysis", "First analysis"]
    );
    b.page("tags/security/");
    b.page("analyses/first/").has_link(
        ".kicker a",
        "/tags/protest-movements/",
        "Protest movements",
    );
    let tags = b.page("tags/").links(".tag-list a");
    assert_eq!(tags.len(), 2);
}

#[test]
fn every_internal_link_resolves() {
    let b = small_site().build().ok();
    let broken = broken_links(&b.output, "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn base_url_subpath_prefixes_every_link() {
    let b = small_site()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/watch/\"\n",
        )
        .build()
        .ok();
    b.page("analyses/first/")
        .has_link(".prose a", "/watch/actors/tokayev/", "Tokayev")
        .contains("href=\"/watch/style.css\"")
        .contains("<link rel=\"canonical\" href=\"https://example.org/watch/analyses/first/\">");
    let broken = broken_links(&b.output, "/watch/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = small_site().analysis(
        "wip",
        "title: Work in progress\ndate: 2022-02-01\ndraft: true",
        "About Tokayev.\n",
    );
    let b = site.build().ok();
    assert!(!b.exists("analyses/wip/index.html"));
    assert_eq!(
        b.page("actors/tokayev/").texts(".card-title"),
        ["First analysis"]
    );
    let b = site.build_with(|o| o.drafts = true).ok();
    b.page("analyses/wip/").contains("Draft");
    assert_eq!(
        b.page("actors/tokayev/").texts(".card-title"),
        ["Work in progress", "First analysis"]
    );
    // A preview is never mistaken for the published site: no draft in a
    // feed or the sitemap, and its page asks not to be indexed.
    for feed in ["feed.xml", "actors/tokayev/feed.xml"] {
        let xml = b.xml(feed);
        assert!(!xml.contains("Work in progress"), "{feed}: {xml}");
        assert!(xml.contains("First analysis"), "{feed}");
    }
    assert!(!b.xml("sitemap.xml").contains("/analyses/wip/"));
    b.page("analyses/wip/")
        .contains("<meta name=\"robots\" content=\"noindex\">");
    b.page("analyses/first/")
        .lacks("<meta name=\"robots\" content=\"noindex\">");
    let r = site.run(&["build", "--drafts"]);
    assert!(
        r.stderr
            .contains("note: this build includes drafts: it is a preview"),
        "{}",
        r.stderr
    );
}

#[test]
fn strings_from_yaml_and_front_matter_are_escaped() {
    let b = Fixture::new()
        .actor("x", "name: \"<script>alert(1)</script>\"\nkind: person\nrole: \"\\\" onmouseover=\\\"x\"\nsummary: \"<b>raw</b> html is escaped in summaries\"\n")
        .analysis(
            "a",
            "title: \"<i>T</i> & co\"\ndate: 2022-01-01\nactors: [x]\nimage: {src: /x.png, alt: \"\\\" onerror=\\\"alert(1)\"}",
            "Body <em>raw html passes</em>.\n",
        )
        .build()
        .ok();
    let p = b.page("actors/x/");
    p.lacks("<script>alert")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .lacks("<b>raw</b>");
    let a = b.page("analyses/a/");
    a.lacks("<i>T</i>")
        .contains("&lt;i&gt;T&lt;/i&gt; &amp; co")
        .contains("<em>raw html passes</em>");
    a.contains("alt=\"&quot; onerror=&quot;alert(1)\"")
        .lacks("\" onerror=\"");
}

#[test]
fn footnotes_link_both_ways_without_colliding_with_heading_ids() {
    let b = Fixture::new()
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01",
            "## Notes\n\nText.[^notes] More.[^2]\n\n[^notes]: First note.\n[^2]: Second note.\n",
        )
        .build()
        .ok();
    let p = b.page("analyses/a/");
    p.has_link(".prose sup a", "#fn-notes", "1")
        .has_link(".prose sup a", "#fn-2", "2");
    p.has_link(".footnotes a", "#fnref-notes", "↩");
    assert_eq!(p.texts(".footnotes li").len(), 2);
    let broken = broken_links(&b.output, "/");
    assert!(broken.is_empty(), "{broken:?}");
    // The heading keeps its own id.
    assert!(p.html.contains("<h2 id=\"notes\">Notes</h2>"));
}

#[test]
fn the_timeline_lists_sub_events_under_their_event_and_marks_the_rest() {
    let b = Fixture::new()
        .event("older", "title: Older crisis\ndate: 2021-12-20\n")
        .event(
            "unrest",
            "title: The unrest\ndate: 2022-01-02\nend: 2022-01-11\n",
        )
        .event(
            "protests",
            "title: Protests\ndate: 2022-01-02\npart_of: unrest\n",
        )
        .event(
            "mission",
            "title: The mission\ndate: 2022-01-06\nend: 2022-01-19\npart_of: unrest\n",
        )
        .event(
            "summit",
            "title: A summit\ndate: 2022-01-10\npart_of: mission\n",
        )
        .event("other", "title: Unrelated\ndate: 2022-01-08\n")
        .event(
            "aftermath",
            "title: Aftermath\ndate: 2022-02-01\npart_of: unrest\n",
        )
        .event("echo", "title: An echo\ndate: 2022-01-03\npart_of: older\n")
        .build()
        .ok();
    let p = b.page("timeline/");
    // January: the unrest with its parts under it (the summit under the
    // mission), then the events of January that are not part of it, in
    // date order.
    assert_eq!(
        p.attrs(".timeline-events li", "class"),
        [
            "event-item",
            "event-item has-sub-events",
            "event-item sub-event depth-1",
            "event-item sub-event depth-1 has-sub-events",
            "event-item sub-event depth-2",
            "event-item",
            "event-item",
            "event-item",
        ]
    );
    assert_eq!(
        p.texts(".event-title"),
        [
            "Older crisis",
            "The unrest",
            "Protests",
            "The mission",
            "A summit",
            "An echo",
            "Unrelated",
            "Aftermath"
        ]
    );
    // Listed apart from its larger event, an event says what it is part of.
    p.has_link(".part-of a", "/events/older/", "Older crisis");
    p.has_link(".part-of a", "/events/unrest/", "The unrest");
    assert_eq!(
        p.texts(".sub-count"),
        [
            "2 events below are part of it",
            "the event below is part of it"
        ]
    );
}

#[test]
fn the_home_chronology_never_shows_a_day_in_part() {
    let mut f = Fixture::new();
    // Ten events; the 8 latest begin in the middle of 2 January's three.
    for (i, day) in [1, 2, 2, 2, 3, 4, 5, 6, 7, 8].iter().enumerate() {
        f = f.event(
            &format!("e{i}"),
            &format!("title: Event {i}\ndate: 2022-01-{day:02}\n"),
        );
    }
    let b = f.build().ok();
    let titles = b.page("").texts(".event-list .event-title");
    assert_eq!(titles.len(), 9, "{titles:?}");
    assert!(titles.contains(&"Event 1".to_string()) && !titles.contains(&"Event 0".to_string()));
}
