import { describe, expect, it } from "vitest";

import { judgePath, readTab, readVersion, tracePath, writeJudgeParams } from "./judgeUrl";

describe("judge URL state", () => {
  it("reads the version", () => {
    expect(readVersion(new URLSearchParams("version=3"))).toBe(3);
    expect(readVersion(new URLSearchParams("version=all"))).toBe("all");
    expect(readVersion(new URLSearchParams("version=0"))).toBeUndefined();
    expect(readVersion(new URLSearchParams("version=x"))).toBeUndefined();
    expect(readVersion(new URLSearchParams(""))).toBeUndefined();
  });

  it("reads the tab, defaulting to the agreement", () => {
    expect(readTab(new URLSearchParams("tab=disagreements"))).toBe("disagreements");
    expect(readTab(new URLSearchParams("tab=nope"))).toBe("agreement");
  });

  it("writes changes and keeps other parameters", () => {
    const base = new URLSearchParams("version=2&x=1");
    expect(writeJudgeParams(base, { version: null }).toString()).toBe("x=1");
    expect(writeJudgeParams(base, { version: "all" }).get("version")).toBe("all");
    const tab = writeJudgeParams(base, { tab: "disagreements" });
    expect(tab.get("tab")).toBe("disagreements");
    expect(writeJudgeParams(tab, { tab: "agreement" }).has("tab")).toBe(false);
  });

  it("builds links", () => {
    expect(judgePath("my bot", "tone/v")).toBe("/projects/my%20bot/judges/tone%2Fv");
    expect(tracePath("p", "abc", "def")).toBe("/projects/p/traces/abc?span=def");
    expect(tracePath("p", "abc", null)).toBe("/projects/p/traces/abc");
  });
});
