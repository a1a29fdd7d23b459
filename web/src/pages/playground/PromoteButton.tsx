import { Alert, Button, Group, Loader, Popover, Stack, Text } from "@mantine/core";
import { IconRocket } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { LabelPicker, MoveSummary } from "../prompts/LabelMoveParts";
import { labelChoices, labelProblem } from "../prompts/promptText";
import { playgroundApi, playgroundKeys } from "./playgroundApi";

interface Props {
  project: string;
  name: string;
  version: number;
  onMoved: (label: string) => void;
}

/** Point a label (production by default, staging, one the prompt has, or a new one) at a saved
 * version; the move ("production v1 → v3") shows before it is made, and is recorded. */
export function PromoteButton(props: Props) {
  const [opened, setOpened] = useState(false);
  return (
    <Popover opened={opened} onChange={setOpened} width={360} position="bottom-end" withArrow trapFocus>
      <Popover.Target>
        <Button size="xs" variant="light" leftSection={<IconRocket size={14} />} onClick={() => setOpened((o) => !o)}>
          Promote
        </Button>
      </Popover.Target>
      <Popover.Dropdown>{opened && <PromoteForm {...props} onDone={() => setOpened(false)} />}</Popover.Dropdown>
    </Popover>
  );
}

function PromoteForm({ project, name, version, onMoved, onDone }: Props & { onDone: () => void }) {
  const client = useQueryClient();
  const prompts = useQuery({ queryKey: playgroundKeys.prompts(project), queryFn: () => playgroundApi.prompts(project) });
  const prompt = prompts.data?.find((p) => p.name === name);
  const [label, setLabel] = useState("production");
  const [touched, setTouched] = useState(false);
  const trimmed = label.trim();
  const problem = labelProblem(trimmed);
  const current = prompt?.labels?.[trimmed];
  const move = useMutation({
    mutationFn: () => playgroundApi.moveLabel(project, name, trimmed, version),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: playgroundKeys.prompts(project) });
      await client.invalidateQueries({ queryKey: playgroundKeys.versions(project, name) });
      onMoved(trimmed);
      onDone();
    },
  });
  if (prompts.isPending) return <Loader size="sm" aria-label="Loading the prompt's labels" />;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!problem && current !== version) move.mutate();
      }}
    >
      <Stack gap="xs">
        <Text size="sm">
          Point a label at {name} v{version}. The agent loading that label gets this version.
        </Text>
        {prompts.isError && (
          <Text size="xs" c="red.8">
            Could not read where the labels point now: {prompts.error.message}
          </Text>
        )}
        <LabelPicker
          choices={labelChoices(prompt ?? {})}
          value={label}
          onChange={setLabel}
          error={trimmed || touched ? problem : undefined}
          current={prompt?.labels}
        />
        {!problem && prompts.isSuccess && <MoveSummary label={trimmed} from={current} to={version} />}
        {move.isError && (
          <Alert color="red" role="alert" p="xs">
            {move.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button size="xs" variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" size="xs" loading={move.isPending} disabled={!!problem || current === version}>
            Move {trimmed || "label"} to v{version}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
