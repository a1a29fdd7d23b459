import { formatCost, formatCount, formatDuration } from "../../format";

/** Whether a change is good, bad or neither, given which way is better. */
export type Tone = "better" | "worse" | "same";

/** Differences smaller than this are no change (as the server counts them). */
const TOLERANCE = 1e-9;

export function toneOf(diff: number | null | undefined, lowerIsBetter = false): Tone {
  if (diff === null || diff === undefined || Math.abs(diff) <= TOLERANCE) return "same";
  return diff > 0 !== lowerIsBetter ? "better" : "worse";
}

/** Mantine colour of a tone. */
export function toneColor(tone: Tone): string | undefined {
  return tone === "better" ? "teal.8" : tone === "worse" ? "red.8" : undefined;
}

/** A score (mean) for people: 0.75 → "0.750". */
export function formatScore(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? "—" : x.toFixed(digits);
}

/** A signed difference with a real minus sign: +0.125, −0.250, ±0 when nothing moved. */
export function formatSigned(
  x: number | null | undefined,
  format: (v: number) => string = (v) => v.toFixed(3),
): string {
  if (x === null || x === undefined) return "—";
  if (Math.abs(x) <= TOLERANCE) return "±0";
  return `${x > 0 ? "+" : "−"}${format(Math.abs(x))}`;
}

/** Whether a 95 % interval leaves out zero, i.e. the change is unlikely to be noise. */
export function isSignificant(low: number | null | undefined, high: number | null | undefined) {
  if (low === null || low === undefined || high === null || high === undefined) return false;
  return low > TOLERANCE || high < -TOLERANCE;
}

/** The metrics a comparison reports: label, formatter, and that lower is better. */
export const METRICS: Record<string, { label: string; format: (v: number) => string }> = {
  duration_ms: { label: "Latency (mean)", format: (v) => formatDuration(v) },
  total_tokens: { label: "Tokens per case", format: (v) => formatCount(Math.round(v)) },
  cost: { label: "Cost per case", format: (v) => formatCost(v) },
};
