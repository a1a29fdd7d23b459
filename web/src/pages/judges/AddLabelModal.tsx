import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from "@mantine/core";
import { useLocalStorage } from "@mantine/hooks";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { addRecords, ensureDataset, useDatasets } from "../../api/datasets";
import { ErrorState, Loading } from "../../components/States";
import { BodyView } from "../trace/BodyView";
import { verdict } from "./agreementFormat";
import { defaultDatasetName, labelRecord, type Disagreement } from "./labelRecord";
import { useTargetSpan } from "./useTargetSpan";

export interface AddedLabel {
  dataset: string;
  version: number;
}

interface Props {
  project: string;
  judge: string;
  judgeVersion: number | null;
  item: Disagreement | null;
  onClose: () => void;
  onAdded: (item: Disagreement, added: AddedLabel) => void;
}

const NEW = "\u0000new";

/**
 * Add a disagreement to a dataset of human-labelled examples: the span's input, the person's
 * verdict as expected, and where it came from. The dataset chosen is remembered per judge.
 */
export function AddLabelModal({ project, judge, judgeVersion, item, onClose, onAdded }: Props) {
  return (
    <Modal opened={item !== null} onClose={onClose} title="Add to a dataset of human labels" size="lg">
      {item && (
        <AddLabelForm
          key={`${item.trace_id}/${item.span_id ?? ""}`}
          project={project}
          judge={judge}
          judgeVersion={judgeVersion}
          item={item}
          onClose={onClose}
          onAdded={onAdded}
        />
      )}
    </Modal>
  );
}

function AddLabelForm({ project, judge, judgeVersion, item, onClose, onAdded }: Props & { item: Disagreement }) {
  const span = useTargetSpan(project, item.trace_id, item.span_id, true);
  const { query: datasets, names } = useDatasets(project);
  const [remembered, remember] = useLocalStorage<string>({
    key: `assay.judge-dataset.${project}.${judge}`,
    defaultValue: defaultDatasetName(judge),
    getInitialValueInEffect: false,
  });
  const [choice, setChoice] = useState<string | null>(null);
  const [newName, setNewName] = useState(remembered);
  const picked = choice ?? (names.includes(remembered) ? remembered : NEW);
  const creating = picked === NEW;
  const name = creating ? newName.trim() : picked;
  const queryClient = useQueryClient();

  const add = useMutation({
    mutationFn: async () => {
      if (!span.data) throw new Error("The span is not loaded yet.");
      if (creating) {
        await ensureDataset(project, name, {
          names,
          description: `Examples labelled by people, for evaluating the judge ${judge}.`,
        });
      }
      const record = labelRecord({ project, judge, judgeVersion, item, spanId: span.data.span_id, input: span.data.input });
      const result = await addRecords(project, name, [record]);
      return { dataset: name, version: result.version };
    },
    onSuccess: async (added) => {
      remember(added.dataset);
      await queryClient.invalidateQueries({ queryKey: ["datasets", project] });
      onAdded(item, added);
    },
  });

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          The record takes the input the judge saw and, as the expected answer, what the person said:{" "}
          <b>{verdict(item.human_label, item.human_value)}</b> (the judge said{" "}
          <b>{verdict(item.judge_label, item.judge_value)}</b>). It keeps a link to the trace and to this
          judge version, so the dataset can evaluate the next version of the judge.
        </Text>
        {datasets.isError && <ErrorState error={datasets.error} what="the datasets" />}
        <Select
          label="Dataset"
          data={[...names.map((n) => ({ value: n, label: n })), { value: NEW, label: "A new dataset…" }]}
          value={picked}
          onChange={(v) => setChoice(v)}
          allowDeselect={false}
          searchable
        />
        {creating && (
          <TextInput
            label="Name of the new dataset"
            value={newName}
            onChange={(e) => setNewName(e.currentTarget.value)}
            maxLength={200}
            required
          />
        )}
        {span.isPending && <Loading what="the input" />}
        {span.isError && <ErrorState error={span.error} what="the span's input" />}
        {span.isSuccess && <BodyView title="Input" value={span.data.input} />}
        {add.isError && (
          <Alert color="red" title="Could not add the record" role="alert">
            {add.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending} disabled={!name || !span.isSuccess} data-autofocus>
            Add to {name || "dataset"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
