//! The command line: parse arguments, call the library, print diagnostics,
//! choose the exit code (0 success, 1 content errors, 2 usage or I/O errors).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use dossier::diag;
use dossier::init::{self, NewKind};
use dossier::{BuildOptions, Failure};

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
    },
    /// Check everything a build checks, and write nothing
    Check {
        /// The site folder, holding site.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also check analyses marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new site that builds at once
    Init {
        /// The folder to create
        dir: PathBuf,
        /// Also copy the built-in theme to themes/default/ for editing
        #[arg(long)]
        theme: bool,
    },
    /// Create a new analysis, actor or event from a template
    New {
        #[arg(value_enum)]
        kind: Kind,
        /// Its title or name; the file name is made from it
        name: String,
        /// The site folder, holding site.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Analysis,
    Actor,
    Event,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
        } => build(BuildOptions {
            root,
            output,
            drafts,
            write: true,
        }),
        Command::Check { root, drafts } => build(BuildOptions {
            root,
            output: None,
            drafts,
            write: false,
        }),
        Command::Init { dir, theme } => match init::init(&dir, theme) {
            Ok(()) => {
                println!("Created a new site in {}", dir.display());
                println!("Build it with: dossier build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => usage_error(&e),
        },
        Command::New { kind, name, root } => {
            let kind = match kind {
                Kind::Analysis => NewKind::Analysis,
                Kind::Actor => NewKind::Actor,
                Kind::Event => NewKind::Event,
            };
            match init::new_file(&root, kind, &name) {
                Ok(path) => {
                    println!("Created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => usage_error(&e),
            }
        }
    }
}

fn build(opts: BuildOptions) -> ExitCode {
    let start = Instant::now();
    let outcome = dossier::build(&opts);
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if !outcome.diagnostics.is_empty() {
        eprint!(
            "{}",
            diag::render(&outcome.sources, &outcome.diagnostics, color)
        );
    }
    let (errors, warnings) = (
        outcome.diagnostics.error_count(),
        outcome.diagnostics.warning_count(),
    );
    let counts = summary_counts(errors, warnings);
    let elapsed = start.elapsed();
    match outcome.result {
        Ok(built) => {
            let secs = elapsed.as_secs_f64();
            if opts.write {
                println!(
                    "Built {} pages ({} files) into {} in {secs:.2}s{counts}",
                    built.pages,
                    built.files,
                    built.output.display()
                );
            } else {
                println!(
                    "Checked {} pages in {secs:.2}s: no errors{counts}",
                    built.pages
                );
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Content) => {
            eprintln!(
                "error: build failed with {}; the previous output was left as it was",
                plural(errors, "error")
            );
            if warnings > 0 {
                eprintln!("       and {}", plural(warnings, "warning"));
            }
            ExitCode::from(1)
        }
        Err(Failure::Io(e)) => usage_error(&e),
    }
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
    eprintln!("error: {message}");
    ExitCode::from(2)
}
