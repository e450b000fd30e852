//! `dossier init` (a new site that builds at once) and `dossier new` (a new
//! analysis, actor or event from a template).

use std::path::{Path, PathBuf};

use crate::model::Date;

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
pub fn init(dir: &Path, copy_theme: bool) -> Result<(), String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!("{} already exists and is not empty", dir.display()));
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
pub fn new_file(root: &Path, kind: NewKind, name: &str) -> Result<PathBuf, String> {
    if !root.join(crate::config::CONFIG_FILE).exists() {
        return Err(format!(
            "{} has no site.toml; run this in a site folder or pass --root",
            root.display()
        ));
    }
    let id = slug::slugify(name);
    if id.is_empty() {
        return Err(format!(
            "cannot make a file name from `{name}`: use some letters or digits"
        ));
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
                    return Err(format!(
                        "the id `{id}` is already used by {}",
                        other.display()
                    ));
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

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if path.exists() {
        return Err(format!("{} already exists", path.display()));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
