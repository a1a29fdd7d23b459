/** Calls of the model providers API (keys stored encrypted, answered masked) and their keys. */
import { useQuery } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export type ProviderKey = Schemas["ProviderKey"];
export type ProviderKeyIn = Schemas["ProviderKeyIn"];
export type ProviderTestResult = Schemas["ProviderTestResult"];

const P = "/api/v1/projects/{project}/providers";

export const providerKeys = {
  all: (project: string) => ["providers", project] as const,
};

export const providersApi = {
  list: (project: string) => unwrap(api.GET(P, { params: { path: { project } } })),
  save: (project: string, name: string, body: ProviderKeyIn) =>
    unwrap(api.PUT(`${P}/{name}`, { params: { path: { project, name } }, body })),
  remove: (project: string, name: string) =>
    unwrap(api.DELETE(`${P}/{name}`, { params: { path: { project, name } } })),
  test: (project: string, name: string, model: string) =>
    unwrap(api.POST(`${P}/{name}/test`, { params: { path: { project, name } }, body: { model } })),
};

export function useProviders(project: string) {
  return useQuery({ queryKey: providerKeys.all(project), queryFn: () => providersApi.list(project) });
}
