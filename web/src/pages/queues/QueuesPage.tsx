import { Anchor, Badge, Button, Group, List, Stack, Table, Text, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useCan } from "../auth/useAuth";
import { NewQueueModal } from "./NewQueueModal";
import { QueueProgressBar } from "./QueueProgressBar";
import { reviewApi, reviewKeys, withDefaults, type FullQueue } from "./reviewApi";

/** The project's review queues with their progress; create one. */
export function QueuesPage() {
  const { project = "" } = useParams();
  const canWrite = useCan(project, "engineer");
  const canReview = useCan(project, "annotator");
  const [creating, setCreating] = useState(false);
  const queues = useQuery({ queryKey: reviewKeys.queues(project), queryFn: () => reviewApi.listQueues(project) });
  const active = (queues.data ?? []).filter((q) => !q.archived).map(withDefaults);
  return (
    <Stack>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>Review queues</Title>
          <Text c="dimmed" size="sm">
            Traces waiting for people to score them.
          </Text>
        </Stack>
        {canWrite && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            New queue
          </Button>
        )}
      </Group>
      {queues.isPending && <Loading what="the review queues" />}
      {queues.isError && <ErrorState error={queues.error} what="the review queues" />}
      {queues.isSuccess && active.length === 0 && (
        <NoQueues project={project} onCreate={canWrite ? () => setCreating(true) : undefined} />
      )}
      {active.length > 0 && <QueueTable project={project} queues={active} canReview={canReview} />}
      <NewQueueModal project={project} opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

/** `onCreate` is absent when the caller may not create queues. */
function NoQueues({ project, onCreate }: { project: string; onCreate?: () => void }) {
  return (
    <EmptyState title="No review queues yet">
      <Stack maw={600} gap="xs">
        <Text c="dimmed">
          A review queue puts traces in front of the people who know what a good answer is — a support lead, a lawyer, a
          doctor — one at a time, with the questions to answer. Their scores show on each trace, measure how well your LLM
          judges agree with people, and their corrections can become dataset examples.
        </Text>
        <List size="sm" c="dimmed">
          <List.Item>
            Define what to score in{" "}
            <Anchor component={Link} to={`/projects/${encodeURIComponent(project)}/settings/scores`}>
              score configs
            </Anchor>
            .
          </List.Item>
          <List.Item>Create a queue and fill it from a filter: errors of last week, a judge&apos;s low scores, a tag…</List.Item>
          <List.Item>Share the queue&apos;s link with the reviewers.</List.Item>
        </List>
      </Stack>
      {onCreate && <Button onClick={onCreate}>Create a queue</Button>}
    </EmptyState>
  );
}

function QueueTable({ project, queues, canReview }: { project: string; queues: FullQueue[]; canReview: boolean }) {
  return (
    <Table withTableBorder highlightOnHover verticalSpacing="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Queue</Table.Th>
          <Table.Th>Progress</Table.Th>
          <Table.Th>Scores</Table.Th>
          <Table.Th ta="right">Reviews per item</Table.Th>
          <Table.Th>Assignees</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {queues.map((q) => {
          const url = `/projects/${encodeURIComponent(project)}/queues/${encodeURIComponent(q.name)}`;
          return (
            <Table.Tr key={q.id} data-testid="queue-row">
              <Table.Td>
                <Anchor component={Link} to={url} fw={600}>
                  {q.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <QueueProgressBar progress={q.progress} />
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {q.score_configs.map((c) => (
                    <Badge key={c} variant="light" tt="none">
                      {c}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td ta="right">{q.reviews_per_item}</Table.Td>
              <Table.Td>{q.assignees.length > 0 ? q.assignees.join(", ") : <Text c="dimmed">anyone</Text>}</Table.Td>
              <Table.Td>
                {canReview && (
                  <Button component={Link} to={`${url}/review`} size="xs" variant="light" disabled={q.progress.items === 0}>
                    Review
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
