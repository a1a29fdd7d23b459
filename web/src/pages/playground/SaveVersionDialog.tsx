import { Alert, Autocomplete, Button, Group, Modal, Select, Stack, Textarea } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useCan } from "../auth/useAuth";
import { playgroundApi, playgroundKeys } from "./playgroundApi";
import { toVersionIn, type PromptVersion, type Variant } from "./variantModel";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;
const NO_LABEL = "";

/** Save a variant as a new version of a prompt (existing or new), optionally moving a label. */
export function SaveVersionDialog({
  project,
  variant,
  opened,
  onClose,
  onSaved,
}: {
  project: string;
  variant: Variant;
  opened: boolean;
  onClose: () => void;
  onSaved: (version: PromptVersion) => void;
}) {
  const [name, setName] = useState(variant.origin?.name ?? "");
  const [message, setMessage] = useState("");
  const [label, setLabel] = useState(NO_LABEL);
  const canMove = useCan(project, "engineer");
  const client = useQueryClient();
  const prompts = useQuery({
    queryKey: playgroundKeys.prompts(project),
    queryFn: () => playgroundApi.prompts(project),
    enabled: opened,
  });
  const existing = prompts.data?.find((p) => p.name === name.trim());
  const labels = [...new Set(["production", "staging", ...Object.keys(existing?.labels ?? {})])];
  const save = useMutation({
    mutationFn: () =>
      playgroundApi.saveVersion(project, name.trim(), toVersionIn(variant, message, label ? [label] : [])),
    onSuccess: async (version) => {
      await client.invalidateQueries({ queryKey: playgroundKeys.prompts(project) });
      await client.invalidateQueries({ queryKey: playgroundKeys.versions(project, version.prompt) });
      onSaved(version);
      setMessage("");
      onClose();
    },
  });
  const nameError = name.trim() && !NAME.test(name.trim()) ? "Letters, digits, _ . - only" : undefined;
  return (
    <Modal opened={opened} onClose={onClose} title={`Save variant ${variant.label} as a new version`} size="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <Autocomplete
            label="Prompt"
            description={existing ? `Saves v${existing.latest_version + 1} of ${existing.name}.` : "A new name creates the prompt."}
            placeholder="support-answer"
            data={(prompts.data ?? []).map((p) => p.name)}
            value={name}
            onChange={setName}
            error={nameError}
            required
          />
          <Textarea
            label="What changed"
            description="The commit message your team reads in the history."
            placeholder="Shorter answers, mention the refund policy"
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={2000}
            data-autofocus
          />
          {canMove && (
            <Select
              label="Also move a label to it"
              description="Moving production changes what the running agent loads."
              data={[{ value: NO_LABEL, label: "No label" }, ...labels.map((l) => ({ value: l, label: l }))]}
              value={label}
              onChange={(v) => setLabel(v ?? NO_LABEL)}
              allowDeselect={false}
            />
          )}
          {save.isError && (
            <Alert color="red" title="Could not save the version" role="alert">
              {save.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim() || Boolean(nameError)}>
              Save version
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
