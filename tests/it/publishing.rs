//! What the site tells the world: Atom feeds, the sitemap, robots.txt,
//! canonical and sharing tags, JSON-LD, each valid and escaped whatever
//! the content says.

use crate::harness::{Build, Fixture, Page};

const SUBPATH: &str = "title = \"Watch & <Brief>\"\nbase_url = \"https://example.org/watch/\"\ndescription = \"Notes \\\"quoted\\\" & <marked>\"\n";

/// Something that breaks every kind of output that fails to escape it.
const HOSTILE: &str = "</script><script>alert(1)</script> \"q\" 'a' ]]> & <!-- \u{1}";

fn site() -> Fixture {
    Fixture::new()
        .file("site.toml", SUBPATH)
        .actor(
            "csto",
            "name: Collective Security Treaty Organization\nkind: organisation\naliases: [CSTO]\nlinks:\n  - {title: Charter, url: \"https://en.odkb-csto.org/\"}\n",
        )
        .actor(
            "tokayev",
            "name: Kassym-Jomart Tokayev\nkind: person\nrole: President\naliases: [Tokayev]\n",
        )
        .event(
            "deployment",
            "title: CSTO deployment\ndate: 2022-01-06\nend: 2022-01-13\nplace: Almaty\nactors: [csto]\n",
        )
        .analysis(
            "old",
            "title: The request\ndate: 2022-01-06\nsummary: Why Tokayev asked.\ntags: [security]",
            "Tokayev asked the CSTO for help.\n",
        )
        .analysis(
            "new",
            "title: The withdrawal\ndate: 2022-01-20\nupdated: 2022-02-01\nauthors: [A. Analyst, B. Writer]\ntags: [security, Russia]\nsummary: What the CSTO left behind.\nimage: {src: /img/troops.jpg, alt: Troops at an airfield}",
            "The CSTO left within days; see [[deployment]].\n",
        )
}

fn xml(b: &Build, path: &str) -> String {
    b.xml(path)
}

/// The texts of every element named `name`, in document order.
fn elements(text: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(text).expect("xml");
    doc.descendants()
        .filter(|n| n.tag_name().name() == name)
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

fn attrs(text: &str, name: &str, attr: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(text).expect("xml");
    doc.descendants()
        .filter(|n| n.tag_name().name() == name)
        .filter_map(|n| n.attribute(attr).map(str::to_string))
        .collect()
}

fn json_ld(page: &Page) -> serde_json::Value {
    page.json_ld()
}

fn meta(page: &Page, key: &str) -> Vec<String> {
    let sel = format!("meta[property=\"{key}\"], meta[name=\"{key}\"]");
    page.attrs(&sel, "content")
}

#[test]
fn the_site_feed_is_atom_with_absolute_urls_newest_first() {
    let b = site().build().ok();
    let feed = xml(&b, "feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(
        elements(&feed, "title"),
        ["Watch & <Brief>", "The withdrawal", "The request"]
    );
    assert_eq!(
        elements(&feed, "id"),
        [
            "https://example.org/watch/feed.xml",
            "https://example.org/watch/analyses/new/",
            "https://example.org/watch/analyses/old/",
        ]
    );
    // The feed is as new as its newest `updated`; entries keep both dates.
    assert_eq!(
        elements(&feed, "updated"),
        [
            "2022-02-01T00:00:00Z",
            "2022-02-01T00:00:00Z",
            "2022-01-06T00:00:00Z"
        ]
    );
    assert_eq!(
        elements(&feed, "published"),
        ["2022-01-20T00:00:00Z", "2022-01-06T00:00:00Z"]
    );
    assert_eq!(
        elements(&feed, "summary"),
        ["What the CSTO left behind.", "Why Tokayev asked."]
    );
    assert_eq!(
        elements(&feed, "name"),
        ["Watch & <Brief>", "A. Analyst", "B. Writer"]
    );
    assert_eq!(
        attrs(&feed, "category", "label"),
        ["security", "Russia", "security"]
    );
    for href in attrs(&feed, "link", "href") {
        assert!(href.starts_with("https://example.org/watch/"), "{href}");
    }
}

#[test]
fn every_actor_and_tag_has_a_feed_of_its_analyses() {
    let b = site().build().ok();
    // The CSTO is mentioned in both analyses (by alias in one).
    let csto = xml(&b, "actors/csto/feed.xml");
    assert_eq!(
        elements(&csto, "title"),
        [
            "Collective Security Treaty Organization · Watch & <Brief>",
            "The withdrawal",
            "The request"
        ]
    );
    assert_eq!(
        attrs(&csto, "link", "href")[..2],
        [
            "https://example.org/watch/actors/csto/feed.xml",
            "https://example.org/watch/actors/csto/"
        ]
    );
    let tokayev = xml(&b, "actors/tokayev/feed.xml");
    assert_eq!(elements(&tokayev, "title")[1..], ["The request"]);
    let russia = xml(&b, "tags/russia/feed.xml");
    assert_eq!(elements(&russia, "title")[1..], ["The withdrawal"]);
    // Pages point at their feeds, and at the site's.
    let page = b.page("actors/csto/");
    assert_eq!(
        page.attrs("link[rel=alternate][type=\"application/atom+xml\"]", "href"),
        ["/watch/feed.xml", "/watch/actors/csto/feed.xml"]
    );
    assert_eq!(
        b.page("tags/russia/")
            .attrs("link[rel=alternate][type=\"application/atom+xml\"]", "href"),
        ["/watch/feed.xml", "/watch/tags/russia/feed.xml"]
    );
}

#[test]
fn an_actor_no_analysis_mentions_has_a_valid_empty_feed() {
    let b = Fixture::new()
        .actor(
            "x",
            "name: X\nkind: person\nfacts:\n  - {label: Age, value: '60', as_of: 2021-05-01}\n",
        )
        .build()
        .ok();
    let feed = xml(&b, "actors/x/feed.xml");
    assert!(elements(&feed, "entry").is_empty());
    assert_eq!(elements(&feed, "updated"), ["2021-05-01T00:00:00Z"]);
}

#[test]
fn feed_limit_caps_every_feed() {
    let mut s = Fixture::new().file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\nfeed_limit = 2\n",
    );
    for day in 1..=5 {
        s = s.analysis(
            &format!("a{day}"),
            &format!("title: A{day}\ndate: 2022-01-0{day}\ntags: [t]"),
            "Text.\n",
        );
    }
    let b = s.build().ok();
    assert_eq!(elements(&xml(&b, "feed.xml"), "title")[1..], ["A5", "A4"]);
    assert_eq!(
        elements(&xml(&b, "tags/t/feed.xml"), "title")[1..],
        ["A5", "A4"]
    );
}

#[test]
fn the_sitemap_lists_every_public_page_with_content_dates() {
    let b = site().build().ok();
    let sitemap = xml(&b, "sitemap.xml");
    let locs = elements(&sitemap, "loc");
    let html_pages: Vec<String> = b
        .files()
        .into_iter()
        .filter(|f| f.ends_with("index.html") && f != "search/index.html")
        .map(|f| {
            format!(
                "https://example.org/watch/{}",
                f.trim_end_matches("index.html")
            )
        })
        .collect();
    let mut sorted = locs.clone();
    sorted.sort();
    let mut expected = html_pages.clone();
    expected.sort();
    assert_eq!(
        sorted, expected,
        "every page, nothing else (no 404, no search, no feeds)"
    );
    let lastmod = |loc: &str| -> Option<String> {
        let doc = roxmltree::Document::parse(&sitemap).unwrap();
        let url = doc
            .descendants()
            .find(|n| n.tag_name().name() == "loc" && n.text() == Some(loc))?
            .parent()?;
        url.children()
            .find(|n| n.tag_name().name() == "lastmod")
            .and_then(|n| n.text().map(str::to_string))
    };
    assert_eq!(
        lastmod("https://example.org/watch/analyses/new/").as_deref(),
        Some("2022-02-01")
    );
    assert_eq!(
        lastmod("https://example.org/watch/analyses/old/").as_deref(),
        Some("2022-01-06")
    );
    assert_eq!(
        lastmod("https://example.org/watch/actors/tokayev/").as_deref(),
        Some("2022-01-06")
    );
    // Named by both analyses: the newer one's update.
    assert_eq!(
        lastmod("https://example.org/watch/actors/csto/").as_deref(),
        Some("2022-02-01")
    );
    assert_eq!(
        lastmod("https://example.org/watch/tags/security/").as_deref(),
        Some("2022-02-01")
    );
    assert_eq!(
        lastmod("https://example.org/watch/").as_deref(),
        Some("2022-02-01")
    );
    // An event is at least as new as its last day.
    assert_eq!(
        lastmod("https://example.org/watch/events/deployment/").as_deref(),
        Some("2022-02-01")
    );
    let robots = std::fs::read_to_string(b.output.join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://example.org/watch/sitemap.xml\n"),
        "{robots}"
    );
}

#[test]
fn a_site_can_replace_robots_txt() {
    let b = site()
        .file(
            "themes/default/templates/robots.txt",
            "User-agent: *\nDisallow: /drafts/\n",
        )
        .build()
        .ok();
    let robots = std::fs::read_to_string(b.output.join("robots.txt")).unwrap();
    assert_eq!(robots, "User-agent: *\nDisallow: /drafts/\n");
}

#[test]
fn analyses_carry_canonical_sharing_tags_and_article_json_ld() {
    let b = site().build().ok();
    let page = b.page("analyses/new/");
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://example.org/watch/analyses/new/"]
    );
    assert_eq!(meta(&page, "og:type"), ["article"]);
    assert_eq!(meta(&page, "og:title"), ["The withdrawal"]);
    assert_eq!(
        meta(&page, "og:description"),
        ["What the CSTO left behind."]
    );
    assert_eq!(
        meta(&page, "og:image"),
        ["https://example.org/watch/img/troops.jpg"]
    );
    assert_eq!(meta(&page, "og:image:alt"), ["Troops at an airfield"]);
    assert_eq!(meta(&page, "twitter:card"), ["summary_large_image"]);
    assert_eq!(meta(&page, "article:published_time"), ["2022-01-20"]);
    assert_eq!(meta(&page, "article:modified_time"), ["2022-02-01"]);
    assert_eq!(meta(&page, "article:tag"), ["security", "Russia"]);
    let ld = json_ld(&page);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "The withdrawal");
    assert_eq!(ld["datePublished"], "2022-01-20");
    assert_eq!(ld["dateModified"], "2022-02-01");
    assert_eq!(ld["author"][1]["name"], "B. Writer");
    assert_eq!(ld["publisher"]["name"], "Watch & <Brief>");
    assert_eq!(
        ld["image"]["url"],
        "https://example.org/watch/img/troops.jpg"
    );
    assert_eq!(ld["image"]["@type"], "ImageObject");
    assert_eq!(ld["image"]["description"], "Troops at an airfield");
    assert_eq!(ld["description"], "What the CSTO left behind.");
    assert_eq!(ld["keywords"][1], "Russia");
    let deployment = ld["about"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["@type"] == "Event")
        .expect("an event among what the analysis is about");
    assert!(deployment["startDate"].is_string(), "{deployment}");
    let about: Vec<&str> = ld["about"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["url"].as_str().unwrap())
        .collect();
    assert!(
        about.contains(&"https://example.org/watch/actors/csto/"),
        "{about:?}"
    );
    assert!(
        about.contains(&"https://example.org/watch/events/deployment/"),
        "{about:?}"
    );
    // Without an image, the smaller card.
    assert_eq!(meta(&b.page("analyses/old/"), "twitter:card"), ["summary"]);
}

#[test]
fn actors_and_events_describe_themselves_in_json_ld() {
    let b = site().build().ok();
    let csto = json_ld(&b.page("actors/csto/"));
    assert_eq!(csto["@type"], "Organization");
    assert_eq!(csto["alternateName"][0], "CSTO");
    assert_eq!(csto["sameAs"][0], "https://en.odkb-csto.org/");
    let tokayev = json_ld(&b.page("actors/tokayev/"));
    assert_eq!(tokayev["@type"], "Person");
    assert_eq!(tokayev["jobTitle"], "President");
    let event = json_ld(&b.page("events/deployment/"));
    assert_eq!(event["@type"], "Event");
    assert_eq!(event["startDate"], "2022-01-06");
    assert_eq!(event["endDate"], "2022-01-13");
    assert_eq!(event["location"]["name"], "Almaty");
    assert_eq!(
        event["actor"][0]["url"],
        "https://example.org/watch/actors/csto/"
    );
    let home = json_ld(&b.page(""));
    assert_eq!(home["@type"], "WebSite");
    assert_eq!(home["url"], "https://example.org/watch/");
    assert_eq!(
        meta(&b.page(""), "description"),
        ["Notes \"quoted\" & <marked>"]
    );
}

#[test]
fn hostile_strings_are_escaped_in_html_attributes_json_ld_and_xml() {
    let yaml_hostile = HOSTILE
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\u{1}', "\\x01");
    let b = Fixture::new()
        .actor(
            "evil",
            &format!("name: \"{yaml_hostile}\"\nkind: person\nrole: \"{yaml_hostile}\"\naliases: [\"{yaml_hostile}\"]\n"),
        )
        .analysis(
            "a",
            &format!(
                "title: \"{yaml_hostile}\"\ndate: 2022-01-01\nsummary: \"{yaml_hostile}\"\nauthors: [\"{yaml_hostile}\"]\ntags: [\"{yaml_hostile}\"]\nactors: [evil]\nimage: {{src: /x.jpg, alt: \"{yaml_hostile}\"}}"
            ),
            "[[evil]] did it.\n",
        )
        .build()
        .ok();
    // Titles get smart punctuation; what matters is that the dangerous
    // parts come back as text.
    let same = |got: &str| {
        assert!(
            got.contains("</script><script>alert(1)</script>") && got.contains("]]> &"),
            "{got:?}"
        );
    };
    for path in ["analyses/a/", "actors/evil/", ""] {
        let page = b.page(path);
        page.lacks("<script>alert").lacks("<!-- &");
        // Whatever was escaped reads back as the original.
        if !path.is_empty() {
            let ld = json_ld(&page);
            same(ld["name"].as_str().or(ld["headline"].as_str()).unwrap());
        }
    }
    let page = b.page("analyses/a/");
    same(&meta(&page, "og:title")[0]);
    same(&meta(&page, "og:image:alt")[0]);
    for feed in ["feed.xml", "actors/evil/feed.xml", "sitemap.xml"] {
        xml(&b, feed);
    }
    let feed = xml(&b, "feed.xml");
    same(&elements(&feed, "title")[1]);
    same(&elements(&feed, "summary")[0]);
    same(&elements(&feed, "name")[1]);
    same(&attrs(&feed, "category", "label")[0]);
}
