/** The retention form: "keep forever" or a number of days, checked as the server will. */

export type RetentionDraft = { keepForever: boolean; days: string };

export type Checked = { ok: true; value: number | null } | { ok: false; error: string };

export function draftFrom(retentionDays: number | null | undefined): RetentionDraft {
  return retentionDays ? { keepForever: false, days: String(retentionDays) } : { keepForever: true, days: "30" };
}

/** The `retention_days` to send: null to keep forever, or a whole number of days 1–36500. */
export function checkRetention(draft: RetentionDraft): Checked {
  if (draft.keepForever) return { ok: true, value: null };
  const days = Number(draft.days.trim());
  if (!draft.days.trim() || !Number.isInteger(days) || days < 1 || days > 36500) {
    return { ok: false, error: "Give a whole number of days from 1 to 36500, or keep traces forever." };
  }
  return { ok: true, value: days };
}

/** What the setting means, in a sentence. */
export function retentionText(retentionDays: number | null | undefined): string {
  if (!retentionDays) return "Traces are kept forever.";
  const unit = retentionDays === 1 ? "day" : "days";
  return `Traces older than ${retentionDays} ${unit} are deleted by a scheduled job.`;
}
