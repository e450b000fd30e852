//! The catalogue of mistakes: one small site per case under
//! `tests/fixtures/diagnostics/<case>/`, each with an `expected.txt` holding
//! exactly what `dossier check` reports, one line per diagnostic:
//! `severity: file:line:col: message (help: …)`.
//!
//! To add a case, create its folder and run the tests with
//! `DOSSIER_BLESS=1` to write its `expected.txt`; read it before committing.

use std::path::Path;

use dossier::{BuildOptions, diag};

#[test]
fn every_case_reports_exactly_what_is_expected() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnostics");
    let bless = std::env::var_os("DOSSIER_BLESS").is_some();
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 40,
        "the catalogue should cover at least 40 cases, has {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let opts = BuildOptions::new(case.clone());
        let (outcome, sources) = dossier::check(&opts);
        let got = diag::render_short(&sources, &outcome.diagnostics);
        // Every case is a mistake: it must be reported, never pass silently.
        if got.is_empty() {
            failures.push(format!("{}: nothing was reported", name(case)));
            continue;
        }
        // Output that names this machine's folders would fail elsewhere.
        if got.contains(env!("CARGO_MANIFEST_DIR")) {
            failures.push(format!("{}: names an absolute path:\n{got}", name(case)));
            continue;
        }
        let expected_file = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_file, &got).expect("write expected.txt");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                name(case)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

fn name(case: &Path) -> String {
    case.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Hints speak to every site: they use neutral words or the author's own
/// text, never the example site's (a Belarus briefing must not be told to
/// write "Tokayev"). A word of the example may appear in a case's output
/// only if the case's own files hold it.
#[test]
fn hints_never_quote_the_example_site() {
    const EXAMPLE: [&str; 12] = [
        "tokayev",
        "nazarbayev",
        "kazakhstan",
        "almaty",
        "zhanaozen",
        "csto",
        "akorda",
        "reuters",
        "security-council",
        "sultanova",
        "akimat",
        "massimov",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnostics");
    let mut leaks = Vec::new();
    for case in std::fs::read_dir(&root).expect("fixtures").flatten() {
        let case = case.path();
        let expected = std::fs::read_to_string(case.join("expected.txt"))
            .unwrap_or_default()
            .to_lowercase();
        let mut input = String::new();
        for f in walkdir::WalkDir::new(&case).into_iter().flatten() {
            // File names are the author's text too (ids).
            input.push_str(&f.path().to_string_lossy().to_lowercase());
            if f.file_type().is_file() && f.file_name() != "expected.txt" {
                input.push_str(
                    &String::from_utf8_lossy(&std::fs::read(f.path()).unwrap_or_default())
                        .to_lowercase(),
                );
            }
        }
        for word in EXAMPLE {
            if expected.contains(word) && !input.contains(word) {
                leaks.push(format!("{}: `{word}`", name(&case)));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "hints quoting the example site:\n{}",
        leaks.join("\n")
    );
}
