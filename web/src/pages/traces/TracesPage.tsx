import { Button, Group, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useParams } from "react-router-dom";

import { api, unwrap } from "../../api/client";
import { EmptyState, ErrorState, FirstTrace, Loading } from "../../components/States";
import { useCan } from "../auth/useAuth";
import { AddAllToDatasetModal } from "./AddAllToDatasetModal";
import { activeChips, clearAll } from "./chips";
import { FilterBar, LiveSwitch } from "./FilterBar";
import { FilterChips } from "./FilterChips";
import { FilterDrawer } from "./FilterDrawer";
import { TracesTable } from "./TracesTable";
import { useLiveTraces } from "./useLiveTraces";
import { useTraceFilters } from "./useTraceFilters";
import { useTraceList, type TraceSummary } from "./useTraceList";

/** The traces of a project: filters in the URL, a virtual table loaded page by page, live mode. */
export function TracesPage() {
  const project = useParams().project ?? "";
  const canAdd = useCan(project, "annotator");
  const { filters, setFilters, live, setLive } = useTraceFilters();
  const [drawerOpen, drawer] = useDisclosure(false);
  const [addAllOpen, addAll] = useDisclosure(false);
  const experiments = useQuery({
    queryKey: ["experiments", project],
    queryFn: () =>
      unwrap(api.GET("/api/v1/projects/{project}/experiments", { params: { path: { project } } })),
  });
  const experimentName = useCallback(
    (id: string) => experiments.data?.find((e) => e.id === id)?.name ?? id,
    [experiments.data],
  );
  const list = useTraceList(project, filters);
  const loaded = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const { fresh, highlighted } = useLiveTraces({
    project,
    filters,
    enabled: live && list.isSuccess,
    loaded,
  });
  const rows = useMemo(() => withoutRepeats([...fresh, ...loaded]), [fresh, loaded]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const filtered = activeChips(filters).length > 0;

  let content;
  if (list.isPending) {
    content = <Loading what="traces" />;
  } else if (list.isError) {
    content = <ErrorState error={list.error} what="the traces" />;
  } else if (rows.length === 0) {
    content = filtered ? (
      <EmptyState title="No traces match these filters">
        <Text c="dimmed" size="sm">
          Loosen or remove a filter above{live ? ", or wait: live mode shows new traces here" : ""}.
        </Text>
        <Button variant="light" onClick={() => setFilters(clearAll(filters))}>
          Clear filters
        </Button>
      </EmptyState>
    ) : (
      <EmptyState title={`No traces in ${project} yet`}>
        <FirstTrace project={project} />
        <Text c="dimmed" size="sm">
          {live
            ? "Live mode is on: they will appear here as they arrive."
            : "Then reload, or turn on Live."}
        </Text>
      </EmptyState>
    );
  } else {
    content = (
      <TracesTable
        project={project}
        rows={rows}
        highlighted={highlighted}
        sort={filters.sort}
        onSort={(sort) => setFilters({ ...filters, sort })}
        hasMore={hasNextPage}
        loadingMore={isFetchingNextPage}
        loadMore={loadMore}
      />
    );
  }

  return (
    <Stack
      gap="sm"
      h="calc(100dvh - var(--app-shell-header-offset, 52px) - 2 * var(--mantine-spacing-md))"
    >
      <Group justify="space-between" align="baseline">
        <Title order={2}>Traces</Title>
        <Group gap="md">
          {canAdd && (
            <Button variant="default" size="xs" onClick={addAll.open} disabled={rows.length === 0}>
              Add all to dataset
            </Button>
          )}
          <LiveSwitch live={live} onLive={setLive} />
        </Group>
      </Group>
      <FilterBar
        filters={filters}
        onChange={setFilters}
        experiments={experiments.data ?? []}
        onMoreFilters={drawer.open}
      />
      <FilterChips filters={filters} onChange={setFilters} experimentName={experimentName} />
      {content}
      <AddAllToDatasetModal
        project={project}
        filters={filters}
        opened={addAllOpen}
        onClose={addAll.close}
      />
      <FilterDrawer
        opened={drawerOpen}
        onClose={drawer.close}
        filters={filters}
        onApply={setFilters}
      />
    </Stack>
  );
}

/** The rows in order, each trace once (a live arrival may also be in a reloaded page). */
function withoutRepeats(rows: TraceSummary[]): TraceSummary[] {
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.trace_id) && Boolean(seen.add(row.trace_id)));
}
