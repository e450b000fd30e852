//! The source registry: source files cited by id from facts, events and
//! relations, and with `[@id]` in analyses; a page per source listing what
//! cites it; the list by publisher; BibTeX and RIS for each analysis.

use crate::harness::Fixture;

fn site() -> Fixture {
    Fixture::new()
        .actor(
            "csto",
            "name: Collective Security Treaty Organization\nkind: organisation\naliases: [CSTO]\nfacts:\n  - {label: Members, value: \"6\", source: csto-members}\n",
        )
        .actor(
            "tokayev",
            "name: Kassym-Jomart Tokayev\nkind: person\naliases: [Tokayev]\nrelations:\n  - {type: member_of, actor: csto, source: csto-statement}\n",
        )
        .file(
            "content/sources/csto-statement.yaml",
            "title: Statement on the deployment\npublisher: csto\nurl: https://en.odkb-csto.org/\narchived: https://web.archive.org/web/2022/https://en.odkb-csto.org/\npublished: 2022-01-06\nkind: official\nlanguage: ru\n",
        )
        .file(
            "content/sources/csto-members.yaml",
            "title: Member states\npublisher: csto\naccessed: 2022-01-20\n",
        )
        .file(
            "content/sources/ecfr.yaml",
            "title: The five days that shook Kazakhstan\npublisher: European Council on Foreign Relations\npublished: 2022-01\nkind: ngo\n",
        )
        .event(
            "deployment",
            "title: CSTO deploys\ndate: 2022-01-06\nactors: [csto]\nsources: [csto-statement, {title: A report given in place}]\nfacts:\n  - {label: Personnel, value: \"2,030\", source: csto-statement}\n",
        )
        .analysis(
            "withdrawal",
            "title: The withdrawal\ndate: 2022-01-20\nauthors: [A. Analyst]\nactors: [csto, tokayev]\nevents: [deployment]",
            "The CSTO came [@csto-statement, p. 2].[^1] Tokayev asked [see @ecfr; @csto-statement]. See [[deployment]].\n\nIn code: `[@csto-statement]`.\n\n[^1]: A plain footnote.\n",
        )
}

#[test]
fn a_citation_is_a_numbered_note_linked_both_ways() {
    let b = site().build().ok();
    let p = b.page("analyses/withdrawal/");
    // Citations and footnotes share one numbering, in order of reference.
    assert_eq!(p.texts(".prose sup.footnote-ref"), ["1", "2", "3"]);
    let notes = p.texts(".footnote-list li");
    assert_eq!(
        notes[0],
        "Collective Security Treaty Organization, “Statement on the deployment”, 6 January 2022, p. 2. ↩"
    );
    assert_eq!(notes[1], "A plain footnote. ↩");
    assert_eq!(
        notes[2],
        "see European Council on Foreign Relations, “The five days that shook Kazakhstan”, January 2022; Collective Security Treaty Organization, “Statement on the deployment”, 6 January 2022. ↩"
    );
    // Each reference and note point at each other.
    let refs = p.attrs(".prose sup.footnote-ref a", "href");
    for (k, href) in refs.iter().enumerate() {
        let id = href.trim_start_matches('#');
        let back = p.attrs(&format!("li#{id} a.footnote-backref"), "href");
        let sup_id = p.attrs(".prose sup.footnote-ref a", "id")[k].clone();
        assert_eq!(back, [format!("#{sup_id}")]);
    }
    p.has_link(
        ".footnote-list a",
        "/sources/ecfr/",
        "“The five days that shook Kazakhstan”",
    );
    // Inside code it is text.
    assert_eq!(p.texts(".prose code"), ["[@csto-statement]"]);
}

#[test]
fn an_analysis_ends_with_the_sources_it_cites() {
    let b = site().build().ok();
    let p = b.page("analyses/withdrawal/");
    let list = p.texts(".source-list li");
    assert_eq!(list.len(), 2, "{list:?}");
    assert!(
        list[0].starts_with("Collective Security Treaty Organization, “Statement on the deployment”, 6 January 2022 · link · archived copy"),
        "{list:?}"
    );
    assert!(
        list[1].starts_with("European Council on Foreign Relations"),
        "{list:?}"
    );
    p.has_link(
        ".source-list a",
        "/actors/csto/",
        "Collective Security Treaty Organization",
    )
    .has_link(
        ".source-list a",
        "https://web.archive.org/web/2022/https://en.odkb-csto.org/",
        "archived copy",
    );
}

#[test]
fn a_source_page_lists_everything_that_cites_it() {
    let b = site().build().ok();
    let s = b.page("sources/csto-statement/");
    assert_eq!(s.texts("h1"), ["Statement on the deployment"]);
    assert_eq!(s.texts(".card-title"), ["The withdrawal"]);
    assert_eq!(
        s.texts(".citing-facts li"),
        ["CSTO deploys: Personnel, 2,030"]
    );
    assert_eq!(
        s.texts(".citing-relations li"),
        ["Kassym-Jomart Tokayev · Member of · Collective Security Treaty Organization"]
    );
    s.has_link(".event-list a", "/events/deployment/", "CSTO deploys");
    let ld = s.json_ld();
    assert_eq!(ld["@type"], "CreativeWork");
    assert_eq!(ld["datePublished"], "2022-01-06");
    // The list groups sources by publisher, with how often each is cited.
    let list = b.page("sources/");
    assert_eq!(
        list.texts(".source-group h2"),
        [
            "Collective Security Treaty Organization",
            "European Council on Foreign Relations"
        ]
    );
    list.has_link(
        ".source-group h2 a",
        "/actors/csto/",
        "Collective Security Treaty Organization",
    );
    // The footer links the list.
    b.page("")
        .has_link(".site-footer a", "/sources/", "Sources");
}

#[test]
fn facts_and_events_show_registry_and_inline_sources_alike() {
    let b = site().build().ok();
    let e = b.page("events/deployment/");
    assert_eq!(
        e.texts(".sources li"),
        [
            "Collective Security Treaty Organization, “Statement on the deployment”, 6 January 2022 · link · archived copy",
            "A report given in place"
        ]
    );
    e.has_link(
        ".facts .source a",
        "/sources/csto-statement/",
        "“Statement on the deployment”",
    );
}

/// The text a download link of the "Cite this" block holds (a `data:` URL).
fn download(page: &crate::harness::Page, name: &str) -> String {
    let links = page.attrs(&format!(".cite-files a[download=\"{name}\"]"), "href");
    let [url] = links.as_slice() else {
        panic!("no download {name}: {links:?}");
    };
    let encoded = url.split_once(',').map_or("", |(_, e)| e);
    let bytes = encoded.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&encoded[i + 1..i + 3], 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn citations_download_as_bibtex_and_ris() {
    let b = site().build().ok();
    let p = b.page("analyses/withdrawal/");
    assert_eq!(p.texts(".cite-files a"), ["BibTeX", "RIS"]);
    // No file per analysis: the downloads are in the page.
    assert!(!b.exists("analyses/withdrawal/cite.bib"));
    let bib = download(&p, "withdrawal.bib");
    assert!(bib.starts_with("@online{withdrawal,\n"), "{bib}");
    assert!(bib.contains("  author       = {A. Analyst},\n"), "{bib}");
    assert!(bib.contains("  date         = {2022-01-20},\n"), "{bib}");
    assert!(
        bib.contains("  url          = {https://example.org/analyses/withdrawal/},\n"),
        "{bib}"
    );
    let ris = download(&p, "withdrawal.ris");
    assert!(
        ris.starts_with("TY  - ELEC\r\nAU  - A. Analyst\r\nTI  - The withdrawal\r\n"),
        "{ris}"
    );
    assert!(ris.ends_with("ER  - \r\n"), "{ris}");
}

#[test]
fn hostile_titles_stay_balanced_in_bibtex_and_on_one_line_in_ris() {
    let title = r#"A } b { 50% & <script>alert(1)</script> \end{document}"#;
    let b = Fixture::new()
        .file(
            "content/analyses/x.md",
            &format!("---\ntitle: '{title}'\ndate: 2022-01-20\nsummary: \"line one\\nTY  - JOUR\"\n---\nText [@s].\n"),
        )
        .file("content/sources/s.yaml", &format!("title: '{title}'\npublisher: '{title}'\n"))
        .build()
        .ok();
    let page = b.page("analyses/x/");
    let bib = download(&page, "x.bib");
    let mut depth = 0i32;
    for c in bib.chars() {
        depth += match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        };
        assert!(depth >= 0, "{bib}");
    }
    assert_eq!(depth, 0, "{bib}");
    let ris = download(&page, "x.ris");
    let tags = ris.lines().filter(|l| l.starts_with("TY  - ")).count();
    assert_eq!(tags, 1, "one record, one field a line: {ris}");
    for page in ["analyses/x/", "sources/s/", "sources/"] {
        b.page(page).lacks("<script>alert(1)");
    }
    assert_eq!(b.page("sources/s/").json_ld()["name"], title);
}
