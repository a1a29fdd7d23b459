/** Label moves, removals and undos of one prompt; everything shown about the project's prompts
 * refreshes afterwards (badges, versions, history, the list). */
import { useMutation, useQueryClient } from "@tanstack/react-query";

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
