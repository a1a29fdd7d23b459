import { Alert, Anchor, Button, Group, Table, Text, Tooltip } from "@mantine/core";
import { IconPlayerStop, IconRefresh } from "@tabler/icons-react";
import { Link } from "react-router-dom";

import { formatAgo, formatTime } from "../../format";
import { useCan } from "../auth/useAuth";
import { rulePath } from "../online/rulesApi";
import type { Job } from "./jobsApi";
import { JobProgress } from "./JobProgress";
import { JobStatusBadge } from "./JobStatusBadge";
import { attemptsText, canCancel, canRetry, kindLabel } from "./jobText";
import { useJobActions } from "./useJobActions";

/** Jobs with their status, attempts, progress and last error; retry or cancel each (engineers and up). */
export function JobsTable({ project, jobs, showRule = true }: { project: string; jobs: Job[]; showRule?: boolean }) {
  const canWrite = useCan(project, "engineer");
  const actions = useJobActions(project);
  const failed = actions.retry.error ?? actions.cancel.error;
  return (
    <>
      {failed && (
        <Alert color="red" title="The job did not change" role="alert">
          {failed.message}
        </Alert>
      )}
      <Table withTableBorder highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Kind</Table.Th>
            {showRule && <Table.Th>Rule</Table.Th>}
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Attempts</Table.Th>
            <Table.Th>Progress</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Finished</Table.Th>
            <Table.Th>Last error</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.map((job) => (
            <JobRow key={job.id} project={project} job={job} showRule={showRule} actions={canWrite ? actions : null} />
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

type Actions = ReturnType<typeof useJobActions>;

/** `actions` is null when the caller may not retry or cancel jobs. */
function JobRow({ project, job, showRule, actions }: { project: string; job: Job; showRule: boolean; actions: Actions | null }) {
  return (
    <Table.Tr data-testid="job-row" data-status={job.status} data-job-id={job.id}>
      <Table.Td>
        <Text size="sm" style={{ whiteSpace: "nowrap" }}>
          {kindLabel(job.kind)}
        </Text>
      </Table.Td>
      {showRule && (
        <Table.Td>
          {job.rule ? (
            <Anchor component={Link} to={rulePath(project, job.rule)} size="sm">
              {job.rule}
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed">
              —
            </Text>
          )}
        </Table.Td>
      )}
      <Table.Td>
        <JobStatusBadge status={job.status} />
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" ff="monospace">
          {attemptsText(job)}
        </Text>
      </Table.Td>
      <Table.Td>
        <JobProgress job={job} />
      </Table.Td>
      <Table.Td>
        <When at={job.created_at} />
      </Table.Td>
      <Table.Td>{job.finished_at ? <When at={job.finished_at} /> : <Text c="dimmed">—</Text>}</Table.Td>
      <Table.Td maw={420}>
        <JobError job={job} />
      </Table.Td>
      <Table.Td>{actions && <JobButtons job={job} actions={actions} />}</Table.Td>
    </Table.Tr>
  );
}

/** Retry for a dead or cancelled job, cancel for a waiting or running one. */
function JobButtons({ job, actions }: { job: Job; actions: Actions }) {
  const { retry, cancel } = actions;
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      {canRetry(job.status) && (
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconRefresh size={12} />}
          loading={retry.isPending && retry.variables === job.id}
          onClick={() => retry.mutate(job.id)}
        >
          Retry
        </Button>
      )}
      {canCancel(job.status) && (
        <Button
          size="compact-xs"
          variant="default"
          leftSection={<IconPlayerStop size={12} />}
          loading={cancel.isPending && cancel.variables === job.id}
          onClick={() => cancel.mutate(job.id)}
        >
          Cancel
        </Button>
      )}
    </Group>
  );
}

function When({ at }: { at: string }) {
  return (
    <Tooltip label={formatTime(at)}>
      <Text size="sm" c="dimmed" style={{ whiteSpace: "nowrap" }}>
        {formatAgo(at)}
      </Text>
    </Tooltip>
  );
}

/** The last failure; a dead letter's error is shown in full, in red, since nothing retries it. */
function JobError({ job }: { job: Job }) {
  if (!job.error) return <Text c="dimmed">—</Text>;
  const dead = job.status === "dead";
  return (
    <Text
      size="xs"
      ff="monospace"
      c={dead ? "red.8" : "dimmed"}
      fw={dead ? 600 : 400}
      lineClamp={dead ? 6 : 2}
      title={job.error}
      style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}
      data-testid="job-error"
    >
      {job.error}
    </Text>
  );
}
