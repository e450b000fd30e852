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
            InitError::NotEmpty(dir) => {
                write!(f, "{} already exists and is not empty", dir.display())
            }
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
    Actor,
    Event,
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
summary: "One or two sentences that say what this analysis argues."
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

const ACTOR: &str = r#"# An actor: a person, organisation, state, group or place.
name: "{title}"
kind: organisation   # person | organisation | state | group | place
aliases: []
role: ""
summary: |
  What this actor is and why it matters to the briefing.
facts:
  - label: Founded
    value: "2020"
    as_of: {date}
    source: {title: "Where this figure comes from", url: "https://example.org/"}
links: []
"#;

const EVENT: &str = r#"# An event: something that happened on a date.
title: "{title}"
date: {date}
# end: {date}
place: ""
actors: []
summary: |
  What happened, in a few sentences.
facts: []
sources: []
"#;

/// Creates a new site in `dir`; with `copy_theme`, also a copy of the
/// built-in theme in `themes/default/` to edit.
pub fn init(dir: &Path, copy_theme: bool) -> Result<(), InitError> {
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
    if copy_theme {
        for (path, bytes) in crate::theme::BUILTIN {
            write_new(&dir.join("themes/default").join(path), bytes)?;
        }
    }
    Ok(())
}

/// Creates a new analysis, actor or event named `name` in the site at
/// `root`, returning the path written.
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
    let (path, text) = match kind {
        NewKind::Analysis => (
            content.join("analyses").join(format!("{id}.md")),
            fill(ANALYSIS, &title, &today)
                .replace("actors: [example-actor]\n", "actors: []\n")
                .replace("events: [example-event]\n", "events: []\n")
                .replace("tags: [\"getting started\"]", "tags: []"),
        ),
        NewKind::Actor => (
            content.join("actors").join(format!("{id}.yaml")),
            fill(ACTOR, &title, &today),
        ),
        NewKind::Event => (
            content.join("events").join(format!("{id}.yaml")),
            fill(EVENT, &title, &today),
        ),
    };
    if matches!(kind, NewKind::Actor | NewKind::Event) {
        for dir in ["actors", "events"] {
            for ext in ["yaml", "yml"] {
                let other = content.join(dir).join(format!("{id}.{ext}"));
                if other.exists() {
                    return Err(InitError::IdTaken { id, path: other });
                }
            }
        }
    }
    write_new(&path, text.as_bytes())?;
    Ok(path)
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
