//! The command line: parse arguments, call the library, print diagnostics,
//! choose the exit code (0 success, 1 content errors, 2 usage or I/O errors).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

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
    BuildOptions, Failure, ImportError, ImportKind, ImportOptions, NewKind, ServeEvent as Event,
    ServeOptions, diag,
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
        /// How to print diagnostics: for people, or one JSON object per line
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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
        /// How to print diagnostics: for people, or one JSON object per line
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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
    Human,
    Json,
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
            format,
        } => build(
            BuildOptions {
                root,
                output,
                drafts,
                strict: false,
            },
            Mode::Build,
            format,
        ),
        Command::Check {
            root,
            drafts,
            strict,
            format,
        } => build(
            BuildOptions {
                root,
                output: None,
                drafts,
                strict,
            },
            Mode::Check,
            format,
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
        Command::Init { dir, theme } => match dossier::init(&dir, theme) {
            Ok(()) => {
                out!("Created a new site in {}", dir.display());
                out!("Build it with: dossier build --root {}", dir.display());
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

/// Whether a build writes the site or only checks it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Build,
    Check,
}

fn build(opts: BuildOptions, mode: Mode, format: Format) -> ExitCode {
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
        out!(
            "{}",
            serde_json::json!({"type": "summary", "ok": outcome.result.is_ok(), "errors": errors, "warnings": warnings, "pages": pages})
        );
        return match outcome.result {
            Ok(_) => ExitCode::SUCCESS,
            Err(Failure::Content) => ExitCode::from(1),
            Err(Failure::Write(e)) => usage_error(&e.to_string()),
        };
    }
    if !diagnostics.is_empty() {
        err_raw!("{}", diag::render(&sources, diagnostics, use_color()));
    }
    let counts = summary_counts(errors, warnings);
    match outcome.result {
        Ok(built) => {
            if mode == Mode::Build {
                out!(
                    "Built {} pages ({} files) into {} in {secs:.2}s{counts}",
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
                    "Checked {} pages in {secs:.2}s: no errors{counts}",
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
