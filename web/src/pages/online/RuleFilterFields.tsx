import { Autocomplete, Checkbox, Fieldset, Group, Input, SegmentedControl, Stack, TagsInput, Text, TextInput } from "@mantine/core";

import type { DraftErrors, RuleDraft } from "./ruleForm";

const KINDS = ["agent", "llm", "tool", "retrieval", "embedding", "task", "chain", "guardrail"];

interface Props {
  draft: RuleDraft;
  errors: DraftErrors;
  set: (change: Partial<RuleDraft>) => void;
}

/** Which production spans the rule looks at: the trace list's filters, applied to each span. */
export function RuleFilterFields({ draft, errors, set }: Props) {
  return (
    <Fieldset legend="Which spans" variant="filled">
      <Stack gap="xs">
        <Text size="xs" c="dimmed">
          Every field you fill must match; leave them all empty to score every finished production span.
        </Text>
        <Group grow align="flex-start">
          <TextInput
            label="Span name"
            placeholder="answer"
            value={draft.spanName}
            onChange={(e) => set({ spanName: e.currentTarget.value })}
          />
          <Autocomplete
            label="Kind"
            placeholder="any"
            data={KINDS}
            value={draft.kind}
            onChange={(v) => set({ kind: v })}
          />
          <TextInput
            label="Model"
            placeholder="any"
            value={draft.model}
            onChange={(e) => set({ model: e.currentTarget.value })}
          />
        </Group>
        <Group grow align="flex-start">
          <TagsInput
            label="Tags"
            description="All must be on the span."
            value={draft.tags}
            onChange={(v) => set({ tags: v })}
          />
          <TagsInput
            label="Metadata"
            description="key=value; press Enter after each."
            placeholder="customer_tier=gold"
            value={draft.metadata}
            onChange={(v) => set({ metadata: v })}
            error={errors.metadata}
          />
        </Group>
        <Group gap="lg">
          <Stack gap={2}>
            <Input.Label>Status</Input.Label>
            <SegmentedControl
              size="xs"
              aria-label="Status"
              value={draft.status || "any"}
              onChange={(v) => set({ status: v === "any" ? "" : (v as RuleDraft["status"]) })}
              data={[
                { value: "any", label: "any" },
                { value: "ok", label: "ok" },
                { value: "error", label: "errors" },
              ]}
            />
          </Stack>
          <Checkbox
            mt="lg"
            label="Root spans only (one per trace)"
            checked={draft.rootOnly}
            onChange={(e) => set({ rootOnly: e.currentTarget.checked })}
          />
        </Group>
      </Stack>
    </Fieldset>
  );
}
