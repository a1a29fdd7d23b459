import { describe, expect, it } from "vitest";

import { caseFacts, caseKey, caseScores, scorerRows, totalFacts } from "./experimentCases";

describe("caseScores", () => {
  it("lists scores by name, failed scorers with their error and judges with their rationale", () => {
    const scores = caseScores({
      scores: { politeness: 0.5, exact_match: 1, judge: null },
      score_errors: { judge: { type: "TimeoutError", message: "no answer in 30 s" } },
      score_metadata: { politeness: { rationale: "Says please.", judge: "polite" } },
    });
    expect(scores).toEqual([
      { name: "exact_match", value: 1, error: null, rationale: null },
      { name: "judge", value: null, error: "TimeoutError: no answer in 30 s", rationale: null },
      { name: "politeness", value: 0.5, error: null, rationale: "Says please." },
    ]);
  });

  it("has nothing for a case without scores", () => {
    expect(caseScores({})).toEqual([]);
  });
});

describe("caseFacts", () => {
  it("says latency, tokens in and out, and cost", () => {
    expect(caseFacts({ duration_ms: 850, prompt_tokens: 21, completion_tokens: 6, total_tokens: 27, cost: 0.0012 })).toEqual(
      ["850 ms", "21 in · 6 out", "$0.0012"],
    );
  });

  it("falls back to total tokens and leaves unknown parts out", () => {
    expect(caseFacts({ total_tokens: 1200, cost: 0 })).toEqual(["1,200 tokens"]);
    expect(caseFacts({})).toEqual([]);
  });
});

const NONE = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost: 0 };

describe("experiment summary", () => {
  it("lists the scorers by name", () => {
    const rows = scorerRows({
      summary: { z: { mean: 0.5, count: 4, errors: 1 }, a: { count: 0, errors: 2 } },
    });
    expect(rows).toEqual([
      { name: "a", mean: null, count: 0, errors: 2 },
      { name: "z", mean: 0.5, count: 4, errors: 1 },
    ]);
  });

  it("gives totals, with tokens and cost only when recorded", () => {
    const bare = totalFacts({ case_count: 3, error_count: 0, totals: { ...NONE, duration_ms_mean: 1500 } });
    expect(bare).toEqual([
      { label: "Cases", value: "3" },
      { label: "Errors", value: "0" },
      { label: "Mean latency", value: "1.50 s" },
    ]);
    const full = totalFacts({
      case_count: 3,
      error_count: 1,
      totals: { ...NONE, prompt_tokens: 60, completion_tokens: 18, total_tokens: 78, cost: 0.25 },
    });
    expect(full.slice(3)).toEqual([
      { label: "Tokens", value: "78 (60 in · 18 out)" },
      { label: "Cost", value: "$0.25" },
    ]);
  });

  it("keys cases by id and trial", () => {
    expect(caseKey({ case_id: "c1", trial: 2 })).toBe("c1#2");
  });
});
