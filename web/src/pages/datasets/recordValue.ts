/**
 * A record's values as the text a person edits, and back: plain text stays plain text; only
 * structured values (objects, arrays, numbers, true/false) are shown and read as JSON.
 */

import { parseJson } from "./jsonCheck";

export type ValueMode = "text" | "json";

/** What a field of the record form holds. */
export interface FieldText {
  text: string;
  mode: ValueMode;
}

export type ValueResult = { ok: true; value: unknown } | { ok: false; error: string };

/** The text and mode that show `value`: strings as themselves, null as empty, the rest as JSON. */
export function toFieldText(value: unknown): FieldText {
  if (value === null || value === undefined) return { text: "", mode: "text" };
  if (typeof value === "string") return { text: value, mode: "text" };
  return { text: JSON.stringify(value, null, 2), mode: "json" };
}

/** The value a field's text stands for; empty text means "none" (null). */
export function fromFieldText({ text, mode }: FieldText): ValueResult {
  if (mode === "text") return { ok: true, value: text === "" ? null : text };
  if (text.trim() === "") return { ok: true, value: null };
  const parsed = parseJson(text);
  return parsed.ok ? parsed : { ok: false, error: `Not valid JSON at ${parsed.error}.` };
}

/**
 * The text to show after switching a field to `to`, keeping its meaning where it can: plain
 * text becomes a JSON string (unless it already is valid JSON), a JSON string becomes its text.
 */
export function switchMode(text: string, to: ValueMode): string {
  if (text.trim() === "") return text;
  const parsed = parseJson(text);
  if (to === "json") return parsed.ok ? text : JSON.stringify(text);
  return parsed.ok && typeof parsed.value === "string" ? parsed.value : text;
}

/** Metadata from its JSON text: an object of keys and values; empty text is `{}`. */
export function metadataFromText(text: string): ValueResult {
  if (text.trim() === "") return { ok: true, value: {} };
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, error: `Not valid JSON at ${parsed.error}.` };
  const value = parsed.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      error: 'Metadata must be an object of keys and values, like {"topic": "billing"}.',
    };
  }
  return { ok: true, value };
}

/** Metadata as the text of its field: empty for none, else indented JSON. */
export function metadataToText(metadata: Record<string, unknown> | undefined): string {
  return metadata && Object.keys(metadata).length > 0 ? JSON.stringify(metadata, null, 2) : "";
}

/** Whether two JSON values are the same (key order of objects does not matter). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    return (a ?? null) === (b ?? null);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((k) => Object.hasOwn(right, k) && sameValue(left[k], right[k]))
  );
}

/** A one-glance preview of a value for the records table. */
export function previewValue(value: unknown, limit = 300): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
