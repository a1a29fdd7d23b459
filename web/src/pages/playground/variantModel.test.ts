import { describe, expect, it } from "vitest";

import type { Schemas } from "../../api/client";
import {
  blankVariant,
  duplicateVariant,
  isEdited,
  nextLabel,
  splitParams,
  toRunVariant,
  toVersionIn,
  variantFromAgent,
  variantFromSpan,
  variantFromVersion,
  type PromptVersion,
} from "./variantModel";

const version: PromptVersion = {
  prompt: "answer",
  version: 2,
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "{{question}}" },
  ],
  model: "gpt-4o",
  params: { temperature: 0.2, seed: 7 },
  tools: null,
  response_format: { type: "json_object" },
  message: "",
  author: null,
  created_at: "2026-01-01T00:00:00Z",
  labels: ["production"],
  variables: ["question"],
  created: true,
};

describe("variants", () => {
  it("opens a saved version unedited, and notices an edit", () => {
    const v = variantFromVersion(version, "A", "production");
    expect(v.temperature).toBe(0.2);
    expect(JSON.parse(v.extraParams)).toEqual({ seed: 7 });
    expect(v.origin).toEqual({ name: "answer", version: 2, label: "production" });
    expect(isEdited(v)).toBe(false);
    expect(isEdited({ ...v, temperature: 0.3 })).toBe(true);
    expect(isEdited(blankVariant())).toBe(true);
  });

  it("builds the run body with the version it came from", () => {
    const v = variantFromVersion(version);
    expect(toRunVariant({ ...v, maxTokens: 100 })).toEqual({
      label: "A",
      messages: version.messages,
      model: "gpt-4o",
      params: { seed: 7, temperature: 0.2, max_tokens: 100 },
      tools: null,
      response_format: { type: "json_object" },
      prompt: { name: "answer", version: 2 },
    });
  });

  it("says which JSON field is wrong", () => {
    const v = blankVariant();
    expect(() => toRunVariant({ ...v, tools: "{" })).toThrow("Tools is not valid JSON.");
    expect(() => toRunVariant({ ...v, tools: "{}" })).toThrow("Tools must be a JSON list.");
    expect(() => toRunVariant({ ...v, extraParams: "[1]" })).toThrow("Other parameters must be a JSON object.");
    expect(() => toRunVariant({ ...v, messages: [] })).toThrow("Add at least one message.");
    expect(() => toRunVariant({ ...v, model: " " })).toThrow("Name a model.");
  });

  it("makes a version body with a commit message and labels", () => {
    const body = toVersionIn(blankVariant(), "  shorter  ", ["production"]);
    expect(body.message).toBe("shorter");
    expect(body.labels).toEqual(["production"]);
    expect(body.messages).toHaveLength(2);
    expect(body.params).toEqual({});
  });

  it("reads an llm span: messages, model and parameters", () => {
    const span = {
      project: "p",
      trace_id: "t",
      span_id: "s",
      name: "chat",
      kind: "llm",
      start_time: "2026-01-01T00:00:00Z",
      status: "ok",
      model: "gpt-4o-mini",
      input: [
        { role: "developer", content: "Rules." },
        { role: "user", content: [{ type: "text", text: "Hi" }] },
        { role: "tool", content: "ignored", tool_call_id: "1" },
      ],
      metadata: { params: { model: "gpt-4o-mini", temperature: 1, max_completion_tokens: 50, stream: true, user: "u" } },
    } as unknown as Schemas["Span"];
    const v = variantFromSpan(span);
    expect(v.messages).toEqual([
      { role: "system", content: "Rules." },
      { role: "user", content: "Hi" },
    ]);
    expect(v.model).toBe("gpt-4o-mini");
    expect([v.temperature, v.maxTokens, v.topP]).toEqual([1, 50, null]);
    expect(JSON.parse(v.extraParams)).toEqual({ user: "u" });
    expect(v.origin).toBeNull();
  });

  it("runs an agent with typed parameters", () => {
    const agent = {
      name: "support",
      url: "http://x",
      created_at: "",
      updated_at: "",
      parameters: [
        { name: "temperature", type: "number", default: 0.5 },
        { name: "filters", type: "object", default: { lang: "en" } },
      ],
    } as Schemas["Agent"];
    const v = variantFromAgent(agent);
    expect(v.agentValues.filters).toBe('{\n  "lang": "en"\n}');
    expect(toRunVariant({ ...v, agentValues: { temperature: 0.9, filters: '{"lang":"fr"}' } })).toEqual({
      label: "A",
      agent: "support",
      parameters: { temperature: 0.9, filters: { lang: "fr" } },
    });
  });

  it("names new columns and copies edits", () => {
    const a = blankVariant("A");
    const b = duplicateVariant({ ...a, model: "x" }, nextLabel([a]));
    expect(b.label).toBe("B");
    expect(b.model).toBe("x");
    expect(b.id).not.toBe(a.id);
    expect(nextLabel([a, { ...b, label: "C" }])).toBe("B");
  });

  it("splits parameters", () => {
    expect(splitParams({ top_p: 0.9, stop: ["\n"] })).toEqual({
      temperature: null,
      maxTokens: null,
      topP: 0.9,
      extraParams: '{\n  "stop": [\n    "\\n"\n  ]\n}',
    });
  });
});
