//! A whole analysis file (front matter, Markdown, `[[…]]` references,
//! autolinking) through load, model, link and diagnostics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dossier::testing::one_file("analysis", data);
});
