//! The command line: parse arguments, call the library, print diagnostics,
//! choose the exit code (0 success, 1 content errors, 2 usage or I/O errors).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

/// A build allocates millions of small strings and values across threads;
/// mimalloc's per-thread heaps make that cheaper than glibc's allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Output that never panics: `dossier check --format json | head` closes the
// pipe early, and that is not an error worth a backtrace.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}
macro_rules! err {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}
macro_rules! err_raw {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($t)*);
    }};
}

use dossier::{
    BuildOptions, Failure, ImportError, ImportKind, ImportOptions, InitOptions, NewKind,
    ServeEvent as Event, ServeOptions, diag,
};

#[derive(Parser)]
#[command(name = "dossier", version, about = "A static site generator for policy briefings", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ by default)
    Build {
        /// The site folder, holding site.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write the site here instead of the configured output_dir
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Include analyses marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// The address the site will be served from, in place of `base_url`
        /// in site.toml (a branch preview, a subpath)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// How to print diagnostics: for people, one JSON object per line, or
        /// GitHub Actions annotations
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Print how long each stage of the build took
        #[arg(long)]
        timings: bool,
    },
    /// Check everything a build checks, and write nothing
    Check {
        /// The site folder, holding site.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also check analyses marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Treat every warning as an error (for CI)
        #[arg(long)]
        strict: bool,
        /// The address the site will be served from, in place of `base_url`
        /// in site.toml (a branch preview, a subpath)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// How to print diagnostics: for people, one JSON object per line, or
        /// GitHub Actions annotations
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Print how long each stage of the build took
        #[arg(long)]
        timings: bool,
    },
    /// Build the site, serve it locally, and rebuild and reload on every change
    Serve {
        /// The site folder, holding site.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on (127.0.0.1 keeps the preview on this machine)
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Include analyses marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using the system's file events
        /// (for network drives, WSL's /mnt, containers)
        #[arg(long)]
        poll: bool,
        /// Also answer requests for this host name (repeatable), to preview
        /// under a name of this machine; others are refused, so that web pages
        /// cannot read the preview through DNS rebinding
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Create a new site that builds at once
    Init {
        /// The folder to create
        dir: PathBuf,
        /// Also copy the built-in theme to themes/default/ for editing
        #[arg(long)]
        theme: bool,
        /// Also write .github/workflows/pages.yml, a GitHub Actions workflow
        /// that checks the site and publishes it on GitHub Pages
        #[arg(long)]
        github_pages: bool,
    },
    /// Create a new analysis, actor, event, source or author from a template
    New {
        #[arg(value_enum)]
        kind: Kind,
        /// Its title or name; the file name is made from it
        name: String,
        /// For an actor: person, organisation, state, group or place
        #[arg(long = "kind", value_name = "KIND")]
        actor_kind: Option<String>,
        /// The site folder, holding site.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Turn a spreadsheet (a CSV file) of actors or events into fact sheets
    ///
    /// It checks every row and lists the files it would write, then writes
    /// them (all or none, never over an existing id) with --apply or when you
    /// say yes on a terminal, and checks the site.
    Import {
        #[arg(value_enum)]
        what: ImportWhat,
        /// The CSV file: its first row names the columns, each further row is
        /// one actor or event (see "Importing from a spreadsheet" in
        /// docs/format.md)
        file: PathBuf,
        /// For actors: the kind of every row whose `kind` is empty (person,
        /// organisation, state, group or place)
        #[arg(long = "kind", value_name = "KIND")]
        actor_kind: Option<String>,
        /// Write the fact sheets without asking (existing ones are never
        /// overwritten)
        #[arg(long)]
        apply: bool,
        /// The site folder, holding site.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Rename an actor, event, source or author everywhere: its file, every
    /// reference to it, and a redirect from its old page
    Rename {
        /// Its id now
        old: String,
        /// Its new id
        new: String,
        /// Write the changes (otherwise they are shown, and asked about on a terminal)
        #[arg(long)]
        apply: bool,
        /// Leave no redirect from the old page
        #[arg(long)]
        no_redirect: bool,
        /// What OLD is, when an actor and an event share it
        #[arg(long, value_enum)]
        kind: Option<RenameWhat>,
        /// The site folder, holding site.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write JSON Schemas of the site's files, so that editors complete
    /// keys, kinds, relation types and ids, and underline mistakes
    Schema {
        /// Where to write them (default: .dossier/schemas/ in the site)
        dir: Option<PathBuf>,
        /// Also map them in .vscode/settings.json (merged into yours)
        #[arg(long)]
        vscode: bool,
        /// The site folder, holding site.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Copy the built-in theme, or some of its files, into the site to edit
    Theme {
        /// Files to copy (actor.html, templates/base.html, style.css); all if none
        files: Vec<String>,
        /// List the built-in theme's files instead
        #[arg(long)]
        list: bool,
        /// The site folder, holding site.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people, on the terminal
    Human,
    /// One JSON object per diagnostic, then a summary
    Json,
    /// GitHub Actions workflow commands: `::error file=…,line=…::…`
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum RenameWhat {
    Actor,
    Event,
    Source,
    Author,
}

/// What `dossier import` reads.
#[derive(Clone, Copy, ValueEnum)]
enum ImportWhat {
    Actors,
    Events,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Analysis,
    Actor,
    Event,
    Source,
    Author,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
            format,
            timings,
        } => build(
            BuildOptions {
                root,
                output,
                drafts,
                strict: false,
                base_url,
                exits_after: true,
            },
            Mode::Build,
            format,
            timings,
        ),
        Command::Check {
            root,
            drafts,
            strict,
            base_url,
            format,
            timings,
        } => build(
            BuildOptions {
                root,
                output: None,
                drafts,
                strict,
                base_url,
                exits_after: true,
            },
            Mode::Check,
            format,
            timings,
        ),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            open,
            poll,
            allow_host,
        } => {
            let poll =
                poll || std::env::var_os("DOSSIER_POLL").is_some_and(|v| !v.is_empty() && v != "0");
            // Editors' schemas, where the site has them, with today's ids.
            if root.join(dossier::SCHEMA_DIR).is_dir() {
                let _ = dossier::write_schemas(&root, None);
            }
            serve(
                ServeOptions {
                    root,
                    bind,
                    port,
                    drafts,
                    poll,
                    allow_hosts: allow_host,
                },
                open,
            )
        }
        Command::Init {
            dir,
            theme,
            github_pages,
        } => match dossier::init(
            &dir,
            InitOptions {
                theme,
                github_pages,
            },
        ) {
            Ok(()) => {
                out!("Created a new site in {}", dir.display());
                out!("Build it with: dossier build --root {}", dir.display());
                out!(
                    "Editors complete and check its files from the schemas in .dossier/schemas/ (mapped for VS Code in .vscode/settings.json; see docs/editors.md for others)"
                );
                if github_pages {
                    out!(
                        "Wrote {}: set DOSSIER_GIT in it to the Git address of dossier's repository, and choose \"GitHub Actions\" as the source in the repository's Settings > Pages",
                        dir.join(dossier::GITHUB_PAGES_WORKFLOW_PATH).display()
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => usage_error(&e.to_string()),
        },
        Command::New {
            kind,
            name,
            actor_kind,
            root,
        } => {
            let kind = match (kind, actor_kind.as_deref()) {
                (Kind::Actor, None) => NewKind::Actor("organisation"),
                (Kind::Actor, Some(k)) => {
                    match dossier::ACTOR_KINDS
                        .iter()
                        .find(|&&known| known == k.trim())
                    {
                        Some(known) => NewKind::Actor(known),
                        None => {
                            return usage_error(&format!(
                                "unknown kind of actor `{k}`; the kinds are {}",
                                dossier::ACTOR_KINDS.join(", ")
                            ));
                        }
                    }
                }
                (_, Some(_)) => {
                    return usage_error(
                        "--kind is for actors: `dossier new actor NAME --kind person`",
                    );
                }
                (Kind::Analysis, None) => NewKind::Analysis,
                (Kind::Event, None) => NewKind::Event,
                (Kind::Source, None) => NewKind::Source,
                (Kind::Author, None) => NewKind::Author,
            };
            match dossier::new_file(&root, kind, &name) {
                Ok(path) => {
                    out!("Created {}", path.display());
                    match kind {
                        NewKind::Actor(k) if actor_kind.is_none() => out!(
                            "It is an {k}; choose another kind with --kind ({})",
                            dossier::ACTOR_KINDS.join(", ")
                        ),
                        NewKind::Analysis => {
                            out!(
                                "It is a draft: preview it with `dossier serve --drafts`, and remove `draft: true` to publish it"
                            )
                        }
                        _ => {}
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => usage_error(&e.to_string()),
            }
        }
        Command::Import {
            what,
            file,
            actor_kind,
            apply,
            root,
        } => import(
            ImportOptions {
                root,
                file,
                kind: match what {
                    ImportWhat::Actors => ImportKind::Actors,
                    ImportWhat::Events => ImportKind::Events,
                },
                default_kind: actor_kind,
            },
            apply,
        ),
        Command::Rename {
            old,
            new,
            apply,
            no_redirect,
            kind,
            root,
        } => rename(&root, &old, &new, apply, !no_redirect, kind),
        Command::Schema { dir, vscode, root } => schema(&root, dir.as_deref(), vscode),
        Command::Theme { files, list, root } => {
            if list {
                for f in dossier::theme_files() {
                    out!("{f}");
                }
                return ExitCode::SUCCESS;
            }
            match dossier::copy_theme(&root, &files) {
                Ok(done) => {
                    let dir = done.dir.display();
                    match done.copied.len() {
                        0 => out!("Copied nothing into {dir}"),
                        1 => out!("Copied {} into {dir}", done.copied[0]),
                        n => out!("Copied {n} files into {dir}"),
                    }
                    for kept in &done.kept {
                        out!("Kept your {dir}/{kept} (delete it to take the built-in one)");
                    }
                    if !done.copied.is_empty() {
                        out!(
                            "Edit them there: each file overrides the built-in one; delete a file to go back to it"
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => usage_error(&e.to_string()),
            }
        }
    }
}

/// `dossier import`: the file's problems, then the fact sheets it would
/// write, written with `--apply` or when the author says yes on a terminal
/// (as `rename` does), then the site checked.
fn import(opts: ImportOptions, apply: bool) -> ExitCode {
    let (outcome, sources) = dossier::import(&opts);
    let diagnostics = &outcome.diagnostics;
    if !diagnostics.is_empty() {
        err_raw!("{}", diag::render(&sources, diagnostics, use_color()));
    }
    let plan = match outcome.result {
        Ok(plan) => plan,
        Err(ImportError::Content) => {
            err!(
                "error: import failed: {}; nothing was written",
                diag::summary(diagnostics)
            );
            return ExitCode::from(1);
        }
        Err(e) => return usage_error(&e.to_string()),
    };
    let file = opts.file.display();
    let skipped = match plan.skipped {
        0 => String::new(),
        1 => " (1 row skipped: its id already exists)".to_string(),
        n => format!(" ({n} rows skipped: their ids already exist)"),
    };
    if plan.files.is_empty() {
        out!("Nothing to import from {file}{skipped}");
        return ExitCode::SUCCESS;
    }
    let noun = match opts.kind {
        ImportKind::Actors => "actor",
        ImportKind::Events => "event",
    };
    out!(
        "Importing {} from {file}{skipped}:",
        plural(plan.files.len(), noun)
    );
    for f in &plan.files {
        out!("  {}  {}", f.path.display(), f.name);
    }
    let go = apply
        || (std::io::stdin().is_terminal() && std::io::stdout().is_terminal() && {
            use std::io::Write as _;
            let _ = write!(std::io::stdout(), "Write these files? [y/N] ");
            let _ = std::io::stdout().flush();
            let mut answer = String::new();
            std::io::stdin().read_line(&mut answer).is_ok()
                && matches!(answer.trim(), "y" | "Y" | "yes")
        });
    if !go {
        out!("Nothing written; run again with --apply to write these files");
        return ExitCode::SUCCESS;
    }
    if let Err(e) = plan.write() {
        return usage_error(&e.to_string());
    }
    out!("Wrote {}.", plural(plan.files.len(), "file"));
    // The site as it is now: what was imported must leave it building.
    let (outcome, sources) = dossier::check(&BuildOptions::new(&opts.root));
    if outcome.diagnostics.error_count() > 0 {
        err_raw!(
            "{}",
            diag::render(&sources, &outcome.diagnostics, use_color())
        );
        err!("The site has errors after the import; they are listed above");
        return ExitCode::from(1);
    }
    out!("The site builds.");
    ExitCode::SUCCESS
}

/// `dossier rename`: shows the plan, then writes it with `--apply` or when
/// the author says yes on a terminal, and checks the site afterwards.
fn rename(
    root: &std::path::Path,
    old: &str,
    new: &str,
    apply: bool,
    redirect: bool,
    kind: Option<RenameWhat>,
) -> ExitCode {
    use dossier::RenameKind;
    let kind = kind.map(|k| match k {
        RenameWhat::Actor => RenameKind::Actor,
        RenameWhat::Event => RenameKind::Event,
        RenameWhat::Source => RenameKind::Source,
        RenameWhat::Author => RenameKind::Author,
    });
    let plan = match dossier::plan_rename(root, old, new, kind, redirect) {
        Ok(p) => p,
        Err(e) => return usage_error(&e.to_string()),
    };
    out!(
        "Renaming the {} `{}` to `{}`:",
        plan.kind.as_str(),
        plan.old,
        plan.new
    );
    for f in &plan.files {
        match &f.moved_to {
            Some(to) => out!("  {} → {}", f.path.display(), to.display()),
            None => out!("  {}", f.path.display()),
        }
        for e in &f.edits {
            let (before, after) = f.line_of(e);
            if e.with == plan.new {
                out!("    {}:{}  {}", e.line, e.column, before.trim());
                out!(
                    "    {}  {}",
                    " ".repeat(format!("{}:{}", e.line, e.column).len()),
                    after.trim()
                );
            } else {
                out!("    + {}", e.with.trim());
            }
        }
    }
    let files = plan.files.len();
    out!(
        "{} reference{} in {files} file{}",
        plan.references(),
        if plan.references() == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" }
    );
    if let Some((from, to)) = &plan.redirect {
        out!("Its old page, {from}, will redirect to {to} (--no-redirect to drop it)");
    }
    let go = apply
        || (std::io::stdin().is_terminal() && std::io::stdout().is_terminal() && {
            use std::io::Write as _;
            let _ = write!(std::io::stdout(), "Apply these changes? [y/N] ");
            let _ = std::io::stdout().flush();
            let mut answer = String::new();
            std::io::stdin().read_line(&mut answer).is_ok()
                && matches!(answer.trim(), "y" | "Y" | "yes")
        });
    if !go {
        out!("Nothing written; run again with --apply to write these changes");
        return ExitCode::SUCCESS;
    }
    if let Err(e) = dossier::apply_rename(root, &plan) {
        return usage_error(&e.to_string());
    }
    out!("Renamed.");
    // The site as it is now: the rename must leave it building.
    let (outcome, sources) = dossier::check(&BuildOptions::new(root));
    if outcome.diagnostics.error_count() > 0 {
        err_raw!(
            "{}",
            diag::render(&sources, &outcome.diagnostics, use_color())
        );
        err!("The site has errors after the rename; they are listed above");
        return ExitCode::from(1);
    }
    out!("The site builds.");
    ExitCode::SUCCESS
}

/// `dossier schema`: writes the schemas and, with `vscode`, the editor's
/// mapping of them.
fn schema(root: &std::path::Path, dir: Option<&std::path::Path>, vscode: bool) -> ExitCode {
    let written = match dossier::write_schemas(root, dir) {
        Ok(w) => w,
        Err(e) => return usage_error(&e.to_string()),
    };
    let shown = written
        .first()
        .and_then(|f| f.parent())
        .map(|d| d.strip_prefix(root).unwrap_or(d).display().to_string())
        .unwrap_or_default();
    out!("Wrote {} schemas into {shown}", written.len());
    if vscode {
        let path = root.join(".vscode/settings.json");
        let existing = std::fs::read_to_string(&path).ok();
        match dossier::vscode_settings(existing.as_deref()) {
            Some(text) => {
                let wrote = std::fs::create_dir_all(root.join(".vscode"))
                    .and_then(|()| std::fs::write(&path, text));
                if let Err(e) = wrote {
                    return usage_error(&format!("cannot write {}: {e}", path.display()));
                }
                out!("Mapped them in .vscode/settings.json (yaml.schemas)");
            }
            None => out!(
                "Left .vscode/settings.json as it is (it has comments or is not a JSON object); docs/editors.md shows the yaml.schemas entries to add"
            ),
        }
    } else if dir.is_none() && !root.join(".vscode/settings.json").exists() {
        out!(
            "Editors: `dossier schema --vscode` maps them for VS Code; docs/editors.md covers the others"
        );
    }
    out!("Run it again after adding actors, events, sources or authors, to complete their ids");
    ExitCode::SUCCESS
}

/// Whether a build writes the site or only checks it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Build,
    Check,
}

fn build(opts: BuildOptions, mode: Mode, format: Format, timings: bool) -> ExitCode {
    // A bad `--base-url` is a usage error, reported before anything is read.
    if let Some(problem) = opts.base_url.as_deref().and_then(dossier::base_url_problem) {
        let mut problems = diag::Diagnostics::new();
        problems.push(problem);
        err_raw!(
            "{}",
            diag::render(&diag::Sources::default(), &problems, use_color())
        );
        return ExitCode::from(2);
    }
    let start = Instant::now();
    let (outcome, sources) = match mode {
        Mode::Build => dossier::build(&opts),
        Mode::Check => dossier::check(&opts),
    };
    let diagnostics = &outcome.diagnostics;
    let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
    let secs = start.elapsed().as_secs_f64();
    if format == Format::Json {
        // One object per line on stdout: editors and CI read these.
        for d in diagnostics.iter() {
            out!("{}", diag::to_json(&sources, d));
        }
        let pages = outcome.result.as_ref().map_or(0, |b| b.pages);
        let mut summary = serde_json::json!({"type": "summary", "ok": outcome.result.is_ok(), "errors": errors, "warnings": warnings, "pages": pages});
        if timings {
            // Milliseconds per stage, in the order they ran.
            summary["timings"] = outcome
                .timings
                .iter()
                .zip(outcome.peaks.iter().chain(std::iter::repeat(&None)))
                .map(|((stage, d), peak)| serde_json::json!({"stage": stage, "ms": d.as_secs_f64() * 1000.0, "peak_bytes": peak}))
                .collect();
        }
        out!("{summary}");
        return match outcome.result {
            Ok(_) => ExitCode::SUCCESS,
            Err(Failure::Content) => ExitCode::from(1),
            Err(Failure::Write(e)) => usage_error(&e.to_string()),
        };
    }
    if format == Format::Github {
        // On stdout, where the runner reads workflow commands; the summary
        // follows as for people.
        let cwd = std::env::current_dir().unwrap_or_default();
        let workspace = std::env::var_os("GITHUB_WORKSPACE")
            .filter(|w| !w.is_empty())
            .map(|w| std::fs::canonicalize(&w).unwrap_or_else(|_| w.into()));
        for d in diagnostics.iter() {
            out!(
                "{}",
                diag::to_github(&sources, d, &cwd, workspace.as_deref())
            );
        }
    } else if !diagnostics.is_empty() {
        err_raw!("{}", diag::render(&sources, diagnostics, use_color()));
    }
    if timings {
        print_timings(&outcome.timings, &outcome.peaks, secs);
    }
    let counts = summary_counts(errors, warnings);
    // Say which address a build was made for when it is not site.toml's.
    let served_at = match (&opts.base_url, &outcome.site) {
        (Some(_), Some(site)) => format!(" for {}", site.base_url),
        _ => String::new(),
    };
    match outcome.result {
        Ok(built) => {
            if mode == Mode::Build {
                out!(
                    "Built {} pages ({} files) into {}{served_at} in {secs:.2}s{counts}",
                    built.pages,
                    built.files,
                    built.output.display()
                );
                if opts.drafts {
                    err!(
                        "note: this build includes drafts: it is a preview, not for publishing (its feeds and sitemap leave the drafts out, and draft pages ask search engines not to index them)"
                    );
                }
            } else {
                out!(
                    "Checked {} pages{served_at} in {secs:.2}s: no errors{counts}",
                    built.pages
                );
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Content) => {
            let what = if mode == Mode::Build {
                "build"
            } else {
                "check"
            };
            let kept = if mode == Mode::Build {
                "; the previous output was left as it was"
            } else {
                ""
            };
            err!("error: {what} failed: {}{kept}", diag::summary(diagnostics));
            ExitCode::from(1)
        }
        Err(Failure::Write(e)) => usage_error(&e.to_string()),
    }
}

/// `--timings`: each stage's time and share of the run, and the peak
/// memory once it ended, on stderr, so that the summary line stays the one
/// line on stdout.
fn print_timings(laps: &[(&'static str, std::time::Duration)], peaks: &[Option<u64>], total: f64) {
    err!(
        "Time per stage (of {:.0} ms), and peak memory after it:",
        total * 1000.0
    );
    let width = laps.iter().map(|(s, _)| s.len()).max().unwrap_or(0);
    for (i, (stage, d)) in laps.iter().enumerate() {
        let peak = match peaks.get(i).copied().flatten() {
            Some(b) => format!("  {:>6} MiB", b / (1024 * 1024)),
            None => String::new(),
        };
        let ms = d.as_secs_f64() * 1000.0;
        let share = if total > 0.0 {
            ms / (total * 10.0)
        } else {
            0.0
        };
        err!("  {stage:<width$}  {ms:>9.1} ms  {share:>3.0} %{peak}");
    }
}

fn serve(opts: ServeOptions, open: bool) -> ExitCode {
    let color = use_color();
    let mut shown = ShownDiagnostics::default();
    let result = dossier::serve(&opts, |event| match event {
        Event::Started { url, polling } => {
            let how = if polling {
                "polling for changes every 0.5 s"
            } else {
                "watching for changes"
            };
            out!("Serving at {url} ({how}; Ctrl-C to stop)");
            if open {
                open_browser(&url);
            }
        }
        Event::Built {
            changed,
            report,
            sources,
            elapsed,
        } => {
            // The build's line first, then the diagnostics it found that
            // the terminal has not shown yet.
            let what = match changed {
                [] => "Initial build:".to_string(),
                [one] => format!("{one} changed:"),
                [first, rest @ ..] => format!("{first} and {} more changed:", rest.len()),
            };
            let ms = elapsed.as_millis();
            let counts = summary_counts(
                report.diagnostics.error_count(),
                report.diagnostics.warning_count(),
            );
            match &report.result {
                Ok(built) if changed.is_empty() => {
                    out!("{what} {} pages in {ms} ms{counts}", built.pages)
                }
                Ok(built) => out!(
                    "{what} re-rendered {} of {} pages in {ms} ms{counts}",
                    built.rendered,
                    built.pages
                ),
                Err(Failure::Content) => out!(
                    "{what} build failed ({}) in {ms} ms; still serving the last good build",
                    diag::summary(&report.diagnostics)
                ),
                Err(Failure::Write(e)) => out!("{what} build failed: {e}"),
            }
            let new = shown.update(&report.diagnostics, report.result.is_ok());
            let first = new.first(dossier::MAX_DIAGNOSTICS_SHOWN);
            err_raw!("{}", diag::render(sources, &first, color));
            let more = new.len().saturating_sub(first.len());
            if more > 0 {
                err!("… and {more} more (run `dossier check` to see them all)");
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => usage_error(&e.to_string()),
    }
}

/// What `serve` has printed of the diagnostics, so that each is printed
/// once, after the line of the build that found it, and not again while it
/// stays: not on every rebuild, nor after a failed build (which may not
/// get as far as the checks that found the last good build's warnings).
#[derive(Default)]
struct ShownDiagnostics {
    /// The diagnostics of the last good build.
    last_good: std::collections::HashSet<u64>,
    /// The diagnostics of the build before this one.
    previous: std::collections::HashSet<u64>,
}

impl ShownDiagnostics {
    /// The diagnostics of this build that neither the previous build nor
    /// the last good one had; remembers this build's.
    fn update(&mut self, diagnostics: &diag::Diagnostics, ok: bool) -> diag::Diagnostics {
        let keys: std::collections::HashSet<u64> = diagnostics.iter().map(diagnostic_key).collect();
        let mut new = diag::Diagnostics::new();
        for d in diagnostics.iter() {
            let key = diagnostic_key(d);
            if !self.previous.contains(&key) && !self.last_good.contains(&key) {
                new.push(d.clone());
            }
        }
        if ok {
            self.last_good.clone_from(&keys);
        }
        self.previous = keys;
        new
    }
}

/// Identifies a diagnostic across builds: what and where (a line that moved
/// is shown again, at its new place).
fn diagnostic_key(d: &diag::Diagnostic) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (d.severity, &d.message, &d.span, &d.label, &d.hints).hash(&mut h);
    h.finish()
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(cmd.0)
        .args(cmd.1)
        .spawn()
        .is_err()
    {
        err!("could not open a browser; open {url} yourself");
    }
}

fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn summary_counts(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, 0) => String::new(),
        (0, w) => format!(" ({})", plural(w, "warning")),
        (e, w) => format!(" ({}, {})", plural(e, "error"), plural(w, "warning")),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn usage_error(message: &str) -> ExitCode {
    err!("error: {message}");
    ExitCode::from(2)
}
