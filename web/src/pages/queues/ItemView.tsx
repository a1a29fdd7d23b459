import { Accordion, Anchor, Badge, Group, Stack, Switch, Text, Title } from "@mantine/core";
import { IconExternalLink } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router-dom";

import type { Schemas } from "../../api/client";
import { BodyView } from "../trace/BodyView";
import { RawJson } from "../trace/JsonBlock";
import { ToolCallCard } from "../trace/ToolCards";
import { toolSteps } from "./useReviewItem";

type SpanNode = Schemas["SpanNode"];

/** What is under review, for people: the question, the answer, the tools it used; JSON on demand. */
export function ItemView({ project, span }: { project: string; span: SpanNode }) {
  const [raw, setRaw] = useState(false);
  const steps = toolSteps(span);
  const traceUrl = `/projects/${encodeURIComponent(project)}/traces/${encodeURIComponent(span.trace_id)}?span=${encodeURIComponent(span.span_id)}`;
  return (
    <Stack gap="md" data-testid="review-item" data-trace-id={span.trace_id}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="xs" style={{ minWidth: 0 }}>
          <Title order={4} style={{ overflowWrap: "anywhere" }}>
            {span.name}
          </Title>
          {span.status === "error" && <Badge color="red">error</Badge>}
        </Group>
        <Group gap="md" wrap="nowrap">
          <Switch size="xs" label="Raw JSON" checked={raw} onChange={(e) => setRaw(e.currentTarget.checked)} />
          <Anchor component={Link} to={traceUrl} target="_blank" size="sm">
            <Group gap={4} wrap="nowrap">
              Open the trace <IconExternalLink size={14} />
            </Group>
          </Anchor>
        </Group>
      </Group>
      {raw ? (
        <RawJson value={{ input: span.input, output: span.output, metadata: span.metadata, error: span.error }} />
      ) : (
        <>
          <BodyView title="Input" value={span.input} />
          {steps.length > 0 && <Steps steps={steps} />}
          <BodyView title="Output" value={span.output} markdown />
          {span.error && (
            <Text c="red" size="sm">
              It failed: {span.error.message}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}

function Steps({ steps }: { steps: SpanNode[] }) {
  return (
    <Accordion variant="contained" radius="md">
      <Accordion.Item value="steps">
        <Accordion.Control>
          <Text size="sm" fw={600}>
            Tools it used ({steps.length}): {[...new Set(steps.map((s) => s.name))].join(", ")}
          </Text>
        </Accordion.Control>
        <Accordion.Panel>
          <Stack gap="xs">
            {steps.map((s) => (
              <ToolCallCard
                key={s.span_id}
                call={{ id: null, name: s.name, arguments: s.input ?? null }}
                result={{ value: s.output ?? null }}
                failed={s.status === "error"}
              />
            ))}
          </Stack>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
