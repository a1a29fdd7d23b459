import { Anchor, Button, Code, Group, List, Stack, Table, Text, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatCount } from "../../format";
import { useCan } from "../auth/useAuth";
import { DeadJobsBadge, EnabledSwitch, ScorerBadges } from "./RuleBits";
import { RuleFormModal } from "./RuleFormModal";
import { rulePath, useRules, type Rule } from "./rulesApi";
import { filterSummary, lagText, routeText, sampleText } from "./ruleText";

const REFRESH_MS = 3000;

/** The project's online rules: what they score, how much, how far behind; create one. */
export function RulesPage() {
  const { project = "" } = useParams();
  const canWrite = useCan(project, "engineer");
  const [creating, setCreating] = useState(false);
  const rules = useRules(project, { refetchMs: REFRESH_MS });
  return (
    <Stack>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>Online evaluation</Title>
          <Text c="dimmed" size="sm">
            Rules score production spans as they arrive, with your judges and built-in scorers.
          </Text>
        </Stack>
        {canWrite && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            New rule
          </Button>
        )}
      </Group>
      {rules.isPending && <Loading what="the rules" />}
      {rules.isError && <ErrorState error={rules.error} what="the rules" />}
      {rules.isSuccess && rules.data.length === 0 && (
        <NoRules project={project} onCreate={canWrite ? () => setCreating(true) : undefined} />
      )}
      {rules.isSuccess && rules.data.length > 0 && <RulesTable project={project} rules={rules.data} />}
      <RuleFormModal project={project} opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function RulesTable({ project, rules }: { project: string; rules: Rule[] }) {
  return (
    <Table withTableBorder highlightOnHover verticalSpacing="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Rule</Table.Th>
          <Table.Th>On</Table.Th>
          <Table.Th>Spans</Table.Th>
          <Table.Th ta="right">Sample</Table.Th>
          <Table.Th>Scorers</Table.Th>
          <Table.Th>Route</Table.Th>
          <Table.Th ta="right">Scored spans</Table.Th>
          <Table.Th ta="right">Lag</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rules.map((rule) => (
          <Table.Tr key={rule.id} data-testid="rule-row">
            <Table.Td>
              <Anchor component={Link} to={rulePath(project, rule.name)} fw={600}>
                {rule.name}
              </Anchor>
              {rule.description && (
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {rule.description}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <EnabledSwitch project={project} rule={rule} />
            </Table.Td>
            <Table.Td>
              <Text size="sm">{filterSummary(rule.filter)}</Text>
            </Table.Td>
            <Table.Td ta="right">{sampleText(rule.sample_rate)}</Table.Td>
            <Table.Td>
              <ScorerBadges rule={rule} />
            </Table.Td>
            <Table.Td>
              <Text size="sm" c={rule.route ? undefined : "dimmed"}>
                {routeText(rule.route) ?? "—"}
              </Text>
            </Table.Td>
            <Table.Td ta="right" data-testid="scored-spans">
              {formatCount(rule.stats?.scored_spans ?? 0)}
            </Table.Td>
            <Table.Td ta="right">{lagText(rule.stats?.lag_seconds)}</Table.Td>
            <Table.Td>
              <DeadJobsBadge project={project} rule={rule} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** `onCreate` is absent when the caller may not create rules. */
function NoRules({ project, onCreate }: { project: string; onCreate?: () => void }) {
  return (
    <EmptyState title="No online rules yet">
      <Stack maw={620} gap="xs">
        <Text c="dimmed" size="sm">
          Evals say the agent was good before release; a rule keeps checking it with real users. Each
          rule picks production spans (say, the <Code>answer</Code> spans of kind agent), samples a
          share of them, and scores each with judges or built-in scorers.
        </Text>
        <List size="sm" c="dimmed">
          <List.Item>
            Store a judge first (see{" "}
            <Anchor component={Link} to={`/projects/${encodeURIComponent(project)}/judges`}>
              Judges
            </Anchor>
            ), or use a built-in scorer such as <Code>valid_json</Code>.
          </List.Item>
          <List.Item>Send spans whose score is doubtful to a review queue, so people look at them first.</List.Item>
          <List.Item>Run a rule over past traffic with a backfill, with its cost shown before it starts.</List.Item>
        </List>
      </Stack>
      {onCreate && <Button onClick={onCreate}>Create a rule</Button>}
    </EmptyState>
  );
}
