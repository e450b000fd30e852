//! The YAML loaders and model conversion: any bytes as an actor or event
//! fact sheet are reported, never panicked on.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (kind, rest) = match data.split_first() {
        Some((k, rest)) if k % 2 == 0 => ("actor", rest),
        Some((_, rest)) => ("event", rest),
        None => ("actor", data),
    };
    let _ = dossier::testing::one_file(kind, rest);
});
