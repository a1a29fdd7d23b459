import { Anchor, Fieldset, Group, NumberInput, Select, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";

import { reviewApi, reviewKeys } from "../queues/reviewApi";
import type { DraftErrors, RuleDraft } from "./ruleForm";

interface Props {
  project: string;
  draft: RuleDraft;
  errors: DraftErrors;
  set: (change: Partial<RuleDraft>) => void;
  /** Score names the rule's judges write, offered first. */
  scoreNames: string[];
}

/** Optionally, the review queue that receives spans whose score crosses a bound. */
export function RuleRouteFields({ project, draft, errors, set, scoreNames }: Props) {
  const queues = useQuery({
    queryKey: reviewKeys.queues(project),
    queryFn: () => reviewApi.listQueues(project),
    enabled: draft.routed,
  });
  const names = (queues.data ?? []).filter((q) => !q.archived).map((q) => q.name);
  return (
    <Fieldset legend="Send doubtful spans to people" variant="filled">
      <Stack gap="xs">
        <Switch
          label="Add spans whose score crosses a bound to a review queue"
          checked={draft.routed}
          onChange={(e) =>
            set({
              routed: e.currentTarget.checked,
              scoreName: draft.scoreName || scoreNames[0] || "",
            })
          }
        />
        {draft.routed && (
          <>
            {queues.isSuccess && names.length === 0 && (
              <Text size="sm" c="dimmed">
                No review queues yet:{" "}
                <Anchor component={Link} to={`/projects/${encodeURIComponent(project)}/queues`}>
                  create one
                </Anchor>{" "}
                first.
              </Text>
            )}
            <Group grow align="flex-start">
              <Select
                label="Queue"
                data={names}
                value={draft.queue || null}
                onChange={(v) => set({ queue: v ?? "" })}
                error={errors.queue}
                searchable
              />
              <TextInput
                label="Score name"
                description={scoreNames.length ? `Your judges write: ${scoreNames.join(", ")}` : undefined}
                value={draft.scoreName}
                onChange={(e) => set({ scoreName: e.currentTarget.value })}
                error={errors.scoreName}
              />
              <NumberInput
                label="When below"
                step={0.1}
                value={draft.below}
                onChange={(v) => set({ below: v })}
                error={errors.bounds}
              />
              <NumberInput label="or above" step={0.1} value={draft.above} onChange={(v) => set({ above: v })} />
            </Group>
          </>
        )}
      </Stack>
    </Fieldset>
  );
}
