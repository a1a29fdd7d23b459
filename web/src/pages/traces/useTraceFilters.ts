import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router-dom";

import { DEFAULT_SORT, parseFilters, writeFilters, type TraceFilters } from "./filters";

export interface TraceFilterState {
  filters: TraceFilters;
  /** Write new filters into the URL (a new history entry, so the back button undoes it). */
  setFilters: (next: TraceFilters) => void;
  live: boolean;
  setLive: (on: boolean) => void;
}

/** The filters and live mode of the traces page, read from and written to the URL. */
export function useTraceFilters(): TraceFilterState {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const filters = useMemo(() => parseFilters(new URLSearchParams(search)), [search]);
  const live = params.get("live") === "1";

  const setFilters = useCallback(
    (next: TraceFilters) => {
      setParams((current) => {
        const written = writeFilters(next, current);
        // live mode shows the newest traces first; another order turns it off
        if (next.sort !== DEFAULT_SORT) written.delete("live");
        return written;
      });
    },
    [setParams],
  );

  const setLive = useCallback(
    (on: boolean) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (on) {
          next.set("live", "1");
          next.delete("sort");
        } else {
          next.delete("live");
        }
        return next;
      });
    },
    [setParams],
  );

  return { filters, setFilters, live, setLive };
}
