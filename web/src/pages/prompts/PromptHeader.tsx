import { Code, Group, Stack, Text, Title } from "@mantine/core";

import { formatAgo } from "../../format";
import { useCan } from "../auth/useAuth";
import { DeletePromptButton } from "./DeletePromptButton";
import { DescriptionEditor } from "./DescriptionEditor";
import { LabelBadge } from "./LabelBadges";
import { labelEntries } from "./promptText";
import type { Prompt } from "./promptsApi";

/** The prompt's name, description (editable by annotators), where its labels point, and the
 * way to delete it (engineers). */
export function PromptHeader({ project, prompt, versions }: { project: string; prompt: Prompt; versions: number }) {
  const labels = labelEntries(prompt);
  const canEdit = useCan(project, "annotator");
  const canDelete = useCan(project, "engineer");
  return (
    <Stack gap={4}>
      <Group justify="space-between" align="flex-start">
        <Title order={2}>{prompt.name}</Title>
        {canDelete && (
          <DeletePromptButton
            project={project}
            name={prompt.name}
            versions={versions}
            labels={labels.map(([label]) => label)}
          />
        )}
      </Group>
      <DescriptionEditor project={project} name={prompt.name} description={prompt.description} canEdit={canEdit} />
      <Group gap="md">
        <Text size="sm" c="dimmed">
          Latest v{prompt.latest_version} · <Code>{prompt.model}</Code> · updated {formatAgo(prompt.updated_at)}
        </Text>
        <Group gap={6} data-testid="prompt-labels">
          {labels.map(([label, version]) => (
            <LabelBadge key={label} label={label} version={version} />
          ))}
          {labels.length === 0 && (
            <Text size="sm" c="dimmed">
              No labels yet: move production to a version to have your agent load it.
            </Text>
          )}
        </Group>
      </Group>
    </Stack>
  );
}
