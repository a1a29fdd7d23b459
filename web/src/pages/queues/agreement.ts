/** Krippendorff's reading of alpha: reliable from 0.8, tentative from 0.667, else not reliable. */
export function alphaVerdict(alpha: number | null): { label: string; color: string } {
  if (alpha === null || Number.isNaN(alpha)) return { label: "not enough reviews", color: "gray" };
  if (alpha >= 0.8) return { label: "good agreement", color: "teal" };
  if (alpha >= 0.667) return { label: "tentative", color: "yellow" };
  return { label: "low agreement", color: "red" };
}
