import { describe, expect, it } from "vitest";

import type { Schemas } from "../../api/client";
import { compareOrder, datasetLabel, mayHaveBaseline, scorerColumns } from "./experimentList";

type Experiment = Schemas["Experiment"];

function exp(name: string, minute: number, extra: Partial<Experiment> = {}): Experiment {
  return {
    id: `id-${minute}`,
    project: "p",
    name,
    started_at: `2026-01-01T10:${String(minute).padStart(2, "0")}:00Z`,
    status: "finished",
    case_count: 1,
    error_count: 0,
    trial_count: 1,
    ...extra,
  };
}

const golden = { name: "golden", version: 2 };
// newest first, as the API lists them
const all = [
  exp("c", 3, { dataset: golden, summary: { em: { mean: 1, count: 1, errors: 0 } } }),
  exp("other", 2, { dataset: { name: "other" }, baseline: "a" }),
  exp("b", 1, { dataset: golden, summary: { tone: { mean: 1, count: 1, errors: 0 } } }),
  exp("a", 0, { dataset: golden }),
  exp("loose", 4),
];

describe("experiment list", () => {
  it("knows when the server can find a baseline", () => {
    const has = (name: string) => mayHaveBaseline(all.find((e) => e.name === name)!, all);
    expect(has("c")).toBe(true); // b and a ran earlier on golden
    expect(has("a")).toBe(false); // the first on golden
    expect(has("other")).toBe(true); // names one
    expect(has("loose")).toBe(false); // no dataset, no earlier run without one
  });

  it("orders picked experiments oldest first, the baseline", () => {
    expect(compareOrder(["c", "a", "b"], all)).toEqual(["a", "b", "c"]);
  });

  it("gathers scorer columns and labels datasets", () => {
    expect(scorerColumns(all)).toEqual(["em", "tone"]);
    expect(datasetLabel(all[0])).toBe("golden@2");
    expect(datasetLabel(all[1])).toBe("other");
    expect(datasetLabel(all[4])).toBe("—");
  });
});
