import { describe, expect, it } from "vitest";

import { promptParts } from "./promptParts";

describe("promptParts", () => {
  it("splits text and variables", () => {
    expect(promptParts("Q: {{input}}\nA: {{ output.answer }}!")).toEqual([
      { text: "Q: ", variable: false },
      { text: "input", variable: true },
      { text: "\nA: ", variable: false },
      { text: "output.answer", variable: true },
      { text: "!", variable: false },
    ]);
  });

  it("keeps a prompt without variables whole", () => {
    expect(promptParts("plain")).toEqual([{ text: "plain", variable: false }]);
    expect(promptParts("")).toEqual([]);
    expect(promptParts("{{x}}")).toEqual([{ text: "x", variable: true }]);
  });
});
