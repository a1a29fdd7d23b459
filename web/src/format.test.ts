import { describe, expect, it } from "vitest";

import { formatCost, formatDuration, formatPercent } from "./format";

describe("format", () => {
  it("shows durations in the unit a person reads best", () => {
    expect(formatDuration(850.4)).toBe("850 ms");
    expect(formatDuration(1234)).toBe("1.23 s");
    expect(formatDuration(12_345)).toBe("12.3 s");
    expect(formatDuration(245_000)).toBe("4m 05s");
    expect(formatDuration(null)).toBe("—");
  });

  it("keeps fractions of a cent visible", () => {
    expect(formatCost(0.00042)).toBe("$0.00042");
    expect(formatCost(1.5)).toBe("$1.50");
    expect(formatCost(0)).toBe("$0");
  });

  it("shows rates as percentages", () => {
    expect(formatPercent(0.0423)).toBe("4.2%");
  });
});
