import { formatDuration } from "../../format";

/** Span durations, down to fractions of a millisecond (tool calls and local steps are fast). */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms === 0) return "0 ms";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return formatDuration(ms);
}

const FRACTION = /\.(\d+)/;

/** Milliseconds since the epoch of an RFC 3339 time, keeping its microseconds. */
export function parseTime(iso: string): number {
  const m = FRACTION.exec(iso);
  if (m === null) return Date.parse(iso);
  return Date.parse(iso.replace(FRACTION, "")) + Number(`0.${m[1]}`) * 1000;
}

/** Where a span's bar sits on the time line, in percent of its width. */
export function barPosition(
  startMs: number,
  endMs: number | null,
  timeline: { startMs: number; endMs: number },
): { left: number; width: number } {
  const total = Math.max(timeline.endMs - timeline.startMs, 1e-6);
  const end = endMs ?? timeline.endMs;
  const left = Math.min(Math.max(((startMs - timeline.startMs) / total) * 100, 0), 99.5);
  return { left, width: Math.min(Math.max(((end - startMs) / total) * 100, 0), 100 - left) };
}
