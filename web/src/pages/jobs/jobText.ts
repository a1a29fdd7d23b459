/** Jobs in words and numbers: status colours, what may be done to a job, how far it has got. */
import type { Job, JobStatus } from "./jobsApi";

export const JOB_STATUSES: JobStatus[] = ["queued", "running", "done", "dead", "cancelled"];

export const STATUS_COLORS: Record<JobStatus, string> = {
  queued: "gray",
  running: "blue",
  done: "teal",
  dead: "red",
  cancelled: "yellow",
};

/** The statuses a job does not leave by itself. */
export function isFinished(status: JobStatus): boolean {
  return status === "done" || status === "dead" || status === "cancelled";
}

/** A dead or cancelled job may be queued again. */
export function canRetry(status: JobStatus): boolean {
  return status === "dead" || status === "cancelled";
}

/** A job not yet finished may be cancelled. */
export function canCancel(status: JobStatus): boolean {
  return status === "queued" || status === "running";
}

export interface Progress {
  /** 0–100, or null when the total is not known yet. */
  percent: number | null;
  /** "120 of 400", "120 done", "done". */
  label: string;
}

/** How far a job has got, from its counters (a finished job with no total reads 100%). */
export function jobProgress(job: Pick<Job, "status" | "progress_done" | "progress_total">): Progress {
  const done = Math.max(0, job.progress_done ?? 0);
  const total = job.progress_total;
  if (total === null || total === undefined) {
    if (job.status === "done") return { percent: 100, label: done ? `${done.toLocaleString("en-US")} done` : "done" };
    return { percent: null, label: done ? `${done.toLocaleString("en-US")} done` : "not started" };
  }
  if (total <= 0) return { percent: job.status === "done" ? 100 : 0, label: "nothing to do" };
  const percent = Math.min(100, Math.max(0, (100 * done) / total));
  return { percent, label: `${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}` };
}

/** "2/10": attempts made out of the most allowed. */
export function attemptsText(job: Pick<Job, "attempts" | "max_attempts">): string {
  return `${job.attempts}/${job.max_attempts}`;
}

const KINDS: Record<string, string> = {
  score: "score spans",
  backfill: "backfill",
  alerts: "evaluate alerts",
  notify: "notify webhook",
};

/** A job kind for people ("score" → "score spans"); unknown kinds as they are. */
export function kindLabel(kind: string): string {
  return KINDS[kind] ?? kind.replace(/_/g, " ");
}
