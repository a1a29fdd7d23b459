/** What the dataset page keeps in the URL (the version shown and the search) and its links. */

import type { Schemas } from "../../api/client";

export interface DatasetParams {
  /** The version shown; undefined means the latest. */
  version?: number;
  q: string;
}

export function readDatasetParams(params: URLSearchParams): DatasetParams {
  const raw = params.get("version");
  const version = raw !== null && /^\d+$/.test(raw) ? Number(raw) : undefined;
  return { version, q: params.get("q") ?? "" };
}

/** `params` with `change` applied: a latest version or an empty search drops the parameter. */
export function writeDatasetParams(
  params: URLSearchParams,
  change: { version?: number | null; q?: string },
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (change.version !== undefined) {
    if (change.version === null) next.delete("version");
    else next.set("version", String(change.version));
  }
  if (change.q !== undefined) {
    if (change.q.trim() === "") next.delete("q");
    else next.set("q", change.q);
  }
  return next;
}

/** Path of a project's dataset page. */
export function datasetPath(project: string, dataset: string): string {
  return `/projects/${encodeURIComponent(project)}/datasets/${encodeURIComponent(dataset)}`;
}

/** The trace page of the span a record came from (its own project when it names one). */
export function sourcePath(project: string, source: Schemas["RecordSource"]): string {
  const owner = source.project || project;
  return (
    `/projects/${encodeURIComponent(owner)}/traces/${encodeURIComponent(source.trace_id)}` +
    `?span=${encodeURIComponent(source.span_id)}`
  );
}
