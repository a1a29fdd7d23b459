import { LineChart } from "@mantine/charts";
import { Paper, Stack, Text, Title } from "@mantine/core";

import type { Schemas } from "../../api/client";
import { METRIC_LABELS, seriesMetrics, seriesRows, type Metric } from "./agreementFormat";

const COLORS = ["indigo.6", "teal.6"];

/** The agreement per ISO week, with the judge's threshold as a line. */
export function AgreementChart({ agreement }: { agreement: Schemas["JudgeAgreement"] }) {
  const metrics: Metric[] = seriesMetrics(agreement.kind, agreement.threshold_metric);
  const rows = seriesRows(agreement.series ?? [], metrics);
  const threshold = agreement.threshold;
  return (
    <Paper withBorder p="md" component="section" aria-label="Agreement per week">
      <Stack gap="xs">
        <Title order={5}>Agreement per week</Title>
        <Text size="xs" c="dimmed">
          By the week the judge scored (weeks start on Monday).{" "}
          {threshold != null && `The dashed line is the threshold (${threshold}).`}
        </Text>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            No weeks yet.
          </Text>
        ) : (
          <LineChart
            h={220}
            data={rows}
            dataKey="week"
            series={metrics.map((m, i) => ({ name: m, label: METRIC_LABELS[m], color: COLORS[i] ?? "gray.6" }))}
            valueFormatter={(v) => v.toFixed(2)}
            connectNulls={false}
            withLegend
            dotProps={{ r: 3, strokeWidth: 1 }}
            referenceLines={
              threshold == null
                ? []
                : [{ y: threshold, label: `threshold ${threshold}`, color: "red.6", strokeDasharray: "5 5", ifOverflow: "extendDomain" }]
            }
          />
        )}
      </Stack>
    </Paper>
  );
}
