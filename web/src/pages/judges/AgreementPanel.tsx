import { Alert, List, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle } from "@tabler/icons-react";

import type { Schemas } from "../../api/client";
import { formatCount } from "../../format";
import { AgreementChart } from "./AgreementChart";
import {
  formatFigure,
  formatInterval,
  isWorse,
  kappaWords,
  METRIC_HINTS,
  METRIC_LABELS,
  metricsFor,
  type Metric,
} from "./agreementFormat";
import { ConfusionMatrix } from "./ConfusionMatrix";
import { PerClassTable } from "./PerClassTable";

type Agreement = Schemas["JudgeAgreement"];

/** The figures of a judge against people: flag, warnings, metrics, matrix, per label, per week. */
export function AgreementPanel({ agreement }: { agreement: Agreement }) {
  const a = agreement;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" data-testid="agreement-summary">
        {formatCount(a.n)} {a.n === 1 ? "item" : "items"} scored by both the judge
        {a.version == null ? " (any version)" : ` (version ${a.version})`} and a person (human scores
        named “{a.human}”), compared on their {a.kind === "categorical" ? "labels" : "values"}.
        {a.dropped ? ` ${formatCount(a.dropped)} left out for lack of a comparable value.` : ""}
      </Text>
      <Verdict agreement={a} />
      {(a.warnings ?? []).length > 0 && (
        <Alert color="yellow" icon={<IconInfoCircle size={18} />} title="Read with care">
          <List size="sm">
            {(a.warnings ?? []).map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: a.kind === "categorical" ? 5 : 3 }} spacing="sm">
        {metricsFor(a.kind).map((m) => (
          <MetricCard key={m} metric={m} estimate={a.metrics?.[m]} agreement={a} />
        ))}
      </SimpleGrid>
      {a.kind === "categorical" && (a.labels ?? []).length > 0 && (
        <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
          <ConfusionMatrix labels={a.labels ?? []} confusion={a.confusion ?? []} />
          <PerClassTable rows={a.per_class ?? []} />
        </SimpleGrid>
      )}
      <AgreementChart agreement={a} />
    </Stack>
  );
}

function Verdict({ agreement }: { agreement: Agreement }) {
  if (agreement.n === 0) {
    return (
      <Alert color="gray" icon={<IconInfoCircle size={18} />} title="No items to compare yet">
        Agreement needs items scored by both the judge and a person. Let people label some of the
        traces the judge scored (a review queue, or scores with source “human” named “{agreement.human}”).
      </Alert>
    );
  }
  if (agreement.diverging) {
    return (
      <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Diverging: do not trust this judge blindly" data-testid="diverging-alert">
        <List size="sm">
          {(agreement.diverging_reasons ?? []).map((r) => (
            <List.Item key={r}>{r}</List.Item>
          ))}
        </List>
      </Alert>
    );
  }
  if (agreement.threshold == null) return null;
  return (
    <Alert color="teal" icon={<IconCircleCheck size={18} />} title="Within its threshold">
      {METRIC_LABELS[agreement.threshold_metric]} stays {agreement.threshold_metric === "mae" ? "under" : "above"}{" "}
      {agreement.threshold}, and did not drop significantly in the latest week.
    </Alert>
  );
}

function MetricCard({
  metric,
  estimate,
  agreement,
}: {
  metric: Metric;
  estimate: Schemas["Estimate"] | undefined;
  agreement: Agreement;
}) {
  const value = estimate?.value;
  const interval = formatInterval(estimate);
  const flagged =
    metric === agreement.threshold_metric &&
    agreement.threshold != null &&
    value != null &&
    isWorse(value, agreement.threshold, metric);
  const words = metric === "cohen_kappa" ? kappaWords(value) : null;
  return (
    <Paper withBorder p="sm" aria-label={METRIC_LABELS[metric]} data-testid={`metric-${metric}`}>
      <Stack gap={2}>
        <Title order={6} c="dimmed" title={METRIC_HINTS[metric]}>
          {METRIC_LABELS[metric]}
        </Title>
        <Text size="xl" fw={700} c={flagged ? "red.7" : undefined}>
          {formatFigure(value)}
        </Text>
        <Text size="xs" c="dimmed">
          {interval ? `95% CI ${interval}` : "no interval"}
        </Text>
        {words && <Text size="xs">{words}</Text>}
        {metric === agreement.threshold_metric && agreement.threshold != null && (
          <Text size="xs" c={flagged ? "red.7" : "dimmed"}>
            threshold {agreement.threshold}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
