import { useMutation, useQueryClient } from "@tanstack/react-query";

import { ruleKeys } from "../online/rulesApi";
import { jobKeys, jobsApi } from "./jobsApi";

/** Retry and cancel a job; the job lists and rule figures are refreshed after each. */
export function useJobActions(project: string) {
  const client = useQueryClient();
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: jobKeys.all(project) });
    await client.invalidateQueries({ queryKey: ruleKeys.all(project) });
  };
  const retry = useMutation({ mutationFn: (id: string) => jobsApi.retry(project, id), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: (id: string) => jobsApi.cancel(project, id), onSuccess: refresh });
  return { retry, cancel };
}
