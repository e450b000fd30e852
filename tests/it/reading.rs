//! What a reader of a long briefing gets: a table of contents, a citation,
//! lists split into pages, and images that say what they show.

use crate::harness::{Fixture, broken_links};

const LONG: &str = "Intro.\n\n## Background\n\nText.\n\n### Fuel prices\n\nMore.\n\n## The crackdown\n\nText.\n\n## What next\n\nText.\n";

#[test]
fn long_analyses_get_a_table_of_contents_that_lands_on_each_heading() {
    let b = Fixture::new()
        .analysis("long", "title: Long\ndate: 2022-01-02", LONG)
        .analysis(
            "short",
            "title: Short\ndate: 2022-01-01",
            "## One\n\nA.\n\n## Two\n\nB.\n",
        )
        .build()
        .ok();
    let p = b.page("analyses/long/");
    assert_eq!(
        p.texts("nav#toc > ol > li > a"),
        ["Background", "The crackdown", "What next"]
    );
    assert_eq!(p.texts("nav#toc ol ol a"), ["Fuel prices"]);
    let targets = p.attrs("nav#toc a", "href");
    assert_eq!(
        targets,
        [
            "#background",
            "#fuel-prices",
            "#the-crackdown",
            "#what-next"
        ]
    );
    for t in &targets {
        assert_eq!(
            p.attrs(&format!("h2{t}, h3{t}"), "id").len(),
            1,
            "no heading {t}"
        );
    }
    // Two sections need no contents.
    assert!(b.page("analyses/short/").texts("nav#toc").is_empty());
    assert!(broken_links(&b.output, "/").is_empty());
}

#[test]
fn a_heading_cannot_take_the_ids_the_theme_uses() {
    let b = Fixture::new()
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01",
            "## TOC\n\nA.\n\n## Cite\n\nB.\n",
        )
        .build()
        .ok();
    let p = b.page("analyses/a/");
    assert_eq!(p.attrs("#toc", "id").len(), 0, "no TOC for two sections");
    assert_eq!(
        p.attrs("[id=cite]", "id").len(),
        1,
        "one element with id cite"
    );
    assert_eq!(p.attrs("h2", "id")[..2], ["toc-1", "cite-1"]);
}

#[test]
fn every_analysis_says_how_to_cite_it() {
    let b = Fixture::new()
        .file(
            "site.toml",
            "title = \"Steppe Watch\"\nbase_url = \"https://example.org/sw/\"\n",
        )
        .analysis(
            "two",
            "title: The reshuffle\ndate: 2022-01-27\nupdated: 2022-02-03\nauthors: [A. Analyst, B. Writer, C. Editor]",
            "Text.\n",
        )
        .analysis("none", "title: Unsigned\ndate: 2022-01-05", "Text.\n")
        .build()
        .ok();
    assert_eq!(
        b.page("analyses/two/").texts("#cite-text"),
        [
            "A. Analyst, B. Writer and C. Editor, “The reshuffle”, Steppe Watch, 27 January 2022 (updated 3 February 2022), https://example.org/sw/analyses/two/"
        ]
    );
    // No author: the site is the author.
    assert_eq!(
        b.page("analyses/none/").texts("#cite-text"),
        [
            "Steppe Watch, “Unsigned”, Steppe Watch, 5 January 2022, https://example.org/sw/analyses/none/"
        ]
    );
}

fn many(n: usize, paginate: &str) -> Fixture {
    let mut f = Fixture::new().file(
        "site.toml",
        &format!("title = \"T\"\nbase_url = \"https://example.org/\"\n{paginate}"),
    );
    for i in 1..=n {
        f = f.analysis(
            &format!("a{i}"),
            &format!("title: Analysis {i}\ndate: 2022-01-{i:02}\ntags: [Unrest]"),
            "Text.\n",
        );
    }
    f
}

#[test]
fn long_lists_are_split_into_linked_pages_newest_first() {
    let b = many(7, "paginate = 3\n").build().ok();
    let first = b.page("analyses/");
    assert_eq!(
        first.texts(".card-title"),
        ["Analysis 7", "Analysis 6", "Analysis 5"]
    );
    assert_eq!(first.attrs("a[rel=next]", "href"), ["/analyses/page/2/"]);
    assert!(first.attrs("a[rel=prev]", "href").is_empty());
    assert_eq!(first.texts(".pagination a[aria-current=page]"), ["1"]);
    let second = b.page("analyses/page/2/");
    assert_eq!(
        second.texts(".card-title"),
        ["Analysis 4", "Analysis 3", "Analysis 2"]
    );
    assert_eq!(second.attrs("a[rel=prev]", "href"), ["/analyses/"]);
    assert_eq!(second.attrs("a[rel=next]", "href"), ["/analyses/page/3/"]);
    assert_eq!(
        b.page("analyses/page/3/").texts(".card-title"),
        ["Analysis 1"]
    );
    assert!(!b.exists("analyses/page/4/index.html"));
    assert!(
        !b.exists("analyses/page/1/index.html"),
        "page 1 is the list itself"
    );
    // Tag pages split the same way, and the dek counts the whole list.
    let tag = b.page("tags/unrest/page/3/");
    assert_eq!(tag.texts(".card-title"), ["Analysis 1"]);
    assert_eq!(tag.texts(".dek"), ["7 analyses; page 3 of 3."]);
    let sitemap = std::fs::read_to_string(b.output.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/analyses/page/3/</loc>"));
    assert!(broken_links(&b.output, "/").is_empty());
}

#[test]
fn many_pages_show_a_window_of_page_numbers() {
    let b = many(30, "paginate = 2\n").build().ok();
    let p = b.page("analyses/page/8/");
    assert_eq!(
        p.texts(".pagination li"),
        ["1", "…", "6", "7", "8", "9", "10", "…", "15"]
    );
}

#[test]
fn paginate_zero_keeps_every_list_on_one_page() {
    let b = many(25, "paginate = 0\n").build().ok();
    assert_eq!(b.page("analyses/").texts(".card-title").len(), 25);
    assert!(b.page("analyses/").texts(".pagination").is_empty());
    assert!(!b.exists("analyses/page"));
    // The default is 20 a page.
    let b = many(25, "").build().ok();
    assert_eq!(b.page("analyses/").texts(".card-title").len(), 20);
    assert_eq!(b.page("analyses/page/2/").texts(".card-title").len(), 5);
}

#[test]
fn an_image_without_alt_text_is_an_error_unless_turned_off() {
    let body = "Before.\n\n![](/img/square.jpg)\n\n![Police lines](/img/police.jpg)\n";
    Fixture::new()
        .analysis("a", "title: A\ndate: 2022-01-01", body)
        .build()
        .fails()
        .error_count(1)
        .has(&[
            "content/analyses/a.md:7:1",
            "this image has no alt text",
            "missing_alt",
        ]);
    Fixture::new()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\n[checks]\nmissing_alt = \"off\"\n",
        )
        .analysis("a", "title: A\ndate: 2022-01-01", body)
        .build()
        .ok();
}

#[test]
fn an_image_alone_in_its_paragraph_is_a_figure_with_caption_and_credit() {
    let body = "Intro.\n\n![Protesters outside the akimat](/img/a.jpg \"Almaty, 5 January <2022> | Photo: Y. Dzhumayev/TASS\")\n\nInline ![an icon](/img/i.png) in text.\n\n![A square](/img/b.jpg)\n";
    let b = Fixture::new()
        .file("static/img/a.jpg", "x")
        .file("static/img/b.jpg", "x")
        .file("static/img/i.png", "x")
        .analysis("a", "title: A\ndate: 2022-01-01", body)
        .build()
        .ok();
    let p = b.page("analyses/a/");
    assert_eq!(
        p.attrs(".prose figure img", "alt"),
        ["Protesters outside the akimat", "A square"]
    );
    assert_eq!(
        p.texts(".prose figure figcaption"),
        ["Almaty, 5 January <2022> Photo: Y. Dzhumayev/TASS"]
    );
    assert_eq!(
        p.texts(".prose figcaption .credit"),
        ["Photo: Y. Dzhumayev/TASS"]
    );
    p.contains("5 January &lt;2022&gt;");
    // The caption is not repeated as a tooltip; an inline image stays inline.
    assert!(p.attrs(".prose figure img[title]", "title").is_empty());
    assert_eq!(p.attrs(".prose p img", "alt"), ["an icon"]);
    assert!(broken_links(&b.output, "/").is_empty());
}

#[test]
fn root_relative_links_and_images_go_under_the_base_path() {
    let body = "See [the actors](/actors/) and ![A chart](/img/chart.svg).\n\n[Elsewhere](//cdn.example.org/x) and [a page](../x/).\n";
    let b = Fixture::new()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/watch/\"\n",
        )
        .file(
            "static/img/chart.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .analysis("a", "title: A\ndate: 2022-01-01", body)
        .build()
        .ok();
    let p = b.page("analyses/a/");
    assert_eq!(p.attrs(".prose img", "src"), ["/watch/img/chart.svg"]);
    assert_eq!(
        p.attrs(".prose p a", "href"),
        ["/watch/actors/", "//cdn.example.org/x", "../x/"]
    );
    // The image and the site link resolve; the other two are not the site's.
    assert_eq!(
        broken_links(&b.output, "/watch/"),
        [
            "analyses/a/index.html: //cdn.example.org/x (outside the base path /watch/)",
            "analyses/a/index.html: ../x/ (outside the base path /watch/)"
        ]
    );
}

#[test]
fn the_home_page_shows_the_most_written_about_actors_of_each_kind() {
    let mut f = Fixture::new().file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[checks]\nunreferenced = \"off\"\n",
    );
    for i in 0..15 {
        f = f.actor(
            &format!("p{i:02}"),
            &format!("name: Person {i:02}\nkind: person\n"),
        );
    }
    // Names are ordered without regard to case.
    f = f.actor("aaron", "name: aaron\nkind: person\n");
    // Person 14 is written about twice, Person 13 once.
    f = f
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01\nactors: [p14, p13]",
            "Text.\n",
        )
        .analysis("b", "title: B\ndate: 2022-01-02\nactors: [p14]", "Text.\n");
    let b = f.build().ok();
    let home = b.page("");
    let shown = home.texts(".home-side .chips a");
    assert_eq!(shown.len(), 12, "{shown:?}");
    assert!(shown.contains(&"Person 14".to_string()) && shown.contains(&"Person 13".to_string()));
    // The rest by name: aaron and 00 to 08 make up the dozen; 09 to 12
    // are left out. Shown by name.
    let mut expected = vec!["aaron".to_string()];
    expected.extend((0..9).map(|i| format!("Person {i:02}")));
    expected.extend(["Person 13".to_string(), "Person 14".to_string()]);
    assert_eq!(shown, expected);
    assert_eq!(
        home.texts(".home-side .more a"),
        ["Full timeline", "All 16 people"]
    );
    assert_eq!(
        home.attrs(".home-side .more a", "href")[1],
        "/actors/#kind-person"
    );
    assert!(broken_links(&b.output, "/").is_empty());
}

#[test]
fn the_events_list_is_paginated_in_date_order() {
    let mut f = Fixture::new().file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\npaginate_events = 2\n[checks]\nunreferenced = \"off\"\n",
    );
    for i in 1..=5 {
        f = f.event(
            &format!("e{i}"),
            &format!("title: Event {i}\ndate: 2022-01-0{i}\n"),
        );
    }
    let b = f.build().ok();
    assert_eq!(
        b.page("events/").texts(".event-title"),
        ["Event 1", "Event 2"]
    );
    let last = b.page("events/page/3/");
    assert_eq!(last.texts(".event-title"), ["Event 5"]);
    assert_eq!(
        last.texts(".dek")[0],
        "5 events in date order; page 3 of 3. See also the timeline."
    );
    assert_eq!(last.attrs("a[rel=prev]", "href"), ["/events/page/2/"]);
    // All five fall in one year, which the timeline does not split.
    assert_eq!(b.page("timeline/").texts(".event-title").len(), 5);
    assert!(broken_links(&b.output, "/").is_empty());
}

#[test]
fn a_long_timeline_is_split_into_pages_of_whole_years() {
    let mut f = Fixture::new().file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\npaginate_events = 3\n[checks]\nunreferenced = \"off\"\n",
    );
    // 2019: 1 event, 2020: 2, 2021: 4 (more than a page), 2022: 1.
    let dates = [
        "2019-05-01",
        "2020-01-01",
        "2020-02-01",
        "2021-01-01",
        "2021-02-01",
        "2021-03-01",
        "2021-04-01",
        "2022-01-01",
    ];
    for (i, d) in dates.iter().enumerate() {
        f = f.event(&format!("e{i}"), &format!("title: Event {i}\ndate: {d}\n"));
    }
    let b = f.build().ok();
    let years = |path: &str| b.page(path).texts(".timeline-year-title");
    // 2019 and 2020 share a page; 2021 is too big to share; 2022 follows.
    assert_eq!(years("timeline/"), ["2019", "2020"]);
    assert_eq!(years("timeline/page/2/"), ["2021"]);
    assert_eq!(years("timeline/page/3/"), ["2022"]);
    assert!(!b.exists("timeline/page/4/index.html"));
    let p = b.page("timeline/page/2/");
    assert_eq!(p.texts("title")[0], "Timeline, 2021 · T");
    assert_eq!(p.texts(".year-index a"), ["2019", "2020", "2021", "2022"]);
    assert_eq!(
        p.attrs(".year-index a", "href"),
        [
            "/timeline/#y2019",
            "/timeline/#y2020",
            "/timeline/page/2/#y2021",
            "/timeline/page/3/#y2022"
        ]
    );
    assert_eq!(p.texts(".year-index .count"), ["1", "2", "4", "1"]);
    assert!(
        broken_links(&b.output, "/").is_empty(),
        "{:?}",
        broken_links(&b.output, "/")
    );
    // A short timeline stays on one page.
    let b = Fixture::new()
        .event("e", "title: E\ndate: 2022-01-01\n")
        .analysis("a", "title: A\ndate: 2022-01-01\nevents: [e]", "Text.\n")
        .build()
        .ok();
    assert!(b.page("timeline/").texts(".pagination").is_empty());
    assert!(!b.exists("timeline/page"));
}
