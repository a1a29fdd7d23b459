/**
 * Calls of the rules API (online evaluation) and their query keys, through the typed client
 * (errors are `ApiError`s with the server's message).
 */
import { useQuery } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export type Rule = Schemas["Rule"];
export type RuleIn = Schemas["RuleIn"];
export type RulePatch = Schemas["RulePatch"];
export type RuleFilter = Schemas["RuleFilter"];
export type RuleScorer = Schemas["RuleScorer"];
export type RuleRoute = Schemas["RuleRoute"];
export type RuleStats = Schemas["RuleStats"];
export type Backfill = Schemas["Backfill"];
export type BackfillEstimate = Schemas["BackfillEstimate"];

const P = "/api/v1/projects/{project}";

export const ruleKeys = {
  all: (project: string) => ["rules", project] as const,
  one: (project: string, name: string) => ["rules", project, name] as const,
};

export const rulesApi = {
  list: (project: string) => unwrap(api.GET(`${P}/rules`, { params: { path: { project } } })),
  get: (project: string, name: string) =>
    unwrap(api.GET(`${P}/rules/{name}`, { params: { path: { project, name } } })),
  create: (project: string, body: RuleIn) =>
    unwrap(api.POST(`${P}/rules`, { params: { path: { project } }, body })),
  update: (project: string, name: string, body: RulePatch) =>
    unwrap(api.PATCH(`${P}/rules/{name}`, { params: { path: { project, name } }, body })),
  remove: (project: string, name: string) =>
    unwrap(api.DELETE(`${P}/rules/{name}`, { params: { path: { project, name } } })),
  backfill: (project: string, name: string, body: Schemas["BackfillIn"]) =>
    unwrap(api.POST(`${P}/rules/{name}/backfills`, { params: { path: { project, name } }, body })),
};

/** The project's rules with their stats; `refetchMs` keeps the figures moving. */
export function useRules(project: string, { refetchMs, enabled = true }: { refetchMs?: number; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ruleKeys.all(project),
    queryFn: () => rulesApi.list(project),
    refetchInterval: refetchMs ?? false,
    enabled,
  });
}

/** Rule id → rule name, for scores written by a rule (only fetched when `enabled`). */
export function useRuleNames(project: string, enabled: boolean): Map<string, string> {
  const rules = useRules(project, { enabled });
  return new Map((rules.data ?? []).map((r) => [r.id, r.name]));
}

export function rulesPath(project: string): string {
  return `/projects/${encodeURIComponent(project)}/online`;
}

export function rulePath(project: string, rule: string): string {
  return `${rulesPath(project)}/${encodeURIComponent(rule)}`;
}
