import { describe, expect, it } from "vitest";

import { formatScore, scoreColor, sortedScores } from "./scores";

describe("score badges", () => {
  it("colours 0–1 scores by how good they are", () => {
    expect(scoreColor(1)).toBe("green");
    expect(scoreColor(0.8)).toBe("green");
    expect(scoreColor(0.6)).toBe("yellow");
    expect(scoreColor(0.1)).toBe("red");
    expect(scoreColor(0)).toBe("red");
  });

  it("leaves other scales neutral", () => {
    expect(scoreColor(4)).toBe("gray");
    expect(scoreColor(-1)).toBe("gray");
  });

  it("shows short numbers", () => {
    expect(formatScore(1)).toBe("1");
    expect(formatScore(2 / 3)).toBe("0.67");
    expect(formatScore(0.5)).toBe("0.5");
    expect(formatScore(12.54)).toBe("12.5");
  });

  it("orders score names", () => {
    expect(sortedScores({ tone: 1, correct: 0 })).toEqual([
      ["correct", 0],
      ["tone", 1],
    ]);
    expect(sortedScores(undefined)).toEqual([]);
  });
});
