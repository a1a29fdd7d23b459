import { Autocomplete, Button, Collapse, Group, NumberInput, Stack, Textarea } from "@mantine/core";
import { IconChevronDown, IconChevronRight } from "@tabler/icons-react";
import { useState } from "react";

import type { Variant } from "./variantModel";

/** Models offered as suggestions; any other name can be typed. */
export const MODEL_SUGGESTIONS = [
  "gpt-4o-mini",
  "gpt-4o",
  "gpt-4.1",
  "gpt-4.1-mini",
  "gpt-4.1-nano",
  "o4-mini",
  "claude-sonnet-4-5",
  "claude-haiku-4-5",
  "claude-opus-4-1",
];

type Change = (change: Partial<Variant>) => void;

function numberOrNull(value: string | number): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** Model and parameters: temperature, max tokens, top p, others as JSON; tools and response
 * format behind a fold. */
export function ParamsEditor({ variant, models, onChange }: { variant: Variant; models: string[]; onChange: Change }) {
  const [advanced, setAdvanced] = useState(variant.tools !== "" || variant.responseFormat !== "");
  const suggestions = [...new Set([...models, ...MODEL_SUGGESTIONS])];
  return (
    <Stack gap="xs">
      <Autocomplete
        label="Model"
        placeholder="gpt-4o-mini"
        data={suggestions}
        value={variant.model}
        onChange={(model) => onChange({ model })}
        error={variant.model.trim() === "" ? "Name a model" : undefined}
      />
      <Group grow align="flex-start">
        <NumberInput
          label="Temperature"
          placeholder="default"
          min={0}
          max={2}
          step={0.1}
          decimalScale={2}
          value={variant.temperature ?? ""}
          onChange={(v) => onChange({ temperature: numberOrNull(v) })}
        />
        <NumberInput
          label="Max tokens"
          placeholder="default"
          min={1}
          allowDecimal={false}
          value={variant.maxTokens ?? ""}
          onChange={(v) => onChange({ maxTokens: numberOrNull(v) })}
        />
        <NumberInput
          label="Top p"
          placeholder="default"
          min={0}
          max={1}
          step={0.05}
          decimalScale={2}
          value={variant.topP ?? ""}
          onChange={(v) => onChange({ topP: numberOrNull(v) })}
        />
      </Group>
      <Button
        variant="subtle"
        size="compact-sm"
        color="gray"
        w="fit-content"
        leftSection={advanced ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
        onClick={() => setAdvanced((a) => !a)}
        aria-expanded={advanced}
      >
        Other parameters, tools and response format
      </Button>
      <Collapse expanded={advanced} transitionDuration={0}>
        <Stack gap="xs">
          <JsonField
            label="Other parameters"
            description='A JSON object, e.g. {"seed": 7, "stop": ["\n\n"]}.'
            value={variant.extraParams}
            onChange={(extraParams) => onChange({ extraParams })}
          />
          <JsonField
            label="Tools"
            description="A JSON list of tools in the OpenAI format."
            value={variant.tools}
            onChange={(tools) => onChange({ tools })}
          />
          <JsonField
            label="Response format"
            description='e.g. {"type": "json_object"}.'
            value={variant.responseFormat}
            onChange={(responseFormat) => onChange({ responseFormat })}
          />
        </Stack>
      </Collapse>
    </Stack>
  );
}

function jsonError(text: string): string | undefined {
  if (text.trim() === "") return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    return "Not valid JSON";
  }
}

function JsonField({
  label,
  description,
  value,
  onChange,
}: {
  label: string;
  description: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Textarea
      label={label}
      description={description}
      placeholder="none"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={jsonError(value)}
      autosize
      minRows={1}
      maxRows={12}
      ff="monospace"
      styles={{ input: { fontSize: 13 } }}
    />
  );
}
