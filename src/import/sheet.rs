//! The sheet's shape: row 1 read as the names of its columns, rows that do
//! not fit under it, and quoting that went wrong.

use std::collections::BTreeMap;

use super::ImportKind;
use super::table::{self, Row, Table, column_letters};
use crate::diag::{Diagnostic, Diagnostics, SourceId, Span, did_you_mean};

/// The sheet being read: its source file, what it holds, its cells.
pub(super) struct Sheet<'a> {
    pub(super) source: SourceId,
    pub(super) kind: ImportKind,
    pub(super) table: &'a Table,
    /// The file's name, as the fact sheets' first comment gives it.
    pub(super) origin: String,
}

impl Sheet<'_> {
    pub(super) fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.source, range)
    }

    /// The separator, in words.
    pub(super) fn delimiter_name(&self) -> &'static str {
        match self.table.delimiter {
            b';' => "`;`",
            b'\t' => "tab",
            _ => "`,`",
        }
    }

    pub(super) fn quoting_problems(&self, diags: &mut Diagnostics) {
        for p in &self.table.problems {
            diags.push(match *p {
                table::Problem::UnclosedQuote { at } => Diagnostic::error("this quote is never closed")
                    .at(self.span(at..at + 1))
                    .label("the cell that opens here runs to the end of the file")
                    .hint("end the cell with a `\"`; a quote inside a cell is written twice: `\"\"`"),
                table::Problem::TextAfterQuote { at } => {
                    Diagnostic::error("text after the closing quote of a cell")
                        .at(self.span(at..at + 1))
                        .label("the cell's quotes ended before this")
                        .hint("a cell in quotes ends at its closing quote; a quote inside a cell is written twice: `\"5\"\" floppy\"`")
                }
            });
        }
    }

    /// Row 1, read as the names of the columns. Every problem with it is
    /// reported; None only when it is no header at all.
    pub(super) fn header(&self, has_default_kind: bool, diags: &mut Diagnostics) -> Option<Header> {
        let first = self.table.rows.first()?;
        let columns = self.kind.columns();
        let list = column_list(columns);
        let what = format!("an {} file", self.kind.folder());
        let mut keys: Vec<Option<Key>> = Vec::with_capacity(first.cells.len());
        let mut seen: BTreeMap<Key, usize> = BTreeMap::new();
        let mut unknown = Vec::new();
        for (i, cell) in first.cells.iter().enumerate() {
            let name = normalize(&cell.text);
            let letters = column_letters(i);
            if name.is_empty() {
                // An unnamed column is fine while it is empty (spreadsheets
                // often export a few of those at the right).
                let value = self.table.rows[1..].iter().find_map(|r| {
                    r.cells
                        .get(i)
                        .filter(|c| !c.text.trim().is_empty())
                        .map(|c| (r.number, c))
                });
                if let Some((row, cell_below)) = value {
                    diags.push(
                        Diagnostic::error(format!(
                            "column {letters} has no name in row 1, but it holds values"
                        ))
                        .at(self.span(cell.range.clone()))
                        .label(format!("cell {letters}1"))
                        .related(
                            self.span(cell_below.range.clone()),
                            format!("a value in {letters}{row}"),
                        )
                        .hint(format!("name the column in row 1 ({list}), or delete it")),
                    );
                }
                keys.push(None);
                continue;
            }
            match columns
                .iter()
                .find(|c| c.name == name || c.also.contains(&name.as_str()))
            {
                Some(column) => match seen.get(&column.key) {
                    Some(&before) => {
                        let other = column_letters(before);
                        diags.push(
                            Diagnostic::error(format!(
                                "columns {other} and {letters} are both `{}`",
                                column.name
                            ))
                            .at(self.span(cell.range.clone()))
                            .label(format!("cell {letters}1"))
                            .related(
                                self.span(first.cells[before].range.clone()),
                                format!("cell {other}1"),
                            )
                            .hint("keep one of them"),
                        );
                        keys.push(None);
                    }
                    None => {
                        seen.insert(column.key, i);
                        keys.push(Some(column.key));
                    }
                },
                None => {
                    unknown.push(i);
                    keys.push(None);
                }
            }
        }
        if seen.is_empty() && !first.is_blank() {
            let end = first.cells.last().map_or(first.start, |c| c.range.end);
            diags.push(
                Diagnostic::error(format!(
                    "row 1 does not name the columns: none of its cells is a column of {what}"
                ))
                .at(self.span(first.start..end))
                .label("row 1")
                .hint(format!("the first row names the columns, such as {list}")),
            );
            return None;
        }
        let names: Vec<&str> = columns
            .iter()
            .flat_map(|c| std::iter::once(c.name).chain(c.also.iter().copied()))
            .collect();
        // Columns an unknown one is taken for: not reported missing again.
        let mut meant = Vec::new();
        for i in unknown {
            let cell = &first.cells[i];
            let name = normalize(&cell.text);
            let suggestion = did_you_mean(&name, names.iter().copied());
            meant.extend(
                suggestion
                    .and_then(|n| columns.iter().find(|c| c.name == n || c.also.contains(&n)))
                    .map(|c| c.key),
            );
            diags.push(
                Diagnostic::error(format!("unknown column `{}`", cell.text.trim()))
                    .at(self.span(cell.range.clone()))
                    .label(format!("cell {}1", column_letters(i)))
                    .hint_opt(suggestion.map(|n| format!("did you mean `{n}`?")))
                    .hint(format!(
                        "the columns of {what} are {list}; delete this one from a copy of the sheet, or rename it"
                    )),
            );
        }
        let row1 = self.span(first.start..first.start);
        for column in columns
            .iter()
            .filter(|c| c.required && !seen.contains_key(&c.key) && !meant.contains(&c.key))
        {
            if column.key == Key::Kind && has_default_kind {
                continue;
            }
            let hint = if column.key == Key::Kind {
                format!(
                    "add a `kind` column ({}), or give every row one kind with `--kind person`",
                    crate::init::ACTOR_KINDS.join(", ")
                )
            } else {
                format!("add a column named `{}` in row 1", column.name)
            };
            diags.push(
                Diagnostic::error(format!("there is no `{}` column", column.name))
                    .at(row1.clone())
                    .label("row 1 names the columns")
                    .hint(hint),
            );
        }
        Some(Header {
            keys,
            width: first.cells.len(),
        })
    }

    /// Whether the row has a cell for every column (and no more, but for
    /// empty cells at its end); if not, says so.
    pub(super) fn row_fits(&self, row: &Row, header: &Header, diags: &mut Diagnostics) -> bool {
        let n = row.cells.len();
        if n == header.width
            || (n > header.width
                && row.cells[header.width..]
                    .iter()
                    .all(|c| c.text.trim().is_empty()))
        {
            return true;
        }
        let end = row.cells.last().map_or(row.start, |c| c.range.end);
        let cells = |n: usize| {
            if n == 1 {
                "1 cell".to_string()
            } else {
                format!("{n} cells")
            }
        };
        diags.push(
            Diagnostic::error(format!(
                "row {} has {}, but the header row has {}",
                row.number,
                cells(n),
                header.width
            ))
            .at(self.span(row.start..end))
            .label(format!("row {}", row.number))
            .hint(format!(
                "a cell that holds a {} or a line break must be in double quotes (a spreadsheet quotes them when it saves CSV)",
                self.delimiter_name()
            )),
        );
        false
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Key {
    Id,
    Name,
    Kind,
    Role,
    Country,
    Aliases,
    Summary,
    Wikidata,
    MemberOf,
    Title,
    Date,
    End,
    Place,
    PartOf,
    Actors,
}

/// A column a file may have: its name, the other names it is known by in
/// spreadsheets, and whether every file needs it.
pub(super) struct Column {
    pub(super) key: Key,
    pub(super) name: &'static str,
    pub(super) also: &'static [&'static str],
    pub(super) required: bool,
}

pub(super) const fn column(
    key: Key,
    name: &'static str,
    also: &'static [&'static str],
    required: bool,
) -> Column {
    Column {
        key,
        name,
        also,
        required,
    }
}

/// The columns of an actors file, in the order docs/format.md gives them.
pub(super) const ACTOR_COLUMNS: [Column; 9] = [
    column(Key::Id, "id", &[], false),
    column(Key::Name, "name", &[], true),
    column(Key::Kind, "kind", &["type"], true),
    column(Key::Role, "role", &[], false),
    column(Key::Country, "country", &[], false),
    column(Key::Aliases, "aliases", &["alias"], false),
    column(Key::Summary, "summary", &[], false),
    column(Key::Wikidata, "wikidata", &["wikidata_id", "qid"], false),
    column(Key::MemberOf, "member_of", &[], false),
];

/// The columns of an events file.
pub(super) const EVENT_COLUMNS: [Column; 9] = [
    column(Key::Id, "id", &[], false),
    column(Key::Title, "title", &[], true),
    column(Key::Aliases, "aliases", &["alias"], false),
    column(Key::Date, "date", &["start", "start_date"], true),
    column(Key::End, "end", &["end_date"], false),
    column(Key::Place, "place", &["location"], false),
    column(Key::PartOf, "part_of", &[], false),
    column(Key::Actors, "actors", &["participants"], false),
    column(Key::Summary, "summary", &[], false),
];

/// `id, name, kind, …` for hints.
pub(super) fn column_list(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A header cell as a column name: trimmed, lowercase, words joined by `_`
/// (`Member of` → `member_of`, `part-of` → `part_of`).
pub(super) fn normalize(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

/// Which column holds what.
pub(super) struct Header {
    /// The key of each column; None for one that is ignored (empty, a
    /// duplicate, unknown: the last two are errors).
    pub(super) keys: Vec<Option<Key>>,
    /// How many cells row 1 has.
    pub(super) width: usize,
}

impl Header {
    pub(super) fn index(&self, key: Key) -> Option<usize> {
        self.keys.iter().position(|k| *k == Some(key))
    }

    pub(super) fn has(&self, key: Key) -> bool {
        self.index(key).is_some()
    }
}
