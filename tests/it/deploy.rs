//! Publishing (issue 14): `--base-url`, which builds a site for another
//! address than site.toml's (a branch preview, a subpath), checked from
//! the address the site is served at; `--format github` for CI annotations;
//! the GitHub Pages workflow that `dossier init --github-pages` writes.

use std::path::Path;

use crate::harness::{Fixture, broken_links, walk};

/// A small site in two languages that `dossier check --strict` passes:
/// an actor (translated), an event, an author, an analysis (translated).
fn site(base_url: &str) -> Fixture {
    Fixture::bare()
        .file(
            "site.toml",
            &format!(
                "title = \"Briefing\"\nbase_url = \"{base_url}\"\nlanguage = \"en\"\n\n[languages.ru]\ntitle = \"Брифинг\"\n"
            ),
        )
        .actor(
            "tokayev",
            "name: Kassym-Jomart Tokayev\nkind: person\nsummary: The President.\n",
        )
        .file(
            "content/actors/tokayev.ru.yaml",
            "name: Касым-Жомарт Токаев\nsummary: Президент.\n",
        )
        .event(
            "request",
            "title: Tokayev asks the CSTO for help\ndate: 2022-01-05\nactors: [tokayev]\n",
        )
        .file(
            "content/authors/weber.yaml",
            "name: Jonas Weber\nbio: Writes about security.\n",
        )
        .analysis(
            "first",
            "title: The first deployment\ndate: 2022-01-24\nauthors: [weber]\nactors: [tokayev]\nevents: [request]",
            "[[tokayev]] asked for help on the night of [[request]].\n",
        )
        .file(
            "content/analyses/first.ru.md",
            "---\ntitle: Первая операция\ndate: 2022-01-27\ntranslator: weber\n---\nПросьба Токаева ([[request]]) изменила всё.\n",
        )
}

/// The path of a URL, as dossier normalises it: `https://a.b/x` → `/x/`.
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let mut path = rest
        .find('/')
        .map_or("/".to_string(), |i| rest[i..].to_string());
    if !path.ends_with('/') {
        path.push('/');
    }
    while path.contains("//") {
        path = path.replace("//", "/");
    }
    path
}

/// `url` with its path normalised as dossier does: `https://a.b/x/`.
fn normalised(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}{}", path_of(url))
}

/// Asserts that the folder a host publishes holds the site built for
/// `served_at`, the address the host serves it at: every link resolves
/// there, in both languages, and permalinks, feeds and the sitemap name it.
/// `site_toml_url`, when it is not that address, appears nowhere.
#[track_caller]
fn assert_served(published: &Path, served_at: &str, site_toml_url: &str) {
    let served_at = normalised(served_at);
    for page in [
        "index.html",
        "404.html",
        "ru/index.html",
        "feed.xml",
        "sitemap.xml",
    ] {
        assert!(
            published.join(page).exists(),
            "{} lacks {page}; it holds {:?}",
            published.display(),
            walk(published)
        );
    }
    let broken = broken_links(published, &path_of(&served_at));
    assert!(broken.is_empty(), "served at {served_at}: {broken:#?}");
    let read = |f: &str| std::fs::read_to_string(published.join(f)).unwrap();
    let home = read("index.html");
    assert!(
        home.contains(&format!("<link rel=\"canonical\" href=\"{served_at}\">")),
        "the home page's canonical link is not {served_at}"
    );
    assert!(
        read("ru/index.html").contains(&format!("href=\"{served_at}ru/\"")),
        "the Russian edition is not under {served_at}ru/"
    );
    assert!(
        read("feed.xml").contains(&format!("<id>{served_at}feed.xml</id>")),
        "the feed is not {served_at}feed.xml"
    );
    assert!(
        read("sitemap.xml").contains(&format!("<loc>{served_at}</loc>")),
        "the sitemap does not list {served_at}"
    );
    if normalised(site_toml_url) != served_at {
        for file in walk(published) {
            let text = String::from_utf8_lossy(&std::fs::read(published.join(&file)).unwrap())
                .into_owned();
            assert!(
                !text.contains(site_toml_url),
                "{file} still names site.toml's {site_toml_url}"
            );
        }
    }
}

#[test]
fn base_url_flag_moves_links_permalinks_feeds_and_sitemap() {
    let s = site("https://example.org/");
    let r = s.run(&["build", "--base-url", "https://preview.example.net/pr-7/"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("into ./public for https://preview.example.net/pr-7/ in "),
        "{}",
        r.stdout
    );
    let public = s.root().join("public");
    assert_served(
        &public,
        "https://preview.example.net/pr-7/",
        "https://example.org/",
    );
    // The Russian edition's pages link each other under /pr-7/ru/.
    let ru = std::fs::read_to_string(public.join("ru/analyses/first/index.html")).unwrap();
    assert!(ru.contains("href=\"/pr-7/ru/events/request/\""), "{ru}");
    // Without a path, and without a trailing slash: one is added, as for
    // site.toml's base_url.
    let r = s.run(&["build", "--base-url", "https://preview.example.net"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_served(
        &public,
        "https://preview.example.net/",
        "https://example.org/",
    );
    let r = s.run(&["build", "--base-url", "https://preview.example.net/a/b//"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_served(
        &public,
        "https://preview.example.net/a/b/",
        "https://example.org/",
    );
}

#[test]
fn check_takes_base_url_and_site_toml_may_leave_it_out() {
    let s = site("https://example.org/").file(
        "site.toml",
        "title = \"Briefing\"\n\n[languages.ru]\ntitle = \"Брифинг\"\n",
    );
    let r = s.run(&["check", "--strict"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("site.toml is missing the required key `base_url`"),
        "{}",
        r.stderr
    );
    let r = s.run(&["check", "--strict", "--base-url", "https://example.org/x/"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Checked ") && r.stdout.contains(" for https://example.org/x/ "),
        "{}",
        r.stdout
    );
}

#[test]
fn a_bad_base_url_flag_is_a_usage_error_that_names_the_flag() {
    let s = site("https://example.org/");
    for (given, why) in [
        ("example.org", "it has no scheme"),
        (
            "ftp://example.org/",
            "its scheme `ftp` is not http or https",
        ),
        ("https://example.org/../x", "its path contains `.` or `..`"),
        ("https://example.org/?a=1", "it has a query or fragment"),
        ("https:///x", "it has no host"),
        ("https://ex ample.org/", "it contains whitespace"),
    ] {
        for command in ["build", "check"] {
            let r = s.run(&[command, "--base-url", given]);
            assert_eq!(r.code, 2, "{command} --base-url {given}: {}", r.stderr);
            assert!(
                r.stderr.contains(&format!(
                    "error: `--base-url {given}` is not a usable URL: {why}"
                )) && r
                    .stderr
                    .contains("help: give the address the site will be served from"),
                "{}",
                r.stderr
            );
            // A flag has no file position.
            assert!(!r.stderr.contains("-->"), "{}", r.stderr);
        }
    }
    assert!(!s.root().join("public").exists());
    // An unset variable: `--base-url "$DEPLOY_PRIME_URL/"`.
    for given in ["/", "", "  "] {
        let r = s.run(&["build", "--base-url", given]);
        assert_eq!(r.code, 2);
        assert!(
            r.stderr
                .contains("it is empty: if it comes from a variable"),
            "{}",
            r.stderr
        );
    }
    // In JSON or GitHub format too, a usage error is said to people.
    let r = s.run(&["check", "--format", "json", "--base-url", "x"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty() && r.stderr.contains("`--base-url x`"));
}

#[test]
fn library_callers_get_the_same_diagnostic_for_a_bad_base_url() {
    let s = site("https://example.org/");
    let b = s
        .build_with(|o| o.base_url = Some("example.org/x".into()))
        .fails();
    assert!(
        b.short()
            .contains("error: `--base-url example.org/x` is not a usable URL: it has no scheme"),
        "{}",
        b.short()
    );
    // The same rules as site.toml's key; the same normalisation.
    let b = s
        .build_with(|o| o.base_url = Some("http://localhost:8000/sub".into()))
        .ok();
    assert_eq!(
        b.outcome.site.as_ref().map(|s| s.base_url.as_str()),
        Some("http://localhost:8000/sub/")
    );
    assert!(broken_links(&b.output, "/sub/").is_empty());
}

#[test]
fn format_github_prints_one_workflow_command_per_diagnostic() {
    let s = Fixture::new()
        .actor("x", "name: X\nkind: persn\n")
        .actor("y", "name: Y\nkind: person\n");
    let r = s.run(&["check", "--format", "github"]);
    assert_eq!(r.code, 1);
    let commands: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(
        commands,
        [
            "::error file=content/actors/x.yaml,line=2,col=7,title=dossier::unknown actor kind `persn` (help: did you mean `person`?) (help: the kinds are: person, organisation, state, group, place)"
        ],
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("error: check failed: 1 error"),
        "{}",
        r.stderr
    );
    // Warnings are `::warning`, titled with their check; a build says the
    // same, and then builds.
    let s = Fixture::new().actor("lonely", "name: Lonely\nkind: person\n");
    let r = s.run(&["build", "--format", "github"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "::warning file=content/actors/lonely.yaml,line=1,col=1,title=dossier (unreferenced)::nothing refers to the actor `lonely` (Lonely) (help: mention it in an analysis or link it from another fact sheet; or set `unreferenced = \"off\"` under [checks])"
        ),
        "{}",
        r.stdout
    );
    assert!(lines.next().is_some_and(|l| l.starts_with("Built ")));
    // With --strict the warning is an error, and the exit code says so.
    let r = s.run(&["check", "--strict", "--format", "github"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with(
        "::error file=content/actors/lonely.yaml,line=1,col=1,title=dossier (unreferenced)::"
    ));
    // A problem of no file: no file=.
    let r = Fixture::bare().run(&["check", "--format", "github"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .starts_with("::error title=dossier::cannot read site.toml (help: "),
        "{}",
        r.stdout
    );
}

#[test]
fn format_github_paths_are_relative_to_the_workspace() {
    // A site in a subfolder of the repository, checked from the
    // repository's root or from the site's folder.
    let s = Fixture::bare()
        .file("site/site.toml", crate::harness::SITE_TOML)
        .file("site/content/actors/x.yaml", "name: X\nkind: persn\n");
    let r = s.run(&["check", "--root", "site", "--format", "github"]);
    assert!(
        r.stdout
            .starts_with("::error file=site/content/actors/x.yaml,line=2,col=7,"),
        "{}",
        r.stdout
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "--format", "github"])
        .current_dir(s.root().join("site"))
        .env("GITHUB_WORKSPACE", s.root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("::error file=site/content/actors/x.yaml,line=2,col=7,"),
        "{stdout}"
    );
}

/// The workflow `dossier init --github-pages` writes, parsed.
fn workflow() -> serde_json::Value {
    serde_saphyr::from_str(dossier::GITHUB_PAGES_WORKFLOW).expect("the workflow is YAML")
}

/// The steps of the workflow's `build` job.
fn steps(w: &serde_json::Value) -> Vec<serde_json::Value> {
    w["jobs"]["build"]["steps"]
        .as_array()
        .expect("a list of steps")
        .clone()
}

#[test]
fn the_pages_workflow_checks_builds_for_the_pages_address_and_deploys() {
    let text = dossier::GITHUB_PAGES_WORKFLOW;
    assert!(!text.contains('\t'), "YAML takes no tabs");
    let w = workflow();
    assert_eq!(w["on"]["push"]["branches"], serde_json::json!(["main"]));
    assert!(w["on"].get("pull_request").is_some(), "{}", w["on"]);
    assert_eq!(w["permissions"]["pages"], "write");
    assert_eq!(w["permissions"]["id-token"], "write");
    // The one thing to set, at the top.
    assert!(w["env"]["DOSSIER_GIT"].is_string());
    let steps = steps(&w);
    let run_of = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .and_then(|s| s["run"].as_str())
            .unwrap_or_else(|| panic!("no step {name}"))
            .to_string()
    };
    assert_eq!(
        run_of("Check the site"),
        "dossier check --strict --format github"
    );
    assert_eq!(
        run_of("Build the site"),
        "dossier build --base-url \"${{ steps.pages.outputs.base_url }}/\""
    );
    assert!(run_of("Install dossier").starts_with("cargo install --locked "));
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    for action in [
        "actions/checkout@",
        "actions/cache@",
        "dtolnay/rust-toolchain@",
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "{action}: {uses:?}"
        );
    }
    let cache = steps.iter().find(|s| s["id"] == "cache").unwrap();
    assert!(
        cache["with"]["path"]
            .as_str()
            .unwrap()
            .contains("~/.cargo/bin/dossier")
    );
    let deploy = &w["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert!(
        deploy["steps"][0]["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/deploy-pages@")
    );
}

#[test]
fn init_github_pages_writes_the_workflow_and_the_site_still_builds() {
    let s = Fixture::bare();
    let r = s.run(&["init", "brief", "--github-pages"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("set DOSSIER_GIT"), "{}", r.stdout);
    let written = std::fs::read_to_string(s.root().join("brief/.github/workflows/pages.yml"))
        .expect("the workflow");
    assert_eq!(written, dossier::GITHUB_PAGES_WORKFLOW);
    let r = s.run(&["check", "--root", "brief", "--strict"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = s.run(&["build", "--root", "brief"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Without the flag, no workflow.
    assert_eq!(s.run(&["init", "plain"]).code, 0);
    assert!(!s.root().join("plain/.github").exists());
    assert!(s.root().join("plain/site.toml").exists());
}
