//! Each kind of mistake an author can make is reported with file, line and
//! column, a clear message and, where it helps, a hint; all in one run.

use crate::harness::Fixture;

const ACTOR: &str = "name: Kassym-Jomart Tokayev\nkind: person\n";

#[test]
fn yaml_syntax_error_names_file_line_and_column() {
    Fixture::new()
        .actor("x", "name: X\nkind: [person\n")
        .build()
        .fails()
        .has(&[
            "error: content/actors/x.yaml:2:7:",
            "this `[` is never closed",
        ]);
}

#[test]
fn yaml_error_in_front_matter_is_placed_in_the_markdown_file() {
    Fixture::new()
        .analysis("a", "title: A\ndate: 2022-01-01\ntags: [a", "Body\n")
        .build()
        .fails()
        .has(&["error: content/analyses/a.md:4:7:"]);
}

#[test]
fn unclosed_front_matter_points_at_the_opening_fence() {
    Fixture::new()
        .file(
            "content/analyses/a.md",
            "---\ntitle: A\ndate: 2022-01-01\n\nBody\n",
        )
        .build()
        .fails()
        .has(&[
            "error: content/analyses/a.md:1:1: the front matter is never closed",
            "add a line with only `---`",
        ]);
}

#[test]
fn missing_front_matter_is_reported() {
    Fixture::new()
        .file("content/analyses/a.md", "# Just a body\n")
        .build()
        .fails()
        .has(&["content/analyses/a.md:1:1: this analysis has no front matter"]);
}

#[test]
fn missing_required_fields_are_all_reported() {
    Fixture::new()
        .analysis("a", "summary: no title or date", "Body\n")
        .actor("x", "aliases: [X]\n")
        .build()
        .fails()
        .has(&["content/analyses/a.md:1:1: this analysis is missing the required key `title`"])
        .has(&["content/analyses/a.md:1:1: this analysis is missing the required key `date`"])
        .has(&["content/actors/x.yaml:1:1: this actor is missing the required key `name`"])
        .has(&[
            "content/actors/x.yaml:1:1: this actor is missing the required key `kind`",
            "add `kind: person | organisation | state | group | place`",
        ])
        .error_count(4);
}

#[test]
fn bad_date_is_explained() {
    Fixture::new()
        .event("e", "title: E\ndate: 2022-02-30\n")
        .event("f", "title: F\ndate: 5 January 2022\n")
        .build()
        .fails()
        .has(&[
            "content/events/e.yaml:2:7: `2022-02-30` is not a date: February 2022 has no day 30",
        ])
        .has(&[
            "content/events/f.yaml:2:7: `5 January 2022` is not in the form dossier reads",
            "write 2022-01-05",
        ]);
}

#[test]
fn unknown_actor_in_event_gets_did_you_mean() {
    Fixture::new()
        .actor("tokayev", ACTOR)
        .event(
            "e",
            "title: E\ndate: 2022-01-05\nactors:\n  - tokayve\n  - {id: tokaev, role: x}\n",
        )
        .build()
        .fails()
        .has(&[
            "content/events/e.yaml:4:5: unknown actor id `tokayve`",
            "did you mean `tokayev`?",
        ])
        .has(&[
            "content/events/e.yaml:5:10: unknown actor id `tokaev`",
            "did you mean `tokayev`?",
        ]);
}

#[test]
fn unknown_reference_in_body_points_at_the_id() {
    Fixture::new()
        .actor("tokayev", ACTOR)
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01",
            "First line.\n\nSee [[tokayef]] here.\n",
        )
        .build()
        .fails()
        .has(&[
            "content/analyses/a.md:7:7: unknown actor or event id `tokayef`",
            "did you mean `tokayev`?",
        ]);
}

#[test]
fn name_instead_of_id_suggests_the_id() {
    Fixture::new()
        .actor("tokayev", ACTOR)
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01\nactors: [Kassym-Jomart Tokayev]",
            "x\n",
        )
        .build()
        .fails()
        .has(&[
            "unknown actor id `Kassym-Jomart Tokayev`",
            "did you mean `tokayev`?",
        ]);
}

#[test]
fn event_id_where_actor_expected_is_an_error() {
    Fixture::new()
        .event("e", "title: E\ndate: 2022-01-05\n")
        .analysis("a", "title: A\ndate: 2022-01-01\nactors: [e]", "x\n")
        .build()
        .fails()
        .has(&["content/analyses/a.md:4:10: `e` is an event, but an actor is expected here"]);
}

#[test]
fn duplicate_id_across_actors_and_events_names_both_files() {
    let b = Fixture::new()
        .actor("almaty", "name: Almaty\nkind: place\n")
        .event("almaty", "title: Almaty\ndate: 2022-01-05\n")
        .build()
        .fails()
        .has(&["content/events/almaty.yaml:1:1: the id `almaty` is used twice"]);
    let full = b.rendered();
    assert!(
        full.contains("content/actors/almaty.yaml") && full.contains("first defined here"),
        "{full}"
    );
}

#[test]
fn bad_id_characters_suggest_a_file_name() {
    Fixture::new()
        .actor("Nursultan Nazarbayev", "name: N\nkind: person\n")
        .build()
        .fails()
        .has(&["content/actors/Nursultan Nazarbayev.yaml:1:1: `Nursultan Nazarbayev` is not a valid id", "rename the file to `nursultan-nazarbayev`"]);
}

#[test]
fn part_of_cycle_is_reported_once() {
    Fixture::new()
        .event("a", "title: A\ndate: 2022-01-01\npart_of: b\n")
        .event("b", "title: B\ndate: 2022-01-02\npart_of: c\n")
        .event("c", "title: C\ndate: 2022-01-03\npart_of: a\n")
        .event("d", "title: D\ndate: 2022-01-03\npart_of: d\n")
        .build()
        .fails()
        .has(&["content/events/a.yaml:3:10: `part_of` makes a cycle: a → b → c → a"])
        .has(&["content/events/d.yaml:3:10: `part_of` makes a cycle: d → d"])
        .error_count(2);
}

#[test]
fn slug_that_escapes_the_output_directory_is_rejected() {
    Fixture::new()
        .analysis("a", "title: A\ndate: 2022-01-01\nslug: ../../etc", "x\n")
        .analysis("b", "title: B\ndate: 2022-01-01\nslug: Not A Slug", "x\n")
        .build()
        .fails()
        .has(&["content/analyses/a.md:4:7: the slug `../../etc` would escape the output directory"])
        .has(&[
            "content/analyses/b.md:4:7: `Not A Slug` is not a valid slug",
            "try `slug: not-a-slug`",
        ]);
}

#[test]
fn two_analyses_with_one_slug_name_both_files() {
    let b = Fixture::new()
        .analysis("a", "title: A\ndate: 2022-01-01\nslug: same", "x\n")
        .analysis("b", "title: B\ndate: 2022-01-01\nslug: same", "x\n")
        .build()
        .fails()
        .has(&["content/analyses/b.md:1:1: two analyses have the slug `same`"]);
    assert!(b.rendered().contains("content/analyses/a.md"));
}

#[test]
fn non_utf8_file_names_the_byte_offset() {
    Fixture::new()
        .bytes("content/actors/x.yaml", b"name: Caf\xe9\nkind: person\n")
        .build()
        .fails()
        .has(&[
            "content/actors/x.yaml:1:10: this file is not valid UTF-8 (first bad byte at offset 9)",
        ]);
}

#[test]
fn unknown_key_gets_did_you_mean() {
    Fixture::new()
        .actor("x", "name: X\nkind: person\naliasses: [Y]\n")
        .build()
        .fails()
        .has(&[
            "content/actors/x.yaml:3:1: unknown key `aliasses` in an actor fact sheet",
            "did you mean `aliases`?",
        ]);
}

#[test]
fn unknown_front_matter_key_gets_did_you_mean() {
    Fixture::new()
        .analysis("a", "title: A\ndate: 2022-01-01\nauthor: [Me]", "x\n")
        .build()
        .fails()
        .has(&[
            "content/analyses/a.md:4:1: unknown key `author` in analysis front matter",
            "did you mean `authors`?",
        ]);
}

#[test]
fn unknown_kind_gets_did_you_mean() {
    Fixture::new()
        .actor("x", "name: X\nkind: organization\n")
        .build()
        .fails()
        .has(&[
            "content/actors/x.yaml:2:7: unknown actor kind `organization`",
            "did you mean `organisation`?",
        ]);
}

#[test]
fn site_toml_unknown_key_and_missing_title() {
    Fixture::bare()
        .file(
            "site.toml",
            "base_url = \"https://example.org/\"\ntitel = \"X\"\n",
        )
        .build()
        .fails()
        .has(&[
            "site.toml:2:1: unknown key `titel` in site.toml",
            "did you mean `title`?",
        ]);
    Fixture::bare()
        .file("site.toml", "base_url = \"https://example.org/\"\n")
        .build()
        .fails()
        .has(&["site.toml:1:1: site.toml is missing the required key `title`"]);
    Fixture::bare()
        .file("site.toml", "title = \"T\"\nbase_url = \"example.org\"\n")
        .build()
        .fails()
        .has(&["site.toml:2:12: `base_url` is not a usable URL: it has no scheme"]);
}

#[test]
fn template_error_names_template_line_and_column() {
    Fixture::new()
        .file("themes/default/templates/actor.html", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.nmae }}</h1>\n{% endblock content %}\n")
        .actor("x", ACTOR)
        .build()
        .fails()
        .has(&["themes/default/templates/actor.html:3:", "actor.html", "nmae"]);
}

#[test]
fn template_syntax_errors_in_several_templates_are_all_reported() {
    Fixture::new()
        .file("themes/default/templates/actor.html", "{% extends \"base.html\" %}\n{% block content %}{{ page.name }{% endblock content %}\n")
        .file("themes/default/templates/event.html", "{% if %}\n")
        .build()
        .fails()
        .has(&["themes/default/templates/actor.html:2:"])
        .has(&["themes/default/templates/event.html:1:"]);
}

#[test]
fn unknown_theme_is_an_error() {
    Fixture::new()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"clasic\"\n",
        )
        .file("themes/classic/templates/base.html", "x")
        .build()
        .fails()
        .has(&[
            "site.toml:3:9: there is no theme `clasic`",
            "did you mean `classic`?",
        ]);
}

#[test]
fn every_error_of_the_build_is_reported_in_one_run() {
    let b = Fixture::new()
        .actor("x", "name: X\nkind: persn\n")
        .actor("y", "name: [unclosed\n")
        .event("e", "title: E\ndate: 2022-13-01\n")
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01\nactors: [nobody]",
            "[[missing]]\n",
        )
        .build()
        .fails()
        .error_count(5);
    // Sorted by file, then position.
    let files: Vec<String> = b
        .short()
        .lines()
        .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn a_broken_fact_sheet_does_not_cascade_into_unknown_ids() {
    Fixture::new()
        .actor("x", "name: X\nkind: [broken\n")
        .event("e", "title: E\ndate: 2022-01-01\nactors: [x]\n")
        .analysis("a", "title: A\ndate: 2022-01-01", "[[x]]\n")
        .build()
        .fails()
        .error_count(1);
}

#[test]
fn odd_input_does_not_panic() {
    // Empty files, a BOM, CRLF endings, front matter only, a huge line.
    Fixture::new()
        .file("content/actors/empty.yaml", "")
        .bytes(
            "content/actors/bom.yaml",
            b"\xEF\xBB\xBFname: B\r\nkind: person\r\n",
        )
        .file(
            "content/analyses/crlf.md",
            "---\r\ntitle: C\r\ndate: 2022-01-01\r\n---\r\nBody [[bom]]\r\n",
        )
        .file(
            "content/analyses/only.md",
            "---\ntitle: O\ndate: 2022-01-01\n---",
        )
        .file("content/analyses/empty.md", "")
        .file("content/events/list.yaml", "- a\n- b\n")
        .file("content/events/scalar.yaml", "just text\n")
        .build()
        .fails()
        .has(&["content/actors/empty.yaml:1:1: this actor is missing the required key `name`"])
        .has(&["content/analyses/empty.md:1:1: this analysis has no front matter"])
        .has(&["content/events/list.yaml:1:1"])
        .has(&["content/events/scalar.yaml:1:1"]);
}

#[test]
fn bom_and_crlf_build_cleanly() {
    let b = Fixture::new()
        .bytes(
            "content/actors/bom.yaml",
            b"\xEF\xBB\xBFname: Bee\r\nkind: person\r\n",
        )
        .file(
            "content/analyses/crlf.md",
            "---\r\ntitle: C\r\ndate: 2022-01-01\r\n---\r\nBody [[bom]]\r\n",
        )
        .build()
        .ok();
    b.page("analyses/crlf/")
        .has_link(".prose a", "/actors/bom/", "Bee");
}

#[test]
fn image_without_alt_is_an_error() {
    Fixture::new()
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01\nimage:\n  src: /x.jpg",
            "x\n",
        )
        .build()
        .fails()
        .has(&["content/analyses/a.md:5:3: the image is missing the required key `alt`"]);
}

#[test]
fn diagnostics_render_with_source_line_and_underline() {
    let b = Fixture::new()
        .actor("tokayev", ACTOR)
        .event("e", "title: E\ndate: 2022-01-05\nactors:\n  - tokayve\n")
        .build()
        .fails();
    let r = b.rendered();
    assert!(r.contains("error: unknown actor id `tokayve`"), "{r}");
    assert!(r.contains("--> content/events/e.yaml:4:5"), "{r}");
    assert!(r.contains("4 |   - tokayve"), "{r}");
    assert!(r.contains("^^^^^^^"), "{r}");
    assert!(r.contains("help: did you mean `tokayev`?"), "{r}");
}
