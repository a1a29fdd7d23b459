import { Badge, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { IconPlayerPlay, IconTag } from "@tabler/icons-react";
import { Link } from "react-router-dom";

import { formatTime } from "../../format";
import { playgroundHref } from "../playground/playgroundUrl";
import { Section } from "../trace/Bits";
import { JsonBlock } from "../trace/JsonBlock";
import { KeyValues } from "../trace/SpanFacts";
import { valueText } from "./diffRows";
import { LabelBadge } from "./LabelBadges";
import { MessageCards } from "./MessageCards";
import { sortLabels } from "./promptText";
import type { PromptVersion } from "./promptsApi";
import { RemoveLabelButton } from "./RemoveLabelButton";

interface Props {
  project: string;
  version: PromptVersion;
  /** Whether the caller may move and remove labels. */
  canMove: boolean;
  onMoveLabel: () => void;
}

/** One version as the model receives it: messages, model, parameters, tools, response format. */
export function VersionView({ project, version: v, canMove, onMoveLabel }: Props) {
  const params = Object.entries(v.params ?? {}).map(([k, value]): [string, string] => [k, valueText(value)]);
  return (
    <Stack gap="md" data-testid="version-view" data-version={v.version}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={3}>Version {v.version}</Title>
            {sortLabels(v.labels ?? []).map((label) => (
              <Group key={label} gap={0}>
                <LabelBadge label={label} />
                {canMove && <RemoveLabelButton project={project} prompt={v.prompt} label={label} version={v.version} />}
              </Group>
            ))}
          </Group>
          <Text size="sm" c="dimmed">
            Saved {formatTime(v.created_at)} by {v.author ?? "an unknown author"}
          </Text>
        </Stack>
        <Group gap="xs">
          <Button
            component={Link}
            to={playgroundHref(project, { kind: "prompt", name: v.prompt, version: v.version, label: null })}
            variant="light"
            leftSection={<IconPlayerPlay size={16} />}
          >
            Open in playground
          </Button>
          {canMove && (
            <Button variant="default" leftSection={<IconTag size={16} />} onClick={onMoveLabel}>
              Move label…
            </Button>
          )}
        </Group>
      </Group>
      {v.message && (
        <Paper withBorder p="sm" bg="gray.0">
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {v.message}
          </Text>
        </Paper>
      )}
      <Section title={`Messages (${v.messages.length})`}>
        <MessageCards messages={v.messages} />
      </Section>
      {(v.variables ?? []).length > 0 && (
        <Section title="Variables">
          <Group gap={6}>
            {(v.variables ?? []).map((name) => (
              <Badge key={name} variant="light" color="yellow" tt="none">
                {name}
              </Badge>
            ))}
          </Group>
        </Section>
      )}
      <Section title="Model and parameters">
        <KeyValues rows={[["model", v.model], ...params]} />
      </Section>
      {v.tools && v.tools.length > 0 && (
        <Section title={`Tools (${v.tools.length})`}>
          <JsonBlock value={v.tools} label="tools" />
        </Section>
      )}
      {v.response_format && (
        <Section title="Response format">
          <JsonBlock value={v.response_format} label="response format" />
        </Section>
      )}
      {!v.tools?.length && !v.response_format && (
        <Text size="xs" c="dimmed">
          No tools and no response format: the model answers in free text.
        </Text>
      )}
    </Stack>
  );
}

