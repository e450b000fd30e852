//! The binary as a user runs it: exit codes, summaries, init and new.

use crate::harness::Fixture;

#[test]
fn build_prints_a_summary_and_exits_zero() {
    let s = Fixture::new().actor("x", "name: X\nkind: person\n");
    let r = s.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("Built ") && r.stdout.contains(" pages "),
        "{}",
        r.stdout
    );
}

#[test]
fn content_errors_exit_one_and_print_diagnostics() {
    let s = Fixture::new().actor("x", "name: X\nkind: persn\n");
    let r = s.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: unknown actor kind `persn`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("--> content/actors/x.yaml:2:7"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("error: build failed: 1 error; the previous output was left as it was"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_reports_the_same_errors_and_writes_nothing() {
    let s = Fixture::new().actor("x", "name: X\nkind: persn\n");
    let r = s.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unknown actor kind"), "{}", r.stderr);
    let s = Fixture::new().actor("x", "name: X\nkind: person\n");
    let r = s.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!s.root().join("public").exists());
}

/// `check` renders every page for its errors without keeping it: a
/// template that fails on one page fails the check, named as a build
/// names it.
#[test]
fn check_reports_an_error_a_template_makes_on_one_page() {
    let theme = "themes/default/templates/actor.html";
    let failing = "{% extends \"base.html\" %}\n{% block content %}\n{% if page.name == \"Y\" %}{{ page.nmae }}{% endif %}\n{% endblock content %}\n";
    let s = Fixture::new()
        .file(theme, failing)
        .actor("x", "name: X\nkind: person\n")
        .actor("y", "name: Y\nkind: person\n");
    let r = s.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("actor.html:3:") && r.stderr.contains("nmae"),
        "{}",
        r.stderr
    );
    assert!(!s.root().join("public").exists());
    let built = s.run(&["build"]);
    assert_eq!(built.code, 1, "{}", built.stderr);
}

#[test]
fn usage_errors_exit_two() {
    let s = Fixture::bare();
    let r = s.run(&["build"]);
    assert_eq!(
        r.code, 1,
        "missing site.toml is a content error: {}",
        r.stderr
    );
    assert!(r.stderr.contains("cannot read site.toml"), "{}", r.stderr);
    let r = s.run(&["biuld"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("build"), "{}", r.stderr);
}

#[test]
fn help_is_available_for_every_command() {
    let s = Fixture::bare();
    for cmd in ["build", "check", "init", "new", "theme", "schema"] {
        let r = s.run(&[cmd, "--help"]);
        assert_eq!(r.code, 0);
        assert!(r.stdout.contains("Usage: dossier"), "{cmd}: {}", r.stdout);
    }
}

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let s = Fixture::bare();
    let r = s.run(&["init", "brief"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = s.run(&["build", "--root", "brief"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.is_empty(),
        "warnings on a fresh site: {}",
        r.stderr
    );
    assert!(
        s.root()
            .join("brief/public/analyses/welcome/index.html")
            .exists()
    );
    let r = s.run(&["init", "brief"]);
    assert_eq!(r.code, 2, "init must not overwrite");
}

#[test]
fn init_with_theme_copies_the_default_theme() {
    let s = Fixture::bare();
    assert_eq!(s.run(&["init", "brief", "--theme"]).code, 0);
    assert!(
        s.root()
            .join("brief/themes/default/templates/base.html")
            .exists()
    );
    assert!(
        s.root()
            .join("brief/themes/default/static/style.css")
            .exists()
    );
    assert_eq!(s.run(&["build", "--root", "brief"]).code, 0);
}

#[test]
fn new_creates_files_that_build_on_any_site() {
    let s = Fixture::bare();
    assert_eq!(s.run(&["init", "b"]).code, 0);
    // Without the starter files: nothing `new` writes may lean on them.
    for f in [
        "b/content/analyses/welcome.md",
        "b/content/actors/example-actor.yaml",
        "b/content/events/example-event.yaml",
    ] {
        std::fs::remove_file(s.root().join(f)).unwrap();
    }
    for (args, path) in [
        (
            &["analysis", "What Next for Astana?"][..],
            "b/content/analyses/what-next-for-astana.md",
        ),
        (
            &["actor", "Karim Massimov", "--kind", "person"][..],
            "b/content/actors/karim-massimov.yaml",
        ),
        (&["actor", "Nur Otan"][..], "b/content/actors/nur-otan.yaml"),
        (
            &["event", "Massimov detained"][..],
            "b/content/events/massimov-detained.yaml",
        ),
        (
            &["source", "Akorda decree"][..],
            "b/content/sources/akorda-decree.yaml",
        ),
        (
            &["author", "Jane Analyst"][..],
            "b/content/authors/jane-analyst.yaml",
        ),
    ] {
        let mut full = vec!["new"];
        full.extend_from_slice(args);
        full.extend_from_slice(&["--root", "b"]);
        let r = s.run(&full);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(s.root().join(path).exists(), "{path}");
    }
    let actor =
        std::fs::read_to_string(s.root().join("b/content/actors/karim-massimov.yaml")).unwrap();
    assert!(actor.contains("kind: person"), "{actor}");
    assert!(
        !actor.contains("label: Founded"),
        "no invented fact: {actor}"
    );
    let analysis =
        std::fs::read_to_string(s.root().join("b/content/analyses/what-next-for-astana.md"))
            .unwrap();
    assert!(analysis.contains("draft: true"), "{analysis}");
    // It builds, drafts included, and the texts left to replace are named
    // where they are.
    let r = s.run(&["build", "--root", "b", "--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("error"), "{}", r.stderr);
    assert!(
        r.stderr.contains("warning[placeholder]: this is still the text `dossier new` wrote: \"What this actor is, in a few words.\"")
            && r.stderr.contains("--> content/actors/karim-massimov.yaml:5:8")
            && r.stderr.contains("--> content/analyses/what-next-for-astana.md:4:11"),
        "{}",
        r.stderr
    );
    let r = s.run(&["new", "actor", "Karim Massimov", "--root", "b"]);
    assert_eq!(r.code, 2, "new must not overwrite");
}

#[test]
fn new_refuses_an_unknown_kind_and_a_kind_for_anything_but_an_actor() {
    let s = Fixture::new();
    let r = s.run(&["new", "actor", "X", "--kind", "persn"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "unknown kind of actor `persn`; the kinds are person, organisation, state, group, place"
        ),
        "{}",
        r.stderr
    );
    let r = s.run(&["new", "event", "X", "--kind", "person"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--kind is for actors"), "{}", r.stderr);
    // Without --kind the output says which kind it chose.
    let r = s.run(&["new", "actor", "Acme"]);
    assert!(
        r.stdout
            .contains("It is an organisation; choose another kind with --kind"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_theme_is_copied_into_an_existing_site_a_file_or_all() {
    let s = Fixture::new();
    let r = s.run(&["theme", "actor.html"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Copied templates/actor.html into"),
        "{}",
        r.stdout
    );
    let actor = s.root().join("themes/default/templates/actor.html");
    assert!(actor.exists());
    assert!(!s.root().join("themes/default/templates/base.html").exists());
    // The author's edit survives copying the rest.
    std::fs::write(
        &actor,
        "{% extends \"base.html\" %}{% block content %}Mine{% endblock content %}",
    )
    .unwrap();
    let r = s.run(&["theme"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Kept your"), "{}", r.stdout);
    assert!(s.root().join("themes/default/static/style.css").exists());
    assert!(std::fs::read_to_string(&actor).unwrap().contains("Mine"));
    let r = s.run(&["theme", "actr.html"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `actor.html`?"),
        "{}",
        r.stderr
    );
    // init points there when the folder is not empty.
    let r = s.run(&["init", "."]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("run `dossier theme --root .`"),
        "{}",
        r.stderr
    );
}

#[test]
fn init_wires_editors_to_the_site_s_schemas() {
    let s = Fixture::bare();
    assert_eq!(s.run(&["init", "b"]).code, 0);
    let b = s.root().join("b");
    let settings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(b.join(".vscode/settings.json")).unwrap())
            .unwrap();
    let mapped = settings["yaml.schemas"].as_object().unwrap();
    for (schema, globs) in mapped {
        // Each mapped schema exists, relative to the site as VS Code reads it.
        assert!(b.join(schema).is_file(), "{schema}");
        assert!(globs.is_array());
    }
    assert!(mapped.contains_key("./.dossier/schemas/actor.json"));
    let actor = std::fs::read_to_string(b.join(".dossier/schemas/actor.json")).unwrap();
    assert!(
        actor.contains("\"example-actor\""),
        "the site's ids are offered"
    );
    assert_eq!(
        std::fs::read_to_string(b.join(".gitignore")).unwrap(),
        "public/\n.dossier/\n"
    );
}

#[test]
fn schema_writes_the_site_s_schemas_and_merges_editor_settings() {
    let s = Fixture::new()
        .actor("tokayev", "name: Tokayev\nkind: person\n")
        .file(".vscode/settings.json", "{\"editor.wordWrap\": \"on\"}");
    let r = s.run(&["schema", "--vscode"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Wrote 11 schemas into .dossier/schemas"),
        "{}",
        r.stdout
    );
    let settings = std::fs::read_to_string(s.root().join(".vscode/settings.json")).unwrap();
    assert!(settings.contains("\"editor.wordWrap\": \"on\"") && settings.contains("yaml.schemas"));
    let actor = std::fs::read_to_string(s.root().join(".dossier/schemas/actor.json")).unwrap();
    assert!(actor.contains("\"tokayev\""));
    // Into a folder of one's choice; and outside a site, a clear refusal.
    assert_eq!(s.run(&["schema", "schemas"]).code, 0);
    assert!(s.root().join("schemas/event.json").is_file());
    let r = Fixture::bare().run(&["schema"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("has no site.toml"), "{}", r.stderr);
}

#[test]
fn timings_name_every_stage_on_stderr_and_in_json() {
    let s = Fixture::new()
        .actor("x", "name: X\nkind: person\n")
        .analysis("a", "title: A\ndate: 2022-01-01", "[[x]]\n");
    let r = s.run(&["build", "--timings"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("Built "),
        "the summary stays alone on stdout: {}",
        r.stdout
    );
    for stage in [
        "load", "model", "link", "related", "checks", "render", "write",
    ] {
        assert!(
            r.stderr.lines().any(|l| {
                let l = l.trim_start();
                // On Linux each stage also gives the peak memory after it.
                l.starts_with(stage)
                    && (l.ends_with('%') || (l.ends_with(" MiB") && l.contains(" % ")))
            }),
            "{stage}: {}",
            r.stderr
        );
    }
    #[cfg(target_os = "linux")]
    assert!(
        r.stderr
            .lines()
            .any(|l| l.trim_start().starts_with("render") && l.ends_with(" MiB")),
        "the peak memory after each stage: {}",
        r.stderr
    );
    let r = s.run(&["check", "--timings", "--format", "json"]);
    let summary: serde_json::Value =
        serde_json::from_str(r.stdout.lines().last().unwrap()).unwrap();
    let stages: Vec<&str> = summary["timings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["stage"].as_str().unwrap())
        .collect();
    assert!(
        stages.contains(&"render") && !stages.contains(&"write"),
        "{stages:?}"
    );
    #[cfg(target_os = "linux")]
    assert!(
        summary["timings"][0]["peak_bytes"].as_u64().unwrap_or(0) > 0,
        "{summary}"
    );
}
