//! Checks: problems that do not stop a build by default, each of which a
//! site can set to `warn`, `error` or `off` in `site.toml`'s `[checks]`.
//! `dossier check --strict` turns every warning into an error, for CI.
//! The checks that need the whole linked site run in [`lint`].

pub(crate) mod lint;

/// One kind of warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// An actor or event that nothing references.
    Unreferenced,
    /// A name or alias shared by two actors (so it is linked to neither).
    AmbiguousAlias,
    /// An analysis lists an actor or event in front matter but never mentions it.
    Unmentioned,
    /// An analysis mentions an actor or event its front matter does not list.
    Unlisted,
    /// A fact whose `as_of` is older than `stale_after_days`.
    StaleFact,
    /// A disputed figure with a value that has no source.
    UnsourcedDispute,
    /// An external link that is not a well-formed URL.
    BadLink,
    /// An event that ends before it starts.
    EndBeforeStart,
    /// An actor whose `country` is not a state.
    CountryNotState,
    /// An image in Markdown without alt text.
    MissingAlt,
    /// A fact without a source.
    UnsourcedFact,
    /// A source file nothing cites.
    UnusedSource,
    /// A source file with neither `url` nor `archived`.
    UnlinkedSource,
    /// Two relations of the same type between the same actors whose dates
    /// overlap.
    OverlappingRelations,
    /// An analysis's author that is no author file (on a site that has them).
    UnknownAuthor,
    /// Text that `dossier new` wrote for the author to replace, left in.
    Placeholder,
    /// A translation older than the last revision of its original.
    StaleTranslation,
    /// An analysis with no translation into one of the site's languages.
    MissingTranslation,
}

impl Check {
    pub(crate) const ALL: [Check; 18] = [
        Check::Unreferenced,
        Check::AmbiguousAlias,
        Check::Unmentioned,
        Check::Unlisted,
        Check::StaleFact,
        Check::UnsourcedDispute,
        Check::BadLink,
        Check::EndBeforeStart,
        Check::CountryNotState,
        Check::MissingAlt,
        Check::UnsourcedFact,
        Check::UnusedSource,
        Check::UnlinkedSource,
        Check::OverlappingRelations,
        Check::UnknownAuthor,
        Check::Placeholder,
        Check::StaleTranslation,
        Check::MissingTranslation,
    ];

    /// The key in `[checks]`, also shown with the warning: `warning[unreferenced]`.
    pub fn name(self) -> &'static str {
        match self {
            Check::Unreferenced => "unreferenced",
            Check::AmbiguousAlias => "ambiguous_alias",
            Check::Unmentioned => "unmentioned",
            Check::Unlisted => "unlisted",
            Check::StaleFact => "stale_fact",
            Check::UnsourcedDispute => "unsourced_dispute",
            Check::BadLink => "bad_link",
            Check::EndBeforeStart => "end_before_start",
            Check::CountryNotState => "country_not_state",
            Check::MissingAlt => "missing_alt",
            Check::UnsourcedFact => "unsourced_fact",
            Check::UnusedSource => "unused_source",
            Check::UnlinkedSource => "unlinked_source",
            Check::OverlappingRelations => "overlapping_relations",
            Check::UnknownAuthor => "unknown_author",
            Check::Placeholder => "placeholder",
            Check::StaleTranslation => "stale_translation",
            Check::MissingTranslation => "missing_translation",
        }
    }

    /// How strict a check is unless `site.toml` says otherwise. Checks that
    /// would be noisy on most sites (a fact's age depends on the subject)
    /// are off until asked for.
    pub(crate) fn default_level(self) -> Level {
        match self {
            Check::StaleFact
            | Check::Unlisted
            | Check::UnlinkedSource
            | Check::MissingTranslation => Level::Off,
            // Readers who cannot see an image get nothing without it.
            Check::MissingAlt => Level::Error,
            _ => Level::Warn,
        }
    }
}

/// What a check does when it finds something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Off,
    Warn,
    Error,
}

/// `[checks]` as written in `site.toml` (read key by key by the config
/// loader, so that every mistake in it is reported at once).
#[derive(Debug, Default)]
pub(crate) struct RawChecks {
    /// The level set for each check of [`Check::ALL`], in that order.
    pub levels: [Option<Level>; Check::ALL.len()],
    /// How old (in days) a fact's `as_of` may be before `stale_fact` fires.
    pub stale_after_days: Option<u32>,
}

impl Level {
    /// `"off"`, `"warn"`, `"error"`.
    pub(crate) fn parse(s: &str) -> Option<Level> {
        match s {
            "off" => Some(Level::Off),
            "warn" => Some(Level::Warn),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// The level of every check, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checks {
    levels: [Level; Check::ALL.len()],
    pub stale_after_days: u32,
}

impl Default for Checks {
    fn default() -> Self {
        Checks {
            levels: Check::ALL.map(Check::default_level),
            stale_after_days: 365,
        }
    }
}

impl Checks {
    pub(crate) fn from_raw(raw: &RawChecks) -> Checks {
        let mut levels = Check::ALL.map(Check::default_level);
        for (level, set) in levels.iter_mut().zip(raw.levels) {
            if let Some(s) = set {
                *level = s;
            }
        }
        Checks {
            levels,
            stale_after_days: raw.stale_after_days.unwrap_or(365),
        }
    }

    pub(crate) fn level(&self, check: Check) -> Level {
        self.levels[Check::ALL.iter().position(|c| *c == check).unwrap_or(0)]
    }

    /// `--strict`: every check that warns becomes an error.
    pub(crate) fn strict(mut self) -> Checks {
        for l in &mut self.levels {
            if *l == Level::Warn {
                *l = Level::Error;
            }
        }
        self
    }

    /// These checks with every check not at `level` turned off.
    pub(crate) fn only(&self, level: Level) -> Checks {
        let mut only = self.clone();
        for l in &mut only.levels {
            if *l != level {
                *l = Level::Off;
            }
        }
        only
    }

    pub(crate) fn is_on(&self, check: Check) -> bool {
        self.level(check) != Level::Off
    }
}
