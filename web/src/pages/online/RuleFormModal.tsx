import { Alert, Button, Group, Modal, NumberInput, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useJudges } from "../judges/useJudgeData";
import {
  buildRuleIn,
  buildRulePatch,
  draftFromRule,
  EMPTY_SCORER,
  emptyDraft,
  type DraftErrors,
  type RuleDraft,
  type ScorerDraft,
} from "./ruleForm";
import { RuleFilterFields } from "./RuleFilterFields";
import { RuleRouteFields } from "./RuleRouteFields";
import { ruleKeys, rulesApi, type Rule } from "./rulesApi";
import { ScorerFields } from "./ScorerFields";

interface Props {
  project: string;
  opened: boolean;
  onClose: () => void;
  /** The rule to edit; a new rule when absent. */
  rule?: Rule;
}

/** Create a rule, or edit one: which spans, the sample, the scorers, and an optional route. */
export function RuleFormModal({ project, opened, onClose, rule }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={rule ? `Edit rule ${rule.name}` : "New online rule"} size="xl">
      {opened && <RuleForm project={project} rule={rule} onClose={onClose} />}
    </Modal>
  );
}

function RuleForm({ project, rule, onClose }: Omit<Props, "opened">) {
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? draftFromRule(rule) : emptyDraft()));
  const [errors, setErrors] = useState<DraftErrors>({});
  const set = (change: Partial<RuleDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setErrors((e) => withoutErrorsOf(e, Object.keys(change)));
  };
  const judges = useJudges(project);
  const save = useSaveRule(project, rule, draft, { setErrors, onSaved: onClose });
  const judgeList = judges.data ?? [];
  const scoreNames = [
    ...new Set(
      draft.scorers.map((s) => judgeList.find((j) => j.name === s.judge)?.score_name).filter((n): n is string => !!n),
    ),
  ];
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <Group grow align="flex-start">
          <TextInput
            label="Name"
            placeholder="helpfulness-on-answers"
            value={draft.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            error={errors.name}
            disabled={!!rule}
            maxLength={200}
            withAsterisk={!rule}
            data-autofocus
          />
          <NumberInput
            label="Sample (%)"
            description="Share of matching spans scored; the same span is always in or out."
            min={0}
            max={100}
            decimalScale={3}
            value={draft.samplePercent}
            onChange={(v) => set({ samplePercent: v })}
            error={errors.samplePercent}
          />
        </Group>
        <Textarea
          label="Description"
          value={draft.description}
          onChange={(e) => set({ description: e.currentTarget.value })}
          autosize
          minRows={1}
        />
        <RuleFilterFields draft={draft} errors={errors} set={set} />
        <ScorerList project={project} draft={draft} errors={errors} judges={judgeList} set={set} />
        <RuleRouteFields project={project} draft={draft} errors={errors} set={set} scoreNames={scoreNames} />
        {save.isError && !(save.error instanceof DraftError) && (
          <Alert color="red" title={rule ? "Could not save the rule" : "Could not create the rule"} role="alert">
            {save.error.message}
          </Alert>
        )}
        {Object.keys(errors).length > 0 && (
          <Text size="sm" c="red" role="alert">
            Fix the fields marked in red.
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {rule ? "Save rule" : "Create rule"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Create or update the rule from the draft; problems found before sending go to `setErrors`. */
function useSaveRule(
  project: string,
  rule: Rule | undefined,
  draft: RuleDraft,
  { setErrors, onSaved }: { setErrors: (errors: DraftErrors) => void; onSaved: () => void },
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      if (rule) {
        const built = buildRulePatch(draft);
        if (!built.ok) throw new DraftError(built.errors);
        return rulesApi.update(project, rule.name, built.body);
      }
      const built = buildRuleIn(draft);
      if (!built.ok) throw new DraftError(built.errors);
      return rulesApi.create(project, built.body);
    },
    onMutate: () => setErrors({}),
    onError: (e) => e instanceof DraftError && setErrors(e.errors),
    onSuccess: async (saved) => {
      client.setQueryData(ruleKeys.one(project, saved.name), saved);
      await client.invalidateQueries({ queryKey: ruleKeys.all(project) });
      onSaved();
    },
  });
}

/** `errors` without those of the fields just edited ("scorers" covers each scorer's fields). */
function withoutErrorsOf(errors: DraftErrors, fields: string[]): DraftErrors {
  const edited = new Set(fields.map((f) => (f === "below" || f === "above" ? "bounds" : f)));
  return Object.fromEntries(Object.entries(errors).filter(([key]) => !edited.has(key.split(".")[0])));
}

/** Client-side problems of the draft, by field, raised before any request. */
class DraftError extends Error {
  readonly errors: DraftErrors;
  constructor(errors: DraftErrors) {
    super(Object.values(errors)[0] ?? "Fix the form.");
    this.errors = errors;
  }
}

function ScorerList({
  project,
  draft,
  errors,
  judges,
  set,
}: {
  project: string;
  draft: RuleDraft;
  errors: DraftErrors;
  judges: { name: string; latest_version: number }[];
  set: (change: Partial<RuleDraft>) => void;
}) {
  const change = (i: number, c: Partial<ScorerDraft>) =>
    set({ scorers: draft.scorers.map((s, j) => (j === i ? { ...s, ...c } : s)) });
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={6}>Scorers</Title>
        <Button
          size="compact-sm"
          variant="subtle"
          leftSection={<IconPlus size={14} />}
          onClick={() => set({ scorers: [...draft.scorers, { ...EMPTY_SCORER }] })}
          disabled={draft.scorers.length >= 20}
        >
          Add scorer
        </Button>
      </Group>
      {errors.scorers && (
        <Text size="sm" c="red">
          {errors.scorers}
        </Text>
      )}
      {draft.scorers.map((s, i) => (
        <ScorerFields
          key={i}
          project={project}
          index={i}
          scorer={s}
          judges={judges}
          errors={errors}
          onChange={(c) => change(i, c)}
          onRemove={draft.scorers.length > 1 ? () => set({ scorers: draft.scorers.filter((_, j) => j !== i) }) : undefined}
        />
      ))}
    </Stack>
  );
}
