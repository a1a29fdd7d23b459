"""``GET /``: a small landing page listing projects and recent traces through the public API."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter()

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>assay</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
 h1 { margin-bottom: 0; } .muted { color: #777; } table { border-collapse: collapse; width: 100%; }
 td, th { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eee; }
 .error { color: #b00; } code { background: #f4f4f4; padding: 0 .2rem; }
</style>
</head>
<body>
<h1>assay</h1>
<p class="muted">Agent quality platform. The web UI comes later; this page uses the public API
(<a href="/openapi.json">/openapi.json</a>).</p>
<h2>Projects</h2>
<div id="projects"><p class="muted">Loading…</p></div>
<h2>Recent traces <span id="current" class="muted"></span></h2>
<div id="traces"></div>
<script>
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}
async function api(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error((await r.json()).error.message);
  return r.json();
}
function table(headers, rows) {
  const t = el("table"), head = t.insertRow();
  headers.forEach(h => head.appendChild(el("th", h)));
  for (const row of rows) {
    const tr = t.insertRow();
    for (const cell of row) {
      const td = tr.insertCell();
      if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell;
    }
  }
  return t;
}
async function showTraces(name) {
  document.getElementById("current").textContent = "in " + name;
  const box = document.getElementById("traces");
  const path = "/api/v1/projects/" + encodeURIComponent(name) + "/traces?limit=25";
  const page = await api(path);
  if (!page.items.length) { box.replaceChildren(el("p", "No traces yet.", "muted")); return; }
  box.replaceChildren(table(["start", "name", "status", "spans", "ms"], page.items.map(t => [
    t.start_time, t.name, el("span", t.status, t.status === "error" ? "error" : ""),
    t.span_count, t.duration_ms === null ? "" : t.duration_ms.toFixed(1),
  ])));
}
async function main() {
  const box = document.getElementById("projects");
  try {
    const projects = await api("/api/v1/projects");
    if (!projects.length) {
      box.replaceChildren(el("p", "No projects yet. Send spans with the SDK " +
        "(assay.init(project=...)) or any OTLP exporter to /v1/traces.", "muted"));
      return;
    }
    box.replaceChildren(table(["project", "traces", "spans", "errors"], projects.map(p => {
      const a = el("a", p.name);
      a.href = "#";
      a.onclick = e => { e.preventDefault(); showTraces(p.name); };
      return [a, p.trace_count, p.span_count, p.error_count];
    })));
    await showTraces(projects[0].name);
  } catch (e) {
    box.replaceChildren(el("p", String(e), "error"));
  }
}
main();
</script>
</body>
</html>
"""


@router.get("/", include_in_schema=False)
def landing() -> HTMLResponse:
    """The landing page."""
    return HTMLResponse(PAGE)
