import { describe, expect, it } from "vitest";

import { ancestors, buildIndex, isBelow, revealing, visibleRows, type SpanNode, type Trace } from "./traceModel";
import { keyAction, rowOf } from "./treeKeys";

const T = Date.parse("2026-01-01T00:00:00Z");

function span(id: string, startS: number, durS: number | null, extra: Partial<SpanNode> = {}): SpanNode {
  return {
    project: "p",
    trace_id: "t".repeat(32),
    span_id: id,
    parent_id: null,
    name: id,
    kind: "span",
    start_time: new Date(T + startS * 1000).toISOString(),
    end_time: durS === null ? null : new Date(T + (startS + durS) * 1000).toISOString(),
    duration_ms: durS === null ? null : durS * 1000,
    status: "ok",
    open: durS === null,
    children: [],
    ...extra,
  } as SpanNode;
}

/** root(a(a1, a2), b) plus an orphan o(o1). */
function sample(): Trace {
  const a = span("a", 1, 3, {
    parent_id: "root",
    children: [
      span("a1", 1, 1, { parent_id: "a", kind: "llm", metrics: { prompt_tokens: 10, completion_tokens: 5, cost: 0.01 } }),
      span("a2", 2, 1, { parent_id: "a", status: "error", tags: ["x"] }),
    ],
  });
  const b = span("b", 5, 1, { parent_id: "root", metrics: { total_tokens: 7, cost: 0.5 } });
  const root = span("root", 0, 6, { children: [a, b], tags: ["prod"], session_id: "s1" });
  const orphan = span("o", 7, 1, { parent_id: "gone", children: [span("o1", 7, 0.5, { parent_id: "o" })] });
  return { project: "p", trace_id: "t".repeat(32), span_count: 7, roots: [orphan, root], orphans: ["o"] };
}

const ids = (rows: ReturnType<typeof visibleRows>) =>
  rows.map((r) => (r.type === "span" ? r.item.span.span_id : `[${r.count} orphans]`));

describe("buildIndex", () => {
  it("orders spans depth-first with the orphans last", () => {
    const index = buildIndex(sample());
    expect(index.order.map((i) => i.span.span_id)).toEqual(["root", "a", "a1", "a2", "b", "o", "o1"]);
    expect(index.mainCount).toBe(5);
    const a = index.byId.get("a")!;
    expect([a.depth, a.size, a.childCount, a.firstChildId, a.parentId]).toEqual([1, 2, 2, "a1", "root"]);
    expect(index.byId.get("root")!.size).toBe(4);
    expect(index.byId.get("o1")!.depth).toBe(1);
  });

  it("sums tokens and cost, counts errors, unions tags", () => {
    const s = buildIndex(sample()).summary;
    expect(s.name).toBe("root");
    expect(s.status).toBe("error");
    expect(s.errorCount).toBe(1);
    expect([s.promptTokens, s.completionTokens, s.totalTokens]).toEqual([10, 5, 22]);
    expect(s.cost).toBeCloseTo(0.51);
    expect(s.tags).toEqual(["prod", "x"]);
    expect(s.sessionId).toBe("s1");
    expect(s.durationMs).toBe(8000);
    expect(s.running).toBe(false);
  });

  it("marks a trace with open spans as running, without a duration", () => {
    const trace: Trace = { project: "p", trace_id: "t", span_count: 1, roots: [span("r", 0, null)], orphans: [] };
    const s = buildIndex(trace).summary;
    expect([s.running, s.durationMs, s.status]).toEqual([true, null, "unset"]);
  });

  it("handles a chain of 100,000 spans without recursion", () => {
    let node = span("n99999", 0, 1);
    for (let i = 99_998; i >= 0; i--) node = span(`n${i}`, 0, 1, { children: [node] });
    const index = buildIndex({ project: "p", trace_id: "t", span_count: 100_000, roots: [node], orphans: [] });
    expect(index.order).toHaveLength(100_000);
    expect(index.byId.get("n99999")!.depth).toBe(99_999);
    expect(ancestors(index, "n3")).toEqual(["n0", "n1", "n2"]);
  });
});

describe("visibleRows", () => {
  it("lists every span with a heading before the orphans", () => {
    const index = buildIndex(sample());
    expect(ids(visibleRows(index, new Set()))).toEqual(["root", "a", "a1", "a2", "b", "[2 orphans]", "o", "o1"]);
  });

  it("leaves out the subtrees of collapsed spans", () => {
    const index = buildIndex(sample());
    expect(ids(visibleRows(index, new Set(["a", "o"])))).toEqual(["root", "a", "b", "[2 orphans]", "o"]);
    expect(ids(visibleRows(index, new Set(["root"])))).toEqual(["root", "[2 orphans]", "o", "o1"]);
  });

  it("reveals a selected span hidden in a collapsed subtree", () => {
    const index = buildIndex(sample());
    const collapsed = new Set(["root", "a", "o"]);
    expect([...revealing(index, collapsed, "a2")]).toEqual(["o"]);
    expect(revealing(index, collapsed, "root")).toBe(collapsed);
  });

  it("knows which spans lie below another", () => {
    const index = buildIndex(sample());
    expect(isBelow(index, "a2", "root")).toBe(true);
    expect(isBelow(index, "a2", "a")).toBe(true);
    expect(isBelow(index, "b", "a")).toBe(false);
    expect(isBelow(index, "a", "a")).toBe(false);
    expect(isBelow(index, "o1", "root")).toBe(false);
  });
});

describe("keyAction", () => {
  const index = buildIndex(sample());
  const open = new Set<string>();
  const rows = visibleRows(index, open);
  const press = (key: string, selected: string | null, collapsed: ReadonlySet<string> = open) =>
    keyAction(key, visibleRows(index, collapsed), index, collapsed, selected);

  it("moves up and down through visible spans, skipping the orphan heading", () => {
    expect(press("ArrowDown", "a")).toEqual({ select: "a1" });
    expect(press("ArrowDown", "b")).toEqual({ select: "o" });
    expect(press("ArrowUp", "o")).toEqual({ select: "b" });
    expect(press("ArrowUp", "root")).toEqual({ select: "root" });
    expect(press("ArrowDown", "o1")).toEqual({ select: "o1" });
    expect(press("ArrowDown", "root", new Set(["root"]))).toEqual({ select: "o" });
    expect(press("End", "a")).toEqual({ select: "o1" });
    expect(press("Home", "a")).toEqual({ select: "root" });
  });

  it("folds with left, unfolds with right, then walks to parent and child", () => {
    expect(press("ArrowLeft", "a")).toEqual({ collapse: "a" });
    expect(press("ArrowLeft", "a", new Set(["a"]))).toEqual({ select: "root" });
    expect(press("ArrowLeft", "a1")).toEqual({ select: "a" });
    expect(press("ArrowLeft", "root", new Set(["root"]))).toEqual({});
    expect(press("ArrowRight", "a", new Set(["a"]))).toEqual({ expand: "a" });
    expect(press("ArrowRight", "a")).toEqual({ select: "a1" });
    expect(press("ArrowRight", "a1")).toEqual({});
  });

  it("starts at the first span when nothing is selected and ignores other keys", () => {
    expect(press("ArrowDown", null)).toEqual({ select: "root" });
    expect(press("ArrowRight", null)).toEqual({ select: "root" });
    expect(press("x", "a")).toBeNull();
    expect(rowOf(rows, "o")).toBe(6);
    expect(rowOf(rows, "zzz")).toBe(-1);
  });
});
