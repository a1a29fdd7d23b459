import { Paper, Stack, Table, Text, Title } from "@mantine/core";

import type { Schemas } from "../../api/client";
import { formatFigure, formatInterval, type Estimate } from "./agreementFormat";

/** Precision, recall and F1 of each label, taking the people's label as the truth. */
export function PerClassTable({ rows }: { rows: Schemas["ClassAgreement"][] }) {
  return (
    <Paper withBorder p="md" component="section" aria-label="Per label">
      <Stack gap="xs">
        <Title order={5}>Per label</Title>
        <Text size="xs" c="dimmed">
          Precision: when the judge gives the label, how often people agree. Recall: of the items
          people gave the label, how many the judge found.
        </Text>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Label</Table.Th>
              <Table.Th ta="right">People gave it</Table.Th>
              <Table.Th ta="right">Precision</Table.Th>
              <Table.Th ta="right">Recall</Table.Th>
              <Table.Th ta="right">F1</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.label}>
                <Table.Td>{row.label}</Table.Td>
                <Table.Td ta="right">{row.support}</Table.Td>
                <FigureCell estimate={row.precision} />
                <FigureCell estimate={row.recall} />
                <FigureCell estimate={row.f1} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

function FigureCell({ estimate }: { estimate: Estimate | undefined }) {
  const interval = formatInterval(estimate);
  return (
    <Table.Td ta="right">
      <Text size="sm">{formatFigure(estimate?.value)}</Text>
      {interval && (
        <Text size="xs" c="dimmed">
          {interval}
        </Text>
      )}
    </Table.Td>
  );
}
