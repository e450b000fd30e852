//! Write: where rendered pages go ([`PageSink`]), and publishing the
//! output atomically. Pages are written into a staging directory beside the
//! output as they are rendered, then the staging directory is swapped in
//! with one rename, so a reader never sees a half-written site, a failed
//! build leaves the old one untouched, and stale files vanish with the old
//! directory. `serve` keeps pages in memory instead; `check` drops them.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::theme::StaticSource;

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output directory, with `/`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where rendered pages go: a staging folder for `build`, memory for
/// `serve`, nowhere for `check`. Pages are handed over as soon as they are
/// rendered, so a large site is never held in memory at once.
pub trait PageSink: Sync {
    fn put(&self, file: OutputFile) -> std::io::Result<()>;

    /// The build succeeded: the pages put since the last commit are the new
    /// ones, and `removed` pages no longer exist.
    fn commit(&self, _removed: &[String]) {}

    /// The build failed: forget the pages put since the last commit.
    fn rollback(&self) {}

    /// Files that readers are looking at now (`serve`'s recent pages): a
    /// render renders these first.
    fn wanted(&self) -> Vec<String> {
        Vec::new()
    }

    /// The wanted pages that changed are rendered (and put): they may be
    /// shown before the build ends, while every other page is held back
    /// until [`PageSink::holding`] says which the build renders again.
    fn publish_first(&self) {}

    /// After [`PageSink::publish_first`]: of the other pages, the build
    /// renders `later` again; each is held back until the build commits or
    /// rolls back, never served as it was, and the rest are served again.
    fn holding(&self, _later: &[String]) {}

    /// Whether a newer edit waits, so that the pages after the first may
    /// be left for the next build.
    fn interrupted(&self) -> bool {
        false
    }

    /// Pages this build left unrendered for the next (after
    /// [`PageSink::interrupted`]): still held back at commit.
    fn unfinished(&self, _files: Vec<String>) {}

    /// Whether it keeps what it is given. A sink that does not (`check`)
    /// is handed no file dossier writes itself (feeds, the sitemap, the
    /// search index, the open data): those cannot fail whatever the
    /// content and theme are, so making them would check nothing.
    fn keeps(&self) -> bool {
        true
    }
}

/// Discards pages (`dossier check`).
pub(crate) struct Discard;

impl PageSink for Discard {
    fn put(&self, _: OutputFile) -> std::io::Result<()> {
        Ok(())
    }

    fn keeps(&self) -> bool {
        false
    }
}

/// Marks a directory as dossier's output, so that dossier never replaces a
/// folder it did not make (`--output ~/Documents` must not delete it).
pub(crate) const MARKER: &str = ".dossier-output";

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output exists and was not made by dossier.
    Foreign(PathBuf),
    /// What was being done, and the error the system gave.
    Io(String, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Foreign(p) => write!(
                f,
                "refusing to replace {}: it is not empty and was not made by dossier (delete it or choose another output folder)",
                p.display()
            ),
            WriteError::Io(what, e) => write!(f, "{what}: {e}"),
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Io(_, e) => Some(e),
            WriteError::Foreign(_) => None,
        }
    }
}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> WriteError {
    let what = what.into();
    move |e| WriteError::Io(what, e)
}

const STAGING_PREFIX: &str = ".dossier-staging-";

/// Removes staging folders that builds killed mid-way left behind: those
/// whose process is gone (on Linux), or older than a day (elsewhere).
fn remove_abandoned_staging(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(STAGING_PREFIX) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let abandoned = match pid {
            Some(pid) if cfg!(target_os = "linux") => {
                pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
            }
            _ => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(24 * 3600)),
        };
        if abandoned {
            remove_tree(&entry.path());
        }
    }
}

/// A new output being written. Dropped without [`Staging::publish`], it
/// vanishes and the previous output stays as it was.
pub(crate) struct Staging {
    dir: tempfile::TempDir,
    output: PathBuf,
}

impl Staging {
    /// Prepares a staging folder next to `output` (same filesystem, so the
    /// final swap is a rename). Refuses an output dossier did not make.
    pub(crate) fn new(output: &Path) -> Result<Staging, WriteError> {
        if output.exists() {
            let is_ours = output.join(MARKER).exists();
            let is_empty = std::fs::read_dir(output)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !output.is_dir() || (!is_ours && !is_empty) {
                return Err(WriteError::Foreign(output.to_path_buf()));
            }
        }
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .map_err(io_err(format!("cannot create {}", parent.display())))?;
        remove_abandoned_staging(&parent);
        // The process id in the name lets a later build tell a staging folder
        // left by a killed build from one in use.
        let dir = tempfile::Builder::new()
            .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
            .tempdir_in(&parent)
            .map_err(io_err(format!(
                "cannot create a staging folder in {}",
                parent.display()
            )))?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
        })
    }

    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let target = self.dir.path().join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, bytes)
    }

    /// Copies static files in, in parallel.
    pub(crate) fn put_statics(&self, statics: &[(String, StaticSource)]) -> Result<(), WriteError> {
        statics.par_iter().try_for_each(|(path, source)| {
            let result = match source {
                StaticSource::Builtin(bytes) => self.write(path, bytes),
                StaticSource::File(from) => {
                    let target = self.dir.path().join(path);
                    if let Some(parent) = target.parent() {
                        std::fs::create_dir_all(parent)
                            .map_err(io_err(format!("cannot create {}", parent.display())))?;
                    }
                    std::fs::copy(from, &target).map(|_| ())
                }
            };
            result.map_err(io_err(format!("cannot write {path}")))
        })
    }

    /// Swaps the staging folder in for the output and removes the old output.
    pub(crate) fn publish(self) -> Result<(), WriteError> {
        std::fs::write(
            self.dir.path().join(MARKER),
            "This folder was generated by dossier; `dossier build` replaces it as a whole.\n",
        )
        .map_err(io_err("cannot write the output marker"))?;
        swap_in(self.dir.path(), &self.output)?;
        // The staging path now holds the previous output (or nothing).
        let old = self.dir.keep();
        remove_tree(&old);
        Ok(())
    }
}

impl PageSink for Staging {
    fn put(&self, file: OutputFile) -> io::Result<()> {
        self.write(&file.path, &file.bytes)
    }
}

/// Puts `staging` at `output`; afterwards `staging` holds the old output.
fn swap_in(staging: &Path, output: &Path) -> Result<(), WriteError> {
    if !output.exists() {
        return std::fs::rename(staging, output)
            .map_err(io_err(format!("cannot create {}", output.display())));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        // One atomic step: readers see the old site or the new one.
        match renameat_with(CWD, staging, CWD, output, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => {
                return Err(WriteError::Io(
                    format!("cannot replace {}", output.display()),
                    e.into(),
                ));
            }
        }
    }
    // Elsewhere: two renames, with a moment in between where `output` is absent.
    let old = staging.with_extension("old");
    std::fs::rename(output, &old)
        .map_err(io_err(format!("cannot move {} aside", output.display())))?;
    if let Err(e) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(WriteError::Io(
            format!("cannot replace {}", output.display()),
            e,
        ));
    }
    std::fs::rename(&old, staging).map_err(io_err("cannot clean up the previous output"))
}

/// Removes a directory tree, subtrees in parallel: deleting a large site's
/// old output is most of a rebuild's system time.
fn remove_tree(dir: &Path) {
    let children: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|e| {
            let path = e.path();
            match std::fs::read_dir(&path) {
                Ok(inner) if e.file_type().is_ok_and(|t| t.is_dir()) => {
                    inner.flatten().map(|i| i.path()).collect()
                }
                _ => vec![path],
            }
        })
        .collect();
    children.par_iter().for_each(|p| {
        let _ = if p.is_dir() {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        };
    });
    let _ = std::fs::remove_dir_all(dir);
}
