import { Button, Group, Paper, Text } from "@mantine/core";
import { IconPlayerStop } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";

import { jobKeys, jobsApi } from "../jobs/jobsApi";
import { JobProgress } from "../jobs/JobProgress";
import { JobStatusBadge } from "../jobs/JobStatusBadge";
import { canCancel, isFinished } from "../jobs/jobText";
import { useJobActions } from "../jobs/useJobActions";

const POLL_MS = 1000;

/** The backfill's job, polled every second until it is done, dead or cancelled. */
export function BackfillJob({ project, jobId }: { project: string; jobId: string }) {
  const job = useQuery({
    queryKey: jobKeys.one(project, jobId),
    queryFn: () => jobsApi.get(project, jobId),
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data.status) ? false : POLL_MS),
  });
  const { cancel } = useJobActions(project);
  if (job.isError) return <Text c="red">{job.error.message}</Text>;
  if (!job.data) return null;
  const j = job.data;
  return (
    <Paper withBorder p="sm" radius="md" bg="gray.0" data-testid="backfill-job" data-status={j.status}>
      <Group justify="space-between" align="center">
        <Group gap="sm">
          <Text size="sm" fw={600}>
            Backfill job
          </Text>
          <JobStatusBadge status={j.status} />
        </Group>
        <JobProgress job={j} w={320} />
        {canCancel(j.status) && (
          <Button
            size="xs"
            variant="default"
            leftSection={<IconPlayerStop size={14} />}
            loading={cancel.isPending}
            onClick={() => cancel.mutate(j.id, { onSuccess: () => job.refetch() })}
          >
            Cancel backfill
          </Button>
        )}
      </Group>
      {j.error && (
        <Text size="xs" c="red" ff="monospace" mt="xs">
          {j.error}
        </Text>
      )}
    </Paper>
  );
}
