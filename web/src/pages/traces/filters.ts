/**
 * The trace list's filters and their home in the URL query string.
 *
 * The URL uses the API's own parameter names (`status=error&metadata=customer_tier=gold`), plus
 * `range` for a relative time window ("last hour") that is resolved when the list is fetched,
 * so a shared link keeps meaning "the last hour".
 */
import type { paths } from "../../api/generated/schema";

export type TraceListQuery = NonNullable<
  paths["/api/v1/projects/{project}/traces"]["get"]["parameters"]["query"]
>;
export type Sort = NonNullable<TraceListQuery["sort"]>;
export type Status = "ok" | "error";

export const DEFAULT_SORT: Sort = "-start_time";
export const SORTS: { value: Sort; label: string }[] = [
  { value: "-start_time", label: "Newest first" },
  { value: "start_time", label: "Oldest first" },
  { value: "-duration", label: "Slowest first" },
  { value: "duration", label: "Fastest first" },
  { value: "-cost", label: "Most expensive first" },
  { value: "cost", label: "Cheapest first" },
  { value: "-tokens", label: "Most tokens first" },
  { value: "tokens", label: "Fewest tokens first" },
];

/** Relative time windows, by the key used in the URL. */
export const RANGES = {
  "15m": { label: "Last 15 minutes", ms: 15 * 60_000 },
  "1h": { label: "Last hour", ms: 3_600_000 },
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000 },
} as const;
export type RangeKey = keyof typeof RANGES;

export interface MetadataPair {
  key: string;
  value: string;
}

export interface TraceFilters {
  range: RangeKey | null;
  startFrom: string | null;
  startTo: string | null;
  name: string | null;
  kind: string | null;
  status: Status | null;
  tags: string[];
  metadata: MetadataPair[];
  model: string | null;
  minDurationMs: number | null;
  maxDurationMs: number | null;
  minCost: number | null;
  maxCost: number | null;
  sessionId: string | null;
  userId: string | null;
  q: string | null;
  experimentId: string | null;
  scoreName: string | null;
  scoreBelow: number | null;
  scoreAbove: number | null;
  sort: Sort;
}

export const EMPTY_FILTERS: TraceFilters = {
  range: null,
  startFrom: null,
  startTo: null,
  name: null,
  kind: null,
  status: null,
  tags: [],
  metadata: [],
  model: null,
  minDurationMs: null,
  maxDurationMs: null,
  minCost: null,
  maxCost: null,
  sessionId: null,
  userId: null,
  q: null,
  experimentId: null,
  scoreName: null,
  scoreBelow: null,
  scoreAbove: null,
  sort: DEFAULT_SORT,
};

/** Text filters: field of {@link TraceFilters} → URL (and API) parameter. */
const TEXT_PARAMS = {
  startFrom: "start_from",
  startTo: "start_to",
  name: "name",
  kind: "kind",
  model: "model",
  sessionId: "session_id",
  userId: "user_id",
  q: "q",
  experimentId: "experiment_id",
  scoreName: "score_name",
} as const;

const NUMBER_PARAMS = {
  minDurationMs: "min_duration_ms",
  maxDurationMs: "max_duration_ms",
  minCost: "min_cost",
  maxCost: "max_cost",
  scoreBelow: "score_below",
  scoreAbove: "score_above",
} as const;

/** Every URL parameter the filters own (others, such as `live`, are left alone). */
export const FILTER_PARAMS: string[] = [
  ...Object.values(TEXT_PARAMS),
  ...Object.values(NUMBER_PARAMS),
  "range",
  "status",
  "tag",
  "metadata",
  "sort",
];

function text(params: URLSearchParams, name: string): string | null {
  const value = params.get(name)?.trim();
  return value ? value : null;
}

function number(params: URLSearchParams, name: string): number | null {
  const raw = params.get(name);
  if (raw === null || raw.trim() === "") return null;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/** "key=value" → pair; the value may itself hold "=". */
export function parseMetadata(item: string): MetadataPair | null {
  const at = item.indexOf("=");
  if (at <= 0) return null;
  return { key: item.slice(0, at).trim(), value: item.slice(at + 1) };
}

/** The filters a URL query string describes; unknown or malformed values are ignored. */
export function parseFilters(params: URLSearchParams): TraceFilters {
  const filters: TraceFilters = { ...EMPTY_FILTERS, tags: [], metadata: [] };
  for (const [field, name] of entries(TEXT_PARAMS)) {
    filters[field] = text(params, name);
  }
  for (const [field, name] of entries(NUMBER_PARAMS)) {
    filters[field] = number(params, name);
  }
  const range = params.get("range");
  filters.range = range !== null && range in RANGES ? (range as RangeKey) : null;
  const status = params.get("status");
  filters.status = status === "ok" || status === "error" ? status : null;
  filters.tags = unique(params.getAll("tag").map((t) => t.trim()).filter(Boolean));
  filters.metadata = params
    .getAll("metadata")
    .map(parseMetadata)
    .filter((pair): pair is MetadataPair => pair !== null);
  const sort = params.get("sort");
  filters.sort = SORTS.some((s) => s.value === sort) ? (sort as Sort) : DEFAULT_SORT;
  return filters;
}

/** The URL query string of `filters`, keeping parameters of `base` that filters do not own. */
export function writeFilters(filters: TraceFilters, base?: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of base ?? []) {
    if (!FILTER_PARAMS.includes(key)) params.append(key, value);
  }
  if (filters.range) params.set("range", filters.range);
  for (const [field, name] of entries(TEXT_PARAMS)) {
    const value = filters[field]?.trim();
    if (value) params.set(name, value);
  }
  if (filters.status) params.set("status", filters.status);
  for (const tag of filters.tags) params.append("tag", tag);
  for (const { key, value } of filters.metadata) params.append("metadata", `${key}=${value}`);
  for (const [field, name] of entries(NUMBER_PARAMS)) {
    const value = filters[field];
    if (value !== null) params.set(name, String(value));
  }
  if (filters.sort !== DEFAULT_SORT) params.set("sort", filters.sort);
  return params;
}

/** The query of `GET /traces` for `filters`; a relative range ends at `now` (ms since epoch). */
export function toApiQuery(filters: TraceFilters, now: number): TraceListQuery {
  const query: TraceListQuery = { sort: filters.sort };
  const from = filters.range
    ? new Date(now - RANGES[filters.range].ms).toISOString()
    : filters.startFrom;
  if (from) query.start_from = from;
  if (!filters.range && filters.startTo) query.start_to = filters.startTo;
  for (const [field, name] of entries(TEXT_PARAMS)) {
    const value = filters[field];
    if (value && name !== "start_from" && name !== "start_to") query[name] = value;
  }
  if (filters.status) query.status = filters.status;
  if (filters.tags.length) query.tag = filters.tags;
  if (filters.metadata.length) {
    query.metadata = filters.metadata.map(({ key, value }) => `${key}=${value}`);
  }
  for (const [field, name] of entries(NUMBER_PARAMS)) {
    const value = filters[field];
    if (value !== null) query[name] = value;
  }
  return query;
}

/** `Object.entries` keeping the key and value types of a constant table. */
function entries<T extends Record<string, string>>(table: T): [keyof T, T[keyof T]][] {
  return Object.entries(table) as [keyof T, T[keyof T]][];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
