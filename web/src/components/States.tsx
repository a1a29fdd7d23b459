import { Alert, Center, Code, Loader, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

import { ApiError } from "../api/client";

/** What failed, in the server's words, with the request id to look up in its log. */
export function ErrorState({ error, what }: { error: unknown; what: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <Alert color="red" title={`Could not load ${what}`} role="alert">
      <Text size="sm">{message}</Text>
      {requestId && (
        <Text size="xs" c="dimmed" mt={4}>
          request id {requestId}
        </Text>
      )}
    </Alert>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <Center py="xl" aria-busy="true">
      <Loader size="sm" mr="sm" />
      <Text c="dimmed">Loading {what}…</Text>
    </Center>
  );
}

/** An empty page that says what to do next. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack align="center" py="xl" gap="xs" data-testid="empty-state">
      <Title order={4}>{title}</Title>
      {children}
    </Stack>
  );
}

/** The three lines that send a first trace, for empty projects and an empty server. */
export function FirstTrace({ project = "my-agent" }: { project?: string }) {
  const code = [
    "pip install assay",
    `import assay; assay.init(project="${project}", api_url="${window.location.origin}")`,
    '@assay.traced\ndef answer(question): ...',
  ].join("\n");
  return (
    <Stack gap={4} maw={640} w="100%">
      <Text size="sm" c="dimmed">
        Send a first trace from your agent:
      </Text>
      <Code block>{code}</Code>
    </Stack>
  );
}
