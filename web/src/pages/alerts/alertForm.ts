/** The alert form's state and its translation to the API's `AlertIn` / `AlertPatch`. */
import type { Alert, AlertIn, AlertMetric, AlertPatch } from "./alertsApi";

export type WindowUnit = "s" | "min" | "h";
const UNIT_SECONDS: Record<WindowUnit, number> = { s: 1, min: 60, h: 3600 };

export interface AlertDraft {
  name: string;
  description: string;
  metric: AlertMetric;
  scoreName: string;
  judge: string;
  agreementMetric: string;
  operator: "above" | "below";
  threshold: number | string;
  windowValue: number | string;
  windowUnit: WindowUnit;
  webhookUrl: string;
  webhookFormat: "json" | "slack";
}

export function emptyAlertDraft(): AlertDraft {
  return {
    name: "",
    description: "",
    metric: "error_rate",
    scoreName: "",
    judge: "",
    agreementMetric: "cohen_kappa",
    operator: "above",
    threshold: "",
    windowValue: 5,
    windowUnit: "min",
    webhookUrl: "",
    webhookFormat: "json",
  };
}

/** The window in the largest whole unit: 300 → 5 min, 90 → 90 s. */
export function splitWindow(seconds: number): { value: number; unit: WindowUnit } {
  if (seconds % 3600 === 0) return { value: seconds / 3600, unit: "h" };
  if (seconds % 60 === 0) return { value: seconds / 60, unit: "min" };
  return { value: seconds, unit: "s" };
}

export function draftFromAlert(alert: Alert): AlertDraft {
  const window = splitWindow(alert.window_seconds ?? 300);
  return {
    name: alert.name,
    description: alert.description ?? "",
    metric: alert.metric,
    scoreName: alert.score_name ?? "",
    judge: alert.judge ?? "",
    agreementMetric: alert.agreement_metric ?? "cohen_kappa",
    operator: alert.operator,
    threshold: alert.threshold,
    windowValue: window.value,
    windowUnit: window.unit,
    webhookUrl: alert.webhook_url ?? "",
    webhookFormat: alert.webhook_format ?? "json",
  };
}

export type AlertErrors = Record<string, string>;
export type BuiltAlert<T> = { ok: true; body: T } | { ok: false; errors: AlertErrors };

function fields(draft: AlertDraft, errors: AlertErrors) {
  const threshold = Number(draft.threshold);
  if (draft.threshold === "" || !Number.isFinite(threshold)) errors.threshold = "Give the threshold as a number.";
  const windowSeconds = Math.round(Number(draft.windowValue) * UNIT_SECONDS[draft.windowUnit]);
  if (!Number.isFinite(windowSeconds) || windowSeconds < 10 || windowSeconds > 7 * 86400) {
    errors.window = "The window is from 10 seconds to 7 days.";
  }
  if (draft.metric === "score_mean" && !draft.scoreName.trim()) errors.scoreName = "Name the score to average.";
  if (draft.metric === "judge_agreement" && !draft.judge) errors.judge = "Pick the judge to compare with people.";
  const url = draft.webhookUrl.trim();
  if (url && !/^https?:\/\/\S+$/.test(url)) errors.webhookUrl = "A webhook URL starts with http:// or https://.";
  return {
    description: draft.description.trim() || null,
    score_name: draft.metric === "score_mean" ? draft.scoreName.trim() : null,
    judge: draft.metric === "judge_agreement" ? draft.judge : null,
    agreement_metric: draft.metric === "judge_agreement" ? draft.agreementMetric || null : null,
    operator: draft.operator,
    threshold,
    window_seconds: windowSeconds,
    webhook_url: url || null,
    webhook_format: draft.webhookFormat,
  };
}

/** The body of `POST .../alerts`, or what to fix first. */
export function buildAlertIn(draft: AlertDraft): BuiltAlert<AlertIn> {
  const errors: AlertErrors = {};
  if (!draft.name.trim()) errors.name = "Give the alert a name.";
  const rest = fields(draft, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, body: { name: draft.name.trim(), enabled: true, metric: draft.metric, ...rest } };
}

/** The body of `PATCH .../alerts/{name}` (the metric is fixed once created). */
export function buildAlertPatch(draft: AlertDraft): BuiltAlert<AlertPatch> {
  const errors: AlertErrors = {};
  const rest = fields(draft, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, body: rest };
}
