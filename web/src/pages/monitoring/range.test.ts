import { describe, expect, it } from "vitest";

import {
  bucketChoices,
  bucketLabel,
  chooseBucket,
  readRangeParams,
  resolveRange,
  tickFormat,
} from "./range";

const HOUR = 3_600;
const DAY = 86_400;

describe("chooseBucket", () => {
  it("picks the smallest bucket that keeps the chart readable", () => {
    expect(chooseBucket(HOUR)).toBe(60);
    expect(chooseBucket(DAY)).toBe(900);
    expect(chooseBucket(7 * DAY)).toBe(3 * HOUR);
    expect(chooseBucket(30 * DAY)).toBe(6 * HOUR);
    expect(chooseBucket(10 * 60)).toBe(60);
  });

  it("falls back to the largest bucket for very long ranges", () => {
    expect(chooseBucket(5 * 365 * DAY)).toBe(7 * DAY);
  });

  it("offers only buckets that give 2 to 10,000 points", () => {
    expect(bucketChoices(HOUR)).toEqual([60, 300, 900, 1_800]);
    expect(bucketChoices(30 * DAY)).not.toContain(60);
    expect(bucketChoices(30 * DAY)).toContain(300);
  });
});

describe("bucketLabel and tickFormat", () => {
  it("names buckets for people", () => {
    expect(bucketLabel(60)).toBe("1 min");
    expect(bucketLabel(900)).toBe("15 min");
    expect(bucketLabel(HOUR)).toBe("1 hour");
    expect(bucketLabel(6 * HOUR)).toBe("6 hours");
    expect(bucketLabel(DAY)).toBe("1 day");
    expect(bucketLabel(7 * DAY)).toBe("1 week");
    expect(bucketLabel(45)).toBe("45 s");
  });

  it("shows times for short ranges and dates for long ones", () => {
    expect(tickFormat(60, HOUR)).toBe("HH:mm");
    expect(tickFormat(3 * HOUR, 7 * DAY)).toBe("MMM D HH:mm");
    expect(tickFormat(DAY, 90 * DAY)).toBe("MMM D");
  });
});

describe("range in the URL", () => {
  it("defaults to the last 24 hours and ignores unknown values", () => {
    expect(readRangeParams(new URLSearchParams(""))).toEqual({
      range: "24h",
      from: undefined,
      to: undefined,
      bucket: undefined,
    });
    expect(readRangeParams(new URLSearchParams("range=2y&bucket=7")).range).toBe("24h");
    expect(readRangeParams(new URLSearchParams("range=7d&bucket=3600"))).toMatchObject({
      range: "7d",
      bucket: 3600,
    });
  });

  it("ends a preset at the end of the current bucket", () => {
    const now = 1_700_000_123;
    const r = resolveRange({ range: "1h" }, now);
    expect(r.bucket).toBe(60);
    expect(r.end).toBe(1_700_000_160);
    expect(r.end - r.start).toBe(HOUR);
    expect(r.end).toBeGreaterThanOrEqual(now);
  });

  it("keeps a bucket the URL asks for when it fits, else chooses one", () => {
    expect(resolveRange({ range: "24h", bucket: 3_600 }, 0).bucket).toBe(3_600);
    expect(resolveRange({ range: "1h", bucket: 86_400 }, 0).bucket).toBe(60);
  });

  it("aligns a custom range to its buckets", () => {
    const r = resolveRange(
      { range: "custom", from: "2024-01-01T10:07:00Z", to: "2024-01-01T12:53:00Z" },
      0,
    );
    expect(r.bucket).toBe(300);
    expect(new Date(r.start * 1000).toISOString()).toBe("2024-01-01T10:05:00.000Z");
    expect(new Date(r.end * 1000).toISOString()).toBe("2024-01-01T12:55:00.000Z");
    expect(r.problem).toBeUndefined();
  });

  it("falls back to the default when a custom range is backwards or missing", () => {
    const backwards = { range: "custom", from: "2024-01-02T00:00:00Z", to: "2024-01-01" } as const;
    const r = resolveRange(backwards, DAY * 100);
    expect(r.range).toBe("24h");
    expect(r.problem).toMatch(/start before its end/);
  });
});
