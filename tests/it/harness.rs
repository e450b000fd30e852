//! A small chainable harness: write a fixture site into a temp dir, build it
//! with the library (or run the real binary), and assert on pages, links and
//! diagnostics.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use dossier::diag::{self, Sources};
use dossier::{BuildOptions, Outcome};
use scraper::{Html, Selector};

pub const SITE_TOML: &str = "title = \"Test Briefing\"\nbase_url = \"https://example.org/\"\n";

/// A fixture site in a temporary directory.
pub struct Fixture {
    /// Shared with every [`Build`] of it, so a build's output outlives a
    /// temporary `Fixture` value.
    dir: Rc<tempfile::TempDir>,
}

impl Fixture {
    /// An empty site with a minimal site.toml.
    pub fn new() -> Self {
        Fixture::bare().file("site.toml", SITE_TOML)
    }

    /// A directory with nothing in it.
    pub fn bare() -> Self {
        Fixture {
            dir: Rc::new(tempfile::tempdir().expect("temp dir")),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(self, path: &str, text: &str) -> Self {
        self.bytes(path, text.as_bytes())
    }

    pub fn bytes(self, path: &str, bytes: &[u8]) -> Self {
        let p = self.dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, bytes).expect("write fixture");
        self
    }

    pub fn remove(self, path: &str) -> Self {
        std::fs::remove_file(self.dir.path().join(path)).expect("remove fixture file");
        self
    }

    pub fn actor(self, id: &str, yaml: &str) -> Self {
        self.file(&format!("content/actors/{id}.yaml"), yaml)
    }

    pub fn event(self, id: &str, yaml: &str) -> Self {
        self.file(&format!("content/events/{id}.yaml"), yaml)
    }

    pub fn analysis(self, name: &str, front: &str, body: &str) -> Self {
        self.file(
            &format!("content/analyses/{name}.md"),
            &format!("---\n{front}\n---\n{body}"),
        )
    }

    pub fn build(&self) -> Build {
        self.build_with(|_| {})
    }

    pub fn build_with(&self, f: impl FnOnce(&mut BuildOptions)) -> Build {
        self.run_with(f, dossier::build)
    }

    /// Everything a build does, writing nothing (`dossier check`).
    pub fn check(&self) -> Build {
        self.run_with(|_| {}, dossier::check)
    }

    fn run_with(
        &self,
        f: impl FnOnce(&mut BuildOptions),
        build: fn(&BuildOptions) -> (Outcome, Sources),
    ) -> Build {
        let mut opts = BuildOptions::new(self.root());
        f(&mut opts);
        let output = opts
            .output
            .clone()
            .unwrap_or_else(|| self.root().join("public"));
        let (outcome, sources) = build(&opts);
        Build {
            outcome,
            sources,
            output,
            _dir: Rc::clone(&self.dir),
        }
    }

    /// Runs the real binary in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run dossier");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Builds the site at `root` (such as the repository's example) into a
/// temporary folder.
pub fn build_at(root: &Path) -> Build {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("public");
    let (outcome, sources) = dossier::build(&BuildOptions {
        output: Some(output.clone()),
        ..BuildOptions::new(root)
    });
    Build {
        outcome,
        sources,
        output,
        _dir: Rc::new(dir),
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub struct Build {
    pub outcome: Outcome,
    /// The files the build read, which its diagnostics point into.
    pub sources: Sources,
    pub output: PathBuf,
    _dir: Rc<tempfile::TempDir>,
}

impl Build {
    /// One line per diagnostic: `error: path:line:col: message (help: …)`.
    pub fn short(&self) -> String {
        diag::render_short(&self.sources, &self.outcome.diagnostics)
    }

    /// The full rustc-style rendering, without colour.
    pub fn rendered(&self) -> String {
        diag::render(&self.sources, &self.outcome.diagnostics, false)
    }

    #[track_caller]
    pub fn ok(self) -> Self {
        assert!(
            self.outcome.result.is_ok(),
            "build failed:\n{}",
            self.rendered()
        );
        self
    }

    #[track_caller]
    pub fn fails(self) -> Self {
        assert!(
            self.outcome.result.is_err(),
            "build succeeded but should have failed"
        );
        assert!(
            self.outcome.diagnostics.has_errors()
                || matches!(self.outcome.result, Err(dossier::Failure::Write(_)))
        );
        self
    }

    /// Asserts that a diagnostic line contains every fragment given.
    #[track_caller]
    pub fn has(self, fragments: &[&str]) -> Self {
        let short = self.short();
        assert!(
            short
                .lines()
                .any(|l| fragments.iter().all(|f| l.contains(f))),
            "no diagnostic contains all of {fragments:?}; got:\n{short}"
        );
        self
    }

    #[track_caller]
    pub fn error_count(self, n: usize) -> Self {
        assert_eq!(
            self.outcome.diagnostics.error_count(),
            n,
            "diagnostics:\n{}",
            self.short()
        );
        self
    }

    #[track_caller]
    pub fn page(&self, path: &str) -> Page {
        let file = self.output.join(path.trim_start_matches('/')).join(
            if path.ends_with('/') || path.is_empty() {
                "index.html"
            } else {
                ""
            },
        );
        let file = if path.ends_with(".html") {
            self.output.join(path.trim_start_matches('/'))
        } else {
            file
        };
        let html = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("no page {path} ({}): {e}", file.display()));
        Page { html }
    }

    /// An output file parsed as XML (its text), failing the test if it is
    /// not well formed.
    #[track_caller]
    pub fn xml(&self, path: &str) -> String {
        let text = std::fs::read_to_string(self.output.join(path))
            .unwrap_or_else(|e| panic!("no {path}: {e}"));
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{path} is not well-formed XML: {e}\n{text}");
        }
        text
    }

    /// An output file's text, failing the test if it is missing.
    #[track_caller]
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.output.join(path.trim_start_matches('/')))
            .unwrap_or_else(|e| panic!("no {path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.output.join(path.trim_start_matches('/')).exists()
    }

    /// Every file of the output, relative, sorted.
    pub fn files(&self) -> BTreeSet<String> {
        walk(&self.output)
    }
}

pub fn walk(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

pub struct Page {
    pub html: String,
}

impl Page {
    pub fn doc(&self) -> Html {
        Html::parse_document(&self.html)
    }

    /// The page's one JSON-LD block, parsed.
    #[track_caller]
    pub fn json_ld(&self) -> serde_json::Value {
        let scripts = self.texts_raw("script[type=\"application/ld+json\"]");
        assert_eq!(scripts.len(), 1, "one JSON-LD block: {scripts:?}");
        serde_json::from_str(&scripts[0]).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}"))
    }

    /// Text of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("selector");
        self.doc()
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// Text of every element matching `selector`, exactly as parsed.
    pub fn texts_raw(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("selector");
        self.doc()
            .select(&sel)
            .map(|e| e.text().collect::<String>())
            .collect()
    }

    /// The value of `attr` on every element matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("selector");
        self.doc()
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    /// (href, text) of every link matching `selector`.
    pub fn links(&self, selector: &str) -> Vec<(String, String)> {
        let sel = Selector::parse(selector).expect("selector");
        self.doc()
            .select(&sel)
            .filter_map(|e| {
                let href = e.value().attr("href")?.to_string();
                let text = e
                    .text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                Some((href, text))
            })
            .collect()
    }

    #[track_caller]
    pub fn has_link(&self, selector: &str, href: &str, text: &str) -> &Self {
        let links = self.links(selector);
        assert!(
            links.iter().any(|(h, t)| h == href && t == text),
            "no link {href} \"{text}\" in {selector}; links: {links:?}"
        );
        self
    }

    #[track_caller]
    pub fn contains(&self, s: &str) -> &Self {
        assert!(
            self.html.contains(s),
            "page does not contain {s:?}:\n{}",
            self.html
        );
        self
    }

    #[track_caller]
    pub fn lacks(&self, s: &str) -> &Self {
        assert!(
            !self.html.contains(s),
            "page contains {s:?}:\n{}",
            self.html
        );
        self
    }
}

/// Resolves every internal `href` and `src` of every HTML page of the output
/// (including `#fragment` targets) and returns the broken ones.
pub fn broken_links(output: &Path, base_path: &str) -> Vec<String> {
    let files = walk(output);
    let sel = Selector::parse("[href], [src]").expect("selector");
    let ids = Selector::parse("[id]").expect("selector");
    let mut broken = Vec::new();
    let mut id_cache: std::collections::HashMap<String, BTreeSet<String>> = Default::default();
    for file in files.iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(output.join(file)).expect("read page");
        let doc = Html::parse_document(&html);
        for el in doc.select(&sel) {
            let Some(link) = el.value().attr("href").or_else(|| el.value().attr("src")) else {
                continue;
            };
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("data:") {
                continue;
            }
            let (path, fragment) = link
                .split_once('#')
                .map_or((link, None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                file.clone()
            } else if let Some(rest) = path.strip_prefix(base_path) {
                if rest.is_empty() || rest.ends_with('/') {
                    format!("{rest}index.html")
                } else {
                    rest.to_string()
                }
            } else {
                broken.push(format!(
                    "{file}: {link} (outside the base path {base_path})"
                ));
                continue;
            };
            if !files.contains(&target) {
                broken.push(format!("{file}: {link}"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let known = id_cache.entry(target.clone()).or_insert_with(|| {
                    let html = std::fs::read_to_string(output.join(&target)).expect("read page");
                    Html::parse_document(&html)
                        .select(&ids)
                        .filter_map(|e| e.value().attr("id").map(str::to_string))
                        .collect()
                });
                if !known.contains(fragment) {
                    broken.push(format!("{file}: {link} (no element with id {fragment})"));
                }
            }
        }
    }
    broken
}
