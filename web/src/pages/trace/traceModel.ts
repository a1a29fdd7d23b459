import type { Schemas } from "../../api/client";
import { parseTime } from "./time";

export type SpanNode = Schemas["SpanNode"];
export type Trace = Schemas["Trace"];

/** One span of the trace with where it sits in the tree and on the time line. */
export interface IndexedSpan {
  span: SpanNode;
  depth: number;
  parentId: string | null;
  /** Position in depth-first order; the subtree of a span is `pos + 1 … pos + size`. */
  pos: number;
  /** Number of descendants. */
  size: number;
  childCount: number;
  firstChildId: string | null;
  startMs: number;
  /** null while the span is still open. */
  endMs: number | null;
}

/** What the header shows about the whole trace. */
export interface TraceSummary {
  name: string;
  status: "ok" | "error" | "unset";
  running: boolean;
  spanCount: number;
  errorCount: number;
  startMs: number;
  /** End of the last span (or of the latest start while spans are open). */
  endMs: number;
  durationMs: number | null;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cost: number;
  tags: string[];
  sessionId: string | null;
  userId: string | null;
}

/** The trace flattened once: spans in depth-first order (the tree's roots first, orphans last). */
export interface TraceIndex {
  order: IndexedSpan[];
  byId: Map<string, IndexedSpan>;
  /** Number of spans of `order` that hang from a real root; the rest hang from orphans. */
  mainCount: number;
  summary: TraceSummary;
}

/** A line of the tree: a span, or the heading of the spans whose parent is missing. */
export type Row = { type: "span"; item: IndexedSpan } | { type: "orphans"; count: number };

export function buildIndex(trace: Trace): TraceIndex {
  const orphanIds = new Set(trace.orphans ?? []);
  const mainRoots = trace.roots.filter((r) => !orphanIds.has(r.span_id));
  const orphanRoots = trace.roots.filter((r) => orphanIds.has(r.span_id));
  const order: IndexedSpan[] = [];
  const byId = new Map<string, IndexedSpan>();
  for (const root of [...mainRoots, ...orphanRoots]) visit(root, order, byId);
  const mainCount = mainRoots.reduce((n, r) => n + 1 + (byId.get(r.span_id)?.size ?? 0), 0);
  return { order, byId, mainCount, summary: summarise(order, mainRoots[0] ?? trace.roots[0]) };
}

/** Depth-first, iteratively (a 100,000-span chain must not overflow the stack). */
function visit(root: SpanNode, order: IndexedSpan[], byId: Map<string, IndexedSpan>): void {
  const stack: { node: SpanNode; depth: number; parentId: string | null }[] = [
    { node: root, depth: 0, parentId: null },
  ];
  const opened: IndexedSpan[] = [];
  while (stack.length > 0) {
    const { node, depth, parentId } = stack.pop()!;
    while (opened.length > depth) close(opened.pop()!, order);
    const startMs = parseTime(node.start_time);
    const children = node.children ?? [];
    const item: IndexedSpan = {
      span: node,
      depth,
      parentId,
      pos: order.length,
      size: 0,
      childCount: children.length,
      firstChildId: children[0]?.span_id ?? null,
      startMs,
      endMs: node.end_time == null ? null : startMs + (node.duration_ms ?? 0),
    };
    order.push(item);
    if (!byId.has(node.span_id)) byId.set(node.span_id, item);
    opened.push(item);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ node: children[i], depth: depth + 1, parentId: node.span_id });
    }
  }
  while (opened.length > 0) close(opened.pop()!, order);
}

function close(item: IndexedSpan, order: IndexedSpan[]): void {
  item.size = order.length - item.pos - 1;
}

function summarise(order: IndexedSpan[], root: SpanNode | undefined): TraceSummary {
  let start = Infinity;
  let end = -Infinity;
  let errors = 0;
  let running = false;
  let prompt = 0;
  let completion = 0;
  let total = 0;
  let cost = 0;
  const tags = new Set<string>();
  let sessionId = root?.session_id ?? null;
  let userId = root?.user_id ?? null;
  for (const { span, startMs, endMs } of order) {
    start = Math.min(start, startMs);
    end = Math.max(end, endMs ?? startMs);
    for (const tag of span.tags ?? []) tags.add(tag);
    sessionId ??= span.session_id ?? null;
    userId ??= span.user_id ?? null;
    if (span.open) {
      running = true;
      continue;
    }
    if (span.status === "error") errors += 1;
    const m = span.metrics ?? {};
    prompt += m.prompt_tokens ?? 0;
    completion += m.completion_tokens ?? 0;
    total += m.total_tokens ?? (m.prompt_tokens ?? 0) + (m.completion_tokens ?? 0);
    cost += m.cost ?? 0;
  }
  if (order.length === 0) start = end = 0;
  const status = errors > 0 ? "error" : !root || root.open ? "unset" : root.status;
  return {
    name: root?.name ?? "(no spans)",
    status,
    running,
    spanCount: order.length,
    errorCount: errors,
    startMs: start,
    endMs: end,
    durationMs: running ? null : end - start,
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: total,
    cost,
    tags: [...tags].sort(),
    sessionId,
    userId,
  };
}

/** The lines of the tree with the subtrees of `collapsed` spans left out. */
export function visibleRows(index: TraceIndex, collapsed: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const { order, mainCount } = index;
  let i = 0;
  while (i < order.length) {
    if (i === mainCount) rows.push({ type: "orphans", count: order.length - mainCount });
    const item = order[i];
    rows.push({ type: "span", item });
    i += collapsed.has(item.span.span_id) ? item.size + 1 : 1;
  }
  return rows;
}

/** The span ids from the root down to the parent of `spanId`. */
export function ancestors(index: TraceIndex, spanId: string): string[] {
  const out: string[] = [];
  let parent = index.byId.get(spanId)?.parentId ?? null;
  while (parent !== null && out.length < index.order.length) {
    out.push(parent);
    parent = index.byId.get(parent)?.parentId ?? null;
  }
  return out.reverse();
}

/** `collapsed` without the ancestors of `spanId`, so that the span is visible. */
export function revealing(
  index: TraceIndex,
  collapsed: ReadonlySet<string>,
  spanId: string | null,
): ReadonlySet<string> {
  if (spanId === null || collapsed.size === 0) return collapsed;
  const hidden = ancestors(index, spanId).filter((id) => collapsed.has(id));
  if (hidden.length === 0) return collapsed;
  const next = new Set(collapsed);
  for (const id of hidden) next.delete(id);
  return next;
}

/** Whether `spanId` lies in the subtree below `ancestorId`. */
export function isBelow(index: TraceIndex, spanId: string, ancestorId: string): boolean {
  const a = index.byId.get(ancestorId);
  const s = index.byId.get(spanId);
  return !!a && !!s && s.pos > a.pos && s.pos <= a.pos + a.size;
}
