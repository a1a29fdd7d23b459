import { Alert, Anchor, Button, Group, Stack, Text, Textarea } from "@mantine/core";
import { IconPencil } from "@tabler/icons-react";
import { useState } from "react";

import { useUpdateDescription } from "./usePromptMutations";

const MAX = 2000;

interface Props {
  project: string;
  name: string;
  description: string | null | undefined;
  /** Whether the caller may change it (annotator and up); others only read it. */
  canEdit: boolean;
}

/** The prompt's description: what it is for, in a sentence; editable in place. */
export function DescriptionEditor({ project, name, description, canEdit }: Props) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return <DescriptionForm project={project} name={name} initial={description ?? ""} onDone={() => setEditing(false)} />;
  }
  if (!canEdit) return description ? <Text c="dimmed">{description}</Text> : null;
  return (
    <Group gap={6} align="baseline" wrap="nowrap">
      {description ? (
        <Text c="dimmed" data-testid="prompt-description">
          {description}
        </Text>
      ) : (
        <Text c="dimmed" fs="italic" size="sm">
          No description yet.
        </Text>
      )}
      <Anchor component="button" type="button" size="sm" onClick={() => setEditing(true)}>
        <IconPencil size={13} style={{ verticalAlign: "middle" }} /> {description ? "Edit description" : "Add a description"}
      </Anchor>
    </Group>
  );
}

function DescriptionForm(props: { project: string; name: string; initial: string; onDone: () => void }) {
  const { project, name, initial, onDone } = props;
  const [text, setText] = useState(initial);
  const update = useUpdateDescription(project, name);
  const unchanged = text.trim() === initial.trim();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!unchanged) update.mutate(text, { onSuccess: onDone });
        else onDone();
      }}
    >
      <Stack gap="xs" maw={720}>
        <Textarea
          label="Description"
          description="What the prompt is for, for the people who open it later. Empty removes it."
          placeholder="Answers customer questions about orders and refunds"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={MAX}
          autoFocus
        />
        {update.isError && (
          <Alert color="red" title="Could not save the description" role="alert">
            {update.error.message}
          </Alert>
        )}
        <Group gap="xs">
          <Button type="submit" size="xs" loading={update.isPending} disabled={unchanged}>
            Save description
          </Button>
          <Button variant="default" size="xs" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
