import { Alert, Button, Group, Modal, MultiSelect, NumberInput, Select, Stack, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useExperiments } from "../experiments/useComparisons";
import { baselineChoices } from "./baselineChoice";
import { playgroundApi, playgroundKeys, type PlaygroundExperiment } from "./playgroundApi";
import { scorerChoices, toScorer } from "./scorerChoice";
import { toRunVariant, type Variant } from "./variantModel";

/** Run a variant over a dataset with scorers; it becomes an experiment (a server-side job). */
export function DatasetRunDialog({
  project,
  variants,
  onClose,
  onStarted,
}: {
  project: string;
  variants: Variant[];
  onClose: () => void;
  onStarted: (run: PlaygroundExperiment) => void;
}) {
  const [variantId, setVariantId] = useState(variants[0]?.id ?? "");
  const [dataset, setDataset] = useState<string | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [scorers, setScorers] = useState<string[]>([]);
  const [name, setName] = useState("");
  const [baseline, setBaseline] = useState<string | null>(null);
  const datasets = useQuery({ queryKey: playgroundKeys.datasets(project), queryFn: () => playgroundApi.datasets(project) });
  const judges = useQuery({ queryKey: playgroundKeys.judges(project), queryFn: () => playgroundApi.judges(project) });
  const experiments = useExperiments(project);
  const client = useQueryClient();
  const chosen = datasets.data?.find((d) => d.name === dataset);
  const baselines = baselineChoices(experiments.data ?? [], dataset);
  const start = useMutation({
    mutationFn: () => {
      const variant = variants.find((v) => v.id === variantId) ?? variants[0];
      if (!variant || !dataset) throw new Error("Pick a dataset.");
      return playgroundApi.startExperiment(project, {
        variant: toRunVariant(variant),
        dataset,
        dataset_version: version,
        scorers: scorers.map(toScorer).filter((s) => s !== null),
        name: name.trim() || null,
        baseline: baseline && baselines.includes(baseline) ? baseline : null,
        concurrency: 4,
      });
    },
    onSuccess: (run) => {
      // The new experiment is a baseline for the next run.
      void client.invalidateQueries({ queryKey: ["experiments", project] });
      onStarted(run);
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title="Run over a dataset" size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate();
        }}
      >
        <Stack>
          {variants.length > 1 && (
            <Select
              label="Variant"
              data={variants.map((v) => ({ value: v.id, label: `Variant ${v.label}` }))}
              value={variantId}
              onChange={(v) => v && setVariantId(v)}
              allowDeselect={false}
            />
          )}
          <Group grow align="flex-start">
            <Select
              label="Dataset"
              placeholder={datasets.data?.length === 0 ? "This project has no datasets" : "Pick a dataset"}
              description={chosen ? `${chosen.record_count ?? 0} records, version ${chosen.version ?? "—"}` : undefined}
              data={(datasets.data ?? []).map((d) => d.name)}
              value={dataset}
              onChange={(d) => {
                setDataset(d);
                setBaseline(null);
              }}
              searchable
              error={datasets.isError ? datasets.error.message : undefined}
            />
            <NumberInput
              label="Dataset version"
              description="Empty: the latest."
              placeholder="latest"
              min={1}
              allowDecimal={false}
              value={version ?? ""}
              onChange={(v) => setVersion(typeof v === "number" ? v : null)}
            />
          </Group>
          <MultiSelect
            label="Scorers"
            description="LLM judges of this project and built-in scorers that compare with the expected output."
            placeholder={scorers.length ? undefined : "Pick scorers"}
            data={scorerChoices(judges.data ?? [])}
            value={scorers}
            onChange={setScorers}
            searchable
          />
          <Select
            label="Baseline"
            description={
              baselines.length
                ? "The experiment this run is compared with. Empty: the latest earlier run on this dataset."
                : dataset
                  ? "No experiment ran on this dataset yet: this run will be the first."
                  : "Pick a dataset to choose among its experiments."
            }
            placeholder={baselines.length ? "Latest earlier run" : undefined}
            data={baselines}
            value={baseline}
            onChange={setBaseline}
            disabled={baselines.length === 0}
            searchable
            clearable
            error={experiments.isError ? experiments.error.message : undefined}
          />
          <TextInput
            label="Experiment name"
            description="Empty: a name made from the variant."
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={200}
          />
          {start.isError && (
            <Alert color="red" title="Could not start the run" role="alert">
              {start.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={start.isPending} disabled={!dataset}>
              Start
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
