import {
  Autocomplete,
  Button,
  Divider,
  Drawer,
  Group,
  Stack,
  TagsInput,
  TextInput,
} from "@mantine/core";
import { useState, type ChangeEvent, type FormEvent } from "react";

import { EMPTY_FILTERS, type TraceFilters } from "./filters";
import { fromDraft, toDraft, type FilterDraft } from "./form";
import { MetadataEditor } from "./MetadataEditor";

const KINDS = ["agent", "llm", "tool", "retrieval", "embedding", "chain", "span"];

interface Props {
  opened: boolean;
  onClose: () => void;
  filters: TraceFilters;
  onApply: (next: TraceFilters) => void;
}

/** The filters that do not fit in the bar, in a side drawer; nothing applies until "Apply". */
export function FilterDrawer({ opened, onClose, filters, onApply }: Props) {
  return (
    <Drawer opened={opened} onClose={onClose} position="right" size={480} title="Filter traces">
      {/* mounted only while open, so the form starts from the current filters each time */}
      <FilterForm
        filters={filters}
        onCancel={onClose}
        onApply={(next) => {
          onApply(next);
          onClose();
        }}
      />
    </Drawer>
  );
}

function FilterForm(props: {
  filters: TraceFilters;
  onApply: (next: TraceFilters) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<FilterDraft>(() => toDraft(props.filters));
  const update = (patch: Partial<FilterDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const field = (key: keyof FilterDraft) => ({
    value: draft[key] as string,
    onChange: (e: ChangeEvent<HTMLInputElement>) => update({ [key]: e.currentTarget.value }),
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    props.onApply(fromDraft(draft, props.filters));
  };
  return (
    <form onSubmit={apply}>
      <Stack gap="md">
        <Group grow align="flex-start">
          <TextInput type="datetime-local" label="Started after" {...field("startFrom")} />
          <TextInput type="datetime-local" label="Started before" {...field("startTo")} />
        </Group>
        <Divider />
        <TextInput
          label="Trace name"
          description="The name of the trace's first step, exactly."
          placeholder="e.g. answer_question"
          {...field("name")}
        />
        <Group grow align="flex-start">
          <Autocomplete
            label="Has a span of kind"
            placeholder="e.g. tool"
            data={KINDS}
            value={draft.kind}
            onChange={(kind) => update({ kind })}
          />
          <TextInput label="Uses model" placeholder="e.g. gpt-4o-mini" {...field("model")} />
        </Group>
        <TagsInput
          label="Tags"
          description="Traces with every one of these tags. Press Enter after each."
          placeholder="e.g. beta"
          value={draft.tags}
          onChange={(tags) => update({ tags })}
        />
        <MetadataEditor
          pairs={draft.metadata}
          onChange={(metadata) => update({ metadata })}
          pending={draft.pendingMetadata}
          onPendingChange={(pendingMetadata) => update({ pendingMetadata })}
        />
        <Group grow align="flex-start">
          <TextInput label="Latency at least (s)" inputMode="decimal" {...field("minDuration")} />
          <TextInput label="Latency at most (s)" inputMode="decimal" {...field("maxDuration")} />
        </Group>
        <Group grow align="flex-start">
          <TextInput label="Cost at least ($)" inputMode="decimal" {...field("minCost")} />
          <TextInput label="Cost at most ($)" inputMode="decimal" {...field("maxCost")} />
        </Group>
        <Group grow align="flex-start">
          <TextInput label="Session id" {...field("sessionId")} />
          <TextInput label="User id" {...field("userId")} />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label="Score"
            description="e.g. a judge's helpfulness"
            placeholder="score name"
            {...field("scoreName")}
          />
          <TextInput label="Mean above" inputMode="decimal" {...field("scoreAbove")} />
          <TextInput label="Mean below" inputMode="decimal" {...field("scoreBelow")} />
        </Group>
        <Group justify="space-between" mt="sm">
          <Button variant="subtle" color="gray" onClick={() => setDraft(toDraft(EMPTY_FILTERS))}>
            Reset
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={props.onCancel}>
              Cancel
            </Button>
            <Button type="submit">Apply filters</Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
