import { describe, expect, it } from "vitest";

import { describeScale, draftFromConfig, emptyDraft, toConfigIn, toConfigPatch } from "./configForm";

describe("toConfigIn", () => {
  it("turns a categorical draft into labels with numeric values", () => {
    const draft = { ...emptyDraft("categorical"), name: " tone ", categories: [
      { label: "kind", value: "1", description: "Warm and polite." },
      { label: "curt", value: "0", description: "" },
      { label: "", value: "", description: "" },
    ] };
    expect(toConfigIn(draft)).toEqual({
      ok: true,
      value: {
        name: "tone",
        kind: "categorical",
        description: null,
        categories: [
          { label: "kind", value: 1, description: "Warm and polite." },
          { label: "curt", value: 0, description: null },
        ],
      },
    });
  });

  it("names each problem by its field", () => {
    const draft = { ...emptyDraft("categorical"), categories: [
      { label: "a", value: "x", description: "" },
      { label: "a", value: "1", description: "" },
    ] };
    const checked = toConfigIn(draft);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual(["categories.0.value", "categories.1.label", "name"]);
  });

  it("checks a numeric range", () => {
    const bad = toConfigIn({ ...emptyDraft("numeric"), name: "stars", min: "5", max: "1", step: "-1" });
    expect(bad.ok ? {} : bad.errors).toEqual({
      max: "The highest value must be above the lowest.",
      step: "The step is a positive number, or empty for any value.",
    });
    const good = toConfigIn({ ...emptyDraft("numeric"), name: "stars", min: "1", max: "5", step: "1" });
    expect(good).toEqual({ ok: true, value: { name: "stars", kind: "numeric", description: null, min: 1, max: 5, step: 1 } });
  });

  it("needs nothing more for yes/no and text", () => {
    expect(toConfigIn({ ...emptyDraft("boolean"), name: "safe" }).ok).toBe(true);
    expect(toConfigIn({ ...emptyDraft("text"), name: "notes" }).ok).toBe(true);
  });
});

describe("toConfigPatch", () => {
  it("keeps name and kind out of the change", () => {
    const config = {
      id: "1", name: "stars", kind: "numeric" as const, min: 1, max: 5, step: 1, description: "d",
      archived: false, created_at: "", updated_at: "",
    };
    const draft = { ...draftFromConfig(config), max: "10" };
    expect(toConfigPatch(draft)).toEqual({ ok: true, value: { description: "d", min: 1, max: 10, step: 1 } });
  });
});

describe("describeScale", () => {
  it("says what each kind accepts", () => {
    expect(describeScale({ kind: "numeric", min: 0, max: 10, step: 1 })).toBe("0 – 10, step 1");
    expect(describeScale({ kind: "categorical", categories: [{ label: "a", value: 1 }, { label: "b", value: 0 }] })).toBe("a · b");
    expect(describeScale({ kind: "boolean" })).toBe("yes / no");
  });
});
