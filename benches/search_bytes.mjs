// What the in-browser search downloads and how long it takes, on a built
// site served gzipped (as a static host serves it): per query typed key by
// key, the bytes of the first keystroke that searches (the first query)
// and of each further keystroke, and the time from a keystroke to its
// results. Only the search index's files are counted (search/*.json); the
// search page itself (HTML, CSS, search.js) is reported apart.
//
//   cargo bench --bench build -- 10000 1        # writes target/bench/site-10000
//   target/release/dossier build --root target/bench/site-10000 -o /tmp/site-10000
//   node benches/search_bytes.mjs /tmp/site-10000 [--base /brief/] [--rtt 50] [--json]
//
// The server is this script's own (node:http), gzipping every response at
// zlib's default level 6, so a byte count is what a reader's browser
// receives from a host that gzips. With --rtt MS, Chromium is slowed to a
// round trip of MS milliseconds and 20 Mbit/s down (DevTools network
// emulation), so that times count the round trips a query waits for.
//
// Uses the browser tests' playwright-core (run tests/browser/run.sh once)
// and Chromium at /usr/bin/chromium (or CHROMIUM=/path).
import { createServer } from "node:http";
import { readFileSync, statSync } from "node:fs";
import { join, normalize, extname } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "../tests/browser/node_modules/playwright-core/index.mjs";

const args = process.argv.slice(2);
const flags = { "--base": "/brief/", "--rtt": "0" };
let dir = null;
let asJson = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] in flags) flags[args[i]] = args[++i];
  else if (args[i] === "--json") asJson = true;
  else dir = args[i];
}
if (!dir) {
  console.error("usage: node benches/search_bytes.mjs SITE-OUTPUT-DIR [--base /brief/] [--rtt MS] [--json]");
  process.exit(2);
}
const base = flags["--base"];
const rtt = Number(flags["--rtt"]);

// The server: files under `base`, gzipped, each response's size recorded.
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml" };
const gzipped = new Map();
let log = [];
const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (!url.pathname.startsWith(base)) {
    res.writeHead(404).end();
    return;
  }
  let path = normalize(join(dir, decodeURIComponent(url.pathname.slice(base.length))));
  try {
    if (statSync(path).isDirectory()) path = join(path, "index.html");
    let body = gzipped.get(path);
    if (!body) {
      body = gzipSync(readFileSync(path), { level: 6 });
      gzipped.set(path, body);
    }
    log.push({ path: url.pathname.slice(base.length), bytes: body.length, at: performance.now() });
    res.writeHead(200, { "content-type": TYPES[extname(path)] || "application/octet-stream", "content-encoding": "gzip", "cache-control": "no-store" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

const isIndex = (e) => e.path.startsWith("search/") && e.path.endsWith(".json");
const kb = (n) => (n / 1000).toFixed(1);

/** Opens the search page in a fresh browser (nothing cached). */
async function openSearch(query = "") {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (rtt > 0) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: rtt,
      downloadThroughput: (20 * 1000 * 1000) / 8,
      uploadThroughput: (5 * 1000 * 1000) / 8,
    });
  }
  let inflight = 0;
  page.on("request", () => inflight++);
  page.on("requestfinished", () => inflight--);
  page.on("requestfailed", () => inflight--);
  page.inflight = () => inflight;
  log = [];
  await page.goto(`${origin}${base}search/${query}`, { waitUntil: "load" });
  await settle(page);
  return { context, page };
}

/** Waits until no request has been in flight for 200 ms. */
async function settle(page) {
  let quiet = 0;
  while (quiet < 200) {
    await new Promise((ok) => setTimeout(ok, 20));
    quiet = page.inflight() === 0 ? quiet + 20 : 0;
  }
}

/**
 * Counts the changes a search makes to the page (its status line and its
 * results are rewritten, even when they read as before).
 */
async function watch(page) {
  await page.evaluate(() => {
    window.__changes = 0;
    // When the last keystroke or choice reached the page, and when the
    // page last showed an answer: times measured in the page, not by the
    // driver that sends the keys.
    const asked = () => (window.__asked = performance.now());
    document.addEventListener("input", asked, true);
    document.addEventListener("change", asked, true);
    const seen = new MutationObserver(() => {
      window.__changes++;
      if (document.getElementById("search-status").textContent !== "") window.__answered = performance.now();
    });
    for (const id of ["search-status", "search-results"]) seen.observe(document.getElementById(id), { childList: true });
  });
}

const took = (page) => page.evaluate(() => window.__answered - window.__asked);

const changes = (page) => page.evaluate(() => window.__changes);

/** Waits until the page shows a search's answer after `before` changes. */
function answered(page, before, timeout) {
  return page
    .waitForFunction(
      (before) => window.__changes > before && document.querySelector("#search-status").textContent !== "",
      before,
      { timeout, polling: 5 },
    )
    .then(() => true, () => false);
}

/**
 * Types `text` key by key into a fresh search page; per keystroke, the
 * index bytes it fetched and the time until its results showed.
 */
async function typed(text, { select = [] } = {}) {
  const { context, page } = await openSearch();
  const pageBytes = log.filter((e) => !isIndex(e)).reduce((s, e) => s + e.bytes, 0);
  const manifest = log.filter(isIndex).reduce((s, e) => s + e.bytes, 0);
  const steps = [];
  await watch(page);
  for (const [name, value] of select) {
    const before = await changes(page);
    log = [];
    await page.selectOption(`select[name=${name}]`, value);
    await answered(page, before, 120000);
    const ms = await took(page);
    await settle(page);
    steps.push({ key: `${name}=${value}`, bytes: log.filter(isIndex).reduce((s, e) => s + e.bytes, 0), files: log.filter(isIndex).length, ms });
  }
  for (let i = 0; i < text.length; i++) {
    const before = await changes(page);
    log = [];
    await page.locator("#search-q").press(text[i] === " " ? "Space" : text[i]);
    // A keystroke that gives no query words yet (a first letter) shows
    // nothing: it is given a second, or a minute if it fetches.
    let searches = await answered(page, before, 1000);
    if (!searches && log.some(isIndex)) searches = await answered(page, before, 60000);
    const ms = searches ? await took(page) : null;
    await settle(page);
    const got = log.filter(isIndex);
    steps.push({ key: text.slice(0, i + 1), bytes: got.reduce((s, e) => s + e.bytes, 0), files: got.length, ms });
  }
  const status = await page.locator("#search-status").textContent();
  await context.close();
  return { text, pageBytes, manifest, steps, status };
}

const scenarios = [
  ["alliance", {}],
  ["aida", {}],
  ["abenov", {}],
  ["synthetic event 42", {}],
  ["council", { select: [["kind", "analysis"]] }],
  ["", { select: [["actor", "actor-7"]] }],
  ["", { select: [["tag", "topic-3"]] }],
];
const results = [];
for (const [text, opts] of scenarios) results.push(await typed(text, opts));
await browser.close();
server.close();

if (asJson) {
  console.log(JSON.stringify({ rtt, results }, null, 2));
} else {
  // A Markdown table, as docs/performance.md shows it.
  const r0 = results[0];
  console.log(`search page (HTML, CSS, search.js): ${kb(r0.pageBytes)} kB gz; search/index.json: ${kb(r0.manifest)} kB gz${rtt ? `; round trip ${rtt} ms, 20 Mbit/s` : ""}`);
  console.log("| typed | first query | its download (kB gz, with the manifest) | its results in | each further keystroke: most (kB gz) | its results in (slowest) | whole query (kB gz) |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of results) {
    // The keystrokes that searched: a first letter alone does not.
    const searching = r.steps.filter((s) => s.ms !== null || s.bytes > 0);
    const [first, ...later] = searching;
    const most = later.reduce((m, s) => (s.bytes > m.bytes ? s : m), { bytes: 0, key: null });
    const slowest = later.reduce((m, s) => Math.max(m, s.ms ?? 0), 0);
    const total = r.steps.reduce((n, s) => n + s.bytes, 0);
    const typed = [...r.steps.filter((s) => s.key.includes("=")).map((s) => s.key), r.text && JSON.stringify(r.text)].filter(Boolean).join(", then ");
    console.log(
      `| ${typed} | ${first.key.includes("=") ? first.key : JSON.stringify(first.key)} | ${kb(r.manifest + first.bytes)} | ${first.ms?.toFixed(0)} ms | ` +
        `${later.length ? `${kb(most.bytes)}${most.key ? ` (${JSON.stringify(most.key)})` : ""}` : "–"} | ${later.length ? `${slowest.toFixed(0)} ms` : "–"} | ${kb(r.manifest + total)} |`,
    );
  }
}
