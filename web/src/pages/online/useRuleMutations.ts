import { useMutation, useQueryClient } from "@tanstack/react-query";

import { ruleKeys, rulesApi, type Rule } from "./rulesApi";

/** Turn a rule on or off; the lists showing it refresh afterwards. */
export function useToggleRule(project: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, enabled }: { name: string; enabled: boolean }) => rulesApi.update(project, name, { enabled }),
    onSuccess: async (rule: Rule) => {
      client.setQueryData(ruleKeys.one(project, rule.name), rule);
      await client.invalidateQueries({ queryKey: ruleKeys.all(project) });
    },
  });
}
