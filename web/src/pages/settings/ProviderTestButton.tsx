import { Alert, Button, Group, Popover, Stack, Text, TextInput } from "@mantine/core";
import { IconPlugConnected } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

import { formatDuration } from "../../format";
import { providersApi, type ProviderKey, type ProviderTestResult } from "./providersApi";
import { suggestedTestModel } from "./providersForm";

/** "Test": send one short message to a model through the provider; shows ok + latency or the error. */
export function ProviderTestButton({ project, provider }: { project: string; provider: ProviderKey }) {
  const [opened, setOpened] = useState(false);
  const [model, setModel] = useState(() => suggestedTestModel(provider));
  const test = useMutation({ mutationFn: () => providersApi.test(project, provider.name, model.trim()) });
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} withArrow trapFocus>
      <Popover.Target>
        <Button size="xs" variant="default" leftSection={<IconPlugConnected size={14} />} onClick={() => setOpened((o) => !o)}>
          Test
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (model.trim()) test.mutate();
          }}
        >
          <Stack gap="xs">
            <Text size="sm">Send &quot;Say OK&quot; to a model through {provider.name}.</Text>
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <TextInput
                label="Model"
                placeholder={provider.name === "openai" || provider.name === "anthropic" ? "gpt-4o-mini" : "llama-3.1-8b-instant"}
                value={model}
                onChange={(e) => setModel(e.currentTarget.value)}
                style={{ flex: 1 }}
                data-autofocus
              />
              <Button type="submit" loading={test.isPending} disabled={!model.trim()}>
                Send
              </Button>
            </Group>
            <TestOutcome result={test.data} error={test.error} />
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}

function TestOutcome({ result, error }: { result: ProviderTestResult | undefined; error: Error | null }) {
  if (error) {
    return (
      <Alert color="red" title="The test could not run" role="alert">
        {error.message}
      </Alert>
    );
  }
  if (!result) return null;
  return result.ok ? (
    <Alert color="green" title="It answered" data-testid="provider-test-result">
      {result.model} answered in {formatDuration(result.latency_ms)}.
    </Alert>
  ) : (
    <Alert color="red" title="It failed" data-testid="provider-test-result">
      {result.error ?? "no answer"} ({formatDuration(result.latency_ms)})
    </Alert>
  );
}
