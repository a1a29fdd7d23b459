import { Anchor, Button, Code, Group, Stack, Table, Text, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { Link, useParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo, formatTime } from "../../format";
import { useCan } from "../auth/useAuth";
import { playgroundHref } from "../playground/playgroundUrl";
import { LabelBadge } from "./LabelBadges";
import { labelEntries } from "./promptText";
import { promptPath, usePrompts, type Prompt } from "./promptsApi";

/** The project's prompts: latest version, where the labels point, the model, the last change. */
export function PromptsPage() {
  const { project = "" } = useParams();
  const canCreate = useCan(project, "annotator");
  const prompts = usePrompts(project);
  return (
    <Stack>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>Prompts</Title>
          <Text c="dimmed" size="sm">
            Versioned prompts your agent loads by label; move <Code>production</Code> to change what it runs, no deploy
            needed.
          </Text>
        </Stack>
        {canCreate && <NewPromptButton project={project} />}
      </Group>
      {prompts.isPending && <Loading what="the prompts" />}
      {prompts.isError && <ErrorState error={prompts.error} what="the prompts" />}
      {prompts.isSuccess && prompts.data.length === 0 && <NoPrompts project={project} canCreate={canCreate} />}
      {prompts.isSuccess && prompts.data.length > 0 && <PromptsTable project={project} prompts={prompts.data} />}
    </Stack>
  );
}

function NewPromptButton({ project }: { project: string }) {
  return (
    <Button component={Link} to={playgroundHref(project, { kind: "new" })} leftSection={<IconPlus size={16} />}>
      New prompt
    </Button>
  );
}

function PromptsTable({ project, prompts }: { project: string; prompts: Prompt[] }) {
  return (
    <Table withTableBorder highlightOnHover verticalSpacing="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Prompt</Table.Th>
          <Table.Th ta="right">Latest</Table.Th>
          <Table.Th>Labels</Table.Th>
          <Table.Th>Model</Table.Th>
          <Table.Th>Updated</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {prompts.map((p) => (
          <Table.Tr key={p.id} data-testid="prompt-row">
            <Table.Td>
              <Anchor component={Link} to={promptPath(project, p.name)} fw={600}>
                {p.name}
              </Anchor>
              {p.description && (
                <Text size="xs" c="dimmed" lineClamp={2} maw={480}>
                  {p.description}
                </Text>
              )}
            </Table.Td>
            <Table.Td ta="right">v{p.latest_version}</Table.Td>
            <Table.Td>
              <Group gap={6}>
                {labelEntries(p).map(([label, version]) => (
                  <LabelBadge key={label} label={label} version={version} />
                ))}
                {Object.keys(p.labels ?? {}).length === 0 && (
                  <Text size="sm" c="dimmed">
                    none
                  </Text>
                )}
              </Group>
            </Table.Td>
            <Table.Td>
              <Code>{p.model}</Code>
            </Table.Td>
            <Table.Td>
              <Text size="sm" title={formatTime(p.updated_at)}>
                {formatAgo(p.updated_at)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function NoPrompts({ project, canCreate }: { project: string; canCreate: boolean }) {
  const yaml = [
    "# answer.yaml",
    "name: answer",
    "model: gpt-4o-mini",
    "messages:",
    "  - role: system",
    "    content: You answer questions about {{product}}.",
    "  - role: user",
    '    content: "{{question}}"',
  ].join("\n");
  return (
    <EmptyState title="No prompts yet">
      <Stack maw={640} gap="xs" w="100%">
        <Text c="dimmed" size="sm">
          Write one in the playground, try it on examples and save it as version 1, or push a file your team keeps in
          git:
        </Text>
        <Code block>{yaml}</Code>
        <Code block>{`assay prompts push answer.yaml --project ${project}`}</Code>
        <Text c="dimmed" size="sm">
          Your agent then loads it with{" "}
          <Code>{`assay.load_prompt("${project}", "answer", label="production")`}</Code>.
        </Text>
      </Stack>
      {canCreate && <NewPromptButton project={project} />}
    </EmptyState>
  );
}
