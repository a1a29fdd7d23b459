import { describe, expect, it } from "vitest";

import { appPath, conditionText, valueText, windowText } from "./alertText";

const BASE = { score_name: null, judge: null, agreement_metric: null };

describe("alert text", () => {
  it("writes the condition as a sentence", () => {
    expect(conditionText({ ...BASE, metric: "error_rate", operator: "above", threshold: 0.2, window_seconds: 300 })).toBe(
      "error_rate > 0.2 over 5 min",
    );
    expect(
      conditionText({ ...BASE, metric: "score_mean", score_name: "helpfulness", operator: "below", threshold: 0.5, window_seconds: 3600 }),
    ).toBe("mean(helpfulness) < 0.5 over 1 h");
    expect(
      conditionText({ ...BASE, metric: "judge_agreement", judge: "tone", operator: "below", threshold: 0.4, window_seconds: 86400 }),
    ).toBe("cohen_kappa(tone) < 0.4 over 1 day");
  });

  it("writes windows in their largest whole unit", () => {
    expect(windowText(45)).toBe("45 s");
    expect(windowText(90)).toBe("90 s");
    expect(windowText(7200)).toBe("2 h");
    expect(windowText(172800)).toBe("2 days");
  });

  it("shows values with the digits that matter", () => {
    expect(valueText(null)).toBe("—");
    expect(valueText(0.23456)).toBe("0.235");
    expect(valueText(1234.5)).toBe("1,235");
    expect(valueText(0)).toBe("0");
  });
});

describe("alert links", () => {
  it("stays inside the app for links to this server", () => {
    expect(appPath("/projects/p/traces?status=error", "http://127.0.0.1:8700")).toBe("/projects/p/traces?status=error");
    expect(appPath("http://127.0.0.1:8700/projects/p/traces?range=1h", "http://127.0.0.1:8700")).toBe(
      "/projects/p/traces?range=1h",
    );
  });

  it("leaves links to another address alone", () => {
    expect(appPath("https://assay.example.com/projects/p/traces", "http://127.0.0.1:8700")).toBeNull();
    expect(appPath("not a url", "http://127.0.0.1:8700")).toBeNull();
  });
});
