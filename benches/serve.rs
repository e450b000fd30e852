//! `dossier serve` latency: from saving a file to the updated page being
//! served, measured over HTTP against the release binary.
//!
//! ```text
//! cargo bench --bench serve -- [N] [RUNS]             # default N = 1000, RUNS = 5
//! cargo bench --bench serve -- 10000 7 --vs=1000      # two servers, alternated
//! ```
//!
//! For each scenario the file is saved as an editor saves (a temporary file
//! renamed over the target) and a page that shows the change is polled
//! every 5 ms until it does: an analysis body edit; an actor rename (polled
//! on an analysis page that lists the actor); an edit of the analysis
//! template. After each save the bench waits for the server to log the end
//! of that build, so one save's background rendering never slows the next.
//! Also reports each server's peak and current memory.
//!
//! With `--vs=M` a second server runs a site of M analyses, and each save
//! goes to one then the other (in turns, the order swapped every round):
//! the ratio of their medians is taken on the same machine in the same
//! minutes, as the performance target asks, so that the machine's drift
//! falls on both.

mod synth;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// One `dossier serve` and the site it serves.
struct Server {
    n: usize,
    child: Child,
    addr: String,
    /// The server's stdout, a line at a time.
    lines: Receiver<String>,
    analysis: PathBuf,
    actor: PathBuf,
    old_name: String,
    listing: String,
    tpl: PathBuf,
    builtin: String,
}

/// The scenarios, in the order they run.
const SCENARIOS: [&str; 3] = [
    "analysis body edit",
    "actor rename",
    "template edit (every analysis page)",
];

/// The page the body and template edits are polled on.
const PAGE: &str = "/brief/analyses/analysis-5/";

fn main() {
    let (n, runs) = synth::args(1000, 5);
    let vs: Option<usize> =
        std::env::args().find_map(|a| a.strip_prefix("--vs=").and_then(|m| m.parse().ok()));
    let mut servers = vec![Server::start(n, 0)];
    if let Some(m) = vs {
        servers.push(Server::start(m, 1));
    }
    // times[scenario][server]
    let mut times = vec![vec![Vec::new(); servers.len()]; SCENARIOS.len()];
    for (s, _) in SCENARIOS.iter().enumerate() {
        for k in 0..runs {
            let mut order: Vec<usize> = (0..servers.len()).collect();
            if k % 2 == 1 {
                order.reverse();
            }
            for i in order {
                std::thread::sleep(Duration::from_millis(300));
                times[s][i].push(servers[i].save(s, k));
            }
        }
    }
    for (i, server) in servers.iter_mut().enumerate() {
        println!("N = {}:", server.n);
        for (s, label) in SCENARIOS.iter().enumerate() {
            report(label, &times[s][i]);
        }
        let (hwm, rss) = memory(server.child.id());
        println!("  memory: peak {} MB, now {} MB", hwm / 1024, rss / 1024);
        let _ = server.child.kill();
        let _ = server.child.wait();
    }
    if servers.len() == 2 {
        println!(
            "N = {} ÷ N = {} (ratio of medians):",
            servers[0].n, servers[1].n
        );
        for (s, label) in SCENARIOS.iter().enumerate() {
            println!(
                "  {label}: {:.2}×",
                median(&times[s][0]) / median(&times[s][1])
            );
        }
    }
}

impl Server {
    /// Generates a site of `n` analyses and starts serving it; `slot`
    /// picks the port.
    fn start(n: usize, slot: u16) -> Server {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench/serve-{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        synth::generate(&dir, n).expect("generate");
        // The analysis template, overridden in the site so it can be edited.
        let (tpl, builtin) = synth::override_analysis_template(&dir);
        // Let the disk absorb the new files: writeback competing with the
        // server would be measured as the server's latency.
        let _ = Command::new("sync").status();
        std::thread::sleep(Duration::from_secs(5));

        let port = 18_000 + (std::process::id() % 1000) as u16 * 2 + slot;
        let t = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(&dir)
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
        // Keep draining the server's output so it never blocks on a full
        // pipe; the lines go to whoever waits for a build's end.
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        println!(
            "N = {n}: server ready in {:.2}s (initial build included)",
            t.elapsed().as_secs_f64()
        );
        let actor_id = 1234.min(n / 2 - 1);
        let listing =
            find_analysis_listing(&dir, actor_id, n).expect("an analysis that lists the actor");
        Server {
            n,
            child,
            addr: format!("127.0.0.1:{port}"),
            lines: rx,
            analysis: dir.join("content/analyses/analysis-5.md"),
            actor: dir.join(format!("content/actors/actor-{actor_id}.yaml")),
            old_name: synth::actor_name(actor_id),
            listing,
            tpl,
            builtin,
        }
    }

    /// Saves the `k`th edit of scenario `s`, and returns how long the page
    /// took to show it. Then waits for the build to end.
    fn save(&self, s: usize, k: usize) -> Duration {
        // Lines of builds before this save.
        while self.lines.try_recv().is_ok() {}
        let t = Instant::now();
        let (page, token) = match s {
            0 => {
                let token = format!("body-edit-{k}");
                edit(&self.analysis, |t| {
                    t.replacen("A closing remark", &format!("A closing remark {token}"), 1)
                });
                (PAGE.to_string(), token)
            }
            1 => {
                let token = format!("Renamed Actor {k}");
                let old = match k {
                    0 => self.old_name.clone(),
                    _ => format!("Renamed Actor {}", k - 1),
                };
                edit(&self.actor, |t| {
                    t.replacen(&format!("name: {old}"), &format!("name: {token}"), 1)
                });
                (format!("/brief/analyses/{}/", self.listing), token)
            }
            _ => {
                let token = format!("template-edit-{k}");
                edit(&self.tpl, |_| {
                    self.builtin.replacen(
                        "<article class=\"analysis\">",
                        &format!("<article class=\"analysis\" data-edit=\"{token}\">"),
                        1,
                    )
                });
                (PAGE.to_string(), token)
            }
        };
        loop {
            if get(&self.addr, &page).contains(&token) {
                break;
            }
            if t.elapsed() > Duration::from_secs(60) {
                panic!("{page} never showed {token}");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let took = t.elapsed();
        // "… changed: re-rendered …" ends the build.
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(300)) {
            if line.contains("changed:") {
                break;
            }
        }
        took
    }
}

fn median(times: &[Duration]) -> f64 {
    let mut ms: Vec<f64> = times.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    ms[ms.len() / 2]
}

fn report(label: &str, times: &[Duration]) {
    let mut ms: Vec<f64> = times.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let all: Vec<String> = ms.iter().map(|m| format!("{m:.0}")).collect();
    println!(
        "  {label}: median {:.0} ms, max {:.0} ms (runs: {})",
        median(times),
        ms[ms.len() - 1],
        all.join(", ")
    );
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
