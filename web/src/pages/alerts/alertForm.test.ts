import { describe, expect, it } from "vitest";

import { buildAlertIn, buildAlertPatch, draftFromAlert, emptyAlertDraft, splitWindow } from "./alertForm";
import type { Alert } from "./alertsApi";

describe("alert form", () => {
  it("builds an alert and sends only the fields its metric needs", () => {
    const built = buildAlertIn({
      ...emptyAlertDraft(),
      name: " errors ",
      scoreName: "left over",
      threshold: "0.2",
      webhookUrl: "http://127.0.0.1:9/hook",
      webhookFormat: "slack",
    });
    expect(built).toEqual({
      ok: true,
      body: {
        name: "errors",
        enabled: true,
        metric: "error_rate",
        description: null,
        score_name: null,
        judge: null,
        agreement_metric: null,
        operator: "above",
        threshold: 0.2,
        window_seconds: 300,
        webhook_url: "http://127.0.0.1:9/hook",
        webhook_format: "slack",
      },
    });
  });

  it("names what is missing", () => {
    const built = buildAlertIn({ ...emptyAlertDraft(), metric: "score_mean", windowValue: 5, windowUnit: "s", webhookUrl: "ftp://x" });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(Object.keys(built.errors).sort()).toEqual(["name", "scoreName", "threshold", "webhookUrl", "window"]);
    const judge = buildAlertIn({ ...emptyAlertDraft(), name: "a", metric: "judge_agreement", threshold: 0.4 });
    expect(!judge.ok && judge.errors.judge).toBe("Pick the judge to compare with people.");
  });

  it("round-trips a stored alert", () => {
    expect(splitWindow(90)).toEqual({ value: 90, unit: "s" });
    expect(splitWindow(600)).toEqual({ value: 10, unit: "min" });
    const alert: Alert = {
      id: "a1",
      project: "p",
      name: "quality",
      metric: "score_mean",
      score_name: "helpfulness",
      operator: "below",
      threshold: 0.5,
      window_seconds: 7200,
      state: "ok",
      enabled: true,
      webhook_format: "json",
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
    };
    const form = draftFromAlert(alert);
    expect(form.windowUnit).toBe("h");
    const patch = buildAlertPatch(form);
    expect(patch.ok && patch.body.window_seconds).toBe(7200);
    expect(patch.ok && patch.body.score_name).toBe("helpfulness");
  });
});
