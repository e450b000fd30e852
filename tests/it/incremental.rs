//! Incremental rebuilds (what `serve` does) give byte-identical results to
//! full builds: random sequences of edits (add, change, rename, delete
//! analyses, actors, events and sources; relations, partial dates and
//! citations among them; edit a template or `site.toml`) are applied, and
//! after every step the incrementally maintained site is compared with a
//! fresh build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dossier::testing::Store;
use dossier::{BuildOptions, Caches, Changes, Target, diag};

use crate::harness::walk;

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &'a [String]) -> Option<&'a String> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

const NAMES: [&str; 8] = [
    "Tokayev",
    "Nazarbayev",
    "Massimov",
    "Smailov",
    "Pashinyan",
    "Lukashenko",
    "Mamin",
    "Putin",
];
const TAGS: [&str; 4] = [
    "security",
    "EU policy",
    "Protest movements",
    "elite politics",
];

/// The edit-able site: files written under `root`.
struct Site {
    root: PathBuf,
    rng: Lcg,
    counter: usize,
}

impl Site {
    fn ids(&self, dir: &str) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(self.root.join("content").join(dir))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                e.path()
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
            })
            // Translations (`a0.de.yaml`) are not ids.
            .filter(|id| !id.contains('.'))
            .collect();
        ids.sort();
        ids
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn actor_yaml(&mut self) -> String {
        let name = NAMES[self.rng.below(NAMES.len())];
        let n = self.rng.below(3);
        let kinds = ["person", "organisation", "state"];
        let mut y = format!(
            "name: {name} {n}\nkind: {}\nrole: Role {}\n",
            kinds[self.rng.below(3)],
            self.rng.below(5)
        );
        if self.rng.below(2) == 0 {
            y.push_str(&format!("aliases: [{name}]\n"));
        }
        if let Some(other) = self.rng.pick(&self.ids("actors")).cloned()
            && self.rng.below(2) == 0
        {
            y.push_str(&format!("affiliations: [{other}]\ncountry: {other}\n"));
        }
        if let Some(other) = self.rng.pick(&self.ids("actors")).cloned()
            && self.rng.below(2) == 0
        {
            let kind = ["leads", "member_of", "part_of", "allied_with"][self.rng.below(4)];
            let mut r = format!("{{type: {kind}, actor: {other}");
            if self.rng.below(2) == 0 {
                r.push_str(&format!(", role: Chair {}", self.rng.below(3)));
            }
            match self.rng.below(4) {
                0 => r.push_str(", from: 2021, until: 2022-01-05"),
                1 => r.push_str(", from: 2022-01"),
                2 => r.push_str(", until: 2022-02-01"),
                _ => {}
            }
            if let Some(src) = self.rng.pick(&self.ids("sources")).cloned()
                && self.rng.below(2) == 0
            {
                r.push_str(&format!(", source: {src}"));
            }
            if self.rng.below(3) == 0 {
                r.push_str(&format!(", note: \"With [[{other}]].\""));
            }
            y.push_str(&format!("relations:\n  - {r}}}\n"));
        }
        y.push_str(&format!(
            "summary: Works with {} and others.\n",
            NAMES[self.rng.below(NAMES.len())]
        ));
        y
    }

    fn event_yaml(&mut self) -> String {
        let mut y = format!(
            "title: Event {}\ndate: 2022-01-{:02}\n",
            self.rng.below(50),
            1 + self.rng.below(28)
        );
        let actors = self.ids("actors");
        if let Some(a) = self.rng.pick(&actors).cloned() {
            y.push_str(&format!(
                "actors:\n  - {{id: {a}, role: role {}}}\nplace: {a}\n",
                self.rng.below(3)
            ));
        }
        let events = self.ids("events");
        if let Some(e) = self.rng.pick(&events).cloned()
            && self.rng.below(3) == 0
        {
            y.push_str(&format!("part_of: {e}\n"));
        }
        let source = match self.rng.pick(&self.ids("sources")).cloned() {
            Some(id) if self.rng.below(2) == 0 => id,
            _ => "{title: A}".to_string(),
        };
        y.push_str(&format!(
            "facts:\n  - {{label: Deaths, value: \"{}\", source: {source}}}\n",
            self.rng.below(4)
        ));
        if let Some(id) = self.rng.pick(&self.ids("sources")).cloned() {
            y.push_str(&format!("sources: [{id}]\n"));
        }
        y
    }

    fn author_yaml(&mut self) -> String {
        let mut y = format!(
            "name: Author {}\ntitle: Fellow {}\n",
            NAMES[self.rng.below(NAMES.len())],
            self.rng.below(3)
        );
        if let Some(a) = self.rng.pick(&self.ids("actors")).cloned() {
            y.push_str(&format!("bio: Writes about [[{a}]].\n"));
        }
        y
    }

    fn source_yaml(&mut self) -> String {
        let mut y = format!(
            "title: Statement {}\npublished: 2022-01-{:02}\n",
            self.rng.below(20),
            1 + self.rng.below(28)
        );
        match self.rng.pick(&self.ids("actors")).cloned() {
            Some(a) if self.rng.below(2) == 0 => y.push_str(&format!("publisher: {a}\n")),
            _ => y.push_str(&format!("publisher: Agency {}\n", self.rng.below(3))),
        }
        if self.rng.below(2) == 0 {
            y.push_str("url: https://example.org/s\n");
        }
        y
    }

    fn analysis_md(&mut self) -> String {
        let actors = self.ids("actors");
        let events = self.ids("events");
        let mut front = format!(
            "title: Analysis {}\ndate: 2022-02-{:02}\ntags: [{}]\n",
            self.rng.below(30),
            1 + self.rng.below(28),
            TAGS[self.rng.below(TAGS.len())]
        );
        if let Some(a) = self.rng.pick(&actors) {
            front.push_str(&format!("actors: [{a}]\n"));
        }
        let mut body = String::from("## Section\n\n");
        for _ in 0..3 {
            match self.rng.below(3) {
                0 => body.push_str(&format!(
                    "{} said something. ",
                    NAMES[self.rng.below(NAMES.len())]
                )),
                1 => {
                    if let Some(e) = self.rng.pick(&events) {
                        body.push_str(&format!("See [[{e}]]. "));
                    }
                }
                _ => {
                    if let Some(a) = self.rng.pick(&actors) {
                        body.push_str(&format!("And [[{a}]]. "));
                    }
                }
            }
        }
        if let Some(src) = self.rng.pick(&self.ids("sources")).cloned() {
            body.push_str(&format!("As stated [@{src}, p. {}].", self.rng.below(9)));
        }
        match self.rng.pick(&self.ids("authors")).cloned() {
            Some(a) if self.rng.below(3) > 0 => {
                front.push_str(&format!("authors: [{a}, A. Guest]\n"))
            }
            _ => front.push_str("authors: [A. Guest]\n"),
        }
        if self.rng.below(3) == 0 {
            front.push_str(&format!(
                "corrections:\n  - {{date: 2022-03-{:02}, text: \"Fixed a date.\"}}\n",
                1 + self.rng.below(28)
            ));
        }
        // Some are drafts: left out of a build, until they are not.
        if self.rng.below(5) == 0 {
            front.push_str("draft: true\n");
        }
        format!("---\n{front}---\n{body}\n")
    }

    /// Rewrites every file the last build had an error in, as an author
    /// fixing them would (new content only references ids that exist).
    fn repair(&mut self, diagnostics: &str) -> Vec<PathBuf> {
        let mut files: Vec<String> = diagnostics
            .lines()
            .filter_map(|l| {
                l.strip_prefix("error: ")?
                    .split(':')
                    .next()
                    .map(str::to_string)
            })
            .filter(|f| f.starts_with("content/"))
            .collect();
        files.sort();
        files.dedup();
        let mut touched = Vec::new();
        for f in files {
            if !self.root.join(&f).exists() {
                continue;
            }
            // A translation in error (of nothing, or in a language the
            // site no longer has) goes.
            if Path::new(&f)
                .file_stem()
                .is_some_and(|s| s.to_string_lossy().contains('.'))
            {
                std::fs::remove_file(self.root.join(&f)).unwrap();
                touched.push(self.root.join(&f));
                continue;
            }
            let text = if f.starts_with("content/actors/") {
                // No affiliations: they may point at the file being repaired.
                let name = NAMES[self.rng.below(NAMES.len())];
                format!("name: {name} {}\nkind: person\n", self.rng.below(9))
            } else if f.starts_with("content/events/") {
                format!(
                    "title: Fixed {}\ndate: 2022-01-0{}\n",
                    self.rng.below(9),
                    1 + self.rng.below(9)
                )
            } else if f.starts_with("content/sources/") {
                format!("title: Fixed {}\n", self.rng.below(9))
            } else if f.starts_with("content/authors/") {
                format!("name: Fixed {}\n", self.rng.below(9))
            } else {
                self.analysis_md()
            };
            touched.push(self.write(&f, &text));
        }
        touched
    }

    /// Applies one random edit; returns the paths it touched.
    fn edit(&mut self) -> Vec<PathBuf> {
        self.counter += 1;
        let n = self.counter;
        let dirs = ["actors", "events", "analyses", "sources", "authors"];
        let dir = dirs[self.rng.below(5)];
        let ext = if dir == "analyses" { "md" } else { "yaml" };
        let ids = self.ids(dir);
        let op = self.rng.below(if ids.is_empty() { 1 } else { 5 });
        let content = |s: &mut Site| match dir {
            "actors" => s.actor_yaml(),
            "events" => s.event_yaml(),
            "sources" => s.source_yaml(),
            "authors" => s.author_yaml(),
            _ => s.analysis_md(),
        };
        match op {
            // add
            0 => {
                let text = content(self);
                vec![self.write(&format!("content/{dir}/new-{n}.{ext}"), &text)]
            }
            // change only a source's address: citations' notes stay as they
            // were, lists of sources do not
            1 | 2 if dir == "sources" && self.rng.below(2) == 0 => {
                let id = self.rng.pick(&ids).cloned().unwrap_or_default();
                let path = format!("content/{dir}/{id}.{ext}");
                let old = std::fs::read_to_string(self.root.join(&path)).unwrap_or_default();
                let mut text: String = old
                    .lines()
                    .filter(|l| !l.starts_with("url:") && !l.starts_with("archived:"))
                    .map(|l| format!("{l}\n"))
                    .collect();
                text.push_str(&format!("url: https://example.org/s{n}\n"));
                vec![self.write(&path, &text)]
            }
            // rename an actor, or retitle and move an event, and nothing
            // else: every edge stays where it was (but members and
            // nationals are ordered by name, and the timeline by date)
            1 | 2 if matches!(dir, "actors" | "events") && self.rng.below(3) == 0 => {
                let id = self.rng.pick(&ids).cloned().unwrap_or_default();
                let path = format!("content/{dir}/{id}.{ext}");
                let old = std::fs::read_to_string(self.root.join(&path)).unwrap_or_default();
                let name = NAMES[self.rng.below(NAMES.len())];
                let text: String = old
                    .lines()
                    .map(|l| match (dir, l) {
                        ("actors", l) if l.starts_with("name:") => format!("name: {name} {n}\n"),
                        ("events", l) if l.starts_with("title:") => format!("title: {name} {n}\n"),
                        ("events", l) if l.starts_with("date:") => {
                            format!("date: 2022-01-{:02}\n", 1 + n % 28)
                        }
                        (_, l) => format!("{l}\n"),
                    })
                    .collect();
                vec![self.write(&path, &text)]
            }
            // translate into German, or change a translation
            1 | 2 if self.rng.below(4) == 0 => {
                let id = self.rng.pick(&ids).cloned().unwrap_or_default();
                let text = match dir {
                    "actors" => {
                        let mut y = format!("name: Xlat Akteur {n}\n");
                        if let Some(a) = self.rng.pick(&self.ids("actors")).cloned() {
                            y.push_str(&format!("aliases: [Name{n}]\nsummary: Über [[{a}]].\n"));
                        }
                        y
                    }
                    "events" => {
                        format!("title: Xlat Ereignis {n}\nactors:\n  - {{role: Xlat Rolle {n}}}\n")
                    }
                    "sources" => format!("title: Xlat Erklärung {n}\n"),
                    "authors" => format!("name: Xlat Autorin {n}\nbio: Schreibt.\n"),
                    _ => format!(
                        "---\ntitle: Xlat Analyse {n}\ndate: 2022-03-{:02}\n---\nÜber Name{n} und [[{}]].\n",
                        1 + self.rng.below(28),
                        self.rng
                            .pick(&self.ids("actors"))
                            .cloned()
                            .unwrap_or_default()
                    ),
                };
                vec![self.write(&format!("content/{dir}/{id}.de.{ext}"), &text)]
            }
            // change
            1 | 2 => {
                let id = self.rng.pick(&ids).cloned().unwrap_or_default();
                let text = content(self);
                vec![self.write(&format!("content/{dir}/{id}.{ext}"), &text)]
            }
            // rename
            3 => {
                let id = self.rng.pick(&ids).cloned().unwrap_or_default();
                let from = self.root.join(format!("content/{dir}/{id}.{ext}"));
                let to = self.root.join(format!("content/{dir}/renamed-{n}.{ext}"));
                std::fs::rename(&from, &to).unwrap();
                vec![from, to]
            }
            // delete (or, for one step in four, edit a template)
            _ => {
                if self.rng.below(4) == 0 {
                    let marker = self.rng.below(1000);
                    let t = format!(
                        "{{% extends \"base.html\" %}}{{% block content %}}<h1>{{{{ page.title }}}}</h1><p>v{marker}</p>{{% endblock content %}}"
                    );
                    return vec![self.write("themes/default/templates/event.html", &t)];
                }
                if self.rng.below(4) == 0 {
                    // A text and a date format of the site's translation file.
                    let marker = self.rng.below(1000);
                    let day = ["{day} {month} {year}", "{month_in_date} {day}, {year}"];
                    let t = format!(
                        "[strings]\nevents = \"Events {marker}\"\n\n[dates]\nday = \"{}\"\n",
                        day[self.rng.below(2)]
                    );
                    return vec![self.write("themes/default/i18n/en.toml", &t)];
                }
                if self.rng.below(4) == 0 {
                    let base = [
                        "https://example.org/b/",
                        "https://example.org/",
                        "http://localhost/x/y/",
                    ];
                    // Small pages, so that adding or removing an analysis
                    // moves others between pages.
                    let toml = format!(
                        "title = \"T{}\"\nlanguage = \"{}\"\nbase_url = \"{}\"\npaginate = {}\npaginate_events = {}\nsearch = \"{}\"\n{}",
                        self.rng.below(3),
                        ["en", "ru", "fr"][self.rng.below(3)],
                        base[self.rng.below(3)],
                        [2, 3, 0][self.rng.below(3)],
                        [2, 4, 0][self.rng.below(3)],
                        ["full", "summaries", "off"][self.rng.below(3)],
                        [
                            "[languages.de]\ntitle = \"T de\"\n",
                            "[languages.de]\ntitle = \"T2 de\"\n",
                            ""
                        ][self.rng.below(3)]
                    );
                    return vec![self.write("site.toml", &toml)];
                }
                let id = self.rng.pick(&ids).cloned().unwrap_or_default();
                let p = self.root.join(format!("content/{dir}/{id}.{ext}"));
                std::fs::remove_file(&p).unwrap();
                vec![p]
            }
        }
    }
}

fn full_build(root: &Path, out: &Path) -> (Option<BTreeMap<String, Vec<u8>>>, String) {
    let opts = BuildOptions {
        output: Some(out.to_path_buf()),
        ..BuildOptions::new(root)
    };
    let (outcome, sources) = dossier::build(&opts);
    let diags = diag::render_short(&sources, &outcome.diagnostics);
    let pages = outcome.result.ok().map(|_| {
        walk(out)
            .into_iter()
            // Every generated file (pages, feeds, sitemap, robots.txt); not
            // the theme's static files, which a store does not hold.
            .filter(|f| {
                [".html", ".xml", ".txt", ".json", ".csv"]
                    .iter()
                    .any(|e| f.ends_with(e))
            })
            .map(|f| {
                let bytes = std::fs::read(out.join(&f)).unwrap();
                (f, bytes)
            })
            .collect()
    });
    (pages, diags)
}

/// Returns how many steps built a site with a page translated into German.
fn run_sequence(seed: u64, steps: usize) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    let mut site = Site {
        root: root.clone(),
        rng: Lcg(seed),
        counter: 0,
    };
    // Every other sequence in one language: `serve` finds the pages
    // readers are on differently then (before it lists the others).
    let languages = match seed % 2 {
        0 => "",
        _ => "\n[languages.de]\ntitle = \"T de\"\n",
    };
    site.write(
        "site.toml",
        &format!("title = \"T\"\nbase_url = \"https://example.org/b/\"\npaginate = 2\npaginate_events = 2\nrelated = 2\n{languages}"),
    );
    for i in 0..3 {
        let a = site.actor_yaml();
        site.write(&format!("content/actors/a{i}.yaml"), &a);
    }
    for i in 0..2 {
        let s = site.source_yaml();
        site.write(&format!("content/sources/s{i}.yaml"), &s);
    }
    for i in 0..2 {
        let a = site.author_yaml();
        site.write(&format!("content/authors/w{i}.yaml"), &a);
    }
    for i in 0..3 {
        let e = site.event_yaml();
        site.write(&format!("content/events/e{i}.yaml"), &e);
    }
    for i in 0..3 {
        let a = site.analysis_md();
        site.write(&format!("content/analyses/x{i}.md"), &a);
    }
    let opts = BuildOptions::new(root.clone());
    let mut caches = Caches::default();
    let store = Store::new();
    // Steps compared, and steps that re-rendered only part of the site.
    let (mut compared, mut partial) = (0, 0);
    // Steps whose site had a page translated into German.
    let mut translated = 0;
    let mut last_diags = String::new();
    for step in 0..=steps {
        let changes = match step {
            0 => Changes::All,
            _ if last_diags.contains("error: ") && site.rng.below(2) == 0 => {
                Changes::Paths(site.repair(&last_diags))
            }
            // `serve` hands a rebuild every file saved since the last one:
            // at times two edits at once (one may add or remove a file
            // while the other changes another).
            _ if site.rng.below(4) == 0 => {
                let mut paths = site.edit();
                paths.extend(site.edit());
                Changes::Paths(paths)
            }
            _ => Changes::Paths(site.edit()),
        };
        let report = dossier::rebuild(&opts, &mut caches, &changes, Target::Store(&store));
        let incremental_diags = diag::render_short(&caches.sources, &report.diagnostics);
        let (full, full_diags) = full_build(&root, &out);
        assert_eq!(
            incremental_diags, full_diags,
            "seed {seed}, step {step}: diagnostics differ after {changes:?}"
        );
        assert_eq!(
            report.result.is_ok(),
            full.is_some(),
            "seed {seed}, step {step}: {full_diags}"
        );
        last_diags = full_diags;
        if let Some(full) = full {
            let served = store.pages();
            let served_names: Vec<&String> = served.keys().collect();
            let full_names: Vec<&String> = full.keys().collect();
            assert_eq!(
                served_names, full_names,
                "seed {seed}, step {step}: page sets differ after {changes:?}"
            );
            for (path, bytes) in &full {
                assert!(
                    served[path] == *bytes,
                    "seed {seed}, step {step}: {path} differs after {changes:?}\n--- incremental:\n{}\n--- full:\n{}",
                    String::from_utf8_lossy(&served[path]),
                    String::from_utf8_lossy(bytes)
                );
            }
            compared += 1;
            // Readers on two pages: the next build renders those first.
            let html: Vec<String> = full
                .keys()
                .filter(|p| p.ends_with(".html"))
                .cloned()
                .collect();
            for _ in 0..2 {
                if let Some(p) = site.rng.pick(&html) {
                    store.viewed(p);
                }
            }
            if full
                .iter()
                .any(|(p, b)| p.starts_with("de/") && String::from_utf8_lossy(b).contains("Xlat "))
            {
                translated += 1;
            }
            if let Ok(built) = &report.result
                && built.rendered < built.pages
            {
                partial += 1;
            }
        }
    }
    eprintln!(
        "seed {seed}: {compared} of {steps} steps compared, {partial} partial rebuilds, {translated} with translations"
    );
    // The test means something only if many edits build, and rebuilds skip pages.
    assert!(
        compared > steps / 4,
        "seed {seed}: only {compared} of {steps} steps built"
    );
    assert!(partial > 0, "seed {seed}: no rebuild skipped any page");
    translated
}

#[test]
fn incremental_rebuilds_equal_full_builds_over_random_edits() {
    let mut translated = 0;
    for seed in 1..=12 {
        translated += run_sequence(seed, 25);
    }
    // Translations were among the edits, and some sites built with them.
    assert!(translated > 0, "no step built a translated page");
}

/// A site as `serve` holds it: built once, then rebuilt after each save,
/// as the server does.
struct Served {
    root: PathBuf,
    opts: BuildOptions,
    caches: Caches,
    store: Store,
}

impl Served {
    /// The site, built once (the build must succeed).
    fn new(root: &Path) -> Served {
        let mut site = Served::open(root);
        let (ok, short) = site.try_save("", "");
        assert!(ok, "the first build failed: {short}");
        site
    }

    /// The site, not built yet: `try_save("", "")` builds it.
    fn open(root: &Path) -> Served {
        Served {
            root: root.to_path_buf(),
            opts: BuildOptions::new(root.to_path_buf()),
            caches: Caches::default(),
            store: Store::new(),
        }
    }

    /// Saves `text` at `rel` and rebuilds: the build's diagnostics, short
    /// (the rebuild must succeed).
    fn save(&mut self, rel: &str, text: &str) -> String {
        let (ok, short) = self.try_save(rel, text);
        assert!(ok, "the rebuild after saving {rel} failed: {short}");
        short
    }

    /// Saves `text` at `rel` and rebuilds what changed (`rel` empty: a
    /// full build, saving nothing); whether the build succeeded, and its
    /// diagnostics, short.
    fn try_save(&mut self, rel: &str, text: &str) -> (bool, String) {
        let changes = match rel {
            "" => Changes::All,
            rel => {
                let path = self.root.join(rel);
                std::fs::write(&path, text).expect("save");
                Changes::Paths(vec![path])
            }
        };
        let r = dossier::rebuild(
            &self.opts,
            &mut self.caches,
            &changes,
            Target::Store(&self.store),
        );
        let short = diag::render_short(&self.caches.sources, &r.diagnostics);
        (r.result.is_ok(), short)
    }

    /// What a full build of the site writes now, and its diagnostics.
    fn full(&self) -> (BTreeMap<String, Vec<u8>>, String) {
        let out = tempfile::tempdir().expect("temp dir");
        let (full, diags) = full_build(&self.root, out.path());
        (
            full.unwrap_or_else(|| panic!("full build failed: {diags}")),
            diags,
        )
    }
}

/// Renaming an actor in `serve` keeps the edges where they were but moves
/// it in the lists ordered by name: the members of what it is a member of,
/// the nationals of its country. The pages match a full build.
#[test]
fn a_renamed_actor_moves_in_the_lists_ordered_by_name() {
    use crate::harness::Fixture;
    let member = |name: &str| {
        format!(
            "name: {name}\nkind: person\ncountry: land\nrelations:\n  - {{type: member_of, actor: hub}}\n"
        )
    };
    let f = Fixture::new()
        .actor("hub", "name: Hub\nkind: organisation\n")
        .actor("land", "name: Land\nkind: state\n")
        .actor("a", &member("Alpha"))
        .actor("b", &member("Beta"))
        .actor("c", &member("Gamma"));
    let mut site = Served::new(f.root());
    site.save("content/actors/a.yaml", &member("Zulu"));
    let served = site.store.pages();
    let (full, _) = site.full();
    for page in ["actors/hub/index.html", "actors/land/index.html"] {
        assert!(
            served[page] == full[page],
            "{page} differs from a full build's"
        );
        let html = String::from_utf8_lossy(&served[page]).into_owned();
        let at = |name: &str| {
            html.find(name)
                .unwrap_or_else(|| panic!("{name} not on {page}"))
        };
        assert!(
            at("Beta") < at("Gamma") && at("Gamma") < at("Zulu"),
            "{page}: {html}"
        );
    }
}

/// In `serve`, an alias added to a second actor stops it linking and warns
/// that it names both; taken off again, it links its first owner as
/// before. Each rebuild's pages and diagnostics match a full build's.
#[test]
fn an_alias_two_actors_share_in_serve_warns_and_unlinks_as_a_full_build_does() {
    use crate::harness::Fixture;
    let f = Fixture::new()
        .actor("a", "name: Alpha\nkind: organisation\naliases: [Front]\n")
        .actor("b", "name: Beta\nkind: organisation\n")
        .analysis(
            "note",
            "title: Note\ndate: 2022-01-05\n",
            "The Front met Beta.\n",
        );
    let mut site = Served::new(f.root());
    let page = "analyses/note/index.html";
    for (yaml, warned) in [
        ("name: Beta\nkind: organisation\naliases: [Front]\n", true),
        ("name: Beta\nkind: organisation\n", false),
    ] {
        let diags = site.save("content/actors/b.yaml", yaml);
        let (full, full_diags) = site.full();
        assert_eq!(diags, full_diags, "after {yaml:?}");
        let warning = "`Front` names both `a` and `b`";
        assert_eq!(diags.contains(warning), warned, "{diags}");
        let served = site.store.pages();
        assert!(served[page] == full[page], "{page} differs after {yaml:?}");
        // "Front" links the first actor only while no other has it.
        let html = String::from_utf8_lossy(&served[page]).into_owned();
        assert_eq!(html.contains("href=\"/actors/a/\""), !warned, "{html}");
    }
}

/// The open data in `serve` is remade from the items an edit reaches and
/// the items kept from the last build: after a rename, every data file is
/// the one a full build writes, and names the actor by its new name.
#[test]
fn a_rename_in_serve_remakes_the_open_data_a_full_build_writes() {
    use crate::harness::Fixture;
    let f = Fixture::new()
        .actor("hub", "name: Hub\nkind: organisation\n")
        .actor(
            "a",
            "name: Alpha\nkind: person\nsummary: Leads the [[hub]].\nrelations:\n  - {type: member_of, actor: hub}\n",
        )
        .event(
            "meeting",
            "title: Meeting\ndate: 2022-01-05\nactors: [a, hub]\n",
        );
    let mut site = Served::new(f.root());
    site.save(
        "content/actors/hub.yaml",
        "name: Renamed Hub\nkind: organisation\n",
    );
    let served = site.store.pages();
    let (full, _) = site.full();
    let data: Vec<&String> = full.keys().filter(|p| p.starts_with("data/")).collect();
    assert!(data.len() >= 7, "{data:?}");
    for file in data {
        assert!(
            served[file] == full[file],
            "{file} differs from a full build's"
        );
    }
    for file in [
        "data/actors.json",
        "data/entities.ftm.json",
        "data/relations.csv",
    ] {
        let text = String::from_utf8_lossy(&served[file]).into_owned();
        assert!(
            text.contains("Renamed Hub") && !text.contains("\"Hub\""),
            "{file}: {text}"
        );
    }
}

/// The placeholder check keeps what it found in each file between the
/// rebuilds of `serve`: a file left as `dossier new` wrote it keeps its
/// warning through other edits, an edited one loses it, and one that
/// gains a placeholder gets it, as a full build reports.
#[test]
fn placeholders_found_in_serve_follow_each_file_as_a_full_build_does() {
    use crate::harness::Fixture;
    let left = "name: Left\nkind: person\nsummary: What this actor is, in a few words.\n";
    let f = Fixture::new()
        .actor("left", left)
        .actor(
            "edited",
            "name: Edited\nkind: person\nsummary: What this actor is, in a few words.\n",
        )
        .actor("later", "name: Later\nkind: person\n")
        .analysis(
            "a",
            "title: A\ndate: 2022-01-01\nactors: [left, edited, later]",
            "Left, Edited and Later met.\n",
        );
    let mut site = Served::new(f.root());
    let count = |diags: &str, id: &str| {
        diags
            .lines()
            .filter(|l| {
                l.contains(&format!("actors/{id}.yaml")) && l.contains("`dossier new` wrote")
            })
            .count()
    };
    let diags = site.save(
        "content/actors/edited.yaml",
        "name: Edited\nkind: person\nsummary: A person of the briefing.\n",
    );
    assert_eq!(count(&diags, "left"), 1, "{diags}");
    assert_eq!(count(&diags, "edited"), 0, "{diags}");
    let diags = site.save(
        "content/actors/later.yaml",
        "name: Later\nkind: person\nsummary: What happened, in a few sentences.\n",
    );
    assert_eq!(count(&diags, "left"), 1, "{diags}");
    assert_eq!(count(&diags, "edited"), 0, "{diags}");
    assert_eq!(count(&diags, "later"), 1, "{diags}");
    let (_, full) = site.full();
    assert_eq!(
        (
            count(&full, "left"),
            count(&full, "edited"),
            count(&full, "later")
        ),
        (1, 0, 1),
        "{full}"
    );
}

/// `serve` keeps a long analysis's rendered body in its spool: the page
/// shows all of it when first built and when built again from the kept
/// rendering (a change of the site's title renders every page anew but no
/// text), as a full build does.
#[test]
fn a_long_body_kept_by_serve_is_shown_whole_when_its_page_is_rendered_again() {
    use crate::harness::Fixture;
    let body: String = (1..=80)
        .map(|k| format!("Paragraph {k} of the long analysis, with Кириллица too.\n\n"))
        .collect();
    let f = Fixture::new().analysis("long", "title: Long\ndate: 2022-01-05\n", &body);
    let mut site = Served::new(f.root());
    let page = "analyses/long/index.html";
    let shown = |site: &Served| {
        let html = String::from_utf8_lossy(&site.store.pages()[page]).into_owned();
        assert!(html.contains("Paragraph 80 of"), "{page}: {html}");
        assert_eq!(site.store.pages()[page], site.full().0[page], "{page}");
    };
    shown(&site);
    let toml = std::fs::read_to_string(f.root().join("site.toml")).expect("site.toml");
    site.save(
        "site.toml",
        &toml.replace("title = ", "title = \"Renamed\"\n# was: "),
    );
    let html = String::from_utf8_lossy(&site.store.pages()[page]).into_owned();
    assert!(html.contains("Renamed"), "the title did not change: {html}");
    shown(&site);
}

/// A check of fact sheets or sources set to `error` in `site.toml` fails
/// the rebuild in `serve` that breaks it, as it fails a build (`serve`
/// runs the checks that fail a build before its pages, and looks at the
/// fact sheets and sources only when one of their checks is on).
#[test]
fn in_serve_an_error_level_check_of_facts_or_sources_fails_the_rebuild_that_breaks_it() {
    use crate::harness::Fixture;
    let site_toml = "title = \"T\"\nbase_url = \"https://example.org/\"\n[checks]\nunsourced_fact = \"error\"\nunlinked_source = \"error\"\nunreferenced = \"off\"\n";
    let f = Fixture::bare()
        .file("site.toml", site_toml)
        .file(
            "content/sources/report.yaml",
            "title: A report\nurl: https://example.org/report\n",
        )
        .actor(
            "x",
            "name: X\nkind: state\nfacts:\n  - {label: Population, value: \"19m\", source: report}\n",
        )
        .analysis("a", "title: A\ndate: 2022-01-01\nactors: [x]", "X [@report].\n");
    let mut site = Served::new(f.root());
    let mut fails = |rel: &str, text: &str, expected: &str| {
        let path = site.root.join(rel);
        let before = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, text).expect("save");
        let r = dossier::rebuild(
            &site.opts,
            &mut site.caches,
            &Changes::Paths(vec![path.clone()]),
            Target::Store(&site.store),
        );
        let short = diag::render_short(&site.caches.sources, &r.diagnostics);
        assert!(r.result.is_err(), "saving {rel} did not fail: {short}");
        assert!(short.contains(expected), "{short}");
        std::fs::write(&path, before).expect("restore");
        let r = dossier::rebuild(
            &site.opts,
            &mut site.caches,
            &Changes::Paths(vec![path]),
            Target::Store(&site.store),
        );
        assert!(r.result.is_ok(), "restoring {rel} did not mend the build");
    };
    fails(
        "content/actors/x.yaml",
        "name: X\nkind: state\nfacts:\n  - {label: Population, value: \"19m\"}\n",
        "error: content/actors/x.yaml:4:5:",
    );
    fails(
        "content/sources/report.yaml",
        "title: A report\n",
        "error: content/sources/report.yaml:1:1: the source `report` has neither `url` nor `archived`",
    );
}

/// Every page links the list of corrections once an analysis has one:
/// `serve` counts them as analyses change (a correction added, another
/// removed, an analysis with one becoming a draft) and the site matches a
/// full build at each step.
#[test]
fn the_corrections_link_follows_corrections_added_and_removed_in_serve() {
    use crate::harness::Fixture;
    let analysis = |extra: &str| format!("---\ntitle: A\ndate: 2022-01-05\n{extra}---\nText.\n");
    let fixed = "corrections:\n  - {date: 2022-01-06, text: \"Fixed a date.\"}\n";
    let f = Fixture::new()
        .analysis("a", "title: A\ndate: 2022-01-05\n", "Text.\n")
        .analysis("b", "title: B\ndate: 2022-01-07\n", "Other text.\n");
    let mut site = Served::new(f.root());
    let linked = |site: &Served| {
        let pages = site.store.pages();
        let (full, _) = site.full();
        let home = String::from_utf8_lossy(&pages["index.html"]).into_owned();
        assert_eq!(pages["index.html"], full["index.html"], "{home}");
        assert_eq!(
            pages.contains_key("corrections/index.html"),
            full.contains_key("corrections/index.html")
        );
        home.contains("corrections/\">")
    };
    assert!(!linked(&site), "no analysis has a correction yet");
    site.save("content/analyses/a.md", &analysis(fixed));
    assert!(linked(&site), "a correction was added");
    site.save(
        "content/analyses/b.md",
        &analysis(fixed).replace("A\n", "B\n"),
    );
    site.save("content/analyses/a.md", &analysis(""));
    assert!(linked(&site), "b still has one");
    site.save(
        "content/analyses/b.md",
        &analysis(&format!("{fixed}draft: true\n")).replace("A\n", "B\n"),
    );
    assert!(!linked(&site), "the only one with a correction is a draft");
}

/// Relations' notes are rendered with the fact sheets and kept with them
/// while none changes: an unknown id in a note fails every rebuild in
/// `serve` until the note is mended, however many analyses are edited
/// meanwhile.
#[test]
fn an_unknown_id_in_a_relation_note_fails_each_rebuild_in_serve_until_mended() {
    use crate::harness::Fixture;
    let actor = |note: &str| {
        format!(
            "name: A\nkind: person\nrelations:\n  - {{type: member_of, actor: b, note: \"{note}\"}}\n"
        )
    };
    let f = Fixture::new()
        .actor("a", &actor("Named by [[nobody]]."))
        .actor("b", "name: B\nkind: organisation\n")
        .analysis(
            "x",
            "title: X\ndate: 2022-01-05\nactors: [a, b]\n",
            "On [[a]] and [[b]].\n",
        );
    let mut site = Served::open(f.root());
    let mut rebuild = |rel: &str, text: &str| site.try_save(rel, text);
    let unknown = "`nobody`";
    let (ok, short) = rebuild("", "");
    assert!(!ok && short.contains(unknown), "{short}");
    for k in 0..2 {
        let (ok, short) = rebuild(
            "content/analyses/x.md",
            &format!(
                "---\ntitle: X\ndate: 2022-01-05\nactors: [a, b]\n---\nOn [[a]] and [[b]], edit {k}.\n"
            ),
        );
        assert!(!ok && short.contains(unknown), "edit {k}: {short}");
    }
    let (ok, short) = rebuild("content/actors/a.yaml", &actor("Named by [[b]]."));
    assert!(ok, "{short}");
    let page = String::from_utf8_lossy(&site.store.pages()["actors/a/index.html"]).into_owned();
    assert!(page.contains("Named by <a"), "{page}");
}

/// An unknown id written in a summary or a bio in `serve` fails the
/// rebuild that saves it and every one after, until mended: the link
/// stage keeps which texts of the last build name one, and an edit must
/// update that for the texts it renders again.
#[test]
fn an_unknown_id_saved_into_a_summary_or_bio_in_serve_fails_until_mended() {
    use crate::harness::Fixture;
    let actor = |s: &str| format!("name: A\nkind: person\nsummary: \"{s}\"\n");
    let event = |s: &str| format!("title: E\ndate: 2022-01-05\nsummary: \"{s}\"\n");
    let author = |s: &str| format!("name: Writer\nbio: \"{s}\"\n");
    let f = Fixture::new()
        .actor("a", &actor("Fine."))
        .event("e", &event("Fine."))
        .file("content/authors/w.yaml", &author("Fine."))
        .analysis(
            "x",
            "title: X\ndate: 2022-01-05\nauthors: [w]\nactors: [a]\nevents: [e]\n",
            "On [[a]] and [[e]].\n",
        );
    let mut site = Served::open(f.root());
    let mut rebuild = |rel: &str, text: &str| site.try_save(rel, text);
    let (ok, short) = rebuild("", "");
    assert!(ok, "{short}");
    let body = |k: usize| {
        format!(
            "---\ntitle: X\ndate: 2022-01-05\nauthors: [w]\nactors: [a]\nevents: [e]\n---\nOn [[a]] and [[e]], edit {k}.\n"
        )
    };
    let files = [
        (
            "content/actors/a.yaml",
            actor("Named by [[nobody]]."),
            actor("Fine again."),
        ),
        (
            "content/events/e.yaml",
            event("Named by [[nobody]]."),
            event("Fine again."),
        ),
        (
            "content/authors/w.yaml",
            author("Named by [[nobody]]."),
            author("Fine again."),
        ),
    ];
    for (k, (rel, broken, mended)) in files.iter().enumerate() {
        let (ok, short) = rebuild(rel, broken);
        assert!(!ok && short.contains("`nobody`"), "{rel}: {short}");
        let (ok, short) = rebuild("content/analyses/x.md", &body(k));
        assert!(
            !ok && short.contains("`nobody`"),
            "{rel}, then an edit: {short}"
        );
        let (ok, short) = rebuild(rel, mended);
        assert!(ok, "{rel} mended: {short}");
    }
}

/// A correction that links `[[id]]` shows the entity's name as it is now:
/// in `serve`, renaming the actor it links changes it on the analysis's
/// page and the list of corrections, though neither the analysis nor its
/// body changed.
#[test]
fn a_correction_linking_an_actor_follows_its_new_name_in_serve() {
    use crate::harness::Fixture;
    let f = Fixture::new()
        .actor("a", "name: Alpha Person\nkind: person\n")
        .actor("b", "name: Beta Group\nkind: organisation\n")
        .analysis(
            "x",
            "title: X\ndate: 2022-01-05\nactors: [b]\ncorrections:\n  - {date: 2022-01-06, text: \"An earlier version misnamed [[a]].\"}\n",
            "On [[b]].\n",
        );
    let mut site = Served::new(f.root());
    let page =
        |site: &Served, path: &str| String::from_utf8_lossy(&site.store.pages()[path]).into_owned();
    let x = "analyses/x/index.html";
    assert!(
        page(&site, x).contains("Alpha Person"),
        "{}",
        page(&site, x)
    );
    site.save(
        "content/actors/a.yaml",
        "name: Alma Personne\nkind: person\n",
    );
    let now = page(&site, x);
    assert!(
        now.contains("Alma Personne") && !now.contains("Alpha Person"),
        "{now}"
    );
    let list = page(&site, "corrections/index.html");
    assert!(list.contains("Alma Personne"), "{list}");
}

/// An image without alt text saved into an analysis or a summary in
/// `serve` fails that rebuild and each after it until mended (the
/// `missing_alt` check reads only the texts the link stage lists as
/// having one, and an edit must keep that list).
#[test]
fn an_image_without_alt_saved_in_serve_fails_until_mended() {
    use crate::harness::Fixture;
    let analysis = |body: &str| {
        format!("---\ntitle: X\ndate: 2022-01-05\nactors: [a]\n---\nOn [[a]]. {body}\n")
    };
    let actor = |s: &str| format!("name: A\nkind: person\nsummary: \"{s}\"\n");
    let f = Fixture::new()
        .actor("a", &actor("Fine."))
        .analysis(
            "x",
            "title: X\ndate: 2022-01-05\nactors: [a]\n",
            "On [[a]].\n",
        )
        .analysis(
            "y",
            "title: Y\ndate: 2022-01-06\nactors: [a]\n",
            "Also [[a]].\n",
        );
    let mut site = Served::new(f.root());
    let files = [
        (
            "content/analyses/x.md",
            analysis("![](map.png)"),
            analysis("![A map](map.png)"),
        ),
        (
            "content/actors/a.yaml",
            actor("![](map.png)"),
            actor("Fine again."),
        ),
    ];
    for (k, (rel, bad, mended)) in files.iter().enumerate() {
        let (ok, short) = site.try_save(rel, bad);
        assert!(!ok && short.contains("no alt text"), "{rel}: {short}");
        let other =
            format!("---\ntitle: Y\ndate: 2022-01-06\nactors: [a]\n---\nAlso [[a]], {k}.\n");
        let (ok, short) = site.try_save("content/analyses/y.md", &other);
        assert!(
            !ok && short.contains("no alt text"),
            "{rel}, then an edit: {short}"
        );
        let (ok, short) = site.try_save(rel, mended);
        assert!(ok, "{rel} mended: {short}");
    }
}
