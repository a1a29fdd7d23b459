/** The prompt page's URL state: the selected version, the tab, and the two versions compared. */

export type PromptTab = "versions" | "history" | "diff";

const TABS: PromptTab[] = ["versions", "history", "diff"];

export interface PromptUrlState {
  tab: PromptTab;
  /** The selected version; undefined means the latest. */
  version: number | undefined;
  from: number | undefined;
  to: number | undefined;
}

function readNumber(params: URLSearchParams, key: string): number | undefined {
  const raw = params.get(key);
  return raw !== null && /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : undefined;
}

export function readPromptUrl(params: URLSearchParams): PromptUrlState {
  const raw = params.get("tab");
  return {
    tab: TABS.includes(raw as PromptTab) ? (raw as PromptTab) : "versions",
    version: readNumber(params, "version"),
    from: readNumber(params, "from"),
    to: readNumber(params, "to"),
  };
}

/** `params` with the given parts changed; null removes one, the default tab is left out. */
export function writePromptUrl(
  params: URLSearchParams,
  change: { tab?: PromptTab; version?: number | null; from?: number | null; to?: number | null },
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (change.tab !== undefined) {
    if (change.tab === "versions") next.delete("tab");
    else next.set("tab", change.tab);
  }
  for (const key of ["version", "from", "to"] as const) {
    const value = change[key];
    if (value === null) next.delete(key);
    else if (value !== undefined) next.set(key, String(value));
  }
  return next;
}

/** The versions to compare when the URL names none: the one before `selected`, and `selected`.
 * `versions` are the version numbers, newest first. */
export function defaultComparison(
  versions: number[],
  selected: number | undefined,
): { from: number | undefined; to: number | undefined } {
  if (versions.length === 0) return { from: undefined, to: undefined };
  const chosen = selected !== undefined && versions.includes(selected) ? selected : Math.max(...versions);
  const older = versions.filter((v) => v < chosen);
  if (older.length > 0) return { from: Math.max(...older), to: chosen };
  const newer = versions.filter((v) => v > chosen);
  if (newer.length > 0) return { from: chosen, to: Math.min(...newer) };
  return { from: undefined, to: chosen };
}
