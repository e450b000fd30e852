//! What tests, benchmarks and fuzz targets reach beyond the library's
//! surface: whole stages run on in-memory input, the serve page store, and
//! a few parsers and helpers tested on their own. Not part of the promised
//! interface.

use crate::diag::{Diagnostics, Sources};

pub use crate::checks::lint::check_url;
pub use crate::load::frontmatter::{Split, split};
pub use crate::serve::store::Store;
pub use crate::text::smart_text;
pub use crate::theme::BUILTIN as BUILTIN_THEME;

/// Whether `text` is a date dossier accepts, and if not why.
pub fn parse_date(text: &str) -> Result<String, String> {
    crate::model::Date::parse(text).map(|d| d.to_string())
}

/// Loads, converts, links and checks one file's bytes, as
/// `content/<kind>s/x.*` next to two valid actors it may refer to, and
/// returns the diagnostics as text. Whatever the input, this must return,
/// never panic.
pub fn one_file(kind: &str, data: &[u8]) -> String {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::new();
    let config = crate::config::Config::for_tests();
    let (text, bad) = crate::load::decode(data.to_vec());
    let id = sources.add(format!("content/{kind}s/x"), None, text);
    if let Some(offset) = bad {
        diags.push(crate::load::not_utf8(id, offset));
    }
    let mut local = Vec::new();
    let mut content = crate::load::parse_single(kind, id, "x", &sources.text(id), &mut local);
    diags.extend(local);
    for (stem, yaml) in [
        (
            "tokayev",
            "name: Kassym-Jomart Tokayev\nkind: person\naliases: [Tokayev, Токаев]\n",
        ),
        ("csto", "name: CSTO\nkind: organisation\n"),
    ] {
        let id = sources.add(
            format!("content/actors/{stem}.yaml"),
            None,
            yaml.to_string(),
        );
        let mut ignored = Vec::new();
        let more = crate::load::parse_single("actor", id, stem, &sources.text(id), &mut ignored);
        content.actors.extend(more.actors);
    }
    let model = crate::model::build(
        &content,
        true,
        &mut crate::model::ModelCache::default(),
        &mut diags,
    );
    let site = crate::link::link(
        &config,
        &sources,
        model,
        &mut crate::link::LinkCache::default(),
        &mut diags,
    );
    if !diags.has_errors() {
        crate::checks::lint::lint(
            &config.checks,
            &site,
            &sources,
            &mut Default::default(),
            &mut diags,
        );
    }
    diags.sort(&sources);
    crate::diag::render(&sources, &diags, false)
}

/// The Markdown seam alone, with `[[id]]` references, citations and
/// autolinks.
pub fn markdown(text: &str) -> String {
    use crate::markdown::{Autolinker, CitedSource, RenderOptions, Resolve, Resolved, render};
    struct Ids;
    impl Resolve<usize> for Ids {
        fn id(&self, id: &str) -> Option<Resolved<'_, usize>> {
            (id == "tokayev").then_some(Resolved {
                target: 0,
                url: "/a/",
                title: "T",
            })
        }
        fn source(&self, id: &str) -> Option<CitedSource<'_>> {
            (id == "csto").then(|| CitedSource {
                url: "/s/",
                publisher: Some("CSTO"),
                title: "Statement",
                date: Some("6 January 2022".into()),
            })
        }
    }
    let names = vec![
        ("Tokayev".to_string(), 0usize, "/a/".to_string()),
        ("Токаев".to_string(), 0, "/a/".to_string()),
        ("European Union".to_string(), 1, "/b/".to_string()),
        ("EU".to_string(), 2, "/c/".to_string()),
    ];
    let auto = Autolinker::new(std::sync::Arc::new(names));
    let opts = RenderOptions {
        autolinker: Some(&auto),
        raw_html: true,
        own: None,
        base_path: "/sub/",
        cite: true,
    };
    render(text, &Ids, &opts).html
}
