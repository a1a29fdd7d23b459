/** An experiment read on its own (no baseline): its totals, its scorers and its cases. */
import type { Schemas } from "../../api/client";
import { formatCost, formatCount, formatDuration } from "../../format";

type Experiment = Schemas["Experiment"];
export type ExperimentCase = Schemas["ExperimentCase"];

/** One score of a case: its value, or why the scorer failed, and a judge's rationale. */
export interface CaseScore {
  name: string;
  value: number | null;
  error: string | null;
  rationale: string | null;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The scores of a case by name, the failed scorers among them (with their error). */
export function caseScores(c: Pick<ExperimentCase, "scores" | "score_errors" | "score_metadata">): CaseScore[] {
  const scores = c.scores ?? {};
  const errors = c.score_errors ?? {};
  const names = [...new Set([...Object.keys(scores), ...Object.keys(errors)])].sort(byName);
  return names.map((name) => {
    const failed = errors[name];
    const why = c.score_metadata?.[name]?.rationale;
    return {
      name,
      value: scores[name] ?? null,
      error: failed ? `${failed.type}: ${failed.message}` : null,
      rationale: typeof why === "string" && why ? why : null,
    };
  });
}

/** What the case cost: "850 ms", "21 in · 6 out" (or "27 tokens"), "$0.0012"; unknown parts are left out. */
export function caseFacts(
  c: Pick<ExperimentCase, "duration_ms" | "prompt_tokens" | "completion_tokens" | "total_tokens" | "cost">,
): string[] {
  const facts: string[] = [];
  if (typeof c.duration_ms === "number") facts.push(formatDuration(c.duration_ms));
  const split = typeof c.prompt_tokens === "number" || typeof c.completion_tokens === "number";
  if (split) facts.push(`${formatCount(c.prompt_tokens ?? 0)} in · ${formatCount(c.completion_tokens ?? 0)} out`);
  else if (typeof c.total_tokens === "number") facts.push(`${formatCount(c.total_tokens)} tokens`);
  if (typeof c.cost === "number" && c.cost > 0) facts.push(formatCost(c.cost));
  return facts;
}

/** A scorer over the whole experiment. */
export interface ScorerRow {
  name: string;
  mean: number | null;
  count: number;
  errors: number;
}

/** The experiment's scorers, by name. */
export function scorerRows(exp: Pick<Experiment, "summary">): ScorerRow[] {
  return Object.entries(exp.summary ?? {})
    .sort(([a], [b]) => byName(a, b))
    .map(([name, s]) => ({ name, mean: s.mean ?? null, count: s.count ?? 0, errors: s.errors ?? 0 }));
}

/** The experiment's totals for people, as label and value; tokens and cost only when recorded. */
export function totalFacts(
  exp: Pick<Experiment, "case_count" | "error_count" | "totals">,
): { label: string; value: string }[] {
  const t = exp.totals;
  const facts = [
    { label: "Cases", value: formatCount(exp.case_count) },
    { label: "Errors", value: formatCount(exp.error_count) },
    { label: "Mean latency", value: formatDuration(t?.duration_ms_mean) },
  ];
  if (t?.total_tokens) {
    const split = t.prompt_tokens || t.completion_tokens;
    const detail = split ? ` (${formatCount(t.prompt_tokens)} in · ${formatCount(t.completion_tokens)} out)` : "";
    facts.push({ label: "Tokens", value: `${formatCount(t.total_tokens)}${detail}` });
  }
  if (t?.cost) facts.push({ label: "Cost", value: formatCost(t.cost) });
  return facts;
}

/** A key of a case unique in its experiment. */
export function caseKey(c: Pick<ExperimentCase, "case_id" | "trial">): string {
  return `${c.case_id}#${c.trial}`;
}
