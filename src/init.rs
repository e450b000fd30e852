//! `dossier init` (a new site that builds at once) and `dossier new` (a new
//! analysis, actor or event from a template).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::Date;

/// Why `init` or `new` made nothing.
#[derive(Debug)]
pub enum InitError {
    /// `init` was pointed at a folder that already holds something.
    NotEmpty(PathBuf),
    /// The file to create already exists.
    Exists(PathBuf),
    /// `new` was run outside a site.
    NoSite(PathBuf),
    /// The name has nothing to make a file name of.
    NoFileName(String),
    /// `dossier theme` was asked for a file the built-in theme does not have.
    NoSuchThemeFile {
        name: String,
        /// The closest file names, for a hint.
        suggestion: Option<String>,
    },
    /// An actor or event already has this id.
    IdTaken {
        id: String,
        path: PathBuf,
    },
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::NotEmpty(dir) => write!(
                f,
                "{} already exists and is not empty; to copy the built-in theme into an existing site, run `dossier theme --root {}`",
                dir.display(),
                dir.display()
            ),
            InitError::Exists(path) => write!(f, "{} already exists", path.display()),
            InitError::NoSite(root) => write!(
                f,
                "{} has no site.toml; run this in a site folder or pass --root",
                root.display()
            ),
            InitError::NoFileName(name) => write!(
                f,
                "cannot make a file name from `{name}`: use some letters or digits"
            ),
            InitError::NoSuchThemeFile { name, suggestion } => {
                write!(f, "the built-in theme has no file `{name}`")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean `{s}`?"),
                    None => write!(f, "; `dossier theme --list` lists its files"),
                }
            }
            InitError::IdTaken { id, path } => {
                write!(f, "the id `{id}` is already used by {}", path.display())
            }
            InitError::Io(path, e) => write!(f, "cannot write {}: {e}", path.display()),
        }
    }
}

impl std::error::Error for InitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InitError::Io(_, e) => Some(e),
            _ => None,
        }
    }
}

/// What `dossier new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Analysis,
    /// An actor of a kind (`person`, `organisation`…; see [`ACTOR_KINDS`]).
    Actor(&'static str),
    Event,
    Source,
    Author,
}

const SITE_TOML: &str = r#"# The site's settings. See docs/format.md for every key.
title = "My Briefing"
base_url = "https://example.org/"
description = "Analyses, actors and events, cross-linked."
language = "en"
"#;

const ANALYSIS: &str = r#"---
title: "{title}"
date: {date}
summary: "A first analysis, to show how a briefing fits together. Delete it once you have written your own."
authors: ["Your Name"]
tags: ["getting started"]
actors: [example-actor]
events: [example-event]
---

This is an analysis. Link an actor or an event with its id in double
brackets, like [[example-actor]], or give the link your own words:
[[example-event|the founding meeting]].

The first plain mention of an actor's name or alias, such as Example
Organisation, becomes a link by itself.
"#;

/// `dossier new analysis`: a draft that builds on any site, whatever ids
/// it has. Its placeholder texts are in [`PLACEHOLDERS`].
const NEW_ANALYSIS: &str = r#"---
title: "{title}"
date: {date}
summary: "One or two sentences that say what this analysis argues."
authors: []
tags: []
# The ids of the actors and events it is about: the file names in
# content/actors/ and content/events/, without .yaml.
actors: []
events: []
# A draft is left out of the site until you remove this line (or preview
# it with `dossier serve --drafts`).
draft: true
---

Write the analysis here. Link an actor or an event by its id in double
brackets, `[[an-id]]`, or with your own words, `[[an-id|these words]]`; the
first plain mention of an actor's name or alias links by itself. Cite a
source file by its id, `[@a-source-id]`.
"#;

const ACTOR: &str = r#"# An actor: a person, organisation, state, group or place.
name: "{title}"
kind: organisation   # person | organisation | state | group | place
aliases: []
role: ""
summary: |
  An organisation made up for the starter site. Replace it with the actors your
  briefing is about.
facts:
  - label: Founded
    value: "2020"
    as_of: {date}
    source: {title: "Where this figure comes from", url: "https://example.org/"}
links: []
"#;

/// `dossier new actor`: no fact to invent; the shape of one in a comment.
const NEW_ACTOR: &str = r#"# An actor. Every key is described in docs/format.md.
name: "{title}"
kind: {kind}   # person | organisation | state | group | place
aliases: []
role: "What this actor is, in a few words."
summary: |
  What this actor is and why it matters to the briefing.
# country: an-actor-id
# relations:
#   - {type: leads, actor: an-actor-id, role: Chairman, from: 2022-01-05, source: a-source-id}
facts: []
# facts:
#   - label: Members
#     value: "1,200"
#     as_of: {date}
#     source: a-source-id   # or {title: "…", url: "https://…"}
links: []
"#;

const EVENT: &str = r#"# An event: something that happened on a date.
title: "{title}"
date: {date}
# end: {date}
place: ""
actors: []
summary: |
  The founding of the made-up organisation, to show what an event page lists.
facts: []
sources: []
"#;

/// `dossier new event`.
const NEW_EVENT: &str = r#"# An event. Every key is described in docs/format.md.
title: "{title}"
date: {date}          # or 2022-01 or 2022 when only the month or year is known
# end: {date}
# place: an-actor-id  # or the place's name as text
actors: []
# actors:
#   - {id: an-actor-id, role: "what it did"}
summary: |
  What happened, in a few sentences.
facts: []
sources: []
"#;

/// `dossier new source`.
const NEW_SOURCE: &str = r#"# A source: a document the briefing cites, by this file's name.
title: "{title}"
# publisher: an-actor-id   # or the publisher's name as text
# url: https://…
# archived: https://web.archive.org/…
published: {date}
kind: other   # official | media | ngo | academic | dataset | other
"#;

/// `dossier new author`.
const NEW_AUTHOR: &str = r#"# An author: analyses list this file's name under `authors`.
name: "{title}"
# title: Senior Fellow
# affiliation: An Institute
bio: |
  A sentence or two about the author.
"#;

/// Texts the `new` templates write for the author to replace; `check`
/// warns about any left in (the `placeholder` check).
pub(crate) const PLACEHOLDERS: [&str; 6] = [
    "One or two sentences that say what this analysis argues.",
    "Write the analysis here.",
    "What this actor is, in a few words.",
    "What this actor is and why it matters to the briefing.",
    "What happened, in a few sentences.",
    "A sentence or two about the author.",
];

/// A new site's `.gitignore`: the built site, and the generated schemas
/// (`dossier schema` writes them again, with the site's current ids).
const GITIGNORE: &str = "public/\n.dossier/\n";

/// The kinds of actor `dossier new actor --kind` accepts.
pub const ACTOR_KINDS: [&str; 5] = ["person", "organisation", "state", "group", "place"];

/// What `dossier init` writes besides the starter site.
#[derive(Debug, Clone, Copy, Default)]
pub struct InitOptions {
    /// A copy of the built-in theme in `themes/default/`, to edit.
    pub theme: bool,
    /// A GitHub Actions workflow that checks, builds and publishes the site
    /// on GitHub Pages ([`GITHUB_PAGES_WORKFLOW`]).
    pub github_pages: bool,
}

/// The workflow `dossier init --github-pages` writes, as
/// `.github/workflows/pages.yml`; docs/deploy.md quotes it.
pub const GITHUB_PAGES_WORKFLOW: &str = include_str!("init/github-pages.yml");

/// Where `dossier init --github-pages` writes [`GITHUB_PAGES_WORKFLOW`].
pub const GITHUB_PAGES_WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// Creates a new site in `dir`, with what `opts` asks for besides.
pub fn init(dir: &Path, opts: InitOptions) -> Result<(), InitError> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(InitError::NotEmpty(dir.to_path_buf()));
    }
    let today = Date::today().to_string();
    let files: Vec<(PathBuf, String)> = vec![
        (dir.join("site.toml"), SITE_TOML.to_string()),
        (
            dir.join("content/analyses/welcome.md"),
            fill(ANALYSIS, "Welcome to your briefing", &today),
        ),
        (
            dir.join("content/actors/example-actor.yaml"),
            fill(ACTOR, "Example Organisation", &today),
        ),
        (
            dir.join("content/events/example-event.yaml"),
            fill(EVENT, "The example organisation is founded", &today).replace(
                "actors: []",
                "actors:\n  - {id: example-actor, role: founded}",
            ),
        ),
    ];
    for (path, text) in files {
        write_new(&path, text.as_bytes())?;
    }
    // Editors that know the format: schemas, and VS Code's mapping of them.
    crate::schema::write_schemas(dir, None).map_err(|e| match e {
        crate::schema::SchemaError::Io(p, e) => InitError::Io(p, e),
        crate::schema::SchemaError::NoSite(p) => InitError::NoSite(p),
    })?;
    if let Some(settings) = crate::schema::vscode_settings(None) {
        write_new(&dir.join(".vscode/settings.json"), settings.as_bytes())?;
    }
    write_new(&dir.join(".gitignore"), GITIGNORE.as_bytes())?;
    if opts.theme {
        for (path, bytes) in crate::theme::BUILTIN {
            write_new(&dir.join("themes/default").join(path), bytes)?;
        }
    }
    if opts.github_pages {
        write_new(
            &dir.join(GITHUB_PAGES_WORKFLOW_PATH),
            GITHUB_PAGES_WORKFLOW.as_bytes(),
        )?;
    }
    Ok(())
}

/// Creates a new analysis, actor, event, source or author named `name` in
/// the site at `root`, returning the path written. Every file it writes
/// builds on any site.
pub fn new_file(root: &Path, kind: NewKind, name: &str) -> Result<PathBuf, InitError> {
    if !root.join(crate::config::CONFIG_FILE).exists() {
        return Err(InitError::NoSite(root.to_path_buf()));
    }
    let id = slug::slugify(name);
    if id.is_empty() {
        return Err(InitError::NoFileName(name.to_string()));
    }
    let today = Date::today().to_string();
    let title = name.replace('"', "'");
    let content = root.join(crate::load::CONTENT_DIR);
    let yaml = |dir: &str, template: &str| {
        (
            content.join(dir).join(format!("{id}.yaml")),
            fill(template, &title, &today),
        )
    };
    let (path, text) = match kind {
        NewKind::Analysis => (
            content.join("analyses").join(format!("{id}.md")),
            fill(NEW_ANALYSIS, &title, &today),
        ),
        NewKind::Actor(k) => {
            let (path, text) = yaml("actors", NEW_ACTOR);
            (path, text.replace("{kind}", k))
        }
        NewKind::Event => yaml("events", NEW_EVENT),
        NewKind::Source => yaml("sources", NEW_SOURCE),
        NewKind::Author => yaml("authors", NEW_AUTHOR),
    };
    // Actors and events share one namespace of ids; sources and authors
    // have their own.
    let dirs: &[&str] = match kind {
        NewKind::Actor(_) | NewKind::Event => &["actors", "events"],
        NewKind::Source => &["sources"],
        NewKind::Author => &["authors"],
        NewKind::Analysis => &[],
    };
    for dir in dirs {
        for ext in ["yaml", "yml"] {
            let other = content.join(dir).join(format!("{id}.{ext}"));
            if other.exists() {
                return Err(InitError::IdTaken { id, path: other });
            }
        }
    }
    write_new(&path, text.as_bytes())?;
    Ok(path)
}

/// What `dossier theme` did.
#[derive(Debug, Default)]
pub struct ThemeCopy {
    /// The theme folder written into: `themes/<name>/`.
    pub dir: PathBuf,
    /// Files written, relative to `dir`.
    pub copied: Vec<String>,
    /// Files the site already had, left as they were.
    pub kept: Vec<String>,
}

/// The files of the built-in theme: `templates/actor.html`,
/// `static/style.css`, ….
pub fn theme_files() -> impl Iterator<Item = &'static str> {
    crate::theme::BUILTIN.iter().map(|(path, _)| *path)
}

/// Copies the built-in theme, or the files named in `only` (`actor.html`,
/// `templates/actor.html`, `style.css`), into the site's theme folder
/// (`themes/<theme>/`, `theme` from site.toml), never overwriting a file
/// the site already has.
pub fn copy_theme(root: &Path, only: &[String]) -> Result<ThemeCopy, InitError> {
    let config = root.join(crate::config::CONFIG_FILE);
    if !config.exists() {
        return Err(InitError::NoSite(root.to_path_buf()));
    }
    // The theme's name, read leniently: a site.toml with errors still gets
    // its theme copied (`build` reports the errors).
    let name = std::fs::read_to_string(&config)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| t.get("theme")?.as_str().map(str::to_string))
        .filter(|n| !n.is_empty() && !n.contains(['/', '\\']) && n != "." && n != "..")
        .unwrap_or_else(|| "default".into());
    let mut wanted: Vec<&'static str> = Vec::new();
    for want in only {
        let want = want.trim_start_matches("./");
        let found = theme_files().find(|f| {
            *f == want || f.rsplit('/').next() == Some(want) || f.ends_with(&format!("/{want}"))
        });
        match found {
            Some(f) => wanted.push(f),
            None => {
                let suggestion = crate::diag::did_you_mean(
                    want,
                    theme_files().map(|f| f.rsplit('/').next().unwrap_or(f)),
                )
                .map(str::to_string);
                return Err(InitError::NoSuchThemeFile {
                    name: want.to_string(),
                    suggestion,
                });
            }
        }
    }
    if only.is_empty() {
        wanted = theme_files().collect();
    }
    let dir = root.join("themes").join(&name);
    let mut done = ThemeCopy {
        dir: dir.clone(),
        ..ThemeCopy::default()
    };
    for (path, bytes) in crate::theme::BUILTIN {
        if !wanted.contains(path) {
            continue;
        }
        let target = dir.join(path);
        if target.exists() {
            done.kept.push(path.to_string());
        } else {
            write_new(&target, bytes)?;
            done.copied.push(path.to_string());
        }
    }
    Ok(done)
}

fn fill(template: &str, title: &str, date: &str) -> String {
    template.replace("{title}", title).replace("{date}", date)
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), InitError> {
    if path.exists() {
        return Err(InitError::Exists(path.to_path_buf()));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| InitError::Io(parent.to_path_buf(), e))?;
    }
    std::fs::write(path, bytes).map_err(|e| InitError::Io(path.to_path_buf(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh site must check clean, and every placeholder the check
    /// looks for must be one a template writes.
    #[test]
    fn placeholders_are_in_new_templates_only() {
        for starter in [SITE_TOML, ANALYSIS, ACTOR, EVENT] {
            for p in PLACEHOLDERS {
                assert!(!starter.contains(p), "a starter file holds {p:?}");
            }
        }
        let new = [NEW_ANALYSIS, NEW_ACTOR, NEW_EVENT, NEW_SOURCE, NEW_AUTHOR].concat();
        for p in PLACEHOLDERS {
            assert!(new.contains(p), "no template writes {p:?}");
        }
    }
}
