import { Anchor, Badge, Group, Text, UnstyledButton } from "@mantine/core";
import { IconExternalLink } from "@tabler/icons-react";
import { memo, type KeyboardEvent, type MouseEvent } from "react";
import { Link } from "react-router-dom";

import { sourcePath } from "../datasets/datasetUrl";
import classes from "./compare.module.css";
import { isLong, toText, type CaseRow, type CaseStatus, type RunCell } from "./compareModel";
import { Delta } from "./Delta";
import { DiffText, PlainText } from "./DiffText";
import { formatScore } from "./numbers";

const STATUS: Record<CaseStatus, { color: string; label: string }> = {
  regressed: { color: "red", label: "Regressed" },
  improved: { color: "teal", label: "Improved" },
  errored: { color: "orange", label: "Errored" },
  new: { color: "blue", label: "Not in baseline" },
  unchanged: { color: "gray", label: "Unchanged" },
};

interface Props {
  project: string;
  row: CaseRow;
  template: string;
  expanded: boolean;
  onToggle: (caseId: string) => void;
  onOpen: (traceId: string) => void;
}

const twoDigits = (v: number) => v.toFixed(2);

function sortedEntries<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One case: input, expected, the baseline's output, then each experiment's with its diff. */
export const CaseRowView = memo(function CaseRowView(props: Props) {
  const { project, row, template, expanded, onToggle, onOpen } = props;
  const input = toText(row.input);
  const expected = toText(row.expected);
  const before = row.baseline.present ? toText(row.baseline.output) : null;
  const outputs = row.runs.map((r) => (r ? toText(r.output) : ""));
  const long = [input, expected, before ?? "", ...outputs].some(isLong);
  const clamped = long && !expanded;
  const traceId = row.runs.find((r) => r?.traceId)?.traceId ?? row.baseline.traceId;
  // A click opens the trace, unless it ended a text selection (people copy outputs).
  const open = () => traceId && !window.getSelection()?.toString() && onOpen(traceId);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && event.target === event.currentTarget) open();
  };
  return (
    <div
      className={classes.grid}
      style={{ gridTemplateColumns: template }}
      onClick={open}
      onKeyDown={onKeyDown}
      tabIndex={0}
      aria-label={`Case ${row.caseId}`}
    >
      <div className={classes.cell} role="cell">
        <Text size="xs" c="dimmed" ff="monospace" truncate>
          {row.caseId}
        </Text>
        <PlainText text={input} clamped={clamped} />
        {row.source && (
          <Anchor
            component={Link}
            to={sourcePath(project, row.source)}
            size="xs"
            onClick={(e: MouseEvent) => e.stopPropagation()}
            data-testid="case-source"
          >
            from production trace <IconExternalLink size={11} style={{ verticalAlign: "middle" }} />
          </Anchor>
        )}
        {long && (
          <UnstyledButton
            fz="xs"
            c="indigo.7"
            onClick={(e: MouseEvent) => {
              e.stopPropagation();
              onToggle(row.caseId);
            }}
          >
            {expanded ? "Show less" : "Show all"}
          </UnstyledButton>
        )}
      </div>
      <div className={classes.cell} role="cell">
        <PlainText text={expected} clamped={clamped} empty="none" />
      </div>
      <div className={classes.cell} role="cell">
        {before === null ? (
          <Text size="sm" c="dimmed" fs="italic">
            not in the baseline
          </Text>
        ) : (
          <PlainText text={before} clamped={clamped} />
        )}
        <div className={classes.scores}>
          {sortedEntries(row.baseline.scores).map(([name, value]) => (
            <span key={name}>
              {name} {formatScore(value, 2)}
            </span>
          ))}
        </div>
        <TraceLink project={project} traceId={row.baseline.traceId} />
      </div>
      {row.runs.map((run, i) => (
        <div className={classes.cell} role="cell" key={i}>
          {run ? (
            <RunView
              project={project}
              run={run}
              before={before}
              after={outputs[i]}
              clamped={clamped}
            />
          ) : (
            <Text size="sm" c="dimmed" fs="italic">
              not in this experiment
            </Text>
          )}
        </div>
      ))}
    </div>
  );
});

function RunView(props: {
  project: string;
  run: RunCell;
  before: string | null;
  after: string;
  clamped: boolean;
}) {
  const { project, run, before, after, clamped } = props;
  const status = STATUS[run.status];
  return (
    <>
      <Badge size="sm" variant="light" color={status.color} data-testid="case-status">
        {status.label}
      </Badge>
      {run.error && (
        <Text size="xs" c="red.8" className={classes.text}>
          {run.error.type}: {run.error.message}
        </Text>
      )}
      {after || !run.error ? <DiffText before={before} after={after} clamped={clamped} /> : null}
      <div className={classes.scores}>
        {sortedEntries(run.scores).map(([name, s]) => (
          <span key={name}>
            {name} {formatScore(s.experiment, 2)}{" "}
            <Delta diff={s.diff} size="xs" format={twoDigits} />
          </span>
        ))}
      </div>
      <TraceLink project={project} traceId={run.traceId} />
    </>
  );
}

/** "Open trace", when the case was traced. */
export function TraceLink({ project, traceId }: { project: string; traceId: string | null }) {
  if (!traceId) return null;
  return (
    <Group gap={4}>
      <Anchor
        component={Link}
        to={`/projects/${encodeURIComponent(project)}/traces/${traceId}`}
        size="xs"
        onClick={(e: MouseEvent) => e.stopPropagation()}
      >
        Open trace <IconExternalLink size={11} style={{ verticalAlign: "middle" }} />
      </Anchor>
    </Group>
  );
}
