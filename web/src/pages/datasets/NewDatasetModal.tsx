import { Alert, Button, Group, Modal, Stack, TextInput, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router-dom";

import { api, unwrap } from "../../api/client";
import { datasetPath } from "./datasetUrl";

/** A form for a new, empty dataset; on success it opens the dataset. */
export function NewDatasetModal({
  project,
  opened,
  onClose,
}: {
  project: string;
  opened: boolean;
  onClose: () => void;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/projects/{project}/datasets", {
          params: { path: { project } },
          body: { name: name.trim(), description: description.trim() || null },
        }),
      ),
    onSuccess: async (dataset) => {
      await queryClient.invalidateQueries({ queryKey: ["datasets", project] });
      await queryClient.invalidateQueries({ queryKey: ["projects"] });
      onClose();
      navigate(datasetPath(project, dataset.name));
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title="New dataset" size="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          <TextInput
            label="Name"
            description="Used in code: assay.dataset(project, name)."
            placeholder="golden-questions"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={200}
            required
            data-autofocus
          />
          <Textarea
            label="Description"
            placeholder="What these records are for, where they came from."
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          {create.isError && (
            <Alert color="red" title="Could not create the dataset" role="alert">
              {create.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
