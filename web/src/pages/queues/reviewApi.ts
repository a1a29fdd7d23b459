/**
 * Calls of the review API (score configs, queues, items, reviews, agreement) and their query
 * keys, through the typed client (errors are `ApiError`s with the server's message).
 */
import { api, unwrap, type Schemas } from "../../api/client";
import { addRecords, ensureDataset } from "../../api/datasets";
import type { AddItemsIn, Queue, QueueIn, QueueProgress, ReviewIn, ScoreConfigIn, ScoreConfigPatch } from "./reviewTypes";

/** A queue with the fields the server always fills made non-optional. */
export type FullQueue = Queue & { assignees: string[]; progress: QueueProgress & { by_reviewer: Record<string, number> } };

export function withDefaults(queue: Queue): FullQueue {
  const progress = queue.progress ?? { items: 0, completed: 0, reviews: 0, in_progress: 0 };
  return { ...queue, assignees: queue.assignees ?? [], progress: { ...progress, by_reviewer: progress.by_reviewer ?? {} } };
}

export const reviewKeys = {
  configs: (project: string) => ["score-configs", project] as const,
  queues: (project: string) => ["queues", project] as const,
  queue: (project: string, queue: string) => ["queues", project, queue] as const,
  items: (project: string, queue: string, status: string) => ["queues", project, queue, "items", status] as const,
  reviews: (project: string, queue: string) => ["queues", project, queue, "reviews"] as const,
  agreement: (project: string, queue: string) => ["queues", project, queue, "agreement"] as const,
};

const P = "/api/v1/projects/{project}";
export type ItemStatus = "pending" | "done" | "all";

export const reviewApi = {
  listConfigs: (project: string, includeArchived = false) =>
    unwrap(
      api.GET(`${P}/score-configs`, {
        params: { path: { project }, query: { include_archived: includeArchived } },
      }),
    ),
  createConfig: (project: string, body: ScoreConfigIn) =>
    unwrap(api.POST(`${P}/score-configs`, { params: { path: { project } }, body })),
  updateConfig: (project: string, name: string, body: ScoreConfigPatch) =>
    unwrap(api.PATCH(`${P}/score-configs/{name}`, { params: { path: { project, name } }, body })),

  listQueues: (project: string) => unwrap(api.GET(`${P}/queues`, { params: { path: { project } } })),
  getQueue: (project: string, queue: string) =>
    unwrap(api.GET(`${P}/queues/{queue}`, { params: { path: { project, queue } } })),
  createQueue: (project: string, body: QueueIn) =>
    unwrap(api.POST(`${P}/queues`, { params: { path: { project } }, body })),
  addItems: (project: string, queue: string, body: AddItemsIn) =>
    unwrap(api.POST(`${P}/queues/{queue}/items`, { params: { path: { project, queue } }, body })),
  listItems: (project: string, queue: string, query: { status: ItemStatus; limit: number; cursor?: string | null }) =>
    unwrap(api.GET(`${P}/queues/{queue}/items`, { params: { path: { project, queue }, query } })),
  next: (project: string, queue: string, body: { reviewer: string; count: number; after?: string | null }) =>
    unwrap(api.POST(`${P}/queues/{queue}/next`, { params: { path: { project, queue } }, body })),
  submitReview: (project: string, queue: string, itemId: string, body: ReviewIn) =>
    unwrap(
      api.POST(`${P}/queues/{queue}/items/{item_id}/reviews`, {
        params: { path: { project, queue, item_id: itemId } },
        body,
      }),
    ),
  skip: (project: string, queue: string, itemId: string, reviewer: string) =>
    unwrap(
      api.POST(`${P}/queues/{queue}/items/{item_id}/skip`, {
        params: { path: { project, queue, item_id: itemId } },
        body: { reviewer },
      }),
    ),
  listReviews: (project: string, queue: string, query: { item_id?: string; reviewer?: string } = {}) =>
    unwrap(api.GET(`${P}/queues/{queue}/reviews`, { params: { path: { project, queue }, query } })),
  agreement: (project: string, queue: string) =>
    unwrap(api.GET(`${P}/queues/{queue}/agreement`, { params: { path: { project, queue } } })),
};

export type RecordFromReview = {
  input: unknown;
  expected: unknown;
  source: Schemas["RecordSource"];
};

/** Add one record to a dataset (creating the dataset first when asked); its new version. */
export async function addRecordFromReview(
  project: string,
  dataset: { name: string; create: boolean },
  record: RecordFromReview,
): Promise<number> {
  if (dataset.create) {
    await ensureDataset(project, dataset.name, {
      names: [],
      description: `Examples corrected by reviewers in ${project}.`,
    });
  }
  return (await addRecords(project, dataset.name, [record])).version;
}
