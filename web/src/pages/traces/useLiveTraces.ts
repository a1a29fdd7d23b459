import { useEffect, useRef, useState } from "react";

import { api, unwrap } from "../../api/client";
import { DEFAULT_SORT, toApiQuery, type TraceFilters } from "./filters";
import { PAGE_SIZE, type TraceSummary } from "./useTraceList";

/** How often live mode asks for new traces. */
export const LIVE_INTERVAL_MS = 2000;
/** How long a newly arrived row stays highlighted. */
const HIGHLIGHT_MS = 4000;

export interface LiveTraces {
  /** Traces that arrived since the list was loaded, newest first. */
  fresh: TraceSummary[];
  /** Ids of the rows that just arrived (highlighted for a few seconds). */
  highlighted: ReadonlySet<string>;
}

interface Options {
  project: string;
  filters: TraceFilters;
  enabled: boolean;
  /** The rows already shown (the loaded pages); new traces are the ones not among them. */
  loaded: TraceSummary[];
}

/** Newest start time among `rows` (ISO strings with a zone compare by their instant). */
function newestStart(rows: TraceSummary[]): string | null {
  let best: string | null = null;
  for (const row of rows) {
    if (best === null || Date.parse(row.start_time) > Date.parse(best)) best = row.start_time;
  }
  return best;
}

/**
 * Live mode: every two seconds, ask for the traces that started at or after the newest one on
 * screen (same filters, first page only) and keep those not seen yet. Reset when the filters
 * change, since the loaded list is then fetched again.
 */
export function useLiveTraces({ project, filters, enabled, loaded }: Options): LiveTraces {
  const key = JSON.stringify([project, filters]);
  const [state, setState] = useState<{ key: string; fresh: TraceSummary[] }>({ key, fresh: [] });
  const [highlighted, setHighlighted] = useState<ReadonlySet<string>>(new Set());
  const fresh = state.key === key ? state.fresh : [];
  const seen = useRef({ fresh, loaded });
  useEffect(() => {
    seen.current = { fresh, loaded };
  });

  useEffect(() => {
    if (!enabled) return;
    let busy = false;
    const timers: number[] = [];
    const controller = new AbortController();
    const poll = async () => {
      if (busy) return;
      busy = true;
      try {
        const known = [...seen.current.fresh, ...seen.current.loaded];
        const ids = new Set(known.map((t) => t.trace_id));
        const query = { ...toApiQuery(filters, Date.now()), sort: DEFAULT_SORT, limit: PAGE_SIZE };
        const newest = newestStart(known);
        if (newest && (!query.start_from || Date.parse(newest) > Date.parse(query.start_from))) {
          query.start_from = newest;
        }
        const page = await unwrap(
          api.GET("/api/v1/projects/{project}/traces", {
            params: { path: { project }, query },
            signal: controller.signal,
          }),
        );
        const arrived = page.items.filter((t) => !ids.has(t.trace_id));
        if (arrived.length === 0 || controller.signal.aborted) return;
        setState((prev) => ({
          key,
          fresh: [...arrived, ...(prev.key === key ? prev.fresh : [])],
        }));
        const arrivedIds = arrived.map((t) => t.trace_id);
        setHighlighted((prev) => new Set([...prev, ...arrivedIds]));
        const unmark = () =>
          setHighlighted((prev) => new Set([...prev].filter((id) => !arrivedIds.includes(id))));
        timers.push(window.setTimeout(unmark, HIGHLIGHT_MS));
      } catch {
        // a failed poll is retried at the next tick; the list itself shows load errors
      } finally {
        busy = false;
      }
    };
    const timer = window.setInterval(poll, LIVE_INTERVAL_MS);
    void poll();
    return () => {
      window.clearInterval(timer);
      timers.forEach((t) => window.clearTimeout(t));
      controller.abort();
    };
  }, [enabled, project, filters, key]);

  return { fresh, highlighted };
}
