/** The series answer reshaped for the charts: one row per bucket, keys the charts can read. */

import type { Schemas } from "../../api/client";

type Point = Schemas["SeriesPoint"];

export interface ChartRow {
  [key: string]: string | number | null;
  time: string;
}

export interface ScoreSeries {
  /** Data key in the score rows (score names may hold dots, which charts read as paths). */
  key: string;
  name: string;
}

export interface SeriesData {
  rows: ChartRow[];
  scoreRows: ChartRow[];
  scores: ScoreSeries[];
  totals: { traces: number; errors: number; tokens: number; cost: number };
}

/** Rows for the charts; `label` turns a bucket's start into the x-axis text. */
export function toSeriesData(points: Point[], label: (bucketStart: string) => string): SeriesData {
  const names = [...new Set(points.flatMap((p) => Object.keys(p.scores ?? {})))].sort();
  const scores = names.map((name, i) => ({ key: `s${i}`, name }));
  const totals = { traces: 0, errors: 0, tokens: 0, cost: 0 };
  const rows: ChartRow[] = [];
  const scoreRows: ChartRow[] = [];
  for (const p of points) {
    const time = label(p.bucket_start);
    totals.traces += p.traces;
    totals.errors += p.errors;
    totals.tokens += p.total_tokens;
    totals.cost += p.cost;
    rows.push({
      time,
      traces: p.traces,
      errorRate: p.traces ? p.error_rate * 100 : null,
      p50: p.latency_p50_ms ?? null,
      p95: p.latency_p95_ms ?? null,
      prompt: p.prompt_tokens,
      completion: p.completion_tokens,
      cost: p.cost,
    });
    const row: ChartRow = { time };
    for (const s of scores) row[s.key] = p.scores?.[s.name] ?? null;
    scoreRows.push(row);
  }
  return { rows, scoreRows, scores, totals };
}

/** Whether any bucket has a trace or a score. */
export function hasData(data: SeriesData): boolean {
  return data.totals.traces > 0 || data.scores.length > 0;
}
