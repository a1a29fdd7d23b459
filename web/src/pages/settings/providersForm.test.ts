import { describe, expect, it } from "vitest";

import {
  draftFromProvider,
  emptyProviderDraft,
  providerBody,
  providerName,
  providerProblems,
  suggestedTestModel,
} from "./providersForm";

const saved = {
  name: "groq",
  kind: "openai" as const,
  base_url: "https://api.groq.com/openai/v1",
  key_hint: "gsk…x7Qa",
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

describe("the provider draft", () => {
  it("starts with the first well-known provider not set yet", () => {
    expect(emptyProviderDraft().choice).toBe("openai");
    expect(emptyProviderDraft(["openai"])).toMatchObject({ choice: "anthropic", kind: "anthropic" });
    expect(emptyProviderDraft(["openai", "anthropic"]).choice).toBe("custom");
  });

  it("comes back from a saved provider without its key", () => {
    const draft = draftFromProvider(saved);
    expect(draft).toEqual({ choice: "custom", customName: "groq", kind: "openai", baseUrl: saved.base_url, apiKey: "" });
    expect(providerName(draft)).toBe("groq");
    expect(draftFromProvider({ ...saved, name: "anthropic", kind: "anthropic" }).choice).toBe("anthropic");
  });
});

describe("providerProblems", () => {
  const base = emptyProviderDraft();

  it("accepts a well-known provider with only a key", () => {
    expect(providerProblems({ ...base, apiKey: "sk-1" }, { editing: false, taken: [] })).toEqual({});
  });

  it("asks a custom provider for a usable prefix and an http(s) URL", () => {
    const custom = { ...base, choice: "custom" as const };
    expect(providerProblems(custom, { editing: false, taken: [] })).toEqual({
      customName: expect.stringMatching(/prefix/),
    });
    expect(providerProblems({ ...custom, customName: "my/x", baseUrl: "ftp://x" }, { editing: false, taken: [] })).toMatchObject({
      customName: expect.stringMatching(/letters, digits/),
      baseUrl: expect.stringMatching(/http/),
    });
  });

  it("refuses to add a provider that is set already, but lets it be edited", () => {
    expect(providerProblems(base, { editing: false, taken: ["openai"] }).customName).toMatch(/set already/);
    expect(providerProblems(base, { editing: true, taken: ["openai"] })).toEqual({});
  });
});

describe("providerBody", () => {
  it("leaves an empty key out so the stored one is kept", () => {
    expect(providerBody({ ...draftFromProvider(saved), baseUrl: " https://x/v1 " })).toEqual({ kind: "openai", base_url: "https://x/v1" });
  });

  it("sends a new key, the kind of the provider, and no base URL when none is given", () => {
    expect(providerBody({ ...emptyProviderDraft(["openai"]), apiKey: " sk-ant-1 " })).toEqual({
      kind: "anthropic",
      base_url: null,
      api_key: "sk-ant-1",
    });
  });
});

describe("suggestedTestModel", () => {
  it("suggests a small model of the provider's kind", () => {
    expect(suggestedTestModel({ name: "openai", kind: "openai" })).toBe("gpt-4o-mini");
    expect(suggestedTestModel({ name: "anthropic", kind: "anthropic" })).toMatch(/^claude/);
    expect(suggestedTestModel({ name: "groq", kind: "openai" })).toBe("");
  });
});
