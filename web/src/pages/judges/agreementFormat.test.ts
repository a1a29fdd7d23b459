import { describe, expect, it } from "vitest";

import {
  columnTotals,
  formatFigure,
  formatInterval,
  isWorse,
  kappaWords,
  metricsFor,
  rowTotals,
  seriesMetrics,
  seriesRows,
  shadeCell,
  verdict,
} from "./agreementFormat";

describe("shadeCell", () => {
  it("leaves empty cells white", () => {
    expect(shadeCell(0, 10, true)).toEqual({ share: 0, background: "transparent", color: "inherit" });
    expect(shadeCell(0, 0, false).share).toBe(0);
  });

  it("colours agreement teal and disagreement red, deeper with the share of the row", () => {
    const light = shadeCell(1, 10, true);
    const deep = shadeCell(9, 10, true);
    expect(light.background).toBe("rgba(18, 184, 134, 0.2)");
    expect(deep.background).toBe("rgba(18, 184, 134, 0.82)");
    expect(deep.color).toBe("white");
    expect(light.color).toBe("inherit");
    expect(shadeCell(5, 10, false).background).toBe("rgba(250, 82, 82, 0.51)");
    expect(shadeCell(10, 10, false).share).toBe(1);
  });
});

describe("totals", () => {
  const confusion = [
    [5, 1, 0],
    [2, 3, 0],
    [0, 4, 1],
  ];
  it("sums rows (people) and columns (judge)", () => {
    expect(rowTotals(confusion)).toEqual([6, 5, 5]);
    expect(columnTotals(confusion)).toEqual([7, 8, 1]);
    expect(columnTotals([])).toEqual([]);
  });
});

describe("figures", () => {
  it("formats values and intervals", () => {
    expect(formatFigure(0.6234)).toBe("0.62");
    expect(formatFigure(null)).toBe("—");
    expect(formatFigure(Number.NaN)).toBe("—");
    expect(formatInterval({ value: 0.5, ci_low: 0.41, ci_high: 0.78 })).toBe("0.41 – 0.78");
    expect(formatInterval({ value: 0.5, ci_low: null, ci_high: null })).toBeNull();
    expect(formatInterval(undefined)).toBeNull();
  });

  it("knows which side of the threshold is worse", () => {
    expect(isWorse(0.3, 0.6, "cohen_kappa")).toBe(true);
    expect(isWorse(0.7, 0.6, "accuracy")).toBe(false);
    expect(isWorse(0.3, 0.2, "mae")).toBe(true);
  });

  it("says kappa in words", () => {
    expect(kappaWords(-0.1)).toBe("worse than chance");
    expect(kappaWords(0)).toBe("no better than chance");
    expect(kappaWords(0.15)).toBe("slight agreement");
    expect(kappaWords(0.5)).toBe("moderate agreement");
    expect(kappaWords(0.9)).toBe("almost perfect agreement");
    expect(kappaWords(null)).toBeNull();
  });

  it("shows a verdict by its label, else its value", () => {
    expect(verdict("helpful", 1)).toBe("helpful");
    expect(verdict(null, 0.5)).toBe("0.50");
    expect(verdict(undefined, undefined)).toBe("—");
  });

  it("picks the figures of each kind", () => {
    expect(metricsFor("categorical")[0]).toBe("cohen_kappa");
    expect(metricsFor("numeric")).toEqual(["pearson", "spearman", "mae"]);
    expect(seriesMetrics("categorical", "cohen_kappa")).toEqual(["cohen_kappa", "accuracy"]);
    expect(seriesMetrics("categorical", "accuracy")).toEqual(["accuracy"]);
    expect(seriesMetrics("numeric", "pearson")).toEqual(["pearson", "mae"]);
  });
});

describe("seriesRows", () => {
  it("makes one row per week with null for undefined figures", () => {
    const rows = seriesRows(
      [
        { week_start: "2026-03-02", n: 12, metrics: { cohen_kappa: { value: 0.5 } } },
        { week_start: "2026-03-09", n: 3, metrics: {} },
      ],
      ["cohen_kappa", "accuracy"],
    );
    expect(rows).toEqual([
      { week: "2026-03-02", n: 12, cohen_kappa: 0.5, accuracy: null },
      { week: "2026-03-09", n: 3, cohen_kappa: null, accuracy: null },
    ]);
  });
});
