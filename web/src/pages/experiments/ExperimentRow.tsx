import { Anchor, Badge, Checkbox, Group, Loader, Stack, Table, Text, Tooltip } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";

import { ApiError, type Schemas } from "../../api/client";
import { formatAgo, formatCost, formatCount, formatDuration, formatTime } from "../../format";
import { compareHref } from "./compareState";
import { Delta } from "./Delta";
import { datasetLabel, mayHaveBaseline } from "./experimentList";
import { formatScore } from "./numbers";
import { comparisonQuery } from "./useComparisons";

type Experiment = Schemas["Experiment"];
type Comparison = Schemas["Comparison"];

const STATUS_COLOR: Record<Experiment["status"], string> = {
  finished: "gray",
  running: "blue",
  interrupted: "orange",
};

interface Props {
  project: string;
  experiment: Experiment;
  all: Experiment[];
  scorers: string[];
  summaries: string[];
  picked: boolean;
  onToggle: () => void;
}

/** One experiment; its comparison with the baseline loads on its own, after the table shows. */
export function ExperimentRow({ project, experiment: e, all, scorers, summaries, ...rest }: Props) {
  const comparable = mayHaveBaseline(e, all);
  const cmp = useQuery({
    ...comparisonQuery(project, e.name, { cases: false }),
    enabled: comparable,
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 1,
  });
  const noBaseline = !comparable || (cmp.error instanceof ApiError && cmp.error.status === 404);
  const change: ChangeState = noBaseline
    ? { kind: "none" }
    : cmp.isPending
      ? { kind: "loading" }
      : cmp.isError
        ? { kind: "error", message: cmp.error.message }
        : { kind: "ready", comparison: cmp.data };
  return (
    <Table.Tr>
      <Table.Td>
        <Checkbox aria-label={`Pick ${e.name}`} checked={rest.picked} onChange={rest.onToggle} />
      </Table.Td>
      <Table.Td>
        <Stack gap={0}>
          <Anchor component={Link} to={compareHref(project, [e.name])} fw={600}>
            {e.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {change.kind === "ready"
              ? `vs ${change.comparison.baseline}`
              : change.kind === "loading"
                ? "comparing…"
                : change.kind === "none"
                  ? "no baseline"
                  : "comparison failed"}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>{datasetLabel(e)}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={STATUS_COLOR[e.status]}>
          {e.status}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" title={formatTime(e.started_at)}>
          {formatAgo(e.started_at)}
        </Text>
      </Table.Td>
      <Table.Td ta="right">{formatCount(e.case_count)}</Table.Td>
      <Table.Td ta="right">
        <Text span size="sm" c={e.error_count > 0 ? "red.8" : undefined}>
          {formatCount(e.error_count)}
        </Text>
      </Table.Td>
      {scorers.map((name) => (
        <Table.Td key={name} ta="right">
          <ScoreCell
            mean={e.summary?.[name]?.mean}
            item={pick(change, "scorers", name)}
            change={change}
          />
        </Table.Td>
      ))}
      {summaries.map((name) => (
        <Table.Td key={`summary-${name}`} ta="right">
          <ScoreCell
            mean={e.summary_scores?.[name]?.value}
            item={pick(change, "summary_scores", name)}
            change={change}
          />
        </Table.Td>
      ))}
      <Table.Td ta="right">{formatCost(e.totals?.cost)}</Table.Td>
      <Table.Td ta="right">{formatCount(e.totals?.total_tokens)}</Table.Td>
      <Table.Td ta="right">{formatDuration(e.totals?.duration_ms_mean)}</Table.Td>
    </Table.Tr>
  );
}

type ChangeState =
  | { kind: "none" | "loading" }
  | { kind: "error"; message: string }
  | { kind: "ready"; comparison: Comparison };

function pick(change: ChangeState, key: "scorers" | "summary_scores", name: string) {
  if (change.kind !== "ready") return undefined;
  return change.comparison[key]?.find((s) => s.name === name);
}

/** A mean and, beside it, its change from the baseline. */
function ScoreCell(props: {
  mean: number | null | undefined;
  item: Schemas["ScorerComparison"] | undefined;
  change: ChangeState;
}) {
  const { mean, item, change } = props;
  if (mean === null || mean === undefined) return <Text c="dimmed">—</Text>;
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      <Text span size="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
        {formatScore(mean)}
      </Text>
      {change.kind === "loading" && <Loader size={10} aria-label="Loading the change" />}
      {change.kind === "error" && (
        <Tooltip label={`Could not compare: ${change.message}`}>
          <Text span size="sm" c="red.8">
            ?
          </Text>
        </Tooltip>
      )}
      {change.kind === "none" && (
        <Text span size="sm" c="dimmed" title="No baseline to compare with">
          —
        </Text>
      )}
      {change.kind === "ready" && (
        <Delta diff={item?.diff} ciLow={item?.ci_low} ciHigh={item?.ci_high} />
      )}
    </Group>
  );
}
