/** Calls of the alerts API (thresholds on a project's series, and their history). */
import { api, unwrap, type Schemas } from "../../api/client";

export type Alert = Schemas["Alert"];
export type AlertIn = Schemas["AlertIn"];
export type AlertPatch = Schemas["AlertPatch"];
export type AlertEvent = Schemas["AlertEvent"];
export type AlertMetric = Alert["metric"];

const P = "/api/v1/projects/{project}";

export const alertKeys = {
  all: (project: string) => ["alerts", project] as const,
  events: (project: string, alert: string | null) => ["alert-events", project, alert ?? ""] as const,
};

export const alertsApi = {
  list: (project: string) => unwrap(api.GET(`${P}/alerts`, { params: { path: { project } } })),
  create: (project: string, body: AlertIn) =>
    unwrap(api.POST(`${P}/alerts`, { params: { path: { project } }, body })),
  update: (project: string, name: string, body: AlertPatch) =>
    unwrap(api.PATCH(`${P}/alerts/{name}`, { params: { path: { project, name } }, body })),
  remove: (project: string, name: string) =>
    unwrap(api.DELETE(`${P}/alerts/{name}`, { params: { path: { project, name } } })),
  test: (project: string, name: string) =>
    unwrap(api.POST(`${P}/alerts/{name}/test`, { params: { path: { project, name } } })),
  events: (project: string, query: { alert?: string; limit?: number; cursor?: string }) =>
    unwrap(api.GET(`${P}/alert-events`, { params: { path: { project }, query } })),
};

export function alertsPath(project: string): string {
  return `/projects/${encodeURIComponent(project)}/alerts`;
}
