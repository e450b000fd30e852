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

/// The manifest, with every chunk's documents gathered under `docs`, as
/// `search.js` reads them.
fn index_under(b: &Build, base_path: &str) -> Value {
    let read = |path: &str| -> Value {
        let text = std::fs::read_to_string(b.output.join(path))
            .unwrap_or_else(|e| panic!("no {path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} does not parse: {e}"))
    };
    let mut ix = read("search/index.json");
    let mut docs = Vec::new();
    for url in ix["chunks"].as_array().unwrap() {
        let url = url.as_str().unwrap();
        let path = url
            .strip_prefix(base_path)
            .expect("chunk under the base path");
        docs.extend(read(path).as_array().unwrap().iter().cloned());
    }
    ix["docs"] = Value::Array(docs);
    ix
}

fn index(b: &Build) -> Value {
    index_under(b, "/watch/")
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
    assert_eq!(
        csto["n"],
        serde_json::json!(["CSTO"]),
        "aliases rank like the name"
    );
    assert!(request.get("n").is_none(), "no empty lists in the index");
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
        ["/watch/search/index.json"]
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
fn the_index_is_split_into_chunks_of_a_thousand_documents() {
    let mut f = Fixture::new();
    for i in 0..1500 {
        f = f.actor(
            &format!("a{i}"),
            &format!("name: Person {i}\nkind: person\n"),
        );
    }
    let b = f
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\n[checks]\nunreferenced = \"off\"\n",
        )
        .build()
        .ok();
    let ix = index_under(&b, "/");
    assert_eq!(
        ix["chunks"],
        serde_json::json!(["/search/docs-0.json", "/search/docs-1.json"])
    );
    let docs = ix["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 1500);
    // In model order across chunks: the 1,001st document is in the second.
    assert_eq!(docs[1000]["a"], serde_json::json!([1000]));
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
    let ix = index_under(&b, "/");
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

fn with_search(mode: &str) -> Fixture {
    site().file(
        "site.toml",
        &format!(
            "title = \"Watch\"\nbase_url = \"https://example.org/watch/\"\nsearch = \"{mode}\"\n"
        ),
    )
}

#[test]
fn search_summaries_leaves_out_the_body_text() {
    let b = with_search("summaries").build().ok();
    let ix = index(&b);
    let w = words(doc(&ix, "The request"));
    // Title, summary and authors stay; words only the body has do not.
    for word in ["request", "president", "analyst"] {
        assert!(w.contains(&word), "{word} missing from {w:?}");
    }
    assert!(!w.contains(&"quagmire"), "{w:?}");
    // Fact-sheet summaries are short and stay.
    assert!(words(doc(&ix, "Collective Security Treaty Organization")).contains(&"moscow"));
}

#[test]
fn search_off_writes_no_search_page_index_or_box() {
    let b = with_search("off").build().ok();
    assert!(!b.exists("search"), "{:?}", b.files());
    assert!(
        b.page("index.html")
            .attrs("form[role=search]", "action")
            .is_empty()
    );
    assert!(crate::harness::broken_links(&b.output, "/watch/").is_empty());
}

#[test]
fn an_unknown_search_mode_is_an_error_naming_the_modes() {
    with_search("fulltext").build().fails().has(&[
        "site.toml:3:10",
        "`search = \"fulltext\"` is not a search mode",
        "\"summaries\"",
    ]);
}
