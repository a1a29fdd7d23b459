import { Checkbox, Group, Stack, Text, Textarea } from "@mantine/core";

import type { Editable } from "./editable";

/** A text area for a record field: plain text, or JSON when the value is structured. */
export function ValueEditor({
  label,
  description,
  value,
  onChange,
}: {
  label: string;
  description?: string;
  value: Editable;
  onChange: (value: Editable) => void;
}) {
  return (
    <Stack gap={4}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={0}>
          <Text size="sm" fw={500}>
            {label}
          </Text>
          <Text size="xs" c="dimmed">
            {description ?? (value.json ? "A structured value, edited as JSON." : "Plain text.")}
          </Text>
        </Stack>
        <Checkbox
          size="xs"
          label="JSON"
          checked={value.json}
          onChange={(e) => onChange({ ...value, json: e.currentTarget.checked })}
          aria-label={`Read the ${label.toLowerCase()} as JSON`}
        />
      </Group>
      <Textarea
        aria-label={label}
        value={value.text}
        onChange={(e) => onChange({ ...value, text: e.currentTarget.value })}
        autosize
        minRows={3}
        maxRows={12}
        styles={value.json ? { input: { fontFamily: "var(--mantine-font-family-monospace)", fontSize: 12 } } : undefined}
      />
    </Stack>
  );
}
