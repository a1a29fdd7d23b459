import { Anchor, Badge, Button, Group, Modal, Stack, Switch, Table, Text, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo } from "../../format";
import { reviewApi, reviewKeys } from "../queues/reviewApi";
import type { ScoreConfig } from "../queues/reviewTypes";
import { useCan } from "../auth/useAuth";
import { describeScale, draftFromConfig, emptyDraft, toConfigIn, toConfigPatch, type ConfigDraft } from "./configForm";
import { ScoreConfigForm } from "./ScoreConfigForm";

/** The project's rubrics: what people (and judges of the same name) score, and on what scale. */
export function ScoreConfigsPage() {
  const { project = "" } = useParams();
  const canWrite = useCan(project, "engineer");
  const [archived, setArchived] = useState(false);
  const [editing, setEditing] = useState<ScoreConfig | "new" | null>(null);
  const configs = useQuery({
    queryKey: [...reviewKeys.configs(project), archived],
    queryFn: () => reviewApi.listConfigs(project, archived),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>Score configs</Title>
          <Text c="dimmed" size="sm">
            The rubrics reviewers score with. A review queue asks for one or more of them.
          </Text>
        </Stack>
        <Group>
          <Switch label="Show archived" checked={archived} onChange={(e) => setArchived(e.currentTarget.checked)} />
          {canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing("new")}>
              New score config
            </Button>
          )}
        </Group>
      </Group>
      {configs.isPending && <Loading what="the score configs" />}
      {configs.isError && <ErrorState error={configs.error} what="the score configs" />}
      {configs.isSuccess && configs.data.length === 0 && (
        <EmptyState title="No score configs yet">
          <Text c="dimmed" maw={560} ta="center">
            A score config says what reviewers judge and how: labels such as <i>correct / partly / wrong</i>, a
            number from 1 to 5, yes or no, or a free-text note. Create one, then a{" "}
            <Anchor component={Link} to={`/projects/${encodeURIComponent(project)}/queues`}>
              review queue
            </Anchor>{" "}
            that uses it.
          </Text>
          {canWrite && <Button onClick={() => setEditing("new")}>Create the first config</Button>}
        </EmptyState>
      )}
      {configs.isSuccess && configs.data.length > 0 && (
        <ConfigTable project={project} configs={configs.data} onEdit={canWrite ? setEditing : undefined} />
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? "New score config" : `Edit ${editing?.name ?? ""}`}
        size="xl"
      >
        {editing !== null && <ConfigEditor project={project} config={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}

function ConfigTable({
  project,
  configs,
  onEdit,
}: {
  project: string;
  configs: ScoreConfig[];
  /** Absent when the caller may not change configs: no edit or archive then. */
  onEdit?: (config: ScoreConfig) => void;
}) {
  const client = useQueryClient();
  const archive = useMutation({
    mutationFn: (c: ScoreConfig) => reviewApi.updateConfig(project, c.name, { archived: !c.archived }),
    onSuccess: () => client.invalidateQueries({ queryKey: reviewKeys.configs(project) }),
  });
  return (
    <Table withTableBorder highlightOnHover verticalSpacing="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Kind</Table.Th>
          <Table.Th>Scale</Table.Th>
          <Table.Th>Description</Table.Th>
          <Table.Th>Changed</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {configs.map((c) => (
          <Table.Tr key={c.id} data-testid="score-config-row">
            <Table.Td>
              <Group gap="xs">
                <Text fw={600}>{c.name}</Text>
                {c.archived && (
                  <Badge color="gray" variant="light">
                    archived
                  </Badge>
                )}
              </Group>
            </Table.Td>
            <Table.Td>{c.kind}</Table.Td>
            <Table.Td>{describeScale(c)}</Table.Td>
            <Table.Td maw={360}>
              <Text size="sm" lineClamp={2}>
                {c.description || "—"}
              </Text>
            </Table.Td>
            <Table.Td>{formatAgo(c.updated_at)}</Table.Td>
            <Table.Td>
              {onEdit && (
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="xs" variant="default" onClick={() => onEdit(c)}>
                    Edit
                  </Button>
                  <Button
                    size="xs"
                    variant="subtle"
                    color={c.archived ? "teal" : "gray"}
                    loading={archive.isPending && archive.variables?.id === c.id}
                    onClick={() => archive.mutate(c)}
                  >
                    {c.archived ? "Restore" : "Archive"}
                  </Button>
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ConfigEditor({ project, config, onDone }: { project: string; config: ScoreConfig | "new"; onDone: () => void }) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: async (draft: ConfigDraft) => {
      if (config === "new") {
        const checked = toConfigIn(draft);
        if (!checked.ok) throw new Error(Object.values(checked.errors)[0]);
        return reviewApi.createConfig(project, checked.value);
      }
      const checked = toConfigPatch(draft);
      if (!checked.ok) throw new Error(Object.values(checked.errors)[0]);
      return reviewApi.updateConfig(project, config.name, checked.value);
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: reviewKeys.configs(project) });
      onDone();
    },
  });
  return (
    <ScoreConfigForm
      initial={config === "new" ? emptyDraft() : draftFromConfig(config)}
      editing={config !== "new"}
      saving={save.isPending}
      serverError={save.isError ? save.error.message : null}
      onSubmit={(draft) => save.mutate(draft)}
      onCancel={onDone}
    />
  );
}
