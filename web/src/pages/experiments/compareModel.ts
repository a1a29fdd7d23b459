import type { Schemas } from "../../api/client";

type Comparison = Schemas["Comparison"];
type CaseDiff = Schemas["CaseDiff"];
export type CaseStatus = CaseDiff["status"];
export type ErrorInfo = Schemas["ErrorInfo"];

/** One non-baseline experiment's version of a case. */
export interface RunCell {
  output: unknown;
  traceId: string | null;
  status: CaseStatus;
  error: ErrorInfo | null;
  /** Per scorer: this run's value, the baseline's and their difference. */
  scores: Record<string, Schemas["ScoreDiff"]>;
  /** Mean of the score differences (null when none could be taken). */
  meanDiff: number | null;
}

/** The baseline's version of a case, as the comparisons saw it. */
export interface BaselineCell {
  present: boolean;
  output: unknown;
  traceId: string | null;
  scores: Record<string, number | null>;
}

/** One case across the baseline and every compared experiment. */
export interface CaseRow {
  caseId: string;
  input: unknown;
  expected: unknown;
  baseline: BaselineCell;
  /** One cell per compared experiment, in order; null when that experiment lacks the case. */
  runs: (RunCell | null)[];
  /** Lower-cased input, for search. */
  search: string;
  /** The production span the case's dataset record came from, if any. */
  source: Schemas["RecordSource"] | null;
}

type Plain = string | number | boolean | null;

function isFlat(value: unknown): value is Record<string, Plain> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const values = Object.values(value);
  return values.length > 0 && values.every((v) => v === null || typeof v !== "object");
}

/**
 * Text for people: strings as they are, a flat object as "key: value" lines, anything else as
 * indented JSON.
 */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (isFlat(value)) {
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join("\n");
  }
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Texts longer than this (or with more lines) get a "show all" toggle. */
const LONG_CHARS = 240;
const LONG_LINES = 8;

/** Whether a text is long enough to be clamped until someone asks for all of it. */
export function isLong(text: string): boolean {
  return text.length > LONG_CHARS || text.split("\n", LONG_LINES + 1).length > LONG_LINES;
}

function meanDiff(scores: Record<string, Schemas["ScoreDiff"]>): number | null {
  const diffs = Object.values(scores)
    .map((s) => s.diff)
    .filter((d): d is number => typeof d === "number");
  return diffs.length ? diffs.reduce((a, b) => a + b, 0) / diffs.length : null;
}

function runCell(c: CaseDiff): RunCell {
  const scores = c.scores ?? {};
  return {
    output: c.experiment_output,
    traceId: c.trace_id ?? null,
    status: c.status,
    error: c.error ?? null,
    scores,
    meanDiff: meanDiff(scores),
  };
}

/**
 * The cases of several comparisons (each experiment against the same baseline) merged by
 * case id. Rows keep the order in which cases first appear (the server sends the worst first).
 */
export function mergeComparisons(comparisons: Comparison[]): CaseRow[] {
  const rows = new Map<string, CaseRow>();
  comparisons.forEach((cmp, i) => {
    for (const c of cmp.cases ?? []) {
      let row = rows.get(c.case_id);
      if (!row) {
        row = {
          caseId: c.case_id,
          input: c.input,
          expected: c.expected,
          baseline: { present: false, output: null, traceId: null, scores: {} },
          runs: comparisons.map(() => null),
          search: toText(c.input).toLowerCase(),
          source: c.source ?? null,
        };
        rows.set(c.case_id, row);
      }
      if (!row.source && c.source) row.source = c.source;
      row.runs[i] = runCell(c);
      if (c.status !== "new" && !row.baseline.present) {
        const scores: Record<string, number | null> = {};
        for (const [name, s] of Object.entries(c.scores ?? {})) scores[name] = s.baseline ?? null;
        row.baseline = {
          present: true,
          output: c.baseline_output,
          traceId: c.baseline_trace_id ?? null,
          scores,
        };
      }
    }
  });
  return [...rows.values()];
}

export type CaseFilter = "all" | "regressed" | "improved" | "errored";
export const CASE_FILTERS: CaseFilter[] = ["all", "regressed", "improved", "errored"];

/** Whether any compared experiment's version of the case has the status of ``filter``. */
export function matchesFilter(row: CaseRow, filter: CaseFilter): boolean {
  if (filter === "all") return true;
  return row.runs.some((r) => r?.status === filter);
}

/** How many cases each filter keeps. */
export function countByFilter(rows: CaseRow[]): Record<CaseFilter, number> {
  const counts: Record<CaseFilter, number> = {
    all: rows.length,
    regressed: 0,
    improved: 0,
    errored: 0,
  };
  for (const row of rows) {
    for (const f of ["regressed", "improved", "errored"] as const) {
      if (matchesFilter(row, f)) counts[f] += 1;
    }
  }
  return counts;
}

export type CaseSort = "regression" | "improvement" | "case";

const RANK: Record<CaseStatus, number> = {
  regressed: 0,
  errored: 1,
  improved: 2,
  new: 3,
  unchanged: 4,
};

function worst(row: CaseRow): [number, number] {
  let rank = 5;
  let diff = Infinity;
  for (const r of row.runs) {
    if (!r) continue;
    rank = Math.min(rank, RANK[r.status]);
    if (r.meanDiff !== null) diff = Math.min(diff, r.meanDiff);
  }
  return [rank, diff === Infinity ? 0 : diff];
}

function best(row: CaseRow): number {
  let diff = -Infinity;
  for (const r of row.runs) {
    if (r && r.meanDiff !== null) diff = Math.max(diff, r.meanDiff);
  }
  return diff;
}

function byCase(a: CaseRow, b: CaseRow): number {
  return a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0;
}

/** The rows kept by ``filter`` whose input contains ``query``, in ``sort`` order (a new array). */
export function selectCases(
  rows: CaseRow[],
  { filter, query, sort }: { filter: CaseFilter; query: string; sort: CaseSort },
): CaseRow[] {
  const q = query.trim().toLowerCase();
  const kept = rows.filter((r) => matchesFilter(r, filter) && (!q || r.search.includes(q)));
  if (sort === "case") return kept.sort(byCase);
  if (sort === "improvement") {
    const keys = new Map(kept.map((r) => [r, best(r)]));
    return kept.sort((a, b) => keys.get(b)! - keys.get(a)! || byCase(a, b));
  }
  const keys = new Map(kept.map((r) => [r, worst(r)]));
  return kept.sort((a, b) => {
    const [ra, da] = keys.get(a)!;
    const [rb, db] = keys.get(b)!;
    return ra - rb || da - db || byCase(a, b);
  });
}

/** Score names across comparisons, sorted. */
export function scorerNames(comparisons: Comparison[]): string[] {
  const names = new Set<string>();
  for (const cmp of comparisons) for (const s of cmp.scorers ?? []) names.add(s.name);
  return [...names].sort();
}
