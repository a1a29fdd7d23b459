import { Alert, Button, Checkbox, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useParams } from "react-router-dom";

import { ErrorState, Loading } from "../../components/States";
import { authApi, authKeys, type ProjectSettings } from "../auth/authApi";
import { useCan } from "../auth/useAuth";
import { checkRetention, draftFrom, retentionText, type RetentionDraft } from "./retention";

/** The project's settings: for now, how long its traces are kept. */
export function ProjectSettingsPage() {
  const { project = "" } = useParams();
  const settings = useQuery({
    queryKey: authKeys.settings(project),
    queryFn: () => authApi.getSettings(project),
  });
  return (
    <Stack maw={720}>
      <Stack gap={0}>
        <Title order={2}>Project settings</Title>
        <Text c="dimmed" size="sm">
          Settings of {project}; every change is written to the audit log.
        </Text>
      </Stack>
      {settings.isPending && <Loading what="the settings" />}
      {settings.isError && <ErrorState error={settings.error} what="the settings" />}
      {settings.isSuccess && (
        <RetentionForm key={project} project={project} saved={settings.data} />
      )}
    </Stack>
  );
}

function RetentionForm({ project, saved }: { project: string; saved: ProjectSettings }) {
  const client = useQueryClient();
  const canEdit = useCan(project, "admin");
  const [draft, setDraft] = useState<RetentionDraft>(() => draftFrom(saved.retention_days));
  const [invalid, setInvalid] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (retentionDays: number | null) => authApi.updateSettings(project, { retention_days: retentionDays }),
    onSuccess: (next) => client.setQueryData(authKeys.settings(project), next),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkRetention(draft);
    setInvalid(checked.ok ? null : checked.error);
    if (checked.ok) save.mutate(checked.value);
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Title order={4}>Data retention</Title>
        <Text size="sm" data-testid="retention-now">
          {retentionText(saved.retention_days)}
        </Text>
        <Checkbox
          label="Keep traces forever"
          checked={draft.keepForever}
          disabled={!canEdit}
          onChange={(e) => setDraft({ ...draft, keepForever: e.currentTarget.checked })}
        />
        {!draft.keepForever && (
          <TextInput
            label="Delete traces older than (days)"
            inputMode="numeric"
            w={260}
            disabled={!canEdit}
            error={invalid}
            value={draft.days}
            onChange={(e) => setDraft({ ...draft, days: e.currentTarget.value })}
          />
        )}
        {save.isError && (
          <Alert color="red" role="alert" title="Could not save">
            {save.error.message}
          </Alert>
        )}
        {canEdit && (
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
            {save.isSuccess && <Text size="sm" c="teal">Saved.</Text>}
          </Group>
        )}
      </Stack>
    </form>
  );
}
