import { describe, expect, it } from "vitest";

import { selectionFilter } from "./AddAllToDatasetModal";
import { EMPTY_FILTERS } from "./filters";

describe("selectionFilter", () => {
  it("keeps the filters and drops the order", () => {
    const now = Date.parse("2026-03-02T12:00:00Z");
    const filter = selectionFilter(
      { ...EMPTY_FILTERS, range: "1h", tags: ["escalated"], status: "error", sort: "-cost", metadata: [{ key: "env", value: "prod" }] },
      now,
    );
    expect(filter).toEqual({
      start_from: "2026-03-02T11:00:00.000Z",
      tag: ["escalated"],
      status: "error",
      metadata: ["env=prod"],
    });
  });

  it("is empty without filters", () => {
    expect(selectionFilter(EMPTY_FILTERS, 0)).toEqual({});
  });
});
