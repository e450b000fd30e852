//! A synthetic briefing site of any size, for benchmarks: N analyses of about
//! 1,200 words (headings, lists, footnotes, `[[id]]` references and plain
//! mentions of actor names), N/2 actors, N events with facts and `part_of`
//! chains, 50 tags. Deterministic: the same N always gives the same site.

#![allow(
    dead_code,
    reason = "each benchmark uses a different part of this module"
)]

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (no `rand` dependency for a benchmark).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Lcg(seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407))
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const FIRST: [&str; 50] = [
    "Aida",
    "Bolat",
    "Dana",
    "Erlan",
    "Farida",
    "Galym",
    "Hanna",
    "Ilyas",
    "Jamila",
    "Kairat",
    "Laura",
    "Marat",
    "Nurlan",
    "Olga",
    "Pavel",
    "Rustem",
    "Saule",
    "Timur",
    "Ulan",
    "Vera",
    "Yerbol",
    "Zarina",
    "Arman",
    "Botagoz",
    "Daulet",
    "Elena",
    "Gulnara",
    "Ivan",
    "Kamila",
    "Lev",
    "Madina",
    "Nikolai",
    "Oksana",
    "Petr",
    "Raushan",
    "Serik",
    "Tatyana",
    "Umit",
    "Viktor",
    "Yulia",
    "Zhanna",
    "Askar",
    "Bauyrzhan",
    "Dinara",
    "Ermek",
    "Gaukhar",
    "Ilya",
    "Karina",
    "Lyazzat",
    "Miras",
];

const LAST: [&str; 100] = [
    "Abenov",
    "Baimukhanov",
    "Dzhaksybekov",
    "Ermekov",
    "Feofanov",
    "Gabdullin",
    "Ismailov",
    "Zhumabayev",
    "Kassenov",
    "Lukin",
    "Mukanov",
    "Nurpeisov",
    "Omarov",
    "Petrov",
    "Rakhimov",
    "Sadykov",
    "Tulegenov",
    "Umarov",
    "Valiev",
    "Yesenov",
    "Zhakupov",
    "Akhmetov",
    "Bekov",
    "Dosanov",
    "Yeleusizov",
    "Grigoriev",
    "Ivanov",
    "Karimov",
    "Lebedev",
    "Mamyrov",
    "Nazarov",
    "Orlov",
    "Popov",
    "Rysbekov",
    "Sultanov",
    "Tokhtarov",
    "Usenov",
    "Volkov",
    "Yusupov",
    "Zaitsev",
    "Aliyev",
    "Baikenov",
    "Daniyarov",
    "Yegorov",
    "Galiyev",
    "Iskakov",
    "Kuanyshev",
    "Larin",
    "Makhambetov",
    "Nurmagambetov",
    "Ospanov",
    "Pak",
    "Ramazanov",
    "Seitkali",
    "Tasmagambetov",
    "Utemisov",
    "Vasiliev",
    "Yakovlev",
    "Zhunusov",
    "Amanov",
    "Berdibekov",
    "Dyussembayev",
    "Yermekbayev",
    "Gubaidullin",
    "Ibrayev",
    "Kenzhebekov",
    "Litvinov",
    "Mussin",
    "Nabiyev",
    "Ozhegov",
    "Primbetov",
    "Rakhmetov",
    "Smailov",
    "Tazhin",
    "Uskenbayev",
    "Voronin",
    "Yessimov",
    "Zhaksylykov",
    "Asanov",
    "Bulatov",
    "Daukeyev",
    "Yerzhanov",
    "Gizatov",
    "Imangaliyev",
    "Kuspanov",
    "Lavrov",
    "Mendybayev",
    "Nogayev",
    "Oralov",
    "Pershin",
    "Rogov",
    "Sarsenov",
    "Tolegenov",
    "Uteshev",
    "Vlasov",
    "Yergaliyev",
    "Zakirov",
    "Abdrakhmanov",
    "Baitursynov",
    "Dzhumabekov",
];

const WORDS: [&str; 60] = [
    "the",
    "government",
    "reform",
    "protest",
    "security",
    "region",
    "economic",
    "policy",
    "power",
    "elite",
    "council",
    "announced",
    "measures",
    "response",
    "crisis",
    "stability",
    "sovereignty",
    "alliance",
    "investment",
    "energy",
    "prices",
    "citizens",
    "authorities",
    "transition",
    "parliament",
    "pressure",
    "international",
    "partners",
    "domestic",
    "legitimacy",
    "institutions",
    "dialogue",
    "sanctions",
    "capital",
    "strategy",
    "influence",
    "interests",
    "negotiations",
    "agreement",
    "opposition",
    "media",
    "rights",
    "transparency",
    "corruption",
    "assets",
    "infrastructure",
    "borders",
    "deployment",
    "forces",
    "analysts",
    "observers",
    "considerable",
    "uncertain",
    "gradual",
    "significant",
    "of",
    "and",
    "in",
    "to",
    "with",
];

pub const TAGS: usize = 50;

pub fn actor_name(i: usize) -> String {
    format!(
        "{} {}",
        FIRST[i % FIRST.len()],
        LAST[(i / FIRST.len()) % LAST.len()]
    ) + &suffix(i)
}

/// Beyond 5,000 the name grid repeats; a Roman-ish suffix keeps names unique.
fn suffix(i: usize) -> String {
    let round = i / (FIRST.len() * LAST.len());
    if round == 0 {
        String::new()
    } else {
        format!(" {}", round + 1)
    }
}

fn sentence(rng: &mut Lcg, words: usize, out: &mut String) {
    for w in 0..words {
        let word = WORDS[rng.below(WORDS.len())];
        if w == 0 {
            let mut c = word.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(word);
        }
    }
    out.push_str(". ");
}

/// Writes the site into `dir` (which should be empty or absent).
pub fn generate(dir: &Path, n: usize) -> std::io::Result<()> {
    let actors = (n / 2).max(2);
    let events = n.max(2);
    let mut rng = Lcg::new(n as u64);
    std::fs::create_dir_all(dir.join("content/actors"))?;
    std::fs::create_dir_all(dir.join("content/events"))?;
    std::fs::create_dir_all(dir.join("content/analyses"))?;
    std::fs::write(
        dir.join("site.toml"),
        format!(
            "title = \"Synthetic briefing ({n})\"\nbase_url = \"https://example.org/brief/\"\n"
        ),
    )?;
    let kinds = [
        "person",
        "person",
        "organisation",
        "state",
        "group",
        "place",
    ];
    for i in 0..actors {
        let kind = kinds[i % kinds.len()];
        let mut y = format!(
            "name: {}\nkind: {kind}\nrole: Synthetic actor number {i}\n",
            actor_name(i)
        );
        if kind == "organisation" {
            let _ = writeln!(y, "aliases: [ORG{i}]");
        }
        if i > 10 {
            let _ = writeln!(y, "affiliations: [actor-{}]", rng.below(10));
        }
        let _ = writeln!(
            y,
            "summary: |\n  A synthetic actor used to measure dossier. It is linked to [[actor-{}]].\nfacts:\n  - label: Founded\n    value: \"{}\"\n    as_of: 2021-0{}-1{}\n    source: {{title: Registry, url: \"https://example.org/r\"}}",
            rng.below(actors),
            1950 + rng.below(70),
            1 + rng.below(9),
            rng.below(10)
        );
        std::fs::write(dir.join(format!("content/actors/actor-{i}.yaml")), y)?;
    }
    for i in 0..events {
        let mut y = format!(
            "title: Synthetic event {i}\ndate: {}-{:02}-{:02}\nplace: actor-{}\nactors:\n",
            2000 + rng.below(25),
            1 + rng.below(12),
            1 + rng.below(28),
            (rng.below(actors / 6 + 1) * 6 + 5).min(actors - 1)
        );
        for _ in 0..3 {
            let _ = writeln!(
                y,
                "  - {{id: actor-{}, role: participant}}",
                rng.below(actors)
            );
        }
        if i > 0 && i % 5 == 0 {
            let _ = writeln!(y, "part_of: event-{}", rng.below(i));
        }
        let _ = writeln!(
            y,
            "summary: |\n  Something happened, involving [[actor-{}]].\nfacts:\n  - {{label: Casualties, value: \"{}\", as_of: 2022-01-15, source: {{title: Ministry}}}}",
            rng.below(actors),
            rng.below(500)
        );
        if i % 10 == 0 {
            let _ = writeln!(
                y,
                "  - {{label: Casualties, value: \"{}\", as_of: 2022-02-01, source: {{title: NGO}}}}",
                rng.below(900)
            );
        }
        let _ = writeln!(
            y,
            "sources:\n  - {{title: Wire report, url: \"https://example.org/w/{i}\"}}"
        );
        std::fs::write(dir.join(format!("content/events/event-{i}.yaml")), y)?;
    }
    for i in 0..n {
        let concerns = [rng.below(actors), rng.below(actors), rng.below(actors)];
        let about = [rng.below(events), rng.below(events)];
        let mut md = format!(
            "---\ntitle: Synthetic analysis {i}\ndate: {}-{:02}-{:02}\nsummary: An analysis generated to measure how dossier scales.\nauthors: [Bench Author]\ntags: [topic {}, topic {}, topic {}]\nactors: [actor-{}, actor-{}, actor-{}]\nevents: [event-{}, event-{}]\n---\n\n",
            2010 + rng.below(15),
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(TAGS),
            rng.below(TAGS),
            rng.below(TAGS),
            concerns[0],
            concerns[1],
            concerns[2],
            about[0],
            about[1],
        );
        // What the front matter lists, the text mentions (as authors do).
        let _ = writeln!(
            md,
            "This analysis is about [[actor-{}]], [[actor-{}]] and [[actor-{}]], and [[event-{}]] and [[event-{}]].\n",
            concerns[0], concerns[1], concerns[2], about[0], about[1]
        );
        for section in 0..6 {
            let _ = writeln!(md, "## Section {section}\n");
            for _p in 0..3 {
                for s in 0..5 {
                    sentence(&mut rng, 11, &mut md);
                    match s {
                        1 => {
                            let _ = write!(md, "As [[actor-{}]] put it, ", rng.below(actors));
                        }
                        2 => {
                            let _ = write!(md, "{} responded. ", actor_name(rng.below(actors)));
                        }
                        3 if section % 2 == 0 => {
                            let _ = write!(md, "See [[event-{}|this event]]. ", rng.below(events));
                        }
                        _ => {}
                    }
                }
                md.push_str("\n\n");
            }
            if section == 2 {
                for _ in 0..4 {
                    md.push_str("- ");
                    sentence(&mut rng, 8, &mut md);
                    md.push('\n');
                }
                md.push('\n');
            }
        }
        md.push_str("A closing remark.[^1]\n\n[^1]: A footnote with a source.\n");
        std::fs::write(dir.join(format!("content/analyses/analysis-{i}.md")), md)?;
    }
    Ok(())
}

/// The benchmarks' positional arguments: N, then a count (runs), with defaults.
pub fn args(default_n: usize, default_runs: usize) -> (usize, usize) {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let n = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(default_n);
    let runs = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default_runs);
    (n, runs)
}

/// Puts a copy of the built-in analysis template into the site's theme, so
/// that a benchmark can edit it; returns its path and the original text.
pub fn override_analysis_template(dir: &Path) -> (std::path::PathBuf, String) {
    let tpl = dir.join("themes/default/templates/analysis.html");
    std::fs::create_dir_all(tpl.parent().expect("parent")).expect("create the theme folder");
    let builtin = dossier::testing::BUILTIN_THEME
        .iter()
        .find(|(p, _)| *p == "templates/analysis.html")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    std::fs::write(&tpl, &builtin).expect("write the template");
    (tpl, builtin)
}
