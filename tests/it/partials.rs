//! `partial(name=…, …)`: a template rendered once per distinct set of
//! arguments in a build, its HTML shared by every page that asks for it.

use crate::harness::Fixture;

fn two_analyses() -> Fixture {
    Fixture::new()
        .actor("tokayev", "name: Kassym-Jomart Tokayev\nkind: person\n")
        .analysis(
            "first",
            "title: The First Week\ndate: 2022-01-08\nsummary: What happened first.\nauthors: [Ana Analyst]\nactors: [tokayev]\ntags: [security]",
            "Body.\n",
        )
        .analysis(
            "second",
            "title: The Second Week\ndate: 2022-01-15\nactors: [tokayev]\ntags: [security]",
            "Body.\n",
        )
}

#[test]
fn each_card_shows_its_own_analysis_at_the_level_its_page_asks_for() {
    let b = two_analyses().build().ok();
    // The same two cards on an actor page (titles at h3) and a tag page (h2).
    let actor = b.page("actors/tokayev/index.html");
    assert_eq!(
        actor.texts("article.card h3.card-title"),
        ["The Second Week", "The First Week"]
    );
    actor
        .has_link("article.card h3 a", "/analyses/first/", "The First Week")
        .contains("What happened first.")
        .contains("By Ana Analyst");
    let tag = b.page("tags/security/index.html");
    assert_eq!(
        tag.texts("article.card h2.card-title"),
        ["The Second Week", "The First Week"]
    );
    assert!(tag.texts("article.card h3").is_empty());
    // One summary only: the second analysis has none, and its card does not
    // borrow the first's.
    assert_eq!(actor.texts("p.card-summary"), ["What happened first."]);
}

#[test]
fn a_partial_is_keyed_on_every_argument() {
    let b = two_analyses()
        .file(
            "themes/default/templates/partials/badge.html",
            "<b class=\"badge-test\">{{ label }} {{ n }}</b>",
        )
        .file(
            "themes/default/templates/404.html",
            "{{ partial(name=\"partials/badge.html\", label=\"x\", n=1) }}\
             {{ partial(name=\"partials/badge.html\", label=\"x\", n=2) }}\
             {{ partial(name=\"partials/badge.html\", n=1, label=\"x\") }}\
             {{ partial(name=\"partials/badge.html\", label=\"<y>\", n=1) }}",
        )
        .build()
        .ok();
    let html = b.read("404.html");
    assert_eq!(
        html,
        "<b class=\"badge-test\">x 1</b><b class=\"badge-test\">x 2</b>\
         <b class=\"badge-test\">x 1</b><b class=\"badge-test\">&lt;y&gt; 1</b>"
    );
}

#[test]
fn an_error_inside_a_partial_names_the_partial_and_its_line() {
    two_analyses()
        .file(
            "themes/default/templates/partials/analysis-card.html",
            "<article>\n{{ analysis.title ~ 1 + [] }}\n</article>\n",
        )
        .build()
        .fails()
        .has(&["templates/partials/analysis-card.html:2:"]);
}

#[test]
fn a_partial_does_not_see_the_page_that_calls_it() {
    two_analyses()
        .file(
            "themes/default/templates/partials/analysis-card.html",
            "<article>\n{{ page.name }}\n</article>\n",
        )
        .build()
        .fails()
        .has(&[
            "templates/partials/analysis-card.html:2:",
            "`page` is not defined",
        ]);
}

#[test]
fn a_partial_without_a_name_is_an_error_that_says_so() {
    two_analyses()
        .file(
            "themes/default/templates/404.html",
            "{{ partial(label=\"x\") }}",
        )
        .build()
        .fails()
        .has(&["404.html", "needs the template's name"]);
}
