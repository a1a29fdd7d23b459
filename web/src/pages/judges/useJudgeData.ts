import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { VersionChoice } from "./judgeUrl";

/** The project's judges at their latest version. */
export function useJudges(project: string) {
  return useQuery({
    queryKey: ["judges", project],
    queryFn: () =>
      unwrap(api.GET("/api/v1/projects/{project}/judges", { params: { path: { project } } })),
  });
}

/** One judge with the definition of a version (the latest for undefined or "all"). */
export function useJudge(project: string, name: string, version: VersionChoice) {
  const wanted = typeof version === "number" ? version : undefined;
  return useQuery({
    queryKey: ["judge", project, name, wanted ?? "latest"],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/judges/{name}", {
          params: { path: { project, name }, query: wanted ? { version: wanted } : {} },
        }),
      ),
  });
}

export function useJudgeVersions(project: string, name: string) {
  return useQuery({
    queryKey: ["judge-versions", project, name],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/judges/{name}/versions", {
          params: { path: { project, name } },
        }),
      ),
  });
}

/**
 * How far the judge agrees with people. `limit` caps the disagreements listed (0 for the
 * judges list, which needs only the figures).
 */
export function useAgreement(
  project: string,
  name: string,
  version: VersionChoice,
  { limit = 100, enabled = true }: { limit?: number; enabled?: boolean } = {},
) {
  const query: { version?: string; limit: number } = { limit };
  if (version !== undefined) query.version = String(version);
  return useQuery({
    queryKey: ["judge-agreement", project, name, version ?? "latest", limit],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/judges/{name}/agreement", {
          params: { path: { project, name }, query },
        }),
      ),
    enabled,
    staleTime: 30_000,
  });
}
