/** A backfill's time range: presets ending now, or two bounds typed by the user. */
import dayjs from "dayjs";

export const BACKFILL_RANGES = {
  "1h": { label: "Last hour", ms: 3_600_000 },
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000 },
} as const;

export type BackfillRange = keyof typeof BACKFILL_RANGES | "custom";

export type Bounds = { ok: true; start: string; end: string } | { ok: false; error: string };

/**
 * The RFC 3339 bounds of a range. A preset ends at `now` (ms since the epoch); a custom range
 * takes `from` and `to` as typed in a `datetime-local` input (the browser's time zone).
 */
export function backfillBounds(range: BackfillRange, now: number, custom: { from: string; to: string }): Bounds {
  if (range !== "custom") {
    return { ok: true, start: new Date(now - BACKFILL_RANGES[range].ms).toISOString(), end: new Date(now).toISOString() };
  }
  const from = dayjs(custom.from);
  const to = dayjs(custom.to);
  if (!custom.from || !from.isValid()) return { ok: false, error: "Give the start of the range." };
  if (!custom.to || !to.isValid()) return { ok: false, error: "Give the end of the range." };
  if (!from.isBefore(to)) return { ok: false, error: "The end must be after the start." };
  return { ok: true, start: from.toISOString(), end: to.toISOString() };
}

/** Spans a backfill would newly score: the sampled ones not scored already (never below 0). */
export function newSpans(estimate: { sampled_spans: number; already_scored: number }): number {
  return Math.max(0, estimate.sampled_spans - estimate.already_scored);
}
