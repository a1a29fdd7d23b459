import { Group, Progress, Stack, Text } from "@mantine/core";

import type { Job } from "./jobsApi";
import { jobProgress } from "./jobText";

/** A job's progress bar with "120 of 400" under it (striped while the total is unknown). */
export function JobProgress({ job, w = 160 }: { job: Job; w?: number | string }) {
  const { percent, label } = jobProgress(job);
  const color = job.status === "dead" ? "red" : job.status === "done" ? "teal" : "indigo";
  return (
    <Stack gap={2} w={w} data-testid="job-progress" data-percent={percent ?? ""}>
      <Progress
        value={percent ?? 100}
        striped={percent === null}
        animated={percent === null && job.status === "running"}
        color={percent === null ? "gray" : color}
        size="sm"
        aria-label="Job progress"
      />
      <Group justify="space-between" gap={4}>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
        {percent !== null && (
          <Text size="xs" c="dimmed">
            {Math.floor(percent)}%
          </Text>
        )}
      </Group>
    </Stack>
  );
}
