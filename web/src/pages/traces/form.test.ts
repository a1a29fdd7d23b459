import { describe, expect, it } from "vitest";

import { EMPTY_FILTERS, type TraceFilters } from "./filters";
import { countFormFilters, fromDraft, toDraft } from "./form";

describe("the filter form", () => {
  it("shows latency in seconds and stores milliseconds", () => {
    const draft = toDraft({ ...EMPTY_FILTERS, minDurationMs: 1500 });
    expect(draft.minDuration).toBe("1.5");
    const back = fromDraft({ ...draft, maxDuration: "2.25" }, EMPTY_FILTERS);
    expect(back.minDurationMs).toBe(1500);
    expect(back.maxDurationMs).toBe(2250);
  });

  it("includes a metadata pair that was typed but not added", () => {
    const draft = { ...toDraft(EMPTY_FILTERS), pendingMetadata: { key: " tier ", value: "gold" } };
    expect(fromDraft(draft, EMPTY_FILTERS).metadata).toEqual([{ key: "tier", value: "gold" }]);
  });

  it("a custom time window replaces a relative range", () => {
    const filters: TraceFilters = { ...EMPTY_FILTERS, range: "1h", q: "keep me" };
    const draft = { ...toDraft(filters), startFrom: "2026-01-02T03:04" };
    const back = fromDraft(draft, filters);
    expect(back.range).toBeNull();
    expect(back.startFrom).toBe(new Date("2026-01-02T03:04").toISOString());
    expect(back.q).toBe("keep me");
    expect(toDraft(back).startFrom).toBe("2026-01-02T03:04");
  });

  it("drops empty and invalid fields", () => {
    const draft = { ...toDraft(EMPTY_FILTERS), name: "  ", minCost: "abc", tags: ["a", " ", "a"] };
    expect(fromDraft(draft, EMPTY_FILTERS)).toEqual({ ...EMPTY_FILTERS, tags: ["a"] });
  });

  it("counts the filters the form holds", () => {
    expect(countFormFilters(EMPTY_FILTERS)).toBe(0);
    const filters: TraceFilters = {
      ...EMPTY_FILTERS,
      tags: ["a", "b"],
      metadata: [{ key: "k", value: "v" }],
      minCost: 0.1,
      maxCost: 1,
      q: "not in the form",
    };
    expect(countFormFilters(filters)).toBe(4);
  });
});
