import { Anchor, Badge, Group, Paper, Progress, Stack, Text } from "@mantine/core";
import { Link } from "react-router-dom";

import type { Schemas } from "../../api/client";
import { formatAgo } from "../../format";
import { rulePath, useRuleNames } from "../online/rulesApi";
import { Long } from "./Bits";

type Score = Schemas["Score"];

const SOURCES: Record<Score["source"], { label: string; color: string }> = {
  human: { label: "person", color: "blue" },
  llm_judge: { label: "LLM judge", color: "grape" },
  code: { label: "code", color: "gray" },
  api: { label: "API", color: "gray" },
};

/** Who gave a score: the person, the judge (with its version) or the scorer. */
export function scoreAuthor(score: Score): string | null {
  if (score.judge) return score.judge_version ? `${score.judge} v${score.judge_version}` : score.judge;
  return score.author ?? score.scorer ?? null;
}

/** Scores with their value, label, source, author (and the online rule that wrote it) and rationale. */
export function ScoreList({ project, scores }: { project: string; scores: Score[] }) {
  const rules = useRuleNames(project, scores.some((s) => s.rule_id));
  return (
    <Stack gap="xs" data-testid="scores">
      {scores.map((s) => (
        <ScoreCard key={s.id} project={project} score={s} rule={s.rule_id ? rules.get(s.rule_id) : undefined} />
      ))}
    </Stack>
  );
}

function ScoreCard({ project, score, rule }: { project: string; score: Score; rule?: string }) {
  const source = SOURCES[score.source];
  const author = scoreAuthor(score);
  const value = score.value;
  return (
    <Paper withBorder p="sm" radius="md" role="group" aria-label={`Score ${score.name}`}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs">
          <Group gap={6}>
            <Text fw={700} size="sm">
              {score.name}
            </Text>
            {score.label && (
              <Badge variant="light" size="sm">
                {score.label}
              </Badge>
            )}
            {value !== null && value !== undefined && (
              <Group gap={6} wrap="nowrap">
                <Progress
                  value={value * 100}
                  w={70}
                  size="sm"
                  color={value >= 0.7 ? "teal" : value >= 0.4 ? "yellow" : "red"}
                  aria-label={`${score.name} value`}
                />
                <Text size="sm" ff="monospace">
                  {value.toFixed(2)}
                </Text>
              </Group>
            )}
          </Group>
          <Group gap={6}>
            <Badge variant="outline" color={source.color} size="sm">
              {source.label}
            </Badge>
            {author && (
              <Text size="xs" c="dimmed">
                {author}
              </Text>
            )}
            {rule && (
              <Anchor component={Link} to={rulePath(project, rule)} size="xs" data-testid="score-rule">
                rule {rule}
              </Anchor>
            )}
            <Text size="xs" c="dimmed" title={score.created_at}>
              {formatAgo(score.created_at)}
            </Text>
          </Group>
        </Group>
        {score.rationale && (
          <Long maxHeight={120}>
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }} data-testid="score-rationale">
              {score.rationale}
            </Text>
          </Long>
        )}
      </Stack>
    </Paper>
  );
}
