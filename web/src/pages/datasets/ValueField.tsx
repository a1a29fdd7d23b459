import { Group, SegmentedControl, Stack, Text, Textarea } from "@mantine/core";
import { useId } from "react";

import { switchMode, type FieldText, type ValueMode } from "./recordValue";

const HINTS: Record<ValueMode, string> = {
  text: "Plain text, stored exactly as written. Leave empty for none.",
  json: 'JSON: an object {…}, a list […], a number, true/false, or "text in quotes".',
};

const MONOSPACE = { fontFamily: "var(--mantine-font-family-monospace)" };

/** A record value edited as plain text, or as JSON when it is structured. */
export function ValueField({
  label,
  field,
  error,
  readOnly,
  onChange,
}: {
  label: string;
  field: FieldText;
  error?: string;
  readOnly: boolean;
  onChange: (field: FieldText) => void;
}) {
  const id = useId();
  return (
    <Stack gap={4}>
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <div>
          <Text component="label" htmlFor={id} fw={500} size="sm">
            {label}
          </Text>
          {!readOnly && (
            <Text size="xs" c="dimmed">
              {HINTS[field.mode]}
            </Text>
          )}
        </div>
        <SegmentedControl
          size="xs"
          aria-label={`${label} format`}
          value={field.mode}
          readOnly={readOnly}
          onChange={(value) => {
            const mode = value as ValueMode;
            onChange({ mode, text: switchMode(field.text, mode) });
          }}
          data={[
            { value: "text", label: "Text" },
            { value: "json", label: "JSON" },
          ]}
        />
      </Group>
      <Textarea
        id={id}
        value={field.text}
        onChange={(e) => onChange({ ...field, text: e.currentTarget.value })}
        error={error}
        readOnly={readOnly}
        autosize
        minRows={3}
        maxRows={14}
        spellCheck={field.mode === "text"}
        styles={{ input: field.mode === "json" ? MONOSPACE : undefined }}
      />
    </Stack>
  );
}
