import { useQuery } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "./client";

type RecordIn = Schemas["RecordBatch"]["records"][number];

/** The project's datasets, and their names, for the "add to dataset" pickers. */
export function useDatasets(project: string) {
  const query = useQuery({
    queryKey: ["datasets", project],
    queryFn: () =>
      unwrap(api.GET("/api/v1/projects/{project}/datasets", { params: { path: { project } } })),
  });
  return { query, names: (query.data ?? []).map((d) => d.name) };
}

/** Create dataset ``name`` when it is new (``names`` are the ones that exist). */
export async function ensureDataset(
  project: string,
  name: string,
  { names, description }: { names: readonly string[]; description: string },
): Promise<void> {
  if (names.includes(name)) return;
  await unwrap(
    api.POST("/api/v1/projects/{project}/datasets", {
      params: { path: { project } },
      body: { name, description },
    }),
  );
}

/** Insert records into a dataset; a rejected record throws with the server's reason. */
export async function addRecords(
  project: string,
  name: string,
  records: RecordIn[],
): Promise<{ version: number; ids: (string | null)[] }> {
  const result = await unwrap(
    api.POST("/api/v1/projects/{project}/datasets/{name}/records", {
      params: { path: { project, name } },
      body: { records },
    }),
  );
  const rejected = result.rejected?.[0];
  if (rejected) {
    throw new Error(`The record was rejected: ${rejected.field ?? "record"} ${rejected.reason}`);
  }
  return { version: result.version, ids: result.ids };
}
