// dossier search: loads the index (search/index.json and the chunk files
// it lists, written by `dossier build`) on first use and searches it in the
// browser. Every query word must match the
// start of a word of the document; matches in the title rank first.
// Results are built with textContent, never innerHTML. Its words come
// from the form's data-t-* attributes (the theme's texts in the page's
// language), English when a theme leaves them out.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = form.elements.q;
  var kind = form.elements.kind;
  var actor = form.elements.actor;
  var tag = form.elements.tag;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var LIMIT = 50;
  var t = form.dataset;
  var KINDS = { analysis: t.tAnalysis || "Analysis", actor: t.tActor || "Actor", event: t.tEvent || "Event" };
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;

  // A text of the theme: `name` (a data-t-name attribute), or a counted
  // one in the form `n` takes in the page's language, `{x}`s filled.
  function say(name, fallback, values, n) {
    var category = n === undefined ? "" : "-" + (plurals ? plurals.select(n) : n === 1 ? "one" : "other");
    var key = function (k) { return "t" + k.replace(/(^|-)([a-z])/g, function (_, d, c) { return c.toUpperCase(); }); };
    var s = t[key(name + category)] || t[key(name + "-other")] || fallback;
    return s.replace(/\{([a-z_]+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }
  var index = null;
  var loading = null;

  // Scripts written without spaces between words (Chinese, Japanese kana,
  // Thai, Lao, Khmer, Myanmar): each character is a word of its own, as in
  // the index (src/text.rs, search_terms).
  var UNSPACED = /([\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])/u;

  function words(text) {
    var out = [];
    text.toLowerCase().split(/[^\p{L}\p{N}]+/u).forEach(function (w) {
      w.split(UNSPACED).forEach(function (part) {
        if (part.length > 0) out.push(part);
      });
    });
    return out;
  }

  function fetchJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function load() {
    if (!loading) {
      loading = fetchJson(form.dataset.index)
        .then(function (manifest) {
          // The chunks load in parallel and are searched as one list.
          return Promise.all(manifest.chunks.map(fetchJson)).then(function (chunks) {
            var actors = {};
            manifest.actors.forEach(function (a, i) { actors[a[0]] = i; });
            var tags = {};
            manifest.tags.forEach(function (t, i) { tags[t[0]] = i; });
            var docs = [].concat.apply([], chunks);
            docs.forEach(function (d) {
              // The title and other names, matched first.
              d.title = " " + words(d.t + " " + (d.n || []).join(" ")).join(" ");
              d.all = " " + d.w;
            });
            index = { docs: docs, actors: actors, tags: tags };
            return index;
          });
        })
        .catch(function (e) {
          loading = null;
          status.textContent = say("failed", "The search index could not be loaded ({error}).", { error: e.message });
        });
    }
    return loading;
  }

  function score(doc, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = " " + terms[i];
      if (doc.title.indexOf(t + " ") >= 0 || doc.title.endsWith(t)) total += 20;
      else if (doc.title.indexOf(t) >= 0) total += 12;
      else if (doc.all.indexOf(t) >= 0) total += 1;
      else return 0;
    }
    return total;
  }

  function highlight(el, text, terms) {
    // Marks the query words at the start of title words.
    var lower = text.toLowerCase();
    var marks = [];
    terms.forEach(function (t) {
      var re = new RegExp("(^|[^\\p{L}\\p{N}])(" + t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gu");
      var m;
      while ((m = re.exec(lower)) !== null) {
        marks.push([m.index + m[1].length, m.index + m[1].length + m[2].length]);
        if (m[0].length === 0) re.lastIndex++;
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var at = 0;
    marks.forEach(function (r) {
      if (r[0] < at) return;
      el.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      el.appendChild(mark);
      at = r[1];
    });
    el.appendChild(document.createTextNode(text.slice(at)));
  }

  function render(results, terms, total) {
    list.textContent = "";
    results.forEach(function (r) {
      var d = r.doc;
      var li = document.createElement("li");
      li.className = "search-result result-" + d.k;
      var k = document.createElement("p");
      k.className = "kicker";
      k.textContent = KINDS[d.k] || d.k;
      var h = document.createElement("h2");
      h.className = "search-result-title";
      var a = document.createElement("a");
      a.href = d.u;
      highlight(a, d.t, terms);
      h.appendChild(a);
      li.appendChild(k);
      li.appendChild(h);
      if (d.m) {
        var m = document.createElement("p");
        m.className = "meta";
        m.textContent = d.m;
        li.appendChild(m);
      }
      if (d.s) {
        var s = document.createElement("p");
        s.className = "search-snippet";
        s.textContent = d.s;
        li.appendChild(s);
      }
      list.appendChild(li);
    });
    if (total === 0) status.textContent = say("nothing", "Nothing found.", {});
    else if (total > results.length) status.textContent = say("shown", "{n} results; the first {shown} are shown.", { n: total, shown: results.length }, total);
    else status.textContent = say("results", total === 1 ? "1 result" : "{n} results", { n: total }, total);
  }

  function search() {
    var terms = words(input.value);
    var k = kind.value;
    var a = actor.value;
    var g = tag ? tag.value : "";
    syncUrl();
    if (terms.length === 0 && !k && !a && !g) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    load().then(function (ix) {
      if (!ix) return;
      var ai = a ? ix.actors[a] : -1;
      var gi = g ? ix.tags[g] : -1;
      var results = [];
      ix.docs.forEach(function (d, order) {
        if (k && d.k !== k) return;
        if (ai !== -1 && d.a.indexOf(ai) < 0) return;
        if (gi !== -1 && d.g.indexOf(gi) < 0) return;
        var s = terms.length ? score(d, terms) : 1;
        if (s > 0) results.push({ doc: d, score: s, order: order });
      });
      results.sort(function (x, y) { return y.score - x.score || x.order - y.order; });
      render(results.slice(0, LIMIT), terms, results.length);
    });
  }

  function syncUrl() {
    var params = new URLSearchParams();
    if (input.value) params.set("q", input.value);
    if (kind.value) params.set("kind", kind.value);
    if (actor.value) params.set("actor", actor.value);
    if (tag && tag.value) params.set("tag", tag.value);
    var qs = params.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  kind.value = params.get("kind") || "";
  actor.value = params.get("actor") || "";
  if (tag) tag.value = params.get("tag") || "";

  form.addEventListener("submit", function (e) { e.preventDefault(); search(); });
  input.addEventListener("input", search);
  input.addEventListener("focus", load, { once: true });
  [kind, actor, tag].forEach(function (el) { if (el) el.addEventListener("change", search); });
  if (params.toString()) search();
})();
