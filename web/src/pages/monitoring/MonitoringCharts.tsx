import { BarChart, LineChart } from "@mantine/charts";
import { Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useId, type ReactNode } from "react";

import { formatCost, formatCount, formatDuration } from "../../format";
import type { SeriesData } from "./seriesData";

const HEIGHT = 220;
const DOTS = { r: 3, strokeWidth: 1 };

/** One chart with its title; a labelled region so people (and tests) can find it by name. */
function ChartCard({
  title,
  hint,
  children,
}: {
  title: string;
  hint: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Stack gap={4}>
        <Title order={5} id={id}>
          {title}
        </Title>
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
        {children}
      </Stack>
    </Paper>
  );
}

const percent = (v: number) => `${Number(v.toFixed(1))}%`;
const score = (v: number) => v.toFixed(2);
/** Like formatDuration, with decimals below 10 ms so fast traces do not all read "0 ms". */
const latency = (ms: number) =>
  ms < 10 ? `${Number(ms.toFixed(ms < 1 ? 2 : 1))} ms` : formatDuration(ms);

/** Traces, error rate, latency, tokens, cost and the mean of each score, per bucket. */
export function MonitoringCharts({ data, bucket }: { data: SeriesData; bucket: string }) {
  const { rows } = data;
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <ChartCard title="Traces" hint={`Traces started per ${bucket}.`}>
        <BarChart
          h={HEIGHT}
          data={rows}
          dataKey="time"
          series={[{ name: "traces", label: "Traces", color: "indigo.6" }]}
          valueFormatter={formatCount}
        />
      </ChartCard>
      <ChartCard title="Error rate" hint="Share of traces that ended in an error.">
        <LineChart
          h={HEIGHT}
          data={rows}
          dataKey="time"
          series={[{ name: "errorRate", label: "Error rate", color: "red.6" }]}
          valueFormatter={percent}
          connectNulls={false}
          dotProps={DOTS}
        />
      </ChartCard>
      <ChartCard title="Latency" hint="Median (p50) and 95th percentile (p95) of trace duration.">
        <LineChart
          h={HEIGHT}
          data={rows}
          dataKey="time"
          series={[
            { name: "p50", label: "p50", color: "teal.6" },
            { name: "p95", label: "p95", color: "orange.6" },
          ]}
          valueFormatter={latency}
          connectNulls={false}
          dotProps={DOTS}
          withLegend
        />
      </ChartCard>
      <ChartCard title="Tokens" hint="Prompt and completion tokens of the traces' model calls.">
        <BarChart
          h={HEIGHT}
          data={rows}
          dataKey="time"
          type="stacked"
          series={[
            { name: "prompt", label: "Prompt", color: "blue.5" },
            { name: "completion", label: "Completion", color: "cyan.4" },
          ]}
          valueFormatter={formatCount}
          withLegend
        />
      </ChartCard>
      <ChartCard title="Cost" hint="Model spend of the traces, in US dollars.">
        <BarChart
          h={HEIGHT}
          data={rows}
          dataKey="time"
          series={[{ name: "cost", label: "Cost", color: "grape.6" }]}
          valueFormatter={formatCost}
        />
      </ChartCard>
      <ChartCard
        title="Scores"
        hint="Mean of each score given to production traces (by judges, reviewers or code), 0 to 1."
      >
        {data.scores.length === 0 ? (
          <Text size="sm" c="dimmed" h={HEIGHT} pt="xl" ta="center">
            No scores were given in this range. Online judges, human reviews and scores sent to
            the API appear here.
          </Text>
        ) : (
          <LineChart
            h={HEIGHT}
            data={data.scoreRows}
            dataKey="time"
            series={data.scores.map((s, i) => ({
              name: s.key,
              label: s.name,
              color: SCORE_COLORS[i % SCORE_COLORS.length],
            }))}
            yAxisProps={{ domain: [0, 1] }}
            valueFormatter={score}
            connectNulls={false}
            dotProps={DOTS}
            withLegend
          />
        )}
      </ChartCard>
    </SimpleGrid>
  );
}

const SCORE_COLORS = ["violet.6", "green.6", "pink.6", "yellow.7", "blue.7", "lime.7", "gray.7"];
