//! `dossier serve`: build, serve from memory, watch, rebuild what changed,
//! reload the browser.

pub mod store;
