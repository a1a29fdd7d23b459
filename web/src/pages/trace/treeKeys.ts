import type { Row, TraceIndex } from "./traceModel";

/** What a key press in the span tree does: select another span and/or fold one. */
export interface KeyAction {
  select?: string;
  collapse?: string;
  expand?: string;
}

/**
 * The tree's keyboard, as in the WAI-ARIA tree pattern: up/down move through the visible spans,
 * right expands a folded span (or goes to its first child), left folds an open span (or goes to
 * its parent), Home/End go to the first/last span. Returns null for keys the tree ignores.
 */
export function keyAction(
  key: string,
  rows: Row[],
  index: TraceIndex,
  collapsed: ReadonlySet<string>,
  selected: string | null,
): KeyAction | null {
  const spans = rows.flatMap((r) => (r.type === "span" ? [r.item.span.span_id] : []));
  if (spans.length === 0) return null;
  const at = selected === null ? -1 : spans.indexOf(selected);
  const item = selected === null ? undefined : index.byId.get(selected);
  switch (key) {
    case "ArrowDown":
      return { select: spans[Math.min(at + 1, spans.length - 1)] };
    case "ArrowUp":
      return { select: spans[Math.max(at - 1, 0)] };
    case "Home":
      return { select: spans[0] };
    case "End":
      return { select: spans[spans.length - 1] };
    case "ArrowRight":
      if (!item) return { select: spans[0] };
      if (item.childCount === 0) return {};
      if (collapsed.has(item.span.span_id)) return { expand: item.span.span_id };
      return { select: item.firstChildId ?? undefined };
    case "ArrowLeft":
      if (!item) return { select: spans[0] };
      if (item.childCount > 0 && !collapsed.has(item.span.span_id)) {
        return { collapse: item.span.span_id };
      }
      return item.parentId === null ? {} : { select: item.parentId };
    default:
      return null;
  }
}

/** The index of the row showing `spanId`, or -1. */
export function rowOf(rows: Row[], spanId: string | null): number {
  if (spanId === null) return -1;
  return rows.findIndex((r) => r.type === "span" && r.item.span.span_id === spanId);
}
