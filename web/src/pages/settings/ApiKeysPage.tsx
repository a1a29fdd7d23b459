import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo } from "../../format";
import { authApi, authKeys, type ApiKey, type ApiKeyCreated, type Role } from "../auth/authApi";
import { useCan } from "../auth/useAuth";
import { AuthOffNote } from "./AuthOffNote";
import { NewKeySecret } from "./NewKeySecret";
import { RoleSelect } from "./RoleSelect";

/** The project's API keys for the SDK, OpenTelemetry exporters and CI: make one, see when each
 * was last used, revoke one. */
export function ApiKeysPage() {
  const { project = "" } = useParams();
  const canManage = useCan(project, "admin");
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const keys = useQuery({ queryKey: authKeys.keys(project), queryFn: () => authApi.listKeys(project) });
  return (
    <Stack>
      <Stack gap={0}>
        <Title order={2}>API keys</Title>
        <Text c="dimmed" size="sm">
          Programs send a key of {project} as <code>Authorization: Bearer &lt;key&gt;</code>; it acts
          with its role in this project only.
        </Text>
      </Stack>
      <AuthOffNote>Keys made now are checked once authentication is on.</AuthOffNote>
      {created && <NewKeySecret created={created} onDone={() => setCreated(null)} />}
      {canManage && <NewKeyForm project={project} onCreated={setCreated} />}
      {keys.isPending && <Loading what="the API keys" />}
      {keys.isError && <ErrorState error={keys.error} what="the API keys" />}
      {keys.isSuccess && keys.data.length === 0 && (
        <EmptyState title="No API keys yet">
          <Text c="dimmed" size="sm">
            Make one for each program or CI job, so each can be revoked alone.
          </Text>
        </EmptyState>
      )}
      {keys.isSuccess && keys.data.length > 0 && (
        <KeyTable project={project} keys={keys.data} canManage={canManage} />
      )}
    </Stack>
  );
}

function NewKeyForm({ project, onCreated }: { project: string; onCreated: (key: ApiKeyCreated) => void }) {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("engineer");
  const create = useMutation({
    mutationFn: () => authApi.createKey(project, name.trim(), role),
    onSuccess: (key) => {
      setName("");
      onCreated(key);
      void client.invalidateQueries({ queryKey: authKeys.keys(project) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <Group align="flex-end">
          <TextInput
            label="Key name"
            placeholder="ci, support-bot-prod…"
            required
            w={300}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <RoleSelect label="Role" value={role} onChange={setRole} />
          <Button type="submit" loading={create.isPending} mb={22}>
            Create key
          </Button>
        </Group>
        {create.isError && (
          <Alert color="red" role="alert" title="Could not create the key">
            {create.error.message}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

function KeyTable({ project, keys, canManage }: { project: string; keys: ApiKey[]; canManage: boolean }) {
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: (keyId: string) => authApi.revokeKey(project, keyId),
    onSuccess: () => client.invalidateQueries({ queryKey: authKeys.keys(project) }),
  });
  return (
    <Stack gap="xs">
      {revoke.isError && (
        <Alert color="red" role="alert" title="Could not revoke the key">
          {revoke.error.message}
        </Alert>
      )}
      <Table withTableBorder highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Key</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((k) => (
            <Table.Tr key={k.id} data-testid="api-key-row" data-revoked={k.revoked_at ? "true" : "false"}>
              <Table.Td fw={600}>{k.name}</Table.Td>
              <Table.Td>{k.role}</Table.Td>
              <Table.Td>
                <code>{k.prefix}…</code>
              </Table.Td>
              <Table.Td>
                {formatAgo(k.created_at)}
                {k.created_by ? ` by ${k.created_by}` : ""}
              </Table.Td>
              <Table.Td>{k.last_used_at ? formatAgo(k.last_used_at) : "never"}</Table.Td>
              <Table.Td ta="right">
                {k.revoked_at ? (
                  <Badge color="gray" variant="light">
                    revoked {formatAgo(k.revoked_at)}
                  </Badge>
                ) : (
                  canManage && <RevokeButton name={k.name} busy={revoke.isPending && revoke.variables === k.id} onRevoke={() => revoke.mutate(k.id)} />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Revoke, after a second click that says what it does. */
function RevokeButton({ name, busy, onRevoke }: { name: string; busy: boolean; onRevoke: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button size="xs" variant="subtle" color="red" onClick={() => setAsking(true)} aria-label={`Revoke ${name}`}>
        Revoke
      </Button>
    );
  }
  return (
    <Group gap="xs" justify="flex-end" wrap="nowrap">
      <Text size="xs">Programs using it stop working.</Text>
      <Button size="xs" color="red" loading={busy} onClick={onRevoke}>
        Revoke {name}
      </Button>
      <Button size="xs" variant="default" onClick={() => setAsking(false)}>
        Keep
      </Button>
    </Group>
  );
}
