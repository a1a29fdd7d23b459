import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo } from "../../format";
import { authApi, authKeys, type User, type UserPatch } from "../auth/authApi";
import { useMe } from "../auth/useAuth";
import { AuthOffNote } from "../settings/AuthOffNote";
import { NewUserModal } from "./NewUserModal";
import { ResetPasswordModal } from "./ResetPasswordModal";

/** Everyone with an account, for instance admins: create users, reset a password, disable an
 * account, make or unmake an instance admin. Roles in projects are given on each project's
 * Members page. */
export function UsersPage() {
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const users = useQuery({ queryKey: authKeys.users, queryFn: authApi.listUsers });
  return (
    <Stack>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>Users</Title>
          <Text c="dimmed" size="sm">
            Accounts on this server. Give them a role on a project&apos;s Members page.
          </Text>
        </Stack>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          New user
        </Button>
      </Group>
      <AuthOffNote>Users can sign in once authentication is on.</AuthOffNote>
      {users.isPending && <Loading what="the users" />}
      {users.isError && <ErrorState error={users.error} what="the users" />}
      {users.isSuccess && users.data.length === 0 && <EmptyState title="No users yet" />}
      {users.isSuccess && users.data.length > 0 && <UserTable users={users.data} onReset={setResetting} />}
      <NewUserModal opened={creating} onClose={() => setCreating(false)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </Stack>
  );
}

function UserTable({ users, onReset }: { users: User[]; onReset: (user: User) => void }) {
  const me = useMe();
  const client = useQueryClient();
  const update = useMutation({
    mutationFn: (change: { user: User; patch: UserPatch }) => authApi.updateUser(change.user.id, change.patch),
    onSuccess: () => client.invalidateQueries({ queryKey: authKeys.users }),
  });
  return (
    <Stack gap="xs">
      {update.isError && (
        <Alert color="red" role="alert" title="Could not change the user">
          {update.error.message}
        </Alert>
      )}
      <Table withTableBorder highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Email</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Sign-in</Table.Th>
            <Table.Th>Last sign-in</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((u) => {
            const self = me.user?.id === u.id;
            const busy = update.isPending && update.variables?.user.id === u.id;
            return (
              <Table.Tr key={u.id} data-testid="user-row" data-disabled={u.disabled ? "true" : "false"}>
                <Table.Td>
                  <Group gap="xs">
                    <Text size="sm" fw={600}>
                      {u.email}
                    </Text>
                    {u.is_admin && <Badge size="xs">instance admin</Badge>}
                    {u.disabled && (
                      <Badge size="xs" color="gray">
                        disabled
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{u.name || "—"}</Table.Td>
                <Table.Td>{[u.has_password && "password", u.oidc && "SSO"].filter(Boolean).join(", ") || "none"}</Table.Td>
                <Table.Td>{u.last_login_at ? formatAgo(u.last_login_at) : "never"}</Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => onReset(u)} aria-label={`Reset password of ${u.email}`}>
                      Reset password
                    </Button>
                    {!self && (
                      <>
                        <Button
                          size="xs"
                          variant="subtle"
                          loading={busy}
                          onClick={() => update.mutate({ user: u, patch: { is_admin: !u.is_admin } })}
                        >
                          {u.is_admin ? "Remove admin" : "Make admin"}
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color={u.disabled ? "teal" : "red"}
                          loading={busy}
                          onClick={() => update.mutate({ user: u, patch: { disabled: !u.disabled } })}
                        >
                          {u.disabled ? "Enable" : "Disable"}
                        </Button>
                      </>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
