/**
 * Where the playground starts, read from its address, so any page can link into it:
 * `?prompt=NAME&version=N` (or `&label=production`, or neither for the latest),
 * `?trace=T&span=S` (an LLM span), `?new=1` (a blank template), `?agent=NAME`.
 */

export type PlaygroundStart =
  | { kind: "prompt"; name: string; version: number | null; label: string | null }
  | { kind: "span"; trace: string; span: string }
  | { kind: "new" }
  | { kind: "agent"; name: string }
  | { kind: "none" };

function positiveInt(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
}

/** The start a query string asks for; the first of prompt, span, agent, new that is complete. */
export function readStart(params: URLSearchParams): PlaygroundStart {
  const prompt = params.get("prompt")?.trim();
  if (prompt) {
    const version = positiveInt(params.get("version"));
    const label = version === null ? params.get("label")?.trim() || null : null;
    return { kind: "prompt", name: prompt, version, label };
  }
  const trace = params.get("trace")?.trim();
  const span = params.get("span")?.trim();
  if (trace && span) return { kind: "span", trace, span };
  const agent = params.get("agent")?.trim();
  if (agent) return { kind: "agent", name: agent };
  if (params.get("new") === "1") return { kind: "new" };
  return { kind: "none" };
}

/** The query string of a start (without `?`); empty for none. */
export function startSearch(start: PlaygroundStart): string {
  const params = new URLSearchParams();
  if (start.kind === "prompt") {
    params.set("prompt", start.name);
    if (start.version !== null) params.set("version", String(start.version));
    else if (start.label) params.set("label", start.label);
  } else if (start.kind === "span") {
    params.set("trace", start.trace);
    params.set("span", start.span);
  } else if (start.kind === "agent") {
    params.set("agent", start.name);
  } else if (start.kind === "new") {
    params.set("new", "1");
  }
  return params.toString();
}

/** A stable key of a start: the page loads its variants again when it changes. */
export function startKey(start: PlaygroundStart): string {
  return `${start.kind}:${startSearch(start)}`;
}

/** The playground of `project` opened at `start`, for links from other pages. */
export function playgroundHref(project: string, start: PlaygroundStart): string {
  const search = startSearch(start);
  const base = `/projects/${encodeURIComponent(project)}/playground`;
  return search ? `${base}?${search}` : base;
}
