import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, Text } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";

import { ErrorState, Loading } from "../../components/States";
import { formatAgo } from "../../format";
import { formatReviewValue, traceLink } from "./links";
import { reviewApi, reviewKeys, type ItemStatus } from "./reviewApi";
import type { Queue } from "./reviewTypes";

const PAGE = 50;

/** The queue's items: status, reviews so far, what was asked and answered, a link to the trace. */
export function QueueItemsTable({ project, queue }: { project: string; queue: Queue }) {
  const [status, setStatus] = useState<ItemStatus>("all");
  const items = useInfiniteQuery({
    queryKey: reviewKeys.items(project, queue.name, status),
    queryFn: ({ pageParam }) => reviewApi.listItems(project, queue.name, { status, limit: PAGE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  const rows = items.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="sm">
      <SegmentedControl
        w="fit-content"
        size="xs"
        aria-label="Which items"
        value={status}
        onChange={(v) => setStatus(v as ItemStatus)}
        data={[
          { value: "all", label: "All" },
          { value: "pending", label: "Waiting" },
          { value: "done", label: "Done" },
        ]}
      />
      {items.isPending && <Loading what="the items" />}
      {items.isError && <ErrorState error={items.error} what="the items" />}
      {items.isSuccess && rows.length === 0 && <Text c="dimmed">No items here.</Text>}
      {rows.length > 0 && (
        <Table withTableBorder highlightOnHover verticalSpacing="xs" data-testid="queue-items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Status</Table.Th>
              <Table.Th ta="right">Reviews</Table.Th>
              <Table.Th>Trace</Table.Th>
              <Table.Th>Input</Table.Th>
              <Table.Th>Output</Table.Th>
              <Table.Th>Added</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((it) => (
              <Table.Tr key={it.id} data-testid="queue-item-row">
                <Table.Td>
                  <Badge color={it.status === "done" ? "teal" : "gray"} variant="light">
                    {it.status === "done" ? "done" : "waiting"}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">
                  {formatReviewValue(it.reviews)} / {queue.reviews_per_item}
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={traceLink(project, it.trace_id, it.span_id)} size="sm">
                    {it.trace_name ?? it.trace_id.slice(0, 12)}
                  </Anchor>
                </Table.Td>
                <Table.Td maw={320}>
                  <Text size="sm" lineClamp={2}>
                    {it.input_preview ?? "—"}
                  </Text>
                </Table.Td>
                <Table.Td maw={320}>
                  <Text size="sm" lineClamp={2}>
                    {it.output_preview ?? "—"}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {formatAgo(it.added_at)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {items.hasNextPage && (
        <Group>
          <Button variant="default" size="xs" onClick={() => void items.fetchNextPage()} loading={items.isFetchingNextPage}>
            Show more
          </Button>
        </Group>
      )}
    </Stack>
  );
}
