import { describe, expect, it } from "vitest";

import { defaultComparison, readPromptUrl, writePromptUrl } from "./promptUrl";

describe("readPromptUrl", () => {
  it("reads the tab, the version and the compared versions", () => {
    expect(readPromptUrl(new URLSearchParams("tab=diff&from=2&to=3&version=3"))).toEqual({
      tab: "diff",
      version: 3,
      from: 2,
      to: 3,
    });
  });

  it("falls back to the versions tab and the latest version on anything odd", () => {
    expect(readPromptUrl(new URLSearchParams("tab=nope&version=0&from=-1&to=x"))).toEqual({
      tab: "versions",
      version: undefined,
      from: undefined,
      to: undefined,
    });
  });
});

describe("writePromptUrl", () => {
  it("sets and clears parts, leaving the others", () => {
    const start = new URLSearchParams("version=3&keep=1");
    expect(writePromptUrl(start, { tab: "history" }).toString()).toBe("version=3&keep=1&tab=history");
    expect(writePromptUrl(start, { version: null, from: 1, to: 2 }).toString()).toBe("keep=1&from=1&to=2");
  });

  it("leaves the default tab out of the URL", () => {
    expect(writePromptUrl(new URLSearchParams("tab=diff"), { tab: "versions" }).toString()).toBe("");
  });
});

describe("defaultComparison", () => {
  it("compares the selected version with the one before it", () => {
    expect(defaultComparison([5, 4, 2, 1], 4)).toEqual({ from: 2, to: 4 });
  });

  it("compares the latest with the one before when nothing is selected", () => {
    expect(defaultComparison([3, 2, 1], undefined)).toEqual({ from: 2, to: 3 });
  });

  it("compares the first version with the next when it is the selected one", () => {
    expect(defaultComparison([3, 2, 1], 1)).toEqual({ from: 1, to: 2 });
  });

  it("has nothing to compare with one version or none", () => {
    expect(defaultComparison([1], undefined)).toEqual({ from: undefined, to: 1 });
    expect(defaultComparison([], 2)).toEqual({ from: undefined, to: undefined });
  });
});
