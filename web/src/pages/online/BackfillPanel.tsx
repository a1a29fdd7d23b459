import { Alert, Button, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { IconCalculator, IconPlayerPlay } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router-dom";

import { formatCost, formatCount } from "../../format";
import { jobKeys } from "../jobs/jobsApi";
import { BACKFILL_RANGES, backfillBounds, newSpans, type BackfillRange } from "./backfill";
import { BackfillJob } from "./BackfillJob";
import { ruleKeys, rulesApi, type BackfillEstimate } from "./rulesApi";

/** Run the rule over past spans: pick a range, see the estimate, start, follow the job. */
export function BackfillPanel({ project, rule }: { project: string; rule: string }) {
  const [range, setRange] = useState<BackfillRange>("24h");
  const [custom, setCustom] = useState({ from: "", to: "" });
  const b = useBackfill(project, rule, () => backfillBounds(range, Date.now(), custom));
  return (
    <Paper withBorder p="md" radius="md" data-testid="backfill">
      <Stack gap="sm">
        <div>
          <Title order={4}>Backfill</Title>
          <Text size="sm" c="dimmed">
            Run this rule over spans that arrived before it existed, or before a change. See what it
            would cost first.
          </Text>
        </div>
        <Group align="flex-end" gap="sm">
          <RangeFields
            range={range}
            custom={custom}
            onRange={(r) => {
              setRange(r);
              b.clear();
            }}
            onCustom={(c) => {
              setCustom(c);
              b.clear();
            }}
          />
          <Button
            variant="default"
            leftSection={<IconCalculator size={16} />}
            onClick={() => b.estimating.mutate()}
            loading={b.estimating.isPending}
          >
            Estimate
          </Button>
        </Group>
        {b.estimating.isError && (
          <Alert color="red" title="Could not estimate the backfill" role="alert">
            {b.estimating.error.message}
          </Alert>
        )}
        {b.starting.isError && (
          <Alert color="red" title="The backfill did not start" role="alert">
            {b.starting.error.message}
          </Alert>
        )}
        {b.estimate && (
          <EstimateTable
            estimate={b.estimate}
            onStart={() => b.starting.mutate()}
            starting={b.starting.isPending}
            started={b.starting.isSuccess}
          />
        )}
        {b.jobId && <BackfillJob project={project} jobId={b.jobId} />}
      </Stack>
    </Paper>
  );
}

type Bounds = ReturnType<typeof backfillBounds>;

/** The estimate (a dry run) and the start of a backfill; the started job's id is kept in the URL. */
function useBackfill(project: string, rule: string, bounds: () => Bounds) {
  const [params, setParams] = useSearchParams();
  const [estimate, setEstimate] = useState<BackfillEstimate | null>(null);
  const client = useQueryClient();
  const send = (dryRun: boolean) => {
    const range = bounds();
    if (!range.ok) throw new Error(range.error);
    return rulesApi.backfill(project, rule, { start: range.start, end: range.end, dry_run: dryRun });
  };
  const starting = useMutation({
    mutationFn: () => send(false),
    onSuccess: async (result) => {
      setEstimate(result.estimate);
      const id = result.job?.id;
      if (id) setParams((p) => withParam(p, "backfill", id), { replace: true });
      await client.invalidateQueries({ queryKey: jobKeys.all(project) });
      await client.invalidateQueries({ queryKey: ruleKeys.all(project) });
    },
  });
  const estimating = useMutation({
    mutationFn: () => send(true),
    onSuccess: (result) => {
      starting.reset();
      setEstimate(result.estimate);
    },
  });
  const clear = () => {
    setEstimate(null);
    estimating.reset();
  };
  return { estimate, estimating, starting, clear, jobId: params.get("backfill") };
}

function withParam(params: URLSearchParams, key: string, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set(key, value);
  return next;
}

type Custom = { from: string; to: string };

function RangeFields({
  range,
  custom,
  onRange,
  onCustom,
}: {
  range: BackfillRange;
  custom: Custom;
  onRange: (range: BackfillRange) => void;
  onCustom: (custom: Custom) => void;
}) {
  return (
    <>
      <SegmentedControl
        aria-label="Backfill range"
        value={range}
        onChange={(v) => onRange(v as BackfillRange)}
        data={[
          ...Object.entries(BACKFILL_RANGES).map(([value, r]) => ({ value, label: r.label })),
          { value: "custom", label: "Custom" },
        ]}
      />
      {range === "custom" && (
        <>
          <TextInput
            label="From"
            type="datetime-local"
            size="xs"
            value={custom.from}
            onChange={(e) => onCustom({ ...custom, from: e.currentTarget.value })}
          />
          <TextInput
            label="To"
            type="datetime-local"
            size="xs"
            value={custom.to}
            onChange={(e) => onCustom({ ...custom, to: e.currentTarget.value })}
          />
        </>
      )}
    </>
  );
}

function EstimateTable({
  estimate,
  onStart,
  starting,
  started,
}: {
  estimate: BackfillEstimate;
  onStart: () => void;
  starting: boolean;
  started: boolean;
}) {
  const cost =
    estimate.estimated_cost === null || estimate.estimated_cost === undefined
      ? "unknown (no price for the judge's model)"
      : formatCost(estimate.estimated_cost);
  const rows: [string, string, string][] = [
    ["matching", "Spans that match", formatCount(estimate.matching_spans)],
    ["sampled", "In the sample", formatCount(estimate.sampled_spans)],
    ["already", "Scored already (skipped)", formatCount(estimate.already_scored)],
    ["calls", "Judge calls", formatCount(estimate.judge_calls)],
    ["tokens", "Estimated tokens", formatCount(estimate.estimated_tokens)],
    ["cost", "Estimated cost", cost],
  ];
  const todo = newSpans(estimate);
  return (
    <Group align="flex-end" justify="space-between" data-testid="backfill-estimate">
      <Table w={420} withRowBorders={false} verticalSpacing={2}>
        <Table.Tbody>
          {rows.map(([id, label, value]) => (
            <Table.Tr key={id}>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {label}
                </Text>
              </Table.Td>
              <Table.Td ta="right" data-testid={`estimate-${id}`}>
                <Text size="sm" fw={600}>
                  {value}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Button
        leftSection={<IconPlayerPlay size={16} />}
        onClick={onStart}
        loading={starting}
        disabled={started || todo === 0}
      >
        {todo === 0 ? "Nothing to score" : `Start backfill (${formatCount(todo)} spans)`}
      </Button>
    </Group>
  );
}
