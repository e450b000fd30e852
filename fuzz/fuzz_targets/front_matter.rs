//! The front-matter splitter: any text, ranges always inside it.
#![no_main]
use dossier::testing::{Split, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match split(text) {
        Split::Found { yaml, body } => {
            assert!(yaml.start <= yaml.end && yaml.end <= body.start && body.end == text.len());
            let _ = (&text[yaml], &text[body]);
        }
        Split::Unclosed { open } => assert!(open.end <= text.len()),
        Split::Missing => {}
    }
});
