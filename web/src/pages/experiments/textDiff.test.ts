import { describe, expect, it } from "vitest";

import { DIFF_LIMIT, hasChanges, wordDiff } from "./textDiff";

describe("wordDiff", () => {
  it("marks the words added and removed", () => {
    const diff = wordDiff("The capital is Paris.", "The capital is Lyon.")!;
    expect(diff.parts.filter((p) => p.kind !== "same").map((p) => [p.kind, p.text])).toEqual([
      ["removed", "Paris"],
      ["added", "Lyon"],
    ]);
    expect(diff.parts.filter((p) => p.kind !== "removed").map((p) => p.text).join("")).toBe(
      "The capital is Lyon.",
    );
    expect(diff.clipped).toBe(false);
  });

  it("finds no change in equal texts", () => {
    expect(hasChanges(wordDiff("same words", "same words")!)).toBe(false);
  });

  it("compares only the start of very long texts but keeps all of the new one", () => {
    const before = "a ".repeat(DIFF_LIMIT);
    const after = "b " + "a ".repeat(DIFF_LIMIT);
    const diff = wordDiff(before, after)!;
    expect(diff.clipped).toBe(true);
    expect(diff.parts.filter((p) => p.kind !== "removed").map((p) => p.text).join("")).toBe(after);
  });
});
