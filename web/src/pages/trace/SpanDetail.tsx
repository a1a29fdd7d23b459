import { Badge, Button, Code, Divider, Group, Stack, Text, Title } from "@mantine/core";
import { IconDatabasePlus, IconPlayerPlay } from "@tabler/icons-react";
import { Link } from "react-router-dom";

import type { Schemas } from "../../api/client";
import { ErrorState, Loading } from "../../components/States";
import { useCan } from "../auth/useAuth";
import { playgroundHref } from "../playground/playgroundUrl";
import { AddToQueueButton } from "../queues/AddToQueueButton";
import { Section } from "./Bits";
import { BodyView } from "./BodyView";
import { ErrorBlock } from "./ErrorBlock";
import { JsonBlock } from "./JsonBlock";
import { kindStyle } from "./kinds";
import { ScoreList } from "./ScoreList";
import { KeyValues, otherMetrics, SpanFacts } from "./SpanFacts";
import { ToolCallCard } from "./ToolCards";
import type { IndexedSpan } from "./traceModel";
import { useSpan } from "./useSpan";

type Span = Schemas["Span"];

interface Props {
  project: string;
  traceId: string;
  item: IndexedSpan;
  traceStartMs: number;
  scores: Schemas["Score"][];
  onAddToDataset: () => void;
}

/** Everything about the selected span; its bodies are fetched now (the tree comes without). */
export function SpanDetail({ project, traceId, item, traceStartMs, scores, onAddToDataset }: Props) {
  const { span } = item;
  const full = useSpan(project, traceId, span.span_id);
  const canAdd = useCan(project, "annotator");
  const style = kindStyle(span.kind);
  const KindIcon = style.icon;
  const metricRows = otherMetrics(span.metrics ?? {});
  return (
    <Stack
      gap="md"
      data-testid="span-detail"
      data-span-id={span.span_id}
      data-ready={full.isSuccess ? "true" : "false"}
      aria-label={`Span ${span.name}`}
      role="region"
    >
      <Group justify="space-between" align="flex-start" gap="xs">
        <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
          <KindIcon size={20} color={`var(--mantine-color-${style.color}-6)`} style={{ flex: "none" }} />
          <Title order={4} style={{ overflowWrap: "anywhere" }}>
            {span.name}
          </Title>
          <Badge variant="light" color={style.color}>
            {style.label}
          </Badge>
          <StatusBadge span={span} />
        </Group>
        <Group gap="xs" justify="flex-end">
          {span.kind === "llm" && (
            <Button
              component={Link}
              to={playgroundHref(project, { kind: "span", trace: traceId, span: span.span_id })}
              variant="light"
              size="xs"
              leftSection={<IconPlayerPlay size={14} />}
              style={{ flex: "none" }}
            >
              Open in playground
            </Button>
          )}
          <AddToQueueButton project={project} traceId={traceId} spanId={span.span_id} />
          {canAdd && (
            <Button
              variant="light"
              size="xs"
              leftSection={<IconDatabasePlus size={14} />}
              onClick={onAddToDataset}
              style={{ flex: "none" }}
            >
              Add to dataset
            </Button>
          )}
        </Group>
      </Group>
      <SpanFacts item={item} traceStartMs={traceStartMs} />
      {span.error && <ErrorBlock error={span.error} />}
      {full.isPending && <Loading what="the span's input and output" />}
      {full.isError && <ErrorState error={full.error} what="the span's input and output" />}
      {full.isSuccess && <Bodies span={full.data} />}
      {scores.length > 0 && (
        <Section title={`Scores (${scores.length})`}>
          <ScoreList project={project} scores={scores} />
        </Section>
      )}
      {metricRows.length > 0 && (
        <Section title="Other metrics">
          <KeyValues rows={metricRows} />
        </Section>
      )}
      {full.isSuccess && <MetadataSections metadata={full.data.metadata ?? {}} />}
      <Divider />
      <Ids span={span} />
    </Stack>
  );
}

function StatusBadge({ span }: { span: Span }) {
  if (span.open) return <Badge color="yellow">running</Badge>;
  if (span.status === "error") return <Badge color="red">error</Badge>;
  return null;
}

function Bodies({ span }: { span: Span }) {
  if (span.kind === "tool") {
    return (
      <Section title="Tool call">
        <ToolCallCard
          call={{ id: null, name: span.name, arguments: span.input ?? null }}
          result={span.status === "error" && span.output == null ? undefined : { value: span.output ?? null }}
          failed={span.status === "error"}
        />
      </Section>
    );
  }
  const markdown = span.kind === "llm" || span.kind === "agent";
  return (
    <>
      <BodyView title="Input" value={span.input} />
      <BodyView title="Output" value={span.output} markdown={markdown} />
      {span.expected != null && <BodyView title="Expected" value={span.expected} />}
    </>
  );
}

/** Request parameters (`metadata.params`) as a table, the rest of the metadata as a tree. */
function MetadataSections({ metadata }: { metadata: Record<string, unknown> }) {
  const { params, ...rest } = metadata;
  const paramRows =
    params && typeof params === "object" && !Array.isArray(params)
      ? Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === "string" ? v : JSON.stringify(v)])
      : [];
  return (
    <>
      {paramRows.length > 0 && (
        <Section title="Parameters">
          <KeyValues rows={paramRows} />
        </Section>
      )}
      {Object.keys(rest).length > 0 && (
        <Section title="Metadata">
          <JsonBlock value={rest} label="metadata" />
        </Section>
      )}
    </>
  );
}

function Ids({ span }: { span: Span }) {
  const rows: [string, string | null | undefined][] = [
    ["Span id", span.span_id],
    ["Parent", span.parent_id],
    ["Session", span.session_id],
    ["User", span.user_id],
    ["Environment", span.environment],
    ["Release", span.release],
  ];
  return (
    <Group gap="lg">
      {rows
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <Text key={k} size="xs" c="dimmed">
            {k} <Code fz="xs">{v}</Code>
          </Text>
        ))}
    </Group>
  );
}
