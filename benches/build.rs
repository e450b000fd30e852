//! Full-build benchmark on a synthetic site.
//!
//! ```text
//! cargo bench --bench build -- [N] [RUNS]      # default N = 1000, RUNS = 3 (0: generate only)
//! ```
//! Generates the site once under `target/bench/site-N`, then builds it RUNS
//! times with the library (writing into `target/bench/site-N/public`) and
//! prints each time and the median. For peak memory, build with the binary:
//! `/usr/bin/time -v target/release/dossier build --root target/bench/site-N`.

mod synth;

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let (n, runs) = synth::args(1000, 3);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench/site-{n}"));
    if !dir.join("site.toml").exists() {
        let t = Instant::now();
        synth::generate(&dir, n).expect("generate the synthetic site");
        eprintln!(
            "generated {} in {:.1}s",
            dir.display(),
            t.elapsed().as_secs_f64()
        );
    }
    if runs == 0 {
        // `-- N 0`: generate the site only (to time the binary on it).
        return;
    }
    let opts = dossier::BuildOptions::new(dir.clone());
    let mut times = Vec::new();
    for run in 1..=runs {
        let t = Instant::now();
        let (outcome, sources) = dossier::build(&opts);
        let secs = t.elapsed().as_secs_f64();
        match &outcome.result {
            Ok(built) => {
                let stages: Vec<String> = outcome
                    .timings
                    .iter()
                    .map(|(s, d)| format!("{s} {:.2}s", d.as_secs_f64()))
                    .collect();
                println!(
                    "run {run}: {secs:.2}s, {} pages ({})",
                    built.pages,
                    stages.join(", ")
                );
            }
            Err(_) => {
                eprint!(
                    "{}",
                    dossier::diag::render_short(&sources, &outcome.diagnostics)
                );
                panic!("the synthetic site failed to build");
            }
        }
        times.push(secs);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "N = {n}: median full build {:.2}s over {runs} runs",
        times[times.len() / 2]
    );
}
