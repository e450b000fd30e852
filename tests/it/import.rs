//! `dossier import`: a spreadsheet's CSV export turned into fact sheets that
//! build, every problem of the file reported at its cell in one run, nothing
//! written while there is one, and no existing fact sheet ever touched.

use dossier::diag;
use dossier::{ImportError, ImportKind, ImportOptions};
use proptest::prelude::*;

use crate::harness::Fixture;

/// Ten actors as a think tank's sheet holds them, saved by a European
/// Excel: a byte-order mark, `;` between cells, CRLF line ends, lists in
/// quoted cells, a summary of two paragraphs, a name with a colon.
const PEOPLE: &str = "\u{FEFF}id;Name;Type;Aliases;Role;Country;Summary;Wikidata;Member of\r\n\
;Kazakhstan;state;\"Republic of Kazakhstan;Qazaqstan\";;;;Q232;csto\r\n\
;Russia;State;Russian Federation;;;;Q159;csto\r\n\
tokayev;Kassym-Jomart Tokayev;Person;\"Tokayev;Токаев\";President of Kazakhstan;kazakhstan;\"A career diplomat who succeeded [[nazarbayev]] in March 2019.\r\n\r\nHe asked the alliance for help on 5 January 2022.\";https://www.wikidata.org/wiki/Q381218;amanat\r\n\
nazarbayev;Nursultan Nazarbayev;person;\"Nazarbayev; Elbasy\";First President of Kazakhstan;kazakhstan;;Q166365;amanat\r\n\
csto;CSTO: Collective Security Treaty Organization;organization;CSTO;\"Military alliance of six states; led from Moscow\";;;Q188326;\r\n\
;Amanat;organisation;\"Nur Otan;Amanat party\";Ruling party, renamed in 2022;kazakhstan;;;\r\n\
;Almaty;place;;Largest city;kazakhstan;;;\r\n\
;Zhanaozen;place;;\"Oil town in Mangystau, \"\"Zhanaozen\"\" in Kazakh\";kazakhstan;;;\r\n\
;Karim Massimov;person;Massimov;Chairman, National Security Committee;kazakhstan;;;\r\n\
;Oil workers of Zhanaozen;group;;;kazakhstan;;;\r\n\
;;;;;;;;\r\n";

/// Events that name the actors above, with dates known to the day, the
/// month or the year; `,` between cells, LF line ends, no byte-order mark.
const EVENTS: &str = "id,title,date,end,place,actors,part_of,summary\n\
january-2022-unrest,January 2022 unrest,2022-01,2022-01-11,kazakhstan,tokayev;nazarbayev,,\"Protests over fuel prices, which began in Zhanaozen, spread across the country.\"\n\
,Protests begin in Zhanaozen,2022-01-02,,zhanaozen,oil-workers-of-zhanaozen,january-2022-unrest,\n\
csto-request,Tokayev asks the CSTO for help,2022-01-05,,almaty,\"tokayev; csto\",january-2022-unrest,\"In the night of 5 to 6 January, [[tokayev]] asked for help.\"\n\
,Nazarbayev steps down,2019-03-19,,,nazarbayev,,\n\
,Nur Otan founded,1999,,,amanat,,\n";

fn briefing() -> Fixture {
    Fixture::new()
        .file("people.csv", PEOPLE)
        .file("events.csv", EVENTS)
}

/// Imports `file` from the fixture with the library (and, with `apply`,
/// writes what it plans): the diagnostics one a line, and the outcome.
fn import(
    site: &Fixture,
    kind: ImportKind,
    file: &str,
    apply: bool,
) -> (String, Result<dossier::Imported, ImportError>) {
    let (outcome, sources) = dossier::import(&ImportOptions {
        root: site.root().to_path_buf(),
        file: site.root().join(file),
        kind,
        default_kind: None,
    });
    let short = diag::render_short(&sources, &outcome.diagnostics)
        .replace(&format!("{}/", site.root().display()), "");
    if let (true, Ok(plan)) = (apply, &outcome.result) {
        plan.write().expect("written");
    }
    (short, outcome.result)
}

/// The diagnostics of importing `csv` as `file` into an empty site, which
/// must fail and write nothing.
#[track_caller]
fn errors_of(kind: ImportKind, file: &str, csv: &[u8]) -> String {
    let site = Fixture::new().bytes(file, csv);
    let (short, result) = import(&site, kind, file, true);
    assert!(
        matches!(result, Err(ImportError::Content)),
        "the import should fail: {result:?}\n{short}"
    );
    assert!(
        !site.root().join("content").exists(),
        "something was written"
    );
    short
}

fn files_in(site: &Fixture, dir: &str) -> Vec<String> {
    crate::harness::walk(&site.root().join(dir))
        .into_iter()
        .collect()
}

#[test]
fn a_sheet_of_actors_and_one_of_events_become_a_briefing_that_builds() {
    let site = briefing();
    // Without --apply, and no terminal to ask on: the files it would
    // write, and nothing written.
    let r = site.run(&["import", "actors", "people.csv"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert!(
        r.stdout.starts_with("Importing 10 actors from people.csv:\n  ./content/actors/kazakhstan.yaml  Kazakhstan\n")
            && r.stdout.contains("\n  ./content/actors/tokayev.yaml  Kassym-Jomart Tokayev\n")
            && r.stdout.ends_with("\n  ./content/actors/oil-workers-of-zhanaozen.yaml  Oil workers of Zhanaozen\nNothing written; run again with --apply to write these files\n"),
        "{}",
        r.stdout
    );
    assert!(!site.root().join("content").exists());

    let r = site.run(&["import", "actors", "people.csv", "--apply"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(
            "\n  ./content/actors/csto.yaml  CSTO: Collective Security Treaty Organization\n"
        ) && r.stdout.ends_with("\nWrote 10 files.\nThe site builds.\n"),
        "{}",
        r.stdout
    );
    assert_eq!(
        files_in(&site, "content/actors"),
        [
            "almaty.yaml",
            "amanat.yaml",
            "csto.yaml",
            "karim-massimov.yaml",
            "kazakhstan.yaml",
            "nazarbayev.yaml",
            "oil-workers-of-zhanaozen.yaml",
            "russia.yaml",
            "tokayev.yaml",
            "zhanaozen.yaml",
        ]
    );
    let r = site.run(&["import", "events", "events.csv", "--apply"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .starts_with("Importing 5 events from events.csv:\n")
            && r.stdout.ends_with("\nWrote 5 files.\nThe site builds.\n"),
        "{}",
        r.stdout
    );

    let b = site
        .analysis(
            "five-days",
            "title: Five days in January\ndate: 2022-01-20\nactors: [tokayev]\nevents: [csto-request]",
            "Tokayev turned to the alliance; Elbasy stayed silent, and Qazaqstan held its breath.\n",
        )
        .build()
        .ok();

    let tokayev = b.page("actors/tokayev/");
    assert_eq!(tokayev.texts("h1"), ["Kassym-Jomart Tokayev"]);
    assert_eq!(tokayev.texts(".dek"), ["President of Kazakhstan"]);
    assert_eq!(tokayev.texts(".aliases"), ["Also known as Tokayev, Токаев"]);
    tokayev
        .has_link(".kicker a", "/actors/kazakhstan/", "Kazakhstan")
        .has_link(".summary a", "/actors/nazarbayev/", "Nursultan Nazarbayev")
        .has_link(".relation-list a", "/actors/amanat/", "Amanat")
        .contains("https://www.wikidata.org/wiki/Q381218");
    assert_eq!(tokayev.texts(".summary p").len(), 2, "two paragraphs");
    let csto = b.page("actors/csto/");
    assert_eq!(
        csto.texts("h1"),
        ["CSTO: Collective Security Treaty Organization"]
    );
    assert_eq!(
        csto.texts(".dek"),
        ["Military alliance of six states; led from Moscow"]
    );
    assert_eq!(csto.texts(".kicker .kind"), ["Organisation"]);
    assert_eq!(
        b.page("actors/zhanaozen/").texts(".dek"),
        ["Oil town in Mangystau, “Zhanaozen” in Kazakh"]
    );
    b.page("actors/kazakhstan/").has_link(
        ".relation-list a",
        "/actors/csto/",
        "CSTO: Collective Security Treaty Organization",
    );

    // Aliases link in an analysis, as hand-written ones do.
    let analysis = b.page("analyses/five-days/");
    analysis
        .has_link(".prose a", "/actors/tokayev/", "Tokayev")
        .has_link(".prose a", "/actors/nazarbayev/", "Elbasy")
        .has_link(".prose a", "/actors/kazakhstan/", "Qazaqstan");

    // Dates at their precision.
    let when = |id: &str| {
        let page = b.page(&format!("events/{id}/"));
        (
            page.attrs(".article-header .kicker time", "datetime"),
            page.texts(".article-header .kicker time"),
        )
    };
    assert_eq!(
        when("csto-request"),
        (vec!["2022-01-05".into()], vec!["5 January 2022".into()])
    );
    assert_eq!(when("nur-otan-founded").1, ["1999"]);
    assert_eq!(when("january-2022-unrest").0, ["2022-01"]);
    let request = b.page("events/csto-request/");
    request
        .has_link(".kicker a", "/actors/almaty/", "Almaty")
        .has_link("a", "/events/january-2022-unrest/", "January 2022 unrest")
        .has_link(".summary a", "/actors/tokayev/", "Kassym-Jomart Tokayev");
    b.page("events/protests-begin-in-zhanaozen/").has_link(
        "a",
        "/actors/oil-workers-of-zhanaozen/",
        "Oil workers of Zhanaozen",
    );
}

#[test]
fn every_problem_of_a_file_is_reported_at_its_cell_in_one_run() {
    let csv = "name,kind,aliases,country,wikidata,member_of\n\
Kassym-Jomart Tokayev,persn,Tokayev,kazakstan,Q381218,\n\
,person,,,,\n\
Kazakhstan,state,,,Q0232,\n\
Kazakhstan,state,,,,\n\
Someone,,,,,\n\
Too,many,cells,here,,,x\n\
Nur Otan,organisation,,kazakhstan,,\"nur-otan; Amanat\"\n";
    assert_eq!(
        errors_of(ImportKind::Actors, "people.csv", csv.as_bytes()),
        "\
error: people.csv:2:23: unknown actor kind `persn` (help: did you mean `person`?) (help: the kinds are: person, organisation, state, group, place)
error: people.csv:2:37: unknown actor id `kazakstan` (help: did you mean `kazakhstan`?)
error: people.csv:3:1: row 3 has no name (help: every actor needs a name)
error: people.csv:4:20: `Q0232` is not a Wikidata id (help: a Wikidata item id is Q followed by its number, as in its address: wikidata.org/wiki/Q232 → `Q232`)
error: people.csv:5:1: rows 4 and 5 both make the id `kazakhstan` (help: add an `id` column and give one of them another id)
error: people.csv:6:9: row 6 has no kind (help: write person, organisation, state, group or place in B6, or give every row without a kind one with `--kind person`)
error: people.csv:7:1: row 7 has 7 cells, but the header row has 6 (help: a cell that holds a `,` or a line break must be in double quotes (a spreadsheet quotes them when it saves CSV))
error: people.csv:8:37: `nur-otan` is this row's own id (help: `member_of` names the actors this one belongs to)
error: people.csv:8:47: `Amanat` is not an id (help: write the actor's id: its file name in content/actors/ without .yaml, or the id a row of this file makes)
"
    );
}

#[test]
fn the_terminal_shows_the_cell_under_its_spreadsheet_name() {
    let site = Fixture::new().file("people.csv", "name;kind\r\n\"Tokayev\r\nK.\";persn\r\n");
    let r = site.run(&["import", "actors", "people.csv", "--apply"]);
    assert_eq!(r.code, 1);
    // Line 3 of the file, row 2 of the sheet; the CR of CRLF is not shown.
    assert_eq!(
        r.stderr,
        "\
error: unknown actor kind `persn`
 --> people.csv:3:5
  |
3 | K.\";persn\x20
  |     ^^^^^ cell B2 (kind)
  |
  = help: did you mean `person`?
  = help: the kinds are: person, organisation, state, group, place

error: import failed: 1 error; nothing was written
"
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

#[test]
fn an_unknown_column_is_named_at_its_header_cell_with_the_column_meant() {
    let short = errors_of(
        ImportKind::Actors,
        "people.csv",
        b"Name,Knd,Alias,Notes\nTokayev,person,,\n",
    );
    assert_eq!(
        short,
        "\
error: people.csv:1:6: unknown column `Knd` (help: did you mean `kind`?) (help: the columns of an actors file are id, name, kind, role, country, aliases, summary, wikidata, member_of; delete this one from a copy of the sheet, or rename it)
error: people.csv:1:16: unknown column `Notes` (help: the columns of an actors file are id, name, kind, role, country, aliases, summary, wikidata, member_of; delete this one from a copy of the sheet, or rename it)
"
    );
}

#[test]
fn a_missing_column_and_a_row_that_is_no_header_are_named() {
    assert_eq!(
        errors_of(ImportKind::Events, "events.csv", b"title,place\nA,almaty\n"),
        "error: events.csv:1:1: there is no `date` column (help: add a column named `date` in row 1)\n"
    );
    assert_eq!(
        errors_of(ImportKind::Actors, "people.csv", b"name\nTokayev\n"),
        "error: people.csv:1:1: there is no `kind` column (help: add a `kind` column (person, organisation, state, group, place), or give every row one kind with `--kind person`)\n"
    );
    assert_eq!(
        errors_of(
            ImportKind::Actors,
            "people.csv",
            b"Tokayev,person\nNazarbayev,person\n"
        ),
        "error: people.csv:1:1: row 1 does not name the columns: none of its cells is a column of an actors file (help: the first row names the columns, such as id, name, kind, role, country, aliases, summary, wikidata, member_of; delete any title rows above it)\n"
    );
    assert_eq!(
        errors_of(
            ImportKind::Actors,
            "people.csv",
            b"name,kind,Type,\nTokayev,person,person,x\n"
        ),
        "\
error: people.csv:1:11: columns B and C are both `kind` (help: keep one of them)
error: people.csv:1:16: column D has no name in row 1, but it holds values (help: name the column in row 1 (id, name, kind, role, country, aliases, summary, wikidata, member_of), or delete it)
"
    );
}

#[test]
fn the_header_is_the_first_row_that_is_not_empty_and_labels_use_its_names() {
    let short = errors_of(
        ImportKind::Actors,
        "people.csv",
        b",,\n\nName,Type,\nTokayev,persn,\n,,\n,,,,\n",
    );
    assert_eq!(
        short,
        "error: people.csv:4:9: unknown actor kind `persn` (help: did you mean `person`?) (help: the kinds are: person, organisation, state, group, place)\n"
    );
    let site = Fixture::new().file("people.csv", ",,\n\nName,Type,\nTokayev,persn,\n");
    let r = site.run(&["import", "actors", "people.csv"]);
    assert!(r.stderr.contains("^^^^^ cell B4 (Type)"), "{}", r.stderr);
    assert_eq!(
        errors_of(ImportKind::Actors, "people.csv", b",,\n,\n \n"),
        "error: people.csv:1:1: this file has only empty rows (help: the first row names the columns, and each row after it is one actor or event)\n"
    );
}

#[test]
fn headers_are_matched_in_any_case_and_by_their_documented_other_names() {
    let site = Fixture::new()
        .actor("tokayev", "name: Kassym-Jomart Tokayev\nkind: person\n")
        .file(
            "events.csv",
            "  TITLE ,Start Date,End-Date,Location,Participants,Part of,Alias\nTalks,2022-01,2022-02,Almaty,tokayev,,The talks\n",
        );
    let (short, result) = import(&site, ImportKind::Events, "events.csv", true);
    assert_eq!(short, "");
    let done = result.expect("imported");
    assert_eq!(done.files.len(), 1);
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/events/talks.yaml")).unwrap(),
        "# Imported from events.csv, row 2.\ntitle: Talks\naliases: [The talks]\ndate: 2022-01\nend: 2022-02\nplace: Almaty\nactors: [tokayev]\n"
    );
}

#[test]
fn dates_are_read_as_fact_sheets_read_them_with_the_same_help() {
    let short = errors_of(
        ImportKind::Events,
        "events.csv",
        "title,date,end\nA,08/09/2020,\nB,5 January 2022,2022-02-30\nC,,\nD,yesterday,\n"
            .as_bytes(),
    );
    assert_eq!(
        short,
        "\
error: events.csv:2:3: `08/09/2020` can be read two ways: write 2020-09-08 (8 September 2020) or 2020-08-09 (9 August 2020)
error: events.csv:3:3: `5 January 2022` is not in the form dossier reads: write 2022-01-05 (5 January 2022)
error: events.csv:3:18: `2022-02-30` is not a date: February 2022 has no day 30 (help: a date is YYYY-MM-DD, or YYYY-MM or YYYY when only the month or year is known)
error: events.csv:4:3: row 4 has no date (help: write when it happened: 2022-01-05, or 2022-01 or 2022 when only the month or year is known)
error: events.csv:5:3: `yesterday` is not a date; write dates as YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2022-01-05, 2022-01 or 2022
"
    );
}

#[test]
fn ids_are_checked_made_from_names_and_unique() {
    let short = errors_of(
        ImportKind::Actors,
        "people.csv",
        "id,name,kind\nTokayev K.,Kassym-Jomart Tokayev,person\n,???,group\nkazakhstan,Kazakhstan,state\n,Kazakhstan,state\n".as_bytes(),
    );
    assert_eq!(
        short,
        "\
error: people.csv:2:1: `Tokayev K.` is not a valid id (help: ids use lowercase letters, digits and hyphens, and start with a letter or digit) (help: did you mean `tokayev-k`?)
error: people.csv:3:2: cannot make an id from `???` (help: give this row an id in its `id` cell: lowercase letters, digits and hyphens)
error: people.csv:5:2: rows 4 and 5 both make the id `kazakhstan` (help: give one of them another id in the `id` column)
"
    );
}

#[test]
fn references_name_known_actors_and_events_of_the_right_kind() {
    let site = Fixture::new()
        .actor("tokayev", "name: Kassym-Jomart Tokayev\nkind: person\n")
        .event("unrest", "title: Unrest\ndate: 2022-01\n")
        .file(
            "events.csv",
            "id,title,date,actors,part_of,place\nrequest,Request,2022-01-05,\"tokayev; tokaev; unrest\",tokayev,nowhere\nsub,Sub,2022-01-06,Tokayev,request,\nloop,Loop,2022-01-07,,loop,\n",
        );
    let (short, result) = import(&site, ImportKind::Events, "events.csv", true);
    assert!(matches!(result, Err(ImportError::Content)));
    assert_eq!(
        short,
        "\
error: events.csv:2:38: unknown actor id `tokaev` (help: did you mean `tokayev`?)
error: events.csv:2:46: `unrest` is an event, not an actor (help: write the actor's id: its file name in content/actors/ without .yaml (import actors before the events they took part in))
error: events.csv:2:54: `tokayev` is an actor, not an event (help: write the event's id: its file name in content/events/ without .yaml, or the id a row of this file makes)
error: events.csv:3:20: `Tokayev` is not an id (help: did you mean `tokayev`?) (help: write the actor's id: its file name in content/actors/ without .yaml (import actors before the events they took part in))
error: events.csv:4:23: `loop` is this row's own id (help: `part_of` names a larger event)
"
    );
    assert_eq!(files_in(&site, "content/events"), ["unrest.yaml"]);
}

#[test]
fn quoting_gone_wrong_and_rows_of_the_wrong_length_are_named() {
    assert_eq!(
        errors_of(
            ImportKind::Actors,
            "people.csv",
            b"name;kind;role\nTokayev;person;\"President\nCSTO;organisation;x\n"
        ),
        "error: people.csv:2:16: this quote is never closed (help: end the cell with a `\"`; a quote inside a cell is written twice: `\"\"`)\n"
    );
    // A quote left open is closed by the next one: the rows show it.
    assert_eq!(
        errors_of(
            ImportKind::Actors,
            "people.csv",
            b"name;kind;role\nTokayev;person;\"President\n\"CSTO\" alliance;organisation;x\n"
        ),
        "\
error: people.csv:2:1: row 2 has 5 cells, but the header row has 3 (help: a cell that holds a `;` or a line break must be in double quotes (a spreadsheet quotes them when it saves CSV))
error: people.csv:3:2: text after the closing quote of a cell (help: a cell in quotes ends at its closing quote; a quote inside a cell is written twice: `\"5\"\" floppy\"`)
"
    );
    assert_eq!(
        errors_of(
            ImportKind::Actors,
            "people.csv",
            b"name;kind;role\n\"CSTO\" alliance;organisation;x\nAlmaty;place\n"
        ),
        "\
error: people.csv:2:7: text after the closing quote of a cell (help: a cell in quotes ends at its closing quote; a quote inside a cell is written twice: `\"5\"\" floppy\"`)
error: people.csv:3:1: row 3 has 2 cells, but the header row has 3 (help: a cell that holds a `;` or a line break must be in double quotes (a spreadsheet quotes them when it saves CSV))
"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_said_to_be_so() {
    // "Zhanaözen" as Windows-1252 writes it.
    let short = errors_of(
        ImportKind::Actors,
        "people.csv",
        b"name,kind\nAlmaty,place\nZhana\xF6zen,place\n",
    );
    assert_eq!(
        short,
        "error: people.csv:3:6: this file is not UTF-8: it was saved in another encoding (such as Windows-1252) (help: save it again as UTF-8 CSV: in Excel, Save As › \"CSV UTF-8 (Comma delimited)\"; in LibreOffice, tick \"Edit filter settings\" and choose Unicode (UTF-8))\n"
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("name\tkind\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert!(
        errors_of(ImportKind::Actors, "people.txt", &utf16)
            .starts_with("error: people.txt:1:1: this file is UTF-16 (a spreadsheet's \"Unicode text\"), not UTF-8 (help: save it again as UTF-8 CSV")
    );
    assert_eq!(
        errors_of(ImportKind::Actors, "people.csv", b"\xEF\xBB\xBF\r\n"),
        "error: people.csv:1:1: this file is empty (help: the first row names the columns, and each row after it is one actor or event)\n"
    );
}

#[test]
fn existing_ids_are_skipped_with_a_warning_and_their_files_left_untouched() {
    let tokayev =
        "# Written by hand.\nname: Kassym-Jomart Tokayev\nkind: person\nrole: President\n";
    let site = Fixture::new()
        .file("content/actors/people/tokayev.yaml", tokayev)
        .event("almaty", "title: Something in Almaty\ndate: 2022\n")
        .file("content/actors/kazakhstan.ru.yaml", "name: Казахстан\n")
        .file(
            "people.csv",
            "id,name,kind,role\ntokayev,Tokayev,person,Someone else\n,Almaty,place,City\n,Kazakhstan,state,\n",
        );
    let (short, result) = import(&site, ImportKind::Actors, "people.csv", true);
    assert_eq!(
        short,
        "\
warning: people.csv:2:1: row 2 is skipped: the id `tokayev` is already content/actors/people/tokayev.yaml (help: dossier never overwrites a fact sheet: edit that file to add what this row says)
warning: people.csv:3:2: row 3 is skipped: the id `almaty` is already content/events/almaty.yaml (help: actors and events share their ids: give this row an id of its own in the `id` column)
"
    );
    let done = result.expect("the other rows are imported");
    assert_eq!((done.files.len(), done.skipped), (1, 2));
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/actors/people/tokayev.yaml")).unwrap(),
        tokayev
    );
    assert_eq!(
        files_in(&site, "content/actors"),
        [
            "kazakhstan.ru.yaml",
            "kazakhstan.yaml",
            "people/tokayev.yaml"
        ]
    );
    // Run again: nothing left to import, nothing touched.
    let r = site.run(&["import", "actors", "people.csv", "--apply"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Nothing to import from people.csv (3 rows skipped: their ids already exist)\n"
    );
    assert_eq!(r.stderr.matches("warning: row").count(), 3, "{}", r.stderr);
}

#[test]
fn nothing_is_written_while_one_row_has_an_error() {
    let site = Fixture::new().file(
        "people.csv",
        "name,kind\nTokayev,person\nNazarbayev,person\nAlmaty,city\n",
    );
    let r = site.run(&["import", "actors", "people.csv", "--apply"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr
            .ends_with("error: import failed: 1 error; nothing was written\n"),
        "{}",
        r.stderr
    );
    assert!(!site.root().join("content/actors").exists());
}

#[test]
fn kind_may_be_given_once_for_every_row_without_one() {
    let site = Fixture::new().file("people.csv", "name,kind\nTokayev,\nCSTO,organisation\n");
    let r = site.run(&[
        "import",
        "actors",
        "people.csv",
        "--kind",
        "person",
        "--apply",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let read = |id: &str| {
        std::fs::read_to_string(site.root().join(format!("content/actors/{id}.yaml"))).unwrap()
    };
    assert!(read("tokayev").contains("kind: person\n"));
    assert!(read("csto").contains("kind: organisation\n"));
    // Without a kind column at all.
    let site = Fixture::new().file("people.csv", "name\nTokayev\n");
    let r = site.run(&["import", "actors", "people.csv", "--kind", "person"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Mistakes in the command are usage errors.
    let r = site.run(&["import", "actors", "people.csv", "--kind", "persn"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: unknown kind of actor `persn`; the kinds are person, organisation, state, group, place\n"
    );
    let r = site.run(&["import", "events", "people.csv", "--kind", "person"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--kind is for actors"), "{}", r.stderr);
    let r = site.run(&["import", "actors", "nowhere.csv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("error: cannot read nowhere.csv: "),
        "{}",
        r.stderr
    );
    let r = Fixture::bare().run(&["import", "actors", "people.csv"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("has no site.toml"), "{}", r.stderr);
    let r = site.run(&["import", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Usage: dossier import"), "{}", r.stdout);
}

#[test]
fn the_site_is_checked_after_the_files_are_written() {
    let site = Fixture::new().file(
        "people.csv",
        "name,kind,summary\nTokayev,person,Succeeded [[nazarbayev]].\n",
    );
    let r = site.run(&["import", "actors", "people.csv", "--apply"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.ends_with("Wrote 1 file.\n"), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("error: unknown actor or event id `nazarbayev`")
            && r.stderr.contains("--> content/actors/tokayev.yaml:4:")
            && r.stderr
                .ends_with("The site has errors after the import; they are listed above\n"),
        "{}",
        r.stderr
    );
}

/// Cells a spreadsheet may well hold, each a trap for YAML written by hand.
const HOSTILE: [&str; 12] = [
    "CSTO: the alliance",
    "#1 in the polls",
    "@kremlin",
    "- not a list",
    "[not, a, list]",
    "{not: a map}",
    "yes",
    "2022",
    "She said \"no\" & left <b>early</b>",
    "Back\\slash 'single' | pipe > angle % per cent",
    "Токаев, Қасым-Жомарт",
    "null",
];

#[test]
fn hostile_cells_reach_the_page_exactly_as_written() {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "name", "kind", "role", "aliases", "summary"])
        .unwrap();
    for (i, text) in HOSTILE.iter().enumerate() {
        let id = format!("a{i}");
        w.write_record([
            id.as_str(),
            text,
            "group",
            text,
            &format!("{text}-alias"),
            &format!("First line: {text}\n\n# Not a heading? {text}"),
        ])
        .unwrap();
    }
    let site = Fixture::new().bytes("people.csv", &w.into_inner().unwrap());
    let (short, result) = import(&site, ImportKind::Actors, "people.csv", true);
    assert_eq!(short, "");
    assert_eq!(result.unwrap().files.len(), HOSTILE.len());
    let b = site.build().ok();
    let actors: serde_json::Value = serde_json::from_str(&b.read("data/actors.json")).unwrap();
    for (i, text) in HOSTILE.iter().enumerate() {
        let page = b.page(&format!("actors/a{i}/"));
        assert_eq!(page.texts_raw(".article-header h1"), [*text]);
        // A role is shown with curly quotes, as any fact sheet's.
        let curled = dossier::testing::smart_text(text);
        assert_eq!(page.texts_raw(".dek"), [curled], "{text}");
        let actor = actors
            .as_array()
            .and_then(|a| a.iter().find(|x| x["id"] == format!("a{i}")))
            .unwrap_or_else(|| panic!("a{i} in actors.json"));
        assert_eq!(
            actor["aliases"],
            serde_json::json!([format!("{text}-alias")]),
            "{text}"
        );
        assert_eq!(page.texts(".summary p").len(), 1, "{text}");
        assert_eq!(page.texts(".summary h1").len(), 1, "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// Whatever the file holds, import reports it and never panics.
    #[test]
    fn any_file_is_reported_not_panicked_on(
        kind in prop::sample::select(vec![ImportKind::Actors, ImportKind::Events]),
        data in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..200),
            csvish().prop_map(String::into_bytes),
        ],
    ) {
        let site = Fixture::new()
            .actor("tokayev", "name: Kassym-Jomart Tokayev\nkind: person\n")
            .bytes("x.csv", &data);
        let (_, result) = import(&site, kind, "x.csv", true);
        if result.is_err() {
            prop_assert!(!site.root().join("content/events").exists());
        }
    }
}

/// CSV-like text: header names, cells, quotes, separators and line ends.
fn csvish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("name".to_string()),
        Just("title".to_string()),
        Just("kind".to_string()),
        Just("date".to_string()),
        Just("id".to_string()),
        Just("actors".to_string()),
        Just("member_of".to_string()),
        Just("part_of".to_string()),
        Just("person".to_string()),
        Just("2022-01".to_string()),
        Just("08/09/2020".to_string()),
        Just("tokayev".to_string()),
        Just(",".to_string()),
        Just(";".to_string()),
        Just("\t".to_string()),
        Just("\"".to_string()),
        Just("\"\"".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\u{FEFF}".to_string()),
        Just("Токаев".to_string()),
        "[a-z ]{0,6}".prop_map(|s| s),
    ];
    prop::collection::vec(token, 0..40).prop_map(|v| v.concat())
}

/// docs/format.md shows two files and the fact sheet the first row becomes:
/// they import and build as shown.
#[test]
fn the_example_in_the_format_documentation_imports_as_shown() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md"))
        .expect("docs/format.md");
    let start = doc
        .find("## Importing from a spreadsheet")
        .expect("the section");
    let section = &doc[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let blocks = |lang: &str| -> Vec<&str> {
        section
            .split(&format!("```{lang}\n"))
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .collect()
    };
    let (csv, yaml) = (blocks("csv"), blocks("yaml"));
    assert_eq!((csv.len(), yaml.len()), (2, 1));
    let site = Fixture::new()
        .file("people.csv", csv[0])
        .file("events.csv", csv[1]);
    for (what, file) in [("actors", "people.csv"), ("events", "events.csv")] {
        let r = site.run(&["import", what, file, "--apply"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.is_empty(), "{}", r.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/actors/tokayev.yaml")).unwrap(),
        yaml[0]
    );
    site.build().ok();
    // And the diagnostic it shows is the one a terminal gets.
    let text = blocks("text");
    let site = Fixture::new().file(
        "people.csv",
        "name,kind,aliases\nKazakhstan,state,Qazaqstan\nKassym-Jomart Tokayev,persn,Tokayev\n",
    );
    let r = site.run(&["import", "actors", "people.csv"]);
    assert_eq!(r.stderr, text[0]);
}
