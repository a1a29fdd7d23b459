/** The "More filters" form: its fields as typed text, to and from {@link TraceFilters}. */
import dayjs from "dayjs";

import { parseMetadata, type MetadataPair, type TraceFilters } from "./filters";

export interface FilterDraft {
  /** `YYYY-MM-DDTHH:mm` in the browser's time zone, as a datetime-local input holds it. */
  startFrom: string;
  startTo: string;
  name: string;
  kind: string;
  model: string;
  tags: string[];
  metadata: MetadataPair[];
  /** A metadata pair typed but not added yet. */
  pendingMetadata: MetadataPair;
  /** Seconds. */
  minDuration: string;
  maxDuration: string;
  /** US dollars. */
  minCost: string;
  maxCost: string;
  sessionId: string;
  userId: string;
  /** A score's name, and the bounds its mean must lie within. */
  scoreName: string;
  scoreBelow: string;
  scoreAbove: string;
}

const LOCAL = "YYYY-MM-DDTHH:mm";

function local(iso: string | null): string {
  return iso ? dayjs(iso).format(LOCAL) : "";
}

function iso(text: string): string | null {
  if (!text.trim()) return null;
  const when = dayjs(text);
  return when.isValid() ? when.toISOString() : null;
}

function num(text: string, scale = 1): number | null {
  if (!text.trim()) return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? Math.round(value * scale * 1e6) / 1e6 : null;
}

function str(n: number | null, scale = 1): string {
  return n === null ? "" : String(n / scale);
}

export function toDraft(filters: TraceFilters): FilterDraft {
  return {
    startFrom: filters.range ? "" : local(filters.startFrom),
    startTo: filters.range ? "" : local(filters.startTo),
    name: filters.name ?? "",
    kind: filters.kind ?? "",
    model: filters.model ?? "",
    tags: [...filters.tags],
    metadata: [...filters.metadata],
    pendingMetadata: { key: "", value: "" },
    minDuration: str(filters.minDurationMs, 1000),
    maxDuration: str(filters.maxDurationMs, 1000),
    minCost: str(filters.minCost),
    maxCost: str(filters.maxCost),
    sessionId: filters.sessionId ?? "",
    userId: filters.userId ?? "",
    scoreName: filters.scoreName ?? "",
    scoreBelow: str(filters.scoreBelow),
    scoreAbove: str(filters.scoreAbove),
  };
}

/** `filters` with the form's fields applied (search, status, experiment and sort stay). */
export function fromDraft(draft: FilterDraft, filters: TraceFilters): TraceFilters {
  const metadata = [...draft.metadata];
  const { key, value } = draft.pendingMetadata;
  const pending = parseMetadata(`${key.trim()}=${value.trim()}`);
  if (pending && !metadata.some((m) => m.key === pending.key && m.value === pending.value)) {
    metadata.push(pending);
  }
  const startFrom = iso(draft.startFrom);
  const startTo = iso(draft.startTo);
  const custom = startFrom !== null || startTo !== null;
  return {
    ...filters,
    range: custom ? null : filters.range,
    startFrom: custom ? startFrom : null,
    startTo: custom ? startTo : null,
    name: draft.name.trim() || null,
    kind: draft.kind.trim() || null,
    model: draft.model.trim() || null,
    tags: [...new Set(draft.tags.map((t) => t.trim()).filter(Boolean))],
    metadata,
    minDurationMs: num(draft.minDuration, 1000),
    maxDurationMs: num(draft.maxDuration, 1000),
    minCost: num(draft.minCost),
    maxCost: num(draft.maxCost),
    sessionId: draft.sessionId.trim() || null,
    userId: draft.userId.trim() || null,
    ...scoreFilter(draft),
  };
}

/** The score filter of the form: bounds only count with a score name, and a name only with one. */
function scoreFilter(draft: FilterDraft): Pick<TraceFilters, "scoreName" | "scoreBelow" | "scoreAbove"> {
  const name = draft.scoreName.trim() || null;
  const below = num(draft.scoreBelow);
  const above = num(draft.scoreAbove);
  if (!name || (below === null && above === null)) {
    return { scoreName: null, scoreBelow: null, scoreAbove: null };
  }
  return { scoreName: name, scoreBelow: below, scoreAbove: above };
}

/** How many filters the form holds (for the "More filters (3)" button). */
export function countFormFilters(filters: TraceFilters): number {
  const set = [
    !filters.range && (filters.startFrom || filters.startTo),
    filters.name,
    filters.kind,
    filters.model,
    filters.minDurationMs !== null || filters.maxDurationMs !== null,
    filters.minCost !== null || filters.maxCost !== null,
    filters.sessionId,
    filters.userId,
    filters.scoreName,
  ].filter(Boolean).length;
  return set + filters.tags.length + filters.metadata.length;
}
