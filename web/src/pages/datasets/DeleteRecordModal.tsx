import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, unwrap, type Schemas } from "../../api/client";
import { previewValue } from "./recordValue";

/** Asks before deleting a record; the delete makes a new version (older ones keep the record). */
export function DeleteRecordModal({
  project,
  dataset,
  record,
  onClose,
  onDeleted,
}: {
  project: string;
  dataset: string;
  record: Schemas["DatasetRecord"] | null;
  onClose: () => void;
  onDeleted: (message: string) => void;
}) {
  const [last, setLast] = useState(record);
  if (record !== null && record !== last) setLast(record);
  const shown = record ?? last;
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.DELETE("/api/v1/projects/{project}/datasets/{name}/records/{record_id}", {
          params: { path: { project, name: dataset, record_id: id } },
        }),
      ),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ["datasets", project] });
      onDeleted(`Record deleted in version ${result.version}.`);
      onClose();
    },
  });
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Modal opened={record !== null} onClose={close} title="Delete this record?">
      {shown && (
        <Stack>
          <Text size="sm" lineClamp={3} style={{ whiteSpace: "pre-wrap" }}>
            {previewValue(shown.input, 200)}
          </Text>
          <Text size="sm" c="dimmed">
            The record leaves the dataset in a new version. Earlier versions keep it, and so do
            the experiments that ran on them.
          </Text>
          {remove.isError && (
            <Alert color="red" title="Could not delete the record" role="alert">
              {remove.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => remove.mutate(shown.id)}
            >
              Delete
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
