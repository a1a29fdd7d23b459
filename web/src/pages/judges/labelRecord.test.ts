import { describe, expect, it } from "vitest";

import { defaultDatasetName, humanExpected, labelRecord } from "./labelRecord";

const item = {
  trace_id: "t".repeat(32),
  span_id: "s".repeat(16),
  judge_label: "helpful",
  judge_value: 1,
  human_label: "unhelpful",
  human_value: 0,
  rationale: "It answers the question.",
  author: "lead@example.com",
  judged_at: "2026-03-02T10:00:00Z",
};

describe("labelRecord", () => {
  it("takes the person's label as expected and keeps the provenance", () => {
    const record = labelRecord({ project: "bot", judge: "helpfulness", judgeVersion: 2, item, spanId: "s".repeat(16), input: { q: 1 } });
    expect(record.expected).toBe("unhelpful");
    expect(record.input).toEqual({ q: 1 });
    expect(record.source).toEqual({
      trace_id: "t".repeat(32),
      span_id: "s".repeat(16),
      project: "bot",
      judge: "helpfulness",
      judge_version: 2,
      reviewer: "lead@example.com",
    });
    expect(record.metadata).toEqual({
      judge_label: "helpful",
      judge_value: 1,
      judge_rationale: "It answers the question.",
      labelled_by: "lead@example.com",
    });
  });

  it("falls back to the person's value for numeric scores", () => {
    expect(humanExpected({ ...item, human_label: null, human_value: 0.25 })).toBe(0.25);
    expect(humanExpected({ ...item, human_label: null, human_value: null })).toBeNull();
  });

  it("names a default dataset after the judge", () => {
    expect(defaultDatasetName("tone")).toBe("tone-human-labels");
  });
});
