// dossier serve: live reload and the error overlay. Injected into served
// pages only, never into `dossier build` output.
(function () {
  "use strict";
  var script = document.currentScript;
  var shown = script ? script.getAttribute("data-build") : null;
  var key = "dossier-scroll:" + location.pathname;
  var source = null;

  // Keep the reader's place across a reload.
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, parseInt(saved, 10) || 0); };
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
  }

  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }

  function overlay(status) {
    var old = document.getElementById("dossier-overlay");
    if (old) old.remove();
    if (status.ok) return;
    var box = document.createElement("div");
    box.id = "dossier-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#1b1917;" +
      "color:#f4f1ea;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;";
    var title = document.createElement("h2");
    title.style.cssText = "font:600 18px/1.3 system-ui,sans-serif;margin:0 0 .4rem;color:#ff8f8f";
    title.textContent = "dossier: the last build failed (" + status.summary + ")";
    var note = document.createElement("p");
    note.style.cssText = "font:14px/1.4 system-ui,sans-serif;margin:0 0 1.2rem;color:#cfc9bd";
    note.textContent = "The page below is from the last good build. Fix the problems and this will go away by itself.";
    box.appendChild(title);
    box.appendChild(note);
    status.diagnostics.forEach(function (d) {
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre;overflow-x:auto;margin:0 0 1rem;padding:1rem;border-radius:4px;background:#2a2622;" +
        "border-left:4px solid " + (d.severity === "error" ? "#ff6b6b" : "#f2c46b");
      pre.textContent = d.text; // textContent: diagnostics are never parsed as HTML
      box.appendChild(pre);
    });
    var close = document.createElement("button");
    close.textContent = "Hide";
    close.style.cssText = "position:fixed;top:1rem;right:1rem;font:600 13px system-ui,sans-serif;padding:.35rem .9rem;" +
      "color:#f4f1ea;background:#3a3530;border:1px solid #6b645b;border-radius:4px;cursor:pointer";
    close.onclick = function () { box.remove(); };
    box.appendChild(close);
    (document.body || document.documentElement).appendChild(box);
  }

  function onStatus(data) {
    var status = JSON.parse(data);
    if (status.ok) {
      if (status.build !== shown) reload(); else overlay(status);
    } else {
      overlay(status);
    }
  }

  // Preferred: one connection shared by every tab (see worker.js).
  if (window.SharedWorker) {
    try {
      var worker = new SharedWorker("/__dossier/worker.js");
      worker.port.onmessage = function (e) { onStatus(e.data); };
      worker.port.start();
      window.addEventListener("pagehide", function () { worker.port.postMessage("bye"); });
      return;
    } catch (e) { /* fall back to a connection per page */ }
  }

  // Fallback: a connection per visible page; hidden pages let go of theirs.
  function connect() {
    if (source || document.hidden) return;
    source = new EventSource("/__dossier/events");
    source.addEventListener("build", function (e) { onStatus(e.data); });
    // EventSource reconnects by itself after an error (a server restart:
    // its new build id then triggers a reload).
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      if (source) { source.close(); source = null; }
    } else {
      connect();
    }
  });
  connect();
})();
