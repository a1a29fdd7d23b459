import { Anchor, Badge, Button, Code, Group, Stack, Title, Tooltip } from "@mantine/core";
import { IconArrowLeft, IconDatabasePlus } from "@tabler/icons-react";
import { Link } from "react-router-dom";

import type { Schemas } from "../../api/client";
import { formatCost, formatCount, formatTime } from "../../format";
import { useCan } from "../auth/useAuth";
import { AddToQueueButton } from "../queues/AddToQueueButton";
import { formatMs } from "./time";
import { Fact } from "./Bits";
import type { TraceSummary } from "./traceModel";

interface Props {
  project: string;
  traceId: string;
  summary: TraceSummary;
  traceScores: Schemas["Score"][];
  onAddToDataset: () => void;
}

/** The trace at a glance: name, status, duration, tokens, cost, when, tags, session and user. */
export function TraceHeader({ project, traceId, summary: s, traceScores, onAddToDataset }: Props) {
  const list = `/projects/${encodeURIComponent(project)}/traces`;
  const canAdd = useCan(project, "annotator");
  return (
    <Stack gap={6} data-testid="trace-header">
      <Anchor component={Link} to={list} size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} /> All traces of {project}
        </Group>
      </Anchor>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" style={{ minWidth: 0 }}>
          <Title order={3} style={{ overflowWrap: "anywhere" }}>
            {s.name}
          </Title>
          <StatusBadge summary={s} />
        </Group>
        <Group gap="xs" wrap="nowrap" style={{ flex: "none" }}>
          <AddToQueueButton project={project} traceId={traceId} />
          {canAdd && (
            <Button
              variant="default"
              size="xs"
              leftSection={<IconDatabasePlus size={14} />}
              onClick={onAddToDataset}
              style={{ flex: "none" }}
            >
              Add trace to dataset
            </Button>
          )}
        </Group>
      </Group>
      <Group gap="xl" align="flex-start">
        <Fact label="Started">{formatTime(new Date(s.startMs).toISOString())}</Fact>
        <Fact label="Duration">{s.running ? "still running" : formatMs(s.durationMs)}</Fact>
        <Fact label="Spans">{formatCount(s.spanCount)}</Fact>
        <Fact label="Tokens">
          <Tooltip label={`${formatCount(s.promptTokens)} in, ${formatCount(s.completionTokens)} out`}>
            <span>{formatCount(s.totalTokens)}</span>
          </Tooltip>
        </Fact>
        <Fact label="Cost">{formatCost(s.cost)}</Fact>
        {s.sessionId && <Fact label="Session">{s.sessionId}</Fact>}
        {s.userId && <Fact label="User">{s.userId}</Fact>}
        <Fact label="Trace id">
          <Code fz="xs">{traceId}</Code>
        </Fact>
      </Group>
      {(s.tags.length > 0 || traceScores.length > 0) && (
        <Group gap={6}>
          {s.tags.map((t) => (
            <Badge key={t} variant="outline" color="gray" size="sm" radius="sm">
              {t}
            </Badge>
          ))}
          {traceScores.map((sc) => (
            <Badge key={sc.id} variant="light" color="grape" size="sm" radius="sm" tt="none">
              {sc.name}: {sc.label ?? (sc.value != null ? sc.value.toFixed(2) : "—")}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

function StatusBadge({ summary }: { summary: TraceSummary }) {
  if (summary.errorCount > 0) {
    return (
      <Badge color="red" variant="filled">
        {summary.errorCount === 1 ? "1 error" : `${formatCount(summary.errorCount)} errors`}
      </Badge>
    );
  }
  if (summary.running) return <Badge color="yellow">running</Badge>;
  return (
    <Badge color="teal" variant="light">
      ok
    </Badge>
  );
}
