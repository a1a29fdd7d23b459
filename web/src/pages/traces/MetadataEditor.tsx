import { ActionIcon, Button, Group, Input, Stack, Text, TextInput } from "@mantine/core";
import { IconPlus, IconX } from "@tabler/icons-react";
import { useState } from "react";

import type { MetadataPair } from "./filters";

interface Props {
  pairs: MetadataPair[];
  onChange: (pairs: MetadataPair[]) => void;
  /** The pair being typed, so that "Apply" can include it without a click on "Add". */
  pending: MetadataPair;
  onPendingChange: (pair: MetadataPair) => void;
}

/** Metadata filters as key = value pairs: a list with remove buttons and a row to add one. */
export function MetadataEditor({ pairs, onChange, pending, onPendingChange }: Props) {
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const key = pending.key.trim();
    if (!key) {
      setError("Type the metadata key first, e.g. customer_tier.");
      return;
    }
    setError(null);
    const pair = { key, value: pending.value.trim() };
    if (!pairs.some((p) => p.key === pair.key && p.value === pair.value)) {
      onChange([...pairs, pair]);
    }
    onPendingChange({ key: "", value: "" });
  };
  return (
    <Input.Wrapper
      label="Metadata"
      description="Traces with a span whose metadata has this value; all pairs must match."
      error={error}
    >
      <Stack gap={6} mt={6}>
        {pairs.map((pair) => (
          <Group key={`${pair.key}=${pair.value}`} gap="xs" wrap="nowrap">
            <Text size="sm" ff="monospace" style={{ flex: 1 }}>
              {pair.key} = {pair.value}
            </Text>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={`Remove ${pair.key} = ${pair.value}`}
              onClick={() => onChange(pairs.filter((p) => p !== pair))}
            >
              <IconX size={14} />
            </ActionIcon>
          </Group>
        ))}
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <TextInput
            aria-label="Metadata key"
            placeholder="key, e.g. customer_tier"
            value={pending.key}
            onChange={(e) => onPendingChange({ ...pending, key: e.currentTarget.value })}
            style={{ flex: 1 }}
          />
          <TextInput
            aria-label="Metadata value"
            placeholder="value, e.g. gold"
            value={pending.value}
            onChange={(e) => onPendingChange({ ...pending, value: e.currentTarget.value })}
            onKeyDown={(e) => e.key === "Enter" && add()}
            style={{ flex: 1 }}
          />
          <Button variant="light" leftSection={<IconPlus size={14} />} onClick={add}>
            Add
          </Button>
        </Group>
      </Stack>
    </Input.Wrapper>
  );
}
