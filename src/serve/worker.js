// dossier serve: one connection to the server for all the tabs of a site.
// Browsers allow six HTTP/1.1 connections per host; with one EventSource
// per page the seventh tab would hang. A shared worker holds a single one
// and passes each build's status to every page.
"use strict";
var ports = [];
var last = null;
var source = new EventSource("/__dossier/events");
source.addEventListener("build", function (e) {
  last = e.data;
  ports.forEach(function (p) { p.postMessage(last); });
});
onconnect = function (e) {
  var port = e.ports[0];
  ports.push(port);
  port.onmessage = function (m) {
    if (m.data === "bye") ports = ports.filter(function (p) { return p !== port; });
  };
  if (last !== null) port.postMessage(last);
  port.start();
};
