import { Badge, Group, Paper, Stack } from "@mantine/core";

import type { PromptMessage } from "./promptsApi";
import { TemplateText } from "./TemplateText";

const ROLE_COLORS: Record<string, string> = { system: "gray", user: "blue", assistant: "violet" };
const ROLE_BG: Record<string, string | undefined> = { system: undefined, user: "blue.0", assistant: "violet.0" };

export function RoleBadge({ role }: { role: string }) {
  return (
    <Badge color={ROLE_COLORS[role] ?? "gray"} variant="filled" size="sm" radius="sm">
      {role}
    </Badge>
  );
}

/** A prompt's messages, one card each with its role and the template highlighted. */
export function MessageCards({ messages }: { messages: PromptMessage[] }) {
  return (
    <Stack gap="xs" data-testid="prompt-messages">
      {messages.map((m, i) => (
        <Paper key={i} withBorder p="sm" radius="md" bg={ROLE_BG[m.role]} data-testid="prompt-message" data-role={m.role}>
          <Stack gap={6}>
            <Group gap={6}>
              <RoleBadge role={m.role} />
            </Group>
            <TemplateText template={m.content} />
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
