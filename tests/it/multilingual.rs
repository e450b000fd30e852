//! A site in several languages: `[languages.<code>]` in site.toml gives
//! each language an edition under `/<code>/`, made of the translations
//! written beside the originals (`a.ru.md`, `tokayev.ru.yaml`). Every page
//! links its other languages, what is not translated falls back to the
//! default language and says so, and an analysis not translated is left out
//! of that language's edition.

use crate::harness::{Fixture, broken_links};

const SITE: &str = "title = \"Kazakhstan Watch\"\nbase_url = \"https://example.org/watch/\"\nlanguage = \"en\"\n\n[languages.ru]\ntitle = \"Казахстан: хроника\"\ndescription = \"Хроника\"\n";

/// Two actors (one translated), an event (translated), two analyses (one
/// translated), an author (not translated).
fn site() -> Fixture {
    Fixture::new()
        .file("site.toml", SITE)
        .actor(
            "tokayev",
            "name: Kassym-Jomart Tokayev\nkind: person\nsummary: The President.\nrelations:\n  - {type: leads, actor: council, role: Chairman, from: 2022-01-05}\n",
        )
        .file(
            "content/actors/tokayev.ru.yaml",
            "name: Касым-Жомарт Токаев\naliases: [Токаева]\nsummary: Президент.\nrelations:\n  - role: Председатель\n",
        )
        .actor("council", "name: Security Council\nkind: organisation\nsummary: Advises the President.\n")
        .event(
            "request",
            "title: Tokayev asks the CSTO\ndate: 2022-01-05\nactors:\n  - {id: tokayev, role: made the request}\n",
        )
        .file(
            "content/events/request.ru.yaml",
            "title: Токаев просит ОДКБ о помощи\nactors:\n  - {role: обратился с просьбой}\n",
        )
        .file("content/authors/weber.yaml", "name: Jonas Weber\nbio: Writes about security.\n")
        .analysis(
            "a",
            "title: The first deployment\ndate: 2022-01-24\nauthors: [weber]\nactors: [council]",
            "Tokayev asked for help on the night of [[request]].\n",
        )
        .file(
            "content/analyses/a.ru.md",
            "---\ntitle: Первая операция\ndate: 2022-01-27\ntranslator: weber\n---\nПросьба Токаева ([[request]]) изменила всё.\n",
        )
        .analysis(
            "b",
            "title: Untranslated\ndate: 2022-01-20\nauthors: [weber]",
            "Only in English: Tokayev.\n",
        )
}

#[test]
fn each_language_has_its_edition_with_its_own_texts() {
    let b = site().build().ok();
    let home = b.page("ru/");
    home.contains("<html lang=\"ru\">")
        .contains("<title>Казахстан: хроника</title>");
    // The theme speaks Russian there, and the site's shared files are
    // linked from the site's root.
    assert_eq!(home.texts(".site-nav a")[0], "Аналитика");
    assert!(home.attrs("link[rel=stylesheet]", "href") == ["/watch/style.css"]);
    let tokayev = b.page("ru/actors/tokayev/");
    assert_eq!(tokayev.texts("h1"), ["Касым-Жомарт Токаев"]);
    // Relations keep their structure; the role is the translation's.
    tokayev.contains("Председатель");
    // What is not translated is shown in the default language, marked so.
    let council = b.page("ru/actors/council/");
    assert_eq!(council.texts("h1"), ["Security Council"]);
    assert_eq!(council.attrs(".summary", "lang"), ["en"]);
    assert!(tokayev.attrs(".summary", "lang").is_empty());
    // The English edition is untouched by the translations.
    assert_eq!(
        b.page("actors/tokayev/").texts("h1"),
        ["Kassym-Jomart Tokayev"]
    );
    assert_eq!(
        b.page("events/request/").texts("h1"),
        ["Tokayev asks the CSTO"]
    );
    assert_eq!(
        b.page("ru/events/request/").texts("h1"),
        ["Токаев просит ОДКБ о помощи"]
    );
    // The roles of an event's actors are translated by their place.
    b.page("ru/events/request/")
        .contains("обратился с просьбой")
        .lacks("made the request");
    b.page("events/request/").contains("made the request");
    assert!(
        broken_links(&b.output, "/watch/").is_empty(),
        "{:?}",
        broken_links(&b.output, "/watch/")
    );
}

#[test]
fn a_translated_analysis_links_in_its_language_and_names_its_original() {
    let b = site().build().ok();
    let a = b.page("ru/analyses/a/");
    // Translated names autolink, to the same edition's pages.
    a.has_link(
        ".article-body a, .prose a, main a",
        "/watch/ru/actors/tokayev/",
        "Токаева",
    );
    a.has_link(
        "main a",
        "/watch/ru/events/request/",
        "Токаев просит ОДКБ о помощи",
    );
    // It says what it is a translation of, and by whom.
    assert_eq!(
        a.texts(".translation-note"),
        ["Перевод: Jonas Weber; оригинал: English · 27 января 2022 г."]
    );
    a.has_link(".translation-note a", "/watch/analyses/a/", "English")
        .has_link(
            ".translation-note a",
            "/watch/ru/authors/weber/",
            "Jonas Weber",
        );
    let ld = a.json_ld();
    assert_eq!(ld["inLanguage"], "ru");
    assert_eq!(
        ld["translationOfWork"]["@id"],
        "https://example.org/watch/analyses/a/"
    );
    assert_eq!(ld["translator"]["name"], "Jonas Weber");
    // The original says nothing of the kind.
    assert!(b.page("analyses/a/").texts(".translation-note").is_empty());
}

#[test]
fn an_untranslated_analysis_is_left_out_of_that_edition_and_counted() {
    let b = site().build().ok();
    assert!(b.exists("analyses/b/index.html"));
    assert!(!b.exists("ru/analyses/b/index.html"));
    let list = b.page("ru/analyses/");
    assert_eq!(list.texts(".card-list h2"), ["Первая операция"]);
    assert_eq!(
        list.texts(".untranslated"),
        ["Ещё 1 материал есть только на языке «English»."]
    );
    list.has_link(".untranslated a", "/watch/analyses/", "English");
    // Not in its feed either, and the English list has no such note.
    let feed = b.read("ru/feed.xml");
    assert!(feed.contains("Первая операция") && !feed.contains("Untranslated"));
    assert!(b.page("analyses/").texts(".untranslated").is_empty());
}

#[test]
fn every_page_links_its_other_languages() {
    let b = site().build().ok();
    let a = b.page("analyses/a/");
    assert_eq!(
        a.attrs("link[rel=alternate][hreflang]", "hreflang"),
        ["en", "x-default", "ru"]
    );
    assert_eq!(
        a.attrs("link[rel=alternate][hreflang]", "href"),
        [
            "https://example.org/watch/analyses/a/",
            "https://example.org/watch/analyses/a/",
            "https://example.org/watch/ru/analyses/a/"
        ]
    );
    // The switcher goes to the same page in the other language…
    assert_eq!(
        a.links(".languages a"),
        [("/watch/ru/analyses/a/".to_string(), "Русский".to_string())]
    );
    assert_eq!(a.texts(".languages [aria-current]"), ["English"]);
    let ru = b.page("ru/analyses/a/");
    assert_eq!(
        ru.links(".languages a"),
        [("/watch/analyses/a/".to_string(), "English".to_string())]
    );
    // …or, where the page is not translated, to that language's home page,
    // saying so; and the page names no alternate that does not exist.
    let untranslated = b.page("analyses/b/");
    assert_eq!(
        untranslated.links(".languages a"),
        [("/watch/ru/".to_string(), "Русский".to_string())]
    );
    assert_eq!(
        untranslated.attrs(".languages a", "title"),
        ["This page is not in Русский: opens its home page"]
    );
    assert_eq!(
        untranslated.attrs("link[rel=alternate][hreflang]", "hreflang"),
        ["en", "x-default"]
    );
}

#[test]
fn the_site_shares_one_sitemap_robots_file_404_page_and_open_data() {
    let b = site().build().ok();
    for shared in ["sitemap.xml", "robots.txt", "404.html", "data/index.html"] {
        assert!(b.exists(shared), "{shared}");
        assert!(!b.exists(&format!("ru/{shared}")), "ru/{shared}");
    }
    // Feeds and search belong to each edition.
    for own in [
        "ru/feed.xml",
        "ru/search/index.html",
        "ru/search/index.json",
    ] {
        assert!(b.exists(own), "{own}");
    }
    let sitemap = b.xml("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/watch/ru/analyses/a/</loc>"));
    assert!(!sitemap.contains("ru/analyses/b/"));
    // Each translated page lists its languages, and x-default.
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains("<loc>https://example.org/watch/analyses/a/</loc>"))
        .expect("the analysis in the sitemap");
    assert!(entry.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"ru\" href=\"https://example.org/watch/ru/analyses/a/\"/>"
    ));
    assert!(
        entry.contains("hreflang=\"x-default\" href=\"https://example.org/watch/analyses/a/\"")
    );
}

#[test]
fn each_edition_searches_its_own_words() {
    let b = site().build().ok();
    // Every file of an edition's search index, read as one text.
    let index = |dir: &str| -> String {
        b.files()
            .iter()
            .filter(|f| f.starts_with(dir) && f.ends_with(".json"))
            .map(|f| b.read(f))
            .collect()
    };
    let ru = index("ru/search/");
    assert!(ru.contains("токаев"), "{ru}");
    assert!(!ru.contains("untranslated"));
    let en = index("search/");
    assert!(!en.contains("токаев"));
}

#[test]
fn a_site_in_one_language_names_no_alternates() {
    let b = Fixture::new()
        .actor("x", "name: X\nkind: person\n")
        .analysis("a", "title: A\ndate: 2022-01-01", "[[x]]\n")
        .build()
        .ok();
    let a = b.page("analyses/a/");
    assert!(a.attrs("link[hreflang]", "href").is_empty());
    assert!(a.texts(".languages").is_empty());
    assert!(!b.xml("sitemap.xml").contains("xhtml:link"));
}

#[test]
fn editing_a_translation_rebuilds_that_language_alone() {
    use dossier::testing::Store;
    use dossier::{BuildOptions, Caches, Changes, Target};
    let f = site();
    let opts = BuildOptions::new(f.root());
    let mut caches = Caches::default();
    let store = Store::new();
    let first = dossier::rebuild(&opts, &mut caches, &Changes::All, Target::Store(&store));
    assert!(first.result.is_ok());
    let before = store.pages();
    let edited = f.root().join("content/events/request.ru.yaml");
    std::fs::write(&edited, "title: Токаев обращается к ОДКБ\n").expect("edit");
    let second = dossier::rebuild(
        &opts,
        &mut caches,
        &Changes::Paths(vec![edited]),
        Target::Store(&store),
    );
    // Only what the translation touches is rendered again: the event's
    // Russian page and the Russian pages that show its title.
    let built = second.result.as_ref().expect("the edit builds");
    assert!(
        built.rendered * 4 < built.pages,
        "{} of {}",
        built.rendered,
        built.pages
    );
    let after = store.pages();
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(
        changed.contains(&&"ru/events/request/index.html".to_string()),
        "{changed:?}"
    );
    assert!(changed.iter().all(|p| p.starts_with("ru/")), "{changed:?}");
}
