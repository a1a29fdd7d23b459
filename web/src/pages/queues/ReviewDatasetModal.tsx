import { Alert, Button, Group, Modal, Radio, Select, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

import { useDatasets } from "../../api/datasets";

export interface DatasetTarget {
  name: string;
  create: boolean;
  expected: string;
}

interface Props {
  project: string;
  opened: boolean;
  /** The corrected output typed in the review, else what the agent answered. */
  initialExpected: string;
  onClose: () => void;
  /** Save the review and add the record; throws with a message to show. */
  onAdd: (target: DatasetTarget) => Promise<void>;
}

/** Pick a dataset for the item under review; the corrected output becomes the expected answer. */
export function ReviewDatasetModal({ project, opened, initialExpected, onClose, onAdd }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="Submit the review and add the item to a dataset" size="lg">
      {opened && <DatasetForm project={project} initialExpected={initialExpected} onClose={onClose} onAdd={onAdd} />}
    </Modal>
  );
}

const LAST_KEY = "assay.review.dataset";

function DatasetForm({ project, initialExpected, onClose, onAdd }: Omit<Props, "opened">) {
  const { query: datasets, names } = useDatasets(project);
  const [choice, setChoice] = useState<"existing" | "new" | null>(null);
  const [existing, setExisting] = useState<string | null>(() => window.localStorage.getItem(LAST_KEY));
  const [newName, setNewName] = useState("");
  const [expected, setExpected] = useState(initialExpected);
  const mode = choice ?? (datasets.isSuccess && names.length === 0 ? "new" : "existing");
  const name = mode === "new" ? newName.trim() : existing && names.includes(existing) ? existing : "";
  const add = useMutation({
    mutationFn: () => onAdd({ name, create: mode === "new", expected }),
    onSuccess: () => window.localStorage.setItem(LAST_KEY, name),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (name) add.mutate();
      }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          The record takes the item&apos;s input, and as its expected answer the corrected output below. It remembers
          the trace, your review and you.
        </Text>
        <Radio.Group value={mode} onChange={(v) => setChoice(v as "existing" | "new")} label="Dataset">
          <Group mt={4}>
            <Radio value="existing" label="An existing dataset" disabled={datasets.isSuccess && names.length === 0} />
            <Radio value="new" label="A new dataset" />
          </Group>
        </Radio.Group>
        {mode === "existing" ? (
          <Select
            label="Existing dataset"
            placeholder={datasets.isPending ? "Loading…" : "Choose a dataset"}
            data={names}
            value={name || null}
            onChange={setExisting}
            searchable
            data-autofocus
          />
        ) : (
          <TextInput
            label="Name of the new dataset"
            placeholder="corrected-answers"
            value={newName}
            onChange={(e) => setNewName(e.currentTarget.value)}
            maxLength={200}
            data-autofocus
          />
        )}
        <Textarea
          label="Expected answer"
          description="What it should have said."
          value={expected}
          onChange={(e) => setExpected(e.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={12}
        />
        {add.isError && (
          <Alert color="red" title="Could not add the record" role="alert">
            {add.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending} disabled={!name}>
            Submit and add
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
