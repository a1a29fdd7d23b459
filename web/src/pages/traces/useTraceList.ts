import { useInfiniteQuery } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";
import { toApiQuery, type TraceFilters } from "./filters";

export type TraceSummary = Schemas["TraceSummary"];

/** Rows per request: a screenful or two, so the first page comes back fast. */
export const PAGE_SIZE = 100;

interface PageParam {
  cursor: string | null;
  /** When the first page was asked for: a relative range ("last hour") ends here for all pages. */
  now: number | null;
}

interface LoadedPage {
  items: TraceSummary[];
  nextCursor: string | null;
  now: number;
}

async function fetchPage(project: string, filters: TraceFilters, param: PageParam) {
  const now = param.now ?? Date.now();
  const query = { ...toApiQuery(filters, now), limit: PAGE_SIZE, cursor: param.cursor };
  const page = await unwrap(
    api.GET("/api/v1/projects/{project}/traces", { params: { path: { project }, query } }),
  );
  return { items: page.items, nextCursor: page.next_cursor ?? null, now } satisfies LoadedPage;
}

/** The trace list, one page at a time through the API's cursor; `fetchNextPage` loads more. */
export function useTraceList(project: string, filters: TraceFilters) {
  return useInfiniteQuery({
    queryKey: ["traces", project, filters],
    queryFn: ({ pageParam }) => fetchPage(project, filters, pageParam),
    initialPageParam: { cursor: null, now: null } as PageParam,
    getNextPageParam: (last: LoadedPage): PageParam | undefined =>
      last.nextCursor ? { cursor: last.nextCursor, now: last.now } : undefined,
  });
}
