import { Alert, Button, Group, Popover, Select, Stack, Text } from "@mantine/core";
import { IconRocket } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { playgroundApi, playgroundKeys } from "./playgroundApi";

/** Point a label (production by default) at a saved version; the move is recorded. */
export function PromoteButton({
  project,
  name,
  version,
  onMoved,
}: {
  project: string;
  name: string;
  version: number;
  onMoved: (label: string) => void;
}) {
  const [opened, setOpened] = useState(false);
  const [label, setLabel] = useState("production");
  const client = useQueryClient();
  const move = useMutation({
    mutationFn: () => playgroundApi.moveLabel(project, name, label, version),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: playgroundKeys.prompts(project) });
      await client.invalidateQueries({ queryKey: playgroundKeys.versions(project, name) });
      onMoved(label);
      setOpened(false);
    },
  });
  return (
    <Popover opened={opened} onChange={setOpened} width={300} position="bottom-end" withArrow trapFocus>
      <Popover.Target>
        <Button size="xs" variant="light" leftSection={<IconRocket size={14} />} onClick={() => setOpened((o) => !o)}>
          Promote
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text size="sm">
            Point a label at {name} v{version}. The agent loading that label gets this version.
          </Text>
          <Select
            label="Label"
            data={["production", "staging"]}
            value={label}
            onChange={(v) => setLabel(v ?? "production")}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
          />
          {move.isError && (
            <Alert color="red" role="alert" p="xs">
              {move.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button size="xs" loading={move.isPending} onClick={() => move.mutate()}>
              Move {label} to v{version}
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
