import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";

/** One span with its bodies (input, output, metadata), fetched when it is selected. */
export function useSpan(project: string, traceId: string, spanId: string | null) {
  return useQuery({
    queryKey: ["span", project, traceId, spanId],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/traces/{trace_id}/spans/{span_id}", {
          params: { path: { project, trace_id: traceId, span_id: spanId ?? "" } },
        }),
      ),
    enabled: spanId !== null,
    staleTime: 60_000,
  });
}
