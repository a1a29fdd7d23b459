import { ActionIcon, Button, Group, Paper, Select, Stack, Text, Textarea, Tooltip } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";

import type { MessageRole, PromptMessage } from "./variantModel";

const ROLES: { value: MessageRole; label: string }[] = [
  { value: "system", label: "System" },
  { value: "user", label: "User" },
  { value: "assistant", label: "Assistant" },
];

/** Move item `from` of a list to `to` (a new list). */
export function moved<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return items;
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

/** The chat messages of a template: a role and a text each; add, remove and reorder. */
export function MessagesEditor({
  messages,
  onChange,
}: {
  messages: PromptMessage[];
  onChange: (messages: PromptMessage[]) => void;
}) {
  const set = (i: number, change: Partial<PromptMessage>) =>
    onChange(messages.map((m, j) => (j === i ? { ...m, ...change } : m)));
  const add = () => {
    const last = messages[messages.length - 1]?.role;
    onChange([...messages, { role: last === "user" ? "assistant" : "user", content: "" }]);
  };
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        Messages
      </Text>
      {messages.length === 0 && (
        <Text size="sm" c="dimmed">
          No messages yet: add one, and use {"{{name}}"} where a variable goes.
        </Text>
      )}
      {messages.map((message, i) => (
        <Paper key={i} withBorder p="xs" radius="sm" data-testid="message">
          <Group justify="space-between" mb={4} wrap="nowrap">
            <Select
              size="xs"
              w={130}
              aria-label={`Role of message ${i + 1}`}
              data={ROLES}
              value={message.role}
              allowDeselect={false}
              onChange={(v) => v && set(i, { role: v as MessageRole })}
            />
            <Group gap={2} wrap="nowrap">
              <Tooltip label="Move up">
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Move message ${i + 1} up`}
                  disabled={i === 0}
                  onClick={() => onChange(moved(messages, i, i - 1))}
                >
                  <IconArrowUp size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label="Move down">
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Move message ${i + 1} down`}
                  disabled={i === messages.length - 1}
                  onClick={() => onChange(moved(messages, i, i + 1))}
                >
                  <IconArrowDown size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label="Remove this message">
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Remove message ${i + 1}`}
                  onClick={() => onChange(messages.filter((_, j) => j !== i))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          </Group>
          <Textarea
            aria-label={`Message ${i + 1}`}
            placeholder={message.role === "system" ? "How the model should behave…" : "Text, with {{variables}}…"}
            value={message.content}
            onChange={(e) => set(i, { content: e.currentTarget.value })}
            autosize
            minRows={2}
            maxRows={14}
            styles={{ input: { fontSize: 14, lineHeight: 1.5 } }}
          />
        </Paper>
      ))}
      <Group>
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={add}>
          Add message
        </Button>
      </Group>
    </Stack>
  );
}
