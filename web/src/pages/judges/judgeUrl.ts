/** The judge page's URL state (the version compared, the tab) and its links. */

export type VersionChoice = number | "all" | undefined;
export type JudgeTab = "agreement" | "disagreements" | "definition";

const TABS: JudgeTab[] = ["agreement", "disagreements", "definition"];

/** `?version=3` → 3, `?version=all` → "all", anything else → undefined (the latest). */
export function readVersion(params: URLSearchParams): VersionChoice {
  const raw = params.get("version");
  if (raw === "all") return "all";
  if (raw !== null && /^[1-9]\d{0,8}$/.test(raw)) return Number(raw);
  return undefined;
}

export function readTab(params: URLSearchParams): JudgeTab {
  const raw = params.get("tab");
  return TABS.includes(raw as JudgeTab) ? (raw as JudgeTab) : "agreement";
}

/** `params` with the version (undefined: the latest) or the tab changed. */
export function writeJudgeParams(
  params: URLSearchParams,
  change: { version?: VersionChoice | null; tab?: JudgeTab },
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (change.version !== undefined) {
    if (change.version === null) next.delete("version");
    else next.set("version", String(change.version));
  }
  if (change.tab !== undefined) {
    if (change.tab === "agreement") next.delete("tab");
    else next.set("tab", change.tab);
  }
  return next;
}

export function judgesPath(project: string): string {
  return `/projects/${encodeURIComponent(project)}/judges`;
}

export function judgePath(project: string, judge: string): string {
  return `${judgesPath(project)}/${encodeURIComponent(judge)}`;
}

/** The trace page, on the span when there is one. */
export function tracePath(project: string, traceId: string, spanId?: string | null): string {
  const base = `/projects/${encodeURIComponent(project)}/traces/${encodeURIComponent(traceId)}`;
  return spanId ? `${base}?span=${encodeURIComponent(spanId)}` : base;
}
