/** The record form's state, read back into values, and the changes an edit makes. */

import type { Schemas } from "../../api/client";
import {
  fromFieldText,
  metadataFromText,
  metadataToText,
  sameValue,
  toFieldText,
  type FieldText,
} from "./recordValue";

export interface FormState {
  input: FieldText;
  expected: FieldText;
  metadata: string;
  tags: string[];
}

export interface RecordValues {
  input: unknown;
  expected: unknown;
  metadata: Record<string, unknown>;
  tags: string[];
}

export type FormErrors = Partial<Record<"input" | "expected" | "metadata", string>>;

export function initialState(record?: Schemas["DatasetRecord"]): FormState {
  return {
    input: toFieldText(record?.input),
    expected: toFieldText(record?.expected),
    metadata: metadataToText(record?.metadata),
    tags: record?.tags ?? [],
  };
}

/** The values the form stands for, or what is wrong with each field. */
export function readForm(
  state: FormState,
): { ok: true; values: RecordValues } | { ok: false; errors: FormErrors } {
  const input = fromFieldText(state.input);
  const expected = fromFieldText(state.expected);
  const metadata = metadataFromText(state.metadata);
  const errors: FormErrors = {};
  if (!input.ok) errors.input = input.error;
  else if (input.value === null) errors.input = "A record needs an input: what the agent receives.";
  if (!expected.ok) errors.expected = expected.error;
  if (!metadata.ok) errors.metadata = metadata.error;
  if (!input.ok || !expected.ok || !metadata.ok || errors.input) return { ok: false, errors };
  return {
    ok: true,
    values: {
      input: input.value,
      expected: expected.value,
      metadata: metadata.value as Record<string, unknown>,
      tags: state.tags,
    },
  };
}

/** Only the fields an edit changed (the PATCH body); empty when nothing changed. */
export function changedFields(
  record: Schemas["DatasetRecord"],
  values: RecordValues,
): Partial<RecordValues> {
  const changes: Partial<RecordValues> = {};
  if (!sameValue(record.input, values.input)) changes.input = values.input;
  if (!sameValue(record.expected, values.expected)) changes.expected = values.expected;
  if (!sameValue(record.metadata ?? {}, values.metadata)) changes.metadata = values.metadata;
  if (!sameValue(record.tags ?? [], values.tags)) changes.tags = values.tags;
  return changes;
}
