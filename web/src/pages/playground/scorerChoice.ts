/** Scorers a dataset run can use, as one list of choices: server judges and built-in scorers. */
import type { Schemas } from "../../api/client";

/** Built-in scorers that need no arguments (they compare the output with the record's expected). */
export const BUILT_IN = ["exact_match", "contains", "levenshtein", "valid_json", "json_diff", "numeric_diff"];

/** `judge:NAME` or `scorer:NAME` → the scorer of the request body (null for anything else). */
export function toScorer(choice: string): Schemas["RuleScorer"] | null {
  const [kind, ...rest] = choice.split(":");
  const name = rest.join(":");
  if (!name) return null;
  if (kind === "judge") return { judge: name, args: {} };
  if (kind === "scorer") return { scorer: name, args: {} };
  return null;
}

/** The grouped choices of a multi-select. */
export function scorerChoices(judges: { name: string }[]) {
  const groups = [];
  if (judges.length > 0) {
    groups.push({ group: "LLM judges", items: judges.map((j) => ({ value: `judge:${j.name}`, label: j.name })) });
  }
  groups.push({ group: "Built-in scorers", items: BUILT_IN.map((s) => ({ value: `scorer:${s}`, label: s })) });
  return groups;
}

/** Whether a dataset run is still going. */
export function isActive(status: string): boolean {
  return status === "queued" || status === "running";
}
