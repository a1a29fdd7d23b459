import { Alert, Button, Group, Modal, Radio, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import type { Schemas } from "../../api/client";
import { addRecords, ensureDataset, useDatasets } from "../../api/datasets";
import { ErrorState, Loading } from "../../components/States";
import { fromEditable, toEditable, type Editable } from "./editable";
import { ValueEditor } from "./ValueEditor";
import { useSpan } from "./useSpan";

export interface Added {
  dataset: string;
  version: number;
}

interface Props {
  project: string;
  traceId: string;
  /** The span to copy. */
  spanId: string | null;
  opened: boolean;
  onClose: () => void;
  onAdded: (added: Added) => void;
}

/** Copy a span's input and output into a dataset record that remembers the span. */
export function AddToDatasetModal({ project, traceId, spanId, opened, onClose, onAdded }: Props) {
  const span = useSpan(project, traceId, spanId);
  return (
    <Modal opened={opened} onClose={onClose} title="Add to a dataset" size="lg">
      {span.isPending && <Loading what="the span" />}
      {span.isError && <ErrorState error={span.error} what="the span" />}
      {span.isSuccess && (
        <AddForm key={span.data.span_id} project={project} span={span.data} onClose={onClose} onAdded={onAdded} />
      )}
    </Modal>
  );
}

function AddForm({
  project,
  span,
  onClose,
  onAdded,
}: {
  project: string;
  span: Schemas["Span"];
  onClose: () => void;
  onAdded: (added: Added) => void;
}) {
  const { query: datasets, names } = useDatasets(project);
  const [target, setTarget] = useState<"existing" | "new" | null>(null);
  const [existing, setExisting] = useState<string | null>(null);
  const [newName, setNewName] = useState("");
  const [input, setInput] = useState<Editable>(() => toEditable(span.input));
  const [expected, setExpected] = useState<Editable>(() => toEditable(span.output));
  const [problem, setProblem] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const mode = target ?? (datasets.isSuccess && names.length === 0 ? "new" : "existing");
  const name = mode === "new" ? newName.trim() : (existing ?? "");

  const add = useMutation({
    mutationFn: async (record: { input: unknown; expected: unknown }) => {
      if (mode === "new") {
        await ensureDataset(project, name, {
          names,
          description: `Records picked from traces of ${project}.`,
        });
      }
      const result = await addRecords(project, name, [
        { ...record, source: { trace_id: span.trace_id, span_id: span.span_id, project } },
      ]);
      return { dataset: name, version: result.version };
    },
    onSuccess: async (added) => {
      await queryClient.invalidateQueries({ queryKey: ["datasets", project] });
      onAdded(added);
    },
  });

  const submit = () => {
    const parsedInput = fromEditable(input);
    const parsedExpected = fromEditable(expected);
    if (!parsedInput.ok) return setProblem(`Input: ${parsedInput.error}`);
    if (!parsedExpected.ok) return setProblem(`Expected output: ${parsedExpected.error}`);
    setProblem(null);
    add.mutate({ input: parsedInput.value, expected: parsedExpected.value });
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          A new record from the span <b>{span.name}</b>: its input, and its output as the expected answer. Edit
          both as you need. The record keeps a link to this span.
        </Text>
        <Radio.Group value={mode} onChange={(v) => setTarget(v as "existing" | "new")} label="Dataset">
          <Group mt={4}>
            <Radio value="existing" label="An existing dataset" disabled={datasets.isSuccess && names.length === 0} />
            <Radio value="new" label="A new dataset" />
          </Group>
        </Radio.Group>
        {datasets.isError && <ErrorState error={datasets.error} what="the datasets" />}
        {mode === "existing" ? (
          <Select
            label="Existing dataset"
            placeholder={datasets.isPending ? "Loading…" : "Choose a dataset"}
            data={names}
            value={existing}
            onChange={setExisting}
            searchable
            required
          />
        ) : (
          <TextInput
            label="Name of the new dataset"
            placeholder="hard-questions"
            value={newName}
            onChange={(e) => setNewName(e.currentTarget.value)}
            maxLength={200}
            required
            data-autofocus
          />
        )}
        <ValueEditor label="Input" value={input} onChange={setInput} />
        <ValueEditor
          label="Expected output"
          description="Prefilled with what the span answered; change it to the answer you want."
          value={expected}
          onChange={setExpected}
        />
        {(problem || add.isError) && (
          <Alert color="red" title="Could not add the record" role="alert">
            {problem ?? add.error?.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending} disabled={!name}>
            Add record
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
