import { Alert, Button, Group, Modal, PasswordInput, SegmentedControl, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { providerKeys, providersApi, type ProviderKey } from "./providersApi";
import {
  draftFromProvider,
  emptyProviderDraft,
  providerBody,
  providerName,
  providerProblems,
  type ProviderDraft,
  type ProviderErrors,
} from "./providersForm";

interface Props {
  project: string;
  opened: boolean;
  onClose: () => void;
  /** The provider to edit; a new one when absent. */
  provider?: ProviderKey;
  /** Names already set, so a new one is not one of them. */
  taken: string[];
}

const DEFAULT_URLS: Record<string, string> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
};

/** Add a provider or change one: which one, the kind of API, its base URL and the key. */
export function ProviderFormModal({ opened, onClose, provider, ...rest }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={provider ? `Edit provider ${provider.name}` : "Add a model provider"} size="lg">
      {opened && <ProviderForm provider={provider} onClose={onClose} {...rest} />}
    </Modal>
  );
}

function ProviderForm({ project, provider, taken, onClose }: Omit<Props, "opened">) {
  const client = useQueryClient();
  const editing = provider !== undefined;
  const [draft, setDraft] = useState<ProviderDraft>(() => (provider ? draftFromProvider(provider) : emptyProviderDraft(taken)));
  const [errors, setErrors] = useState<ProviderErrors>({});
  const set = (change: Partial<ProviderDraft>) => setDraft((d) => ({ ...d, ...change }));
  const save = useMutation({
    mutationFn: () => providersApi.save(project, providerName(draft), providerBody(draft)),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: providerKeys.all(project) });
      onClose();
    },
  });
  const submit = () => {
    const found = providerProblems(draft, { editing, taken });
    setErrors(found);
    if (Object.keys(found).length === 0) save.mutate();
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      autoComplete="off"
    >
      <Stack>
        <ProviderChoiceFields draft={draft} errors={errors} set={set} editing={editing} />
        <TextInput
          label="Base URL"
          description={
            draft.choice === "custom"
              ? "The OpenAI-compatible (or Anthropic) API of the provider, e.g. https://api.groq.com/openai/v1"
              : "Leave empty for the official API; set it for a proxy or a compatible server"
          }
          placeholder={DEFAULT_URLS[draft.choice] ?? "https://…/v1"}
          value={draft.baseUrl}
          onChange={(e) => set({ baseUrl: e.currentTarget.value })}
          error={errors.baseUrl}
        />
        <PasswordInput
          label="API key"
          description={editing ? "Leave empty to keep the current key" : "Stored encrypted; it cannot be shown again after saving"}
          placeholder={editing ? `current key ${provider.key_hint || "(none)"} is kept` : "sk-…"}
          value={draft.apiKey}
          onChange={(e) => set({ apiKey: e.currentTarget.value })}
          error={errors.apiKey}
          autoComplete="new-password"
        />
        {save.isError && (
          <Alert color="red" title="Could not save the provider" role="alert">
            {save.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {editing ? "Save provider" : "Add provider"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface ChoiceProps {
  draft: ProviderDraft;
  errors: ProviderErrors;
  set: (change: Partial<ProviderDraft>) => void;
  editing: boolean;
}

function ProviderChoiceFields({ draft, errors, set, editing }: ChoiceProps) {
  return (
    <Stack gap="xs">
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          Provider
        </Text>
        <SegmentedControl
          value={draft.choice}
          onChange={(v) => set({ choice: v as ProviderDraft["choice"], kind: v === "anthropic" ? "anthropic" : "openai" })}
          disabled={editing}
          data={[
            { value: "openai", label: "OpenAI" },
            { value: "anthropic", label: "Anthropic" },
            { value: "custom", label: "Other (by model prefix)" },
          ]}
        />
        <Text size="xs" c="dimmed">
          {draft.choice === "openai" && "Used for gpt-*, o1-* and other OpenAI models."}
          {draft.choice === "anthropic" && "Used for claude-* models."}
          {draft.choice === "custom" && "Used for models named with its prefix, e.g. groq/llama-3.1-8b."}
        </Text>
      </Stack>
      {draft.choice === "custom" && (
        <Group grow align="flex-start">
          <TextInput
            label="Name (model prefix)"
            placeholder="groq"
            value={draft.customName}
            onChange={(e) => set({ customName: e.currentTarget.value })}
            error={errors.customName}
            disabled={editing}
            withAsterisk={!editing}
            data-autofocus
          />
          <Select
            label="Kind of API"
            data={[
              { value: "openai", label: "OpenAI-compatible" },
              { value: "anthropic", label: "Anthropic" },
            ]}
            value={draft.kind}
            onChange={(v) => v && set({ kind: v as ProviderDraft["kind"] })}
            allowDeselect={false}
          />
        </Group>
      )}
      {draft.choice !== "custom" && errors.customName && (
        <Text size="sm" c="red" role="alert">
          {errors.customName}
        </Text>
      )}
    </Stack>
  );
}
