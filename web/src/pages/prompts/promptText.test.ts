import { describe, expect, it } from "vitest";

import {
  confirmsName,
  labelChoices,
  labelEntries,
  labelProblem,
  moveReason,
  moveText,
  sortLabels,
  undoneMoveIds,
} from "./promptText";

describe("labels", () => {
  it("come production first, then staging, then by name", () => {
    expect(sortLabels(["canary", "staging", "beta", "production"])).toEqual([
      "production",
      "staging",
      "beta",
      "canary",
    ]);
    expect(labelEntries({ labels: { staging: 3, production: 2 } })).toEqual([
      ["production", 2],
      ["staging", 3],
    ]);
  });

  it("offer the usual ones and the prompt's own in the move dialog", () => {
    expect(labelChoices({ labels: { "canary-eu": 1 } })).toEqual(["production", "staging", "canary-eu"]);
  });

  it("must be short lower-case words", () => {
    expect(labelProblem("canary-eu")).toBeNull();
    expect(labelProblem("")).toMatch(/Pick or type/);
    expect(labelProblem("Prod")).toMatch(/lower-case/);
    expect(labelProblem("-x")).toMatch(/starting with/);
  });
});

describe("moveText", () => {
  it("says where a label went, created and removed included", () => {
    expect(moveText({ from_version: 2, to_version: 3 })).toBe("v2 → v3");
    expect(moveText({ from_version: null, to_version: 1 })).toBe("new → v1");
    expect(moveText({ from_version: 3, to_version: null })).toBe("v3 → removed");
  });
});

describe("undoneMoveIds", () => {
  it("names the moves a later one undid", () => {
    expect(undoneMoveIds([{ undo_of: "m1" }, { undo_of: null }, { undo_of: undefined }])).toEqual(new Set(["m1"]));
  });
});

describe("moveReason", () => {
  const first = { id: "m1", prompt: "a", label: "production", from_version: 1, to_version: 2, reason: "better", at: "" };
  it("keeps a move's own reason", () => {
    expect(moveReason(first, [first])).toBe("better");
  });

  it("names the move an undo undid instead of its id", () => {
    const undo = { ...first, id: "m2", from_version: 2, to_version: 1, reason: "undo of m1", undo_of: "m1" };
    expect(moveReason(undo, [undo, first])).toBe("Undid v1 → v2 (better).");
    expect(moveReason(undo, [undo])).toBe("Undid an earlier move.");
    expect(moveReason({ ...undo, reason: "wrong one" }, [undo, first])).toBe("Undid v1 → v2 (better). wrong one");
  });
});

describe("confirmsName", () => {
  it("takes the exact name, spaces around it aside", () => {
    expect(confirmsName(" answer ", "answer")).toBe(true);
    expect(confirmsName("Answer", "answer")).toBe(false);
    expect(confirmsName("answ", "answer")).toBe(false);
    expect(confirmsName("", "")).toBe(false);
  });
});
