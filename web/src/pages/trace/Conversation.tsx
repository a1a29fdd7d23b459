import { Anchor, Badge, Group, Paper, Stack, Text } from "@mantine/core";

import { Long, TextBody } from "./Bits";
import { JsonTree } from "./JsonBlock";
import type { ChatMessage, Part } from "./messages";
import { ToolCallCard, ToolResultCard } from "./ToolCards";

const ROLE_COLORS: Record<string, string> = {
  system: "gray",
  developer: "gray",
  user: "blue",
  assistant: "violet",
  tool: "orange",
};

const ROLE_LABELS: Record<string, string> = {
  system: "System",
  developer: "Developer",
  user: "User",
  assistant: "Assistant",
  tool: "Tool",
};

/** Chat messages as a conversation: one card per message with its role. */
export function Conversation({ messages }: { messages: ChatMessage[] }) {
  return (
    <Stack gap="xs" data-testid="conversation">
      {messages.map((m, i) => (
        <Message key={i} message={m} />
      ))}
    </Stack>
  );
}

function Message({ message }: { message: ChatMessage }) {
  const color = ROLE_COLORS[message.role] ?? "gray";
  const label = ROLE_LABELS[message.role] ?? message.role;
  // Tool results carry their own card; no need for a frame around it.
  if (message.role === "tool" && message.parts.every((p) => p.type === "tool_result")) {
    return (
      <Stack gap={4} data-role="tool" data-testid="message">
        {message.parts.map((p, i) => (
          <PartView key={i} part={p} role="tool" />
        ))}
      </Stack>
    );
  }
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      bg={message.role === "assistant" ? "violet.0" : message.role === "user" ? "blue.0" : undefined}
      data-testid="message"
      data-role={message.role}
    >
      <Stack gap={6}>
        <Group gap={6}>
          <Badge color={color} variant="filled" size="sm" radius="sm">
            {label}
          </Badge>
          {message.name && (
            <Text size="xs" c="dimmed">
              {message.name}
            </Text>
          )}
        </Group>
        {message.parts.length === 0 && (
          <Text size="sm" c="dimmed" fs="italic">
            no content
          </Text>
        )}
        {message.parts.map((p, i) => (
          <PartView key={i} part={p} role={message.role} />
        ))}
      </Stack>
    </Paper>
  );
}

function PartView({ part, role }: { part: Part; role: string }) {
  switch (part.type) {
    case "text":
      return <TextBody text={part.text} markdown={role === "assistant"} />;
    case "thinking":
      return (
        <Stack gap={2}>
          <Text size="xs" c="dimmed" fw={600}>
            Reasoning
          </Text>
          <Long maxHeight={120}>
            <Text size="sm" c="dimmed" style={{ whiteSpace: "pre-wrap" }}>
              {part.text}
            </Text>
          </Long>
        </Stack>
      );
    case "image":
      return part.url && !part.url.startsWith("data:") ? (
        <Anchor href={part.url} target="_blank" rel="noreferrer" size="sm">
          Image: {part.url}
        </Anchor>
      ) : (
        <Text size="sm" c="dimmed">
          [image]
        </Text>
      );
    case "tool_call":
      return <ToolCallCard call={part.call} />;
    case "tool_result":
      return <ToolResultCard result={part.result} />;
    default:
      return <JsonTree value={part.value} label="message part" />;
  }
}

