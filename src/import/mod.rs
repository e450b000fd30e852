//! `dossier import actors|events FILE.csv`: a spreadsheet a think tank
//! already keeps, turned into fact sheets in `content/actors/` or
//! `content/events/`. The file is read whole and every problem in it is
//! reported at its cell. [`import`] only plans: the fact sheets it would
//! write, none while the file has an error, none over an existing id;
//! [`Imported::write`] writes them, all or none.
//!
//! ```text
//! FILE.csv ─ decode ─▶ text ─ table ─▶ rows of cells, each with its place   (table.rs)
//!          ─ header ─▶ which column holds what                              (sheet.rs)
//!          ─ rows ───▶ entries: each row checked as its fact sheet would be (rows.rs)
//!          ─ ids ────▶ unique, new (or skipped), references known          (ids.rs)
//!          ─ plan ───▶ YAML (yaml.rs) ─ write (Imported::write), all or none
//! ```

mod ids;
mod rows;
mod sheet;
mod table;
mod yaml;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, SourceId, Sources, Span};
use crate::model::ActorKind;
use ids::{check_ids, check_references, existing_ids};
use rows::{Entry, Fields, actor_entry, event_entry};
use sheet::{ACTOR_COLUMNS, Column, EVENT_COLUMNS, Sheet};

/// What a file holds: actors or events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Actors,
    Events,
}

impl ImportKind {
    /// The folder of `content/` its fact sheets go to.
    fn folder(self) -> &'static str {
        match self {
            ImportKind::Actors => "actors",
            ImportKind::Events => "events",
        }
    }

    fn columns(self) -> &'static [Column] {
        match self {
            ImportKind::Actors => &ACTOR_COLUMNS,
            ImportKind::Events => &EVENT_COLUMNS,
        }
    }
}

/// What to import, from where, into which site.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder (holding `site.toml`).
    pub root: PathBuf,
    /// The CSV file, as the author named it (diagnostics show it so).
    pub file: PathBuf,
    pub kind: ImportKind,
    /// For actors: the kind of every row that gives none (`--kind`).
    pub default_kind: Option<String>,
}

/// The result of an import: every diagnostic (pointing into the CSV file),
/// and what was (or would be) written.
#[derive(Debug)]
pub struct ImportOutcome {
    pub diagnostics: Diagnostics,
    pub result: Result<Imported, ImportError>,
}

/// What an import would write.
#[derive(Debug)]
pub struct Imported {
    /// One per row to import, in the file's order.
    pub files: Vec<NewFactSheet>,
    /// Rows left out because their id already exists (each has a warning).
    pub skipped: usize,
}

impl Imported {
    /// Writes every fact sheet, each only if no file has its path; on a
    /// failure removes those it wrote, so that an import is whole or not
    /// at all.
    pub fn write(&self) -> Result<(), ImportError> {
        write_all(&self.files)
    }
}

/// A fact sheet made from a row.
#[derive(Debug, Clone)]
pub struct NewFactSheet {
    /// `<root>/content/actors/<id>.yaml`.
    pub path: PathBuf,
    pub id: String,
    /// The actor's name or the event's title.
    pub name: String,
    /// The row of the sheet it comes from (the header is row 1).
    pub row: usize,
    /// The YAML written.
    pub text: String,
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    /// There is no `site.toml` in the root.
    NoSite(PathBuf),
    /// `--kind` is not a kind of actor.
    BadKind(String),
    /// `--kind` was given for events.
    KindForEvents,
    /// The CSV file cannot be read.
    Read(PathBuf, std::io::Error),
    /// The file has errors (see the diagnostics).
    Content,
    /// A fact sheet could not be written; those written before it were
    /// removed again.
    Write(PathBuf, std::io::Error),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::NoSite(root) => write!(
                f,
                "{} has no site.toml; run this in a site folder or pass --root",
                root.display()
            ),
            ImportError::BadKind(k) => write!(
                f,
                "unknown kind of actor `{k}`; the kinds are {}",
                crate::init::ACTOR_KINDS.join(", ")
            ),
            ImportError::KindForEvents => write!(
                f,
                "--kind is for actors: `dossier import actors FILE --kind person`"
            ),
            ImportError::Read(path, e) => write!(f, "cannot read {}: {e}", path.display()),
            ImportError::Content => write!(f, "the file has errors; nothing was written"),
            ImportError::Write(path, e) => write!(
                f,
                "cannot write {}: {e}; nothing was imported (the files written before it were removed)",
                path.display()
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads the CSV file of `opts`, checks every row, and plans a fact sheet
/// for each new one; no plan while a row has an error. Writes nothing.
pub fn import(opts: &ImportOptions) -> (ImportOutcome, Sources) {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::new();
    let result = run(opts, &mut sources, &mut diags);
    diags.sort(&sources);
    (
        ImportOutcome {
            diagnostics: diags,
            result,
        },
        sources,
    )
}

fn run(
    opts: &ImportOptions,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Imported, ImportError> {
    if !opts.root.join(crate::config::CONFIG_FILE).exists() {
        return Err(ImportError::NoSite(opts.root.clone()));
    }
    let default_kind = match (&opts.default_kind, opts.kind) {
        (None, _) => None,
        (Some(k), ImportKind::Actors) => {
            Some(ActorKind::parse(k.trim()).ok_or_else(|| ImportError::BadKind(k.clone()))?)
        }
        (Some(_), ImportKind::Events) => return Err(ImportError::KindForEvents),
    };
    let bytes = std::fs::read(&opts.file).map_err(|e| ImportError::Read(opts.file.clone(), e))?;
    let display = opts.file.to_string_lossy().replace('\\', "/");
    let Some((source, text)) = decode(bytes, &display, sources, diags) else {
        return Err(ImportError::Content);
    };
    let table = table::read(&text, table::detect_delimiter(&text));
    let sheet = Sheet {
        source,
        kind: opts.kind,
        table: &table,
        origin: origin_name(&opts.file),
    };
    sheet.quoting_problems(diags);
    let Some(header) = sheet.header(default_kind.is_some(), diags) else {
        return Err(ImportError::Content);
    };
    // A quote never closed ran to the end of the file: its row is not one.
    let unclosed = table.problems.iter().find_map(|p| match p {
        table::Problem::UnclosedQuote { at } => Some(*at),
        table::Problem::TextAfterQuote { .. } => None,
    });
    let mut entries: Vec<Entry> = Vec::new();
    for row in table.rows.iter().skip(header.index + 1) {
        if unclosed.is_some_and(|at| at >= row.start)
            || row.is_blank()
            || !sheet.row_fits(row, &header, diags)
        {
            continue;
        }
        let fields = Fields {
            row,
            header: &header,
            source,
        };
        entries.push(match opts.kind {
            ImportKind::Actors => actor_entry(&fields, default_kind, diags),
            ImportKind::Events => event_entry(&fields, diags),
        });
    }
    let existing = existing_ids(&opts.root);
    let skipped = check_ids(&entries, &existing, &header, opts.kind, diags);
    check_references(&entries, &existing, opts.kind, diags);
    if diags.has_errors() {
        return Err(ImportError::Content);
    }
    let dir = opts
        .root
        .join(crate::load::CONTENT_DIR)
        .join(opts.kind.folder());
    let files: Vec<NewFactSheet> = entries
        .iter()
        .enumerate()
        .filter(|(i, _)| !skipped.contains(i))
        .filter_map(|(_, e)| {
            let (id, fact_sheet) = (e.id.as_ref()?, e.sheet.as_ref()?);
            let origin = format!("{}, row {}", sheet.origin, e.row);
            Some(NewFactSheet {
                path: dir.join(format!("{}.yaml", id.id)),
                id: id.id.clone(),
                name: e.name.clone(),
                row: e.row,
                text: fact_sheet.yaml(&origin),
            })
        })
        .collect();
    Ok(Imported {
        files,
        skipped: skipped.len(),
    })
}

/// The file's text, without a byte-order mark; None (with an error) when it
/// is not UTF-8 or holds nothing.
fn decode(
    bytes: Vec<u8>,
    display: &str,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<(SourceId, String)> {
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    let (text, bad) = crate::load::decode(bytes);
    // Shown with its line ends as `\n` alone, so that snippets of a file
    // from Windows or an old Mac read cleanly; byte for byte the same
    // length, so spans into `text` hold in it.
    let shown = text.replace("\r\n", " \n").replace('\r', "\n");
    let source = sources.add(display, Some(PathBuf::from(display)), shown);
    const RESAVE: &str = "save it again as UTF-8 CSV: in Excel, Save As › \"CSV UTF-8 (Comma delimited)\"; in LibreOffice, tick \"Edit filter settings\" and choose Unicode (UTF-8)";
    if utf16 {
        diags.push(
            Diagnostic::error("this file is UTF-16 (a spreadsheet's \"Unicode text\"), not UTF-8")
                .at(Span::new(source, 0..0))
                .hint(RESAVE),
        );
        return None;
    }
    if let Some(offset) = bad {
        diags.push(
            Diagnostic::error(
                "this file is not UTF-8: it was saved in another encoding (such as Windows-1252)",
            )
            .at(Span::new(source, offset..offset))
            .label("the first character that is not UTF-8")
            .hint(RESAVE),
        );
        return None;
    }
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::error("this file is empty")
                .at(Span::new(source, 0..0))
                .hint(
                    "the first row names the columns, and each row after it is one actor or event",
                ),
        );
        return None;
    }
    Some((source, text))
}

/// The file's name for a YAML comment: one line of printable text.
fn origin_name(file: &Path) -> String {
    file.file_name()
        .unwrap_or(file.as_os_str())
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// See [`Imported::write`].
fn write_all(files: &[NewFactSheet]) -> Result<(), ImportError> {
    use std::io::Write as _;
    let mut written: Vec<&Path> = Vec::new();
    for f in files {
        let result = f
            .path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&f.path)
            })
            .and_then(|mut file| {
                // Created: from here on it is ours to remove on failure.
                written.push(&f.path);
                file.write_all(f.text.as_bytes())?;
                file.sync_all()
            });
        if let Err(e) = result {
            for path in written {
                let _ = std::fs::remove_file(path);
            }
            return Err(ImportError::Write(f.path.clone(), e));
        }
    }
    Ok(())
}
