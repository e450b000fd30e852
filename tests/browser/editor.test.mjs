// Editors that know the format: the JSON Schemas `dossier schema` writes.
//
// 1. The YAML language server (the npm package `yaml-language-server`, what
//    VS Code's YAML extension, Zed, Neovim and Helix run), driven headless
//    over stdio as an editor drives it, in a site fresh from `dossier init`
//    with the `.vscode/settings.json` init wrote: a misspelt key in a fact
//    sheet is reported on its line before any build, and completion offers
//    the allowed keys, the kinds and the site's ids.
// 2. The schemas accept what a build accepts: every file of the example
//    site and of every diagnostic fixture that builds validates (Ajv, JSON
//    Schema draft 7, what editors read), and each fixture whose error is an unknown key or
//    value does not.
//
// Run by `tests/browser/run.sh` after the release build.

import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import Ajv from "ajv";
import YAML from "yaml";
import { parse as parseToml } from "smol-toml";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const dossier = join(repo, "target/release/dossier");

/** A minimal LSP client over a child's stdio. */
class Lsp {
  constructor(root) {
    const server = require.resolve("yaml-language-server/bin/yaml-language-server");
    this.child = spawn(process.execPath, [server, "--stdio"], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
    this.buffer = Buffer.alloc(0);
    this.nextId = 1;
    this.pending = new Map();
    this.diagnostics = new Map();
    this.waiters = [];
    this.settings = {};
    this.child.stdout.on("data", (chunk) => this.receive(chunk));
  }

  receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString());
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.handle(message);
    }
  }

  handle(m) {
    if (m.id !== undefined && m.method === undefined) {
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    } else if (m.method === "textDocument/publishDiagnostics") {
      this.diagnostics.set(m.params.uri, m.params.diagnostics);
      this.waiters.forEach((w) => w());
    } else if (m.method === "workspace/configuration") {
      // The server asks for its settings section by section, as VS Code answers.
      const result = m.params.items.map((item) => this.settings[item.section] ?? null);
      this.send({ jsonrpc: "2.0", id: m.id, result });
    } else if (m.id !== undefined) {
      // Any other request from the server (registrations): accept it.
      this.send({ jsonrpc: "2.0", id: m.id, result: null });
    }
  }

  send(message) {
    const body = JSON.stringify(message);
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out`)), 20000);
      this.pending.set(id, (m) => {
        clearTimeout(timer);
        m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result);
      });
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  notify(method, params) {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** Waits until `uri` has diagnostics that satisfy `ok`. */
  diagnosticsFor(uri, ok) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no such diagnostics for ${uri}: ${JSON.stringify(this.diagnostics.get(uri))}`)),
        20000,
      );
      const check = () => {
        const d = this.diagnostics.get(uri);
        if (d && ok(d)) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(d);
        }
      };
      this.waiters.push(check);
      check();
    });
  }

  stop() {
    this.child.kill();
  }
}

describe("the YAML language server in a new site", () => {
  let site;
  let lsp;
  let version = 0;

  const open = (rel, text) => {
    const path = join(site, rel);
    writeFileSync(path, text);
    const uri = pathToFileURL(path).href;
    lsp.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: ++version, text } });
    return uri;
  };

  before(async () => {
    site = join(mkdtempSync(join(tmpdir(), "dossier-editor-")), "site");
    execFileSync(dossier, ["init", site]);
    lsp = new Lsp(site);
    const rootUri = pathToFileURL(site).href;
    await lsp.request("initialize", {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: "site" }],
      capabilities: {
        textDocument: { completion: { completionItem: { snippetSupport: false } }, publishDiagnostics: {} },
        workspace: { configuration: true },
      },
    });
    lsp.notify("initialized", {});
    // What VS Code sends from the settings file `dossier init` wrote.
    const settings = JSON.parse(readFileSync(join(site, ".vscode/settings.json"), "utf8"));
    lsp.settings = {
      yaml: { schemas: settings["yaml.schemas"], validate: true, completion: true, hover: true },
    };
    lsp.notify("workspace/didChangeConfiguration", { settings: lsp.settings });
  });

  after(() => {
    lsp?.stop();
    rmSync(dirname(site), { recursive: true, force: true });
  });

  test("a misspelt key in a fact sheet is reported on its line", async () => {
    const uri = open("content/actors/tokayev.yaml", "name: Kassym-Jomart Tokayev\nkind: person\nrole: President\nsumary: A diplomat.\n");
    const diagnostics = await lsp.diagnosticsFor(uri, (d) => d.length > 0);
    const misspelt = diagnostics.find((d) => /sumary/.test(d.message));
    assert.ok(misspelt, JSON.stringify(diagnostics));
    assert.equal(misspelt.range.start.line, 3);
    assert.match(misspelt.message, /not allowed/);
  });

  test("a kind that is no kind, and a missing name, are reported", async () => {
    const uri = open("content/actors/csto.yaml", "kind: alliance\n");
    const diagnostics = await lsp.diagnosticsFor(uri, (d) => d.length >= 2);
    const messages = diagnostics.map((d) => d.message).join(" | ");
    assert.match(messages, /person, organisation, state, group, place|Value is not accepted/);
    assert.match(messages, /name/);
  });

  test("completion offers the allowed keys, with what each means", async () => {
    const uri = open("content/actors/nazarbayev.yaml", "name: Nursultan Nazarbayev\nkind: person\n\n");
    const result = await lsp.request("textDocument/completion", { textDocument: { uri }, position: { line: 2, character: 0 } });
    const items = Array.isArray(result) ? result : result.items;
    const labels = items.map((i) => i.label);
    for (const key of ["role", "summary", "relations", "country", "facts", "wikidata"]) {
      assert.ok(labels.includes(key), `${key} not among ${labels}`);
    }
    assert.ok(!labels.includes("title"), "an event's key offered for an actor");
    const relations = items.find((i) => i.label === "relations");
    const doc = typeof relations.documentation === "string" ? relations.documentation : relations.documentation?.value ?? "";
    assert.match(doc + (relations.detail ?? ""), /typed and dated/);
  });

  test("completion works inside a relation: its keys and the site's types", async () => {
    const uri = open("content/actors/massimov.yaml", "name: Karim Massimov\nkind: person\nrelations:\n  - type: \n    \n");
    const types = await lsp.request("textDocument/completion", { textDocument: { uri }, position: { line: 3, character: 10 } });
    const typeLabels = (Array.isArray(types) ? types : types.items).map((i) => i.label);
    for (const t of ["leads", "member_of", "part_of", "succeeded"]) assert.ok(typeLabels.includes(t), typeLabels.join(", "));
    const keys = await lsp.request("textDocument/completion", { textDocument: { uri }, position: { line: 4, character: 4 } });
    const keyLabels = (Array.isArray(keys) ? keys : keys.items).map((i) => i.label);
    for (const k of ["actor", "role", "from", "until", "source", "note"]) assert.ok(keyLabels.includes(k), keyLabels.join(", "));
  });

  test("completion offers the kinds, and the site's ids", async () => {
    const uri = open("content/actors/akorda.yaml", "name: Akorda\nkind: \ncountry: \n");
    const kinds = await lsp.request("textDocument/completion", { textDocument: { uri }, position: { line: 1, character: 6 } });
    const kindLabels = (Array.isArray(kinds) ? kinds : kinds.items).map((i) => i.label);
    assert.deepEqual(kindLabels.sort(), ["group", "organisation", "person", "place", "state"]);
    const ids = await lsp.request("textDocument/completion", { textDocument: { uri }, position: { line: 2, character: 9 } });
    const idLabels = (Array.isArray(ids) ? ids : ids.items).map((i) => i.label);
    // `dossier init` wrote example-actor.yaml, and the schemas list it.
    assert.ok(idLabels.includes("example-actor"), idLabels.join(", "));
  });

  test("a translation is held to the text-only schema, not the original's", async () => {
    const uri = open("content/actors/example-actor.ru.yaml", "name: Пример\nkind: person\n");
    const diagnostics = await lsp.diagnosticsFor(uri, (d) => d.length > 0);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0].range.start.line, 1);
    assert.match(diagnostics[0].message, /kind/);
  });
});

/** Every file under `dir`, relative. */
function walk(dir, prefix = "") {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const rel = prefix + name;
    return statSync(path).isDirectory() ? walk(path, rel + "/") : [rel];
  });
}

/** The files of a site a schema covers, each with the schema for it and its parsed data. */
function siteFiles(root) {
  const files = [];
  if (existsSync(join(root, "site.toml"))) {
    let data;
    try {
      data = parseToml(readFileSync(join(root, "site.toml"), "utf8"));
    } catch {
      data = undefined; // not TOML: the build's error, not the schema's
    }
    if (data !== undefined) files.push({ rel: "site.toml", schema: "site.json", data });
  }
  for (const rel of walk(join(root, "content")).map((f) => "content/" + f)) {
    const [, dir] = rel.split("/");
    const name = rel.split("/").pop();
    const translated = name.split(".").length > 2;
    const kinds = { actors: "actor", events: "event", sources: "source", authors: "author" };
    let schema;
    let text = readFileSync(join(root, rel), "utf8");
    if (dir === "analyses" && name.endsWith(".md")) {
      schema = translated ? "translation.json" : "analysis.json";
      const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
      if (!m) continue;
      text = m[1];
    } else if (kinds[dir] && /\.ya?ml$/.test(name)) {
      schema = `${kinds[dir]}${translated ? "-text" : ""}.json`;
    } else {
      continue;
    }
    let data;
    try {
      const doc = YAML.parseDocument(text, { version: "1.2", schema: "core", uniqueKeys: false });
      if (doc.errors.length) continue;
      data = doc.toJS();
    } catch {
      continue;
    }
    if (data === null || typeof data !== "object") continue;
    files.push({ rel, schema, data });
  }
  return files;
}

/** Validates a site's files against the schemas `dossier schema` writes for it; returns the failures. */
function validate(root) {
  const dir = mkdtempSync(join(tmpdir(), "dossier-schemas-"));
  try {
    execFileSync(dossier, ["schema", dir, "--root", root], { stdio: "pipe" });
    const ajv = new Ajv({ allErrors: true, strict: false });
    const compiled = {};
    const failures = [];
    for (const f of siteFiles(root)) {
      compiled[f.schema] ??= ajv.compile(JSON.parse(readFileSync(join(dir, f.schema), "utf8")));
      if (!compiled[f.schema](f.data)) {
        failures.push({ file: f.rel, errors: ajv.errorsText(compiled[f.schema].errors) });
      }
    }
    return failures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the schemas accept what a build accepts", () => {
  test("every file of the example site validates", () => {
    assert.ok(siteFiles(repo).length > 60, "the example's files are found");
    assert.deepEqual(validate(repo), []);
  });

  const fixtures = join(repo, "tests/fixtures/diagnostics");
  const cases = readdirSync(fixtures).filter((c) => existsSync(join(fixtures, c, "site.toml")));

  test("every file of every fixture that the build does not fault validates", () => {
    const wrong = [];
    let checked = 0;
    for (const c of cases) {
      const expected = readFileSync(join(fixtures, c, "expected.txt"), "utf8");
      const faulted = new Set([...expected.matchAll(/^error: ([^:\n]+)/gm)].map((m) => m[1]));
      for (const f of validate(join(fixtures, c))) {
        if (!faulted.has(f.file)) wrong.push(`${c}: ${f.file}: ${f.errors}`);
      }
      checked += siteFiles(join(fixtures, c)).filter((f) => !faulted.has(f.rel)).length;
    }
    assert.ok(checked >= 100, `only ${checked} files checked`);
    assert.deepEqual(wrong, []);
  });

  test("each fixture with an unknown key, kind or type fails on that file", () => {
    const unknown = cases.filter((c) =>
      /unknown-key|unknown-kind|unknown-type|unknown-check|key-in-/.test(c) && !c.startsWith("i18n"),
    );
    assert.ok(unknown.length >= 10, unknown.join(", "));
    const missed = [];
    for (const c of unknown) {
      const expected = readFileSync(join(fixtures, c, "expected.txt"), "utf8");
      const file = /^error: ([^:]+):\d+:\d+: /m.exec(expected)?.[1];
      assert.ok(file, `${c} has no located error`);
      const failures = validate(join(fixtures, c)).map((f) => f.file);
      if (!failures.includes(file)) missed.push(`${c}: ${file} validates`);
    }
    assert.deepEqual(missed, []);
  });
});
