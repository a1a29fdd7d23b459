import { Alert, Button, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconPlayerPlay, IconPlayerStop, IconPlus, IconTable } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { useParams, useSearchParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useCan } from "../auth/useAuth";
import { DatasetRunDialog } from "./DatasetRunDialog";
import { DatasetRunProgress } from "./DatasetRunProgress";
import type { PlaygroundExperiment } from "./playgroundApi";
import { readStart, startKey, startSearch, type PlaygroundStart } from "./playgroundUrl";
import { StartBar } from "./StartBar";
import { useRuns } from "./useRuns";
import { useStartVariant } from "./useStartVariant";
import { VariablesPanel } from "./VariablesPanel";
import { variablesOf } from "./variables";
import { VariantColumn } from "./VariantColumn";
import {
  contentKey,
  duplicateVariant,
  MAX_VARIANTS,
  nextLabel,
  variantTemplates,
  type PromptVersion,
  type Variant,
} from "./variantModel";

/** The agent input's text as sent: JSON when it reads as JSON, else the text (none when empty). */
function agentInputValue(text: string): unknown {
  const t = text.trim();
  if (t === "") return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return text;
  }
}

/** Edit a prompt (or an agent's parameters) in variants side by side, run them on the same
 * variables with streamed answers, save a variant as a new version, or run it over a dataset. */
export function PlaygroundPage() {
  const project = useParams().project ?? "";
  const [params, setParams] = useSearchParams();
  const start = useMemo(() => readStart(params), [params]);
  const key = startKey(start);
  const loaded = useStartVariant(project, start);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [variants, setVariants] = useState<Variant[]>([]);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [agentInput, setAgentInput] = useState("");
  const [datasetDialog, setDatasetDialog] = useState(false);
  const [datasetRun, setDatasetRun] = useState<PlaygroundExperiment | null>(null);
  const runs = useRuns(project);
  const canRun = useCan(project, "annotator");

  // The address the page saved itself (after "Save as new version"): nothing to load again.
  const [adopted, setAdopted] = useState<string | null>(null);
  // A new start in the address replaces the columns (the variables stay).
  if (loadedKey !== key && key === adopted) {
    setLoadedKey(key);
  } else if (loadedKey !== key && loaded.isSuccess) {
    setLoadedKey(key);
    setVariants(loaded.data ? [loaded.data] : []);
  }
  const ready = loadedKey === key;

  const openStart = (next: PlaygroundStart) => setParams(new URLSearchParams(startSearch(next)));
  const names = useMemo(() => variablesOf(variants.flatMap(variantTemplates)), [variants]);
  const hasAgent = variants.some((v) => v.kind === "agent");
  const models = useMemo(() => variants.map((v) => v.model).filter(Boolean), [variants]);

  const change = (id: string, patch: Partial<Variant>) =>
    setVariants((all) => all.map((v) => (v.id === id ? { ...v, ...patch } : v)));
  const duplicate = (v: Variant) =>
    setVariants((all) => (all.length >= MAX_VARIANTS ? all : [...all, duplicateVariant(v, nextLabel(all))]));
  const remove = (id: string) => {
    runs.forget(id);
    setVariants((all) => all.filter((v) => v.id !== id));
  };
  const saved = (variant: Variant, version: PromptVersion) => {
    const origin = { name: version.prompt, version: version.version, label: null };
    change(variant.id, { origin, savedKey: contentKey({ ...variant, origin }) });
    if (variants.length === 1) {
      // Keep the address pointing at what is on screen, without loading it again.
      const next: PlaygroundStart = { kind: "prompt", name: version.prompt, version: version.version, label: null };
      setAdopted(startKey(next));
      setParams(new URLSearchParams(startSearch(next)), { replace: true });
    }
  };
  const runAll = () => {
    const variables = Object.fromEntries(names.map((n) => [n, values[n] ?? ""]));
    runs.run(variants, { variables, input: agentInputValue(agentInput) });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Playground</Title>
          <Text c="dimmed" size="sm">
            Try a prompt on your own inputs, compare variants side by side, and save the one you like.
          </Text>
        </div>
      </Group>
      <StartBar project={project} start={start} onStart={openStart} />
      {start.kind === "none" ? (
        <EmptyState title="Pick a prompt to start from">
          <Text c="dimmed" ta="center" maw={560}>
            Open a saved prompt above, start from a blank template, or use “Open in playground” on an LLM call in
            a trace to start from what your agent really sent.
          </Text>
          <Button onClick={() => openStart({ kind: "new" })}>Start from a blank template</Button>
        </EmptyState>
      ) : !ready && loaded.isError ? (
        <ErrorState error={loaded.error} what="where the playground starts" />
      ) : !ready ? (
        <Loading what="the variant" />
      ) : (
        <>
          <Group gap="sm">
            {runs.running ? (
              <Button color="red" leftSection={<IconPlayerStop size={16} />} onClick={runs.stop}>
                Stop
              </Button>
            ) : (
              <Button
                leftSection={<IconPlayerPlay size={16} />}
                onClick={runAll}
                disabled={!canRun || variants.length === 0}
              >
                {variants.length > 1 ? "Run all" : "Run"}
              </Button>
            )}
            <Button
              variant="default"
              leftSection={<IconPlus size={16} />}
              disabled={variants.length === 0 || variants.length >= MAX_VARIANTS}
              onClick={() => {
                const last = variants[variants.length - 1];
                if (last) duplicate(last);
              }}
            >
              Add variant
            </Button>
            <Button
              variant="default"
              leftSection={<IconTable size={16} />}
              disabled={!canRun || variants.length === 0}
              onClick={() => setDatasetDialog(true)}
            >
              Run over a dataset
            </Button>
            {!canRun && (
              <Text size="sm" c="dimmed">
                Running needs the annotator role in this project.
              </Text>
            )}
          </Group>
          {datasetRun && (
            <DatasetRunProgress
              key={datasetRun.experiment}
              project={project}
              started={datasetRun}
              onDismiss={() => setDatasetRun(null)}
            />
          )}
          <VariablesPanel
            project={project}
            names={names}
            values={values}
            onChange={setValues}
            agentInput={hasAgent ? agentInput : null}
            onAgentInput={setAgentInput}
          />
          {variants.length === 0 ? (
            <Alert color="gray">Every variant was removed. Pick a prompt above or start a blank one.</Alert>
          ) : (
            <SimpleGrid cols={{ base: 1, md: Math.min(variants.length, 2), xl: variants.length }} spacing="md">
              {variants.map((v) => (
                <VariantColumn
                  key={v.id}
                  project={project}
                  variant={v}
                  run={runs.runs[v.id]}
                  models={models}
                  onChange={(patch) => change(v.id, patch)}
                  onDuplicate={variants.length < MAX_VARIANTS ? () => duplicate(v) : undefined}
                  onRemove={variants.length > 1 ? () => remove(v.id) : undefined}
                  onSaved={(version) => saved(v, version)}
                />
              ))}
            </SimpleGrid>
          )}
          {datasetDialog && (
            <DatasetRunDialog
              project={project}
              variants={variants}
              onClose={() => setDatasetDialog(false)}
              onStarted={setDatasetRun}
            />
          )}
        </>
      )}
    </Stack>
  );
}
