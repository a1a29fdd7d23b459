import { describe, expect, it } from "vitest";

import { buildRuleIn, buildRulePatch, draftFromRule, emptyDraft, parseArgs, type RuleDraft } from "./ruleForm";
import type { Rule } from "./rulesApi";

function draft(change: Partial<RuleDraft>): RuleDraft {
  return { ...emptyDraft(), name: "tone-check", ...change };
}

describe("rule form", () => {
  it("builds a rule from what was typed", () => {
    const built = buildRuleIn(
      draft({
        kind: "llm",
        status: "error",
        tags: ["beta"],
        metadata: ["tier=gold"],
        samplePercent: 12.5,
        scorers: [
          { type: "judge", judge: "tone", version: "2", scorer: "", args: "" },
          { type: "scorer", judge: "", version: "latest", scorer: "contains", args: '{"text": "sorry"}' },
        ],
        routed: true,
        queue: "doubts",
        scoreName: "tone",
        below: 0.5,
      }),
    );
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.body).toEqual({
      name: "tone-check",
      enabled: true,
      description: null,
      filter: { name: null, kind: "llm", status: "error", tag: ["beta"], metadata: ["tier=gold"], model: null, root_only: false },
      sample_rate: 0.125,
      scorers: [
        { judge: "tone", version: 2 },
        { scorer: "contains", args: { text: "sorry" } },
      ],
      route: { queue: "doubts", score_name: "tone", below: 0.5, above: null },
    });
  });

  it("runs the judge's latest version unless one is picked", () => {
    const built = buildRuleIn(draft({ scorers: [{ type: "judge", judge: "tone", version: "latest", scorer: "", args: "" }] }));
    expect(built.ok && built.body.scorers[0]).toEqual({ judge: "tone", version: null });
  });

  it("names each field to fix", () => {
    const built = buildRuleIn({
      ...emptyDraft(),
      samplePercent: 140,
      metadata: ["oops"],
      scorers: [
        { type: "judge", judge: "", version: "latest", scorer: "", args: "" },
        { type: "scorer", judge: "", version: "latest", scorer: "regex", args: "[1]" },
      ],
      routed: true,
    });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(Object.keys(built.errors).sort()).toEqual(
      ["bounds", "metadata", "name", "queue", "samplePercent", "scoreName", "scorers.0.judge", "scorers.1.args"].sort(),
    );
    expect(built.errors.metadata).toContain('"oops"');
  });

  it("reads JSON arguments", () => {
    expect(parseArgs("")).toEqual({});
    expect(parseArgs('{"a": 1}')).toEqual({ a: 1 });
    expect(parseArgs("[1]")).toMatch(/JSON object/);
    expect(parseArgs("{")).toMatch(/^Not JSON/);
  });

  it("round-trips a stored rule through the form", () => {
    const rule: Rule = {
      id: "r1",
      project: "p",
      name: "tone-check",
      description: "Tone of answers",
      enabled: true,
      filter: { name: "answer", kind: null, status: null, tag: [], metadata: ["a=b"], model: null, root_only: true },
      sample_rate: 0.07,
      scorers: [{ judge: "tone", version: null }, { scorer: "valid_json", args: {} }],
      route: null,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
    };
    const form = draftFromRule(rule);
    expect(form.samplePercent).toBe(7);
    expect(form.scorers[0].version).toBe("latest");
    const patch = buildRulePatch(form);
    expect(patch.ok && patch.body).toEqual({
      description: "Tone of answers",
      filter: rule.filter,
      sample_rate: 0.07,
      scorers: [
        { judge: "tone", version: null },
        { scorer: "valid_json", args: {} },
      ],
      route: null,
    });
  });
});
