//! Each row read as an actor or an event: every cell checked as the fact
//! sheet would check it (kinds, dates, ids, Wikidata items), each problem
//! reported at its cell, with the spreadsheet's name for it (`cell C4`).

use super::sheet::{Header, Key};
use super::table::{Cell, Row, column_letters};
use crate::diag::{Diagnostic, Diagnostics, SourceId, Span, did_you_mean};
use crate::model::{ActorKind, Date, is_valid_id};

/// The cells of one row, by key.
pub(super) struct Fields<'a> {
    pub(super) row: &'a Row,
    pub(super) header: &'a Header,
    pub(super) source: SourceId,
}

impl<'a> Fields<'a> {
    pub(super) fn get(&self, key: Key) -> Option<Field<'a>> {
        let column = self.header.column(key)?;
        let cell = self.row.cells.get(column)?;
        let name = self.header.names.get(column).map_or("", String::as_str);
        Some(Field {
            cell,
            column,
            row: self.row.number,
            name,
            source: self.source,
        })
    }

    /// The trimmed text of the cell under `key`, if there is one that is not
    /// empty.
    pub(super) fn text(&self, key: Key) -> Option<String> {
        self.get(key)
            .map(|f| f.text().to_string())
            .filter(|t| !t.is_empty())
    }
}

/// One cell, with what a diagnostic about it needs.
#[derive(Clone, Copy)]
pub(super) struct Field<'a> {
    pub(super) cell: &'a Cell,
    pub(super) column: usize,
    pub(super) row: usize,
    /// The column's name as the header row writes it (`Type`).
    pub(super) name: &'a str,
    pub(super) source: SourceId,
}

impl Field<'_> {
    pub(super) fn text(&self) -> &str {
        self.cell.text.trim()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.text().is_empty()
    }

    pub(super) fn span(&self) -> Span {
        Span::new(self.source, self.cell.range.clone())
    }

    /// `cell C4 (kind)`: where the author finds it in the spreadsheet.
    pub(super) fn label(&self) -> String {
        format!(
            "cell {}{} ({})",
            column_letters(self.column),
            self.row,
            self.name
        )
    }

    /// The items of a list cell (`a; b; c`), trimmed, empty ones left out,
    /// each with its own span where the cell is written verbatim.
    pub(super) fn items(&self) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        let mut offset = 0;
        for piece in self.cell.text.split(';') {
            let item = piece.trim();
            if !item.is_empty() {
                let lead = piece.len() - piece.trim_start().len();
                let span = match self.cell.verbatim {
                    Some(at) => {
                        let start = at + offset + lead;
                        Span::new(self.source, start..start + item.len())
                    }
                    None => self.span(),
                };
                out.push((item.to_string(), span));
            }
            offset += piece.len() + 1;
        }
        out
    }

    /// A reference to another actor or event.
    pub(super) fn reference(
        &self,
        id: String,
        span: Span,
        to: Target,
        not_self: bool,
    ) -> Reference {
        Reference {
            id,
            span,
            label: self.label(),
            to,
            not_self,
        }
    }
}

/// What a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Actor,
    Event,
}

impl Target {
    pub(super) fn noun(self) -> &'static str {
        match self {
            Target::Actor => "actor",
            Target::Event => "event",
        }
    }
}

/// An id a row names in `country`, `member_of`, `actors` or `part_of`.
pub(super) struct Reference {
    pub(super) id: String,
    pub(super) span: Span,
    pub(super) label: String,
    pub(super) to: Target,
    /// Whether naming the row's own id is a mistake (`member_of`,
    /// `part_of`).
    pub(super) not_self: bool,
}

/// A row's id, and the cell it comes from: the `id` cell, or the name or
/// title it was made from.
pub(super) struct RowId {
    pub(super) id: String,
    pub(super) span: Span,
    pub(super) label: String,
}

/// One row, read.
pub(super) struct Entry {
    pub(super) row: usize,
    pub(super) id: Option<RowId>,
    /// The actor's name or the event's title.
    pub(super) name: String,
    pub(super) refs: Vec<Reference>,
    /// None when the row has errors.
    pub(super) sheet: Option<FactSheet>,
}

/// What a row becomes.
pub(super) enum FactSheet {
    Actor(ActorSheet),
    Event(EventSheet),
}

pub(super) struct ActorSheet {
    pub(super) name: String,
    pub(super) kind: ActorKind,
    pub(super) aliases: Vec<String>,
    pub(super) role: Option<String>,
    pub(super) country: Option<String>,
    pub(super) summary: Option<String>,
    pub(super) wikidata: Option<String>,
    pub(super) member_of: Vec<String>,
}

pub(super) struct EventSheet {
    pub(super) title: String,
    pub(super) aliases: Vec<String>,
    pub(super) date: Date,
    pub(super) end: Option<Date>,
    pub(super) place: Option<String>,
    pub(super) part_of: Option<String>,
    pub(super) actors: Vec<String>,
    pub(super) summary: Option<String>,
}

/// A row of an actors file.
pub(super) fn actor_entry(
    f: &Fields<'_>,
    default_kind: Option<ActorKind>,
    diags: &mut Diagnostics,
) -> Entry {
    let errors = diags.error_count();
    let row = f.row.number;
    let name = f.text(Key::Name);
    if let Some(cell) = f.get(Key::Name).filter(Field::is_empty) {
        diags.push(
            Diagnostic::error(format!("row {row} has no name"))
                .at(cell.span())
                .label(cell.label())
                .hint("every actor needs a name"),
        );
    }
    let kind = match f.get(Key::Kind).filter(|c| !c.is_empty()) {
        Some(cell) => actor_kind(&cell, diags),
        None => {
            if let (None, Some(cell)) = (default_kind, f.get(Key::Kind)) {
                diags.push(
                    Diagnostic::error(format!("row {row} has no kind"))
                        .at(cell.span())
                        .label(cell.label())
                        .hint(format!(
                            "write {} in {}{row}, or give every row without a kind one with `--kind person`",
                            kinds_in_words(),
                            column_letters(cell.column)
                        )),
                );
            }
            default_kind
        }
    };
    let id = row_id(f, Key::Name, diags);
    let mut refs = Vec::new();
    let country = f.get(Key::Country).filter(|c| !c.is_empty()).map(|cell| {
        let id = cell.text().to_string();
        refs.push(cell.reference(id.clone(), cell.span(), Target::Actor, false));
        id
    });
    let mut member_of = Vec::new();
    if let Some(cell) = f.get(Key::MemberOf) {
        for (id, span) in cell.items() {
            refs.push(cell.reference(id.clone(), span, Target::Actor, true));
            member_of.push(id);
        }
    }
    let wikidata = f
        .get(Key::Wikidata)
        .filter(|c| !c.is_empty())
        .and_then(|cell| wikidata(&cell, diags));
    let aliases = items(f, Key::Aliases);
    let sheet = match (&name, kind, &id) {
        (Some(name), Some(kind), Some(_)) if diags.error_count() == errors => {
            Some(FactSheet::Actor(ActorSheet {
                name: name.clone(),
                kind,
                aliases,
                role: f.text(Key::Role),
                country,
                summary: f.text(Key::Summary),
                wikidata,
                member_of,
            }))
        }
        _ => None,
    };
    Entry {
        row,
        id,
        name: name.unwrap_or_default(),
        refs,
        sheet,
    }
}

/// A row of an events file.
pub(super) fn event_entry(f: &Fields<'_>, diags: &mut Diagnostics) -> Entry {
    let errors = diags.error_count();
    let row = f.row.number;
    let title = f.text(Key::Title);
    if let Some(cell) = f.get(Key::Title).filter(Field::is_empty) {
        diags.push(
            Diagnostic::error(format!("row {row} has no title"))
                .at(cell.span())
                .label(cell.label())
                .hint("every event needs a title: what happened"),
        );
    }
    let date = f.get(Key::Date).and_then(|cell| {
        if cell.is_empty() {
            diags.push(
                Diagnostic::error(format!("row {row} has no date"))
                    .at(cell.span())
                    .label(cell.label())
                    .hint("write when it happened: 2022-01-05, or 2022-01 or 2022 when only the month or year is known"),
            );
            return None;
        }
        cell_date(&cell, diags)
    });
    let end = f
        .get(Key::End)
        .filter(|c| !c.is_empty())
        .and_then(|cell| cell_date(&cell, diags));
    let id = row_id(f, Key::Title, diags);
    let mut refs = Vec::new();
    let part_of = f.get(Key::PartOf).filter(|c| !c.is_empty()).map(|cell| {
        let id = cell.text().to_string();
        refs.push(cell.reference(id.clone(), cell.span(), Target::Event, true));
        id
    });
    let mut actors = Vec::new();
    if let Some(cell) = f.get(Key::Actors) {
        for (id, span) in cell.items() {
            refs.push(cell.reference(id.clone(), span, Target::Actor, false));
            actors.push(id);
        }
    }
    let aliases = items(f, Key::Aliases);
    let sheet = match (&title, date, &id) {
        (Some(title), Some(date), Some(_)) if diags.error_count() == errors => {
            Some(FactSheet::Event(EventSheet {
                title: title.clone(),
                aliases,
                date,
                end,
                place: f.text(Key::Place),
                part_of,
                actors,
                summary: f.text(Key::Summary),
            }))
        }
        _ => None,
    };
    Entry {
        row,
        id,
        name: title.unwrap_or_default(),
        refs,
        sheet,
    }
}

/// The texts of a list cell.
pub(super) fn items(f: &Fields<'_>, key: Key) -> Vec<String> {
    f.get(key)
        .map(|cell| cell.items().into_iter().map(|(t, _)| t).collect())
        .unwrap_or_default()
}

/// `person, organisation, state, group or place`.
pub(super) fn kinds_in_words() -> String {
    let kinds = crate::init::ACTOR_KINDS;
    let (last, rest) = kinds.split_last().unwrap_or((&"", &[]));
    format!("{} or {last}", rest.join(", "))
}

/// The kind in a cell, in any case; `organization` is `organisation`.
pub(super) fn actor_kind(cell: &Field<'_>, diags: &mut Diagnostics) -> Option<ActorKind> {
    let text = cell.text().to_lowercase();
    let text = if text == "organization" {
        "organisation".to_string()
    } else {
        text
    };
    if let Some(kind) = ActorKind::parse(&text) {
        return Some(kind);
    }
    let names = crate::init::ACTOR_KINDS;
    diags.push(
        Diagnostic::error(format!("unknown actor kind `{}`", cell.text()))
            .at(cell.span())
            .label(cell.label())
            .hint_opt(did_you_mean(&text, names).map(|k| format!("did you mean `{k}`?")))
            .hint(format!("the kinds are: {}", names.join(", "))),
    );
    None
}

/// A date in a cell, read as fact sheets read dates.
pub(super) fn cell_date(cell: &Field<'_>, diags: &mut Diagnostics) -> Option<Date> {
    match Date::parse(cell.text()) {
        Ok(date) => Some(date),
        Err(why) => {
            let hint = Date::hint_for(&why);
            diags.push(
                Diagnostic::error(why)
                    .at(cell.span())
                    .label(cell.label())
                    .hint_opt(hint.map(str::to_string)),
            );
            None
        }
    }
}

/// A Wikidata item: `Q232`, or its address
/// (`https://www.wikidata.org/wiki/Q232`), written as `Q232`.
pub(super) fn wikidata(cell: &Field<'_>, diags: &mut Diagnostics) -> Option<String> {
    let text = cell.text();
    let item = text
        .rsplit('/')
        .next()
        .filter(|_| !text.contains('/') || text.contains("wikidata.org/"))
        .unwrap_or(text);
    let is_item = item.strip_prefix('Q').is_some_and(|n| {
        !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
    });
    if is_item {
        return Some(item.to_string());
    }
    diags.push(
        Diagnostic::error(format!("`{text}` is not a Wikidata id"))
            .at(cell.span())
            .label(cell.label())
            .hint("a Wikidata item id is Q followed by its number, as in its address: wikidata.org/wiki/Q232 → `Q232`"),
    );
    None
}

/// The row's id: its `id` cell, or else made from its name or title as
/// `dossier new` makes it.
pub(super) fn row_id(f: &Fields<'_>, name_key: Key, diags: &mut Diagnostics) -> Option<RowId> {
    if let Some(cell) = f.get(Key::Id).filter(|c| !c.is_empty()) {
        let text = cell.text();
        if is_valid_id(text) {
            return Some(RowId {
                id: text.to_string(),
                span: cell.span(),
                label: cell.label(),
            });
        }
        let suggestion = slug::slugify(text);
        diags.push(
            Diagnostic::error(format!("`{text}` is not a valid id"))
                .at(cell.span())
                .label(cell.label())
                .hint("ids use lowercase letters, digits and hyphens, and start with a letter or digit")
                .hint_opt((!suggestion.is_empty()).then(|| format!("did you mean `{suggestion}`?"))),
        );
        return None;
    }
    let cell = f.get(name_key).filter(|c| !c.is_empty())?;
    let id = slug::slugify(cell.text());
    if !is_valid_id(&id) {
        let id_column = if f.header.has(Key::Id) {
            "in its `id` cell"
        } else {
            "in an `id` column"
        };
        diags.push(
            Diagnostic::error(format!("cannot make an id from `{}`", cell.text()))
                .at(cell.span())
                .label(cell.label())
                .hint(format!(
                    "give this row an id {id_column}: lowercase letters, digits and hyphens"
                )),
        );
        return None;
    }
    Some(RowId {
        id,
        span: cell.span(),
        label: cell.label(),
    })
}
