//! The output folder: replaced atomically by a good build, left untouched by
//! a failed one, stale files removed, never a folder dossier did not make.

use crate::harness::Fixture;

fn site() -> Fixture {
    Fixture::new()
        .actor("x", "name: X\nkind: person\n")
        .analysis("a", "title: A\ndate: 2022-01-01", "About X.\n")
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let s = site();
    let before = s.build().ok();
    let files = before.files();
    let page = before.page("analyses/a/").html;
    let s = s.actor("y", "name: [broken\n");
    let after = s.build().fails();
    assert_eq!(after.files(), files);
    assert_eq!(after.page("analyses/a/").html, page);
}

#[test]
fn good_build_removes_stale_files() {
    let s = site();
    let b = s.build().ok();
    assert!(b.exists("actors/x/index.html"));
    let s = s.remove("content/actors/x.yaml");
    let b = s.build().ok();
    assert!(!b.exists("actors/x/index.html"));
    assert!(!b.exists("actors/x"));
    // No staging folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(s.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".dossier"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let s = site().file("public/precious.txt", "keep me");
    let b = s.build();
    assert!(matches!(
        b.outcome.result,
        Err(dossier::Failure::Write(dossier::WriteError::Foreign(_)))
    ));
    assert_eq!(
        std::fs::read_to_string(s.root().join("public/precious.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn output_inside_content_is_rejected() {
    site()
        .build_with(|o| o.output = Some(o.root.join("content/out")))
        .fails()
        .has(&["would overwrite the site's own files"]);
}

#[test]
fn output_option_overrides_output_dir() {
    let s = site().file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\noutput_dir = \"dist\"\n",
    );
    let b = s.build_with(|o| o.output = None);
    assert!(s.root().join("dist/index.html").exists(), "{}", b.short());
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("site");
    s.build_with(|o| o.output = Some(target.clone())).ok();
    assert!(target.join("analyses/a/index.html").exists());
}

#[test]
fn check_writes_nothing() {
    let s = site();
    s.check().ok();
    assert!(!s.root().join("public").exists());
}

#[test]
fn theme_can_override_a_single_template_and_static_file() {
    let b = site()
        .file(
            "themes/default/templates/404.html",
            "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">Lost?</p>{% endblock content %}",
        )
        .file("themes/default/static/style.css", "body { color: red }")
        .file("static/images/map.svg", "<svg/>")
        .build()
        .ok();
    b.page("404.html").contains("<p class=\"custom\">Lost?</p>");
    // Other templates still come from the built-in theme.
    b.page("analyses/a/").contains("class=\"prose\"");
    assert_eq!(
        std::fs::read_to_string(b.output.join("style.css")).unwrap(),
        "body { color: red }"
    );
    assert!(b.exists("images/map.svg"));
}

#[test]
fn static_file_cannot_overwrite_a_page() {
    site()
        .file("static/analyses/a/index.html", "x")
        .build()
        .fails()
        .has(&["the static file `analyses/a/index.html` would overwrite a generated page"]);
}

#[test]
fn builds_are_deterministic() {
    let s = site()
        .actor("y", "name: Y\nkind: group\naliases: [Why]\n")
        .event("e", "title: E\ndate: 2022-01-01\nactors: [x, y]\n");
    let first = s.build().ok();
    let a: Vec<(String, Vec<u8>)> = first
        .files()
        .into_iter()
        .map(|f| {
            let b = std::fs::read(first.output.join(&f)).unwrap();
            (f, b)
        })
        .collect();
    let second = s.build().ok();
    let b: Vec<(String, Vec<u8>)> = second
        .files()
        .into_iter()
        .map(|f| {
            let b = std::fs::read(second.output.join(&f)).unwrap();
            (f, b)
        })
        .collect();
    assert_eq!(a, b);
}
