import { Anchor, Badge, Button, Spoiler, Stack, Table, Text } from "@mantine/core";
import { IconCheck, IconDatabasePlus, IconExternalLink } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router-dom";

import { EmptyState } from "../../components/States";
import { formatAgo, formatTime } from "../../format";
import { useCan } from "../auth/useAuth";
import { datasetPath } from "../datasets/datasetUrl";
import { verdict } from "./agreementFormat";
import { AddLabelModal, type AddedLabel } from "./AddLabelModal";
import { tracePath } from "./judgeUrl";
import type { Disagreement } from "./labelRecord";

interface Props {
  project: string;
  judge: string;
  judgeVersion: number | null;
  items: Disagreement[];
  limit: number;
}

const keyOf = (d: Disagreement) => `${d.trace_id}/${d.span_id ?? ""}`;

/** Where the judge and a person disagree: both verdicts and the judge's reasons side by side. */
export function Disagreements({ project, judge, judgeVersion, items, limit }: Props) {
  const [adding, setAdding] = useState<Disagreement | null>(null);
  const [added, setAdded] = useState<Record<string, AddedLabel>>({});
  const canAdd = useCan(project, "annotator");
  if (items.length === 0) {
    return (
      <EmptyState title="No disagreements">
        <Text c="dimmed" size="sm">
          On every item both scored, the judge said what the person said.
        </Text>
      </EmptyState>
    );
  }
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        The most recent first{items.length >= limit ? ` (the latest ${limit})` : ""}. Open a trace to
        see the whole conversation, or add the item to a dataset of human-labelled examples to evaluate
        the next version of the judge.
      </Text>
      <Table withTableBorder verticalSpacing="sm" data-testid="disagreements">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={130}>Judged</Table.Th>
            <Table.Th w={170}>Person said</Table.Th>
            <Table.Th w={150}>Judge said</Table.Th>
            <Table.Th>Judge's reasoning</Table.Th>
            <Table.Th w={190} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => {
            const done = added[keyOf(item)];
            return (
              <Table.Tr key={keyOf(item)} data-testid="disagreement">
                <Table.Td>
                  <Text size="sm" title={formatTime(item.judged_at)}>
                    {formatAgo(item.judged_at)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color="blue" variant="light" tt="none" size="lg" data-testid="human-verdict">
                    {verdict(item.human_label, item.human_value)}
                  </Badge>
                  {item.author && (
                    <Text size="xs" c="dimmed" mt={4}>
                      {item.author}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color="violet" variant="light" tt="none" size="lg" data-testid="judge-verdict">
                    {verdict(item.judge_label, item.judge_value)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {item.rationale ? (
                    <Spoiler maxHeight={66} showLabel="Show all" hideLabel="Show less">
                      <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                        {item.rationale}
                      </Text>
                    </Spoiler>
                  ) : (
                    <Text size="sm" c="dimmed">
                      no reasoning recorded
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Stack gap={6} align="flex-start">
                    <Anchor component={Link} to={tracePath(project, item.trace_id, item.span_id)} size="sm">
                      Open trace <IconExternalLink size={12} style={{ verticalAlign: "middle" }} />
                    </Anchor>
                    {done ? (
                      <Anchor component={Link} to={datasetPath(project, done.dataset)} size="sm" c="teal.8">
                        <IconCheck size={13} style={{ verticalAlign: "middle" }} /> In {done.dataset}
                      </Anchor>
                    ) : (
                      canAdd && (
                        <Button
                          size="compact-sm"
                          variant="light"
                          leftSection={<IconDatabasePlus size={14} />}
                          onClick={() => setAdding(item)}
                        >
                          Add to dataset
                        </Button>
                      )
                    )}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <AddLabelModal
        project={project}
        judge={judge}
        judgeVersion={judgeVersion}
        item={adding}
        onClose={() => setAdding(null)}
        onAdded={(item, result) => {
          setAdded((before) => ({ ...before, [keyOf(item)]: result }));
          setAdding(null);
        }}
      />
    </Stack>
  );
}
