import { ActionIcon, Badge, Button, Divider, Group, Paper, Stack, Text, Title, Tooltip } from "@mantine/core";
import { IconCopy, IconDeviceFloppy, IconX } from "@tabler/icons-react";
import { useState } from "react";

import { useCan } from "../auth/useAuth";
import { AgentParamsEditor } from "./AgentParamsEditor";
import { MessagesEditor } from "./MessagesEditor";
import { ParamsEditor } from "./ParamsEditor";
import { PromoteButton } from "./PromoteButton";
import { RunOutput } from "./RunOutput";
import { SaveVersionDialog } from "./SaveVersionDialog";
import type { RunState } from "./useRuns";
import { isEdited, type PromptVersion, type Variant } from "./variantModel";

interface Props {
  project: string;
  variant: Variant;
  run: RunState | undefined;
  models: string[];
  onChange: (change: Partial<Variant>) => void;
  onDuplicate?: () => void;
  onRemove?: () => void;
  onSaved: (version: PromptVersion) => void;
}

/** One variant: where it came from, its editor, and its answer. */
export function VariantColumn({ project, variant, run, models, onChange, onDuplicate, onRemove, onSaved }: Props) {
  const [saving, setSaving] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const canSave = useCan(project, "annotator");
  const canPromote = useCan(project, "engineer");
  const edited = isEdited(variant);
  const origin = variant.origin;
  return (
    <Paper withBorder radius="md" p="md" data-testid={`variant-${variant.label}`} miw={0}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2} miw={0}>
            <Title order={4}>Variant {variant.label}</Title>
            <Group gap={6}>
              <Origin variant={variant} />
              {variant.kind === "prompt" && edited && origin?.version && <Badge color="yellow">edited</Badge>}
            </Group>
          </Stack>
          <Group gap={4} wrap="nowrap">
            {onDuplicate && (
              <Tooltip label="Add a copy of this variant beside it">
                <ActionIcon variant="subtle" color="gray" aria-label={`Duplicate variant ${variant.label}`} onClick={onDuplicate}>
                  <IconCopy size={16} />
                </ActionIcon>
              </Tooltip>
            )}
            {onRemove && (
              <Tooltip label="Remove this variant">
                <ActionIcon variant="subtle" color="gray" aria-label={`Remove variant ${variant.label}`} onClick={onRemove}>
                  <IconX size={16} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        </Group>
        {variant.kind === "prompt" && (canSave || canPromote) && (
          <Group gap="xs">
            {canSave && (
              <Button size="xs" variant="light" leftSection={<IconDeviceFloppy size={14} />} onClick={() => setSaving(true)}>
                Save as new version
              </Button>
            )}
            {canPromote && origin?.version && !edited && (
              <PromoteButton
                project={project}
                name={origin.name}
                version={origin.version}
                onMoved={(label) => setNote(`${label} → v${origin.version}`)}
              />
            )}
          </Group>
        )}
        {note && (
          <Text size="sm" c="teal" role="status">
            {note}
          </Text>
        )}
        {variant.kind === "agent" ? (
          <AgentParamsEditor variant={variant} onChange={onChange} />
        ) : (
          <>
            <MessagesEditor messages={variant.messages} onChange={(messages) => onChange({ messages })} />
            <ParamsEditor variant={variant} models={models} onChange={onChange} />
          </>
        )}
        <Divider />
        <RunOutput project={project} run={run} label={variant.label} />
      </Stack>
      {saving && (
        <SaveVersionDialog
          project={project}
          variant={variant}
          opened={saving}
          onClose={() => setSaving(false)}
          onSaved={(version) => {
            setNote(version.created ? `v${version.version} saved` : `Unchanged: same as v${version.version}`);
            onSaved(version);
          }}
        />
      )}
    </Paper>
  );
}

function Origin({ variant }: { variant: Variant }) {
  if (variant.kind === "agent") return <Badge variant="light">agent {variant.agent}</Badge>;
  const origin = variant.origin;
  if (!origin?.version) {
    return (
      <Badge variant="light" color="gray">
        not saved
      </Badge>
    );
  }
  return (
    <Badge variant="light" data-testid="variant-origin">
      {origin.name} v{origin.version}
      {origin.label ? ` (${origin.label})` : ""}
    </Badge>
  );
}
