import { Alert, Button, Code, CopyButton, Group, Stack, Text } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";

import type { ApiKeyCreated } from "../auth/authApi";

/** A new key's secret, shown this once, with a copy button and how to use it. */
export function NewKeySecret({ created, onDone }: { created: ApiKeyCreated; onDone: () => void }) {
  return (
    <Alert color="green" title={`API key ${created.name} created`} data-testid="new-key-secret">
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          Copy it now: you will not see it again. assay keeps only a hash of it.
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Code data-testid="api-key-secret" fz="sm" style={{ wordBreak: "break-all" }}>
            {created.secret}
          </Code>
          <CopyButton value={created.secret}>
            {({ copied, copy }) => (
              <Button
                size="xs"
                variant={copied ? "light" : "default"}
                leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                onClick={copy}
              >
                {copied ? "Copied" : "Copy"}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="sm">
          The SDK reads it from <Code>ASSAY_API_KEY</Code>; other clients send it as{" "}
          <Code>Authorization: Bearer &lt;key&gt;</Code>.
        </Text>
        <Button size="xs" variant="default" w="fit-content" onClick={onDone}>
          I have copied it
        </Button>
      </Stack>
    </Alert>
  );
}
