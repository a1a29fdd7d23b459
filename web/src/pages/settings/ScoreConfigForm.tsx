import { ActionIcon, Alert, Button, Group, NumberInput, SegmentedControl, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useState } from "react";

import type { ScoreKind } from "../queues/reviewTypes";
import { KIND_LABELS, toConfigIn, type CategoryDraft, type ConfigDraft } from "./configForm";

interface Props {
  initial: ConfigDraft;
  /** Editing an existing config: its name and kind stay. */
  editing: boolean;
  saving: boolean;
  serverError: string | null;
  onSubmit: (draft: ConfigDraft) => void;
  onCancel: () => void;
}

/** A score config: name, kind, a description for reviewers, then the scale of its kind. */
export function ScoreConfigForm({ initial, editing, saving, serverError, onSubmit, onCancel }: Props) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (patch: Partial<ConfigDraft>) => setDraft((d) => ({ ...d, ...patch }));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const checked = toConfigIn(draft);
        setErrors(checked.ok ? {} : checked.errors);
        if (checked.ok) onSubmit(draft);
      }}
    >
      <Stack>
        <TextInput
          label="Name"
          description="Scores of this name follow this config; judges with the same name are compared with people."
          placeholder="helpfulness"
          value={draft.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          error={errors.name}
          disabled={editing}
          data-autofocus
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            What reviewers give
          </Text>
          <SegmentedControl
            value={draft.kind}
            onChange={(v) => set({ kind: v as ScoreKind })}
            disabled={editing}
            aria-label="Kind of score"
            data={(Object.keys(KIND_LABELS) as ScoreKind[]).map((k) => ({ value: k, label: KIND_LABELS[k] }))}
          />
          {editing && (
            <Text size="xs" c="dimmed">
              The kind of a config cannot change; create another config instead.
            </Text>
          )}
        </Stack>
        <Textarea
          label="Description for reviewers"
          description="What to judge and how; shown next to the control on the review page."
          value={draft.description}
          onChange={(e) => set({ description: e.currentTarget.value })}
          autosize
          minRows={2}
        />
        {draft.kind === "numeric" && <RangeFields draft={draft} errors={errors} set={set} />}
        {draft.kind === "categorical" && (
          <CategoryRows rows={draft.categories} errors={errors} onChange={(categories) => set({ categories })} />
        )}
        {serverError && (
          <Alert color="red" title="Could not save the config" role="alert">
            {serverError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            {editing ? "Save changes" : "Create config"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RangeFields({
  draft,
  errors,
  set,
}: {
  draft: ConfigDraft;
  errors: Record<string, string>;
  set: (patch: Partial<ConfigDraft>) => void;
}) {
  const field = (key: "min" | "max" | "step", label: string, placeholder?: string) => (
    <NumberInput
      label={label}
      value={draft[key]}
      placeholder={placeholder}
      onChange={(v) => set({ [key]: String(v) })}
      error={errors[key]}
      w={140}
    />
  );
  return (
    <Group align="flex-start">
      {field("min", "Lowest")}
      {field("max", "Highest")}
      {field("step", "Step", "any")}
    </Group>
  );
}

function CategoryRows({
  rows,
  errors,
  onChange,
}: {
  rows: CategoryDraft[];
  errors: Record<string, string>;
  onChange: (rows: CategoryDraft[]) => void;
}) {
  const update = (i: number, patch: Partial<CategoryDraft>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        Labels, in the order reviewers see them (keys 1, 2, 3… pick them)
      </Text>
      {rows.map((row, i) => (
        <Group key={i} align="flex-start" wrap="nowrap" gap="xs">
          <Text size="sm" c="dimmed" w={16} mt={8}>
            {i + 1}
          </Text>
          <TextInput
            aria-label={`Label ${i + 1}`}
            placeholder="label"
            value={row.label}
            onChange={(e) => update(i, { label: e.currentTarget.value })}
            error={errors[`categories.${i}.label`]}
            w={150}
          />
          <TextInput
            aria-label={`Value of label ${i + 1}`}
            placeholder="value"
            value={row.value}
            onChange={(e) => update(i, { value: e.currentTarget.value })}
            error={errors[`categories.${i}.value`]}
            w={80}
          />
          <TextInput
            aria-label={`Meaning of label ${i + 1}`}
            placeholder="What this label means, for reviewers"
            value={row.description}
            onChange={(e) => update(i, { description: e.currentTarget.value })}
            style={{ flex: 1 }}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            mt={4}
            aria-label={`Remove label ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      {errors.categories && (
        <Text size="xs" c="red">
          {errors.categories}
        </Text>
      )}
      <Button
        variant="subtle"
        size="xs"
        w="fit-content"
        leftSection={<IconPlus size={14} />}
        onClick={() => onChange([...rows, { label: "", value: "", description: "" }])}
      >
        Add a label
      </Button>
    </Stack>
  );
}
