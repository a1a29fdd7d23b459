import { Autocomplete, Group, Input, NumberInput, SegmentedControl, Select, Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";

import { reviewApi, reviewKeys } from "../queues/reviewApi";
import { METRIC_LABELS } from "../judges/agreementFormat";
import { useJudges } from "../judges/useJudgeData";
import type { AlertDraft, AlertErrors, WindowUnit } from "./alertForm";
import type { AlertMetric } from "./alertsApi";
import { METRICS } from "./alertText";

interface Props {
  project: string;
  draft: AlertDraft;
  errors: AlertErrors;
  set: (change: Partial<AlertDraft>) => void;
  /** The metric is fixed once the alert exists. */
  fixedMetric: boolean;
}

/** The series watched (with the fields its metric needs), the condition and the window. */
export function AlertMetricFields({ project, draft, errors, set, fixedMetric }: Props) {
  return (
    <Stack gap="xs">
      <Select
        label="Metric"
        description={METRICS[draft.metric].hint}
        data={Object.entries(METRICS).map(([value, m]) => ({ value, label: m.label }))}
        value={draft.metric}
        onChange={(v) => v && set({ metric: v as AlertMetric })}
        allowDeselect={false}
        disabled={fixedMetric}
      />
      {draft.metric === "score_mean" && <ScoreNameField project={project} draft={draft} errors={errors} set={set} />}
      {draft.metric === "judge_agreement" && <JudgeFields project={project} draft={draft} errors={errors} set={set} />}
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <Stack gap={2}>
          <Input.Label>Fires when the value is</Input.Label>
          <SegmentedControl
            aria-label="Operator"
            value={draft.operator}
            onChange={(v) => set({ operator: v as AlertDraft["operator"] })}
            data={[
              { value: "above", label: "above" },
              { value: "below", label: "below" },
            ]}
          />
        </Stack>
        <NumberInput
          label="Threshold"
          value={draft.threshold}
          onChange={(v) => set({ threshold: v })}
          error={errors.threshold}
          w={100}
          decimalScale={6}
        />
        <NumberInput
          label="Window"
          value={draft.windowValue}
          onChange={(v) => set({ windowValue: v })}
          error={errors.window}
          min={1}
          w={90}
        />
        <Select
          aria-label="Window unit"
          data={[
            { value: "s", label: "seconds" },
            { value: "min", label: "minutes" },
            { value: "h", label: "hours" },
          ]}
          value={draft.windowUnit}
          onChange={(v) => v && set({ windowUnit: v as WindowUnit })}
          allowDeselect={false}
          w={120}
        />
      </Group>
    </Stack>
  );
}

function ScoreNameField({ project, draft, errors, set }: Omit<Props, "fixedMetric">) {
  const configs = useQuery({
    queryKey: [...reviewKeys.configs(project), false],
    queryFn: () => reviewApi.listConfigs(project, false),
  });
  const judges = useJudges(project);
  const names = [
    ...new Set([...(configs.data ?? []).map((c) => c.name), ...(judges.data ?? []).map((j) => j.score_name)]),
  ];
  return (
    <Autocomplete
      label="Score name"
      description="The mean of this score's values (0–1) over the window."
      data={names}
      value={draft.scoreName}
      onChange={(v) => set({ scoreName: v })}
      error={errors.scoreName}
    />
  );
}

function JudgeFields({ project, draft, errors, set }: Omit<Props, "fixedMetric">) {
  const judges = useJudges(project);
  return (
    <Group grow align="flex-start">
      <Select
        label="Judge"
        data={(judges.data ?? []).map((j) => j.name)}
        value={draft.judge || null}
        onChange={(v) => set({ judge: v ?? "" })}
        error={errors.judge}
        searchable
      />
      <Select
        label="Statistic"
        data={Object.entries(METRIC_LABELS).map(([value, label]) => ({ value, label }))}
        value={draft.agreementMetric}
        onChange={(v) => set({ agreementMetric: v ?? "cohen_kappa" })}
        allowDeselect={false}
      />
    </Group>
  );
}
