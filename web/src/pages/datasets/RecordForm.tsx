import { Alert, Button, Group, Modal, Stack, TagsInput, Text, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, unwrap, type Schemas } from "../../api/client";
import { changedFields, initialState, readForm, type RecordValues } from "./recordForm";
import { ValueField } from "./ValueField";

type DatasetRecord = Schemas["DatasetRecord"];

/** What the modal is for: a new record, editing one, or reading one of an old version. */
export type RecordTarget =
  | { kind: "new" }
  | { kind: "edit"; record: DatasetRecord }
  | { kind: "view"; record: DatasetRecord; version: number };

const TITLES = { new: "Add a record", edit: "Edit record", view: "Record" } as const;

/** The record form in a modal; saving makes a new version, reported through `onSaved`. */
export function RecordModal({
  project,
  dataset,
  target,
  onClose,
  onSaved,
}: {
  project: string;
  dataset: string;
  target: RecordTarget | null;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  // Keep the last target while the modal fades out, so it does not go blank.
  const [last, setLast] = useState(target);
  if (target !== null && target !== last) setLast(target);
  const shown = target ?? last;
  const title = shown
    ? shown.kind === "view"
      ? `${TITLES.view} at version ${shown.version}`
      : TITLES[shown.kind]
    : "";
  return (
    <Modal opened={target !== null} onClose={onClose} title={title} size="xl">
      {shown && (
        <RecordFormBody
          key={shown.kind === "new" ? "new" : shown.record.id}
          project={project}
          dataset={dataset}
          target={shown}
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
    </Modal>
  );
}

function RecordFormBody({
  project,
  dataset,
  target,
  onClose,
  onSaved,
}: {
  project: string;
  dataset: string;
  target: RecordTarget;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const record = target.kind === "new" ? undefined : target.record;
  const readOnly = target.kind === "view";
  const [state, setState] = useState(() => initialState(record));
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (values: RecordValues) => saveRecord(project, dataset, target, values),
    onSuccess: async (message) => {
      await queryClient.invalidateQueries({ queryKey: ["datasets", project] });
      onSaved(message);
      onClose();
    },
  });
  const read = readForm(state);
  const errors = read.ok ? {} : read.errors;
  const changes = read.ok && record ? changedFields(record, read.values) : {};
  const unchanged = target.kind === "edit" && Object.keys(changes).length === 0;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (read.ok && !readOnly && !unchanged) save.mutate(read.values);
      }}
    >
      <Stack>
        {record && (
          <Text size="xs" c="dimmed">
            Record {record.id} · added in version {record.created_version}
            {record.updated_version !== record.created_version &&
              `, last changed in version ${record.updated_version}`}
          </Text>
        )}
        <ValueField
          label="Input"
          field={state.input}
          error={errors.input}
          readOnly={readOnly}
          onChange={(input) => setState({ ...state, input })}
        />
        <ValueField
          label="Expected answer"
          field={state.expected}
          error={errors.expected}
          readOnly={readOnly}
          onChange={(expected) => setState({ ...state, expected })}
        />
        <Textarea
          label="Metadata"
          description={readOnly ? undefined : 'Keys and values as JSON, like {"topic": "billing"}.'}
          value={state.metadata}
          onChange={(e) => setState({ ...state, metadata: e.currentTarget.value })}
          error={errors.metadata}
          readOnly={readOnly}
          autosize
          minRows={2}
          maxRows={10}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
        />
        <TagsInput
          label="Tags"
          description={readOnly ? undefined : "Press Enter after each tag."}
          value={state.tags}
          onChange={(tags) => setState({ ...state, tags })}
          readOnly={readOnly}
          clearable={!readOnly}
        />
        {save.isError && (
          <Alert color="red" title="Could not save the record" role="alert">
            {save.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          {readOnly ? (
            <Button onClick={onClose}>Close</Button>
          ) : (
            <>
              {unchanged && (
                <Text size="sm" c="dimmed">
                  Nothing changed yet.
                </Text>
              )}
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending} disabled={!read.ok || unchanged}>
                {target.kind === "new" ? "Add record" : "Save"}
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** POST (new) or PATCH (edit) the record; answers what happened, naming the new version. */
async function saveRecord(
  project: string,
  dataset: string,
  target: RecordTarget,
  values: RecordValues,
): Promise<string> {
  const path = { project, name: dataset };
  if (target.kind === "edit") {
    const updated = await unwrap(
      api.PATCH("/api/v1/projects/{project}/datasets/{name}/records/{record_id}", {
        params: { path: { ...path, record_id: target.record.id } },
        body: changedFields(target.record, values),
      }),
    );
    return `Record saved as version ${updated.updated_version}.`;
  }
  const result = await unwrap(
    api.POST("/api/v1/projects/{project}/datasets/{name}/records", {
      params: { path },
      body: { records: [{ ...values }] },
    }),
  );
  if (result.rejected && result.rejected.length > 0) {
    const why = result.rejected.map((r) => `${r.field ?? "record"}: ${r.reason}`).join("; ");
    throw new Error(`The server refused the record (${why}).`);
  }
  return `Record added as version ${result.version}.`;
}
