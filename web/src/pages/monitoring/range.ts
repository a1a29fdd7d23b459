/**
 * The monitoring page's time range: presets or a custom span, kept in the URL, and the bucket
 * size that gives the charts a readable number of points.
 */

export const PRESETS = [
  { key: "1h", label: "Last hour", seconds: 3_600 },
  { key: "24h", label: "Last 24 hours", seconds: 86_400 },
  { key: "7d", label: "Last 7 days", seconds: 7 * 86_400 },
  { key: "30d", label: "Last 30 days", seconds: 30 * 86_400 },
] as const;

export type PresetKey = (typeof PRESETS)[number]["key"];
export type RangeKey = PresetKey | "custom";
export const DEFAULT_RANGE: PresetKey = "24h";

/** Bucket sizes offered, in seconds. */
export const BUCKETS = [
  60, 300, 900, 1_800, 3_600, 10_800, 21_600, 43_200, 86_400, 604_800,
] as const;

/** Charts read best with at most this many points. */
export const MAX_POINTS = 120;
/** The server refuses more buckets than this. */
export const SERVER_MAX_BUCKETS = 10_000;

/** The smallest offered bucket that cuts `rangeSeconds` into at most `maxPoints` buckets. */
export function chooseBucket(rangeSeconds: number, maxPoints: number = MAX_POINTS): number {
  for (const bucket of BUCKETS) {
    if (Math.ceil(rangeSeconds / bucket) <= maxPoints) return bucket;
  }
  return BUCKETS[BUCKETS.length - 1];
}

/** Buckets a person may pick for the range: between 2 and the server's limit of points. */
export function bucketChoices(rangeSeconds: number): number[] {
  return BUCKETS.filter((b) => {
    const n = Math.ceil(rangeSeconds / b);
    return n >= 2 && n <= SERVER_MAX_BUCKETS;
  });
}

/** 60 → "1 min", 10800 → "3 hours", 604800 → "1 week". */
export function bucketLabel(seconds: number): string {
  const units: [number, string][] = [
    [604_800, "week"],
    [86_400, "day"],
    [3_600, "hour"],
    [60, "min"],
  ];
  for (const [size, name] of units) {
    if (seconds % size === 0) {
      const n = seconds / size;
      return name === "min" || n === 1 ? `${n} ${name}` : `${n} ${name}s`;
    }
  }
  return `${seconds} s`;
}

/** What the URL asks for: a preset or custom bounds, and an optional bucket. */
export interface RangeParams {
  range: RangeKey;
  from?: string;
  to?: string;
  bucket?: number;
}

/** The resolved range: epoch-second bounds aligned to the bucket, for the series request. */
export interface ResolvedRange {
  range: RangeKey;
  start: number;
  end: number;
  bucket: number;
  /** Why a custom range fell back to the default, for the page to say. */
  problem?: string;
}

export function readRangeParams(params: URLSearchParams): RangeParams {
  const raw = params.get("range");
  const known = raw === "custom" || PRESETS.some((p) => p.key === raw);
  const bucket = Number(params.get("bucket"));
  return {
    range: known ? (raw as RangeKey) : DEFAULT_RANGE,
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
    bucket: (BUCKETS as readonly number[]).includes(bucket) ? bucket : undefined,
  };
}

/** The bounds (epoch seconds) for `params` at time `now` (epoch seconds). */
export function resolveRange(params: RangeParams, now: number): ResolvedRange {
  if (params.range === "custom") {
    const from = Date.parse(params.from ?? "") / 1000;
    const to = Date.parse(params.to ?? "") / 1000;
    if (Number.isFinite(from) && Number.isFinite(to) && from < to) {
      const bucket = pickBucket(to - from, params.bucket);
      return {
        range: "custom",
        start: Math.floor(from / bucket) * bucket,
        end: Math.ceil(to / bucket) * bucket,
        bucket,
      };
    }
    const fallback = resolveRange({ range: DEFAULT_RANGE, bucket: params.bucket }, now);
    return { ...fallback, problem: "The custom range needs a start before its end." };
  }
  const seconds = PRESETS.find((p) => p.key === params.range)?.seconds ?? 86_400;
  const bucket = pickBucket(seconds, params.bucket);
  const end = Math.ceil(now / bucket) * bucket;
  return { range: params.range, start: end - Math.ceil(seconds / bucket) * bucket, end, bucket };
}

function pickBucket(rangeSeconds: number, wanted: number | undefined): number {
  return wanted !== undefined && bucketChoices(rangeSeconds).includes(wanted)
    ? wanted
    : chooseBucket(rangeSeconds);
}

/** The dayjs format of a bucket's time on the x axis: finer for short ranges and buckets. */
export function tickFormat(bucketSeconds: number, rangeSeconds: number): string {
  if (bucketSeconds >= 86_400) return "MMM D";
  if (rangeSeconds <= 86_400) return "HH:mm";
  return "MMM D HH:mm";
}
