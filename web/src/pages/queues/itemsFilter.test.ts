import { describe, expect, it } from "vitest";

import { buildItemsRequest, describeAdded, EMPTY_ITEMS_FILTER } from "./itemsFilter";

const NOW = new Date("2026-11-27T12:00:00Z");

describe("buildItemsRequest", () => {
  it("turns the form into the API's filter", () => {
    const built = buildItemsRequest(
      {
        ...EMPTY_ITEMS_FILTER,
        status: "error",
        tags: ["escalated"],
        metadata: "tier=gold\n\n channel = chat ",
        q: " refund ",
        scoreName: "tone",
        scoreBound: "0.5",
        sample: "200",
      },
      NOW,
    );
    expect(built).toEqual({
      ok: true,
      body: {
        filter: {
          start_from: "2026-11-20T12:00:00.000Z",
          status: "error",
          tag: ["escalated"],
          metadata: ["tier=gold", "channel = chat"],
          q: "refund",
          score_name: "tone",
          score_below: 0.5,
        },
        sample: 200,
        target: "trace",
      },
    });
  });

  it("sends an empty filter for every trace of all time", () => {
    expect(buildItemsRequest({ ...EMPTY_ITEMS_FILTER, window: "any" }, NOW)).toEqual({
      ok: true,
      body: { filter: {}, sample: null, target: "trace" },
    });
  });

  it("says what to fix", () => {
    const check = (patch: Partial<typeof EMPTY_ITEMS_FILTER>) => {
      const built = buildItemsRequest({ ...EMPTY_ITEMS_FILTER, ...patch }, NOW);
      return built.ok ? null : built.error;
    };
    expect(check({ metadata: "tier" })).toMatch(/key=value/);
    expect(check({ scoreBound: "0.5" })).toMatch(/Name the score/);
    expect(check({ scoreName: "tone", scoreBound: "low" })).toMatch(/bound/);
    expect(check({ sample: "2.5" })).toMatch(/whole number/);
  });
});

describe("describeAdded", () => {
  it("counts new items and duplicates", () => {
    expect(describeAdded({ added: 1, duplicates: 0 })).toBe("Added 1 item.");
    expect(describeAdded({ added: 1200, duplicates: 3 })).toBe("Added 1,200 items; 3 were already in the queue.");
  });
});
