/**
 * Calls of the prompts, agents, datasets, judges and playground API the playground makes, and
 * the streamed run, read as it arrives (openapi-fetch cannot stream, so it is a plain fetch).
 */
import { api, ApiError, csrfHeaders, unwrap, type Schemas } from "../../api/client";
import { readSse } from "./sse";

/** The `done` event of a run (the server's PlaygroundResult, which the schema does not list
 * because the route answers with a stream). */
export interface PlaygroundResult {
  output?: string | null;
  tool_calls?: Record<string, unknown>[];
  model?: string | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  cost?: number | null;
  latency_ms: number;
  ttft_ms?: number | null;
  trace_id?: string | null;
}
export type PlaygroundRunIn = Schemas["PlaygroundRunIn"];
export type PlaygroundExperiment = Schemas["PlaygroundExperiment"];
export type PlaygroundExperimentIn = Schemas["PlaygroundExperimentIn"];

const P = "/api/v1/projects/{project}";

export const playgroundKeys = {
  prompts: (project: string) => ["prompts", project] as const,
  versions: (project: string, name: string) => ["prompt-versions", project, name] as const,
  agents: (project: string) => ["agents", project] as const,
  datasets: (project: string) => ["datasets", project] as const,
  records: (project: string, dataset: string) => ["playground-records", project, dataset] as const,
  judges: (project: string) => ["judges", project] as const,
  experiment: (project: string, name: string) => ["playground-experiment", project, name] as const,
};

export const playgroundApi = {
  prompts: (project: string) => unwrap(api.GET(`${P}/prompts`, { params: { path: { project } } })),
  versions: (project: string, name: string) =>
    unwrap(api.GET(`${P}/prompts/{name}/versions`, { params: { path: { project, name } } })),
  resolve: (project: string, name: string, query: { version?: number; label?: string }) =>
    unwrap(api.GET(`${P}/prompts/{name}/resolve`, { params: { path: { project, name }, query } })),
  span: (project: string, traceId: string, spanId: string) =>
    unwrap(
      api.GET(`${P}/traces/{trace_id}/spans/{span_id}`, {
        params: { path: { project, trace_id: traceId, span_id: spanId } },
      }),
    ),
  agents: (project: string) => unwrap(api.GET(`${P}/agents`, { params: { path: { project } } })),
  agent: (project: string, name: string) =>
    unwrap(api.GET(`${P}/agents/{name}`, { params: { path: { project, name } } })),
  datasets: (project: string) => unwrap(api.GET(`${P}/datasets`, { params: { path: { project } } })),
  records: (project: string, name: string) =>
    unwrap(api.GET(`${P}/datasets/{name}/records`, { params: { path: { project, name }, query: { limit: 200 } } })),
  judges: (project: string) => unwrap(api.GET(`${P}/judges`, { params: { path: { project } } })),
  saveVersion: (project: string, name: string, body: Schemas["PromptVersionIn"]) =>
    unwrap(api.POST(`${P}/prompts/{name}/versions`, { params: { path: { project, name } }, body })),
  moveLabel: (project: string, name: string, label: string, version: number) =>
    unwrap(
      api.PUT(`${P}/prompts/{name}/labels/{label}`, {
        params: { path: { project, name, label } },
        body: { version, reason: "promoted from the playground" },
      }),
    ),
  startExperiment: (project: string, body: PlaygroundExperimentIn) =>
    unwrap(api.POST(`${P}/playground/experiments`, { params: { path: { project } }, body })),
  experiment: (project: string, name: string) =>
    unwrap(api.GET(`${P}/playground/experiments/{name}`, { params: { path: { project, name } } })),
  cancelExperiment: (project: string, name: string) =>
    unwrap(api.POST(`${P}/playground/experiments/{name}/cancel`, { params: { path: { project, name } } })),
};

function parse(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Run one variant on one input; `onDelta` gets each piece of text as it arrives. Resolves with
 * the `done` event; rejects with the server's message (an `error` event or a 4xx/5xx), or an
 * `AbortError` when `signal` aborts.
 */
export async function streamRun(
  project: string,
  body: PlaygroundRunIn,
  { signal, onDelta }: { signal: AbortSignal; onDelta: (text: string) => void },
): Promise<PlaygroundResult> {
  const response = await fetch(`/api/v1/projects/${encodeURIComponent(project)}/playground/runs`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream", ...csrfHeaders("POST") },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok || response.body === null) {
    const error: unknown = await response.json().catch(() => undefined);
    throw new ApiError(response.status, error, response.headers);
  }
  for await (const event of readSse(response.body)) {
    const data = parse(event.data);
    if (event.event === "delta" && typeof data.text === "string") onDelta(data.text);
    else if (event.event === "done") return data as unknown as PlaygroundResult;
    else if (event.event === "error") {
      throw new Error(typeof data.message === "string" ? data.message : "The run failed.");
    }
  }
  throw new Error("The answer ended before it finished; try again.");
}
