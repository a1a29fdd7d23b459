import { ActionIcon, Badge, Group, SegmentedControl, Select, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconArrowsLeftRight } from "@tabler/icons-react";
import { useState } from "react";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { valueText } from "./diffRows";
import { MessageDiff, type DiffLayout } from "./MessageDiff";
import { usePromptDiff, type PromptDiff } from "./promptsApi";

interface Props {
  project: string;
  prompt: string;
  /** Version numbers, newest first. */
  versions: number[];
  from: number | undefined;
  to: number | undefined;
  onChange: (change: { from?: number; to?: number }) => void;
}

/** Two versions picked, then what changed between them: messages, fields and variables. */
export function PromptCompare({ project, prompt, versions, from, to, onChange }: Props) {
  const [layout, setLayout] = useState<DiffLayout>("inline");
  const diff = usePromptDiff(project, prompt, from, to);
  if (versions.length < 2) {
    return (
      <EmptyState title="Only one version">
        <Text c="dimmed" size="sm">
          Save another version (from the playground or with assay prompts push) to compare them.
        </Text>
      </EmptyState>
    );
  }
  const options = versions.map((v) => ({ value: String(v), label: `v${v}` }));
  return (
    <Stack gap="md">
      <Group align="flex-end" justify="space-between">
        <Group align="flex-end" gap="xs">
          <Select label="From" data={options} value={from ? String(from) : null} onChange={(v) => v && onChange({ from: Number(v) })} w={110} allowDeselect={false} />
          <Tooltip label="Swap">
            <ActionIcon variant="default" size="lg" mb={1} aria-label="Swap the versions" onClick={() => onChange({ from: to, to: from })}>
              <IconArrowsLeftRight size={16} />
            </ActionIcon>
          </Tooltip>
          <Select label="To" data={options} value={to ? String(to) : null} onChange={(v) => v && onChange({ to: Number(v) })} w={110} allowDeselect={false} />
        </Group>
        <SegmentedControl
          size="xs"
          value={layout}
          onChange={(v) => setLayout(v as DiffLayout)}
          data={[
            { value: "inline", label: "Inline" },
            { value: "split", label: "Side by side" },
          ]}
        />
      </Group>
      {diff.isPending && <Loading what="the differences" />}
      {diff.isError && <ErrorState error={diff.error} what="the differences" />}
      {diff.isSuccess && <DiffBody diff={diff.data} layout={layout} />}
    </Stack>
  );
}

function DiffBody({ diff, layout }: { diff: PromptDiff; layout: DiffLayout }) {
  const changedMessages = diff.messages.filter((m) => m.status !== "same").length;
  const nothing = changedMessages === 0 && (diff.fields ?? []).length === 0;
  return (
    <Stack gap="md" data-testid="prompt-diff">
      <Text size="sm" c="dimmed">
        v{diff.from_version} → v{diff.to_version}:{" "}
        {nothing
          ? "the two versions are the same."
          : `${changedMessages} message${changedMessages === 1 ? "" : "s"} and ${(diff.fields ?? []).length} setting${(diff.fields ?? []).length === 1 ? "" : "s"} changed.`}
      </Text>
      <VariableChanges added={diff.variables_added ?? []} removed={diff.variables_removed ?? []} />
      {(diff.fields ?? []).length > 0 && <FieldsTable diff={diff} />}
      <Stack gap="xs">
        {diff.messages.map((m) => (
          <MessageDiff key={m.index} change={m} layout={layout} />
        ))}
      </Stack>
    </Stack>
  );
}

function VariableChanges({ added, removed }: { added: string[]; removed: string[] }) {
  if (added.length === 0 && removed.length === 0) return null;
  return (
    <Group gap={6} data-testid="variable-changes">
      <Text size="sm" fw={600}>
        Variables
      </Text>
      {added.map((v) => (
        <Badge key={`+${v}`} color="green" variant="light" tt="none">
          + {v}
        </Badge>
      ))}
      {removed.map((v) => (
        <Badge key={`-${v}`} color="red" variant="light" tt="none">
          − {v}
        </Badge>
      ))}
    </Group>
  );
}

function FieldsTable({ diff }: { diff: PromptDiff }) {
  return (
    <Table withTableBorder verticalSpacing="xs" aria-label="Changed settings" w="auto" miw={480}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Setting</Table.Th>
          <Table.Th>v{diff.from_version}</Table.Th>
          <Table.Th>v{diff.to_version}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(diff.fields ?? []).map((f) => (
          <Table.Tr key={f.field} data-testid="field-change">
            <Table.Td ff="monospace" fz="sm">
              {f.field}
            </Table.Td>
            <Table.Td bg="red.0" fz="sm" style={{ overflowWrap: "anywhere" }}>
              {valueText(f.before)}
            </Table.Td>
            <Table.Td bg="green.0" fz="sm" style={{ overflowWrap: "anywhere" }}>
              {valueText(f.after)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
