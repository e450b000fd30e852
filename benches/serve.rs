//! `dossier serve` latency: from saving a file to the updated page being
//! served, measured over HTTP against the release binary.
//!
//! ```text
//! cargo bench --bench serve -- [N] [RUNS]     # default N = 1000, RUNS = 5
//! ```
//!
//! For each scenario the file is saved as an editor saves (a temporary file
//! renamed over the target) and a page that shows the change is polled
//! every 5 ms until it does: an analysis body edit; an actor rename (polled
//! on an analysis page that lists the actor); an edit of the analysis
//! template. Also reports the server's peak and current memory.

mod synth;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let (n, runs) = synth::args(1000, 5);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench/serve-{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    synth::generate(&dir, n).expect("generate");
    // The analysis template, overridden in the site so it can be edited.
    let (tpl, builtin) = synth::override_analysis_template(&dir);
    // Let the disk absorb the new files: writeback competing with the
    // server would be measured as the server's latency.
    let _ = Command::new("sync").status();
    std::thread::sleep(Duration::from_secs(5));

    let port = 18_000 + (std::process::id() % 1000) as u16;
    let (mut child, ready) = start(&dir, port);
    let addr = format!("127.0.0.1:{port}");
    println!(
        "N = {n}: server ready in {:.2}s (initial build included)",
        ready.as_secs_f64()
    );

    let analysis = dir.join("content/analyses/analysis-5.md");
    let page = "/brief/analyses/analysis-5/";
    let body = measure(
        runs,
        |k| {
            let token = format!("body-edit-{k}");
            edit(&analysis, |t| {
                t.replacen("A closing remark", &format!("A closing remark {token}"), 1)
            });
            (page.to_string(), token)
        },
        &addr,
    );
    report("analysis body edit", &body);

    let actor_id = 1234.min(n / 2 - 1);
    let actor = dir.join(format!("content/actors/actor-{actor_id}.yaml"));
    let listing =
        find_analysis_listing(&dir, actor_id, n).expect("an analysis that lists the actor");
    let old_name = synth::actor_name(actor_id);
    let rename = measure(
        runs,
        |k| {
            let token = format!("Renamed Actor {k}");
            let new_name = token.clone();
            let old = if k == 0 {
                old_name.clone()
            } else {
                format!("Renamed Actor {}", k - 1)
            };
            edit(&actor, |t| {
                t.replacen(&format!("name: {old}"), &format!("name: {new_name}"), 1)
            });
            (format!("/brief/analyses/{listing}/"), token)
        },
        &addr,
    );
    report("actor rename", &rename);

    let template = measure(
        runs,
        |k| {
            let token = format!("template-edit-{k}");
            let fresh = builtin.clone();
            edit(&tpl, |_| {
                fresh.replacen(
                    "<article class=\"analysis\">",
                    &format!("<article class=\"analysis\" data-edit=\"{token}\">"),
                    1,
                )
            });
            (page.to_string(), token)
        },
        &addr,
    );
    report("template edit (every analysis page)", &template);

    let (hwm, rss) = memory(child.id());
    println!("memory: peak {} MB, now {} MB", hwm / 1024, rss / 1024);
    let _ = child.kill();
    let _ = child.wait();
}

/// Starts `dossier serve` and waits for "Serving at".
fn start(dir: &Path, port: u16) -> (Child, Duration) {
    let t = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dossier serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        if line.map(|l| l.starts_with("Serving at")).unwrap_or(false) {
            break;
        }
    }
    // Keep draining the server's output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, t.elapsed())
}

/// Saves as an editor does: a temporary file renamed over the target.
fn edit(path: &Path, change: impl Fn(String) -> String) {
    let text = std::fs::read_to_string(path).expect("read");
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, change(text)).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

/// Runs `step` `runs` times; each returns the page to poll and the text to
/// wait for. Returns the latencies.
fn measure(
    runs: usize,
    mut step: impl FnMut(usize) -> (String, String),
    addr: &str,
) -> Vec<Duration> {
    let mut out = Vec::new();
    for k in 0..runs {
        std::thread::sleep(Duration::from_millis(400));
        let t = Instant::now();
        let (page, token) = step(k);
        loop {
            if get(addr, &page).contains(&token) {
                break;
            }
            if t.elapsed() > Duration::from_secs(60) {
                panic!("{page} never showed {token}");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        out.push(t.elapsed());
    }
    out
}

fn report(label: &str, times: &[Duration]) {
    let mut ms: Vec<f64> = times.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let all: Vec<String> = ms.iter().map(|m| format!("{m:.0}")).collect();
    println!(
        "{label}: median {:.0} ms, max {:.0} ms (runs: {})",
        ms[ms.len() / 2],
        ms[ms.len() - 1],
        all.join(", ")
    );
}

fn get(addr: &str, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    );
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    buf
}

/// An analysis whose front matter names the actor.
fn find_analysis_listing(dir: &Path, actor: usize, n: usize) -> Option<String> {
    let needle = format!("actor-{actor}");
    (0..n).map(|i| format!("analysis-{i}")).find(|a| {
        std::fs::read_to_string(dir.join(format!("content/analyses/{a}.md")))
            .map(|t| {
                t.lines().any(|l| {
                    l.starts_with("actors:") && l.split(['[', ',', ']', ' ']).any(|w| w == needle)
                })
            })
            .unwrap_or(false)
    })
}

/// (peak, current) resident memory of a process, in KB.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}
