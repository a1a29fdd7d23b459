import { Alert, Button, Code, Group, Modal, Stack, Table, Text, Title } from "@mantine/core";
import { IconLock, IconPlus } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo, formatTime } from "../../format";
import { useCan } from "../auth/useAuth";
import { ProviderFormModal } from "./ProviderFormModal";
import { providerKeys, providersApi, useProviders, type ProviderKey } from "./providersApi";
import { ProviderTestButton } from "./ProviderTestButton";

type Editing = { provider?: ProviderKey } | null;

/** The project's model provider keys, used by the server for playground runs and judges. */
export function ProvidersPage() {
  const { project = "" } = useParams();
  const canManage = useCan(project, "admin");
  const [editing, setEditing] = useState<Editing>(null);
  const providers = useProviders(project);
  const taken = (providers.data ?? []).map((p) => p.name);
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>Model providers</Title>
          <Text c="dimmed" size="sm">
            The keys the server uses for this project&apos;s playground runs and judges.
          </Text>
          <Group gap={6}>
            <IconLock size={14} color="var(--mantine-color-dimmed)" />
            <Text c="dimmed" size="sm">
              Keys are encrypted at rest and never shown again after saving, only a masked hint.
            </Text>
          </Group>
        </Stack>
        {canManage && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({})}>
            Add provider
          </Button>
        )}
      </Group>
      {providers.isPending && <Loading what="the providers" />}
      {providers.isError && <ErrorState error={providers.error} what="the providers" />}
      {providers.isSuccess && providers.data.length === 0 && (
        <EmptyState title="No model providers yet">
          <Text c="dimmed" size="sm" maw={620} ta="center">
            Without one, the server calls models with its own environment (OPENAI_API_KEY, ANTHROPIC_API_KEY), if set.
            Add OpenAI, Anthropic, or any OpenAI-compatible API under a model prefix (<Code>groq/llama-3.1-8b</Code>).
          </Text>
          {canManage && <Button onClick={() => setEditing({})}>Add a provider</Button>}
        </EmptyState>
      )}
      {providers.isSuccess && providers.data.length > 0 && (
        <ProvidersTable project={project} providers={providers.data} canManage={canManage} onEdit={(p) => setEditing({ provider: p })} />
      )}
      <ProviderFormModal
        project={project}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        provider={editing?.provider}
        taken={taken}
      />
    </Stack>
  );
}

interface TableProps {
  project: string;
  providers: ProviderKey[];
  canManage: boolean;
  onEdit: (provider: ProviderKey) => void;
}

function ProvidersTable({ project, providers, canManage, onEdit }: TableProps) {
  return (
    <Table withTableBorder highlightOnHover verticalSpacing="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Kind</Table.Th>
          <Table.Th>Base URL</Table.Th>
          <Table.Th>Key</Table.Th>
          <Table.Th>Updated</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {providers.map((p) => (
          <Table.Tr key={p.name} data-testid="provider-row" data-name={p.name}>
            <Table.Td fw={600}>{p.name}</Table.Td>
            <Table.Td>{p.kind === "openai" ? "OpenAI-compatible" : "Anthropic"}</Table.Td>
            <Table.Td>
              {p.base_url ? (
                <Code style={{ overflowWrap: "anywhere" }}>{p.base_url}</Code>
              ) : (
                <Text size="sm" c="dimmed">
                  official API
                </Text>
              )}
            </Table.Td>
            <Table.Td data-testid="provider-key-hint">
              {p.key_hint ? <Code>{p.key_hint}</Code> : <Text size="sm" c="dimmed">no key</Text>}
            </Table.Td>
            <Table.Td>
              <Text size="sm" title={formatTime(p.updated_at)}>
                {formatAgo(p.updated_at)}
                {p.updated_by ? ` by ${p.updated_by}` : ""}
              </Text>
            </Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                {canManage && (
                  <>
                    <ProviderTestButton project={project} provider={p} />
                    <Button size="xs" variant="default" onClick={() => onEdit(p)}>
                      Edit
                    </Button>
                    <DeleteProviderButton project={project} name={p.name} />
                  </>
                )}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function DeleteProviderButton({ project, name }: { project: string; name: string }) {
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => providersApi.remove(project, name),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: providerKeys.all(project) });
      setAsking(false);
    },
  });
  return (
    <>
      <Button size="xs" variant="subtle" color="red" onClick={() => setAsking(true)}>
        Delete
      </Button>
      <Modal opened={asking} onClose={() => setAsking(false)} title={`Delete provider ${name}?`}>
        <Stack>
          <Text size="sm">
            Its key is forgotten. Playground runs and judges that use {name} models fall back to the server&apos;s own
            environment, or fail.
          </Text>
          {remove.isError && (
            <Alert color="red" title="Could not delete the provider" role="alert">
              {remove.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete {name}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
