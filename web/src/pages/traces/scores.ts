/** How a mean score looks in the trace list. */

/** Green, yellow or red for a score on the usual 0–1 scale; gray for any other scale. */
export function scoreColor(value: number): "green" | "yellow" | "red" | "gray" {
  if (!Number.isFinite(value) || value < 0 || value > 1) return "gray";
  if (value >= 0.8) return "green";
  if (value >= 0.5) return "yellow";
  return "red";
}

/** 1 → "1", 0.6667 → "0.67", 12.5 → "12.5". */
export function formatScore(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(Math.abs(value) < 10 ? 2 : 1)));
}

/** Score names in a stable order, so the badges of every row line up. */
export function sortedScores(scores: Record<string, number> | undefined): [string, number][] {
  return Object.entries(scores ?? {}).sort(([a], [b]) => a.localeCompare(b));
}
