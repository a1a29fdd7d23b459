/** Names, numbers and colours of a judge's agreement with people, in words a reader knows. */
import type { Schemas } from "../../api/client";

export type Estimate = Schemas["Estimate"];
export type Metric = Schemas["Judge"]["threshold_metric"];
export type Kind = Schemas["JudgeAgreement"]["kind"];

export const METRIC_LABELS: Record<Metric, string> = {
  cohen_kappa: "Cohen's kappa",
  accuracy: "Accuracy",
  macro_precision: "Precision (macro)",
  macro_recall: "Recall (macro)",
  macro_f1: "F1 (macro)",
  pearson: "Pearson r",
  spearman: "Spearman ρ",
  mae: "Mean absolute error",
};

export const METRIC_HINTS: Record<Metric, string> = {
  cohen_kappa: "Agreement beyond chance: 1 is perfect, 0 is no better than guessing.",
  accuracy: "Share of items where the judge gave the person's label.",
  macro_precision: "When the judge gives a label, how often the person gave it too (mean over labels).",
  macro_recall: "Of the items a person gave a label, how many the judge found (mean over labels).",
  macro_f1: "Balance of precision and recall (mean over labels).",
  pearson: "Linear correlation of the judge's and the person's values.",
  spearman: "Rank correlation: do they order items the same way?",
  mae: "Mean distance between the judge's and the person's values (lower is better).",
};

/** The figures shown for each kind of comparison, the most telling first. */
export function metricsFor(kind: Kind): Metric[] {
  return kind === "categorical"
    ? ["cohen_kappa", "accuracy", "macro_precision", "macro_recall", "macro_f1"]
    : ["pearson", "spearman", "mae"];
}

/** 0.6234 → "0.62"; missing → "—". */
export function formatFigure(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(digits);
}

/** "0.41 – 0.78", or null when the interval was not computed. */
export function formatInterval(estimate: Estimate | undefined): string | null {
  if (!estimate || estimate.ci_low == null || estimate.ci_high == null) return null;
  return `${formatFigure(estimate.ci_low)} – ${formatFigure(estimate.ci_high)}`;
}

/** Whether `value` is on the wrong side of `threshold` (MAE: above; the rest: below). */
export function isWorse(value: number, threshold: number, metric: Metric): boolean {
  return metric === "mae" ? value > threshold : value < threshold;
}

/** Kappa in words (Landis & Koch), for readers who do not know what 0.43 means. */
export function kappaWords(kappa: number | null | undefined): string | null {
  if (kappa === null || kappa === undefined || !Number.isFinite(kappa)) return null;
  if (kappa < -0.05) return "worse than chance";
  if (kappa <= 0.05) return "no better than chance";
  if (kappa <= 0.2) return "slight agreement";
  if (kappa <= 0.4) return "fair agreement";
  if (kappa <= 0.6) return "moderate agreement";
  if (kappa <= 0.8) return "substantial agreement";
  return "almost perfect agreement";
}

/** A verdict as people read it: the label, else the value. */
export function verdict(label: string | null | undefined, value: number | null | undefined): string {
  if (label) return label;
  return value === null || value === undefined ? "—" : formatFigure(value);
}

export interface CellShade {
  /** Share of the row (what the person said) that falls in this cell, 0..1. */
  share: number;
  background: string;
  color: string;
}

const AGREE = "18, 184, 134"; // teal: the judge said what the person said
const DISAGREE = "250, 82, 82"; // red: it did not

/**
 * The colour of a confusion-matrix cell: diagonal cells (agreement) in teal, the others in red,
 * deeper as the cell holds more of its row. Empty cells stay white.
 */
export function shadeCell(count: number, rowTotal: number, diagonal: boolean): CellShade {
  const share = rowTotal > 0 ? count / rowTotal : 0;
  if (count === 0) return { share: 0, background: "transparent", color: "inherit" };
  const alpha = Math.round((0.12 + 0.78 * share) * 100) / 100;
  return {
    share,
    background: `rgba(${diagonal ? AGREE : DISAGREE}, ${alpha})`,
    color: alpha > 0.55 ? "white" : "inherit",
  };
}

/** Row totals of a confusion matrix (how often people gave each label). */
export function rowTotals(confusion: number[][]): number[] {
  return confusion.map((row) => row.reduce((a, b) => a + b, 0));
}

/** Column totals (how often the judge gave each label). */
export function columnTotals(confusion: number[][]): number[] {
  const width = Math.max(0, ...confusion.map((r) => r.length));
  return Array.from({ length: width }, (_, j) => confusion.reduce((a, row) => a + (row[j] ?? 0), 0));
}

export interface SeriesRow {
  week: string;
  n: number;
  [metric: string]: string | number | null;
}

/** The weekly series as chart rows: one per week, a column per figure (null when undefined). */
export function seriesRows(series: Schemas["AgreementPoint"][], metrics: Metric[]): SeriesRow[] {
  return series.map((point) => {
    const row: SeriesRow = { week: point.week_start, n: point.n };
    for (const metric of metrics) {
      const value = point.metrics?.[metric]?.value;
      row[metric] = value === undefined || value === null || !Number.isFinite(value) ? null : value;
    }
    return row;
  });
}

/** The figures of the weekly series: the judge's threshold metric, then accuracy (or MAE). */
export function seriesMetrics(kind: Kind, thresholdMetric: Metric): Metric[] {
  const second: Metric = kind === "categorical" ? "accuracy" : "mae";
  return thresholdMetric === second ? [second] : [thresholdMetric, second];
}
