/** Alerts in words: the metrics, a condition as a sentence ("error_rate > 0.2 over 5 min"). */
import type { Alert, AlertMetric } from "./alertsApi";

export interface MetricInfo {
  label: string;
  hint: string;
}

export const METRICS: Record<AlertMetric, MetricInfo> = {
  error_rate: { label: "Error rate", hint: "Share of traces that failed, from 0 to 1." },
  p95_latency_ms: { label: "p95 latency (ms)", hint: "95th percentile of trace duration, in milliseconds." },
  cost_per_hour: { label: "Cost per hour (USD)", hint: "Model spend per hour over the window." },
  trace_count: { label: "Trace count", hint: "Traces received in the window." },
  score_mean: { label: "Mean of a score", hint: "Mean value (0–1) of the scores with one name." },
  judge_agreement: { label: "Judge agreement", hint: "How far a judge agrees with people's scores." },
};

/** 300 → "5 min", 3600 → "1 h", 86400 → "1 day", 45 → "45 s". */
export function windowText(seconds: number): string {
  if (seconds >= 86400 && seconds % 86400 === 0) {
    const days = seconds / 86400;
    return days === 1 ? "1 day" : `${days} days`;
  }
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The series an alert watches: "error_rate", "mean(helpfulness)", "cohen_kappa(tone)". */
export function seriesText(alert: Pick<Alert, "metric" | "score_name" | "judge" | "agreement_metric">): string {
  if (alert.metric === "score_mean") return `mean(${alert.score_name ?? "?"})`;
  if (alert.metric === "judge_agreement") return `${alert.agreement_metric || "cohen_kappa"}(${alert.judge ?? "?"})`;
  return alert.metric;
}

/** "error_rate > 0.2 over 5 min". */
export function conditionText(
  alert: Pick<Alert, "metric" | "score_name" | "judge" | "agreement_metric" | "operator" | "threshold" | "window_seconds">,
): string {
  const op = alert.operator === "above" ? ">" : "<";
  return `${seriesText(alert)} ${op} ${alert.threshold} over ${windowText(alert.window_seconds ?? 300)}`;
}

/** A value of the series, with the digits that matter: 0.2345 → "0.235", 1234.5 → "1,235". */
export function valueText(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  return String(Number(value.toPrecision(3)));
}

/** `link` as an in-app path when it is relative or on `origin`; null otherwise. */
export function appPath(link: string, origin: string): string | null {
  if (link.startsWith("/")) return link;
  try {
    const url = new URL(link);
    return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : null;
  } catch {
    return null;
  }
}
