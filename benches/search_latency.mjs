// How long the in-browser search takes on a built site: from typing the
// first query (index download and parse included) to the first result, and
// for a second query once the index is loaded.
//
//   cargo bench --bench build -- 10000 1        # builds target/bench/site-10000
//   mkdir -p /tmp/www && ln -sfn "$PWD/target/bench/site-10000/public" /tmp/www/brief
//   python3 -m http.server -d /tmp/www 8098 &
//   node benches/search_latency.mjs http://localhost:8098/brief/search/
//
// Uses the browser tests' playwright-core (run tests/browser/run.sh once)
// and Chromium at /usr/bin/chromium (or CHROMIUM=/path).
import { chromium } from "../tests/browser/node_modules/playwright-core/index.mjs";

const url = process.argv[2];
if (!url) {
  console.error("usage: node benches/search_latency.mjs URL-of-the-search-page");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage();
await page.goto(url);
let t = Date.now();
await page.fill("#search-q", "alli");
await page.locator(".search-result").first().waitFor({ timeout: 60000 });
const first = Date.now() - t;
t = Date.now();
await page.fill("#search-q", "alliance summit");
await page.waitForFunction(() => location.search.includes("summit"));
await page.waitForFunction(() => document.querySelector("#search-status").textContent !== "");
const next = Date.now() - t;
console.log(`first query (index loaded): ${first} ms; next query: ${next} ms; ${await page.locator("#search-status").textContent()}`);
await browser.close();
