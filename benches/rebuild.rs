//! Incremental rebuild benchmark, through the library (no HTTP, no watcher):
//! how long `dossier serve` spends rebuilding after each kind of edit.
//!
//! ```text
//! cargo bench --bench rebuild -- [N]     # default N = 1000
//! ```

mod synth;

use std::path::PathBuf;
use std::time::Instant;

use dossier::testing::Store;
use dossier::{BuildOptions, Caches, Changes, Target};

/// The allocator `dossier` itself runs with (glibc's made this bench
/// spend a third of a rebuild in `malloc`, which `serve` never does).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let (n, _) = synth::args(1000, 0);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench/rebuild-{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    synth::generate(&dir, n).expect("generate");
    let opts = BuildOptions::new(dir.clone());
    let mut caches = Caches::default();
    let store = Store::new();
    let t = Instant::now();
    let r = dossier::rebuild(&opts, &mut caches, &Changes::All, Target::Store(&store));
    assert!(r.result.is_ok());
    println!(
        "N = {n}: initial build {:.2}s, {} pages",
        t.elapsed().as_secs_f64(),
        store.page_count()
    );

    // A reader on the edited analysis and on the renamed actor: their
    // pages are rendered first, as `serve` does.
    let typical = typical_actor(n);
    store.viewed("analyses/analysis-5/index.html");
    store.viewed(&format!("actors/actor-{typical}/index.html"));
    let mut step = |label: &str, path: PathBuf, edit: &dyn Fn(String) -> String| {
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, edit(text)).expect("write");
        let t = Instant::now();
        let r = dossier::rebuild(
            &opts,
            &mut caches,
            &Changes::Paths(vec![path]),
            Target::Store(&store),
        );
        let secs = t.elapsed().as_secs_f64() * 1000.0;
        let built = r.result.as_ref().expect("rebuild");
        let stages: Vec<String> = r
            .timings
            .iter()
            .map(|(s, d)| format!("{s} {:.1}", d.as_secs_f64() * 1000.0))
            .collect();
        println!(
            "{label}: {secs:.1} ms, {} of {} pages re-rendered ({})",
            built.rendered,
            built.pages,
            stages.join(", ")
        );
    };
    let analysis = dir.join("content/analyses/analysis-5.md");
    if std::env::var_os("REPEAT_TEMPLATE").is_some() {
        let (tpl, builtin) = synth::override_analysis_template(&dir);
        for i in 0..8 {
            let fresh = builtin.clone();
            step("repeat template", tpl.clone(), &|_| {
                fresh.replacen(
                    "<article class=\"analysis",
                    &format!("<article data-v=\"{i}\" class=\"analysis"),
                    1,
                )
            });
        }
        return;
    }
    if let Some(times) = std::env::var_os("REPEAT_RENAME") {
        // Renames one actor again and again, as the serve bench does: to
        // "Renamed Actor 0", then 1, … (for a profile of the link stage).
        let times: usize = times.to_str().and_then(|t| t.parse().ok()).unwrap_or(1);
        let actor = dir.join(format!("content/actors/actor-{typical}.yaml"));
        for i in 0..times.max(10) {
            let from = match i {
                0 => synth::actor_name(typical),
                _ => format!("Renamed Actor {}", i - 1),
            };
            let to = format!("Renamed Actor {i}");
            step("repeat rename", actor.clone(), &|t| {
                t.replacen(&format!("name: {from}"), &format!("name: {to}"), 1)
            });
        }
        return;
    }
    if let Some(times) = std::env::var_os("REPEAT") {
        // REPEAT=1 edits 30 times; REPEAT=200 that many (for a profile).
        let times: usize = times.to_str().and_then(|t| t.parse().ok()).unwrap_or(1);
        for i in 0..times.max(30) {
            step("repeat", analysis.clone(), &|t| {
                t.replacen("A closing remark", &format!("A closing remark {i}"), 1)
            });
        }
        return;
    }
    step("analysis body edit", analysis.clone(), &|t| {
        t.replacen("A closing remark.", "A closing remark, edited.", 1)
    });
    // A new reference changes what the analysis mentions, and so its
    // related analyses and those of every analysis sharing the actor.
    let mention = format!("A closing remark, edited, on [[actor-{}]].", n / 2 - 1);
    step(
        "analysis body edit adding a mention",
        analysis.clone(),
        &|t| t.replacen("A closing remark, edited.", &mention, 1),
    );
    step("analysis title edit", analysis, &|t| {
        t.replacen(
            "title: Synthetic analysis 5",
            "title: Synthetic analysis five",
            1,
        )
    });
    let actor = dir.join(format!("content/actors/actor-{typical}.yaml"));
    let old = synth::actor_name(typical);
    step("actor rename (typical)", actor, &|t| {
        t.replacen(&format!("name: {old}"), "name: Renamed Actor", 1)
    });
    let hub = dir.join("content/actors/actor-7.yaml");
    let old = synth::actor_name(7);
    step("actor rename (hub of 500 members)", hub, &|t| {
        t.replacen(&format!("name: {old}"), "name: Renamed Hub", 1)
    });
    let (tpl, _) = synth::override_analysis_template(&dir);
    step("template edit (analysis.html)", tpl, &|t| {
        t.replacen(
            "<article class=\"analysis\">",
            "<article class=\"analysis edited\">",
            1,
        )
    });
}

/// The actor the renames edit: actor-1234 at N = 10,000 as before; one
/// that exists at smaller N.
fn typical_actor(n: usize) -> usize {
    if n / 2 > 1234 { 1234 } else { n / 4 + 1 }
}
