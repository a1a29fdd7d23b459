import { Alert, Anchor, Button, Group, Modal, MultiSelect, NumberInput, Stack, TagsInput, Text, TextInput, Textarea } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";

import { reviewApi, reviewKeys } from "./reviewApi";

interface Props {
  project: string;
  opened: boolean;
  onClose: () => void;
}

/** A new queue: its name, instructions, the score configs to answer, reviews per item, assignees. */
export function NewQueueModal({ project, opened, onClose }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="New review queue" size="lg">
      {opened && <NewQueueForm project={project} onClose={onClose} />}
    </Modal>
  );
}

function NewQueueForm({ project, onClose }: Omit<Props, "opened">) {
  const configs = useQuery({
    queryKey: [...reviewKeys.configs(project), false],
    queryFn: () => reviewApi.listConfigs(project, false),
  });
  const [name, setName] = useState("");
  const [instructions, setInstructions] = useState("");
  const [picked, setPicked] = useState<string[]>([]);
  const [perItem, setPerItem] = useState<number>(1);
  const [assignees, setAssignees] = useState<string[]>([]);
  const client = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () =>
      reviewApi.createQueue(project, {
        name: name.trim(),
        instructions: instructions.trim() || null,
        score_configs: picked,
        reviews_per_item: perItem,
        assignees,
        hold_seconds: 600,
      }),
    onSuccess: async (queue) => {
      await client.invalidateQueries({ queryKey: reviewKeys.queues(project) });
      navigate(`/projects/${encodeURIComponent(project)}/queues/${encodeURIComponent(queue.name)}?add=1`);
    },
  });
  const settings = `/projects/${encodeURIComponent(project)}/settings/scores`;
  const noConfigs = configs.isSuccess && configs.data.length === 0;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <Stack>
        <TextInput
          label="Name"
          placeholder="escalations-week-48"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          maxLength={200}
          required
          data-autofocus
        />
        <Textarea
          label="Instructions for reviewers"
          description="Markdown. What to look at and how to decide; shown on every item."
          value={instructions}
          onChange={(e) => setInstructions(e.currentTarget.value)}
          autosize
          minRows={3}
        />
        {noConfigs ? (
          <Alert color="yellow" title="No score configs yet">
            A queue asks reviewers to answer one or more score configs.{" "}
            <Anchor component={Link} to={settings}>
              Create a score config
            </Anchor>{" "}
            first.
          </Alert>
        ) : (
          <MultiSelect
            label="Score configs"
            description={
              <>
                What reviewers answer for each item.{" "}
                <Anchor component={Link} to={settings} size="xs">
                  Create a new one
                </Anchor>
              </>
            }
            placeholder={configs.isPending ? "Loading…" : "Pick one or more"}
            data={(configs.data ?? []).map((c) => ({ value: c.name, label: `${c.name} (${c.kind})` }))}
            value={picked}
            onChange={setPicked}
            searchable
            required
          />
        )}
        <Group grow align="flex-start">
          <NumberInput
            label="Reviews per item"
            description="More than 1 measures how much reviewers agree."
            min={1}
            max={10}
            value={perItem}
            onChange={(v) => setPerItem(typeof v === "number" ? v : 1)}
          />
          <TagsInput
            label="Assignees"
            description="Reviewer names; empty for anyone."
            value={assignees}
            onChange={setAssignees}
          />
        </Group>
        {create.isError && (
          <Alert color="red" title="Could not create the queue" role="alert">
            {create.error.message}
          </Alert>
        )}
        <Text size="xs" c="dimmed">
          Next you add traces to the queue, from a filter or a sample.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={!name.trim() || picked.length === 0}>
            Create queue
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
