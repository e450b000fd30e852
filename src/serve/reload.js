// dossier serve: live reload, and the diagnostics of the last build over
// the page (errors over all of it, warnings in a corner). Injected into
// served pages only, never into `dossier build` output.
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

  var MONO = "font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;";
  var SANS = "font-family:system-ui,sans-serif;";
  var AMBER = "#f2c46b";

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // One diagnostic, as the terminal shows it.
  function block(d) {
    var pre = document.createElement("pre");
    pre.style.cssText = MONO + "white-space:pre;overflow-x:auto;margin:0 0 1rem;padding:1rem;border-radius:4px;" +
      "background:#2a2622;color:#f4f1ea;text-align:left;border-left:4px solid " + (d.severity === "error" ? "#ff6b6b" : AMBER);
    pre.textContent = d.text; // textContent: diagnostics are never parsed as HTML
    return pre;
  }

  // The warnings, collapsed under "3 warnings"; opening it is remembered
  // across reloads.
  function warningList(status, warnings, prefix) {
    var count = status.warnings || warnings.length;
    var details = document.createElement("details");
    details.open = sessionStorage.getItem("dossier-warnings-open") === "1";
    details.addEventListener("toggle", function () {
      sessionStorage.setItem("dossier-warnings-open", details.open ? "1" : "0");
    });
    var summary = document.createElement("summary");
    summary.style.cssText = SANS + "cursor:pointer;font-size:14px;font-weight:600;color:" + AMBER + ";padding:.1rem 0;white-space:nowrap;";
    summary.textContent = prefix + plural(count, "warning");
    details.appendChild(summary);
    var list = document.createElement("div");
    list.style.cssText = "margin-top:.75rem;";
    warnings.forEach(function (d) { list.appendChild(block(d)); });
    if (count > warnings.length) {
      var more = document.createElement("p");
      more.style.cssText = SANS + "font-size:13px;margin:0;color:#cfc9bd;";
      more.textContent = "… and " + (count - warnings.length) + " more (run `dossier check` to see them all)";
      list.appendChild(more);
    }
    details.appendChild(list);
    return details;
  }

  function hideButton(target, css) {
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssText = "font:600 12px system-ui,sans-serif;padding:.25rem .7rem;color:#f4f1ea;background:#3a3530;" +
      "border:1px solid #6b645b;border-radius:4px;cursor:pointer;" + css;
    close.onclick = function () { target.remove(); };
    return close;
  }

  // Errors: the whole page, since what is shown is no longer what was
  // written. Warnings only: a small panel in a corner that leaves the page
  // usable. Nothing: neither.
  function overlay(status) {
    ["dossier-overlay", "dossier-warnings"].forEach(function (id) {
      var old = document.getElementById(id);
      if (old) old.remove();
    });
    var list = status.diagnostics || [];
    var errors = list.filter(function (d) { return d.severity === "error"; });
    var warnings = list.filter(function (d) { return d.severity !== "error"; });
    var root = document.body || document.documentElement;
    if (!status.ok) {
      var box = document.createElement("div");
      box.id = "dossier-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#1b1917;" +
        "color:#f4f1ea;" + MONO + "padding:2rem;";
      var title = document.createElement("h2");
      title.style.cssText = "font:600 18px/1.3 system-ui,sans-serif;margin:0 0 .4rem;color:#ff8f8f";
      title.textContent = "dossier: the last build failed (" + status.summary + ")";
      var note = document.createElement("p");
      note.style.cssText = "font:14px/1.4 system-ui,sans-serif;margin:0 0 1.2rem;color:#cfc9bd";
      note.textContent = "The page below is from the last good build. Fix the problems and this will go away by itself.";
      box.appendChild(title);
      box.appendChild(note);
      errors.forEach(function (d) { box.appendChild(block(d)); });
      if (warnings.length) box.appendChild(warningList(status, warnings, ""));
      box.appendChild(hideButton(box, "position:fixed;top:1rem;right:1rem;"));
      root.appendChild(box);
    } else if (warnings.length) {
      var panel = document.createElement("div");
      panel.id = "dossier-warnings";
      panel.setAttribute("role", "status");
      panel.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:2147483647;box-sizing:border-box;" +
        "max-width:min(52rem,calc(100vw - 2rem));max-height:70vh;overflow:auto;padding:.6rem .9rem;" +
        "background:#1b1917;color:#f4f1ea;border:1px solid " + AMBER + ";border-radius:6px;" +
        "box-shadow:0 4px 18px rgba(0,0,0,.35);" + SANS + "font-size:14px;line-height:1.4;text-align:left;";
      panel.appendChild(hideButton(panel, "float:right;margin-left:1rem;"));
      panel.appendChild(warningList(status, warnings, "dossier: "));
      root.appendChild(panel);
    }
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
