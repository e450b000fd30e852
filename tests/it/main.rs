//! Integration tests: each builds a small fixture site in a temp dir and
//! asserts on the pages, the links and the diagnostics, as a user would see them.

mod harness;

mod autolink;
mod checks;
mod cli;
mod crosslinks;
mod dates;
mod deploy;
mod diagnostics;
mod errors;
mod example_site;
mod hardening;
mod import;
mod incremental;
mod multilingual;
mod output;
mod partials;
mod properties;
mod publishing;
mod readers;
mod reading;
mod relations;
mod rename;
mod search;
mod serve;
mod sources;
mod translations;
