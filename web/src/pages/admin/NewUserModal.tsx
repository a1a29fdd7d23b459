import { Alert, Button, Checkbox, Group, Modal, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { authApi, authKeys } from "../auth/authApi";

/** An instance admin creates a user: email, name, a first password (or none, for SSO only). */
export function NewUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [admin, setAdmin] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      authApi.createUser({ email: email.trim(), name: name.trim() || null, password: password || null, is_admin: admin }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: authKeys.users });
      close();
    },
  });
  function close() {
    setEmail("");
    setName("");
    setPassword("");
    setAdmin(false);
    create.reset();
    onClose();
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const tooShort = password.length > 0 && password.length < 12;
  return (
    <Modal opened={opened} onClose={close} title="New user">
      <form onSubmit={submit}>
        <Stack>
          {create.isError && (
            <Alert color="red" role="alert" title="Could not create the user">
              {create.error.message}
            </Alert>
          )}
          <TextInput label="Email" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <PasswordInput
            label="Password"
            description="At least 12 characters; give it to them to change. Empty: SSO sign-in only."
            autoComplete="new-password"
            error={tooShort ? "Use at least 12 characters." : undefined}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Checkbox
            label="Instance admin (manages users and every project)"
            checked={admin}
            onChange={(e) => setAdmin(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={tooShort} loading={create.isPending}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
