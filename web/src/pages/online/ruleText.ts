/** A rule in words: which spans it looks at, what scores them, where doubts go, how far behind. */
import { formatDuration } from "../../format";
import type { RuleFilter, RuleRoute, RuleScorer } from "./rulesApi";

/** `{kind: "llm", status: "error", tag: ["beta"]}` → "kind llm · errors · tag beta". */
export function filterSummary(filter: RuleFilter | null | undefined): string {
  if (!filter) return "every production span";
  const parts: string[] = [];
  if (filter.root_only) parts.push("root spans");
  if (filter.name) parts.push(`name "${filter.name}"`);
  if (filter.kind) parts.push(`kind ${filter.kind}`);
  if (filter.status) parts.push(filter.status === "error" ? "errors" : "status ok");
  const tags = filter.tag ?? [];
  if (tags.length) parts.push(`${tags.length === 1 ? "tag" : "tags"} ${tags.join(", ")}`);
  for (const pair of filter.metadata ?? []) parts.push(pair);
  if (filter.model) parts.push(`model ${filter.model}`);
  return parts.length ? parts.join(" · ") : "every production span";
}

/** A judge with its version ("tone v2", "tone (latest)") or a built-in scorer with its args. */
export function scorerText(scorer: RuleScorer): string {
  if (scorer.judge) {
    return scorer.version ? `${scorer.judge} v${scorer.version}` : `${scorer.judge} (latest)`;
  }
  const args = scorer.args && Object.keys(scorer.args).length ? JSON.stringify(scorer.args) : "";
  return args ? `${scorer.scorer}(${args})` : (scorer.scorer ?? "?");
}

/** "helpfulness < 0.5 → queue doubts" (both bounds: "< 0.2 or > 0.9"). */
export function routeText(route: RuleRoute | null | undefined): string | null {
  if (!route) return null;
  const bounds: string[] = [];
  if (route.below !== null && route.below !== undefined) bounds.push(`< ${route.below}`);
  if (route.above !== null && route.above !== undefined) bounds.push(`> ${route.above}`);
  return `${route.score_name} ${bounds.join(" or ")} → ${route.queue}`;
}

/** 0.1 → "10%", 0.005 → "0.5%", 1 → "100%". */
export function sampleText(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return "100%";
  const percent = rate * 100;
  const rounded = Number(percent.toPrecision(3));
  return `${rounded}%`;
}

/** How long the oldest waiting job has waited: "—" when none, "< 1 s", "12.3 s", "4m 05s". */
export function lagText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 1) return "< 1 s";
  return formatDuration(seconds * 1000);
}
