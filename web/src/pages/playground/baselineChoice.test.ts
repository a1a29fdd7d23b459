import { describe, expect, it } from "vitest";

import { baselineChoices } from "./baselineChoice";

const run = (name: string, dataset: string | null, started: string) => ({
  name,
  dataset: dataset === null ? null : { name: dataset, version: 1 },
  started_at: started,
});

describe("baselineChoices", () => {
  const all = [
    run("old-golden", "golden", "2026-01-01T10:00:00Z"),
    run("other", "tickets", "2026-01-03T10:00:00Z"),
    run("new-golden", "golden", "2026-01-02T10:00:00Z"),
    run("no-dataset", null, "2026-01-04T10:00:00Z"),
  ];

  it("offers the experiments on the same dataset, newest first", () => {
    expect(baselineChoices(all, "golden")).toEqual(["new-golden", "old-golden"]);
    expect(baselineChoices(all, "tickets")).toEqual(["other"]);
  });

  it("offers nothing before a dataset is picked, or for a dataset never run", () => {
    expect(baselineChoices(all, null)).toEqual([]);
    expect(baselineChoices(all, "fresh")).toEqual([]);
  });
});
