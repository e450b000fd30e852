//! The search index and page: what `search.js` finds is what the site has,
//! with the facets it filters by, under the site's base path.

use serde_json::Value;

use crate::harness::{Build, Fixture};

fn site() -> Fixture {
    Fixture::new()
        .file("site.toml", "title = \"Watch\"\nbase_url = \"https://example.org/watch/\"\n")
        .actor(
            "csto",
            "name: Collective Security Treaty Organization\nkind: organisation\naliases: [CSTO]\nsummary: A military alliance led by Moscow.\n",
        )
        .actor(
            "tokayev",
            "name: Kassym-Jomart Tokayev\nkind: person\nrole: President\naliases: [Tokayev]\n",
        )
        .event(
            "deployment",
            "title: Peacekeepers land\ndate: 2022-01-06\nplace: Almaty\nactors: [csto]\nsummary: The first aircraft reached the airfield.\n",
        )
        .analysis(
            "request",
            "title: The request\ndate: 2022-01-06\nsummary: Why the president asked.\ntags: [Security]\nauthors: [A. Analyst]",
            "Tokayev invoked Article 4 of the treaty. Quagmire was never likely.\n",
        )
        .analysis(
            "economy",
            "title: Fuel prices\ndate: 2022-01-03\ntags: [Economy]",
            "Liquefied gas doubled in price.\n",
        )
}

fn index(b: &Build) -> Value {
    let text = std::fs::read_to_string(b.output.join("search.json")).expect("search.json");
    serde_json::from_str(&text).expect("search.json parses")
}

/// The document titled `title`.
fn doc<'a>(ix: &'a Value, title: &str) -> &'a Value {
    ix["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["t"] == title)
        .unwrap_or_else(|| panic!("no document {title:?} in {ix}"))
}

fn words(d: &Value) -> Vec<&str> {
    d["w"].as_str().unwrap().split(' ').collect()
}

/// Names of the actors a document is filed under.
fn actors<'a>(ix: &'a Value, d: &Value) -> Vec<&'a str> {
    d["a"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            ix["actors"][i.as_u64().unwrap() as usize][0]
                .as_str()
                .unwrap()
        })
        .collect()
}

fn tags<'a>(ix: &'a Value, d: &Value) -> Vec<&'a str> {
    d["g"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            ix["tags"][i.as_u64().unwrap() as usize][0]
                .as_str()
                .unwrap()
        })
        .collect()
}

#[test]
fn every_analysis_actor_and_event_is_a_document_with_its_words() {
    let b = site().build().ok();
    let ix = index(&b);
    assert_eq!(ix["docs"].as_array().unwrap().len(), 5);

    let request = doc(&ix, "The request");
    assert_eq!(request["k"], "analysis");
    assert_eq!(request["u"], "/watch/analyses/request/");
    assert_eq!(request["s"], "Why the president asked.");
    assert_eq!(request["m"], "A. Analyst · 6 January 2022");
    let w = words(request);
    for word in [
        "request",
        "president",
        "invoked",
        "article",
        "treaty",
        "quagmire",
        "analyst",
    ] {
        assert!(w.contains(&word), "{word} missing from {w:?}");
    }
    // Distinct, lowercased, one-letter words dropped.
    assert_eq!(w.iter().filter(|x| **x == "tokayev").count(), 1);
    assert!(!w.contains(&"a") && !w.contains(&"Tokayev"));

    let csto = doc(&ix, "Collective Security Treaty Organization");
    assert_eq!(csto["k"], "actor");
    assert_eq!(csto["u"], "/watch/actors/csto/");
    assert_eq!(csto["m"], "Organisation");
    for word in ["csto", "military", "alliance", "moscow"] {
        assert!(words(csto).contains(&word), "{word} missing");
    }

    let event = doc(&ix, "Peacekeepers land");
    assert_eq!(event["k"], "event");
    assert_eq!(event["m"], "6 January 2022 · Almaty");
    assert!(words(event).contains(&"airfield"));
}

#[test]
fn documents_carry_the_actors_and_tags_they_are_filtered_by() {
    let b = site().build().ok();
    let ix = index(&b);
    let request = doc(&ix, "The request");
    // Mentioned in the body (autolinked alias) counts.
    assert_eq!(actors(&ix, request), ["tokayev"]);
    assert_eq!(tags(&ix, request), ["security"]);
    assert_eq!(tags(&ix, doc(&ix, "Fuel prices")), ["economy"]);
    assert!(actors(&ix, doc(&ix, "Fuel prices")).is_empty());
    assert_eq!(actors(&ix, doc(&ix, "Peacekeepers land")), ["csto"]);
    assert_eq!(actors(&ix, doc(&ix, "Kassym-Jomart Tokayev")), ["tokayev"]);
    assert_eq!(
        ix["tags"],
        serde_json::json!([["economy", "Economy"], ["security", "Security"]])
    );
}

#[test]
fn the_search_page_offers_every_filter_and_every_page_links_to_it() {
    let b = site().build().ok();
    let page = b.page("search/index.html");
    assert_eq!(
        page.attrs("#search-form", "data-index"),
        ["/watch/search.json"]
    );
    assert_eq!(
        page.texts("select[name=actor] option"),
        [
            "Any actor",
            "Kassym-Jomart Tokayev",
            "Collective Security Treaty Organization"
        ]
    );
    assert_eq!(
        page.attrs("select[name=tag] option", "value"),
        ["", "economy", "security"]
    );
    assert_eq!(page.attrs("script[src]", "src"), ["/watch/search.js"]);
    assert!(b.exists("search.js"));
    // Other pages search through a plain GET form, which works without JS.
    let home = b.page("index.html");
    assert_eq!(
        home.attrs("form[role=search]", "action"),
        ["/watch/search/"]
    );
    assert_eq!(home.attrs("form[role=search] input", "name"), ["q"]);
    // The search page is for people, not for crawlers' sitemaps.
    let sitemap = std::fs::read_to_string(b.output.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/search/"), "{sitemap}");
    assert_eq!(page.attrs("meta[name=robots]", "content"), ["noindex"]);
    assert!(home.attrs("meta[name=robots]", "content").is_empty());
}

#[test]
fn hostile_titles_stay_data_in_the_index() {
    let hostile = "</script><img src=x onerror=alert(1)> \"q\" \\ \u{2028} 'a'";
    let b = Fixture::new()
        .analysis(
            "x",
            &format!("title: '{}'\ndate: 2022-01-01", hostile.replace('\'', "''")),
            "Body.\n",
        )
        .build()
        .ok();
    let ix = index(&b);
    let title = ix["docs"][0]["t"].as_str().unwrap();
    assert!(
        title.starts_with("</script><img src=x onerror=alert(1)>"),
        "{title}"
    );
    assert!(
        title.contains('\u{2028}') && title.contains('\\'),
        "{title:?}"
    );
    // The theme renders results with textContent: never as markup.
    let js = std::fs::read_to_string(b.output.join("search.js")).unwrap();
    assert!(!js.contains(".innerHTML") && !js.contains("insertAdjacentHTML"));
}
