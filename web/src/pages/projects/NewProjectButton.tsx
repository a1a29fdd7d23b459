import { Alert, Button, Group, Modal, Stack, TextInput } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";

import { authApi } from "../auth/authApi";
import { isInstanceAdmin } from "../auth/roles";
import { useMe } from "../auth/useAuth";

/** "New project", for those who may create one (instance admins; everyone in local mode, where
 * sending a first span also makes one). */
export function NewProjectButton() {
  const me = useMe();
  const [opened, setOpened] = useState(false);
  if (!isInstanceAdmin(me)) return null;
  return (
    <>
      <Button leftSection={<IconPlus size={16} />} onClick={() => setOpened(true)}>
        New project
      </Button>
      <NewProjectModal opened={opened} onClose={() => setOpened(false)} />
    </>
  );
}

function NewProjectModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: () => authApi.createProject(name.trim()),
    onSuccess: async () => {
      const created = name.trim();
      await client.invalidateQueries({ queryKey: ["projects"] });
      await client.invalidateQueries({ queryKey: ["me"] });
      navigate(`/projects/${encodeURIComponent(created)}/settings/members`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title="New project">
      <form onSubmit={submit}>
        <Stack>
          {create.isError && (
            <Alert color="red" role="alert" title="Could not create the project">
              {create.error.message}
            </Alert>
          )}
          <TextInput
            label="Name"
            description="Programs send spans to it by this name."
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create project
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
