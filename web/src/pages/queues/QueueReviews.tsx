import { Anchor, Badge, Group, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";

import { ErrorState, Loading } from "../../components/States";
import { formatAgo } from "../../format";
import { formatReviewValue, traceLink } from "./links";
import { reviewApi, reviewKeys } from "./reviewApi";

/** Every review of the queue, newest first: who, what they gave, and why. */
export function QueueReviews({ project, queue }: { project: string; queue: string }) {
  const reviews = useQuery({
    queryKey: reviewKeys.reviews(project, queue),
    queryFn: () => reviewApi.listReviews(project, queue),
  });
  if (reviews.isPending) return <Loading what="the reviews" />;
  if (reviews.isError) return <ErrorState error={reviews.error} what="the reviews" />;
  if (reviews.data.length === 0) return <Text c="dimmed">No reviews yet. Start reviewing to add the first.</Text>;
  const sorted = [...reviews.data].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return (
    <Table withTableBorder verticalSpacing="xs" data-testid="queue-reviews">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Reviewer</Table.Th>
          <Table.Th>Trace</Table.Th>
          <Table.Th>Scores</Table.Th>
          <Table.Th>Comment</Table.Th>
          <Table.Th>Correction</Table.Th>
          <Table.Th>When</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sorted.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td fw={600}>{r.reviewer}</Table.Td>
            <Table.Td>
              <Anchor component={Link} to={traceLink(project, r.trace_id, r.span_id)} size="sm" ff="monospace">
                {r.trace_id.slice(0, 12)}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                {Object.entries(r.scores).map(([name, value]) => (
                  <Badge key={name} variant="light" color="grape" tt="none">
                    {name}: {formatReviewValue(value)}
                  </Badge>
                ))}
              </Group>
            </Table.Td>
            <Table.Td maw={360}>
              <Text size="sm" lineClamp={3}>
                {r.comment || "—"}
              </Text>
            </Table.Td>
            <Table.Td maw={280}>
              <Text size="sm" lineClamp={2}>
                {r.corrected_output == null
                  ? "—"
                  : typeof r.corrected_output === "string"
                    ? r.corrected_output
                    : JSON.stringify(r.corrected_output)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" c="dimmed">
                {formatAgo(r.created_at)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
