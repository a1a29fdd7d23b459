/** The experiments a dataset run can be compared with. */
import type { Schemas } from "../../api/client";

type Experiment = Pick<Schemas["Experiment"], "name" | "dataset" | "started_at">;

/** The names of the experiments that ran on `dataset`, newest first (none without a dataset). */
export function baselineChoices(experiments: Experiment[], dataset: string | null): string[] {
  if (!dataset) return [];
  return experiments
    .filter((e) => e.dataset?.name === dataset)
    .sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at))
    .map((e) => e.name);
}
