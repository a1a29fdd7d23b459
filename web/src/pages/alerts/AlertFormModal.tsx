import { Alert as Notice, Button, Group, Input, Modal, SegmentedControl, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { IconSend } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import {
  buildAlertIn,
  buildAlertPatch,
  draftFromAlert,
  emptyAlertDraft,
  type AlertDraft,
  type AlertErrors,
} from "./alertForm";
import { AlertMetricFields } from "./AlertMetricFields";
import { alertKeys, alertsApi, type Alert } from "./alertsApi";

interface Props {
  project: string;
  opened: boolean;
  onClose: () => void;
  /** The alert to edit; a new alert when absent. */
  alert?: Alert;
}

/** Create or edit an alert: the series, its condition and window, the webhook (and a test send). */
export function AlertFormModal({ project, opened, onClose, alert }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={alert ? `Edit alert ${alert.name}` : "New alert"} size="lg">
      {opened && <AlertForm project={project} alert={alert} onClose={onClose} />}
    </Modal>
  );
}

/** `errors` without those of the fields just edited (the window's two inputs share one). */
function withoutErrorsOf(errors: AlertErrors, fields: string[]): AlertErrors {
  const edited = new Set(fields.map((f) => (f.startsWith("window") ? "window" : f)));
  return Object.fromEntries(Object.entries(errors).filter(([key]) => !edited.has(key)));
}

class FormError extends Error {
  readonly errors: AlertErrors;
  constructor(errors: AlertErrors) {
    super(Object.values(errors)[0] ?? "Fix the form.");
    this.errors = errors;
  }
}

function AlertForm({ project, alert, onClose }: Omit<Props, "opened">) {
  const [draft, setDraft] = useState<AlertDraft>(() => (alert ? draftFromAlert(alert) : emptyAlertDraft()));
  const [errors, setErrors] = useState<AlertErrors>({});
  const set = (change: Partial<AlertDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setErrors((e) => withoutErrorsOf(e, Object.keys(change)));
  };
  const save = useSaveAlert(project, alert, draft, { setErrors, onSaved: onClose });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <TextInput
          label="Name"
          placeholder="error-spike"
          value={draft.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          error={errors.name}
          disabled={!!alert}
          maxLength={200}
          data-autofocus
        />
        <Textarea
          label="Description"
          description="What it means when this fires, and what to do."
          value={draft.description}
          onChange={(e) => set({ description: e.currentTarget.value })}
          autosize
          minRows={1}
        />
        <AlertMetricFields project={project} draft={draft} errors={errors} set={set} fixedMetric={!!alert} />
        <WebhookFields draft={draft} errors={errors} set={set} />
        {alert && <TestSend project={project} alert={alert} dirty={draft.webhookUrl.trim() !== (alert.webhook_url ?? "")} />}
        {save.isError && !(save.error instanceof FormError) && (
          <Notice color="red" title={alert ? "Could not save the alert" : "Could not create the alert"} role="alert">
            {save.error.message}
          </Notice>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {alert ? "Save alert" : "Create alert"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Create or update the alert from the draft; problems found before sending go to `setErrors`. */
function useSaveAlert(
  project: string,
  alert: Alert | undefined,
  draft: AlertDraft,
  { setErrors, onSaved }: { setErrors: (errors: AlertErrors) => void; onSaved: () => void },
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      if (alert) {
        const patch = buildAlertPatch(draft);
        if (!patch.ok) throw new FormError(patch.errors);
        return alertsApi.update(project, alert.name, patch.body);
      }
      const built = buildAlertIn(draft);
      if (!built.ok) throw new FormError(built.errors);
      return alertsApi.create(project, built.body);
    },
    onMutate: () => setErrors({}),
    onError: (e) => e instanceof FormError && setErrors(e.errors),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: alertKeys.all(project) });
      onSaved();
    },
  });
}

function WebhookFields({
  draft,
  errors,
  set,
}: {
  draft: AlertDraft;
  errors: AlertErrors;
  set: (change: Partial<AlertDraft>) => void;
}) {
  return (
    <Group align="flex-start" gap="sm" grow>
      <TextInput
        label="Webhook URL"
        description="Told when the alert fires and when it resolves; empty to only keep the history."
        placeholder="https://hooks.slack.com/services/…"
        value={draft.webhookUrl}
        onChange={(e) => set({ webhookUrl: e.currentTarget.value })}
        error={errors.webhookUrl}
      />
      <Stack gap={4} style={{ flexGrow: 0 }}>
        <Input.Label>Format</Input.Label>
        <SegmentedControl
          aria-label="Webhook format"
          value={draft.webhookFormat}
          onChange={(v) => set({ webhookFormat: v as AlertDraft["webhookFormat"] })}
          data={[
            { value: "json", label: "JSON" },
            { value: "slack", label: "Slack" },
          ]}
        />
      </Stack>
    </Group>
  );
}

/** Send a test notification to the saved webhook and show what it answered. */
function TestSend({ project, alert, dirty }: { project: string; alert: Alert; dirty: boolean }) {
  const test = useMutation({ mutationFn: () => alertsApi.test(project, alert.name) });
  const result = test.data;
  return (
    <Stack gap={6}>
      <Group gap="sm">
        <Button
          variant="default"
          size="xs"
          leftSection={<IconSend size={14} />}
          onClick={() => test.mutate()}
          loading={test.isPending}
          disabled={!alert.webhook_url || dirty}
        >
          Send test
        </Button>
        <Text size="xs" c="dimmed">
          {!alert.webhook_url
            ? "Save a webhook URL first."
            : dirty
              ? "Save the new URL before testing it."
              : `Sends a test message to ${alert.webhook_url}`}
        </Text>
      </Group>
      {test.isError && (
        <Notice color="red" role="alert" title="The test was not sent">
          {test.error.message}
        </Notice>
      )}
      {result && (
        <Notice
          color={result.delivered ? "teal" : "red"}
          title={result.delivered ? "Delivered" : "Not delivered"}
          data-testid="test-result"
        >
          {result.status_code != null && <Text size="sm">The webhook answered HTTP {result.status_code}.</Text>}
          {result.error && <Text size="sm">{result.error}</Text>}
        </Notice>
      )}
    </Stack>
  );
}
