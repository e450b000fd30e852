//! A spreadsheet's CSV export read into rows of cells that keep their place
//! in the file, so that every problem can be shown at its cell.
//!
//! Why not the `csv` crate, which the project already has: it gives each
//! field's text but not where the field starts in the file, and it reads a
//! quote that is never closed as a cell holding the rest of the file,
//! silently. Both matter here: a diagnostic points at its cell, and a stray
//! quote must be named. The grammar is RFC 4180's (as `csv` reads it by
//! default), and a test checks this reader against `csv` on generated files.

use std::ops::Range;

/// The characters a CSV file may separate its cells with: `,` (most
/// exports), `;` (Excel where the decimal separator is a comma) and tab.
pub(super) const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// One cell: its text and where it is.
#[derive(Debug, Clone)]
pub(super) struct Cell {
    /// The text, unquoted, with `\r\n` inside a quoted cell read as `\n`.
    pub text: String,
    /// The cell as written, quotes included.
    pub range: Range<usize>,
    /// Where `text` starts in the file when it is written there exactly
    /// (no doubled quote, no `\r`), so that a part of it can be pointed at.
    pub verbatim: Option<usize>,
}

/// One row of the sheet.
#[derive(Debug, Clone)]
pub(super) struct Row {
    /// Its number in the spreadsheet: the header is row 1. A cell with line
    /// breaks makes this differ from the line number.
    pub number: usize,
    /// Byte offset of its first cell.
    pub start: usize,
    pub cells: Vec<Cell>,
}

impl Row {
    /// Whether every cell is empty or blank (a blank line, `,,,` at the end
    /// of an export).
    pub(super) fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.text.trim().is_empty())
    }
}

/// Something wrong with the file's quoting, at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Problem {
    /// A cell opens a quote that nothing closes: the rest of the file was
    /// read into it.
    UnclosedQuote { at: usize },
    /// Text after the closing quote of a cell, before the next separator.
    TextAfterQuote { at: usize },
}

/// The file read: its separator, rows and quoting problems.
#[derive(Debug)]
pub(super) struct Table {
    pub delimiter: u8,
    pub rows: Vec<Row>,
    pub problems: Vec<Problem>,
}

/// The separator of a file: whichever of `,`, `;` and tab its first line
/// (the header) holds most of outside quotes; `,` when it holds none.
pub(super) fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    // The first of the most frequent: `,` wins a tie.
    let mut best = 0;
    for i in 1..counts.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

/// Reads `text` (without a byte-order mark) as CSV separated by
/// `delimiter`, which must be ASCII. Lines end in `\n`, `\r\n` or `\r`.
pub(super) fn read(text: &str, delimiter: u8) -> Table {
    let b = text.as_bytes();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut i = 0;
    let mut number = 1;
    while i < b.len() {
        let start = i;
        let mut cells = Vec::new();
        loop {
            let (cell, next) = read_cell(text, i, delimiter, &mut problems);
            cells.push(cell);
            i = next;
            if i < b.len() && b[i] == delimiter {
                i += 1;
                continue;
            }
            break;
        }
        // The line's end: \r\n, \r or \n.
        if i < b.len() && b[i] == b'\r' {
            i += 1;
        }
        if i < b.len() && b[i] == b'\n' {
            i += 1;
        }
        rows.push(Row {
            number,
            start,
            cells,
        });
        number += 1;
    }
    Table {
        delimiter,
        rows,
        problems,
    }
}

/// Reads the cell that starts at `start`; returns it and the offset just
/// after it (a separator, a line end or the end of the text).
fn read_cell(
    text: &str,
    start: usize,
    delimiter: u8,
    problems: &mut Vec<Problem>,
) -> (Cell, usize) {
    let b = text.as_bytes();
    let ends_cell = |c: u8| c == delimiter || c == b'\n' || c == b'\r';
    if b.get(start) != Some(&b'"') {
        let mut i = start;
        while i < b.len() && !ends_cell(b[i]) {
            i += 1;
        }
        let cell = Cell {
            text: text[start..i].to_string(),
            range: start..i,
            verbatim: Some(start),
        };
        return (cell, i);
    }
    // A quoted cell: `""` is a quote, and separators and line breaks are text.
    let mut value = String::new();
    let mut verbatim = true;
    let mut i = start + 1;
    let mut piece = i;
    let closed = loop {
        match b.get(i) {
            None => {
                value.push_str(&text[piece..]);
                problems.push(Problem::UnclosedQuote { at: start });
                break false;
            }
            Some(b'"') if b.get(i + 1) == Some(&b'"') => {
                value.push_str(&text[piece..=i]);
                verbatim = false;
                i += 2;
                piece = i;
            }
            Some(b'"') => {
                value.push_str(&text[piece..i]);
                i += 1;
                break true;
            }
            Some(_) => i += 1,
        }
    };
    if closed && i < b.len() && !ends_cell(b[i]) {
        problems.push(Problem::TextAfterQuote { at: i });
        let rest = i;
        while i < b.len() && !ends_cell(b[i]) {
            i += 1;
        }
        value.push_str(&text[rest..i]);
        verbatim = false;
    }
    if value.contains('\r') {
        value = value.replace("\r\n", "\n").replace('\r', "\n");
        verbatim = false;
    }
    let cell = Cell {
        text: value,
        range: start..i,
        verbatim: verbatim.then_some(start + 1),
    };
    (cell, i)
}

/// The spreadsheet's name of a column: A, B, … Z, AA, AB, ….
pub(super) fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(t: &Table) -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    #[test]
    fn reads_quotes_separators_and_line_breaks_inside_cells() {
        let text = "name,summary\r\n\"Tokayev, K.\",\"Said \"\"no\"\".\r\nTwice.\"\r\n\r\nx,\r\n";
        let t = read(text, b',');
        assert_eq!(
            texts(&t),
            [
                vec!["name", "summary"],
                vec!["Tokayev, K.", "Said \"no\".\nTwice."],
                vec![""],
                vec!["x", ""],
            ]
        );
        assert!(t.problems.is_empty());
        assert_eq!(
            t.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        let cell = &t.rows[1].cells[0];
        assert_eq!(&text[cell.range.clone()], "\"Tokayev, K.\"");
        assert_eq!(cell.verbatim, Some(cell.range.start + 1));
        assert_eq!(t.rows[1].cells[1].verbatim, None);
    }

    #[test]
    fn names_quotes_never_closed_and_text_after_a_closing_quote() {
        let t = read("a,\"b\nc,d\n", b',');
        assert_eq!(t.problems, [Problem::UnclosedQuote { at: 2 }]);
        assert_eq!(texts(&t), [vec!["a", "b\nc,d\n"]]);
        let t = read("\"ab\"c,d\n", b',');
        assert_eq!(t.problems, [Problem::TextAfterQuote { at: 4 }]);
        assert_eq!(texts(&t), [vec!["abc", "d"]]);
        // A quote inside an unquoted cell is text.
        let t = read("5\" floppy,x", b',');
        assert!(t.problems.is_empty());
        assert_eq!(texts(&t), [vec!["5\" floppy", "x"]]);
    }

    #[test]
    fn the_header_line_says_which_separator() {
        assert_eq!(detect_delimiter("name;kind;aliases\nA, B;person;x"), b';');
        assert_eq!(detect_delimiter("name,kind\n"), b',');
        assert_eq!(detect_delimiter("name\tkind\n"), b'\t');
        assert_eq!(detect_delimiter("\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter("name\n"), b',');
        assert_eq!(detect_delimiter("a;b,c\n"), b',');
    }

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    fn cell_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just(",".to_string()),
                Just(";".to_string()),
                Just("\"".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just(" ".to_string()),
                Just("\t".to_string()),
                "[a-zA-Zа-я0-9:#@'-]{1,6}".prop_map(|s| s),
            ],
            0..8,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// What the `csv` crate writes, this reader reads back, cell for cell.
        #[test]
        fn reads_what_the_csv_crate_writes(
            rows in prop::collection::vec(prop::collection::vec(cell_text(), 1..5), 1..6),
            delimiter in prop::sample::select(DELIMITERS.to_vec()),
            crlf in any::<bool>(),
        ) {
            let mut w = csv::WriterBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            for row in &rows {
                w.write_record(row).unwrap();
            }
            let bytes = w.into_inner().unwrap();
            let text = String::from_utf8(bytes).unwrap();
            let t = read(&text, delimiter);
            prop_assert!(t.problems.is_empty(), "{:?}", t.problems);
            let expected: Vec<Vec<String>> = rows
                .iter()
                .map(|r| r.iter().map(|c| c.replace("\r\n", "\n")).collect())
                .collect();
            prop_assert_eq!(texts(&t), expected);
            for row in &t.rows {
                for cell in &row.cells {
                    if let Some(at) = cell.verbatim {
                        prop_assert_eq!(&text[at..at + cell.text.len()], cell.text.as_str());
                    }
                }
            }
        }

        /// Whatever the text, reading it returns, with cells inside it.
        #[test]
        fn any_text_is_read_without_panicking(text in "[a-z,;\t\"\r\n ]{0,60}") {
            let t = read(&text, detect_delimiter(&text));
            for row in &t.rows {
                for cell in &row.cells {
                    prop_assert!(cell.range.start <= cell.range.end && cell.range.end <= text.len());
                }
            }
        }
    }
}
