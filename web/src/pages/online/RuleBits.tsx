import { Badge, Group, Switch, Text, Tooltip } from "@mantine/core";
import { Link } from "react-router-dom";

import { useCan } from "../auth/useAuth";
import { jobsPath } from "../jobs/jobsApi";
import type { Rule } from "./rulesApi";
import { scorerText } from "./ruleText";
import { useToggleRule } from "./useRuleMutations";

/** The rule's scorers as badges: judges in grape, built-in scorers in grey. */
export function ScorerBadges({ rule }: { rule: Rule }) {
  return (
    <Group gap={4}>
      {rule.scorers.map((s, i) => (
        <Badge key={i} variant="light" color={s.judge ? "grape" : "gray"} tt="none">
          {scorerText(s)}
        </Badge>
      ))}
    </Group>
  );
}

/** A switch that turns the rule on or off at once (PATCH), showing the server's refusal if any;
 * read-only (disabled) below the engineer role. */
export function EnabledSwitch({ project, rule, label }: { project: string; rule: Rule; label?: string }) {
  const canWrite = useCan(project, "engineer");
  const toggle = useToggleRule(project);
  const enabled = toggle.isPending ? (toggle.variables?.enabled ?? rule.enabled) : rule.enabled;
  return (
    <Group gap={6} wrap="nowrap">
      <Switch
        checked={enabled ?? true}
        onChange={(e) => toggle.mutate({ name: rule.name, enabled: e.currentTarget.checked })}
        aria-label={`Rule ${rule.name} enabled`}
        label={label}
        disabled={!canWrite}
      />
      {toggle.isError && (
        <Text size="xs" c="red">
          {toggle.error.message}
        </Text>
      )}
    </Group>
  );
}

/** "3 dead" in red, linking to the rule's dead jobs; nothing when there are none. */
export function DeadJobsBadge({ project, rule }: { project: string; rule: Rule }) {
  const dead = rule.stats?.dead_jobs ?? 0;
  if (dead === 0) return null;
  return (
    <Tooltip label="Jobs that failed on every attempt: open them to see the error and retry">
      <Badge
        component={Link}
        to={jobsPath(project, { rule: rule.name, status: "dead" })}
        color="red"
        variant="filled"
        style={{ cursor: "pointer" }}
        data-testid="dead-jobs"
      >
        {dead} dead
      </Badge>
    </Tooltip>
  );
}
