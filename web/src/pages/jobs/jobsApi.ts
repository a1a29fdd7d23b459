/** Calls of the jobs API (the durable queue of background work) and their query keys. */
import { api, unwrap, type Schemas } from "../../api/client";

export type Job = Schemas["Job"];
export type JobPage = Schemas["JobPage"];
export type JobStatus = Job["status"];

export interface JobQuery {
  status?: JobStatus;
  kind?: string;
  rule?: string;
  limit?: number;
  cursor?: string;
}

const P = "/api/v1/projects/{project}";

export const jobKeys = {
  all: (project: string) => ["jobs", project] as const,
  list: (project: string, query: JobQuery) => ["jobs", project, "list", query] as const,
  one: (project: string, id: string) => ["jobs", project, "one", id] as const,
};

export const jobsApi = {
  list: (project: string, query: JobQuery) =>
    unwrap(api.GET(`${P}/jobs`, { params: { path: { project }, query } })),
  get: (project: string, id: string) =>
    unwrap(api.GET(`${P}/jobs/{job_id}`, { params: { path: { project, job_id: id } } })),
  retry: (project: string, id: string) =>
    unwrap(api.POST(`${P}/jobs/{job_id}/retry`, { params: { path: { project, job_id: id } } })),
  cancel: (project: string, id: string) =>
    unwrap(api.POST(`${P}/jobs/{job_id}/cancel`, { params: { path: { project, job_id: id } } })),
};

export function jobsPath(project: string, query: { rule?: string; status?: JobStatus } = {}): string {
  const params = new URLSearchParams();
  if (query.status) params.set("status", query.status);
  if (query.rule) params.set("rule", query.rule);
  const qs = params.toString();
  return `/projects/${encodeURIComponent(project)}/jobs${qs ? `?${qs}` : ""}`;
}
