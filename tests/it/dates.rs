//! Partial dates: a year or a month where the day is not known, shown at
//! their precision, sorted by their first day with the less precise first,
//! written in ISO form in JSON-LD and as their first day where a full date
//! is needed.

use crate::harness::Fixture;

fn site() -> Fixture {
    Fixture::new()
        .event("year", "title: Something in 2022\ndate: 2022\n")
        .event("month", "title: Something in January\ndate: 2022-01\n")
        .event("day", "title: On the first\ndate: 2022-01-01\n")
        .event("later", "title: On the fifth\ndate: 2022-01-05\n")
        .event(
            "span",
            "title: A spring\ndate: 2019-03\nend: 2019-05\nfacts:\n  - {label: Count, value: \"3\", as_of: 2019-04, source: {title: A}}\n",
        )
        .event("quiet", "title: Nobody writes about this\ndate: 2018-03\nend: 2018-05\n")
        .analysis(
            "a",
            "title: A\ndate: 2022-01-27\nupdated: 2022-02\nevents: [year, month, day, later, span]",
            "[[year]], [[month]], [[day]], [[later]], [[span]].\n",
        )
}

#[test]
fn dates_show_at_their_precision() {
    let b = site().build().ok();
    let span = b.page("events/span/");
    assert_eq!(
        span.texts(".article-header .kicker time"),
        ["March – May 2019"]
    );
    assert_eq!(
        span.attrs(".article-header .kicker time", "datetime"),
        ["2019-03"]
    );
    span.contains("as of <time datetime=\"2019-04\">April 2019</time>");
    assert_eq!(
        b.page("events/year/").texts(".article-header .kicker time"),
        ["2022"]
    );
    assert_eq!(
        b.page("events/month/")
            .texts(".article-header .kicker time"),
        ["January 2022"]
    );
    // An analysis's `updated` may be a month.
    b.page("analyses/a/")
        .contains("Updated <time datetime=\"2022-02\">February 2022</time>");
}

#[test]
fn the_timeline_puts_a_year_before_its_months_and_a_month_before_its_days() {
    let b = site().build().ok();
    let t = b.page("timeline/");
    let titles = t.texts(".timeline-year .event-title");
    assert_eq!(
        titles,
        [
            "Nobody writes about this",
            "A spring",
            "Something in 2022",
            "Something in January",
            "On the first",
            "On the fifth"
        ]
    );
    // The year-only event heads its year, outside any month.
    assert_eq!(
        t.texts(".timeline-year-events .event-title"),
        ["Something in 2022"]
    );
    assert_eq!(
        t.texts("#m2022-01 ~ .timeline-events .event-title"),
        ["Something in January", "On the first", "On the fifth"]
    );
}

#[test]
fn json_ld_keeps_the_partial_form_and_xml_takes_the_first_day() {
    let b = site().build().ok();
    let ld = b.page("events/span/").json_ld();
    assert_eq!(ld["startDate"], "2019-03");
    assert_eq!(ld["endDate"], "2019-05");
    // The sitemap needs a full date: the first day of the newest one shown.
    let sitemap = b.xml("sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://example.org/events/quiet/</loc>\n    <lastmod>2018-05-01</lastmod>"
        ),
        "{sitemap}"
    );
    let feed = b.xml("feed.xml");
    assert!(
        feed.contains("<updated>2022-02-01T00:00:00Z</updated>"),
        "{feed}"
    );
}

#[test]
fn a_date_written_day_first_gets_both_readings() {
    Fixture::new()
        .event("e", "title: E\ndate: 08/09/2020\n")
        .build()
        .fails()
        .has(&[
            "content/events/e.yaml:2:7",
            "write 2020-09-08 (8 September 2020) or 2020-08-09 (9 August 2020)",
        ]);
}
