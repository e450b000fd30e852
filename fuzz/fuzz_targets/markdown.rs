//! The Markdown seam: `[[id]]` parsing, autolinking, footnotes, heading ids.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = dossier::testing::markdown(text);
});
