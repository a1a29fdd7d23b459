/**
 * The "add items from a filter" form: what a person picks (last 7 days, errors only, tag,
 * metadata key=value, text, a judge's score below a bound, a random sample) and the API body.
 */
import type { AddItemsIn, ItemsFilter } from "./reviewTypes";

export const WINDOWS = {
  any: { label: "Any time", days: null },
  "1d": { label: "Last 24 hours", days: 1 },
  "7d": { label: "Last 7 days", days: 7 },
  "30d": { label: "Last 30 days", days: 30 },
} as const;
export type WindowKey = keyof typeof WINDOWS;

export interface ItemsFilterForm {
  window: WindowKey;
  status: "any" | "ok" | "error";
  tags: string[];
  /** One `key=value` per line. */
  metadata: string;
  q: string;
  scoreName: string;
  scoreOp: "below" | "above";
  scoreBound: string;
  /** Empty: every matching trace. */
  sample: string;
  target: "trace" | "root_span";
}

export const EMPTY_ITEMS_FILTER: ItemsFilterForm = {
  window: "7d",
  status: "any",
  tags: [],
  metadata: "",
  q: "",
  scoreName: "",
  scoreOp: "below",
  scoreBound: "",
  sample: "",
  target: "trace",
};

export type Built = { ok: true; body: AddItemsIn } | { ok: false; error: string };

/** The body of addQueueItems, or the first thing to fix. `now` is passed in for tests. */
export function buildItemsRequest(form: ItemsFilterForm, now: Date = new Date()): Built {
  const filter: ItemsFilter = {};
  const days = WINDOWS[form.window].days;
  if (days !== null) filter.start_from = new Date(now.getTime() - days * 86_400_000).toISOString();
  if (form.status !== "any") filter.status = form.status;
  if (form.tags.length > 0) filter.tag = form.tags;
  const pairs = form.metadata
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const bad = pairs.find((p) => !/^[^=]+=.*$/.test(p));
  if (bad) return { ok: false, error: `Write metadata as key=value, one per line ("${bad}" has no "=").` };
  if (pairs.length > 0) filter.metadata = pairs;
  if (form.q.trim()) filter.q = form.q.trim();
  if (form.scoreName.trim() || form.scoreBound.trim()) {
    const bound = Number(form.scoreBound);
    if (!form.scoreName.trim()) return { ok: false, error: "Name the score to compare, e.g. tone." };
    if (form.scoreBound.trim() === "" || !Number.isFinite(bound)) {
      return { ok: false, error: "Give the score's bound as a number, e.g. 0.5." };
    }
    filter.score_name = form.scoreName.trim();
    if (form.scoreOp === "below") filter.score_below = bound;
    else filter.score_above = bound;
  }
  let sample: number | null = null;
  if (form.sample.trim()) {
    sample = Number(form.sample);
    if (!Number.isInteger(sample) || sample < 1) return { ok: false, error: "The sample size is a whole number, e.g. 200." };
  }
  return { ok: true, body: { filter, sample, target: form.target } };
}

/** "Added 42 items; 3 were already in the queue." */
export function describeAdded({ added, duplicates }: { added: number; duplicates: number }): string {
  const items = added === 1 ? "1 item" : `${added.toLocaleString("en-US")} items`;
  if (duplicates === 0) return `Added ${items}.`;
  const dup = duplicates === 1 ? "1 was" : `${duplicates.toLocaleString("en-US")} were`;
  return `Added ${items}; ${dup} already in the queue.`;
}
