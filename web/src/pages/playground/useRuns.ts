import { useEffect, useRef, useState } from "react";

import { streamRun, type PlaygroundResult } from "./playgroundApi";
import { toRunVariant, type Variant } from "./variantModel";

/** One column's run: the text so far, then its result or what went wrong. */
export interface RunState {
  status: "running" | "done" | "error" | "stopped";
  text: string;
  result: PlaygroundResult | null;
  error: string | null;
}

/** What a run sends besides the variant: template variables, and an agent's input. */
export interface RunInput {
  variables: Record<string, unknown>;
  input: unknown;
}

/** Runs of the variants side by side, streamed; `stop` aborts every one still running. */
export function useRuns(project: string) {
  const [runs, setRuns] = useState<Record<string, RunState>>({});
  const controllers = useRef(new Map<string, AbortController>());

  const update = (id: string, change: (run: RunState) => RunState) =>
    setRuns((all) => {
      const run = all[id];
      return run ? { ...all, [id]: change(run) } : all;
    });

  const runOne = async (variant: Variant, input: RunInput) => {
    controllers.current.get(variant.id)?.abort();
    const fresh: RunState = { status: "running", text: "", result: null, error: null };
    setRuns((all) => ({ ...all, [variant.id]: fresh }));
    const controller = new AbortController();
    controllers.current.set(variant.id, controller);
    // A newer run of the same column replaces this one: this one then writes nothing.
    const mine = (change: (run: RunState) => RunState) => {
      if (controllers.current.get(variant.id) === controller) update(variant.id, change);
    };
    try {
      const body = {
        variant: toRunVariant(variant),
        variables: input.variables,
        ...(variant.kind === "agent" && input.input !== undefined ? { input: input.input } : {}),
      };
      const result = await streamRun(project, body, {
        signal: controller.signal,
        onDelta: (text) => mine((run) => ({ ...run, text: run.text + text })),
      });
      mine((run) => ({ ...run, status: "done", result, text: run.text || result.output || "" }));
    } catch (error) {
      const stopped = controller.signal.aborted;
      const message = error instanceof Error ? error.message : String(error);
      mine((run) => ({ ...run, status: stopped ? "stopped" : "error", error: stopped ? null : message }));
    } finally {
      if (controllers.current.get(variant.id) === controller) controllers.current.delete(variant.id);
    }
  };

  const run = (variants: Variant[], input: RunInput) => {
    for (const variant of variants) void runOne(variant, input);
  };

  const stop = () => controllers.current.forEach((controller) => controller.abort());

  const forget = (id: string) => {
    controllers.current.get(id)?.abort();
    setRuns((all) => Object.fromEntries(Object.entries(all).filter(([key]) => key !== id)));
  };

  useEffect(() => {
    const current = controllers.current;
    return () => current.forEach((controller) => controller.abort());
  }, []);

  const running = Object.values(runs).some((r) => r.status === "running");
  return { runs, run, stop, forget, running };
}
