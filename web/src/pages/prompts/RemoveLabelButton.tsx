import { ActionIcon, Alert, Button, Group, Modal, Stack, Text, Tooltip } from "@mantine/core";
import { IconX } from "@tabler/icons-react";
import { useState } from "react";

import { LabelBadge } from "./LabelBadges";
import { useRemoveLabel } from "./usePromptMutations";

/** A small ✕ next to a label; asks before removing it (the removal is recorded and can be undone). */
export function RemoveLabelButton({ project, prompt, label, version }: { project: string; prompt: string; label: string; version: number }) {
  const [asking, setAsking] = useState(false);
  const remove = useRemoveLabel(project, prompt);
  const close = () => {
    setAsking(false);
    remove.reset();
  };
  return (
    <>
      <Tooltip label={`Remove ${label}`}>
        <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`Remove label ${label}`} onClick={() => setAsking(true)}>
          <IconX size={14} />
        </ActionIcon>
      </Tooltip>
      <Modal opened={asking} onClose={close} title="Remove a label">
        <Stack>
          <Group gap="xs">
            <LabelBadge label={label} />
            <Text size="sm">points at v{version}.</Text>
          </Group>
          <Text size="sm">
            After removing it, programs that load {prompt} by <b>{label}</b> no longer find it. The removal is kept in
            the history, where it can be undone.
          </Text>
          {remove.isError && (
            <Alert color="red" title="Could not remove the label" role="alert">
              {remove.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(label, { onSuccess: close })}>
              Remove {label}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
