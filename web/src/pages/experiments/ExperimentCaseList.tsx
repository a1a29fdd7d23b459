import { Badge, Text, Tooltip, UnstyledButton } from "@mantine/core";
import { memo, useState } from "react";

import { TraceLink } from "./CaseRowView";
import classes from "./compare.module.css";
import { isLong, toText } from "./compareModel";
import { PlainText } from "./DiffText";
import { caseFacts, caseKey, caseScores, type ExperimentCase } from "./experimentCases";
import { formatScore } from "./numbers";

const TEMPLATE = "minmax(0, 1.1fr) minmax(0, 0.7fr) minmax(0, 1.2fr) minmax(0, 0.8fr)";

interface Props {
  project: string;
  cases: ExperimentCase[];
  /** Whether cases have several trials (then each row names its trial). */
  trials: boolean;
}

/** The cases of one experiment: input, expected, its output (or error), scores and costs. */
export function ExperimentCaseList({ project, cases, trials }: Props) {
  return (
    <div className={classes.list} role="table" aria-label="Cases" aria-rowcount={cases.length + 1}>
      <div className={classes.header} role="rowgroup">
        <div className={classes.grid} style={{ gridTemplateColumns: TEMPLATE }} role="row">
          <div className={classes.headerCell} role="columnheader">Input</div>
          <div className={classes.headerCell} role="columnheader">Expected</div>
          <div className={classes.headerCell} role="columnheader">Output</div>
          <div className={classes.headerCell} role="columnheader">Scores</div>
        </div>
      </div>
      <div role="rowgroup">
        {cases.map((c) => (
          <ExperimentCaseRow key={caseKey(c)} project={project} item={c} trials={trials} />
        ))}
      </div>
      {cases.length === 0 && (
        <div className={classes.footer}>
          <Text c="dimmed">This experiment has no cases yet.</Text>
        </div>
      )}
    </div>
  );
}

const ExperimentCaseRow = memo(function ExperimentCaseRow(props: {
  project: string;
  item: ExperimentCase;
  trials: boolean;
}) {
  const { project, item: c, trials } = props;
  const [expanded, setExpanded] = useState(false);
  const input = toText(c.input);
  const expected = toText(c.expected);
  const output = toText(c.output);
  const long = [input, expected, output].some(isLong);
  const clamped = long && !expanded;
  return (
    <div
      className={`${classes.grid} ${classes.staticRow}`}
      style={{ gridTemplateColumns: TEMPLATE }}
      role="row"
      data-testid="case-row"
      aria-label={`Case ${c.case_id}`}
    >
      <div className={classes.cell} role="cell">
        <Text size="xs" c="dimmed" ff="monospace" truncate>
          {c.case_id}
          {trials ? ` · trial ${c.trial + 1}` : ""}
        </Text>
        <PlainText text={input} clamped={clamped} />
        {long && (
          <UnstyledButton fz="xs" c="indigo.7" onClick={() => setExpanded((e) => !e)}>
            {expanded ? "Show less" : "Show all"}
          </UnstyledButton>
        )}
      </div>
      <div className={classes.cell} role="cell">
        <PlainText text={expected} clamped={clamped} empty="none" />
      </div>
      <div className={classes.cell} role="cell">
        {c.error && (
          <>
            <Badge size="sm" variant="light" color="orange" data-testid="case-status">
              Errored
            </Badge>
            <Text size="xs" c="red.8" className={classes.text}>
              {c.error.type}: {c.error.message}
            </Text>
          </>
        )}
        {(output || !c.error) && <PlainText text={output} clamped={clamped} />}
        <TraceLink project={project} traceId={c.trace_id ?? null} />
      </div>
      <div className={classes.cell} role="cell">
        <CaseScores item={c} />
      </div>
    </div>
  );
});

function CaseScores({ item }: { item: ExperimentCase }) {
  const scores = caseScores(item);
  const facts = caseFacts(item);
  return (
    <>
      <div className={classes.scores} data-testid="case-scores">
        {scores.map((s) =>
          s.error ? (
            <Tooltip key={s.name} label={s.error} multiline maw={360}>
              <Text span inherit c="red.8">
                {s.name} failed
              </Text>
            </Tooltip>
          ) : (
            <Tooltip key={s.name} label={s.rationale} disabled={!s.rationale} multiline maw={360}>
              <span>
                {s.name} <b>{formatScore(s.value, 2)}</b>
              </span>
            </Tooltip>
          ),
        )}
        {scores.length === 0 && (
          <Text span inherit c="dimmed">
            no scores
          </Text>
        )}
      </div>
      {facts.length > 0 && (
        <Text size="xs" c="dimmed" style={{ fontVariantNumeric: "tabular-nums" }}>
          {facts.join(" · ")}
        </Text>
      )}
    </>
  );
}
