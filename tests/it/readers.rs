//! What readers get from the graph: author pages and linked bylines,
//! related analyses, an actor's network as a figure, corrections, and the
//! open data under `/data/`.

use crate::harness::Fixture;

fn site() -> Fixture {
    Fixture::new()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\npaginate = 1\nrelated = 2\ndata_license = \"CC BY 4.0\"\n",
        )
        .file(
            "content/authors/sultanova.yaml",
            "name: Aigerim Sultanova\ntitle: Senior Fellow\naffiliation: An Institute\norcid: 0000-0002-1825-0097\nbio: Writes on [[tokayev]].\n",
        )
        .file("content/authors/weber.yaml", "name: Jonas Weber\n")
        .actor("tokayev", "name: Kassym-Jomart Tokayev\nkind: person\naliases: [Tokayev]\nrelations:\n  - {type: leads, actor: kazakhstan, role: President, from: 2019-03-20}\n  - {type: member_of, actor: party, until: 2022-01-28}\n")
        .actor("kazakhstan", "name: Kazakhstan\nkind: state\naliases: [Kazakhstan]\n")
        .actor("party", "name: Nur Otan\nkind: organisation\n")
        .actor("csto", "name: CSTO\nkind: organisation\naliases: [CSTO]\n")
        .actor("rare", "name: Rare Actor\nkind: person\n")
        .analysis(
            "one",
            "title: One\ndate: 2022-01-10\nauthors: [sultanova, weber]\ntags: [security]\ncorrections:\n  - {date: 2022-01-15, text: \"An earlier version misnamed [[tokayev]].\"}",
            "Tokayev, Kazakhstan, [[rare]].\n",
        )
        .analysis(
            "two",
            "title: Two\ndate: 2022-01-12\nauthors: [sultanova, A. Guest]\ntags: [security]",
            "Kazakhstan and the CSTO, [[rare]].\n",
        )
        .analysis(
            "three",
            "title: Three\ndate: 2022-01-14\nauthors: [weber]\ntags: [security]",
            "Kazakhstan and the CSTO.\n",
        )
        .analysis("four", "title: Four\ndate: 2022-01-16", "Nothing in common.\n")
}

#[test]
fn authors_have_pages_feeds_and_linked_bylines() {
    let b = site().build().ok();
    let one = b.page("analyses/one/");
    assert_eq!(
        one.texts(".byline .authors"),
        ["Aigerim Sultanova and Jonas Weber"]
    );
    one.has_link(".byline a", "/authors/sultanova/", "Aigerim Sultanova");
    let two = b.page("analyses/two/");
    assert_eq!(
        two.texts(".byline .authors"),
        ["Aigerim Sultanova and A. Guest"]
    );
    assert_eq!(
        two.links(".article-header .byline a").len(),
        1,
        "a name without a file is text"
    );
    let ld = two.json_ld();
    assert_eq!(
        ld["author"][0]["url"],
        "https://example.org/authors/sultanova/"
    );
    assert!(ld["author"][1].get("url").is_none());

    // Their page: bio with links, newest first, paginated (paginate = 1).
    let p = b.page("authors/sultanova/");
    assert_eq!(p.texts("h1"), ["Aigerim Sultanova"]);
    assert_eq!(p.texts(".dek"), ["Senior Fellow, An Institute"]);
    p.has_link(".summary a", "/actors/tokayev/", "Kassym-Jomart Tokayev");
    assert_eq!(p.texts(".card-title"), ["Two"]);
    assert_eq!(
        b.page("authors/sultanova/page/2/").texts(".card-title"),
        ["One"]
    );
    let person = p.json_ld();
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["sameAs"][0], "https://orcid.org/0000-0002-1825-0097");
    let feed = b.xml("authors/sultanova/feed.xml");
    assert!(
        feed.contains("<uri>https://example.org/authors/sultanova/</uri>"),
        "{feed}"
    );
    // The list, and the footer link to it.
    let list = b.page("authors/");
    assert_eq!(
        list.texts(".author-name"),
        ["Aigerim Sultanova", "Jonas Weber"]
    );
    b.page("")
        .has_link(".site-footer a", "/authors/", "Authors");
}

#[test]
fn a_name_that_is_no_author_gets_a_warning_only_on_a_site_with_authors() {
    site().build().ok().has(&[
        "content/analyses/two.md:4:22",
        "`A. Guest` is not one of the site's authors",
    ]);
    let none = Fixture::new()
        .analysis(
            "a",
            "title: A\ndate: 2022-01-10\nauthors: [A. Guest]",
            "Text.\n",
        )
        .build()
        .ok();
    assert!(
        !none.short().contains("unknown_author") && !none.short().contains("A. Guest"),
        "{}",
        none.short()
    );
}

#[test]
fn each_analysis_ends_with_those_that_share_the_most_with_it() {
    let b = site().build().ok();
    // One shares the rare actor with Two; Kazakhstan and the tag with all.
    assert_eq!(
        b.page("analyses/one/").texts(".related .card-title"),
        ["Two", "Three"]
    );
    assert_eq!(
        b.page("analyses/three/").texts(".related .card-title"),
        ["Two", "One"]
    );
    // Nothing in common: no section.
    assert!(b.page("analyses/four/").texts(".related").is_empty());
    let off = site()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\nrelated = 0\n",
        )
        .build()
        .ok();
    assert!(off.page("analyses/one/").texts(".related").is_empty());
}

#[test]
fn an_actor_with_relations_has_its_network_as_a_figure_and_a_list() {
    let b = site().build().ok();
    let t = b.page("actors/tokayev/");
    let svg = t.texts_raw("figure.network-figure svg title");
    assert_eq!(svg[0], "Relations of Kassym-Jomart Tokayev");
    t.has_link(
        "svg.network a",
        "/actors/kazakhstan/",
        "Kazakhstan: LeadsKazakhstan",
    );
    // A former relation is drawn dashed; each node links its actor, in the
    // order of the relation types (member_of comes before leads).
    assert_eq!(t.attrs("svg.network line.former", "x1").len(), 1);
    assert_eq!(
        t.attrs("svg.network a.node", "href"),
        ["/actors/party/", "/actors/kazakhstan/"]
    );
    // The plain list is there for readers who cannot see it.
    assert_eq!(t.texts(".relation-label"), ["Member of", "Leads"]);
    // An actor without relations has no figure.
    assert!(b.page("actors/rare/").texts("svg.network").is_empty());
}

#[test]
fn a_hub_shows_its_most_connected_neighbours_and_counts_the_rest() {
    let mut f = Fixture::new().actor("hub", "name: Hub\nkind: organisation\n");
    for i in 0..15 {
        f = f.actor(
            &format!("m{i:02}"),
            &format!("name: \"Member {i} </text><script>\"\nkind: state\naffiliations: [hub]\n"),
        );
    }
    let b = f.build().ok();
    let hub = b.page("actors/hub/");
    assert_eq!(hub.attrs("svg.network a.node", "href").len(), 12);
    assert_eq!(hub.texts("svg.network .more"), ["and 3 more"]);
    hub.lacks("<script>");
    assert_eq!(hub.texts(".relation-list li").len(), 15);
}

#[test]
fn corrections_show_at_the_top_at_the_end_in_a_list_and_in_a_feed() {
    let b = site().build().ok();
    let one = b.page("analyses/one/");
    one.has_link(
        ".byline a.corrected",
        "#corrections",
        "Corrected on 15 January 2022",
    );
    assert_eq!(
        one.texts("#corrections li"),
        ["15 January 2022: An earlier version misnamed Kassym-Jomart Tokayev."]
    );
    // The correction updates the analysis's dates for machines.
    assert_eq!(one.json_ld()["dateModified"], "2022-01-15");
    let feed = b.xml("feed.xml");
    assert!(
        feed.contains("<updated>2022-01-15T00:00:00Z</updated>"),
        "{feed}"
    );
    let list = b.page("corrections/");
    assert_eq!(list.texts(".correction-of"), ["One"]);
    list.has_link(
        ".correction-of a",
        "/analyses/one/#correction-2022-01-15-1",
        "One",
    );
    let cfeed = b.xml("corrections/feed.xml");
    assert!(cfeed.contains("<title>Correction: One</title>"), "{cfeed}");
}

#[test]
fn open_data_holds_every_entity_in_json_csv_and_followthemoney() {
    let b = site()
        .actor(
            "formula",
            "name: \"=HYPERLINK(\\\"https://evil\\\")\"\nkind: person\nfacts:\n  - {label: \"+1\", value: \"@SUM(A1)\", source: {title: \"-x\"}}\n",
        )
        .build()
        .ok();
    let actors: serde_json::Value = serde_json::from_str(&b.read("data/actors.json")).unwrap();
    assert_eq!(actors.as_array().unwrap().len(), 6);
    let relations: serde_json::Value =
        serde_json::from_str(&b.read("data/relations.json")).unwrap();
    assert_eq!(relations[0]["type"], "leads");
    assert_eq!(relations[0]["from"], "2019-03-20");
    assert_eq!(relations[1]["type"], "member_of");
    assert_eq!(relations[1]["until"], "2022-01-28");
    let facts = b.read("data/facts.csv");
    assert!(
        facts.contains("\"actor\",\"formula\",\"'=HYPERLINK(\"\"https://evil\"\")\",\"'+1\",\"'@SUM(A1)\",\"\",\"\",\"'-x\",\"\""),
        "{facts}"
    );
    let ftm = b.read("data/entities.ftm.json");
    let entities: Vec<serde_json::Value> = ftm
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let schema = |id: &str| {
        entities
            .iter()
            .find(|e| e["id"] == id)
            .map(|e| e["schema"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(schema("actor-tokayev").as_deref(), Some("Person"));
    assert_eq!(schema("actor-kazakhstan").as_deref(), Some("PublicBody"));
    assert_eq!(
        schema("relation-tokayev-1").as_deref(),
        Some("Directorship")
    );
    assert_eq!(schema("relation-tokayev-2").as_deref(), Some("Membership"));
    let page = b.page("data/");
    assert!(page.texts(".prose p").concat().contains("CC BY 4.0"));
    assert_eq!(page.links(".data-files a").len(), 7);
}
