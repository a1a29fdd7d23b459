import { Alert, Button, Group, Modal, Select, Stack, Textarea } from "@mantine/core";
import { useState } from "react";

import { LabelPicker, MoveSummary } from "./LabelMoveParts";
import { labelChoices, labelProblem } from "./promptText";
import type { Prompt } from "./promptsApi";
import { useMoveLabel } from "./usePromptMutations";

interface Props {
  project: string;
  prompt: Prompt;
  /** Version numbers, newest first. */
  versions: number[];
  /** The version the label goes to unless another is picked. */
  version: number;
  opened: boolean;
  onClose: () => void;
}

/** Point a label (production, staging or a new one) at a version, with a reason; shows the move
 * (from → to) before it is made. */
export function MoveLabelModal({ opened, onClose, ...rest }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="Move a label" size="lg">
      {opened && <MoveLabelForm {...rest} onClose={onClose} />}
    </Modal>
  );
}

function MoveLabelForm({ project, prompt, versions, version, onClose }: Omit<Props, "opened">) {
  const choices = labelChoices(prompt);
  const [label, setLabel] = useState(() => choices.find((l) => prompt.labels?.[l] !== version) ?? "production");
  const [target, setTarget] = useState(version);
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const move = useMoveLabel(project, prompt.name);
  const trimmed = label.trim();
  const problem = labelProblem(trimmed);
  const current = prompt.labels?.[trimmed];
  const unchanged = current === target;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (problem || unchanged) return;
        move.mutate({ label: trimmed, version: target, reason: reason.trim() }, { onSuccess: onClose });
      }}
    >
      <Stack>
        <Group align="flex-start" justify="space-between">
          <LabelPicker
            choices={choices}
            value={label}
            onChange={setLabel}
            error={trimmed || touched ? problem : undefined}
            current={prompt.labels}
          />
          <Select
            label="Version"
            description="Where the label will point"
            data={versions.map((v) => ({ value: String(v), label: `v${v}` }))}
            value={String(target)}
            onChange={(v) => v && setTarget(Number(v))}
            allowDeselect={false}
            w={150}
          />
        </Group>
        <Textarea
          label="Reason"
          description="Kept in the label's history, for whoever looks later"
          placeholder="Better answers on the refund questions (experiment refund-v3)"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={2000}
        />
        {!problem && <MoveSummary label={trimmed} from={current} to={target} />}
        {move.isError && (
          <Alert color="red" title="Could not move the label" role="alert">
            {move.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={move.isPending} disabled={!!problem || unchanged}>
            Move {trimmed || "label"} to v{target}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
