import { useInfiniteQuery, useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";

/** Cases per page of an experiment read on its own. */
export const CASE_PAGE = 100;
/** How often a running experiment (e.g. a playground dataset run) is read again. */
const RUNNING_REFRESH_MS = 3000;

/** One experiment with its summary; read again every few seconds while it runs. */
export function useExperiment(project: string, name: string) {
  return useQuery({
    queryKey: ["experiment", project, name],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/experiments/{name}", {
          params: { path: { project, name } },
        }),
      ),
    refetchInterval: (query) => (query.state.data?.status === "running" ? RUNNING_REFRESH_MS : false),
  });
}

/** The experiment's cases, a page at a time by case id (``running``: read again as it goes). */
export function useExperimentCases(project: string, name: string, { running }: { running: boolean }) {
  return useInfiniteQuery({
    queryKey: ["experiment-cases", project, name],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/projects/{project}/experiments/{name}/cases", {
          params: { path: { project, name }, query: { limit: CASE_PAGE, cursor: pageParam ?? undefined } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
    refetchInterval: running ? RUNNING_REFRESH_MS : false,
  });
}
