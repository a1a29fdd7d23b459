import { describe, expect, it } from "vitest";

import type { Schemas } from "../../api/client";
import { countByFilter, isLong, mergeComparisons, selectCases, toText } from "./compareModel";

type CaseDiff = Schemas["CaseDiff"];

function diff(
  case_id: string,
  status: CaseDiff["status"],
  d: number | null,
  extra: Partial<CaseDiff> = {},
): CaseDiff {
  const base = status === "new" ? null : 1;
  return {
    case_id,
    status,
    input: { question: `question ${case_id}` },
    expected: "Paris",
    experiment_output: `answer ${case_id}`,
    baseline_output: status === "new" ? null : `old ${case_id}`,
    trace_id: `t-${case_id}`,
    baseline_trace_id: status === "new" ? null : `b-${case_id}`,
    scores: { em: { experiment: d === null ? null : (base ?? 0) + d, baseline: base, diff: d } },
    ...extra,
  };
}

function comparison(experiment: string, cases: CaseDiff[]): Schemas["Comparison"] {
  return { experiment, baseline: "base", scorers: [], metrics: [], summary_scores: [], cases };
}

describe("mergeComparisons", () => {
  const merged = mergeComparisons([
    comparison("a", [
      diff("c1", "regressed", -1),
      diff("c2", "unchanged", 0),
      diff("c3", "new", null),
    ]),
    comparison("b", [
      diff("c2", "improved", 0.5),
      diff("c4", "errored", null, { error: { type: "E", message: "boom" } }),
    ]),
  ]);
  const byId = Object.fromEntries(merged.map((r) => [r.caseId, r]));

  it("pairs the cases of every experiment by case id, in first-seen order", () => {
    expect(merged.map((r) => r.caseId)).toEqual(["c1", "c2", "c3", "c4"]);
    expect(byId.c2.runs.map((r) => r?.status)).toEqual(["unchanged", "improved"]);
    expect(byId.c1.runs[1]).toBeNull();
    expect(byId.c4.runs[0]).toBeNull();
  });

  it("keeps the baseline's output, trace and scores, and knows when it lacks a case", () => {
    expect(byId.c1.baseline).toEqual({
      present: true,
      output: "old c1",
      traceId: "b-c1",
      scores: { em: 1 },
    });
    expect(byId.c3.baseline.present).toBe(false);
    expect(byId.c1.runs[0]).toMatchObject({ traceId: "t-c1", meanDiff: -1, output: "answer c1" });
    expect(byId.c4.runs[1]?.error?.message).toBe("boom");
  });

  it("counts and filters by status in any experiment, and searches inputs", () => {
    expect(countByFilter(merged)).toEqual({ all: 4, regressed: 1, improved: 1, errored: 1 });
    const pick = (filter: "all" | "regressed" | "improved" | "errored", query = "") =>
      selectCases(merged, { filter, query, sort: "case" }).map((r) => r.caseId);
    expect(pick("regressed")).toEqual(["c1"]);
    expect(pick("improved")).toEqual(["c2"]);
    expect(pick("errored")).toEqual(["c4"]);
    expect(pick("all", "  QUESTION C3 ")).toEqual(["c3"]);
    expect(pick("regressed", "c2")).toEqual([]);
  });
});

describe("selectCases sorting", () => {
  const rows = mergeComparisons([
    comparison("a", [
      diff("small", "regressed", -0.2),
      diff("up", "improved", 0.8),
      diff("big", "regressed", -0.9),
      diff("same", "unchanged", 0),
      diff("err", "errored", null),
    ]),
  ]);
  const order = (sort: "regression" | "improvement" | "case") =>
    selectCases(rows, { filter: "all", query: "", sort }).map((r) => r.caseId);

  it("puts the largest regression first, then errors, improvements, the rest", () => {
    expect(order("regression")).toEqual(["big", "small", "err", "up", "same"]);
  });

  it("can put the largest improvement first or go by case id", () => {
    expect(order("improvement").slice(0, 2)).toEqual(["up", "same"]);
    expect(order("case")).toEqual(["big", "err", "same", "small", "up"]);
  });

  it("does not reorder its input", () => {
    order("case");
    expect(rows.map((r) => r.caseId)).toEqual(["small", "up", "big", "same", "err"]);
  });
});

describe("toText", () => {
  it("shows strings as they are and anything else as JSON", () => {
    expect(toText("hi\nthere")).toBe("hi\nthere");
    expect(toText(null)).toBe("");
    expect(toText(undefined)).toBe("");
    expect(toText(42)).toBe("42");
    expect(toText({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(toText({ question: "Where?", n: 2, ok: null })).toBe("question: Where?\nn: 2\nok: null");
    expect(toText({})).toBe("{}");
  });
});

describe("speed", () => {
  it("merges, filters and sorts 5,000 cases of two experiments quickly", () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      diff(`c${i}`, i % 3 ? "unchanged" : "regressed", i % 3 ? 0 : -((i % 7) + 1) / 10),
    );
    const t0 = performance.now();
    const merged = mergeComparisons([comparison("a", many), comparison("b", many)]);
    const shown = selectCases(merged, {
      filter: "regressed",
      query: "question",
      sort: "regression",
    });
    expect(shown.length).toBe(1667);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe("isLong", () => {
  it("clamps texts past 240 characters or 8 lines", () => {
    expect(isLong("short answer")).toBe(false);
    expect(isLong("x".repeat(241))).toBe(true);
    expect(isLong(Array(9).fill("line").join("\n"))).toBe(true);
    expect(isLong(Array(8).fill("line").join("\n"))).toBe(false);
  });
});
