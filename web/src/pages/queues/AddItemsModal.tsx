import {
  Alert, Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, TagsInput, Text, TextInput, Textarea,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { buildItemsRequest, describeAdded, EMPTY_ITEMS_FILTER, WINDOWS, type ItemsFilterForm, type WindowKey } from "./itemsFilter";
import { reviewApi } from "./reviewApi";

interface Props {
  project: string;
  queue: string;
  opened: boolean;
  onClose: () => void;
}

/** Fill a queue from the traces that match a filter, or a random sample of them. */
export function AddItemsModal({ project, queue, opened, onClose }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Add traces to ${queue}`} size="lg">
      {opened && <AddItemsForm project={project} queue={queue} onClose={onClose} />}
    </Modal>
  );
}

function AddItemsForm({ project, queue, onClose }: Omit<Props, "opened">) {
  const [form, setForm] = useState<ItemsFilterForm>(EMPTY_ITEMS_FILTER);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<ItemsFilterForm>) => setForm((f) => ({ ...f, ...patch }));
  const client = useQueryClient();
  const add = useMutation({
    mutationFn: (body: Parameters<typeof reviewApi.addItems>[2]) => reviewApi.addItems(project, queue, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["queues", project] }),
  });
  const submit = () => {
    const built = buildItemsRequest(form);
    setProblem(built.ok ? null : built.error);
    if (built.ok) add.mutate(built.body);
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          Every production trace that matches is added once; traces already in the queue are not added again.
        </Text>
        <Group grow align="flex-start">
          <Select
            label="When"
            data={Object.entries(WINDOWS).map(([value, w]) => ({ value, label: w.label }))}
            value={form.window}
            onChange={(v) => v && set({ window: v as WindowKey })}
            allowDeselect={false}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Status
            </Text>
            <SegmentedControl
              aria-label="Status"
              value={form.status}
              onChange={(v) => set({ status: v as ItemsFilterForm["status"] })}
              data={[
                { value: "any", label: "Any" },
                { value: "ok", label: "OK" },
                { value: "error", label: "Errors" },
              ]}
            />
          </Stack>
        </Group>
        <TagsInput
          label="Tags"
          description="Traces with all of these tags. Press Enter after each."
          value={form.tags}
          onChange={(tags) => set({ tags })}
        />
        <Textarea
          label="Metadata"
          description="key=value, one per line (e.g. environment=production)."
          value={form.metadata}
          onChange={(e) => set({ metadata: e.currentTarget.value })}
          autosize
          minRows={1}
        />
        <TextInput label="Text in the input or output" value={form.q} onChange={(e) => set({ q: e.currentTarget.value })} />
        <Group align="flex-end" grow>
          <TextInput
            label="Score"
            placeholder="tone"
            description="e.g. a judge's score"
            value={form.scoreName}
            onChange={(e) => set({ scoreName: e.currentTarget.value })}
          />
          <Select
            aria-label="Below or above"
            data={[
              { value: "below", label: "below" },
              { value: "above", label: "above" },
            ]}
            value={form.scoreOp}
            onChange={(v) => v && set({ scoreOp: v as "below" | "above" })}
            allowDeselect={false}
          />
          <TextInput
            aria-label="Score bound"
            placeholder="0.5"
            value={form.scoreBound}
            onChange={(e) => set({ scoreBound: e.currentTarget.value })}
          />
        </Group>
        <Group align="flex-end" grow>
          <NumberInput
            label="Random sample"
            description="Leave empty to add every match."
            placeholder="200"
            min={1}
            value={form.sample}
            onChange={(v) => set({ sample: String(v) })}
          />
          <Select
            label="Review"
            data={[
              { value: "trace", label: "the whole trace" },
              { value: "root_span", label: "the root span" },
            ]}
            value={form.target}
            onChange={(v) => v && set({ target: v as ItemsFilterForm["target"] })}
            allowDeselect={false}
          />
        </Group>
        {problem && (
          <Alert color="orange" role="alert">
            {problem}
          </Alert>
        )}
        {add.isError && (
          <Alert color="red" title="Could not add the traces" role="alert">
            {add.error.message}
          </Alert>
        )}
        {add.isSuccess && (
          <Alert color="teal" role="status" data-testid="added-items">
            {describeAdded(add.data)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {add.isSuccess ? "Done" : "Cancel"}
          </Button>
          <Button type="submit" loading={add.isPending}>
            Add matching traces
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
