import { Badge, Button, CloseButton, Group, Stack, Text, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useParams, useSearchParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatCount } from "../../format";
import { jobKeys, jobsApi, type JobQuery, type JobStatus } from "./jobsApi";
import { JobsTable } from "./JobsTable";
import { JOB_STATUSES } from "./jobText";

const PAGE = 50;
const REFRESH_MS = 3000;

/** The project's job queue: counts per status, the jobs newest first, retry and cancel. */
export function JobsPage() {
  const { project = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const status = readStatus(params.get("status"));
  const rule = params.get("rule") || undefined;
  const kind = params.get("kind") || undefined;
  const query: JobQuery = { status, rule, kind, limit: PAGE };
  const jobs = useInfiniteQuery({
    queryKey: jobKeys.list(project, query),
    queryFn: ({ pageParam }) => jobsApi.list(project, { ...query, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
    refetchInterval: REFRESH_MS,
  });
  const set = (key: string, value: string | null) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  const counts = jobs.data?.pages[0]?.counts ?? {};
  const items = jobs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <div>
        <Title order={2}>Jobs</Title>
        <Text c="dimmed" size="sm">
          Background work: scoring by online rules, backfills, alert checks and webhooks. A job that
          fails is retried with backoff; after its last attempt it is dead and waits here for you.
        </Text>
      </div>
      <Group justify="space-between">
        <StatusFilter status={status} counts={counts} onChange={(s) => set("status", s ?? null)} />
        <Group gap="xs">
          {rule && <FilterChip label={`rule ${rule}`} onClear={() => set("rule", null)} />}
          {kind && <FilterChip label={`kind ${kind}`} onClear={() => set("kind", null)} />}
        </Group>
      </Group>
      {jobs.isPending && <Loading what="the jobs" />}
      {jobs.isError && <ErrorState error={jobs.error} what="the jobs" />}
      {jobs.isSuccess && items.length === 0 && (
        <EmptyState title={status ? `No ${status} jobs` : "No jobs yet"}>
          <Text c="dimmed" size="sm" maw={520} ta="center">
            Jobs appear when an online rule scores new spans, when a backfill starts, and when alerts
            are checked.
          </Text>
        </EmptyState>
      )}
      {items.length > 0 && <JobsTable project={project} jobs={items} showRule={!rule} />}
      {jobs.hasNextPage && (
        <Button variant="default" onClick={() => jobs.fetchNextPage()} loading={jobs.isFetchingNextPage} w="fit-content">
          Load older jobs
        </Button>
      )}
    </Stack>
  );
}

function readStatus(raw: string | null): JobStatus | undefined {
  return JOB_STATUSES.includes(raw as JobStatus) ? (raw as JobStatus) : undefined;
}

function StatusFilter({
  status,
  counts,
  onChange,
}: {
  status: JobStatus | undefined;
  counts: Record<string, number>;
  onChange: (status: JobStatus | undefined) => void;
}) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const choices: { value: JobStatus | undefined; name: string; n: number }[] = [
    { value: undefined, name: "all", n: total },
    ...JOB_STATUSES.map((s) => ({ value: s, name: s, n: counts[s] ?? 0 })),
  ];
  return (
    <Button.Group aria-label="Status">
      {choices.map((c) => {
        const active = c.value === status;
        const alarm = c.value === "dead" && c.n > 0;
        return (
          <Button
            key={c.name}
            variant={active ? "filled" : "default"}
            aria-pressed={active}
            onClick={() => onChange(c.value)}
            rightSection={
              <Badge
                size="sm"
                variant={alarm ? "filled" : active ? "white" : "light"}
                color={alarm ? "red" : "gray"}
                data-testid={`count-${c.name}`}
              >
                {formatCount(c.n)}
              </Badge>
            }
          >
            {c.name}
          </Button>
        );
      })}
    </Button.Group>
  );
}

function FilterChip({ label, onClear }: { label: string; onClear: () => void }) {
  return (
    <Badge
      variant="light"
      size="lg"
      tt="none"
      rightSection={<CloseButton size="xs" aria-label={`Clear ${label}`} onClick={onClear} />}
    >
      {label}
    </Badge>
  );
}
