/** The active filters as removable chips ("Status: error", "customer_tier = gold", …). */
import { formatCost, formatDuration, formatTime } from "../../format";
import { EMPTY_FILTERS, RANGES, type TraceFilters } from "./filters";

export interface FilterChip {
  /** Stable and unique among the chips of one filter state. */
  id: string;
  label: string;
  /** The filters without this one. */
  remove: (filters: TraceFilters) => TraceFilters;
}

type Field = keyof TraceFilters;

function clear(...fields: Field[]): (filters: TraceFilters) => TraceFilters {
  return (filters) => {
    const next = { ...filters };
    for (const field of fields) Object.assign(next, { [field]: EMPTY_FILTERS[field] });
    return next;
  };
}

function range(low: number | null, high: number | null, show: (n: number) => string): string {
  if (low !== null && high !== null) return `${show(low)} – ${show(high)}`;
  return low !== null ? `≥ ${show(low)}` : `≤ ${show(high ?? 0)}`;
}

/** One chip per active filter (the sort order is not a filter). */
export function activeChips(
  filters: TraceFilters,
  experimentName: (id: string) => string = (id) => id,
): FilterChip[] {
  const chips: FilterChip[] = [];
  const add = (id: string, label: string, remove: FilterChip["remove"]) =>
    chips.push({ id, label, remove });
  if (filters.q) add("q", `Search: “${filters.q}”`, clear("q"));
  if (filters.range) add("range", RANGES[filters.range].label, clear("range"));
  if (!filters.range && filters.startFrom) {
    add("start_from", `From ${formatTime(filters.startFrom)}`, clear("startFrom"));
  }
  if (!filters.range && filters.startTo) {
    add("start_to", `Until ${formatTime(filters.startTo)}`, clear("startTo"));
  }
  if (filters.status) add("status", `Status: ${filters.status}`, clear("status"));
  if (filters.experimentId) {
    add("experiment", `Experiment: ${experimentName(filters.experimentId)}`, clear("experimentId"));
  }
  if (filters.name) add("name", `Name: ${filters.name}`, clear("name"));
  if (filters.kind) add("kind", `Span kind: ${filters.kind}`, clear("kind"));
  if (filters.model) add("model", `Model: ${filters.model}`, clear("model"));
  for (const tag of filters.tags) {
    add(`tag:${tag}`, `Tag: ${tag}`, (f) => ({ ...f, tags: f.tags.filter((t) => t !== tag) }));
  }
  filters.metadata.forEach(({ key, value }) => {
    add(`metadata:${key}=${value}`, `${key} = ${value}`, (f) => ({
      ...f,
      metadata: f.metadata.filter((m) => m.key !== key || m.value !== value),
    }));
  });
  if (filters.minDurationMs !== null || filters.maxDurationMs !== null) {
    const label = range(filters.minDurationMs, filters.maxDurationMs, formatDuration);
    add("duration", `Latency ${label}`, clear("minDurationMs", "maxDurationMs"));
  }
  if (filters.minCost !== null || filters.maxCost !== null) {
    const label = range(filters.minCost, filters.maxCost, formatCost);
    add("cost", `Cost ${label}`, clear("minCost", "maxCost"));
  }
  if (filters.scoreName && (filters.scoreBelow !== null || filters.scoreAbove !== null)) {
    const parts = [
      filters.scoreAbove !== null ? `> ${filters.scoreAbove}` : null,
      filters.scoreBelow !== null ? `< ${filters.scoreBelow}` : null,
    ].filter(Boolean);
    add("score", `Score ${filters.scoreName} ${parts.join(" and ")}`, clear("scoreName", "scoreBelow", "scoreAbove"));
  }
  if (filters.sessionId) add("session", `Session: ${filters.sessionId}`, clear("sessionId"));
  if (filters.userId) add("user", `User: ${filters.userId}`, clear("userId"));
  return chips;
}

/** The filters with every filter cleared; the sort order stays. */
export function clearAll(filters: TraceFilters): TraceFilters {
  return { ...EMPTY_FILTERS, sort: filters.sort };
}
