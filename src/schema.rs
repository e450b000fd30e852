//! `dossier schema`: JSON Schemas of the files an author writes, so that an
//! editor (VS Code, Zed, Neovim, Helix through the YAML language server)
//! completes keys, kinds and relation types, shows what each key means, and
//! underlines a misspelt key before any build.
//!
//! The fact-sheet and front-matter schemas are derived from the very structs
//! the loader parses those files into (`load::raw`, with `schemars`), so they
//! cannot drift from what a build accepts: a key the build rejects is one the
//! schema does not have, since both come from `deny_unknown_fields`. What
//! the structs cannot know is filled in here from the site: the kinds, the
//! relation types it declares in `site.toml`, and its current ids, offered
//! as examples (a new id is not an error, so they are no `enum`).
//! `site.toml` is read key by key rather than through a struct, so its
//! schema is written from the loader's list of keys, and a test holds the
//! two together.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde_json::{Value, json};

use crate::checks::{Check, Level};
use crate::config;
use crate::diag::{Diagnostics, Sources};
use crate::load::raw;
use crate::model::{ActorKind, SourceKind};

/// Where `dossier schema` writes, under the site, unless told otherwise;
/// generated files, like Astro's `.astro/`.
pub const SCHEMA_DIR: &str = ".dossier/schemas";

/// Why `dossier schema` wrote nothing.
#[derive(Debug)]
pub enum SchemaError {
    /// There is no `site.toml` at the root.
    NoSite(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaError::NoSite(root) => write!(
                f,
                "{} has no site.toml; run this in a site folder or pass --root",
                root.display()
            ),
            SchemaError::Io(path, e) => write!(f, "cannot write {}: {e}", path.display()),
        }
    }
}

impl std::error::Error for SchemaError {}

/// One schema: its file name and the files of a site it describes (globs
/// relative to the site, as editors take them).
pub struct SchemaFile {
    pub name: &'static str,
    pub files: &'static [&'static str],
    pub json: String,
}

/// Which schema describes which files. A translation (`tokayev.ru.yaml`)
/// has a schema of its own, and the one of its originals leaves it out.
pub const MAPPING: [(&str, &[&str]); 11] = [
    ("site.json", &["site.toml"]),
    ("analysis.json", &["content/analyses/**/*.md"]),
    ("translation.json", &["content/analyses/**/*.*.md"]),
    (
        "actor.json",
        &["content/actors/**/*.yaml", "!content/actors/**/*.*.yaml"],
    ),
    ("actor-text.json", &["content/actors/**/*.*.yaml"]),
    (
        "event.json",
        &["content/events/**/*.yaml", "!content/events/**/*.*.yaml"],
    ),
    ("event-text.json", &["content/events/**/*.*.yaml"]),
    (
        "source.json",
        &["content/sources/**/*.yaml", "!content/sources/**/*.*.yaml"],
    ),
    ("source-text.json", &["content/sources/**/*.*.yaml"]),
    (
        "author.json",
        &["content/authors/**/*.yaml", "!content/authors/**/*.*.yaml"],
    ),
    ("author-text.json", &["content/authors/**/*.*.yaml"]),
];

/// The ids a site has now, by kind, offered as completions.
#[derive(Default)]
struct Ids {
    actors: Vec<String>,
    events: Vec<String>,
    sources: Vec<String>,
    authors: Vec<String>,
}

impl Ids {
    /// File names under `content/<kind>/`, translations left out.
    fn of(root: &Path) -> Ids {
        let list = |dir: &str| {
            let mut ids: Vec<String> = walkdir::WalkDir::new(root.join("content").join(dir))
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .filter(|e| {
                    e.path()
                        .extension()
                        .is_some_and(|x| x == "yaml" || x == "yml")
                })
                .filter_map(|e| Some(e.path().file_stem()?.to_str()?.to_string()))
                .filter(|id| !id.contains('.'))
                .collect();
            ids.sort();
            ids.dedup();
            ids
        };
        Ids {
            actors: list("actors"),
            events: list("events"),
            sources: list("sources"),
            authors: list("authors"),
        }
    }
}

/// Every schema of the site at `root`, with its relation types and ids.
/// A `site.toml` with mistakes still gives schemas, with the built-in
/// relation types; its mistakes are the build's to report.
pub fn schemas(root: &Path) -> Result<Vec<SchemaFile>, SchemaError> {
    if !root.join(config::CONFIG_FILE).is_file() {
        return Err(SchemaError::NoSite(root.to_path_buf()));
    }
    let mut sources = Sources::default();
    let mut diags = Diagnostics::new();
    let config = config::load(root, None, &mut sources, &mut diags);
    let relation_types: Vec<String> = match &config {
        Some(c) => c.relation_types.iter().map(|t| t.name.clone()).collect(),
        None => config::RELATION_TYPES
            .iter()
            .map(|(n, _, _)| n.to_string())
            .collect(),
    };
    let site = Site {
        ids: Ids::of(root),
        relation_types,
    };
    let make = |name: &'static str, schema: schemars::Schema, title: &str| {
        let mut v = schema.to_value();
        site.fill(&mut v);
        v["title"] = json!(title);
        v["$id"] = json!(format!("https://dossier.invalid/schemas/{name}"));
        let files = MAPPING
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[][..], |(_, f)| *f);
        SchemaFile {
            name,
            files,
            json: serde_json::to_string_pretty(&v).unwrap_or_default() + "\n",
        }
    };
    Ok(vec![
        make("site.json", site_toml(), "dossier: site.toml"),
        make(
            "analysis.json",
            draft07::<raw::RawAnalysis>(),
            "dossier: an analysis's front matter",
        ),
        make(
            "translation.json",
            draft07::<raw::RawTranslation>(),
            "dossier: a translated analysis's front matter",
        ),
        make(
            "actor.json",
            draft07::<raw::RawActor>(),
            "dossier: an actor's fact sheet",
        ),
        make(
            "actor-text.json",
            draft07::<raw::RawActorText>(),
            "dossier: an actor's fact sheet in another language (text only)",
        ),
        make(
            "event.json",
            draft07::<raw::RawEvent>(),
            "dossier: an event's fact sheet",
        ),
        make(
            "event-text.json",
            draft07::<raw::RawEventText>(),
            "dossier: an event's fact sheet in another language (text only)",
        ),
        make(
            "source.json",
            draft07::<raw::RawSource>(),
            "dossier: a source",
        ),
        make(
            "source-text.json",
            draft07::<raw::RawSourceText>(),
            "dossier: a source's title in another language",
        ),
        make(
            "author.json",
            draft07::<raw::RawAuthor>(),
            "dossier: an author",
        ),
        make(
            "author-text.json",
            draft07::<raw::RawAuthorText>(),
            "dossier: an author in another language (text only)",
        ),
    ])
}

/// The schema of `T`, in draft 7: what the YAML language server and most
/// editors read.
fn draft07<T: JsonSchema>() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// Writes every schema into `dir` (by default [`SCHEMA_DIR`] under the
/// site), returning the files written.
pub fn write_schemas(root: &Path, dir: Option<&Path>) -> Result<Vec<PathBuf>, SchemaError> {
    let schemas = schemas(root)?;
    let dir = dir.map_or_else(|| root.join(SCHEMA_DIR), Path::to_path_buf);
    std::fs::create_dir_all(&dir).map_err(|e| SchemaError::Io(dir.clone(), e))?;
    let mut written = Vec::new();
    for s in schemas {
        let path = dir.join(s.name);
        // Unchanged files are left alone, so an editor watching them does
        // not reload for nothing.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(s.json.as_str()) {
            std::fs::write(&path, &s.json).map_err(|e| SchemaError::Io(path.clone(), e))?;
        }
        written.push(path);
    }
    Ok(written)
}

/// VS Code's settings for a site whose schemas are in [`SCHEMA_DIR`]: the
/// YAML language server's `yaml.schemas` (and Even Better TOML's for
/// `site.toml`), merged into `existing` settings when there are some.
pub fn vscode_settings(existing: Option<&str>) -> Option<String> {
    let mut settings: serde_json::Map<String, Value> = match existing {
        Some(text) => match serde_json::from_str(text) {
            Ok(Value::Object(m)) => m,
            // Settings with comments or in another shape are the author's:
            // leave them, and say how in the docs.
            _ => return None,
        },
        None => serde_json::Map::new(),
    };
    let mut yaml = serde_json::Map::new();
    for (name, files) in MAPPING {
        if name == "site.json" || files[0].ends_with(".md") {
            continue;
        }
        yaml.insert(format!("./{SCHEMA_DIR}/{name}"), json!(files));
    }
    settings.insert("yaml.schemas".into(), Value::Object(yaml));
    settings.insert(
        "evenBetterToml.schema.associations".into(),
        json!({ r"site\.toml$": format!("./{SCHEMA_DIR}/site.json") }),
    );
    Some(serde_json::to_string_pretty(&Value::Object(settings)).unwrap_or_default() + "\n")
}

/// What a schema of this site knows beyond its structs.
struct Site {
    ids: Ids,
    relation_types: Vec<String>,
}

/// A year, a month or a day, as every date key but an analysis's `date`
/// takes it. A year written bare is a YAML number, which is fine.
const DATE_PATTERN: &str = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$";
const DAY_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

impl Site {
    /// Walks a generated schema: a value may be null nowhere (an empty key
    /// is a mistake in dossier's files), and each `x-dossier` mark becomes
    /// what the site knows: kinds and relation types as an `enum`, ids as
    /// `examples`, dates as a `pattern`.
    fn fill(&self, v: &mut Value) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Array(types)) = map.get("type") {
                    let kept: Vec<Value> = types
                        .iter()
                        .filter(|t| t.as_str() != Some("null"))
                        .cloned()
                        .collect();
                    let kept = match kept.len() {
                        1 => kept[0].clone(),
                        _ => Value::Array(kept),
                    };
                    map.insert("type".into(), kept);
                }
                // `Option<Struct>` comes as `anyOf: [{$ref}, {type: null}]`.
                if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                    any.retain(|a| a.get("type").and_then(Value::as_str) != Some("null"));
                    if any.len() == 1
                        && let Some(Value::Object(only)) = any.pop()
                    {
                        map.remove("anyOf");
                        for (k, v) in only {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
                if let Some(mark) = map.remove("x-dossier") {
                    let mark = mark.as_str().unwrap_or_default().to_string();
                    let target = match map.get_mut("items") {
                        Some(Value::Object(items)) => items,
                        _ => &mut *map,
                    };
                    self.apply(&mark, target);
                }
                for (_, child) in map.iter_mut() {
                    self.fill(child);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|c| self.fill(c)),
            _ => {}
        }
    }

    fn apply(&self, mark: &str, target: &mut serde_json::Map<String, Value>) {
        let ids = |list: &[String]| json!(list);
        match mark {
            "actor" => {
                target.insert("examples".into(), ids(&self.ids.actors));
            }
            "event" => {
                target.insert("examples".into(), ids(&self.ids.events));
            }
            "source" => {
                target.insert("examples".into(), ids(&self.ids.sources));
            }
            "author" => {
                target.insert("examples".into(), ids(&self.ids.authors));
            }
            "actor-kind" => {
                let kinds: Vec<&str> = ActorKind::ALL.iter().map(|k| k.as_str()).collect();
                target.insert("enum".into(), json!(kinds));
            }
            "source-kind" => {
                let kinds: Vec<&str> = SourceKind::ALL.iter().map(|k| k.as_str()).collect();
                target.insert("enum".into(), json!(kinds));
            }
            "relation-type" => {
                target.insert("enum".into(), json!(self.relation_types));
            }
            "date" => {
                target.insert("type".into(), json!(["string", "integer"]));
                target.insert("pattern".into(), json!(DATE_PATTERN));
            }
            "day" => {
                target.insert("pattern".into(), json!(DAY_PATTERN));
            }
            _ => {}
        }
        if let Some(Value::Array(list)) = target.get("examples")
            && list.is_empty()
        {
            target.remove("examples");
        }
    }
}

/// The schema of `site.toml`, written from the loader's keys.
fn site_toml() -> schemars::Schema {
    let text = |d: &str| json!({"type": "string", "description": d});
    let count = |d: &str| json!({"type": "integer", "minimum": 0, "description": d});
    let mut checks = serde_json::Map::new();
    for check in Check::ALL {
        let default = match check.default_level() {
            Level::Off => "off",
            Level::Warn => "warn",
            Level::Error => "error",
        };
        checks.insert(
            check.name().into(),
            json!({
                "enum": ["off", "warn", "error"],
                "description": format!("How strict the {} check is (default: {default}).", check.name()),
            }),
        );
    }
    checks.insert(
        "stale_after_days".into(),
        count("How old, in days, a fact's as_of may be before stale_fact fires."),
    );
    let relation = json!({
        "type": "object",
        "properties": {
            "label": text("How this actor's page heads the relation (\"Advises\")."),
            "inverse": text("How the other actor's page heads it (\"Advised by\")."),
            "symmetric": {"type": "boolean", "description": "The same both ways (allied_with); then no inverse."},
        },
        "additionalProperties": false,
    });
    let language = json!({
        "type": "object",
        "properties": {
            "title": text("The site's name in this language."),
            "description": text("One sentence about the site in this language."),
        },
        "additionalProperties": false,
    });
    let properties: BTreeMap<&str, Value> = BTreeMap::from([
        (
            "title",
            text("The site's name, in the masthead and every page title."),
        ),
        (
            "base_url",
            json!({"type": "string", "pattern": "^https?://", "description": "The address the site is served from; it may carry a subpath (\"https://example.org/watch/\")."}),
        ),
        (
            "language",
            text("The default language: a BCP 47 tag (en, ru, fr-CA)."),
        ),
        ("description", text("One sentence about the site.")),
        (
            "theme",
            text("The theme: a folder themes/<name>/ (default \"default\")."),
        ),
        (
            "output_dir",
            text("Where `dossier build` writes the site (default \"public\")."),
        ),
        (
            "autolink",
            json!({"type": "boolean", "description": "Link mentions of actors' names automatically (default true)."}),
        ),
        (
            "feed_limit",
            count("How many analyses each Atom feed lists; 0 lists all (default 20)."),
        ),
        (
            "paginate",
            count("Analyses per page of lists; 0 keeps one page (default 20)."),
        ),
        (
            "paginate_events",
            count("Events per page of the events list; 0 keeps one page (default 100)."),
        ),
        (
            "related",
            count("How many related analyses each analysis ends with; 0 shows none (default 5)."),
        ),
        (
            "data_license",
            text("The licence of the open data under /data/ (\"CC BY 4.0\")."),
        ),
        (
            "search",
            json!({"enum": ["full", "summaries", "off"], "description": "What the in-browser search covers (default \"full\")."}),
        ),
        (
            "checks",
            json!({"type": "object", "properties": checks, "additionalProperties": false, "description": "How strict each check is: off, warn or error."}),
        ),
        (
            "relations",
            json!({"type": "object", "additionalProperties": relation, "description": "Types of relation the site adds: [relations.<type>]."}),
        ),
        (
            "languages",
            json!({"type": "object", "additionalProperties": language, "description": "Further languages the site publishes in: [languages.<code>]."}),
        ),
    ]);
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": properties,
        "required": ["title", "base_url"],
        "additionalProperties": false,
    });
    schemars::Schema::try_from(schema).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn parsed(schemas: &[SchemaFile], name: &str) -> Value {
        let s = schemas.iter().find(|s| s.name == name).unwrap();
        serde_json::from_str(&s.json).unwrap()
    }

    #[test]
    fn site_toml_schema_has_exactly_the_loader_s_keys() {
        let dir = site_with(&[(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://e.org/\"\n",
        )]);
        let all = schemas(dir.path()).unwrap();
        let site = parsed(&all, "site.json");
        let mut keys: Vec<&str> = site["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        let mut loader = config::KEYS.to_vec();
        loader.sort();
        assert_eq!(keys, loader);
        let checks = site["properties"]["checks"]["properties"]
            .as_object()
            .unwrap();
        for check in Check::ALL {
            assert!(checks.contains_key(check.name()), "{}", check.name());
        }
    }

    #[test]
    fn every_key_of_every_schema_says_what_it_is() {
        let dir = site_with(&[(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://e.org/\"\n",
        )]);
        fn walk(v: &Value, at: &str, missing: &mut Vec<String>) {
            if let Some(props) = v.get("properties").and_then(Value::as_object) {
                for (k, p) in props {
                    let described = p.get("description").is_some()
                        || p.get("$ref").is_some()
                        || p.get("items").and_then(|i| i.get("$ref")).is_some();
                    if !described {
                        missing.push(format!("{at}.{k}"));
                    }
                    walk(p, &format!("{at}.{k}"), missing);
                }
            }
            if let Some(defs) = v.get("definitions").and_then(Value::as_object) {
                for (k, d) in defs {
                    walk(d, &format!("{at}#{k}"), missing);
                }
            }
        }
        let mut missing = Vec::new();
        for s in schemas(dir.path()).unwrap() {
            walk(
                &serde_json::from_str(&s.json).unwrap(),
                s.name,
                &mut missing,
            );
        }
        assert!(missing.is_empty(), "no description: {missing:?}");
    }

    #[test]
    fn the_site_s_ids_kinds_and_relation_types_are_offered() {
        let dir = site_with(&[
            (
                "site.toml",
                "title = \"T\"\nbase_url = \"https://e.org/\"\n[relations.advises]\nlabel = \"Advises\"\ninverse = \"Advised by\"\n",
            ),
            ("content/actors/tokayev.yaml", "name: T\nkind: person\n"),
            ("content/actors/tokayev.ru.yaml", "name: Т\n"),
            ("content/events/unrest.yaml", "title: U\ndate: 2022\n"),
        ]);
        let all = schemas(dir.path()).unwrap();
        let actor = parsed(&all, "actor.json");
        assert_eq!(
            actor["properties"]["kind"]["enum"],
            json!(["person", "organisation", "state", "group", "place"])
        );
        assert_eq!(
            actor["properties"]["country"]["examples"],
            json!(["tokayev"])
        );
        assert_eq!(
            actor["properties"]["affiliations"]["items"]["examples"],
            json!(["tokayev"])
        );
        assert_eq!(actor["required"], json!(["name", "kind"]));
        assert_eq!(actor["additionalProperties"], json!(false));
        let relation = &actor["definitions"]["RawRelation"]["properties"];
        let types = relation["type"]["enum"].as_array().unwrap();
        assert!(types.contains(&json!("advises")) && types.contains(&json!("leads")));
        assert_eq!(relation["from"]["pattern"], json!(DATE_PATTERN));
        let event = parsed(&all, "event.json");
        assert_eq!(
            event["properties"]["part_of"]["examples"],
            json!(["unrest"])
        );
        // No key anywhere may be null.
        assert!(!all.iter().any(|s| s.json.contains("\"null\"")));
    }

    #[test]
    fn vscode_settings_are_merged_into_the_author_s() {
        let merged = vscode_settings(Some("{\"editor.wordWrap\": \"on\"}")).unwrap();
        let v: Value = serde_json::from_str(&merged).unwrap();
        assert_eq!(v["editor.wordWrap"], "on");
        assert_eq!(
            v["yaml.schemas"]["./.dossier/schemas/actor.json"],
            json!(["content/actors/**/*.yaml", "!content/actors/**/*.*.yaml"])
        );
        // Settings with comments are left to the author.
        assert!(vscode_settings(Some("// mine\n{}")).is_none());
    }
}
