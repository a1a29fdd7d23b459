import { describe, expect, it } from "vitest";

import { filterSummary, lagText, routeText, sampleText, scorerText } from "./ruleText";

describe("rule text", () => {
  it("summarises a filter in the order a reader scans it", () => {
    expect(filterSummary(undefined)).toBe("every production span");
    expect(filterSummary({ tag: [], metadata: [], root_only: false })).toBe("every production span");
    expect(
      filterSummary({
        name: "answer",
        kind: "llm",
        status: "error",
        tag: ["beta", "eu"],
        metadata: ["tier=gold"],
        model: "gpt-4o",
        root_only: true,
      }),
    ).toBe('root spans · name "answer" · kind llm · errors · tags beta, eu · tier=gold · model gpt-4o');
    expect(filterSummary({ tag: ["beta"], status: "ok", root_only: false })).toBe("status ok · tag beta");
  });

  it("names judges with their version and scorers with their arguments", () => {
    expect(scorerText({ judge: "tone", version: 2 })).toBe("tone v2");
    expect(scorerText({ judge: "tone", version: null })).toBe("tone (latest)");
    expect(scorerText({ scorer: "valid_json", args: {} })).toBe("valid_json");
    expect(scorerText({ scorer: "contains", args: { text: "sorry" } })).toBe('contains({"text":"sorry"})');
  });

  it("describes a route by its bounds", () => {
    expect(routeText(null)).toBeNull();
    expect(routeText({ queue: "doubts", score_name: "tone", below: 0.5 })).toBe("tone < 0.5 → doubts");
    expect(routeText({ queue: "q", score_name: "s", below: 0.2, above: 0.9 })).toBe("s < 0.2 or > 0.9 → q");
  });

  it("shows the sample as a percentage without float noise", () => {
    expect(sampleText(0.1)).toBe("10%");
    expect(sampleText(0.07)).toBe("7%");
    expect(sampleText(0.005)).toBe("0.5%");
    expect(sampleText(1)).toBe("100%");
    expect(sampleText(0.333333)).toBe("33.3%");
  });

  it("shows the lag in a person's units", () => {
    expect(lagText(null)).toBe("—");
    expect(lagText(0.2)).toBe("< 1 s");
    expect(lagText(12.34)).toBe("12.3 s");
    expect(lagText(245)).toBe("4m 05s");
  });
});
