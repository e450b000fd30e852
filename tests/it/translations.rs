//! The theme speaks the site's language: its texts, dates, plural forms and
//! relation labels come from `i18n/<lang>.toml` (built in for en, ru, fr and
//! de), a site's own file changes some texts and keeps the rest, a mistake
//! in that file is a diagnostic at its line, and an unknown language falls
//! back to English.

use crate::harness::Fixture;

fn site_toml(language: &str) -> String {
    format!("title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"{language}\"\n")
}

/// A site in `language` with two actors, a relation, events, an analysis
/// of about 300 words (2 minutes' reading) and a source.
fn site(language: &str) -> Fixture {
    let body = "Tokayev spoke. ".repeat(150);
    Fixture::new()
        .file("site.toml", &site_toml(language))
        .actor(
            "tokayev",
            "name: Tokayev\nkind: person\nrelations:\n  - {type: leads, actor: council, role: Chairman, from: 2022-01-05}\n",
        )
        .actor("council", "name: Security Council\nkind: organisation\n")
        .event(
            "first",
            "title: Prices rise\ndate: 2022-01-01\nactors: [tokayev]\nfacts:\n  - {label: Price, value: \"120\", as_of: 2022-01-05, source: {title: A}}\n",
        )
        .event("unrest", "title: The unrest\ndate: 2022-01-02\nend: 2022-01-11\n")
        .analysis(
            "a",
            "title: A\ndate: 2022-01-05\nupdated: 2022-02-03\nactors: [tokayev]\nauthors: [A. Writer, B. Writer]",
            &body,
        )
}

#[test]
fn a_russian_site_has_russian_navigation_headings_dates_and_plurals() {
    let b = site("ru").build().ok();
    let home = b.page("");
    home.contains("<html lang=\"ru\">");
    assert_eq!(
        home.texts(".site-nav a"),
        ["Аналитика", "Действующие лица", "События", "Хроника"]
    );
    assert_eq!(home.texts("#latest"), ["Последние материалы"]);
    let a = b.page("analyses/a/");
    a.contains("<time datetime=\"2022-01-05\">5 января 2022 г.</time>")
        .contains("2 минуты чтения")
        .contains("Обновлено <time datetime=\"2022-02-03\">3 февраля 2022 г.</time>")
        .contains("Авторы: <span class=\"authors\">A. Writer и B. Writer</span>")
        .contains("«A», T, 5 января 2022 г. (обновлено 3 февраля 2022 г.)");
    // Roles as of the analysis's date, in Russian.
    assert_eq!(
        a.texts(".roles li"),
        ["Chairman, Security Council, с 5 января 2022 г."]
    );
    let timeline = b.page("timeline/");
    assert_eq!(timeline.texts(".timeline-month-title"), ["Январь 2022 г."]);
    assert!(
        timeline
            .texts(".event-when")
            .contains(&"2–11 января 2022 г.".to_string()),
        "{:?}",
        timeline.texts(".event-when")
    );
    let tokayev = b.page("actors/tokayev/");
    assert_eq!(tokayev.texts(".relation-label"), ["Руководит"]);
    assert_eq!(tokayev.texts(".kicker .kind"), ["Персона"]);
    tokayev
        .contains("<title id=\"network-title-tokayev\">Связи: Tokayev</title>")
        .contains("с 5 января 2022 г.");
    assert_eq!(
        b.page("actors/council/").texts(".relation-label"),
        ["Руководители"]
    );
    b.page("events/first/")
        .contains("на <time datetime=\"2022-01-05\">5 января 2022 г.</time>");
    assert_eq!(b.page("events/").texts(".dek a"), ["хронику"]);
    b.page("events/")
        .contains("2 события в хронологическом порядке.");
    // The search index's lines under titles are Russian too.
    let docs = b.read("search/docs-0.json");
    assert!(
        docs.contains("Персона") && docs.contains("5 января 2022 г."),
        "{docs}"
    );
}

#[test]
fn a_french_site_writes_the_first_of_the_month_1er() {
    let b = site("fr").build().ok();
    b.page("events/first/")
        .contains("<time datetime=\"2022-01-01\">1er janvier 2022</time>");
    b.page("analyses/a/")
        .contains("Mis à jour le <time datetime=\"2022-02-03\">3 février 2022</time>")
        .contains("Par <span class=\"authors\">A. Writer et B. Writer</span>");
    assert_eq!(
        b.page("").texts(".site-nav a"),
        ["Analyses", "Acteurs", "Événements", "Chronologie"]
    );
}

#[test]
fn a_german_site_writes_the_day_with_a_full_stop() {
    let b = site("de").build().ok();
    b.page("analyses/a/")
        .contains("<time datetime=\"2022-01-05\">5. Januar 2022</time>")
        .contains("2 Min. Lesezeit");
    assert_eq!(
        b.page("timeline/").texts(".event-when")[1],
        "2.–11. Januar 2022"
    );
}

#[test]
fn a_site_file_changes_one_text_and_keeps_the_others() {
    let b = site("en")
        .file(
            "themes/default/i18n/en.toml",
            "[strings]\nevents = \"Happenings\"\nreading_time = { one = \"one minute\", other = \"{n} minutes\" }\n\n[dates]\nday = \"{month_in_date} {day}, {year}\"\n",
        )
        .build()
        .ok();
    let home = b.page("");
    assert_eq!(
        home.texts(".site-nav a"),
        ["Analyses", "Actors", "Happenings", "Timeline"]
    );
    b.page("analyses/a/")
        .contains("2 minutes")
        .contains(">January 5, 2022</time>");
    // A language's own file is laid over its built-in one the same way.
    let ru = site("ru")
        .file(
            "themes/default/i18n/ru.toml",
            "[strings]\nanalyses = \"Обзоры\"\n",
        )
        .build()
        .ok();
    assert_eq!(
        ru.page("").texts(".site-nav a"),
        ["Обзоры", "Действующие лица", "События", "Хроника"]
    );
    ru.page("analyses/a/").contains("2 минуты чтения");
}

#[test]
fn a_misspelt_key_in_a_site_file_is_an_error_at_its_line_with_the_nearest_key() {
    site("en")
        .file(
            "themes/default/i18n/en.toml",
            "[strings]\nanalyses = \"Briefs\"\nevnts = \"Happenings\"\n",
        )
        .build()
        .fails()
        .has(&[
            "themes/default/i18n/en.toml:3:1",
            "unknown key `evnts` in [strings]",
            "did you mean `events`?",
        ]);
    site("en")
        .file(
            "themes/default/i18n/de.toml",
            "[dates]\nday = \"{day}. {mnth} {year}\"\n",
        )
        .build()
        .fails()
        .has(&[
            "themes/default/i18n/de.toml:2:15",
            "`day` has a placeholder `{mnth}` it does not take",
            "did you mean `month`?",
        ]);
    site("en")
        .file("themes/default/i18n/ru.toml", "[strings\nanalyses = 1\n")
        .build()
        .fails()
        .has(&["themes/default/i18n/ru.toml:1:"]);
}

#[test]
fn an_unknown_language_falls_back_to_english_and_its_subtag_to_the_language() {
    let b = site("pt-BR").build().ok();
    let home = b.page("");
    home.contains("<html lang=\"pt-BR\">");
    assert_eq!(
        home.texts(".site-nav a"),
        ["Analyses", "Actors", "Events", "Timeline"]
    );
    b.page("analyses/a/").contains(">5 January 2022</time>");
    let b = site("fr-CA").build().ok();
    b.page("events/first/").contains(">1er janvier 2022</time>");
}

#[test]
fn a_right_to_left_language_sets_the_page_s_direction() {
    let b = site("ar")
        .file(
            "themes/default/i18n/ar.toml",
            "name = \"العربية\"\ndirection = \"rtl\"\nplural = \"none\"\n\n[strings]\nevents = \"الأحداث\"\n",
        )
        .build()
        .ok();
    let home = b.page("");
    home.contains("<html lang=\"ar\" dir=\"rtl\">");
    assert_eq!(home.texts(".site-nav a")[2], "الأحداث");
    // A left-to-right page says nothing of direction.
    site("en")
        .build()
        .ok()
        .page("")
        .contains("<html lang=\"en\">");
}

#[test]
fn relation_labels_from_site_toml_win_in_the_site_s_language() {
    let toml = format!(
        "{}\n[relations.leads]\nlabel = \"Heads\"\ninverse = \"Headed by\"\n\n[relations.appointed]\nlabel = \"Назначил\"\ninverse = \"Назначен\"\n",
        site_toml("ru")
    );
    let b = site("ru")
        .file("site.toml", &toml)
        .actor(
            "smailov",
            "name: Smailov\nkind: person\nrelations:\n  - {type: appointed, actor: tokayev, from: 2022-01-11}\n",
        )
        .file(
            "themes/default/i18n/ru.toml",
            "[relations]\nappointed_inverse = \"Назначен им\"\n",
        )
        .build()
        .ok();
    assert_eq!(
        b.page("actors/tokayev/").texts(".relation-label"),
        ["Heads", "Назначен"]
    );
    assert_eq!(
        b.page("actors/smailov/").texts(".relation-label"),
        ["Назначил"]
    );
    // A key for a type the site does not declare is an error.
    site("en")
        .file(
            "themes/default/i18n/en.toml",
            "[relations]\nappointd = \"Appointed\"\n",
        )
        .build()
        .fails()
        .has(&["unknown key `appointd` in [relations]"]);
}

#[test]
fn site_templates_count_with_the_plural_filter() {
    let b = site("ru")
        .file(
            "themes/default/templates/tags.html",
            "{% for n in [1, 3, 5, 21] %}[{{ t.events_count | plural(n=n) }}]{% endfor %}[{{ t.range_of | fill(first=1, last=10, total=25) }}]",
        )
        .build()
        .ok();
    assert_eq!(
        b.read("tags/index.html"),
        "[1 событие][3 события][5 событий][21 событие][1–10 из 25]"
    );
}
