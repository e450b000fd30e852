//! dossier: a static site generator for policy briefings.
//!
//! A build is a chain of stages, each a function from one type to the next:
//!
//! ```text
//! site.toml ─ config ─▶ Config
//! themes/   ─ theme ──▶ Theme, compiled Templates (built-in theme overlaid by the site's)
//! content/  ─ load ───▶ Content (raw documents with positions)
//!           ─ model ──▶ Model (typed, validated entities)
//!           ─ link ───▶ Site (references resolved, Markdown rendered, backlinks)
//!           ─ checks ─▶ warnings about a whole, valid site ([checks] in site.toml)
//!           ─ render ─▶ pages (path + bytes), one kind of page per file of render/pages/
//!           ─ write ──▶ public/ replaced atomically
//! serve = watch + the same stages with caches kept between runs + HTTP + live reload
//! ```
//!
//! Every stage pushes diagnostics and goes on where it safely can; the build
//! stops before rendering when there are errors, so one run reports them all.
//!
//! The library's surface is this file: [`build`], [`check`] and [`rebuild`]
//! with their options and outcome, the diagnostics ([`diag`]), [`serve()`],
//! [`init()`] and [`import()`]. What tests, benchmarks and fuzz targets need beyond that
//! is in [`testing`].

mod checks;
mod config;
pub mod diag;
mod hash;
mod i18n;
mod import;
mod init;
mod link;
mod load;
mod localize;
mod markdown;
mod model;
mod paths;
mod rename;
mod render;
mod schema;
mod serve;
mod spool;
#[doc(hidden)]
pub mod testing;
mod text;
mod theme;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use diag::{Diagnostic, Diagnostics, Sources};
use theme::StaticSource;

pub use import::{
    ImportError, ImportKind, ImportOptions, ImportOutcome, Imported, NewFactSheet, import,
};
pub use init::{
    ACTOR_KINDS, GITHUB_PAGES_WORKFLOW, GITHUB_PAGES_WORKFLOW_PATH, InitError, InitOptions,
    NewKind, ThemeCopy, copy_theme, init, new_file, theme_files,
};
pub use load::Changes;
pub use rename::{
    Edit, FileChange, RenameError, RenameKind, RenamePlan, apply_rename, plan_rename,
};
pub use schema::{SCHEMA_DIR, SchemaError, SchemaFile, schemas, vscode_settings, write_schemas};
pub use serve::{
    Event as ServeEvent, MAX_DIAGNOSTICS_SHOWN, ServeError, ServeOptions, WatchError, serve,
};
pub use write::{OutputFile, PageSink, WriteError};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding `site.toml`).
    pub root: PathBuf,
    /// Overrides `output_dir` from `site.toml`.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Every check that warns counts as an error (`dossier check --strict`).
    pub strict: bool,
    /// Overrides `base_url` from `site.toml` (`--base-url`: a branch
    /// preview, a subpath), validated by the same rules.
    pub base_url: Option<String>,
    /// The process ends after this build (the command line's `build` and
    /// `check`): what the build held is left for the operating system to
    /// take back at exit instead of being freed piece by piece (two seconds
    /// of a build at N = 100,000).
    pub exits_after: bool,
}

impl BuildOptions {
    /// A build of the site at `root` into its configured output folder.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            strict: false,
            base_url: None,
            exits_after: false,
        }
    }
}

/// Why `url` cannot be a site's base URL given on the command line
/// (`--base-url`), with what to give instead; None when it can. A build
/// reports the same diagnostic.
pub fn base_url_problem(url: &str) -> Option<Diagnostic> {
    config::base_url_flag(url).err().map(|d| *d)
}

/// What a successful build produced.
#[derive(Debug)]
pub struct Built {
    pub output: PathBuf,
    /// HTML pages rendered.
    pub pages: usize,
    /// Pages rendered by this build (all of them, unless caches were warm).
    pub rendered: usize,
    /// All files of the output (pages and static files).
    pub files: usize,
    /// Static files: output path and where the bytes come from.
    pub(crate) statics: Vec<(String, StaticSource)>,
}

/// Why a build did not produce output.
#[derive(Debug)]
pub enum Failure {
    /// The content or theme has errors (see the diagnostics).
    Content,
    /// Writing the output failed.
    Write(WriteError),
}

/// The result of a build: every diagnostic, the outcome, and how long each
/// stage took. The diagnostics point into the [`Sources`] of the build.
pub struct Outcome {
    /// Where the site lives, once `site.toml` loaded.
    pub site: Option<SiteInfo>,
    pub diagnostics: Diagnostics,
    pub result: Result<Built, Failure>,
    /// How long each stage took, in order (for `--timings`).
    pub timings: Vec<(&'static str, Duration)>,
    /// The process's peak memory in bytes at the end of each stage (same
    /// order as `timings`), where the system reports it (Linux).
    pub peaks: Vec<Option<u64>>,
}

/// Records how long each stage takes.
struct Stopwatch {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
    peaks: Vec<Option<u64>>,
}

/// The process's peak memory so far (its high-water resident set), in
/// bytes, where the system says (Linux); None elsewhere.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

impl Stopwatch {
    fn new() -> Self {
        Stopwatch {
            last: std::time::Instant::now(),
            laps: Vec::new(),
            peaks: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((stage, now - self.last));
        self.peaks.push(peak_memory());
        self.last = now;
    }
}

/// What one build keeps for the next: the files it read and each stage's
/// cache. `serve` keeps one for its whole life, so that a rebuild re-reads,
/// re-converts and re-renders only what changed; a one-shot build starts
/// from an empty one. Caches are keyed by content, never trusted blindly:
/// a rebuild gives the same result as a full build of the same files.
#[derive(Default)]
pub struct Caches {
    pub sources: Sources,
    load: load::LoadCache,
    model: model::ModelCache,
    link: link::LinkCache,
    /// The link stage's caches of the other languages, by language code.
    editions: BTreeMap<String, link::LinkCache>,
    render: render::RenderCache,
    lint: checks::lint::LintMemo,
}

/// Where a build's pages go.
pub enum Target<'a> {
    /// The output folder, replaced atomically (`dossier build`).
    Publish,
    /// Nowhere (`dossier check`).
    Check,
    /// A store that keeps pages between builds (`dossier serve`).
    Store(&'a dyn PageSink),
}

/// What `site.toml` says about where the site lives.
#[derive(Debug, Clone)]
pub struct SiteInfo {
    /// The site's address, from `site.toml` or `--base-url`, normalised:
    /// `https://example.org/sub/path/`.
    pub base_url: String,
    /// `/` or `/sub/path/`.
    pub base_path: String,
    /// The output folder.
    pub output: PathBuf,
}

/// Builds the site into its output folder, replaced atomically. Returns
/// the outcome and the files read, which its diagnostics point into.
pub fn build(opts: &BuildOptions) -> (Outcome, Sources) {
    once(opts, Target::Publish)
}

/// Everything a build does, but nothing written (`dossier check`).
pub fn check(opts: &BuildOptions) -> (Outcome, Sources) {
    once(opts, Target::Check)
}

fn once(opts: &BuildOptions, target: Target<'_>) -> (Outcome, Sources) {
    let mut caches = Caches::default();
    let outcome = rebuild(opts, &mut caches, &Changes::All, target);
    let sources = std::mem::take(&mut caches.sources);
    if opts.exits_after {
        std::mem::forget(caches);
    }
    (outcome, sources)
}

/// Runs the pipeline with `caches` from earlier builds; `changes` says which
/// files to read again. With [`Target::Store`], only pages whose inputs
/// changed are rendered into the store, and pages that no longer exist are
/// removed from it.
pub fn rebuild(
    opts: &BuildOptions,
    caches: &mut Caches,
    changes: &Changes,
    target: Target<'_>,
) -> Outcome {
    let mut diags = Diagnostics::new();
    let mut clock = Stopwatch::new();
    let mut site = None;
    let store = match target {
        Target::Store(store) => Some(store),
        _ => None,
    };
    let result = run(
        opts, caches, changes, target, &mut diags, &mut clock, &mut site,
    );
    if let (Err(_), Some(store)) = (&result, store) {
        // A build that failed before its pages (a broken file) leaves
        // the last good site served as it was, also the pages that an
        // earlier build, stopped by this one's save, left to render:
        // held, their readers would wait for a good build.
        store.rollback();
    }
    diags.sort(&caches.sources);
    Outcome {
        site,
        diagnostics: diags,
        result,
        timings: clock.laps,
        peaks: clock.peaks,
    }
}

fn run(
    opts: &BuildOptions,
    caches: &mut Caches,
    changes: &Changes,
    target: Target<'_>,
    diags: &mut Diagnostics,
    clock: &mut Stopwatch,
    site: &mut Option<SiteInfo>,
) -> Result<Built, Failure> {
    let root = &opts.root;
    let sources = &mut caches.sources;
    let config =
        config::load(root, opts.base_url.as_deref(), sources, diags).ok_or(Failure::Content)?;
    let checks = match opts.strict {
        true => config.checks.clone().strict(),
        false => config.checks.clone(),
    };
    // In `serve`, checks that only warn run once the pages are out: their
    // findings reach the overlay a moment after the page reloads.
    let later_checks = match target {
        Target::Store(_) => Some(checks.only(checks::Level::Warn)),
        _ => None,
    };
    diags.set_checks(checks.clone());
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| root.join(&config.output_dir));
    *site = Some(SiteInfo {
        base_url: config.base_url.url(),
        base_path: config.base_url.path.clone(),
        output: output.clone(),
    });
    check_output_location(root, &output, diags);

    let theme = theme::load(&config, root, sources, diags);
    let templates = render::compile(&theme, sources, diags);
    let statics = theme::site_statics(root, diags);
    clock.lap("config and theme");

    let content = load::load(root, sources, &mut caches.load, changes, diags);
    let content_dir = root.join(load::CONTENT_DIR);
    let in_content =
        |f: &diag::SourceFile| f.path.as_ref().is_some_and(|p| p.starts_with(&content_dir));
    if matches!(target, Target::Store(_)) {
        // `serve` holds the content's texts in a spool from here on: the
        // stages read back what they render or report (at N = 100,000 the
        // texts are 1.8 GB; reading a body back costs less than rendering
        // it).
        sources.spool_texts(|_, f| in_content(f));
    }
    clock.lap("load");
    let model = model::build(&content, opts.drafts, &mut caches.model, diags);
    localize::check(&config, &model, diags);
    // (In `serve` the load stage keeps the content for the next build,
    // which puts the documents that changed in their places.)
    drop(content);
    if matches!(target, Target::Store(_)) {
        // The model stage keeps each document's conversion.
        caches.load.hollow();
    } else {
        // A build that runs once keeps nothing for a next one: the
        // documents as read and their conversions go once the model holds
        // what it needs of them (about a tenth of the peak memory).
        caches.load = Default::default();
        caches.model = Default::default();
    }
    clock.lap("model");
    // Each further language: its model, with the translations laid over.
    let models: Vec<(config::Config, model::Model)> = config
        .languages
        .iter()
        .map(|l| {
            let model = localize::localize(&model, &config.language, &l.code);
            (config.edition(l), model)
        })
        .collect();
    let mut site = link::link(&config, sources, model, &mut caches.link, diags);
    caches
        .editions
        .retain(|code, _| config.language(code).is_some());
    let mut editions: Vec<(config::Config, link::Site)> = Vec::with_capacity(models.len());
    for (config, model) in models {
        let cache = caches.editions.entry(config.language.clone()).or_default();
        // What the default edition reported about shared files is not
        // reported again: only what lies in this language's own files.
        let mut local = Diagnostics::new();
        let site = link::link(&config, sources, model, cache, &mut local);
        localize::keep_own(sources, local, diags);
        editions.push((config, site));
    }
    clock.lap("link");
    link::relate(&mut site, config.related, &mut caches.link);
    for (c, s) in &mut editions {
        let cache = caches.editions.entry(c.language.clone()).or_default();
        link::relate(s, c.related, cache);
    }
    if !matches!(target, Target::Store(_)) {
        // Nor what the link stage keeps for a next build.
        caches.link = Default::default();
        caches.editions.clear();
    }
    clock.lap("related");
    // Checks look at a whole, valid site: on a broken one they would only
    // repeat the errors in other words (an analysis that failed to load
    // leaves the actors it named "unreferenced").
    if !diags.has_errors() {
        match later_checks {
            None => checks::lint::lint(&checks, &site, sources, &mut caches.lint, diags),
            Some(_) => lint_only(
                &checks.only(checks::Level::Error),
                &site,
                sources,
                &mut caches.lint,
                diags,
            ),
        }
        clock.lap("checks");
    }
    if diags.has_errors() {
        return Err(Failure::Content);
    }
    if !matches!(target, Target::Store(_)) {
        // Nothing reads the content's text from here on (the templates'
        // text is still needed).
        let shown = diags.files();
        sources.forget_texts(|id, f| in_content(f) && !shown.contains(&id));
    }
    let templates = templates.ok_or(Failure::Content)?;
    let staging = match target {
        Target::Publish => Some(write::Staging::new(&output).map_err(Failure::Write)?),
        _ => None,
    };
    let sink: &dyn PageSink = match (&staging, &target) {
        (Some(s), _) => s,
        (None, Target::Store(store)) => *store,
        (None, _) => &write::Discard,
    };
    // The theme's words in the site's language (an edition in another
    // language asks for its own, keeping `site.toml`'s language as the one
    // its relation labels are written in).
    let locale = theme.locale(&config.language, &config.language, &config.relation_types);
    let locales: Vec<_> = editions
        .iter()
        .map(|(c, _)| theme.locale(&c.language, &config.language, &config.relation_types))
        .collect();
    let mut all = vec![render::Edition {
        config: &config,
        site: &site,
        locale: &locale,
        prefix: String::new(),
    }];
    for ((c, s), locale) in editions.iter().zip(&locales) {
        all.push(render::Edition {
            config: c,
            site: s,
            locale,
            prefix: format!("{}/", c.language),
        });
    }
    caches.render.keep_data(matches!(target, Target::Store(_)));
    let rendered = render::render(
        &theme,
        &templates,
        &all,
        sources,
        sink,
        &caches.render,
        diags,
    );
    // A static file may not take a page's place.
    let statics = match &rendered {
        Ok(r) => merge_statics(r.files(), &theme.statics, &statics, diags),
        Err(_) => Vec::new(),
    };
    let rendered = match rendered {
        Ok(r) if !diags.has_errors() => r,
        failed => {
            // Dropping the staging folder leaves the previous output as it
            // was; a store goes back to the last good build's pages.
            sink.rollback();
            return Err(failed.err().map_or(Failure::Content, Failure::Write));
        }
    };
    clock.lap("render");
    sink.commit(&rendered.removed);
    let stats = rendered.stats;
    caches.render.record(rendered);
    if let Some(warnings) = later_checks {
        lint_only(&warnings, &site, sources, &mut caches.lint, diags);
        clock.lap("warnings");
    }
    if let Some(staging) = staging {
        staging.put_statics(&statics).map_err(Failure::Write)?;
        staging.publish().map_err(Failure::Write)?;
        clock.lap("write");
    }
    if opts.exits_after {
        // Memory only: nothing of these has work to do when dropped.
        std::mem::forget((site, editions, templates));
    }
    Ok(Built {
        output,
        pages: stats.pages,
        rendered: stats.rendered,
        files: stats.pages + statics.len(),
        statics,
    })
}

/// Runs the checks `only` leaves on, and reports what they find.
fn lint_only(
    only: &checks::Checks,
    site: &link::Site,
    files: &Sources,
    memo: &mut checks::lint::LintMemo,
    diags: &mut Diagnostics,
) {
    let mut found = Diagnostics::new();
    found.set_checks(only.clone());
    checks::lint::lint(only, site, files, memo, &mut found);
    diags.extend(found.into_vec());
}

/// The theme's static files, then the site's `static/` (which may override
/// the theme's). A static file may not replace a page.
fn merge_statics<'p>(
    page_files: impl Iterator<Item = &'p String>,
    theme_statics: &BTreeMap<String, StaticSource>,
    site_statics: &BTreeMap<String, StaticSource>,
    diags: &mut Diagnostics,
) -> Vec<(String, StaticSource)> {
    let mut statics = theme_statics.clone();
    statics.extend(site_statics.iter().map(|(k, v)| (k.clone(), v.clone())));
    let pages: rustc_hash::FxHashSet<&str> = page_files.map(String::as_str).collect();
    let mut out = Vec::with_capacity(statics.len());
    for (path, source) in statics {
        if pages.contains(path.as_str()) || path == write::MARKER {
            diags.push(
                Diagnostic::error(format!(
                    "the static file `{path}` would overwrite a generated page"
                ))
                .hint("rename or move it: pages own their paths"),
            );
            continue;
        }
        out.push((path, source));
    }
    out
}

/// The output must be a folder of its own: not the site, not a folder that
/// holds the site, not inside the content or themes.
fn check_output_location(root: &Path, output: &Path, diags: &mut Diagnostics) {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&p)
    };
    let (root_abs, out_abs) = (abs(root), abs(output));
    let inside = |dir: &str| out_abs.starts_with(root_abs.join(dir));
    if root_abs.starts_with(&out_abs)
        || inside(load::CONTENT_DIR)
        || inside(theme::THEMES_DIR)
        || inside("static")
    {
        let shown = out_abs.strip_prefix(&root_abs).map_or_else(
            |_| output.display().to_string(),
            |p| p.display().to_string(),
        );
        diags.push(
            Diagnostic::error(format!(
                "the output folder `{shown}` would overwrite the site's own files"
            ))
            .hint("use a folder of its own, such as `public`"),
        );
    }
}

/// Removes `.` and `..` without touching the filesystem.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
