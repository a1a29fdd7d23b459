/**
 * The review form of one item: an answer per score config, the reason, the corrected output;
 * what is still missing; and the `scores` body the API takes.
 */
import type { Review, ReviewValue, ScoreConfig } from "./reviewTypes";

/** An answer as the controls hold it: a label, yes/no, a number, or text. */
export type Answer = string | number | boolean;

export interface ReviewForm {
  answers: Record<string, Answer | undefined>;
  comment: string;
  corrected: string;
}

export const EMPTY_FORM: ReviewForm = { answers: {}, comment: "", corrected: "" };

/** The form prefilled from this reviewer's earlier review of the item (going back to it). */
export function formFromReview(review: Review | undefined): ReviewForm {
  if (!review) return EMPTY_FORM;
  const answers: Record<string, Answer | undefined> = {};
  for (const [name, value] of Object.entries(review.scores)) if (value !== null) answers[name] = value;
  const corrected = review.corrected_output;
  return {
    answers,
    comment: review.comment ?? "",
    corrected: corrected == null ? "" : typeof corrected === "string" ? corrected : JSON.stringify(corrected, null, 2),
  };
}

export function setAnswer(form: ReviewForm, config: string, answer: Answer | undefined): ReviewForm {
  return { ...form, answers: { ...form.answers, [config]: answer } };
}

function answered(config: ScoreConfig, answer: Answer | undefined): boolean {
  if (answer === undefined) return false;
  return config.kind !== "text" || (typeof answer === "string" && answer.trim() !== "");
}

/** Configs that still need an answer; free-text configs are optional. */
export function missing(configs: ScoreConfig[], form: ReviewForm): ScoreConfig[] {
  return configs.filter((c) => c.kind !== "text" && !answered(c, form.answers[c.name]));
}

/** The first config with no answer yet, of those number keys can answer (labels, yes/no). */
export function firstUnanswered(configs: ScoreConfig[], form: ReviewForm): ScoreConfig | undefined {
  return configs.find((c) => pickable(c) && form.answers[c.name] === undefined);
}

/** Whether number keys pick an answer of this config. */
export function pickable(config: ScoreConfig): boolean {
  return config.kind === "categorical" || config.kind === "boolean";
}

/** The answer number key `n` (1-based) gives a config, if any. */
export function answerForKey(config: ScoreConfig, n: number): Answer | undefined {
  if (config.kind === "categorical") return config.categories?.[n - 1]?.label;
  if (config.kind === "boolean") return n === 1 ? true : n === 2 ? false : undefined;
  return undefined;
}

/** The review's `scores`: one entry per answered config, in the form the API expects per kind. */
export function toScores(configs: ScoreConfig[], form: ReviewForm): Record<string, ReviewValue> {
  const out: Record<string, ReviewValue> = {};
  for (const c of configs) {
    const a = form.answers[c.name];
    if (!answered(c, a)) continue;
    if (c.kind === "numeric") out[c.name] = Number(a);
    else if (c.kind === "boolean") out[c.name] = a === true;
    else out[c.name] = String(a).trim();
  }
  return out;
}

/** The corrected output to send: null when empty, JSON when the text is JSON, else the text. */
export function correctedValue(text: string): unknown {
  const t = text.trim();
  if (t === "") return null;
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch {
      return text;
    }
  }
  return text;
}
