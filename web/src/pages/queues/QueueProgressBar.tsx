import { Group, Progress, Stack, Text, Tooltip } from "@mantine/core";

import { formatCount } from "../../format";
import type { QueueProgress } from "./reviewTypes";

/** Items fully reviewed out of all, with the reviews per person on hover. */
export function QueueProgressBar({ progress, w = 220 }: { progress: QueueProgress; w?: number | string }) {
  const share = progress.items ? (100 * progress.completed) / progress.items : 0;
  const people = Object.entries(progress.by_reviewer ?? {}).sort((a, b) => b[1] - a[1]);
  const tip = (
    <Stack gap={2}>
      <Text size="xs">
        {formatCount(progress.reviews)} reviews, {formatCount(progress.in_progress)} items being reviewed now
      </Text>
      {people.length === 0 && <Text size="xs">No reviews yet.</Text>}
      {people.map(([name, n]) => (
        <Text key={name} size="xs">
          {name}: {formatCount(n)}
        </Text>
      ))}
    </Stack>
  );
  return (
    <Tooltip label={tip} withArrow>
      <Stack gap={2} w={w} data-testid="queue-progress">
        <Progress value={share} color={share >= 100 ? "teal" : "indigo"} size="md" aria-label="Progress" />
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {formatCount(progress.completed)} of {formatCount(progress.items)} done
          </Text>
          <Text size="xs" c="dimmed">
            {Math.round(share)}%
          </Text>
        </Group>
      </Stack>
    </Tooltip>
  );
}
