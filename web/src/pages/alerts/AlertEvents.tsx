import { Badge, Button, Group, Select, Stack, Table, Text, Title, Tooltip } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";

import { ErrorState, Loading } from "../../components/States";
import { formatAgo, formatTime } from "../../format";
import { DeliveryBadge, TracesLink } from "./AlertBits";
import { alertKeys, alertsApi } from "./alertsApi";
import { valueText } from "./alertText";

const PAGE = 50;
const REFRESH_MS = 3000;

/** The history of the project's alerts: each time one fired or resolved, and its delivery. */
export function AlertEvents({
  project,
  names,
  alert,
  onAlert,
}: {
  project: string;
  names: string[];
  alert: string | null;
  onAlert: (name: string | null) => void;
}) {
  const events = useInfiniteQuery({
    queryKey: alertKeys.events(project, alert),
    queryFn: ({ pageParam }) =>
      alertsApi.events(project, { alert: alert ?? undefined, limit: PAGE, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
    refetchInterval: REFRESH_MS,
  });
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4}>History</Title>
        <Select
          aria-label="Alert shown in the history"
          placeholder="All alerts"
          data={names}
          value={alert}
          onChange={onAlert}
          clearable
          size="xs"
          w={220}
        />
      </Group>
      {events.isPending && <Loading what="the alert history" />}
      {events.isError && <ErrorState error={events.error} what="the alert history" />}
      {events.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          Nothing has fired yet. Each time an alert fires or resolves, it is listed here with what the
          webhook answered.
        </Text>
      )}
      {items.length > 0 && (
        <Table withTableBorder verticalSpacing="xs" data-testid="alert-events">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Alert</Table.Th>
              <Table.Th>Event</Table.Th>
              <Table.Th ta="right">Value</Table.Th>
              <Table.Th>Delivery</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => (
              <Table.Tr key={e.id} data-testid="alert-event" data-kind={e.kind}>
                <Table.Td>
                  <Tooltip label={formatTime(e.created_at)}>
                    <Text size="sm">{formatAgo(e.created_at)}</Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {e.alert}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={e.kind === "firing" ? "red" : "teal"} variant="light">
                    {e.kind}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" ff="monospace">
                    {valueText(e.value)}{" "}
                    <Text span size="xs" c="dimmed">
                      (threshold {e.threshold})
                    </Text>
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    <DeliveryBadge delivery={e.delivery} />
                    {e.delivery_error && (
                      <Text size="xs" c="red" ff="monospace" lineClamp={2} title={e.delivery_error}>
                        {e.delivery_error}
                      </Text>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <TracesLink link={e.link} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {events.hasNextPage && (
        <Button variant="default" w="fit-content" onClick={() => events.fetchNextPage()} loading={events.isFetchingNextPage}>
          Load older events
        </Button>
      )}
    </Stack>
  );
}
