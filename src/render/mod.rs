//! Render: the linked site → pages (output path + bytes), through Tera and
//! view structs, in parallel. Each kind of page lives in [`pages`]; here are
//! the templates, the loop that renders what changed, and where pages go.
//! Template errors become diagnostics naming the template, line and column.

mod citation;
mod meta;
mod network;
mod pages;
mod paginate;
mod partials;
mod versions;
mod views;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, SourceId, Sources, Span};
use crate::hash::Combiner;
use crate::i18n::Locale;
use crate::link::Site;
use crate::paths;
use crate::theme::Theme;
use crate::write::{OutputFile, PageSink, WriteError};
use pages::Cx;
use versions::Versions;
use views::{Alternate, Views};

/// Compiled templates, with the sources they came from.
pub(crate) struct Templates {
    tera: Tera,
    sources: HashMap<String, SourceId>,
}

/// Compiles the theme's templates. A template with a syntax error is reported
/// and left out, and the others compiled again, so every broken template is
/// reported in one run.
pub(crate) fn compile(
    theme: &Theme,
    sources: &Sources,
    diags: &mut Diagnostics,
) -> Option<Templates> {
    let names: HashMap<String, SourceId> = theme
        .templates
        .iter()
        .map(|(n, id)| (n.clone(), *id))
        .collect();
    let mut pending: BTreeMap<&str, std::borrow::Cow<'_, str>> = theme
        .templates
        .iter()
        .map(|(n, id)| (n.as_str(), sources.text(*id)))
        .collect();
    let mut broken: Vec<String> = Vec::new();
    let before = diags.error_count();
    loop {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        // English plurals until a render registers its language's rule.
        crate::i18n::register_filters(&mut tera, crate::i18n::PluralRule::En);
        partials::declare(&mut tera);
        match tera.add_raw_templates(pending.iter().map(|(n, t)| (*n, t.as_ref()))) {
            Ok(()) => {
                if diags.error_count() > before {
                    return None;
                }
                return Some(Templates {
                    tera,
                    sources: names,
                });
            }
            Err(e) => {
                match culprit(&e) {
                    Some(name) if pending.contains_key(name.as_str()) => {
                        // Errors caused only by an already-broken parent are noise.
                        if !is_cascade(&e, &broken) {
                            diags.push(template_error(&e, &names, sources));
                        }
                        pending.remove(name.as_str());
                        broken.push(name);
                    }
                    _ => {
                        diags.push(template_error(&e, &names, sources));
                        return None;
                    }
                }
            }
        }
    }
}

/// Tera's HTML escaping (the same five characters, the same entities), but
/// writing each run of plain text at once: Tera's writes byte by byte
/// through `dyn Write`, which took a tenth of a build's CPU time.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// The template an error is about.
fn culprit(e: &tera::Error) -> Option<String> {
    use tera::ErrorKind as K;
    match e.kind() {
        K::SyntaxError(r) | K::RenderingError(r) => Some(r.filename().to_string()),
        K::CircularExtend { tpl, .. } | K::CircularInclude { tpl, .. } => Some(tpl.clone()),
        K::MissingParent { current, .. } => Some(current.clone()),
        _ => None,
    }
}

fn is_cascade(e: &tera::Error, broken: &[String]) -> bool {
    matches!(e.kind(), tera::ErrorKind::MissingParent { parent, .. } if broken.contains(parent))
}

/// A Tera error as a diagnostic at the template's line and column.
fn template_error(
    e: &tera::Error,
    names: &HashMap<String, SourceId>,
    sources: &Sources,
) -> Diagnostic {
    use tera::ErrorKind as K;
    let at = |name: &str| names.get(name).map(|&id| Span::file(id));
    match e.kind() {
        K::SyntaxError(r) | K::RenderingError(r) => {
            let kind = if matches!(e.kind(), K::SyntaxError(_)) {
                "syntax error"
            } else {
                "error"
            };
            let mut d = Diagnostic::error(format!(
                "template {kind} in `{}`: {}",
                r.filename(),
                r.message()
            ));
            if let Some(&id) = names.get(r.filename()) {
                let len = sources.text(id).len();
                let range = r.span().range.start.min(len)..r.span().range.end.min(len);
                d = d.at(Span::new(id, range));
            }
            d
        }
        K::MissingParent { current, parent } => {
            let d = Diagnostic::error(format!(
                "template `{current}` extends `{parent}`, which does not exist"
            ))
            .hint("check the name in `{% extends %}`");
            match at(current) {
                Some(s) => d.at(s),
                None => d,
            }
        }
        K::TemplateNotFound(name) => Diagnostic::error(format!("template `{name}` not found"))
            .hint("templates live in themes/<theme>/templates/"),
        _ => Diagnostic::error(format!("template error: {e}")),
    }
}

/// Signatures of the pages of the last good build, by output file. A sink
/// used with a warm cache must keep the pages it was given before
/// (`serve`'s memory does); a fresh cache renders every page.
#[derive(Debug, Default)]
pub(crate) struct RenderCache {
    signatures: HashMap<String, Signature>,
    /// The search index, updated by difference from one build to the next.
    search: pages::SearchCache,
    /// The open data's parts (`serve` keeps them from one build to the next).
    data: pages::DataCache,
}

/// What a page was made from, and which page it is (so that the next
/// build can find a page a reader is on before it lists them all).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Signature {
    /// A hash of everything the page shows.
    hash: u64,
    /// Its kind: a position in [`pages::kinds`].
    kind: usize,
    key: pages::Key,
}

/// How much rendering a build did.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RenderStats {
    /// Pages in the site.
    pub pages: usize,
    /// Pages rendered by this build (the others were unchanged).
    pub rendered: usize,
}

/// One language's edition of the site: its configuration (language, title,
/// pages' path), its linked site, its theme words, and where its pages go
/// in the output (`""` for the default language, `"ru/"` for another).
pub(crate) struct Edition<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    pub locale: &'a Locale,
    pub prefix: String,
}

/// Renders every page of every kind ([`pages::kinds`]) of every edition
/// into `sink`, in parallel, skipping pages whose signature is the one
/// `cache` recorded. The first edition is the default language's; the
/// files the whole site shares (sitemap, robots.txt, the 404 page, the
/// open data) are rendered in it alone. Template errors are collected per
/// template and position, so a mistake in a template used by 5,000 pages
/// is reported once. An I/O error from the sink is returned as Err.
pub(crate) fn render(
    theme: &Theme,
    templates: &Templates,
    editions: &[Edition<'_>],
    sources: &Sources,
    sink: &dyn PageSink,
    cache: &RenderCache,
    diags: &mut Diagnostics,
) -> Result<Rendered, WriteError> {
    let kinds = pages::kinds();
    let mut required: Vec<&str> = kinds.iter().filter_map(|k| k.template()).collect();
    required.dedup();
    for name in required {
        if !templates.tera.get_template_names().any(|n| n == name) {
            diags.push(Diagnostic::error(format!(
                "the theme has no `{name}` template"
            )));
        }
    }
    let Some(config) = editions.first().map(|e| e.config) else {
        return Ok(Rendered::default());
    };
    struct Ready<'a> {
        cx: Cx<'a>,
        tera: Tera,
        partials: partials::Partials,
        base: Context,
        prefix: &'a str,
    }
    let mut ready: Vec<Ready<'_>> = editions
        .iter()
        .enumerate()
        .map(|(k, e)| {
            // The templates count in each edition's language.
            let mut tera = templates.tera.clone();
            crate::i18n::register_filters(&mut tera, e.locale.plural_rule());
            let partials = partials::Partials::register(&mut tera);
            let cx = Cx::new(
                Views::new(e.config, e.site, e.locale),
                Versions::new(e.config, theme, sources, e.site, e.locale),
            )
            .shared(k == 0)
            .search_cache(&cache.search)
            .data_cache(&cache.data);
            Ready {
                cx,
                tera,
                partials,
                base: Context::new(),
                prefix: &e.prefix,
            }
        })
        .collect();
    // The site as every page shows it. A site in one language has no
    // other languages to list; one in several lists them once the pages
    // of each are known (below).
    let several = ready.len() > 1;
    for r in &mut ready {
        r.base.insert("site", &r.cx.v.site());
        r.base.insert("t", r.cx.v.locale.strings());
        r.partials.set_base(&r.base);
    }

    enum Failed {
        Template(String, tera::Error),
        Io(WriteError),
        /// Not rendered: a newer edit is waiting (only after the first pages).
        Skipped(usize),
    }
    // A page's file and signature, and for a page whose signature changed,
    // its other languages (what rendering it needs again).
    struct Signed {
        file: String,
        signature: u64,
        stale: Option<Vec<Alternate>>,
    }
    let sign = |r: &Ready<'_>, kind: &dyn pages::Kind, key, path: &str, alternates| -> Signed {
        let cx = &r.cx;
        let file = format!("{}{}", r.prefix, paths::output_file(path));
        let mut h = Combiner::default();
        (
            cx.versions.site,
            kind.template().and_then(|t| cx.versions.template(t)),
            &file,
            &alternates,
        )
            .hash(&mut h);
        kind.signature(cx, key, &mut h);
        let signature = h.finish();
        let fresh = cache.signatures.get(&file).map(|s| s.hash) == Some(signature);
        Signed {
            file,
            signature,
            stale: (!fresh).then_some(alternates),
        }
    };
    let keeps = sink.keeps();
    // `languages`: the page in each language, for a language switcher.
    let render_page = |r: &Ready<'_>,
                       kind: &dyn pages::Kind,
                       key,
                       path: &str,
                       signed: &Signed,
                       languages|
     -> Result<(), Failed> {
        let Signed { file, stale, .. } = signed;
        let cx = &r.cx;
        let bytes = match kind.template() {
            Some(template) => {
                let mut ctx = r.base.clone();
                let mut meta = cx.meta(path);
                meta.alternates = stale.clone().unwrap_or_default();
                meta.languages = languages;
                kind.context(cx, key, &mut ctx, &mut meta);
                ctx.insert("meta", &meta);
                let failed =
                    |e| Failed::Template(format!("{}{path}", r.prefix), r.partials.cause(e));
                if !keeps {
                    // Rendered for its errors only.
                    return r
                        .tera
                        .render_to(template, &ctx, std::io::sink())
                        .map_err(failed);
                }
                // Most pages are 10–40 KB: one allocation instead of a dozen regrowths.
                let mut html = Vec::with_capacity(32 * 1024);
                r.tera
                    .render_to(template, &ctx, &mut html)
                    .map_err(failed)?;
                html
            }
            None if !keeps => return Ok(()),
            None => kind.bytes(cx, key, path),
        };
        sink.put(OutputFile {
            path: file.clone(),
            bytes,
        })
        .map_err(|e| Failed::Io(WriteError::Io(format!("cannot write {file}"), e)))
    };

    // `serve`'s readers: the pages they are on are signed first and, if
    // they changed, rendered and published at once; every other page is
    // held back until the build knows which it renders again, so that
    // none is served as it was. On a site in one language a page is found
    // where the last build had it, before the other pages are listed.
    let wanted = sink.wanted();
    let mut first: Vec<Signed> = Vec::new();
    let mut results: Vec<Result<(), Failed>> = Vec::new();
    if let Some(r) = ready.first().filter(|_| !several && !wanted.is_empty()) {
        for file in &wanted {
            let Some(place) = cache.signatures.get(file) else {
                continue;
            };
            let Some(kind) = kinds.get(place.kind).map(|k| k.as_ref()) else {
                continue;
            };
            // The page still exists, at the same place.
            if !kind.keys(&r.cx).contains(&place.key) {
                continue;
            }
            let path = kind.path(&r.cx, place.key);
            if !names_file(r.prefix, &path, file) {
                continue;
            }
            let signed = sign(r, kind, place.key, &path, Vec::new());
            if signed.stale.is_some() {
                results.push(render_page(r, kind, place.key, &path, &signed, Vec::new()));
                first.push(signed);
            }
        }
    }
    let early_one = !first.is_empty() && results.iter().all(Result::is_ok);
    if early_one {
        sink.publish_first();
    }

    // Which pages each edition has, so that every page can link its other
    // languages and the sitemap can list them as alternates.
    let world = std::sync::Arc::new(pages::World::new(
        ready
            .iter()
            .map(|r| (&r.cx, r.prefix))
            .collect::<Vec<_>>()
            .as_slice(),
        &kinds,
    ));
    for r in &mut ready {
        r.cx.set_world(std::sync::Arc::clone(&world));
        if several {
            let mut site = r.cx.v.site();
            site.languages = world.languages(&r.cx.config().language);
            r.base.insert("site", &site);
            r.partials.set_base(&r.base);
        }
    }
    let pages: Vec<(&Ready<'_>, &pages::Page<'_>)> = ready
        .iter()
        .flat_map(|r| r.cx.pages().iter().map(move |p| (r, p)))
        .collect();
    let sign_n = |n: usize| {
        let (r, page) = pages[n];
        let alternates = world.alternates(&page.path, &r.cx.config().language);
        sign(r, page.kind, page.key, &page.path, alternates)
    };
    let render_n = |n: usize, signed: &Signed| {
        let (r, page) = pages[n];
        let languages = world.switcher(&page.path, &r.cx.config().language);
        render_page(r, page.kind, page.key, &page.path, signed, languages)
    };
    // On a site in several languages, the pages readers are on come first
    // now.
    if several && !wanted.is_empty() {
        let theirs: Vec<usize> = (0..pages.len())
            .into_par_iter()
            .filter(|&n| {
                let (r, page) = pages[n];
                wanted.iter().any(|w| names_file(r.prefix, &page.path, w))
            })
            .collect();
        for n in theirs {
            let signed = sign_n(n);
            if signed.stale.is_some() {
                results.push(render_n(n, &signed));
                first.push(signed);
            }
        }
    }
    let early = !first.is_empty() && results.iter().all(Result::is_ok);
    if early && !early_one {
        sink.publish_first();
    }
    let signed: Vec<Signed> = (0..pages.len()).into_par_iter().map(sign_n).collect();
    // A page rendered first is not rendered again (unless it turns out to
    // be made from something else than it was signed with then).
    let done = |s: &Signed| {
        first
            .iter()
            .any(|f| f.file == s.file && f.signature == s.signature)
    };
    let rest: Vec<usize> = (0..signed.len())
        .filter(|&n| signed[n].stale.is_some() && !done(&signed[n]))
        .collect();
    if early {
        let later: Vec<String> = rest.iter().map(|&n| signed[n].file.clone()).collect();
        sink.holding(&later);
    }
    // Once the first pages are out, a newer edit stops the rest: the pages
    // not rendered keep their last signature (and the server holds them),
    // so the next build renders them.
    results.par_extend(rest.par_iter().map(|&n| match early && sink.interrupted() {
        true => Err(Failed::Skipped(n)),
        false => render_n(n, &signed[n]),
    }));
    let mut rendered = first.len() + rest.len();
    let mut signatures: HashMap<String, Signature> =
        HashMap::with_capacity_and_hasher(signed.len(), Default::default());
    let mut skipped = vec![false; signed.len()];
    for r in &results {
        if let Err(Failed::Skipped(n)) = r {
            skipped[*n] = true;
            rendered -= 1;
        }
    }
    let mut unfinished = Vec::new();
    for (n, (s, skipped)) in signed.into_iter().zip(skipped).enumerate() {
        match skipped {
            false => {
                let page = pages[n].1;
                let signature = Signature {
                    hash: s.signature,
                    kind: page.kind_no,
                    key: page.key,
                };
                signatures.insert(s.file, signature);
            }
            true => {
                if let Some(&old) = cache.signatures.get(&s.file) {
                    signatures.insert(s.file.clone(), old);
                }
                unfinished.push(s.file);
            }
        }
    }
    if !unfinished.is_empty() {
        sink.unfinished(unfinished);
    }

    // (diagnostic, first page, how many pages) per distinct error.
    let mut errors: Vec<(Diagnostic, String, usize)> = Vec::new();
    let mut seen: HashMap<(Option<Span>, String), usize> = HashMap::default();
    for r in results {
        match r {
            Ok(()) | Err(Failed::Skipped(_)) => {}
            Err(Failed::Io(e)) => return Err(e),
            Err(Failed::Template(path, e)) => {
                let d = template_error(&e, &templates.sources, sources);
                match seen.get(&(d.span.clone(), d.message.clone())) {
                    Some(&i) => errors[i].2 += 1,
                    None => {
                        seen.insert((d.span.clone(), d.message.clone()), errors.len());
                        errors.push((d, path, 1));
                    }
                }
            }
        }
    }
    for (d, path, count) in errors {
        let url = config.base_url.relative(&path);
        let note = match count {
            1 => format!("while rendering {url}"),
            n => format!("while rendering {url} and {} other pages", n - 1),
        };
        diags.push(d.hint(note));
    }
    let removed = cache
        .signatures
        .keys()
        .filter(|f| !signatures.contains_key(*f))
        .cloned()
        .collect();
    Ok(Rendered {
        stats: RenderStats {
            pages: pages.len(),
            rendered,
        },
        signatures,
        removed,
    })
}

/// Whether `file` (as `serve` names what it served) is the file of the page
/// at `path` in the edition whose pages live under `prefix`: what
/// [`paths::output_file`] would make of them, without making it.
fn names_file(prefix: &str, path: &str, file: &str) -> bool {
    let Some(rest) = file.strip_prefix(prefix) else {
        return false;
    };
    match path.is_empty() || path.ends_with('/') {
        true => rest.strip_suffix("index.html") == Some(path),
        false => rest == path,
    }
}

/// What a render did, to be recorded in the cache once the build succeeds.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub stats: RenderStats,
    /// Every page's signature.
    signatures: HashMap<String, Signature>,
    /// Pages of the last build that no longer exist.
    pub removed: Vec<String>,
}

impl Rendered {
    /// Every file the site's pages take.
    pub(crate) fn files(&self) -> impl Iterator<Item = &String> {
        self.signatures.keys()
    }
}

impl RenderCache {
    /// Whether the open data's parts are kept for the next build (in
    /// `serve`; a build that runs once has no next build).
    pub(crate) fn keep_data(&mut self, keep: bool) {
        self.data.keep = keep;
    }

    /// Records a successful render. Until then the cache describes the
    /// pages of the last good build, which is what a store still holds.
    pub(crate) fn record(&mut self, rendered: Rendered) {
        self.signatures = rendered.signatures;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_writes_what_tera_writes() {
        for input in [
            "",
            "plain",
            "a & b < c > d \"e\" 'f'",
            "&&",
            "<script>",
            "ünïcödé ' end",
        ] {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            super::escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut theirs).unwrap();
            assert_eq!(ours, theirs, "{input:?}");
        }
    }
}
