import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { authApi, authKeys, type User } from "../auth/authApi";

/** An instance admin sets a new password for a user; their sessions end. */
export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const client = useQueryClient();
  const [password, setPassword] = useState("");
  const reset = useMutation({
    mutationFn: (u: User) => authApi.updateUser(u.id, { password }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: authKeys.users });
      close();
    },
  });
  function close() {
    setPassword("");
    reset.reset();
    onClose();
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (user) reset.mutate(user);
  };
  const tooShort = password.length < 12;
  return (
    <Modal opened={user !== null} onClose={close} title={`Reset the password of ${user?.email ?? ""}`}>
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">They are signed out everywhere and sign in again with the new password.</Text>
          {reset.isError && (
            <Alert color="red" role="alert">
              {reset.error.message}
            </Alert>
          )}
          <PasswordInput
            label="New password"
            description="At least 12 characters."
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={tooShort} loading={reset.isPending}>
              Reset password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
