//! dossier: a static site generator for policy briefings.
//!
//! A build is a chain of stages, each a function from one type to the next:
//!
//! ```text
//! site.toml ─ config ─▶ Config
//! content/  ─ load ───▶ Content (raw documents with positions)
//!           ─ model ──▶ Model (typed, validated entities)
//!           ─ link ───▶ Site (references resolved, Markdown rendered, backlinks)
//!           ─ render ─▶ pages (path + bytes) via Tera and view structs
//!           ─ write ──▶ public/ replaced atomically
//! ```
//!
//! Every stage pushes diagnostics and goes on where it safely can; the build
//! stops before rendering when there are errors, so one run reports them all.

pub mod config;
pub mod diag;
pub mod init;
pub mod link;
pub mod load;
pub mod markdown;
pub mod model;
pub mod paths;
pub mod render;
pub mod serde_errors;
pub mod theme;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diag::{Diagnostic, Diagnostics, Sources};
use theme::StaticSource;
use write::{Item, ItemContent};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding `site.toml`).
    pub root: PathBuf,
    /// Overrides `output_dir` from `site.toml`.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// False for `dossier check`: run every stage but write nothing.
    pub write: bool,
}

/// What a successful build produced.
#[derive(Debug)]
pub struct Built {
    pub output: PathBuf,
    /// HTML pages rendered.
    pub pages: usize,
    /// All files written (pages and static files).
    pub files: usize,
}

/// Why a build did not produce output.
#[derive(Debug)]
pub enum Failure {
    /// The content or theme has errors (see the diagnostics).
    Content,
    /// Writing the output failed.
    Io(String),
}

/// The result of a build: the files read, every diagnostic, and the outcome.
pub struct Outcome {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    pub result: Result<Built, Failure>,
}

/// Runs the whole pipeline.
pub fn build(opts: &BuildOptions) -> Outcome {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::new();
    let result = run(opts, &mut sources, &mut diags);
    diags.sort(&sources);
    Outcome {
        sources,
        diagnostics: diags,
        result,
    }
}

fn run(
    opts: &BuildOptions,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Built, Failure> {
    let root = &opts.root;
    let config = config::load(root, sources, diags).ok_or(Failure::Content)?;
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| root.join(&config.output_dir));
    check_output_location(root, &output, diags);

    let theme = theme::load(&config, root, sources, diags);
    let templates = render::compile(&theme, sources, diags);
    let statics = theme::site_statics(root, diags);

    let content = load::load(root, sources, diags);
    let model = model::build(content, opts.drafts, diags);
    let site = link::link(&config, sources, model, diags);
    if diags.has_errors() {
        return Err(Failure::Content);
    }
    let templates = templates.ok_or(Failure::Content)?;
    let pages = render::render(&config, &templates, &site, sources, diags);
    if diags.has_errors() {
        return Err(Failure::Content);
    }
    let items = assemble(pages, &theme.statics, &statics, diags);
    if diags.has_errors() {
        return Err(Failure::Content);
    }
    let page_count = items
        .iter()
        .filter(|i| matches!(i.content, ItemContent::Bytes(_)))
        .count();
    let built = Built {
        output: output.clone(),
        pages: page_count,
        files: items.len(),
    };
    if opts.write {
        write::publish(&output, items).map_err(|e| Failure::Io(e.to_string()))?;
    }
    Ok(built)
}

/// Pages, then the theme's static files, then the site's `static/` (which
/// may override the theme's). A static file may not replace a page.
fn assemble(
    pages: Vec<render::OutputFile>,
    theme_statics: &BTreeMap<String, StaticSource>,
    site_statics: &BTreeMap<String, StaticSource>,
    diags: &mut Diagnostics,
) -> Vec<Item> {
    let mut statics = theme_statics.clone();
    statics.extend(site_statics.iter().map(|(k, v)| (k.clone(), v.clone())));
    let page_paths: std::collections::HashSet<&str> =
        pages.iter().map(|p| p.path.as_str()).collect();
    let mut items = Vec::with_capacity(pages.len() + statics.len());
    for (path, source) in statics {
        if page_paths.contains(path.as_str()) || path == write::MARKER {
            diags.push(
                Diagnostic::error(format!(
                    "the static file `{path}` would overwrite a generated page"
                ))
                .hint("rename or move it: pages own their paths"),
            );
            continue;
        }
        let content = match source {
            StaticSource::Builtin(b) => ItemContent::Static(b),
            StaticSource::File(p) => ItemContent::Copy(p),
        };
        items.push(Item { path, content });
    }
    items.extend(pages.into_iter().map(|p| Item {
        path: p.path,
        content: ItemContent::Bytes(p.bytes),
    }));
    items
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
        diags.push(
            Diagnostic::error(format!(
                "the output folder {} would overwrite the site's own files",
                output.display()
            ))
            .hint("use a folder of its own, such as `public`"),
        );
    }
}

/// Removes `.` and `..` without touching the filesystem.
fn normalize(p: &Path) -> PathBuf {
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
