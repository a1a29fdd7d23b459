import { describe, expect, it } from "vitest";

import type { Schemas } from "../../api/client";
import { changedFields, initialState, readForm } from "./recordForm";

const record: Schemas["DatasetRecord"] = {
  id: "r1",
  input: { question: "Where is my order?" },
  expected: "It ships tomorrow.",
  metadata: { topic: "orders" },
  tags: ["easy"],
  created_version: 1,
  updated_version: 1,
};

describe("the record form", () => {
  it("starts from the record: text as text, structures as JSON", () => {
    const state = initialState(record);
    expect(state.expected).toEqual({ text: "It ships tomorrow.", mode: "text" });
    expect(state.input.mode).toBe("json");
    expect(state.metadata).toBe('{\n  "topic": "orders"\n}');
    expect(initialState()).toEqual({
      input: { text: "", mode: "text" },
      expected: { text: "", mode: "text" },
      metadata: "",
      tags: [],
    });
  });

  it("sends only what changed", () => {
    const state = initialState(record);
    const same = readForm(state);
    expect(same.ok && changedFields(record, same.values)).toEqual({});
    const edited = readForm({ ...state, expected: { text: "It ships today.", mode: "text" } });
    expect(edited.ok && changedFields(record, edited.values)).toEqual({
      expected: "It ships today.",
    });
    const cleared = readForm({ ...state, metadata: "", tags: [] });
    expect(cleared.ok && changedFields(record, cleared.values)).toEqual({ metadata: {}, tags: [] });
  });

  it("says what is wrong with each field", () => {
    const result = readForm({
      input: { text: "", mode: "text" },
      expected: { text: "{oops", mode: "json" },
      metadata: "[1]",
      tags: [],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.input).toMatch(/needs an input/);
    expect(result.errors.expected).toMatch(/^Not valid JSON at line 1, column 2/);
    expect(result.errors.metadata).toMatch(/must be an object/);
  });
});
