import { Button, Code, Group, Stack, Table, Text, Title } from "@mantine/core";
import { IconArrowsDiff } from "@tabler/icons-react";
import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { compareHref } from "./compareState";
import { ExperimentRow } from "./ExperimentRow";
import { compareOrder, scorerColumns, summaryScoreColumns } from "./experimentList";
import { useExperiments } from "./useComparisons";

/** The project's experiments, newest first, with each scorer's change from the baseline. */
export function ExperimentsPage() {
  const project = useParams().project ?? "";
  const experiments = useExperiments(project);
  const navigate = useNavigate();
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  if (experiments.isPending) return <Loading what="experiments" />;
  if (experiments.isError) return <ErrorState error={experiments.error} what="the experiments" />;
  const all = experiments.data;
  if (all.length === 0) {
    return (
      <EmptyState title="No experiments yet">
        <FirstEval project={project} />
      </EmptyState>
    );
  }
  const scorers = scorerColumns(all);
  const summaries = summaryScoreColumns(all);
  const order = compareOrder(picked, all);
  const toggle = (name: string) => {
    const next = new Set(picked);
    if (!next.delete(name)) next.add(name);
    setPicked(next);
  };
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Experiments</Title>
          <Text size="sm" c="dimmed">
            Each scorer's mean, and its change from the experiment's baseline. Pick two or more
            to compare them case by case.
          </Text>
        </div>
        <Group gap="sm">
          {order.length >= 2 && (
            <Text size="sm" c="dimmed">
              Baseline: <b>{order[0]}</b> (the oldest picked)
            </Text>
          )}
          {picked.size > 0 && (
            <Button variant="subtle" onClick={() => setPicked(new Set())}>
              Clear
            </Button>
          )}
          <Button
            leftSection={<IconArrowsDiff size={16} />}
            disabled={order.length < 2}
            onClick={() => navigate(compareHref(project, order))}
          >
            {order.length >= 2 ? `Compare ${order.length} experiments` : "Compare"}
          </Button>
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={900 + 130 * (scorers.length + summaries.length)}>
        <Table
          striped
          highlightOnHover
          withTableBorder
          verticalSpacing="xs"
          aria-label="Experiments"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={36} />
              <Table.Th>Experiment</Table.Th>
              <Table.Th>Dataset</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th ta="right">Cases</Table.Th>
              <Table.Th ta="right">Errors</Table.Th>
              {scorers.map((s) => (
                <Table.Th key={s} ta="right">
                  {s}
                </Table.Th>
              ))}
              {summaries.map((s) => (
                <Table.Th key={`summary-${s}`} ta="right" title="Score of the whole run">
                  {s}
                </Table.Th>
              ))}
              <Table.Th ta="right">Cost</Table.Th>
              <Table.Th ta="right">Tokens</Table.Th>
              <Table.Th ta="right">Latency</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {all.map((e) => (
              <ExperimentRow
                key={e.id}
                project={project}
                experiment={e}
                all={all}
                scorers={scorers}
                summaries={summaries}
                picked={picked.has(e.name)}
                onToggle={() => toggle(e.name)}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** The few lines of an eval that record a first experiment. */
function FirstEval({ project }: { project: string }) {
  const code = [
    "from assay import Eval",
    "from assay.scorers import exact_match",
    "",
    "Eval(",
    `    "${project}",`,
    '    data=[{"input": "What is the capital of France?", "expected": "Paris"}],',
    "    task=answer,  # your agent: a function of the input",
    "    scores=[exact_match()],",
    `    api_url="${window.location.origin}",`,
    ")",
  ].join("\n");
  return (
    <Stack gap={4} maw={680} w="100%">
      <Text size="sm" c="dimmed">
        Run an eval of your agent over a few cases; each run becomes an experiment here, compared
        with the one before it:
      </Text>
      <Code block>{code}</Code>
      <Text size="sm" c="dimmed">
        or run every eval file of a folder with <Code>assay eval evals/</Code>.
      </Text>
    </Stack>
  );
}
