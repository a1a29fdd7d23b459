import { useQuery, type QueryClient } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";
import type { QueueItem } from "./reviewTypes";

type SpanNode = Schemas["SpanNode"];

function traceQuery(project: string, traceId: string) {
  return {
    queryKey: ["review-trace", project, traceId],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/traces/{trace_id}", {
          params: { path: { project, trace_id: traceId }, query: { bodies: true } },
        }),
      ),
    staleTime: 5 * 60_000,
  };
}

/** The trace of a queue item with its bodies, and the span under review (the root for a trace). */
export function useReviewItem(project: string, item: QueueItem | null) {
  const trace = useQuery({ ...traceQuery(project, item?.trace_id ?? ""), enabled: item !== null });
  const span = trace.data && item ? findSpan(trace.data.roots, item.span_id ?? null) : undefined;
  return { trace, span };
}

/** Load an item's trace ahead of time, so the next item shows at once. */
export function prefetchReviewItem(client: QueryClient, project: string, item: QueueItem): void {
  void client.prefetchQuery(traceQuery(project, item.trace_id));
}

export function findSpan(roots: SpanNode[], spanId: string | null): SpanNode | undefined {
  if (spanId === null) return roots[0];
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.span_id === spanId) return node;
    stack.push(...(node.children ?? []));
  }
  return undefined;
}

/** The tool calls made under a span, in the order they started. */
export function toolSteps(span: SpanNode): SpanNode[] {
  const out: SpanNode[] = [];
  const walk = (node: SpanNode) => {
    for (const child of node.children ?? []) {
      if (child.kind === "tool") out.push(child);
      walk(child);
    }
  };
  walk(span);
  return out.sort((a, b) => a.start_time.localeCompare(b.start_time));
}
