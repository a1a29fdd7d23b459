/**
 * The rule form's state (strings and switches, as people type them) and its translation to the
 * API's `RuleIn` / `RulePatch`, with the checks that catch a mistake before the server does.
 */
import type { Rule, RuleFilter, RuleIn, RulePatch, RuleRoute, RuleScorer } from "./rulesApi";

export interface ScorerDraft {
  type: "judge" | "scorer";
  judge: string;
  /** "latest" or a version number as text. */
  version: string;
  scorer: string;
  /** The built-in scorer's arguments as JSON text ("" for none). */
  args: string;
}

export interface RuleDraft {
  name: string;
  description: string;
  spanName: string;
  kind: string;
  status: "" | "ok" | "error";
  tags: string[];
  /** "key=value" each. */
  metadata: string[];
  model: string;
  rootOnly: boolean;
  samplePercent: number | string;
  scorers: ScorerDraft[];
  routed: boolean;
  queue: string;
  scoreName: string;
  below: number | string;
  above: number | string;
}

export const EMPTY_SCORER: ScorerDraft = { type: "judge", judge: "", version: "latest", scorer: "", args: "" };

export function emptyDraft(): RuleDraft {
  return {
    name: "",
    description: "",
    spanName: "",
    kind: "",
    status: "",
    tags: [],
    metadata: [],
    model: "",
    rootOnly: false,
    samplePercent: 100,
    scorers: [{ ...EMPTY_SCORER }],
    routed: false,
    queue: "",
    scoreName: "",
    below: "",
    above: "",
  };
}

/** The form filled with a stored rule, for editing. */
export function draftFromRule(rule: Rule): RuleDraft {
  const filter: Partial<RuleFilter> = rule.filter ?? {};
  const route = rule.route ?? null;
  return {
    name: rule.name,
    description: rule.description ?? "",
    spanName: filter.name ?? "",
    kind: filter.kind ?? "",
    status: filter.status ?? "",
    tags: [...(filter.tag ?? [])],
    metadata: [...(filter.metadata ?? [])],
    model: filter.model ?? "",
    rootOnly: filter.root_only ?? false,
    samplePercent: Number(((rule.sample_rate ?? 1) * 100).toPrecision(6)),
    scorers: rule.scorers.map(scorerDraft),
    routed: route !== null,
    queue: route?.queue ?? "",
    scoreName: route?.score_name ?? "",
    below: route?.below ?? "",
    above: route?.above ?? "",
  };
}

function scorerDraft(s: RuleScorer): ScorerDraft {
  if (s.judge) return { ...EMPTY_SCORER, judge: s.judge, version: s.version ? String(s.version) : "latest" };
  const args = s.args && Object.keys(s.args).length ? JSON.stringify(s.args, null, 2) : "";
  return { ...EMPTY_SCORER, type: "scorer", scorer: s.scorer ?? "", args };
}

/** Problems found in a draft, by form field ("name", "scorers.0.args", "route", …). */
export type DraftErrors = Record<string, string>;

export type Built<T> = { ok: true; body: T } | { ok: false; errors: DraftErrors };

/** The body of `POST .../rules`, or what to fix first. */
export function buildRuleIn(draft: RuleDraft): Built<RuleIn> {
  const errors: DraftErrors = {};
  if (!draft.name.trim()) errors.name = "Give the rule a name.";
  const rest = buildFields(draft, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, body: { name: draft.name.trim(), enabled: true, ...rest } };
}

/** The body of `PATCH .../rules/{name}` (every field but the name), or what to fix first. */
export function buildRulePatch(draft: RuleDraft): Built<RulePatch> {
  const errors: DraftErrors = {};
  const rest = buildFields(draft, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, body: rest };
}

function buildFields(draft: RuleDraft, errors: DraftErrors) {
  const percent = Number(draft.samplePercent);
  if (draft.samplePercent === "" || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    errors.samplePercent = "The sample is a percentage from 0 to 100.";
  }
  const badPair = draft.metadata.find((m) => m.indexOf("=") <= 0);
  if (badPair !== undefined) errors.metadata = `"${badPair}" is not key=value.`;
  const scorers = draft.scorers.map((s, i) => buildScorer(s, `scorers.${i}`, errors));
  if (scorers.length === 0) errors.scorers = "Add at least one scorer.";
  return {
    description: draft.description.trim() || null,
    filter: {
      name: draft.spanName.trim() || null,
      kind: draft.kind.trim() || null,
      status: draft.status || null,
      tag: draft.tags,
      metadata: draft.metadata,
      model: draft.model.trim() || null,
      root_only: draft.rootOnly,
    },
    sample_rate: Math.min(1, Math.max(0, percent / 100)),
    scorers,
    route: draft.routed ? buildRoute(draft, errors) : null,
  };
}

function buildScorer(s: ScorerDraft, field: string, errors: DraftErrors): RuleScorer {
  if (s.type === "judge") {
    if (!s.judge) errors[`${field}.judge`] = "Pick a judge.";
    return { judge: s.judge, version: s.version === "latest" || !s.version ? null : Number(s.version) };
  }
  if (!s.scorer.trim()) errors[`${field}.scorer`] = "Name a built-in scorer, e.g. valid_json.";
  const args = parseArgs(s.args);
  if (typeof args === "string") errors[`${field}.args`] = args;
  return { scorer: s.scorer.trim(), args: typeof args === "string" ? {} : args };
}

/** JSON object text → object; "" → {}; anything else → the reason it is not one. */
export function parseArgs(text: string): Record<string, unknown> | string {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    return 'Arguments are a JSON object, e.g. {"text": "sorry"}.';
  } catch (e) {
    return `Not JSON: ${(e as Error).message}`;
  }
}

function buildRoute(draft: RuleDraft, errors: DraftErrors): RuleRoute {
  const below = draft.below === "" ? null : Number(draft.below);
  const above = draft.above === "" ? null : Number(draft.above);
  if (!draft.queue) errors.queue = "Pick the queue that receives the spans.";
  if (!draft.scoreName.trim()) errors.scoreName = "Name the score that decides.";
  if (below === null && above === null) errors.bounds = "Give a bound: below, above or both.";
  return { queue: draft.queue, score_name: draft.scoreName.trim(), below, above };
}
