/**
 * Calls of the prompt registry API and their query keys, through the typed client (errors are
 * `ApiError`s with the server's message).
 */
import { useQuery } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export type Prompt = Schemas["Prompt"];
export type PromptVersion = Schemas["PromptVersion"];
export type PromptMessage = Schemas["PromptMessage"];
export type LabelMove = Schemas["LabelMove"];
export type PromptDiff = Schemas["PromptDiff"];
export type MessageChange = Schemas["MessageChange"];
export type TextChange = Schemas["TextChange"];

const P = "/api/v1/projects/{project}/prompts";

export const promptKeys = {
  all: (project: string) => ["prompts", project] as const,
  one: (project: string, name: string) => ["prompts", project, name] as const,
  versions: (project: string, name: string) => ["prompts", project, name, "versions"] as const,
  moves: (project: string, name: string) => ["prompts", project, name, "moves"] as const,
  diff: (project: string, name: string, from: number, to: number) =>
    ["prompts", project, name, "diff", from, to] as const,
};

export const promptsApi = {
  list: (project: string) => unwrap(api.GET(P, { params: { path: { project } } })),
  get: (project: string, name: string) =>
    unwrap(api.GET(`${P}/{name}`, { params: { path: { project, name } } })),
  versions: (project: string, name: string) =>
    unwrap(api.GET(`${P}/{name}/versions`, { params: { path: { project, name } } })),
  moves: (project: string, name: string) =>
    unwrap(api.GET(`${P}/{name}/label-moves`, { params: { path: { project, name }, query: { limit: 1000 } } })),
  diff: (project: string, name: string, from: number, to: number) =>
    unwrap(api.GET(`${P}/{name}/diff`, { params: { path: { project, name }, query: { from, to } } })),
  update: (project: string, name: string, body: Schemas["PromptPatch"]) =>
    unwrap(api.PATCH(`${P}/{name}`, { params: { path: { project, name } }, body })),
  remove: (project: string, name: string) =>
    unwrap(api.DELETE(`${P}/{name}`, { params: { path: { project, name } } })),
  moveLabel: (project: string, name: string, label: string, body: Schemas["LabelMoveIn"]) =>
    unwrap(api.PUT(`${P}/{name}/labels/{label}`, { params: { path: { project, name, label } }, body })),
  removeLabel: (project: string, name: string, label: string) =>
    unwrap(api.DELETE(`${P}/{name}/labels/{label}`, { params: { path: { project, name, label } } })),
  undo: (project: string, name: string, moveId: string) =>
    unwrap(
      api.POST(`${P}/{name}/label-moves/{move_id}/undo`, { params: { path: { project, name, move_id: moveId } } }),
    ),
};

export function usePrompts(project: string) {
  return useQuery({ queryKey: promptKeys.all(project), queryFn: () => promptsApi.list(project) });
}

export function usePrompt(project: string, name: string) {
  return useQuery({ queryKey: promptKeys.one(project, name), queryFn: () => promptsApi.get(project, name) });
}

/** Every version, newest first. */
export function usePromptVersions(project: string, name: string) {
  return useQuery({
    queryKey: promptKeys.versions(project, name),
    queryFn: () => promptsApi.versions(project, name),
  });
}

/** The label moves, newest first (fetched when `enabled`). */
export function useLabelMoves(project: string, name: string, enabled: boolean) {
  return useQuery({
    queryKey: promptKeys.moves(project, name),
    queryFn: () => promptsApi.moves(project, name),
    enabled,
  });
}

/** What changed from one version to another (fetched when both are chosen). */
export function usePromptDiff(project: string, name: string, from: number | undefined, to: number | undefined) {
  return useQuery({
    queryKey: promptKeys.diff(project, name, from ?? 0, to ?? 0),
    queryFn: () => promptsApi.diff(project, name, from ?? 0, to ?? 0),
    enabled: from !== undefined && to !== undefined,
  });
}

export function promptsPath(project: string): string {
  return `/projects/${encodeURIComponent(project)}/prompts`;
}

export function promptPath(project: string, name: string, search?: string): string {
  const base = `${promptsPath(project)}/${encodeURIComponent(name)}`;
  return search ? `${base}?${search}` : base;
}
