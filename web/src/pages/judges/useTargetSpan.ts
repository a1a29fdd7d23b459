import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";

/** The span a score was given on, with its bodies; a trace-level score means the root span. */
export function useTargetSpan(project: string, traceId: string, spanId: string | null | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ["target-span", project, traceId, spanId ?? "root"],
    enabled,
    staleTime: 60_000,
    queryFn: async () => {
      let id = spanId ?? null;
      if (!id) {
        const trace = await unwrap(
          api.GET("/api/v1/projects/{project}/traces/{trace_id}", {
            params: { path: { project, trace_id: traceId }, query: { bodies: false } },
          }),
        );
        id = trace.roots?.[0]?.span_id ?? null;
        if (!id) throw new Error(`Trace ${traceId} has no spans to take an input from.`);
      }
      return unwrap(
        api.GET("/api/v1/projects/{project}/traces/{trace_id}/spans/{span_id}", {
          params: { path: { project, trace_id: traceId, span_id: id } },
        }),
      );
    },
  });
}
