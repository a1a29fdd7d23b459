import { Alert, Button, Group, Modal, ScrollArea, Select, Stack, Text, UnstyledButton } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { Loading } from "../../components/States";
import { previewValue } from "../datasets/recordValue";
import { playgroundApi, playgroundKeys } from "./playgroundApi";
import { valueText, variablesFromInput } from "./variables";

export interface PickedInput {
  variables: Record<string, unknown>;
  /** The record's input as the agent input's text. */
  text: string;
}

/** Pick a dataset and one of its records: its input fills the variables. */
export function FillFromDatasetDialog({
  project,
  onClose,
  onPick,
}: {
  project: string;
  onClose: () => void;
  onPick: (input: PickedInput) => void;
}) {
  const [dataset, setDataset] = useState<string | null>(null);
  const datasets = useQuery({ queryKey: playgroundKeys.datasets(project), queryFn: () => playgroundApi.datasets(project) });
  const records = useQuery({
    queryKey: playgroundKeys.records(project, dataset ?? ""),
    queryFn: () => playgroundApi.records(project, dataset ?? ""),
    enabled: dataset !== null,
  });
  return (
    <Modal opened onClose={onClose} title="Fill the variables from a dataset record" size="lg">
      <Stack>
        <Select
          label="Dataset"
          placeholder={datasets.data?.length === 0 ? "This project has no datasets" : "Pick a dataset"}
          data={(datasets.data ?? []).map((d) => d.name)}
          value={dataset}
          onChange={setDataset}
          searchable
          data-autofocus
        />
        {datasets.isError && (
          <Alert color="red" role="alert" title="Could not load the datasets">
            {datasets.error.message}
          </Alert>
        )}
        {dataset && records.isPending && <Loading what="records" />}
        {records.isError && (
          <Alert color="red" role="alert" title="Could not load the records">
            {records.error.message}
          </Alert>
        )}
        {records.data && records.data.items.length === 0 && <Text c="dimmed">This dataset has no records.</Text>}
        {records.data && records.data.items.length > 0 && (
          <ScrollArea.Autosize mah={360}>
            <Stack gap={4} role="list" aria-label="Records">
              {records.data.items.map((record, i) => (
                <UnstyledButton
                  key={record.id}
                  role="listitem"
                  p="xs"
                  style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 4 }}
                  onClick={() =>
                    onPick({ variables: variablesFromInput(record.input), text: valueText(record.input) })
                  }
                >
                  <Text size="xs" c="dimmed">
                    Record {i + 1}
                  </Text>
                  <Text size="sm" lineClamp={2}>
                    {previewValue(record.input, 140)}
                  </Text>
                </UnstyledButton>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
