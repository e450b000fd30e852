//! The search index and page: what `search.js` finds is what the site has,
//! with the facets it filters by, under the site's base path.

use std::collections::BTreeMap;

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

/// The search index read whole, as `search.js` reads parts of it: the
/// manifest, every document's card, and per document the words it is
/// found by (with whether in its title or a name) and its facets.
struct Index {
    manifest: Value,
    docs: Vec<Doc>,
    /// The shards' file names, in order.
    shards: Vec<String>,
}

struct Doc {
    card: Value,
    /// Word → whether in the title or a name.
    words: BTreeMap<String, bool>,
    /// Actor ids and tag slugs it is filed under.
    actors: Vec<String>,
    tags: Vec<String>,
}

fn read_json(b: &Build, path: &str) -> Value {
    let text =
        std::fs::read_to_string(b.output.join(path)).unwrap_or_else(|e| panic!("no {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} does not parse: {e}"))
}

fn index_under(b: &Build, base_path: &str) -> Index {
    let manifest = read_json(b, "search/index.json");
    let base = manifest["base"].as_str().unwrap();
    assert_eq!(base, format!("{base_path}search/"));
    let counts: Vec<usize> = manifest["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap() as usize)
        .collect();
    let total: usize = counts.iter().sum();
    let per = manifest["per"].as_u64().unwrap() as usize;
    let mut docs: Vec<Doc> = Vec::new();
    for n in 0..total.div_ceil(per).max(1) {
        for card in read_json(b, &format!("search/docs-{n}.json"))
            .as_array()
            .unwrap()
        {
            docs.push(Doc {
                card: card.clone(),
                words: BTreeMap::new(),
                actors: Vec::new(),
                tags: Vec::new(),
            });
        }
    }
    assert_eq!(docs.len(), total, "every document has a card");
    let mut shards = Vec::new();
    let mut last: Option<String> = None;
    for shard in manifest["shards"].as_array().unwrap() {
        let (first, name) = (shard[0].as_str().unwrap(), shard[1].as_str().unwrap());
        shards.push(name.to_string());
        let entries = read_json(b, &format!("search/words-{name}.json"));
        let entries = entries.as_array().unwrap();
        if let Some(e) = entries.first() {
            assert_eq!(e[0], first, "the manifest names each shard's first word");
        }
        for e in entries {
            let word = e[0].as_str().unwrap().to_string();
            // Sorted as JavaScript compares strings, across shards too.
            if let Some(last) = &last {
                assert!(
                    last.encode_utf16().lt(word.encode_utf16()),
                    "{last} before {word}"
                );
            }
            let mut doc = 0;
            for p in e[1].as_array().unwrap() {
                let p = p.as_u64().unwrap() as usize;
                doc += p >> 1;
                let d = &mut docs[doc];
                if let Some(id) = word.strip_prefix("!a:") {
                    d.actors.push(id.to_string());
                } else if let Some(slug) = word.strip_prefix("!t:") {
                    d.tags.push(slug.to_string());
                } else {
                    d.words.insert(word.clone(), p & 1 == 1);
                }
            }
            last = Some(word);
        }
    }
    Index {
        manifest,
        docs,
        shards,
    }
}

fn index(b: &Build) -> Index {
    index_under(b, "/watch/")
}

/// The document titled `title`.
fn doc<'a>(ix: &'a Index, title: &str) -> &'a Doc {
    ix.docs
        .iter()
        .find(|d| d.card["t"] == title)
        .unwrap_or_else(|| panic!("no document {title:?}"))
}

fn words(d: &Doc) -> Vec<&str> {
    d.words.keys().map(String::as_str).collect()
}

#[test]
fn every_analysis_actor_and_event_is_a_document_with_its_words() {
    let b = site().build().ok();
    let ix = index(&b);
    assert_eq!(ix.docs.len(), 5);
    // Analyses, then actors, then events: the kind filter is a range.
    assert_eq!(ix.manifest["docs"], serde_json::json!([2, 2, 1]));

    let request = doc(&ix, "The request");
    assert_eq!(request.card["k"], "analysis");
    assert_eq!(request.card["u"], "/watch/analyses/request/");
    assert_eq!(request.card["s"], "Why the president asked.");
    assert_eq!(request.card["m"], "A. Analyst · 6 January 2022");
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
    // Lowercased, one-letter words dropped.
    assert!(w.contains(&"tokayev"));
    assert!(!w.contains(&"a") && !w.contains(&"Tokayev"));
    // Words of the title rank first; words of the text do not.
    assert!(request.words["request"]);
    assert!(!request.words["president"]);

    let csto = doc(&ix, "Collective Security Treaty Organization");
    assert_eq!(csto.card["k"], "actor");
    assert!(csto.words["csto"], "aliases rank like the name");
    assert!(csto.words["collective"]);
    assert_eq!(csto.card["u"], "/watch/actors/csto/");
    assert_eq!(csto.card["m"], "Organisation");
    for word in ["csto", "military", "alliance", "moscow"] {
        assert!(words(csto).contains(&word), "{word} missing");
    }
    assert!(!csto.words["moscow"]);
    // A card holds what a result shows, no more.
    let keys: Vec<&String> = csto.card.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["k", "m", "s", "t", "u"]);

    let event = doc(&ix, "Peacekeepers land");
    assert_eq!(event.card["k"], "event");
    assert_eq!(event.card["m"], "6 January 2022 · Almaty");
    assert!(words(event).contains(&"airfield"));
}

#[test]
fn documents_carry_the_actors_and_tags_they_are_filtered_by() {
    let b = site().build().ok();
    let ix = index(&b);
    let request = doc(&ix, "The request");
    // Mentioned in the body (autolinked alias) counts.
    assert_eq!(request.actors, ["tokayev"]);
    assert_eq!(request.tags, ["security"]);
    assert_eq!(doc(&ix, "Fuel prices").tags, ["economy"]);
    assert!(doc(&ix, "Fuel prices").actors.is_empty());
    assert_eq!(doc(&ix, "Peacekeepers land").actors, ["csto"]);
    assert_eq!(doc(&ix, "Kassym-Jomart Tokayev").actors, ["tokayev"]);
    // Facets are words of the index, before every word of a text.
    let first = ix.manifest["shards"][0][0].as_str().unwrap();
    assert!(first.starts_with("!a:"), "{first}");
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

/// A site of `n` actors, each with words of its own.
fn many_actors(n: usize) -> Fixture {
    let mut f = Fixture::new();
    for i in 0..n {
        f = f.actor(
            &format!("a{i}"),
            &format!(
                "name: Person {i}\nkind: person\nsummary: Known as w{i}x and v{}y.\n",
                i * 7
            ),
        );
    }
    f.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[checks]\nunreferenced = \"off\"\n",
    )
}

#[test]
fn documents_are_filed_fifty_to_a_file_and_words_in_shards() {
    let b = many_actors(1500).build().ok();
    let ix = index_under(&b, "/");
    assert_eq!(ix.docs.len(), 1500);
    assert_eq!(ix.manifest["per"], 50);
    assert!(b.exists("search/docs-29.json") && !b.exists("search/docs-30.json"));
    // In model order across files: the 1,001st document is in the 21st,
    // its words and card side by side.
    let d = &ix.docs[1000];
    let id = &d.actors[0];
    assert_eq!(d.card["u"], format!("/actors/{id}/"));
    assert_eq!(d.card["t"], format!("Person {}", &id[1..]));
    assert!(d.words.contains_key(&format!("w{}x", &id[1..])));
    // The words are cut into shards, none much larger than 64 kB.
    assert!(ix.shards.len() > 1, "{:?}", ix.shards);
    for name in &ix.shards {
        let len = b.read(&format!("search/words-{name}.json")).len();
        assert!(len <= 64 * 1024 + 64, "words-{name}.json: {len} bytes");
    }
    let files = b.files();
    let search: Vec<&String> = files.iter().filter(|f| f.starts_with("search/")).collect();
    assert_eq!(search.len(), 1 + 1 + 30 + ix.shards.len(), "{search:?}");
}

#[test]
fn an_edit_rewrites_only_the_index_files_it_touches() {
    use dossier::testing::Store;
    use dossier::{BuildOptions, Caches, Changes, Target};
    let f = many_actors(1500);
    let opts = BuildOptions::new(f.root());
    let mut caches = Caches::default();
    let store = Store::new();
    let first = dossier::rebuild(&opts, &mut caches, &Changes::All, Target::Store(&store));
    assert!(first.result.is_ok());
    let before = store.pages();
    let edited = f.root().join("content/actors/a700.yaml");
    std::fs::write(
        &edited,
        "name: Person 700\nkind: person\nsummary: Known as w700x and zeppelin.\n",
    )
    .expect("edit");
    let second = dossier::rebuild(
        &opts,
        &mut caches,
        &Changes::Paths(vec![edited]),
        Target::Store(&store),
    );
    assert!(second.result.is_ok());
    let after = store.pages();
    let changed: Vec<&str> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path.as_str())
        .filter(|p| p.starts_with("search/"))
        .collect();
    // Its card's file, and the shards of the word it lost and the word it
    // gained; the manifest only if a cut moved.
    let docs = changed
        .iter()
        .filter(|p| p.starts_with("search/docs-"))
        .count();
    assert_eq!(docs, 1, "{changed:?}");
    let shards = changed
        .iter()
        .filter(|p| p.starts_with("search/words-"))
        .count();
    assert!((1..=2).contains(&shards), "{changed:?}");
    assert!(changed.len() <= 4, "{changed:?}");
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
    let title = ix.docs[0].card["t"].as_str().unwrap();
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
