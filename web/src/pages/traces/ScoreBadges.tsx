import { Badge, Group, Text } from "@mantine/core";

import { formatScore, scoreColor, sortedScores } from "./scores";

/** "helpful: 0.75" badges, coloured by value, one per score name of a trace. */
export function ScoreBadges({ scores }: { scores: Record<string, number> | undefined }) {
  const entries = sortedScores(scores);
  if (entries.length === 0) {
    return (
      <Text span size="xs" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      {entries.map(([name, value]) => (
        <Badge
          key={name}
          size="sm"
          variant="light"
          color={scoreColor(value)}
          tt="none"
          title={`${name}: mean ${value} over this trace's scores`}
        >
          {name}: {formatScore(value)}
        </Badge>
      ))}
    </Group>
  );
}
