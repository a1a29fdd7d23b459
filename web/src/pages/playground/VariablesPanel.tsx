import { Button, Code, Group, Paper, SimpleGrid, Stack, Text, Textarea, Title } from "@mantine/core";
import { IconDatabase } from "@tabler/icons-react";
import { useState } from "react";

import { FillFromDatasetDialog } from "./FillFromDatasetDialog";
import { valueText } from "./variables";

interface Props {
  project: string;
  names: string[];
  values: Record<string, unknown>;
  onChange: (values: Record<string, unknown>) => void;
  /** Shown when a variant runs an agent: the input it gets, as text or JSON. */
  agentInput: string | null;
  onAgentInput: (text: string) => void;
}

/** One input per `{{variable}}` any variant uses, shared by all; or filled from a record. */
export function VariablesPanel({ project, names, values, onChange, agentInput, onAgentInput }: Props) {
  const [filling, setFilling] = useState(false);
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={4}>Variables</Title>
            <Text size="sm" c="dimmed">
              Every variant runs on these values.
            </Text>
          </div>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconDatabase size={14} />}
            onClick={() => setFilling(true)}
          >
            Fill from dataset
          </Button>
        </Group>
        {names.length === 0 && agentInput === null && (
          <Text size="sm" c="dimmed">
            No variables. Write <Code>{"{{name}}"}</Code> in a message and an input for it appears here.
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }} spacing="sm">
          {names.map((name) => (
            <Textarea
              key={name}
              label={name}
              placeholder={`Value of {{${name}}}`}
              value={valueText(values[name])}
              onChange={(e) => onChange({ ...values, [name]: e.currentTarget.value })}
              autosize
              minRows={1}
              maxRows={8}
            />
          ))}
          {agentInput !== null && (
            <Textarea
              label="Agent input"
              description="Text, or JSON for structured input."
              value={agentInput}
              onChange={(e) => onAgentInput(e.currentTarget.value)}
              autosize
              minRows={1}
              maxRows={8}
            />
          )}
        </SimpleGrid>
      </Stack>
      {filling && (
        <FillFromDatasetDialog
          project={project}
          onClose={() => setFilling(false)}
          onPick={(input) => {
            setFilling(false);
            onChange({ ...values, ...input.variables });
            onAgentInput(input.text);
          }}
        />
      )}
    </Paper>
  );
}
