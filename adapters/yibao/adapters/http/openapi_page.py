"""GET /openapi.json (the OpenAPI document, openapi.py) and /openapi, a page that browses it with no network beyond
the gateway: a small viewer written here, no CDN, so it works in a lab with no way out."""

from __future__ import annotations

import json
from typing import Any

from yibao.adapters.http.openapi import document

JSON = "application/json;charset=UTF-8"
HTML = "text/html;charset=UTF-8"


def page(path: str, environ: dict[str, Any]) -> tuple[int, str, bytes] | None:
    """(status, content type, body) for /openapi.json and /openapi; None for any other path."""
    if path == "/openapi.json":
        return 200, JSON, json.dumps(document(_base_url(environ)), ensure_ascii=False, indent=1).encode()
    if path in ("/openapi", "/openapi/"):
        return 200, HTML, VIEWER.encode()
    return None


def _base_url(environ: dict[str, Any]) -> str:
    """The address the document was asked of, so its server is the one the reader reached."""
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '127.0.0.1')}:{environ.get('SERVER_PORT', '80')}"
    return f"{scheme}://{host}"


VIEWER = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Yibao Gateway: national JSON interface</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;display:flex;height:100vh}
nav{width:24rem;overflow:auto;border-right:1px solid #ccc;padding:.5rem}
main{flex:1;overflow:auto;padding:0 1rem}
nav input{width:100%;box-sizing:border-box;padding:.3rem;margin-bottom:.5rem}
nav h3{margin:.8rem 0 .2rem;font-size:.85rem;color:#555}
nav a{display:block;padding:.1rem .3rem;color:#124;text-decoration:none;white-space:nowrap;overflow:hidden}
nav a:hover,nav a.on{background:#e8eef8}
code,.path{font-family:ui-monospace,monospace}
table{border-collapse:collapse;margin:.3rem 0}
td,th{border-bottom:1px solid #eee;padding:.15rem .5rem;vertical-align:top;text-align:left}
td.name{font-family:ui-monospace,monospace;white-space:nowrap}
td.type{color:#805;white-space:nowrap}
details{margin-left:1rem}
</style></head>
<body><nav><input id="q" placeholder="filter: infno, name, path" autofocus><div id="ops"></div></nav>
<main id="view"><h1>National JSON interface</h1><p>Loading <code>openapi.json</code>…</p></main>
<script>
"use strict";
let doc = null;
const el = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
};
const deref = s => {
  while (s && s.$ref) s = doc.components.schemas[s.$ref.split("/").pop()];
  return s || {};
};
const refName = s => (s && s.$ref ? s.$ref.split("/").pop() : "");
function typeOf(s) {
  if (s.$ref) return refName(s);
  if (s.oneOf) return s.oneOf.map(typeOf).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map(v => JSON.stringify(v)).join(" | ");
  const t = [].concat(s.type || "any");
  return t.map(x => (x === "array" ? (s.items ? typeOf(s.items) : "any") + "[]" : x)).join(" | ");
}
function objectsIn(s, seen) {
  const found = [];
  const walk = x => {
    if (!x) return;
    if (x.$ref) { if (!seen.has(refName(x))) found.push(refName(x)); return; }
    (x.oneOf || []).forEach(walk);
    if (x.items) walk(x.items);
  };
  walk(s);
  return found;
}
function fields(name, seen) {
  seen = new Set(seen); seen.add(name);
  const s = deref({$ref: "#/components/schemas/" + name});
  const props = Object.assign({}, ...(s.allOf || []).map(a => deref(a).properties || {}), s.properties || {});
  const box = el("div");
  if (s.description) box.append(el("p", {}, s.description));
  const table = el("table", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "type"), el("th", {}, "description")));
  const nested = [];
  for (const [k, v] of Object.entries(props)) {
    table.append(el("tr", {}, el("td", {class: "name"}, k), el("td", {class: "type"}, typeOf(v)),
                     el("td", {}, v.description || "")));
    for (const n of objectsIn(v, seen)) nested.push([k, n]);
  }
  box.append(table);
  for (const [k, n] of nested) {
    const d = el("details", {}, el("summary", {}, el("code", {}, k), " → " + n));
    d.addEventListener("toggle", () => { if (d.open && d.children.length === 1) d.append(fields(n, seen)); });
    box.append(d);
  }
  return box;
}
function show(path, op) {
  const view = document.getElementById("view");
  view.replaceChildren(el("h1", {}, op.summary), el("p", {}, op.description),
    el("p", {class: "path"}, "POST " + doc.servers[0].variables.base.default + path));
  const req = refName(op.requestBody.content["application/json"].schema);
  const rep = refName(op.responses["200"].content["application/json"].schema);
  if (req) view.append(el("h2", {}, "Request: " + req), fields(req, []));
  if (rep) view.append(el("h2", {}, "Reply: " + rep), fields(rep, []));
  document.querySelectorAll("nav a").forEach(a => a.classList.toggle("on", a.dataset.path === path));
}
function list() {
  const q = document.getElementById("q").value.trim().toLowerCase();
  const box = document.getElementById("ops");
  box.replaceChildren();
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    const op = item.post;
    if (q && !(op.summary + " " + path).toLowerCase().includes(q)) continue;
    (byTag[op.tags[0]] = byTag[op.tags[0]] || []).push([path, op]);
  }
  for (const [tag, ops] of Object.entries(byTag)) {
    box.append(el("h3", {}, tag));
    for (const [path, op] of ops) {
      const a = el("a", {href: "#" + path, "data-path": path, title: path}, op.summary + "  ", el("code", {}, path));
      a.addEventListener("click", () => show(path, op));
      box.append(a);
    }
  }
}
fetch("/openapi.json").then(r => r.json()).then(d => {
  doc = d;
  document.getElementById("q").addEventListener("input", list);
  list();
  const view = document.getElementById("view");
  view.replaceChildren(el("h1", {}, d.info.title), el("p", {}, d.info.description),
    el("p", {}, "OpenAPI document: ", el("a", {href: "/openapi.json"}, "openapi.json"),
       " (" + Object.keys(d.paths).length + " addresses). Pick a transaction on the left."));
  const start = decodeURIComponent(location.hash.slice(1));
  if (d.paths[start]) show(start, d.paths[start].post);
});
</script></body></html>
"""
