import { Anchor, Paper, Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";

import { api, ApiError, unwrap, type Schemas } from "../../api/client";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { TraceView } from "./TraceView";

/** Traces this small that still have open spans are fetched again every few seconds. */
const LIVE_LIMIT = 2_000;
const LIVE_MS = 5_000;

/** One trace: the span tree and its waterfall, the selected span's detail beside them. */
export function TracePage() {
  const { project = "", traceId = "" } = useParams();
  const trace = useQuery({
    queryKey: ["trace", project, traceId],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/traces/{trace_id}", {
          params: { path: { project, trace_id: traceId }, query: { bodies: false } },
        }),
      ),
    // A big trace is tens of megabytes: comparing it with the previous answer costs more than it saves.
    structuralSharing: false,
    refetchInterval: (query) => (isLive(query.state.data) ? LIVE_MS : false),
  });
  const scores = useQuery({
    queryKey: ["trace-scores", project, traceId],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/traces/{trace_id}/scores", {
          params: { path: { project, trace_id: traceId } },
        }),
      ),
  });
  if (trace.isPending) return <Loading what="the trace" />;
  if (trace.isError) {
    if (trace.error instanceof ApiError && trace.error.status === 404) {
      return (
        <EmptyState title="No such trace">
          <Paper p="sm">{trace.error.message}</Paper>
          <Anchor component={Link} to={`/projects/${encodeURIComponent(project)}/traces`}>
            See the traces of {project}
          </Anchor>
        </EmptyState>
      );
    }
    return <ErrorState error={trace.error} what="the trace" />;
  }
  return (
    <Stack gap="sm" h="calc(100dvh - 52px - 2 * var(--mantine-spacing-md))">
      <TraceView project={project} traceId={traceId} trace={trace.data} scores={scores.data ?? []} />
    </Stack>
  );
}

function isLive(trace: Schemas["Trace"] | undefined): boolean {
  if (!trace || trace.span_count > LIVE_LIMIT) return false;
  const stack = [...trace.roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.open) return true;
    stack.push(...(node.children ?? []));
  }
  return false;
}
