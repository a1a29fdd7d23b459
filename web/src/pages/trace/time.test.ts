import { describe, expect, it } from "vitest";

import { barPosition, formatMs, parseTime } from "./time";

describe("formatMs", () => {
  it("keeps fractions of a millisecond and defers to formatDuration above 10 ms", () => {
    expect(formatMs(0)).toBe("0 ms");
    expect(formatMs(0.237)).toBe("0.24 ms");
    expect(formatMs(4.26)).toBe("4.3 ms");
    expect(formatMs(850)).toBe("850 ms");
    expect(formatMs(12_300)).toBe("12.3 s");
    expect(formatMs(null)).toBe("—");
  });
});

describe("parseTime", () => {
  it("keeps microseconds", () => {
    const base = Date.parse("2026-01-01T00:00:00Z");
    expect(parseTime("2026-01-01T00:00:00.000250Z") - base).toBeCloseTo(0.25, 3);
    expect(parseTime("2026-01-01T00:00:01.5Z") - base).toBeCloseTo(1500, 3);
    expect(parseTime("2026-01-01T00:00:00Z")).toBe(base);
    expect(parseTime("2026-01-01T02:00:00.123456+02:00") - base).toBeCloseTo(123.456, 3);
  });
});

describe("barPosition", () => {
  const timeline = { startMs: 1000, endMs: 1000.5 };
  it("places bars relative to the trace, even under a millisecond", () => {
    expect(barPosition(1000, 1000.5, timeline)).toEqual({ left: 0, width: 100 });
    expect(barPosition(1000.25, 1000.375, timeline)).toEqual({ left: 50, width: 25 });
  });
  it("runs open spans to the end and keeps bars inside", () => {
    expect(barPosition(1000.25, null, timeline)).toEqual({ left: 50, width: 50 });
    expect(barPosition(999, 1001, timeline)).toEqual({ left: 0, width: 100 });
    expect(barPosition(1000, 1000, { startMs: 1000, endMs: 1000 }).width).toBe(0);
  });
});
