import { Alert, Anchor, Badge, Button, Group, Paper, Progress, Stack, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router-dom";

import { compareHref } from "../experiments/compareState";
import { playgroundApi, playgroundKeys, type PlaygroundExperiment } from "./playgroundApi";
import { isActive } from "./scorerChoice";

/** A dataset run's progress, polled until it ends; then a link to its experiment. */
export function DatasetRunProgress({
  project,
  started,
  onDismiss,
}: {
  project: string;
  started: PlaygroundExperiment;
  onDismiss: () => void;
}) {
  const client = useQueryClient();
  const key = playgroundKeys.experiment(project, started.experiment);
  const progress = useQuery({
    queryKey: key,
    queryFn: () => playgroundApi.experiment(project, started.experiment),
    initialData: started,
    refetchInterval: (query) => (query.state.data && !isActive(query.state.data.status) ? false : 1000),
  });
  const cancel = useMutation({
    mutationFn: () => playgroundApi.cancelExperiment(project, started.experiment),
    onSuccess: (run) => client.setQueryData(key, run),
  });
  const run = progress.data;
  const active = isActive(run.status);
  const share = run.total > 0 ? (100 * run.done) / run.total : active ? 0 : 100;
  return (
    <Paper withBorder radius="md" p="md" data-testid="dataset-run">
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="xs">
            <Text fw={600}>Dataset run {run.experiment}</Text>
            <Badge color={active ? "blue" : run.status === "finished" ? "teal" : "gray"} data-testid="dataset-run-status">
              {run.status}
            </Badge>
          </Group>
          <Group gap="xs">
            {active ? (
              <Button size="xs" variant="default" color="red" loading={cancel.isPending} onClick={() => cancel.mutate()}>
                Cancel
              </Button>
            ) : (
              <Button size="xs" variant="subtle" color="gray" onClick={onDismiss}>
                Dismiss
              </Button>
            )}
          </Group>
        </Group>
        <Progress value={share} animated={active} aria-label="Dataset run progress" />
        <Text size="sm" c="dimmed" data-testid="dataset-run-count">
          {run.done} of {run.total} records done
        </Text>
        {!active && (
          <Group gap="md">
            <Anchor component={Link} to={compareHref(project, [run.experiment])}>
              Open the experiment
            </Anchor>
            <Text size="sm" c="dimmed">
              It opens compared with its baseline when there is one.
            </Text>
          </Group>
        )}
        {run.error && (
          <Alert color="red" role="alert" title="The run stopped">
            {run.error}
          </Alert>
        )}
        {progress.isError && (
          <Alert color="red" role="alert" title="Could not read the progress">
            {progress.error.message}
          </Alert>
        )}
        {cancel.isError && (
          <Alert color="red" role="alert" title="Could not cancel">
            {cancel.error.message}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
