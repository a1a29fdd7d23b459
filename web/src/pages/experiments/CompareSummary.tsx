import { Badge, Group, Stack, Table, Text } from "@mantine/core";
import { Fragment } from "react";

import type { Schemas } from "../../api/client";
import { scorerNames } from "./compareModel";
import { Delta } from "./Delta";
import { formatScore, formatSigned, METRICS } from "./numbers";

type Comparison = Schemas["Comparison"];
type Item = Schemas["ScorerComparison"];
type Kind = "scorers" | "metrics" | "summary_scores";

interface Section {
  title: string;
  kind: Kind;
  names: string[];
  lowerIsBetter: boolean;
}

const METRIC_ORDER = Object.keys(METRICS);

function sections(comparisons: Comparison[]): Section[] {
  const names = (kind: Kind) =>
    [...new Set(comparisons.flatMap((c) => (c[kind] ?? []).map((s) => s.name)))].sort();
  // Metrics no run recorded (e.g. cost without priced models) are left out.
  const metrics = names("metrics").filter((name) =>
    comparisons.some((c) =>
      c.metrics?.some(
        (m) => m.name === name && (m.experiment_mean ?? m.baseline_mean ?? null) !== null,
      ),
    ),
  );
  metrics.sort((a, b) => METRIC_ORDER.indexOf(a) - METRIC_ORDER.indexOf(b));
  const out: Section[] = [
    {
      title: "Scores (higher is better)",
      kind: "scorers",
      names: scorerNames(comparisons),
      lowerIsBetter: false,
    },
    { title: "Per case (lower is better)", kind: "metrics", names: metrics, lowerIsBetter: true },
    {
      title: "Scores of the whole run",
      kind: "summary_scores",
      names: names("summary_scores"),
      lowerIsBetter: false,
    },
  ];
  return out.filter((s) => s.names.length > 0);
}

function formatterOf(kind: Kind, name: string): (v: number) => string {
  if (kind === "metrics" && METRICS[name]) return METRICS[name].format;
  return (v) => formatScore(v);
}

function labelOf(kind: Kind, name: string): string {
  return kind === "metrics" ? (METRICS[name]?.label ?? name) : name;
}

/** Per scorer and metric: each experiment's mean and its difference from the baseline's. */
export function CompareSummary({ comparisons }: { comparisons: Comparison[] }) {
  const baseline = comparisons[0]?.baseline ?? "";
  const all = sections(comparisons);
  const width = 2 + comparisons.length;
  return (
    <Table.ScrollContainer minWidth={420 + 260 * comparisons.length}>
      <Table
        withTableBorder
        verticalSpacing="xs"
        data-testid="compare-summary"
        aria-label="Summary"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={220} />
            <Table.Th>
              <Group gap={6}>
                {baseline}
                <Badge size="xs" variant="light" color="gray">
                  baseline
                </Badge>
              </Group>
            </Table.Th>
            {comparisons.map((c) => (
              <Table.Th key={c.experiment}>{c.experiment}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {all.map((section) => (
            <Fragment key={section.kind}>
              <Table.Tr bg="gray.0">
                <Table.Td colSpan={width}>
                  <Text size="xs" fw={600} c="gray.7" tt="uppercase">
                    {section.title}
                  </Text>
                </Table.Td>
              </Table.Tr>
              {section.names.map((name) => (
                <SummaryRow key={name} section={section} name={name} comparisons={comparisons} />
              ))}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function SummaryRow(props: { section: Section; name: string; comparisons: Comparison[] }) {
  const { section, name, comparisons } = props;
  const items = comparisons.map((c) => (c[section.kind] ?? []).find((s) => s.name === name));
  const base = items.find((i) => i?.baseline_mean !== null && i?.baseline_mean !== undefined);
  const format = formatterOf(section.kind, name);
  const show = (v: number | null | undefined) =>
    v === null || v === undefined ? "—" : format(v);
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={600}>
          {labelOf(section.kind, name)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
          {show(base?.baseline_mean)}
        </Text>
      </Table.Td>
      {items.map((item, i) => (
        <Table.Td key={comparisons[i].experiment}>
          <ItemCell item={item} format={format} show={show} lowerIsBetter={section.lowerIsBetter} />
        </Table.Td>
      ))}
    </Table.Tr>
  );
}

function ItemCell(props: {
  item: Item | undefined;
  format: (v: number) => string;
  show: (v: number | null | undefined) => string;
  lowerIsBetter: boolean;
}) {
  const { item, format, show, lowerIsBetter } = props;
  if (!item) return <Text c="dimmed">—</Text>;
  const hasCi = item.ci_low !== null && item.ci_low !== undefined && item.n_pairs > 1;
  return (
    <Stack gap={2}>
      <Group gap={8} wrap="nowrap">
        <Text size="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
          {show(item.experiment_mean)}
        </Text>
        <Delta
          diff={item.diff}
          ciLow={item.ci_low}
          ciHigh={item.ci_high}
          lowerIsBetter={lowerIsBetter}
          format={format}
        />
      </Group>
      {hasCi && (
        <Text size="xs" c="dimmed" style={{ fontVariantNumeric: "tabular-nums" }}>
          95% CI {formatSigned(item.ci_low, format)} to {formatSigned(item.ci_high, format)}
        </Text>
      )}
      {item.n_pairs > 0 && (
        <Text size="xs" c="dimmed">
          <Text span inherit c={item.improved ? "teal.8" : undefined}>
            {item.improved} better
          </Text>
          {" · "}
          <Text span inherit c={item.regressed ? "red.8" : undefined}>
            {item.regressed} worse
          </Text>
          {` · of ${item.n_pairs.toLocaleString("en-US")} cases`}
        </Text>
      )}
    </Stack>
  );
}
