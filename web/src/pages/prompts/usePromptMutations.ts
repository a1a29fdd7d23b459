/** Changes to one prompt (description, label moves, removals, undos, deletion); everything shown
 * about the project's prompts refreshes afterwards (badges, versions, history, the list). */
import { useMutation, useQueryClient } from "@tanstack/react-query";

import { playgroundKeys } from "../playground/playgroundApi";
import { promptKeys, promptsApi } from "./promptsApi";

function useRefresh(project: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: promptKeys.all(project) });
}

export function useMoveLabel(project: string, name: string) {
  const refresh = useRefresh(project);
  return useMutation({
    mutationFn: (move: { label: string; version: number; reason: string }) =>
      promptsApi.moveLabel(project, name, move.label, { version: move.version, reason: move.reason }),
    onSuccess: refresh,
  });
}

export function useRemoveLabel(project: string, name: string) {
  const refresh = useRefresh(project);
  return useMutation({
    mutationFn: (label: string) => promptsApi.removeLabel(project, name, label),
    onSuccess: refresh,
  });
}

export function useUndoMove(project: string, name: string) {
  const refresh = useRefresh(project);
  return useMutation({
    mutationFn: (moveId: string) => promptsApi.undo(project, name, moveId),
    onSuccess: refresh,
  });
}

/** Set or clear (empty text) the prompt's description. */
export function useUpdateDescription(project: string, name: string) {
  const refresh = useRefresh(project);
  return useMutation({
    mutationFn: (description: string) =>
      promptsApi.update(project, name, { description: description.trim() || null }),
    onSuccess: refresh,
  });
}

/** Delete the prompt with its versions, labels and history; what was read of it is forgotten
 * (not read again, it is gone) and the list refreshes. */
export function useDeletePrompt(project: string, name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => promptsApi.remove(project, name),
    onSuccess: () => {
      client.removeQueries({ queryKey: promptKeys.one(project, name) });
      client.removeQueries({ queryKey: playgroundKeys.versions(project, name) });
      return client.invalidateQueries({ queryKey: promptKeys.all(project), exact: true });
    },
  });
}
