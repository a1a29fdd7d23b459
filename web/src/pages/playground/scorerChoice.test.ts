import { describe, expect, it } from "vitest";

import { isActive, scorerChoices, toScorer } from "./scorerChoice";

describe("scorer choices", () => {
  it("turns choices into request scorers", () => {
    expect(toScorer("judge:helpfulness")).toEqual({ judge: "helpfulness", args: {} });
    expect(toScorer("scorer:exact_match")).toEqual({ scorer: "exact_match", args: {} });
    expect(toScorer("judge:")).toBeNull();
    expect(toScorer("other:x")).toBeNull();
  });

  it("groups judges before the built-in scorers, and leaves out an empty group", () => {
    expect(scorerChoices([{ name: "tone" }]).map((g) => g.group)).toEqual(["LLM judges", "Built-in scorers"]);
    expect(scorerChoices([]).map((g) => g.group)).toEqual(["Built-in scorers"]);
  });

  it("knows which runs are still going", () => {
    expect(isActive("queued")).toBe(true);
    expect(isActive("running")).toBe(true);
    expect(isActive("finished")).toBe(false);
    expect(isActive("interrupted")).toBe(false);
    expect(isActive("cancelled")).toBe(false);
  });
});
