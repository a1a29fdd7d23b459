import { describe, expect, it } from "vitest";

import { compareHref, compareSearch, parseCompareState } from "./compareState";

describe("compare URL state", () => {
  it("reads experiments (baseline first), filter, search and order", () => {
    const state = parseCompareState(
      new URLSearchParams("experiments=base,new-1, new-2&filter=regressed&q=refund&sort=case"),
    );
    expect(state).toEqual({
      experiments: ["base", "new-1", "new-2"],
      filter: "regressed",
      query: "refund",
      sort: "case",
    });
  });

  it("falls back to defaults for missing or unknown values and drops repeats", () => {
    const state = parseCompareState(new URLSearchParams("experiments=a,,a&filter=weird&sort=up"));
    expect(state).toEqual({ experiments: ["a"], filter: "all", query: "", sort: "regression" });
  });

  it("writes only what differs from the defaults, with readable commas", () => {
    const state = parseCompareState(new URLSearchParams("experiments=a,b&filter=errored&q=x y"));
    expect(compareSearch(state)).toBe("experiments=a,b&filter=errored&q=x+y");
    expect(parseCompareState(new URLSearchParams(compareSearch(state)))).toEqual(state);
    expect(compareHref("my bot", ["v1", "v 2"])).toBe(
      "/projects/my%20bot/experiments/compare?experiments=v1,v+2",
    );
  });
});
