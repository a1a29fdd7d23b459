import { describe, expect, it } from "vitest";

import { attemptsText, canCancel, canRetry, isFinished, jobProgress, kindLabel } from "./jobText";

describe("job progress", () => {
  it("is the share done of the total, within 0–100", () => {
    expect(jobProgress({ status: "running", progress_done: 30, progress_total: 120 })).toEqual({
      percent: 25,
      label: "30 of 120",
    });
    expect(jobProgress({ status: "running", progress_done: 1500, progress_total: 1000 }).percent).toBe(100);
    expect(jobProgress({ status: "done", progress_done: 4000, progress_total: 4000 }).label).toBe("4,000 of 4,000");
  });

  it("has no share while the total is unknown, and is full once done", () => {
    expect(jobProgress({ status: "queued", progress_done: 0, progress_total: null })).toEqual({
      percent: null,
      label: "not started",
    });
    expect(jobProgress({ status: "running", progress_done: 7, progress_total: null }).label).toBe("7 done");
    expect(jobProgress({ status: "done", progress_done: 0, progress_total: null })).toEqual({ percent: 100, label: "done" });
  });

  it("says when there was nothing to do", () => {
    expect(jobProgress({ status: "done", progress_done: 0, progress_total: 0 })).toEqual({
      percent: 100,
      label: "nothing to do",
    });
  });
});

describe("job actions", () => {
  it("retries dead and cancelled jobs, cancels waiting and running ones", () => {
    expect(canRetry("dead")).toBe(true);
    expect(canRetry("cancelled")).toBe(true);
    expect(canRetry("done")).toBe(false);
    expect(canCancel("queued")).toBe(true);
    expect(canCancel("running")).toBe(true);
    expect(canCancel("dead")).toBe(false);
    expect(isFinished("running")).toBe(false);
    expect(isFinished("cancelled")).toBe(true);
  });

  it("writes attempts and kinds for people", () => {
    expect(attemptsText({ attempts: 2, max_attempts: 10 })).toBe("2/10");
    expect(kindLabel("score")).toBe("score spans");
    expect(kindLabel("dataset_run")).toBe("dataset run");
  });
});
