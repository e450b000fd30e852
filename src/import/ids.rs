//! Ids across rows and the site: two rows may not make one, a row whose id
//! exists is skipped, and every id a row names must be known.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::ImportKind;
use super::rows::{Entry, Target};
use super::sheet::{Header, Key};
use crate::diag::{Diagnostic, Diagnostics, did_you_mean, display_path};
use crate::model::is_valid_id;

/// The ids of the site's actors and events, each with its file.
#[derive(Debug, Default)]
pub(super) struct Existing {
    pub(super) actors: BTreeMap<String, String>,
    pub(super) events: BTreeMap<String, String>,
}

impl Existing {
    pub(super) fn get(&self, id: &str) -> Option<(Target, &str)> {
        self.actors
            .get(id)
            .map(|p| (Target::Actor, p.as_str()))
            .or_else(|| self.events.get(id).map(|p| (Target::Event, p.as_str())))
    }
}

/// Every fact sheet of `content/actors/` and `content/events/` (in
/// sub-folders too), by id, as the build finds them; translations are not
/// ids of their own.
pub(super) fn existing_ids(root: &Path) -> Existing {
    let mut found = Existing::default();
    for (folder, map) in [("actors", &mut found.actors), ("events", &mut found.events)] {
        let dir = root.join(crate::load::CONTENT_DIR).join(folder);
        let walker = walkdir::WalkDir::new(&dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !crate::load::is_ignored_name(&e.file_name().to_string_lossy())
            });
        for entry in walker.flatten() {
            let path = entry.path();
            let yaml = path.extension().is_some_and(|e| {
                matches!(e.to_string_lossy().to_lowercase().as_str(), "yaml" | "yml")
            });
            if entry.file_type().is_dir() || !yaml {
                continue;
            }
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let (id, None) = crate::load::split_language(&stem) {
                map.entry(id).or_insert_with(|| display_path(root, path));
            }
        }
    }
    found
}

/// Two rows may not make one id, and a row whose id exists is skipped (with
/// a warning). Returns the indices of the rows skipped.
pub(super) fn check_ids(
    entries: &[Entry],
    existing: &Existing,
    header: &Header,
    kind: ImportKind,
    diags: &mut Diagnostics,
) -> BTreeSet<usize> {
    let mut skipped = BTreeSet::new();
    let mut first: BTreeMap<&str, &Entry> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(id) = &e.id else { continue };
        if let Some(before) = first.get(id.id.as_str()) {
            let fix = if header.has(Key::Id) {
                "give one of them another id in the `id` column"
            } else {
                "add an `id` column and give one of them another id"
            };
            let mut d = Diagnostic::error(format!(
                "rows {} and {} both make the id `{}`",
                before.row, e.row, id.id
            ))
            .at(id.span.clone())
            .label(id.label.clone())
            .hint(fix);
            if let Some(other) = &before.id {
                d = d.related(other.span.clone(), format!("row {}", before.row));
            }
            diags.push(d);
            continue;
        }
        first.insert(&id.id, e);
        let Some((target, path)) = existing.get(&id.id) else {
            continue;
        };
        let same = matches!(
            (target, kind),
            (Target::Actor, ImportKind::Actors) | (Target::Event, ImportKind::Events)
        );
        let hint = if same {
            "dossier never overwrites a fact sheet: edit that file to add what this row says"
                .to_string()
        } else {
            format!(
                "actors and events share their ids: give this row an id of its own {}",
                if header.has(Key::Id) {
                    "in the `id` column"
                } else {
                    "in an `id` column"
                }
            )
        };
        diags.push(
            Diagnostic::warning(format!(
                "row {} is skipped: the id `{}` is already {path}",
                e.row, id.id
            ))
            .at(id.span.clone())
            .label(id.label.clone())
            .hint(hint),
        );
        skipped.insert(i);
    }
    skipped
}

/// Every id a row names must be an actor or event of the site or of this
/// file, of the right kind, and not the row itself.
pub(super) fn check_references(
    entries: &[Entry],
    existing: &Existing,
    kind: ImportKind,
    diags: &mut Diagnostics,
) {
    let own = entries
        .iter()
        .filter_map(|e| e.id.as_ref().map(|i| i.id.as_str()));
    let mut actors: BTreeSet<&str> = existing.actors.keys().map(String::as_str).collect();
    let mut events: BTreeSet<&str> = existing.events.keys().map(String::as_str).collect();
    match kind {
        ImportKind::Actors => actors.extend(own),
        ImportKind::Events => events.extend(own),
    }
    for e in entries {
        for r in &e.refs {
            let (known, other) = match r.to {
                Target::Actor => (&actors, &events),
                Target::Event => (&events, &actors),
            };
            let noun = r.to.noun();
            let place = match (r.to, kind) {
                (Target::Actor, ImportKind::Actors) => {
                    "its file name in content/actors/ without .yaml, or the id a row of this file makes"
                }
                (Target::Actor, ImportKind::Events) => {
                    "its file name in content/actors/ without .yaml (import actors before the events they took part in)"
                }
                (Target::Event, _) => {
                    "its file name in content/events/ without .yaml, or the id a row of this file makes"
                }
            };
            let d = if r.not_self && e.id.as_ref().is_some_and(|i| i.id == r.id) {
                Diagnostic::error(format!("`{}` is this row's own id", r.id)).hint(match r.to {
                    Target::Actor => "`member_of` names the actors this one belongs to",
                    Target::Event => "`part_of` names a larger event",
                })
            } else if !is_valid_id(&r.id) {
                let slug = slug::slugify(&r.id);
                Diagnostic::error(format!("`{}` is not an id", r.id))
                    .hint_opt(
                        known
                            .contains(slug.as_str())
                            .then(|| format!("did you mean `{slug}`?")),
                    )
                    .hint(format!("write the {noun}'s id: {place}"))
            } else if known.contains(r.id.as_str()) {
                continue;
            } else if other.contains(r.id.as_str()) {
                let other_noun = match r.to {
                    Target::Actor => "an event",
                    Target::Event => "an actor",
                };
                Diagnostic::error(format!("`{}` is {other_noun}, not an {noun}", r.id))
                    .hint(format!("write the {noun}'s id: {place}"))
            } else {
                Diagnostic::error(format!("unknown {noun} id `{}`", r.id)).hint(match did_you_mean(
                    &r.id,
                    known.iter().copied(),
                ) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("write the {noun}'s id: {place}"),
                })
            };
            diags.push(d.at(r.span.clone()).label(r.label.clone()));
        }
    }
}
