import { useQueries, useQuery } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

type Comparison = Schemas["Comparison"];

/** The project's experiments, newest first (shared with the projects page's cache). */
export function useExperiments(project: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    enabled,
    queryKey: ["experiments", project],
    queryFn: () =>
      unwrap(api.GET("/api/v1/projects/{project}/experiments", { params: { path: { project } } })),
  });
}

/** The query of one comparison: ``name`` against ``baseline`` (its default when undefined). */
export function comparisonQuery(
  project: string,
  name: string,
  { baseline, cases }: { baseline?: string; cases: boolean },
) {
  return {
    queryKey: ["compare", project, name, baseline ?? null, cases],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/experiments/{name}/compare", {
          params: { path: { project, name }, query: { baseline, cases } },
        }),
      ),
    staleTime: 60_000,
  };
}

export type ComparisonsResult =
  | { state: "idle" | "pending" }
  | { state: "error"; error: unknown; experiment: string }
  | { state: "ready"; baseline: string; compared: string[]; comparisons: Comparison[] };

interface Combined {
  data: Comparison[] | undefined;
  failed: number;
  error: unknown;
}

/** Stable (module-level) so that TanStack Query keeps the combined value between renders. */
function combine(results: { data?: Comparison; error: unknown; isError: boolean }[]): Combined {
  const failed = results.findIndex((r) => r.isError);
  const ready = results.every((r) => r.data !== undefined);
  return {
    data: ready ? results.map((r) => r.data!) : undefined,
    failed,
    error: failed >= 0 ? results[failed].error : null,
  };
}

/**
 * Every experiment of ``names`` after the first against the first; a single name against its
 * default baseline (resolved from the answer).
 */
export function useComparisons(project: string, names: string[]): ComparisonsResult {
  const single = names.length === 1;
  const { data, failed, error } = useQueries({
    queries: (single ? names : names.slice(1)).map((name) =>
      comparisonQuery(project, name, { baseline: single ? undefined : names[0], cases: true }),
    ),
    combine,
  });
  if (names.length === 0) return { state: "idle" };
  if (failed >= 0) {
    return { state: "error", error, experiment: single ? names[0] : names[failed + 1] };
  }
  if (!data) return { state: "pending" };
  return {
    state: "ready",
    baseline: data[0].baseline,
    compared: data.map((c) => c.experiment),
    comparisons: data,
  };
}
