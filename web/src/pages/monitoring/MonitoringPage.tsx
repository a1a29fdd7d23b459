import { Alert, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { useParams, useSearchParams } from "react-router-dom";

import { api, unwrap } from "../../api/client";
import { EmptyState, ErrorState, FirstTrace, Loading } from "../../components/States";
import { formatCost, formatCount, formatPercent } from "../../format";
import { MonitoringCharts } from "./MonitoringCharts";
import { RangePicker, type RangeChange } from "./RangePicker";
import { bucketLabel, readRangeParams, resolveRange, tickFormat } from "./range";
import { hasData, toSeriesData, type SeriesData } from "./seriesData";

const nowSeconds = () => Date.now() / 1000;
const when = (seconds: number) => dayjs(seconds * 1000).format("MMM D HH:mm");

/** Charts of a project's production traffic over a time range held in the URL. */
export function MonitoringPage() {
  const { project = "" } = useParams();
  const [search, setSearch] = useSearchParams();
  const params = readRangeParams(search);
  const [now, setNow] = useState(nowSeconds);
  useEffect(() => {
    if (params.range === "custom") return;
    const timer = window.setInterval(() => setNow(nowSeconds()), 60_000);
    return () => window.clearInterval(timer);
  }, [params.range]);
  const range = resolveRange(params, now);
  const series = useQuery({
    queryKey: ["series", project, range.start, range.end, range.bucket],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/series", {
          params: {
            path: { project },
            query: {
              start: String(range.start),
              end: String(range.end),
              bucket: String(range.bucket),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const change = (next: RangeChange) => {
    const updated = new URLSearchParams(search);
    for (const [key, value] of Object.entries(next)) {
      if (value === null || value === undefined) updated.delete(key);
      else updated.set(key, value);
    }
    setSearch(updated, { replace: true });
  };
  const format = tickFormat(range.bucket, range.end - range.start);
  const data = series.data
    ? toSeriesData(series.data, (t) => dayjs(t).format(format))
    : undefined;
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>Monitoring</Title>
          <Text size="sm" c="dimmed">
            Production traces of {project} from {when(range.start)} to {when(range.end)}, per{" "}
            {bucketLabel(range.bucket)}.
          </Text>
        </Stack>
        <RangePicker
          params={params}
          resolved={range}
          fetching={series.isFetching}
          onChange={change}
          onRefresh={() => {
            setNow(nowSeconds());
            void series.refetch();
          }}
        />
      </Group>
      {range.problem && (
        <Alert color="yellow" title="Showing the last 24 hours instead">
          {range.problem}
        </Alert>
      )}
      {series.isPending ? (
        <Loading what="the charts" />
      ) : series.isError ? (
        <ErrorState error={series.error} what="the monitoring series" />
      ) : data && hasData(data) ? (
        <>
          <Totals data={data} />
          <MonitoringCharts data={data} bucket={bucketLabel(range.bucket)} />
        </>
      ) : (
        <NothingInRange project={project} />
      )}
    </Stack>
  );
}

function Totals({ data }: { data: SeriesData }) {
  const { traces, errors, tokens, cost } = data.totals;
  const stats = [
    { label: "Traces", value: formatCount(traces) },
    { label: "Error rate", value: formatPercent(traces ? errors / traces : null) },
    { label: "Tokens", value: formatCount(tokens) },
    { label: "Cost", value: formatCost(cost) },
  ];
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
      {stats.map((s) => (
        <Paper key={s.label} withBorder p="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {s.label}
          </Text>
          <Text size="xl" fw={700} data-testid={`total-${s.label.toLowerCase().replace(" ", "-")}`}>
            {s.value}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** No traces and no scores in the range: a longer range, or a first trace when there is none. */
function NothingInRange({ project }: { project: string }) {
  const projects = useQuery({
    queryKey: ["projects"],
    queryFn: () => unwrap(api.GET("/api/v1/projects")),
  });
  const info = projects.data?.find((p) => p.name === project);
  const latest = info?.last_trace_at;
  if (info && info.trace_count === 0) {
    return (
      <EmptyState title="No traces yet">
        <FirstTrace project={project} />
      </EmptyState>
    );
  }
  return (
    <EmptyState title="Nothing in this time range">
      <Text c="dimmed" size="sm" ta="center" maw={520}>
        No production traces started and no scores were given in this range
        {latest ? ` (the latest trace is from ${dayjs(latest).fromNow()})` : ""}.
        Pick a longer range above. Experiment runs are not counted here; see Experiments.
      </Text>
    </EmptyState>
  );
}
