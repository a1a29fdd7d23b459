import { ActionIcon, Button, Group, Stack, Table, Text, Title, Tooltip } from "@mantine/core";
import { IconPencil, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useParams, useSearchParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo } from "../../format";
import { useCan } from "../auth/useAuth";
import { AlertStateBadge, AlertSwitch } from "./AlertBits";
import { AlertEvents } from "./AlertEvents";
import { AlertFormModal } from "./AlertFormModal";
import { alertKeys, alertsApi, type Alert } from "./alertsApi";
import { conditionText, METRICS, valueText } from "./alertText";

const REFRESH_MS = 3000;

/** The project's alerts with their state, and the history of what fired and resolved. */
export function AlertsPage() {
  const { project = "" } = useParams();
  const canWrite = useCan(project, "engineer");
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<Alert | "new" | null>(null);
  const alerts = useQuery({
    queryKey: alertKeys.all(project),
    queryFn: () => alertsApi.list(project),
    refetchInterval: REFRESH_MS,
  });
  const shown = params.get("alert");
  const showAlert = (name: string | null) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (name) next.set("alert", name);
      else next.delete("alert");
      return next;
    });
  return (
    <Stack>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>Alerts</Title>
          <Text c="dimmed" size="sm">
            Thresholds on errors, latency, cost, traffic, a score or a judge&apos;s agreement, checked
            over a window; a webhook hears when one fires and when it resolves.
          </Text>
        </Stack>
        {canWrite && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing("new")}>
            New alert
          </Button>
        )}
      </Group>
      {alerts.isPending && <Loading what="the alerts" />}
      {alerts.isError && <ErrorState error={alerts.error} what="the alerts" />}
      {alerts.isSuccess && alerts.data.length === 0 && (
        <EmptyState title="No alerts yet">
          <Text c="dimmed" size="sm" maw={560} ta="center">
            For example: error_rate above 0.2 over 5 minutes, or the mean of helpfulness below 0.6
            over an hour, posted to your team&apos;s chat.
          </Text>
          {canWrite && <Button onClick={() => setEditing("new")}>Create an alert</Button>}
        </EmptyState>
      )}
      {alerts.isSuccess && alerts.data.length > 0 && (
        <AlertsTable project={project} alerts={alerts.data} onEdit={canWrite ? setEditing : undefined} />
      )}
      <AlertEvents project={project} names={(alerts.data ?? []).map((a) => a.name)} alert={shown} onAlert={showAlert} />
      <AlertFormModal
        project={project}
        opened={editing !== null}
        alert={editing === "new" || editing === null ? undefined : editing}
        onClose={() => setEditing(null)}
      />
    </Stack>
  );
}

/** `onEdit` is absent when the caller may not change alerts: no edit or delete then. */
function AlertsTable({ project, alerts, onEdit }: { project: string; alerts: Alert[]; onEdit?: (a: Alert) => void }) {
  return (
    <Table withTableBorder highlightOnHover verticalSpacing="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Alert</Table.Th>
          <Table.Th>State</Table.Th>
          <Table.Th>Metric</Table.Th>
          <Table.Th>Condition</Table.Th>
          <Table.Th ta="right">Last value</Table.Th>
          <Table.Th>Webhook</Table.Th>
          <Table.Th>On</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {alerts.map((a) => (
          <AlertRow key={a.id} project={project} alert={a} onEdit={onEdit && (() => onEdit(a))} />
        ))}
      </Table.Tbody>
    </Table>
  );
}

function AlertRow({ project, alert: a, onEdit }: { project: string; alert: Alert; onEdit?: () => void }) {
  return (
    <Table.Tr data-testid="alert-row" data-state={a.state}>
      <Table.Td>
        <Text fw={600} size="sm">
          {a.name}
        </Text>
        {a.description && (
          <Text size="xs" c="dimmed" lineClamp={1}>
            {a.description}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <AlertStateBadge state={a.state} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{METRICS[a.metric].label}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace" data-testid="alert-condition">
          {conditionText(a)}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" ff="monospace">
          {valueText(a.value)}
        </Text>
        {a.evaluated_at && (
          <Text size="xs" c="dimmed">
            {formatAgo(a.evaluated_at)}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={a.webhook_url ? undefined : "dimmed"}>
          {a.webhook_url ? (a.webhook_format === "slack" ? "Slack" : "JSON") : "none"}
        </Text>
      </Table.Td>
      <Table.Td>
        <AlertSwitch project={project} alert={a} />
      </Table.Td>
      <Table.Td>
        {onEdit && (
          <Group gap={4} wrap="nowrap">
            <Tooltip label="Edit">
              <ActionIcon variant="subtle" color="gray" aria-label={`Edit alert ${a.name}`} onClick={onEdit}>
                <IconPencil size={16} />
              </ActionIcon>
            </Tooltip>
            <DeleteAlert project={project} name={a.name} />
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function DeleteAlert({ project, name }: { project: string; name: string }) {
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: () => alertsApi.remove(project, name),
    onSuccess: () => client.invalidateQueries({ queryKey: alertKeys.all(project) }),
  });
  return (
    <Tooltip label={remove.isError ? remove.error.message : "Delete"}>
      <ActionIcon
        variant="subtle"
        color={remove.isError ? "red" : "gray"}
        aria-label={`Delete alert ${name}`}
        loading={remove.isPending}
        onClick={() => window.confirm(`Delete alert ${name}?`) && remove.mutate()}
      >
        <IconTrash size={16} />
      </ActionIcon>
    </Tooltip>
  );
}
