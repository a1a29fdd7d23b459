import { Paper, Stack, Table, Text, Title, Tooltip } from "@mantine/core";

import { formatPercent } from "../../format";
import { columnTotals, rowTotals, shadeCell } from "./agreementFormat";

/** Rows: what people said; columns: what the judge said. Agreement on the diagonal, in teal. */
export function ConfusionMatrix({ labels, confusion }: { labels: string[]; confusion: number[][] }) {
  const rows = rowTotals(confusion);
  const columns = columnTotals(confusion);
  return (
    <Paper withBorder p="md" component="section" aria-label="Confusion matrix">
      <Stack gap="xs">
        <Title order={5}>Confusion matrix</Title>
        <Text size="xs" c="dimmed">
          Each row is what people said, each column what the judge said. The diagonal (teal) is where
          they agree; red cells are where the judge got it wrong, deeper for more of the row.
        </Text>
        <Table withTableBorder withColumnBorders data-testid="confusion-matrix" style={{ tableLayout: "fixed" }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th style={{ width: 150 }}>
                <Text size="xs" c="dimmed">
                  Person ↓ · Judge →
                </Text>
              </Table.Th>
              {labels.map((label) => (
                <Table.Th key={label} ta="center">
                  {label}
                </Table.Th>
              ))}
              <Table.Th ta="right" style={{ width: 80 }}>
                Total
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {labels.map((human, i) => (
              <Table.Tr key={human}>
                <Table.Th>{human}</Table.Th>
                {labels.map((judge, j) => {
                  const count = confusion[i]?.[j] ?? 0;
                  const shade = shadeCell(count, rows[i] ?? 0, i === j);
                  return (
                    <Tooltip
                      key={judge}
                      label={`People said “${human}”, the judge said “${judge}”: ${count} (${formatPercent(shade.share, 0)} of the row)`}
                    >
                      <Table.Td
                        ta="center"
                        fw={count ? 600 : 400}
                        style={{ background: shade.background, color: shade.color }}
                        data-testid={`cell-${i}-${j}`}
                      >
                        {count}
                      </Table.Td>
                    </Tooltip>
                  );
                })}
                <Table.Td ta="right" c="dimmed">
                  {rows[i]}
                </Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Th>
                <Text size="sm" c="dimmed">
                  Total
                </Text>
              </Table.Th>
              {columns.map((total, j) => (
                <Table.Td key={j} ta="center" c="dimmed">
                  {total}
                </Table.Td>
              ))}
              <Table.Td />
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}
