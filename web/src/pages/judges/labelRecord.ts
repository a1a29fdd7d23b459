/** The dataset record a disagreement becomes: the span's input, the person's verdict as expected. */
import type { Schemas } from "../../api/client";

export type Disagreement = Schemas["Disagreement"];

export type LabelRecord = {
  input: unknown;
  expected: string | number | null;
  metadata: Record<string, unknown>;
  tags: string[];
  source: Schemas["RecordSource"];
};

/** What the person said: their label, else their value. */
export function humanExpected(item: Disagreement): string | number | null {
  return item.human_label ?? item.human_value ?? null;
}

/** The record to insert, remembering the span and the judge verdict that flagged it. */
export function labelRecord(options: {
  project: string;
  judge: string;
  judgeVersion: number | null;
  item: Disagreement;
  spanId: string;
  input: unknown;
}): LabelRecord {
  const { project, judge, judgeVersion, item, spanId, input } = options;
  const metadata: Record<string, unknown> = { judge_label: item.judge_label ?? null, judge_value: item.judge_value ?? null };
  if (item.rationale) metadata.judge_rationale = item.rationale;
  if (item.author) metadata.labelled_by = item.author;
  return {
    input,
    expected: humanExpected(item),
    metadata,
    tags: [],
    source: {
      trace_id: item.trace_id,
      span_id: spanId,
      project,
      judge,
      judge_version: judgeVersion,
      reviewer: item.author ?? null,
    },
  };
}

/** The dataset name offered first for a judge's human-labelled examples. */
export function defaultDatasetName(judge: string): string {
  return `${judge}-human-labels`;
}
