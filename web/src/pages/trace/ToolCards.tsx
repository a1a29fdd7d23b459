import { Badge, Group, Paper, Stack, Text } from "@mantine/core";
import { IconArrowBackUp, IconTool } from "@tabler/icons-react";

import { TextBody } from "./Bits";
import { JsonTree } from "./JsonBlock";
import type { ToolCall, ToolResult } from "./messages";

/** A value inside a card: text as text, anything else as a JSON tree. */
export function Value({ value, label }: { value: unknown; label: string }) {
  if (value === null || value === undefined) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        nothing
      </Text>
    );
  }
  if (typeof value === "string") return <TextBody text={value} />;
  return <JsonTree value={value} label={label} />;
}

/**
 * A tool call: its name, arguments and (for a tool span) the result it returned. `result`
 * undefined means the call's result is elsewhere (a later message, another span).
 */
export function ToolCallCard({
  call,
  result,
  failed = false,
}: {
  call: ToolCall;
  result?: { value: unknown };
  failed?: boolean;
}) {
  const color = failed ? "red" : "orange";
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      data-testid="tool-call-card"
      role="group"
      aria-label={`Tool call ${call.name}`}
      style={{ borderLeft: `4px solid var(--mantine-color-${color}-5)` }}
    >
      <Stack gap={8}>
        <Group gap={6}>
          <IconTool size={16} color={`var(--mantine-color-${color}-7)`} />
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            Tool call
          </Text>
          <Text fw={700} ff="monospace" size="sm">
            {call.name}
          </Text>
          {call.id && (
            <Text size="xs" c="dimmed" ff="monospace">
              {call.id}
            </Text>
          )}
          {failed && (
            <Badge color="red" size="sm" variant="light">
              failed
            </Badge>
          )}
        </Group>
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            Arguments
          </Text>
          <Value value={call.arguments} label={`arguments of ${call.name}`} />
        </Stack>
        {result && (
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              Result
            </Text>
            <Value value={result.value} label={`result of ${call.name}`} />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

/** What a tool sent back to the model. */
export function ToolResultCard({ result }: { result: ToolResult }) {
  const color = result.isError ? "red" : "teal";
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      data-testid="tool-result-card"
      role="group"
      aria-label="Tool result"
      style={{ borderLeft: `4px solid var(--mantine-color-${color}-5)` }}
    >
      <Stack gap={6}>
        <Group gap={6}>
          <IconArrowBackUp size={16} color={`var(--mantine-color-${color}-7)`} />
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            Tool result
          </Text>
          {result.name && (
            <Text fw={700} ff="monospace" size="sm">
              {result.name}
            </Text>
          )}
          {result.toolCallId && (
            <Text size="xs" c="dimmed" ff="monospace">
              for {result.toolCallId}
            </Text>
          )}
          {result.isError && (
            <Badge color="red" size="sm" variant="light">
              error
            </Badge>
          )}
        </Group>
        <Value value={result.content} label="tool result" />
      </Stack>
    </Paper>
  );
}
