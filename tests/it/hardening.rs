//! Hardening: a build killed mid-way, links that leave the site, and big or
//! deep input. None of it may panic, hang, or damage the published site.

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::{Fixture, walk};

fn staging_dirs(root: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".dossier-staging-"))
        .collect()
}

#[test]
fn a_build_killed_while_writing_leaves_the_previous_site_whole() {
    // Big enough that rendering takes a while in a debug build.
    let mut s = Fixture::new().actor("x", "name: Example Actor\nkind: person\n");
    let body = "A paragraph that mentions Example Actor and goes on for a while. ".repeat(40);
    for i in 0..3000 {
        s = s.analysis(
            &format!("a{i}"),
            &format!("title: Analysis {i}\ndate: 2022-01-01\nactors: [x]"),
            &body,
        );
    }
    let first = s.run(&["build"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let public = s.root().join("public");
    let before = walk(&public);
    let page = std::fs::read(public.join("analyses/a1/index.html")).unwrap();

    // Change everything, start a build, and kill it as soon as it writes.
    let s = s.analysis(
        "a1",
        "title: Changed\ndate: 2022-01-01\nactors: [x]",
        "Example Actor changed.",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .current_dir(s.root())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while staging_dirs(s.root()).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build finished before it could be killed"
    );
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(walk(&public), before, "the published site changed");
    assert_eq!(
        std::fs::read(public.join("analyses/a1/index.html")).unwrap(),
        page
    );
    assert!(
        !staging_dirs(s.root()).is_empty(),
        "the killed build's staging folder is expected to remain"
    );

    // The next build publishes the change and clears the abandoned staging folder.
    let r = s.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        String::from_utf8_lossy(&std::fs::read(public.join("analyses/a1/index.html")).unwrap())
            .contains("Changed")
    );
    assert!(
        staging_dirs(s.root()).is_empty(),
        "{:?}",
        staging_dirs(s.root())
    );
}

#[cfg(unix)]
#[test]
fn symlinks_may_not_lead_outside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.yaml"),
        "name: Secret\nkind: person\n",
    )
    .unwrap();
    let s = Fixture::new().actor("inside", "name: Inside\nkind: person\n");
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        s.root().join("content/actors/secret.yaml"),
    )
    .unwrap();
    s.build()
        .fails()
        .has(&["content/actors/secret.yaml is a symbolic link that points outside the site"]);
    // A link to a file inside the site is fine.
    let s = Fixture::new().file("shared/x.yaml", "name: Shared\nkind: person\n");
    std::fs::create_dir_all(s.root().join("content/actors")).unwrap();
    std::os::unix::fs::symlink(
        s.root().join("shared/x.yaml"),
        s.root().join("content/actors/x.yaml"),
    )
    .unwrap();
    let b = s.build().ok();
    b.page("actors/x/").contains("Shared");
}

#[test]
fn a_ten_megabyte_analysis_builds() {
    let mut body = String::with_capacity(10 << 20);
    let mut i = 0;
    while body.len() < 10 << 20 {
        let _ = write!(
            body,
            "## Part {i}\n\nTokayev and [[tokayev]] appear here; some *emphasis*, a [link](https://example.org/{i}).\n\n"
        );
        i += 1;
    }
    let b = Fixture::new()
        .actor("tokayev", "name: Tokayev\nkind: person\n")
        .analysis(
            "big",
            "title: Big\ndate: 2022-01-01\nactors: [tokayev]",
            &body,
        )
        .build()
        .ok();
    assert!(b.page("analyses/big/").html.len() > 10 << 20);
}

#[test]
fn a_deep_part_of_chain_builds_and_pages_stay_small() {
    let mut s = Fixture::new();
    for i in 0..2000 {
        let parent = if i == 0 {
            String::new()
        } else {
            format!("part_of: e{}\n", i - 1)
        };
        s = s.event(
            &format!("e{i}"),
            &format!("title: Step {i}\ndate: 2022-01-01\n{parent}"),
        );
    }
    let b = s.build().ok();
    let deepest = b.page("events/e1999/");
    // A breadcrumb of the nearest enclosing events, not all 1,999.
    assert_eq!(deepest.links(".breadcrumb a").len(), 8);
}

#[test]
fn odd_line_endings_and_empty_files_are_handled() {
    Fixture::new()
        .bytes("content/actors/cr.yaml", b"name: Old Mac\rkind: person\r")
        .file("content/actors/blank.yaml", "\n\n   \n")
        .file(
            "content/analyses/only-front.md",
            "---\ntitle: Only front matter\ndate: 2022-01-01\n---\n",
        )
        .build()
        .fails()
        .has(&["content/actors/blank.yaml:1:1: this actor is missing the required key"]);
}

/// 50,000 fact sheets: about 2 s for `dossier check` in a release build
/// (20 s in a debug one, so not run by default: `cargo test --release -- --ignored`).
#[test]
#[ignore = "slow in debug builds; run with --release -- --ignored"]
fn fifty_thousand_fact_sheets_check() {
    let mut s = Fixture::bare().file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[checks]\nunreferenced = \"off\"\n",
    );
    for i in 0..50_000 {
        s = s.actor(
            &format!("a{i}"),
            &format!("name: Actor number {i}\nkind: person\n"),
        );
    }
    let b = s.check().ok();
    assert_eq!(
        b.outcome.result.as_ref().map(|r| r.pages).unwrap_or(0),
        50_007
    );
}
