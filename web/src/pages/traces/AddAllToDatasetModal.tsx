import { Alert, Anchor, Button, Group, Modal, NumberInput, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";

import { api, unwrap, type Schemas } from "../../api/client";
import { ensureDataset, useDatasets } from "../../api/datasets";
import { ErrorState } from "../../components/States";
import { formatCount } from "../../format";
import { datasetPath } from "../datasets/datasetUrl";
import { toApiQuery, type TraceFilters } from "./filters";

const NEW = "\u0000new";
const MAX = 10_000;

interface Props {
  project: string;
  filters: TraceFilters;
  opened: boolean;
  onClose: () => void;
}

/**
 * The body filter of `from-traces`: the trace list's query without its order and paging, a
 * relative range ("last hour") ending `now`.
 */
export function selectionFilter(filters: TraceFilters, now = Date.now()): Schemas["TraceListFilter"] {
  const filter: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(toApiQuery(filters, now))) {
    if (key !== "sort" && key !== "limit" && key !== "cursor" && value !== null && value !== undefined) {
      filter[key] = value;
    }
  }
  return filter as Schemas["TraceListFilter"];
}

/** Every trace of the current filter (newest first, up to a limit) as records of a dataset. */
export function AddAllToDatasetModal({ project, filters, opened, onClose }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="Add these traces to a dataset" size="md">
      {opened && <AddAllForm project={project} filters={filters} onClose={onClose} />}
    </Modal>
  );
}

function AddAllForm({ project, filters, onClose }: Omit<Props, "opened">) {
  const { query: datasets, names } = useDatasets(project);
  const [choice, setChoice] = useState<string | null>(null);
  const [newName, setNewName] = useState("");
  const [limit, setLimit] = useState<number | string>(1000);
  const picked = choice ?? (datasets.isSuccess && names.length === 0 ? NEW : null);
  const creating = picked === NEW;
  const name = creating ? newName.trim() : (picked ?? "");
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: async () => {
      if (creating) {
        await ensureDataset(project, name, {
          names,
          description: `Records taken from production traces of ${project}.`,
        });
      }
      const result = await unwrap(
        api.POST("/api/v1/projects/{project}/datasets/{name}/records/from-traces", {
          params: { path: { project, name } },
          body: { filter: selectionFilter(filters), limit: Number(limit) || 1000 },
        }),
      );
      return { dataset: name, version: result.version, added: result.ids.length };
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["datasets", project] }),
  });

  if (add.isSuccess) {
    const { dataset, added, version } = add.data;
    return (
      <Stack>
        <Alert color={added ? "teal" : "yellow"} title={added ? "Added" : "Nothing added"} role="status">
          {added
            ? `${formatCount(added)} ${added === 1 ? "record" : "records"} added to ${dataset} (version ${version}).`
            : "No trace matches the current filters."}
        </Alert>
        <Group justify="flex-end">
          {added > 0 && (
            <Anchor component={Link} to={datasetPath(project, dataset)}>
              Open {dataset}
            </Anchor>
          )}
          <Button onClick={onClose}>Close</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          One record per trace that matches the filters on this page, newest first: the input of its
          first span as input, its output as the expected answer. Each record links back to its trace.
        </Text>
        {datasets.isError && <ErrorState error={datasets.error} what="the datasets" />}
        <Select
          label="Dataset"
          placeholder={datasets.isPending ? "Loading…" : "Choose a dataset"}
          data={[...names.map((n) => ({ value: n, label: n })), { value: NEW, label: "A new dataset…" }]}
          value={picked}
          onChange={setChoice}
          allowDeselect={false}
          searchable
        />
        {creating && (
          <TextInput
            label="Name of the new dataset"
            placeholder="escalations"
            value={newName}
            onChange={(e) => setNewName(e.currentTarget.value)}
            maxLength={200}
            required
          />
        )}
        <NumberInput
          label="At most"
          description={`traces (up to ${formatCount(MAX)})`}
          value={limit}
          onChange={setLimit}
          min={1}
          max={MAX}
          allowDecimal={false}
          w={200}
        />
        {add.isError && (
          <Alert color="red" title="Could not add the traces" role="alert">
            {add.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending} disabled={!name}>
            Add traces
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
