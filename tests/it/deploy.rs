//! Publishing (issue 14): `--base-url` for previews and subpaths,
//! `--format github` for CI annotations, the GitHub Pages workflow that
//! `dossier init --github-pages` writes, and the recipes of docs/deploy.md,
//! run as written: their files written into a site, their commands run by
//! `sh` with each host's variables set, and the folder the host publishes
//! checked from the address it serves it at.

use std::path::{Path, PathBuf};

use crate::harness::{Fixture, broken_links, walk};

const DOCS: &str = include_str!("../../docs/deploy.md");

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

/// A fenced block of docs/deploy.md: ```` ```lang key=value… ````.
struct Block {
    lang: String,
    tags: Vec<(String, String)>,
    text: String,
}

impl Block {
    fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn blocks() -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = DOCS.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut words = info.split_whitespace();
        let lang = words.next().unwrap_or("").to_string();
        let tags = words
            .filter_map(|w| w.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut text = String::new();
        for l in lines.by_ref() {
            if l == "```" {
                break;
            }
            text.push_str(l);
            text.push('\n');
        }
        out.push(Block { lang, tags, text });
    }
    out
}

/// The blocks of a recipe, at least one.
fn recipe(name: &str) -> Vec<Block> {
    let found: Vec<Block> = blocks()
        .into_iter()
        .filter(|b| b.tag("recipe") == Some(name))
        .collect();
    assert!(!found.is_empty(), "docs/deploy.md has no recipe={name}");
    found
}

#[test]
fn the_docs_quote_the_workflow_dossier_init_writes() {
    let github = recipe("github");
    assert_eq!(github.len(), 1);
    assert_eq!(
        github[0].tag("file"),
        Some(dossier::GITHUB_PAGES_WORKFLOW_PATH)
    );
    assert_eq!(
        github[0].text,
        dossier::GITHUB_PAGES_WORKFLOW,
        "docs/deploy.md must quote src/init/github-pages.yml as it is"
    );
    // Every recipe's configuration parses in its language.
    for b in blocks() {
        match b.lang.as_str() {
            "yaml" => {
                serde_saphyr::from_str::<serde_json::Value>(&b.text)
                    .unwrap_or_else(|e| panic!("{e}\n{}", b.text));
            }
            "toml" => {
                b.text
                    .parse::<toml::Table>()
                    .unwrap_or_else(|e| panic!("{e}\n{}", b.text));
            }
            _ => {}
        }
    }
}

/// Running recipes as a host would: `sh` with the host's variables, and
/// stand-ins for what installs Rust and dossier and for the network.
#[cfg(unix)]
mod recipes {
    use super::*;

    /// Where a recipe's commands run: the site, and a folder of stand-ins
    /// first on `PATH` (`dossier` is the binary under test; `curl` and
    /// `cargo` install nothing; `rsync` copies to a local "server"; `git`
    /// names a branch), with a `HOME` whose `.cargo/env` exists.
    pub(super) struct Host {
        pub site: Fixture,
        tools: tempfile::TempDir,
        env: Vec<(String, String)>,
    }

    impl Host {
        pub fn new(site: Fixture) -> Host {
            use std::os::unix::fs::PermissionsExt;
            let tools = tempfile::tempdir().unwrap();
            let bin = tools.path().join("bin");
            std::fs::create_dir_all(&bin).unwrap();
            std::fs::create_dir_all(tools.path().join("home/.cargo")).unwrap();
            std::fs::write(tools.path().join("home/.cargo/env"), "").unwrap();
            std::fs::create_dir_all(tools.path().join("server")).unwrap();
            let stub = |name: &str, body: &str| {
                let p = bin.join(name);
                std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
            };
            stub(
                "dossier",
                &format!("exec '{}' \"$@\"", env!("CARGO_BIN_EXE_dossier")),
            );
            stub("curl", "exit 0");
            stub("cargo", "exit 0");
            stub("git", "echo \"$FAKE_GIT_BRANCH\"");
            // rsync [options] SOURCE/ HOST:DEST/ → $FAKE_SERVER/DEST/, as
            // `--delete` leaves it: only what SOURCE holds.
            stub(
                "rsync",
                "for a in \"$@\"; do src=$dst; dst=$a; done\n\
                 dest=\"$FAKE_SERVER/${dst#*:}\"\n\
                 rm -rf \"$dest\" && mkdir -p \"$dest\" && cp -R \"$src\". \"$dest\"\n\
                 echo \"${dst#*:}\" >> \"$FAKE_SERVER/.deployed\"",
            );
            let env = vec![
                (
                    "PATH".to_string(),
                    format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display()),
                ),
                (
                    "HOME".to_string(),
                    tools.path().join("home").display().to_string(),
                ),
                (
                    "FAKE_SERVER".to_string(),
                    tools.path().join("server").display().to_string(),
                ),
                ("NO_COLOR".to_string(), "1".to_string()),
            ];
            Host { site, tools, env }
        }

        pub fn var(mut self, name: &str, value: &str) -> Host {
            self.env.push((name.to_string(), value.to_string()));
            self
        }

        /// Writes a recipe's block as the file it names.
        pub fn write(&self, block: &Block) {
            let file = block.tag("file").expect("a block with file=");
            let p = self.site.root().join(file);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, &block.text).unwrap();
        }

        /// Runs `script` with `sh` in the site, with only the host's
        /// variables, and asserts it succeeds.
        #[track_caller]
        pub fn sh(&self, script: &str) {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(script)
                .current_dir(self.site.root())
                .env_clear()
                .envs(self.env.iter().map(|(k, v)| (k, v)))
                .output()
                .expect("run sh");
            assert!(
                out.status.success(),
                "{script}\nexited with {}:\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }

        pub fn path(&self, folder: &str) -> PathBuf {
            self.site.root().join(folder)
        }

        /// The folders the stand-in for rsync copied to, on the "server".
        pub fn deployed(&self) -> Vec<PathBuf> {
            let server = self.tools.path().join("server");
            std::fs::read_to_string(server.join(".deployed"))
                .unwrap_or_default()
                .lines()
                .map(|d| server.join(d.trim_start_matches('/')))
                .collect()
        }
    }

    /// GitHub Pages: the workflow's steps that run dossier, with
    /// `${{ steps.pages.outputs.base_url }}` as configure-pages gives it
    /// (no trailing slash), for a push or a pull request.
    fn github(base_url: &str, event: &str) -> Host {
        let host = Host::new(site("https://example.org/"));
        let w = workflow();
        for step in steps(&w) {
            let Some(run) = step["run"].as_str().filter(|r| r.starts_with("dossier ")) else {
                continue;
            };
            match step["if"].as_str() {
                None => {}
                Some("github.event_name != 'pull_request'") if event == "pull_request" => continue,
                Some("github.event_name != 'pull_request'") => {}
                Some(other) => panic!("a condition the test does not know: {other}"),
            }
            let run = run.replace("${{ steps.pages.outputs.base_url }}", base_url);
            assert!(
                !run.contains("${{"),
                "an expression the test does not know: {run}"
            );
            host.sh(&run);
        }
        host
    }

    /// The folder the workflow uploads to Pages.
    fn github_published() -> String {
        let w = workflow();
        steps(&w)
            .iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
            })
            .and_then(|s| s["with"]["path"].as_str())
            .expect("an upload-pages-artifact step with a path")
            .to_string()
    }

    #[test]
    fn github_pages_recipe_serves_project_user_and_custom_domain_sites() {
        let published = github_published();
        for base_url in [
            "https://octocat.github.io/briefing",
            "https://octocat.github.io",
            "https://briefing.example.org",
        ] {
            let host = github(base_url, "push");
            assert_served(
                &host.path(&published),
                &format!("{base_url}/"),
                "https://example.org/",
            );
        }
        // A pull request is checked, not built.
        let host = github("https://octocat.github.io/briefing", "pull_request");
        assert!(!host.path(&published).exists());
    }

    /// GitLab Pages: a job of the recipe's .gitlab-ci.yml, its
    /// `default: before_script` then its `script`.
    fn gitlab(job: &str, pages_url: &str) -> (Host, String) {
        let blocks = recipe("gitlab");
        let ci: serde_json::Value = serde_saphyr::from_str(&blocks[0].text).unwrap();
        let j = &ci[job];
        assert!(
            job == "pages" || j.get("pages").is_some(),
            "{job} is not a Pages job"
        );
        // GitLab publishes public/ unless pages.publish says otherwise.
        assert!(j["pages"].get("publish").is_none());
        assert_eq!(j["artifacts"]["paths"], serde_json::json!(["public"]));
        let lines: Vec<&str> = ci["default"]["before_script"]
            .as_array()
            .unwrap()
            .iter()
            .chain(j["script"].as_array().unwrap())
            .map(|l| l.as_str().unwrap())
            .collect();
        let mut host = Host::new(site("https://example.org/"))
            .var("CI_PAGES_URL", pages_url)
            .var("CI_MERGE_REQUEST_IID", "7");
        if let Some(vars) = ci["variables"].as_object() {
            for (k, v) in vars {
                host = host.var(k, v.as_str().unwrap());
            }
        }
        host.sh(&format!("set -eu\n{}", lines.join("\n")));
        (host, "public".to_string())
    }

    #[test]
    fn gitlab_pages_recipe_serves_the_project_site_and_merge_request_previews() {
        for (job, pages_url) in [
            ("pages", "https://group.gitlab.io/briefing"),
            ("pages", "https://briefing-123456.gitlab.io"),
            // Parallel deployments: $CI_PAGES_URL has the path prefix.
            ("pages-preview", "https://group.gitlab.io/briefing/mr-7"),
        ] {
            let (host, published) = gitlab(job, pages_url);
            assert_served(
                &host.path(&published),
                &format!("{pages_url}/"),
                "https://example.org/",
            );
        }
    }

    /// Netlify: the recipe's files written, netlify.toml's build command
    /// run with its environment and Netlify's variables.
    fn netlify(site_url: &str, vars: &[(&str, &str)]) -> (Host, String) {
        let blocks = recipe("netlify");
        let mut host = Host::new(site(site_url));
        let mut config = None;
        for b in &blocks {
            host.write(b);
            if b.tag("file") == Some("netlify.toml") {
                config = Some(b.text.parse::<toml::Table>().unwrap());
            }
        }
        let config = config.expect("a netlify.toml");
        let build = config["build"].as_table().unwrap();
        for (k, v) in build["environment"].as_table().into_iter().flatten() {
            host = host.var(k, v.as_str().unwrap());
        }
        for (k, v) in vars {
            host = host.var(k, v);
        }
        host.sh(build["command"].as_str().unwrap());
        (host, build["publish"].as_str().unwrap().to_string())
    }

    #[test]
    fn netlify_recipe_serves_production_and_deploy_previews() {
        let site_url = "https://briefing.netlify.app/";
        let (host, published) = netlify(
            site_url,
            &[
                ("CONTEXT", "production"),
                ("URL", "https://briefing.netlify.app"),
                ("DEPLOY_PRIME_URL", "https://main--briefing.netlify.app"),
            ],
        );
        assert_served(&host.path(&published), site_url, site_url);
        for (context, prime) in [
            (
                "deploy-preview",
                "https://deploy-preview-7--briefing.netlify.app",
            ),
            ("branch-deploy", "https://staging--briefing.netlify.app"),
        ] {
            let (host, published) = netlify(
                site_url,
                &[
                    ("CONTEXT", context),
                    ("URL", "https://briefing.netlify.app"),
                    ("DEPLOY_PRIME_URL", prime),
                ],
            );
            assert_served(&host.path(&published), &format!("{prime}/"), site_url);
        }
    }

    /// Cloudflare Pages: the settings block's build command, output folder
    /// and variable, the recipe's files written.
    fn cloudflare(site_url: &str, vars: &[(&str, &str)]) -> (Host, String) {
        let blocks = recipe("cloudflare");
        let mut host = Host::new(site(site_url));
        let (mut command, mut output) = (None, None);
        for b in &blocks {
            if b.tag("file").is_some() {
                host.write(b);
                continue;
            }
            for line in b.text.lines() {
                let (key, value) = line.split_once(": ").expect("Setting: value");
                match key {
                    "Build command" => command = Some(value.to_string()),
                    "Build output directory" => output = Some(value.to_string()),
                    "Environment variable" => {
                        let (k, v) = value.split_once(" = ").unwrap();
                        host = host.var(k, v);
                    }
                    other => panic!("a setting the test does not know: {other}"),
                }
            }
        }
        for (k, v) in vars {
            host = host.var(k, v);
        }
        host.sh(&command.expect("a build command"));
        (host, output.expect("an output directory"))
    }

    #[test]
    fn cloudflare_pages_recipe_serves_production_and_previews() {
        let site_url = "https://briefing.pages.dev/";
        let (host, published) = cloudflare(
            site_url,
            &[
                ("CF_PAGES_BRANCH", "main"),
                ("CF_PAGES_URL", "https://9a8b7c6d.briefing.pages.dev"),
            ],
        );
        assert_served(&host.path(&published), site_url, site_url);
        let preview = "https://373f31e2.briefing.pages.dev";
        let (host, published) = cloudflare(
            site_url,
            &[("CF_PAGES_BRANCH", "new-map"), ("CF_PAGES_URL", preview)],
        );
        assert_served(&host.path(&published), &format!("{preview}/"), site_url);
    }

    #[test]
    fn subpath_recipes_put_the_site_under_its_path_on_a_host_serving_from_the_root() {
        // The published folder of the Netlify and Cloudflare recipes.
        let (_, netlify_published) = netlify(
            "https://briefing.netlify.app/",
            &[
                ("CONTEXT", "production"),
                ("URL", "https://briefing.netlify.app"),
                ("DEPLOY_PRIME_URL", "https://main--briefing.netlify.app"),
            ],
        );
        let site_url = "https://briefing.example.org/watch/";
        let host = Host::new(site(site_url));
        host.sh(&recipe("subpath")[0].text);
        // Served from the root: the site is at /watch/ of the domain.
        let root = host.path(&netlify_published);
        assert_served(&root.join("watch"), site_url, site_url);
        assert!(broken_links(&root, "/").is_empty());
        let prime = "https://deploy-preview-7--briefing.netlify.app";
        let host = Host::new(site(site_url)).var("DEPLOY_PRIME_URL", prime);
        host.sh(&recipe("subpath-preview")[0].text);
        let root = host.path(&netlify_published);
        assert_served(&root.join("watch"), &format!("{prime}/watch/"), site_url);
        assert!(broken_links(&root, "/").is_empty());
    }

    #[test]
    fn rsync_recipes_copy_the_site_where_the_server_serves_its_path() {
        let site_url = "https://example.org/briefing/";
        let host = Host::new(site(site_url));
        host.sh(&recipe("rsync")[0].text);
        // nginx's `root /var/www;` serves /var/www/briefing/ at /briefing/.
        let deployed = host.deployed();
        assert_eq!(deployed.len(), 1);
        assert!(deployed[0].ends_with("var/www/briefing"), "{deployed:?}");
        assert_served(&deployed[0], site_url, site_url);
        // A preview of branch feature/new-map, on a server whose root is
        // /var/www/preview.
        let host = Host::new(site(site_url)).var("FAKE_GIT_BRANCH", "feature/new-map");
        host.sh(&recipe("rsync-preview")[0].text);
        let deployed = host.deployed();
        assert!(
            deployed[0].ends_with("var/www/preview/feature-new-map"),
            "{deployed:?}"
        );
        assert_served(
            &deployed[0],
            "https://preview.example.org/feature-new-map/",
            site_url,
        );
    }

    /// The `jq` program of the GitLab Code Quality job, run on dossier's
    /// JSON, gives a report with the fields GitLab requires. Skipped where
    /// `jq` is not installed.
    #[test]
    fn gitlab_code_quality_report_has_the_fields_gitlab_requires() {
        if std::process::Command::new("jq")
            .arg("--version")
            .output()
            .is_err()
        {
            eprintln!("jq is not installed: the Code Quality job's program is not checked");
            return;
        }
        let job = blocks()
            .into_iter()
            .find(|b| b.tag("ci") == Some("gitlab-code-quality"))
            .expect("the Code Quality job");
        let ci: serde_json::Value = serde_saphyr::from_str(&job.text).unwrap();
        let jq = ci["dossier-check"]["script"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l.as_str())
            .find(|l| l.starts_with("jq -s '"))
            .map(str::trim_end)
            .expect("a jq line");
        let program = &jq["jq -s '".len()..jq.rfind('\'').unwrap()];
        assert_eq!(
            ci["dossier-check"]["artifacts"]["reports"]["codequality"],
            "gl-code-quality-report.json"
        );
        // A warning of a check, an error in a file, and one in no file.
        let mut json = Fixture::new()
            .actor("lonely", "name: Lonely\nkind: person\n")
            .run(&["check", "--format", "json"])
            .stdout;
        json.push_str(
            &Fixture::new()
                .actor("x", "name: X\nkind: persn\n")
                .run(&["check", "--strict", "--format", "json"])
                .stdout,
        );
        json.push_str(&Fixture::bare().run(&["check", "--format", "json"]).stdout);
        let input = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(input.path(), json).unwrap();
        let out = std::process::Command::new("jq")
            .arg("-s")
            .arg(program)
            .arg(input.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let issues = report.as_array().expect("a JSON array");
        assert_eq!(issues.len(), 3, "{report:#}");
        for issue in issues {
            for field in ["description", "check_name", "fingerprint"] {
                assert!(issue[field].is_string(), "{field}: {issue}");
            }
            assert!(
                ["info", "minor", "major", "critical", "blocker"]
                    .contains(&issue["severity"].as_str().unwrap()),
                "{issue}"
            );
            assert!(issue["location"]["path"].is_string(), "{issue}");
            assert!(issue["location"]["lines"]["begin"].is_u64(), "{issue}");
        }
        assert_eq!(issues[0]["check_name"], "unreferenced");
        assert_eq!(issues[0]["severity"], "minor");
        assert_eq!(issues[0]["location"]["path"], "content/actors/lonely.yaml");
        assert_eq!(issues[1]["severity"], "major");
        assert_eq!(issues[1]["location"]["lines"]["begin"], 2);
        assert!(
            issues[1]["description"]
                .as_str()
                .unwrap()
                .contains("(help: did you mean `person`?)")
        );
        assert_eq!(issues[2]["location"]["path"], "site.toml");
        let fingerprints: std::collections::BTreeSet<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(fingerprints.len(), 3);
    }
}
