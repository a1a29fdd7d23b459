import { describe, expect, it } from "vitest";

import { activeChips, clearAll } from "./chips";
import {
  EMPTY_FILTERS,
  parseFilters,
  parseMetadata,
  toApiQuery,
  writeFilters,
  type TraceFilters,
} from "./filters";

const FULL: TraceFilters = {
  range: null,
  startFrom: "2026-01-02T03:04:05.000Z",
  startTo: "2026-01-03T00:00:00.000Z",
  name: "answer",
  kind: "llm",
  status: "error",
  tags: ["beta", "vip"],
  metadata: [
    { key: "customer_tier", value: "gold" },
    { key: "query", value: "a=b" },
  ],
  model: "gpt-4o",
  minDurationMs: 1500,
  maxDurationMs: 9000,
  minCost: 0.01,
  maxCost: 0.5,
  sessionId: "s-1",
  userId: "u 1",
  q: "refund & return",
  experimentId: "0190abcd",
  scoreName: "helpfulness",
  scoreBelow: 0.5,
  scoreAbove: 0.1,
  sort: "-cost",
};

describe("filters in the URL", () => {
  it("round-trips every filter", () => {
    const params = writeFilters(FULL);
    expect(parseFilters(new URLSearchParams(params.toString()))).toEqual(FULL);
  });

  it("round-trips the empty state to an empty query string", () => {
    expect(writeFilters(EMPTY_FILTERS).toString()).toBe("");
    expect(parseFilters(new URLSearchParams(""))).toEqual(EMPTY_FILTERS);
  });

  it("uses the API's parameter names, repeating tags and metadata", () => {
    const params = writeFilters(FULL);
    expect(params.getAll("tag")).toEqual(["beta", "vip"]);
    expect(params.getAll("metadata")).toEqual(["customer_tier=gold", "query=a=b"]);
    expect(params.get("min_duration_ms")).toBe("1500");
    expect(params.get("experiment_id")).toBe("0190abcd");
    expect(params.get("sort")).toBe("-cost");
  });

  it("keeps parameters it does not own, and drops the ones it replaces", () => {
    const base = new URLSearchParams("live=1&status=ok&tag=old");
    const params = writeFilters({ ...EMPTY_FILTERS, tags: ["new"] }, base);
    expect(params.get("live")).toBe("1");
    expect(params.get("status")).toBeNull();
    expect(params.getAll("tag")).toEqual(["new"]);
  });

  it("ignores malformed values", () => {
    const parsed = parseFilters(
      new URLSearchParams(
        "status=broken&sort=sideways&range=2y&min_cost=cheap&max_duration_ms=-4" +
          "&metadata=novalue&metadata==x&tag=&tag=a&tag=a",
      ),
    );
    expect(parsed).toEqual({ ...EMPTY_FILTERS, tags: ["a"] });
  });

  it("reads metadata pairs whose value holds '='", () => {
    expect(parseMetadata("k=v=w")).toEqual({ key: "k", value: "v=w" });
    expect(parseMetadata("k=")).toEqual({ key: "k", value: "" });
    expect(parseMetadata("=v")).toBeNull();
  });
});

describe("the API query", () => {
  it("passes every filter under the API's names", () => {
    expect(toApiQuery(FULL, 0)).toEqual({
      sort: "-cost",
      start_from: FULL.startFrom,
      start_to: FULL.startTo,
      name: "answer",
      kind: "llm",
      model: "gpt-4o",
      session_id: "s-1",
      user_id: "u 1",
      q: "refund & return",
      experiment_id: "0190abcd",
      score_name: "helpfulness",
      status: "error",
      tag: ["beta", "vip"],
      metadata: ["customer_tier=gold", "query=a=b"],
      min_duration_ms: 1500,
      max_duration_ms: 9000,
      min_cost: 0.01,
      max_cost: 0.5,
      score_below: 0.5,
      score_above: 0.1,
    });
  });

  it("resolves a relative range when the list is fetched", () => {
    const now = Date.parse("2026-05-01T12:00:00Z");
    const query = toApiQuery({ ...FULL, range: "1h" }, now);
    expect(query.start_from).toBe("2026-05-01T11:00:00.000Z");
    expect(query.start_to).toBeUndefined();
  });

  it("leaves out what is not set", () => {
    expect(toApiQuery(EMPTY_FILTERS, 0)).toEqual({ sort: "-start_time" });
  });
});

describe("filter chips", () => {
  it("shows one removable chip per active filter", () => {
    const chips = activeChips(FULL, (id) => (id === "0190abcd" ? "baseline" : id));
    const labels = chips.map((c) => c.label);
    expect(labels).toContain("Status: error");
    expect(labels).toContain("customer_tier = gold");
    expect(labels).toContain("Experiment: baseline");
    expect(labels).toContain("Latency 1.50 s – 9.00 s");
    expect(labels).toContain("Cost $0.01 – $0.50");
    expect(new Set(chips.map((c) => c.id)).size).toBe(chips.length);
  });

  it("removes only its own filter", () => {
    const chip = activeChips(FULL).find((c) => c.label === "customer_tier = gold");
    const after = chip!.remove(FULL);
    expect(after.metadata).toEqual([{ key: "query", value: "a=b" }]);
    expect(after.status).toBe("error");
    const tag = activeChips(FULL).find((c) => c.id === "tag:beta");
    expect(tag!.remove(FULL).tags).toEqual(["vip"]);
  });

  it("clears all filters but keeps the sort", () => {
    expect(clearAll(FULL)).toEqual({ ...EMPTY_FILTERS, sort: "-cost" });
    expect(activeChips(clearAll(FULL))).toEqual([]);
  });

  it("labels one-sided ranges", () => {
    const chips = activeChips({ ...EMPTY_FILTERS, minDurationMs: 2000, maxCost: 0.1 });
    expect(chips.map((c) => c.label)).toEqual(["Latency ≥ 2.00 s", "Cost ≤ $0.10"]);
  });
});

describe("score filter", () => {
  it("round-trips through the URL and reaches the API query", async () => {
    const { parseFilters, writeFilters, toApiQuery } = await import("./filters");
    const params = new URLSearchParams("score_name=helpfulness&score_below=0.5");
    const filters = parseFilters(params);
    expect(filters).toMatchObject({ scoreName: "helpfulness", scoreBelow: 0.5, scoreAbove: null });
    expect(writeFilters(filters).toString()).toBe("score_name=helpfulness&score_below=0.5");
    expect(toApiQuery(filters, 0)).toMatchObject({ score_name: "helpfulness", score_below: 0.5 });
  });

  it("keeps a bound only with a name in the form", async () => {
    const { EMPTY_FILTERS } = await import("./filters");
    const { fromDraft, toDraft } = await import("./form");
    const draft = { ...toDraft(EMPTY_FILTERS), scoreBelow: "0.5" };
    expect(fromDraft(draft, EMPTY_FILTERS).scoreBelow).toBeNull();
    const named = { ...draft, scoreName: " tone " };
    expect(fromDraft(named, EMPTY_FILTERS)).toMatchObject({ scoreName: "tone", scoreBelow: 0.5 });
  });
});
