import { Chip, Group, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";

import { LabelBadge } from "./LabelBadges";
import { versionText } from "./promptText";

/** The move about to be made: "production v1 → v3", with a note when nothing or a new label moves. */
export function MoveSummary({ label, from, to }: { label: string; from: number | undefined; to: number }) {
  return (
    <Paper withBorder p="sm" bg="gray.0" data-testid="move-summary">
      <Group gap="sm">
        <LabelBadge label={label} />
        <Text size="sm" fw={600}>
          {versionText(from, "new label")} → v{to}
        </Text>
        {from === to && (
          <Text size="sm" c="dimmed">
            already points there
          </Text>
        )}
        {from === undefined && (
          <Text size="sm" c="dimmed">
            the label is created
          </Text>
        )}
      </Group>
    </Paper>
  );
}

const NEW = "\u0000new";

interface PickerProps {
  choices: string[];
  value: string;
  onChange: (label: string) => void;
  error: string | null | undefined;
  /** Where the prompt's labels point now (shown on their chips). */
  current?: Record<string, number>;
}

/** The usual labels and the prompt's own as chips (with the version each points at), or a new
 * one typed in. */
export function LabelPicker({ choices, value, onChange, error, current }: PickerProps) {
  const [typing, setTyping] = useState(!choices.includes(value));
  return (
    <Stack gap={6} style={{ flex: 1 }}>
      <Stack gap={0}>
        <Text size="sm" fw={500}>
          Label
        </Text>
        <Text size="xs" c="dimmed">
          production, staging, or a new one
        </Text>
      </Stack>
      <Chip.Group
        multiple={false}
        value={typing ? NEW : value}
        onChange={(v) => {
          setTyping(v === NEW);
          onChange(v === NEW ? "" : v);
        }}
      >
        <Group gap={6}>
          {choices.map((c) => (
            <Chip key={c} value={c} size="sm">
              {c}
              {current?.[c] !== undefined && (
                <Text span size="xs" c="dimmed">
                  {" "}
                  v{current[c]}
                </Text>
              )}
            </Chip>
          ))}
          <Chip value={NEW} size="sm">
            New label…
          </Chip>
        </Group>
      </Chip.Group>
      {typing && (
        <TextInput
          aria-label="New label"
          placeholder="canary-eu"
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          error={error}
          data-autofocus
        />
      )}
    </Stack>
  );
}
