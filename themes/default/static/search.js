// dossier search: searches the index `dossier build` writes under search/
// in the browser, fetching only what a query needs. The manifest
// (search/index.json) gives the first word of every shard of the word
// index; a query word fetches the shards holding the words it begins, a
// filter the shard holding its actor or tag, and the results shown fetch
// the files holding what they show (search/docs-<n>.json). Every file is
// fetched once. Every query word must begin a word of a document; a match
// in the title or a name ranks first. Results are built with textContent,
// never innerHTML. Its words come from the form's data-t-* attributes (the
// theme's texts in the page's language), English when a theme leaves them
// out. The format is described in docs/format.md ("The search index").
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
  // Results listed at most, and how many are shown before the reader
  // scrolls to the end of the list (each needs its file of documents).
  var LIMIT = 50;
  var PAGE = 10;
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

  // Scripts written without spaces between words (Chinese, Japanese kana,
  // Thai, Lao, Khmer, Myanmar): each character is a word of its own, as in
  // the index (src/text.rs, search_terms).
  var UNSPACED = /([\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])/u;

  // The words of a query, as the index has them (lowercased, split where
  // Rust's char::is_alphanumeric says). A word of one letter is left out,
  // as the index leaves it out, unless it is a word of an unspaced script:
  // as a prefix it would match a good part of the index.
  function words(text) {
    var out = [];
    text.toLowerCase().split(/[^\p{Alphabetic}\p{N}]+/u).forEach(function (w) {
      w.split(UNSPACED).forEach(function (part) {
        if (part.length === 0) return;
        if (Array.from(part).length > 1 || UNSPACED.test(part)) out.push(part);
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

  // Each file once: a promise per URL, forgotten if it fails.
  var files = {};
  function file(url) {
    if (!files[url]) {
      files[url] = fetchJson(url).catch(function (e) {
        delete files[url];
        throw e;
      });
    }
    return files[url];
  }

  var manifest = null;
  function loadManifest() {
    return file(form.dataset.index).then(function (m) {
      manifest = m;
      m.total = m.docs[0] + m.docs[1] + m.docs[2];
      return m;
    });
  }

  // The shards that hold the words beginning with `prefix`: from the last
  // whose first word is not after it, on while first words begin with it.
  function shardsFor(m, prefix) {
    var lo = 0, hi = m.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.shards[mid][0] <= prefix) lo = mid;
      else hi = mid - 1;
    }
    var out = [lo];
    for (var j = lo + 1; j < m.shards.length && m.shards[j][0].startsWith(prefix); j++) out.push(j);
    return out;
  }

  function shard(m, i) {
    return file(m.base + "words-" + m.shards[i][1] + ".json");
  }

  // The entries `[word, postings]` of these shards whose word begins with
  // `prefix` (exactly `prefix`, if `exact`).
  function entries(shards, prefix, exact) {
    var out = [];
    shards.forEach(function (s) {
      var lo = 0, hi = s.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (s[mid][0] < prefix) lo = mid + 1;
        else hi = mid;
      }
      for (var k = lo; k < s.length && (exact ? s[k][0] === prefix : s[k][0].startsWith(prefix)); k++) out.push(s[k]);
    });
    return out;
  }

  // An entry's postings as `document << 1 | in title`, decoded once.
  function postings(entry) {
    if (!entry.p) {
      var deltas = entry[1];
      var out = new Int32Array(deltas.length);
      var doc = 0;
      for (var i = 0; i < deltas.length; i++) {
        doc += deltas[i] >> 1;
        out[i] = (doc << 1) | (deltas[i] & 1);
      }
      entry.p = out;
    }
    return entry.p;
  }

  // Per document, the score of one query word: 20 if it is a word of the
  // title or a name, 12 if it begins one, 1 if it begins another word;
  // 0 if it matches nothing.
  function scores(m, shards, term) {
    var best = new Uint8Array(m.total);
    entries(shards, term, false).forEach(function (e) {
      var exact = e[0] === term;
      var p = postings(e);
      for (var i = 0; i < p.length; i++) {
        var s = p[i] & 1 ? (exact ? 20 : 12) : 1;
        var d = p[i] >> 1;
        if (s > best[d]) best[d] = s;
      }
    });
    return best;
  }

  // The documents filed under a facet (an actor's or a tag's).
  function facet(m, shards, key) {
    var mask = new Uint8Array(m.total);
    entries(shards, key, true).forEach(function (e) {
      var p = postings(e);
      for (var i = 0; i < p.length; i++) mask[p[i] >> 1] = 1;
    });
    return mask;
  }

  // The cards of documents `ids` (fetching the files that hold them).
  function cards(m, ids) {
    var needed = {};
    ids.forEach(function (d) { needed[Math.floor(d / m.per)] = true; });
    var names = Object.keys(needed);
    return Promise.all(names.map(function (n) { return file(m.base + "docs-" + n + ".json"); })).then(function (got) {
      var byFile = {};
      names.forEach(function (n, i) { byFile[n] = got[i]; });
      return ids.map(function (d) { return byFile[Math.floor(d / m.per)][d % m.per]; });
    });
  }

  function highlight(el, text, terms) {
    // Marks the query words at the start of title words.
    var lower = text.toLowerCase();
    var marks = [];
    terms.forEach(function (t) {
      var re = new RegExp("(^|[^\\p{Alphabetic}\\p{N}])(" + t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gu");
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

  function item(d, terms) {
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
    return li;
  }

  function sayCount(total, listed) {
    if (total === 0) status.textContent = say("nothing", "Nothing found.", {});
    else if (total > listed) status.textContent = say("shown", "{n} results; the first {shown} are shown.", { n: total, shown: listed }, total);
    else status.textContent = say("results", total === 1 ? "1 result" : "{n} results", { n: total }, total);
  }

  // The query being answered: an answer to an older one is dropped.
  var current = 0;
  // The ranked documents of the current query, and how many are shown.
  var ranked = [];
  var shown = 0;
  var terms = [];
  var showing = null;

  function fail(e) {
    status.textContent = say("failed", "The search index could not be loaded ({error}).", { error: e.message });
  }

  // Shows the next results, up to `upto`, once their cards are here.
  function showMore(query, upto) {
    if (showing || upto <= shown) return;
    var ids = ranked.slice(shown, Math.min(upto, ranked.length, LIMIT));
    if (ids.length === 0) return;
    showing = cards(manifest, ids).then(function (docs) {
      showing = null;
      if (query !== current) return;
      docs.forEach(function (d) { if (d) list.appendChild(item(d, terms)); });
      shown += ids.length;
      watchEnd();
    }, function (e) {
      showing = null;
      if (query === current) fail(e);
    });
  }

  // More results are shown when the end of the list comes into view.
  var observer = window.IntersectionObserver
    ? new IntersectionObserver(function (seen) {
        if (seen.some(function (s) { return s.isIntersecting; })) showMore(current, shown + PAGE);
      })
    : null;
  function watchEnd() {
    if (!observer) return;
    observer.disconnect();
    if (shown < Math.min(ranked.length, LIMIT) && list.lastElementChild) observer.observe(list.lastElementChild);
  }

  function search() {
    var query = ++current;
    var q = words(input.value);
    var k = kind.value;
    var a = actor.value;
    var g = tag ? tag.value : "";
    syncUrl();
    if (q.length === 0 && !k && !a && !g) {
      list.textContent = "";
      status.textContent = "";
      ranked = [];
      shown = 0;
      return;
    }
    loadManifest()
      .then(function (m) {
        // Every shard the query needs, fetched together.
        var needs = q.map(function (w) { return shardsFor(m, w); });
        var facets = [];
        if (a) facets.push("!a:" + a);
        if (g) facets.push("!t:" + g);
        var facetNeeds = facets.map(function (f) { return shardsFor(m, f); });
        var load = function (is) { return Promise.all(is.map(function (i) { return shard(m, i); })); };
        return Promise.all([Promise.all(needs.map(load)), Promise.all(facetNeeds.map(load))]).then(function (got) {
          if (query !== current) return;
          var per = got[0].map(function (shards, i) { return scores(m, shards, q[i]); });
          var masks = got[1].map(function (shards, i) { return facet(m, shards, facets[i]); });
          var from = 0, to = m.total;
          if (k === "analysis") to = m.docs[0];
          else if (k === "actor") { from = m.docs[0]; to = from + m.docs[1]; }
          else if (k === "event") from = m.docs[0] + m.docs[1];
          var results = [];
          for (var d = from; d < to; d++) {
            var total = 0;
            for (var i = 0; i < per.length && total >= 0; i++) total = per[i][d] ? total + per[i][d] : -1;
            for (var j = 0; j < masks.length && total >= 0; j++) if (!masks[j][d]) total = -1;
            if (total >= 0) results.push([d, total]);
          }
          results.sort(function (x, y) { return y[1] - x[1] || x[0] - y[0]; });
          ranked = results.map(function (r) { return r[0]; });
          terms = q;
          shown = 0;
          var first = ranked.slice(0, PAGE);
          return cards(m, first).then(function (docs) {
            if (query !== current) return;
            list.textContent = "";
            docs.forEach(function (d) { if (d) list.appendChild(item(d, terms)); });
            shown = first.length;
            sayCount(ranked.length, Math.min(ranked.length, LIMIT));
            watchEnd();
          });
        });
      })
      .catch(function (e) {
        if (query === current) fail(e);
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
  [kind, actor, tag].forEach(function (el) { if (el) el.addEventListener("change", search); });
  // The manifest is small: fetched at once, so that the first query waits
  // only for its shards.
  loadManifest().catch(fail);
  if (params.toString()) search();
})();
