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
    for cmd in ["build", "check", "init", "new"] {
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
fn new_creates_files_that_build() {
    let s = Fixture::bare();
    assert_eq!(s.run(&["init", "b"]).code, 0);
    for (kind, name, path) in [
        (
            "analysis",
            "What Next for Astana?",
            "b/content/analyses/what-next-for-astana.md",
        ),
        (
            "actor",
            "Karim Massimov",
            "b/content/actors/karim-massimov.yaml",
        ),
        (
            "event",
            "Massimov detained",
            "b/content/events/massimov-detained.yaml",
        ),
    ] {
        let r = s.run(&["new", kind, name, "--root", "b"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(s.root().join(path).exists(), "{path}");
    }
    let r = s.run(&["build", "--root", "b"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = s.run(&["new", "actor", "Karim Massimov", "--root", "b"]);
    assert_eq!(r.code, 2, "new must not overwrite");
}
