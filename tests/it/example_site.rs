//! The repository's own example site builds cleanly, meets the size the
//! issue asks for, and has no broken internal link.

use std::path::Path;

use dossier::BuildOptions;

use crate::harness::{broken_links, walk};

#[test]
fn example_site_builds_without_diagnostics_and_links_resolve() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let (outcome, sources) = dossier::build(&BuildOptions {
        output: Some(target.clone()),
        ..BuildOptions::new(root)
    });
    let diags = dossier::diag::render_short(&sources, &outcome.diagnostics);
    assert!(outcome.result.is_ok() && diags.is_empty(), "{diags}");
    let files = walk(&target);
    let count = |prefix: &str| {
        files
            .iter()
            .filter(|f| f.starts_with(prefix) && f.matches('/').count() == 2)
            .count()
    };
    assert!(count("analyses/") >= 2, "analyses: {}", count("analyses/"));
    assert!(count("actors/") >= 12, "actors: {}", count("actors/"));
    assert!(count("events/") >= 10, "events: {}", count("events/"));
    let broken = broken_links(&target, "/kazakhstan/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let html: String = files
        .iter()
        .filter(|f| f.starts_with("events/"))
        .map(|f| std::fs::read_to_string(target.join(f)).unwrap())
        .collect();
    assert!(
        html.contains("class=\"disputed\""),
        "the example site needs a disputed figure"
    );
}
