import type { Schemas } from "../../api/client";

type Experiment = Schemas["Experiment"];

function startedBefore(a: Experiment, b: Experiment): boolean {
  const ta = Date.parse(a.started_at);
  const tb = Date.parse(b.started_at);
  return ta < tb || (ta === tb && a.id < b.id);
}

/**
 * Whether the server can find a baseline for ``exp``: an explicit one, or an earlier experiment
 * on the same dataset name (the server's default). Saves asking when the answer is surely 404.
 */
export function mayHaveBaseline(exp: Experiment, all: Experiment[]): boolean {
  if (exp.baseline) return true;
  const dataset = exp.dataset?.name ?? null;
  return all.some(
    (o) => o.id !== exp.id && (o.dataset?.name ?? null) === dataset && startedBefore(o, exp),
  );
}

/** Names of the picked experiments in the order compare wants: oldest (the baseline) first. */
export function compareOrder(picked: Iterable<string>, all: Experiment[]): string[] {
  const wanted = new Set(picked);
  return all
    .filter((e) => wanted.has(e.name))
    .sort((a, b) => (startedBefore(a, b) ? -1 : startedBefore(b, a) ? 1 : 0))
    .map((e) => e.name);
}

/** Scorer names over all experiments (one column each), sorted. */
export function scorerColumns(all: Experiment[]): string[] {
  return [...new Set(all.flatMap((e) => Object.keys(e.summary ?? {})))].sort();
}

/** Summary score names over all experiments, sorted. */
export function summaryScoreColumns(all: Experiment[]): string[] {
  return [...new Set(all.flatMap((e) => Object.keys(e.summary_scores ?? {})))].sort();
}

/** "golden@3", "golden", or "—". */
export function datasetLabel(exp: Experiment): string {
  if (!exp.dataset) return "—";
  const v = exp.dataset.version;
  return v === null || v === undefined ? exp.dataset.name : `${exp.dataset.name}@${v}`;
}
