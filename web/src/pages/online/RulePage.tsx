import { Alert, Anchor, Breadcrumbs, Button, Group, Modal, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconPencil, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";

import { ApiError } from "../../api/client";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo, formatCount } from "../../format";
import { useCan } from "../auth/useAuth";
import { jobKeys, jobsApi, jobsPath } from "../jobs/jobsApi";
import { JobsTable } from "../jobs/JobsTable";
import { BackfillPanel } from "./BackfillPanel";
import { EnabledSwitch, ScorerBadges } from "./RuleBits";
import { RuleFormModal } from "./RuleFormModal";
import { ruleKeys, rulesApi, rulesPath, type Rule } from "./rulesApi";
import { filterSummary, lagText, routeText, sampleText } from "./ruleText";

const REFRESH_MS = 3000;

/** One rule: its definition and figures, edit and delete, a backfill, and its recent jobs. */
export function RulePage() {
  const { project = "", rule: name = "" } = useParams();
  const canWrite = useCan(project, "engineer");
  const [editing, setEditing] = useState(false);
  const rule = useQuery({
    queryKey: ruleKeys.one(project, name),
    queryFn: () => rulesApi.get(project, name),
    refetchInterval: REFRESH_MS,
  });
  if (rule.isPending) return <Loading what="the rule" />;
  if (rule.isError) {
    if (rule.error instanceof ApiError && rule.error.status === 404) {
      return (
        <EmptyState title="No such rule">
          <Text>{rule.error.message}</Text>
          <Anchor component={Link} to={rulesPath(project)}>
            See the online rules of {project}
          </Anchor>
        </EmptyState>
      );
    }
    return <ErrorState error={rule.error} what={`the rule ${name}`} />;
  }
  const r = rule.data;
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={rulesPath(project)} size="sm">
          Online
        </Anchor>
        <Text size="sm">{r.name}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>{r.name}</Title>
            <EnabledSwitch project={project} rule={r} label={r.enabled ? "enabled" : "disabled"} />
          </Group>
          {r.description && <Text c="dimmed">{r.description}</Text>}
        </Stack>
        {canWrite && (
          <Group>
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              Edit
            </Button>
            <DeleteRule project={project} rule={r} />
          </Group>
        )}
      </Group>
      <Definition rule={r} />
      <Stats project={project} rule={r} />
      {canWrite && <BackfillPanel project={project} rule={r.name} />}
      <RecentJobs project={project} rule={r.name} />
      <RuleFormModal project={project} rule={r} opened={editing} onClose={() => setEditing(false)} />
    </Stack>
  );
}

function Definition({ rule }: { rule: Rule }) {
  const rows: [string, React.ReactNode][] = [
    ["Spans", filterSummary(rule.filter)],
    ["Sample", sampleText(rule.sample_rate)],
    ["Scorers", <ScorerBadges key="s" rule={rule} />],
    ["Route", routeText(rule.route) ?? "none"],
  ];
  return (
    <Paper withBorder p="md" radius="md" data-testid="rule-definition">
      <Stack gap={6}>
        {rows.map(([label, value]) => (
          <Group key={label} gap="sm" wrap="nowrap" align="flex-start">
            <Text size="sm" c="dimmed" w={90}>
              {label}
            </Text>
            {typeof value === "string" ? <Text size="sm">{value}</Text> : value}
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

function Stats({ project, rule }: { project: string; rule: Rule }) {
  const s = rule.stats;
  const dead = s?.dead_jobs ?? 0;
  const cards: [string, React.ReactNode, string][] = [
    ["Scored spans", formatCount(s?.scored_spans ?? 0), "scored-spans"],
    ["Scores", formatCount(s?.scores ?? 0), "scores"],
    ["Sent to review", formatCount(s?.routed ?? 0), "routed"],
    ["Waiting jobs", formatCount((s?.queued_jobs ?? 0) + (s?.running_jobs ?? 0)), "waiting"],
    ["Lag", lagText(s?.lag_seconds), "lag"],
    ["Last scored", s?.last_scored_at ? formatAgo(s.last_scored_at) : "never", "last-scored"],
    [
      "Dead jobs",
      dead ? (
        <Anchor component={Link} to={jobsPath(project, { rule: rule.name, status: "dead" })} c="red" fw={700}>
          {formatCount(dead)}
        </Anchor>
      ) : (
        "0"
      ),
      "dead",
    ],
  ];
  return (
    <SimpleGrid cols={{ base: 2, md: 4, lg: 7 }} spacing="sm">
      {cards.map(([label, value, id]) => (
        <Paper key={label} withBorder p="sm" radius="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          <Text size="lg" fw={600} data-testid={`stat-${id}`}>
            {value}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function RecentJobs({ project, rule }: { project: string; rule: string }) {
  const query = { rule, limit: 20 };
  const jobs = useQuery({
    queryKey: jobKeys.list(project, query),
    queryFn: () => jobsApi.list(project, query),
    refetchInterval: REFRESH_MS,
  });
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4}>Recent jobs</Title>
        <Anchor component={Link} to={jobsPath(project, { rule })} size="sm">
          All jobs of this rule
        </Anchor>
      </Group>
      {jobs.isError && <ErrorState error={jobs.error} what="the rule's jobs" />}
      {jobs.isSuccess && jobs.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          No jobs yet: they appear when matching spans arrive or a backfill starts.
        </Text>
      )}
      {jobs.isSuccess && jobs.data.items.length > 0 && (
        <JobsTable project={project} jobs={jobs.data.items} showRule={false} />
      )}
    </Stack>
  );
}

function DeleteRule({ project, rule }: { project: string; rule: Rule }) {
  const [asking, setAsking] = useState(false);
  const client = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => rulesApi.remove(project, rule.name),
    onSuccess: async () => {
      client.removeQueries({ queryKey: ruleKeys.one(project, rule.name) });
      await client.invalidateQueries({ queryKey: ruleKeys.all(project) });
      navigate(rulesPath(project));
    },
  });
  return (
    <>
      <Button color="red" variant="light" leftSection={<IconTrash size={16} />} onClick={() => setAsking(true)}>
        Delete
      </Button>
      <Modal opened={asking} onClose={() => setAsking(false)} title={`Delete rule ${rule.name}?`}>
        <Stack>
          <Text size="sm">
            New spans will no longer be scored by this rule. The scores it already wrote stay on their
            spans.
          </Text>
          {remove.isError && (
            <Alert color="red" role="alert">
              {remove.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>
              Keep it
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete rule
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
