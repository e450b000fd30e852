//! The sheet's shape: its first row read as the names of its columns, rows
//! that do not fit under it, and quoting that went wrong.

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

    /// The first row that is not blank, read as the names of the columns.
    /// Every problem with it is reported; None (with an error) only when
    /// there is no such row or it names no column at all.
    pub(super) fn header(&self, has_default_kind: bool, diags: &mut Diagnostics) -> Option<Header> {
        let Some(index) = self.table.rows.iter().position(|r| !r.is_blank()) else {
            diags.push(
                Diagnostic::error("this file has only empty rows")
                    .at(self.span(0..0))
                    .hint(FIRST_ROW),
            );
            return None;
        };
        let row = &self.table.rows[index];
        let columns = self.kind.columns();
        let mut header = Header {
            index,
            number: row.number,
            keys: Vec::with_capacity(row.cells.len()),
            names: Vec::with_capacity(row.cells.len()),
            width: row.cells.len(),
        };
        let mut unknown = Vec::new();
        for (i, cell) in row.cells.iter().enumerate() {
            header.names.push(cell.text.trim().to_string());
            let name = normalize(&cell.text);
            let key = if name.is_empty() {
                self.unnamed_column(&header, i, diags);
                None
            } else if let Some(c) = columns.iter().find(|c| c.is(&name)) {
                match header.column(c.key) {
                    Some(before) => {
                        self.same_column_twice(&header, c, before, i, diags);
                        None
                    }
                    None => Some(c.key),
                }
            } else {
                unknown.push(i);
                None
            };
            header.keys.push(key);
        }
        if header.keys.iter().all(Option::is_none) {
            let end = row.cells.last().map_or(row.start, |c| c.range.end);
            diags.push(
                Diagnostic::error(format!(
                    "row {} does not name the columns: none of its cells is a column of an {} file",
                    row.number,
                    self.kind.folder()
                ))
                .at(self.span(row.start..end))
                .label(format!("row {}", row.number))
                .hint(format!(
                    "the first row names the columns, such as {}; delete any title rows above it",
                    column_list(self.kind.columns())
                )),
            );
            return None;
        }
        let meant = self.unknown_columns(&header, &unknown, diags);
        for c in columns.iter().filter(|c| c.required) {
            let given = header.column(c.key).is_some()
                || meant.contains(&c.key)
                || (c.key == Key::Kind && has_default_kind);
            if !given {
                self.missing_column(&header, c, diags);
            }
        }
        Some(header)
    }

    /// A cell of the header row that names no column: fine while the column
    /// is empty (spreadsheets often save a few such at the right).
    fn unnamed_column(&self, header: &Header, i: usize, diags: &mut Diagnostics) {
        let rows = &self.table.rows[header.index..];
        let value = rows.iter().skip(1).find_map(|r| {
            r.cells
                .get(i)
                .filter(|c| !c.text.trim().is_empty())
                .map(|c| (r.number, c))
        });
        let Some((number, below)) = value else { return };
        let letters = column_letters(i);
        diags.push(
            Diagnostic::error(format!(
                "column {letters} has no name in row {}, but it holds values",
                header.number
            ))
            .at(self.span(rows[0].cells[i].range.clone()))
            .label(format!("cell {letters}{}", header.number))
            .related(
                self.span(below.range.clone()),
                format!("a value in {letters}{number}"),
            )
            .hint(format!(
                "name the column in row {} ({}), or delete it",
                header.number,
                column_list(self.kind.columns())
            )),
        );
    }

    fn same_column_twice(
        &self,
        header: &Header,
        column: &Column,
        before: usize,
        i: usize,
        diags: &mut Diagnostics,
    ) {
        let cells = &self.table.rows[header.index].cells;
        let (other, letters, n) = (column_letters(before), column_letters(i), header.number);
        diags.push(
            Diagnostic::error(format!(
                "columns {other} and {letters} are both `{}`",
                column.name
            ))
            .at(self.span(cells[i].range.clone()))
            .label(format!("cell {letters}{n}"))
            .related(
                self.span(cells[before].range.clone()),
                format!("cell {other}{n}"),
            )
            .hint("keep one of them"),
        );
    }

    /// Reports each column dossier does not read, with the one it may be;
    /// returns the keys of those, so that they are not reported missing too.
    fn unknown_columns(
        &self,
        header: &Header,
        unknown: &[usize],
        diags: &mut Diagnostics,
    ) -> Vec<Key> {
        let columns = self.kind.columns();
        let names: Vec<&str> = columns
            .iter()
            .flat_map(|c| std::iter::once(c.name).chain(c.also.iter().copied()))
            .collect();
        let mut meant = Vec::new();
        for &i in unknown {
            let cell = &self.table.rows[header.index].cells[i];
            let suggestion = did_you_mean(&normalize(&cell.text), names.iter().copied());
            meant.extend(
                suggestion
                    .and_then(|n| columns.iter().find(|c| c.is(n)))
                    .map(|c| c.key),
            );
            diags.push(
                Diagnostic::error(format!("unknown column `{}`", cell.text.trim()))
                    .at(self.span(cell.range.clone()))
                    .label(format!("cell {}{}", column_letters(i), header.number))
                    .hint_opt(suggestion.map(|n| format!("did you mean `{n}`?")))
                    .hint(format!(
                        "the columns of an {} file are {}; delete this one from a copy of the sheet, or rename it",
                        self.kind.folder(),
                        column_list(columns)
                    )),
            );
        }
        meant
    }

    fn missing_column(&self, header: &Header, column: &Column, diags: &mut Diagnostics) {
        let row = &self.table.rows[header.index];
        let hint = if column.key == Key::Kind {
            format!(
                "add a `kind` column ({}), or give every row one kind with `--kind person`",
                crate::init::ACTOR_KINDS.join(", ")
            )
        } else {
            format!("add a column named `{}` in row {}", column.name, row.number)
        };
        diags.push(
            Diagnostic::error(format!("there is no `{}` column", column.name))
                .at(self.span(row.start..row.start))
                .label(format!("row {} names the columns", row.number))
                .hint(hint),
        );
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

/// What the header row is for, in a hint.
const FIRST_ROW: &str =
    "the first row names the columns, and each row after it is one actor or event";

impl Column {
    /// Whether a header cell, normalized, names this column.
    fn is(&self, name: &str) -> bool {
        self.name == name || self.also.contains(&name)
    }
}

/// `id, name, kind, …` for hints.
pub(super) fn column_list(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A header cell as a column name: trimmed, lowercase, words joined by `_`
/// (`Member of` → `member_of`, `part-of` → `part_of`); a byte-order mark
/// left by a second export is dropped.
pub(super) fn normalize(name: &str) -> String {
    name.replace('\u{FEFF}', "")
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

/// Which column holds what.
pub(super) struct Header {
    /// The header's place among the rows of the table (0 unless empty rows
    /// come first).
    pub(super) index: usize,
    /// Its number in the spreadsheet.
    pub(super) number: usize,
    /// The key of each column; None for one that is ignored (empty, a
    /// duplicate, unknown: the last two are errors).
    pub(super) keys: Vec<Option<Key>>,
    /// Each column's name as written, for labels (`cell C4 (Type)`).
    pub(super) names: Vec<String>,
    /// How many cells the header row has.
    pub(super) width: usize,
}

impl Header {
    /// The column that holds `key`.
    pub(super) fn column(&self, key: Key) -> Option<usize> {
        self.keys.iter().position(|k| *k == Some(key))
    }

    pub(super) fn has(&self, key: Key) -> bool {
        self.column(key).is_some()
    }
}
