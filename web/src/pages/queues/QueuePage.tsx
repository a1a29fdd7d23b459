import { Anchor, Badge, Button, Group, Paper, Spoiler, Stack, Tabs, Text, Title } from "@mantine/core";
import { IconArrowLeft, IconPlayerPlay, IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams, useSearchParams } from "react-router-dom";

import { ApiError } from "../../api/client";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useCan } from "../auth/useAuth";
import { Markdown } from "../trace/Bits";
import { AddItemsModal } from "./AddItemsModal";
import { AgreementPanel } from "./AgreementPanel";
import { QueueItemsTable } from "./QueueItemsTable";
import { QueueProgressBar } from "./QueueProgressBar";
import { QueueReviews } from "./QueueReviews";
import { reviewApi, reviewKeys, withDefaults } from "./reviewApi";

/** One queue: its instructions and progress, the items, the reviews, and agreement between people. */
export function QueuePage() {
  const { project = "", queue = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") ?? "items";
  const canReview = useCan(project, "annotator");
  const canWrite = useCan(project, "engineer");
  const adding = params.get("add") === "1" && canWrite;
  const setParam = (key: string, value: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value === null) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const q = useQuery({ queryKey: reviewKeys.queue(project, queue), queryFn: () => reviewApi.getQueue(project, queue) });
  const list = `/projects/${encodeURIComponent(project)}/queues`;
  if (q.isPending) return <Loading what="the queue" />;
  if (q.isError) {
    if (q.error instanceof ApiError && q.error.status === 404) {
      return (
        <EmptyState title="No such queue">
          <Text>{q.error.message}</Text>
          <Anchor component={Link} to={list}>
            See the review queues of {project}
          </Anchor>
        </EmptyState>
      );
    }
    return <ErrorState error={q.error} what={`the queue ${queue}`} />;
  }
  const data = withDefaults(q.data);
  return (
    <Stack>
      <Anchor component={Link} to={list} size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} /> All review queues
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2}>{data.name}</Title>
          <Group gap={6}>
            {data.score_configs.map((c) => (
              <Badge key={c} variant="light" tt="none">
                {c}
              </Badge>
            ))}
            <Text size="sm" c="dimmed">
              {data.reviews_per_item === 1 ? "1 review per item" : `${data.reviews_per_item} reviews per item`}
              {data.assignees.length > 0 ? ` · for ${data.assignees.join(", ")}` : " · anyone can review"}
            </Text>
          </Group>
        </Stack>
        <Group>
          <QueueProgressBar progress={data.progress} w={260} />
          {canWrite && (
            <Button variant="default" leftSection={<IconPlus size={16} />} onClick={() => setParam("add", "1")}>
              Add items
            </Button>
          )}
          {canReview && (
            <Button
              component={Link}
              to="review"
              relative="path"
              leftSection={<IconPlayerPlay size={16} />}
              disabled={data.progress.items === 0}
            >
              Start reviewing
            </Button>
          )}
        </Group>
      </Group>
      {data.instructions && (
        <Paper withBorder p="sm" radius="md">
          <Text size="xs" fw={700} tt="uppercase" c="dimmed">
            Instructions for reviewers
          </Text>
          <Spoiler maxHeight={120} showLabel="Show all" hideLabel="Show less" transitionDuration={0}>
            <Markdown text={data.instructions} />
          </Spoiler>
        </Paper>
      )}
      {data.progress.items === 0 ? (
        <EmptyState title="This queue is empty">
          <Text c="dimmed" maw={520} ta="center">
            Add traces from a filter (e.g. last week&apos;s errors, or a judge&apos;s low scores), or open any trace and
            use <b>Add trace to queue</b>.
          </Text>
          {canWrite && <Button onClick={() => setParam("add", "1")}>Add items from a filter</Button>}
        </EmptyState>
      ) : (
        <Tabs value={tab} onChange={(v) => setParam("tab", v === "items" ? null : v)} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="items">Items</Tabs.Tab>
            <Tabs.Tab value="reviews">Reviews ({data.progress.reviews})</Tabs.Tab>
            {data.reviews_per_item > 1 && <Tabs.Tab value="agreement">Agreement</Tabs.Tab>}
          </Tabs.List>
          <Tabs.Panel value="items" pt="sm">
            <QueueItemsTable project={project} queue={data} />
          </Tabs.Panel>
          <Tabs.Panel value="reviews" pt="sm">
            <QueueReviews project={project} queue={data.name} />
          </Tabs.Panel>
          <Tabs.Panel value="agreement" pt="sm">
            <AgreementPanel project={project} queue={data.name} />
          </Tabs.Panel>
        </Tabs>
      )}
      <AddItemsModal project={project} queue={data.name} opened={adding} onClose={() => setParam("add", null)} />
    </Stack>
  );
}
