import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { authApi } from "./authApi";

/** A signed-in user changes their own password (the current one first). */
export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const change = useMutation({ mutationFn: () => authApi.changePassword(current, next) });
  const close = () => {
    setCurrent("");
    setNext("");
    change.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  const tooShort = next.length > 0 && next.length < 12;
  return (
    <Modal opened={opened} onClose={close} title="Change your password">
      {change.isSuccess ? (
        <Stack>
          <Text>Your password is changed.</Text>
          <Button onClick={close}>Done</Button>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            {change.isError && (
              <Alert color="red" role="alert">
                {change.error.message}
              </Alert>
            )}
            <PasswordInput
              label="Current password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(e) => setCurrent(e.currentTarget.value)}
            />
            <PasswordInput
              label="New password"
              description="At least 12 characters."
              autoComplete="new-password"
              required
              error={tooShort ? "Use at least 12 characters." : undefined}
              value={next}
              onChange={(e) => setNext(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" disabled={tooShort || !current} loading={change.isPending}>
                Change password
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
