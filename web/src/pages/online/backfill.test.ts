import { describe, expect, it } from "vitest";

import { backfillBounds, newSpans } from "./backfill";

const NOW = Date.parse("2026-03-01T12:00:00Z");

describe("backfill range", () => {
  it("ends a preset now", () => {
    expect(backfillBounds("24h", NOW, { from: "", to: "" })).toEqual({
      ok: true,
      start: "2026-02-28T12:00:00.000Z",
      end: "2026-03-01T12:00:00.000Z",
    });
  });

  it("checks a custom range", () => {
    expect(backfillBounds("custom", NOW, { from: "", to: "" })).toEqual({ ok: false, error: "Give the start of the range." });
    expect(backfillBounds("custom", NOW, { from: "2026-03-01T10:00", to: "" }).ok).toBe(false);
    expect(backfillBounds("custom", NOW, { from: "2026-03-01T10:00", to: "2026-03-01T09:00" })).toEqual({
      ok: false,
      error: "The end must be after the start.",
    });
    const ok = backfillBounds("custom", NOW, { from: "2026-03-01T09:00", to: "2026-03-01T10:00" });
    expect(ok.ok && Date.parse(ok.end) - Date.parse(ok.start)).toBe(3_600_000);
  });

  it("counts the spans still to score", () => {
    expect(newSpans({ sampled_spans: 40, already_scored: 15 })).toBe(25);
    expect(newSpans({ sampled_spans: 3, already_scored: 5 })).toBe(0);
  });
});
