import { NumberInput, Stack, Switch, Text, Textarea, TextInput } from "@mantine/core";

import type { AgentParameter, Variant } from "./variantModel";

/** The parameters a registered agent declares, each as an input of its JSON type. */
export function AgentParamsEditor({
  variant,
  onChange,
}: {
  variant: Variant;
  onChange: (change: Partial<Variant>) => void;
}) {
  const set = (name: string, value: unknown) => onChange({ agentValues: { ...variant.agentValues, [name]: value } });
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        Agent parameters
      </Text>
      {variant.agentParameters.length === 0 ? (
        <Text size="sm" c="dimmed">
          This agent declares no parameters: it runs as it is on the input.
        </Text>
      ) : (
        variant.agentParameters.map((p) => (
          <ParamField key={p.name} param={p} value={variant.agentValues[p.name]} onChange={(v) => set(p.name, v)} />
        ))
      )}
    </Stack>
  );
}

function ParamField({
  param,
  value,
  onChange,
}: {
  param: AgentParameter;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const description = `Default: ${JSON.stringify(param.default ?? null)}`;
  if (param.type === "boolean") {
    return (
      <Switch
        label={param.name}
        description={description}
        checked={value === true}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
    );
  }
  if (param.type === "number" || param.type === "integer") {
    return (
      <NumberInput
        label={param.name}
        description={description}
        allowDecimal={param.type === "number"}
        value={typeof value === "number" ? value : ""}
        onChange={(v) => onChange(typeof v === "number" ? v : null)}
      />
    );
  }
  if (param.type === "object" || param.type === "array") {
    return (
      <Textarea
        label={param.name}
        description={`A JSON ${param.type === "array" ? "list" : "object"}. ${description}`}
        value={typeof value === "string" ? value : ""}
        onChange={(e) => onChange(e.currentTarget.value)}
        autosize
        minRows={2}
        ff="monospace"
      />
    );
  }
  return (
    <TextInput
      label={param.name}
      description={description}
      value={typeof value === "string" ? value : value == null ? "" : String(value)}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
