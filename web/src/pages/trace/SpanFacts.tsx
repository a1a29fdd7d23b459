import { Group, Table, Text } from "@mantine/core";

import { formatCost, formatCount, formatTime } from "../../format";
import { formatMs } from "./time";
import { Fact } from "./Bits";
import type { IndexedSpan } from "./traceModel";

/** Metrics the facts row shows by name; any other metric goes to the table below it. */
const KNOWN = new Set(["prompt_tokens", "completion_tokens", "total_tokens", "cost", "time_to_first_token"]);

/** Duration, offset in the trace, model, tokens, cost and time to first token of a span. */
export function SpanFacts({ item, traceStartMs }: { item: IndexedSpan; traceStartMs: number }) {
  const { span } = item;
  const m = span.metrics ?? {};
  const tokens = m.total_tokens ?? (m.prompt_tokens ?? 0) + (m.completion_tokens ?? 0);
  return (
    <Group gap="xl" data-testid="span-facts">
      <Fact label="Duration">{span.open ? "still running" : formatMs(span.duration_ms)}</Fact>
      <Fact label="Started">
        <span title={formatTime(span.start_time)}>+{formatMs(item.startMs - traceStartMs)}</span>
      </Fact>
      {span.model && <Fact label="Model">{span.model}</Fact>}
      {tokens > 0 && (
        <Fact label="Tokens">
          {formatCount(tokens)}
          {m.prompt_tokens !== undefined && (
            <Text span size="xs" c="dimmed">
              {" "}
              ({formatCount(m.prompt_tokens)} in, {formatCount(m.completion_tokens ?? 0)} out)
            </Text>
          )}
        </Fact>
      )}
      {m.cost !== undefined && <Fact label="Cost">{formatCost(m.cost)}</Fact>}
      {m.time_to_first_token !== undefined && (
        <Fact label="Time to first token">{formatMs(m.time_to_first_token * 1000)}</Fact>
      )}
    </Group>
  );
}

/** Metrics beyond the usual ones (cache tokens, custom numbers) as name/value rows. */
export function otherMetrics(metrics: Record<string, number>): [string, string][] {
  return Object.entries(metrics)
    .filter(([k]) => !KNOWN.has(k))
    .map(([k, v]) => [k, v.toLocaleString("en-US")]);
}

/** A small two-column table of names and values. */
export function KeyValues({ rows }: { rows: [string, string][] }) {
  return (
    <Table withRowBorders={false} verticalSpacing={2} fz="sm" w="auto">
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Td c="dimmed" pl={0} style={{ whiteSpace: "nowrap", verticalAlign: "top" }}>
              {k}
            </Table.Td>
            <Table.Td style={{ overflowWrap: "anywhere" }}>{v}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
