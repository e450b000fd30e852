//! The floor program: what building a site costs at the least, to measure
//! dossier against (issue 15). It reads every file under `content/`, renders
//! each with pulldown-cmark (an analysis's body; a fact sheet's text as it
//! is), wraps it in a fixed page and writes one `index.html` per analysis,
//! actor and event, in parallel with rayon. No model, no links, no
//! templates, no lists: a static site generator cannot do less.
//!
//! ```text
//! cargo build --release --example floor
//! farm-bench --vs 'target/release/examples/floor SITE /dev/shm/floor' -- \
//!     target/release/dossier build --root SITE -o /dev/shm/dossier
//! ```
//!
//! `FLOOR_SCALE=k` pads every page to k times its size, so that the floor
//! writes as many bytes as dossier does (at N = 10,000 dossier's pages
//! hold 6.0 times the floor's bytes: `du -s --apparent-size` of both
//! outputs): what the kernel's copying costs apart from the work.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

fn main() {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(site), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: floor SITE OUT");
        std::process::exit(2);
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let _ = std::fs::remove_dir_all(&out);
    let written: usize = files.par_iter().map(|path| page(&site, path, &out)).sum();
    println!("floor: wrote {written} pages into {}", out.display());
}

/// Renders one file into `out/<section>/<stem>/index.html`; 1 if written.
fn page(site: &Path, path: &Path, out: &Path) -> usize {
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0;
    };
    let (Some(stem), Some(section)) = (
        path.file_stem().and_then(|s| s.to_str()),
        path.parent()
            .and_then(|p| p.strip_prefix(site.join("content")).ok())
            .and_then(|p| p.to_str()),
    ) else {
        return 0;
    };
    // An analysis's body follows its front matter; a fact sheet is all text.
    let body = match text.strip_prefix("---") {
        Some(rest) => rest.split_once("\n---").map_or(rest, |(_, b)| b),
        None => &text,
    };
    let mut html = String::with_capacity(body.len() * 2 + 512);
    html.push_str("<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>");
    // File names of a site are ids: nothing to escape.
    html.push_str(stem);
    html.push_str("</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\n<body><main>\n");
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
    html.push_str("</main></body>\n</html>\n");
    pad(&mut html);
    let dir = out.join(section).join(stem);
    if std::fs::create_dir_all(&dir).is_err() {
        return 0;
    }
    usize::from(std::fs::write(dir.join("index.html"), html).is_ok())
}

/// With `FLOOR_SCALE=k` set, each page is padded (with an HTML comment) to
/// k times its size: the floor's cost when it writes as many bytes as a
/// site whose pages carry more than their body (lists, cards, metadata).
fn pad(html: &mut String) {
    let scale: f64 = match std::env::var("FLOOR_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(k) if k > 1.0 => k,
        _ => return,
    };
    let extra = (html.len() as f64 * (scale - 1.0)) as usize;
    html.reserve(extra + 8);
    html.push_str("<!--");
    html.extend(std::iter::repeat_n('-', extra.saturating_sub(7)));
    html.push_str("-->");
}
