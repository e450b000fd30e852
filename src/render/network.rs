//! An actor's network: the actor and the actors it is directly related to,
//! drawn at build time as an SVG figure (no script, no request). The layout
//! is fixed by the data alone: the actor in the middle, its neighbours on an
//! ellipse around it in the order of their relations' types, then by name,
//! so two builds draw the same picture. Edges carry their labels; former
//! relations are dashed. Each neighbour links to its page. A hub shows its
//! [`MAX_NEIGHBOURS`] most connected neighbours and says how many more there
//! are; the page's list of relations holds every one, for readers who
//! cannot see the figure.

use std::fmt::Write as _;

use quick_xml::escape::escape;
use serde::Serialize;

use super::views::Views;
use crate::paths;

/// Most neighbours drawn; the rest are counted ("and 7 more").
pub(crate) const MAX_NEIGHBOURS: usize = 12;

/// `page.network` on actor.html.
#[derive(Serialize)]
pub(crate) struct NetworkView {
    /// The figure: an `<svg>` element (print it with `| safe`).
    pub svg: String,
    /// Neighbours drawn.
    pub shown: usize,
    /// Neighbours left out of the figure (all are in the list).
    pub more: usize,
}

/// One neighbour: who, where its relations' types sort, what the edge says.
struct Neighbour {
    actor: usize,
    order: usize,
    labels: Vec<String>,
    /// Whether every relation with it has ended.
    former: bool,
    /// How many relations it has in all (to pick a hub's most connected).
    degree: usize,
}

const W: f64 = 720.0;
const H: f64 = 440.0;

/// The network of actor `i`, or None when it has no relations.
pub(crate) fn network(v: &Views<'_>, i: usize) -> Option<NetworkView> {
    let site = v.site;
    let model = &site.model;
    let mut neighbours: Vec<Neighbour> = Vec::new();
    for e in &site.actors[i].relations {
        let label = v.locale.relation(e.kind, e.inverse).to_string();
        let r = &model.actors[e.owner].relations[e.position];
        let order = e.kind * 2 + usize::from(e.inverse);
        match neighbours.iter_mut().find(|n| n.actor == e.other) {
            Some(n) => {
                if !n.labels.contains(&label) {
                    n.labels.push(label);
                }
                n.former &= !r.is_current();
                n.order = n.order.min(order);
            }
            None => neighbours.push(Neighbour {
                actor: e.other,
                order,
                labels: vec![label],
                former: !r.is_current(),
                degree: site.actors[e.other].relations.len(),
            }),
        }
    }
    if neighbours.is_empty() {
        return None;
    }
    let total = neighbours.len();
    let name = |a: usize| model.actors[a].name.as_str();
    if total > MAX_NEIGHBOURS {
        neighbours.sort_by(|a, b| {
            b.degree
                .cmp(&a.degree)
                .then_with(|| name(a.actor).cmp(name(b.actor)))
        });
        neighbours.truncate(MAX_NEIGHBOURS);
    }
    neighbours.sort_by(|a, b| {
        a.order
            .cmp(&b.order)
            .then_with(|| name(a.actor).cmp(name(b.actor)))
    });
    let shown = neighbours.len();
    Some(NetworkView {
        svg: draw(v, i, &neighbours, total - shown),
        shown,
        more: total - shown,
    })
}

fn draw(v: &Views<'_>, i: usize, neighbours: &[Neighbour], more: usize) -> String {
    let model = &v.site.model;
    let t = v.locale;
    let me = &model.actors[i];
    let id = &me.id;
    let (cx, cy, rx, ry) = (W / 2.0, H / 2.0 - 4.0, 280.0, 150.0);
    let mut svg = String::with_capacity(2048 + 600 * neighbours.len());
    let _ = write!(
        svg,
        "<svg class=\"network\" viewBox=\"0 0 {W} {H}\" role=\"group\" aria-labelledby=\"network-title-{id} network-desc-{id}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let _ = write!(
        svg,
        "<title id=\"network-title-{id}\">{}</title>",
        escape(t.text_with("network_title", &[("name", &me.name)]))
    );
    let desc: Vec<String> = neighbours
        .iter()
        .map(|n| {
            let former = if n.former {
                format!(", {}", t.text("former"))
            } else {
                String::new()
            };
            format!(
                "{} ({}{former})",
                model.actors[n.actor].name,
                n.labels.join(", ")
            )
        })
        .collect();
    let mut desc = t.text_with(
        "network_description",
        &[("name", &me.name), ("list", &desc.join("; "))],
    );
    if more > 0 {
        desc.push(' ');
        desc.push_str(&t.count("network_description_more", more));
    }
    let _ = write!(
        svg,
        "<desc id=\"network-desc-{id}\">{}</desc>",
        escape(&desc)
    );
    let place = |k: usize| {
        let angle = -std::f64::consts::FRAC_PI_2
            + k as f64 * std::f64::consts::TAU / neighbours.len() as f64;
        (cx + rx * angle.cos(), cy + ry * angle.sin(), angle)
    };
    // Edges first, so that nodes and labels sit on top.
    for (k, n) in neighbours.iter().enumerate() {
        let (x, y, _) = place(k);
        let class = if n.former { "edge former" } else { "edge" };
        let _ = write!(
            svg,
            "<line class=\"{class}\" x1=\"{cx:.1}\" y1=\"{cy:.1}\" x2=\"{x:.1}\" y2=\"{y:.1}\"/>"
        );
    }
    for (k, n) in neighbours.iter().enumerate() {
        let (x, y, _) = place(k);
        let (lx, ly) = (cx + (x - cx) * 0.55, cy + (y - cy) * 0.55);
        let _ = write!(
            svg,
            "<text class=\"edge-label\" x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\">{}</text>",
            escape(n.labels.join(" · "))
        );
    }
    for (k, n) in neighbours.iter().enumerate() {
        let (x, y, angle) = place(k);
        let a = &model.actors[n.actor];
        // The name under the node (above it in the upper half), centred,
        // on two lines when long, so that it stays inside the figure.
        let lines = lines(&a.name, 16);
        let above = angle.sin() < -0.3;
        let first = if above {
            y - 12.0 - 16.0 * (lines.len() - 1) as f64
        } else {
            y + 22.0
        };
        let class = if n.former { "node former" } else { "node" };
        let _ = write!(
            svg,
            "<a href=\"{}\" class=\"{class} node-{}\"><title>{}</title><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"7\"/><text x=\"{x:.1}\" y=\"{first:.1}\" text-anchor=\"middle\">",
            escape(v.url(&paths::actor(&a.id))),
            a.kind.as_str(),
            escape(format!("{}: {}", a.name, n.labels.join(", "))),
        );
        for (l, line) in lines.iter().enumerate() {
            let dy = if l == 0 { 0.0 } else { 16.0 };
            let _ = write!(
                svg,
                "<tspan x=\"{x:.1}\" dy=\"{dy}\">{}</tspan>",
                escape(line)
            );
        }
        svg.push_str("</text></a>");
    }
    let _ = write!(
        svg,
        "<g class=\"centre\"><circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"11\"/><text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">",
        cy + 30.0,
    );
    for (l, line) in lines(&me.name, 24).iter().enumerate() {
        let dy = if l == 0 { 0.0 } else { 17.0 };
        let _ = write!(
            svg,
            "<tspan x=\"{cx:.1}\" dy=\"{dy}\">{}</tspan>",
            escape(line)
        );
    }
    svg.push_str("</text></g>");
    if more > 0 {
        let _ = write!(
            svg,
            "<text class=\"more\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            W - 8.0,
            H - 8.0,
            escape(t.count("network_more", more)),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A name on at most two lines of about `width` characters, broken at a
/// space, the second shortened if need be (the whole name is in the
/// node's title).
fn lines(name: &str, width: usize) -> Vec<String> {
    let line = width;
    if name.chars().count() <= line {
        return vec![name.to_string()];
    }
    let words: Vec<&str> = name.split(' ').collect();
    let mut first = String::new();
    let mut k = 0;
    while k < words.len() {
        let next = if first.is_empty() {
            words[k].len()
        } else {
            first.chars().count() + 1 + words[k].chars().count()
        };
        if !first.is_empty() && next > line {
            break;
        }
        if !first.is_empty() {
            first.push(' ');
        }
        first.push_str(words[k]);
        k += 1;
    }
    let rest = words[k..].join(" ");
    if rest.is_empty() {
        return vec![short(&first, line + 6)];
    }
    vec![short(&first, line + 6), short(&rest, line + 2)]
}

/// At most `max` characters, with `…` where cut.
fn short(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_string();
    }
    let cut: String = name.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    /// docs/format.md says how many neighbours a figure draws.
    #[test]
    fn the_documented_bound_is_the_code_s() {
        let docs = include_str!("../../docs/format.md");
        let phrase = format!("more than {} neighbours", super::MAX_NEIGHBOURS);
        assert!(docs.contains(&phrase), "docs/format.md lacks {phrase:?}");
    }
}
