/**
 * A body value as text a person can edit: plain text stays plain (no quotes to escape), while
 * a structured value (object, list, number, boolean) is shown as pretty JSON and read back as
 * JSON.
 */
export interface Editable {
  text: string;
  json: boolean;
}

export function toEditable(value: unknown): Editable {
  if (value === null || value === undefined) return { text: "", json: false };
  if (typeof value === "string") return { text: value, json: false };
  return { text: JSON.stringify(value, null, 2), json: true };
}

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

/** The value of an edited field; empty text is null. */
export function fromEditable({ text, json }: Editable): Parsed {
  if (text.trim() === "") return { ok: true, value: null };
  if (!json) return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `This is not valid JSON (${reason}). Fix it or switch to plain text.` };
  }
}
