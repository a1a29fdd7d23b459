/** How the audit log reads: an event's details as short "key: value" text. */

function valueText(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** `{role: "viewer", email: "a@b"}` → `"role: viewer · email: a@b"`; empty → "". */
export function detailsText(details: Record<string, unknown> | undefined): string {
  return Object.entries(details ?? {})
    .map(([key, value]) => `${key}: ${valueText(value)}`)
    .join(" · ");
}

/** `"member.add"` → `"member add"`, for people who do not read dotted names. */
export function actionText(action: string): string {
  return action.replace(/[._]/g, " ");
}
