import { ActionIcon, Autocomplete, Group, Paper, SegmentedControl, Select, Stack, Textarea, Tooltip } from "@mantine/core";
import { IconTrash } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { DraftErrors, ScorerDraft } from "./ruleForm";

/** Built-in code scorers of `assay.scorers` a rule can run on a span's output. */
export const BUILT_IN_SCORERS = [
  "valid_json",
  "json_schema",
  "contains",
  "regex",
  "exact_match",
  "levenshtein",
  "numeric_diff",
  "json_diff",
  "list_contains",
];

interface Props {
  project: string;
  index: number;
  scorer: ScorerDraft;
  judges: { name: string; latest_version: number }[];
  errors: DraftErrors;
  onChange: (change: Partial<ScorerDraft>) => void;
  onRemove?: () => void;
}

/** One scorer of a rule: a stored judge at a version (or its latest), or a built-in scorer. */
export function ScorerFields({ project, index, scorer, judges, errors, onChange, onRemove }: Props) {
  const field = `scorers.${index}`;
  const n = index + 1;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="scorer-fields">
      <Stack gap="xs">
        <Group justify="space-between">
          <SegmentedControl
            size="xs"
            aria-label={`Scorer ${n} type`}
            value={scorer.type}
            onChange={(v) => onChange({ type: v as ScorerDraft["type"] })}
            data={[
              { value: "judge", label: "LLM judge" },
              { value: "scorer", label: "Built-in scorer" },
            ]}
          />
          {onRemove && (
            <Tooltip label="Remove this scorer">
              <ActionIcon variant="subtle" color="gray" aria-label={`Remove scorer ${n}`} onClick={onRemove}>
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
        {scorer.type === "judge" ? (
          <Group grow align="flex-start">
            <Select
              label={`Judge ${n}`}
              placeholder={judges.length ? "Pick a judge" : "No judges in this project"}
              data={judges.map((j) => j.name)}
              value={scorer.judge || null}
              onChange={(v) => onChange({ judge: v ?? "", version: "latest" })}
              error={errors[`${field}.judge`]}
              searchable
            />
            <VersionSelect project={project} n={n} scorer={scorer} judges={judges} onChange={onChange} />
          </Group>
        ) : (
          <Group grow align="flex-start">
            <Autocomplete
              label={`Scorer ${n}`}
              placeholder="valid_json"
              data={BUILT_IN_SCORERS}
              value={scorer.scorer}
              onChange={(v) => onChange({ scorer: v })}
              error={errors[`${field}.scorer`]}
            />
            <Textarea
              label={`Arguments of scorer ${n}`}
              description="A JSON object, e.g. {&quot;text&quot;: &quot;sorry&quot;}; empty for none."
              placeholder="{}"
              value={scorer.args}
              onChange={(e) => onChange({ args: e.currentTarget.value })}
              error={errors[`${field}.args`]}
              autosize
              minRows={1}
              ff="monospace"
            />
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function VersionSelect({
  project,
  n,
  scorer,
  judges,
  onChange,
}: Pick<Props, "project" | "scorer" | "judges" | "onChange"> & { n: number }) {
  const name = scorer.judge;
  const versions = useQuery({
    queryKey: ["judge-versions", project, name],
    queryFn: () =>
      unwrap(api.GET("/api/v1/projects/{project}/judges/{name}/versions", { params: { path: { project, name } } })),
    enabled: name !== "",
  });
  const latest = judges.find((j) => j.name === scorer.judge)?.latest_version;
  const data = [
    { value: "latest", label: latest ? `Latest (now v${latest})` : "Latest" },
    ...[...(versions.data ?? [])].reverse().map((v) => ({ value: String(v.version), label: `v${v.version}` })),
  ];
  return (
    <Select
      label={`Version of judge ${n}`}
      description="Latest follows new versions; a number pins one."
      data={data}
      value={scorer.version}
      onChange={(v) => onChange({ version: v ?? "latest" })}
      allowDeselect={false}
      disabled={!scorer.judge}
    />
  );
}
