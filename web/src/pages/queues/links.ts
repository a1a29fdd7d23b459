/** The trace view of an item (at its span, when it is one). */
export function traceLink(project: string, traceId: string, spanId?: string | null): string {
  const base = `/projects/${encodeURIComponent(project)}/traces/${encodeURIComponent(traceId)}`;
  return spanId ? `${base}?span=${encodeURIComponent(spanId)}` : base;
}

/** A review value for reading: labels as they are, yes/no, numbers with two decimals. */
export function formatReviewValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(2);
  return String(value);
}
