import { CASE_FILTERS, type CaseFilter, type CaseSort } from "./compareModel";

/** What the compare view shows; it lives in the query string so a link reproduces the view. */
export interface CompareState {
  /** Baseline first; a single name means "against its default baseline". */
  experiments: string[];
  filter: CaseFilter;
  query: string;
  sort: CaseSort;
}

const SORTS: CaseSort[] = ["regression", "improvement", "case"];

/** `?experiments=a,b&filter=regressed&q=refund&sort=case` → state (unknown → defaults). */
export function parseCompareState(params: URLSearchParams): CompareState {
  const experiments = params
    .getAll("experiments")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  const filter = params.get("filter") as CaseFilter | null;
  const sort = params.get("sort") as CaseSort | null;
  return {
    experiments: [...new Set(experiments)],
    filter: filter && CASE_FILTERS.includes(filter) ? filter : "all",
    query: params.get("q") ?? "",
    sort: sort && SORTS.includes(sort) ? sort : "regression",
  };
}

/** The query string of a state; defaults are left out. */
export function compareSearch(state: CompareState): string {
  const params = new URLSearchParams();
  if (state.experiments.length) params.set("experiments", state.experiments.join(","));
  if (state.filter !== "all") params.set("filter", state.filter);
  if (state.query) params.set("q", state.query);
  if (state.sort !== "regression") params.set("sort", state.sort);
  // Commas between names read better than %2C.
  return params.toString().replace(/%2C/g, ",");
}

/** The link of the compare view of ``experiments`` (baseline first) in ``project``. */
export function compareHref(project: string, experiments: string[]): string {
  const search = compareSearch({ experiments, filter: "all", query: "", sort: "regression" });
  return `/projects/${encodeURIComponent(project)}/experiments/compare?${search}`;
}
