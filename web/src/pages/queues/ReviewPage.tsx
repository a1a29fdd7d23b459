import { Anchor, Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconArrowLeft } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useCan } from "../auth/useAuth";
import { reviewApi, reviewKeys } from "./reviewApi";
import { ReviewWorkspace } from "./ReviewWorkspace";
import { useReviewer } from "./useReviewer";

/** Review a queue's items one at a time, from the keyboard if you like. */
export function ReviewPage() {
  const { project = "", queue = "" } = useParams();
  const canReview = useCan(project, "annotator");
  const { reviewer, setReviewer } = useReviewer();
  const [renaming, setRenaming] = useState(false);
  const queueQuery = useQuery({
    queryKey: reviewKeys.queue(project, queue),
    queryFn: () => reviewApi.getQueue(project, queue),
  });
  const configs = useQuery({
    queryKey: [...reviewKeys.configs(project), true],
    queryFn: () => reviewApi.listConfigs(project, true),
  });
  const queueUrl = `/projects/${encodeURIComponent(project)}/queues/${encodeURIComponent(queue)}`;
  const header = (
    <Group justify="space-between">
      <Group gap="sm">
        <Anchor component={Link} to={queueUrl} size="sm">
          <Group gap={4}>
            <IconArrowLeft size={14} /> {queue}
          </Group>
        </Anchor>
        <Title order={3}>Review</Title>
      </Group>
      {reviewer && !renaming && (
        <Text size="sm" c="dimmed">
          Reviewing as <b>{reviewer}</b>{" "}
          <Anchor component="button" size="sm" onClick={() => setRenaming(true)}>
            change
          </Anchor>
        </Text>
      )}
    </Group>
  );
  if (!canReview) {
    return (
      <Stack>
        {header}
        <EmptyState title="Reviewing needs the annotator role">
          <Text c="dimmed">You can read this queue&apos;s items and reviews, but not review them.</Text>
          <Anchor component={Link} to={queueUrl}>
            Back to the queue
          </Anchor>
        </EmptyState>
      </Stack>
    );
  }
  if (!reviewer || renaming) {
    return (
      <Stack>
        {header}
        <ReviewerPrompt
          initial={reviewer ?? "local"}
          onDone={(name) => {
            setReviewer(name);
            setRenaming(false);
          }}
        />
      </Stack>
    );
  }
  if (queueQuery.isPending || configs.isPending) return <Loading what="the queue" />;
  if (queueQuery.isError) return <ErrorState error={queueQuery.error} what={`the queue ${queue}`} />;
  if (configs.isError) return <ErrorState error={configs.error} what="the score configs" />;
  const byName = new Map(configs.data.map((c) => [c.name, c]));
  const queueConfigs = queueQuery.data.score_configs.flatMap((n) => byName.get(n) ?? []);
  return (
    <Stack gap="sm" h="calc(100dvh - 52px - 2 * var(--mantine-spacing-md))">
      {header}
      <ReviewWorkspace
        key={reviewer}
        project={project}
        queue={queueQuery.data}
        configs={queueConfigs}
        reviewer={reviewer}
        queueUrl={queueUrl}
      />
    </Stack>
  );
}

/** The reviewer's name, asked once and kept in this browser until sign-in exists. */
function ReviewerPrompt({ initial, onDone }: { initial: string; onDone: (name: string) => void }) {
  const [name, setName] = useState(initial);
  return (
    <Paper withBorder p="lg" maw={480} radius="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onDone(name);
        }}
      >
        <Stack>
          <Text>Who is reviewing? Your name is stored with each review you give.</Text>
          <TextInput
            label="Your name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            autoFocus
            onFocus={(e) => e.currentTarget.select()}
          />
          <Button type="submit" w="fit-content">
            Start reviewing
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
