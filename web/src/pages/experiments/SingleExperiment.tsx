import { Alert, Button, Group, Stack, Text, Title } from "@mantine/core";

import { ErrorState, Loading } from "../../components/States";
import { formatCount } from "../../format";
import { ExperimentCaseList } from "./ExperimentCaseList";
import { ExperimentSummary } from "./ExperimentSummary";
import { useExperiment, useExperimentCases } from "./useExperimentCases";

/**
 * An experiment with nothing to compare it with (the first on its dataset): its own summary and
 * cases, so its results can be read, under a hint to pick a baseline.
 */
export function SingleExperiment({ project, name }: { project: string; name: string }) {
  const experiment = useExperiment(project, name);
  const running = experiment.data?.status === "running";
  const cases = useExperimentCases(project, name, { running });
  const items = cases.data?.pages.flatMap((p) => p.items) ?? [];
  const total = experiment.data?.case_count;
  const trials = (experiment.data?.trial_count ?? 1) > 1;
  return (
    <Stack>
      <NoBaseline name={name} />
      {experiment.isPending && <Loading what={`the experiment ${name}`} />}
      {experiment.isError && <ErrorState error={experiment.error} what={`the experiment ${name}`} />}
      {experiment.data && <ExperimentSummary experiment={experiment.data} />}
      <Group justify="space-between" align="baseline" mt="sm">
        <Title order={3}>Cases</Title>
        {cases.data && total !== undefined && (
          <Text size="sm" c="dimmed" data-testid="case-count">
            {items.length < total
              ? `${formatCount(items.length)} of ${formatCount(total)} cases`
              : `${formatCount(items.length)} ${items.length === 1 ? "case" : "cases"}`}
          </Text>
        )}
      </Group>
      {cases.isPending && <Loading what="the cases" />}
      {cases.isError && <ErrorState error={cases.error} what={`the cases of ${name}`} />}
      {cases.data && <ExperimentCaseList project={project} cases={items} trials={trials} />}
      {cases.hasNextPage && (
        <Group justify="center">
          <Button
            variant="default"
            loading={cases.isFetchingNextPage}
            onClick={() => void cases.fetchNextPage()}
          >
            Load more cases
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function NoBaseline({ name }: { name: string }) {
  return (
    <Alert color="gray" title={`${name} has no baseline yet`}>
      It names none, and no earlier experiment of this project ran on the same dataset. Its own
      results are below; pick a baseline above to compare it with.
    </Alert>
  );
}
