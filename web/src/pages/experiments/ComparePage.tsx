import { Alert, Anchor, Group, Stack, Text, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";

import { ApiError, type Schemas } from "../../api/client";
import { ErrorState, Loading } from "../../components/States";
import { CaseList } from "./CaseList";
import { CaseToolbar } from "./CaseToolbar";
import { countByFilter, mergeComparisons } from "./compareModel";
import { ComparePicker } from "./ComparePicker";
import { compareSearch, parseCompareState, type CompareState } from "./compareState";
import { CompareSummary } from "./CompareSummary";
import { mayHaveBaseline } from "./experimentList";
import { SingleExperiment } from "./SingleExperiment";
import { useComparisons, useExperiments } from "./useComparisons";

/** Two or more experiments side by side: a summary per scorer, then every case. */
export function ComparePage() {
  const project = useParams().project ?? "";
  const [params, setParams] = useSearchParams();
  const state = parseCompareState(params);
  const single = state.experiments.length === 1;
  const [listWanted, setListWanted] = useState(single);
  // The list feeds the pickers; it waits for the comparisons (not to slow them down), except
  // for a single experiment, where it tells whether there is a baseline to compare with.
  const experiments = useExperiments(project, { enabled: listWanted || single });
  const update = (change: Partial<CompareState>, push = false) =>
    setParams(compareSearch({ ...state, ...change }), { replace: !push });
  const lonely = single && lacksBaseline(state.experiments[0], experiments.data);
  const waiting = single && experiments.isPending;
  const result = useComparisons(project, lonely || waiting ? [] : state.experiments);
  if (!listWanted && (result.state !== "pending" || state.experiments.length === 0)) {
    setListWanted(true);
  }
  const names = (experiments.data ?? []).map((e) => e.name);
  const ready = result.state === "ready" ? result : null;
  const list = `/projects/${encodeURIComponent(project)}/experiments`;
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Compare experiments</Title>
          <Text size="sm" c="dimmed">
            Every experiment against the baseline, over the cases they share.{" "}
            <Anchor component={Link} to={list} size="sm">
              All experiments
            </Anchor>
          </Text>
        </div>
        <ComparePicker
          names={names}
          baseline={ready?.baseline ?? (state.experiments.length > 1 ? state.experiments[0] : null)}
          compared={ready?.compared ?? state.experiments.slice(single ? 0 : 1)}
          onChange={(next) => update({ experiments: next }, true)}
        />
      </Group>
      {state.experiments.length === 0 && (
        <Alert color="gray" title="Nothing to compare yet">
          Pick a baseline and one or more experiments above, or pick them in the{" "}
          <Anchor component={Link} to={list}>
            list of experiments
          </Anchor>
          .
        </Alert>
      )}
      {lonely && <SingleExperiment project={project} name={state.experiments[0]} />}
      {(waiting || result.state === "pending") && <Loading what="the comparison" />}
      {result.state === "error" &&
        (isNoBaseline(result.error) ? (
          <SingleExperiment project={project} name={result.experiment} />
        ) : (
          <ErrorState error={result.error} what={`the comparison of ${result.experiment}`} />
        ))}
      {ready && <CompareView project={project} result={ready} state={state} update={update} />}
    </Stack>
  );
}

function CompareView(props: {
  project: string;
  result: { baseline: string; compared: string[]; comparisons: Schemas["Comparison"][] };
  state: CompareState;
  update: (change: Partial<CompareState>) => void;
}) {
  const { project, result, state, update } = props;
  const rows = useMemo(() => mergeComparisons(result.comparisons), [result.comparisons]);
  const counts = useMemo(() => countByFilter(rows), [rows]);
  return (
    <>
      <CompareSummary comparisons={result.comparisons} />
      <Title order={3} mt="sm">
        Cases
      </Title>
      <CaseToolbar
        filter={state.filter}
        query={state.query}
        sort={state.sort}
        counts={counts}
        onChange={update}
      />
      <CaseList
        project={project}
        rows={rows}
        baseline={result.baseline}
        compared={result.compared}
        filter={state.filter}
        query={state.query}
        sort={state.sort}
      />
    </>
  );
}

function lacksBaseline(name: string, all: Schemas["Experiment"][] | undefined): boolean {
  const exp = all?.find((e) => e.name === name);
  return exp !== undefined && all !== undefined && !mayHaveBaseline(exp, all);
}

function isNoBaseline(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && /no baseline/.test(error.message);
}
