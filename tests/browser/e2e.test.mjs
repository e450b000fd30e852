// End-to-end tests of the example site in headless Chromium.
//
// The site is built with the release binary into a temporary folder and
// served under its subpath (/kazakhstan/, from site.toml's base_url) by a
// small static server, as a static host would serve it. Then Chromium,
// driven by playwright-core, checks what a reader does: search, the
// contents and footnote links, the layout at 375 and 1280 px, print,
// accessibility (axe-core), and every page's HTML (the Nu HTML checker).
//
// Run with `tests/browser/run.sh` (or `npm test` here once the site's
// dependencies are installed). CHROMIUM=/path overrides /usr/bin/chromium.

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, dirname, resolve, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const BASE = "/kazakhstan/";

let out;
let server;
let origin;
let browser;
/** Requests that left localhost, from every page of every test. */
const external = [];

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
};

/** Every file under `dir`, relative, with `/`. */
function walk(dir, prefix = "") {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const rel = prefix + name;
    return statSync(path).isDirectory() ? walk(path, rel + "/") : [rel];
  });
}

function serve(root) {
  return createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(BASE) || path.includes("..")) {
      res.writeHead(404).end("not under " + BASE);
      return;
    }
    path = path.slice(BASE.length);
    if (path === "" || path.endsWith("/")) path += "index.html";
    let file = join(root, path);
    let status = 200;
    if (!existsSync(file) || statSync(file).isDirectory()) {
      file = join(root, "404.html");
      status = 404;
    }
    res.writeHead(status, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
}

before(async () => {
  out = mkdtempSync(join(tmpdir(), "dossier-e2e-"));
  const bin = process.env.DOSSIER_BIN || join(repo, "target/release/dossier");
  execFileSync(bin, ["build", "--root", repo, "--output", out], { stdio: "inherit" });
  server = serve(out);
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
  assert.deepEqual(external, [], "the site made requests outside itself");
});

/** A new page at `width`, recording requests that leave the site. */
async function open(path, { width = 1280, height = 900, colorScheme = "light" } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith("data:")) external.push(u);
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // A missing file is reported by its URL (below), not by the console line.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== "document") errors.push(`${r.status()} ${r.url()}`);
  });
  const response = await page.goto(origin + BASE + path, { waitUntil: "load" });
  page.jsErrors = errors;
  page.status = response.status();
  return page;
}

/**
 * The search index read whole (search.js reads only parts of it): every
 * document's card, with the actors and tags it is filed under.
 */
function searchIndex(dir = "search/") {
  const read = (p) => JSON.parse(readFileSync(join(out, dir, p), "utf8"));
  const manifest = read("index.json");
  const total = manifest.docs[0] + manifest.docs[1] + manifest.docs[2];
  const docs = [];
  for (let n = 0; n * manifest.per < total; n++) {
    for (const card of read(`docs-${n}.json`)) docs.push({ ...card, actors: [], tags: [] });
  }
  for (const [, name] of manifest.shards) {
    for (const [word, postings] of read(`words-${name}.json`)) {
      let doc = 0;
      for (const p of postings) {
        doc += p >> 1;
        if (word.startsWith("!a:")) docs[doc].actors.push(word.slice(3));
        if (word.startsWith("!t:")) docs[doc].tags.push(word.slice(3));
      }
    }
  }
  return { ...manifest, docs };
}

/** The search files a page fetched, by path under the site. */
function searchFetches(page) {
  const fetched = [];
  page.on("request", (r) => {
    const u = r.url();
    if (u.startsWith(origin + BASE) && u.includes("/search/") && u.endsWith(".json")) fetched.push(u.slice((origin + BASE).length));
  });
  return fetched;
}

async function close(page) {
  assert.deepEqual(page.jsErrors, [], "no script errors");
  await page.context().close();
}

/** The main pages of each kind, for the checks that apply to every page. */
const PAGES = [
  "",
  "analyses/",
  "analyses/five-days-in-january/",
  "analyses/csto-first-deployment/",
  "analyses/end-of-dual-power/",
  "actors/",
  "actors/tokayev/",
  "actors/csto/",
  "actors/kazakhstan/",
  "sources/",
  "sources/ecfr-five-days/",
  "authors/",
  "authors/aigerim-sultanova/",
  "corrections/",
  "data/",
  "events/",
  "events/january-2022-unrest/",
  "timeline/",
  "tags/",
  "tags/russia/",
  "search/?q=csto",
  "no-such-page/",
  // The Russian edition.
  "ru/",
  "ru/analyses/",
  "ru/analyses/csto-first-deployment/",
  "ru/actors/tokayev/",
  "ru/events/csto-request/",
  "ru/timeline/",
  "ru/search/?q=одкб",
];

describe("search", () => {
  test("typing finds an actor, and results come as you type", async () => {
    const page = await open("search/");
    const input = page.getByLabel("Search analyses, actors and events");
    await input.pressSequentially("tokay", { delay: 20 });
    const first = page.locator(".search-result").first();
    await first.waitFor();
    // A name in the title ranks first; the actor is among the first results.
    const titles = await page.locator(".search-result-title").allTextContents();
    assert.ok(titles.includes("Kassym-Jomart Tokayev"), titles.join(" | "));
    assert.match(await page.locator("#search-status").textContent(), /\d+ results?/);
    // The query is kept in the address, so a search can be shared.
    assert.match(page.url(), /\?q=tokay$/);
    // Narrowing to actors leaves only actors.
    await page.selectOption("select[name=kind]", "actor");
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".search-result .kicker")].every((k) => k.textContent === "Actor"),
    );
    const kinds = await page.locator(".search-result .kicker").allTextContents();
    assert.deepEqual([...new Set(kinds)], ["Actor"]);
    await page.locator(".search-result-title a", { hasText: "Kassym-Jomart Tokayev" }).click();
    await page.waitForURL(/\/actors\/tokayev\/$/);
    await close(page);
  });

  test("filters by tag and by actor", async () => {
    const index = searchIndex();
    const tagged = index.docs.filter((d) => d.tags.includes("central-asia")).map((d) => d.t);
    assert.ok(tagged.length >= 2, "the example has analyses tagged central Asia");

    const page = await open("search/");
    await page.selectOption("select[name=tag]", "central-asia");
    await page.locator(".search-result").first().waitFor();
    const titles = await page.locator(".search-result-title").allTextContents();
    assert.deepEqual(titles.sort(), tagged.sort());
    assert.match(page.url(), /tag=central-asia/);

    // Tag and actor together: analyses tagged central Asia that concern the CSTO.
    await page.selectOption("select[name=actor]", "csto");
    const both = index.docs.filter((d) => d.tags.includes("central-asia") && d.actors.includes("csto")).map((d) => d.t);
    await page.waitForFunction(
      (n) => document.querySelectorAll(".search-result").length === n,
      both.length,
    );
    assert.deepEqual((await page.locator(".search-result-title").allTextContents()).sort(), both.sort());
    await close(page);
  });

  test("the search box on every page leads to results", async () => {
    const page = await open("actors/");
    await page.fill("#site-search-q", "Zhanaozen");
    await page.press("#site-search-q", "Enter");
    await page.waitForURL(/\/search\/\?q=Zhanaozen/);
    await page.locator(".search-result").first().waitFor();
    const titles = await page.locator(".search-result-title").allTextContents();
    assert.ok(titles.some((t) => t.includes("Zhanaozen")), titles.join(" | "));
    assert.equal(await page.inputValue("#search-q"), "Zhanaozen");
    await close(page);
  });

  test("an alias ranks an actor with its name", async () => {
    const page = await open("search/?q=knb");
    await page.locator(".search-result").first().waitFor();
    const first = await page.locator(".search-result-title").first().textContent();
    assert.equal(first, "National Security Committee");
    await close(page);
  });

  test("a query fetches the manifest, the shards holding its words and the cards it shows, each once", async () => {
    const index = searchIndex();
    // The shards that may hold words beginning with `prefix` (as search.js finds them).
    const shardsFor = (prefix) => {
      let i = 0;
      while (i + 1 < index.shards.length && index.shards[i + 1][0] <= prefix) i++;
      const out = [i];
      for (let j = i + 1; j < index.shards.length && index.shards[j][0].startsWith(prefix); j++) out.push(j);
      return out.map((k) => `search/words-${index.shards[k][1]}.json`);
    };
    const context = await browser.newContext();
    const page = await context.newPage();
    const fetched = searchFetches(page);
    await page.goto(origin + BASE + "search/");
    await page.locator("#search-q").pressSequentially("tokay", { delay: 30 });
    await page.locator(".search-result").first().waitFor();
    await page.waitForFunction(() => document.querySelector("#search-status").textContent !== "");
    assert.equal(fetched[0], "search/index.json");
    assert.equal(new Set(fetched).size, fetched.length, `fetched twice: ${fetched}`);
    const shards = fetched.filter((f) => f.startsWith("search/words-"));
    const allowed = new Set(shardsFor("to"));
    assert.ok(shards.length > 0 && shards.every((f) => allowed.has(f)), `${shards} beyond ${[...allowed]}`);
    // The results shown are in the files of cards fetched.
    const cards = fetched.filter((f) => f.startsWith("search/docs-"));
    assert.ok(cards.length >= 1 && cards.length <= 10, String(cards));
    await context.close();
  });

  test("more results come as the reader scrolls", async () => {
    const page = await open("search/?kind=actor");
    const actors = searchIndex().docs.filter((d) => d.k === "actor").length;
    assert.ok(actors > 20, "the example has more actors than two screens of results");
    await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 10);
    assert.match(await page.locator("#search-status").textContent(), new RegExp(`^${actors} results`));
    await page.locator(".search-result").last().scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 20);
    await page.locator(".search-result").last().scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => document.querySelectorAll(".search-result").length === n, Math.min(actors, 30));
    const kinds = await page.locator(".search-result .kicker").allTextContents();
    assert.deepEqual([...new Set(kinds)], ["Actor"]);
    await close(page);
  });

  test("a one-letter query waits for a second letter", async () => {
    const page = await open("search/");
    await page.locator("#search-q").pressSequentially("k", { delay: 20 });
    await page.waitForTimeout(300);
    assert.equal(await page.locator(".search-result").count(), 0);
    await page.locator("#search-q").pressSequentially("n", { delay: 20 });
    await page.locator(".search-result").first().waitFor();
    await close(page);
  });

  test("nothing found says so", async () => {
    const page = await open("search/?q=xylophone");
    await page.waitForFunction(() => document.querySelector("#search-status").textContent !== "");
    assert.equal(await page.locator("#search-status").textContent(), "Nothing found.");
    assert.equal(await page.locator(".search-result").count(), 0);
    await close(page);
  });
});

describe("languages", () => {
  test("the switcher leads to the same page in the other language", async () => {
    const page = await open("actors/tokayev/");
    await page.locator(".languages a", { hasText: "Русский" }).click();
    await page.waitForURL(/\/ru\/actors\/tokayev\/$/);
    assert.equal(await page.locator("html").getAttribute("lang"), "ru");
    assert.equal(await page.locator("h1").textContent(), "Касым-Жомарт Токаев");
    await page.locator(".languages a", { hasText: "English" }).click();
    await page.waitForURL(/\/kazakhstan\/actors\/tokayev\/$/);
    await close(page);
  });

  test("every hreflang alternate is a page of the site, and names this one back", async () => {
    const page = await open("");
    for (const path of PAGES.filter((p) => !p.includes("?") && p !== "no-such-page/")) {
      await page.goto(origin + BASE + path);
      const alternates = await page.locator("link[rel=alternate][hreflang]").evaluateAll((ls) =>
        ls.map((l) => [l.hreflang, l.href]),
      );
      const self = "https://example.org" + BASE + path;
      assert.ok(alternates.some(([, href]) => href === self), `${path} does not name itself among ${alternates}`);
      for (const [, href] of alternates) {
        const rel = href.slice(("https://example.org" + BASE).length);
        assert.ok(existsSync(join(out, rel, "index.html")), `${path}: alternate ${href} is missing`);
      }
    }
    await close(page);
  });

  test("the Russian search finds actors by their Russian names", async () => {
    const page = await open("ru/search/");
    await page.locator("#search-q").pressSequentially("Токаев", { delay: 20 });
    await page.locator(".search-result").first().waitFor();
    const titles = await page.locator(".search-result-title").allTextContents();
    assert.ok(titles.includes("Касым-Жомарт Токаев"), titles.join(" | "));
    assert.ok(titles.every((t) => t !== "Kassym-Jomart Tokayev"), titles.join(" | "));
    await close(page);
  });
});

describe("reading", () => {
  test("each contents link lands on its heading", async () => {
    const page = await open("analyses/five-days-in-january/", { height: 700 });
    const links = await page.locator("#toc a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(links.length >= 3, "a long analysis has contents");
    for (const href of links) {
      await page.locator(`#toc a[href="${href}"]`).click();
      await page.waitForFunction((h) => location.hash === h, href);
      const top = await page.locator(href).evaluate((el) => el.getBoundingClientRect().top);
      assert.ok(top >= 0 && top < 200, `${href} is at the top of the window (top = ${top})`);
      await page.evaluate(() => window.scrollTo(0, 0));
    }
    await close(page);
  });

  test("footnotes link both ways", async () => {
    const page = await open("analyses/csto-first-deployment/", { height: 700 });
    const ref = page.locator(".footnote-ref a").first();
    const target = await ref.getAttribute("href");
    await ref.click();
    await page.waitForFunction((h) => location.hash === h, target);
    const note = page.locator(target);
    const top = await note.evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 700, `the footnote is in view (top = ${top})`);
    const back = note.locator(".footnote-backref").first();
    const backTarget = await back.getAttribute("href");
    await back.click();
    await page.waitForFunction((h) => location.hash === h, backTarget);
    const refTop = await page.locator(backTarget).evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(refTop >= 0 && refTop < 700, `back at the reference (top = ${refTop})`);
    await close(page);
  });

  test("a figure loads under the subpath, with caption and credit", async () => {
    const page = await open("analyses/five-days-in-january/");
    const img = page.locator(".prose figure img").first();
    await img.scrollIntoViewIfNeeded();
    const loaded = await img.evaluate((el) => el.complete && el.naturalWidth > 0);
    assert.ok(loaded, "the image loads");
    assert.match(await img.getAttribute("src"), /^\/kazakhstan\//);
    assert.ok((await img.getAttribute("alt")).length > 20, "it has alt text");
    assert.ok(await page.locator(".prose figure figcaption .credit").isVisible());
    await close(page);
  });

  test("a disputed figure shows every sourced value", async () => {
    const page = await open("events/january-2022-unrest/");
    const disputed = page.locator("tr.disputed").first();
    assert.ok((await disputed.locator(".fact-value").count()) >= 2);
    await close(page);
  });
});

describe("layout", () => {
  for (const width of [320, 375, 1280]) {
    test(`no horizontal scroll at ${width} px`, async () => {
      for (const path of PAGES) {
        const page = await open(path, { width });
        const over = await page.evaluate(() => {
          const doc = document.documentElement;
          return doc.scrollWidth - doc.clientWidth;
        });
        assert.ok(over <= 0, `${path} scrolls sideways by ${over}px at ${width}px`);
        await close(page);
      }
    });
  }

  test("the 404 page is served with status 404", async () => {
    const page = await open("no-such-page/");
    assert.equal(page.status, 404);
    assert.equal(await page.locator("h1").textContent(), "Page not found");
    await close(page);
  });
});

describe("print", () => {
  test("an analysis prints as a brief: no navigation, link addresses shown", async () => {
    const page = await open("analyses/csto-first-deployment/");
    await page.emulateMedia({ media: "print" });
    for (const sel of [".masthead", ".site-footer", ".article-aside", ".toc", ".skip-link"]) {
      const shown = await page.locator(sel).evaluateAll((els) =>
        els.some((el) => getComputedStyle(el).display !== "none"),
      );
      assert.equal(shown, false, `${sel} is hidden in print`);
    }
    // An external link prints its address after it (in the text, or in
    // the list of sources it cites).
    const after = await page
      .locator('.prose a[href^="http"], .sources-cited a[href^="http"]')
      .first()
      .evaluate((a) => getComputedStyle(a, "::after").content);
    assert.match(after, /https?:\/\//);
    // Footnotes and the citation stay.
    assert.ok(await page.locator(".footnotes").isVisible());
    assert.ok(await page.locator("#cite-text").isVisible());
    await page.emulateMedia({ media: "screen" });
    assert.ok(await page.locator(".masthead").isVisible());
    await close(page);
  });
});

describe("open data", () => {
  test("the FollowTheMoney entities pass the published schema", () => {
    const python = process.env.FTM_PYTHON || "python3";
    const file = join(out, "data", "entities.ftm.json");
    const report = execFileSync(python, [join(repo, "tests/data/validate_ftm.py"), file], {
      encoding: "utf8",
    });
    assert.match(report, /^\d+ entities, 0 problems/);
  });

  test("the data files are linked from the data page and parse", async () => {
    const page = await open("data/");
    const links = await page.locator(".data-files dt a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.equal(links.length, 7);
    for (const href of links) {
      const res = await page.request.get(origin + href);
      assert.equal(res.status(), 200, href);
      const text = await res.text();
      if (href.endsWith(".json") && !href.endsWith(".ftm.json")) JSON.parse(text);
      if (href.endsWith(".ftm.json")) text.trim().split("\n").forEach((l) => JSON.parse(l));
      if (href.endsWith(".csv")) assert.match(text.split("\r\n")[0], /^"[a-z_]+"(,"[a-z_]+")*$/);
    }
    await close(page);
  });
});

describe("accessibility", () => {
  const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  for (const colorScheme of ["light", "dark"]) {
    test(`axe finds no serious violations (${colorScheme})`, async () => {
      const found = [];
      for (const path of PAGES) {
        const page = await open(path, { colorScheme });
        if (path.startsWith("search/")) await page.locator(".search-result").first().waitFor();
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(() =>
          window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
        );
        for (const v of result.violations) {
          if (v.impact === "serious" || v.impact === "critical") {
            found.push(`${path}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
          }
        }
        await close(page);
      }
      assert.deepEqual(found, []);
    });
  }

  test("the skip link is the first stop and moves focus to the content", async () => {
    const page = await open("analyses/five-days-in-january/");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement.className);
    assert.equal(focused, "skip-link");
    assert.ok(await page.locator(".skip-link").isVisible(), "visible when focused");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => location.hash === "#main");
    await close(page);
  });
});

describe("validity", () => {
  test("every page is valid HTML (Nu HTML checker)", () => {
    const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
    let report = "";
    try {
      execFileSync("java", ["-jar", jar, "--errors-only", "--skip-non-html", out], { stdio: "pipe" });
    } catch (e) {
      report = String(e.stderr || e.stdout || e.message);
    }
    assert.equal(report.replaceAll(`file:${out}/`, ""), "");
  });

  test("feeds, the sitemap and the search index parse", async () => {
    const files = walk(out).filter((f) => f.endsWith(".xml"));
    assert.ok(files.includes("feed.xml") && files.includes("sitemap.xml"));
    assert.ok(files.some((f) => f.startsWith("actors/") && f.endsWith("/feed.xml")));
    assert.ok(files.some((f) => f.startsWith("tags/") && f.endsWith("/feed.xml")));
    const page = await open("");
    for (const f of files) {
      const problem = await page.evaluate(async (url) => {
        const text = await (await fetch(url)).text();
        const doc = new DOMParser().parseFromString(text, "application/xml");
        const err = doc.querySelector("parsererror");
        return err ? err.textContent : null;
      }, origin + BASE + f);
      assert.equal(problem, null, `${f} does not parse`);
    }
    const sitemap = readFileSync(join(out, "sitemap.xml"), "utf8");
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    for (const loc of locs) {
      assert.ok(loc.startsWith("https://example.org/kazakhstan/"), loc);
      const path = loc.slice("https://example.org/kazakhstan/".length);
      assert.ok(existsSync(join(out, path, "index.html")), `sitemap lists a missing page: ${loc}`);
    }
    await close(page);
    assert.ok(searchIndex().docs.length > 0, "the search index parses");
    assert.ok(relative(out, join(out, "robots.txt")) === "robots.txt" && existsSync(join(out, "robots.txt")));
  });
});

// `SCREENSHOTS=1 tests/browser/run.sh` refreshes docs/screenshots/, which
// the README shows. Off by default: pictures are for people, not asserts.
describe("screenshots", { skip: !process.env.SCREENSHOTS }, () => {
  const shots = [
    ["home.png", "", {}],
    ["analysis.png", "analyses/five-days-in-january/", {}],
    ["event.png", "events/january-2022-unrest/", {}],
    ["actor.png", "actors/tokayev/", {}],
    ["timeline.png", "timeline/", {}],
    ["search.png", "search/?q=almaty&kind=event", {}],
    ["analysis-mobile.png", "analyses/csto-first-deployment/", { width: 375, height: 812 }],
    ["analysis-dark.png", "analyses/end-of-dual-power/", { colorScheme: "dark" }],
    ["author.png", "authors/aigerim-sultanova/", {}],
    ["network-dark.png", "actors/csto/", { colorScheme: "dark" }],
    ["data.png", "data/", {}],
    ["analysis-ru.png", "ru/analyses/csto-first-deployment/", {}],
  ];
  for (const [name, path, opts] of shots) {
    test(name, async () => {
      const page = await open(path, opts);
      if (path.startsWith("search/")) await page.locator(".search-result").first().waitFor();
      await page.screenshot({ path: join(repo, "docs/screenshots", name) });
      await close(page);
    });
  }
  test("print.pdf page 1", async () => {
    const page = await open("analyses/csto-first-deployment/");
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: join(repo, "docs/screenshots/print.png") });
    await close(page);
  });
});
