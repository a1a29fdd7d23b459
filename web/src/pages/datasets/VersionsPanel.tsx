import { Badge, Group, Paper, ScrollArea, Stack, Text, Title, UnstyledButton } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";
import { ErrorState, Loading } from "../../components/States";
import { formatAgo, formatCount, formatTime } from "../../format";

/** What a version did, in words: "+2 added, 1 changed". */
export function versionChange(v: Schemas["DatasetVersion"]): string {
  const parts = [
    v.inserted ? `${v.inserted} added` : "",
    v.updated ? `${v.updated} changed` : "",
    v.deleted ? `${v.deleted} deleted` : "",
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : v.version === 0 ? "created" : "no change";
}

/** Every version, newest first; picking one shows the records as they were then. */
export function VersionsPanel({
  project,
  dataset,
  selected,
  onSelect,
}: {
  project: string;
  dataset: string;
  /** The version shown (the latest when undefined). */
  selected: number | undefined;
  onSelect: (version: number, latest: boolean) => void;
}) {
  const versions = useQuery({
    queryKey: ["datasets", project, dataset, "versions"],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/datasets/{name}/versions", {
          params: { path: { project, name: dataset } },
        }),
      ),
  });
  const list = [...(versions.data ?? [])].reverse();
  const latest = list[0]?.version;
  const current = selected ?? latest;
  return (
    <Paper withBorder p="sm" component="aside" aria-label="Versions" w={280} miw={280}>
      <Title order={5} mb="xs">
        Versions
      </Title>
      {versions.isPending && <Loading what="versions" />}
      {versions.isError && <ErrorState error={versions.error} what="the versions" />}
      <ScrollArea.Autosize mah="calc(100vh - 220px)" type="auto">
        <Stack gap={4}>
          {list.map((v) => {
            const active = v.version === current;
            return (
              <UnstyledButton
                key={v.version}
                aria-current={active ? "true" : undefined}
                data-testid={`version-${v.version}`}
                onClick={() => onSelect(v.version, v.version === latest)}
                p="xs"
                style={{
                  borderRadius: "var(--mantine-radius-sm)",
                  background: active ? "var(--mantine-color-indigo-light)" : undefined,
                }}
              >
                <Group justify="space-between" gap="xs" wrap="nowrap">
                  <Text fw={600} size="sm">
                    Version {v.version}
                  </Text>
                  {v.version === latest && (
                    <Badge size="xs" variant="light">
                      latest
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed" title={formatTime(v.created_at)}>
                  {formatAgo(v.created_at)} · {versionChange(v)}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatCount(v.record_count)} {v.record_count === 1 ? "record" : "records"}
                </Text>
              </UnstyledButton>
            );
          })}
        </Stack>
      </ScrollArea.Autosize>
    </Paper>
  );
}
