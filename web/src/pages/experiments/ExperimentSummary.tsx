import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";

import type { Schemas } from "../../api/client";
import { formatAgo, formatCount, formatTime } from "../../format";
import { scorerRows, totalFacts } from "./experimentCases";
import { datasetLabel } from "./experimentList";
import { formatScore } from "./numbers";

type Experiment = Schemas["Experiment"];

const STATUS_COLOR: Record<Experiment["status"], string> = {
  finished: "gray",
  running: "blue",
  interrupted: "orange",
};

const tabular = { fontVariantNumeric: "tabular-nums" } as const;

/** One experiment on its own: status, dataset, totals, and the mean of each scorer. */
export function ExperimentSummary({ experiment: e }: { experiment: Experiment }) {
  const scorers = scorerRows(e);
  const whole = Object.entries(e.summary_scores ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return (
    <Paper withBorder p="md" data-testid="experiment-summary">
      <Stack gap="md">
        <Group gap="sm" align="baseline">
          <Title order={3}>{e.name}</Title>
          <Badge variant="light" color={STATUS_COLOR[e.status]}>
            {e.status}
          </Badge>
          <Text size="sm" c="dimmed">
            dataset {datasetLabel(e)} · started{" "}
            <span title={formatTime(e.started_at)}>{formatAgo(e.started_at)}</span>
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm">
          {totalFacts(e).map((f) => (
            <Stack key={f.label} gap={0}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {f.label}
              </Text>
              <Text size="sm" fw={600} style={tabular} data-testid={`total-${f.label}`}>
                {f.value}
              </Text>
            </Stack>
          ))}
        </SimpleGrid>
        {scorers.length === 0 && whole.length === 0 ? (
          <Text size="sm" c="dimmed">
            No scores: this experiment ran without scorers. Run it again with scorers (or judges)
            to see how good its answers are.
          </Text>
        ) : (
          <Table withTableBorder verticalSpacing={6} aria-label="Scores" maw={720}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Scorer</Table.Th>
                <Table.Th ta="right">Mean</Table.Th>
                <Table.Th ta="right">Scored cases</Table.Th>
                <Table.Th ta="right">Scorer failed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {scorers.map((s) => (
                <Table.Tr key={s.name}>
                  <Table.Td fw={600}>{s.name}</Table.Td>
                  <Table.Td ta="right" style={tabular}>
                    {formatScore(s.mean)}
                  </Table.Td>
                  <Table.Td ta="right" style={tabular}>
                    {formatCount(s.count)}
                  </Table.Td>
                  <Table.Td ta="right" style={tabular} c={s.errors ? "red.8" : undefined}>
                    {formatCount(s.errors)}
                  </Table.Td>
                </Table.Tr>
              ))}
              {whole.map(([name, s]) => (
                <Table.Tr key={`whole-${name}`}>
                  <Table.Td fw={600}>
                    {name}{" "}
                    <Text span size="xs" c="dimmed">
                      (whole run)
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" style={tabular}>
                    {formatScore(s.value)}
                  </Table.Td>
                  <Table.Td />
                  <Table.Td />
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
