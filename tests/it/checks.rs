//! The configurable checks: each finds what it should, at the right place,
//! and `[checks]` / `--strict` decide whether it warns, fails or is silent.

use crate::harness::Fixture;

const SITE: &str = "title = \"T\"\nbase_url = \"https://example.org/\"\n";

fn with_checks(extra: &str) -> Fixture {
    Fixture::bare().file("site.toml", &format!("{SITE}[checks]\n{extra}"))
}

#[test]
fn unreferenced_actor_and_event_warn() {
    Fixture::new()
        .actor("lonely", "name: Lonely\nkind: person\n")
        .event("forgotten", "title: Forgotten\ndate: 2022-01-01\n")
        .build()
        .ok()
        .has(&["warning: content/actors/lonely.yaml:1:1: nothing refers to the actor `lonely` (Lonely)"])
        .has(&["warning: content/events/forgotten.yaml:1:1: nothing refers to the event `forgotten` (Forgotten)"]);
}

#[test]
fn actors_referenced_only_by_fact_sheets_are_referenced() {
    let b = Fixture::new()
        .actor("kz", "name: Kazakhstan\nkind: state\n")
        .actor("tokayev", "name: Tokayev\nkind: person\ncountry: kz\n")
        .event("e", "title: E\ndate: 2022-01-01\nactors: [tokayev]\n")
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01\nevents: [e]",
            "On [[e]].\n",
        )
        .build()
        .ok();
    assert!(b.short().is_empty(), "{}", b.short());
}

#[test]
fn listed_but_never_mentioned_points_at_the_list_entry() {
    Fixture::new()
        .actor("tokayev", "name: Tokayev\nkind: person\n")
        .actor("russia", "name: Russia\nkind: state\n")
        .analysis("a", "title: A\ndate: 2022-01-01\nactors: [tokayev, russia]", "Tokayev spoke.\n")
        .build()
        .ok()
        .has(&["warning: content/analyses/a.md:4:19: `russia` is listed in the front matter but the text never mentions it"]);
}

#[test]
fn mentioned_but_not_listed_is_off_unless_asked_for() {
    let site = |checks: &str| {
        with_checks(checks)
            .actor("tokayev", "name: Tokayev\nkind: person\n")
            .analysis("a", "title: A\ndate: 2022-01-01", "Tokayev spoke.\n")
    };
    let b = site("").build().ok();
    assert!(
        !b.short().contains("unlisted") && !b.short().contains("front matter does not list"),
        "{}",
        b.short()
    );
    // No `actors:` line: it points where the front matter ends.
    site("unlisted = \"warn\"\n")
        .build()
        .ok()
        .has(&[
            "warning: content/analyses/a.md:4:1: the text mentions `tokayev` but `actors:` does not list it",
            "write `actors: [tokayev]`",
        ]);
    // With one, at that line, with the list as it should be; events apart.
    with_checks("unlisted = \"warn\"\n")
        .actor("tokayev", "name: Tokayev\nkind: person\n")
        .actor("csto", "name: CSTO\nkind: organisation\n")
        .event("summit", "title: Summit\ndate: 2022-01-10\n")
        .analysis(
            "a",
            "title: A\ndate: 2022-01-20\nactors: [csto]\nevents: []",
            "Tokayev and the CSTO met at the [[summit]].\n",
        )
        .build()
        .ok()
        .has(&[
            "warning: content/analyses/a.md:4:1: the text mentions `tokayev` but `actors:` does not list it",
            "write `actors: [csto, tokayev]`",
        ])
        .has(&[
            "warning: content/analyses/a.md:5:1: the text mentions `summit` but `events:` does not list it",
        ]);
}

#[test]
fn stale_facts_warn_when_turned_on() {
    with_checks("stale_fact = \"warn\"\nstale_after_days = 30\n")
        .actor("x", "name: X\nkind: state\nfacts:\n  - {label: Population, value: \"19m\", as_of: 2020-01-01}\n")
        .analysis("a", "title: A\ndate: 2022-01-01\nactors: [x]", "X.\n")
        .build()
        .ok()
        .has(&["warning: content/actors/x.yaml:4:5: the fact `Population` is as of 2020-01-01, more than 30 days ago"]);
}

#[test]
fn a_disputed_value_without_a_source_warns() {
    Fixture::new()
        .event(
            "e",
            "title: E\ndate: 2022-01-01\nfacts:\n  - {label: Deaths, value: \"164\", source: {title: Ministry}}\n  - {label: Deaths, value: \"225\"}\n",
        )
        .analysis("a", "title: A\ndate: 2022-01-01\nevents: [e]", "[[e]]\n")
        .build()
        .ok()
        .has(&["warning: content/events/e.yaml:5:5: `Deaths` is disputed, but the value 225 has no source"]);
}

#[test]
fn malformed_links_warn_in_fact_sheets_and_bodies() {
    Fixture::new()
        .actor("x", "name: X\nkind: state\nlinks:\n  - {title: Site, url: \"htps://example.org\"}\n")
        .analysis("a", "title: A\ndate: 2022-01-01\nactors: [x]", "X, see [the report](https:/example.org/r).\n")
        .build()
        .ok()
        .has(&["warning: content/actors/x.yaml:4:24: `htps://example.org` is not a usable link: `htps:` is not a web address"])
        .has(&["warning: content/analyses/a.md:6:8: `https:/example.org/r` is not a usable link"]);
}

#[test]
fn a_country_that_is_not_a_state_warns() {
    Fixture::new()
        .actor("csto", "name: CSTO\nkind: organisation\n")
        .actor("x", "name: X\nkind: person\ncountry: csto\n")
        .analysis("a", "title: A\ndate: 2022-01-01\nactors: [x]", "X.\n")
        .build()
        .ok()
        .has(&["warning: content/actors/x.yaml:3:10: the country of `x` is `csto`, which is a organisation, not a state"]);
}

#[test]
fn an_event_that_ends_before_it_starts_warns() {
    Fixture::new()
        .event("e", "title: E\ndate: 2022-01-05\nend: 2022-01-01\n")
        .analysis("a", "title: A\ndate: 2022-01-01\nevents: [e]", "[[e]]\n")
        .build()
        .ok()
        .has(&["warning: content/events/e.yaml:3:6: this event ends (2022-01-01) before it starts (2022-01-05)"]);
}

#[test]
fn checks_can_be_errors_or_off() {
    let site = |checks: &str| with_checks(checks).actor("lonely", "name: Lonely\nkind: person\n");
    site("unreferenced = \"error\"\n")
        .build()
        .fails()
        .has(&["error: content/actors/lonely.yaml:1:1: nothing refers"]);
    let b = site("unreferenced = \"off\"\n").build().ok();
    assert!(b.short().is_empty(), "{}", b.short());
    // A misspelt check is an error with a did-you-mean.
    site("unreferencd = \"off\"\n")
        .build()
        .fails()
        .has(&["unknown key `unreferencd`", "did you mean `unreferenced`?"]);
    site("unreferenced = \"loud\"\n")
        .build()
        .fails()
        .has(&["site.toml:4:16"]);
}

#[test]
fn strict_turns_warnings_into_errors() {
    let s = Fixture::new().actor("lonely", "name: Lonely\nkind: person\n");
    let r = s.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning[unreferenced]: nothing refers to the actor `lonely`"),
        "{}",
        r.stderr
    );
    let r = s.run(&["check", "--strict"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[unreferenced]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("error: check failed: 1 error"),
        "{}",
        r.stderr
    );
}

#[test]
fn json_format_prints_one_object_per_line() {
    let s = Fixture::new()
        .actor("x", "name: X\nkind: persn\n")
        .file("content/notes.txt", "to do\n");
    let r = s.run(&["check", "--format", "json"]);
    assert_eq!(r.code, 1);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    let d = lines
        .iter()
        .find(|l| l["severity"] == "error")
        .expect("the error");
    assert_eq!(d["type"], "diagnostic");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "content/actors/x.yaml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(7))
    );
    assert_eq!(d["message"], "unknown actor kind `persn`");
    assert_eq!(d["hints"][0], "did you mean `person`?");
    let w = lines
        .iter()
        .find(|l| l["severity"] == "warning")
        .expect("the warning");
    assert_eq!(w["message"], "content/notes.txt is ignored");
    assert_eq!(lines[2]["type"], "summary");
    assert_eq!(
        (lines[2]["errors"].as_u64(), lines[2]["warnings"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(
        r.stderr.is_empty(),
        "JSON mode keeps stderr quiet: {}",
        r.stderr
    );
}
