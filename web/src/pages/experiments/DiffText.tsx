import { Text } from "@mantine/core";
import { useMemo } from "react";

import classes from "./compare.module.css";
import { wordDiff } from "./textDiff";

interface Props {
  /** The baseline's text; null when the baseline has no such case (nothing to diff). */
  before: string | null;
  after: string;
  clamped: boolean;
}

/** ``after`` with the words added since ``before`` in green and the removed ones struck in red. */
export function DiffText({ before, after, clamped }: Props) {
  const diff = useMemo(() => (before === null ? null : wordDiff(before, after)), [before, after]);
  const className = `${classes.text} ${clamped ? classes.clamped : ""}`;
  if (!diff) return <PlainText text={after} clamped={clamped} />;
  return (
    <div className={className} data-testid="output-diff">
      {diff.parts.map((part, i) =>
        part.kind === "same" ? (
          <span key={i}>{part.text}</span>
        ) : part.kind === "added" ? (
          <ins key={i} className={classes.added}>
            {part.text}
          </ins>
        ) : (
          <del key={i} className={classes.removed}>
            {part.text}
          </del>
        ),
      )}
    </div>
  );
}

/** Text as it is (line breaks kept), or a dimmed note when there is none. */
export function PlainText(props: { text: string; clamped: boolean; empty?: string }) {
  const { text, clamped, empty = "empty" } = props;
  if (!text) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        {empty}
      </Text>
    );
  }
  return <div className={`${classes.text} ${clamped ? classes.clamped : ""}`}>{text}</div>;
}
