import { describe, expect, it } from "vitest";

import type { Schemas } from "../../api/client";
import { hasData, toSeriesData } from "./seriesData";

function point(over: Partial<Schemas["SeriesPoint"]>): Schemas["SeriesPoint"] {
  return {
    bucket_start: "2024-01-01T00:00:00Z",
    traces: 0,
    spans: 0,
    errors: 0,
    error_rate: 0,
    latency_p50_ms: null,
    latency_p95_ms: null,
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
    cost: 0,
    ...over,
  };
}

describe("toSeriesData", () => {
  it("makes one row per bucket, leaving gaps where nothing happened", () => {
    const data = toSeriesData(
      [
        point({
          bucket_start: "a",
          traces: 4,
          errors: 1,
          error_rate: 0.25,
          latency_p50_ms: 120,
          latency_p95_ms: 900,
          prompt_tokens: 10,
          completion_tokens: 5,
          total_tokens: 15,
          cost: 0.5,
          scores: { "helpful.v2": 0.75 },
        }),
        point({ bucket_start: "b", scores: { correct: 1 } }),
      ],
      (t) => t.toUpperCase(),
    );
    expect(data.rows[0]).toEqual({
      time: "A",
      traces: 4,
      errorRate: 25,
      p50: 120,
      p95: 900,
      prompt: 10,
      completion: 5,
      cost: 0.5,
    });
    expect(data.rows[1]).toMatchObject({ time: "B", traces: 0, errorRate: null, p50: null });
    expect(data.scores).toEqual([
      { key: "s0", name: "correct" },
      { key: "s1", name: "helpful.v2" },
    ]);
    expect(data.scoreRows).toEqual([
      { time: "A", s0: null, s1: 0.75 },
      { time: "B", s0: 1, s1: null },
    ]);
    expect(data.totals).toEqual({ traces: 4, errors: 1, tokens: 15, cost: 0.5 });
    expect(hasData(data)).toBe(true);
  });

  it("has no data when no bucket has traces or scores", () => {
    expect(hasData(toSeriesData([point({}), point({})], (t) => t))).toBe(false);
  });
});
