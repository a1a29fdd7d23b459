/**
 * The score-config form's state and its checks: what a person types (numbers as text, labels in
 * rows) and the `ScoreConfigIn` / patch it becomes, or the first problem to fix, per field.
 */
import type { Category, ScoreConfig, ScoreConfigIn, ScoreConfigPatch, ScoreKind } from "../queues/reviewTypes";

export interface CategoryDraft {
  label: string;
  value: string;
  description: string;
}

export interface ConfigDraft {
  name: string;
  kind: ScoreKind;
  description: string;
  min: string;
  max: string;
  step: string;
  categories: CategoryDraft[];
}

export const KIND_LABELS: Record<ScoreKind, string> = {
  categorical: "Labels (e.g. good / partly / wrong)",
  numeric: "A number in a range",
  boolean: "Yes or no",
  text: "Free text",
};

export function emptyDraft(kind: ScoreKind = "categorical"): ConfigDraft {
  return {
    name: "",
    kind,
    description: "",
    min: "0",
    max: "1",
    step: "",
    categories: [
      { label: "good", value: "1", description: "" },
      { label: "bad", value: "0", description: "" },
    ],
  };
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));

export function draftFromConfig(config: ScoreConfig): ConfigDraft {
  return {
    name: config.name,
    kind: config.kind,
    description: config.description ?? "",
    min: text(config.min),
    max: text(config.max),
    step: text(config.step),
    categories: (config.categories ?? []).map((c) => ({
      label: c.label,
      value: String(c.value),
      description: c.description ?? "",
    })),
  };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

function parseNumber(raw: string): number | null | undefined {
  if (raw.trim() === "") return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

function checkRange(draft: ConfigDraft, errors: Record<string, string>) {
  const min = parseNumber(draft.min);
  const max = parseNumber(draft.max);
  const step = parseNumber(draft.step);
  if (min === undefined || min === null) errors.min = "Give the lowest value as a number.";
  if (max === undefined || max === null) errors.max = "Give the highest value as a number.";
  if (typeof min === "number" && typeof max === "number" && min >= max) errors.max = "The highest value must be above the lowest.";
  if (step === undefined || (typeof step === "number" && step <= 0)) errors.step = "The step is a positive number, or empty for any value.";
  return { min: min ?? null, max: max ?? null, step: step ?? null };
}

function checkCategories(draft: ConfigDraft, errors: Record<string, string>): Category[] {
  const blank = (c: CategoryDraft) => c.label.trim() === "" && c.value.trim() === "";
  if (draft.categories.filter((c) => !blank(c)).length < 2) errors.categories = "Give at least two labels.";
  const seen = new Set<string>();
  const out: Category[] = [];
  draft.categories.forEach((c, i) => {
    if (blank(c)) return;
    const label = c.label.trim();
    const value = parseNumber(c.value);
    if (label === "") errors[`categories.${i}.label`] = "Name this label.";
    else if (seen.has(label)) errors[`categories.${i}.label`] = `"${label}" is used twice.`;
    if (value === null || value === undefined) errors[`categories.${i}.value`] = "A number, e.g. 1 or 0.5.";
    seen.add(label);
    out.push({ label, value: value ?? 0, description: c.description.trim() || null });
  });
  return out;
}

/** The new config to create, or what is wrong with the draft. */
export function toConfigIn(draft: ConfigDraft): Checked<ScoreConfigIn> {
  const errors: Record<string, string> = {};
  const name = draft.name.trim();
  if (name === "") errors.name = "Give the config a name, e.g. helpfulness.";
  else if (name.length > 200) errors.name = "Keep the name under 200 characters.";
  const out: ScoreConfigIn = { name, kind: draft.kind, description: draft.description.trim() || null };
  if (draft.kind === "numeric") Object.assign(out, checkRange(draft, errors));
  if (draft.kind === "categorical") out.categories = checkCategories(draft, errors);
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: out };
}

/** The change to send for an existing config (its name and kind stay). */
export function toConfigPatch(draft: ConfigDraft): Checked<ScoreConfigPatch> {
  const checked = toConfigIn(draft);
  if (!checked.ok) return checked;
  const { description, min, max, step, categories } = checked.value;
  if (draft.kind === "numeric") return { ok: true, value: { description, min, max, step } };
  if (draft.kind === "categorical") return { ok: true, value: { description, categories } };
  return { ok: true, value: { description } };
}

/** One line about what a config accepts: "0 – 10, step 1", "good · partly · wrong", "yes / no". */
export function describeScale(config: Pick<ScoreConfigIn, "kind" | "min" | "max" | "step" | "categories">): string {
  switch (config.kind) {
    case "numeric":
      return `${config.min ?? "?"} – ${config.max ?? "?"}${config.step ? `, step ${config.step}` : ""}`;
    case "categorical":
      return (config.categories ?? []).map((c) => c.label).join(" · ");
    case "boolean":
      return "yes / no";
    case "text":
      return "free text";
  }
}
