import { describe, expect, it } from "vitest";

import { datasetPath, readDatasetParams, sourcePath, writeDatasetParams } from "./datasetUrl";

describe("dataset URL state", () => {
  it("reads the version and the search, ignoring a version that is not a number", () => {
    expect(readDatasetParams(new URLSearchParams("version=3&q=refund"))).toEqual({
      version: 3,
      q: "refund",
    });
    expect(readDatasetParams(new URLSearchParams("version=latest"))).toEqual({
      version: undefined,
      q: "",
    });
    expect(readDatasetParams(new URLSearchParams("version=-1")).version).toBeUndefined();
    expect(readDatasetParams(new URLSearchParams("version=0")).version).toBe(0);
  });

  it("writes changes and drops empty ones", () => {
    const start = new URLSearchParams("version=2&q=x&other=1");
    expect(writeDatasetParams(start, { version: null }).toString()).toBe("q=x&other=1");
    expect(writeDatasetParams(start, { q: "  " }).toString()).toBe("version=2&other=1");
    expect(writeDatasetParams(start, { version: 5, q: "a b" }).toString()).toBe(
      "version=5&q=a+b&other=1",
    );
    expect(start.toString()).toBe("version=2&q=x&other=1");
  });

  it("links a record to the span it came from", () => {
    expect(sourcePath("shop bot", { trace_id: "ab", span_id: "cd" })).toBe(
      "/projects/shop%20bot/traces/ab?span=cd",
    );
    expect(sourcePath("p", { trace_id: "ab", span_id: "cd", project: "other" })).toBe(
      "/projects/other/traces/ab?span=cd",
    );
    expect(datasetPath("p", "golden/v2")).toBe("/projects/p/datasets/golden%2Fv2");
  });
});
