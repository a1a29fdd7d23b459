import { Button, Stack, Table, Text, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo, formatTime } from "../../format";
import { authApi, authKeys, type AuditEvent } from "../auth/authApi";
import { actionText, detailsText } from "./auditText";

/** The project's audit log (members, roles, keys, labels, settings), newest first. */
export function AuditLogPage() {
  const { project = "" } = useParams();
  return <AuditLog project={project} />;
}

/** Every project's audit log and the changes to users, for instance admins. */
export function InstanceAuditLogPage() {
  return <AuditLog project={null} />;
}

function AuditLog({ project }: { project: string | null }) {
  const log = useInfiniteQuery({
    queryKey: authKeys.audit(project),
    queryFn: ({ pageParam }) => authApi.audit(project, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
  const events = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Stack gap={0}>
        <Title order={2}>Audit log</Title>
        <Text c="dimmed" size="sm">
          {project === null
            ? "Every change to users, members, roles, API keys, labels and settings, in every project."
            : `Who changed members, roles, API keys, labels and settings of ${project}, and when.`}
        </Text>
      </Stack>
      {log.isPending && <Loading what="the audit log" />}
      {log.isError && <ErrorState error={log.error} what="the audit log" />}
      {log.isSuccess && events.length === 0 && <EmptyState title="Nothing changed yet" />}
      {events.length > 0 && <AuditTable events={events} showProject={project === null} />}
      {log.hasNextPage && (
        <Button variant="default" w="fit-content" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Older changes
        </Button>
      )}
    </Stack>
  );
}

function AuditTable({ events, showProject }: { events: AuditEvent[]; showProject: boolean }) {
  return (
    <Table withTableBorder striped verticalSpacing="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When</Table.Th>
          {showProject && <Table.Th>Project</Table.Th>}
          <Table.Th>Who</Table.Th>
          <Table.Th>What</Table.Th>
          <Table.Th>Target</Table.Th>
          <Table.Th>Details</Table.Th>
          <Table.Th>From</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {events.map((e) => (
          <Table.Tr key={e.id} data-testid="audit-event" data-action={e.action}>
            <Table.Td title={formatTime(e.created_at)}>{formatAgo(e.created_at)}</Table.Td>
            {showProject && <Table.Td>{e.project ?? "—"}</Table.Td>}
            <Table.Td>{e.actor}</Table.Td>
            <Table.Td>{actionText(e.action)}</Table.Td>
            <Table.Td>{e.target ?? "—"}</Table.Td>
            <Table.Td maw={420}>
              <Text size="sm" lineClamp={3}>
                {detailsText(e.details)}
              </Text>
            </Table.Td>
            <Table.Td>{e.address ?? "—"}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
