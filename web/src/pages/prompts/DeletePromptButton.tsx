import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { useNavigate } from "react-router-dom";

import { promptsPath } from "./promptsApi";
import { confirmsName } from "./promptText";
import { useDeletePrompt } from "./usePromptMutations";

interface Props {
  project: string;
  name: string;
  versions: number;
  labels: string[];
}

/** Delete the prompt after its name is typed, then go back to the list. */
export function DeletePromptButton(props: Props) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => setAsking(true)}>
        Delete prompt
      </Button>
      <Modal opened={asking} onClose={() => setAsking(false)} title={`Delete ${props.name}`}>
        {asking && <DeleteForm {...props} onCancel={() => setAsking(false)} />}
      </Modal>
    </>
  );
}

function DeleteForm({ project, name, versions, labels, onCancel }: Props & { onCancel: () => void }) {
  const [typed, setTyped] = useState("");
  const navigate = useNavigate();
  const remove = useDeletePrompt(project, name);
  const confirmed = confirmsName(typed, name);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (confirmed) remove.mutate(undefined, { onSuccess: () => navigate(promptsPath(project)) });
      }}
    >
      <Stack>
        <Text size="sm">
          This deletes all {versions} {versions === 1 ? "version" : "versions"} of <b>{name}</b>
          {labels.length > 0 ? `, its labels (${labels.join(", ")})` : ""} and their history. It cannot be undone.
        </Text>
        {labels.length > 0 && (
          <Text size="sm" c="red.8">
            Programs that load {name} can no longer fetch it from the server.
          </Text>
        )}
        <TextInput
          label={
            <>
              Type <Code>{name}</Code> to confirm
            </>
          }
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          autoComplete="off"
          data-autofocus
        />
        {remove.isError && (
          <Alert color="red" title="Could not delete the prompt" role="alert">
            {remove.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={remove.isPending} disabled={!confirmed}>
            Delete {name}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
