import { Badge } from "@mantine/core";

import type { JobStatus } from "./jobsApi";
import { STATUS_COLORS } from "./jobText";

/** A job's status in its colour (dead is red, done teal, running blue). */
export function JobStatusBadge({ status }: { status: JobStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant={status === "dead" ? "filled" : "light"} data-testid="job-status" miw="max-content">
      {status}
    </Badge>
  );
}
