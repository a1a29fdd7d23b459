import { Alert, Anchor, Badge, Group, Loader, Paper, Stack, Text } from "@mantine/core";
import { Link } from "react-router-dom";

import { formatCost, formatCount, formatDuration } from "../../format";
import type { RunState } from "./useRuns";

/** A column's answer: streamed text, then tokens, cost, latency and time to first token. */
export function RunOutput({ project, run, label }: { project: string; run: RunState | undefined; label: string }) {
  if (!run) {
    return (
      <Text size="sm" c="dimmed" data-testid={`output-${label}`}>
        Press Run to see this variant&apos;s answer here.
      </Text>
    );
  }
  const result = run.result;
  return (
    <Stack gap="xs" data-testid={`output-${label}`}>
      <Group gap="xs">
        <Text size="sm" fw={600}>
          Output
        </Text>
        {run.status === "running" && <Loader size="xs" aria-label="Running" />}
        {run.status === "stopped" && <Badge color="gray">stopped</Badge>}
      </Group>
      {run.text !== "" && (
        <Paper withBorder p="sm" radius="sm" bg="var(--mantine-color-gray-0)">
          <Text size="sm" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }} data-testid="output-text">
            {run.text}
          </Text>
        </Paper>
      )}
      {result && result.tool_calls && result.tool_calls.length > 0 && (
        <Paper withBorder p="sm" radius="sm">
          <Text size="xs" c="dimmed" mb={4}>
            Tool calls
          </Text>
          <Text size="xs" ff="monospace" style={{ whiteSpace: "pre-wrap" }}>
            {JSON.stringify(result.tool_calls, null, 2)}
          </Text>
        </Paper>
      )}
      {run.status === "error" && (
        <Alert color="red" title="The run failed" role="alert">
          {run.error}
        </Alert>
      )}
      {result && <Facts project={project} result={result} />}
    </Stack>
  );
}

function Facts({ project, result }: { project: string; result: NonNullable<RunState["result"]> }) {
  const tokens =
    result.prompt_tokens != null || result.completion_tokens != null
      ? `${formatCount(result.prompt_tokens)} in · ${formatCount(result.completion_tokens)} out`
      : "—";
  return (
    <Group gap="lg" data-testid="run-facts">
      <Fact label="Tokens" value={tokens} />
      <Fact label="Cost" value={formatCost(result.cost)} />
      <Fact label="Latency" value={formatDuration(result.latency_ms)} />
      <Fact label="First token" value={formatDuration(result.ttft_ms)} />
      {result.trace_id && (
        <Anchor component={Link} size="sm" to={`/projects/${encodeURIComponent(project)}/traces/${result.trace_id}`}>
          Open the trace
        </Anchor>
      )}
    </Group>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </div>
  );
}
